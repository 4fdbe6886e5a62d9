//! Full-text search on `/v1/articles`: ranking, highlights, the grammar,
//! folding and stemming, filters, sparse fields and suggestions.

use actix_web::http::StatusCode;
use serde_json::Value;

use crate::helpers::{import_lines, spawn_app};

fn article(slug: &str, title: &str, body: &str, topic: &str, date: &str) -> String {
    serde_json::json!({
        "kind": "article", "slug": slug, "title": title, "body": body, "type": "analysis", "language": "en",
        "published_at": date, "publisher": "jfir", "topics": [topic]
    })
    .to_string()
}

fn filler(words: usize) -> String {
    ["the ministry reviewed the budget and the committee met again"; 200]
        .join(" ")
        .split(' ')
        .take(words)
        .collect::<Vec<_>>()
        .join(" ")
}

fn slugs(v: &Value) -> Vec<String> {
    v["data"].as_array().unwrap().iter().map(|a| a["slug"].as_str().unwrap().to_owned()).collect()
}

#[actix_web::test]
async fn a_title_match_outranks_a_passing_mention_and_hits_carry_scores_and_highlights() {
    let app = spawn_app().await;
    import_lines(
        &app.db,
        &[
            article(
                "mention",
                "Notes on the budget",
                &format!("{} Tariffs came up once. {}", filler(300), filler(300)),
                "economic-and-trade",
                "2024-01-02",
            ),
            article(
                "about-tariffs",
                "Tariffs <and> trade",
                "The tariffs debate, in short: tariffs.",
                "economic-and-trade",
                "2023-01-02",
            ),
        ],
    );
    let reply = app.json("/v1/articles?q=tariffs").await;
    assert_eq!(slugs(&reply), ["about-tariffs", "mention"]);
    let first = &reply["data"][0];
    let second = &reply["data"][1];
    assert!(first["score"].as_f64().unwrap() > second["score"].as_f64().unwrap());
    assert_eq!(
        first["highlights"]["title"], "<mark>Tariffs</mark> &lt;and&gt; trade",
        "matches marked, the rest escaped"
    );
    assert!(second["highlights"]["title"].is_null());
    assert!(second["highlights"]["body"].as_str().unwrap().contains("<mark>Tariffs</mark> came up once"));
    assert_eq!(reply["meta"]["total"], 2);
    // Without q there is no score and no highlights.
    let plain = app.json("/v1/articles?per_page=1").await;
    assert!(plain["data"][0].get("score").is_none());
    assert!(plain["data"][0].get("highlights").is_none());
}

#[actix_web::test]
async fn grammar_folding_and_stemming() {
    let app = spawn_app().await;
    import_lines(
        &app.db,
        &[
            article("nfc", "Le plan Zbégniew", "Composed: Zbégniew.", "economic-and-trade", "2024-01-02"),
            article(
                "nfd",
                "Un autre plan Zbe\u{301}gniew",
                "Decomposed: Zbe\u{301}gniew.",
                "economic-and-trade",
                "2024-01-03",
            ),
            article(
                "talks",
                "Filibustered settlements",
                "The parties filibustered for weeks in Zürich.",
                "communication",
                "2024-01-04",
            ),
        ],
    );
    let count = |v: &Value| v["meta"]["total"].as_i64().unwrap();
    for q in ["zbegniew", "ZB%C3%89GNIEW", "zb%C3%A9gniew", "zbe%CC%81gniew"] {
        let reply = app.json(&format!("/v1/articles?q={q}")).await;
        assert_eq!(count(&reply), 2, "q={q} finds the composed and the decomposed spelling");
    }
    assert_eq!(slugs(&app.json("/v1/articles?q=filibustering").await), ["talks"], "stems match");
    assert_eq!(slugs(&app.json("/v1/articles?q=zurich").await), ["talks"], "accents fold");
    // Phrases, OR, exclusions and field scopes.
    assert_eq!(count(&app.json("/v1/articles?q=%22secret%20meeting%22").await), 1);
    assert_eq!(count(&app.json("/v1/articles?q=%22meeting%20secret%22").await), 0, "a phrase keeps its order");
    let either = count(&app.json("/v1/articles?q=zbegniew%20OR%20filibustered").await);
    assert_eq!(either, 3);
    let putin = count(&app.json("/v1/articles?q=putin").await);
    let putin_not_suga = count(&app.json("/v1/articles?q=putin%20-suga").await);
    assert!(putin_not_suga < putin, "{putin_not_suga} < {putin}");
    assert_eq!(slugs(&app.json("/v1/articles?q=title:filibustered").await), ["talks"]);
    assert_eq!(count(&app.json("/v1/articles?q=title:weeks").await), 0, "`weeks` is only in the body");
    assert_eq!(count(&app.json("/v1/articles?q=body:weeks").await), 1);
}

#[actix_web::test]
async fn search_combines_with_filters_and_sorts() {
    let app = spawn_app().await;
    let all = app.json("/v1/articles?q=japan&per_page=100").await;
    let jfir = app.json("/v1/articles?q=japan&publisher=jfir&per_page=100").await;
    let expected: Vec<&Value> =
        all["data"].as_array().unwrap().iter().filter(|a| a["publisher"]["slug"] == "jfir").collect();
    assert_eq!(jfir["meta"]["total"], expected.len() as i64);
    let no_russia = app.json("/v1/articles?q=japan&region=!russia&per_page=100").await;
    assert!(no_russia["data"].as_array().unwrap().iter().all(|a| !a["regions"]
        .as_array()
        .unwrap()
        .iter()
        .any(|r| r["slug"] == "russia")));
    let newest = app.json("/v1/articles?q=japan&sort=-published_at&per_page=100").await;
    let dates: Vec<&str> =
        newest["data"].as_array().unwrap().iter().map(|a| a["published_at"].as_str().unwrap()).collect();
    assert!(dates.windows(2).all(|w| w[0] >= w[1]), "{dates:?}");
    // The same articles as by relevance, and the same total.
    let ids = |page: &Value| {
        let mut ids: Vec<i64> = page["data"].as_array().unwrap().iter().map(|a| a["id"].as_i64().unwrap()).collect();
        ids.sort();
        ids
    };
    assert_eq!(ids(&newest), ids(&all));
    assert_eq!(newest["meta"]["total"], all["meta"]["total"]);
    let oldest_jfir = app.json("/v1/articles?q=japan&publisher=jfir&sort=published_at&per_page=100").await;
    assert_eq!(ids(&oldest_jfir), ids(&jfir));
    assert_eq!(oldest_jfir["meta"]["total"], jfir["meta"]["total"]);
    let by_title = app.json("/v1/articles?q=japan&sort=title&per_page=100").await;
    let titles: Vec<&str> = by_title["data"].as_array().unwrap().iter().map(|a| a["title"].as_str().unwrap()).collect();
    let mut sorted = titles.clone();
    sorted.sort();
    assert_eq!(titles, sorted);
    let scoped = app.json("/v1/topics/the-korean-peninsula/articles?q=dprk").await;
    assert!(scoped["meta"]["total"].as_i64().unwrap() >= 1);
    assert!(scoped["data"].as_array().unwrap().iter().all(|a| a["topics"]
        .as_array()
        .unwrap()
        .iter()
        .any(|t| t["slug"] == "the-korean-peninsula")));
}

#[actix_web::test]
async fn malformed_queries_are_400_naming_q_whatever_the_bytes() {
    let app = spawn_app().await;
    for q in ["%22unclosed", "OR", "japan%20OR", "%22%22", "ab%22c%20d%22", "a%20OR%20-b", &"x".repeat(501)] {
        let reply = app.get(&format!("/v1/articles?q={q}")).await;
        assert_eq!(reply.status, StatusCode::BAD_REQUEST, "q={q}: {}", reply.body);
        assert_eq!(reply.invalid_param_names(), ["q"], "q={q}");
    }
    // Punctuation only is well-formed and finds nothing.
    assert_eq!(app.json("/v1/articles?q=%21%21%21").await["meta"]["total"], 0);
    // Arbitrary bytes: never a server error.
    let mut state = 0x2545F4914F6CDD1Du64;
    for _ in 0..300 {
        let len = (state % 40) as usize;
        let mut q = String::new();
        for _ in 0..len {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            q.push_str(&format!("%{:02X}", state % 256));
        }
        let reply = app.get(&format!("/v1/articles?q={q}&per_page=1")).await;
        assert!(reply.status == StatusCode::OK || reply.status == StatusCode::BAD_REQUEST, "q={q}: {}", reply.status);
    }
    // Without words every article is equally relevant: newest first.
    let relevance_without_q = app.json("/v1/articles?sort=relevance&per_page=100").await;
    assert_eq!(relevance_without_q["data"], app.json("/v1/articles?per_page=100").await["data"]);
}

#[actix_web::test]
async fn sparse_fields_and_bodies() {
    let app = spawn_app().await;
    let reply = app.json("/v1/articles?fields=id,title,published_at,authors&per_page=3").await;
    for item in reply["data"].as_array().unwrap() {
        let mut keys: Vec<&str> = item.as_object().unwrap().keys().map(String::as_str).collect();
        keys.sort();
        assert_eq!(keys, ["authors", "id", "published_at", "title"]);
    }
    let bodies = app.json("/v1/articles?author=tokiwa-shin&include=body").await;
    assert!(bodies["data"][0]["body"].as_str().unwrap().contains("Northern Territories"));
    assert!(bodies["data"][0]["topics"].is_array(), "include adds to the default fields");
    let listing_only = app.json("/v1/articles?type=book&include=body&fields=id,body&per_page=1").await;
    assert_eq!(listing_only["data"][0]["body"], Value::Null, "a listing-only article has a null body");
    let bad = app.get("/v1/articles?fields=id,colour").await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
    assert_eq!(bad.invalid_param_names(), ["fields"]);
    assert_eq!(app.get("/v1/articles?include=authors").await.invalid_param_names(), ["include"]);
}

#[actix_web::test]
async fn suggestions_for_a_search_box() {
    let app = spawn_app().await;
    let s = app.json("/v1/suggest?q=strategy%20on%20jap").await;
    assert_eq!(s["articles"][0]["slug"], "what-is-putins-strategy-on-japan-vigilance-needed-on-russias-peace-treaty");
    let s = app.json("/v1/suggest?q=Sug").await;
    assert_eq!(s["authors"][0]["slug"], "sugita-hiroki");
    let s = app.json("/v1/suggest?q=kor").await;
    assert!(s["topics"].as_array().unwrap().iter().any(|t| t["slug"] == "the-korean-peninsula"));
    assert!(s["regions"].as_array().unwrap().iter().any(|r| r["slug"] == "south-korea"));
    let s = app.json("/v1/suggest?q=JAP&limit=2").await;
    assert_eq!(s["articles"].as_array().unwrap().len(), 2, "prefix, case ignored");
    assert_eq!(app.get("/v1/suggest").await.invalid_param_names(), ["q"]);
    assert_eq!(app.get("/v1/suggest?q=a&limit=11").await.invalid_param_names(), ["limit"]);
    assert_eq!(app.get("/v1/suggest?q=&limit=0").await.invalid_param_names(), ["q", "limit"]);
}

#[actix_web::test]
async fn long_bodies_are_highlighted_where_they_match_early_or_only_late() {
    let app = spawn_app().await;
    let long = filler(1_500);
    assert!(long.len() > 2 * commentary_api::search::highlight::BODY_OPENING_BYTES);
    // Words longer than the reader's guess (8 characters a word): the body
    // is read again, further, to reach the match.
    let wordy = ["internationalisation"; 1_200].join(" ");
    import_lines(
        &app.db,
        &[
            article(
                "late",
                "A long report",
                &format!("{long} Embargoes came up at the very end."),
                "economic-and-trade",
                "2024-01-02",
            ),
            article(
                "both",
                "Another long report",
                &format!("Sanctions opened it. {long} Sanctions closed it."),
                "economic-and-trade",
                "2024-01-03",
            ),
            article(
                "wordy",
                "A wordy report",
                &format!("{wordy} Embargoes again."),
                "economic-and-trade",
                "2024-01-04",
            ),
            article("titled", "Embargoes in the title only", &long, "economic-and-trade", "2024-01-05"),
        ],
    );
    let late = app.json("/v1/articles?q=embargoes&sort=published_at").await;
    assert_eq!(slugs(&late), ["late", "wordy", "titled"]);
    let body = |item: &Value| item["highlights"]["body"].clone();
    // A late match is shown after a few of the words leading up to it.
    let snippet = body(&late["data"][0]);
    let snippet = snippet.as_str().unwrap();
    assert!(snippet.contains("<mark>Embargoes</mark> came up at the very end"), "{snippet}");
    assert!(snippet.starts_with(|c: char| c.is_alphabetic()) && !snippet.starts_with("<mark>"), "{snippet}");
    assert!(snippet.find("<mark>").unwrap() <= 60, "{snippet}");
    let snippet = body(&late["data"][1]);
    assert!(snippet.as_str().unwrap().contains("internationalisation <mark>Embargoes</mark> again"), "{snippet}");
    // A body without the word gives no body snippet; the title has one.
    assert!(body(&late["data"][2]).is_null(), "{late}");
    assert_eq!(late["data"][2]["highlights"]["title"], "<mark>Embargoes</mark> in the title only");
    let both = app.json("/v1/articles?q=sanctions").await;
    let item = both["data"].as_array().unwrap().iter().find(|a| a["slug"] == "both").expect("found");
    let snippet = body(item);
    assert!(snippet.as_str().unwrap().starts_with("<mark>Sanctions</mark> opened it"), "{snippet}");
    // The same snippets when the page shows whole bodies.
    let whole = app.json("/v1/articles?q=embargoes&sort=published_at&include=body").await;
    for (a, b) in late["data"].as_array().unwrap().iter().zip(whole["data"].as_array().unwrap()) {
        assert_eq!(a["highlights"], b["highlights"]);
    }
}
