//! Authors, regions, topics, publishers and series.

use actix_web::http::StatusCode;
use serde_json::Value;

use crate::helpers::{seed_articles_where, spawn_app};

fn names(v: &Value) -> Vec<String> {
    v["data"].as_array().unwrap().iter().map(|a| a["name"].as_str().unwrap().to_owned()).collect()
}

#[actix_web::test]
async fn authors_by_name_prefix_with_counts() {
    let app = spawn_app().await;
    let all = app.json("/v1/authors?per_page=100").await;
    assert_eq!(all["meta"]["total"], 12);
    let ordered = names(&all);
    let mut folded = ordered.clone();
    folded.sort_by_key(|n| n.to_lowercase());
    assert_eq!(ordered, folded, "ordered by name, case ignored");
    // Prefix of the whole name or of any word, any case.
    assert_eq!(names(&app.json("/v1/authors?q=sug").await), ["SUGITA Hiroki"]);
    assert_eq!(names(&app.json("/v1/authors?q=HIRO").await), ["SUGITA Hiroki", "WATANABE Hirotaka"]);
    assert_eq!(names(&app.json("/v1/authors?q=%C3%89").await).len(), 0, "nobody's name starts with É/E… here");
    assert_eq!(app.json("/v1/authors?q=%25").await["meta"]["total"], 0, "% is a literal, not a wildcard");
    assert_eq!(
        app.get("/v1/authors?q=%20").await.status,
        actix_web::http::StatusCode::BAD_REQUEST,
        "blank is no prefix"
    );
    assert_eq!(
        app.json("/v1/authors?q=%E3%80%80").await["meta"]["total"],
        0,
        "a prefix folding to nothing matches nothing"
    );
    let wang = app.json("/v1/authors/wang-peng").await;
    assert_eq!(wang["article_count"], 1);
    assert_eq!(wang["bio"], "Wang Peng is a fellow at the Charhar Institute");
    assert_eq!(wang["affiliations"][0]["affiliation"], "a fellow at the Charhar Institute");
}

#[actix_web::test]
async fn sorts_by_article_count() {
    let app = spawn_app().await;
    let topics = app.json("/v1/topics?sort=-article_count&per_page=100").await;
    let counts: Vec<i64> =
        topics["data"].as_array().unwrap().iter().map(|t| t["article_count"].as_i64().unwrap()).collect();
    assert!(counts.windows(2).all(|w| w[0] >= w[1]), "{counts:?}");
    for t in topics["data"].as_array().unwrap() {
        let slug = t["slug"].as_str().unwrap();
        let expected = seed_articles_where(|a| a["topics"].as_array().is_some_and(|ts| ts.iter().any(|x| x == slug)));
        assert_eq!(t["article_count"], expected.len() as i64, "{slug}");
    }
    let asc = app.json("/v1/topics?sort=article_count&per_page=1").await;
    assert_eq!(asc["data"][0]["article_count"], *counts.last().unwrap());
}

#[actix_web::test]
async fn region_tree() {
    let app = spawn_app().await;
    let japan = app.json("/v1/regions/japan").await;
    assert_eq!(japan["region_type"], "country");
    assert_eq!(japan["parent"]["slug"], "asia");
    assert_eq!(japan["ancestors"][0]["slug"], "asia");
    let asia = app.json("/v1/regions/asia").await;
    let children: Vec<&str> =
        asia["children"].as_array().unwrap().iter().map(|c| c["slug"].as_str().unwrap()).collect();
    assert!(children.contains(&"japan") && children.contains(&"dprk"));
    let under_asia = app.json("/v1/regions?parent=asia&per_page=100").await;
    assert_eq!(under_asia["meta"]["total"], children.len() as i64);
    let top = app.json("/v1/regions?type=region").await;
    assert_eq!(names(&top), ["Africa & Latin America", "America", "Asia", "Europe & Middle East", "Indo-Pacific"]);
    let by_id = app.json(&format!("/v1/regions?parent={}&per_page=100", asia["id"])).await;
    assert_eq!(by_id["meta"]["total"], children.len() as i64);
}

#[actix_web::test]
async fn publishers_and_series() {
    let app = spawn_app().await;
    let publishers = app.json("/v1/publishers").await;
    assert_eq!(publishers["meta"]["total"], 3);
    let charhar = app.json("/v1/publishers/charhar-institute").await;
    assert_eq!(charhar["tagline_attribution"], "Dr Han Fangming, Charhar Chairman");
    assert!(charhar["contacts"]
        .as_array()
        .unwrap()
        .iter()
        .any(|c| c["kind"] == "twitter" && c["value"] == "@CharharINST"));
    assert!(charhar["series"].as_array().unwrap().iter().any(|s| s["slug"] == "charhar-newsletter"));
    let gmf = app.json("/v1/publishers/gmf").await;
    assert_eq!(gmf["units"][0]["name"], "Washington, DC");
    assert_eq!(gmf["article_count"], 0);
    let jfir = app.json("/v1/publishers/jfir").await;
    assert_eq!(jfir["founded_on"], "1987-03-12");
    assert_eq!(jfir["article_count"], 6);

    let books = app.json("/v1/series?publisher=charhar-institute&type=book_series").await;
    assert_eq!(books["meta"]["total"], 3);
    let series = app.json("/v1/series/jfir-commentary").await;
    assert_eq!(series["publisher"]["slug"], "jfir");
    assert_eq!(series["article_count"], 6);
}

#[actix_web::test]
async fn unknown_resources_are_404_problems() {
    let app = spawn_app().await;
    for uri in [
        "/v1/authors/nobody",
        "/v1/regions/atlantis",
        "/v1/topics/999999",
        "/v1/publishers/Not%20A%20Slug",
        "/v1/series/nope",
        "/v1/topics/nope/articles",
        "/v1/regions/nope/articles",
        "/v1/authors/nope/articles",
    ] {
        let reply = app.get(uri).await;
        assert_eq!(reply.status, StatusCode::NOT_FOUND, "{uri}");
        assert_eq!(reply.content_type(), "application/problem+json", "{uri}");
        assert_eq!(reply.body["status"], 404);
    }
}
