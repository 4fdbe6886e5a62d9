//! Atom 1.0 (RFC 4287), with RFC 5005 paging links.

use std::collections::BTreeMap;

use atom_syndication::extension::{Extension, ExtensionMap};
use atom_syndication::{Category, Content, Entry, Feed, Generator, Link, Person, Text};

use super::feed::{FeedEntry, FeedMeta, GENERATOR, GENERATOR_VERSION, NAMESPACE, NAMESPACE_PREFIX};
use super::html;
use crate::error::ApiError;

fn link(rel: &str, href: &str, mime_type: Option<&str>) -> Link {
    Link { rel: rel.to_owned(), href: href.to_owned(), mime_type: mime_type.map(str::to_owned), ..Link::default() }
}

/// An extension element. atom_syndication writes extension attribute
/// values verbatim (element text it escapes), so they are escaped here; a
/// test parses every feed with a strict XML parser.
fn element(name: &str, value: Option<String>, attrs: &[(&str, String)]) -> Extension {
    Extension {
        name: format!("{NAMESPACE_PREFIX}:{name}"),
        value,
        attrs: attrs.iter().map(|(k, v)| (k.to_string(), html::escape(v))).collect(),
        children: BTreeMap::new(),
    }
}

fn ours(elements: Vec<(&str, Extension)>) -> ExtensionMap {
    let mut by_name: BTreeMap<String, Vec<Extension>> = BTreeMap::new();
    for (name, ext) in elements {
        by_name.entry(format!("{NAMESPACE_PREFIX}:{name}")).or_default().push(ext);
    }
    let mut map = ExtensionMap::new();
    map.insert(NAMESPACE_PREFIX.to_owned(), by_name);
    map
}

/// A byline person: their role and their affiliation at the time travel as
/// extension elements of the Atom person.
fn person(entry: &FeedEntry, p: &crate::views::articles::ContributorView) -> Person {
    let mut elements = vec![("role", element("role", Some(p.role.as_str().to_owned()), &[]))];
    if let Some(a) = &p.affiliation {
        elements.push(("affiliation", element("affiliation", Some(a.clone()), &[])));
    }
    Person { name: p.name.clone(), uri: Some(entry.author_url(p)), email: None, extensions: ours(elements) }
}

fn text(value: &str) -> Text {
    Text::plain(value)
}

fn attribution(entry: &FeedEntry) -> ExtensionMap {
    let mut elements = vec![
        ("id", element("id", Some(entry.id.to_string()), &[])),
        (
            "publisher",
            element("publisher", Some(entry.publisher.name.clone()), &[("href", entry.publisher_url.clone())]),
        ),
    ];
    if let Some(series) = &entry.series {
        elements.push(("series", element("series", Some(series.name.clone()), &[("href", entry.series_url(series))])));
    }
    if let Some(source) = &entry.source {
        let mut attrs = Vec::new();
        if let Some(url) = &source.url {
            attrs.push(("href", url.clone()));
        }
        if let Some(date) = source.published_on {
            attrs.push(("published", date.to_string()));
        }
        elements.push(("source", element("source", Some(source.name.clone()), &attrs)));
    }
    if let Some(t) = &entry.translation {
        let mut attrs = Vec::new();
        if let Some(language) = &t.original_language {
            attrs.push(("language", language.clone()));
        }
        if let Some(venue) = &t.original_venue {
            attrs.push(("venue", venue.clone()));
        }
        if let Some(date) = t.original_published_on {
            attrs.push(("published", date.to_string()));
        }
        if let Some(words) = &t.original_date_text {
            attrs.push(("date-text", words.clone()));
        }
        elements.push(("translation", element("translation", t.note.clone(), &attrs)));
    }
    ours(elements)
}

fn entry(e: &FeedEntry, full: bool) -> Entry {
    let (authors, contributors): (Vec<_>, Vec<_>) = e.byline.iter().partition(|p| p.role.as_str() == "author");
    let mut categories: Vec<Category> = e
        .topics
        .iter()
        .map(|t| Category { term: t.slug.clone(), scheme: Some(e.topic_scheme()), label: Some(t.name.clone()) })
        .collect();
    categories.extend(e.regions.iter().map(|r| Category {
        term: r.slug.clone(),
        scheme: Some(e.region_scheme()),
        label: Some(r.name.clone()),
    }));
    // The publisher's page when known (HTML), else the article in this API.
    let links = match &e.canonical {
        Some(page) => {
            vec![link("alternate", page, Some("text/html")), link("related", &e.api_url, Some("application/json"))]
        }
        None => vec![link("alternate", &e.api_url, Some("application/json"))],
    };
    Entry {
        title: text(&e.title),
        id: e.guid.clone(),
        updated: e.updated.fixed_offset(),
        published: Some(e.published.fixed_offset()),
        authors: authors.into_iter().map(|p| person(e, p)).collect(),
        contributors: contributors.into_iter().map(|p| person(e, p)).collect(),
        categories,
        links,
        summary: e.summary.as_deref().map(text),
        content: Some(Content {
            value: Some(html::content(e, full)),
            content_type: Some("html".to_owned()),
            lang: Some(e.language.clone()),
            ..Content::default()
        }),
        extensions: attribution(e),
        ..Entry::default()
    }
}

/// The feed as Atom 1.0.
pub fn render(meta: &FeedMeta, entries: &[FeedEntry]) -> Result<Vec<u8>, ApiError> {
    let mut links = vec![
        link("self", &meta.self_url, Some("application/atom+xml")),
        link("alternate", &meta.json_url, Some("application/json")),
        link("first", &meta.links.first, None),
        link("last", &meta.links.last, None),
    ];
    if let Some(prev) = &meta.links.prev {
        links.push(link("previous", prev, None));
    }
    if let Some(next) = &meta.links.next {
        links.push(link("next", next, None));
    }
    let mut namespaces = BTreeMap::new();
    namespaces.insert(NAMESPACE_PREFIX.to_owned(), NAMESPACE.to_owned());
    let feed = Feed {
        title: text(&meta.title),
        id: meta.id.clone(),
        updated: meta.updated.fixed_offset(),
        subtitle: Some(text(&meta.description)),
        generator: Some(Generator {
            value: GENERATOR.to_owned(),
            uri: None,
            version: Some(GENERATOR_VERSION.to_owned()),
        }),
        links,
        lang: meta.language.clone(),
        entries: entries.iter().map(|e| entry(e, meta.full)).collect(),
        namespaces,
        ..Feed::default()
    };
    feed.write_to(Vec::new()).map_err(|e| ApiError::Internal(format!("writing Atom: {e}")))
}
