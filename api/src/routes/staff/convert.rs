//! The staff workspace between the API's shapes and the use cases'.

use merit_domain::{
    case::MAX_HOURLY_WAGE_CENTS,
    ids::{AccountId, PostingId},
    profile::{PhoneNumber, contact_email},
    reference::OfficeCode,
};
use merit_persistence::cases::{Activity, Case, Named, PersonHit, Placement, Subject};

use super::dto::*;
use crate::{
    error::ApiError,
    routes::text::{Line, Paragraphs},
    services::staff::{
        CaseView, Indicators, IndividualHit, OpenCase, RecordActivity, RecordPlacement, Report,
        ReportQuery, SubjectCommand,
    },
    validation::{Fields, id, optional_id},
};

impl OpenCaseRequest {
    /// The checked command.
    pub fn parse(self) -> Result<OpenCase, ApiError> {
        let mut fields = Fields::new();
        let assigned = optional_id::<AccountId>(
            &mut fields,
            "assigned_staff_id",
            self.assigned_staff_id.as_deref(),
        );
        let subject = match self.kind {
            CaseKind::Individual => {
                if self.employer.is_some() {
                    fields.push(
                        "employer",
                        "not_allowed",
                        "An individual's case names no employer.",
                    );
                }
                match self.person_id.as_deref() {
                    Some(text) => {
                        id(&mut fields, "person_id", text).map(SubjectCommand::Individual)
                    }
                    None => {
                        fields.push("person_id", "required", "Name the job seeker's account.");
                        None
                    }
                }
            }
            CaseKind::Employer => {
                if self.person_id.is_some() {
                    fields.push(
                        "person_id",
                        "not_allowed",
                        "An employer's case names no person.",
                    );
                }
                match self.employer {
                    Some(employer) => {
                        let name = employer.name.check(&mut fields, "employer.name");
                        let contact_name = Line::check_optional(
                            employer.contact_name.as_ref(),
                            &mut fields,
                            "employer.contact_name",
                        );
                        let contact_email = fields
                            .check_optional(
                                "employer.contact_email",
                                "invalid_email",
                                employer.contact_email.as_deref().map(contact_email),
                            )
                            .map(|e| e.as_str().to_owned());
                        let contact_phone = fields
                            .check_optional(
                                "employer.contact_phone",
                                "invalid_phone",
                                employer.contact_phone.as_deref().map(PhoneNumber::parse),
                            )
                            .map(|p| p.as_str().to_owned());
                        name.map(|name| SubjectCommand::Employer {
                            name,
                            contact_name,
                            contact_email,
                            contact_phone,
                        })
                    }
                    None => {
                        fields.push("employer", "required", "Name the employer.");
                        None
                    }
                }
            }
        };
        let command = match (subject, assigned) {
            (Some(subject), Some(assigned_staff_id)) => Some(OpenCase {
                subject,
                assigned_staff_id,
            }),
            _ => None,
        };
        fields.into_result(command)
    }
}

/// The staff member an assignment names.
pub fn assignee(body: &AssignCaseRequest) -> Result<AccountId, ApiError> {
    let mut fields = Fields::new();
    let found = id(&mut fields, "assigned_staff_id", &body.assigned_staff_id);
    fields.into_result(found)
}

impl ActivityRequest {
    /// The checked command.
    pub fn parse(self) -> Result<RecordActivity, ApiError> {
        let mut fields = Fields::new();
        let staff_id = optional_id::<AccountId>(&mut fields, "staff_id", self.staff_id.as_deref());
        let note = Paragraphs::check_optional(self.note.as_ref(), &mut fields, "note");
        let command = staff_id.map(|staff_id| RecordActivity {
            code: self.code.into(),
            provided_on: self.provided_on,
            staff_id,
            note,
        });
        fields.into_result(command)
    }
}

impl PlacementRequest {
    /// The checked command.
    pub fn parse(self) -> Result<RecordPlacement, ApiError> {
        let mut fields = Fields::new();
        let employer_name = self.employer_name.check(&mut fields, "employer_name");
        let posting_id =
            optional_id::<PostingId>(&mut fields, "posting_id", self.posting_id.as_deref());
        let job_title = Line::check_optional(self.job_title.as_ref(), &mut fields, "job_title");
        let staff_id = optional_id::<AccountId>(&mut fields, "staff_id", self.staff_id.as_deref());
        let wage = i64::try_from(self.hourly_wage_cents).unwrap_or(i64::MAX);
        if !(1..=MAX_HOURLY_WAGE_CENTS).contains(&wage) {
            fields.push(
                "hourly_wage_cents",
                "out_of_range",
                format!("An hourly wage is 1 to {MAX_HOURLY_WAGE_CENTS} cents."),
            );
        }
        let command = match (employer_name, posting_id, staff_id) {
            (Some(employer_name), Some(posting_id), Some(staff_id)) => Some(RecordPlacement {
                employer_name,
                posting_id,
                job_title,
                start_date: self.start_date,
                hourly_wage_cents: wage,
                staff_id,
            }),
            _ => None,
        };
        fields.into_result(command)
    }
}

/// The checked quick-search text.
pub fn search_text(q: &str) -> Result<String, ApiError> {
    let mut fields = Fields::new();
    let text = crate::validation::text(&mut fields, "q", merit_domain::text::line(q, 100));
    fields.into_result(text)
}

impl IndicatorsQuery {
    /// The checked query.
    pub fn parse(self) -> Result<ReportQuery, ApiError> {
        let mut fields = Fields::new();
        let office = fields.check_optional(
            "office_code",
            "invalid_code",
            self.office_code.as_deref().map(OfficeCode::parse),
        );
        let staff_id = optional_id::<AccountId>(&mut fields, "staff_id", self.staff_id.as_deref());
        let bad_office = self.office_code.is_some() && office.is_none();
        let query = staff_id
            .filter(|_| !bad_office)
            .map(|staff_id| ReportQuery {
                from: self.from,
                to: self.to,
                office,
                staff_id,
            });
        fields.into_result(query)
    }
}

impl From<Named> for PersonRef {
    fn from(n: Named) -> Self {
        PersonRef {
            id: n.id.to_string(),
            first_name: n.first_name,
            last_name: n.last_name,
            email: n.email,
            username: n.username,
        }
    }
}

impl CaseResponse {
    /// The response for a case.
    pub fn new(view: CaseView) -> Self {
        let CaseView {
            case,
            person,
            assigned,
        } = view;
        let employer = match &case.subject {
            Subject::Employer {
                name,
                contact_name,
                contact_email,
                contact_phone,
            } => Some(EmployerResponse {
                name: name.clone(),
                contact_name: contact_name.clone(),
                contact_email: contact_email.clone(),
                contact_phone: contact_phone.clone(),
            }),
            Subject::Individual { .. } => None,
        };
        let assigned_staff = assigned.map(PersonRef::from).unwrap_or_else(|| PersonRef {
            id: case.assigned_staff_id.to_string(),
            first_name: String::new(),
            last_name: String::new(),
            email: None,
            username: None,
        });
        CaseResponse {
            id: case.id.to_string(),
            kind: case.subject.kind().into(),
            office_code: case.office_code,
            person: person.map(PersonRef::from),
            employer,
            assigned_staff,
            status: case.status.into(),
            opened_at: case.opened_at,
            closed_at: case.closed_at,
            close_reason: case.close_reason.map(Into::into),
            updated_at: case.updated_at,
            version: case.version,
        }
    }
}

impl CaseRef {
    fn new(case: Case) -> Self {
        CaseRef {
            id: case.id.to_string(),
            office_code: case.office_code,
            status: case.status.into(),
            assigned_staff_id: case.assigned_staff_id.to_string(),
        }
    }
}

impl IndividualResult {
    /// The response for a hit.
    pub fn new(hit: IndividualHit) -> Self {
        let PersonHit {
            id,
            first_name,
            last_name,
            email,
            username,
            phone,
        } = hit.person;
        IndividualResult {
            id: id.to_string(),
            first_name,
            last_name,
            email,
            username,
            phone,
            cases: hit.cases.into_iter().map(CaseRef::new).collect(),
        }
    }
}

impl ActivityResponse {
    /// The response for a service.
    pub fn new(a: Activity) -> Self {
        ActivityResponse {
            id: a.id.to_string(),
            case_id: a.case_id.to_string(),
            code: a.code.into(),
            provided_on: a.provided_on,
            staff_id: a.staff_id.to_string(),
            note: a.note,
            recorded_by: a.recorded_by.to_string(),
            recorded_at: a.recorded_at,
        }
    }
}

impl PlacementResponse {
    /// The response for a placement.
    pub fn new(p: Placement) -> Self {
        PlacementResponse {
            id: p.id.to_string(),
            case_id: p.case_id.to_string(),
            employer_name: p.employer_name,
            posting_id: p.posting_id.map(|id| id.to_string()),
            job_title: p.job_title,
            start_date: p.start_date,
            hourly_wage_cents: p.hourly_wage_cents,
            staff_id: p.staff_id.to_string(),
            recorded_by: p.recorded_by.to_string(),
            recorded_at: p.recorded_at,
        }
    }
}

impl IndicatorsDto {
    fn new(i: Indicators) -> Self {
        IndicatorsDto {
            placements: i.placements,
            activities: i
                .activities
                .into_iter()
                .map(|(code, count)| ActivityCount {
                    code: code.into(),
                    count,
                })
                .collect(),
            cases_opened: i.cases_opened,
            cases_closed: i.cases_closed,
        }
    }
}

impl IndicatorsResponse {
    /// The response for a report.
    pub fn new(r: Report) -> Self {
        IndicatorsResponse {
            office_code: r.office,
            from: r.from,
            to: r.to,
            totals: IndicatorsDto::new(r.totals),
            staff: r
                .staff
                .into_iter()
                .map(|s| StaffIndicatorsDto {
                    staff: s.staff.into(),
                    indicators: IndicatorsDto::new(s.indicators),
                })
                .collect(),
        }
    }
}
