//! The committed spec is the generated one, and it describes what the
//! server does.

use actix_web::http::StatusCode;
use commentary_api::startup;

use crate::helpers::spawn_app;

const SPEC_PATH: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/openapi/openapi.json");

#[test]
fn committed_spec_matches_the_code() {
    let generated = startup::openapi_json();
    if std::env::var_os("UPDATE_OPENAPI").is_some() {
        std::fs::write(SPEC_PATH, &generated).unwrap();
        return;
    }
    let committed = std::fs::read_to_string(SPEC_PATH).unwrap_or_default();
    assert!(
        committed == generated,
        "openapi/openapi.json is stale: run `UPDATE_OPENAPI=1 cargo test committed_spec` and commit the file"
    );
}

#[actix_web::test]
async fn spec_is_served_and_declares_openapi_3_1() {
    let app = spawn_app().await;
    let spec = app.json("/openapi.json").await;
    assert_eq!(spec["openapi"], "3.1.0");
    assert!(spec["paths"]["/v1/articles"]["get"]["parameters"].as_array().unwrap().len() >= 12);
    let docs = app.get("/docs/").await;
    assert_eq!(docs.status, StatusCode::OK);
    assert!(String::from_utf8_lossy(&docs.raw).contains("swagger"));
}

#[actix_web::test]
async fn every_documented_path_answers_with_a_documented_status() {
    let app = spawn_app().await;
    let spec = app.json("/openapi.json").await;
    for (path, item) in spec["paths"].as_object().unwrap() {
        let get = &item["get"];
        if get.is_null() {
            continue; // writes: see tests/api/writes.rs
        }
        let example = get["parameters"]
            .as_array()
            .and_then(|ps| ps.iter().find(|p| p["in"] == "path"))
            .and_then(|p| p["example"].as_str())
            .unwrap_or("");
        let mut uri = path.replace("{id_or_slug}", example);
        // Required query parameters, with their documented examples.
        let required: Vec<String> = get["parameters"]
            .as_array()
            .into_iter()
            .flatten()
            .filter(|p| p["in"] == "query" && p["required"] == true)
            .map(|p| format!("{}={}", p["name"].as_str().unwrap(), p["example"].as_str().unwrap().replace(' ', "%20")))
            .collect();
        if !required.is_empty() {
            uri = format!("{uri}?{}", required.join("&"));
        }
        let reply = app.get(&uri).await;
        let documented: Vec<&String> = get["responses"].as_object().unwrap().keys().collect();
        assert!(documented.contains(&&reply.status.as_u16().to_string()), "{uri} answered {}", reply.status);
        assert_eq!(reply.status, StatusCode::OK, "the documented example of {path} works: {}", reply.body);
    }
}
