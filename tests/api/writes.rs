//! Keyed writes: keys and scopes (401, 403), validation by JSON Pointer
//! (400, 413, 415, 422), optimistic concurrency (428, 412), conflicts
//! (409), tombstones (410), idempotent POST, unpublish and republish, the
//! search index, lists, feeds and the change feed following every write,
//! writers queueing (503 past the wait), and many concurrent writers
//! losing no update.

use actix_web::http::{Method, StatusCode};
use actix_web::test::TestRequest;
use commentary_api::db::PoolOptions;
use commentary_api::domain::KeyScope;
use commentary_api::models::api_key;
use commentary_api::state::{ServingOptions, WriteOptions};
use serde_json::{json, Value};

use crate::helpers::{spawn_app, spawn_app_with, test_options, Reply, TestApp};

pub fn mint(db: &commentary_api::db::Location, scope: KeyScope) -> String {
    let mut conn = commentary_api::db::connect(db, PoolOptions::default()).unwrap();
    api_key::create(&mut conn, "test", scope).unwrap().token
}

/// A request with an optional key, extra headers and a JSON body.
pub struct Call<'a> {
    pub method: Method,
    pub uri: &'a str,
    pub token: Option<&'a str>,
    pub headers: Vec<(&'a str, String)>,
    pub body: Option<(&'a str, Vec<u8>)>,
}

impl<'a> Call<'a> {
    pub fn new(method: Method, uri: &'a str, token: &'a str) -> Self {
        Call { method, uri, token: Some(token), headers: Vec::new(), body: None }
    }

    pub fn json(mut self, body: &Value) -> Self {
        let media = if self.method == Method::PATCH { "application/merge-patch+json" } else { "application/json" };
        self.body = Some((media, body.to_string().into_bytes()));
        self
    }

    pub fn header(mut self, name: &'a str, value: impl Into<String>) -> Self {
        self.headers.push((name, value.into()));
        self
    }

    pub fn if_match(self, tag: &str) -> Self {
        self.header("if-match", tag.to_owned())
    }

    fn build(self) -> actix_http::Request {
        let mut req = TestRequest::default().method(self.method).uri(self.uri);
        if let Some(token) = self.token {
            req = req.insert_header(("authorization", format!("Bearer {token}")));
        }
        for (name, value) in self.headers {
            req = req.insert_header((name, value));
        }
        if let Some((media, bytes)) = self.body {
            req = req.insert_header(("content-type", media)).set_payload(bytes);
        }
        req.to_request()
    }
}

impl<S, B> TestApp<S>
where
    S: actix_web::dev::Service<
        actix_http::Request,
        Response = actix_web::dev::ServiceResponse<B>,
        Error = actix_web::Error,
    >,
    B: actix_web::body::MessageBody,
{
    pub async fn call(&self, call: Call<'_>) -> Reply {
        self.request(call.build()).await
    }

    /// GET a resource; its body and ETag.
    pub async fn tagged(&self, uri: &str) -> (Value, String) {
        let reply = self.get(uri).await;
        assert_eq!(reply.status, StatusCode::OK, "GET {uri}: {}", reply.body);
        (reply.body.clone(), reply.header("etag").expect("an ETag").to_owned())
    }
}

fn problem(reply: &Reply, status: StatusCode, kind: &str) {
    assert_eq!(reply.status, status, "{}", reply.body);
    assert_eq!(reply.content_type(), "application/problem+json");
    assert_eq!(reply.body["type"], kind, "{}", reply.body);
    assert_eq!(reply.body["status"], status.as_u16());
}

fn pointers(reply: &Reply) -> Vec<String> {
    reply.body["invalid_params"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            assert_eq!(p["in"], "body");
            p["name"].as_str().unwrap().to_owned()
        })
        .collect()
}

fn article(slug: &str, title: &str) -> Value {
    json!({
        "slug": slug, "title": title, "type": "commentary", "language": "en", "published_at": "2026-11-30",
        "publisher": "charhar-institute", "series": null,
        "summary": "A correction of the record on the zyxwvut question.",
        "body": "First paragraph.\n\nSecond paragraph about zyxwvut.",
        "authors": [
            {"author": "wang-peng", "role": "author", "affiliation": "a fellow at the Charhar Institute"},
            {"author": "tokiwa-shin", "role": "translator"}
        ],
        "topics": ["belt-and-road-initiative", {"slug": "communication", "provenance": "editorial", "provenance_note": "by an editor"}],
        "regions": ["china"],
        "source": {"name": "China Daily", "url": "https://www.chinadaily.com.cn/a/1", "published_on": "2026-11-29"},
        "translation": {"original_language": "zh", "original_title": "原题", "note": "Translated by the editors."},
        "figures": [{"caption": "A map", "credit": "CI", "after_paragraph": 1}],
        "references": [{"citation": "Wang, P. (2026). On zyxwvut.", "url": "https://example.org/ref"}]
    })
}

#[actix_web::test]
async fn writes_need_a_live_key_with_the_right_scope() {
    let app = spawn_app().await;
    let body = json!({"slug": "tariffs", "name": "Tariffs"});
    // No key: 401 with a Bearer challenge; reads stay open.
    let mut call = Call::new(Method::POST, "/v1/topics", "").json(&body);
    call.token = None;
    let reply = app.call(call).await;
    problem(&reply, StatusCode::UNAUTHORIZED, "/problems/unauthorized");
    assert_eq!(reply.header("www-authenticate"), Some(r#"Bearer realm="commentary-api""#));
    // A wrong token, and a revoked key: 401 invalid_token.
    let reply = app.call(Call::new(Method::POST, "/v1/topics", "cak_0123456789ab_nope").json(&body)).await;
    problem(&reply, StatusCode::UNAUTHORIZED, "/problems/unauthorized");
    assert!(reply.header("www-authenticate").unwrap().contains("invalid_token"));
    let revoked = mint(&app.db, KeyScope::Write);
    let prefix = revoked.split('_').nth(1).unwrap().to_owned();
    let mut conn = commentary_api::db::connect(&app.db, PoolOptions::default()).unwrap();
    assert!(api_key::revoke(&mut conn, &prefix).unwrap());
    let reply = app.call(Call::new(Method::POST, "/v1/topics", &revoked).json(&body)).await;
    assert_eq!(reply.status, StatusCode::UNAUTHORIZED);
    // A read with a wrong token is served (reads are open).
    let read = app
        .request(TestRequest::get().uri("/v1/topics").insert_header(("authorization", "Bearer x")).to_request())
        .await;
    assert_eq!(read.status, StatusCode::OK);
    // A key in the query string is not a key (and not a parameter).
    let writer = mint(&app.db, KeyScope::Write);
    let mut call = Call::new(Method::POST, "/v1/topics", "").json(&body);
    call.token = None;
    let uri = format!("/v1/topics?access_token={writer}");
    call.uri = &uri;
    let reply = app.call(call).await;
    assert_eq!(reply.status, StatusCode::BAD_REQUEST);
    assert_eq!(reply.invalid_param_names(), ["access_token"]);
    // A write key creates; deleting needs admin (403), which an admin key has.
    let created = app.call(Call::new(Method::POST, "/v1/topics", &writer).json(&body)).await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.body);
    let tag = created.header("etag").unwrap().to_owned();
    let reply = app.call(Call::new(Method::DELETE, "/v1/topics/tariffs", &writer).if_match(&tag)).await;
    problem(&reply, StatusCode::FORBIDDEN, "/problems/forbidden");
    let admin = mint(&app.db, KeyScope::Admin);
    let reply = app.call(Call::new(Method::DELETE, "/v1/topics/tariffs", &admin).if_match(&tag)).await;
    assert_eq!(reply.status, StatusCode::NO_CONTENT);
    // The change log records which key made each change (not shown publicly).
    use diesel::prelude::*;
    let makers: Vec<Option<i64>> = commentary_api::schema::change_log::table
        .filter(commentary_api::schema::change_log::slug.eq("tariffs"))
        .select(commentary_api::schema::change_log::key_id)
        .load(&mut conn)
        .unwrap();
    assert_eq!(makers.len(), 2);
    assert!(makers.iter().all(Option::is_some));
    assert_ne!(makers[0], makers[1]);
    let feed = app.json("/v1/changes?kind=topic&limit=1000").await;
    assert!(!feed.to_string().contains("key_id"));
}

#[actix_web::test]
async fn bad_bodies_are_named_by_pointer() {
    let options =
        ServingOptions { writes: WriteOptions { max_body_bytes: 4096, ..WriteOptions::default() }, ..test_options() };
    let app = spawn_app_with(&options).await;
    let key = mint(&app.db, KeyScope::Write);
    // Every independent problem at once, by JSON Pointer.
    let mut bad = article("a-new-one", "T");
    bad["slug"] = json!("Not A Slug");
    bad["type"] = json!("poem");
    bad["authors"][1]["role"] = json!("boss");
    bad["colour"] = json!("red");
    let reply = app.call(Call::new(Method::POST, "/v1/articles", &key).json(&bad)).await;
    problem(&reply, StatusCode::UNPROCESSABLE_ENTITY, "/problems/invalid-body");
    assert_eq!(sorted(pointers(&reply)), ["/authors/1/role", "/colour", "/slug", "/type"]);
    // The import's rules, as pointers: unknown references, a figure past the body.
    let mut bad = article("a-new-one", "T");
    bad["topics"] = json!(["belt-and-road-initiative", "no-such-topic"]);
    bad["figures"][0]["after_paragraph"] = json!(9);
    bad["authors"][0]["author"] = json!("nobody-at-all");
    let reply = app.call(Call::new(Method::POST, "/v1/articles", &key).json(&bad)).await;
    problem(&reply, StatusCode::UNPROCESSABLE_ENTITY, "/problems/invalid-body");
    assert_eq!(sorted(pointers(&reply)), ["/authors/0/author", "/figures/0/after_paragraph", "/topics/1"]);
    // A NUL character in any text, on every backend (PostgreSQL cannot store one).
    let mut bad = article("a-new-one", "T");
    bad["authors"][0]["affiliation"] = json!("Keio\u{0}University");
    let reply = app.call(Call::new(Method::POST, "/v1/articles", &key).json(&bad)).await;
    problem(&reply, StatusCode::UNPROCESSABLE_ENTITY, "/problems/invalid-body");
    assert_eq!(pointers(&reply), ["/authors/0/affiliation"]);
    // Malformed JSON, a JSON array, the wrong media type, too large.
    let mut call = Call::new(Method::POST, "/v1/topics", &key);
    call.body = Some(("application/json", b"{\"slug\": ".to_vec()));
    problem(&app.call(call).await, StatusCode::BAD_REQUEST, "/problems/malformed-body");
    let mut call = Call::new(Method::POST, "/v1/topics", &key);
    call.body = Some(("application/json", b"[1, 2]".to_vec()));
    problem(&app.call(call).await, StatusCode::BAD_REQUEST, "/problems/malformed-body");
    let mut call = Call::new(Method::POST, "/v1/topics", &key);
    call.body = Some(("text/plain", b"{}".to_vec()));
    let reply = app.call(call).await;
    problem(&reply, StatusCode::UNSUPPORTED_MEDIA_TYPE, "/problems/unsupported-media-type");
    assert_eq!(reply.header("accept-post"), Some("application/json"));
    let huge = json!({"slug": "big", "name": "Big", "description": "x".repeat(5000)});
    let reply = app.call(Call::new(Method::POST, "/v1/topics", &key).json(&huge)).await;
    problem(&reply, StatusCode::PAYLOAD_TOO_LARGE, "/problems/payload-too-large");
    // Nothing was written by any of them.
    assert_eq!(app.get("/v1/articles/a-new-one").await.status, StatusCode::NOT_FOUND);
    assert_eq!(app.get("/v1/topics/big").await.status, StatusCode::NOT_FOUND);
}

fn sorted(mut v: Vec<String>) -> Vec<String> {
    v.sort();
    v
}

#[actix_web::test]
async fn edits_need_the_current_etag_and_renames_keep_the_id() {
    let app = spawn_app().await;
    let key = mint(&app.db, KeyScope::Write);
    let (topic, tag) = app.tagged("/v1/topics/communication").await;
    let id = topic["id"].as_i64().unwrap();
    // The GET's ETag is strong and stable across unrelated writes.
    assert!(tag.starts_with('"'), "{tag}");
    let other = app.tagged("/v1/topics/belt-and-road-initiative").await.1;
    let patch = json!({"description": "How governments and think tanks talk to the public."});
    let reply = app
        .call(Call::new(Method::PATCH, "/v1/topics/belt-and-road-initiative", &key).if_match(&other).json(&patch))
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    assert_eq!(app.tagged("/v1/topics/communication").await.1, tag, "unrelated writes keep the tag");
    // If-None-Match with it: 304.
    let reply = app
        .request(
            TestRequest::get()
                .uri("/v1/topics/communication")
                .insert_header(("if-none-match", tag.clone()))
                .to_request(),
        )
        .await;
    assert_eq!(reply.status, StatusCode::NOT_MODIFIED);
    // Without If-Match: 428; with a stale one: 412 naming the current tag.
    let reply = app.call(Call::new(Method::PATCH, "/v1/topics/communication", &key).json(&patch)).await;
    problem(&reply, StatusCode::PRECONDITION_REQUIRED, "/problems/precondition-required");
    let reply =
        app.call(Call::new(Method::PATCH, "/v1/topics/communication", &key).if_match("\"stale\"").json(&patch)).await;
    problem(&reply, StatusCode::PRECONDITION_FAILED, "/problems/precondition-failed");
    assert_eq!(reply.header("etag"), Some(tag.as_str()));
    // With the current one: changed, a new tag, and a GET agrees.
    let reply = app.call(Call::new(Method::PATCH, "/v1/topics/communication", &key).if_match(&tag).json(&patch)).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    let new_tag = reply.header("etag").unwrap().to_owned();
    assert_ne!(new_tag, tag);
    assert_eq!(reply.body["description"], patch["description"]);
    let (now, now_tag) = app.tagged("/v1/topics/communication").await;
    assert_eq!(now_tag, new_tag);
    assert_eq!(now["description"], patch["description"]);
    // The old tag is stale now.
    let again = app.call(Call::new(Method::PATCH, "/v1/topics/communication", &key).if_match(&tag).json(&patch)).await;
    assert_eq!(again.status, StatusCode::PRECONDITION_FAILED);
    // A rename by PUT: same id, the old slug gone, the articles follow.
    let before = app.get("/v1/topics/communication/articles").await.total();
    assert_eq!(app.get("/v1/articles?topic=communication&per_page=1").await.total(), before);
    let put = json!({"slug": "public-communication", "name": "Public communication"});
    let reply = app.call(Call::new(Method::PUT, "/v1/topics/communication", &key).if_match(&new_tag).json(&put)).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    assert_eq!(reply.body["id"], id);
    assert!(reply.body.get("description").is_none_or(Value::is_null), "PUT replaces: {}", reply.body);
    assert_eq!(app.get("/v1/topics/communication").await.status, StatusCode::NOT_FOUND);
    // Lists naming the old slug, resolved before the rename, no longer find it.
    assert_eq!(app.get("/v1/topics/communication/articles").await.status, StatusCode::NOT_FOUND);
    assert_eq!(app.get("/v1/articles?topic=communication&per_page=1").await.status, StatusCode::NOT_FOUND);
    assert_eq!(app.get("/v1/topics/public-communication/articles").await.total(), before);
    let cards = app.json("/v1/articles?topic=public-communication&per_page=1").await;
    assert_eq!(
        cards["data"][0]["topics"].as_array().unwrap().iter().filter(|t| t["slug"] == "public-communication").count(),
        1
    );
    // A rename onto a slug in use: 409 at /slug.
    let tag = app.tagged("/v1/topics/public-communication").await.1;
    let clash = json!({"slug": "belt-and-road-initiative"});
    let reply =
        app.call(Call::new(Method::PATCH, "/v1/topics/public-communication", &key).if_match(&tag).json(&clash)).await;
    problem(&reply, StatusCode::CONFLICT, "/problems/conflict");
    assert_eq!(reply.invalid_param_names(), ["/slug"]);
    // `If-Match: *` overwrites whatever is there.
    let reply = app
        .call(
            Call::new(Method::PATCH, "/v1/topics/public-communication", &key)
                .if_match("*")
                .json(&json!({"name": "Communication"})),
        )
        .await;
    assert_eq!(reply.status, StatusCode::OK);
}

#[actix_web::test]
async fn an_article_created_edited_unpublished_republished_and_deleted() {
    let app = spawn_app().await;
    let key = mint(&app.db, KeyScope::Write);
    let admin = mint(&app.db, KeyScope::Admin);
    let since = app.json("/v1/changes?limit=1").await["meta"]["latest"].as_i64().unwrap();
    let total = app.get("/v1/articles").await.total();
    // Created with everything the import format carries.
    let reply =
        app.call(Call::new(Method::POST, "/v1/articles", &key).json(&article("on-zyxwvut", "On Zyxwvut"))).await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.body);
    let id = reply.body["id"].as_i64().unwrap();
    assert_eq!(reply.header("location"), Some(format!("/v1/articles/{id}").as_str()));
    let (detail, tag) = app.tagged(&format!("/v1/articles/{id}")).await;
    assert_eq!(Some(tag.as_str()), reply.header("etag"));
    assert_eq!(detail["authors"][0]["affiliation"], "a fellow at the Charhar Institute");
    assert_eq!(detail["authors"][1]["role"], "translator");
    assert_eq!(detail["translation"]["original_title"], "原题");
    assert_eq!(detail["source"]["name"], "China Daily");
    assert_eq!(detail["figures"][0]["after_paragraph"], 1);
    assert_eq!(detail["references"][0]["url"], "https://example.org/ref");
    assert_eq!(detail["topics"][1]["provenance"], "editorial");
    // In the lists, the search index, the facets and the feeds.
    assert_eq!(app.get("/v1/articles").await.total(), total + 1);
    assert_eq!(app.json("/v1/articles?q=zyxwvut").await["meta"]["total"], 1);
    let facets = app.json("/v1/articles?facets=topic&topic=communication").await;
    assert!(facets["meta"]["total"].as_i64().unwrap() >= 1);
    let rss = String::from_utf8(app.get("/v1/articles?format=rss").await.raw).unwrap();
    assert!(rss.contains("On Zyxwvut"));
    // Edited: the index and the cards follow.
    let reply = app
        .call(
            Call::new(Method::PATCH, &format!("/v1/articles/{id}"), &key)
                .if_match(&tag)
                .json(&json!({"title": "On Qwertyuiop"})),
        )
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    let tag = reply.header("etag").unwrap().to_owned();
    assert_eq!(app.json("/v1/articles?q=qwertyuiop").await["data"][0]["title"], "On Qwertyuiop");
    assert_eq!(app.json("/v1/articles?q=zyxwvut+title:zyxwvut").await["meta"]["total"], 0);
    assert_eq!(app.json("/v1/articles?per_page=1&sort=-published_at").await["data"][0]["title"], "On Qwertyuiop");
    // Unpublished: 410, out of lists, search and feeds; the slug stays taken.
    let reply = app.call(Call::new(Method::POST, &format!("/v1/articles/{id}/unpublish"), &key).if_match(&tag)).await;
    assert_eq!(reply.status, StatusCode::NO_CONTENT, "{}", reply.body);
    let gone = app.get("/v1/articles/on-zyxwvut").await;
    problem(&gone, StatusCode::GONE, "/problems/gone");
    assert!(gone.body["detail"].as_str().unwrap().contains("unpublished"));
    assert_eq!(app.get("/v1/articles").await.total(), total);
    assert_eq!(app.json("/v1/articles?q=qwertyuiop").await["meta"]["total"], 0);
    assert!(!String::from_utf8(app.get("/v1/articles?format=atom").await.raw).unwrap().contains("Qwertyuiop"));
    let reply = app.call(Call::new(Method::POST, "/v1/articles", &key).json(&article("on-zyxwvut", "Again"))).await;
    problem(&reply, StatusCode::CONFLICT, "/problems/conflict");
    // Republished: the same id and record.
    let reply = app.call(Call::new(Method::POST, "/v1/articles/on-zyxwvut/republish", &key)).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    assert_eq!(reply.body["id"], id);
    assert_eq!(reply.body["title"], "On Qwertyuiop");
    assert_eq!(reply.body["figures"], detail["figures"]);
    assert_eq!(app.json("/v1/articles?q=qwertyuiop").await["meta"]["total"], 1);
    // Deleted (admin): 410 for good; its id is never reused.
    let tag = app.tagged(&format!("/v1/articles/{id}")).await.1;
    let reply = app.call(Call::new(Method::DELETE, &format!("/v1/articles/{id}"), &admin).if_match(&tag)).await;
    assert_eq!(reply.status, StatusCode::NO_CONTENT);
    let gone = app.get(&format!("/v1/articles/{id}")).await;
    problem(&gone, StatusCode::GONE, "/problems/gone");
    assert!(gone.body["detail"].as_str().unwrap().contains("deleted"));
    let reply = app.call(Call::new(Method::POST, "/v1/articles", &key).json(&article("after-zyxwvut", "After"))).await;
    assert_eq!(reply.status, StatusCode::CREATED);
    assert!(reply.body["id"].as_i64().unwrap() > id, "ids are not reused");
    // The change feed told it all, deletions with their tombstones.
    let feed = app.json(&format!("/v1/changes?since={since}&kind=article")).await;
    let seen: Vec<(i64, String, Option<String>)> = feed["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["id"].as_i64().unwrap(),
                e["action"].as_str().unwrap().to_owned(),
                e["tombstone"]["state"].as_str().map(str::to_owned),
            )
        })
        .collect();
    let up = |id| (id, "upsert".to_owned(), None);
    assert_eq!(
        seen[..5],
        [
            up(id),
            up(id),
            (id, "delete".into(), Some("unpublished".into())),
            up(id),
            (id, "delete".into(), Some("deleted".into()))
        ]
    );
    // And as JSON Feed and Atom.
    let jf = app.get(&format!("/v1/changes?since={since}&format=jsonfeed")).await;
    assert_eq!(jf.content_type(), "application/feed+json");
    assert_eq!(jf.body["version"], "https://jsonfeed.org/version/1.1");
    assert!(jf.body["items"].as_array().unwrap().iter().any(|i| i["_change"]["tombstone"]["state"] == "deleted"));
    let atom = app
        .request(
            TestRequest::get()
                .uri(&format!("/v1/changes?since={since}"))
                .insert_header(("accept", "application/atom+xml"))
                .to_request(),
        )
        .await;
    let parsed = feed_rs::parser::parse(atom.raw.as_slice()).unwrap();
    assert!(parsed.entries.iter().any(|e| e.title.as_ref().unwrap().content.ends_with(": deleted")));
}

#[actix_web::test]
async fn what_is_still_referenced_cannot_be_deleted() {
    let app = spawn_app().await;
    let admin = mint(&app.db, KeyScope::Admin);
    let tag = app.tagged("/v1/topics/communication").await.1;
    let reply = app.call(Call::new(Method::DELETE, "/v1/topics/communication", &admin).if_match(&tag)).await;
    problem(&reply, StatusCode::CONFLICT, "/problems/conflict");
    assert!(reply.body["detail"].as_str().unwrap().contains("articles (e.g. `"), "{}", reply.body);
    let tag = app.tagged("/v1/publishers/charhar-institute").await.1;
    let reply = app.call(Call::new(Method::DELETE, "/v1/publishers/charhar-institute", &admin).if_match(&tag)).await;
    problem(&reply, StatusCode::CONFLICT, "/problems/conflict");
    // Unreferenced, it goes (the seed's GMF has no articles yet), and answers 410.
    let tag = app.tagged("/v1/publishers/gmf").await.1;
    let reply = app.call(Call::new(Method::DELETE, "/v1/publishers/gmf", &admin).if_match(&tag)).await;
    assert_eq!(reply.status, StatusCode::NO_CONTENT);
    problem(&app.get("/v1/publishers/gmf").await, StatusCode::GONE, "/problems/gone");
    let tag = app.tagged("/v1/regions/asia").await.1;
    let reply = app.call(Call::new(Method::DELETE, "/v1/regions/asia", &admin).if_match(&tag)).await;
    assert!(reply.body["detail"].as_str().unwrap().contains("region"), "{}", reply.body);
    assert_eq!(app.get("/v1/regions/asia").await.status, StatusCode::OK);
}

#[actix_web::test]
async fn an_idempotency_key_replays_the_first_answer() {
    let app = spawn_app().await;
    let key = mint(&app.db, KeyScope::Write);
    let body = json!({"slug": "sanctions", "name": "Sanctions"});
    let first =
        app.call(Call::new(Method::POST, "/v1/topics", &key).header("idempotency-key", "k-1").json(&body)).await;
    assert_eq!(first.status, StatusCode::CREATED);
    let again =
        app.call(Call::new(Method::POST, "/v1/topics", &key).header("idempotency-key", "k-1").json(&body)).await;
    assert_eq!(again.status, StatusCode::CREATED);
    assert_eq!(again.header("idempotent-replayed"), Some("true"));
    assert_eq!(again.raw, first.raw);
    assert_eq!(again.header("location"), first.header("location"));
    // Without the key, a repeat is a duplicate; with the key and another body, a 422.
    let dup = app.call(Call::new(Method::POST, "/v1/topics", &key).json(&body)).await;
    assert_eq!(dup.status, StatusCode::CONFLICT);
    let other = app
        .call(
            Call::new(Method::POST, "/v1/topics", &key)
                .header("idempotency-key", "k-1")
                .json(&json!({"slug": "tariffs", "name": "Tariffs"})),
        )
        .await;
    problem(&other, StatusCode::UNPROCESSABLE_ENTITY, "/problems/idempotency-key-reused");
    assert_eq!(app.get("/v1/topics/tariffs").await.status, StatusCode::NOT_FOUND);
}

// The writer thread is held back on purpose while a request waits for it
// (it is another OS thread; nothing here waits for the guard).
#[allow(clippy::await_holding_lock)]
#[actix_web::test]
async fn writers_queue_and_a_long_wait_is_a_503_never_a_500() {
    let options = ServingOptions {
        writes: WriteOptions { wait: std::time::Duration::from_millis(100), ..WriteOptions::default() },
        connections: PoolOptions { busy_timeout: std::time::Duration::from_millis(100), ..PoolOptions::default() },
        ..test_options()
    };
    let app = spawn_app_with(&options).await;
    let key = mint(&app.db, KeyScope::Write);
    let body = json!({"slug": "sanctions", "name": "Sanctions"});
    // Another write of this process holds the queue.
    let turn = app.state.writer.pause();
    let reply = app.call(Call::new(Method::POST, "/v1/topics", &key).json(&body)).await;
    problem(&reply, StatusCode::SERVICE_UNAVAILABLE, "/problems/writes-busy");
    assert_eq!(reply.header("retry-after"), Some("1"));
    drop(turn);
    // Another process (an import) holds the database's write lock.
    use diesel::connection::SimpleConnection;
    let mut other = commentary_api::db::connect(&app.db, PoolOptions::default()).unwrap();
    match &mut other {
        commentary_api::db::DbConn::Sqlite(c) => c.batch_execute("BEGIN IMMEDIATE").unwrap(),
        commentary_api::db::DbConn::Pg(c) => c
            .batch_execute(&format!("BEGIN; SELECT pg_advisory_xact_lock({})", commentary_api::db::WRITE_LOCK_KEY))
            .unwrap(),
    }
    let reply = app.call(Call::new(Method::POST, "/v1/topics", &key).json(&body)).await;
    assert_eq!(reply.status, StatusCode::SERVICE_UNAVAILABLE, "{}", reply.body);
    assert!(reply.header("retry-after").is_some());
    other.batch_execute("ROLLBACK").unwrap();
    let reply = app.call(Call::new(Method::POST, "/v1/topics", &key).json(&body)).await;
    assert_eq!(reply.status, StatusCode::CREATED);
}

#[actix_web::test]
async fn concurrent_editors_lose_no_update() {
    let app = spawn_app().await;
    let key = mint(&app.db, KeyScope::Write);
    let uri = "/v1/articles/unchangeable-commitment";
    const EDITORS: usize = 8;
    const EDITS: usize = 4;
    let initial = app.json(uri).await["references"].as_array().map_or(0, Vec::len);
    // Each editor appends its references one at a time, read-modify-write
    // with If-Match, retrying on 412.
    let editor = |n: usize| {
        let (app, key) = (&app, &key);
        async move {
            let mut conflicts = 0;
            for e in 0..EDITS {
                loop {
                    let (current, tag) = app.tagged(uri).await;
                    let mut refs: Vec<Value> = current["references"].as_array().cloned().unwrap_or_default();
                    refs.push(json!({"citation": format!("editor {n} edit {e}")}));
                    let refs: Vec<Value> = refs
                        .into_iter()
                        .map(|r| json!({"citation": r["citation"], "url": r["url"]}))
                        .map(|mut r| {
                            if r["url"].is_null() {
                                r.as_object_mut().unwrap().remove("url");
                            }
                            r
                        })
                        .collect();
                    let reply = app
                        .call(Call::new(Method::PATCH, uri, key).if_match(&tag).json(&json!({"references": refs})))
                        .await;
                    match reply.status {
                        StatusCode::OK => break,
                        StatusCode::PRECONDITION_FAILED => conflicts += 1,
                        other => panic!("editor {n}: {other} {}", reply.body),
                    }
                }
            }
            conflicts
        }
    };
    let conflicts: usize = futures_util::future::join_all((0..EDITORS).map(editor)).await.into_iter().sum();
    let refs = app.json(uri).await["references"].as_array().unwrap().len();
    assert_eq!(refs, initial + EDITORS * EDITS, "every edit is kept ({conflicts} conflicts were retried)");
}

#[actix_web::test]
async fn an_unpublished_articles_slug_stays_reserved_even_for_an_import() {
    let app = spawn_app().await;
    let key = mint(&app.db, KeyScope::Write);
    let uri = "/v1/articles/unchangeable-commitment";
    let reply = app.call(Call::new(Method::POST, &format!("{uri}/unpublish"), &key).if_match("*")).await;
    assert_eq!(reply.status, StatusCode::NO_CONTENT);
    // An import that would reuse the slug is refused whole, naming the line.
    let line = json!({"kind": "article", "slug": "unchangeable-commitment", "title": "Reused", "type": "news",
        "language": "en", "published_at": "2024-01-01", "publisher": "gmf"});
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("reuse.ndjson");
    std::fs::write(&file, format!("{line}\n")).unwrap();
    let mut conn = commentary_api::db::connect(&app.db, PoolOptions::default()).unwrap();
    let source = commentary_api::ingest::lines::Source::File(file);
    match commentary_api::ingest::import(&mut conn, &source, &Default::default()) {
        Err(commentary_api::ingest::ImportError::Invalid(errors)) => {
            assert_eq!(errors[0].field, "slug");
            assert!(errors[0].message.contains("unpublished"), "{errors:?}");
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(app.get(uri).await.status, StatusCode::GONE);
    // It comes back as it was.
    let reply = app.call(Call::new(Method::POST, &format!("{uri}/republish"), &key)).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    assert_eq!(reply.body["slug"], "unchangeable-commitment");
    // Republishing a published article is a conflict.
    let again = app.call(Call::new(Method::POST, &format!("{uri}/republish"), &key)).await;
    problem(&again, StatusCode::CONFLICT, "/problems/conflict");
    // An unpublished article deleted for good (admin, `If-Match: *` only):
    // its slug is free again and the feed says so.
    let admin = mint(&app.db, KeyScope::Admin);
    let reply = app.call(Call::new(Method::POST, &format!("{uri}/unpublish"), &key).if_match("*")).await;
    assert_eq!(reply.status, StatusCode::NO_CONTENT);
    let stale = app.call(Call::new(Method::DELETE, uri, &admin).if_match("\"x\"")).await;
    assert_eq!(stale.status, StatusCode::PRECONDITION_FAILED);
    let reply = app.call(Call::new(Method::DELETE, uri, &admin).if_match("*")).await;
    assert_eq!(reply.status, StatusCode::NO_CONTENT);
    let gone = app.get(uri).await;
    problem(&gone, StatusCode::GONE, "/problems/gone");
    assert!(gone.body["detail"].as_str().unwrap().contains("deleted"));
    let feed = app.json("/v1/changes?kind=article&limit=1000").await;
    assert_eq!(feed["data"].as_array().unwrap().last().unwrap()["tombstone"]["state"], "deleted");
    let reply =
        app.call(Call::new(Method::POST, "/v1/articles", &key).json(&article("unchangeable-commitment", "New"))).await;
    assert_eq!(reply.status, StatusCode::CREATED, "the slug is free: {}", reply.body);
    let again = app.call(Call::new(Method::POST, "/v1/articles/unpublished-nothing/republish", &key)).await;
    assert_eq!(again.status, StatusCode::NOT_FOUND);
}

#[actix_web::test]
async fn a_renamed_or_deleted_articles_uid_is_never_given_to_another() {
    let app = spawn_app().await;
    let key = mint(&app.db, KeyScope::Admin);
    let uid_of = |body: &Value| body["uid"].as_str().map(str::to_owned);
    let first = app.call(Call::new(Method::POST, "/v1/articles", &key).json(&article("uid-a", "A"))).await;
    assert_eq!(first.status, StatusCode::CREATED, "{}", first.body);
    let a_uid = uid_of(&first.body);
    assert!(a_uid.is_some(), "{}", first.body);
    // Renamed to b, it keeps its uid; a new `uid-a` gets another one.
    let renamed = app
        .call(Call::new(Method::PATCH, "/v1/articles/uid-a", &key).if_match("*").json(&json!({"slug": "uid-b"})))
        .await;
    assert_eq!(renamed.status, StatusCode::OK);
    assert_eq!(uid_of(&renamed.body), a_uid);
    let second = app.call(Call::new(Method::POST, "/v1/articles", &key).json(&article("uid-a", "A again"))).await;
    assert_eq!(second.status, StatusCode::CREATED, "{}", second.body);
    assert_ne!(uid_of(&second.body), a_uid);
    // Deleted, its uid goes with it, never to a new article of the same slug.
    let second_uid = uid_of(&second.body);
    let gone = app.call(Call::new(Method::DELETE, "/v1/articles/uid-a", &key).if_match("*")).await;
    assert_eq!(gone.status, StatusCode::NO_CONTENT);
    let third = app.call(Call::new(Method::POST, "/v1/articles", &key).json(&article("uid-a", "A thrice"))).await;
    assert_eq!(third.status, StatusCode::CREATED);
    assert_ne!(uid_of(&third.body), second_uid);
    // Unpublished and republished, it has its own back.
    let out = app.call(Call::new(Method::POST, "/v1/articles/uid-b/unpublish", &key).if_match("*")).await;
    assert_eq!(out.status, StatusCode::NO_CONTENT);
    let back = app.call(Call::new(Method::POST, "/v1/articles/uid-b/republish", &key)).await;
    assert_eq!(back.status, StatusCode::OK, "{}", back.body);
    assert_eq!(uid_of(&back.body), a_uid);
}
