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
async fn list_values_have_a_length_cap_that_keeps_every_request_under_the_http_limit() {
    let app = spawn_app().await;
    // 4,000 characters of well-formed values are a value like any other…
    let slugs: Vec<String> = (0..50).map(|i| format!("s{i}-{}", "x".repeat(70))).collect();
    let fits = slugs.join(",");
    assert!(fits.len() <= 4_000);
    assert_eq!(app.get(&format!("/v1/articles?topic={fits}")).await.status, StatusCode::NOT_FOUND);
    // …one more is a 400 naming the parameter, for each list parameter.
    let long = format!("{fits},{}", "y".repeat(4_000 - fits.len()));
    for param in ["topic", "region", "author", "publisher", "series", "type", "language"] {
        let reply = app.get(&format!("/v1/articles?{param}={long}")).await;
        assert_eq!(reply.status, StatusCode::BAD_REQUEST, "{param}");
        assert_eq!(reply.invalid_param_names(), [param]);
        assert!(reply.body["invalid_params"][0]["reason"].as_str().unwrap().contains("4000 characters"));
    }
    for param in ["fields", "facets"] {
        let value = vec!["id"; 400].join(",");
        let reply = app.get(&format!("/v1/articles?{param}={value}")).await;
        assert_eq!(reply.status, StatusCode::BAD_REQUEST, "{param}");
        assert_eq!(reply.invalid_param_names(), [param]);
    }
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

/// An article published in 2030 (so a date filter isolates them) whose
/// body is `body`.
fn long_article(slug: &str, day: u32, body: &str) -> String {
    serde_json::json!({"kind": "article", "slug": slug, "title": format!("Long {slug}"), "type": "report",
        "language": "en", "published_at": format!("2030-01-{day:02}"), "publisher": "gmf", "body": body})
    .to_string()
}

#[actix_web::test]
async fn a_page_of_bodies_stops_at_its_byte_budget_and_continues_by_cursor() {
    let app = crate::helpers::spawn_app().await;
    // 1.5 MB each: two fit the 4 MiB budget of a page, three do not.
    let filler = "haystack ".repeat(170_000);
    let early = format!("needle {filler}");
    let late = format!("{filler} needle");
    crate::helpers::import_lines(
        &app.db,
        &[long_article("long-a", 3, &early), long_article("long-b", 2, &late), long_article("long-c", 1, &filler)],
    );
    for list in ["/v1/articles?published_after=2030-01-01", "/v1/articles?published_after=2030-01-01&q=haystack"] {
        let first = app.get(&format!("{list}&include=body&per_page=3&sort=-published_at")).await;
        assert_eq!(first.status, StatusCode::OK, "{list}: {}", first.body);
        assert!(first.raw.len() < (4 << 20) + 64 * 1024, "{list}: {} bytes", first.raw.len());
        assert_eq!(first.slugs(), ["long-a", "long-b"], "{list}");
        assert_eq!(first.body["meta"]["truncated"], true);
        assert_eq!(first.total(), 3);
        let next = first.body["links"]["next"].as_str().expect("a next link").to_owned();
        assert!(next.contains("cursor="), "{next}");
        let rest = app.get(&next).await;
        assert_eq!(rest.slugs(), ["long-c"], "{list}");
        assert_eq!(rest.body["meta"]["truncated"], false);
        assert!(rest.body["links"]["next"].is_null());
        assert!(rest.body["data"][0]["body"].as_str().unwrap().len() > 1_000_000);
        // Without bodies the page is whole.
        let plain = app.get(&format!("{list}&per_page=3")).await;
        assert_eq!(plain.slugs().len(), 3);
        assert_eq!(plain.body["meta"]["truncated"], false);
    }
    // Snippets read only the opening of a long body: a match a megabyte in
    // is found, but gives no body snippet.
    let found = app.json("/v1/articles?published_after=2030-01-01&q=needle&fields=slug,highlights").await;
    let snippet = |slug: &str| {
        found["data"].as_array().unwrap().iter().find(|a| a["slug"] == slug).unwrap()["highlights"]["body"].clone()
    };
    assert!(snippet("long-a").as_str().unwrap().contains("<mark>needle</mark>"), "{found}");
    assert!(snippet("long-b").is_null(), "{found}");
}

/// A random value shaped like a date or date-time, often at or past the
/// edges of what parses.
fn date_like(rng: &mut impl rand::Rng) -> String {
    let digits = |rng: &mut dyn rand::RngCore, n: usize| -> String {
        (0..n).map(|_| char::from(b'0' + (rng.next_u32() % 10) as u8)).collect()
    };
    let mut s = String::new();
    match rng.random_range(0..6) {
        0 => s.push('+'),
        1 => s.push('-'),
        _ => {}
    }
    let year_digits = [4, 4, 4, 1, 5, 6, 7][rng.random_range(0..7)];
    s += &digits(rng, year_digits);
    let (month, day) = (rng.random_range(1..4), rng.random_range(1..4));
    s += &format!("-{}-{}", digits(rng, month), digits(rng, day));
    if rng.random_bool(0.6) {
        s.push(['T', 't', ' ', 'x'][rng.random_range(0..4)]);
        s += &format!("{}:{}:{}", digits(rng, 2), digits(rng, 2), digits(rng, 2));
        if rng.random_bool(0.3) {
            let n = rng.random_range(0..13);
            s += &format!(".{}", digits(rng, n));
        }
        match rng.random_range(0..4) {
            0 => s.push('Z'),
            1 => s += &format!("+{}:{}", digits(rng, 2), digits(rng, 2)),
            2 => s += &format!("-{}:{}", digits(rng, 2), digits(rng, 2)),
            _ => {}
        }
    }
    s
}

/// A random value for a numeric parameter.
fn number_like(rng: &mut impl rand::Rng) -> String {
    let fixed = [
        "0",
        "1",
        "-1",
        "100",
        "101",
        "10000",
        "10001",
        "4294967295",
        "4294967296",
        "18446744073709551616",
        "-9223372036854775808",
        "1e3",
        "0x10",
        "+5",
        "%205",
        "5%20",
        "",
        "1.5",
        "NaN",
        "%E2%88%9E",
    ];
    match rng.random_range(0..3) {
        0 => fixed[rng.random_range(0..fixed.len())].to_owned(),
        1 => rng.random_range(0..200u32).to_string(),
        _ => (0..rng.random_range(1..30)).map(|_| char::from(b'0' + rng.random_range(0..10u8))).collect(),
    }
}

#[actix_web::test]
async fn no_date_or_number_reaches_a_panic_or_a_server_error() {
    use rand::{Rng, SeedableRng};
    let app = crate::helpers::spawn_app().await;
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(20261202);
    let mut tried = 0;
    for _ in 0..150 {
        for list in LISTS {
            let mut query = vec![
                format!("published_after={}", urlencode(&date_like(&mut rng))),
                format!("published_before={}", urlencode(&date_like(&mut rng))),
            ];
            for name in ["page", "per_page", "facet_size"] {
                if rng.random_bool(0.5) {
                    query.push(format!("{name}={}", number_like(&mut rng)));
                }
            }
            let uri = format!("{list}?{}", query.join("&"));
            let reply = app.get(&uri).await;
            assert!([200, 400, 404].contains(&reply.status.as_u16()), "{uri}: {} {}", reply.status, reply.body);
            tried += 1;
        }
    }
    for _ in 0..100 {
        for (list, names) in [
            ("/v1/authors", &["page", "per_page"][..]),
            ("/v1/topics", &["page", "per_page"][..]),
            ("/v1/regions", &["page", "per_page"][..]),
            ("/v1/publishers", &["page", "per_page"][..]),
            ("/v1/series", &["page", "per_page"][..]),
            ("/v1/suggest?q=ja", &["limit"][..]),
        ] {
            let query: Vec<String> = names.iter().map(|n| format!("{n}={}", number_like(&mut rng))).collect();
            let sep = if list.contains('?') { '&' } else { '?' };
            let uri = format!("{list}{sep}{}", query.join("&"));
            let reply = app.get(&uri).await;
            assert!([200, 400, 404].contains(&reply.status.as_u16()), "{uri}: {} {}", reply.status, reply.body);
            tried += 1;
        }
    }
    assert!(tried >= 1_000);
}

fn urlencode(s: &str) -> String {
    form_urlencoded::byte_serialize(s.as_bytes()).collect()
}
