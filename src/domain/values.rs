//! Small validated values read from import files and query strings.

use std::fmt;

use chrono::NaiveDateTime;
use serde::{Deserialize, Serialize};

use super::date_bound::DateBound;
use super::slug::Slug;

impl TryFrom<String> for Slug {
    type Error = String;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        Slug::parse(&s).map_err(|e| format!("slug `{s}` {e}"))
    }
}

impl<'de> Deserialize<'de> for Slug {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        Slug::try_from(String::deserialize(d)?).map_err(serde::de::Error::custom)
    }
}

impl Serialize for Slug {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

/// A BCP 47 language tag such as `en`, `ja` or `zh-Hans`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
pub struct LanguageTag(String);

impl LanguageTag {
    pub fn parse(word: &str) -> Result<LanguageTag, String> {
        let mut parts = word.split('-');
        let primary_ok =
            parts.next().is_some_and(|p| (2..=3).contains(&p.len()) && p.bytes().all(|b| b.is_ascii_lowercase()));
        let rest_ok = parts.all(|p| (1..=8).contains(&p.len()) && p.bytes().all(|b| b.is_ascii_alphanumeric()));
        if primary_ok && rest_ok {
            Ok(LanguageTag(word.to_owned()))
        } else {
            Err(format!("`{word}` is not a BCP 47 language tag such as `en` or `zh-Hans`"))
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn into_string(self) -> String {
        self.0
    }
}

impl<'de> Deserialize<'de> for LanguageTag {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        LanguageTag::parse(&String::deserialize(d)?).map_err(serde::de::Error::custom)
    }
}

/// An absolute http(s) URL.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
pub struct HttpUrl(String);

impl HttpUrl {
    pub fn parse(s: &str) -> Result<HttpUrl, String> {
        let rest = s.strip_prefix("https://").or_else(|| s.strip_prefix("http://"));
        match rest {
            Some(r) if !r.is_empty() && !r.starts_with('/') && !s.chars().any(char::is_whitespace) => {
                Ok(HttpUrl(s.to_owned()))
            }
            _ => Err(format!("`{s}` is not an absolute http(s) URL")),
        }
    }

    pub fn into_string(self) -> String {
        self.0
    }
}

impl<'de> Deserialize<'de> for HttpUrl {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        HttpUrl::parse(&String::deserialize(d)?).map_err(serde::de::Error::custom)
    }
}

/// Text with something other than whitespace in it, at most `MAX` bytes.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
pub struct Text<const MAX: usize>(String);

impl<const MAX: usize> Text<MAX> {
    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn into_string(self) -> String {
        self.0
    }
}

impl<'de, const MAX: usize> Deserialize<'de> for Text<MAX> {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        if s.trim().is_empty() {
            return Err(serde::de::Error::custom("must not be empty"));
        }
        if s.len() > MAX {
            return Err(serde::de::Error::custom(format!("is longer than {MAX} bytes")));
        }
        Ok(Text(s))
    }
}

impl<const MAX: usize> fmt::Display for Text<MAX> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A moment given as an ISO 8601 date (midnight UTC) or date-time.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub struct Moment(pub NaiveDateTime);

impl<'de> Deserialize<'de> for Moment {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        DateBound::parse(&s).map(|b| Moment(b.start())).map_err(serde::de::Error::custom)
    }
}
