//! `EXPLAIN QUERY PLAN` for any Diesel query, with its bound values, so
//! tests and the benchmark can check that list queries walk an index in
//! order (no full scan, no temporary B-tree for the sort).

use diesel::query_builder::{AstPass, Query, QueryFragment, QueryId};
use diesel::query_dsl::RunQueryDsl;
use diesel::sql_types::{Integer, Text};
use diesel::sqlite::{Sqlite, SqliteConnection};
use diesel::QueryResult;

pub struct Explain<Q>(pub Q);

impl<Q> QueryId for Explain<Q> {
    type QueryId = ();
    const HAS_STATIC_QUERY_ID: bool = false;
}

impl<Q> Query for Explain<Q> {
    type SqlType = (Integer, Integer, Integer, Text);
}

impl<Q: QueryFragment<Sqlite>> QueryFragment<Sqlite> for Explain<Q> {
    fn walk_ast<'b>(&'b self, mut out: AstPass<'_, 'b, Sqlite>) -> QueryResult<()> {
        out.unsafe_to_cache_prepared();
        out.push_sql("EXPLAIN QUERY PLAN ");
        self.0.walk_ast(out)
    }
}

impl<Q> RunQueryDsl<SqliteConnection> for Explain<Q> {}

/// The plan's lines (`SEARCH …`, `SCAN …`, `USE TEMP B-TREE …`).
pub fn query_plan<Q: QueryFragment<Sqlite>>(conn: &mut SqliteConnection, query: Q) -> QueryResult<Vec<String>> {
    let rows: Vec<(i32, i32, i32, String)> = Explain(query).load(conn)?;
    Ok(rows.into_iter().map(|r| r.3).collect())
}
