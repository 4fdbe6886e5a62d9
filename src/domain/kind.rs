//! The kinds of resource the corpus holds: the `kind` of an import record,
//! the resource of a change-log entry.

use serde::{Deserialize, Serialize};

/// The kinds of record, in the order a file must introduce them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Deserialize, Serialize)]
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
