//! Facets and histograms agree exactly with the totals of the lists they
//! stand for, over random filter combinations (a property test).

use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use serde_json::Value;

use crate::helpers::{import_lines, spawn_app, spawn_synthetic_app};

const DIMS: [&str; 8] = ["topic", "region", "author", "publisher", "series", "type", "language", "year"];

/// `params` with `name`'s value replaced by `value` (for `year`, the date
/// bounds of that year).
fn with(params: &[(String, String)], name: &str, value: &str) -> String {
    let mut out: Vec<(String, String)> = params
        .iter()
        .filter(|(k, _)| if name == "year" { k != "published_after" && k != "published_before" } else { k != name })
        .cloned()
        .collect();
    if name == "year" {
        out.push(("published_after".into(), format!("{value}-01-01")));
        out.push(("published_before".into(), format!("{value}-12-31")));
    } else {
        out.push((name.into(), value.into()));
    }
    query(&out)
}

fn query(params: &[(String, String)]) -> String {
    let mut s = form_urlencoded::Serializer::new(String::new());
    for (k, v) in params {
        s.append_pair(k, v);
    }
    s.finish()
}

fn values(list: &Value) -> Vec<String> {
    list["data"].as_array().unwrap().iter().map(|x| x["slug"].as_str().unwrap().to_owned()).collect()
}

#[actix_web::test]
async fn facet_counts_equal_the_totals_of_the_lists_they_stand_for() {
    let app = spawn_synthetic_app(400).await;
    let checked = facets_agree_with_totals(&app, 4242, 24).await;
    assert!(checked > 150, "only {checked} facet values checked");
}

/// Facet counts and totals are counted on the index's bitmaps (totals when
/// the index has caught up): after deletions (documents dead in old
/// segments) and further writes (new segments), they still equal what the
/// lists hold, item by item.
#[actix_web::test]
async fn facet_counts_and_totals_stay_exact_across_writes_and_deletions() {
    use actix_web::http::{Method, StatusCode};
    use commentary_api::domain::KeyScope;

    use crate::writes::{mint, Call};

    let app = spawn_synthetic_app(300).await;
    let admin = mint(&app.db, KeyScope::Admin);
    let before = app.json("/v1/articles?per_page=1").await["meta"]["total"].as_i64().unwrap();
    let ids: Vec<i64> =
        app.all_items("/v1/articles?fields=id").await.iter().map(|a| a["id"].as_i64().unwrap()).collect();
    for id in ids.iter().step_by(13) {
        let uri = format!("/v1/articles/{id}");
        let tag = app.tagged(&uri).await.1;
        let reply = app.call(Call::new(Method::DELETE, &uri, &admin).if_match(&tag)).await;
        assert_eq!(reply.status, StatusCode::NO_CONTENT, "{}", reply.body);
    }
    let deleted = ids.iter().step_by(13).count() as i64;
    // Let the index catch up, then every count is checked against the lists.
    app.state
        .search
        .wait_for(app.state.caches.snapshot(&app.state.pool).version, std::time::Duration::from_secs(10))
        .await;
    assert_eq!(app.json("/v1/articles?per_page=1").await["meta"]["total"].as_i64().unwrap(), before - deleted);
    let checked = facets_agree_with_totals(&app, 77, 12).await;
    assert!(checked > 60, "only {checked} facet values checked");
}

/// A common word's matches are kept per segment once seen (over 1,024 of
/// a segment's articles); deleting some of them afterwards takes them out
/// of its total, its facets and its newest-first list at once.
#[actix_web::test]
async fn a_common_words_kept_matches_follow_deletions() {
    use actix_web::http::{Method, StatusCode};
    use commentary_api::domain::KeyScope;

    use crate::writes::{mint, Call};

    let app = spawn_synthetic_app(2_500).await;
    let admin = mint(&app.db, KeyScope::Admin);
    let uri = "/v1/articles?q=policy&facets=year,publisher&facet_size=100&sort=-published_at&per_page=5&fields=id";
    let before = app.json(uri).await;
    let total = before["meta"]["total"].as_i64().unwrap();
    assert!(total > 2_000, "a common word: {total}");
    let sum = |reply: &Value, dim: &str| -> i64 {
        reply["facets"][dim].as_array().unwrap().iter().map(|v| v["count"].as_i64().unwrap()).sum()
    };
    assert_eq!(sum(&before, "publisher"), total);
    let newest: Vec<i64> = before["data"].as_array().unwrap().iter().map(|a| a["id"].as_i64().unwrap()).collect();
    for id in &newest[..3] {
        let item = format!("/v1/articles/{id}");
        let tag = app.tagged(&item).await.1;
        let reply = app.call(Call::new(Method::DELETE, &item, &admin).if_match(&tag)).await;
        assert_eq!(reply.status, StatusCode::NO_CONTENT, "{}", reply.body);
    }
    app.state
        .search
        .wait_for(app.state.caches.snapshot(&app.state.pool).version, std::time::Duration::from_secs(10))
        .await;
    let after = app.json(uri).await;
    assert_eq!(after["meta"]["total"].as_i64().unwrap(), total - 3);
    assert_eq!(sum(&after, "publisher"), total - 3);
    assert_eq!(sum(&after, "year"), total - 3);
    let listed: Vec<i64> = after["data"].as_array().unwrap().iter().map(|a| a["id"].as_i64().unwrap()).collect();
    assert_eq!(listed[..2], newest[3..], "the deleted ones are gone from the newest");
    let items = app.all_items("/v1/articles?q=policy&sort=-published_at&fields=id").await;
    assert_eq!(items.len() as i64, total - 3);
}

/// Random filter combinations (a third with words): each facet value's
/// count equals the total of the list choosing it, the histogram adds up to
/// the total, and a list without words holds as many items as its total.
/// Returns the facet values checked.
async fn facets_agree_with_totals<S, B>(app: &crate::helpers::TestApp<S>, seed: u64, rounds: usize) -> usize
where
    S: actix_web::dev::Service<
        actix_http::Request,
        Response = actix_web::dev::ServiceResponse<B>,
        Error = actix_web::Error,
    >,
    B: actix_web::body::MessageBody,
{
    let topics = values(&app.json("/v1/topics?per_page=100").await);
    let regions = values(&app.json("/v1/regions?per_page=100").await);
    let authors = values(&app.json("/v1/authors?per_page=100&sort=-article_count").await);
    let publishers = values(&app.json("/v1/publishers").await);
    let words = ["policy", "security", "economic", "government", "alliance"];
    let mut rng = StdRng::seed_from_u64(seed);
    let mut checked = 0;
    for round in 0..rounds {
        let mut params: Vec<(String, String)> = Vec::new();
        let pick = |rng: &mut StdRng, list: &[String]| list[rng.random_range(0..list.len())].clone();
        let maybe = |rng: &mut StdRng| rng.random_bool(0.4);
        if maybe(&mut rng) {
            params.push(("topic".into(), pick(&mut rng, &topics)));
        }
        if maybe(&mut rng) {
            let r = pick(&mut rng, &regions);
            params.push(("region".into(), if rng.random_bool(0.3) { format!("!{r}") } else { r }));
        }
        if maybe(&mut rng) {
            params.push(("author".into(), pick(&mut rng, &authors[..20])));
        }
        if maybe(&mut rng) {
            params.push(("publisher".into(), pick(&mut rng, &publishers)));
        }
        if maybe(&mut rng) {
            params.push(("type".into(), ["commentary", "analysis", "news", "!news"][rng.random_range(0..4)].into()));
        }
        if maybe(&mut rng) {
            let from = rng.random_range(2000..2024);
            params.push(("published_after".into(), format!("{from}-01-01")));
            params.push(("published_before".into(), format!("{}-06-30", from + rng.random_range(0..3))));
        }
        let with_words = round % 3 == 0;
        if with_words {
            params.push(("q".into(), words[rng.random_range(0..words.len())].into()));
        }
        let base = query(&params);
        let reply = app
            .json(&format!("/v1/articles?{base}&facets={}&facet_size=4&histogram=year&per_page=1", DIMS.join(",")))
            .await;
        let total = reply["meta"]["total"].as_i64().unwrap();
        let histogram_sum: i64 =
            reply["histogram"]["buckets"].as_array().unwrap().iter().map(|b| b["count"].as_i64().unwrap()).sum();
        assert_eq!(histogram_sum, total, "histogram of {base}");
        if !with_words {
            let items =
                app.all_items(&format!("/v1/articles?{base}{}fields=id", if base.is_empty() { "" } else { "&" })).await;
            assert_eq!(items.len() as i64, total, "items of ?{base}");
        }
        for dim in DIMS {
            for value in reply["facets"][dim].as_array().unwrap() {
                let slug = value["slug"].as_str().unwrap();
                let list = app.json(&format!("/v1/articles?{}&per_page=1", with(&params, dim, slug))).await;
                assert_eq!(
                    value["count"].as_i64().unwrap(),
                    list["meta"]["total"].as_i64().unwrap(),
                    "facet {dim}={slug} of ?{base}"
                );
                checked += 1;
            }
        }
    }
    checked
}

#[actix_web::test]
async fn histogram_buckets_list_their_articles() {
    let app = spawn_synthetic_app(200).await;
    let topic = values(&app.json("/v1/topics?per_page=1").await).remove(0);
    let reply = app.json(&format!("/v1/articles?histogram=month&topic=!{topic}&per_page=1")).await;
    let buckets = reply["histogram"]["buckets"].as_array().unwrap();
    assert_eq!(reply["histogram"]["interval"], "month");
    let keys: Vec<&str> = buckets.iter().map(|b| b["key"].as_str().unwrap()).collect();
    let mut sorted = keys.clone();
    sorted.sort();
    assert_eq!(keys, sorted);
    for bucket in buckets.iter().take(12) {
        let list = app
            .json(&format!(
                "/v1/articles?topic=!{topic}&published_after={}&published_before={}&per_page=1",
                bucket["from"].as_str().unwrap(),
                bucket["to"].as_str().unwrap()
            ))
            .await;
        assert_eq!(list["meta"]["total"], bucket["count"], "{}", bucket["key"]);
    }
}

fn facet_count(page: &Value, dim: &str, slug: &str) -> u64 {
    page["facets"][dim]
        .as_array()
        .unwrap()
        .iter()
        .find(|v| v["slug"] == slug)
        .map_or(0, |v| v["count"].as_u64().unwrap())
}

#[actix_web::test]
async fn whole_corpus_counts_follow_new_articles() {
    let app = spawn_app().await;
    // The topic facet of a topic-filtered list counts topics over every
    // article (its own filter is left out), as does an unfiltered list.
    let filtered = "/v1/articles?topic=the-korean-peninsula&facets=topic,type&facet_size=100";
    let unfiltered = "/v1/articles?facets=topic,type&facet_size=100";
    let before = app.json(filtered).await;
    let all_before = app.json(unfiltered).await;
    let korea = facet_count(&before, "topic", "the-korean-peninsula");
    assert_eq!(korea, before["meta"]["total"].as_u64().unwrap());
    assert_eq!(facet_count(&all_before, "topic", "the-korean-peninsula"), korea);
    import_lines(
        &app.db,
        &[r#"{"kind":"article","slug":"a-new-korea-note","title":"A new Korea note","type":"news","language":"en","published_at":"2024-05-01","publisher":"charhar-institute","topics":["the-korean-peninsula","belt-and-road-initiative"]}"#.to_owned()],
    );
    let after = app.json(filtered).await;
    let all_after = app.json(unfiltered).await;
    assert_eq!(facet_count(&after, "topic", "the-korean-peninsula"), korea + 1);
    assert_eq!(facet_count(&all_after, "topic", "the-korean-peninsula"), korea + 1);
    assert_eq!(
        facet_count(&after, "topic", "belt-and-road-initiative"),
        facet_count(&before, "topic", "belt-and-road-initiative") + 1
    );
    assert_eq!(facet_count(&all_after, "type", "news"), facet_count(&all_before, "type", "news") + 1);
}

#[actix_web::test]
async fn a_scoped_list_counts_its_own_dimension_within_the_scope() {
    let app = spawn_app().await;
    let scope = "/v1/topics/the-korean-peninsula/articles";
    let scoped_total = app.json(scope).await["meta"]["total"].as_u64().unwrap();
    let page = app.json(&format!("{scope}?topic=belt-and-road-initiative&facets=topic&facet_size=100")).await;
    // The topic filter is left out of the topic counts, the path's topic is not.
    assert_eq!(facet_count(&page, "topic", "the-korean-peninsula"), scoped_total);
    for value in page["facets"]["topic"].as_array().unwrap() {
        let slug = value["slug"].as_str().unwrap();
        let list = app.json(&format!("{scope}?topic={slug}")).await;
        assert_eq!(value["count"], list["meta"]["total"], "{slug}");
    }
}

/// Facet values are named as the store names them now: a renamed topic
/// (names are kept in memory per data version) shows its new slug and name
/// in the very next facet request.
#[actix_web::test]
async fn facet_values_follow_a_rename() {
    use actix_web::http::{Method, StatusCode};
    use commentary_api::domain::KeyScope;

    use crate::writes::{mint, Call};

    let app = spawn_app().await;
    let uri = "/v1/articles?facets=topic&facet_size=100";
    let before = app.json(uri).await;
    let korea = facet_count(&before, "topic", "the-korean-peninsula");
    assert!(korea > 0);
    let key = mint(&app.db, KeyScope::Admin);
    let tag = app.tagged("/v1/topics/the-korean-peninsula").await.1;
    let patch = serde_json::json!({"slug": "korea", "name": "Korea"});
    let reply =
        app.call(Call::new(Method::PATCH, "/v1/topics/the-korean-peninsula", &key).if_match(&tag).json(&patch)).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    let after = app.json(uri).await;
    assert_eq!(facet_count(&after, "topic", "the-korean-peninsula"), 0);
    assert_eq!(facet_count(&after, "topic", "korea"), korea);
    let named = after["facets"]["topic"].as_array().unwrap().iter().find(|v| v["slug"] == "korea").unwrap();
    assert_eq!(named["name"], "Korea");
}
