//! The rest of the demo case manager's dashboard: `LAOMCHEN`'s calendar (appointments with
//! people of his case load, done and ahead), announcements from the service desk (to every
//! office, to the Los Angeles office, one expired), letters he sent from an office template,
//! staff resources and labour-market links (for every office and for his) and an open survey
//! for his office, so a frontend team sees every widget with data. Loaded after the case load, once: nothing is
//! added when his calendar holds an appointment already.

use chrono::{DateTime, Duration, Timelike, Utc};
use merit_domain::{
    account::LoginIdentifier,
    appointment::AppointmentStatus,
    case::CaseStatus,
    ids::{AnnouncementId, AppointmentId, EntityId},
    paging::PageLimit,
    resource::ResourceKind,
    survey::{Question, QuestionKind},
};
use merit_persistence::{
    DbConnection, PageRequest, accounts,
    announcements::{self, Announcement},
    appointments::{self, Appointment},
    cases::{self, CaseFilter, Subject},
};

use crate::{
    auth::AuthUser,
    error::ApiError,
    services::staff::{
        correspondence::{self, NewTemplate, SendLetter},
        links::{self, LinkDraft, Shelf},
        surveys::{self, SurveyDraft},
    },
};

/// Appointments: (days from today, hour (UTC), minutes, title, place or video link, status).
const APPOINTMENTS: &[(i64, u32, i64, &str, &str, AppointmentStatus)] = &[
    (
        -9,
        17,
        60,
        "Intake interview",
        "Room 2, LA Downtown AJCC",
        AppointmentStatus::Completed,
    ),
    (
        -6,
        21,
        45,
        "Resume review",
        "Room 2, LA Downtown AJCC",
        AppointmentStatus::Completed,
    ),
    (
        -2,
        18,
        30,
        "Follow-up call",
        "https://meet.example.gov/laomchen",
        AppointmentStatus::NoShow,
    ),
    (
        1,
        16,
        60,
        "Career counseling",
        "Room 2, LA Downtown AJCC",
        AppointmentStatus::Scheduled,
    ),
    (
        2,
        19,
        30,
        "Job referral follow-up",
        "https://meet.example.gov/laomchen",
        AppointmentStatus::Scheduled,
    ),
    (
        4,
        17,
        90,
        "Interview preparation workshop",
        "Training room B",
        AppointmentStatus::Scheduled,
    ),
    (
        8,
        22,
        60,
        "Employer visit: Harborview Logistics",
        "1200 Harbor Blvd, Wilmington",
        AppointmentStatus::Scheduled,
    ),
];

/// Announcements: (title, body, days since published, days until expiry, LA office only).
const ANNOUNCEMENTS: &[(&str, &str, i64, Option<i64>, bool)] = &[
    (
        "CalJOBS maintenance Saturday night",
        "CalJOBS will be unavailable from 10 p.m. Saturday to 2 a.m. Sunday for maintenance. Save case notes before 10 p.m.",
        1,
        Some(6),
        false,
    ),
    (
        "New WIOA eligibility guide",
        "The updated WIOA Title I eligibility guide is in Staff Online Resources. Please use it for every enrolment from the first of the month.",
        5,
        None,
        false,
    ),
    (
        "LA Downtown hiring event on the 18th",
        "Twelve employers will interview on site. Refer job-ready individuals of your case load and record each referral as a service.",
        3,
        Some(20),
        true,
    ),
    (
        "Holiday schedule posted",
        "The office holiday schedule for last month was posted.",
        40,
        Some(-10),
        false,
    ),
];

/// Staff resources: (title, link, kind, description, for his office only).
const RESOURCES: &[(&str, &str, ResourceKind, &str, bool)] = &[
    (
        "CalJOBS case management guide",
        "https://caljobs.example.gov/staff/case-management-guide.pdf",
        ResourceKind::Guide,
        "Opening, working and closing individual and employer cases; activity codes.",
        false,
    ),
    (
        "Recording services and placements (video, 12 minutes)",
        "https://training.example.gov/caljobs/services-and-placements",
        ResourceKind::TrainingVideo,
        "A walk-through of recording services and placements on a case.",
        false,
    ),
    (
        "LA Downtown AJCC intake checklist",
        "https://lao.example.gov/forms/intake-checklist.pdf",
        ResourceKind::Form,
        "What to collect at a first visit at the Los Angeles office.",
        true,
    ),
];

/// Labour-market links: (title, link, region, description, for his office only).
const LABOR_MARKET: &[(&str, &str, &str, &str, bool)] = &[
    (
        "Labor Market Information Division",
        "https://labormarketinfo.example.gov/",
        "California",
        "Employment projections, wages and occupational guides for the state.",
        false,
    ),
    (
        "Los Angeles County labor market snapshot",
        "https://labormarketinfo.example.gov/regions/los-angeles",
        "Los Angeles County",
        "Monthly unemployment, top growing occupations and industries in the county.",
        true,
    ),
];

const TEMPLATE_SUBJECT: &str = "Your next steps with the LA Downtown AJCC";
const TEMPLATE_BODY: &str = "Dear {{first_name}} {{last_name}},\n\nThank you for meeting with me. As we discussed, please bring your updated resume and two references to your next appointment.\n\nYour case number is {{case_id}}.\n\n{{staff_name}}\n{{office_name}}";

fn bad(error: impl std::fmt::Display) -> ApiError {
    ApiError::internal(anyhow::anyhow!("demo workspace: {error}"))
}

/// Adds the calendar, announcements and letters unless Marcus Chen has an appointment;
/// returns how many records were added.
pub fn load(conn: &mut DbConnection, now: DateTime<Utc>) -> Result<usize, ApiError> {
    let staff = LoginIdentifier::Username("laomchen".into());
    let Some((chen, _)) = accounts::find_for_login(conn, &staff)? else {
        return Ok(0);
    };
    let Some(office) = chen.office.clone() else {
        return Ok(0);
    };
    let (years_ago, years_ahead) = (now - Duration::days(3650), now + Duration::days(3650));
    if appointments::first_conflict(conn, chen.id, years_ago, years_ahead, None)?.is_some() {
        return Ok(0);
    }
    let admin = LoginIdentifier::Username("admin".into());
    let admin_id = accounts::find_for_login(conn, &admin)?.map(|(a, _)| a.id);
    let cases = cases::list(
        conn,
        &CaseFilter {
            assigned_staff_id: Some(chen.id),
            status: Some(CaseStatus::Active),
            ..CaseFilter::default()
        },
        PageRequest {
            after: None,
            limit: PageLimit::DEFAULT,
        },
    )?
    .items;
    let individuals: Vec<_> = cases
        .iter()
        .filter(|c| matches!(c.subject, Subject::Individual { .. }))
        .collect();
    let mut added = 0;

    let day_start = now
        .with_hour(0)
        .and_then(|t| t.with_minute(0))
        .and_then(|t| t.with_second(0))
        .and_then(|t| t.with_nanosecond(0))
        .unwrap_or(now);
    for (i, (days, hour, minutes, title, place, status)) in APPOINTMENTS.iter().enumerate() {
        let starts_at = day_start + Duration::days(*days) + Duration::hours(i64::from(*hour));
        let (location, video_url) = if place.starts_with("https://") {
            (None, Some((*place).to_owned()))
        } else {
            (Some((*place).to_owned()), None)
        };
        let case = individuals.get(i % individuals.len().max(1));
        let made = (starts_at - Duration::days(7)).min(now);
        appointments::insert(
            conn,
            &Appointment {
                id: AppointmentId::from_uuid(uuid::Uuid::now_v7()),
                office_code: office.as_str().to_owned(),
                staff_id: chen.id,
                case_id: case.map(|c| c.id),
                title: (*title).to_owned(),
                starts_at,
                ends_at: starts_at + Duration::minutes(*minutes),
                location,
                video_url,
                status: *status,
                created_by: chen.id,
                created_at: made,
                updated_at: made,
                version: 1,
            },
        )?;
        added += 1;
    }

    if let Some(admin_id) = admin_id {
        for (title, body, age, expires_in, la_only) in ANNOUNCEMENTS {
            let publish_at = now - Duration::days(*age);
            announcements::insert(
                conn,
                &Announcement {
                    id: AnnouncementId::from_uuid(uuid::Uuid::now_v7()),
                    title: (*title).to_owned(),
                    body: (*body).to_owned(),
                    offices: if *la_only {
                        vec![office.as_str().to_owned()]
                    } else {
                        Vec::new()
                    },
                    roles: Vec::new(),
                    publish_at,
                    expire_at: expires_in.map(|days| now + Duration::days(days)),
                    withdrawn_at: None,
                    created_by: admin_id,
                    created_at: publish_at,
                    updated_at: publish_at,
                    version: 1,
                },
            )?;
            added += 1;
        }
    }

    // Resources, labour-market links and a survey, through their use cases (audited as an
    // admin's would be).
    if let Some((admin, _)) = accounts::find_for_login(conn, &admin)? {
        let admin = AuthUser {
            account: admin,
            session_id: None,
            employee: None,
            client: None,
        };
        let offices = |mine: bool| {
            if mine {
                vec![office.clone()]
            } else {
                Vec::new()
            }
        };
        for (title, url, kind, description, mine) in RESOURCES {
            let draft = LinkDraft {
                title: (*title).into(),
                url: (*url).into(),
                kind: Some(*kind),
                region: None,
                description: Some((*description).into()),
                offices: offices(*mine),
            };
            links::add(conn, &admin, Shelf::Resources, draft, now).map_err(bad)?;
            added += 1;
        }
        for (title, url, region, description, mine) in LABOR_MARKET {
            let draft = LinkDraft {
                title: (*title).into(),
                url: (*url).into(),
                kind: None,
                region: Some((*region).into()),
                description: Some((*description).into()),
                offices: offices(*mine),
            };
            links::add(conn, &admin, Shelf::LaborMarket, draft, now).map_err(bad)?;
            added += 1;
        }
        let question =
            |prompt: &str, kind: QuestionKind, options: &[&str], required: bool| Question {
                prompt: prompt.into(),
                kind,
                options: options.iter().map(|o| (*o).to_owned()).collect(),
                required,
            };
        let draft = SurveyDraft {
            title: "How is the new staff dashboard working for you?".into(),
            description: Some(
                "Five minutes, anonymous: results show counts and comments, never names.".into(),
            ),
            questions: vec![
                question(
                    "How useful is the dashboard in your day?",
                    QuestionKind::Rating,
                    &[],
                    true,
                ),
                question(
                    "Which widgets do you use most?",
                    QuestionKind::MultipleChoice,
                    &[
                        "Active Case Load",
                        "My Calendar",
                        "My Correspondence",
                        "Need Help or More Information",
                    ],
                    false,
                ),
                question(
                    "How do you usually open a case?",
                    QuestionKind::SingleChoice,
                    &[
                        "From Quick Search",
                        "From the case list",
                        "From an appointment",
                    ],
                    true,
                ),
                question("What should we change?", QuestionKind::FreeText, &[], false),
            ],
            opens_at: Some(now - Duration::days(2)),
            closes_at: now + Duration::days(28),
            offices: vec![office.clone()],
        };
        surveys::create(conn, &admin, draft, now).map_err(bad)?;
        added += 1;
    }

    // Letters go through the workspace's own use case, so each reaches the person's inbox
    // and the outbox as a real one does.
    let user = AuthUser {
        account: chen,
        session_id: None,
        employee: None,
        client: None,
    };
    let template = correspondence::create_template(
        conn,
        &user,
        NewTemplate {
            office: None,
            name: "Next steps".into(),
            subject: TEMPLATE_SUBJECT.into(),
            body: TEMPLATE_BODY.into(),
        },
        now,
    )
    .map_err(bad)?;
    added += 1;
    // The demo applicants who can sign in first, so their inboxes show the letters.
    let mut applicants = Vec::new();
    for email in super::cases::DEMO_APPLICANTS {
        if let Some(account) = accounts::find_by_email_key(conn, email)?.into_iter().next() {
            applicants.push(account.id);
        }
    }
    let mut recipients: Vec<_> = individuals.clone();
    recipients.sort_by_key(|c| match &c.subject {
        Subject::Individual { person_id } => !applicants.contains(person_id),
        Subject::Employer { .. } => true,
    });
    for case in recipients.iter().take(3) {
        correspondence::send(
            conn,
            &user,
            SendLetter {
                case: case.id,
                template: template.id,
            },
            now,
        )?;
        added += 1;
    }
    Ok(added)
}
