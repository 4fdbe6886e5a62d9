//! Slugs: the stable, human-readable keys of every resource.

use std::fmt;

/// Lowercase ASCII words joined by single hyphens.
pub const SLUG_PATTERN: &str = "^[a-z0-9]+(-[a-z0-9]+)*$";
pub const SLUG_MAX_LEN: usize = 120;

#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Slug(String);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SlugError {
    #[error("must not be empty")]
    Empty,
    #[error("must be at most {SLUG_MAX_LEN} characters")]
    TooLong,
    #[error(
        "must be lowercase ASCII letters and digits in words joined by single hyphens (e.g. `the-korean-peninsula`)"
    )]
    BadShape,
    #[error("must contain a letter (all-digit values are ids)")]
    AllDigits,
}

impl Slug {
    pub fn parse(s: &str) -> Result<Slug, SlugError> {
        if s.is_empty() {
            return Err(SlugError::Empty);
        }
        if s.len() > SLUG_MAX_LEN {
            return Err(SlugError::TooLong);
        }
        let well_formed =
            s.split('-').all(|w| !w.is_empty() && w.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit()));
        if !well_formed {
            return Err(SlugError::BadShape);
        }
        if s.bytes().all(|b| b.is_ascii_digit()) {
            return Err(SlugError::AllDigits);
        }
        Ok(Slug(s.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn into_string(self) -> String {
        self.0
    }
}

impl fmt::Display for Slug {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_and_rejects() {
        assert!(Slug::parse("the-korean-peninsula").is_ok());
        assert!(Slug::parse("g20").is_ok());
        assert_eq!(Slug::parse(""), Err(SlugError::Empty));
        assert_eq!(Slug::parse("Bad"), Err(SlugError::BadShape));
        assert_eq!(Slug::parse("a--b"), Err(SlugError::BadShape));
        assert_eq!(Slug::parse("-a"), Err(SlugError::BadShape));
        assert_eq!(Slug::parse("123"), Err(SlugError::AllDigits));
        assert_eq!(Slug::parse(&"a".repeat(121)), Err(SlugError::TooLong));
    }
}
