//! `EXPLAIN QUERY PLAN` for any Diesel query, with its bound values, so
//! tests and the benchmark can check that list queries walk an index in
//! order (no full scan, no temporary B-tree for the sort). SQLite only: its
//! plan lines are what the tests read; on PostgreSQL it is an error.

use diesel::query_builder::{AstPass, Query, QueryFragment, QueryId};
use diesel::query_dsl::RunQueryDsl;
use diesel::sql_types::{Integer, Text};
use diesel::QueryResult;

use super::{DbConn, MultiBackend};

pub struct Explain<Q>(pub Q);

impl<Q> QueryId for Explain<Q> {
    type QueryId = ();
    const HAS_STATIC_QUERY_ID: bool = false;
}

impl<Q> Query for Explain<Q> {
    type SqlType = (Integer, Integer, Integer, Text);
}

impl<Q: QueryFragment<MultiBackend>> QueryFragment<MultiBackend> for Explain<Q> {
    fn walk_ast<'b>(&'b self, mut out: AstPass<'_, 'b, MultiBackend>) -> QueryResult<()> {
        if !matches!(out.backend(), MultiBackend::Sqlite(_)) {
            return Err(diesel::result::Error::QueryBuilderError("query plans are read on SQLite only".into()));
        }
        out.unsafe_to_cache_prepared();
        out.push_sql("EXPLAIN QUERY PLAN ");
        self.0.walk_ast(out)
    }
}

impl<Q> RunQueryDsl<DbConn> for Explain<Q> {}

/// The plan's lines (`SEARCH …`, `SCAN …`, `USE TEMP B-TREE …`).
pub fn query_plan<Q: QueryFragment<MultiBackend>>(conn: &mut DbConn, query: Q) -> QueryResult<Vec<String>> {
    let rows: Vec<(i32, i32, i32, String)> = Explain(query).load(conn)?;
    Ok(rows.into_iter().map(|r| r.3).collect())
}
