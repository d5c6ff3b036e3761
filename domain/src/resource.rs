//! Links admins keep for staff: the kinds of staff resource, and whom a link (or a survey)
//! addressed to offices reaches.

/// What a staff resource is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ResourceKind {
    /// A written guide or manual.
    Guide,
    /// A training video.
    TrainingVideo,
    /// A form.
    Form,
    /// Anything else.
    Other,
}

impl ResourceKind {
    /// Every kind.
    pub const ALL: &'static [ResourceKind] = &[
        ResourceKind::Guide,
        ResourceKind::TrainingVideo,
        ResourceKind::Form,
        ResourceKind::Other,
    ];

    /// The stable name (API and database).
    pub fn as_str(self) -> &'static str {
        match self {
            ResourceKind::Guide => "guide",
            ResourceKind::TrainingVideo => "training_video",
            ResourceKind::Form => "form",
            ResourceKind::Other => "other",
        }
    }

    /// Parses a stable name.
    pub fn parse(text: &str) -> Option<Self> {
        Self::ALL.iter().copied().find(|k| k.as_str() == text)
    }
}

/// Whether something addressed to `offices` (empty: every office) reaches a reader of `office`.
pub fn reaches(offices: &[String], office: Option<&str>) -> bool {
    offices.is_empty() || office.is_some_and(|o| offices.iter().any(|x| x == o))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_audience_of_offices_reaches_only_their_staff() {
        let lao = vec!["LAO".to_owned()];
        assert!(reaches(&[], None));
        assert!(reaches(&[], Some("SFO")));
        assert!(reaches(&lao, Some("LAO")));
        assert!(!reaches(&lao, Some("SFO")));
        assert!(!reaches(&lao, None));
        for kind in ResourceKind::ALL {
            assert_eq!(ResourceKind::parse(kind.as_str()), Some(*kind));
        }
    }
}
