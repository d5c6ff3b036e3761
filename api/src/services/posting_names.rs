//! A posting with the names of its codes, so that a client shows it without a second lookup.

use std::ops::Deref;

use merit_domain::posting::Posting;
use merit_persistence::{DbConnection, Page, reference, reference::ReferenceNames};

use crate::error::ApiError;

/// The display names of a posting's department, classification and county.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PostingNames {
    /// The department's name.
    pub department: String,
    /// The classification's title.
    pub classification: String,
    /// The county's name.
    pub county: String,
}

/// A posting and the names of its codes. It dereferences to the posting.
#[derive(Debug, Clone)]
pub struct NamedPosting {
    /// The posting.
    pub posting: Posting,
    /// The names of its codes.
    pub names: PostingNames,
}

impl NamedPosting {
    /// A posting without its names (blank), where only its own fields matter.
    pub fn unnamed(posting: Posting) -> Self {
        NamedPosting {
            posting,
            names: PostingNames::default(),
        }
    }
}

impl Deref for NamedPosting {
    type Target = Posting;
    fn deref(&self) -> &Posting {
        &self.posting
    }
}

/// Looks up the names of one posting's codes (three primary-key reads).
pub fn named(conn: &mut DbConnection, posting: Posting) -> Result<NamedPosting, ApiError> {
    let names = PostingNames {
        department: reference::find_department(conn, posting.department.as_str())?
            .map(|d| d.name.to_string())
            .unwrap_or_default(),
        classification: reference::find_classification(conn, posting.classification.as_str())?
            .map(|c| c.title.to_string())
            .unwrap_or_default(),
        county: reference::find_location(conn, posting.county.as_str())?
            .map(|l| l.name.to_string())
            .unwrap_or_default(),
    };
    Ok(NamedPosting { posting, names })
}

/// Names a page of postings from one read of every reference name.
pub fn named_page(
    conn: &mut DbConnection,
    page: Page<Posting>,
) -> Result<Page<NamedPosting>, ApiError> {
    let all = reference::names(conn)?;
    Ok(Page {
        items: page
            .items
            .into_iter()
            .map(|posting| NamedPosting {
                names: names_from(&all, &posting),
                posting,
            })
            .collect(),
        has_more: page.has_more,
    })
}

fn names_from(all: &ReferenceNames, posting: &Posting) -> PostingNames {
    let get = |map: &std::collections::HashMap<String, String>, code: &str| {
        map.get(code).cloned().unwrap_or_default()
    };
    PostingNames {
        department: get(&all.departments, posting.department.as_str()),
        classification: get(&all.classifications, posting.classification.as_str()),
        county: get(&all.counties, posting.county.as_str()),
    }
}
