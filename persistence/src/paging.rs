//! Keyset pagination: a page is "the next `limit` rows after this key".

use merit_domain::paging::PageLimit;

/// Where a page starts and how long it is.
#[derive(Debug, Clone, Copy)]
pub struct PageRequest<'a> {
    /// The sort key of the last item already seen, if any.
    pub after: Option<&'a str>,
    /// How many items the page holds.
    pub limit: PageLimit,
}

impl PageRequest<'_> {
    /// Queries fetch one row more than the page holds, to learn whether another page follows.
    pub fn fetch(&self) -> i64 {
        i64::from(self.limit.get()) + 1
    }
}

/// One page of results.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Page<T> {
    /// The items, in order.
    pub items: Vec<T>,
    /// Whether more items follow the last one.
    pub has_more: bool,
}

impl<T> Page<T> {
    /// Trims a result fetched with [`PageRequest::fetch`] rows to the page, noting if more follow.
    pub fn from_overfetch(mut rows: Vec<T>, limit: PageLimit) -> Self {
        let size = limit.get() as usize;
        let has_more = rows.len() > size;
        rows.truncate(size);
        Page {
            items: rows,
            has_more,
        }
    }

    /// Converts every item, keeping the page's shape.
    pub fn map<U>(self, f: impl FnMut(T) -> U) -> Page<U> {
        Page {
            items: self.items.into_iter().map(f).collect(),
            has_more: self.has_more,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_overfetched_row_is_dropped_and_marks_more() {
        let limit = PageLimit::parse(2).unwrap();
        assert_eq!(
            Page::from_overfetch(vec![1, 2, 3], limit),
            Page {
                items: vec![1, 2],
                has_more: true
            }
        );
    }

    #[test]
    fn an_exact_page_has_no_more() {
        let limit = PageLimit::parse(2).unwrap();
        assert_eq!(
            Page::from_overfetch(vec![1, 2], limit),
            Page {
                items: vec![1, 2],
                has_more: false
            }
        );
    }
}
