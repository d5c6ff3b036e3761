//! The captured mailbox: with no SMTP server, Merit writes `.eml` files to the mail folder.

use std::{path::PathBuf, time::Duration};

use super::TestApp;

/// A delivered email, decoded.
#[derive(Debug, Clone)]
#[allow(dead_code, reason = "every field is for some tests, not all")]
pub struct Mail {
    /// The recipient.
    pub to: String,
    /// The subject line.
    pub subject: String,
    /// The plain-text body.
    pub text: String,
    /// The header section, folded lines joined.
    pub headers: String,
}

impl Mail {
    /// The value of the header `name`, if present.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.lines().find_map(|line| {
            line.strip_prefix(name)
                .and_then(|rest| rest.strip_prefix(": "))
                .map(str::trim)
        })
    }

    /// The first link (a line starting with `http`) in the plain-text body.
    pub fn link(&self) -> Option<&str> {
        self.text
            .lines()
            .map(str::trim)
            .find(|line| line.starts_with("http"))
    }

    /// The `token` of the first link in the body.
    pub fn token(&self) -> Option<String> {
        let start = self.text.find("token=")? + "token=".len();
        let token: String = self.text[start..]
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
            .collect();
        (!token.is_empty()).then_some(token)
    }
}

fn header<'a>(raw: &'a str, name: &str) -> &'a str {
    raw.lines()
        .find_map(|line| {
            line.strip_prefix(name)
                .and_then(|rest| rest.strip_prefix(": "))
        })
        .unwrap_or_default()
        .trim()
}

/// Decodes quoted-printable text.
fn unquote(text: &str) -> String {
    let joined = text.replace("=\r\n", "").replace("=\n", "");
    let bytes = joined.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'='
            && i + 3 <= bytes.len()
            && let Ok(byte) = u8::from_str_radix(&joined[i + 1..i + 3], 16)
        {
            out.push(byte);
            i += 3;
            continue;
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// The plain-text part of a multipart message.
fn text_part(raw: &str) -> String {
    let Some(start) = raw.find("Content-Type: text/plain") else {
        return String::new();
    };
    let part = &raw[start..];
    let body_start = part
        .find("\r\n\r\n")
        .map(|i| i + 4)
        .or_else(|| part.find("\n\n").map(|i| i + 2))
        .unwrap_or(0);
    // Soft line breaks are joined before looking for the closing boundary: a line that a soft
    // break starts may begin with `--` (a link's token can hold `--`) without being a boundary.
    let body = part[body_start..].replace("=\r\n", "").replace("=\n", "");
    let end = body
        .find("\r\n--")
        .or_else(|| body.find("\n--"))
        .unwrap_or(body.len());
    unquote(&body[..end])
}

impl TestApp {
    fn mail_dir(&self) -> PathBuf {
        self.state.settings.mail_dir()
    }

    /// How many emails are due and not yet delivered (or given up).
    async fn due(&self) -> i64 {
        use diesel::prelude::*;
        use merit_api::clock::Clock;
        use merit_persistence::schema::outbox_emails::dsl::*;
        let now = self.clock.now().naive_utc();
        self.db
            .read(move |conn| {
                outbox_emails
                    .filter(sent_at.is_null())
                    .filter(failed_at.is_null())
                    .filter(next_attempt_at.le(now))
                    .count()
                    .get_result(conn)
                    .map_err(merit_api::error::ApiError::internal)
            })
            .await
            .expect("the outbox is readable")
    }

    /// Delivers every due email, then reads every email delivered so far, oldest first.
    ///
    /// The app's own outbox worker runs too, and an email it has claimed is skipped by this
    /// pass; so this repeats (briefly) until nothing due is left undelivered.
    pub async fn mailbox(&self) -> Vec<Mail> {
        for _ in 0..500 {
            merit_api::mail::worker::deliver_due(&self.state)
                .await
                .expect("due mail is delivered");
            if self.due().await == 0 {
                break;
            }
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
        let mut paths: Vec<PathBuf> = std::fs::read_dir(self.mail_dir())
            .map(|dir| {
                dir.filter_map(Result::ok)
                    .map(|e| e.path())
                    .filter(|p| p.extension().is_some_and(|x| x == "eml"))
                    .collect()
            })
            .unwrap_or_default();
        paths.sort();
        paths
            .into_iter()
            .map(|path| {
                let raw = std::fs::read_to_string(&path).expect("a readable email");
                let end = raw
                    .find("\r\n\r\n")
                    .or_else(|| raw.find("\n\n"))
                    .unwrap_or(raw.len());
                Mail {
                    to: header(&raw, "To").to_owned(),
                    subject: header(&raw, "Subject").to_owned(),
                    text: text_part(&raw),
                    headers: raw[..end]
                        .replace("\r\n", "\n")
                        .replace("\n ", " ")
                        .replace("\n\t", " "),
                }
            })
            .collect()
    }

    /// The emails delivered to `address` so far, oldest first.
    pub async fn mail_to(&self, address: &str) -> Vec<Mail> {
        self.mailbox()
            .await
            .into_iter()
            .filter(|m| m.to.contains(address))
            .collect()
    }

    /// The token of the newest link sent to `address`.
    pub async fn last_token_to(&self, address: &str) -> String {
        let mails = self.mail_to(address).await;
        mails
            .iter()
            .rev()
            .find_map(Mail::token)
            .unwrap_or_else(|| panic!("no email with a link to {address}: {mails:#?}"))
    }
}
