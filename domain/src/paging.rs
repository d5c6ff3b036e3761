//! Page sizes for list endpoints.

use thiserror::Error;

/// How many items one page of a list holds: between 1 and [`PageLimit::MAX`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct PageLimit(u32);

/// Why a requested page size was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Error)]
#[error("limit must be between {min} and {max}, got {got}")]
pub struct PageLimitError {
    /// The smallest page size allowed.
    pub min: u32,
    /// The largest page size allowed.
    pub max: u32,
    /// What was asked for.
    pub got: u64,
}

impl PageLimit {
    /// The page size when the client gives none.
    pub const DEFAULT: PageLimit = PageLimit(20);
    /// The largest page a client may ask for.
    pub const MAX: u32 = 100;

    /// Accepts `1..=MAX`; anything else is an error that says the bounds.
    pub fn parse(requested: u64) -> Result<Self, PageLimitError> {
        match u32::try_from(requested) {
            Ok(n) if (1..=Self::MAX).contains(&n) => Ok(PageLimit(n)),
            _ => Err(PageLimitError {
                min: 1,
                max: Self::MAX,
                got: requested,
            }),
        }
    }

    /// The page size as a number.
    pub fn get(self) -> u32 {
        self.0
    }
}

impl Default for PageLimit {
    fn default() -> Self {
        Self::DEFAULT
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_default_page_holds_twenty_items() {
        assert_eq!(PageLimit::default().get(), 20);
    }

    #[test]
    fn one_and_one_hundred_are_accepted() {
        assert_eq!(PageLimit::parse(1).map(PageLimit::get), Ok(1));
        assert_eq!(PageLimit::parse(100).map(PageLimit::get), Ok(100));
    }

    #[test]
    fn zero_and_more_than_one_hundred_are_refused_with_the_bounds() {
        assert_eq!(
            PageLimit::parse(0),
            Err(PageLimitError {
                min: 1,
                max: 100,
                got: 0
            })
        );
        assert_eq!(PageLimit::parse(101).unwrap_err().got, 101);
        assert!(PageLimit::parse(u64::MAX).is_err());
    }
}
