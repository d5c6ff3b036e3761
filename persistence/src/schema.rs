//! The shared schema, written by hand with the types both backends support (see
//! `docs/ARCHITECTURE.md`): ids and JSON as `Text`, UTC timestamps as `Timestamp`.

diesel::table! {
    departments (code) {
        code -> Text,
        name -> Text,
    }
}

diesel::table! {
    classifications (code) {
        code -> Text,
        title -> Text,
    }
}

diesel::table! {
    locations (code) {
        code -> Text,
        name -> Text,
        fips -> Text,
    }
}

diesel::table! {
    offices (code) {
        code -> Text,
        name -> Text,
        county_code -> Text,
    }
}

diesel::joinable!(offices -> locations (county_code));

diesel::allow_tables_to_appear_in_same_query!(departments, classifications, locations, offices);
