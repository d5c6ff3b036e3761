//! The demo case manager's case load: `LAOMCHEN` (Marcus Chen, Los Angeles office) works cases
//! for the demo applicants and for job seekers registered at the office (accounts without a
//! password yet, as staff-registered CalJOBS individuals are), and for four employers of the
//! area, with services recorded over the last months and job placements, so the case list,
//! quick search and report indicators show real-looking data. Loaded once: nothing is added
//! when Marcus Chen has a case already.

use chrono::{DateTime, Duration, NaiveDate, Utc};
use merit_domain::{
    account::{EmailAddress, LoginIdentifier, PersonName, Role},
    case::{ActivityCode, CaseStatus, CloseReason},
    ids::{AccountId, ActivityId, CaseId, EntityId, PlacementId},
    paging::PageLimit,
};
use merit_persistence::{
    DbConnection, PageRequest, accounts,
    cases::{self, Activity, Case, CaseFilter, Placement, Subject},
};

use crate::error::ApiError;

fn bad(error: impl std::fmt::Display) -> ApiError {
    ApiError::internal(anyhow::anyhow!("demo case load: {error}"))
}

/// Job seekers registered at the office: (first, last, email).
const OFFICE_JOB_SEEKERS: &[(&str, &str, &str)] = &[
    ("Luis", "Hernandez", "luis.hernandez@example.org"),
    ("Grace", "Kim", "grace.kim@example.org"),
    ("Terrence", "Washington", "terrence.washington@example.org"),
    ("Sofia", "Ramirez", "sofia.ramirez@example.org"),
    ("Daniel", "Okafor", "daniel.okafor@example.org"),
    ("Mei", "Lin", "mei.lin@example.org"),
    ("Jamal", "Carter", "jamal.carter@example.org"),
    ("Rosa", "Mendoza", "rosa.mendoza@example.org"),
    ("Kevin", "Tran", "kevin.tran@example.org"),
];

/// The demo applicants who also have a case here.
pub(super) const DEMO_APPLICANTS: &[&str] = &[
    "maria.santos@example.org",
    "david.nguyen@example.org",
    "aisha.johnson@example.org",
];

/// Employers of the area: (name, contact, email, phone).
const EMPLOYERS: &[(&str, &str, &str, &str)] = &[
    (
        "Harborview Logistics",
        "Rosa Diaz",
        "rosa.diaz@harborview.example",
        "(213) 555-0142",
    ),
    (
        "Sunrise Care Homes",
        "Anthony Reyes",
        "areyes@sunrisecare.example",
        "(323) 555-0178",
    ),
    (
        "Pacific Coast Builders",
        "Janet Cho",
        "jcho@pcbuilders.example",
        "(310) 555-0119",
    ),
    (
        "Westside Community Clinic",
        "Omar Haddad",
        "ohaddad@westsideclinic.example",
        "(424) 555-0166",
    ),
];

/// Placements: (job seeker's index in the case order, employer, title, hourly wage in cents).
const PLACEMENTS: &[(usize, &str, &str, i64)] = &[
    (0, "Harborview Logistics", "Warehouse Associate", 2_150),
    (
        3,
        "Sunrise Care Homes",
        "Certified Nursing Assistant",
        2_475,
    ),
    (5, "Pacific Coast Builders", "Construction Laborer", 2_800),
    (
        8,
        "Westside Community Clinic",
        "Medical Receptionist",
        2_300,
    ),
];

const CODES: [ActivityCode; 8] = [
    ActivityCode::Orientation,
    ActivityCode::SkillsAssessment,
    ActivityCode::ResumeAssistance,
    ActivityCode::Workshop,
    ActivityCode::JobSearchAssistance,
    ActivityCode::JobReferral,
    ActivityCode::CareerCounseling,
    ActivityCode::FollowUp,
];

/// Adds the case load unless Marcus Chen has one; returns how many cases were added.
pub fn load(conn: &mut DbConnection, now: DateTime<Utc>) -> Result<usize, ApiError> {
    let Some((chen, _)) =
        accounts::find_for_login(conn, &LoginIdentifier::Username("laomchen".into()))?
    else {
        return Ok(0);
    };
    let Some(office) = chen.office.clone() else {
        return Ok(0);
    };
    let existing = cases::list(
        conn,
        &CaseFilter {
            assigned_staff_id: Some(chen.id),
            ..CaseFilter::default()
        },
        PageRequest {
            after: None,
            limit: PageLimit::DEFAULT,
        },
    )?;
    if !existing.items.is_empty() {
        return Ok(0);
    }
    let mut people = Vec::new();
    for email in DEMO_APPLICANTS {
        if let Some(account) = accounts::find_by_email_key(conn, email)?.into_iter().next() {
            people.push(account.id);
        }
    }
    for (first, last, email) in OFFICE_JOB_SEEKERS {
        let address = EmailAddress::parse(email).map_err(bad)?;
        match accounts::find_by_email_key(conn, &address.key())?
            .into_iter()
            .next()
        {
            Some(account) => people.push(account.id),
            None => {
                let id = AccountId::from_uuid(uuid::Uuid::now_v7());
                accounts::insert(
                    conn,
                    &accounts::NewAccount {
                        id,
                        username: None,
                        email: Some(&address),
                        employee_id: None,
                        first_name: &PersonName::parse(first).map_err(bad)?,
                        last_name: &PersonName::parse(last).map_err(bad)?,
                        password_hash: None,
                        temporary_password_expires_at: None,
                        department: None,
                        office: None,
                        roles: &[Role::Applicant],
                    },
                    now,
                )?;
                people.push(id);
            }
        }
    }
    let today = now.date_naive();
    let mut added = 0;
    let mut subjects: Vec<Subject> = people
        .into_iter()
        .map(|person_id| Subject::Individual { person_id })
        .collect();
    subjects.extend(
        EMPLOYERS
            .iter()
            .map(|(name, contact, email, phone)| Subject::Employer {
                name: (*name).into(),
                contact_name: Some((*contact).into()),
                contact_email: Some((*email).into()),
                contact_phone: Some((*phone).into()),
            }),
    );
    for (i, subject) in subjects.into_iter().enumerate() {
        let individual = matches!(subject, Subject::Individual { .. });
        // Opened between 8 and 160 days ago, one case every 12 days or so.
        let age = 8 + (i as i64 * 12) % 153;
        let opened_at = now - Duration::days(age) - Duration::hours((i as i64 * 5) % 9);
        let (status, closed) = match i {
            1 => (CaseStatus::Closed, Some(CloseReason::Employed)),
            6 => (CaseStatus::Closed, Some(CloseReason::NoContact)),
            4 | 10 => (CaseStatus::Inactive, None),
            _ => (CaseStatus::Active, None),
        };
        let closed_at = closed.map(|_| opened_at + Duration::days(age / 2));
        let case = Case {
            id: CaseId::from_uuid(uuid::Uuid::now_v7()),
            office_code: office.as_str().to_owned(),
            subject,
            assigned_staff_id: chen.id,
            status,
            opened_at,
            opened_by: chen.id,
            closed_at,
            closed_by: closed.map(|_| chen.id),
            close_reason: closed,
            updated_at: closed_at.unwrap_or(opened_at),
            version: 1,
        };
        cases::insert(conn, &case)?;
        added += 1;
        // A service every ten days or so from the opening, up to five, none in the future.
        let opened_on = opened_at.date_naive();
        let last = closed_at.map_or(today, |c| c.date_naive());
        for k in 0..5_usize {
            let on = opened_on + Duration::days(k as i64 * 10 + (i as i64 % 3));
            if on > last {
                break;
            }
            let code = if individual {
                CODES[(i + k) % CODES.len()]
            } else if k % 2 == 0 {
                ActivityCode::FollowUp
            } else {
                ActivityCode::JobReferral
            };
            cases::insert_activity(
                conn,
                &Activity {
                    id: ActivityId::from_uuid(uuid::Uuid::now_v7()),
                    case_id: case.id,
                    code,
                    provided_on: on,
                    staff_id: chen.id,
                    note: None,
                    recorded_by: chen.id,
                    recorded_at: now,
                    office_code: case.office_code.clone(),
                },
            )?;
        }
        if let Some((_, employer, title, wage)) = PLACEMENTS.iter().find(|p| p.0 == i) {
            let start = start_date(opened_on, last);
            cases::insert_placement(
                conn,
                &Placement {
                    id: PlacementId::from_uuid(uuid::Uuid::now_v7()),
                    case_id: case.id,
                    employer_name: (*employer).into(),
                    posting_id: None,
                    job_title: (*title).into(),
                    start_date: start,
                    hourly_wage_cents: *wage,
                    staff_id: chen.id,
                    recorded_by: chen.id,
                    recorded_at: now,
                    office_code: case.office_code.clone(),
                },
            )?;
        }
    }
    Ok(added)
}

/// A start date a little before the case's last day (or today).
fn start_date(opened_on: NaiveDate, last: NaiveDate) -> NaiveDate {
    let span = (last - opened_on).num_days();
    opened_on + Duration::days(span * 3 / 4)
}
