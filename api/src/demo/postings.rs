//! Demo postings: realistic California state vacancies spread over counties, departments and
//! classifications, some internal-only, made deterministically so every load is the same.

use chrono::{DateTime, Duration, NaiveDate, Utc};
use merit_domain::{
    posting::{Duties, Posting, PostingStatus, PostingTitle, SalaryRange, Visibility},
    reference::{ClassificationCode, CountyCode, DepartmentCode},
    terms::{Shift, Tenure, TimeBase},
};
use merit_persistence::{DbConnection, postings};

use super::reference::{CLASSIFICATIONS, DEPARTMENTS};
use crate::error::ApiError;

/// Counties where state jobs cluster, with weights (Sacramento and Los Angeles lead).
const COUNTIES: &[(&str, u32)] = &[
    ("sacramento", 30),
    ("los-angeles", 18),
    ("san-francisco", 8),
    ("alameda", 6),
    ("san-diego", 6),
    ("fresno", 5),
    ("riverside", 4),
    ("san-bernardino", 4),
    ("orange", 3),
    ("santa-clara", 3),
    ("kern", 3),
    ("san-joaquin", 3),
    ("yolo", 2),
    ("placer", 2),
    ("shasta", 1),
    ("humboldt", 1),
    ("monterey", 1),
    ("ventura", 1),
    ("stanislaus", 1),
    ("solano", 1),
    ("butte", 1),
    ("imperial", 1),
    ("kings", 1),
    ("del-norte", 1),
];

/// Monthly salary ranges (cents) by class code, roughly as published (in dollars below).
fn salary_of(class: &str) -> (i64, i64) {
    let (min, max) = match class {
        "1139" => (3_595, 4_501),
        "1379" => (3_136, 3_926),
        "1402" => (6_219, 8_338),
        "1414" => (7_474, 10_018),
        "1728" => (4_272, 5_348),
        "1741" => (3_595, 4_501),
        "3131" => (7_810, 11_285),
        "4800" => (7_146, 8_876),
        "4801" => (7_846, 9_749),
        "5157" => (4_672, 7_289),
        "5278" => (4_022, 5_037),
        "5393" => (5_732, 7_176),
        "5731" => (5_153, 6_450),
        "9662" => (4_410, 8_316),
        "4177" => (5_538, 6_933),
        "9928" => (3_465, 4_339),
        "8253" => (4_672, 5_887),
        "9275" => (10_372, 13_004),
        "6400" => (3_842, 4_789),
        _ => (5_000, 6_500),
    };
    (min * 100, max * 100)
}

/// Sentences duties are built from, by kind of work.
const DUTIES: &[&str] = &[
    "Under general direction, the incumbent performs complex analytical work in support of program operations, including research, data analysis and the preparation of reports and recommendations for management.",
    "Reviews legislation and regulations for program impact, drafts bill analyses, and coordinates with stakeholders, control agencies and other state departments.",
    "Prepares and monitors budgets, contracts and purchase orders; tracks expenditures and reconciles accounts in the state's financial systems.",
    "Provides customer service to the public by telephone, email and in person; answers questions, processes applications and maintains accurate case records.",
    "Performs clerical and office support duties including typing correspondence, scheduling meetings, maintaining files and entering data with speed and accuracy.",
    "Designs, develops and supports information technology systems; administers servers, networks and databases; responds to incidents and maintains security controls.",
    "Supervises and trains staff, assigns and reviews work, evaluates performance and ensures compliance with department policies and procedures.",
    "Conducts field inspections and investigations, collects evidence, writes detailed reports and testifies at administrative hearings when required.",
    "Maintains safety, security and custody of incarcerated persons; supervises movement and activities and responds to emergencies.",
    "Provides nursing care to patients, administers medications, documents treatment and coordinates with physicians and the interdisciplinary team.",
    "Performs highway maintenance work including pavement repair, snow removal, vegetation control and operation of heavy equipment in all weather.",
    "Analyzes environmental data, prepares environmental documents under CEQA, and coordinates permits with federal, state and local agencies.",
    "Plans, organizes and directs program activities, develops policy options, and represents the department in meetings with executive leadership.",
    "Processes payroll, personnel and benefits transactions, advises employees on rules and bargaining unit provisions, and maintains official records.",
];

const UNITS: &[&str] = &[
    "Budget Office",
    "Human Resources",
    "Information Technology Division",
    "Field Operations",
    "Licensing Section",
    "Program Policy Branch",
    "Contracts Unit",
    "Customer Service Center",
    "Audits Branch",
    "Legislative Affairs",
    "Facilities Management",
    "Emergency Services",
    "Research and Statistics",
    "Compliance Unit",
    "Training Academy",
];

/// A small deterministic generator (SplitMix64), so demo data is the same on every load.
struct Draw(u64);

impl Draw {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }

    fn weighted(&mut self, items: &[(&'static str, u32)]) -> &'static str {
        let total: u32 = items.iter().map(|(_, w)| w).sum();
        let mut roll = (self.next() % u64::from(total.max(1))) as u32;
        for (item, weight) in items {
            if roll < *weight {
                return item;
            }
            roll -= weight;
        }
        items[0].0
    }
}

fn invalid(error: impl std::fmt::Display) -> ApiError {
    ApiError::internal(anyhow::anyhow!("demo posting: {error}"))
}

/// `count` demo postings as of `now` (mostly open, some closed, some internal-only).
pub fn generate(count: usize, now: DateTime<Utc>) -> Result<Vec<Posting>, ApiError> {
    let mut draw = Draw(20_261_123);
    let today = now.date_naive();
    let mut all = Vec::with_capacity(count);
    for n in 0..count {
        let (class_code, class_title) = *draw.pick(CLASSIFICATIONS);
        let (department_code, _) = *draw.pick(DEPARTMENTS);
        let unit = draw.pick(UNITS);
        let title = format!("{class_title} - {unit}");
        let duties = (0..3)
            .map(|_| *draw.pick(DUTIES))
            .collect::<Vec<_>>()
            .join(" ");
        let (min, max) = salary_of(class_code);
        let published = now
            - Duration::hours(i64::try_from(draw.below(24 * 45)).unwrap_or(0))
            - Duration::seconds(n as i64 % 60);
        let filing: NaiveDate =
            today + Duration::days(3 + i64::try_from(draw.below(60)).unwrap_or(0));
        let status = if draw.below(20) == 0 {
            PostingStatus::Closed
        } else {
            PostingStatus::Open
        };
        let mut id = uuid::Uuid::now_v7().into_bytes();
        id[8..16].copy_from_slice(&draw.next().to_be_bytes());
        all.push(Posting {
            id: <merit_domain::ids::PostingId as merit_domain::ids::EntityId>::from_uuid(
                uuid::Uuid::from_bytes(id),
            ),
            department: DepartmentCode::parse(department_code).map_err(invalid)?,
            classification: ClassificationCode::parse(class_code).map_err(invalid)?,
            title: PostingTitle::parse(&title).map_err(invalid)?,
            duties: Duties::parse(&duties).map_err(invalid)?,
            county: CountyCode::parse(draw.weighted(COUNTIES)).map_err(invalid)?,
            tenure: *draw.pick(&[
                Tenure::Permanent,
                Tenure::Permanent,
                Tenure::Permanent,
                Tenure::LimitedTerm,
                Tenure::Temporary,
            ]),
            time_base: *draw.pick(&[
                TimeBase::FullTime,
                TimeBase::FullTime,
                TimeBase::FullTime,
                TimeBase::PartTime,
                TimeBase::Intermittent,
            ]),
            shift: *draw.pick(&[
                Shift::Day,
                Shift::Day,
                Shift::Day,
                Shift::Day,
                Shift::Evening,
                Shift::Night,
                Shift::Rotating,
                Shift::Weekend,
            ]),
            salary: SalaryRange::new(min, max).map_err(invalid)?,
            final_filing_date: filing,
            required_documents: if draw.below(3) == 0 {
                vec!["resume".into(), "statement_of_qualifications".into()]
            } else {
                vec!["resume".into()]
            },
            eligibility_required: draw.below(5) < 3,
            visibility: if draw.below(7) == 0 {
                Visibility::InternalOnly
            } else {
                Visibility::Public
            },
            status,
            published_at: Some(published),
            created_at: published,
            updated_at: published,
            version: 1,
        });
    }
    Ok(all)
}

/// Adds `count` demo postings unless demo postings exist; returns how many were added.
pub fn load(conn: &mut DbConnection, count: usize, now: DateTime<Utc>) -> Result<usize, ApiError> {
    if postings::any_created_by(conn, super::author())? {
        return Ok(0);
    }
    let all = generate(count, now)?;
    postings::insert_many(conn, &all, super::author())?;
    Ok(all.len())
}
