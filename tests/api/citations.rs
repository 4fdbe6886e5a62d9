//! Citations of one article and of whole lists, in every format, read back
//! with real parsers (biblatex for BibTeX, the CSL-JSON schema, a strict
//! RIS reader, an XML parser for HTML) and checked field by field against
//! the JSON of the same articles: the seed corpus's translations,
//! multi-role bylines and affiliations included.

use std::collections::HashMap;

use actix_web::http::StatusCode;
use biblatex::ChunksExt;
use serde_json::Value;

use crate::helpers::{spawn_app, Reply};

fn csl_schema() -> jsonschema::Validator {
    let text = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/csl-data.json")).unwrap();
    jsonschema::validator_for(&serde_json::from_str(&text).unwrap()).unwrap()
}

fn body(reply: &Reply) -> &str {
    std::str::from_utf8(&reply.raw).expect("UTF-8")
}

/// RIS records as (tag, value) lists, every line checked against the rules.
fn ris_records(text: &str) -> Vec<Vec<(String, String)>> {
    let mut records = Vec::new();
    let mut record = Vec::new();
    for line in text.split("\r\n") {
        if line.is_empty() {
            continue;
        }
        assert!(line.len() >= 6 && &line[2..6] == "  - ", "a RIS line: {line:?}");
        let (tag, value) = (line[..2].to_owned(), line[6..].to_owned());
        assert!(tag.chars().all(|c| c.is_ascii_uppercase() || c.is_ascii_digit()), "{line:?}");
        if record.is_empty() {
            assert_eq!(tag, "TY", "a record starts with TY");
        }
        let end = tag == "ER";
        record.push((tag, value));
        if end {
            records.push(std::mem::take(&mut record));
        }
    }
    assert!(record.is_empty(), "the last record ends with ER");
    records
}

fn values<'r>(record: &'r [(String, String)], tag: &str) -> Vec<&'r str> {
    record.iter().filter(|(t, _)| t == tag).map(|(_, v)| v.as_str()).collect()
}

/// The authors of the corpus by id: their family names.
fn family_names(authors: &[Value]) -> HashMap<i64, String> {
    authors.iter().filter_map(|a| Some((a["id"].as_i64()?, a["family_name"].as_str()?.to_owned()))).collect()
}

/// `TOKIWA` is cited as `Tokiwa`.
fn same_name(cited: &str, family: &str) -> bool {
    cited.to_lowercase() == family.to_lowercase()
}

fn year(item: &Value) -> String {
    item["published_at"].as_str().unwrap()[..4].to_owned()
}

#[actix_web::test]
async fn one_article_is_cited_faithfully_in_every_format() {
    let app = spawn_app().await;
    let families = family_names(&app.all_items("/v1/authors").await);
    let schema = csl_schema();
    let articles = app.json("/v1/articles?per_page=100").await["data"].as_array().unwrap().clone();
    let interesting: Vec<&Value> =
        articles.iter().filter(|a| !a["translation"].is_null() || a["authors"].as_array().unwrap().len() > 1).collect();
    assert!(interesting.len() >= 3, "the seed has translations and multi-entry bylines");
    for item in interesting {
        let slug = item["slug"].as_str().unwrap();
        let title = item["title"].as_str().unwrap();
        let authors: Vec<&Value> =
            item["authors"].as_array().unwrap().iter().filter(|p| p["role"] == "author").collect();

        // BibTeX, by Accept, parsed by biblatex.
        let reply = app.get_accepting(&format!("/v1/articles/{slug}"), "application/x-bibtex").await;
        assert_eq!(reply.status, StatusCode::OK);
        assert!(reply.content_type().starts_with("application/x-bibtex"));
        let bib = biblatex::Bibliography::parse(body(&reply)).unwrap_or_else(|e| panic!("{e:?}: {}", body(&reply)));
        assert_eq!(bib.len(), 1);
        let entry = bib.iter().next().unwrap();
        assert!(entry.key.ends_with(&format!("-{}", item["id"])), "a stable key naming the id: {}", entry.key);
        let cited: Vec<String> = entry.author().map(|p| p.iter().map(|p| p.name.clone()).collect()).unwrap_or_default();
        assert_eq!(cited.len(), authors.len(), "{slug}: authors in byline order");
        for (name, person) in cited.iter().zip(&authors) {
            if let Some(family) = families.get(&person["id"].as_i64().unwrap()) {
                assert!(same_name(name, family), "{slug}: {name} vs {family}");
            }
        }
        let bib_title = entry.title().unwrap().format_verbatim();
        assert!(bib_title.starts_with(title.trim_end_matches("...")), "{bib_title} / {title}");
        assert_eq!(entry.get("year").unwrap().format_verbatim(), year(item));
        let url = entry.url().unwrap();
        match item["url"].as_str() {
            Some(u) => assert_eq!(url, u),
            None => assert!(url.ends_with(&format!("/v1/articles/{slug}"))),
        }
        if let Some(original) = item["translation"]["original_language"].as_str() {
            assert!(entry.get("origlanguage").is_some(), "{slug}: the original's language ({original})");
        }

        // RIS, by `format`.
        let reply = app.get(&format!("/v1/articles/{slug}?format=ris")).await;
        let records = ris_records(body(&reply));
        assert_eq!(records.len(), 1);
        assert_eq!(values(&records[0], "TI"), [title]);
        assert_eq!(values(&records[0], "PY"), [year(item)]);
        assert_eq!(values(&records[0], "AU").len(), authors.len());
        assert_eq!(values(&records[0], "PB"), [item["publisher"]["name"].as_str().unwrap()]);

        // CSL-JSON, valid by the official schema.
        let reply = app.get_accepting(&format!("/v1/articles/{slug}"), "application/vnd.citationstyles.csl+json").await;
        let errors: Vec<String> = schema.iter_errors(&reply.body).map(|e| e.to_string()).collect();
        assert!(errors.is_empty(), "{slug}: {errors:?}");
        let csl = &reply.body[0];
        assert_eq!(csl["title"].as_str().unwrap(), title);
        assert_eq!(csl["issued"]["date-parts"][0][0].to_string(), year(item));
        assert_eq!(csl["author"].as_array().map_or(0, Vec::len), authors.len());
        if let Some(note) = item["translation"]["note"].as_str() {
            assert!(csl["note"].as_str().unwrap().contains(note), "the translation note");
        }

        // Formatted by the CSL processor, in two styles.
        let apa = app.get_accepting(&format!("/v1/articles/{slug}"), "text/x-bibliography; style=apa").await;
        let mla = app.get_accepting(&format!("/v1/articles/{slug}"), "text/x-bibliography; style=mla").await;
        assert!(apa.content_type().starts_with("text/x-bibliography"));
        assert!(body(&apa).contains(&year(item)));
        assert_ne!(body(&apa), body(&mla), "each style is its own representation");
        for person in &authors {
            if let Some(family) = families.get(&person["id"].as_i64().unwrap()) {
                assert!(body(&apa).to_lowercase().contains(&family.to_lowercase()), "{}", body(&apa));
            }
        }
        let html = app.get(&format!("/v1/articles/{slug}?format=html&style=chicago-author-date")).await;
        assert!(html.content_type().starts_with("text/html"));
        roxmltree::Document::parse(body(&html)).unwrap_or_else(|e| panic!("{e}: {}", body(&html)));
    }
}

#[actix_web::test]
async fn citation_requests_are_checked() {
    let app = spawn_app().await;
    let slug = "what-is-putins-strategy-on-japan-vigilance-needed-on-russias-peace-treaty";
    let bad_accept = app.get_accepting(&format!("/v1/articles/{slug}"), "text/x-bibliography; style=vancouver").await;
    assert_eq!(bad_accept.status, StatusCode::BAD_REQUEST);
    assert_eq!(bad_accept.body["invalid_params"][0]["in"], "header");
    assert_eq!(
        app.get(&format!("/v1/articles/{slug}?format=bibliography&style=vancouver")).await.status,
        StatusCode::BAD_REQUEST
    );
    assert_eq!(app.get(&format!("/v1/articles/{slug}?style=apa")).await.invalid_param_names(), ["style"]);
    assert_eq!(app.get("/v1/articles/no-such-article?format=bibtex").await.status, StatusCode::NOT_FOUND);
    // A browser asking for HTML gets the JSON record.
    let browser = app
        .get_accepting(
            &format!("/v1/articles/{slug}"),
            "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8",
        )
        .await;
    assert_eq!(browser.content_type(), "application/json");
}

#[actix_web::test]
async fn whole_lists_are_cited_in_their_order() {
    let app = spawn_app().await;
    let schema = csl_schema();
    for list in ["/v1/articles?q=japan", "/v1/publishers/jfir/articles", "/v1/articles?sort=title"] {
        let json = app.json(&format!("{list}{}per_page=100", if list.contains('?') { '&' } else { '?' })).await;
        let ids: Vec<String> = json["data"].as_array().unwrap().iter().map(|a| a["id"].to_string()).collect();
        let with = |f: &str| format!("{list}{}format={f}", if list.contains('?') { '&' } else { '?' });

        let bibtex = app.get(&with("bibtex")).await;
        assert_eq!(bibtex.header("x-total-count"), Some(ids.len().to_string().as_str()));
        assert!(bibtex.header("content-disposition").unwrap().contains(".bib\""));
        let bib = biblatex::Bibliography::parse(body(&bibtex)).unwrap();
        let keys: Vec<String> = bib.iter().map(|e| e.key.rsplit('-').next().unwrap().to_owned()).collect();
        assert_eq!(keys, ids, "{list}: every match, in the list's order");

        let ris = app.get(&with("ris")).await;
        let records = ris_records(body(&ris));
        let ris_ids: Vec<String> =
            records.iter().map(|r| values(r, "ID")[0].rsplit('-').next().unwrap().to_owned()).collect();
        assert_eq!(ris_ids, ids);

        let csl = app.get(&with("csl")).await;
        assert!(schema.is_valid(&csl.body), "{list}");
        let csl_ids: Vec<String> = csl
            .body
            .as_array()
            .unwrap()
            .iter()
            .map(|i| i["id"].as_str().unwrap().rsplit('-').next().unwrap().to_owned())
            .collect();
        assert_eq!(csl_ids, ids);

        let text = app.get(&format!("{}&style=harvard", with("bibliography"))).await;
        assert_eq!(body(&text).lines().filter(|l| !l.trim().is_empty()).count(), ids.len());
        let html = app.get(&with("html")).await;
        let doc = roxmltree::Document::parse(body(&html)).unwrap();
        assert_eq!(doc.descendants().filter(|n| n.attribute("class") == Some("csl-entry")).count(), ids.len());
    }
}
