//! The search index follows the change log: it catches up on start after
//! a crash at any point, and `reindex` rebuilds the same thing.

use commentary_api::db::{self, PoolOptions};
use commentary_api::models::article_filter::ArticleFilter;
use commentary_api::search::{grammar, HitOrder, SearchIndex, SearchRequest, WriterOptions};
use commentary_api::startup;
use commentary_api::work::Budget;
use tantivy::TantivyDocument;

use crate::helpers::{import_lines, open_seeded, temp_db};

fn hits(index: &SearchIndex, q: &str) -> Vec<u64> {
    let text = grammar::parse(q).unwrap();
    let filter = ArticleFilter::default();
    let budget = Budget::unlimited();
    let request = SearchRequest {
        text: Some(&text),
        filter: &filter,
        order: HitOrder::Relevance,
        after: None,
        offset: 0,
        limit: 100,
        budget: &budget,
    };
    let mut ids: Vec<u64> = index.search(&index.searcher(), &request).unwrap().hits.into_iter().map(|h| h.id).collect();
    ids.sort();
    ids
}

fn line(slug: &str, title: &str) -> String {
    serde_json::json!({"kind": "article", "slug": slug, "title": title, "type": "news", "language": "en",
        "published_at": "2025-05-05", "publisher": "gmf"})
    .to_string()
}

#[test]
fn an_index_interrupted_before_its_commit_catches_up_on_the_next_start() {
    let (dir, path) = temp_db();
    let pool = open_seeded(&path);
    let index_dir = dir.path().join("index");
    let index = startup::open_search(&index_dir, &pool, false).unwrap();
    let zebra_before = hits(&index, "zebra");
    assert!(zebra_before.is_empty());
    let applied = index.applied();
    drop(index);

    // Changes land in SQLite while no server is running…
    import_lines(
        &path,
        &[line("zebra-crossing", "Zebra crossing"), line("unchangeable-commitment", "Zebra commitment")],
    );

    // …and an indexer dies half-way: documents added, no commit.
    {
        let raw = tantivy::Index::open_in_dir(&index_dir).unwrap();
        commentary_api::search::schema::register_tokenizers(&raw);
        let fields = commentary_api::search::schema::build().1;
        let mut writer: tantivy::IndexWriter = raw.writer_with_num_threads(1, 15_000_000).unwrap();
        let mut doc = TantivyDocument::default();
        doc.add_u64(fields.id, 999_999);
        doc.add_text(fields.title, "zebra zebra zebra half-written");
        writer.add_document(doc).unwrap();
        writer.prepare_commit().unwrap(); // prepared, never committed: the process "crashes" here
    }

    let index = startup::open_search(&index_dir, &pool, false).unwrap();
    assert!(index.applied() > applied, "caught up from the change log");
    let mut conn = pool.get().unwrap();
    let zebra: Vec<(i64,)> = diesel::RunQueryDsl::load(
        diesel::sql_query("SELECT id FROM articles WHERE title LIKE '%Zebra%' ORDER BY id"),
        &mut conn,
    )
    .map(|rows: Vec<IdRow>| rows.into_iter().map(|r| (r.id,)).collect())
    .unwrap();
    let expected: Vec<u64> = zebra.into_iter().map(|(id,)| id as u64).collect();
    assert_eq!(expected.len(), 2);
    assert_eq!(hits(&index, "zebra"), expected, "the half-written document is gone; both changes are in");
    // The retitled article is found by its new title only.
    assert!(hits(&index, "unchangeable").is_empty());
}

#[derive(diesel::QueryableByName)]
struct IdRow {
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    id: i64,
}

#[test]
fn reindex_builds_the_same_index() {
    let (dir, path) = temp_db();
    let pool = open_seeded(&path);
    let index_dir = dir.path().join("index");
    let before = {
        let index = startup::open_search(&index_dir, &pool, false).unwrap();
        (hits(&index, "japan"), hits(&index, "putin"), index.applied())
    };
    let index = SearchIndex::open(&index_dir, WriterOptions::SERVING).unwrap();
    let mut conn = db::connect(&path, PoolOptions::default()).unwrap();
    let n = index.rebuild(&mut conn, None).unwrap();
    assert_eq!(n, 37);
    assert_eq!((hits(&index, "japan"), hits(&index, "putin"), index.applied()), before);
}
