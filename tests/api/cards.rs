//! Stored list items (`article_cards`): the same JSON a list computes, kept
//! in step with renames of what they show, and built for databases written
//! before them.

use commentary_api::cards;
use commentary_api::db::{self, PoolOptions};
use commentary_api::models::article_card;
use commentary_api::schema::{article_cards, article_cards_format, articles};
use commentary_api::views::articles::ITEM_FIELDS;
use diesel::prelude::*;
use serde_json::Value;

use crate::helpers::{import_lines, open_seeded, spawn_app};

/// Every default field named explicitly: the list computes its items
/// instead of reading cards.
fn computed(uri: &str) -> String {
    let fields: Vec<&str> =
        ITEM_FIELDS.iter().copied().filter(|f| !["body", "score", "highlights"].contains(f)).collect();
    format!("{uri}{}fields={}", if uri.contains('?') { '&' } else { '?' }, fields.join(","))
}

/// A search that names every default field explicitly, so that its items
/// are computed (score and highlights included).
fn computed_search(uri: &str) -> String {
    let fields: Vec<&str> = ITEM_FIELDS.iter().copied().filter(|f| *f != "body").collect();
    format!("{uri}&fields={}", fields.join(","))
}

fn card_count(path: &commentary_api::db::Location) -> (i64, i64) {
    let mut conn = db::connect(path, PoolOptions::default()).unwrap();
    let cards = article_cards::table.count().get_result(&mut conn).unwrap();
    let all = articles::table.count().get_result(&mut conn).unwrap();
    (cards, all)
}

#[actix_web::test]
async fn cards_are_the_items_a_list_computes() {
    let app = spawn_app().await;
    let (cards, all) = card_count(&app.db);
    assert!(all > 20, "the seed has articles");
    assert_eq!(cards, all, "the seed import stored a card per article");
    for uri in [
        "/v1/articles?per_page=100",
        "/v1/articles?per_page=100&sort=title",
        "/v1/topics/the-korean-peninsula/articles",
    ] {
        let stored = app.json(uri).await;
        let fresh = app.json(&computed(uri)).await;
        assert_eq!(stored["data"], fresh["data"], "{uri}");
        assert!(stored["data"].as_array().is_some_and(|d| !d.is_empty()), "{uri}");
    }
    // Searches serve cards too, with the score and highlights added.
    for uri in ["/v1/articles?q=japan&per_page=100", "/v1/articles?q=security%20policy&sort=-published_at"] {
        let stored = app.json(uri).await;
        let fresh = app.json(&computed_search(uri)).await;
        assert_eq!(stored["data"], fresh["data"], "{uri}");
        let items = stored["data"].as_array().unwrap();
        assert!(!items.is_empty(), "{uri}");
        assert!(items.iter().all(|item| item["highlights"].is_object()), "{uri}");
        assert_eq!(items[0].get("score").is_some(), !uri.contains("sort="), "{uri}");
    }
}

fn names(items: &Value, key: &str) -> Vec<String> {
    items["data"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|item| item[key].as_array().unwrap().iter().map(|r| r["name"].as_str().unwrap().to_owned()))
        .collect()
}

#[actix_web::test]
async fn renaming_what_an_item_shows_updates_the_items_showing_it() {
    let app = spawn_app().await;
    let before = app.json("/v1/articles?author=tokiwa-shin").await;
    assert!(names(&before, "authors").contains(&"TOKIWA Shin".to_owned()));
    import_lines(
        &app.db,
        &[
            r#"{"kind":"author","slug":"tokiwa-shin","name":"TOKIWA Shin (常盤伸)","family_name":"TOKIWA","given_name":"Shin"}"#.to_owned(),
            r#"{"kind":"topic","slug":"the-korean-peninsula","name":"Korean Peninsula"}"#.to_owned(),
            r#"{"kind":"publisher","slug":"jfir","name":"Japan Forum on International Relations"}"#.to_owned(),
            r#"{"kind":"series","slug":"jfir-commentary","name":"JFIR Commentaries","publisher":"jfir","series_type":"commentary"}"#.to_owned(),
            r#"{"kind":"region","slug":"japan","name":"Nippon","parent":"asia","region_type":"country"}"#.to_owned(),
        ],
    );
    let after = app.json("/v1/articles?author=tokiwa-shin").await;
    assert_eq!(after["meta"]["total"], before["meta"]["total"]);
    let authors = names(&after, "authors");
    assert!(authors.contains(&"TOKIWA Shin (常盤伸)".to_owned()), "{authors:?}");
    assert!(!authors.contains(&"TOKIWA Shin".to_owned()), "{authors:?}");
    let korea = app.json("/v1/articles?topic=the-korean-peninsula").await;
    let topics = names(&korea, "topics");
    assert!(topics.contains(&"Korean Peninsula".to_owned()), "{topics:?}");
    assert!(!topics.contains(&"The Korean Peninsula".to_owned()), "{topics:?}");
    let jfir = app.json("/v1/articles?publisher=jfir&per_page=100").await;
    for item in jfir["data"].as_array().unwrap() {
        assert_eq!(item["publisher"]["name"], "Japan Forum on International Relations");
    }
    let series = app.json("/v1/articles?series=jfir-commentary&per_page=100").await;
    assert!(series["meta"]["total"].as_u64().unwrap() > 0);
    for item in series["data"].as_array().unwrap() {
        assert_eq!(item["series"]["name"], "JFIR Commentaries");
    }
    let japan = app.json("/v1/articles?region=japan&per_page=100").await;
    let regions = names(&japan, "regions");
    assert!(regions.contains(&"Nippon".to_owned()) && !regions.contains(&"Japan".to_owned()), "{regions:?}");
    for uri in [
        "/v1/articles?author=tokiwa-shin",
        "/v1/articles?topic=the-korean-peninsula",
        "/v1/articles?publisher=jfir",
        "/v1/articles?series=jfir-commentary",
        "/v1/articles?region=japan",
    ] {
        assert_eq!(app.json(uri).await["data"], app.json(&computed(uri)).await["data"], "{uri}");
    }
}

#[test]
fn a_database_without_cards_gets_them_at_the_next_start() {
    let (_dir, path) = crate::helpers::temp_db();
    drop(open_seeded(&path));
    let mut conn = db::connect(&path, PoolOptions::default()).unwrap();
    // As a database written before cards existed: no format recorded, and
    // no cards (or some).
    diesel::delete(article_cards_format::table).execute(&mut conn).unwrap();
    diesel::delete(article_cards::table.filter(article_cards::article_id.gt(3))).execute(&mut conn).unwrap();
    drop(conn);
    let (cards, all) = card_count(&path);
    assert!(cards < all);
    drop(open_seeded(&path));
    assert_eq!(card_count(&path), (all, all));
    let mut conn = db::connect(&path, PoolOptions::default()).unwrap();
    assert_eq!(article_card::format(&mut conn).unwrap(), Some(cards::FORMAT));
}

#[test]
fn cards_of_another_format_are_rebuilt_at_the_next_start_and_current_ones_are_left_alone() {
    let (_dir, path) = crate::helpers::temp_db();
    drop(open_seeded(&path));
    let mut conn = db::connect(&path, PoolOptions::default()).unwrap();
    let stale = |conn: &mut db::DbConn| {
        diesel::update(article_cards::table).set(article_cards::card.eq("{\"old\":true}")).execute(conn).unwrap()
    };
    // Current format: start-up trusts the writer and reads no card.
    let n = stale(&mut conn);
    drop(open_seeded(&path));
    let old: i64 =
        article_cards::table.filter(article_cards::card.eq("{\"old\":true}")).count().get_result(&mut conn).unwrap();
    assert_eq!(old as usize, n);
    // Another format: every card is rebuilt.
    article_card::set_format(&mut conn, cards::FORMAT - 1).unwrap();
    drop(open_seeded(&path));
    let old: i64 =
        article_cards::table.filter(article_cards::card.eq("{\"old\":true}")).count().get_result(&mut conn).unwrap();
    assert_eq!(old, 0);
    assert_eq!(card_count(&path).0, card_count(&path).1);
}

/// The card format is tied to the schema of a list item: when it changes,
/// stored cards are stale, so `cards::FORMAT` must be bumped (and this hash
/// updated with it).
#[test]
fn the_card_format_follows_the_list_item_schema() {
    fn strip(v: &mut Value) {
        match v {
            Value::Object(map) => {
                map.retain(|k, _| !matches!(k.as_str(), "description" | "example" | "examples" | "title"));
                map.values_mut().for_each(strip);
            }
            Value::Array(items) => items.iter_mut().for_each(strip),
            _ => {}
        }
    }
    let spec: Value = serde_json::from_str(include_str!("../../openapi/openapi.json")).unwrap();
    let schemas = &spec["components"]["schemas"];
    let mut shape = serde_json::Map::new();
    for name in [
        "ArticleItem",
        "ArticleProvenanceView",
        "ArticleType",
        "BodyStatus",
        "ContributorRole",
        "ClassifiedRef",
        "ContributorView",
        "Provenance",
        "ResourceRef",
        "SourceView",
        "TranslationView",
    ] {
        shape.insert(name.to_owned(), schemas[name].clone());
    }
    let mut shape = Value::Object(shape);
    strip(&mut shape);
    let hash = blake3::hash(shape.to_string().as_bytes()).to_hex()[..16].to_owned();
    assert_eq!(
        (cards::FORMAT, hash.as_str()),
        (3, "2397178e3d8a6bef"),
        "the list item's schema changed: bump cards::FORMAT and record the new hash here"
    );
}

#[actix_web::test]
async fn items_without_a_card_are_computed() {
    let app = spawn_app().await;
    let uri = "/v1/articles?per_page=50";
    let stored = app.json(uri).await;
    let mut conn = db::connect(&app.db, PoolOptions::default()).unwrap();
    diesel::delete(article_cards::table).execute(&mut conn).unwrap();
    // Another URI, so that the response cache cannot answer.
    let without = app.json("/v1/articles?per_page=50&page=1").await;
    assert_eq!(without["data"], stored["data"]);
}

#[actix_web::test]
async fn a_damaged_card_is_computed_instead() {
    let app = spawn_app().await;
    let uri = "/v1/articles?per_page=5";
    let stored = app.json(uri).await;
    let first = stored["data"][0]["id"].as_i64().unwrap();
    let mut conn = db::connect(&app.db, PoolOptions::default()).unwrap();
    diesel::update(article_cards::table.find(first))
        .set(article_cards::card.eq("{not json"))
        .execute(&mut conn)
        .unwrap();
    let again = app.json("/v1/articles?per_page=5&page=1").await;
    assert_eq!(again["data"], stored["data"]);
}

/// Items with some fields are the default items cut to those fields,
/// whether or not the fields need the article's authors, classifications,
/// publisher and series (which are read only when a field shows them).
#[actix_web::test]
async fn sparse_items_are_the_default_items_cut_to_their_fields() {
    let app = spawn_app().await;
    for base in ["/v1/articles?per_page=100", "/v1/articles?per_page=100&q=japan&facets=topic"] {
        let full = app.json(base).await;
        for fields in [
            "id",
            "id,title,slug,summary,uid,provenance,url",
            "translation",
            "publisher,series",
            "topics,regions,authors",
        ] {
            let sparse = app.json(&format!("{base}&fields={fields}")).await;
            let (full, sparse) = (full["data"].as_array().unwrap(), sparse["data"].as_array().unwrap());
            assert_eq!(full.len(), sparse.len(), "{base} {fields}");
            assert!(!sparse.is_empty());
            for (whole, cut) in full.iter().zip(sparse) {
                let mut expected = serde_json::Map::new();
                for key in std::iter::once("id").chain(fields.split(',')) {
                    if let Some(value) = whole.get(key) {
                        expected.insert(key.to_owned(), value.clone());
                    }
                }
                assert_eq!(cut, &Value::Object(expected), "{base} {fields}");
            }
        }
    }
}
