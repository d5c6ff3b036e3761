//! A person's profile: contact details beyond the account (phone, mailing address, previous
//! supervisors), conditions of employment, application templates (the State application,
//! STD 678) and documents.

mod conditions;
mod contact;
mod document;
mod template;

pub use conditions::{ConditionsOfEmployment, TermsFilter};
pub use contact::{
    ContactError, EMAIL_PATTERN, MailingAddress, PhoneNumber, PostalCode, Supervisor, US_STATES,
    UsState, contact_email,
};
pub use document::{
    DocumentFormat, DocumentKind, DocumentQuota, DocumentTypeError, DocumentUsage, PlainTextCheck,
    QuotaExceeded, SafeFileName, Signature, settle_format,
};
pub use template::{
    Education, Language, Licence, MAX_TEMPLATES_PER_PERSON, Period, PeriodError, PositionSought,
    Salary, SalaryPeriod, StandardQuestion, TemplateContent, UnitKind, Units, WorkExperience,
};

/// The most previous supervisors a profile lists.
pub const MAX_SUPERVISORS: usize = 10;

/// What a profile holds besides the account's names and email address.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Profile {
    /// A phone number to reach the person.
    pub phone: Option<PhoneNumber>,
    /// Where letters go.
    pub mailing_address: Option<MailingAddress>,
    /// Previous supervisors who may be contacted, in the person's order.
    pub supervisors: Vec<Supervisor>,
    /// The jobs the person will take and whether they may be contacted about them.
    pub conditions: ConditionsOfEmployment,
}
