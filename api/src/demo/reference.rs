//! Demo departments, classifications and offices: real California names.

use merit_domain::reference::{
    Classification, ClassificationCode, CountyCode, Department, DepartmentCode, Office, OfficeCode,
    ReferenceName,
};
use merit_persistence::{DbConnection, reference as repo};

use crate::error::ApiError;

/// State departments: (code, name).
pub const DEPARTMENTS: &[(&str, &str)] = &[
    ("ARB", "California Air Resources Board"),
    ("CALFIRE", "Department of Forestry and Fire Protection"),
    ("CALHR", "California Department of Human Resources"),
    ("CALOES", "Governor's Office of Emergency Services"),
    ("CALPERS", "California Public Employees' Retirement System"),
    ("CALTRANS", "Department of Transportation"),
    ("CALVET", "Department of Veterans Affairs"),
    ("CDCR", "Department of Corrections and Rehabilitation"),
    ("CDE", "Department of Education"),
    ("CDFA", "Department of Food and Agriculture"),
    ("CDFW", "Department of Fish and Wildlife"),
    ("CDPH", "Department of Public Health"),
    ("CDT", "California Department of Technology"),
    (
        "CDTFA",
        "California Department of Tax and Fee Administration",
    ),
    ("CHP", "California Highway Patrol"),
    ("DCA", "Department of Consumer Affairs"),
    ("DDS", "Department of Developmental Services"),
    ("DGS", "Department of General Services"),
    ("DHCS", "Department of Health Care Services"),
    ("DIR", "Department of Industrial Relations"),
    ("DMV", "Department of Motor Vehicles"),
    ("DOJ", "Department of Justice"),
    ("DPR", "Department of Parks and Recreation"),
    ("DSH", "Department of State Hospitals"),
    ("DSS", "Department of Social Services"),
    ("DWR", "Department of Water Resources"),
    ("EDD", "Employment Development Department"),
    ("FTB", "Franchise Tax Board"),
    ("HCD", "Department of Housing and Community Development"),
    ("SCO", "State Controller's Office"),
];

/// Civil-service classifications: (class code, title).
pub const CLASSIFICATIONS: &[(&str, &str)] = &[
    ("0761", "Environmental Scientist"),
    ("1139", "Office Technician (Typing)"),
    ("1379", "Office Assistant (Typing)"),
    ("1402", "Information Technology Specialist I"),
    ("1414", "Information Technology Specialist II"),
    ("1728", "Executive Assistant"),
    ("1741", "Accounting Technician"),
    ("3131", "Transportation Engineer (Civil)"),
    ("4800", "Staff Services Manager I"),
    ("4801", "Staff Services Manager II (Supervisory)"),
    ("5157", "Staff Services Analyst (General)"),
    ("5278", "Management Services Technician"),
    ("5393", "Associate Governmental Program Analyst"),
    ("5731", "Research Data Analyst I"),
    ("9662", "Correctional Officer"),
    ("4177", "Associate Accounting Analyst"),
    ("9928", "Program Technician II"),
    ("8253", "Psychiatric Technician"),
    ("9275", "Registered Nurse, Correctional Facility"),
    ("6400", "Highway Maintenance Worker"),
];

/// Workforce offices: (code, name, county).
pub const OFFICES: &[(&str, &str, &str)] = &[
    ("LAO", "Los Angeles America's Job Center", "los-angeles"),
    ("SAC", "Sacramento Works Job Center", "sacramento"),
    ("SFO", "San Francisco Workforce Office", "san-francisco"),
    ("SDO", "San Diego Workforce Partnership Center", "san-diego"),
    ("FRE", "Fresno Regional Workforce Office", "fresno"),
    ("OAK", "Oakland America's Job Center", "alameda"),
    ("RIV", "Riverside County Workforce Office", "riverside"),
    ("SJO", "San Jose Workforce Office", "santa-clara"),
];

fn name(raw: &str) -> Result<ReferenceName, ApiError> {
    ReferenceName::parse(raw).map_err(ApiError::internal)
}

/// Adds what is missing; returns how many items were added.
pub fn load(conn: &mut DbConnection) -> Result<usize, ApiError> {
    let mut added = 0;
    for (code, title) in DEPARTMENTS {
        let code = DepartmentCode::parse(code).map_err(ApiError::internal)?;
        added += usize::from(repo::ensure_department(
            conn,
            &Department {
                code,
                name: name(title)?,
            },
        )?);
    }
    for (code, title) in CLASSIFICATIONS {
        let code = ClassificationCode::parse(code).map_err(ApiError::internal)?;
        added += usize::from(repo::ensure_classification(
            conn,
            &Classification {
                code,
                title: name(title)?,
            },
        )?);
    }
    for (code, title, county) in OFFICES {
        let code = OfficeCode::parse(code).map_err(ApiError::internal)?;
        let county = CountyCode::parse(county).map_err(ApiError::internal)?;
        added += usize::from(repo::ensure_office(
            conn,
            &Office {
                code,
                name: name(title)?,
                county,
            },
        )?);
    }
    Ok(added)
}
