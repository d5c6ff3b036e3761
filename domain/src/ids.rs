//! Typed entity ids: one newtype over a UUID per entity, so an account id cannot be passed
//! where a posting id is expected.
//!
//! Ids are made by the application (UUIDv7, time-ordered) outside the domain, which draws no
//! randomness: `PostingId::from_uuid(Uuid::now_v7())`. On the wire and in the database an id is
//! its lowercase hyphenated text. [`parse`](AccountId::parse) accepts only that form, so an id
//! read from a path or a body either names a possible entity or is refused before any query.

use std::{fmt, str::FromStr};

pub use uuid::Uuid;

/// The text is not an id of this kind of entity.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("`{0}` is not a valid id")]
pub struct InvalidId(pub String);

/// What every typed id can do.
pub trait EntityId: Copy + Eq + fmt::Display + FromStr<Err = InvalidId> {
    /// Wraps a UUID made elsewhere.
    fn from_uuid(uuid: Uuid) -> Self;
    /// The UUID inside.
    fn uuid(&self) -> Uuid;
}

/// The canonical text of an id, as a regular expression (what [`parse_uuid`] accepts).
pub const ID_PATTERN: &str = "^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$";

/// Parses the canonical text of a UUID (36 characters, lowercase hyphenated), refusing the
/// other forms `uuid` would take (braces, URNs, no hyphens, upper case), so each id has exactly
/// one spelling and compares equal to what the database holds.
pub fn parse_uuid(text: &str) -> Result<Uuid, InvalidId> {
    let uuid = Uuid::try_parse(text).map_err(|_| InvalidId(text.to_owned()))?;
    let mut buffer = Uuid::encode_buffer();
    if uuid.hyphenated().encode_lower(&mut buffer) == text {
        Ok(uuid)
    } else {
        Err(InvalidId(text.to_owned()))
    }
}

macro_rules! entity_ids {
    ($($(#[$doc:meta])* $name:ident;)+) => {$(
        $(#[$doc])*
        #[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub struct $name(Uuid);

        impl $name {
            /// Parses an id's canonical text.
            pub fn parse(text: &str) -> Result<Self, InvalidId> {
                parse_uuid(text).map(Self)
            }
        }

        impl EntityId for $name {
            fn from_uuid(uuid: Uuid) -> Self {
                Self(uuid)
            }
            fn uuid(&self) -> Uuid {
                self.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                fmt::Display::fmt(&self.0.hyphenated(), f)
            }
        }

        impl fmt::Debug for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write!(f, concat!(stringify!($name), "({})"), self.0.hyphenated())
            }
        }

        impl FromStr for $name {
            type Err = InvalidId;
            fn from_str(text: &str) -> Result<Self, InvalidId> {
                Self::parse(text)
            }
        }
    )+};
}

// Webhooks (kept apart from the list below so other additions to it merge cleanly).
entity_ids! {
    /// A webhook endpoint (an integrator's subscription).
    WebhookEndpointId;
    /// A webhook event (its id is the `webhook-id` of every delivery of it).
    WebhookEventId;
    /// One endpoint's delivery of one event (retried until it lands or is given up).
    WebhookDeliveryId;
    /// One attempt at a delivery, in the endpoint's delivery log.
    WebhookAttemptId;
}

entity_ids! {
    /// A sign-in account (and the person it belongs to).
    AccountId;
    /// A sign-in session (a refresh-token family).
    SessionId;
    /// A job posting.
    PostingId;
    /// An application template (STD 678).
    TemplateId;
    /// An uploaded document.
    DocumentId;
    /// An exam.
    ExamId;
    /// A saved search.
    SavedSearchId;
    /// An application to a posting.
    ApplicationId;
    /// An application's status change.
    ApplicationEventId;
    /// A message in a person's inbox.
    MessageId;
    /// An email in the outbox.
    OutboxEmailId;
    /// An audit event.
    AuditEventId;
    /// A staff case (an individual's or an employer's).
    CaseId;
    /// A service recorded on a case.
    ActivityId;
    /// A job placement recorded on a case.
    PlacementId;
    /// A job alert (criteria watched for new postings).
    JobAlertId;
    /// A contact letter (employment inquiry) about a posting.
    ContactLetterId;
    /// A waiver of appointment.
    WaiverId;
    /// A staff office's letter template.
    LetterTemplateId;
    /// A letter staff sent a case's person (correspondence).
    CorrespondenceId;
    /// An appointment on a staff member's calendar.
    AppointmentId;
    /// An announcement to staff.
    AnnouncementId;
    /// A machine client (an integrator's OAuth 2.0 client).
    ApiClientId;
    /// A link admins keep for staff, on either shelf: a resource (a guide, a training video)
    /// or a labour-market link. Its row says which shelf.
    StaffLinkId;
    /// A survey of staff.
    SurveyId;
    /// A code emailed to prove control of an account in a profile merge.
    MergeCodeId;
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEXT: &str = "01938f4e-7c1a-7b2e-9c3d-4e5f60718293";

    #[test]
    fn an_id_round_trips_through_its_text() {
        let id = PostingId::parse(TEXT).expect("canonical text");
        assert_eq!(id.to_string(), TEXT);
        assert_eq!(id, PostingId::from_uuid(id.uuid()));
    }

    #[test]
    fn only_the_canonical_spelling_is_an_id() {
        for other in [
            "01938F4E-7C1A-7B2E-9C3D-4E5F60718293",
            "01938f4e7c1a7b2e9c3d4e5f60718293",
            "{01938f4e-7c1a-7b2e-9c3d-4e5f60718293}",
            "urn:uuid:01938f4e-7c1a-7b2e-9c3d-4e5f60718293",
            "not-an-id",
            "",
            "01938f4e-7c1a-7b2e-9c3d-4e5f6071829\0",
        ] {
            assert!(AccountId::parse(other).is_err(), "{other:?} was taken");
        }
    }

    #[test]
    fn debug_names_the_kind_of_id() {
        let id = ApplicationId::parse(TEXT).expect("canonical text");
        assert_eq!(format!("{id:?}"), format!("ApplicationId({TEXT})"));
    }
}
