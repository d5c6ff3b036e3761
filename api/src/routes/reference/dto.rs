//! Request and response shapes of the reference endpoints.

use merit_domain::reference::{
    Classification, ClassificationCode, CountyCode, Department, DepartmentCode, Location, Office,
    OfficeCode, ReferenceName,
};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::{
    error::{ApiError, FieldError},
    paging,
    routes::{
        strings::{ClassificationCodeValue, CountyCodeValue, DepartmentCodeValue, OfficeCodeValue},
        text::Line,
    },
    services::reference::ReferenceList,
    validation::Fields,
};

/// Filters and paging of every reference list.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ReferenceQuery {
    /// Only the item with this code (any letter case).
    #[param(max_length = 32, pattern = r"^[^\u0000]*$")]
    pub code: Option<String>,
    /// Only items whose name (or title) starts with this text, ignoring letter case.
    #[param(min_length = 1, max_length = 100, pattern = r"^[^\u0000]*$")]
    pub name_prefix: Option<String>,
    /// Items per page, 1 to 100.
    #[param(minimum = 1, maximum = 100, default = 20)]
    pub limit: Option<u64>,
    /// The `next_cursor` of the previous page.
    #[param(max_length = 512)]
    pub cursor: Option<String>,
}

impl ReferenceQuery {
    /// Checks every parameter at once (422 listing each bad one; 400 for a foreign cursor).
    /// `normalise` puts a code filter in the list's letter case.
    pub fn into_list(
        self,
        list: &str,
        normalise: fn(&str) -> String,
    ) -> Result<ReferenceList, ApiError> {
        let mut errors = Vec::new();
        if self.code.as_ref().is_some_and(|c| c.chars().count() > 32) {
            errors.push(FieldError::new(
                "code",
                "too_long",
                "A code has at most 32 characters.",
            ));
        }
        if let Some(prefix) = &self.name_prefix
            && !(1..=100).contains(&prefix.chars().count())
        {
            errors.push(FieldError::new(
                "name_prefix",
                "length",
                "A name prefix has 1 to 100 characters.",
            ));
        }
        let limit = paging::limit(self.limit).map_err(|e| match e {
            ApiError::Validation { errors } => errors,
            _ => Vec::new(),
        });
        let limit = match limit {
            Ok(limit) => Some(limit),
            Err(mut limit_errors) => {
                errors.append(&mut limit_errors);
                None
            }
        };
        if self.cursor.as_ref().is_some_and(|c| c.len() > 512) {
            errors.push(FieldError::new(
                "cursor",
                "too_long",
                "A cursor has at most 512 characters.",
            ));
        }
        let (Some(limit), true) = (limit, errors.is_empty()) else {
            return Err(ApiError::Validation { errors });
        };
        let after = self
            .cursor
            .map(|c| paging::decode_cursor(list, &c))
            .transpose()?;
        Ok(ReferenceList {
            code: self.code.as_deref().map(normalise),
            name_prefix: self.name_prefix,
            after,
            limit,
        })
    }
}

/// A state department.
#[derive(Debug, Serialize, ToSchema)]
#[serde(deny_unknown_fields)] // closes the schema: additionalProperties: false
pub struct DepartmentResponse {
    /// The department's code, also its employer accounts' username prefix.
    #[schema(example = "DMV")]
    pub code: String,
    /// Its full name.
    #[schema(example = "Department of Motor Vehicles")]
    pub name: String,
}

impl From<Department> for DepartmentResponse {
    fn from(d: Department) -> Self {
        DepartmentResponse {
            code: d.code.to_string(),
            name: d.name.to_string(),
        }
    }
}

/// A civil-service job classification.
#[derive(Debug, Serialize, ToSchema)]
#[serde(deny_unknown_fields)] // closes the schema: additionalProperties: false
pub struct ClassificationResponse {
    /// The State's class code.
    #[schema(example = "1139")]
    pub code: String,
    /// The class title.
    #[schema(example = "Office Technician (Typing)")]
    pub title: String,
}

impl From<Classification> for ClassificationResponse {
    fn from(c: Classification) -> Self {
        ClassificationResponse {
            code: c.code.to_string(),
            title: c.title.to_string(),
        }
    }
}

/// A location: one of California's counties.
#[derive(Debug, Serialize, ToSchema)]
#[serde(deny_unknown_fields)] // closes the schema: additionalProperties: false
pub struct LocationResponse {
    /// The county's code, used to filter postings.
    #[schema(example = "los-angeles")]
    pub code: String,
    /// The county's name.
    #[schema(example = "Los Angeles")]
    pub name: String,
    /// The five-digit FIPS county code.
    #[schema(example = "06037")]
    pub fips: String,
}

impl From<Location> for LocationResponse {
    fn from(l: Location) -> Self {
        LocationResponse {
            code: l.code.to_string(),
            name: l.name.to_string(),
            fips: l.fips,
        }
    }
}

/// A workforce office.
#[derive(Debug, Serialize, ToSchema)]
#[serde(deny_unknown_fields)] // closes the schema: additionalProperties: false
pub struct OfficeResponse {
    /// The office's code, its staff's username prefix.
    #[schema(example = "LAO")]
    pub code: String,
    /// The office's name.
    #[schema(example = "Los Angeles America's Job Center")]
    pub name: String,
    /// The code of the county it serves.
    #[schema(example = "los-angeles")]
    pub county_code: String,
}

impl From<Office> for OfficeResponse {
    fn from(o: Office) -> Self {
        OfficeResponse {
            code: o.code.to_string(),
            name: o.name.to_string(),
            county_code: o.county.to_string(),
        }
    }
}

/// The name (or title) of a reference item.
pub type ReferenceNameValue = Line<{ ReferenceName::MAX }>;

/// Add a department.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewDepartmentRequest {
    /// 2 to 12 letters or digits; also the username prefix of its employer accounts.
    pub code: DepartmentCodeValue,
    /// Its full name.
    pub name: ReferenceNameValue,
}

/// Add a classification.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewClassificationRequest {
    /// The class code: 1 to 8 letters or digits.
    pub code: ClassificationCodeValue,
    /// The class title.
    pub title: ReferenceNameValue,
}

/// Add a location.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewLocationRequest {
    /// A slug of 2 to 32 letters and hyphens.
    pub code: CountyCodeValue,
    /// Its name.
    pub name: ReferenceNameValue,
    /// The five-digit FIPS code.
    #[schema(pattern = "^[0-9]{5}$", example = "06037")]
    pub fips: String,
}

/// Add an office.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewOfficeRequest {
    /// 2 to 6 letters; the username prefix of its staff.
    pub code: OfficeCodeValue,
    /// Its name.
    pub name: ReferenceNameValue,
    /// The code of the county it serves.
    pub county_code: CountyCodeValue,
}

fn name_field(fields: &mut Fields, field: &str, raw: &str) -> Option<ReferenceName> {
    fields.check(field, "invalid_name", ReferenceName::parse(raw))
}

impl NewDepartmentRequest {
    /// The department, or 422 naming each bad field.
    pub fn parse(self) -> Result<Department, ApiError> {
        let mut fields = Fields::new();
        let code = fields.check("code", "invalid_code", DepartmentCode::parse(&self.code));
        let name = name_field(&mut fields, "name", &self.name);
        fields.into_result(code.zip(name).map(|(code, name)| Department { code, name }))
    }
}

impl NewClassificationRequest {
    /// The classification, or 422 naming each bad field.
    pub fn parse(self) -> Result<Classification, ApiError> {
        let mut fields = Fields::new();
        let code = fields.check(
            "code",
            "invalid_code",
            ClassificationCode::parse(&self.code),
        );
        let title = name_field(&mut fields, "title", &self.title);
        fields.into_result(
            code.zip(title)
                .map(|(code, title)| Classification { code, title }),
        )
    }
}

impl NewLocationRequest {
    /// The location, or 422 naming each bad field.
    pub fn parse(self) -> Result<Location, ApiError> {
        let mut fields = Fields::new();
        let code = fields.check("code", "invalid_code", CountyCode::parse(&self.code));
        let name = name_field(&mut fields, "name", &self.name);
        if !(self.fips.len() == 5 && self.fips.bytes().all(|b| b.is_ascii_digit())) {
            fields.push(
                "fips",
                "invalid_fips",
                "A FIPS county code has five digits.",
            );
        }
        fields.into_result(code.zip(name).map(|(code, name)| Location {
            code,
            name,
            fips: self.fips,
        }))
    }
}

impl NewOfficeRequest {
    /// The office, or 422 naming each bad field.
    pub fn parse(self) -> Result<Office, ApiError> {
        let mut fields = Fields::new();
        let code = fields.check("code", "invalid_code", OfficeCode::parse(&self.code));
        let name = name_field(&mut fields, "name", &self.name);
        let county = fields.check(
            "county_code",
            "invalid_code",
            CountyCode::parse(&self.county_code),
        );
        fields.into_result(
            code.zip(name)
                .zip(county)
                .map(|((code, name), county)| Office { code, name, county }),
        )
    }
}
