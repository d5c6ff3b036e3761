//! Staff correspondence: letter templates with merge fields (`{{first_name}}`), checked when the
//! template is written and filled in when a letter is made from it.

/// A value a template may merge in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum MergeField {
    /// The person's given name.
    FirstName,
    /// The person's family name.
    LastName,
    /// The case's id.
    CaseId,
    /// The staff member's full name.
    StaffName,
    /// The office's name.
    OfficeName,
}

impl MergeField {
    /// Every field, in the order the API lists them.
    pub const ALL: [MergeField; 5] = [
        MergeField::FirstName,
        MergeField::LastName,
        MergeField::CaseId,
        MergeField::StaffName,
        MergeField::OfficeName,
    ];

    /// The field's name between the braces.
    pub fn as_str(self) -> &'static str {
        match self {
            MergeField::FirstName => "first_name",
            MergeField::LastName => "last_name",
            MergeField::CaseId => "case_id",
            MergeField::StaffName => "staff_name",
            MergeField::OfficeName => "office_name",
        }
    }

    /// Parses a field's name.
    pub fn parse(name: &str) -> Option<MergeField> {
        MergeField::ALL.into_iter().find(|f| f.as_str() == name)
    }
}

/// Why a template text was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TemplateError {
    /// `{{name}}` names no merge field.
    #[error(
        "`{{{{{0}}}}}` is not a merge field; use one of first_name, last_name, case_id, staff_name, office_name"
    )]
    UnknownField(String),
    /// A `{{` without its `}}`.
    #[error("a `{{{{` is not closed by `}}}}`")]
    Unclosed,
}

/// One piece of a template text.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Piece<'a> {
    Text(&'a str),
    Field(MergeField),
}

fn pieces(text: &str) -> Result<Vec<Piece<'_>>, TemplateError> {
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(start) = rest.find("{{") {
        if start > 0 {
            out.push(Piece::Text(&rest[..start]));
        }
        let after = &rest[start + 2..];
        let end = after.find("}}").ok_or(TemplateError::Unclosed)?;
        let name = after[..end].trim();
        let field =
            MergeField::parse(name).ok_or_else(|| TemplateError::UnknownField(name.to_owned()))?;
        out.push(Piece::Field(field));
        rest = &after[end + 2..];
    }
    if !rest.is_empty() {
        out.push(Piece::Text(rest));
    }
    Ok(out)
}

/// Checks a template text: every `{{...}}` must name a merge field.
pub fn check(text: &str) -> Result<(), TemplateError> {
    pieces(text).map(|_| ())
}

/// The values merged into a letter.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MergeValues {
    /// The person's given name.
    pub first_name: String,
    /// The person's family name.
    pub last_name: String,
    /// The case's id.
    pub case_id: String,
    /// The staff member's full name.
    pub staff_name: String,
    /// The office's name.
    pub office_name: String,
}

impl MergeValues {
    fn get(&self, field: MergeField) -> &str {
        match field {
            MergeField::FirstName => &self.first_name,
            MergeField::LastName => &self.last_name,
            MergeField::CaseId => &self.case_id,
            MergeField::StaffName => &self.staff_name,
            MergeField::OfficeName => &self.office_name,
        }
    }
}

/// Fills a (checked) template text in; a text that no longer checks is refused.
pub fn render(text: &str, values: &MergeValues) -> Result<String, TemplateError> {
    let mut out = String::with_capacity(text.len());
    for piece in pieces(text)? {
        match piece {
            Piece::Text(t) => out.push_str(t),
            Piece::Field(f) => out.push_str(values.get(f)),
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    fn values() -> MergeValues {
        MergeValues {
            first_name: "Ana".into(),
            last_name: "Diaz".into(),
            case_id: "c-1".into(),
            staff_name: "Lee Chen".into(),
            office_name: "Los Angeles".into(),
        }
    }

    #[test]
    fn fields_are_merged_with_or_without_inner_spaces() {
        let text = "Dear {{first_name}} {{ last_name }}, case {{case_id}}. {{staff_name}}, {{office_name}}";
        assert_eq!(
            render(text, &values()).unwrap(),
            "Dear Ana Diaz, case c-1. Lee Chen, Los Angeles"
        );
    }

    #[test]
    fn unknown_and_unclosed_fields_are_refused() {
        assert_eq!(
            check("Hello {{nickname}}"),
            Err(TemplateError::UnknownField("nickname".into()))
        );
        assert_eq!(check("Hello {{first_name"), Err(TemplateError::Unclosed));
        assert!(check("Single { braces } are text").is_ok());
    }

    #[test]
    fn merged_values_are_not_merged_again() {
        let mut v = values();
        v.first_name = "{{last_name}}".into();
        assert_eq!(render("{{first_name}}", &v).unwrap(), "{{last_name}}");
    }

    proptest! {
        #[test]
        fn text_without_double_braces_renders_as_itself(text in "[^{]*") {
            prop_assert_eq!(render(&text, &values()).unwrap(), text);
        }
    }
}
