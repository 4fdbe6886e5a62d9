//! Every article list as RSS 2.0, Atom 1.0 and JSON Feed 1.1, parsed back
//! with a real feed parser (feed-rs) and checked item by item against the
//! JSON list of the same slice.

use std::time::Duration;

use actix_web::http::StatusCode;
use actix_web::test::TestRequest;
use feed_rs::model::Feed;
use serde_json::Value;

use crate::helpers::{import_lines, spawn_app, spawn_app_with, test_options, Reply};

const FORMATS: &[(&str, &str)] =
    &[("rss", "application/rss+xml"), ("atom", "application/atom+xml"), ("jsonfeed", "application/feed+json")];

/// Slices of the seed corpus, each with a list big enough to compare.
const SLICES: &[&str] = &[
    "/v1/articles?per_page=100",
    "/v1/articles?topic=the-korean-peninsula",
    "/v1/topics/the-korean-peninsula/articles?publisher=charhar-institute",
    "/v1/regions/asia/articles?sort=published_at",
    "/v1/authors/tokiwa-shin/articles",
    "/v1/publishers/jfir/articles?per_page=5",
    "/v1/series/jfir-commentary/articles",
    "/v1/articles?q=japan&per_page=50",
];

/// The feed, read back by feed-rs; XML feeds must also be well-formed to a
/// strict parser (feed-rs forgives some mistakes, feed readers may not).
fn parse(reply: &Reply) -> Feed {
    if reply.content_type().ends_with("+xml") {
        let text = std::str::from_utf8(&reply.raw).expect("UTF-8");
        if let Err(e) = roxmltree::Document::parse(text) {
            panic!("not well-formed XML ({e}): {text}");
        }
    }
    if reply.content_type() == "application/feed+json" {
        // The documented shape, unknown fields refused.
        if let Err(e) = serde_json::from_slice::<commentary_api::views::jsonfeed::JsonFeed>(&reply.raw) {
            panic!("not the documented JSON Feed ({e}): {}", String::from_utf8_lossy(&reply.raw));
        }
    }
    feed_rs::parser::parse(reply.raw.as_slice())
        .unwrap_or_else(|e| panic!("does not parse ({e}): {}", String::from_utf8_lossy(&reply.raw)))
}

/// Whether the answer's `Vary` names `header`.
fn varies_by(reply: &Reply, header: &str) -> bool {
    reply
        .headers
        .get_all("vary")
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .any(|h| h.trim().eq_ignore_ascii_case(header))
}

fn with(uri: &str, param: &str) -> String {
    format!("{uri}{}{param}", if uri.contains('?') { '&' } else { '?' })
}

/// Names of the topics and regions of a JSON item, in order.
fn json_categories(item: &Value) -> Vec<String> {
    ["topics", "regions"]
        .iter()
        .flat_map(|k| item[*k].as_array().unwrap().iter().map(|t| t["name"].as_str().unwrap().to_owned()))
        .collect()
}

fn json_authors(item: &Value) -> Vec<String> {
    item["authors"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|a| a["role"] == "author")
        .map(|a| a["name"].as_str().unwrap().to_owned())
        .collect()
}

#[actix_web::test]
async fn every_list_as_every_feed_matches_its_json_list_item_by_item() {
    let app = spawn_app().await;
    for slice in SLICES {
        let json = app.json(slice).await;
        let items = json["data"].as_array().unwrap();
        assert!(!items.is_empty(), "{slice} lists something");
        for (format, media_type) in FORMATS {
            let uri = with(slice, &format!("format={format}"));
            let reply = app.get(&uri).await;
            assert_eq!(reply.status, StatusCode::OK, "{uri}: {}", String::from_utf8_lossy(&reply.raw));
            assert_eq!(reply.content_type(), *media_type, "{uri}");
            assert_eq!(reply.header("x-total-count"), json["meta"]["total"].to_string().as_str().into());
            let feed = parse(&reply);
            assert_eq!(feed.entries.len(), items.len(), "{uri}");
            for (entry, item) in feed.entries.iter().zip(items) {
                let what = format!("{uri}, article {}", item["slug"]);
                assert_eq!(entry.id, format!("urn:uuid:{}", item["uid"].as_str().unwrap()), "{what}");
                assert_eq!(entry.title.as_ref().unwrap().content, item["title"].as_str().unwrap(), "{what}");
                let published: chrono::DateTime<chrono::Utc> = item["published_at"].as_str().unwrap().parse().unwrap();
                assert_eq!(entry.published, Some(published), "{what}");
                let names: Vec<String> = entry.authors.iter().map(|p| p.name.clone()).collect();
                assert_eq!(names, json_authors(item), "{what}");
                let categories: Vec<String> =
                    entry.categories.iter().map(|c| c.label.clone().unwrap_or_else(|| c.term.clone())).collect();
                assert_eq!(categories, json_categories(item), "{what}");
                let link = &entry.links.first().expect("a link").href;
                let expected = item["url"]
                    .as_str()
                    .map(str::to_owned)
                    .unwrap_or_else(|| format!("http://localhost:8080/v1/articles/{}", item["id"]));
                assert_eq!(link, &expected, "{what}");
            }
        }
    }
}

#[actix_web::test]
async fn accept_chooses_the_format_and_format_wins_over_it() {
    let app = spawn_app().await;
    for (_, media_type) in FORMATS {
        let reply = app
            .request(TestRequest::get().uri("/v1/articles").insert_header(("Accept", *media_type)).to_request())
            .await;
        assert_eq!(reply.status, StatusCode::OK);
        assert_eq!(reply.content_type(), *media_type);
        assert!(varies_by(&reply, "Accept") && varies_by(&reply, "Accept-Encoding"), "{:?}", reply.header("vary"));
        parse(&reply);
    }
    let reader = "application/rss+xml, application/atom+xml;q=0.9, */*;q=0.1";
    let reply =
        app.request(TestRequest::get().uri("/v1/articles").insert_header(("Accept", reader)).to_request()).await;
    assert_eq!(reply.content_type(), "application/rss+xml");
    let browser = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8";
    let reply =
        app.request(TestRequest::get().uri("/v1/articles").insert_header(("Accept", browser)).to_request()).await;
    assert_eq!(reply.content_type(), "application/json");

    let refused =
        app.request(TestRequest::get().uri("/v1/articles").insert_header(("Accept", "image/png")).to_request()).await;
    assert_eq!(refused.status, StatusCode::NOT_ACCEPTABLE);
    assert_eq!(refused.content_type(), "application/problem+json");
    let detail = refused.body["detail"].as_str().unwrap();
    for (_, media_type) in FORMATS {
        assert!(detail.contains(media_type), "{detail}");
    }
    let single = app
        .request(
            TestRequest::get()
                .uri("/v1/authors/tokiwa-shin")
                .insert_header(("Accept", "application/rss+xml"))
                .to_request(),
        )
        .await;
    assert_eq!(single.status, StatusCode::NOT_ACCEPTABLE, "a single author is JSON only");
    assert!(single.body["detail"].as_str().unwrap().contains("application/json"));
    let plain = app.get("/v1/authors/tokiwa-shin").await;
    assert!(!varies_by(&plain, "Accept") && varies_by(&plain, "Accept-Encoding"), "{:?}", plain.header("vary"));

    let forced = app
        .request(TestRequest::get().uri("/v1/articles?format=atom").insert_header(("Accept", "text/csv")).to_request())
        .await;
    assert_eq!(forced.status, StatusCode::OK);
    assert_eq!(forced.content_type(), "application/atom+xml");
    let json = app.get("/v1/articles?format=json").await;
    assert_eq!(json.content_type(), "application/json");
    assert!(json.body["data"].is_array());
    assert_eq!(app.get("/v1/articles?format=pdf").await.status, StatusCode::BAD_REQUEST);
}

#[actix_web::test]
async fn feeds_describe_their_slice_and_link_to_it_absolutely() {
    let app = spawn_app().await;
    let uri = "/v1/topics/the-korean-peninsula/articles?publisher=charhar-institute&format=atom&per_page=2";
    let feed = parse(&app.get(uri).await);
    assert_eq!(feed.title.as_ref().unwrap().content, "Articles on The Korean Peninsula from The Charhar Institute");
    let rel = |rel: &str| feed.links.iter().find(|l| l.rel.as_deref() == Some(rel)).map(|l| l.href.clone());
    assert_eq!(rel("self").unwrap(), format!("http://localhost:8080{uri}"));
    let alternate = rel("alternate").unwrap();
    assert!(
        alternate.starts_with("http://localhost:8080/v1/topics/the-korean-peninsula/articles?")
            && alternate.contains("format=json")
    );
    let next = rel("next").expect("a next page");
    assert!(next.starts_with("http://") && next.contains("page=2") && next.contains("format=atom"), "{next}");
    assert!(rel("first").is_some() && rel("last").is_some());
    assert_eq!(feed.language.as_deref(), Some("en"));
    assert!(feed.generator.is_some());
    assert!(feed.updated.is_some());

    for (format, _) in FORMATS {
        let feed = parse(&app.get(&format!("/v1/articles?q=japan&type=commentary&format={format}")).await);
        let title = feed.title.as_ref().unwrap().content.clone();
        assert_eq!(title, "Commentaries matching “japan”", "{format}");
        assert!(feed.description.is_some() || *format == "atom", "{format}");
    }
}

#[actix_web::test]
async fn paging_walks_to_the_end_of_a_slice_in_every_format() {
    let app = spawn_app().await;
    let all: Vec<String> = app.json("/v1/regions/asia/articles?per_page=100").await["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| format!("urn:uuid:{}", a["uid"].as_str().unwrap()))
        .collect();
    assert!(all.len() > 6);
    for (format, _) in FORMATS {
        let mut seen = Vec::new();
        let mut next = Some(format!("/v1/regions/asia/articles?per_page=4&format={format}"));
        while let Some(uri) = next {
            let path = uri.trim_start_matches("http://localhost:8080").to_owned();
            let reply = app.get(&path).await;
            assert_eq!(reply.status, StatusCode::OK, "{path}");
            let feed = parse(&reply);
            seen.extend(feed.entries.iter().map(|e| e.id.clone()));
            next = match *format {
                // JSON Feed pages with `next_url`.
                "jsonfeed" => reply.body["next_url"].as_str().map(str::to_owned),
                _ => feed.links.iter().find(|l| l.rel.as_deref() == Some("next")).map(|l| l.href.clone()),
            };
            assert!(seen.len() <= all.len(), "{format}: paging does not end");
        }
        assert_eq!(seen, all, "{format}");
    }
    // Feeds take the same strict parameters: an empty cursor is a 400.
    let first = app.get("/v1/regions/asia/articles?per_page=4&format=rss&cursor=").await;
    assert_eq!(first.status, StatusCode::BAD_REQUEST);
}

#[actix_web::test]
async fn hostile_text_is_escaped_in_every_format() {
    let app = spawn_app().await;
    let title = "<script>alert(\"x\")</script> & 'quotes' \u{1}\u{8}\u{1b} ]]> \u{202E}RTL\u{202C} 日本語 العربية 😀";
    // (No NUL: every backend refuses it at the door; see `writes`.)
    let body = "First <b>bold</b> & ]]> paragraph\u{2}.\n\nSecond: \"quoted\" 'single' <![CDATA[x]]> 😀";
    let line = serde_json::json!({"kind": "article", "slug": "hostile-text", "title": title, "type": "news",
        "language": "en", "published_at": "2031-01-01", "publisher": "gmf",
        "summary": "A <summary> & \u{7}bell", "body": body,
        "source": {"name": "Source & <Co>", "url": "https://example.org/a?b=1&c=<2>"},
        "translation": {"original_language": "ja", "note": "Note with ]]> and <tags> & \u{1f}"}})
    .to_string();
    import_lines(&app.db, &[line]);
    let cleaned = title.replace(['\u{1}', '\u{8}', '\u{1b}'], "");
    for (format, _) in FORMATS {
        let reply = app.get(&format!("/v1/articles?published_after=2031-01-01&content=full&format={format}")).await;
        assert_eq!(reply.status, StatusCode::OK);
        let feed = parse(&reply);
        let entry = &feed.entries[0];
        assert_eq!(entry.title.as_ref().unwrap().content, cleaned, "{format}");
        let content = entry.content.as_ref().and_then(|c| c.body.clone()).unwrap_or_default();
        assert!(content.contains("First &lt;b&gt;bold&lt;/b&gt; &amp; ]]&gt; paragraph."), "{format}: {content}");
        assert!(
            content.contains("<p>Second: &quot;quoted&quot; &#39;single&#39; &lt;![CDATA[x]]&gt; 😀</p>"),
            "{format}: {content}"
        );
        assert!(content.contains("Note with ]]&gt; and &lt;tags&gt; &amp; "), "{format}: {content}");
        assert!(content.contains("Source &amp; &lt;Co&gt;"), "{format}: {content}");
        assert!(!content.contains('\u{0}') && !content.contains('\u{1f}'), "{format}");
    }
}

#[actix_web::test]
async fn content_full_carries_the_body_as_paragraphs_and_attribution_always_travels() {
    let app = spawn_app().await;
    let slug = "what-is-putins-strategy-on-japan-vigilance-needed-on-russias-peace-treaty";
    let detail = app.json(&format!("/v1/articles/{slug}")).await;
    let body = detail["body"].as_str().unwrap();
    let first_paragraph = body.split("\n\n").next().unwrap();
    let note = detail["translation"]["note"].as_str().unwrap();
    for (format, _) in FORMATS {
        let uri = format!("/v1/authors/tokiwa-shin/articles?format={format}");
        let summary = parse(&app.get(&uri).await);
        let full = parse(&app.get(&format!("{uri}&content=full")).await);
        let entry = |feed: &Feed| {
            feed.entries
                .iter()
                .find(|e| e.id == format!("urn:uuid:{}", detail["uid"].as_str().unwrap()))
                .cloned()
                .expect("the article is in the feed")
        };
        let text = |e: &feed_rs::model::Entry| {
            let mut all = e.content.as_ref().and_then(|c| c.body.clone()).unwrap_or_default();
            all.push_str(&e.summary.as_ref().map(|s| s.content.clone()).unwrap_or_default());
            all
        };
        let (short, long) = (text(&entry(&summary)), text(&entry(&full)));
        let escaped = |s: &str| {
            s.replace('&', "&amp;")
                .replace('<', "&lt;")
                .replace('>', "&gt;")
                .replace('"', "&quot;")
                .replace('\'', "&#39;")
        };
        assert!(!short.contains(&escaped(first_paragraph)), "{format}: no body without content=full");
        assert!(long.contains(&format!("<p>{}</p>", escaped(first_paragraph))), "{format}: {long}");
        for part in [escaped(note), "Distinguished Research Fellow".to_owned(), "JFIR Commentary".to_owned()] {
            assert!(short.contains(&part) && long.contains(&part), "{format}: attribution `{part}` in {short}");
        }
    }
    // content=full in JSON is include=body.
    let json = app.json("/v1/authors/tokiwa-shin/articles?content=full").await;
    assert!(json["data"][0]["body"].is_string());
}

#[actix_web::test]
async fn conditional_get_by_etag_and_by_date_and_validators_follow_changes() {
    let app = spawn_app().await;
    // A Last-Modified is a validator once its second is over.
    actix_web::rt::time::sleep(Duration::from_millis(1_100)).await;
    let uri = "/v1/topics/the-korean-peninsula/articles?format=rss";
    let first = app.get(uri).await;
    let etag = first.header("etag").unwrap().to_owned();
    let modified = first.header("last-modified").expect("Last-Modified").to_owned();
    assert!(first.header("cache-control").unwrap().contains("stale-while-revalidate"));
    assert_eq!(first.header("x-content-type-options"), Some("nosniff"));
    let by_tag =
        app.request(TestRequest::get().uri(uri).insert_header(("If-None-Match", etag.clone())).to_request()).await;
    assert_eq!(by_tag.status, StatusCode::NOT_MODIFIED);
    assert_eq!(by_tag.header("etag"), Some(etag.as_str()));
    assert_eq!(by_tag.header("last-modified"), Some(modified.as_str()));
    assert!(varies_by(&by_tag, "Accept"));
    assert_eq!(by_tag.header("x-content-type-options"), Some("nosniff"));
    let by_date = app
        .request(TestRequest::get().uri(uri).insert_header(("If-Modified-Since", modified.clone())).to_request())
        .await;
    assert_eq!(by_date.status, StatusCode::NOT_MODIFIED);
    // If-None-Match wins over If-Modified-Since.
    let both = app
        .request(
            TestRequest::get()
                .uri(uri)
                .insert_header(("If-None-Match", "W/\"0-0\""))
                .insert_header(("If-Modified-Since", modified.clone()))
                .to_request(),
        )
        .await;
    assert_eq!(both.status, StatusCode::OK);

    let line = serde_json::json!({"kind": "article", "slug": "a-new-korea-piece", "title": "A new Korea piece",
        "type": "news", "language": "en", "published_at": "2030-06-01", "publisher": "charhar-institute",
        "topics": ["the-korean-peninsula"]})
    .to_string();
    import_lines(&app.db, &[line]);
    actix_web::rt::time::sleep(Duration::from_millis(1_100)).await;
    let by_tag =
        app.request(TestRequest::get().uri(uri).insert_header(("If-None-Match", etag.clone())).to_request()).await;
    assert_eq!(by_tag.status, StatusCode::OK, "the change retires the tag");
    assert_ne!(by_tag.header("etag"), Some(etag.as_str()));
    let feed = parse(&by_tag);
    assert_eq!(feed.entries[0].title.as_ref().unwrap().content, "A new Korea piece");
    let by_date = app
        .request(TestRequest::get().uri(uri).insert_header(("If-Modified-Since", modified.clone())).to_request())
        .await;
    assert_eq!(by_date.status, StatusCode::OK, "the change moves Last-Modified");
    let newer = by_date.header("last-modified").unwrap().to_owned();
    assert_ne!(newer, modified);
    let again = app.request(TestRequest::get().uri(uri).insert_header(("If-Modified-Since", newer)).to_request()).await;
    assert_eq!(again.status, StatusCode::NOT_MODIFIED);
}

#[actix_web::test]
async fn the_spec_and_docs_are_cached_by_build() {
    let app = spawn_app().await;
    let spec = app.get("/openapi.json").await;
    let etag = spec.header("etag").expect("the spec has an ETag").to_owned();
    assert!(spec.header("cache-control").is_some());
    assert_eq!(spec.header("x-content-type-options"), Some("nosniff"));
    let again =
        app.request(TestRequest::get().uri("/openapi.json").insert_header(("If-None-Match", etag)).to_request()).await;
    assert_eq!(again.status, StatusCode::NOT_MODIFIED);
    let docs = app.get("/docs/").await;
    assert_eq!(docs.status, StatusCode::OK);
    assert!(docs.header("etag").is_some());
    // Errors carry nosniff too.
    assert_eq!(app.get("/nowhere").await.header("x-content-type-options"), Some("nosniff"));
}

#[actix_web::test]
async fn links_follow_the_host_asked_and_the_cache_never_mixes_hosts() {
    let app = spawn_app().await;
    let feed_for = |host: &'static str| {
        TestRequest::get().uri("/v1/articles?format=atom&per_page=1").insert_header(("Host", host))
    };
    let a = app.request(feed_for("a.example").to_request()).await;
    let b = app.request(feed_for("b.example").to_request()).await;
    let self_link = |r: &Reply| parse(r).links.iter().find(|l| l.rel.as_deref() == Some("self")).unwrap().href.clone();
    assert!(self_link(&a).starts_with("http://a.example/"), "{}", self_link(&a));
    assert!(self_link(&b).starts_with("http://b.example/"), "{}", self_link(&b));
    assert_ne!(a.header("etag"), b.header("etag"));
    // Entries too (each entry is rendered once per host and kept).
    for (reply, host) in [(&a, "http://a.example/"), (&b, "http://b.example/")] {
        let feed = parse(reply);
        let links = &feed.entries[0].links;
        assert!(links.iter().any(|l| l.href.starts_with(&format!("{host}v1/articles/"))), "{links:?}");
    }

    let options = commentary_api::state::ServingOptions {
        public_url: Some("https://api.example.org".to_owned()),
        ..test_options()
    };
    let configured = spawn_app_with(&options).await;
    let reply = configured.request(feed_for("c.example").to_request()).await;
    assert!(self_link(&reply).starts_with("https://api.example.org/v1/articles"), "{}", self_link(&reply));
}

#[actix_web::test]
async fn publisher_and_series_lists_take_every_list_parameter() {
    let app = spawn_app().await;
    let jfir = app.json("/v1/publishers/jfir/articles?per_page=100").await;
    let expected = crate::helpers::seed_articles_where(|a| a["publisher"] == "jfir");
    assert_eq!(
        crate::helpers::sorted(
            jfir["data"].as_array().unwrap().iter().map(|a| a["slug"].as_str().unwrap().to_owned()).collect()
        ),
        expected
    );
    let series = app.json("/v1/series/jfir-commentary/articles?per_page=100").await;
    let expected = crate::helpers::seed_articles_where(|a| a["series"] == "jfir-commentary");
    assert_eq!(
        crate::helpers::sorted(
            series["data"].as_array().unwrap().iter().map(|a| a["slug"].as_str().unwrap().to_owned()).collect()
        ),
        expected
    );
    // Filters, search and facets combine with the scope.
    let searched = app.json("/v1/publishers/jfir/articles?q=japan&facets=publisher&per_page=1").await;
    assert!(searched["meta"]["total"].as_i64().unwrap() >= 1);
    assert_eq!(searched["facets"]["publisher"].as_array().unwrap().len(), 1);
    assert_eq!(app.json("/v1/publishers/jfir/articles?publisher=gmf").await["meta"]["total"], 0);
    assert_eq!(app.get("/v1/publishers/nope/articles").await.status, StatusCode::NOT_FOUND);
    assert_eq!(app.get("/v1/series/nope/articles").await.status, StatusCode::NOT_FOUND);
}

#[actix_web::test]
async fn fields_shape_json_items_only_and_feeds_stay_whole() {
    let app = spawn_app().await;
    for format in ["rss", "atom", "jsonfeed"] {
        let uri =
            format!("/v1/topics/the-korean-peninsula/articles?format={format}&fields=id,title&include=body&q=korea");
        let reply = app.get(&uri).await;
        assert_eq!(reply.status, StatusCode::OK, "{uri}: {}", String::from_utf8_lossy(&reply.raw));
        let feed = parse(&reply);
        assert!(!feed.entries.is_empty());
        assert!(feed.entries.iter().all(|e| !e.categories.is_empty()), "{format}: entries carry their topics");
    }
}

#[actix_web::test]
async fn an_articles_feed_id_survives_an_edit() {
    let app = spawn_app().await;
    let before = app.json("/v1/articles/unchangeable-commitment").await;
    let uid = before["uid"].as_str().unwrap().to_owned();
    assert_eq!(uid, commentary_api::domain::article_uid("unchangeable-commitment"));
    let feed_uri = "/v1/articles?q=%22Unchangeable%20Commitment%22&format=rss";
    let feed_before = parse(&app.get(feed_uri).await);
    assert_eq!(feed_before.entries[0].title.as_ref().unwrap().content, "Unchangeable Commitment");
    let line = serde_json::json!({"kind": "article", "slug": "unchangeable-commitment", "title": "Unchangeable Commitment, revised",
        "type": "commentary", "language": "en", "published_at": "2020-02-19", "publisher": "charhar-institute"})
    .to_string();
    import_lines(&app.db, &[line]);
    let after = app.json("/v1/articles/unchangeable-commitment").await;
    assert_eq!(after["title"], "Unchangeable Commitment, revised");
    assert_eq!(after["uid"], uid.as_str());
    // The feed entry follows the edit (entries are kept by what they were
    // rendered from) and keeps its id.
    let feed_after = parse(&app.get(feed_uri).await);
    assert_eq!(feed_after.entries[0].title.as_ref().unwrap().content, "Unchangeable Commitment, revised");
    assert_eq!(feed_after.entries[0].id, feed_before.entries[0].id);
    assert_eq!(feed_after.entries[0].id, format!("urn:uuid:{uid}"));
}
