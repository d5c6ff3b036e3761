//! The email outbox: each message delivered exactly once, failures retried with back-off.

use chrono::{Duration, NaiveDateTime};
use diesel::prelude::*;
use merit_api::{
    clock::Clock,
    mail::{self, Message},
};
use merit_persistence::schema::outbox_emails;

use figment::providers::Serialized;

use crate::support::{FakeSmtp, TestApp};

/// Queues `count` messages directly, without waking the worker.
async fn enqueue(app: &TestApp, count: usize) {
    let now = app.clock.now();
    app.db
        .write(move |conn| {
            for n in 0..count {
                let message = Message {
                    kind: "test",
                    subject: format!("Message {n}"),
                    text: format!("Body {n}"),
                    html: format!("<p>Body {n}</p>"),
                };
                mail::enqueue(conn, &format!("person{n}@example.org"), message, now)?;
            }
            Ok(())
        })
        .await
        .unwrap();
}

/// Each row: (attempts, sent, last error).
async fn rows(app: &TestApp) -> Vec<(i32, Option<NaiveDateTime>, Option<String>)> {
    app.db
        .read(|conn| {
            outbox_emails::table
                .select((
                    outbox_emails::attempts,
                    outbox_emails::sent_at,
                    outbox_emails::last_error,
                ))
                .order(outbox_emails::id)
                .load(conn)
                .map_err(merit_api::error::ApiError::internal)
        })
        .await
        .unwrap()
}

fn eml_files(app: &TestApp) -> usize {
    std::fs::read_dir(app.state.settings.mail_dir())
        .map(|dir| {
            dir.filter_map(Result::ok)
                .filter(|e| e.path().extension().is_some_and(|x| x == "eml"))
                .count()
        })
        .unwrap_or(0)
}

#[actix_web::test]
async fn two_concurrent_delivery_passes_deliver_each_message_exactly_once() {
    let app = TestApp::spawn().await;
    enqueue(&app, 30).await;
    let (a, b) = tokio::join!(
        mail::worker::deliver_due(&app.state),
        mail::worker::deliver_due(&app.state)
    );
    let (a, b) = (a.unwrap(), b.unwrap());
    let c = mail::worker::deliver_due(&app.state).await.unwrap();
    assert!(a + b + c <= 30, "{a} + {b} + {c}");
    let rows = rows(&app).await;
    assert_eq!(rows.len(), 30);
    for (attempts, sent, error) in &rows {
        assert_eq!(*attempts, 1, "claimed and delivered once");
        assert!(sent.is_some());
        assert_eq!(*error, None);
    }
    assert_eq!(eml_files(&app), 30);
    assert_eq!(mail::worker::deliver_due(&app.state).await.unwrap(), 0);
}

#[actix_web::test]
async fn a_failed_delivery_is_retried_later_with_back_off() {
    let app = TestApp::spawn().await;
    let dir = app.state.settings.mail_dir();
    // Break delivery: the mail folder becomes a plain file.
    std::fs::remove_dir_all(&dir).unwrap();
    std::fs::write(&dir, b"not a folder").unwrap();
    enqueue(&app, 1).await;
    mail::worker::deliver_due(&app.state).await.unwrap();
    let after_failure = rows(&app).await;
    assert_eq!(after_failure[0].0, 1);
    assert!(after_failure[0].1.is_none(), "not sent");
    assert!(after_failure[0].2.is_some(), "the reason is kept");

    std::fs::remove_file(&dir).unwrap();
    std::fs::create_dir(&dir).unwrap();
    // Not retried before its time (30 seconds after the first failure)...
    app.clock.advance(Duration::seconds(29));
    assert_eq!(mail::worker::deliver_due(&app.state).await.unwrap(), 0);
    assert_eq!(eml_files(&app), 0);
    // ...and delivered once it is due.
    app.clock.advance(Duration::seconds(1));
    mail::worker::deliver_due(&app.state).await.unwrap();
    let delivered = rows(&app).await;
    assert_eq!(delivered[0].0, 2, "two attempts");
    assert!(delivered[0].1.is_some(), "sent");
    assert_eq!(eml_files(&app), 1);
    let mail = app.mailbox().await;
    assert_eq!(mail[0].subject, "Message 0");
}

#[actix_web::test]
async fn back_off_doubles_after_each_failure() {
    let app = TestApp::spawn().await;
    let dir = app.state.settings.mail_dir();
    std::fs::remove_dir_all(&dir).unwrap();
    std::fs::write(&dir, b"not a folder").unwrap();
    enqueue(&app, 1).await;
    for wait in [30, 60, 120] {
        mail::worker::deliver_due(&app.state).await.unwrap();
        app.clock.advance(Duration::seconds(wait - 1));
        mail::worker::deliver_due(&app.state).await.unwrap();
        app.clock.advance(Duration::seconds(1));
    }
    // Three failed attempts so far (one per wait), none early.
    let rows_now = rows(&app).await;
    assert_eq!(rows_now[0].0, 3);
    std::fs::remove_file(&dir).unwrap();
    std::fs::create_dir(&dir).unwrap();
    app.clock.advance(Duration::seconds(240));
    mail::worker::deliver_due(&app.state).await.unwrap();
    assert!(rows(&app).await[0].1.is_some());
}

/// A test app that delivers through `smtp`.
async fn with_smtp(smtp: &FakeSmtp) -> TestApp {
    let url = smtp.url.clone();
    TestApp::spawn_with(move |f| f.merge(Serialized::default("smtp_url", url))).await
}

/// Runs delivery passes until the outbox has nothing due (the app's own worker runs too).
async fn drain(app: &TestApp) {
    for _ in 0..200 {
        mail::worker::deliver_due(&app.state).await.unwrap();
        if rows(app).await.iter().all(|(_, sent, _)| sent.is_some()) {
            return;
        }
        tokio::time::sleep(std::time::Duration::from_millis(10)).await;
    }
}

#[actix_web::test]
async fn with_smtp_configured_each_message_goes_to_the_server_once_and_no_file_is_written() {
    let smtp = FakeSmtp::start().await;
    let app = with_smtp(&smtp).await;
    enqueue(&app, 7).await;
    drain(&app).await;
    let received = smtp.received();
    assert_eq!(received.len(), 7, "one SMTP transaction per message");
    for n in 0..7 {
        let copies = received
            .iter()
            .filter(|m| m.contains(&format!("Subject: Message {n}\n")))
            .count();
        assert_eq!(copies, 1, "message {n} was sent {copies} times");
    }
    assert!(received[0].contains("To: person"), "{}", received[0]);
    assert!(
        rows(&app)
            .await
            .iter()
            .all(|(attempts, sent, error)| { *attempts == 1 && sent.is_some() && error.is_none() })
    );
    assert_eq!(eml_files(&app), 0);
}

#[actix_web::test]
async fn an_smtp_server_saying_try_later_gets_the_message_again_after_the_back_off() {
    let smtp = FakeSmtp::start().await;
    smtp.refuse_recipients(true);
    let app = with_smtp(&smtp).await;
    enqueue(&app, 1).await;
    mail::worker::deliver_due(&app.state).await.unwrap();
    let refused = rows(&app).await;
    assert_eq!(refused[0].0, 1);
    assert!(refused[0].1.is_none(), "not sent");
    let reason = refused[0].2.clone().unwrap_or_default();
    assert!(
        reason.contains("451"),
        "the server's answer is kept: {reason}"
    );
    assert!(smtp.received().is_empty());

    smtp.refuse_recipients(false);
    app.clock.advance(Duration::seconds(30));
    drain(&app).await;
    let delivered = rows(&app).await;
    assert_eq!(delivered[0].0, 2, "two attempts");
    assert!(delivered[0].1.is_some(), "sent");
    assert_eq!(smtp.received().len(), 1);
}

#[actix_web::test]
async fn an_smtp_server_that_accepts_and_then_stalls_is_given_up_on_and_tried_again_later() {
    let smtp = FakeSmtp::start().await;
    smtp.stall(true);
    let app = with_smtp(&smtp).await;
    enqueue(&app, 1).await;
    let pass = tokio::time::timeout(
        std::time::Duration::from_secs(30),
        mail::worker::deliver_due(&app.state),
    )
    .await;
    pass.expect("the delivery pass gives up on a stalled server")
        .unwrap();
    let stalled = rows(&app).await;
    assert!(stalled[0].1.is_none(), "not sent");
    let reason = stalled[0].2.clone().unwrap_or_default();
    assert!(reason.contains("did not answer"), "{reason}");

    smtp.stall(false);
    app.clock.advance(Duration::seconds(30));
    drain(&app).await;
    assert!(rows(&app).await[0].1.is_some(), "sent on the next attempt");
    assert_eq!(smtp.received().len(), 1);
}
