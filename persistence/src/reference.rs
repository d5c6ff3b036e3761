//! Departments, classifications, locations and offices: rows and repository functions.

use std::collections::HashMap;

use diesel::prelude::*;
use merit_domain::reference::{
    Classification, ClassificationCode, CodeError, CountyCode, Department, DepartmentCode,
    Location, Office, OfficeCode, ReferenceName,
};

use crate::{
    DbConnection,
    error::{RepoError, RepoResult},
    paging::{Page, PageRequest},
    schema::{classifications, departments, locations, offices},
};

diesel::define_sql_function! {
    /// SQL `lower()`: ASCII case folding on SQLite, full Unicode on PostgreSQL.
    fn lower(x: diesel::sql_types::Text) -> diesel::sql_types::Text;
}

/// Narrows a reference list: an exact code and/or a case-insensitive name prefix.
#[derive(Debug, Clone, Copy, Default)]
pub struct ReferenceFilter<'a> {
    /// Only the item with this code.
    pub code: Option<&'a str>,
    /// Only items whose name (or title) starts with this, ignoring case.
    pub name_prefix: Option<&'a str>,
}

/// A `LIKE` pattern matching values that start with `prefix`, with `%`, `_` and `\` escaped.
pub(crate) fn like_prefix(prefix: &str) -> String {
    let mut pattern = String::with_capacity(prefix.len() + 1);
    for c in prefix.to_lowercase().chars() {
        if matches!(c, '%' | '_' | '\\') {
            pattern.push('\\');
        }
        pattern.push(c);
    }
    pattern.push('%');
    pattern
}

fn invalid(table: &'static str) -> impl Fn(CodeError) -> RepoError {
    move |e| RepoError::InvalidRow {
        table,
        reason: e.to_string(),
    }
}

#[derive(Debug, Queryable, Selectable, Insertable)]
#[diesel(table_name = departments)]
struct DepartmentRow {
    code: String,
    name: String,
}

impl TryFrom<DepartmentRow> for Department {
    type Error = RepoError;
    fn try_from(row: DepartmentRow) -> RepoResult<Self> {
        let bad = invalid("departments");
        Ok(Department {
            code: DepartmentCode::parse(&row.code).map_err(&bad)?,
            name: ReferenceName::parse(&row.name).map_err(&bad)?,
        })
    }
}

impl From<&Department> for DepartmentRow {
    fn from(d: &Department) -> Self {
        DepartmentRow {
            code: d.code.to_string(),
            name: d.name.to_string(),
        }
    }
}

#[derive(Debug, Queryable, Selectable, Insertable)]
#[diesel(table_name = classifications)]
struct ClassificationRow {
    code: String,
    title: String,
}

impl TryFrom<ClassificationRow> for Classification {
    type Error = RepoError;
    fn try_from(row: ClassificationRow) -> RepoResult<Self> {
        let bad = invalid("classifications");
        Ok(Classification {
            code: ClassificationCode::parse(&row.code).map_err(&bad)?,
            title: ReferenceName::parse(&row.title).map_err(&bad)?,
        })
    }
}

impl From<&Classification> for ClassificationRow {
    fn from(c: &Classification) -> Self {
        ClassificationRow {
            code: c.code.to_string(),
            title: c.title.to_string(),
        }
    }
}

#[derive(Debug, Queryable, Selectable, Insertable)]
#[diesel(table_name = locations)]
struct LocationRow {
    code: String,
    name: String,
    fips: String,
}

impl TryFrom<LocationRow> for Location {
    type Error = RepoError;
    fn try_from(row: LocationRow) -> RepoResult<Self> {
        let bad = invalid("locations");
        Ok(Location {
            code: CountyCode::parse(&row.code).map_err(&bad)?,
            name: ReferenceName::parse(&row.name).map_err(&bad)?,
            fips: row.fips,
        })
    }
}

impl From<&Location> for LocationRow {
    fn from(l: &Location) -> Self {
        LocationRow {
            code: l.code.to_string(),
            name: l.name.to_string(),
            fips: l.fips.clone(),
        }
    }
}

#[derive(Debug, Queryable, Selectable, Insertable)]
#[diesel(table_name = offices)]
struct OfficeRow {
    code: String,
    name: String,
    county_code: String,
}

impl TryFrom<OfficeRow> for Office {
    type Error = RepoError;
    fn try_from(row: OfficeRow) -> RepoResult<Self> {
        let bad = invalid("offices");
        Ok(Office {
            code: OfficeCode::parse(&row.code).map_err(&bad)?,
            name: ReferenceName::parse(&row.name).map_err(&bad)?,
            county: CountyCode::parse(&row.county_code).map_err(&bad)?,
        })
    }
}

impl From<&Office> for OfficeRow {
    fn from(o: &Office) -> Self {
        OfficeRow {
            code: o.code.to_string(),
            name: o.name.to_string(),
            county_code: o.county.to_string(),
        }
    }
}

/// Defines, for one reference table, the list (keyset on the code), find, insert and
/// insert-if-absent functions. The four tables differ only in names, so one definition serves.
macro_rules! reference_repository {
    ($table:ident, $name_col:ident, $row:ty, $item:ty, $list:ident, $find:ident, $insert:ident, $ensure:ident) => {
        #[doc = concat!("Lists `", stringify!($table), "` in code order, one page after `page.after`.")]
        pub fn $list(conn: &mut DbConnection, filter: ReferenceFilter<'_>, page: PageRequest<'_>) -> RepoResult<Page<$item>> {
            let mut query = $table::table.into_boxed();
            if let Some(code) = filter.code {
                query = query.filter($table::code.eq(code.to_owned()));
            }
            if let Some(prefix) = filter.name_prefix {
                query = query.filter(lower($table::$name_col).like(like_prefix(prefix)).escape('\\'));
            }
            if let Some(after) = page.after {
                query = query.filter($table::code.gt(after.to_owned()));
            }
            let rows: Vec<$row> =
                query.order($table::code.asc()).limit(page.fetch()).select(<$row>::as_select()).load(conn)?;
            let items = rows.into_iter().map(<$item>::try_from).collect::<RepoResult<Vec<_>>>()?;
            Ok(Page::from_overfetch(items, page.limit))
        }

        #[doc = concat!("Finds one row of `", stringify!($table), "` by code.")]
        pub fn $find(conn: &mut DbConnection, code: &str) -> RepoResult<Option<$item>> {
            $table::table
                .find(code.to_owned())
                .select(<$row>::as_select())
                .first::<$row>(conn)
                .optional()?
                .map(<$item>::try_from)
                .transpose()
        }

        #[doc = concat!("Inserts into `", stringify!($table), "`; an existing code is a `Conflict`.")]
        pub fn $insert(conn: &mut DbConnection, item: &$item) -> RepoResult<()> {
            diesel::insert_into($table::table).values(<$row>::from(item)).execute(conn)?;
            Ok(())
        }

        #[doc = concat!("Inserts into `", stringify!($table), "` unless the code exists; true when inserted.")]
        pub fn $ensure(conn: &mut DbConnection, item: &$item) -> RepoResult<bool> {
            let row = <$row>::from(item);
            let exists = diesel::select(diesel::dsl::exists($table::table.find(row.code.clone()))).get_result::<bool>(conn)?;
            if !exists {
                diesel::insert_into($table::table).values(row).execute(conn)?;
            }
            Ok(!exists)
        }
    };
}

reference_repository!(
    departments,
    name,
    DepartmentRow,
    Department,
    list_departments,
    find_department,
    insert_department,
    ensure_department
);
reference_repository!(
    classifications,
    title,
    ClassificationRow,
    Classification,
    list_classifications,
    find_classification,
    insert_classification,
    ensure_classification
);
reference_repository!(
    locations,
    name,
    LocationRow,
    Location,
    list_locations,
    find_location,
    insert_location,
    ensure_location
);
reference_repository!(
    offices,
    name,
    OfficeRow,
    Office,
    list_offices,
    find_office,
    insert_office,
    ensure_office
);

/// Every classification's title by code (a few hundred rows at most).
pub fn classification_titles(conn: &mut DbConnection) -> RepoResult<HashMap<String, String>> {
    let rows: Vec<(String, String)> = classifications::table
        .select((classifications::code, classifications::title))
        .load(conn)?;
    Ok(rows.into_iter().collect())
}

/// The display names of every department, classification and county (location), by code: what
/// a search shows beside each code (a few hundred rows each at most).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ReferenceNames {
    /// Department names.
    pub departments: HashMap<String, String>,
    /// Classification titles.
    pub classifications: HashMap<String, String>,
    /// County (location) names.
    pub counties: HashMap<String, String>,
}

/// Every reference name, by code.
pub fn names(conn: &mut DbConnection) -> RepoResult<ReferenceNames> {
    Ok(ReferenceNames {
        departments: departments::table
            .select((departments::code, departments::name))
            .load::<(String, String)>(conn)?
            .into_iter()
            .collect(),
        classifications: classification_titles(conn)?,
        counties: locations::table
            .select((locations::code, locations::name))
            .load::<(String, String)>(conn)?
            .into_iter()
            .collect(),
    })
}

#[cfg(test)]
mod tests {
    use super::like_prefix;

    #[test]
    fn like_wildcards_in_a_prefix_are_escaped() {
        assert_eq!(like_prefix("50%_a\\B"), "50\\%\\_a\\\\b%");
    }
}
