//! The employee roster import: JSON or CSV, checked row by row, imported all or nothing.

use std::collections::HashSet;

use actix_web::{HttpMessage, HttpRequest, put, web};
use merit_domain::{
    account::{EmailAddress, EmployeeId, PersonName, RosterStatus},
    reference::DepartmentCode,
};
use merit_persistence::roster::RosterEntry;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::{
    auth::Admin,
    error::{ApiError, Code},
    extract::{is_json, parse_json_body, read_body},
    openapi::Forbidden,
    services::employees,
    state::AppState,
    validation::Fields,
};

/// The largest roster file accepted (about 100,000 employees).
pub const ROSTER_LIMIT: usize = 16 * 1024 * 1024;

/// The columns of a CSV roster, in any order after this header line.
pub const CSV_COLUMNS: &str =
    "employee_id,first_name,last_name,department_code,business_email,status";

/// An employee's status on the roster.
#[derive(Debug, Clone, Copy, Deserialize, Serialize, ToSchema, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum RosterStatusName {
    /// Employed: internal access.
    Active,
    /// Left State service: no internal access.
    Separated,
}

/// One employee of the roster.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RosterRow {
    /// The Employee ID: 4 to 12 digits.
    #[schema(pattern = "^[0-9]{4,12}$", example = "00123456")]
    pub employee_id: String,
    /// Given name.
    #[schema(min_length = 1, max_length = 100)]
    pub first_name: String,
    /// Family name.
    #[schema(min_length = 1, max_length = 100)]
    pub last_name: String,
    /// The employing department's code.
    #[schema(min_length = 2, max_length = 12, example = "DMV")]
    pub department_code: String,
    /// The business email address, where set-password links go.
    #[schema(min_length = 3, max_length = 254)]
    pub business_email: String,
    /// Active or separated.
    pub status: RosterStatusName,
}

/// The whole roster.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RosterImportRequest {
    /// Every employee (at least one). Employees on the current roster and missing here become
    /// separated; an empty roster is refused (`empty_roster`), since it would separate everyone.
    #[schema(min_items = 1)]
    pub employees: Vec<RosterRow>,
}

/// What the import did.
#[derive(Debug, Serialize, ToSchema)]
#[serde(deny_unknown_fields)] // closes the schema: additionalProperties: false
pub struct RosterImportResponse {
    /// New employees.
    pub created: usize,
    /// Employees whose details changed.
    pub updated: usize,
    /// Employees who became separated (marked so, or missing from the import).
    pub separated: usize,
    /// Employees unchanged.
    pub unchanged: usize,
    /// Rows imported.
    pub total: usize,
}

fn parse_csv(body: &[u8]) -> Result<Vec<RosterRow>, ApiError> {
    let mut reader = csv::ReaderBuilder::new()
        .trim(csv::Trim::All)
        .from_reader(body);
    let headers = reader
        .headers()
        .map_err(|e| malformed_csv(&e.to_string()))?
        .clone();
    let expected: HashSet<&str> = CSV_COLUMNS.split(',').collect();
    let found: HashSet<&str> = headers.iter().collect();
    if expected != found {
        return Err(malformed_csv(&format!(
            "the first line must name the columns {CSV_COLUMNS}"
        )));
    }
    let mut rows = Vec::new();
    let mut errors = Fields::new();
    for (index, record) in reader.deserialize::<RosterRow>().enumerate() {
        match record {
            Ok(row) => rows.push(row),
            Err(e) => errors.push(&format!("rows[{index}]"), "invalid_row", e.to_string()),
        }
    }
    errors.finish()?;
    Ok(rows)
}

fn malformed_csv(reason: &str) -> ApiError {
    ApiError::new(
        Code::MalformedCsv,
        format!("The CSV roster cannot be read: {reason}."),
    )
}

/// Checks every row; every problem of every row is reported together.
fn check_rows(rows: Vec<RosterRow>, prefix: &str) -> Result<Vec<(String, RosterEntry)>, ApiError> {
    if rows.is_empty() {
        // Most likely the wrong file: applied, it would take internal access from everyone.
        return Err(ApiError::invalid(
            prefix,
            "empty_roster",
            "The roster has no employees; importing it would separate every employee. To \
             separate employees, list them with the status separated.",
        ));
    }
    let mut fields = Fields::new();
    let mut seen = HashSet::new();
    let mut entries = Vec::with_capacity(rows.len());
    for (index, row) in rows.into_iter().enumerate() {
        let at = format!("{prefix}[{index}]");
        let id = fields.check(
            &format!("{at}.employee_id"),
            "invalid_employee_id",
            EmployeeId::parse(&row.employee_id),
        );
        if id
            .as_ref()
            .is_some_and(|id| !seen.insert(id.as_str().to_owned()))
        {
            fields.push(
                &format!("{at}.employee_id"),
                "duplicate_employee_id",
                "This Employee ID appears on an earlier row.",
            );
        }
        let first = fields.check(
            &format!("{at}.first_name"),
            "invalid_name",
            PersonName::parse(&row.first_name),
        );
        let last = fields.check(
            &format!("{at}.last_name"),
            "invalid_name",
            PersonName::parse(&row.last_name),
        );
        let department = fields.check(
            &format!("{at}.department_code"),
            "invalid_code",
            DepartmentCode::parse(&row.department_code),
        );
        let email = fields.check(
            &format!("{at}.business_email"),
            "invalid_email",
            EmailAddress::parse(&row.business_email),
        );
        let status = match row.status {
            RosterStatusName::Active => RosterStatus::Active,
            RosterStatusName::Separated => RosterStatus::Separated,
        };
        if let (
            Some(employee_id),
            Some(first_name),
            Some(last_name),
            Some(department),
            Some(business_email),
        ) = (id, first, last, department, email)
        {
            entries.push((
                at,
                RosterEntry {
                    employee_id,
                    first_name,
                    last_name,
                    department,
                    business_email,
                    status,
                },
            ));
        }
    }
    fields.finish()?;
    Ok(entries)
}

/// Import the employee roster
///
/// Replaces the roster, as JSON (`application/json`) or CSV (`text/csv`, with the header line
/// `employee_id,first_name,last_name,department_code,business_email,status`). Every row is
/// checked first: if any is rejected, the answer lists each rejected row's problems and nothing
/// is imported. Employees missing from the import become separated, and separated employees
/// lose internal access at once.
#[utoipa::path(
    tag = "admin",
    security(("bearer" = [])),
    request_body(content(
        (RosterImportRequest = "application/json"),
        (String = "text/csv", example = "employee_id,first_name,last_name,department_code,business_email,status\n00123456,Ana,Reyes,DMV,ana.reyes@dmv.ca.gov,active\n")
    )),
    responses((status = 200, description = "Imported.", body = RosterImportResponse), (status = 403, response = Forbidden))
)]
#[put("/admin/employee-roster")]
pub async fn import_employee_roster(
    state: web::Data<AppState>,
    Admin(admin): Admin,
    req: HttpRequest,
    payload: web::Payload,
) -> Result<web::Json<RosterImportResponse>, ApiError> {
    let csv = req
        .mime_type()
        .ok()
        .flatten()
        .is_some_and(|m| m.essence_str() == "text/csv");
    if !csv && !is_json(&req) {
        return Err(ApiError::UnsupportedMediaType {
            detail: "Send the roster as application/json or text/csv.".into(),
        });
    }
    let body = read_body(&req, &mut payload.into_inner(), ROSTER_LIMIT).await?;
    let entries = if csv {
        check_rows(parse_csv(&body)?, "rows")?
    } else {
        check_rows(
            parse_json_body::<RosterImportRequest>(&body)?.employees,
            "employees",
        )?
    };
    let total = entries.len();
    let now = state.clock.now();
    let counts = state
        .db
        .write(move |conn| employees::import_roster(conn, admin.id(), entries, now))
        .await?;
    Ok(web::Json(RosterImportResponse {
        created: counts.created,
        updated: counts.updated,
        separated: counts.separated,
        unchanged: counts.unchanged,
        total,
    }))
}
