//! SQL functions the typed DSL does not name (both SQLite and PostgreSQL
//! have them under these names).

use diesel::sql_types::*;

diesel::define_sql_function! {
    /// Bytes of a text value (SQLite reads the length from the record
    /// header without loading a long value). An `integer` on PostgreSQL
    /// (a text value holds at most 1 GB).
    fn octet_length(x: Text) -> Integer;
}

diesel::define_sql_function! {
    /// `len` characters of `x` from the 1-based position `start`.
    fn substr(x: Text, start: Integer, len: Integer) -> Text;
}
