//! The caller's profile: names and email (kept on the account), phone, mailing address,
//! previous supervisors and conditions of employment, read with an ETag and replaced only with
//! a matching `If-Match`.

use chrono::{DateTime, Utc};
use merit_domain::{
    account::{Account, EmailAddress, PersonName},
    ids::AccountId,
    message::MessageKind,
    profile::Profile,
    reference::{CountyCode, DepartmentCode},
};
use merit_persistence::{DbConnection, RepoError, accounts, profiles, reference};
use serde_json::json;

use crate::{
    auth::AuthUser,
    conditional::{IfMatch, entity_tag},
    error::{ApiError, Code, FieldError},
    services::{
        accounts::{check_current_password, send_verification},
        audit::{self, AuditKind},
        messages::{self, EmailTo, Notice},
    },
    state::AppState,
};

/// A profile as read: the account's contact fields, the rest, and the version tag.
#[derive(Debug, Clone)]
pub struct ProfileView {
    /// The account (names, email, verification).
    pub account: Account,
    /// Everything else (empty when never saved).
    pub profile: Profile,
    /// When the profile was last saved, if ever.
    pub updated_at: Option<DateTime<Utc>>,
    /// How many times it was saved.
    pub version: i64,
    /// The strong ETag of this version.
    pub etag: String,
}

/// A checked replacement of the profile.
#[derive(Debug, Clone)]
pub struct ProfileUpdate {
    /// Given name.
    pub first_name: PersonName,
    /// Family name.
    pub last_name: PersonName,
    /// The email address (sign-in and contact).
    pub email: Option<EmailAddress>,
    /// The current password, needed when the email address changes.
    pub current_password: Option<String>,
    /// Everything else.
    pub profile: Profile,
}

/// Reference codes a request names, each with the path of the field that names it.
#[derive(Debug, Clone, Default)]
pub struct NamedCodes {
    /// Counties, such as `("conditions.counties[1]", yolo)`.
    pub counties: Vec<(String, CountyCode)>,
    /// Departments.
    pub departments: Vec<(String, DepartmentCode)>,
}

/// A profile request as checked without the database.
#[derive(Debug)]
pub struct ProfileInput {
    /// The update, or the 422 naming every field that is bad in itself.
    pub update: Result<ProfileUpdate, ApiError>,
    /// The counties and departments it names, which must exist.
    pub codes: NamedCodes,
}

/// Reads the profile of `account_id`.
pub fn read(conn: &mut DbConnection, account_id: AccountId) -> Result<ProfileView, ApiError> {
    let account =
        accounts::find(conn, account_id)?.ok_or_else(|| ApiError::not_found("profile"))?;
    let stored = profiles::find(conn, account_id)?;
    let stamp = profiles::account_stamp(conn, account_id)?;
    let version = stored.as_ref().map_or(0, |s| s.version);
    Ok(ProfileView {
        account,
        etag: entity_tag(&format!("{version}-{}", stamp.timestamp_micros())),
        updated_at: stored.as_ref().map(|s| s.updated_at),
        version,
        profile: stored.map(|s| s.profile).unwrap_or_default(),
    })
}

fn email_key(email: Option<&EmailAddress>) -> Option<String> {
    email.map(EmailAddress::key)
}

/// Replaces the caller's profile. The update must name the version it is based on
/// (`If-Match`); a new email address needs the current password, is unverified until its new
/// link is used, and the previous address is told.
pub async fn update(
    state: &AppState,
    user: &AuthUser,
    input: ProfileInput,
    if_match: IfMatch,
) -> Result<ProfileView, ApiError> {
    let update = checked(state, input).await?;
    let if_match = if_match.required()?;
    let email_changed = email_key(update.email.as_ref()) != email_key(user.account.email.as_ref());
    if email_changed {
        check_password(
            state,
            user,
            update.email.as_ref(),
            update.current_password.clone(),
        )
        .await?;
    }
    let (now, worker, id) = (state.clock.now(), state.clone(), user.account.id);
    let previous = user.account.clone();
    let view = state
        .db
        .write(move |conn| {
            profiles::lock_person(conn, id)?;
            let current = read(conn, id)?;
            if_match.check(&current.etag)?;
            save(conn, id, &update, email_changed, &current, now)?;
            if email_changed {
                after_email_change(conn, &worker, &previous, now)?;
            }
            read(conn, id)
        })
        .await?;
    if email_changed {
        state.wake_mailer();
    }
    Ok(view)
}

/// Changes the caller's profile to what `edit` makes of the current one (a merge patch
/// applied to it). `If-Match` is required and checked against the version read before the
/// edit, and again when saving, so the change is always based on the version it names.
pub async fn patch(
    state: &AppState,
    user: &AuthUser,
    edit: impl FnOnce(&ProfileView) -> Result<ProfileInput, ApiError>,
    if_match: IfMatch,
) -> Result<ProfileView, ApiError> {
    let if_match = if_match.required()?;
    let id = user.account.id;
    let current = state.db.read(move |conn| read(conn, id)).await?;
    if_match.check(&current.etag)?;
    let input = edit(&current)?;
    update(state, user, input, if_match).await
}

/// A changed email address needs the current password (422 otherwise; a wrong one counts
/// towards the lockout); removing the address of an account that has one is not possible.
async fn check_password(
    state: &AppState,
    user: &AuthUser,
    new_email: Option<&EmailAddress>,
    password: Option<String>,
) -> Result<(), ApiError> {
    if new_email.is_none() {
        return Err(ApiError::invalid(
            "email",
            "email_required",
            "An account that has an email address keeps one; give the new address instead.",
        ));
    }
    let Some(password) = password else {
        return Err(ApiError::invalid(
            "current_password",
            "current_password_required",
            "Changing the email address needs your current password.",
        ));
    };
    check_current_password(state, user, password).await
}

/// The update when every field is valid and every county and department it names exists;
/// otherwise one 422 naming every bad field, unknown codes included. The codes are looked up
/// before the write: reference data is only ever added, never removed, so a code found here
/// still exists when the profile is saved.
async fn checked(state: &AppState, input: ProfileInput) -> Result<ProfileUpdate, ApiError> {
    let codes = input.codes;
    let unknown = if codes.counties.is_empty() && codes.departments.is_empty() {
        Vec::new()
    } else {
        state
            .db
            .read(move |conn| unknown_codes(conn, &codes))
            .await?
    };
    match input.update {
        Ok(update) if unknown.is_empty() => Ok(update),
        Ok(_) => Err(ApiError::Validation { errors: unknown }),
        Err(ApiError::Validation { mut errors }) => {
            errors.extend(unknown);
            Err(ApiError::Validation { errors })
        }
        Err(other) => Err(other),
    }
}

/// An error for each named county or department that does not exist, under its own path.
fn unknown_codes(conn: &mut DbConnection, codes: &NamedCodes) -> Result<Vec<FieldError>, ApiError> {
    let mut errors = Vec::new();
    for (path, county) in &codes.counties {
        if reference::find_location(conn, county.as_str())?.is_none() {
            errors.push(FieldError::new(
                path,
                "unknown_county",
                format!("There is no county {county}; see GET /api/v1/locations."),
            ));
        }
    }
    for (path, department) in &codes.departments {
        if reference::find_department(conn, department.as_str())?.is_none() {
            errors.push(FieldError::new(
                path,
                "unknown_department",
                format!("There is no department {department}; see GET /api/v1/departments."),
            ));
        }
    }
    Ok(errors)
}

fn save(
    conn: &mut DbConnection,
    id: AccountId,
    update: &ProfileUpdate,
    email_changed: bool,
    current: &ProfileView,
    now: DateTime<Utc>,
) -> Result<(), ApiError> {
    profiles::update_account_contact(
        conn,
        id,
        &update.first_name,
        &update.last_name,
        update.email.as_ref(),
        email_changed,
        now,
    )
    .map_err(|e| match e {
        RepoError::Conflict { constraint } if constraint == "accounts_email_key" => {
            ApiError::new(Code::EmailTaken, "Another account uses this email address.")
        }
        other => other.into(),
    })?;
    if profiles::save(conn, id, &update.profile, current.version, now)? {
        Ok(())
    } else {
        Err(ApiError::PreconditionFailed)
    }
}

/// Sends a verification link to the new address, tells the old one, and audits the change.
fn after_email_change(
    conn: &mut DbConnection,
    state: &AppState,
    previous: &Account,
    now: DateTime<Utc>,
) -> Result<(), ApiError> {
    let account =
        accounts::find(conn, previous.id)?.ok_or_else(|| ApiError::not_found("profile"))?;
    if let Some(new_email) = &account.email {
        send_verification(conn, state, &account, new_email, now)?;
    }
    // The account notice goes to the inbox and, always, to the previous address.
    let notice = Notice {
        kind: MessageKind::Account,
        template: "email_changed",
        subject: "Your email address was changed".to_owned(),
        paragraphs: vec![
            "The email address of your Merit account was just changed, and the previous address no longer signs in. If you made this change, there is nothing to do.".to_owned(),
            "If you did not, someone may know your password: contact the service desk at once so they can lock the account and give it back to you.".to_owned(),
        ],
        application_id: None,
        posting_id: None,
    };
    let email_to = match &previous.email {
        Some(old_email) => EmailTo::Address(old_email.as_str().to_owned()),
        None => EmailTo::Nowhere,
    };
    messages::send_notice(conn, &account, notice, email_to, now)?;
    audit::record(
        conn,
        AuditKind::EmailChanged,
        Some(account.id),
        Some(account.id),
        json!({}),
        now,
    )?;
    Ok(())
}
