//! Demo applicants with a profile, application templates and small documents. Each is made
//! once: an applicant whose email address exists already is left alone.

use chrono::{DateTime, NaiveDate, Utc};
use merit_domain::{
    account::{EmailAddress, LoginIdentifier, PersonName, Role},
    ids::{AccountId, DocumentId, EntityId, TemplateId},
    profile::{
        ConditionsOfEmployment, DocumentFormat, DocumentKind, Education, Language, MailingAddress,
        Period, PhoneNumber, PositionSought, PostalCode, Profile, SafeFileName, Salary,
        SalaryPeriod, StandardQuestion, Supervisor, TemplateContent, UnitKind, Units, UsState,
        WorkExperience,
    },
    reference::{ClassificationCode, CountyCode, DepartmentCode},
    terms::{Shift, Tenure, TimeBase},
};
use merit_persistence::{
    DbConnection, accounts, documents, documents::StoredDocument, profiles, templates,
};
use sha2::{Digest, Sha256};

use crate::{auth::hashing::PasswordHasher, db::Db, error::ApiError, storage::DocumentStore};

/// The password of every demo applicant (documented in the README).
pub const DEMO_PASSWORD: &str = "Poppy.Meadow42";

/// A demo applicant.
#[derive(Debug)]
struct Person {
    first: &'static str,
    last: &'static str,
    email: &'static str,
    county: &'static str,
    departments: &'static [&'static str],
    seeking: &'static str,
    class_code: &'static str,
}

const PEOPLE: &[Person] = &[
    Person {
        first: "Maria",
        last: "Santos",
        email: "maria.santos@example.org",
        county: "sacramento",
        departments: &["DMV", "EDD", "DGS"],
        seeking: "Staff Services Analyst",
        class_code: "5157",
    },
    Person {
        first: "David",
        last: "Nguyen",
        email: "david.nguyen@example.org",
        county: "los-angeles",
        departments: &["CDT", "FTB"],
        seeking: "Information Technology Specialist I",
        class_code: "1402",
    },
    Person {
        first: "Aisha",
        last: "Johnson",
        email: "aisha.johnson@example.org",
        county: "fresno",
        departments: &["CDPH", "DHCS"],
        seeking: "Office Technician (Typing)",
        class_code: "1139",
    },
];

fn bad(error: impl std::fmt::Display) -> ApiError {
    ApiError::internal(anyhow::anyhow!("demo data: {error}"))
}

fn day(y: i32, m: u32, d: u32) -> Option<NaiveDate> {
    NaiveDate::from_ymd_opt(y, m, d)
}

/// Adds the demo applicants that are missing; returns how many were added.
pub async fn load(db: &Db, store: &DocumentStore, now: DateTime<Utc>) -> Result<usize, ApiError> {
    let hasher = PasswordHasher::new(1, 8);
    let mut added = 0;
    for person in PEOPLE {
        let email = EmailAddress::parse(person.email).map_err(bad)?;
        let key = LoginIdentifier::Email(email.key());
        if db
            .read(move |conn| Ok(accounts::find_for_login(conn, &key)?))
            .await?
            .is_some()
        {
            continue;
        }
        let hash = hasher.hash(DEMO_PASSWORD.to_owned()).await?;
        let files = documents_of(person, now);
        for (document, bytes) in &files {
            store.put_bytes(&document.object_key, bytes.clone()).await?;
        }
        let rows: Vec<StoredDocument> = files.iter().map(|(d, _)| d.clone()).collect();
        let written = db
            .write(move |conn| add_person(conn, person, &email, &hash, &rows, now))
            .await;
        if let Err(error) = written {
            for (document, _) in &files {
                let _ = store.delete(&document.object_key).await;
            }
            return Err(error);
        }
        added += 1;
    }
    Ok(added)
}

fn add_person(
    conn: &mut DbConnection,
    person: &Person,
    email: &EmailAddress,
    hash: &str,
    files: &[StoredDocument],
    now: DateTime<Utc>,
) -> Result<(), ApiError> {
    let id = AccountId::from_uuid(uuid::Uuid::now_v7());
    let (first, last) = (
        PersonName::parse(person.first).map_err(bad)?,
        PersonName::parse(person.last).map_err(bad)?,
    );
    accounts::insert(
        conn,
        &accounts::NewAccount {
            id,
            username: None,
            email: Some(email),
            employee_id: None,
            first_name: &first,
            last_name: &last,
            password_hash: Some(hash),
            temporary_password_expires_at: None,
            department: None,
            office: None,
            roles: &[Role::Applicant],
        },
        now,
    )?;
    accounts::mark_email_verified(conn, id, now)?;
    profiles::save(conn, id, &profile(person)?, 0, now)?;
    for (name, is_default, content) in [
        (
            format!("{} positions", person.seeking),
            true,
            content(person, true)?,
        ),
        ("Short form".to_owned(), false, content(person, false)?),
    ] {
        let write = templates::TemplateWrite {
            name: &name,
            is_default,
            content: &content,
        };
        let template_id = TemplateId::from_uuid(uuid::Uuid::now_v7());
        templates::insert(conn, id, template_id, write, now)?;
    }
    for file in files {
        documents::insert(conn, id, file)?;
    }
    Ok(())
}

fn profile(person: &Person) -> Result<Profile, ApiError> {
    Ok(Profile {
        phone: Some(PhoneNumber::parse("(916) 555-0142").map_err(bad)?),
        mailing_address: Some(MailingAddress {
            line1: "1500 Capitol Ave".into(),
            line2: Some("Apt 4".into()),
            city: "Sacramento".into(),
            state: UsState::parse("CA").map_err(bad)?,
            postal_code: PostalCode::parse("95814").map_err(bad)?,
        }),
        supervisors: vec![Supervisor {
            name: "Pat Lee".into(),
            title: Some("Office Manager".into()),
            phone: Some(PhoneNumber::parse("916-555-0199").map_err(bad)?),
            email: Some(EmailAddress::parse("pat.lee@example.org").map_err(bad)?),
            employer: Some("Sacramento Food Bank".into()),
        }],
        conditions: ConditionsOfEmployment {
            tenures: [Tenure::Permanent, Tenure::LimitedTerm].into(),
            time_bases: [TimeBase::FullTime].into(),
            counties: [CountyCode::parse(person.county).map_err(bad)?].into(),
            departments: person
                .departments
                .iter()
                .map(|d| DepartmentCode::parse(d).map_err(bad))
                .collect::<Result<_, _>>()?,
            shifts: [Shift::Day].into(),
            accepts_contact: true,
        },
    })
}

fn content(person: &Person, full: bool) -> Result<TemplateContent, ApiError> {
    let position_sought = Some(PositionSought {
        title: person.seeking.into(),
        classification: Some(ClassificationCode::parse(person.class_code).map_err(bad)?),
    });
    if !full {
        return Ok(TemplateContent {
            position_sought,
            ..TemplateContent::default()
        });
    }
    Ok(TemplateContent {
        position_sought,
        education: vec![Education {
            school: "California State University, Sacramento".into(),
            location: Some("Sacramento, CA".into()),
            degree: Some("B.A.".into()),
            major: Some("Public Administration".into()),
            units: Some(Units {
                completed: 124,
                kind: UnitKind::Semester,
            }),
            attended: Period::new(day(2016, 8, 22), day(2020, 5, 15)).map_err(bad)?,
        }],
        work_experience: vec![WorkExperience {
            employer: "Sacramento Food Bank".into(),
            address: Some("3333 3rd Ave, Sacramento, CA 95817".into()),
            supervisor_name: Some("Pat Lee".into()),
            supervisor_phone: Some(PhoneNumber::parse("916-555-0199").map_err(bad)?),
            title: "Program Assistant".into(),
            period: Period::new(day(2020, 6, 1), None).map_err(bad)?,
            hours_per_week: Some(40),
            salary: Some(Salary {
                amount_cents: 420_000,
                per: SalaryPeriod::Month,
            }),
            duties: Some("Scheduled volunteers.\nKept the donor records.".into()),
            reason_for_leaving: None,
        }],
        licences: Vec::new(),
        languages: vec![Language {
            language: "Spanish".into(),
            speaks: true,
            reads: true,
            writes: false,
        }],
        answers: [
            (StandardQuestion::EligibleToWorkInUs, true),
            (StandardQuestion::CurrentStateEmployee, false),
        ]
        .into(),
    })
}

/// A one-page PDF saying `text` (valid enough for any viewer to open).
fn pdf(text: &str) -> Vec<u8> {
    let stream = format!("BT /F1 18 Tf 72 720 Td ({text}) Tj ET");
    let objects = [
        "<< /Type /Catalog /Pages 2 0 R >>".to_owned(),
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_owned(),
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>".to_owned(),
        format!("<< /Length {} >>\nstream\n{stream}\nendstream", stream.len()),
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>".to_owned(),
    ];
    let mut out = b"%PDF-1.4\n".to_vec();
    let mut offsets = Vec::new();
    for (i, body) in objects.iter().enumerate() {
        offsets.push(out.len());
        out.extend(format!("{} 0 obj\n{body}\nendobj\n", i + 1).as_bytes());
    }
    let xref = out.len();
    out.extend(format!("xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1).as_bytes());
    for offset in offsets {
        out.extend(format!("{offset:010} 00000 n \n").as_bytes());
    }
    out.extend(
        format!(
            "trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n",
            objects.len() + 1
        )
        .as_bytes(),
    );
    out
}

fn documents_of(person: &Person, now: DateTime<Utc>) -> Vec<(StoredDocument, Vec<u8>)> {
    let name = format!("{} {}", person.first, person.last);
    [
        (
            DocumentKind::Resume,
            "Résumé",
            format!("{name} resume.pdf"),
            DocumentFormat::Pdf,
            pdf(&format!("{name} - Resume")),
        ),
        (
            DocumentKind::CoverLetter,
            "Cover letter",
            "cover letter.txt".to_owned(),
            DocumentFormat::Text,
            format!(
                "Dear hiring manager,\n\nI am applying for the {} position.\n\n{name}\n",
                person.seeking
            )
            .into_bytes(),
        ),
    ]
    .into_iter()
    .map(|(kind, title, file_name, format, bytes)| {
        let document = StoredDocument {
            id: DocumentId::from_uuid(uuid::Uuid::now_v7()),
            kind,
            title: title.into(),
            file_name: SafeFileName::sanitise(&file_name, format),
            media_type: format.media_type().into(),
            size_bytes: bytes.len() as u64,
            sha256: hex::encode(Sha256::digest(&bytes)),
            object_key: DocumentStore::new_key(),
            created_at: now,
        };
        (document, bytes)
    })
    .collect()
}
