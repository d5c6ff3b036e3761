//! Email addresses.

use std::fmt;

use thiserror::Error;

/// A syntactically plausible email address, kept as given but compared in lower case.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct EmailAddress(String);

/// Why an email address was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Error)]
pub enum EmailError {
    /// Longer than 254 characters (RFC 5321's limit).
    #[error("an email address has at most 254 characters")]
    TooLong,
    /// Not `local@domain.tld` with printable characters and no spaces.
    #[error("this is not an email address")]
    Malformed,
}

impl EmailAddress {
    /// Accepts `local@domain` where both parts are non-empty, the domain has a dot, and there
    /// are no spaces or control characters. Deliverability is proven by the verification link.
    pub fn parse(raw: &str) -> Result<Self, EmailError> {
        if raw.chars().count() > 254 {
            return Err(EmailError::TooLong);
        }
        let (local, domain) = raw.rsplit_once('@').ok_or(EmailError::Malformed)?;
        let printable = |s: &str| s.chars().all(|c| !c.is_whitespace() && !c.is_control());
        let domain_ok = domain.contains('.')
            && !domain.starts_with('.')
            && !domain.ends_with('.')
            && !domain.contains("..")
            && !domain.contains('@');
        if local.is_empty()
            || local.len() > 64
            || !domain_ok
            || !printable(local)
            || !printable(domain)
        {
            return Err(EmailError::Malformed);
        }
        Ok(EmailAddress(raw.to_owned()))
    }

    /// The address as given.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The lower-case form used to find and compare addresses.
    pub fn key(&self) -> String {
        self.0.to_lowercase()
    }

    /// The part before the `@`.
    pub fn local_part(&self) -> &str {
        self.0
            .rsplit_once('@')
            .map_or(self.0.as_str(), |(local, _)| local)
    }
}

impl fmt::Display for EmailAddress {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_ordinary_address_is_accepted_and_keyed_in_lower_case() {
        let email = EmailAddress::parse("Jane.Doe@Example.ORG").unwrap();
        assert_eq!(email.key(), "jane.doe@example.org");
        assert_eq!(email.local_part(), "Jane.Doe");
    }

    #[test]
    fn addresses_without_a_dotted_domain_or_with_spaces_are_refused() {
        for bad in [
            "jane",
            "jane@",
            "@example.org",
            "jane@localhost",
            "ja ne@example.org",
            "jane@example..org",
        ] {
            assert_eq!(
                EmailAddress::parse(bad),
                Err(EmailError::Malformed),
                "{bad}"
            );
        }
    }
}
