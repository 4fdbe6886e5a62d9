//! How a path names a resource: by numeric id or by slug.

use crate::domain::Slug;

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum ResourceKey {
    Id(i64),
    Slug(String),
    /// Neither a valid id nor a valid slug: matches nothing.
    Invalid(String),
}

impl ResourceKey {
    pub fn parse(raw: &str) -> ResourceKey {
        if !raw.is_empty() && raw.bytes().all(|b| b.is_ascii_digit()) {
            return raw.parse().map(ResourceKey::Id).unwrap_or_else(|_| ResourceKey::Invalid(raw.to_owned()));
        }
        match Slug::parse(raw) {
            Ok(slug) => ResourceKey::Slug(slug.into_string()),
            Err(_) => ResourceKey::Invalid(raw.to_owned()),
        }
    }

    pub fn as_text(&self) -> String {
        match self {
            ResourceKey::Id(id) => id.to_string(),
            ResourceKey::Slug(s) | ResourceKey::Invalid(s) => s.clone(),
        }
    }
}

/// Look a row up by id or slug in one table: `find_by_key!(conn, key,
/// authors, Author)` returns `QueryResult<Option<Author>>`.
#[macro_export]
macro_rules! find_by_key {
    ($conn:expr, $key:expr, $table:ident, $row:ty) => {{
        use diesel::prelude::*;
        use $crate::schema::$table;
        match $key {
            $crate::models::ResourceKey::Id(id) => {
                $table::table.find(*id).select(<$row>::as_select()).first::<$row>($conn).optional()
            }
            $crate::models::ResourceKey::Slug(slug) => {
                $table::table.filter($table::slug.eq(slug)).select(<$row>::as_select()).first::<$row>($conn).optional()
            }
            $crate::models::ResourceKey::Invalid(_) => Ok(None),
        }
    }};
}
