//! Recording and reading security events.

use chrono::{DateTime, Utc};
use merit_domain::ids::AccountId;
use merit_persistence::{DbConnection, RepoResult, audit};
use serde_json::Value;

/// The kinds of event the audit log records.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AuditKind {
    /// A successful sign-in.
    SignIn,
    /// A failed sign-in for an existing account.
    SignInFailed,
    /// A wrong current password in a signed-in session (password or email change); it counts
    /// towards the lock like a failed sign-in.
    CurrentPasswordFailed,
    /// Too many failures locked the account.
    AccountLocked,
    /// An admin unlocked the account.
    AccountUnlocked,
    /// The owner changed their password.
    PasswordChanged,
    /// A password was reset by email link or set for the first time.
    PasswordReset,
    /// A reset link (or the staff notice) was emailed.
    PasswordResetRequested,
    /// An admin issued a temporary password.
    TemporaryPasswordIssued,
    /// An account was created.
    AccountCreated,
    /// An admin changed an account's roles or bindings.
    RolesChanged,
    /// An admin disabled an account.
    AccountDisabled,
    /// An admin re-enabled an account.
    AccountEnabled,
    /// An admin imported the employee roster.
    RosterImported,
    /// An employee activated their Employee ID.
    EmployeeActivated,
    /// A used refresh token was presented again; its session was ended.
    RefreshTokenReused,
    /// A session was ended by signing out.
    SignedOut,
    /// An email address was verified.
    EmailVerified,
    /// The owner changed their email address (it must be verified again).
    EmailChanged,
    /// An admin queued a failed email again.
    OutboxEmailRequeued,
    /// A staff member (or admin) opened a case.
    CaseOpened,
    /// A case was assigned to another staff member.
    CaseAssigned,
    /// A case's status changed (closing included).
    CaseStatusChanged,
    /// A service was recorded on a case.
    CaseActivityRecorded,
    /// A job placement was recorded on a case.
    CasePlacementRecorded,
    /// A job alert was turned off by the one-click unsubscribe link of its email.
    AlertUnsubscribed,
    /// A department sent contact letters about a posting.
    ContactLettersSent,
    /// A person answered a contact letter.
    ContactLetterAnswered,
    /// A department recorded a waiver of appointment.
    AppointmentWaiverRecorded,
    /// Staff created a letter template.
    LetterTemplateCreated,
    /// Staff sent a letter (correspondence) to a case's person.
    CorrespondenceSent,
    /// An appointment was made on a staff member's calendar.
    AppointmentCreated,
    /// An appointment was changed (time, place, case, staff member or status).
    AppointmentUpdated,
    /// An appointment was cancelled.
    AppointmentCancelled,
    /// An admin published an announcement.
    AnnouncementPublished,
    /// An admin changed an announcement.
    AnnouncementUpdated,
    /// An admin withdrew an announcement.
    AnnouncementWithdrawn,
    /// A staff member chose their dashboard's widgets.
    DashboardWidgetsChanged,
    /// An admin created a machine client.
    ApiClientCreated,
    /// An admin rotated a machine client's secret.
    ApiClientSecretRotated,
    /// An admin revoked a machine client.
    ApiClientRevoked,
    /// A machine client was issued an access token.
    ApiClientTokenIssued,
    /// A machine client changed something (a successful write through the API).
    ApiClientRequest,
    /// A profile was merged into this (Employee ID) account; the details list what moved.
    ProfileMerged,
    /// This account was merged into another and closed.
    AccountMerged,
    /// A wrong password for the other account of a self-service profile merge (it counts
    /// towards that account's lock like a failed sign-in), or a wrong emailed code (it counts
    /// towards the code's tries; details `proof: code`).
    MergeProofFailed,
    /// A code to prove control of another account for a profile merge was emailed to it (actor
    /// the employee who asked, subject that account).
    MergeCodeSent,
    /// An admin added a webhook endpoint to an API client.
    WebhookEndpointCreated,
    /// An admin changed a webhook endpoint (address, event types, enabled).
    WebhookEndpointUpdated,
    /// An admin deleted a webhook endpoint.
    WebhookEndpointDeleted,
    /// An admin rotated a webhook endpoint's signing secret.
    WebhookSecretRotated,
    /// Merit disabled a webhook endpoint (410 Gone, or a delivery given up).
    WebhookEndpointDisabled,
    /// An admin asked for an event to be delivered again.
    WebhookRedeliveryRequested,
    /// An admin added a staff resource or labour-market link.
    StaffLinkAdded,
    /// An admin changed a staff resource or labour-market link.
    StaffLinkUpdated,
    /// An admin removed a staff resource or labour-market link.
    StaffLinkRemoved,
    /// An admin created a survey.
    SurveyCreated,
    /// A staff member answered a survey.
    SurveyAnswered,
}

impl AuditKind {
    /// Every kind.
    pub const ALL: [AuditKind; 58] = [
        AuditKind::SignIn,
        AuditKind::SignInFailed,
        AuditKind::CurrentPasswordFailed,
        AuditKind::AccountLocked,
        AuditKind::AccountUnlocked,
        AuditKind::PasswordChanged,
        AuditKind::PasswordReset,
        AuditKind::PasswordResetRequested,
        AuditKind::TemporaryPasswordIssued,
        AuditKind::AccountCreated,
        AuditKind::RolesChanged,
        AuditKind::AccountDisabled,
        AuditKind::AccountEnabled,
        AuditKind::RosterImported,
        AuditKind::EmployeeActivated,
        AuditKind::RefreshTokenReused,
        AuditKind::SignedOut,
        AuditKind::EmailVerified,
        AuditKind::EmailChanged,
        AuditKind::OutboxEmailRequeued,
        AuditKind::CaseOpened,
        AuditKind::CaseAssigned,
        AuditKind::CaseStatusChanged,
        AuditKind::CaseActivityRecorded,
        AuditKind::CasePlacementRecorded,
        AuditKind::AlertUnsubscribed,
        AuditKind::ContactLettersSent,
        AuditKind::ContactLetterAnswered,
        AuditKind::AppointmentWaiverRecorded,
        AuditKind::LetterTemplateCreated,
        AuditKind::CorrespondenceSent,
        AuditKind::AppointmentCreated,
        AuditKind::AppointmentUpdated,
        AuditKind::AppointmentCancelled,
        AuditKind::AnnouncementPublished,
        AuditKind::AnnouncementUpdated,
        AuditKind::AnnouncementWithdrawn,
        AuditKind::DashboardWidgetsChanged,
        AuditKind::ApiClientCreated,
        AuditKind::ApiClientSecretRotated,
        AuditKind::ApiClientRevoked,
        AuditKind::ApiClientTokenIssued,
        AuditKind::ApiClientRequest,
        AuditKind::ProfileMerged,
        AuditKind::AccountMerged,
        AuditKind::MergeProofFailed,
        AuditKind::MergeCodeSent,
        AuditKind::WebhookEndpointCreated,
        AuditKind::WebhookEndpointUpdated,
        AuditKind::WebhookEndpointDeleted,
        AuditKind::WebhookSecretRotated,
        AuditKind::WebhookEndpointDisabled,
        AuditKind::WebhookRedeliveryRequested,
        AuditKind::StaffLinkAdded,
        AuditKind::StaffLinkUpdated,
        AuditKind::StaffLinkRemoved,
        AuditKind::SurveyCreated,
        AuditKind::SurveyAnswered,
    ];

    /// The kind's name in the API and the database.
    pub fn as_str(self) -> &'static str {
        match self {
            AuditKind::SignIn => "sign_in",
            AuditKind::SignInFailed => "sign_in_failed",
            AuditKind::CurrentPasswordFailed => "current_password_failed",
            AuditKind::AccountLocked => "account_locked",
            AuditKind::AccountUnlocked => "account_unlocked",
            AuditKind::PasswordChanged => "password_changed",
            AuditKind::PasswordReset => "password_reset",
            AuditKind::PasswordResetRequested => "password_reset_requested",
            AuditKind::TemporaryPasswordIssued => "temporary_password_issued",
            AuditKind::AccountCreated => "account_created",
            AuditKind::RolesChanged => "roles_changed",
            AuditKind::AccountDisabled => "account_disabled",
            AuditKind::AccountEnabled => "account_enabled",
            AuditKind::RosterImported => "roster_imported",
            AuditKind::EmployeeActivated => "employee_activated",
            AuditKind::RefreshTokenReused => "refresh_token_reused",
            AuditKind::SignedOut => "signed_out",
            AuditKind::EmailVerified => "email_verified",
            AuditKind::EmailChanged => "email_changed",
            AuditKind::OutboxEmailRequeued => "outbox_email_requeued",
            AuditKind::CaseOpened => "case_opened",
            AuditKind::CaseAssigned => "case_assigned",
            AuditKind::CaseStatusChanged => "case_status_changed",
            AuditKind::CaseActivityRecorded => "case_activity_recorded",
            AuditKind::CasePlacementRecorded => "case_placement_recorded",
            AuditKind::AlertUnsubscribed => "alert_unsubscribed",
            AuditKind::ContactLettersSent => "contact_letters_sent",
            AuditKind::ContactLetterAnswered => "contact_letter_answered",
            AuditKind::AppointmentWaiverRecorded => "appointment_waiver_recorded",
            AuditKind::LetterTemplateCreated => "letter_template_created",
            AuditKind::CorrespondenceSent => "correspondence_sent",
            AuditKind::AppointmentCreated => "appointment_created",
            AuditKind::AppointmentUpdated => "appointment_updated",
            AuditKind::AppointmentCancelled => "appointment_cancelled",
            AuditKind::AnnouncementPublished => "announcement_published",
            AuditKind::AnnouncementUpdated => "announcement_updated",
            AuditKind::AnnouncementWithdrawn => "announcement_withdrawn",
            AuditKind::DashboardWidgetsChanged => "dashboard_widgets_changed",
            AuditKind::ApiClientCreated => "api_client_created",
            AuditKind::ApiClientSecretRotated => "api_client_secret_rotated",
            AuditKind::ApiClientRevoked => "api_client_revoked",
            AuditKind::ApiClientTokenIssued => "api_client_token_issued",
            AuditKind::ApiClientRequest => "api_client_request",
            AuditKind::ProfileMerged => "profile_merged",
            AuditKind::AccountMerged => "account_merged",
            AuditKind::MergeProofFailed => "merge_proof_failed",
            AuditKind::MergeCodeSent => "merge_code_sent",
            AuditKind::WebhookEndpointCreated => "webhook_endpoint_created",
            AuditKind::WebhookEndpointUpdated => "webhook_endpoint_updated",
            AuditKind::WebhookEndpointDeleted => "webhook_endpoint_deleted",
            AuditKind::WebhookSecretRotated => "webhook_secret_rotated",
            AuditKind::WebhookEndpointDisabled => "webhook_endpoint_disabled",
            AuditKind::WebhookRedeliveryRequested => "webhook_redelivery_requested",
            AuditKind::StaffLinkAdded => "staff_link_added",
            AuditKind::StaffLinkUpdated => "staff_link_updated",
            AuditKind::StaffLinkRemoved => "staff_link_removed",
            AuditKind::SurveyCreated => "survey_created",
            AuditKind::SurveyAnswered => "survey_answered",
        }
    }

    /// Parses a kind's name.
    pub fn parse(name: &str) -> Option<AuditKind> {
        AuditKind::ALL.into_iter().find(|k| k.as_str() == name)
    }
}

/// Records an event in the caller's transaction. `details` must hold no secrets or personal
/// data beyond ids.
pub fn record(
    conn: &mut DbConnection,
    kind: AuditKind,
    actor: Option<AccountId>,
    subject: Option<AccountId>,
    details: Value,
    now: DateTime<Utc>,
) -> RepoResult<()> {
    audit::record(
        conn,
        &audit::AuditEvent {
            id: uuid::Uuid::now_v7().to_string(),
            occurred_at: now,
            kind: kind.as_str().to_owned(),
            actor_account_id: actor.map(|id| id.to_string()),
            subject_account_id: subject.map(|id| id.to_string()),
            details: details.to_string(),
        },
    )
}
