//! Webhook deliveries: the signing (Standard Webhooks v1), the rule for receivers' addresses,
//! the HTTP sender and the worker that delivers the outbox of events.

pub mod openapi;
pub mod payload;
pub mod signing;
pub mod worker;

use std::{
    net::{IpAddr, SocketAddr},
    sync::Arc,
    time::{Duration, Instant},
};

use merit_domain::webhook::is_public;
use reqwest::dns::{Addrs, Name, Resolve, Resolving};

/// How long a receiver has to answer (the spec suggests 15 to 30 s).
pub const TIMEOUT: Duration = Duration::from_secs(15);
/// How much of an answer's body the delivery log keeps.
pub const KEPT_BODY_BYTES: usize = 1024;
/// The longest endpoint address accepted.
pub const MAX_URL_LENGTH: usize = 2000;

/// Why an endpoint address is refused (the field error's code and message).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RefusedUrl {
    /// The field error code: `invalid_url`, `https_required`, `private_address`.
    pub code: &'static str,
    /// What to do about it.
    pub message: String,
}

fn refused(code: &'static str, message: impl Into<String>) -> RefusedUrl {
    RefusedUrl {
        code,
        message: message.into(),
    }
}

/// Checks a receiver's address: an absolute `https` URL without credentials whose host is not
/// a loopback, private, link-local or otherwise internal address (nor `localhost`). With
/// `allow_private` (development: `MERIT_WEBHOOKS_ALLOW_PRIVATE=true`) `http` and internal
/// hosts are accepted. Host names are checked again when a delivery resolves them.
pub fn check_url(text: &str, allow_private: bool) -> Result<url::Url, RefusedUrl> {
    if text.len() > MAX_URL_LENGTH {
        return Err(refused(
            "too_long",
            format!("url must be at most {MAX_URL_LENGTH} characters"),
        ));
    }
    let url = url::Url::parse(text)
        .map_err(|e| refused("invalid_url", format!("url is not an absolute URL: {e}")))?;
    match url.scheme() {
        "https" => {}
        "http" if allow_private => {}
        _ => {
            return Err(refused(
                "https_required",
                "url must use https (webhooks carry signed data)",
            ));
        }
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err(refused(
            "invalid_url",
            "url may not carry a user name or password",
        ));
    }
    if url.fragment().is_some() {
        return Err(refused(
            "invalid_url",
            "url may not carry a fragment (#...)",
        ));
    }
    let internal = match url.host() {
        None => return Err(refused("invalid_url", "url has no host")),
        Some(url::Host::Ipv4(ip)) => !is_public(IpAddr::V4(ip)),
        Some(url::Host::Ipv6(ip)) => !is_public(IpAddr::V6(ip)),
        Some(url::Host::Domain(name)) => {
            let name = name.trim_end_matches('.').to_ascii_lowercase();
            name == "localhost" || name.ends_with(".localhost") || !name.contains('.')
        }
    };
    if internal && !allow_private {
        return Err(refused(
            "private_address",
            "url names a loopback, private, link-local or internal host; webhooks go to public addresses only",
        ));
    }
    Ok(url)
}

/// Resolves host names like the system does, keeping public addresses only, so a name that
/// points inside the network (or is re-pointed there later) gets no delivery.
#[derive(Debug, Clone, Copy)]
struct PublicOnly;

impl Resolve for PublicOnly {
    fn resolve(&self, name: Name) -> Resolving {
        let host = name.as_str().to_owned();
        Box::pin(async move {
            let found: Vec<SocketAddr> =
                tokio::net::lookup_host((host.as_str(), 0)).await?.collect();
            let public: Vec<SocketAddr> = found.into_iter().filter(|a| is_public(a.ip())).collect();
            if public.is_empty() {
                return Err(format!("{host} resolves to no public address").into());
            }
            let addrs: Addrs = Box::new(public.into_iter());
            Ok(addrs)
        })
    }
}

/// What one attempt got.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Answer {
    /// The status; `None` when there was no answer.
    pub status: Option<u16>,
    /// How long it took, in milliseconds.
    pub latency_ms: i64,
    /// The first [`KEPT_BODY_BYTES`] of the body.
    pub body: Option<String>,
    /// Why there was no answer.
    pub error: Option<String>,
}

/// One signed message to send.
#[derive(Debug, Clone)]
pub struct Outgoing<'a> {
    /// The receiver.
    pub url: &'a str,
    /// `webhook-id`.
    pub id: &'a str,
    /// `webhook-timestamp` (Unix seconds).
    pub timestamp: i64,
    /// `webhook-signature`.
    pub signature: &'a str,
    /// The exact body.
    pub body: &'a str,
}

/// Sends webhooks: no redirects followed, no proxy, a 15 s timeout, and unless internal
/// addresses are allowed, host names resolved to public addresses only.
#[derive(Debug, Clone)]
pub struct Sender {
    client: reqwest::Client,
    allow_private: bool,
}

impl Sender {
    /// A sender; `allow_private` lets deliveries reach `http` and internal addresses.
    pub fn new(allow_private: bool) -> Result<Sender, reqwest::Error> {
        let mut builder = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .no_proxy()
            .timeout(TIMEOUT)
            .connect_timeout(Duration::from_secs(10))
            .user_agent(concat!("Merit-Webhooks/", env!("CARGO_PKG_VERSION")));
        if !allow_private {
            builder = builder.dns_resolver(Arc::new(PublicOnly));
        }
        Ok(Sender {
            client: builder.build()?,
            allow_private,
        })
    }

    /// Posts one message and reads the start of the answer.
    pub async fn send(&self, message: &Outgoing<'_>) -> Answer {
        let started = Instant::now();
        let elapsed =
            |started: Instant| i64::try_from(started.elapsed().as_millis()).unwrap_or(i64::MAX);
        if let Err(refusal) = check_url(message.url, self.allow_private) {
            return Answer {
                status: None,
                latency_ms: 0,
                body: None,
                error: Some(refusal.message),
            };
        }
        let sent = self
            .client
            .post(message.url)
            .header("content-type", "application/json")
            .header("webhook-id", message.id)
            .header("webhook-timestamp", message.timestamp.to_string())
            .header("webhook-signature", message.signature)
            .body(message.body.to_owned())
            .send()
            .await;
        let mut response = match sent {
            Ok(response) => response,
            Err(error) => {
                return Answer {
                    status: None,
                    latency_ms: elapsed(started),
                    body: None,
                    error: Some(describe(&error)),
                };
            }
        };
        let status = response.status().as_u16();
        let latency_ms = elapsed(started);
        let mut kept = Vec::new();
        while kept.len() < KEPT_BODY_BYTES {
            match response.chunk().await {
                Ok(Some(chunk)) => kept.extend_from_slice(&chunk),
                Ok(None) | Err(_) => break,
            }
        }
        kept.truncate(KEPT_BODY_BYTES);
        let body = String::from_utf8_lossy(&kept).into_owned();
        Answer {
            status: Some(status),
            latency_ms,
            body: (!body.is_empty()).then_some(body),
            error: None,
        }
    }
}

/// A failure's kind and cause chain, for the delivery log.
fn describe(error: &reqwest::Error) -> String {
    let kind = if error.is_timeout() {
        "timed out"
    } else if error.is_connect() {
        "could not connect"
    } else {
        "request failed"
    };
    let mut text = kind.to_owned();
    let mut source = std::error::Error::source(error);
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn public_https_addresses_are_accepted() {
        assert!(check_url("https://hooks.example.com/merit?x=1", false).is_ok());
        assert!(check_url("https://93.184.216.34:8443/in", false).is_ok());
    }

    #[test]
    fn internal_plain_and_odd_addresses_are_refused() {
        for (url, code) in [
            ("http://hooks.example.com/", "https_required"),
            ("ftp://hooks.example.com/", "https_required"),
            ("file:///etc/passwd", "https_required"),
            ("https://127.0.0.1/", "private_address"),
            (
                "https://169.254.169.254/latest/meta-data",
                "private_address",
            ),
            ("https://[::1]/", "private_address"),
            ("https://10.0.0.8/", "private_address"),
            ("https://localhost/", "private_address"),
            ("https://metadata/", "private_address"),
            ("https://user:pw@hooks.example.com/", "invalid_url"),
            ("https://hooks.example.com/#x", "invalid_url"),
            ("hooks.example.com/in", "invalid_url"),
        ] {
            assert_eq!(
                check_url(url, false).map_err(|e| e.code),
                Err(code),
                "{url}"
            );
        }
    }

    #[test]
    fn development_allows_http_and_loopback() {
        assert!(check_url("http://127.0.0.1:9000/hook", true).is_ok());
        assert!(check_url("http://localhost:9000/hook", true).is_ok());
        assert_eq!(
            check_url("ftp://127.0.0.1/", true).map_err(|e| e.code),
            Err("https_required")
        );
    }
}
