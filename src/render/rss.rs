//! RSS 2.0 (with the Atom namespace for `rel=self` and RFC 5005 paging,
//! Dublin Core for the byline and `content:encoded` for full text).

use std::collections::BTreeMap;

use rss::extension::atom::{AtomExtension, Link};
use rss::extension::dublincore::DublinCoreExtension;
use rss::extension::{Extension, ExtensionMap};
use rss::{Category, Channel, Guid, Item};

use super::feed::{FeedEntry, FeedMeta, GENERATOR, GENERATOR_VERSION, NAMESPACE, NAMESPACE_PREFIX};
use super::html;
use crate::error::ApiError;

fn atom_link(rel: &str, href: &str, mime_type: Option<&str>) -> Link {
    Link { rel: rel.to_owned(), href: href.to_owned(), mime_type: mime_type.map(str::to_owned), ..Link::default() }
}

fn element(name: &str, value: Option<String>, attrs: &[(&str, String)]) -> Extension {
    Extension {
        name: format!("{NAMESPACE_PREFIX}:{name}"),
        value,
        attrs: attrs.iter().map(|(k, v)| (k.to_string(), v.clone())).collect(),
        children: BTreeMap::new(),
    }
}

/// The elements beyond RSS: each byline entry with its role and
/// affiliation, the publisher, the series, the original source and the
/// translation.
fn extensions(entry: &FeedEntry) -> ExtensionMap {
    let mut ours: BTreeMap<String, Vec<Extension>> = BTreeMap::new();
    let mut add = |name: &str, ext: Extension| ours.entry(format!("{NAMESPACE_PREFIX}:{name}")).or_default().push(ext);
    add("id", element("id", Some(entry.id.to_string()), &[]));
    for p in &entry.byline {
        let mut attrs = vec![("role", p.role.as_str().to_owned()), ("href", entry.author_url(p))];
        if let Some(a) = &p.affiliation {
            attrs.push(("affiliation", a.clone()));
        }
        add("person", element("person", Some(p.name.clone()), &attrs));
    }
    add(
        "publisher",
        element("publisher", Some(entry.publisher.name.clone()), &[("href", entry.publisher_url.clone())]),
    );
    if let Some(series) = &entry.series {
        add("series", element("series", Some(series.name.clone()), &[("href", entry.series_url(series))]));
    }
    if let Some(source) = &entry.source {
        let mut attrs = Vec::new();
        if let Some(url) = &source.url {
            attrs.push(("href", url.clone()));
        }
        if let Some(date) = source.published_on {
            attrs.push(("published", date.to_string()));
        }
        add("source", element("source", Some(source.name.clone()), &attrs));
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
        add("translation", element("translation", t.note.clone(), &attrs));
    }
    let mut map = ExtensionMap::new();
    map.insert(NAMESPACE_PREFIX.to_owned(), ours);
    map
}

fn item(entry: &FeedEntry, full: bool) -> Item {
    let mut categories: Vec<Category> =
        entry.topics.iter().map(|t| Category { name: t.name.clone(), domain: Some(entry.topic_scheme()) }).collect();
    categories
        .extend(entry.regions.iter().map(|r| Category { name: r.name.clone(), domain: Some(entry.region_scheme()) }));
    let role = |wanted: bool| -> Vec<String> {
        entry.byline.iter().filter(|p| (p.role.as_str() == "author") == wanted).map(|p| p.name.clone()).collect()
    };
    Item {
        title: Some(entry.title.clone()),
        link: Some(entry.link.clone()),
        description: Some(html::content(entry, false)),
        guid: Some(Guid { value: entry.guid.clone(), permalink: false }),
        pub_date: Some(entry.published.to_rfc2822()),
        categories,
        content: (full && entry.body.is_some()).then(|| html::content(entry, true)),
        dublin_core_ext: Some(DublinCoreExtension {
            creators: role(true),
            contributors: role(false),
            dates: vec![entry.updated.to_rfc3339()],
            languages: vec![entry.language.clone()],
            publishers: vec![entry.publisher.name.clone()],
            types: vec![entry.article_type.as_str().to_owned()],
            ..DublinCoreExtension::default()
        }),
        extensions: extensions(entry),
        ..Item::default()
    }
}

/// The feed as RSS 2.0.
pub fn render(meta: &FeedMeta, entries: &[FeedEntry]) -> Result<Vec<u8>, ApiError> {
    let mut links = vec![
        atom_link("self", &meta.self_url, Some("application/rss+xml")),
        atom_link("alternate", &meta.json_url, Some("application/json")),
        atom_link("first", &meta.links.first, None),
        atom_link("last", &meta.links.last, None),
    ];
    if let Some(prev) = &meta.links.prev {
        links.push(atom_link("previous", prev, None));
    }
    if let Some(next) = &meta.links.next {
        links.push(atom_link("next", next, None));
    }
    let mut namespaces = BTreeMap::new();
    namespaces.insert(NAMESPACE_PREFIX.to_owned(), NAMESPACE.to_owned());
    let channel = Channel {
        title: meta.title.clone(),
        link: meta.json_url.clone(),
        description: meta.description.clone(),
        language: meta.language.clone(),
        last_build_date: Some(meta.updated.to_rfc2822()),
        generator: Some(format!("{GENERATOR} {GENERATOR_VERSION}")),
        items: entries.iter().map(|e| item(e, meta.full)).collect(),
        atom_ext: Some(AtomExtension { links }),
        namespaces,
        ..Channel::default()
    };
    channel.write_to(Vec::new()).map_err(|e| ApiError::Internal(format!("writing RSS: {e}")))
}
