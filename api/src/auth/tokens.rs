//! Access tokens (JWT) and opaque random tokens.
//!
//! Access tokens are HS256 JWTs (RFC 8725 practice): the algorithm is pinned, `iss`, `aud`,
//! `exp` and the `at+jwt` type are checked, and `kid` picks the key from a fixed map, so keys can
//! be rotated (the previous key keeps verifying until its tokens expire). Expiry is checked
//! against Merit's clock, not the system's, so tests can move time. Refresh tokens and email
//! links are opaque: 256 random bits, stored only as SHA-256 hashes.

use std::path::Path;

use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};
use chrono::{DateTime, TimeDelta, Utc};
use jsonwebtoken::{
    Algorithm, DecodingKey, EncodingKey, Header, Validation, decode, decode_header, encode,
};
use merit_domain::ids::{AccountId, SessionId};
use rand::RngCore;
use secrecy::{ExposeSecret, SecretString};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

/// Who issues and who accepts Merit's access tokens.
pub const ISSUER: &str = "merit";
/// The audience of access tokens.
pub const AUDIENCE: &str = "merit-api";
/// The JWT `typ` header of access tokens (RFC 9068).
pub const ACCESS_TYPE: &str = "at+jwt";
/// How long an access token lives.
pub const ACCESS_TTL: TimeDelta = TimeDelta::minutes(15);

/// The fewest bytes a configured signing secret may have (RFC 8725 §3.5: an HS256 key needs
/// enough entropy; a memorable password is not one). Generated secrets have 43.
pub const MIN_SECRET_BYTES: usize = 32;

/// The claims of an access token.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct AccessClaims {
    /// Issuer.
    pub iss: String,
    /// Audience.
    pub aud: String,
    /// The account id.
    pub sub: String,
    /// The session id.
    pub sid: String,
    /// Issued at (seconds).
    pub iat: i64,
    /// Expires at (seconds).
    pub exp: i64,
    /// The machine client the token was issued to (RFC 9068 `client_id`), for tokens of the
    /// client-credentials grant; `sub` is then the client's service account and `sid` is empty.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub client_id: Option<String>,
    /// The permissions granted to the token (RFC 9068 `scope`), for client tokens.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scope: Option<String>,
}

struct Key {
    id: String,
    encoding: EncodingKey,
    decoding: DecodingKey,
}

impl Key {
    fn new(secret: &[u8]) -> Key {
        let id = hex::encode(&Sha256::digest(secret)[..8]);
        Key {
            id,
            encoding: EncodingKey::from_secret(secret),
            decoding: DecodingKey::from_secret(secret),
        }
    }
}

/// The signing key and the keys still accepted.
pub struct TokenKeys {
    current: Key,
    previous: Option<Key>,
}

impl std::fmt::Debug for TokenKeys {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TokenKeys")
            .field("kid", &self.current.id)
            .finish_non_exhaustive()
    }
}

/// Why an access token was refused (all are 401 to the client).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenError {
    /// Not a well-formed JWT of ours: bad signature, algorithm, type, key, issuer or audience.
    Invalid,
    /// Past its expiry.
    Expired,
}

impl TokenKeys {
    /// Keys from secrets (the current one signs; the previous one, if any, still verifies).
    pub fn new(current: &SecretString, previous: Option<&SecretString>) -> Self {
        TokenKeys {
            current: Key::new(current.expose_secret().as_bytes()),
            previous: previous.map(|p| Key::new(p.expose_secret().as_bytes())),
        }
    }

    /// The configured secret, or one generated once and kept in `data_dir/jwt-secret`. A
    /// configured secret shorter than [`MIN_SECRET_BYTES`] is refused.
    ///
    /// The file appears whole or not at all, and only once: the secret is written and synced to
    /// a temporary file, which is then hard-linked to `jwt-secret` (a link fails when the name
    /// exists). So instances starting at the same moment over one data dir agree on one secret:
    /// the one whose link lands first wins and the others read its file.
    pub fn load_or_create_secret(
        configured: Option<&SecretString>,
        data_dir: &Path,
    ) -> std::io::Result<SecretString> {
        if let Some(secret) = configured {
            check_strength(secret)?;
            return Ok(secret.clone());
        }
        let path = data_dir.join(SECRET_FILE);
        match std::fs::read_to_string(&path) {
            Ok(existing) => return kept_secret(&path, &existing),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => return Err(e),
        }
        std::fs::create_dir_all(data_dir)?;
        let secret = random_token();
        match publish_once(data_dir, &path, &secret) {
            Ok(()) => Ok(SecretString::from(secret)),
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
                kept_secret(&path, &std::fs::read_to_string(&path)?)
            }
            Err(e) => Err(e),
        }
    }

    /// Signs an access token for `account_id` in session `session_id`, valid from `now` for
    /// [`ACCESS_TTL`].
    pub fn issue(
        &self,
        account_id: AccountId,
        session_id: SessionId,
        now: DateTime<Utc>,
    ) -> String {
        let claims = AccessClaims {
            iss: ISSUER.into(),
            aud: AUDIENCE.into(),
            sub: account_id.to_string(),
            sid: session_id.to_string(),
            iat: now.timestamp(),
            exp: (now + ACCESS_TTL).timestamp(),
            client_id: None,
            scope: None,
        };
        self.sign(&claims)
    }

    /// An access token for a machine client acting as `account_id`, granting `scope`; lives
    /// [`ACCESS_TTL`].
    pub fn issue_for_client(
        &self,
        account_id: AccountId,
        client_id: &str,
        scope: &str,
        now: DateTime<Utc>,
    ) -> String {
        self.sign(&AccessClaims {
            iss: ISSUER.into(),
            aud: AUDIENCE.into(),
            sub: account_id.to_string(),
            sid: String::new(),
            iat: now.timestamp(),
            exp: (now + ACCESS_TTL).timestamp(),
            client_id: Some(client_id.into()),
            scope: Some(scope.into()),
        })
    }

    fn sign(&self, claims: &AccessClaims) -> String {
        let mut header = Header::new(Algorithm::HS256);
        header.typ = Some(ACCESS_TYPE.into());
        header.kid = Some(self.current.id.clone());
        encode(&header, claims, &self.current.encoding).unwrap_or_default()
    }

    /// Verifies an access token at `now`.
    pub fn verify(&self, token: &str, now: DateTime<Utc>) -> Result<AccessClaims, TokenError> {
        let header = decode_header(token).map_err(|_| TokenError::Invalid)?;
        if header.alg != Algorithm::HS256 || header.typ.as_deref() != Some(ACCESS_TYPE) {
            return Err(TokenError::Invalid);
        }
        let kid = header.kid.ok_or(TokenError::Invalid)?;
        let key = [Some(&self.current), self.previous.as_ref()]
            .into_iter()
            .flatten()
            .find(|k| k.id == kid)
            .ok_or(TokenError::Invalid)?;
        let mut validation = Validation::new(Algorithm::HS256);
        validation.set_issuer(&[ISSUER]);
        validation.set_audience(&[AUDIENCE]);
        validation.set_required_spec_claims(&["exp", "iss", "aud", "sub"]);
        validation.validate_exp = false;
        let claims = decode::<AccessClaims>(token, &key.decoding, &validation)
            .map_err(|_| TokenError::Invalid)?
            .claims;
        if claims.exp <= now.timestamp() {
            return Err(TokenError::Expired);
        }
        if claims.iat > now.timestamp() + 60 {
            return Err(TokenError::Invalid);
        }
        Ok(claims)
    }
}

/// Refuses a signing secret shorter than [`MIN_SECRET_BYTES`].
pub fn check_strength(secret: &SecretString) -> std::io::Result<()> {
    if secret.expose_secret().len() < MIN_SECRET_BYTES {
        return Err(std::io::Error::new(
            std::io::ErrorKind::InvalidInput,
            format!(
                "a token signing secret needs at least {MIN_SECRET_BYTES} bytes; leave MERIT_JWT_SECRET unset to have one generated"
            ),
        ));
    }
    Ok(())
}

/// A new opaque token: 256 random bits, base64url.
pub fn random_token() -> String {
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    URL_SAFE_NO_PAD.encode(bytes)
}

/// `n` random bytes (for temporary passwords).
pub fn random_bytes(n: usize) -> Vec<u8> {
    let mut bytes = vec![0u8; n];
    rand::rng().fill_bytes(&mut bytes);
    bytes
}

/// How opaque tokens are stored: SHA-256, hex. A stolen database holds no usable token.
pub fn token_hash(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

/// The name of the generated signing key in the data dir.
const SECRET_FILE: &str = "jwt-secret";

/// The secret kept in `path`, refused when too short (a file edited by hand or cut short by an
/// older version of Merit: replacing it would sign out everyone and split instances).
fn kept_secret(path: &Path, contents: &str) -> std::io::Result<SecretString> {
    let secret = contents.trim();
    if secret.len() < MIN_SECRET_BYTES {
        return Err(std::io::Error::new(
            std::io::ErrorKind::InvalidData,
            format!(
                "{} holds fewer than {MIN_SECRET_BYTES} bytes: remove it (everyone signs in again) or set MERIT_JWT_SECRET",
                path.display()
            ),
        ));
    }
    Ok(SecretString::from(secret.to_owned()))
}

/// Writes `contents` to a private temporary file in `dir`, syncs it, then links it to `path`,
/// which fails with `AlreadyExists` when another process got there first. The temporary name is
/// removed either way.
fn publish_once(dir: &Path, path: &Path, contents: &str) -> std::io::Result<()> {
    use std::io::Write;
    let temporary = dir.join(format!(".{SECRET_FILE}.{}.tmp", random_token()));
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let written = options.open(&temporary).and_then(|mut file| {
        file.write_all(contents.as_bytes())?;
        file.sync_all()
    });
    let linked = written.and_then(|()| std::fs::hard_link(&temporary, path));
    let _ = std::fs::remove_file(&temporary);
    linked?;
    // The new name is durable once the directory is synced (not possible on every platform).
    if let Ok(directory) = std::fs::File::open(dir) {
        let _ = directory.sync_all();
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;
    use merit_domain::ids::{EntityId, Uuid};

    use super::*;

    fn keys() -> TokenKeys {
        TokenKeys::new(
            &SecretString::from("a-test-secret-of-at-least-32-bytes!!"),
            None,
        )
    }

    fn now() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 3, 2, 9, 30, 0).unwrap()
    }

    #[test]
    fn an_issued_token_verifies_until_it_expires() {
        let keys = keys();
        let (account, session) = (
            AccountId::from_uuid(Uuid::from_u128(1)),
            SessionId::from_uuid(Uuid::from_u128(2)),
        );
        let token = keys.issue(account, session, now());
        let claims = keys.verify(&token, now() + TimeDelta::minutes(14)).unwrap();
        assert_eq!(
            (claims.sub, claims.sid),
            (account.to_string(), session.to_string())
        );
        assert_eq!(
            keys.verify(&token, now() + TimeDelta::minutes(15)),
            Err(TokenError::Expired)
        );
    }

    #[test]
    fn a_token_signed_with_another_key_is_invalid() {
        let other = TokenKeys::new(
            &SecretString::from("another-secret-of-at-least-32-bytes!"),
            None,
        );
        let token = other.issue(
            AccountId::from_uuid(Uuid::nil()),
            SessionId::from_uuid(Uuid::nil()),
            now(),
        );
        assert_eq!(keys().verify(&token, now()), Err(TokenError::Invalid));
    }

    #[test]
    fn the_previous_key_still_verifies_after_rotation() {
        let old_secret = SecretString::from("a-test-secret-of-at-least-32-bytes!!");
        let token = TokenKeys::new(&old_secret, None).issue(
            AccountId::from_uuid(Uuid::nil()),
            SessionId::from_uuid(Uuid::nil()),
            now(),
        );
        let rotated = TokenKeys::new(
            &SecretString::from("a-brand-new-secret-of-32-bytes-or-so"),
            Some(&old_secret),
        );
        assert!(rotated.verify(&token, now()).is_ok());
    }

    #[test]
    fn a_short_configured_secret_is_refused() {
        let dir = std::env::temp_dir();
        let short = SecretString::from("hunter2");
        assert!(TokenKeys::load_or_create_secret(Some(&short), &dir).is_err());
        let long = SecretString::from("a-test-secret-of-at-least-32-bytes!!");
        assert!(TokenKeys::load_or_create_secret(Some(&long), &dir).is_ok());
    }

    #[test]
    fn instances_starting_at_once_over_one_data_dir_agree_on_one_generated_secret() {
        for _ in 0..20 {
            let dir = tempfile::tempdir().unwrap();
            let start = std::sync::Arc::new(std::sync::Barrier::new(2));
            let instances: Vec<_> = (0..2)
                .map(|_| {
                    let (start, dir) = (start.clone(), dir.path().to_owned());
                    std::thread::spawn(move || {
                        start.wait();
                        TokenKeys::load_or_create_secret(None, &dir)
                            .unwrap()
                            .expose_secret()
                            .to_owned()
                    })
                })
                .collect();
            let secrets: Vec<String> = instances.into_iter().map(|t| t.join().unwrap()).collect();
            assert_eq!(secrets[0], secrets[1]);
            assert!(secrets[0].len() >= MIN_SECRET_BYTES);
            let kept = std::fs::read_to_string(dir.path().join(SECRET_FILE)).unwrap();
            assert_eq!(kept, secrets[0]);
            let names: Vec<_> = std::fs::read_dir(dir.path())
                .unwrap()
                .map(|e| e.unwrap().file_name())
                .collect();
            assert_eq!(names, [SECRET_FILE], "no temporary file is left");
        }
    }

    #[test]
    fn the_generated_secret_is_kept_private_and_read_again() {
        let dir = tempfile::tempdir().unwrap();
        let first = TokenKeys::load_or_create_secret(None, dir.path()).unwrap();
        let again = TokenKeys::load_or_create_secret(None, dir.path()).unwrap();
        assert_eq!(first.expose_secret(), again.expose_secret());
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(dir.path().join(SECRET_FILE))
                .unwrap()
                .permissions()
                .mode();
            assert_eq!(mode & 0o777, 0o600);
        }
    }

    #[test]
    fn a_kept_secret_cut_short_is_refused_not_replaced() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join(SECRET_FILE), "short").unwrap();
        let error = TokenKeys::load_or_create_secret(None, dir.path()).unwrap_err();
        assert_eq!(error.kind(), std::io::ErrorKind::InvalidData);
        assert_eq!(
            std::fs::read_to_string(dir.path().join(SECRET_FILE)).unwrap(),
            "short"
        );
    }

    #[test]
    fn opaque_tokens_are_256_bits_and_stored_hashed() {
        let token = random_token();
        assert_eq!(URL_SAFE_NO_PAD.decode(&token).unwrap().len(), 32);
        assert_eq!(token_hash(&token).len(), 64);
        assert_ne!(token_hash(&token), token);
    }
}
