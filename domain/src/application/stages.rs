//! A department's own stages: names it chooses, each mapped to exactly one public status, and
//! whether reaching it emails the applicant.

use std::collections::BTreeSet;

use thiserror::Error;

use super::ApplicationStatus;

/// The most stages a department may configure.
pub const MAX_STAGES: usize = 50;

/// The longest stage name, in characters.
pub const MAX_STAGE_NAME: usize = 60;

/// One stage of a department's process.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stage {
    /// The department's name for it: 1 to 60 characters, trimmed, no control characters.
    pub name: String,
    /// The public status the applicant sees while the application is at this stage.
    pub status: ApplicationStatus,
    /// Whether moving an application here emails the applicant.
    pub notify: bool,
}

/// Why a stage list was refused, with the index of the stage at fault.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum StageError {
    /// More than [`MAX_STAGES`] stages.
    #[error("at most {MAX_STAGES} stages")]
    TooMany,
    /// A name is empty, too long or holds control characters.
    #[error("a stage name must be 1 to 60 characters without control characters")]
    Name(usize),
    /// Two stages have the same name (ignoring letter case).
    #[error("stage names must differ (ignoring letter case)")]
    Duplicate(usize),
    /// The status is one departments do not set (draft, received, withdrawn, cancelled).
    #[error("{1} is not a status a department sets")]
    Status(usize, ApplicationStatus),
}

/// A department's checked stage list.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct StageSet(Vec<Stage>);

impl StageSet {
    /// Checks a list of stages; names are trimmed.
    pub fn parse(stages: Vec<Stage>) -> Result<StageSet, StageError> {
        if stages.len() > MAX_STAGES {
            return Err(StageError::TooMany);
        }
        let mut seen = BTreeSet::new();
        let mut checked = Vec::with_capacity(stages.len());
        for (index, stage) in stages.into_iter().enumerate() {
            let name = crate::text::line(&stage.name, MAX_STAGE_NAME)
                .map_err(|_| StageError::Name(index))?;
            if !seen.insert(name.to_lowercase()) {
                return Err(StageError::Duplicate(index));
            }
            if !stage.status.settable_by_department() {
                return Err(StageError::Status(index, stage.status));
            }
            checked.push(Stage { name, ..stage });
        }
        Ok(StageSet(checked))
    }

    /// The stages, in the department's order.
    pub fn stages(&self) -> &[Stage] {
        &self.0
    }

    /// The stage named `name` (ignoring letter case).
    pub fn find(&self, name: &str) -> Option<&Stage> {
        let key = name.trim().to_lowercase();
        self.0.iter().find(|s| s.name.to_lowercase() == key)
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    fn stage(name: &str, status: ApplicationStatus) -> Stage {
        Stage {
            name: name.into(),
            status,
            notify: true,
        }
    }

    #[test]
    fn each_stage_maps_to_one_department_status() {
        let set = StageSet::parse(vec![
            stage(" Phone screen ", ApplicationStatus::UnderReview),
            stage("Panel interview", ApplicationStatus::Interview),
        ])
        .unwrap();
        assert_eq!(
            set.find("phone SCREEN").map(|s| s.status),
            Some(ApplicationStatus::UnderReview)
        );
        assert_eq!(set.stages()[0].name, "Phone screen");
    }

    #[test]
    fn duplicate_names_and_applicant_statuses_are_refused() {
        assert_eq!(
            StageSet::parse(vec![
                stage("Screen", ApplicationStatus::UnderReview),
                stage("screen", ApplicationStatus::Eligible),
            ]),
            Err(StageError::Duplicate(1))
        );
        assert_eq!(
            StageSet::parse(vec![stage("Gone", ApplicationStatus::Withdrawn)]),
            Err(StageError::Status(0, ApplicationStatus::Withdrawn))
        );
        assert_eq!(
            StageSet::parse(vec![stage("  ", ApplicationStatus::Offer)]),
            Err(StageError::Name(0))
        );
    }

    proptest! {
        #[test]
        fn a_parsed_set_never_holds_two_names_alike(names in proptest::collection::vec("[a-cA-C]{1,2}", 0..8)) {
            let stages = names.iter().map(|n| stage(n, ApplicationStatus::Offer)).collect();
            if let Ok(set) = StageSet::parse(stages) {
                let keys: BTreeSet<_> = set.stages().iter().map(|s| s.name.to_lowercase()).collect();
                prop_assert_eq!(keys.len(), set.stages().len());
            }
        }
    }
}
