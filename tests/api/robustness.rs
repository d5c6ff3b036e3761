//! One client cannot tie Merit up: stalled bodies are cut with 408, and one address holds a
//! bounded number of connections while others are still served.

use std::{net::SocketAddr, time::Duration};

use figment::providers::Serialized;
use tokio::{
    io::{AsyncReadExt, AsyncWriteExt},
    net::{TcpSocket, TcpStream},
    time::{Instant, timeout},
};

use crate::support::TestApp;

fn server_of(app: &TestApp) -> SocketAddr {
    app.address
        .trim_start_matches("http://")
        .parse()
        .expect("a socket address")
}

/// Reads until the server closes the connection (or `limit` passes).
async fn read_to_close(stream: &mut TcpStream, limit: Duration) -> String {
    let mut answer = Vec::new();
    let _ = timeout(limit, stream.read_to_end(&mut answer)).await;
    String::from_utf8_lossy(&answer).into_owned()
}

/// A raw `GET /healthz` from `source`, answered on a fresh connection.
async fn healthz_from(source: &str, server: SocketAddr) -> String {
    let socket = TcpSocket::new_v4().expect("a socket");
    socket
        .bind(format!("{source}:0").parse().expect("an address"))
        .expect("bound");
    let mut stream = socket.connect(server).await.expect("connected");
    stream
        .write_all(b"GET /healthz HTTP/1.1\r\nHost: merit\r\nConnection: close\r\n\r\n")
        .await
        .expect("sent");
    read_to_close(&mut stream, Duration::from_secs(5)).await
}

#[actix_web::test]
async fn a_stalled_body_is_cut_with_408_while_other_clients_are_served() {
    let app =
        TestApp::spawn_with(|f| f.merge(Serialized::default("body_timeout_seconds", 1))).await;
    let mut stalled = TcpStream::connect(server_of(&app))
        .await
        .expect("connected");
    stalled
        .write_all(
            b"POST /api/v1/auth/login HTTP/1.1\r\nHost: merit\r\nContent-Type: application/json\r\nContent-Length: 200\r\n\r\n{\"login\":",
        )
        .await
        .expect("headers and part of the body sent");
    let started = Instant::now();

    for _ in 0..3 {
        let health = app.get("/healthz").await;
        health.assert_status(200);
    }
    app.get("/api/v1/locations").await.assert_status(200);
    assert!(
        started.elapsed() < Duration::from_secs(1),
        "others waited on the stalled body"
    );

    let answer = read_to_close(&mut stalled, Duration::from_secs(5)).await;
    let waited = started.elapsed();
    assert!(answer.starts_with("HTTP/1.1 408"), "{answer}");
    assert!(answer.contains("application/problem+json"), "{answer}");
    assert!(answer.contains("\"code\":\"request_timeout\""), "{answer}");
    assert!(
        answer.to_ascii_lowercase().contains("connection: close"),
        "{answer}"
    );
    assert!(waited < Duration::from_secs(4), "cut after {waited:?}");
}

#[actix_web::test]
async fn a_body_that_arrives_in_time_is_read() {
    let app =
        TestApp::spawn_with(|f| f.merge(Serialized::default("body_timeout_seconds", 2))).await;
    let mut slow = TcpStream::connect(server_of(&app))
        .await
        .expect("connected");
    let body = br#"{"login":"nobody","password":"Wrong-pass1!"}"#;
    let head = format!(
        "POST /api/v1/auth/login HTTP/1.1\r\nHost: merit\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    );
    slow.write_all(head.as_bytes()).await.expect("headers sent");
    slow.write_all(&body[..10]).await.expect("a first part");
    tokio::time::sleep(Duration::from_millis(500)).await;
    slow.write_all(&body[10..]).await.expect("the rest");
    let answer = read_to_close(&mut slow, Duration::from_secs(10)).await;
    assert!(answer.starts_with("HTTP/1.1 401"), "{answer}");
}

#[actix_web::test]
async fn one_address_holds_at_most_the_cap_while_others_are_served() {
    let app =
        TestApp::spawn_with(|f| f.merge(Serialized::default("connections_per_client", 3))).await;
    let server = server_of(&app);
    let mut held = Vec::new();
    for _ in 0..3 {
        held.push(TcpStream::connect(server).await.expect("connected"));
    }
    tokio::time::sleep(Duration::from_millis(300)).await;

    let mut refused = TcpStream::connect(server)
        .await
        .expect("the kernel accepts");
    let _ = refused
        .write_all(b"GET /healthz HTTP/1.1\r\nHost: merit\r\n\r\n")
        .await;
    let answer = read_to_close(&mut refused, Duration::from_secs(3)).await;
    assert!(
        answer.is_empty(),
        "a fourth connection was served: {answer}"
    );

    let other = healthz_from("127.0.0.2", server).await;
    assert!(other.starts_with("HTTP/1.1 200"), "{other}");

    held.pop();
    tokio::time::sleep(Duration::from_millis(300)).await;
    let again = healthz_from("127.0.0.1", server).await;
    assert!(again.starts_with("HTTP/1.1 200"), "{again}");
}
