//! SQLite's plans for the list queries: the default sort walks an index in
//! order (no temporary B-tree), and nothing scans a whole table without an
//! index.

use commentary_api::db::{self, PoolOptions};
use commentary_api::models::article_filter::{parse, resolve, RawArticleFilter};
use commentary_api::models::article_list::{ArticleOrder, ArticleQuery, SortField, Window};

use crate::helpers::{open_seeded, temp_db};

fn raw(pairs: &[(&str, &str)]) -> RawArticleFilter {
    let mut r = RawArticleFilter::default();
    for (k, v) in pairs {
        let v = Some((*v).to_owned());
        match *k {
            "topic" => r.topic = v,
            "region" => r.region = v,
            "author" => r.author = v,
            "publisher" => r.publisher = v,
            "series" => r.series = v,
            "type" => r.article_type = v,
            "language" => r.language = v,
            "published_after" => r.published_after = v,
            "published_before" => r.published_before = v,
            other => panic!("{other}"),
        }
    }
    r
}

pub fn plans(cases: &[(&[(&str, &str)], ArticleOrder)]) -> Vec<(String, Vec<String>, Vec<String>)> {
    let (_dir, path) = temp_db();
    drop(open_seeded(&path));
    let mut conn = db::connect(&path, PoolOptions::default()).unwrap();
    cases
        .iter()
        .map(|(pairs, order)| {
            let filter = resolve(&mut conn, &parse(&raw(pairs), &mut Vec::new())).unwrap();
            let query = ArticleQuery { filter: &filter, order: *order };
            let ids = query.ids_plan(&mut conn, &Window::first(20)).unwrap();
            let count = query.count_plan(&mut conn).unwrap();
            (format!("{pairs:?} {order:?}"), ids, count)
        })
        .collect()
}

const NEWEST: ArticleOrder = ArticleOrder::NEWEST_FIRST;

#[test]
fn default_sort_never_sorts_and_nothing_scans_a_table() {
    if crate::helpers::sqlite_only("SQLite's query plans") {
        return;
    }
    let cases: &[(&[(&str, &str)], ArticleOrder)] = &[
        (&[], NEWEST),
        (&[("topic", "the-korean-peninsula")], NEWEST),
        (&[("region", "asia")], NEWEST),
        (&[("author", "tokiwa-shin")], NEWEST),
        (&[("publisher", "jfir")], NEWEST),
        (&[("series", "jfir-commentary")], NEWEST),
        (&[("type", "commentary")], NEWEST),
        (&[("published_after", "2021-01-01"), ("published_before", "2021-12-31")], NEWEST),
        (&[("topic", "the-korean-peninsula"), ("region", "asia"), ("type", "commentary")], NEWEST),
        (&[("topic", "the-korean-peninsula"), ("published_after", "2019-01-01")], NEWEST),
        (&[("region", "asia")], ArticleOrder { field: SortField::PublishedAt, descending: false }),
    ];
    for (case, ids, count) in plans(cases) {
        let ids_text = ids.join(" | ");
        assert!(!ids_text.contains("TEMP B-TREE"), "{case}: {ids_text}");
        for line in ids.iter().chain(count.iter()) {
            let full_scan = line.starts_with("SCAN ") && !line.contains("INDEX") && !line.contains("json_each");
            assert!(!full_scan, "{case}: {line} (ids: {ids:?}, count: {count:?})");
        }
    }
}

#[test]
fn other_sorts_use_their_index_when_unfiltered() {
    if crate::helpers::sqlite_only("SQLite's query plans") {
        return;
    }
    for field in [SortField::UpdatedAt, SortField::Title] {
        for descending in [false, true] {
            let order = ArticleOrder { field, descending };
            let cases: &[(&[(&str, &str)], ArticleOrder)] = &[(&[], order)];
            for (case, ids, _) in plans(cases) {
                assert!(!ids.join(" | ").contains("TEMP B-TREE"), "{case}: {ids:?}");
            }
        }
    }
}
