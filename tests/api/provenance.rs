//! Provenance: every classification link and every inferable fact says
//! whether the source stated it or the corpus's editors assigned it; the
//! seed carries the audit's marks; `classification=source` restricts
//! filters and facets to what the sources stated.

use actix_web::http::StatusCode;
use commentary_api::db::{self, PoolOptions};
use commentary_api::domain::Kind;
use commentary_api::ingest::{self, lines::Source};
use commentary_api::startup::SEED_CORPUS;
use serde_json::Value;

use crate::helpers::{import_lines, open_seeded, sorted, spawn_app, temp_db};

const JAPAN_DPRK: &str = "japan-to-seek-greater-regional-autonomy-through-secret-meeting-with-dprk";
const SU_HAO: &str = "su-hao-tokyo-should-give-ground-to-resolve-tensions-with-seoul-over-comfo";
const SUDAN: &str = "sudans-military-civilian-co-governance-dies-halfway";
const PUTIN: &str = "what-is-putins-strategy-on-japan-vigilance-needed-on-russias-peace-treaty";
const BOOK: &str = "diplomatic-theory-and-practice";

fn marks(links: &Value) -> Vec<(String, String)> {
    links
        .as_array()
        .unwrap()
        .iter()
        .map(|l| (l["slug"].as_str().unwrap().to_owned(), l["provenance"].as_str().unwrap().to_owned()))
        .collect()
}

fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
    list.iter().map(|(a, b)| (a.to_string(), b.to_string())).collect()
}

#[actix_web::test]
async fn the_seed_marks_what_the_audit_found() {
    let app = spawn_app().await;

    // A Charhar commentary: its topic heading is the source's, its regions
    // and its news/commentary type are the corpus's own.
    let sudan = app.json(&format!("/v1/articles/{SUDAN}")).await;
    assert_eq!(marks(&sudan["topics"]), pairs(&[("energy-safety-and-peace", "source")]));
    assert_eq!(marks(&sudan["regions"]), pairs(&[("sudan", "editorial")]));
    assert_eq!(sudan["provenance"]["type"], "editorial");
    assert_eq!(sudan["provenance"]["original_language"], Value::Null, "no original language to mark");
    assert!(sudan["provenance"]["note"].as_str().unwrap().contains("Regions"));

    // A byline read from a "Name:" prefix of the title.
    let su = app.json(&format!("/v1/articles/{SU_HAO}")).await;
    assert_eq!(su["authors"][0]["slug"], "su-hao");
    assert_eq!(su["authors"][0]["provenance"], "editorial");
    assert!(su["authors"][0]["provenance_note"].as_str().unwrap().contains("Name:"));
    assert_eq!(marks(&su["topics"]), pairs(&[("the-korean-peninsula", "source")]));

    // The one full Charhar commentary: a byline the page prints, with the
    // affiliation in the page's words; its topic heading is not on the page.
    let dprk = app.json(&format!("/v1/articles/{JAPAN_DPRK}")).await;
    assert_eq!(dprk["authors"][0]["affiliation"], "a fellow at the Charhar Institute");
    assert_eq!(dprk["authors"][0]["provenance"], "source");
    assert_eq!(dprk["authors"][0]["provenance_note"], Value::Null);
    assert_eq!(marks(&dprk["topics"]), pairs(&[("the-korean-peninsula", "editorial")]));

    // A JFIR translation: a stated type, an inferred original language,
    // Charhar-style topics JFIR never uses.
    let putin = app.json(&format!("/v1/articles/{PUTIN}")).await;
    assert_eq!(putin["provenance"]["type"], "source");
    assert_eq!(putin["provenance"]["original_language"], "editorial");
    assert!(marks(&putin["topics"]).iter().all(|(_, p)| p == "editorial"));
    assert_eq!(putin["authors"][0]["provenance"], "source");

    // A book of a listed series: nothing inferred.
    let book = app.json(&format!("/v1/articles/{BOOK}")).await;
    assert_eq!(book["provenance"]["type"], "source");
    assert_eq!(book["provenance"]["note"], Value::Null);

    // Taxonomy entries no source defines.
    let japan = app.json("/v1/regions/japan").await;
    assert_eq!(japan["provenance"]["entry"], "editorial");
    assert_eq!(japan["provenance"]["parent"], "editorial");
    let asia = app.json("/v1/regions/asia").await;
    assert_eq!(asia["provenance"]["entry"], "source");
    assert_eq!(asia["provenance"]["parent"], Value::Null, "a region at the top has no placement to mark");
    assert_eq!(app.json("/v1/topics/digital-society").await["provenance"]["entry"], "editorial");
    assert_eq!(app.json("/v1/topics/communication").await["provenance"]["entry"], "source");
    assert_eq!(app.json("/v1/authors/sugita-hiroki").await["provenance"]["name_parts"], "editorial");

    // Every region link of the seed is editorial; list items (stored
    // cards) say so as the detail does.
    let list = app.json("/v1/articles?per_page=100").await;
    for item in list["data"].as_array().unwrap() {
        assert!(marks(&item["regions"]).iter().all(|(_, p)| p == "editorial"), "{}", item["slug"]);
        assert!(item["provenance"]["type"].is_string(), "{}", item["slug"]);
    }
}

#[actix_web::test]
async fn classification_source_restricts_filters_and_facets() {
    let app = spawn_app().await;
    let korea = "/v1/articles?topic=the-korean-peninsula&per_page=100";
    let any = app.get(korea).await;
    assert_eq!(any.total(), 4);
    let stated = app.get(&format!("{korea}&classification=source")).await;
    assert_eq!(stated.status, StatusCode::OK, "{}", stated.body);
    assert_eq!(
        sorted(stated.slugs()),
        sorted(vec![SU_HAO.to_owned(), "swaran-singh-can-next-u-s-dprk-meeting-be-expected".to_owned()])
    );
    assert_eq!(app.get(&format!("{korea}&classification=any")).await.total(), 4);

    // The scoped list takes it too; so do authors, regions and types.
    assert_eq!(app.get("/v1/topics/the-korean-peninsula/articles?classification=source").await.total(), 2);
    assert_eq!(app.get("/v1/articles?author=su-hao").await.total(), 1);
    assert_eq!(app.get("/v1/articles?author=su-hao&classification=source").await.total(), 0);
    assert_eq!(app.get("/v1/articles?author=tokiwa-shin&classification=source").await.total(), 1);
    assert!(app.get("/v1/articles?region=asia").await.total() > 0);
    assert_eq!(app.get("/v1/articles?region=asia&classification=source").await.total(), 0);
    assert_eq!(app.get("/v1/articles?type=news&classification=source").await.total(), 0);
    assert_eq!(app.get("/v1/articles?type=commentary&classification=source").await.total(), 6);
    // With words, and with a walk by cursor to the end.
    let searched = app.get("/v1/articles?q=tokyo&topic=the-korean-peninsula&classification=source").await;
    assert_eq!(searched.status, StatusCode::OK, "{}", searched.body);
    assert_eq!(searched.slugs(), vec![SU_HAO.to_owned()]);
    let walked = app.all_slugs("/v1/articles?type=commentary&classification=source&per_page=4").await;
    assert_eq!(walked.len(), 6);
    // …and by cursor, as `links.next` does past page 10,000.
    let mut by_cursor = Vec::new();
    let mut uri = "/v1/articles?type=commentary&classification=source&per_page=4".to_owned();
    loop {
        let page = app.get(&uri).await;
        assert_eq!(page.status, StatusCode::OK, "{uri}: {}", page.body);
        by_cursor.extend(page.slugs());
        let Some(cursor) = page.body["meta"]["next_cursor"].as_str() else { break };
        uri = format!("/v1/articles?type=commentary&classification=source&per_page=4&cursor={cursor}");
    }
    assert_eq!(by_cursor, walked);

    // Facets count either way.
    let facet = |body: &Value, dim: &str, slug: &str| -> Option<i64> {
        body["facets"][dim].as_array().unwrap().iter().find(|v| v["slug"] == slug).map(|v| v["count"].as_i64().unwrap())
    };
    let all = app.json("/v1/articles?facets=topic,region,type&facet_size=100").await;
    assert_eq!(facet(&all, "topic", "the-korean-peninsula"), Some(4));
    assert_eq!(facet(&all, "topic", "japanese-foreign-policy"), Some(4));
    assert!(facet(&all, "region", "asia").is_some());
    let src = app.json("/v1/articles?facets=topic,region,type&facet_size=100&classification=source").await;
    assert_eq!(facet(&src, "topic", "the-korean-peninsula"), Some(2));
    assert_eq!(facet(&src, "topic", "japanese-foreign-policy"), None);
    assert_eq!(src["facets"]["region"].as_array().unwrap().len(), 0);
    assert_eq!(facet(&all, "type", "news"), Some(6));
    assert_eq!(facet(&src, "type", "news"), None);
    assert_eq!(facet(&src, "type", "commentary"), Some(6));
    // Disjunctive counts within the restriction.
    let chosen = app.json("/v1/articles?topic=communication&facets=topic&classification=source").await;
    assert_eq!(facet(&chosen, "topic", "the-korean-peninsula"), Some(2));

    // Only the two values are accepted.
    let bad = app.get("/v1/articles?classification=editors").await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
    assert_eq!(bad.invalid_param_names(), vec!["classification"]);
}

#[actix_web::test]
async fn feeds_carry_each_links_provenance() {
    let app = spawn_app().await;
    let uri = "/v1/articles?q=sudan&topic=energy-safety-and-peace";
    let rss = app.get(&format!("{uri}&format=rss")).await;
    let text = String::from_utf8(rss.raw.clone()).unwrap();
    let doc = roxmltree::Document::parse(&text).unwrap();
    let categories: Vec<(String, String)> = doc
        .descendants()
        .filter(|n| n.has_tag_name("category"))
        .map(|n| {
            let provenance = n.attribute(("urn:commentary-api:feed:1", "provenance")).unwrap_or("").to_owned();
            (n.text().unwrap_or("").to_owned(), provenance)
        })
        .collect();
    assert!(categories.contains(&("Energy, Safety and Peace".to_owned(), "source".to_owned())), "{categories:?}");
    assert!(categories.contains(&("Sudan".to_owned(), "editorial".to_owned())), "{categories:?}");

    let feed = app.get(&format!("{uri}&format=jsonfeed")).await;
    let item = &feed.body["items"][0]["_commentary"];
    assert_eq!(marks(&item["regions"]), pairs(&[("sudan", "editorial")]));
    assert_eq!(marks(&item["topics"]), pairs(&[("energy-safety-and-peace", "source")]));
    // A feed of source-stated classifications says so.
    let stated = app.get(&format!("{uri}&format=jsonfeed&classification=source")).await;
    assert!(stated.body["description"].as_str().unwrap().contains("as the sources state it"), "{}", stated.body);
    // `fields` picks the article's marks like any other field.
    let picked = app.json(&format!("/v1/articles/{SUDAN}")).await;
    let listed = app.json("/v1/articles?fields=slug,provenance&topic=energy-safety-and-peace&per_page=100").await;
    let row = listed["data"].as_array().unwrap().iter().find(|i| i["slug"] == SUDAN).unwrap().clone();
    assert_eq!(row["provenance"], picked["provenance"]);
    assert!(row.get("topics").is_none());
}

/// An article with marks of every kind: its own, list defaults, and links
/// that override them.
fn marked_record() -> String {
    serde_json::json!({
        "kind": "article", "slug": "marked", "title": "Marked", "type": "analysis", "language": "en",
        "published_at": "2024-05-01", "publisher": "jfir",
        "authors": [{"author": "ito-yo", "role": "author", "provenance": "editorial", "provenance_note": "from the signature"}],
        "topics": ["communication", {"slug": "digital-society", "provenance": "editorial", "provenance_note": "by keyword rule 7"}],
        "regions": [{"slug": "japan", "provenance": "source"}, "china"],
        "translation": {"original_language": "ja"},
        "provenance": {"regions": "editorial", "original_language": "editorial", "note": "classified by hand"}
    })
    .to_string()
}

/// Import `lines` through the import path itself (its report, or its error).
fn import_text(conn: &mut db::DbConn, lines: &str) -> Result<ingest::ImportReport, ingest::ImportError> {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("lines.ndjson");
    std::fs::write(&file, format!("{lines}\n")).unwrap();
    ingest::import(conn, &Source::File(file), &Default::default())
}

/// The fields an import's problems name.
fn problems(result: Result<ingest::ImportReport, ingest::ImportError>) -> Vec<String> {
    match result {
        Err(ingest::ImportError::Invalid(errors)) => errors.into_iter().map(|e| e.field).collect(),
        other => panic!("expected problems, got {other:?}"),
    }
}

#[test]
fn marks_are_imported_checked_and_a_reimport_changes_nothing() {
    let (_dir, path) = temp_db();
    drop(open_seeded(&path));
    let line = marked_record();
    import_lines(&path, std::slice::from_ref(&line));

    let mut conn = db::connect(&path, PoolOptions::default()).unwrap();
    let again = import_text(&mut conn, &line).unwrap();
    assert_eq!(again.written.changed(), 0, "the same record again changes nothing");
    let seed_again = ingest::import(&mut conn, &Source::Bytes(SEED_CORPUS), &Default::default()).unwrap();
    assert_eq!(seed_again.written.changed(), 0);
    assert_eq!(seed_again.written.by_kind[&Kind::Region].unchanged, 18);

    // A mark on a fact the record does not have, and a word that is no mark.
    let orphan = line.replace(r#""translation":{"original_language":"ja"},"#, "").replace("\"marked\"", "\"orphan\"");
    assert_eq!(problems(import_text(&mut conn, &orphan)), vec!["provenance.original_language".to_owned()]);
    let unknown = line.replace(r#""provenance":"source""#, r#""provenance":"rumour""#);
    assert_eq!(problems(import_text(&mut conn, &unknown)), vec!["regions[0].provenance".to_owned()]);
    // Any mark, `source` too, needs the fact it marks.
    let top = r#"{"kind":"region","slug":"top","name":"Top","region_type":"region","provenance":{"parent":"source"}}"#;
    assert_eq!(problems(import_text(&mut conn, top)), vec!["provenance.parent".to_owned()]);
    let unsplit = r#"{"kind":"author","slug":"unsplit","name":"Unsplit","provenance":{"name_parts":"source"}}"#;
    assert_eq!(problems(import_text(&mut conn, unsplit)), vec!["provenance.name_parts".to_owned()]);
}

#[actix_web::test]
async fn an_imported_record_shows_its_marks_and_defaults() {
    let app = spawn_app().await;
    let line = marked_record();
    import_lines(&app.db, &[line]);
    let a = app.json("/v1/articles/marked").await;
    assert_eq!(marks(&a["topics"]), pairs(&[("communication", "source"), ("digital-society", "editorial")]));
    assert_eq!(a["topics"][1]["provenance_note"], "by keyword rule 7");
    // The list's default (`regions: editorial`) yields to a link's own mark.
    assert_eq!(marks(&a["regions"]), pairs(&[("japan", "source"), ("china", "editorial")]));
    assert_eq!(a["authors"][0]["provenance"], "editorial");
    assert_eq!(a["provenance"]["type"], "source");
    assert_eq!(a["provenance"]["original_language"], "editorial");
    assert_eq!(a["provenance"]["note"], "classified by hand");
    // The region the source stated counts for its ancestors too.
    assert!(app.all_slugs("/v1/articles?region=asia&classification=source").await.contains(&"marked".to_owned()));
    assert!(!app.all_slugs("/v1/articles?region=china&classification=source").await.contains(&"marked".to_owned()));
    // Even when an editor also named the ancestor itself.
    let both =
        serde_json::json!({"kind": "article", "slug": "both", "title": "Both", "type": "analysis", "language": "en",
        "published_at": "2024-05-02", "publisher": "jfir",
        "regions": [{"slug": "japan", "provenance": "source"}, {"slug": "asia", "provenance": "editorial"}]})
        .to_string();
    import_lines(&app.db, &[both]);
    let b = app.json("/v1/articles/both").await;
    assert_eq!(marks(&b["regions"]), pairs(&[("japan", "source"), ("asia", "editorial")]));
    assert!(app.all_slugs("/v1/articles?region=asia&classification=source").await.contains(&"both".to_owned()));
}
