//! `/v1/articles`: lists, filters, sorts, pages, and single articles.

use actix_web::http::StatusCode;
use serde_json::Value;

use crate::helpers::{seed_articles_where, sorted, spawn_app};

fn has(v: &Value, field: &str, slug: &str) -> bool {
    v[field].as_array().is_some_and(|a| a.iter().any(|x| x == slug || x["author"] == slug))
}

#[actix_web::test]
async fn lists_newest_first_with_envelope_and_headers() {
    let app = spawn_app().await;
    let reply = app.get("/v1/articles").await;
    assert_eq!(reply.status, StatusCode::OK);
    assert_eq!(reply.content_type(), "application/json");
    let all = seed_articles_where(|_| true);
    assert_eq!(reply.header("x-total-count"), Some(all.len().to_string().as_str()));
    assert_eq!(reply.body["meta"]["total"], all.len() as i64);
    assert_eq!(reply.body["meta"]["per_page"], 20);
    assert_eq!(reply.body["meta"]["total_pages"], 2);
    let data = reply.body["data"].as_array().unwrap();
    assert_eq!(data.len(), 20);
    let dates: Vec<&str> = data.iter().map(|a| a["published_at"].as_str().unwrap()).collect();
    assert!(dates.windows(2).all(|w| w[0] >= w[1]), "newest first: {dates:?}");
    assert_eq!(dates[0], "2022-06-09T00:00:00Z");
    // Summaries carry relations but not the body.
    assert!(data[0].get("body").is_none());
    assert!(data[0]["publisher"]["slug"].is_string());
    let link = reply.header("link").unwrap();
    assert!(link.contains("</v1/articles?page=2>; rel=\"next\""), "{link}");
    assert!(link.contains("rel=\"last\""));
    assert_eq!(reply.body["links"]["next"], "/v1/articles?page=2");
    assert_eq!(reply.body["links"]["prev"], Value::Null);
}

#[actix_web::test]
async fn topic_filter_returns_exactly_the_articles_filed_there() {
    let app = spawn_app().await;
    let expected = seed_articles_where(|a| has(a, "topics", "the-korean-peninsula"));
    assert_eq!(expected.len(), 4, "{expected:?}");
    let reply = app.get("/v1/articles?topic=the-korean-peninsula").await;
    assert_eq!(sorted(reply.slugs()), expected);
    assert_eq!(reply.header("x-total-count"), Some("4"));
    // The same through the topic's own list.
    let scoped = app.get("/v1/topics/the-korean-peninsula/articles").await;
    assert_eq!(scoped.slugs(), reply.slugs());
}

#[actix_web::test]
async fn region_filter_includes_descendants() {
    let app = spawn_app().await;
    let asia = app.all_slugs("/v1/articles?region=asia&per_page=100").await;
    let japan = app.all_slugs("/v1/articles?region=japan").await;
    assert!(!japan.is_empty());
    for slug in &japan {
        assert!(asia.contains(slug), "{slug} is filed under Japan, so under Asia too");
    }
    let direct_asia = seed_articles_where(|a| has(a, "regions", "asia"));
    for slug in &direct_asia {
        assert!(asia.contains(slug));
    }
    let region = app.json("/v1/regions/asia").await;
    assert_eq!(region["article_count"], asia.len() as i64);
    // The list item shows the regions the article names, not their ancestors.
    let item = app.json("/v1/articles?region=japan&author=tokiwa-shin").await;
    let regions: Vec<&str> =
        item["data"][0]["regions"].as_array().unwrap().iter().map(|r| r["slug"].as_str().unwrap()).collect();
    assert_eq!(regions, ["japan", "russia"]);
}

#[actix_web::test]
async fn values_of_one_filter_are_or_and_filters_are_and() {
    let app = spawn_app().await;
    let korea = app.all_slugs("/v1/articles?topic=the-korean-peninsula").await;
    let russia = app.all_slugs("/v1/articles?topic=japan-russia-relations").await;
    let either = app.all_slugs("/v1/articles?topic=the-korean-peninsula,japan-russia-relations").await;
    assert_eq!(sorted(either), sorted([korea.clone(), russia].concat()));
    let both = app.all_slugs("/v1/articles?topic=the-korean-peninsula&publisher=jfir").await;
    assert_eq!(both, ["who-knows-whether-china-supports-the-kim-regime-to-the-end"]);
    let excluded = app.all_slugs("/v1/articles?publisher=jfir&topic=!the-korean-peninsula").await;
    assert_eq!(excluded.len(), 5);
    assert!(!excluded.contains(&both[0]));
}

#[actix_web::test]
async fn author_filter_and_affiliation_at_the_time() {
    let app = spawn_app().await;
    let reply = app.get("/v1/articles?author=tokiwa-shin").await;
    assert_eq!(reply.slugs(), ["what-is-putins-strategy-on-japan-vigilance-needed-on-russias-peace-treaty"]);
    let byline = &reply.body["data"][0]["authors"][0];
    assert_eq!(byline["name"], "TOKIWA Shin");
    assert_eq!(byline["role"], "author");
    assert_eq!(byline["affiliation"], "Distinguished Research Fellow, JFIR / Deputy Foreign Editor of Tokyo Shimbun");
    // Editors count as contributors too.
    let edited = app.get("/v1/authors/kang-sijun/articles").await;
    assert_eq!(edited.slugs(), ["japan-to-seek-greater-regional-autonomy-through-secret-meeting-with-dprk"]);
}

#[actix_web::test]
async fn type_language_publisher_series_filters() {
    let app = spawn_app().await;
    let books = app.all_slugs("/v1/articles?type=book").await;
    assert_eq!(sorted(books), seed_articles_where(|a| a["type"] == "book"));
    let news_or_reports = app.all_slugs("/v1/articles?type=news,report").await;
    assert_eq!(sorted(news_or_reports), seed_articles_where(|a| a["type"] == "news" || a["type"] == "report"));
    assert_eq!(app.get("/v1/articles?language=en").await.total(), 37);
    assert_eq!(app.get("/v1/articles?language=ja").await.total(), 0);
    let jfir = app.all_slugs("/v1/articles?series=jfir-commentary").await;
    assert_eq!(sorted(jfir.clone()), seed_articles_where(|a| a["series"] == "jfir-commentary"));
    assert_eq!(sorted(app.all_slugs("/v1/articles?publisher=jfir").await), sorted(jfir));
    let not_series = app.get("/v1/articles?series=!jfir-commentary").await.total();
    assert_eq!(not_series, 37 - 6, "articles without a series are kept by a negated series");
}

#[actix_web::test]
async fn date_bounds_are_inclusive_days() {
    let app = spawn_app().await;
    let on_day = app.all_slugs("/v1/articles?published_after=2022-03-03&published_before=2022-03-03").await;
    assert_eq!(on_day.len(), 2, "two articles were published on 2022-03-03: {on_day:?}");
    let year = app.all_slugs("/v1/articles?published_after=2021-01-01&published_before=2021-12-31&per_page=100").await;
    assert_eq!(sorted(year), seed_articles_where(|a| a["published_at"].as_str().unwrap().starts_with("2021")));
    let instant = app.get("/v1/articles?published_after=2022-06-09T00:00:01Z").await;
    assert_eq!(instant.total(), 0);
}

#[actix_web::test]
async fn sorts_and_pages() {
    let app = spawn_app().await;
    let titles = |v: &Value| -> Vec<String> {
        v["data"].as_array().unwrap().iter().map(|a| a["title"].as_str().unwrap().to_owned()).collect()
    };
    let asc = titles(&app.json("/v1/articles?sort=title&per_page=100").await);
    let mut expected = asc.clone();
    expected.sort();
    assert_eq!(asc, expected);
    let desc = titles(&app.json("/v1/articles?sort=-title&per_page=100").await);
    assert_eq!(desc, asc.iter().rev().cloned().collect::<Vec<_>>());
    let oldest = app.json("/v1/articles?sort=published_at&per_page=1").await;
    assert_eq!(oldest["data"][0]["published_at"], "2018-06-20T00:00:00Z");
    let updated = app.json("/v1/articles?sort=-updated_at&per_page=1").await;
    assert_eq!(updated["data"][0]["updated_at"], "2022-06-09T00:00:00Z");

    // Pages partition the list, and links keep the other parameters.
    let all = app.all_slugs("/v1/articles?per_page=100").await;
    let paged = app.all_slugs("/v1/articles?per_page=7&sort=-published_at").await;
    assert_eq!(paged, all);
    let page = app.get("/v1/articles?per_page=7&page=3&type=commentary").await;
    assert_eq!(page.body["links"]["prev"], "/v1/articles?per_page=7&type=commentary&page=2");
    assert_eq!(page.body["links"]["first"], "/v1/articles?per_page=7&type=commentary&page=1");
    let beyond = app.get("/v1/articles?page=99").await;
    assert_eq!(beyond.status, StatusCode::OK);
    assert_eq!(beyond.body["data"].as_array().unwrap().len(), 0);
    assert_eq!(beyond.body["links"]["next"], Value::Null);
}

#[actix_web::test]
async fn one_article_in_full() {
    let app = spawn_app().await;
    let slug = "japan-to-seek-greater-regional-autonomy-through-secret-meeting-with-dprk";
    let a = app.json(&format!("/v1/articles/{slug}")).await;
    assert_eq!(a["title"], "Japan to Seek Greater Regional Autonomy through Secret Meeting with DPRK");
    assert_eq!(a["published_at"], "2018-09-05T00:00:00Z");
    assert_eq!(a["body_status"], "full");
    let body = a["body"].as_str().unwrap();
    assert!(body.starts_with("According to The Washington Post"));
    assert!(body.split("\n\n").count() > 10, "paragraphs kept");
    let roles: Vec<(&str, &str)> = a["authors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| (c["name"].as_str().unwrap(), c["role"].as_str().unwrap()))
        .collect();
    assert_eq!(roles, [("Wang Peng", "author"), ("Liang Chenglu", "executive_editor"), ("Kang Sijun", "editor")]);
    assert_eq!(a["source"]["name"], "CGTN");
    assert_eq!(a["source"]["published_on"], "2018-09-02");
    assert!(a["source"]["url"].as_str().unwrap().starts_with("https://news.cgtn.com/"));
    assert_eq!(a["figures"].as_array().unwrap().len(), 3);
    assert_eq!(a["figures"][0]["credit"], "VCG Photo");
    assert_eq!(a["translation"], Value::Null);

    // By id, the same article.
    let by_id = app.json(&format!("/v1/articles/{}", a["id"])).await;
    assert_eq!(by_id, a);

    let olympics =
        app.json("/v1/articles/what-japan-should-do-for-the-tokyo-olympics-now-is-the-time-for-japans-insight").await;
    let t = &olympics["translation"];
    assert_eq!(t["original_language"], "ja");
    assert_eq!(t["original_published_on"], "2021-03-31");
    assert_eq!(t["original_date_text"], "March 31 & April 1, 2021");
    assert!(t["original_venue"].as_str().unwrap().contains("Hyakka-Seiho"));
    assert!(t["note"]
        .as_str()
        .unwrap()
        .starts_with("(This is the English translation of an article written by WATANABE Hirotaka"));
    assert!(olympics["references"][0]["citation"].as_str().unwrap().contains("GFJ Commentary, No. 90"));

    let cut = app.json("/v1/articles?per_page=100").await;
    let truncated: Vec<&Value> =
        cut["data"].as_array().unwrap().iter().filter(|a| a["title_truncated"] == true).collect();
    assert!(truncated.iter().all(|a| a["title"].as_str().unwrap().ends_with("...")));
    assert_eq!(truncated.len(), 5);
}

#[actix_web::test]
async fn deep_pages_agree_with_the_whole_list_in_any_order() {
    // The test app keeps page anchors every 3 rows, so these pages are
    // reached by keyset seeks from remembered anchors.
    let app = spawn_app().await;
    for sort in ["-published_at", "published_at", "title", "-title", "-updated_at"] {
        for filter in ["", "&region=asia", "&type=commentary", "&topic=!the-korean-peninsula"] {
            let whole = app.all_slugs(&format!("/v1/articles?per_page=100&sort={sort}{filter}")).await;
            for per_page in [2usize, 5, 7] {
                let pages = whole.len().div_ceil(per_page);
                // Deepest first, so anchors are built by one walk, then reused.
                for page in (1..=pages + 1).rev() {
                    let reply =
                        app.get(&format!("/v1/articles?per_page={per_page}&page={page}&sort={sort}{filter}")).await;
                    let start = ((page - 1) * per_page).min(whole.len());
                    let end = (start + per_page).min(whole.len());
                    assert_eq!(reply.slugs(), whole[start..end], "sort={sort}{filter} per_page={per_page} page={page}");
                }
            }
        }
    }
}
