//! A fake SMTP server on loopback: speaks just enough SMTP for Merit's mailer, keeps what it
//! receives, and can be told to refuse recipients with a temporary or a permanent failure.

use std::sync::{
    Arc, Mutex,
    atomic::{AtomicBool, Ordering},
};

use tokio::{
    io::{AsyncBufReadExt, AsyncWriteExt, BufReader},
    net::{TcpListener, TcpStream},
};

/// A running fake SMTP server.
#[derive(Debug, Clone)]
pub struct FakeSmtp {
    /// `smtp://127.0.0.1:PORT` (no TLS).
    pub url: String,
    received: Arc<Mutex<Vec<String>>>,
    refusing: Arc<AtomicBool>,
    rejecting: Arc<AtomicBool>,
    stalling: Arc<AtomicBool>,
}

impl FakeSmtp {
    /// Starts the server on a free port.
    pub async fn start() -> FakeSmtp {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("smtp://{}", listener.local_addr().unwrap());
        let server = FakeSmtp {
            url,
            received: Arc::default(),
            refusing: Arc::default(),
            rejecting: Arc::default(),
            stalling: Arc::default(),
        };
        let shared = server.clone();
        tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                tokio::spawn(shared.clone().session(stream));
            }
        });
        server
    }

    /// From now on, answers every recipient with `451` (try again later), or accepts again.
    pub fn refuse_recipients(&self, refusing: bool) {
        self.refusing.store(refusing, Ordering::SeqCst);
    }

    /// From now on, answers every recipient with `550` (no such mailbox: a permanent failure),
    /// or accepts again.
    pub fn reject_recipients(&self, rejecting: bool) {
        self.rejecting.store(rejecting, Ordering::SeqCst);
    }

    /// From now on, accepts connections and then never answers, or answers again.
    pub fn stall(&self, stalling: bool) {
        self.stalling.store(stalling, Ordering::SeqCst);
    }

    /// The raw messages received so far (headers and body, as sent after `DATA`).
    pub fn received(&self) -> Vec<String> {
        self.received.lock().unwrap().clone()
    }

    async fn session(self, stream: TcpStream) {
        if self.stalling.load(Ordering::SeqCst) {
            // Hold the connection open without a greeting until the client gives up.
            let mut buffer = [0u8; 64];
            let mut stream = stream;
            while matches!(tokio::io::AsyncReadExt::read(&mut stream, &mut buffer).await, Ok(n) if n > 0)
            {
            }
            return;
        }
        let (read, mut write) = stream.into_split();
        let mut lines = BufReader::new(read).lines();
        let _ = write.write_all(b"220 fake.test ESMTP\r\n").await;
        while let Ok(Some(line)) = lines.next_line().await {
            let verb = line.get(..4).unwrap_or_default().to_ascii_uppercase();
            let answer: &[u8] = match verb.as_str() {
                "EHLO" | "HELO" => b"250 fake.test\r\n",
                "RCPT" if self.refusing.load(Ordering::SeqCst) => {
                    b"451 4.3.0 <someone@example.org> mailbox busy, try again later\r\n"
                }
                "RCPT" if self.rejecting.load(Ordering::SeqCst) => {
                    b"550 5.1.1 <someone@example.org> no such mailbox\r\n"
                }
                "DATA" => {
                    let _ = write.write_all(b"354 end with a dot\r\n").await;
                    let mut message = String::new();
                    while let Ok(Some(data)) = lines.next_line().await {
                        if data == "." {
                            break;
                        }
                        message.push_str(&data);
                        message.push('\n');
                    }
                    self.received.lock().unwrap().push(message);
                    b"250 2.0.0 queued\r\n"
                }
                "QUIT" => {
                    let _ = write.write_all(b"221 bye\r\n").await;
                    return;
                }
                _ => b"250 ok\r\n",
            };
            if write.write_all(answer).await.is_err() {
                return;
            }
        }
    }
}
