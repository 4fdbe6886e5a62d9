//! `column IN (list)` with the whole list bound as one parameter.
//!
//! Diesel's `eq_any(vec)` writes one placeholder per value, which makes
//! every list length a different statement and marks the query as not
//! cacheable, so SQLite would re-prepare it on every request. Binding the
//! list as one JSON array keeps the SQL text fixed and the prepared
//! statement reusable: `IN (SELECT value FROM json_each(?))` on SQLite,
//! `IN (SELECT json_array_elements_text(?::json)::<type>)` on PostgreSQL
//! (typed by the column, so its index is used).

use diesel::expression::{is_aggregate, AppearsOnTable, Expression, SelectableExpression, ValidGrouping};
use diesel::pg::Pg;
use diesel::query_builder::{AstPass, QueryFragment, QueryId};
use diesel::sql_types::{BigInt, Bool, Integer, Nullable, Text};
use diesel::sqlite::Sqlite;
use diesel::QueryResult;

use super::MultiBackend;

/// The PostgreSQL type a JSON array's elements are cast to, for a column of
/// this SQL type.
pub trait PgElementType {
    const PG_TYPE: &'static str;
}

impl PgElementType for BigInt {
    const PG_TYPE: &'static str = "bigint";
}

impl PgElementType for Integer {
    const PG_TYPE: &'static str = "integer";
}

impl PgElementType for Text {
    const PG_TYPE: &'static str = "text";
}

impl<T: PgElementType + diesel::sql_types::SqlType> PgElementType for Nullable<T> {
    const PG_TYPE: &'static str = T::PG_TYPE;
}

#[derive(Debug, Clone)]
pub struct InList<C> {
    column: C,
    json: String,
    negated: bool,
}

/// `column IN (values)`.
pub fn in_list<C, V: serde::Serialize>(column: C, values: &[V]) -> InList<C> {
    InList { column, json: serde_json::to_string(values).expect("values serialise"), negated: false }
}

/// `column NOT IN (values)`.
pub fn not_in_list<C, V: serde::Serialize>(column: C, values: &[V]) -> InList<C> {
    InList { negated: true, ..in_list(column, values) }
}

impl<C: Expression> Expression for InList<C> {
    type SqlType = Bool;
}

impl<C, QS> AppearsOnTable<QS> for InList<C> where C: AppearsOnTable<QS> {}

impl<C, QS> SelectableExpression<QS> for InList<C> where C: SelectableExpression<QS> {}

impl<C, GB> ValidGrouping<GB> for InList<C>
where
    C: ValidGrouping<GB, IsAggregate = is_aggregate::No>,
{
    type IsAggregate = is_aggregate::No;
}

impl<C> QueryId for InList<C> {
    type QueryId = ();
    const HAS_STATIC_QUERY_ID: bool = false;
}

impl<C: QueryFragment<Sqlite>> QueryFragment<Sqlite> for InList<C> {
    fn walk_ast<'b>(&'b self, mut out: AstPass<'_, 'b, Sqlite>) -> QueryResult<()> {
        out.push_sql("(");
        self.column.walk_ast(out.reborrow())?;
        out.push_sql(if self.negated { " NOT IN" } else { " IN" });
        out.push_sql(" (SELECT value FROM json_each(");
        out.push_bind_param::<Text, _>(&self.json)?;
        out.push_sql(")))");
        Ok(())
    }
}

impl<C> QueryFragment<Pg> for InList<C>
where
    C: QueryFragment<Pg> + Expression,
    C::SqlType: PgElementType,
{
    fn walk_ast<'b>(&'b self, mut out: AstPass<'_, 'b, Pg>) -> QueryResult<()> {
        out.push_sql("(");
        self.column.walk_ast(out.reborrow())?;
        out.push_sql(if self.negated { " NOT IN" } else { " IN" });
        out.push_sql(" (SELECT json_array_elements_text(");
        out.push_bind_param::<Text, _>(&self.json)?;
        out.push_sql("::json)::");
        out.push_sql(<C::SqlType as PgElementType>::PG_TYPE);
        out.push_sql("))");
        Ok(())
    }
}

impl<C> QueryFragment<MultiBackend> for InList<C>
where
    Self: QueryFragment<Sqlite> + QueryFragment<Pg>,
{
    fn walk_ast<'b>(&'b self, out: AstPass<'_, 'b, MultiBackend>) -> QueryResult<()> {
        MultiBackend::walk_variant_ast(self, out)
    }
}
