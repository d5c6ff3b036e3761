//! Profile merge: a person's external (email-registered) account merged into their Employee ID
//! account. One use case ([`merge`]) serves the admin path and the employee's own, which first
//! proves control of the other account with its password or an emailed code ([`merge_own`],
//! [`request_code`]).
//!
//! A dry run lists what would move, itemised, and every conflict with its resolution; the merge
//! applies the same plan in one transaction: rows are re-owned by the target, the target's
//! profile takes the chosen values, the source is closed (disabled, `merged_into` set), its
//! sessions end, and the whole plan is audited. See `docs/ARCHITECTURE.md`, "Profile merge".

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

use chrono::{DateTime, TimeDelta, Utc};
use merit_domain::{
    account::{Account, EmailAddress, LoginIdentifier, Role, RosterStatus},
    ids::{AccountId, ApplicationId, EntityId, MergeCodeId},
    merge::{DecidedBy, PersonDetails, ProfileField, Side, merge_details, renamed},
};
use merit_persistence::{
    DbConnection, accounts, merge_codes,
    merges::{self, Holdings, Moves},
    profiles, roster, sessions,
};
use serde_json::{Value, json};
use sha2::{Digest, Sha256};

use crate::{
    auth::{AuthUser, hashing::Verified},
    error::{ApiError, Code},
    mail::{self, templates},
    services::{
        applications::withdraw_for_merge,
        audit::{self, AuditKind},
        sessions::record_failure,
    },
    state::AppState,
};

/// The longest template and saved-search name (a renamed one fits it too).
const MAX_NAME_CHARS: usize = 100;

/// How the merge was asked for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Via {
    /// The employee, signed in, proved control of the other account (password or code).
    SelfService,
    /// An admin (the service desk) named both accounts.
    Admin,
}

impl Via {
    fn as_str(self) -> &'static str {
        match self {
            Via::SelfService => "self_service",
            Via::Admin => "admin",
        }
    }
}

/// The caller's decisions on conflicts.
#[derive(Debug, Clone, Default)]
pub struct Choices {
    /// Per profile field, whose value the target keeps.
    pub fields: BTreeMap<ProfileField, Side>,
    /// Per posting both applied to, whose application survives (field path, posting id, side).
    pub applications: Vec<(String, String, Side)>,
}

/// A checked merge request.
#[derive(Debug, Clone)]
pub struct MergeCommand {
    /// The account merged away (closed).
    pub source: AccountId,
    /// The surviving Employee ID account.
    pub target: AccountId,
    /// Only plan; change nothing.
    pub dry_run: bool,
    /// The caller's decisions.
    pub choices: Choices,
    /// Who asked, and how.
    pub via: Via,
}

/// What moves.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum ItemKind {
    /// An application template.
    Template,
    /// A document.
    Document,
    /// An exam attempt (result).
    ExamResult,
    /// An eligibility.
    Eligibility,
    /// An application.
    Application,
    /// A saved search.
    SavedSearch,
    /// A job alert.
    JobAlert,
    /// An inbox message.
    Message,
    /// A contact letter.
    ContactLetter,
    /// A waiver of appointment.
    Waiver,
    /// A staff case about the person.
    Case,
    /// A letter from staff.
    Correspondence,
}

impl ItemKind {
    fn as_str(self) -> &'static str {
        match self {
            ItemKind::Template => "template",
            ItemKind::Document => "document",
            ItemKind::ExamResult => "exam_result",
            ItemKind::Eligibility => "eligibility",
            ItemKind::Application => "application",
            ItemKind::SavedSearch => "saved_search",
            ItemKind::JobAlert => "job_alert",
            ItemKind::Message => "message",
            ItemKind::ContactLetter => "contact_letter",
            ItemKind::Waiver => "waiver",
            ItemKind::Case => "case",
            ItemKind::Correspondence => "correspondence",
        }
    }
}

/// One item that moves to the target.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Item {
    /// What it is.
    pub kind: ItemKind,
    /// Its id.
    pub id: String,
    /// Its name or title (after any renaming), where it has one.
    pub name: Option<String>,
    /// The posting it is about, where it is about one.
    pub posting_id: Option<String>,
    /// The classification, for exam results and eligibilities.
    pub classification_code: Option<String>,
}

/// What kind of conflict.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ConflictKind {
    /// A profile field whose two values differ.
    ProfileField,
    /// Both applied to the same posting.
    SamePosting,
    /// Both hold exam results for the same classification.
    SameClassification,
    /// A template name the target uses already.
    TemplateName,
    /// Both have a default template.
    DefaultTemplate,
    /// A saved-search name the target uses already.
    SavedSearchName,
    /// Both had a contact letter about the same posting.
    ContactLetter,
    /// Both have a waiver of appointment on the same posting.
    Waiver,
    /// Both have an open case in the same office.
    OpenCase,
}

/// How a conflict is resolved.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Resolution {
    /// The source's value or item wins.
    KeepSource,
    /// The target's value or item wins.
    KeepTarget,
    /// Both are kept (exam results: the better one counts).
    KeepBoth,
    /// The source's item moves under a new name.
    Rename,
    /// The source's item stays with the closed account.
    StaysWithClosedAccount,
    /// A choice is needed; the merge cannot proceed without it.
    ChoiceRequired,
}

/// One conflict and its resolution.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Conflict {
    /// What kind.
    pub kind: ConflictKind,
    /// The profile field, for `profile_field`.
    pub field: Option<ProfileField>,
    /// The posting, for `same_posting`, `contact_letter` and `waiver`.
    pub posting_id: Option<String>,
    /// The classification, for `same_classification`.
    pub classification_code: Option<String>,
    /// The office, for `open_case`.
    pub office_code: Option<String>,
    /// The source's item.
    pub source_id: Option<String>,
    /// The target's item.
    pub target_id: Option<String>,
    /// The source item's name, for renames.
    pub name: Option<String>,
    /// The name it moves under, for renames.
    pub new_name: Option<String>,
    /// The best scores of each side, for `same_classification`.
    pub source_best_score: Option<i32>,
    /// The target's best score, for `same_classification`.
    pub target_best_score: Option<i32>,
    /// The resolution.
    pub resolution: Resolution,
    /// Whether the caller's choice decided it.
    pub chosen: bool,
}

impl Conflict {
    fn new(kind: ConflictKind, resolution: Resolution) -> Self {
        Conflict {
            kind,
            field: None,
            posting_id: None,
            classification_code: None,
            office_code: None,
            source_id: None,
            target_id: None,
            name: None,
            new_name: None,
            source_best_score: None,
            target_best_score: None,
            resolution,
            chosen: false,
        }
    }
}

/// A merge's plan (and, once merged, what was done).
#[derive(Debug, Clone)]
pub struct Plan {
    /// The account merged away.
    pub source: AccountId,
    /// The surviving account.
    pub target: AccountId,
    /// Whether this was only a plan.
    pub dry_run: bool,
    /// Whether the merge was carried out.
    pub merged: bool,
    /// Profile fields that take the source's value.
    pub profile_fields: Vec<ProfileField>,
    /// Everything that moves.
    pub items: Vec<Item>,
    /// Every conflict.
    pub conflicts: Vec<Conflict>,
    /// Whether no conflict still needs a choice.
    pub can_proceed: bool,
    /// How the rows move (internal).
    moves: Moves,
    /// Applications withdrawn with the merge: those left with the closed account (internal).
    withdrawn: Vec<String>,
    /// The target's profile after the merge, when a field changes (internal).
    details: Option<(PersonDetails, i64)>,
}

impl Plan {
    /// How many items of `kind` move.
    pub fn count(&self, kind: ItemKind) -> usize {
        self.items.iter().filter(|i| i.kind == kind).count()
    }
}

fn refuse(code: Code, detail: &str) -> ApiError {
    ApiError::new(code, detail)
}

/// How the employee proves control of the other account.
#[derive(Debug, Clone)]
pub enum Proof {
    /// Its password.
    Password(String),
    /// A code emailed to its verified address ([`request_code`]).
    Code(String),
}

/// How long an emailed merge code works.
pub const CODE_TTL: TimeDelta = TimeDelta::minutes(15);
/// Wrong tries after which a code stops working.
pub const CODE_MAX_ATTEMPTS: i32 = 5;
/// Codes one employee may ask for per hour.
pub const CODES_PER_HOUR: i64 = 5;
/// Digits of a code.
const CODE_DIGITS: usize = 6;

/// The stored hash of a code: SHA-256 of its row id (a salt: codes are short) and the code.
fn code_hash(id: MergeCodeId, code: &str) -> String {
    hex::encode(Sha256::digest(format!("{id}:{code}").as_bytes()))
}

/// A random code of [`CODE_DIGITS`] digits.
fn new_code() -> String {
    let bytes = crate::auth::tokens::random_bytes(CODE_DIGITS);
    bytes.iter().map(|b| char::from(b'0' + b % 10)).collect()
}

/// The account at `login` that an employee may ask a merge code for: usable (not disabled,
/// merged or locked), with a verified email address, and not the employee's own.
fn code_recipient(
    conn: &mut DbConnection,
    user: &AuthUser,
    login: &str,
    now: DateTime<Utc>,
) -> Result<Option<(Account, EmailAddress)>, ApiError> {
    let Some(identifier) = LoginIdentifier::parse(login) else {
        return Ok(None);
    };
    let Some((account, _)) = accounts::find_for_login(conn, &identifier)? else {
        return Ok(None);
    };
    if account.id == user.id()
        || account.disabled
        || account.failures.is_locked(now)
        || account.email_verified_at.is_none()
    {
        return Ok(None);
    }
    Ok(account.email.clone().map(|email| (account, email)))
}

/// Emails a merge code to the verified address of the employee's other account (named by its
/// sign-in name), when there is such an account; the answer is the same either way (when the
/// code would expire), so the sign-in names of others cannot be probed. A new code ends the
/// earlier ones for the same account; at most [`CODES_PER_HOUR`] per employee and hour (429).
pub fn request_code(
    conn: &mut DbConnection,
    user: &AuthUser,
    login: &str,
    now: DateTime<Utc>,
) -> Result<DateTime<Utc>, ApiError> {
    user.require(Role::Employee)?;
    let expires_at = now + CODE_TTL;
    if merge_codes::issued_since(conn, user.id(), now - TimeDelta::hours(1))? >= CODES_PER_HOUR {
        return Err(ApiError::TooManyRequests { retry_after: 3600 });
    }
    let Some((account, email)) = code_recipient(conn, user, login, now)? else {
        return Ok(expires_at);
    };
    let id = MergeCodeId::from_uuid(uuid::Uuid::now_v7());
    let code = new_code();
    merge_codes::issue(
        conn,
        &merge_codes::NewMergeCode {
            id,
            requested_by: user.id(),
            account_id: account.id,
            code_hash: &code_hash(id, &code),
            sent_to: &email.key(),
            expires_at,
        },
        now,
    )?;
    let message = templates::merge_code(account.first_name.as_str(), &code);
    mail::enqueue(conn, email.as_str(), message, now)?;
    audit::record(
        conn,
        AuditKind::MergeCodeSent,
        Some(user.id()),
        Some(account.id),
        json!({}),
        now,
    )?;
    Ok(expires_at)
}

fn incorrect_code() -> ApiError {
    ApiError::invalid(
        "source.code",
        "incorrect_code",
        "The code is wrong, expired, used, or not one sent for this account at your request: \
         ask for a new one.",
    )
}

/// Checks a merge code of `user` for `source`: counts a wrong try (the code dies at
/// [`CODE_MAX_ATTEMPTS`]), and answers the live code's id when it matches.
fn check_code(
    conn: &mut DbConnection,
    user_id: AccountId,
    source: AccountId,
    code: &str,
    now: DateTime<Utc>,
) -> Result<Option<MergeCodeId>, ApiError> {
    let Some(live) = merge_codes::live(conn, user_id, source, now)? else {
        return Ok(None);
    };
    let well_formed = code.len() == CODE_DIGITS && code.bytes().all(|b| b.is_ascii_digit());
    if well_formed && code_hash(live.id, code) == live.code_hash {
        return Ok(Some(live.id));
    }
    merge_codes::record_wrong(conn, live.id, CODE_MAX_ATTEMPTS, now)?;
    audit::record(
        conn,
        AuditKind::MergeProofFailed,
        Some(user_id),
        Some(source),
        json!({"proof": "code", "attempts": live.attempts + 1}),
        now,
    )?;
    Ok(None)
}

/// The employee's own merge: checks the proof of control of the other account, then runs
/// [`merge`] with the caller as the target.
///
/// A password is checked like a sign-in (a wrong one, or an unknown sign-in name, is the same
/// 422 after the same wait, and counts against that account's failed sign-ins). A code must be
/// the live one emailed for that account at this employee's request ([`request_code`]); a
/// wrong one counts against the code. Dry runs leave a right code usable; the merge uses it.
pub async fn merge_own(
    state: &AppState,
    user: &AuthUser,
    login: String,
    proof: Proof,
    dry_run: bool,
    choices: Choices,
) -> Result<Plan, ApiError> {
    user.require(Role::Employee)?;
    let source = match proof {
        Proof::Password(password) => proven_by_password(state, login, password).await?,
        Proof::Code(code) => {
            return merge_by_code(state, user, login, code, dry_run, choices).await;
        }
    };
    let command = MergeCommand {
        source: source.id,
        target: user.id(),
        dry_run,
        choices,
        via: Via::SelfService,
    };
    let actor = user.id();
    let now = state.clock.now();
    if dry_run {
        state
            .db
            .read(move |conn| merge(conn, actor, command, now))
            .await
    } else {
        state
            .db
            .write(move |conn| merge(conn, actor, command, now))
            .await
    }
}

async fn merge_by_code(
    state: &AppState,
    user: &AuthUser,
    login: String,
    code: String,
    dry_run: bool,
    choices: Choices,
) -> Result<Plan, ApiError> {
    let now = state.clock.now();
    let user_id = user.id();
    // First the check, in a transaction of its own so that a wrong try is counted even though
    // the request fails.
    let checked_by = user_id;
    let found = state
        .db
        .write(move |conn| {
            let Some(identifier) = LoginIdentifier::parse(&login) else {
                return Ok(None);
            };
            let Some((source, _)) = accounts::find_for_login(conn, &identifier)? else {
                return Ok(None);
            };
            let id = check_code(conn, checked_by, source.id, &code, now)?;
            Ok(id.map(|id| (source, id)))
        })
        .await?;
    let Some((source, code_id)) = found else {
        return Err(incorrect_code());
    };
    let command = MergeCommand {
        source: source.id,
        target: user_id,
        dry_run,
        choices,
        via: Via::SelfService,
    };
    if dry_run {
        return state
            .db
            .read(move |conn| merge(conn, user_id, command, now))
            .await;
    }
    // The merge uses the code in its own transaction: a refused merge leaves it usable.
    state
        .db
        .write(move |conn| {
            if !merge_codes::consume(conn, code_id, now)? {
                return Err(incorrect_code());
            }
            merge(conn, user_id, command, now)
        })
        .await
}

/// The other account, when `password` is its own; 422 `incorrect_password` otherwise.
async fn proven_by_password(
    state: &AppState,
    login: String,
    password: String,
) -> Result<Account, ApiError> {
    let lookup = login.clone();
    let found = match LoginIdentifier::parse(&lookup) {
        Some(identifier) => {
            state
                .db
                .read(move |conn| Ok(accounts::find_for_login(conn, &identifier)?))
                .await?
        }
        None => None,
    };
    let now = state.clock.now();
    // A merged account's password is still checked, so its owner learns it was merged; other
    // disabled and locked accounts are refused like an unknown name.
    let usable = found.as_ref().is_some_and(|(a, _)| {
        (!a.disabled || a.merged_into.is_some()) && !a.failures.is_locked(now)
    });
    let stored_hash = found
        .as_ref()
        .filter(|_| usable)
        .and_then(|(_, hash)| hash.clone());
    let verified = state.hasher.verify(password, stored_hash).await?;
    match (found, verified) {
        (Some((account, _)), Verified::Yes { .. }) if usable => {
            state.sign_in_slowdown.succeeded(&login);
            Ok(account)
        }
        (found, _) => {
            let wait = state
                .sign_in_slowdown
                .failed(&login, now)
                .max(std::time::Duration::from_millis(100));
            let count = async {
                match found.filter(|_| usable) {
                    Some((account, _)) => {
                        record_failure(state, account, AuditKind::MergeProofFailed, now).await
                    }
                    None => Ok(()),
                }
            };
            let (counted, ()) = futures_util::join!(count, actix_web::rt::time::sleep(wait));
            counted?;
            Err(ApiError::invalid(
                "source.password",
                "incorrect_password",
                "The sign-in name or the password of the other account is wrong.",
            ))
        }
    }
}

/// Plans the merge of `command.source` into `command.target` and, unless it is a dry run,
/// carries it out in the caller's transaction (a write transaction then).
pub fn merge(
    conn: &mut DbConnection,
    actor: AccountId,
    command: MergeCommand,
    now: DateTime<Utc>,
) -> Result<Plan, ApiError> {
    let (source, target) = accounts_of(conn, &command)?;
    if !command.dry_run {
        // Both rows, in id order, so two merges touching the same accounts queue.
        let mut ids = [source.id, target.id];
        ids.sort_unstable();
        for id in ids {
            profiles::lock_person(conn, id)?;
        }
    }
    let (source, target) = if command.dry_run {
        (source, target)
    } else {
        accounts_of(conn, &command)?
    };
    check_accounts(conn, &source, &target)?;
    let plan = plan(conn, &source, &target, &command)?;
    if command.dry_run {
        return Ok(plan);
    }
    if !plan.can_proceed {
        return Err(refuse(
            Code::MergeBlocked,
            "Both accounts applied to the same posting: say in `choices.applications` which \
             application survives (see a dry run's conflicts).",
        ));
    }
    carry_out(conn, actor, &command, plan, now)
}

fn accounts_of(
    conn: &mut DbConnection,
    command: &MergeCommand,
) -> Result<(Account, Account), ApiError> {
    let unknown =
        |field: &str| ApiError::invalid(field, "unknown_account", "No account has this id.");
    let source = accounts::find(conn, command.source)?;
    let target = accounts::find(conn, command.target)?;
    match (source, target) {
        (Some(s), Some(t)) => Ok((s, t)),
        (None, Some(_)) => Err(unknown("source_account_id")),
        (Some(_), None) => Err(unknown("target_account_id")),
        (None, None) => Err(ApiError::Validation {
            errors: vec![
                crate::error::FieldError::new(
                    "source_account_id",
                    "unknown_account",
                    "No account has this id.",
                ),
                crate::error::FieldError::new(
                    "target_account_id",
                    "unknown_account",
                    "No account has this id.",
                ),
            ],
        }),
    }
}

fn check_accounts(
    conn: &mut DbConnection,
    source: &Account,
    target: &Account,
) -> Result<(), ApiError> {
    if source.id == target.id {
        return Err(refuse(
            Code::MergeIntoItself,
            "An account cannot be merged into itself: name the other account.",
        ));
    }
    if source.merged_into.is_some() {
        return Err(refuse(
            Code::AlreadyMerged,
            "This account was merged already; it is closed.",
        ));
    }
    if target.merged_into.is_some() {
        return Err(refuse(
            Code::AlreadyMerged,
            "The target account was itself merged into another account; it is closed.",
        ));
    }
    let on_roster = match &target.employee_id {
        Some(id) => {
            roster::find(conn, id.as_str())?.is_some_and(|e| e.status == RosterStatus::Active)
        }
        None => false,
    };
    if !on_roster || !target.roles.has(Role::Employee) || target.disabled {
        return Err(refuse(
            Code::MergeTargetNotEmployee,
            "The target must be an active employee's Employee ID account.",
        ));
    }
    let privileged = [Role::Staff, Role::Admin, Role::Employer]
        .into_iter()
        .any(|r| source.roles.has(r));
    if privileged || source.employee_id.is_some() {
        return Err(refuse(
            Code::MergeSourceNotExternal,
            "Only an applicant's own (email) account can be merged into an Employee ID account; \
             staff, employer, admin and Employee ID accounts cannot.",
        ));
    }
    Ok(())
}

fn details_of(
    conn: &mut DbConnection,
    account: &Account,
) -> Result<(PersonDetails, i64), ApiError> {
    let stored = profiles::find(conn, account.id)?;
    let (profile, version) = stored.map_or_else(Default::default, |s| (s.profile, s.version));
    Ok((
        PersonDetails {
            first_name: account.first_name.clone(),
            last_name: account.last_name.clone(),
            profile,
        },
        version,
    ))
}

fn item(kind: ItemKind, id: &str) -> Item {
    Item {
        kind,
        id: id.to_owned(),
        name: None,
        posting_id: None,
        classification_code: None,
    }
}

fn submitted_by_posting(h: &Holdings) -> HashMap<&str, &str> {
    h.applications
        .iter()
        .filter(|a| a.status != "draft")
        .map(|a| (a.posting_id.as_str(), a.id.as_str()))
        .collect()
}

#[expect(
    clippy::too_many_lines,
    reason = "one pass per kind of item, in the order listed"
)]
fn plan(
    conn: &mut DbConnection,
    source: &Account,
    target: &Account,
    command: &MergeCommand,
) -> Result<Plan, ApiError> {
    let from = merges::holdings(conn, source.id)?;
    let into = merges::holdings(conn, target.id)?;
    let mut items = Vec::new();
    let mut conflicts = Vec::new();
    let mut moves = Moves::default();
    let mut withdrawn = Vec::new();

    // Profile fields.
    let (source_details, _) = details_of(conn, source)?;
    let (target_details, target_version) = details_of(conn, target)?;
    let (merged, decisions) =
        merge_details(&source_details, &target_details, &command.choices.fields);
    let profile_fields: Vec<ProfileField> = decisions
        .iter()
        .filter(|d| d.keep == Side::Source)
        .map(|d| d.field)
        .collect();
    for d in &decisions {
        let mut c = Conflict::new(
            ConflictKind::ProfileField,
            match d.keep {
                Side::Source => Resolution::KeepSource,
                Side::Target => Resolution::KeepTarget,
            },
        );
        c.field = Some(d.field);
        c.chosen = d.decided_by == DecidedBy::Choice;
        conflicts.push(c);
    }

    // Templates: clashing names are renamed; one default survives (the target's).
    let mut taken: HashSet<String> = into
        .templates
        .iter()
        .map(|t| t.name.to_lowercase())
        .collect();
    let target_has_default = into.templates.iter().any(|t| t.is_default);
    for t in &from.templates {
        let mut name = t.name.clone();
        if taken.contains(&t.name.to_lowercase()) {
            name = renamed(&t.name, MAX_NAME_CHARS, |c| {
                taken.contains(&c.to_lowercase())
            });
            moves.template_renames.push((t.id.clone(), name.clone()));
            let mut c = Conflict::new(ConflictKind::TemplateName, Resolution::Rename);
            c.source_id = Some(t.id.clone());
            c.target_id = into
                .templates
                .iter()
                .find(|o| o.name.to_lowercase() == t.name.to_lowercase())
                .map(|o| o.id.clone());
            c.name = Some(t.name.clone());
            c.new_name = Some(name.clone());
            conflicts.push(c);
        }
        taken.insert(name.to_lowercase());
        if t.is_default && target_has_default {
            moves.clear_source_default = true;
            let mut c = Conflict::new(ConflictKind::DefaultTemplate, Resolution::KeepTarget);
            c.source_id = Some(t.id.clone());
            c.target_id = into
                .templates
                .iter()
                .find(|o| o.is_default)
                .map(|o| o.id.clone());
            conflicts.push(c);
        }
        items.push(Item {
            name: Some(name),
            ..item(ItemKind::Template, &t.id)
        });
    }

    for d in &from.documents {
        items.push(Item {
            name: Some(d.name.clone()),
            ..item(ItemKind::Document, &d.id)
        });
    }

    // Exam results and eligibilities are legal records: all of them move; where both hold
    // results for a class, the best unexpired one counts on the eligible list.
    for a in &from.exam_attempts {
        items.push(Item {
            classification_code: Some(a.classification_code.clone()),
            ..item(ItemKind::ExamResult, &a.id)
        });
    }
    for e in &from.eligibilities {
        items.push(Item {
            classification_code: Some(e.classification_code.clone()),
            ..item(ItemKind::Eligibility, &e.attempt_id)
        });
    }
    let best = |h: &Holdings| {
        let mut best: BTreeMap<String, i32> = BTreeMap::new();
        for a in &h.exam_attempts {
            let score = best.entry(a.classification_code.clone()).or_insert(a.score);
            *score = (*score).max(a.score);
        }
        best
    };
    let target_best = best(&into);
    for (class, score) in best(&from) {
        if let Some(other) = target_best.get(&class) {
            let mut c = Conflict::new(ConflictKind::SameClassification, Resolution::KeepBoth);
            c.classification_code = Some(class);
            c.source_best_score = Some(score);
            c.target_best_score = Some(*other);
            conflicts.push(c);
        }
    }

    // Applications: both applied to one posting blocks until a choice says which survives.
    let source_submitted = submitted_by_posting(&from);
    let target_submitted = submitted_by_posting(&into);
    let chosen: HashMap<&str, Side> = command
        .choices
        .applications
        .iter()
        .map(|(_, posting, side)| (posting.as_str(), *side))
        .collect();
    for (field, posting, _) in &command.choices.applications {
        if !(source_submitted.contains_key(posting.as_str())
            && target_submitted.contains_key(posting.as_str()))
        {
            return Err(ApiError::invalid(
                field,
                "not_a_conflict",
                "Only a posting both accounts applied to needs a choice.",
            ));
        }
    }
    let mut blocked = false;
    let mut staying = BTreeSet::new();
    for a in &from.applications {
        if a.status != "draft"
            && let Some(other) = target_submitted.get(a.posting_id.as_str())
        {
            let choice = chosen.get(a.posting_id.as_str()).copied();
            let mut c = Conflict::new(
                ConflictKind::SamePosting,
                match choice {
                    Some(Side::Source) => Resolution::KeepSource,
                    Some(Side::Target) => Resolution::KeepTarget,
                    None => Resolution::ChoiceRequired,
                },
            );
            c.posting_id = Some(a.posting_id.clone());
            c.source_id = Some(a.id.clone());
            c.target_id = Some((*other).to_owned());
            c.chosen = choice.is_some();
            conflicts.push(c);
            match choice {
                None => blocked = true,
                Some(Side::Target) => {
                    staying.insert(a.id.clone());
                    withdrawn.push(a.id.clone());
                    continue;
                }
                Some(Side::Source) => {
                    // The target's application goes to the closed account, withdrawn.
                    moves.applications_leaving.push((*other).to_owned());
                    withdrawn.push((*other).to_owned());
                }
            }
        }
        items.push(Item {
            posting_id: Some(a.posting_id.clone()),
            ..item(ItemKind::Application, &a.id)
        });
    }
    moves.applications_staying = staying.into_iter().collect();

    // Saved searches: clashing names are renamed.
    let mut taken: HashSet<String> = into.saved_searches.iter().map(|s| s.name.clone()).collect();
    for s in &from.saved_searches {
        let mut name = s.name.clone();
        if taken.contains(&s.name) {
            name = renamed(&s.name, MAX_NAME_CHARS, |c| taken.contains(c));
            moves
                .saved_search_renames
                .push((s.id.clone(), name.clone()));
            let mut c = Conflict::new(ConflictKind::SavedSearchName, Resolution::Rename);
            c.source_id = Some(s.id.clone());
            c.target_id = into
                .saved_searches
                .iter()
                .find(|o| o.name == s.name)
                .map(|o| o.id.clone());
            c.name = Some(s.name.clone());
            c.new_name = Some(name.clone());
            conflicts.push(c);
        }
        taken.insert(name.clone());
        items.push(Item {
            name: Some(name),
            ..item(ItemKind::SavedSearch, &s.id)
        });
    }
    items.extend(
        from.job_alerts
            .iter()
            .map(|id| item(ItemKind::JobAlert, id)),
    );
    items.extend(from.messages.iter().map(|id| item(ItemKind::Message, id)));

    // One letter and one waiver per person and posting: the target's stays the one.
    for (kind, conflict, own, theirs, staying) in [
        (
            ItemKind::ContactLetter,
            ConflictKind::ContactLetter,
            &from.contact_letters,
            &into.contact_letters,
            &mut moves.letters_staying,
        ),
        (
            ItemKind::Waiver,
            ConflictKind::Waiver,
            &from.waivers,
            &into.waivers,
            &mut moves.waivers_staying,
        ),
    ] {
        for l in own {
            if let Some(other) = theirs.iter().find(|o| o.posting_id == l.posting_id) {
                let mut c = Conflict::new(conflict, Resolution::StaysWithClosedAccount);
                c.posting_id = Some(l.posting_id.clone());
                c.source_id = Some(l.id.clone());
                c.target_id = Some(other.id.clone());
                conflicts.push(c);
                staying.push(l.id.clone());
            } else {
                items.push(Item {
                    posting_id: Some(l.posting_id.clone()),
                    ..item(kind, &l.id)
                });
            }
        }
    }

    // One open case per person and office: the target's stays the open one.
    for k in &from.cases {
        let clash = into
            .cases
            .iter()
            .find(|o| k.open && o.open && o.office_code == k.office_code);
        if let Some(other) = clash {
            let mut c = Conflict::new(ConflictKind::OpenCase, Resolution::StaysWithClosedAccount);
            c.office_code = Some(k.office_code.clone());
            c.source_id = Some(k.id.clone());
            c.target_id = Some(other.id.clone());
            conflicts.push(c);
            moves.cases_staying.push(k.id.clone());
        } else {
            items.push(item(ItemKind::Case, &k.id));
        }
    }
    items.extend(
        from.correspondence
            .iter()
            .map(|id| item(ItemKind::Correspondence, id)),
    );

    Ok(Plan {
        source: source.id,
        target: target.id,
        dry_run: command.dry_run,
        merged: false,
        details: (!profile_fields.is_empty()).then_some((merged, target_version)),
        profile_fields,
        items,
        conflicts,
        can_proceed: !blocked,
        moves,
        withdrawn,
    })
}

fn carry_out(
    conn: &mut DbConnection,
    actor: AccountId,
    command: &MergeCommand,
    mut plan: Plan,
    now: DateTime<Utc>,
) -> Result<Plan, ApiError> {
    let (source, target) = (plan.source, plan.target);
    merges::move_all(conn, source, target, &plan.moves, now)?;
    for id in &plan.withdrawn {
        if let Ok(id) = id.parse::<ApplicationId>() {
            withdraw_for_merge(conn, id, source, now)?;
        }
    }
    if let Some((details, version)) = &plan.details {
        if !profiles::save(conn, target, &details.profile, *version, now)? {
            return Err(ApiError::PreconditionFailed);
        }
        let names_change = plan
            .profile_fields
            .iter()
            .any(|f| matches!(f, ProfileField::FirstName | ProfileField::LastName));
        if names_change {
            profiles::update_account_contact(
                conn,
                target,
                &details.first_name,
                &details.last_name,
                None,
                false,
                now,
            )?;
        }
    }
    if !merges::close_as_merged(conn, source, target, now)? {
        return Err(refuse(
            Code::AlreadyMerged,
            "This account was merged already; it is closed.",
        ));
    }
    sessions::revoke_all(conn, source, None, "account_merged", now)?;
    let details = audit_details(command, &plan);
    audit::record(
        conn,
        AuditKind::ProfileMerged,
        Some(actor),
        Some(target),
        details,
        now,
    )?;
    audit::record(
        conn,
        AuditKind::AccountMerged,
        Some(actor),
        Some(source),
        json!({"merged_into": target.to_string(), "via": command.via.as_str()}),
        now,
    )?;
    plan.merged = true;
    Ok(plan)
}

/// The audit's record of a merge: ids and codes only (what moved, by kind; the profile fields
/// that took the source's value; each conflict's resolution).
fn audit_details(command: &MergeCommand, plan: &Plan) -> Value {
    let mut moved: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for i in &plan.items {
        moved.entry(i.kind.as_str()).or_default().push(&i.id);
    }
    let fields: Vec<&str> = plan.profile_fields.iter().map(|f| f.as_str()).collect();
    let applications: Vec<Value> = plan
        .conflicts
        .iter()
        .filter(|c| c.kind == ConflictKind::SamePosting)
        .map(|c| {
            json!({
                "posting_id": c.posting_id,
                "source_application_id": c.source_id,
                "target_application_id": c.target_id,
                "kept": if c.resolution == Resolution::KeepSource { "source" } else { "target" },
            })
        })
        .collect();
    json!({
        "source_account_id": plan.source.to_string(),
        "target_account_id": plan.target.to_string(),
        "via": command.via.as_str(),
        "moved": moved,
        "profile_fields_from_source": fields,
        "applications_withdrawn": plan.withdrawn,
        "same_posting": applications,
    })
}
