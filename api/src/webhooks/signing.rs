//! Standard Webhooks v1 signatures: `v1,<base64 HMAC-SHA256 of "{id}.{timestamp}.{body}">`
//! keyed by the endpoint's secret, shown to integrators as `whsec_<base64 of the key>`.

use base64::{Engine, engine::general_purpose::STANDARD};
use chrono::{DateTime, Utc};
use hmac::{Hmac, Mac};
use rand::RngCore;
use sha2::Sha256;

const PREFIX: &str = "whsec_";
/// Key bytes of a new secret (the spec asks for at least 24).
const KEY_BYTES: usize = 32;

/// A new random signing secret, `whsec_<base64 of 32 random bytes>`.
pub fn new_secret() -> String {
    let mut key = [0u8; KEY_BYTES];
    rand::rng().fill_bytes(&mut key);
    format!("{PREFIX}{}", STANDARD.encode(key))
}

/// The key of a stored secret; `None` when it is not one Merit made.
fn key(secret: &str) -> Option<Vec<u8>> {
    STANDARD.decode(secret.strip_prefix(PREFIX)?).ok()
}

/// The `v1,<base64>` signature of one message with one secret.
pub fn sign(secret: &str, id: &str, timestamp: i64, body: &str) -> Option<String> {
    let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(&key(secret)?).ok()?;
    mac.update(id.as_bytes());
    mac.update(b".");
    mac.update(timestamp.to_string().as_bytes());
    mac.update(b".");
    mac.update(body.as_bytes());
    Some(format!(
        "v1,{}",
        STANDARD.encode(mac.finalize().into_bytes())
    ))
}

/// The secrets a message is signed with at `now`: the current one, and the previous one while
/// its overlap after a rotation lasts.
pub fn signing_secrets<'a>(
    current: &'a str,
    previous: Option<&'a str>,
    previous_until: Option<DateTime<Utc>>,
    now: DateTime<Utc>,
) -> Vec<&'a str> {
    let mut secrets = vec![current];
    if let (Some(previous), Some(until)) = (previous, previous_until)
        && now < until
    {
        secrets.push(previous);
    }
    secrets
}

/// The `webhook-signature` header: each secret's signature, space-separated.
pub fn signature_header(secrets: &[&str], id: &str, timestamp: i64, body: &str) -> String {
    secrets
        .iter()
        .filter_map(|secret| sign(secret, id, timestamp, body))
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use chrono::TimeDelta;

    use super::*;

    /// The Standard Webhooks specification's own example (spec/standard-webhooks.md).
    #[test]
    fn the_specification_example_signs_as_published() {
        let secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
        let body = r#"{"test": 2432232314}"#;
        assert_eq!(
            sign(secret, "msg_p5jXN8AQM9LWM0D4loKWxJek", 1614265330, body).as_deref(),
            Some("v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=")
        );
    }

    #[test]
    fn a_new_secret_holds_32_random_bytes() {
        let a = new_secret();
        let b = new_secret();
        assert_ne!(a, b);
        assert_eq!(key(&a).map(|k| k.len()), Some(32));
    }

    #[test]
    fn the_previous_secret_signs_only_during_its_overlap() {
        let now = DateTime::<Utc>::UNIX_EPOCH;
        let later = now + TimeDelta::hours(24);
        assert_eq!(
            signing_secrets("a", Some("b"), Some(later), now),
            ["a", "b"]
        );
        assert_eq!(signing_secrets("a", Some("b"), Some(later), later), ["a"]);
        assert_eq!(signing_secrets("a", None, None, now), ["a"]);
        let old = new_secret();
        let new = new_secret();
        let header = signature_header(&[&new, &old], "id", 1, "{}");
        assert_eq!(header.split(' ').count(), 2);
        assert!(header.starts_with("v1,"));
    }
}
