//! Reference data: departments, job classifications, locations (counties) and offices.

mod codes;

pub use codes::{
    ClassificationCode, CodeError, CountyCode, DepartmentCode, OfficeCode, ReferenceName,
};

/// A state department that posts vacancies, such as the Department of Motor Vehicles.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Department {
    /// Its code, also the username prefix of its employer accounts.
    pub code: DepartmentCode,
    /// Its full name.
    pub name: ReferenceName,
}

/// A civil-service job classification, such as Office Technician (Typing).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Classification {
    /// The State's class code.
    pub code: ClassificationCode,
    /// The class title.
    pub title: ReferenceName,
}

/// A location where jobs are: one of California's counties.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Location {
    /// A readable slug such as `los-angeles`.
    pub code: CountyCode,
    /// The county's name.
    pub name: ReferenceName,
    /// The five-digit FIPS county code, such as `06037`.
    pub fips: String,
}

/// A workforce office whose staff work case loads.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Office {
    /// Its code, the username prefix of its staff (`LAO` gives `LAOJDOE`).
    pub code: OfficeCode,
    /// The office's name.
    pub name: ReferenceName,
    /// The county it serves.
    pub county: CountyCode,
}
