//! The change feed: every create and update in order; replaying it
//! reproduces the corpus (the mirror test); it pages, filters by kind and
//! rejects bad parameters by name.

use std::collections::BTreeMap;

use actix_web::http::StatusCode;
use rand::{Rng, SeedableRng};
use serde_json::Value;

use crate::helpers::{import_lines, spawn_app, TestApp};

/// A mirror kept by the feed alone: for every entry, the resource fetched
/// at its `url`, as a record: what other records determine (counts, the
/// names of related resources, a region's place in the tree, an author's
/// affiliations over time) is left out — the mirror has those records too.
type Mirror = BTreeMap<(String, i64), Value>;

fn record(resource: Value) -> Value {
    fn reduce(v: Value, top: bool) -> Value {
        match v {
            Value::Object(map) => {
                let related = !top && map.contains_key("id") && map.contains_key("slug") && map.contains_key("name");
                Value::Object(
                    map.into_iter()
                        .filter(|(k, _)| {
                            !matches!(k.as_str(), "article_count" | "affiliations" | "ancestors" | "children")
                                && (!related || !matches!(k.as_str(), "slug" | "name"))
                        })
                        .map(|(k, v)| (k, reduce(v, false)))
                        .collect(),
                )
            }
            Value::Array(items) => Value::Array(items.into_iter().map(|v| reduce(v, false)).collect()),
            other => other,
        }
    }
    reduce(resource, true)
}

/// The feed read as a follower reads it.
impl<S, B> TestApp<S>
where
    S: actix_web::dev::Service<
        actix_http::Request,
        Response = actix_web::dev::ServiceResponse<B>,
        Error = actix_web::Error,
    >,
    B: actix_web::body::MessageBody,
{
    /// Follow the feed from `since` to its end, page by page; returns the
    /// entries and where to poll next.
    async fn follow(&self, since: i64, limit: u32) -> (Vec<Value>, i64) {
        let mut entries = Vec::new();
        let mut uri = format!("/v1/changes?since={since}&limit={limit}");
        loop {
            let page = self.json(&uri).await;
            entries.extend(page["data"].as_array().unwrap().iter().cloned());
            let next = page["links"]["next"].as_str().unwrap().to_owned();
            if !page["meta"]["more"].as_bool().unwrap() {
                return (entries, page["meta"]["next_since"].as_i64().unwrap());
            }
            uri = next;
        }
    }

    /// Apply entries as a mirror does: fetch what was upserted, drop what
    /// was deleted (whose URL answers 410, or, if it came back since, the
    /// later entry brings it).
    async fn replay(&self, mirror: &mut Mirror, entries: &[Value]) {
        for e in entries {
            let at = (e["kind"].as_str().unwrap().to_owned(), e["id"].as_i64().unwrap());
            let reply = self.get(e["url"].as_str().unwrap()).await;
            match e["action"].as_str().unwrap() {
                "upsert" if reply.status == StatusCode::OK => {
                    assert_eq!(reply.body["id"], e["id"]);
                    mirror.insert(at, record(reply.body));
                }
                // Gone since: a later entry of the feed says so.
                "upsert" => assert_eq!(reply.status, StatusCode::GONE, "{e}"),
                "delete" => {
                    assert!(e["tombstone"]["state"].is_string(), "{e}");
                    mirror.remove(&at);
                }
                other => panic!("action {other}"),
            }
        }
    }

    /// The corpus as the API lists it now: every resource of every kind.
    async fn corpus(&self) -> Mirror {
        let mut out = Mirror::new();
        for (kind, collection) in [
            ("publisher", "publishers"),
            ("series", "series"),
            ("region", "regions"),
            ("topic", "topics"),
            ("author", "authors"),
            ("article", "articles"),
        ] {
            let mut uri = Some(format!("/v1/{collection}?per_page=100"));
            while let Some(u) = uri {
                let page = self.json(&u).await;
                for item in page["data"].as_array().unwrap() {
                    let id = item["id"].as_i64().unwrap();
                    out.insert((kind.to_owned(), id), record(self.json(&format!("/v1/{collection}/{id}")).await));
                }
                uri = page["links"]["next"].as_str().map(str::to_owned);
            }
        }
        out
    }
}

#[actix_web::test]
async fn replaying_the_feed_reproduces_the_corpus_through_random_edits() {
    let app = spawn_app().await;
    let mut mirror = Mirror::new();
    let (entries, mut since) = app.follow(0, 7).await;
    assert!(entries.windows(2).all(|w| w[0]["seq"].as_i64() < w[1]["seq"].as_i64()), "in order");
    app.replay(&mut mirror, &entries).await;
    assert_eq!(mirror, app.corpus().await);

    // Random edits (titles, topics, new articles, renamed taxonomy entries)
    // imported into the running server; the mirror follows from `since`.
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(7);
    for round in 0..4 {
        // Each record at most once per file (an import rejects a slug
        // defined twice).
        let mut lines = Vec::new();
        if rng.random_bool(0.5) {
            lines.push(
                serde_json::json!({"kind": "topic", "slug": "communication", "name": format!("Communication {round}")}),
            );
        }
        if lines.is_empty() || rng.random_bool(0.7) {
            let topic = if rng.random_bool(0.5) { "communication" } else { "belt-and-road-initiative" };
            lines.push(serde_json::json!({"kind": "article", "slug": "unchangeable-commitment",
                "title": format!("Unchangeable Commitment ({round})"), "type": "commentary", "language": "en",
                "published_at": "2020-02-19", "publisher": "charhar-institute", "topics": [topic]}));
        }
        for n in 0..rng.random_range(0..3) {
            lines.push(serde_json::json!({"kind": "article", "slug": format!("new-{round}-{n}"), "title": format!("New {round}.{n}"),
                "type": "news", "language": "en", "published_at": "2024-01-01", "publisher": "gmf",
                "topics": ["communication"]}));
        }
        let lines: Vec<String> = lines.iter().map(|l| l.to_string()).collect();
        import_lines(&app.db, &lines);
        let (entries, next) = app.follow(since, 3).await;
        assert!(!entries.is_empty(), "round {round}: the edits are in the feed");
        assert!(entries.iter().all(|e| e["seq"].as_i64().unwrap() > since));
        app.replay(&mut mirror, &entries).await;
        since = next;
        assert_eq!(mirror, app.corpus().await, "round {round}");
    }
}

#[actix_web::test]
async fn the_feed_pages_filters_by_kind_and_names_bad_parameters() {
    let app = spawn_app().await;
    let all = app.json("/v1/changes?limit=1000").await;
    let latest = all["meta"]["latest"].as_i64().unwrap();
    let data = all["data"].as_array().unwrap();
    assert_eq!(data.last().unwrap()["seq"].as_i64().unwrap(), latest);
    assert_eq!(all["meta"]["more"], false);
    assert_eq!(data.iter().filter(|e| e["kind"] == "article").count(), 37);
    let first = &data[0];
    assert_eq!(first["kind"], "publisher");
    assert_eq!(first["slug"], "charhar-institute");
    assert_eq!(app.json(first["url"].as_str().unwrap()).await["slug"], "charhar-institute");

    let articles = app.json("/v1/changes?kind=article&limit=5").await;
    assert_eq!(articles["data"].as_array().unwrap().len(), 5);
    assert!(articles["data"].as_array().unwrap().iter().all(|e| e["kind"] == "article"));
    assert_eq!(articles["meta"]["more"], true);
    let next = articles["links"]["next"].as_str().unwrap();
    assert!(next.contains("kind=article") && next.contains("limit=5"), "{next}");
    let two = app.json("/v1/changes?kind=topic,region").await;
    assert_eq!(two["data"].as_array().unwrap().len(), 10 + 18);

    // At the end: nothing yet, and where to poll (with a kind filter too:
    // the other kinds' entries are not read again).
    let end = app.json(&format!("/v1/changes?since={latest}")).await;
    assert_eq!(end["data"].as_array().unwrap().len(), 0);
    assert_eq!(end["meta"]["next_since"], latest);
    assert!(end["links"]["next"].as_str().unwrap().contains(&format!("since={latest}")));
    let publishers = app.json("/v1/changes?kind=publisher").await;
    assert_eq!(publishers["data"].as_array().unwrap().len(), 3);
    assert_eq!(publishers["meta"]["next_since"], latest);
    // A `since` past the end: the log was reset (a database replaced by an
    // older copy); the follower is told to start again.
    let reset = app.get(&format!("/v1/changes?since={}", latest + 1)).await;
    assert_eq!(reset.status, StatusCode::CONFLICT);
    assert_eq!(reset.body["type"], "/problems/feed-reset");
    assert_eq!(reset.invalid_param_names(), ["since"]);
    assert!(reset.body["detail"].as_str().unwrap().contains("Replay the feed from 0"));

    for (query, name) in [("since=-1", "since"), ("limit=0", "limit"), ("limit=1001", "limit"), ("kind=poem", "kind"), ("kind=article,article,article,article,article,article,article,article,article,article,article,article,article", "kind")] {
        let reply = app.get(&format!("/v1/changes?{query}")).await;
        assert_eq!(reply.status, StatusCode::BAD_REQUEST, "{query}");
        assert_eq!(reply.invalid_param_names(), [name], "{query}");
    }
}

#[actix_web::test]
async fn every_article_list_takes_updated_after_and_updated_before() {
    let app = spawn_app().await;
    let since = "/v1/articles?updated_after=2025-01-01";
    assert_eq!(app.get(since).await.total(), 0);
    let line =
        serde_json::json!({"kind": "article", "slug": "unchangeable-commitment", "title": "Unchangeable Commitment",
        "type": "commentary", "language": "en", "published_at": "2020-02-19", "updated_at": "2026-01-02T08:00:00Z",
        "publisher": "charhar-institute", "topics": ["belt-and-road-initiative"]})
        .to_string();
    import_lines(&app.db, &[line]);
    for uri in [
        since.to_owned(),
        format!("{since}&q=commitment"),
        format!("{since}&facets=topic"),
        "/v1/topics/belt-and-road-initiative/articles?updated_after=2026-01-02&updated_before=2026-01-02".to_owned(),
        "/v1/articles?updated_after=2026-01-02T08:00:00Z&sort=-updated_at".to_owned(),
    ] {
        let reply = app.get(&uri).await;
        assert_eq!(reply.status, StatusCode::OK, "{uri}: {}", reply.body);
        assert_eq!(reply.slugs(), ["unchangeable-commitment"], "{uri}");
    }
    assert_eq!(app.get("/v1/articles?updated_after=2026-01-02T08:00:01Z").await.total(), 0);
    assert_eq!(app.get("/v1/articles?updated_before=2026-01-01").await.total(), 36);
    let reply = app.get("/v1/articles?updated_after=yesterday").await;
    assert_eq!(reply.status, StatusCode::BAD_REQUEST);
    assert_eq!(reply.invalid_param_names(), ["updated_after"]);
    let feed = app.get(&format!("{since}&format=atom")).await;
    assert!(String::from_utf8_lossy(&feed.raw).contains("updated since 2025-01-01"));
}

#[actix_web::test]
async fn the_feed_as_atom_follows_like_the_json_one() {
    let app = spawn_app().await;
    let json = app.json("/v1/changes?kind=article&limit=10").await;
    for req in [
        actix_web::test::TestRequest::get().uri("/v1/changes?kind=article&limit=10&format=atom"),
        actix_web::test::TestRequest::get()
            .uri("/v1/changes?kind=article&limit=10")
            .insert_header(("Accept", "application/atom+xml")),
    ] {
        let reply = app.request(req.insert_header(("Host", "feeds.example")).to_request()).await;
        assert_eq!(reply.status, StatusCode::OK);
        assert!(reply.content_type().starts_with("application/atom+xml"), "{}", reply.content_type());
        let feed = feed_rs::parser::parse(&reply.raw[..]).expect("an Atom feed");
        let data = json["data"].as_array().unwrap();
        assert_eq!(feed.entries.len(), data.len());
        for (entry, change) in feed.entries.iter().zip(data) {
            let seq = change["seq"].as_i64().unwrap();
            assert_eq!(entry.id, format!("http://feeds.example/v1/changes?since={}&limit=1", seq - 1));
            let link = &entry.links[0].href;
            assert_eq!(link, &format!("http://feeds.example{}", change["url"].as_str().unwrap()));
        }
        let next = feed.links.iter().find(|l| l.rel.as_deref() == Some("next")).expect("a next link");
        let next_since = json["meta"]["next_since"].as_i64().unwrap();
        assert!(next.href.starts_with("http://feeds.example/v1/changes?"), "{}", next.href);
        assert!(
            next.href.contains(&format!("since={next_since}")) && next.href.contains("format=atom"),
            "{}",
            next.href
        );
    }
    // An entry's id is the one-entry page that holds it.
    let one = app.json("/v1/changes?since=40&limit=1").await;
    assert_eq!(one["data"][0]["seq"], 41);
}

/// Random creates, edits, renames, unpublishings, republishings and
/// deletions made through the write API; a mirror that follows the feed
/// equals the corpus after every round.
#[actix_web::test]
async fn a_mirror_follows_random_writes_renames_and_deletions() {
    use crate::writes::{mint, Call};
    use actix_web::http::Method;
    let app = spawn_app().await;
    let key = mint(&app.db, commentary_api::domain::KeyScope::Admin);
    let mut mirror = Mirror::new();
    let (entries, mut since) = app.follow(0, 50).await;
    app.replay(&mut mirror, &entries).await;
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(11);
    let mut created: Vec<String> = Vec::new();
    let mut unpublished: Vec<String> = Vec::new();
    let mut topics = ["communication".to_owned(), "belt-and-road-initiative".to_owned()];
    for round in 0..12 {
        for step in 0..4 {
            let n = format!("{round}-{step}");
            match rng.random_range(0..7) {
                0 | 1 => {
                    let topic = topics[rng.random_range(0..topics.len())].clone();
                    let slug = format!("mirror-{n}");
                    let body = serde_json::json!({"slug": slug, "title": format!("Mirror {n}"), "type": "news",
                        "language": "en", "published_at": "2025-05-05", "publisher": "gmf", "topics": [topic],
                        "authors": [{"author": "wang-peng", "role": "author", "affiliation": format!("Desk {n}")}]});
                    let reply = app.call(Call::new(Method::POST, "/v1/articles", &key).json(&body)).await;
                    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.body);
                    created.push(slug);
                }
                2 if !created.is_empty() => {
                    let slug = created[rng.random_range(0..created.len())].clone();
                    let (_, tag) = app.tagged(&format!("/v1/articles/{slug}")).await;
                    let patch = serde_json::json!({"title": format!("Edited {n}"), "summary": format!("Summary {n}")});
                    let reply = app
                        .call(
                            Call::new(Method::PATCH, &format!("/v1/articles/{slug}"), &key).if_match(&tag).json(&patch),
                        )
                        .await;
                    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
                }
                3 => {
                    // Rename a topic (the articles filed under it show the new name).
                    let i = rng.random_range(0..topics.len());
                    let new = format!("topic-{n}");
                    let (_, tag) = app.tagged(&format!("/v1/topics/{}", topics[i])).await;
                    let patch = serde_json::json!({"slug": new, "name": format!("Topic {n}")});
                    let reply = app
                        .call(
                            Call::new(Method::PATCH, &format!("/v1/topics/{}", topics[i]), &key)
                                .if_match(&tag)
                                .json(&patch),
                        )
                        .await;
                    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
                    topics[i] = new;
                }
                4 if !created.is_empty() => {
                    let slug = created.swap_remove(rng.random_range(0..created.len()));
                    let (_, tag) = app.tagged(&format!("/v1/articles/{slug}")).await;
                    let reply =
                        app.call(Call::new(Method::DELETE, &format!("/v1/articles/{slug}"), &key).if_match(&tag)).await;
                    assert_eq!(reply.status, StatusCode::NO_CONTENT);
                }
                5 if !created.is_empty() => {
                    let slug = created.swap_remove(rng.random_range(0..created.len()));
                    let reply = app
                        .call(Call::new(Method::POST, &format!("/v1/articles/{slug}/unpublish"), &key).if_match("*"))
                        .await;
                    assert_eq!(reply.status, StatusCode::NO_CONTENT);
                    unpublished.push(slug);
                }
                _ if !unpublished.is_empty() => {
                    let slug = unpublished.swap_remove(0);
                    let reply =
                        app.call(Call::new(Method::POST, &format!("/v1/articles/{slug}/republish"), &key)).await;
                    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
                    created.push(slug);
                }
                _ => {}
            }
        }
        let (entries, next) = app.follow(since, 5).await;
        app.replay(&mut mirror, &entries).await;
        since = next;
        assert_eq!(mirror, app.corpus().await, "round {round}");
    }
}
