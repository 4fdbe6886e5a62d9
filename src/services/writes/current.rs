//! A resource as an import record (its JSON without `kind`): what a
//! `PATCH` merges into, and what unpublishing keeps aside. Reading it back
//! through `body::record` gives the stored resource again.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use serde_json::{json, Map, Value};

use crate::db::DbConn;
use crate::domain::{Kind, Provenance, UnitType};
use crate::error::ApiError;
use crate::models::article::Classified;
use crate::models::{article, author, publisher, region, series, topic, ResourceKey};
use crate::schema::{publishers, regions};
use crate::views::articles::ArticleDetail;
use crate::views::detail::{self, Detail};

/// A record: the import line's JSON object without `kind`.
pub type RecordJson = Map<String, Value>;

fn moment(t: NaiveDateTime) -> String {
    t.and_utc().to_rfc3339_opts(chrono::SecondsFormat::AutoSi, true)
}

/// Leave out what is absent, as an import line would.
fn object(value: Value) -> Map<String, Value> {
    match value {
        Value::Object(map) => map.into_iter().filter(|(_, v)| !v.is_null()).collect(),
        _ => Map::new(),
    }
}

fn marked(provenance: Provenance, note: Option<&String>) -> bool {
    provenance != Provenance::default() || note.is_some()
}

fn links(list: &[Classified]) -> Vec<Value> {
    list.iter()
        .map(|c| {
            if marked(c.provenance, c.provenance_note.as_ref()) {
                Value::Object(object(json!({
                    "slug": c.term.slug, "provenance": c.provenance, "provenance_note": c.provenance_note,
                })))
            } else {
                Value::String(c.term.slug.clone())
            }
        })
        .collect()
}

/// The record of the `kind` resource `id`, if it exists.
pub fn record(conn: &mut DbConn, kind: Kind, id: i64) -> QueryResult<Option<Map<String, Value>>> {
    let key = ResourceKey::Id(id);
    Ok(match kind {
        Kind::Article => article::load_full(conn, &key)?.map(|full| article_record(&full)),
        Kind::Author => author::find(conn, &key)?.map(|(a, _, _)| {
            let provenance = marked(a.name_parts_provenance, a.provenance_note.as_ref()).then(|| {
                let split = a.family_name.is_some() || a.given_name.is_some();
                object(json!({
                    "name_parts": split.then_some(a.name_parts_provenance), "note": a.provenance_note,
                }))
            });
            object(json!({
                "slug": a.slug, "name": a.name, "family_name": a.family_name, "given_name": a.given_name,
                "bio": a.bio, "provenance": provenance,
            }))
        }),
        Kind::Topic => topic::find(conn, &key)?.map(|(t, _)| {
            let provenance = marked(t.provenance, t.provenance_note.as_ref())
                .then(|| object(json!({"entry": t.provenance, "note": t.provenance_note})));
            object(json!({
                "slug": t.slug, "name": t.name, "description": t.description, "provenance": provenance,
            }))
        }),
        Kind::Series => match series::find(conn, &key)? {
            Some((s, _)) => {
                let publisher: String = publishers::table.find(s.publisher_id).select(publishers::slug).first(conn)?;
                Some(object(json!({
                    "slug": s.slug, "name": s.name, "publisher": publisher, "series_type": s.series_type,
                    "description": s.description,
                })))
            }
            None => None,
        },
        Kind::Region => match region::find(conn, &key)? {
            Some(d) => {
                let r = d.row;
                let parent: Option<String> = match r.parent_id {
                    Some(p) => Some(regions::table.find(p).select(regions::slug).first(conn)?),
                    None => None,
                };
                let parent_marked = parent.is_some() && r.parent_provenance != Provenance::default();
                let provenance = (marked(r.provenance, r.provenance_note.as_ref()) || parent_marked).then(|| {
                    object(json!({
                        "entry": r.provenance, "parent": parent_marked.then_some(r.parent_provenance),
                        "note": r.provenance_note,
                    }))
                });
                Some(object(json!({
                    "slug": r.slug, "name": r.name, "parent": parent, "region_type": r.region_type,
                    "provenance": provenance,
                })))
            }
            None => None,
        },
        Kind::Publisher => publisher::find(conn, &key)?.map(|d| {
            let p = d.row;
            let offices: Vec<&str> =
                d.units.iter().filter(|u| u.unit_type == UnitType::Office).map(|u| u.name.as_str()).collect();
            let programs: Vec<Value> = d
                .units
                .iter()
                .filter(|u| u.unit_type == UnitType::Program)
                .map(|u| Value::Object(object(json!({"name": u.name, "description": u.description}))))
                .collect();
            let contacts: Vec<Value> = d.contacts.iter().map(|c| json!({"kind": c.kind, "value": c.value})).collect();
            object(json!({
                "slug": p.slug, "name": p.name, "short_name": p.short_name, "description": p.description,
                "url": p.url, "founded_on": p.founded_on, "location": p.location, "tagline": p.tagline,
                "tagline_attribution": p.tagline_attribution, "offices": offices, "programs": programs,
                "contacts": contacts,
            }))
        }),
    })
}

/// The representation and the record of the resource `key` names, from
/// one read of it.
pub fn with_detail(conn: &mut DbConn, kind: Kind, key: &ResourceKey) -> Result<Option<(Detail, RecordJson)>, ApiError> {
    if kind == Kind::Article {
        let Some(full) = article::load_full(conn, key)? else { return Ok(None) };
        let record = article_record(&full);
        let (id, slug) = full.batch.rows.first().map(|r| (r.id, r.slug.clone())).unwrap_or_default();
        let Some(view) = ArticleDetail::build(full) else { return Ok(None) };
        return Ok(Some((detail::encode(id, &slug, &view)?, record)));
    }
    let Some(current) = detail::load(conn, kind, key)? else { return Ok(None) };
    let record = record(conn, kind, current.id)?.unwrap_or_default();
    Ok(Some((current, record)))
}

fn article_record(full: &article::ArticleFull) -> Map<String, Value> {
    let Some(row) = full.batch.rows.first() else { return Map::new() };
    let rel = &full.batch.relations;
    let authors: Vec<Value> = rel
        .contributors
        .get(&row.id)
        .map(|list| {
            list.iter()
                .map(|c| {
                    let provenance = (c.provenance != Provenance::default()).then_some(c.provenance);
                    Value::Object(object(json!({
                        "author": c.author.slug, "role": c.role, "affiliation": c.affiliation,
                        "provenance": provenance, "provenance_note": c.provenance_note,
                    })))
                })
                .collect()
        })
        .unwrap_or_default();
    let topics = rel.topics.get(&row.id).map(|l| links(l)).unwrap_or_default();
    let regions = rel.regions.get(&row.id).map(|l| links(l)).unwrap_or_default();
    let source = row
        .source_name
        .as_ref()
        .map(|name| object(json!({"name": name, "url": row.source_url, "published_on": row.source_published_on})));
    let translation = object(json!({
        "original_language": row.original_language, "original_title": row.original_title,
        "original_venue": row.original_venue, "original_published_on": row.original_published_on,
        "original_date_text": row.original_date_text, "note": row.translation_note,
    }));
    let original_marked = row.original_language.is_some() && row.original_language_provenance != Provenance::default();
    let provenance = (row.type_provenance != Provenance::default() || original_marked || row.provenance_note.is_some())
        .then(|| {
            object(json!({
                "type": row.type_provenance,
                "original_language": original_marked.then_some(row.original_language_provenance),
                "note": row.provenance_note,
            }))
        });
    let figures: Vec<Value> = full
        .figures
        .iter()
        .map(|f| {
            Value::Object(object(json!({
                "caption": f.caption, "credit": f.credit, "after_paragraph": f.after_paragraph,
            })))
        })
        .collect();
    let references: Vec<Value> =
        full.references.iter().map(|r| Value::Object(object(json!({"citation": r.citation, "url": r.url})))).collect();
    let publisher = rel.publishers.get(&row.publisher_id).map(|p| p.slug.clone());
    let series = row.series_id.and_then(|s| rel.series.get(&s)).map(|s| s.slug.clone());
    object(json!({
        "slug": row.slug,
        "title": row.title,
        "title_truncated": row.title_truncated,
        "subtitle": row.subtitle,
        "summary": row.summary,
        "body": full.body,
        "body_status": row.body_status,
        "type": row.article_type,
        "language": row.language,
        "published_at": moment(row.published_at),
        "updated_at": (row.updated_at != row.published_at).then(|| moment(row.updated_at)),
        "url": row.url,
        "publisher": publisher,
        "series": series,
        "authors": authors,
        "regions": regions,
        "topics": topics,
        "source": source,
        "translation": (!translation.is_empty()).then_some(translation),
        "figures": figures,
        "references": references,
        "provenance": provenance,
    }))
}
