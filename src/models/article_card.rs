//! The stored list item of each article (`article_cards`), and which
//! articles a change to a related resource shows up in.

use std::collections::HashMap;

use diesel::prelude::*;

use crate::db::{in_list, DbConn};
use crate::domain::Kind;
use crate::schema::{article_authors, article_cards, article_cards_format, article_regions, article_topics, articles};

/// Rows per statement when storing (two bound values per row).
const STORE_CHUNK: usize = 400;

#[derive(Insertable)]
#[diesel(table_name = article_cards, treat_none_as_default_value = false)]
struct NewCard<'a> {
    article_id: i64,
    card: &'a str,
}

/// The cards of `ids` that exist.
pub fn load(conn: &mut DbConn, ids: &[i64]) -> QueryResult<HashMap<i64, String>> {
    if ids.is_empty() {
        return Ok(HashMap::new());
    }
    Ok(article_cards::table
        .filter(in_list(article_cards::article_id, ids))
        .select((article_cards::article_id, article_cards::card))
        .load::<(i64, String)>(conn)?
        .into_iter()
        .collect())
}

/// Replace the cards of the given articles. Run it in a transaction.
pub fn store(conn: &mut DbConn, cards: &[(i64, String)]) -> QueryResult<usize> {
    let mut stored = 0;
    for chunk in cards.chunks(STORE_CHUNK) {
        let ids: Vec<i64> = chunk.iter().map(|(id, _)| *id).collect();
        diesel::delete(article_cards::table.filter(in_list(article_cards::article_id, &ids))).execute(conn)?;
        let rows: Vec<NewCard> = chunk.iter().map(|(id, card)| NewCard { article_id: *id, card }).collect();
        stored +=
            crate::on_backend!(&mut *conn, |c| diesel::insert_into(article_cards::table).values(&rows).execute(c))?;
    }
    Ok(stored)
}

/// Articles whose list item shows a resource of `kind` with one of `ids`.
pub fn showing(conn: &mut DbConn, kind: Kind, ids: &[i64]) -> QueryResult<Vec<i64>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    match kind {
        Kind::Article => Ok(ids.to_vec()),
        Kind::Author => article_authors::table
            .filter(in_list(article_authors::author_id, ids))
            .select(article_authors::article_id)
            .load(conn),
        Kind::Topic => article_topics::table
            .filter(in_list(article_topics::topic_id, ids))
            .select(article_topics::article_id)
            .load(conn),
        // Items name the regions an article is filed under, not their
        // ancestors.
        Kind::Region => article_regions::table
            .filter(in_list(article_regions::region_id, ids))
            .filter(article_regions::is_direct.eq(true))
            .select(article_regions::article_id)
            .load(conn),
        Kind::Publisher => articles::table.filter(in_list(articles::publisher_id, ids)).select(articles::id).load(conn),
        Kind::Series => articles::table.filter(in_list(articles::series_id, ids)).select(articles::id).load(conn),
    }
}

/// Up to `limit` articles after `after` (by id) that have no card.
pub fn missing(conn: &mut DbConn, after: i64, limit: i64) -> QueryResult<Vec<i64>> {
    articles::table
        .left_join(article_cards::table)
        .filter(article_cards::article_id.is_null())
        .filter(articles::id.gt(after))
        .order(articles::id)
        .select(articles::id)
        .limit(limit)
        .load(conn)
}

/// The format the stored cards were built in, if recorded.
pub fn format(conn: &mut DbConn) -> QueryResult<Option<i64>> {
    article_cards_format::table.select(article_cards_format::format).first(conn).optional()
}

/// Forget every card (they are rebuilt by the caller) and the format.
pub fn clear(conn: &mut DbConn) -> QueryResult<()> {
    diesel::delete(article_cards_format::table).execute(conn)?;
    diesel::delete(article_cards::table).execute(conn)?;
    Ok(())
}

pub fn set_format(conn: &mut DbConn, format: i64) -> QueryResult<()> {
    diesel::delete(article_cards_format::table).execute(conn)?;
    diesel::insert_into(article_cards_format::table)
        .values((article_cards_format::id.eq(1), article_cards_format::format.eq(format)))
        .execute(conn)?;
    Ok(())
}
