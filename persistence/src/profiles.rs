//! Profiles: phone, mailing address, previous supervisors and conditions of employment, kept
//! beside the account (whose row holds the names and the email address). Supervisors and
//! conditions are JSON in TEXT columns.

use std::collections::BTreeSet;

use chrono::{DateTime, NaiveDateTime, Utc};
use diesel::prelude::*;
use merit_domain::{
    account::{EmailAddress, PersonName},
    ids::AccountId,
    profile::{
        ConditionsOfEmployment, MailingAddress, PhoneNumber, PostalCode, Profile, Supervisor,
        UsState,
    },
    reference::{CountyCode, DepartmentCode},
};
use serde::{Deserialize, Serialize};

use crate::{
    DbConnection,
    error::{RepoError, RepoResult},
    schema::{accounts, profiles},
    time::{naive, utc},
};

fn bad(reason: impl ToString) -> RepoError {
    RepoError::InvalidRow {
        table: "profiles",
        reason: reason.to_string(),
    }
}

#[derive(Debug, Serialize, Deserialize)]
struct SupervisorJson {
    name: String,
    title: Option<String>,
    phone: Option<String>,
    email: Option<String>,
    employer: Option<String>,
}

#[derive(Debug, Default, Serialize, Deserialize)]
#[serde(default)]
struct ConditionsJson {
    tenures: Vec<String>,
    time_bases: Vec<String>,
    counties: Vec<String>,
    departments: Vec<String>,
    shifts: Vec<String>,
}

fn names<T: ToString>(values: &BTreeSet<T>) -> Vec<String> {
    values.iter().map(ToString::to_string).collect()
}

fn parse_all<T: Ord, E: ToString>(
    values: &[String],
    parse: impl Fn(&str) -> Result<T, E>,
) -> RepoResult<BTreeSet<T>> {
    values.iter().map(|v| parse(v).map_err(bad)).collect()
}

/// Conditions of employment as stored (a profile's `conditions` JSON and `accepts_contact`).
pub fn conditions_from_json(
    text: &str,
    accepts_contact: bool,
) -> RepoResult<ConditionsOfEmployment> {
    serde_json::from_str::<ConditionsJson>(text)
        .map_err(bad)?
        .into_domain(accepts_contact)
}

impl ConditionsJson {
    fn from_domain(c: &ConditionsOfEmployment) -> Self {
        ConditionsJson {
            tenures: names(&c.tenures),
            time_bases: names(&c.time_bases),
            counties: names(&c.counties),
            departments: names(&c.departments),
            shifts: names(&c.shifts),
        }
    }

    fn into_domain(self, accepts_contact: bool) -> RepoResult<ConditionsOfEmployment> {
        Ok(ConditionsOfEmployment {
            tenures: parse_all(&self.tenures, str::parse)?,
            time_bases: parse_all(&self.time_bases, str::parse)?,
            counties: parse_all(&self.counties, CountyCode::parse)?,
            departments: parse_all(&self.departments, DepartmentCode::parse)?,
            shifts: parse_all(&self.shifts, str::parse)?,
            accepts_contact,
        })
    }
}

impl SupervisorJson {
    fn from_domain(s: &Supervisor) -> Self {
        SupervisorJson {
            name: s.name.clone(),
            title: s.title.clone(),
            phone: s.phone.as_ref().map(|p| p.as_str().to_owned()),
            email: s.email.as_ref().map(|e| e.as_str().to_owned()),
            employer: s.employer.clone(),
        }
    }

    fn into_domain(self) -> RepoResult<Supervisor> {
        Ok(Supervisor {
            name: self.name,
            title: self.title,
            phone: self
                .phone
                .as_deref()
                .map(PhoneNumber::parse)
                .transpose()
                .map_err(bad)?,
            email: self
                .email
                .as_deref()
                .map(EmailAddress::parse)
                .transpose()
                .map_err(bad)?,
            employer: self.employer,
        })
    }
}

#[derive(Debug, Queryable, Selectable)]
#[diesel(table_name = profiles)]
struct ProfileRow {
    phone: Option<String>,
    address_line1: Option<String>,
    address_line2: Option<String>,
    address_city: Option<String>,
    address_state: Option<String>,
    address_postal_code: Option<String>,
    supervisors: String,
    conditions: String,
    accepts_contact: bool,
    version: i64,
    updated_at: NaiveDateTime,
}

/// A saved profile with its version (bumped by every save) and when it was saved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredProfile {
    /// The profile.
    pub profile: Profile,
    /// Starts at 1 and grows by one with each save.
    pub version: i64,
    /// When it was last saved.
    pub updated_at: DateTime<Utc>,
}

impl ProfileRow {
    fn into_stored(self) -> RepoResult<StoredProfile> {
        let mailing_address = match (
            self.address_line1,
            self.address_city,
            self.address_state,
            self.address_postal_code,
        ) {
            (Some(line1), Some(city), Some(state), Some(postal_code)) => Some(MailingAddress {
                line1,
                line2: self.address_line2,
                city,
                state: UsState::parse(&state).map_err(bad)?,
                postal_code: PostalCode::parse(&postal_code).map_err(bad)?,
            }),
            _ => None,
        };
        let supervisors: Vec<SupervisorJson> =
            serde_json::from_str(&self.supervisors).map_err(bad)?;
        let conditions: ConditionsJson = serde_json::from_str(&self.conditions).map_err(bad)?;
        Ok(StoredProfile {
            profile: Profile {
                phone: self
                    .phone
                    .as_deref()
                    .map(PhoneNumber::parse)
                    .transpose()
                    .map_err(bad)?,
                mailing_address,
                supervisors: supervisors
                    .into_iter()
                    .map(SupervisorJson::into_domain)
                    .collect::<RepoResult<_>>()?,
                conditions: conditions.into_domain(self.accepts_contact)?,
            },
            version: self.version,
            updated_at: utc(self.updated_at),
        })
    }
}

/// A person's profile, if they ever saved one.
pub fn find(conn: &mut DbConnection, account_id: AccountId) -> RepoResult<Option<StoredProfile>> {
    profiles::table
        .find(account_id.to_string())
        .select(ProfileRow::as_select())
        .first(conn)
        .optional()?
        .map(ProfileRow::into_stored)
        .transpose()
}

#[derive(Debug, Insertable, AsChangeset)]
#[diesel(table_name = profiles, treat_none_as_null = true)]
struct ProfileChangeset {
    phone: Option<String>,
    address_line1: Option<String>,
    address_line2: Option<String>,
    address_city: Option<String>,
    address_state: Option<String>,
    address_postal_code: Option<String>,
    supervisors: String,
    conditions: String,
    accepts_contact: bool,
    version: i64,
    updated_at: NaiveDateTime,
}

impl ProfileChangeset {
    fn new(profile: &Profile, version: i64, now: DateTime<Utc>) -> RepoResult<Self> {
        let address = profile.mailing_address.as_ref();
        let supervisors: Vec<SupervisorJson> = profile
            .supervisors
            .iter()
            .map(SupervisorJson::from_domain)
            .collect();
        Ok(ProfileChangeset {
            phone: profile.phone.as_ref().map(|p| p.as_str().to_owned()),
            address_line1: address.map(|a| a.line1.clone()),
            address_line2: address.and_then(|a| a.line2.clone()),
            address_city: address.map(|a| a.city.clone()),
            address_state: address.map(|a| a.state.as_str().to_owned()),
            address_postal_code: address.map(|a| a.postal_code.as_str().to_owned()),
            supervisors: serde_json::to_string(&supervisors).map_err(bad)?,
            conditions: serde_json::to_string(&ConditionsJson::from_domain(&profile.conditions))
                .map_err(bad)?,
            accepts_contact: profile.conditions.accepts_contact,
            version,
            updated_at: naive(now),
        })
    }
}

/// Saves a profile read at `read_version` (0 when there was none). Answers `false`, changing
/// nothing, when another save came first (optimistic concurrency).
pub fn save(
    conn: &mut DbConnection,
    account_id: AccountId,
    profile: &Profile,
    read_version: i64,
    now: DateTime<Utc>,
) -> RepoResult<bool> {
    let changes = ProfileChangeset::new(profile, read_version + 1, now)?;
    if read_version == 0 {
        let inserted = diesel::insert_into(profiles::table)
            .values((profiles::account_id.eq(account_id.to_string()), &changes))
            .execute(conn);
        return match inserted {
            Ok(_) => Ok(true),
            Err(e) => match RepoError::from(e) {
                RepoError::Conflict { .. } => Ok(false),
                other => Err(other),
            },
        };
    }
    let updated = diesel::update(
        profiles::table
            .filter(profiles::account_id.eq(account_id.to_string()))
            .filter(profiles::version.eq(read_version)),
    )
    .set(&changes)
    .execute(conn)?;
    Ok(updated == 1)
}

/// Takes the person's account row for the rest of the transaction, so their concurrent writes
/// (profile saves, template and document limits) run one after another. SQLite's write
/// transactions are serial already; on PostgreSQL this is a row lock.
pub fn lock_person(conn: &mut DbConnection, account_id: AccountId) -> RepoResult<()> {
    let locked = diesel::update(accounts::table.find(account_id.to_string()))
        .set(accounts::updated_at.eq(accounts::updated_at))
        .execute(conn)?;
    if locked == 1 {
        Ok(())
    } else {
        Err(RepoError::NotFound)
    }
}

/// Sets the names and email address kept on the account. A changed address is unverified
/// until its new link is used; a taken one is a `Conflict` on `accounts_email_key`.
pub fn update_account_contact(
    conn: &mut DbConnection,
    account_id: AccountId,
    first_name: &PersonName,
    last_name: &PersonName,
    email: Option<&EmailAddress>,
    email_changed: bool,
    now: DateTime<Utc>,
) -> RepoResult<()> {
    let id = account_id.to_string();
    let target = accounts::table.find(id.as_str());
    if email_changed {
        diesel::update(target)
            .set((
                accounts::email.eq(email.map(EmailAddress::as_str)),
                accounts::email_key.eq(email.map(EmailAddress::key)),
                accounts::email_verified_at.eq(None::<NaiveDateTime>),
            ))
            .execute(conn)?;
    }
    diesel::update(target)
        .set((
            accounts::first_name.eq(first_name.as_str()),
            accounts::last_name.eq(last_name.as_str()),
            accounts::updated_at.eq(naive(now)),
        ))
        .execute(conn)?;
    Ok(())
}

/// When the account row last changed (names, email, verification, password): with the
/// profile's version, it tells whether a profile read is still current.
pub fn account_stamp(conn: &mut DbConnection, account_id: AccountId) -> RepoResult<DateTime<Utc>> {
    let stamp: NaiveDateTime = accounts::table
        .find(account_id.to_string())
        .select(accounts::updated_at)
        .first(conn)?;
    Ok(utc(stamp))
}

/// A profile as frozen in an application's snapshot: the stored columns as one JSON object.
#[derive(Debug, Serialize, Deserialize)]
struct ProfileSnapshot {
    phone: Option<String>,
    address_line1: Option<String>,
    address_line2: Option<String>,
    address_city: Option<String>,
    address_state: Option<String>,
    address_postal_code: Option<String>,
    supervisors: String,
    conditions: String,
    accepts_contact: bool,
}

/// Encodes a profile for an application's snapshot (read back by [`profile_from_snapshot`]).
pub fn profile_to_snapshot(profile: &Profile) -> RepoResult<String> {
    let c = ProfileChangeset::new(profile, 0, DateTime::UNIX_EPOCH)?;
    let snapshot = ProfileSnapshot {
        phone: c.phone,
        address_line1: c.address_line1,
        address_line2: c.address_line2,
        address_city: c.address_city,
        address_state: c.address_state,
        address_postal_code: c.address_postal_code,
        supervisors: c.supervisors,
        conditions: c.conditions,
        accepts_contact: c.accepts_contact,
    };
    serde_json::to_string(&snapshot).map_err(bad)
}

/// Decodes a profile frozen by [`profile_to_snapshot`].
pub fn profile_from_snapshot(text: &str) -> RepoResult<Profile> {
    let s: ProfileSnapshot = serde_json::from_str(text).map_err(bad)?;
    let row = ProfileRow {
        phone: s.phone,
        address_line1: s.address_line1,
        address_line2: s.address_line2,
        address_city: s.address_city,
        address_state: s.address_state,
        address_postal_code: s.address_postal_code,
        supervisors: s.supervisors,
        conditions: s.conditions,
        accepts_contact: s.accepts_contact,
        version: 0,
        updated_at: naive(DateTime::UNIX_EPOCH),
    };
    Ok(row.into_stored()?.profile)
}
