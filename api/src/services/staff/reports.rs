//! Report indicators: placements, services by code and cases opened and closed, per staff
//! member and for the office, over a period, counted from the rows when asked.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use merit_domain::{
    case::{ActivityCode, CaseScope},
    ids::AccountId,
    reference::OfficeCode,
};
use merit_persistence::{
    DbConnection,
    cases::{self, Named, ReportScope},
    reference,
};

use super::{scope, staff_member};
use crate::{auth::AuthUser, error::ApiError};

/// The longest period one report covers, in days.
pub const MAX_REPORT_DAYS: i64 = 366;

/// What a report covers.
#[derive(Debug, Clone)]
pub struct ReportQuery {
    /// The first day.
    pub from: NaiveDate,
    /// The last day (inclusive).
    pub to: NaiveDate,
    /// The office (staff: their own when absent; admins must name one).
    pub office: Option<OfficeCode>,
    /// Only this staff member's work.
    pub staff_id: Option<AccountId>,
}

/// The counts of a period.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Indicators {
    /// Placements starting in the period.
    pub placements: i64,
    /// Services given in the period, per code (every code, zero included).
    pub activities: BTreeMap<ActivityCode, i64>,
    /// Cases opened in the period.
    pub cases_opened: i64,
    /// Cases closed in the period.
    pub cases_closed: i64,
}

impl Indicators {
    fn empty() -> Self {
        Indicators {
            activities: ActivityCode::ALL.iter().map(|c| (*c, 0)).collect(),
            ..Indicators::default()
        }
    }

    fn add(&mut self, other: &Indicators) {
        self.placements += other.placements;
        self.cases_opened += other.cases_opened;
        self.cases_closed += other.cases_closed;
        for (code, n) in &other.activities {
            *self.activities.entry(*code).or_default() += n;
        }
    }
}

/// One staff member's counts.
#[derive(Debug, Clone)]
pub struct StaffIndicators {
    /// Who (their name when known).
    pub staff: Named,
    /// Their counts.
    pub indicators: Indicators,
}

/// A report.
#[derive(Debug, Clone)]
pub struct Report {
    /// The office.
    pub office: String,
    /// The first day.
    pub from: NaiveDate,
    /// The last day.
    pub to: NaiveDate,
    /// The office's totals (or the one staff member's, when asked for one).
    pub totals: Indicators,
    /// Per staff member: every staff member of the office, and anyone else who did work counted.
    pub staff: Vec<StaffIndicators>,
}

/// The indicators of an office (and its staff) over a period.
pub fn indicators(
    conn: &mut DbConnection,
    user: &AuthUser,
    query: ReportQuery,
) -> Result<Report, ApiError> {
    let scope = scope(user)?;
    if query.to < query.from {
        return Err(ApiError::invalid(
            "to",
            "dates_out_of_order",
            "`to` may not be before `from`.",
        ));
    }
    if (query.to - query.from).num_days() >= MAX_REPORT_DAYS {
        return Err(ApiError::invalid(
            "to",
            "out_of_range",
            format!("A report covers at most {MAX_REPORT_DAYS} days."),
        ));
    }
    let office = match (&scope, query.office) {
        (CaseScope::Office(own), None) => own.clone(),
        (_, Some(office)) if scope.covers(&office) => office,
        (CaseScope::Office(_), Some(_)) => return Err(ApiError::not_found("office")),
        (_, None) => {
            return Err(ApiError::invalid(
                "office_code",
                "required",
                "An admin names the office to report on.",
            ));
        }
        (_, Some(office)) => office,
    };
    if reference::find_office(conn, office.as_str())?.is_none() {
        return Err(ApiError::invalid(
            "office_code",
            "unknown_office",
            "No office has this code.",
        ));
    }
    let staff_id = match query.staff_id {
        Some(id) => Some(staff_member(conn, user, id, office.as_str(), "staff_id")?.id),
        None => None,
    };
    let report_scope = ReportScope {
        office: office.as_str().to_owned(),
        from: query.from,
        to: query.to,
        staff_id,
    };
    let mut per = counts(conn, &report_scope)?;
    let mut people = match &staff_id {
        Some(id) => cases::names(conn, &[*id])?,
        None => cases::staff_of_office(conn, office.as_str())?,
    };
    let others: Vec<AccountId> = per
        .keys()
        .filter(|id| !people.iter().any(|p| &p.id == *id))
        .copied()
        .collect();
    if !others.is_empty() {
        people.extend(cases::names(conn, &others)?);
    }
    let mut totals = Indicators::empty();
    let staff = people
        .into_iter()
        .map(|person| {
            let indicators = per.remove(&person.id).unwrap_or_else(Indicators::empty);
            totals.add(&indicators);
            StaffIndicators {
                staff: person,
                indicators,
            }
        })
        .collect();
    Ok(Report {
        office: office.as_str().to_owned(),
        from: query.from,
        to: query.to,
        totals,
        staff,
    })
}

/// The caller's own indicators in their office from `from` to `to` (`None` for callers
/// without an office): what [`indicators`] answers with the caller as `staff_id` and their
/// office, without checking again what holds for the caller themselves (their office exists,
/// they may see their own work).
pub fn own_indicators(
    conn: &mut DbConnection,
    user: &AuthUser,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<Option<Indicators>, ApiError> {
    scope(user)?;
    let Some(office) = &user.account.office else {
        return Ok(None);
    };
    let me = user.id();
    let mut per = counts(
        conn,
        &ReportScope {
            office: office.as_str().to_owned(),
            from,
            to,
            staff_id: Some(me),
        },
    )?;
    Ok(Some(per.remove(&me).unwrap_or_else(Indicators::empty)))
}

/// The counts of a report's scope, per staff member who did the work.
fn counts(
    conn: &mut DbConnection,
    scope: &ReportScope,
) -> Result<BTreeMap<AccountId, Indicators>, ApiError> {
    let mut per: BTreeMap<AccountId, Indicators> = BTreeMap::new();
    let bump =
        |per: &mut BTreeMap<AccountId, Indicators>, id: AccountId, f: &dyn Fn(&mut Indicators)| {
            f(per.entry(id).or_insert_with(Indicators::empty));
        };
    for (id, code, n) in cases::activity_counts(conn, scope)? {
        let code = ActivityCode::parse(&code)
            .ok_or_else(|| ApiError::internal(anyhow::anyhow!("unknown activity {code}")))?;
        bump(&mut per, id, &|i| {
            *i.activities.entry(code).or_default() += n
        });
    }
    for (id, n) in cases::placement_counts(conn, scope)? {
        bump(&mut per, id, &|i| i.placements += n);
    }
    for (id, n) in cases::opened_counts(conn, scope)? {
        bump(&mut per, id, &|i| i.cases_opened += n);
    }
    for (id, n) in cases::closed_counts(conn, scope)? {
        bump(&mut per, id, &|i| i.cases_closed += n);
    }
    Ok(per)
}
