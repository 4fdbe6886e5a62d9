//! RSS 2.0, with the Atom namespace for `rel=self` and RFC 5005 paging,
//! Dublin Core for the byline, `content:encoded` for full text, and this
//! API's namespace (`ca:`) for what RSS has no element for.

use std::io;

use quick_xml::events::{BytesDecl, BytesEnd, BytesStart, Event};

use super::feed::{Entry, FeedMeta, Layout, GENERATOR, GENERATOR_VERSION, NAMESPACE, NAMESPACE_PREFIX};
use super::html;
use super::xml::{element, empty, html_element, with_writer, XmlWriter};
use crate::error::ApiError;

const ATOM: &str = "http://www.w3.org/2005/Atom";
const DUBLIN_CORE: &str = "http://purl.org/dc/elements/1.1/";
const CONTENT: &str = "http://purl.org/rss/1.0/modules/content/";

/// The elements beyond RSS: each byline entry with its role and
/// affiliation, the publisher, the series, the original source and the
/// translation (shared with Atom).
pub fn attribution_elements(w: &mut XmlWriter, e: &Entry<'_>) -> io::Result<()> {
    let item = &e.item;
    element(w, "ca:id", &[], &item.id.to_string())?;
    for p in &item.authors {
        let href = e.author_url(&p.slug);
        let mut attrs = vec![("role", p.role.as_str()), ("href", href.as_str()), ("provenance", p.provenance.as_str())];
        if let Some(a) = &p.affiliation {
            attrs.push(("affiliation", a));
        }
        if let Some(note) = &p.provenance_note {
            attrs.push(("provenance-note", note));
        }
        element(w, "ca:person", &attrs, &p.name)?;
    }
    element(w, "ca:publisher", &[("href", &e.publisher_url())], &item.publisher.name)?;
    if let Some(series) = &item.series {
        element(w, "ca:series", &[("href", &e.series_url(&series.slug))], &series.name)?;
    }
    if let Some(source) = &item.source {
        let date = source.published_on.map(|d| d.to_string());
        let mut attrs = Vec::new();
        if let Some(url) = &source.url {
            attrs.push(("href", url.as_ref()));
        }
        if let Some(date) = &date {
            attrs.push(("published", date.as_str()));
        }
        element(w, "ca:source", &attrs, &source.name)?;
    }
    if let Some(t) = &item.translation {
        let date = t.original_published_on.map(|d| d.to_string());
        let mut attrs = Vec::new();
        if let Some(language) = &t.original_language {
            attrs.push(("language", language.as_ref()));
        }
        if let Some(venue) = &t.original_venue {
            attrs.push(("venue", venue.as_ref()));
        }
        if let Some(date) = &date {
            attrs.push(("published", date.as_str()));
        }
        if let Some(words) = &t.original_date_text {
            attrs.push(("date-text", words.as_ref()));
        }
        element(w, "ca:translation", &attrs, t.note.as_deref().unwrap_or(""))?;
    }
    Ok(())
}

fn item(w: &mut XmlWriter, e: &Entry<'_>, full: bool) -> io::Result<()> {
    let item = &e.item;
    let html = &mut String::with_capacity(2048);
    w.write_event(Event::Start(BytesStart::new("item")))?;
    element(w, "title", &[], &item.title)?;
    element(w, "link", &[], &e.link)?;
    html::content_into(html, e, false);
    html_element(w, "description", &[], html)?;
    if full && item.body.is_some() {
        html::content_into(html, e, true);
        html_element(w, "content:encoded", &[], html)?;
    }
    let (topics, regions) = (e.topic_scheme(), e.region_scheme());
    for (scheme, terms) in [(&topics, &item.topics), (&regions, &item.regions)] {
        for t in terms {
            let attrs = [("domain", scheme.as_str()), ("ca:provenance", t.provenance.as_str())];
            element(w, "category", &attrs, &t.name)?;
        }
    }
    element(w, "guid", &[("isPermaLink", "false")], &e.guid)?;
    element(w, "pubDate", &[], &item.published_at.to_rfc2822())?;
    for p in &item.authors {
        let name = if p.role.as_str() == "author" { "dc:creator" } else { "dc:contributor" };
        element(w, name, &[], &p.name)?;
    }
    element(w, "dc:date", &[], &item.updated_at.to_rfc3339())?;
    element(w, "dc:language", &[], &item.language)?;
    element(w, "dc:type", &[], item.article_type.as_str())?;
    attribution_elements(w, e)?;
    w.write_event(Event::End(BytesEnd::new("item")))?;
    Ok(())
}

/// RSS 2.0 (`feed::Layout`).
pub struct Rss;

fn failed(e: io::Error) -> ApiError {
    ApiError::Internal(format!("writing RSS: {e}"))
}

impl Layout for Rss {
    fn head(meta: &FeedMeta, out: &mut Vec<u8>) -> Result<(), ApiError> {
        with_writer(out, |w| head(w, meta)).map_err(failed)
    }

    fn entry(entry: &Entry<'_>, full: bool, out: &mut Vec<u8>) -> Result<(), ApiError> {
        with_writer(out, |w| item(w, entry, full)).map_err(failed)
    }

    fn tail(_: &FeedMeta, out: &mut Vec<u8>) -> Result<(), ApiError> {
        out.extend_from_slice(b"</channel></rss>");
        Ok(())
    }
}

fn head(w: &mut XmlWriter, meta: &FeedMeta) -> io::Result<()> {
    w.write_event(Event::Decl(BytesDecl::new("1.0", Some("utf-8"), None)))?;
    let mut rss = BytesStart::new("rss");
    rss.push_attribute(("version", "2.0"));
    rss.push_attribute(("xmlns:atom", ATOM));
    rss.push_attribute(("xmlns:dc", DUBLIN_CORE));
    rss.push_attribute(("xmlns:content", CONTENT));
    rss.push_attribute((format!("xmlns:{NAMESPACE_PREFIX}").as_str(), NAMESPACE));
    w.write_event(Event::Start(rss))?;
    w.write_event(Event::Start(BytesStart::new("channel")))?;
    element(w, "title", &[], &meta.title)?;
    element(w, "link", &[], &meta.json_url)?;
    element(w, "description", &[], &meta.description)?;
    if let Some(language) = &meta.language {
        element(w, "language", &[], language)?;
    }
    element(w, "lastBuildDate", &[], &meta.updated.to_rfc2822())?;
    element(w, "generator", &[], &format!("{GENERATOR} {GENERATOR_VERSION}"))?;
    feed_links(w, "atom:link", meta, "application/rss+xml")
}

/// The feed's Atom links (`tag` is `link` in Atom, `atom:link` in RSS):
/// itself (of media type `own`), the JSON list, and RFC 5005 paging.
pub fn feed_links(w: &mut XmlWriter, tag: &str, meta: &FeedMeta, own: &str) -> io::Result<()> {
    empty(w, tag, &[("rel", "self"), ("href", &meta.self_url), ("type", own)])?;
    empty(w, tag, &[("rel", "alternate"), ("href", &meta.json_url), ("type", "application/json")])?;
    empty(w, tag, &[("rel", "first"), ("href", &meta.links.first)])?;
    empty(w, tag, &[("rel", "last"), ("href", &meta.links.last)])?;
    if let Some(prev) = &meta.links.prev {
        empty(w, tag, &[("rel", "previous"), ("href", prev)])?;
    }
    if let Some(next) = &meta.links.next {
        empty(w, tag, &[("rel", "next"), ("href", next)])?;
    }
    Ok(())
}
