//! Keyset cursors: walking a list to its end yields every article exactly
//! once, even while articles are added and changed; cursors cannot be
//! forged or reused for another query.

use std::collections::HashSet;

use actix_web::http::StatusCode;
use serde_json::Value;

use crate::helpers::{import_lines, spawn_app};

fn new_article(n: usize, date: &str) -> String {
    serde_json::json!({
        "kind": "article", "slug": format!("added-during-the-walk-{n}"), "title": format!("Added during the walk {n} about Japan"),
        "body": "Japan and the walk.", "type": "news", "language": "en", "published_at": date, "publisher": "jfir"
    })
    .to_string()
}

fn retitle(slug: &str, title: &str, date: &str) -> String {
    serde_json::json!({
        "kind": "article", "slug": slug, "title": title, "type": "commentary", "language": "en",
        "published_at": date, "publisher": "charhar-institute", "topics": ["communication"]
    })
    .to_string()
}

/// Walk `first` by `meta.next_cursor`, calling `meddle` after each page;
/// returns every slug seen, in order.
async fn walk<S, B>(app: &crate::helpers::TestApp<S>, first: &str, meddle: impl Fn(usize)) -> Vec<String>
where
    S: actix_web::dev::Service<
        actix_http::Request,
        Response = actix_web::dev::ServiceResponse<B>,
        Error = actix_web::Error,
    >,
    B: actix_web::body::MessageBody,
{
    let mut seen = Vec::new();
    let mut uri = first.to_owned();
    let mut pages = 0;
    loop {
        let reply = app.get(&uri).await;
        assert_eq!(reply.status, StatusCode::OK, "{uri}: {}", reply.body);
        seen.extend(reply.slugs());
        pages += 1;
        meddle(pages);
        let Some(cursor) = reply.body["meta"]["next_cursor"].as_str() else { break };
        if pages > 1 {
            let link = reply.body["links"]["next"].as_str().unwrap();
            assert!(link.contains("cursor="), "in a cursor walk the next link carries the cursor: {link}");
        }
        uri = format!("{first}&cursor={cursor}");
    }
    seen
}

fn assert_once(seen: &[String], expected: &[String]) {
    let unique: HashSet<&String> = seen.iter().collect();
    assert_eq!(unique.len(), seen.len(), "no article twice: {seen:?}");
    for slug in expected {
        assert!(unique.contains(slug), "{slug} was skipped");
    }
}

#[actix_web::test]
async fn a_cursor_walk_yields_every_article_once_while_the_corpus_changes() {
    let app = spawn_app().await;
    for sort in ["-published_at", "published_at", "title", "-updated_at"] {
        let before = app.all_slugs(&format!("/v1/articles?per_page=100&sort={sort}")).await;
        let db = app.db.clone();
        let sort_tag = sort.trim_start_matches('-').to_owned();
        let seen = walk(&app, &format!("/v1/articles?per_page=4&sort={sort}"), |page| {
            if page == 2 {
                // New articles before, inside and after the walked range, and
                // changed titles of articles already seen and still to come.
                import_lines(
                    &db,
                    &[
                        new_article(1, "2030-01-01"),
                        new_article(2, "2019-01-01"),
                        new_article(3, "1990-01-01"),
                        retitle(
                            "unchangeable-commitment",
                            &format!("Unchangeable Commitment ({sort_tag})"),
                            "2020-02-19",
                        ),
                        retitle(
                            "resistance-from-within-the-white-house",
                            &format!("Resistance from within ({sort_tag})"),
                            "2018-09-10",
                        ),
                    ],
                );
            }
        })
        .await;
        assert_once(&seen, &before);
    }
}

#[actix_web::test]
async fn a_search_cursor_walk_is_pinned_to_the_index_state_it_started_from() {
    let app = spawn_app().await;
    let before = app.all_slugs("/v1/articles?q=japan&per_page=100").await;
    assert!(before.len() > 4);
    let db = app.db.clone();
    let seen = walk(&app, "/v1/articles?q=japan&per_page=2", |page| {
        if page == 1 {
            import_lines(&db, &[new_article(4, "2030-01-01"), new_article(5, "2001-01-01")]);
        }
    })
    .await;
    assert_once(&seen, &before);
    assert_eq!(seen.len(), before.len(), "the walk sees the index as it was when it started");
    // Scores never increase along a relevance walk.
    let page = app.json("/v1/articles?q=japan&per_page=100").await;
    let scores: Vec<f64> = page["data"].as_array().unwrap().iter().map(|a| a["score"].as_f64().unwrap()).collect();
    assert!(scores.windows(2).all(|w| w[0] >= w[1]), "{scores:?}");
    // Other search orders walk too.
    let by_date = walk(&app, "/v1/articles?q=japan&per_page=4&sort=published_at", |_| {}).await;
    assert_once(&by_date, &app.all_slugs("/v1/articles?q=japan&per_page=100&sort=published_at").await);
    // A sorted walk (served from the bitmaps) is pinned the same way.
    let newest = app.all_slugs("/v1/articles?q=japan&per_page=100&sort=-published_at").await;
    let seen = walk(&app, "/v1/articles?q=japan&per_page=2&sort=-published_at", |page| {
        if page == 1 {
            import_lines(&db, &[new_article(6, "2031-01-01"), new_article(7, "2002-01-01")]);
        }
    })
    .await;
    assert_eq!(seen, newest, "in the same order, as the index was when the walk started");
    let after = app.all_slugs("/v1/articles?q=japan&per_page=100&sort=-published_at").await;
    assert_eq!(after.len(), newest.len() + 2, "the new articles are in a new walk");
}

#[actix_web::test]
async fn forged_foreign_and_conflicting_cursors_are_400() {
    let app = spawn_app().await;
    let first = app.json("/v1/articles?per_page=2&topic=!communication").await;
    let cursor = first["meta"]["next_cursor"].as_str().unwrap().to_owned();
    let ok = app.get(&format!("/v1/articles?per_page=2&topic=!communication&cursor={cursor}")).await;
    assert_eq!(ok.status, StatusCode::OK);
    assert_eq!(ok.body["meta"]["page"], Value::Null);
    // per_page may change between pages; the list may not.
    assert_eq!(
        app.get(&format!("/v1/articles?per_page=5&topic=!communication&cursor={cursor}")).await.status,
        StatusCode::OK
    );
    let mut forged = cursor.clone().into_bytes();
    let i = forged.len() / 2;
    forged[i] = if forged[i] == b'A' { b'B' } else { b'A' };
    let forged = String::from_utf8(forged).unwrap();
    for uri in [
        format!("/v1/articles?per_page=2&topic=!communication&cursor={forged}"),
        "/v1/articles?per_page=2&topic=!communication&cursor=garbage".to_owned(),
        format!("/v1/articles?per_page=2&cursor={cursor}"),
        format!("/v1/articles?per_page=2&topic=!communication&sort=title&cursor={cursor}"),
        format!("/v1/articles?per_page=2&topic=!communication&q=japan&cursor={cursor}"),
        format!("/v1/topics/communication/articles?per_page=2&topic=!communication&cursor={cursor}"),
        format!("/v1/articles?per_page=2&topic=!communication&page=2&cursor={cursor}"),
    ] {
        let reply = app.get(&uri).await;
        assert_eq!(reply.status, StatusCode::BAD_REQUEST, "{uri}: {}", reply.body);
        assert_eq!(reply.invalid_param_names(), ["cursor"], "{uri}");
    }
}

#[actix_web::test]
async fn deep_pages_past_the_limit_point_to_cursors() {
    let app = spawn_app().await;
    let reply = app.get("/v1/articles?page=10001").await;
    assert_eq!(reply.status, StatusCode::BAD_REQUEST);
    assert!(reply.body["invalid_params"][0]["reason"].as_str().unwrap().contains("cursor"));
}

#[actix_web::test]
async fn a_title_cursor_for_the_longest_title_is_within_the_documented_length() {
    let app = spawn_app().await;
    // 2,000 bytes is the longest title an import takes.
    let title = format!("{}\"", "題".repeat(666));
    assert!(title.len() <= 2000);
    import_lines(&app.db, &[retitle("unchangeable-commitment", &title, "2020-02-19")]);
    let first = app.json("/v1/articles?sort=-title&per_page=1").await;
    assert_eq!(first["data"][0]["title"], title.as_str());
    let cursor = first["meta"]["next_cursor"].as_str().unwrap();
    let spec: serde_json::Value = serde_json::from_str(include_str!("../../openapi/openapi.json")).unwrap();
    let params = spec["paths"]["/v1/articles"]["get"]["parameters"].as_array().unwrap();
    let max = params.iter().find(|p| p["name"] == "cursor").unwrap()["schema"]["maxLength"].as_u64().unwrap();
    assert!(cursor.len() > 2000 && cursor.len() as u64 <= max, "{} > {max}", cursor.len());
    let next = app.json(&format!("/v1/articles?sort=-title&per_page=1&cursor={cursor}")).await;
    assert_ne!(next["data"][0]["title"], title.as_str());
}
