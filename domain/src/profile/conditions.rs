//! Conditions of employment: the jobs a person will take, and whether departments may send them
//! contact letters. Contact letters, job alerts and eligible-list filters match postings with
//! [`ConditionsOfEmployment::fits`].

use std::collections::BTreeSet;

use crate::{
    reference::{CountyCode, DepartmentCode},
    terms::{PostingTerms, Shift, Tenure, TimeBase},
};

/// What a person will accept. Each set lists the acceptable values; an empty set means any.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ConditionsOfEmployment {
    /// Acceptable tenures.
    pub tenures: BTreeSet<Tenure>,
    /// Acceptable time bases.
    pub time_bases: BTreeSet<TimeBase>,
    /// Counties the person will work in.
    pub counties: BTreeSet<CountyCode>,
    /// Departments the person will work for.
    pub departments: BTreeSet<DepartmentCode>,
    /// Acceptable shifts.
    pub shifts: BTreeSet<Shift>,
    /// Whether departments may send contact letters (off until the person opts in).
    pub accepts_contact: bool,
}

fn admits<T: Ord>(acceptable: &BTreeSet<T>, value: &T) -> bool {
    acceptable.is_empty() || acceptable.contains(value)
}

/// The terms an employer narrows an eligible list by; each left open matches anyone.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct TermsFilter {
    /// People who will work in this county.
    pub county: Option<CountyCode>,
    /// People who will take this tenure.
    pub tenure: Option<Tenure>,
    /// People who will take this time base.
    pub time_base: Option<TimeBase>,
    /// People who do (`true`) or do not (`false`) accept contact letters.
    pub accepts_contact: Option<bool>,
}

impl ConditionsOfEmployment {
    /// Whether these conditions match an employer's filter: the same rule as
    /// [`fits`](Self::fits), for the terms the filter names.
    pub fn matches(&self, filter: &TermsFilter) -> bool {
        filter
            .county
            .as_ref()
            .is_none_or(|county| admits(&self.counties, county))
            && filter
                .tenure
                .as_ref()
                .is_none_or(|tenure| admits(&self.tenures, tenure))
            && filter
                .time_base
                .as_ref()
                .is_none_or(|time_base| admits(&self.time_bases, time_base))
            && filter
                .accepts_contact
                .is_none_or(|accepts| accepts == self.accepts_contact)
    }

    /// The most counties or departments a person may list (there are 58 counties).
    pub const MAX_LISTED: usize = 100;

    /// Whether a posting with these terms is a job the person will take. It does not look at
    /// [`accepts_contact`](Self::accepts_contact): an alert the person set up fits the same
    /// way whether or not they accept contact letters.
    pub fn fits(&self, terms: &PostingTerms) -> bool {
        admits(&self.tenures, &terms.tenure)
            && admits(&self.time_bases, &terms.time_base)
            && admits(&self.counties, &terms.county)
            && admits(&self.departments, &terms.department)
            && admits(&self.shifts, &terms.shift)
    }

    /// Whether a department may send a contact letter about a posting with these terms.
    pub fn welcomes_letter_about(&self, terms: &PostingTerms) -> bool {
        self.accepts_contact && self.fits(terms)
    }
}

#[cfg(test)]
mod tests {
    use proptest::{collection::btree_set, prelude::*, sample::select};

    use super::*;

    fn county(code: &str) -> CountyCode {
        CountyCode::parse(code).unwrap()
    }

    fn department(code: &str) -> DepartmentCode {
        DepartmentCode::parse(code).unwrap()
    }

    fn terms() -> PostingTerms {
        PostingTerms {
            county: county("sacramento"),
            department: department("DMV"),
            tenure: Tenure::Permanent,
            time_base: TimeBase::FullTime,
            shift: Shift::Day,
        }
    }

    #[test]
    fn a_filter_matches_like_fits_on_the_terms_it_names() {
        let conditions = ConditionsOfEmployment {
            counties: [county("sacramento")].into(),
            tenures: [Tenure::Permanent].into(),
            accepts_contact: true,
            ..ConditionsOfEmployment::default()
        };
        let filter = |county_code: Option<&str>, tenure, accepts| TermsFilter {
            county: county_code.map(county),
            tenure,
            time_base: Some(TimeBase::PartTime),
            accepts_contact: accepts,
        };
        assert!(conditions.matches(&filter(
            Some("sacramento"),
            Some(Tenure::Permanent),
            Some(true)
        )));
        assert!(conditions.matches(&filter(None, None, None)));
        assert!(!conditions.matches(&filter(Some("fresno"), None, None)));
        assert!(!conditions.matches(&filter(None, Some(Tenure::Temporary), None)));
        assert!(!conditions.matches(&filter(None, None, Some(false))));
        assert!(ConditionsOfEmployment::default().matches(&filter(
            Some("fresno"),
            Some(Tenure::Temporary),
            None
        )));
    }

    #[test]
    fn conditions_with_nothing_listed_fit_any_posting() {
        assert!(ConditionsOfEmployment::default().fits(&terms()));
    }

    #[test]
    fn a_posting_in_an_unlisted_county_does_not_fit() {
        let conditions = ConditionsOfEmployment {
            counties: [county("los-angeles"), county("orange")].into(),
            ..Default::default()
        };
        assert!(!conditions.fits(&terms()));
        let in_orange = PostingTerms {
            county: county("orange"),
            ..terms()
        };
        assert!(conditions.fits(&in_orange));
    }

    #[test]
    fn every_listed_dimension_must_admit_the_posting() {
        let conditions = ConditionsOfEmployment {
            tenures: [Tenure::Permanent].into(),
            time_bases: [TimeBase::FullTime, TimeBase::PartTime].into(),
            departments: [department("DMV")].into(),
            shifts: [Shift::Day].into(),
            ..Default::default()
        };
        assert!(conditions.fits(&terms()));
        for other in [
            PostingTerms {
                tenure: Tenure::Temporary,
                ..terms()
            },
            PostingTerms {
                time_base: TimeBase::Intermittent,
                ..terms()
            },
            PostingTerms {
                department: department("CHP"),
                ..terms()
            },
            PostingTerms {
                shift: Shift::Night,
                ..terms()
            },
        ] {
            assert!(!conditions.fits(&other), "{other}");
        }
    }

    #[test]
    fn a_letter_is_welcome_only_when_the_person_accepts_contact_and_the_posting_fits() {
        let mut conditions = ConditionsOfEmployment::default();
        assert!(!conditions.welcomes_letter_about(&terms()));
        conditions.accepts_contact = true;
        assert!(conditions.welcomes_letter_about(&terms()));
        conditions.shifts = [Shift::Weekend].into();
        assert!(!conditions.welcomes_letter_about(&terms()));
    }

    const COUNTIES: &[&str] = &["alameda", "fresno", "orange", "sacramento"];
    const DEPARTMENTS: &[&str] = &["CHP", "DMV", "EDD"];

    fn any_terms() -> impl Strategy<Value = PostingTerms> {
        (
            select(COUNTIES),
            select(DEPARTMENTS),
            select(Tenure::ALL),
            select(TimeBase::ALL),
            select(Shift::ALL),
        )
            .prop_map(|(c, d, tenure, time_base, shift)| PostingTerms {
                county: county(c),
                department: department(d),
                tenure,
                time_base,
                shift,
            })
    }

    fn any_conditions() -> impl Strategy<Value = ConditionsOfEmployment> {
        (
            btree_set(select(Tenure::ALL), 0..3),
            btree_set(select(TimeBase::ALL), 0..3),
            btree_set(select(COUNTIES).prop_map(county), 0..4),
            btree_set(select(DEPARTMENTS).prop_map(department), 0..3),
            btree_set(select(Shift::ALL), 0..5),
            any::<bool>(),
        )
            .prop_map(
                |(tenures, time_bases, counties, departments, shifts, accepts_contact)| {
                    ConditionsOfEmployment {
                        tenures,
                        time_bases,
                        counties,
                        departments,
                        shifts,
                        accepts_contact,
                    }
                },
            )
    }

    proptest! {
        #[test]
        fn fits_means_each_dimension_is_unlisted_or_listed(c in any_conditions(), t in any_terms()) {
            let expected = (c.tenures.is_empty() || c.tenures.contains(&t.tenure))
                && (c.time_bases.is_empty() || c.time_bases.contains(&t.time_base))
                && (c.counties.is_empty() || c.counties.contains(&t.county))
                && (c.departments.is_empty() || c.departments.contains(&t.department))
                && (c.shifts.is_empty() || c.shifts.contains(&t.shift));
            prop_assert_eq!(c.fits(&t), expected);
        }

        #[test]
        fn listing_the_postings_own_values_always_makes_it_fit(mut c in any_conditions(), t in any_terms()) {
            c.tenures.insert(t.tenure);
            c.time_bases.insert(t.time_base);
            c.counties.insert(t.county.clone());
            c.departments.insert(t.department.clone());
            c.shifts.insert(t.shift);
            prop_assert!(c.fits(&t));
        }

        #[test]
        fn accepting_contact_never_changes_whether_a_posting_fits(c in any_conditions(), t in any_terms()) {
            let flipped = ConditionsOfEmployment { accepts_contact: !c.accepts_contact, ..c.clone() };
            prop_assert_eq!(c.fits(&t), flipped.fits(&t));
        }
    }
}
