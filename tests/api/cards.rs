//! Stored list items (`article_cards`): the same JSON a list computes, kept
//! in step with renames of what they show, and built for databases written
//! before them.

use commentary_api::db::{self, PoolOptions};
use commentary_api::routes::articles::views::ITEM_FIELDS;
use commentary_api::schema::{article_cards, articles};
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

fn card_count(path: &std::path::Path) -> (i64, i64) {
    let mut conn = db::connect(path, PoolOptions::default()).unwrap();
    let cards = article_cards::table.count().get_result(&mut conn).unwrap();
    let all = articles::table.count().get_result(&mut conn).unwrap();
    (cards, all)
}

#[actix_web::test]
async fn cards_are_the_items_a_list_computes() {
    let app = spawn_app().await;
    let (cards, all) = card_count(&app.db_path);
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
async fn renaming_an_author_topic_or_publisher_updates_the_items_showing_it() {
    let app = spawn_app().await;
    let before = app.json("/v1/articles?author=tokiwa-shin").await;
    assert!(names(&before, "authors").contains(&"TOKIWA Shin".to_owned()));
    import_lines(
        &app.db_path,
        &[
            r#"{"kind":"author","slug":"tokiwa-shin","name":"TOKIWA Shin (常盤伸)","family_name":"TOKIWA","given_name":"Shin"}"#.to_owned(),
            r#"{"kind":"topic","slug":"the-korean-peninsula","name":"Korean Peninsula"}"#.to_owned(),
            r#"{"kind":"publisher","slug":"jfir","name":"Japan Forum on International Relations"}"#.to_owned(),
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
    for uri in
        ["/v1/articles?author=tokiwa-shin", "/v1/articles?topic=the-korean-peninsula", "/v1/articles?publisher=jfir"]
    {
        assert_eq!(app.json(uri).await["data"], app.json(&computed(uri)).await["data"], "{uri}");
    }
}

#[test]
fn a_database_without_cards_gets_them_at_the_next_start() {
    let (_dir, path) = crate::helpers::temp_db();
    drop(open_seeded(&path));
    let mut conn = db::connect(&path, PoolOptions::default()).unwrap();
    // As a database written before cards existed: none, or some.
    diesel::delete(article_cards::table.filter(article_cards::article_id.gt(3))).execute(&mut conn).unwrap();
    drop(conn);
    let (cards, all) = card_count(&path);
    assert!(cards < all);
    drop(open_seeded(&path));
    assert_eq!(card_count(&path), (all, all));
}

#[actix_web::test]
async fn items_without_a_card_are_computed() {
    let app = spawn_app().await;
    let uri = "/v1/articles?per_page=50";
    let stored = app.json(uri).await;
    let mut conn = db::connect(&app.db_path, PoolOptions::default()).unwrap();
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
    let mut conn = db::connect(&app.db_path, PoolOptions::default()).unwrap();
    diesel::update(article_cards::table.find(first))
        .set(article_cards::card.eq("{not json"))
        .execute(&mut conn)
        .unwrap();
    let again = app.json("/v1/articles?per_page=5&page=1").await;
    assert_eq!(again["data"], stored["data"]);
}
