//! What is kept for some offices (or roles) only: a row for everyone has no audience rows, so
//! only the others are looked up, and not at all when there are none.

/// The ids of the rows not meant for everyone: the only ones with audience rows to read.
pub(crate) fn limited<R>(
    rows: &[R],
    for_everyone: impl Fn(&R) -> bool,
    id: impl Fn(&R) -> &str,
) -> Vec<String> {
    rows.iter()
        .filter(|r| !for_everyone(r))
        .map(|r| id(r).to_owned())
        .collect()
}

/// The values listed for `owner` among (owner, value) pairs, in the pairs' order.
pub(crate) fn listed_for(pairs: &[(String, String)], owner: &str) -> Vec<String> {
    pairs
        .iter()
        .filter(|(id, _)| id == owner)
        .map(|(_, value)| value.clone())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_rows_not_for_everyone_are_looked_up_and_each_owner_gets_its_own_values() {
        let rows = [("a", true), ("b", false), ("c", false)];
        assert_eq!(limited(&rows, |r| r.1, |r| r.0), ["b", "c"]);
        let pairs = [
            ("b".to_owned(), "X".to_owned()),
            ("c".to_owned(), "Y".to_owned()),
            ("b".to_owned(), "Z".to_owned()),
        ];
        assert_eq!(listed_for(&pairs, "b"), ["X", "Z"]);
        assert!(listed_for(&pairs, "a").is_empty());
    }
}
