//! The import path: validation errors name line and field and write
//! nothing; re-imports change nothing; changes are upserts by slug.

use std::io::Write;

use commentary_api::db::{self, PoolOptions};
use commentary_api::domain::Kind;
use commentary_api::ingest::lines::Source;
use commentary_api::ingest::{self, ImportError, ImportOptions};
use commentary_api::schema::{article_regions, articles, change_log};
use commentary_api::startup::SEED_CORPUS;
use diesel::prelude::*;

use crate::helpers::{open_seeded, temp_db};

fn write_file(dir: &std::path::Path, name: &str, lines: &[&str]) -> std::path::PathBuf {
    let path = dir.join(name);
    let mut f = std::fs::File::create(&path).unwrap();
    for l in lines {
        writeln!(f, "{l}").unwrap();
    }
    path
}

fn title_of(conn: &mut db::DbConn, slug: &str) -> String {
    articles::table.filter(articles::slug.eq(slug)).select(articles::title).first(conn).unwrap()
}

fn counts(conn: &mut db::DbConn) -> (i64, i64) {
    let a = articles::table.count().get_result(conn).unwrap();
    let c = change_log::table.count().get_result(conn).unwrap();
    (a, c)
}

#[test]
fn reimporting_the_same_file_changes_nothing() {
    let (_dir, path) = temp_db();
    drop(open_seeded(&path));
    let mut conn = db::connect(&path, PoolOptions::default()).unwrap();
    let before = counts(&mut conn);
    let report = ingest::import(&mut conn, &Source::Bytes(SEED_CORPUS), &ImportOptions::default()).unwrap();
    assert_eq!(report.written.changed(), 0);
    assert_eq!(report.written.by_kind[&Kind::Article].unchanged, 37);
    assert_eq!(counts(&mut conn), before, "no rows and no change-log entries added");
}

#[test]
fn small_batches_give_the_same_store() {
    let (_dir, path) = temp_db();
    let mut conn = db::connect(&path, PoolOptions::default()).unwrap();
    db::run_migrations(&mut conn).unwrap();
    let options = ImportOptions { batch_size: 1, ..ImportOptions::default() };
    let report = ingest::import(&mut conn, &Source::Bytes(SEED_CORPUS), &options).unwrap();
    assert_eq!(report.records, 93);
    assert_eq!(report.written.by_kind[&Kind::Article].created, 37);
    assert_eq!(counts(&mut conn).0, 37);
}

/// Every article row and every row hanging off it, in id order, with the
/// columns that may be NULL.
type StoredArticle = (i64, String, Option<String>, Option<String>, Option<String>, Option<i64>, Option<String>);
/// A byline: article, position, author, affiliation.
type StoredByline = (i64, i32, i64, Option<String>);
/// Articles, bylines, and how many bodies, topic links and references.
type Stored = (Vec<StoredArticle>, Vec<StoredByline>, i64, i64, i64);

fn stored(conn: &mut db::DbConn) -> Stored {
    use commentary_api::schema::{article_authors, article_bodies, article_references, article_topics};
    let rows = articles::table
        .order(articles::id)
        .select((
            articles::id,
            articles::slug,
            articles::uid,
            articles::subtitle,
            articles::source_url,
            articles::series_id,
            articles::provenance_note,
        ))
        .load(conn)
        .unwrap();
    let bylines = article_authors::table
        .order((article_authors::article_id, article_authors::position))
        .select((
            article_authors::article_id,
            article_authors::position,
            article_authors::author_id,
            article_authors::affiliation,
        ))
        .load(conn)
        .unwrap();
    let bodies = article_bodies::table.count().get_result(conn).unwrap();
    let topics = article_topics::table.count().get_result(conn).unwrap();
    let references = article_references::table.count().get_result(conn).unwrap();
    (rows, bylines, bodies, topics, references)
}

#[test]
fn many_rows_per_statement_store_what_one_row_at_a_time_stores() {
    // Batches of one write each row in a statement of its own; the default
    // batches write hundreds of rows per statement, NULLs among them.
    let import_with = |batch_size: usize| {
        let (dir, path) = temp_db();
        let mut conn = db::connect(&path, PoolOptions::default()).unwrap();
        db::run_migrations(&mut conn).unwrap();
        let options = ImportOptions { batch_size, ..ImportOptions::default() };
        ingest::import(&mut conn, &Source::Bytes(SEED_CORPUS), &options).unwrap();
        (dir, stored(&mut conn))
    };
    let (_one_dir, one) = import_with(1);
    let (_many_dir, many) = import_with(2_000);
    assert_eq!(one.0.len(), 37);
    assert!(one.0.iter().any(|a| a.5.is_none()) && one.0.iter().any(|a| a.5.is_some()), "series both ways");
    assert!(one.1.iter().any(|b| b.3.is_none()) && one.1.iter().any(|b| b.3.is_some()), "affiliations both ways");
    let uids: std::collections::HashSet<_> = many.0.iter().map(|a| a.2.clone()).collect();
    assert_eq!(uids.len(), 37, "every article has its own uid");
    assert_eq!(one, many);
}

#[test]
fn created_and_updated_articles_in_one_batch_keep_file_order_and_distinct_ids() {
    let (dir, path) = temp_db();
    drop(open_seeded(&path));
    let mut conn = db::connect(&path, PoolOptions::default()).unwrap();
    let max_before: Option<i64> = articles::table.select(diesel::dsl::max(articles::id)).first(&mut conn).unwrap();
    let file = write_file(
        dir.path(),
        "mixed.ndjson",
        &[
            r#"{"kind":"article","slug":"new-first","title":"First","type":"news","language":"en","published_at":"2024-01-01","publisher":"jfir"}"#,
            r#"{"kind":"article","slug":"unchangeable-commitment","title":"Unchangeable Commitment (again)","type":"commentary","language":"en","published_at":"2020-02-19","publisher":"charhar-institute","topics":["belt-and-road-initiative"]}"#,
            r#"{"kind":"article","slug":"new-second","title":"Second","subtitle":"With a subtitle","type":"news","language":"en","published_at":"2024-01-02","publisher":"jfir"}"#,
        ],
    );
    let report = ingest::import(&mut conn, &Source::File(file), &ImportOptions::default()).unwrap();
    assert_eq!(report.written.by_kind[&Kind::Article].created, 2);
    assert_eq!(report.written.by_kind[&Kind::Article].updated, 1);
    type New = (i64, String, Option<String>, Option<String>);
    let new: Vec<New> = articles::table
        .filter(articles::slug.eq_any(["new-first", "new-second"]))
        .order(articles::id)
        .select((articles::id, articles::slug, articles::subtitle, articles::uid))
        .load(&mut conn)
        .unwrap();
    let max_before = max_before.unwrap();
    assert_eq!(
        new.iter().map(|r| (r.0, r.1.as_str())).collect::<Vec<_>>(),
        [(max_before + 1, "new-first"), (max_before + 2, "new-second")]
    );
    assert_eq!((new[0].2.as_deref(), new[1].2.as_deref()), (None, Some("With a subtitle")));
    assert!(new[0].3.is_some() && new[0].3 != new[1].3, "{new:?}");
    assert_eq!(title_of(&mut conn, "unchangeable-commitment"), "Unchangeable Commitment (again)");
}

#[test]
fn a_file_with_errors_names_line_and_field_and_writes_nothing() {
    let (dir, path) = temp_db();
    drop(open_seeded(&path));
    let file = write_file(
        dir.path(),
        "bad.ndjson",
        &[
            r#"{"kind":"topic","slug":"new-topic","name":"New topic"}"#,
            r#"{"kind":"article","slug":"ok-one","title":"Fine","type":"news","language":"en","published_at":"2024-01-01","publisher":"jfir","topics":["new-topic"]}"#,
            r#"{"kind":"article","slug":"bad-date","title":"T","type":"news","language":"en","published_at":"2024-02-30","publisher":"jfir"}"#,
            r#"{"kind":"article","slug":"bad-ref","title":"T","type":"news","language":"en","published_at":"2024-01-01","publisher":"jfir","authors":[{"author":"nobody","role":"author"}]}"#,
            r#"not json"#,
            r#"{"kind":"article","slug":"ok-one","title":"Again","type":"news","language":"en","published_at":"2024-01-01","publisher":"jfir"}"#,
            r#"{"kind":"article","slug":"x","title":"T","type":"essay","language":"en","published_at":"2024-01-01","publisher":"jfir"}"#,
            r#"{"kind":"article","slug":"y","title":"T","type":"news","language":"en","published_at":"2024-01-01","publisher":"jfir","body_status":"full"}"#,
        ],
    );
    let mut conn = db::connect(&path, PoolOptions::default()).unwrap();
    let before = counts(&mut conn);
    let err = ingest::import(&mut conn, &Source::File(file), &ImportOptions::default()).unwrap_err();
    let ImportError::Invalid(errors) = err else { panic!("{err}") };
    let found: Vec<(usize, &str)> = errors.iter().map(|e| (e.line, e.field.as_str())).collect();
    assert_eq!(
        found,
        [(3, "published_at"), (4, "authors[0].author"), (5, ""), (6, "slug"), (7, "type"), (8, "body")],
        "{errors:#?}"
    );
    assert!(errors[1].message.contains("nobody"));
    assert!(errors[3].message.contains("line 2"));
    assert_eq!(counts(&mut conn), before, "nothing was written");
}

#[test]
fn changed_records_are_updated_and_logged() {
    let (dir, path) = temp_db();
    drop(open_seeded(&path));
    let mut conn = db::connect(&path, PoolOptions::default()).unwrap();
    let (_, log_before) = counts(&mut conn);
    // Move Japan under Indo-Pacific and retitle an article.
    let file = write_file(
        dir.path(),
        "update.ndjson",
        &[
            r#"{"kind":"region","slug":"japan","name":"Japan","parent":"indo-pacific","region_type":"country"}"#,
            r#"{"kind":"article","slug":"unchangeable-commitment","title":"Unchangeable Commitment (corrected)","type":"commentary","language":"en","published_at":"2020-02-19","publisher":"charhar-institute","topics":["belt-and-road-initiative"]}"#,
        ],
    );
    let report = ingest::import(&mut conn, &Source::File(file), &ImportOptions::default()).unwrap();
    assert_eq!(report.written.by_kind[&Kind::Region].updated, 1);
    assert_eq!(title_of(&mut conn, "unchangeable-commitment"), "Unchangeable Commitment (corrected)");
    // Articles filed under Japan now sit under Indo-Pacific, not Asia.
    let japan_articles: Vec<i64> = article_regions::table
        .inner_join(commentary_api::schema::regions::table)
        .filter(commentary_api::schema::regions::slug.eq("japan"))
        .select(article_regions::article_id)
        .load(&mut conn)
        .unwrap();
    assert!(!japan_articles.is_empty());
    for id in &japan_articles {
        let under: Vec<String> = article_regions::table
            .inner_join(commentary_api::schema::regions::table)
            .filter(article_regions::article_id.eq(id))
            .select(commentary_api::schema::regions::slug)
            .load(&mut conn)
            .unwrap();
        assert!(under.contains(&"indo-pacific".to_owned()), "{under:?}");
    }
    let (_, log_after) = counts(&mut conn);
    assert_eq!(log_after - log_before, 2 + japan_articles.len() as i64, "region, article, and the moved articles");
}

#[derive(diesel::QueryableByName)]
struct Name {
    #[diesel(sql_type = diesel::sql_types::Text)]
    name: String,
}

fn index_names(conn: &mut db::DbConn) -> Vec<String> {
    let rows: Vec<Name> =
        diesel::sql_query("SELECT name FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL ORDER BY name")
            .load(conn)
            .unwrap();
    rows.into_iter().map(|r| r.name).collect()
}

#[test]
fn indexes_dropped_by_a_killed_import_come_back_at_the_next_start() {
    if crate::helpers::sqlite_only("indexes dropped for an import (PostgreSQL keeps them)") {
        return;
    }
    let (_dir, path) = temp_db();
    drop(open_seeded(&path));
    let mut conn = db::connect(&path, PoolOptions::default()).unwrap();
    let all = index_names(&mut conn);
    assert!(all.contains(&"article_topics_by_topic".to_owned()), "the seed import rebuilt its indexes: {all:?}");
    // What a first import does before it writes; then it "dies".
    db::write_transaction(&mut conn, |c| db::defer_secondary_indexes(c, &["articles", "article_topics"])).unwrap();
    assert!(!index_names(&mut conn).contains(&"article_topics_by_topic".to_owned()));
    drop(conn);
    drop(open_seeded(&path));
    let mut conn = db::connect(&path, PoolOptions::default()).unwrap();
    assert_eq!(index_names(&mut conn), all);
}

#[derive(diesel::QueryableByName)]
struct Journal {
    #[diesel(sql_type = diesel::sql_types::Text)]
    journal_mode: String,
}

fn journal_mode(conn: &mut db::DbConn) -> String {
    diesel::sql_query("PRAGMA journal_mode").get_result::<Journal>(conn).unwrap().journal_mode
}

#[test]
fn a_first_import_skips_the_wal_only_when_no_other_connection_has_the_file() {
    if crate::helpers::sqlite_only("journal modes") {
        return;
    }
    // Another connection open: the import keeps the WAL, and that
    // connection reads everything it wrote.
    let (_dir, path) = temp_db();
    let mut conn = db::connect(&path, PoolOptions::default()).unwrap();
    db::run_migrations(&mut conn).unwrap();
    let mut other = db::connect(&path, PoolOptions::default()).unwrap();
    assert_eq!(counts(&mut other).0, 0);
    let report = ingest::import(&mut conn, &Source::Bytes(SEED_CORPUS), &ImportOptions::default()).unwrap();
    assert!(!report.without_wal, "another connection had the file open");
    assert_eq!(journal_mode(&mut conn), "wal");
    assert_eq!(counts(&mut other).0, 37);
    drop(other);
    let with_wal = stored(&mut conn);
    drop(conn);

    // Alone: a rollback journal while writing, the same rows, and back to
    // WAL afterwards; a re-import (no longer into an empty store) keeps it.
    let (_dir2, path2) = temp_db();
    let mut conn = db::connect(&path2, PoolOptions::default()).unwrap();
    db::run_migrations(&mut conn).unwrap();
    let options = ImportOptions { batch_size: 10, ..ImportOptions::default() };
    let report = ingest::import(&mut conn, &Source::Bytes(SEED_CORPUS), &options).unwrap();
    assert!(report.without_wal, "nothing else had the file open");
    assert_eq!(journal_mode(&mut conn), "wal");
    assert_eq!(stored(&mut conn), with_wal);
    let again = ingest::import(&mut conn, &Source::Bytes(SEED_CORPUS), &options).unwrap();
    assert!(!again.without_wal, "not into an empty store");
    assert_eq!(again.written.changed(), 0);
    drop(conn);
    let mut reopened = db::connect(&path2, PoolOptions::default()).unwrap();
    assert_eq!(journal_mode(&mut reopened), "wal");
    assert_eq!(stored(&mut reopened), with_wal);
}

#[derive(diesel::QueryableByName)]
struct Synchronous {
    #[diesel(sql_type = diesel::sql_types::Integer)]
    synchronous: i32,
}

fn synchronous(conn: &mut db::DbConn) -> i32 {
    diesel::sql_query("PRAGMA synchronous").get_result::<Synchronous>(conn).unwrap().synchronous
}

#[test]
fn a_connection_opened_while_a_first_import_writes_works_and_wal_comes_back() {
    if crate::helpers::sqlite_only("journal modes") {
        return;
    }
    let (_dir, path) = temp_db();
    let mut conn = db::connect(&path, PoolOptions::default()).unwrap();
    db::run_migrations(&mut conn).unwrap();
    let bulk = db::begin_bulk_writes(&mut conn, 16_384, true).unwrap();
    assert!(bulk.left_wal);
    assert_eq!(journal_mode(&mut conn), "truncate");
    assert_eq!(synchronous(&mut conn), 2, "FULL while the rollback journal is in use");
    // Another program opens the file in the middle of a write transaction:
    // its switch to WAL is refused, and it reads the last commit.
    db::write_transaction(&mut conn, |c| {
        db::defer_secondary_indexes(c, &["articles"])?;
        let mut other = db::connect(&path, PoolOptions::default()).expect("opens while the import writes");
        assert_eq!(counts(&mut other).0, 0);
        Ok::<_, diesel::result::Error>(())
    })
    .unwrap();
    db::write_transaction(&mut conn, db::rebuild_deferred_indexes).unwrap();
    db::finish_bulk_writes(&mut conn, bulk).unwrap();
    assert_eq!(journal_mode(&mut conn), "wal");
    assert_eq!(synchronous(&mut conn), 1, "NORMAL again");
}
