//! Closed vocabularies stored as text columns. Each is a Rust enum that
//! serialises to the same snake_case word in JSON, in the OpenAPI spec and
//! in the database.

use std::fmt;
use std::str::FromStr;

use diesel::backend::Backend;
use diesel::deserialize::{self, FromSql};
use diesel::serialize::{self, Output, ToSql};
use diesel::sql_types::Text;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// A word that is not part of a vocabulary.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownWord {
    pub word: String,
    pub expected: &'static [&'static str],
}

impl fmt::Display for UnknownWord {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "unknown value `{}`, expected one of: {}", self.word, self.expected.join(", "))
    }
}

impl std::error::Error for UnknownWord {}

macro_rules! text_vocabulary {
    ($(#[$meta:meta])* $name:ident { $($(#[$vmeta:meta])* $variant:ident => $word:tt),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, ToSchema,
                 diesel::AsExpression, diesel::FromSqlRow)]
        #[diesel(sql_type = Text)]
        pub enum $name {
            $($(#[$vmeta])* #[serde(rename = $word)] $variant),+
        }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];
            pub const WORDS: &'static [&'static str] = &[$($word),+];

            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $word),+ }
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl FromStr for $name {
            type Err = UnknownWord;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                match s {
                    $($word => Ok($name::$variant),)+
                    _ => Err(UnknownWord { word: s.to_owned(), expected: Self::WORDS }),
                }
            }
        }

        impl<DB: Backend> ToSql<Text, DB> for $name
        where
            str: ToSql<Text, DB>,
        {
            fn to_sql<'b>(&'b self, out: &mut Output<'b, '_, DB>) -> serialize::Result {
                self.as_str().to_sql(out)
            }
        }

        impl<DB: Backend> FromSql<Text, DB> for $name
        where
            String: FromSql<Text, DB>,
        {
            fn from_sql(bytes: DB::RawValue<'_>) -> deserialize::Result<Self> {
                Ok(String::from_sql(bytes)?.parse()?)
            }
        }
    };
}

text_vocabulary! {
    /// What kind of publication an article is.
    ArticleType {
        Commentary => "commentary",
        News => "news",
        Analysis => "analysis",
        Interview => "interview",
        Report => "report",
        Book => "book",
        Newsletter => "newsletter",
        PeriodicalIssue => "periodical_issue",
        Event => "event",
    }
}

text_vocabulary! {
    /// The part a person played in an article.
    ContributorRole {
        Author => "author",
        Editor => "editor",
        ExecutiveEditor => "executive_editor",
        Translator => "translator",
        Contributor => "contributor",
    }
}

text_vocabulary! {
    /// How much of the article's text the corpus holds: `full`, `cut` (the
    /// source page showed only part of it) or `none` (listing only).
    BodyStatus {
        Full => "full",
        Cut => "cut",
        None => "none",
    }
}

text_vocabulary! {
    /// What a series is.
    SeriesType {
        Commentary => "commentary",
        NewsCategory => "news_category",
        BookSeries => "book_series",
        Periodical => "periodical",
        Newsletter => "newsletter",
        Reports => "reports",
    }
}

text_vocabulary! {
    /// Where a region sits in the hierarchy.
    RegionType {
        Region => "region",
        Country => "country",
    }
}

text_vocabulary! {
    /// An office or a programme a publisher lists.
    UnitType {
        Office => "office",
        Program => "program",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_round_trip() {
        for t in ArticleType::ALL {
            assert_eq!(t.as_str().parse::<ArticleType>().unwrap(), *t);
            assert_eq!(serde_json::to_string(t).unwrap(), format!("\"{}\"", t.as_str()));
        }
        let err = "essay".parse::<ArticleType>().unwrap_err();
        assert!(err.to_string().contains("commentary"));
    }

    fn spec_words<T: utoipa::PartialSchema>() -> Vec<String> {
        let utoipa::openapi::RefOr::T(utoipa::openapi::schema::Schema::Object(object)) = T::schema() else {
            panic!("an inline object schema")
        };
        object.enum_values.unwrap_or_default().iter().map(|v| v.as_str().unwrap().to_owned()).collect()
    }

    #[test]
    fn the_spec_lists_the_words_the_wire_uses() {
        assert_eq!(spec_words::<ArticleType>(), ArticleType::WORDS);
        assert_eq!(spec_words::<ContributorRole>(), ContributorRole::WORDS);
        assert_eq!(spec_words::<BodyStatus>(), BodyStatus::WORDS);
        assert_eq!(spec_words::<SeriesType>(), SeriesType::WORDS);
        assert_eq!(spec_words::<RegionType>(), RegionType::WORDS);
        assert_eq!(spec_words::<UnitType>(), UnitType::WORDS);
    }
}

text_vocabulary! {
    /// Who said it: `source` when the publisher's own page states the fact
    /// (a topic it files the piece under, a byline it prints), `editorial`
    /// when whoever built the corpus assigned it (a person or a rule).
    Provenance {
        Source => "source",
        Editorial => "editorial",
    }
}

impl Default for Provenance {
    /// What a missing mark means in the import format and the write API.
    fn default() -> Self {
        Provenance::Source
    }
}

impl Provenance {
    pub fn is_source(&self) -> bool {
        *self == Provenance::Source
    }
}

text_vocabulary! {
    /// Which classification links a list's filters and facets read:
    /// `any` (every link), or only those the `source` stated.
    Classification {
        Any => "any",
        Source => "source",
    }
}

text_vocabulary! {
    /// What a change-log entry records.
    ChangeAction {
        Upsert => "upsert",
        Delete => "delete",
    }
}

text_vocabulary! {
    /// What an API key may do: `write` creates, edits, unpublishes and
    /// republishes; `admin` also deletes.
    KeyScope {
        Write => "write",
        Admin => "admin",
    }
}

text_vocabulary! {
    /// Why a resource left the corpus: `deleted` for good, or `unpublished`
    /// (an article, kept aside until it is republished).
    TombstoneState {
        Deleted => "deleted",
        Unpublished => "unpublished",
    }
}
