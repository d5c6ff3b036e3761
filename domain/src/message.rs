//! Messages: every notice Merit sends a person lands in their inbox as a message; email is one
//! delivery channel of it, which the person may turn off per kind, except for the kinds that
//! must always reach them by email.

/// What a message is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum MessageKind {
    /// An application was received, changed status, was withdrawn or cancelled.
    ApplicationStatus,
    /// Something happened to the account itself (its email address was changed).
    Account,
    /// New postings matched one of the person's job alerts.
    JobAlert,
    /// A department's contact letter (employment inquiry) about a posting.
    ContactLetter,
    /// A letter from the staff member working the person's case (correspondence).
    Correspondence,
}

impl MessageKind {
    /// Every kind, in the order the API lists them.
    pub const ALL: [MessageKind; 5] = [
        MessageKind::ApplicationStatus,
        MessageKind::Account,
        MessageKind::JobAlert,
        MessageKind::ContactLetter,
        MessageKind::Correspondence,
    ];

    /// The kind's name in the API and the database.
    pub fn as_str(self) -> &'static str {
        match self {
            MessageKind::ApplicationStatus => "application_status",
            MessageKind::Account => "account",
            MessageKind::JobAlert => "job_alert",
            MessageKind::ContactLetter => "contact_letter",
            MessageKind::Correspondence => "correspondence",
        }
    }

    /// Parses a kind's name.
    pub fn parse(name: &str) -> Option<MessageKind> {
        MessageKind::ALL.into_iter().find(|k| k.as_str() == name)
    }

    /// Whether messages of this kind always go by email too, whatever the person prefers:
    /// account and legal notices must reach the address on file.
    pub fn always_emailed(self) -> bool {
        match self {
            MessageKind::Account => true,
            MessageKind::ApplicationStatus
            | MessageKind::JobAlert
            | MessageKind::ContactLetter
            | MessageKind::Correspondence => false,
        }
    }
}

/// A person's email preferences: the kinds they turned email off for. Kinds not listed go by
/// email (the default).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct EmailPreferences {
    off: Vec<MessageKind>,
}

/// A kind that always goes by email cannot be turned off.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("{} messages always go by email", .0.as_str())]
pub struct AlwaysEmailed(pub MessageKind);

impl EmailPreferences {
    /// Preferences with email turned off for `off`; refused if any of them is always emailed.
    pub fn new(off: impl IntoIterator<Item = MessageKind>) -> Result<Self, AlwaysEmailed> {
        let mut kinds: Vec<MessageKind> = off.into_iter().collect();
        if let Some(kind) = kinds.iter().find(|k| k.always_emailed()) {
            return Err(AlwaysEmailed(*kind));
        }
        kinds.sort();
        kinds.dedup();
        Ok(EmailPreferences { off: kinds })
    }

    /// Preferences as stored, ignoring opt-outs of kinds that are always emailed (a rule that
    /// tightened after they were stored still holds).
    pub fn stored(off: impl IntoIterator<Item = MessageKind>) -> Self {
        let mut kinds: Vec<MessageKind> = off.into_iter().filter(|k| !k.always_emailed()).collect();
        kinds.sort();
        kinds.dedup();
        EmailPreferences { off: kinds }
    }

    /// Whether a message of `kind` goes by email too.
    pub fn emails(&self, kind: MessageKind) -> bool {
        kind.always_emailed() || !self.off.contains(&kind)
    }

    /// The kinds email is turned off for, in order.
    pub fn off(&self) -> &[MessageKind] {
        &self.off
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_round_trip_through_their_names() {
        for kind in MessageKind::ALL {
            assert_eq!(MessageKind::parse(kind.as_str()), Some(kind));
        }
        assert_eq!(MessageKind::parse("contact"), None);
    }

    #[test]
    fn every_kind_is_emailed_by_default() {
        let preferences = EmailPreferences::default();
        assert!(MessageKind::ALL.into_iter().all(|k| preferences.emails(k)));
    }

    #[test]
    fn a_kind_turned_off_is_not_emailed() {
        let preferences = EmailPreferences::new([MessageKind::ApplicationStatus]).unwrap();
        assert!(!preferences.emails(MessageKind::ApplicationStatus));
        assert!(preferences.emails(MessageKind::Account));
    }

    #[test]
    fn account_notices_cannot_be_turned_off() {
        assert_eq!(
            EmailPreferences::new([MessageKind::Account]),
            Err(AlwaysEmailed(MessageKind::Account))
        );
        let stored = EmailPreferences::stored([MessageKind::Account]);
        assert!(stored.emails(MessageKind::Account));
        assert!(stored.off().is_empty());
    }
}
