//! Whole numbers in JSON bodies as JSON Schema means them: `40` and `40.0` are the same
//! integer (serde would refuse the second for an integer field). Anything with a fraction, below
//! zero or too large for the field is refused with the field's path (422).

use serde::{Deserialize, Deserializer, de::Error};

fn whole<'de, D: Deserializer<'de>>(number: serde_json::Number) -> Result<u64, D::Error> {
    if let Some(n) = number.as_u64() {
        return Ok(n);
    }
    match number.as_f64() {
        Some(f) if f.fract() == 0.0 && (0.0..=9.0e15).contains(&f) => Ok(f as u64),
        _ => Err(D::Error::custom(format!(
            "expected a whole number of 0 or more, got {number}"
        ))),
    }
}

/// A non-negative integer field.
pub fn integer<'de, D, T>(deserializer: D) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    T: TryFrom<u64>,
{
    let n = whole::<D>(serde_json::Number::deserialize(deserializer)?)?;
    T::try_from(n).map_err(|_| D::Error::custom(format!("{n} is too large")))
}

/// An optional non-negative integer field (`null` or absent is `None`; pair it with
/// `#[serde(default)]`).
pub fn optional_integer<'de, D, T>(deserializer: D) -> Result<Option<T>, D::Error>
where
    D: Deserializer<'de>,
    T: TryFrom<u64>,
{
    match Option::<serde_json::Number>::deserialize(deserializer)? {
        None => Ok(None),
        Some(number) => {
            let n = whole::<D>(number)?;
            T::try_from(n)
                .map(Some)
                .map_err(|_| D::Error::custom(format!("{n} is too large")))
        }
    }
}

#[cfg(test)]
mod tests {
    use serde::Deserialize;

    #[derive(Debug, Deserialize)]
    struct Hours {
        #[serde(deserialize_with = "super::integer")]
        hours: u8,
        #[serde(default, deserialize_with = "super::optional_integer")]
        extra: Option<u32>,
    }

    #[test]
    fn an_integral_float_is_an_integer() {
        let h: Hours = serde_json::from_str(r#"{"hours": 40.0, "extra": 7}"#).unwrap();
        assert_eq!((h.hours, h.extra), (40, Some(7)));
        let h: Hours = serde_json::from_str(r#"{"hours": 1}"#).unwrap();
        assert_eq!(h.extra, None);
    }

    #[test]
    fn fractions_negatives_and_overflows_are_refused() {
        for body in [
            r#"{"hours": 40.5}"#,
            r#"{"hours": -1}"#,
            r#"{"hours": 256}"#,
        ] {
            assert!(serde_json::from_str::<Hours>(body).is_err(), "{body}");
        }
    }
}
