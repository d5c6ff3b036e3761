//! The registry of problem codes: one row per code, with its HTTP status and title.
//!
//! A problem's `code`, `type`, `status` and `title` all come from its row here, so they cannot
//! disagree. To add a code: add one row (keep the rows grouped by status), answer it with
//! `ApiError::new(Code::YourCode, "what happened and what to do")`, and add the same code with
//! its status to the table in `docs/API-DESIGN.md` (a test fails until the two agree).

use actix_web::http::StatusCode;

macro_rules! problem_codes {
    ($($variant:ident $code:literal $status:ident $title:literal;)*) => {
        /// A stable problem code (see the registry in `docs/API-DESIGN.md`).
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum Code {
            $(
                #[doc = $title]
                $variant,
            )*
        }

        impl Code {
            /// Every code, in registry order.
            pub const ALL: &'static [Code] = &[$(Code::$variant),*];

            /// The code as clients see it (`code`, and `type` after `urn:merit:problem:`).
            pub const fn as_str(self) -> &'static str {
                match self {
                    $(Code::$variant => $code,)*
                }
            }

            /// The HTTP status of every problem with this code.
            pub const fn status(self) -> StatusCode {
                match self {
                    $(Code::$variant => StatusCode::$status,)*
                }
            }

            /// The problem's `title`: a short summary of the kind of problem.
            pub const fn title(self) -> &'static str {
                match self {
                    $(Code::$variant => $title,)*
                }
            }
        }
    };
}

problem_codes! {
    // variant                code                          status                  title
    MalformedJson             "malformed_json"              BAD_REQUEST             "Malformed JSON";
    MalformedCsv              "malformed_csv"               BAD_REQUEST             "Malformed CSV";
    IncompleteBody            "incomplete_body"             BAD_REQUEST             "Incomplete body";
    InvalidQuery              "invalid_query"               BAD_REQUEST             "Invalid query string";
    InvalidCursor             "invalid_cursor"              BAD_REQUEST             "Invalid cursor";
    InvalidToken              "invalid_token"               BAD_REQUEST             "Invalid token";
    MalformedMultipart        "malformed_multipart"         BAD_REQUEST             "Malformed multipart body";
    MalformedHeader           "malformed_header"            BAD_REQUEST             "Malformed header";
    InvalidIdempotencyKey     "invalid_idempotency_key"     BAD_REQUEST             "Invalid Idempotency-Key";
    Unauthenticated           "unauthenticated"             UNAUTHORIZED            "Not signed in";
    TokenExpired              "token_expired"               UNAUTHORIZED            "Access token expired";
    SessionEnded              "session_ended"               UNAUTHORIZED            "Session ended";
    InvalidCredentials        "invalid_credentials"         UNAUTHORIZED            "Invalid credentials";
    TemporaryPasswordExpired  "temporary_password_expired"  UNAUTHORIZED            "Temporary password expired";
    InvalidRefreshToken       "invalid_refresh_token"       UNAUTHORIZED            "Invalid refresh token";
    Forbidden                 "forbidden"                   FORBIDDEN               "Forbidden";
    PasswordChangeRequired    "password_change_required"    FORBIDDEN               "Password change required";
    NoDepartment              "no_department"               FORBIDDEN               "No department";
    InsufficientScope         "insufficient_scope"          FORBIDDEN               "Insufficient scope";
    NotAnApplicant            "not_an_applicant"            FORBIDDEN               "Not an applicant";
    AccountMerged             "account_merged"              FORBIDDEN               "Account merged";
    NotFound                  "not_found"                   NOT_FOUND               "Not found";
    MethodNotAllowed          "method_not_allowed"          METHOD_NOT_ALLOWED      "Method not allowed";
    Conflict                  "conflict"                    CONFLICT                "Conflict";
    AlreadyExists             "already_exists"              CONFLICT                "Already exists";
    UsernameTaken             "username_taken"              CONFLICT                "Username taken";
    EmailTaken                "email_taken"                 CONFLICT                "Email taken";
    CannotChangeOwnAccess     "cannot_change_own_access"    CONFLICT                "Cannot change own access";
    AlreadyVerified           "already_verified"            CONFLICT                "Already verified";
    NoEmail                   "no_email"                    CONFLICT                "No email";
    MissingReference          "missing_reference"           CONFLICT                "Missing reference";
    InvalidTransition         "invalid_transition"          CONFLICT                "Invalid transition";
    PostingNotEditable        "posting_not_editable"        CONFLICT                "Posting not editable";
    SavedSearchLimitReached   "saved_search_limit_reached"  CONFLICT                "Saved search limit reached";
    SavedSearchNameTaken      "saved_search_name_taken"     CONFLICT                "Saved search name taken";
    AlertLimitReached         "alert_limit_reached"         CONFLICT                "Alert limit reached";
    TemplateNameTaken         "template_name_taken"         CONFLICT                "Template name taken";
    TemplateLimitReached      "template_limit_reached"      CONFLICT                "Template limit reached";
    DocumentQuotaExceeded     "document_quota_exceeded"     CONFLICT                "Document quota exceeded";
    ExamClosed                "exam_closed"                 CONFLICT                "Exam closed";
    RetakeNotAllowedYet       "retake_not_allowed_yet"      CONFLICT                "Retake not allowed yet";
    FilingClosed              "filing_closed"               CONFLICT                "Filing closed";
    AlreadyApplied            "already_applied"             CONFLICT                "Already applied";
    ApplicationNotDraft       "application_not_draft"       CONFLICT                "Application not a draft";
    ApplicationNotSubmitted   "application_not_submitted"   CONFLICT                "Application not submitted";
    DocumentsMissing          "documents_missing"           CONFLICT                "Documents missing";
    EmailNotVerified          "email_not_verified"          CONFLICT                "Email not verified";
    EligibilityRequired       "eligibility_required"        CONFLICT                "Eligibility required";
    EligibilityExpired        "eligibility_expired"         CONFLICT                "Eligibility expired";
    ApplicationFinal          "application_final"           CONFLICT                "Application final";
    AlreadyHired              "already_hired"               CONFLICT                "Already hired";
    PostingNotClosed          "posting_not_closed"          CONFLICT                "Posting not closed";
    ApplicationsNotFinal      "applications_not_final"      CONFLICT                "Applications not final";
    AlreadyFilled             "already_filled"              CONFLICT                "Already filled";
    RequestTimeout            "request_timeout"             REQUEST_TIMEOUT         "Request timeout";
    OutboxEmailNotFailed      "outbox_email_not_failed"     CONFLICT                "Email not failed";
    CaseAlreadyOpen           "case_already_open"           CONFLICT                "Case already open";
    CaseClosed                "case_closed"                 CONFLICT                "Case closed";
    NotAnIndividualCase       "not_an_individual_case"      CONFLICT                "Not an individual's case";
    ResponseClosed            "response_closed"             CONFLICT                "Response closed";
    AppointmentConflict       "appointment_conflict"        CONFLICT                "Appointment conflict";
    AppointmentCancelled      "appointment_cancelled"       CONFLICT                "Appointment cancelled";
    AnnouncementWithdrawn     "announcement_withdrawn"      CONFLICT                "Announcement withdrawn";
    ApiClientRevoked          "api_client_revoked"          CONFLICT                "API client revoked";
    AlreadyMerged             "already_merged"              CONFLICT                "Already merged";
    MergeIntoItself           "merge_into_itself"           CONFLICT                "Merge into itself";
    MergeTargetNotEmployee    "merge_target_not_employee"   CONFLICT                "Merge target not an employee";
    MergeSourceNotExternal    "merge_source_not_external"   CONFLICT                "Merge source not an applicant's account";
    MergeBlocked              "merge_blocked"               CONFLICT                "Merge blocked";
    WebhookClientRevoked      "webhook_client_revoked"      CONFLICT                "API client revoked";
    WebhookEndpointDisabled   "webhook_endpoint_disabled"   CONFLICT                "Webhook endpoint disabled";
    SurveyAlreadyAnswered     "survey_already_answered"     CONFLICT                "Survey already answered";
    SurveyClosed              "survey_closed"               CONFLICT                "Survey closed";
    PreconditionFailed        "precondition_failed"         PRECONDITION_FAILED     "Precondition failed";
    PayloadTooLarge           "payload_too_large"           PAYLOAD_TOO_LARGE       "Payload too large";
    UnsupportedMediaType      "unsupported_media_type"      UNSUPPORTED_MEDIA_TYPE  "Unsupported media type";
    UnsupportedDocumentType   "unsupported_document_type"   UNSUPPORTED_MEDIA_TYPE  "Unsupported document type";
    ValidationFailed          "validation_failed"           UNPROCESSABLE_ENTITY    "Validation failed";
    IdempotencyKeyReused      "idempotency_key_reused"      UNPROCESSABLE_ENTITY    "Idempotency key reused";
    PreconditionRequired      "precondition_required"       PRECONDITION_REQUIRED   "Precondition required";
    TooManyRequests           "too_many_requests"           TOO_MANY_REQUESTS       "Too many requests";
    InternalError             "internal_error"              INTERNAL_SERVER_ERROR   "Internal error";
    DatabaseUnavailable       "database_unavailable"        SERVICE_UNAVAILABLE     "Database unavailable";
    Busy                      "busy"                        SERVICE_UNAVAILABLE     "Busy";
    StorageUnavailable        "storage_unavailable"         SERVICE_UNAVAILABLE     "Storage unavailable";
    NotReady                  "not_ready"                   SERVICE_UNAVAILABLE     "Not ready";
}

impl std::fmt::Display for Code {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl PartialEq<&str> for Code {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use super::Code;

    /// The `(status, code)` pairs of the problem-code table in `docs/API-DESIGN.md`: the rows
    /// between the `### Problem codes` heading and the next blank line; a row may name several
    /// codes (`a` / `b`).
    fn documented() -> BTreeSet<(u16, String)> {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../docs/API-DESIGN.md");
        let doc = std::fs::read_to_string(path).expect("docs/API-DESIGN.md is readable");
        let table = doc
            .split("### Problem codes")
            .nth(1)
            .expect("API-DESIGN.md has a Problem codes section");
        let mut pairs = BTreeSet::new();
        for line in table.lines().skip_while(|l| !l.starts_with('|')) {
            if !line.starts_with('|') {
                break;
            }
            let cells: Vec<&str> = line.split('|').map(str::trim).collect();
            let Ok(status) = cells[1].parse::<u16>() else {
                continue;
            };
            for code in cells[2].split('/') {
                pairs.insert((status, code.trim().trim_matches('`').to_owned()));
            }
        }
        pairs
    }

    #[test]
    fn the_docs_registry_lists_exactly_the_codes_of_the_table() {
        let table: BTreeSet<(u16, String)> = Code::ALL
            .iter()
            .map(|c| (c.status().as_u16(), c.as_str().to_owned()))
            .collect();
        let docs = documented();
        let missing: Vec<_> = table.difference(&docs).collect();
        let extra: Vec<_> = docs.difference(&table).collect();
        assert!(
            missing.is_empty() && extra.is_empty(),
            "docs/API-DESIGN.md lacks {missing:?} and lists {extra:?} that the table in api/src/error/codes.rs does not"
        );
    }

    #[test]
    fn codes_are_unique_snake_case() {
        let mut seen = BTreeSet::new();
        for code in Code::ALL {
            let text = code.as_str();
            assert!(seen.insert(text), "{text} appears twice");
            assert!(
                text.chars().all(|c| c.is_ascii_lowercase() || c == '_'),
                "{text} is not snake_case"
            );
        }
    }
}
