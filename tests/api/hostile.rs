//! What a careless or hostile client can send: extreme values, huge query
//! strings, blank prefixes. Answers stay 200/400/404 and problem bodies stay
//! small.

use actix_web::http::StatusCode;

use crate::helpers::spawn_app;

/// The article lists (every one takes the same parameters).
const LISTS: &[&str] = &[
    "/v1/articles",
    "/v1/topics/the-korean-peninsula/articles",
    "/v1/regions/asia/articles",
    "/v1/authors/tokiwa-shin/articles",
];

#[actix_web::test]
async fn a_date_at_chronos_limits_is_a_400_not_a_panic() {
    let app = spawn_app().await;
    for list in LISTS {
        for param in ["published_after", "published_before"] {
            for value in ["%2B262142-12-31T23:59:59", "-262143-01-01", "%2B10000-01-01", "10000-01-01T00:00:00Z"] {
                let reply = app.get(&format!("{list}?{param}={value}")).await;
                assert_eq!(reply.status, StatusCode::BAD_REQUEST, "{list}?{param}={value}: {}", reply.body);
                assert_eq!(reply.invalid_param_names(), [param]);
            }
            // The extremes of what is accepted are accepted.
            for value in ["9999-12-31T23:59:59", "9999-12-31", "0000-01-01", "9999-12-31T23:59:59-23:59"] {
                let reply = app.get(&format!("{list}?{param}={value}")).await;
                assert_eq!(reply.status, StatusCode::OK, "{list}?{param}={value}: {}", reply.body);
            }
        }
    }
}

#[actix_web::test]
async fn thousands_of_unknown_parameters_get_a_small_answer() {
    let app = spawn_app().await;
    let query: Vec<String> = (0..5_000).map(|i| format!("u{i}=1")).collect();
    let reply = app.get(&format!("/v1/articles?{}", query.join("&"))).await;
    assert_eq!(reply.status, StatusCode::BAD_REQUEST);
    assert!(reply.raw.len() < 16 * 1024, "{} bytes", reply.raw.len());
    let listed = reply.body["invalid_params"].as_array().unwrap();
    assert_eq!(listed.len(), 20);
    assert!(reply.body["detail"].as_str().unwrap().starts_with("5000 parameters are invalid; the first 20"));
    let telling = listed.iter().filter(|p| p["reason"].as_str().unwrap().contains("`per_page`")).count();
    assert_eq!(telling, 1, "the accepted names are told once");

    // Long names and long values are cut in the echo.
    let long = "x".repeat(15_000);
    let reply = app.get(&format!("/v1/articles?{long}=1&topic={long}-&q=%22{long}")).await;
    assert_eq!(reply.status, StatusCode::BAD_REQUEST);
    assert!(reply.raw.len() < 8 * 1024, "{} bytes", reply.raw.len());
    let reply = app.get(&format!("/v1/articles/{long}")).await;
    assert_eq!(reply.status, StatusCode::NOT_FOUND);
    assert!(reply.raw.len() < 2 * 1024, "{} bytes", reply.raw.len());
}

#[actix_web::test]
async fn a_blank_prefix_is_rejected_everywhere() {
    let app = spawn_app().await;
    for list in ["/v1/authors", "/v1/topics", "/v1/regions", "/v1/publishers", "/v1/series", "/v1/suggest"] {
        for blank in ["%20", "%09%0A", "%20%20%20"] {
            let reply = app.get(&format!("{list}?q={blank}")).await;
            assert_eq!(reply.status, StatusCode::BAD_REQUEST, "{list}?q={blank}: {}", reply.body);
            assert_eq!(reply.invalid_param_names(), ["q"]);
        }
        // Text that folds to nothing (an ideographic space, a lone accent)
        // is a prefix of no name.
        for nothing in ["%E3%80%80", "%CC%81"] {
            let body = app.json(&format!("{list}?q={nothing}")).await;
            let empty = match list.ends_with("suggest") {
                true => ["articles", "authors", "topics", "regions"].iter().all(|k| body[k] == serde_json::json!([])),
                false => body["meta"]["total"] == 0,
            };
            assert!(empty, "{list}?q={nothing}: {body}");
        }
    }
}

#[actix_web::test]
async fn search_caps_are_400_naming_q_and_exclusions_alone_find_the_rest() {
    let app = spawn_app().await;
    let words = |n: usize| vec!["japan"; n].join("%20");
    assert_eq!(app.get(&format!("/v1/articles?q={}", words(12))).await.status, StatusCode::OK);
    for q in [
        words(13),
        ["japan"; 7].join("%20OR%20"),
        format!("%22{}%22", words(11)),
        (0..13).map(|i| format!("%22security%20policy{i}%22")).collect::<Vec<_>>().join("%20"),
    ] {
        let reply = app.get(&format!("/v1/articles?q={q}")).await;
        assert_eq!(reply.status, StatusCode::BAD_REQUEST, "q={q}: {}", reply.body);
        assert_eq!(reply.invalid_param_names(), ["q"]);
    }
    let all = app.json("/v1/articles?per_page=1").await["meta"]["total"].as_i64().unwrap();
    let with_japan = app.json("/v1/articles?q=japan&per_page=1").await["meta"]["total"].as_i64().unwrap();
    let without = app.json("/v1/articles?q=-japan&per_page=1").await["meta"]["total"].as_i64().unwrap();
    assert!(with_japan > 0 && without > 0);
    assert_eq!(with_japan + without, all);
}
