//! Machine clients: what an integrator's OAuth 2.0 client may do (its permissions, which are
//! also the OAuth scope tokens it can ask for) and where (one department or state-wide).

use std::{collections::BTreeSet, fmt};

use crate::reference::DepartmentCode;

/// One thing a machine client may be allowed to do; its text is the OAuth scope token.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Permission {
    /// Read the scope's postings, drafts and internal ones included.
    PostingsRead,
    /// Create, edit, publish and close the scope's postings.
    PostingsWrite,
    /// Read applications to the scope's postings.
    ApplicationsRead,
    /// Work applications to the scope's postings (move them through the stages).
    ApplicationsWrite,
    /// Manage the client's own webhook endpoints.
    WebhooksManage,
}

/// A scope token that names no permission.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown permission {0:?}")]
pub struct UnknownPermission(pub String);

impl Permission {
    /// Every permission, in canonical order.
    pub const ALL: [Permission; 5] = [
        Permission::PostingsRead,
        Permission::PostingsWrite,
        Permission::ApplicationsRead,
        Permission::ApplicationsWrite,
        Permission::WebhooksManage,
    ];

    /// The scope token.
    pub fn as_str(self) -> &'static str {
        match self {
            Permission::PostingsRead => "postings:read",
            Permission::PostingsWrite => "postings:write",
            Permission::ApplicationsRead => "applications:read",
            Permission::ApplicationsWrite => "applications:write",
            Permission::WebhooksManage => "webhooks:manage",
        }
    }

    /// The permission a scope token names.
    pub fn parse(text: &str) -> Result<Self, UnknownPermission> {
        Permission::ALL
            .into_iter()
            .find(|p| p.as_str() == text)
            .ok_or_else(|| UnknownPermission(text.to_owned()))
    }

    /// Whether holding this permission also grants `other` (writing implies reading).
    pub fn grants(self, other: Permission) -> bool {
        self == other
            || matches!(
                (self, other),
                (Permission::PostingsWrite, Permission::PostingsRead)
                    | (Permission::ApplicationsWrite, Permission::ApplicationsRead)
            )
    }
}

impl fmt::Display for Permission {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A set of permissions; as text, its scope tokens separated by single spaces in canonical
/// order (RFC 6749 §3.3 scope syntax).
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct Permissions(BTreeSet<Permission>);

impl Permissions {
    /// The set of these permissions.
    pub fn of(permissions: impl IntoIterator<Item = Permission>) -> Self {
        Permissions(permissions.into_iter().collect())
    }

    /// Parses a space-separated scope string (RFC 6749 §3.3: tokens separated by one or more
    /// spaces, order and repetition do not matter). Every token must name a permission.
    pub fn parse(text: &str) -> Result<Self, UnknownPermission> {
        text.split(' ')
            .filter(|t| !t.is_empty())
            .map(Permission::parse)
            .collect::<Result<BTreeSet<_>, _>>()
            .map(Permissions)
    }

    /// Whether the set is empty.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Whether the set grants `wanted` (directly or through a write permission).
    pub fn allows(&self, wanted: Permission) -> bool {
        self.0.iter().any(|p| p.grants(wanted))
    }

    /// Whether every permission of `self` is in `granted`.
    pub fn is_subset_of(&self, granted: &Permissions) -> bool {
        self.0.is_subset(&granted.0)
    }

    /// The permissions both sets hold.
    pub fn intersection(&self, other: &Permissions) -> Permissions {
        Permissions(self.0.intersection(&other.0).copied().collect())
    }

    /// The permissions, in canonical order.
    pub fn iter(&self) -> impl Iterator<Item = Permission> + '_ {
        self.0.iter().copied()
    }
}

impl fmt::Display for Permissions {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut first = true;
        for p in &self.0 {
            if !first {
                f.write_str(" ")?;
            }
            first = false;
            f.write_str(p.as_str())?;
        }
        Ok(())
    }
}

/// Where a client acts.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum ClientScope {
    /// One department's postings and the applications to them.
    Department(DepartmentCode),
    /// Every department: reads the public view of all postings; department-bound operations
    /// (writing a posting, reading applications) are refused, since no department is named.
    StateWide,
}

impl ClientScope {
    /// The department, if the scope has one.
    pub fn department(&self) -> Option<&DepartmentCode> {
        match self {
            ClientScope::Department(code) => Some(code),
            ClientScope::StateWide => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_scope_string_round_trips_in_canonical_order() {
        let set = Permissions::parse("applications:read  postings:write postings:write").unwrap();
        assert_eq!(set.to_string(), "postings:write applications:read");
        assert_eq!(Permissions::parse(&set.to_string()).unwrap(), set);
    }

    #[test]
    fn an_unknown_token_is_refused() {
        assert_eq!(
            Permissions::parse("postings:read admin"),
            Err(UnknownPermission("admin".into()))
        );
        assert!(Permissions::parse("").unwrap().is_empty());
    }

    #[test]
    fn writing_grants_reading_but_not_the_other_way() {
        let write = Permissions::of([Permission::PostingsWrite]);
        assert!(write.allows(Permission::PostingsRead));
        assert!(!write.allows(Permission::ApplicationsRead));
        let read = Permissions::of([Permission::ApplicationsRead]);
        assert!(!read.allows(Permission::ApplicationsWrite));
    }

    #[test]
    fn subsets_and_intersections() {
        let granted = Permissions::of([Permission::PostingsRead, Permission::ApplicationsRead]);
        let asked = Permissions::of([Permission::PostingsRead]);
        assert!(asked.is_subset_of(&granted));
        assert!(!granted.is_subset_of(&asked));
        assert_eq!(granted.intersection(&asked), asked);
    }
}
