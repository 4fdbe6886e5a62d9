//! The kinds of resource the corpus holds: the `kind` of an import record,
//! the resource of a change-log entry.

use diesel::backend::Backend;
use diesel::deserialize::{self, FromSql};
use diesel::serialize::{self, Output, ToSql};
use diesel::sql_types::Text;
use serde::{Deserialize, Serialize};

/// The kinds of record, in the order a file must introduce them.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    PartialOrd,
    Ord,
    Deserialize,
    Serialize,
    utoipa::ToSchema,
    diesel::AsExpression,
    diesel::FromSqlRow,
)]
#[diesel(sql_type = Text)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    Publisher,
    Series,
    Region,
    Topic,
    Author,
    Article,
}

impl Kind {
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Publisher => "publisher",
            Kind::Series => "series",
            Kind::Region => "region",
            Kind::Topic => "topic",
            Kind::Author => "author",
            Kind::Article => "article",
        }
    }
}

impl Kind {
    /// The collection a resource of this kind lives in (`/v1/{collection}/{id}`).
    pub fn collection(self) -> &'static str {
        match self {
            Kind::Publisher => "publishers",
            Kind::Series => "series",
            Kind::Region => "regions",
            Kind::Topic => "topics",
            Kind::Author => "authors",
            Kind::Article => "articles",
        }
    }

    pub const ALL: [Kind; 6] = [Kind::Publisher, Kind::Series, Kind::Region, Kind::Topic, Kind::Author, Kind::Article];
}

impl std::str::FromStr for Kind {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Kind::ALL.into_iter().find(|k| k.as_str() == s).ok_or_else(|| format!("unknown kind `{s}`"))
    }
}

/// Stored as its word (the change log's `resource`).
impl<DB: Backend> ToSql<Text, DB> for Kind
where
    str: ToSql<Text, DB>,
{
    fn to_sql<'b>(&'b self, out: &mut Output<'b, '_, DB>) -> serialize::Result {
        self.as_str().to_sql(out)
    }
}

impl<DB: Backend> FromSql<Text, DB> for Kind
where
    String: FromSql<Text, DB>,
{
    fn from_sql(bytes: DB::RawValue<'_>) -> deserialize::Result<Self> {
        Ok(String::from_sql(bytes)?.parse::<Kind>()?)
    }
}

impl std::fmt::Display for Kind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}
