//! Turning text into search terms: fold case and accents, split into words, drop a few
//! function words, and stem (Snowball English), so "analysts" finds "Analyst".

use std::sync::LazyLock;

use rust_stemmers::{Algorithm, Stemmer};
use unicode_normalization::{UnicodeNormalization, char::is_combining_mark};

static STEMMER: LazyLock<Stemmer> = LazyLock::new(|| Stemmer::create(Algorithm::English));

/// Words too common to help a search. "it" is deliberately absent: it is a job family.
const STOP_WORDS: &[&str] = &[
    "a", "an", "and", "are", "as", "at", "be", "by", "for", "from", "in", "is", "of", "on", "or",
    "the", "to", "with",
];

/// The terms of `text`, in order, repeats kept.
pub fn terms(text: &str) -> Vec<String> {
    words(&fold(text)).map(stem).collect()
}

/// `text` with case and accents folded (the first step of [`terms`]).
pub fn fold(text: &str) -> String {
    text.nfkd()
        .filter(|c| !is_combining_mark(*c))
        .flat_map(char::to_lowercase)
        .collect()
}

/// The words of folded text that become terms, unstemmed (the second step of [`terms`]).
pub fn words(folded: &str) -> impl Iterator<Item = &str> {
    folded
        .split(|c: char| !c.is_alphanumeric())
        .filter(|word| !word.is_empty() && !STOP_WORDS.contains(word))
}

/// The term of one word from [`words`] (the last step of [`terms`]).
pub fn stem(word: &str) -> String {
    STEMMER.stem(word).into_owned()
}

/// The distinct terms of a query, at most `max` of them.
pub fn query_terms(text: &str, max: usize) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for term in terms(text) {
        if !out.contains(&term) {
            out.push(term);
        }
        if out.len() == max {
            break;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plurals_case_and_accents_fold_to_one_term() {
        assert_eq!(terms("Analysts"), terms("analyst"));
        assert_eq!(terms("Técnico"), terms("tecnico"));
    }

    #[test]
    fn operators_and_quotes_are_just_text() {
        assert_eq!(
            query_terms("\"office\" AND NOT tech* OR (NEAR)", 10),
            ["offic", "not", "tech", "near"]
        );
    }

    #[test]
    fn it_is_kept_as_a_term() {
        assert_eq!(terms("IT Specialist"), ["it", "specialist"]);
    }
}
