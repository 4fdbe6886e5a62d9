//! Atom 1.0 (RFC 4287), with RFC 5005 paging links and this API's
//! namespace (`ca:`) for byline roles and affiliations and attribution.

use std::io;

use quick_xml::events::{BytesDecl, BytesEnd, BytesStart, Event};

use super::feed::{Entry, FeedMeta, Layout, Person, GENERATOR, GENERATOR_VERSION, NAMESPACE, NAMESPACE_PREFIX};
use super::html;
use super::rss::{attribution_elements, feed_links};
use super::xml::{element, empty, html_element, with_writer, XmlWriter};
use crate::error::ApiError;

/// A byline person: their role and their affiliation at the time travel as
/// extension elements of the Atom person.
fn person(w: &mut XmlWriter, e: &Entry<'_>, tag: &str, p: &Person<'_>) -> io::Result<()> {
    w.write_event(Event::Start(BytesStart::new(tag)))?;
    element(w, "name", &[], &p.name)?;
    element(w, "uri", &[], &e.author_url(&p.slug))?;
    element(w, "ca:role", &[], p.role.as_str())?;
    if let Some(a) = &p.affiliation {
        element(w, "ca:affiliation", &[], a)?;
    }
    element(w, "ca:provenance", &[], p.provenance.as_str())?;
    w.write_event(Event::End(BytesEnd::new(tag)))?;
    Ok(())
}

fn write_entry(w: &mut XmlWriter, e: &Entry<'_>, full: bool) -> io::Result<()> {
    let item = &e.item;
    let html = &mut String::with_capacity(2048);
    w.write_event(Event::Start(BytesStart::new("entry")))?;
    element(w, "title", &[], &item.title)?;
    element(w, "id", &[], &e.guid)?;
    element(w, "updated", &[], &item.updated_at.to_rfc3339())?;
    element(w, "published", &[], &item.published_at.to_rfc3339())?;
    for p in item.authors.iter().filter(|p| p.role.as_str() == "author") {
        person(w, e, "author", p)?;
    }
    for p in item.authors.iter().filter(|p| p.role.as_str() != "author") {
        person(w, e, "contributor", p)?;
    }
    let (topics, regions) = (e.topic_scheme(), e.region_scheme());
    for (scheme, terms) in [(&topics, &item.topics), (&regions, &item.regions)] {
        for t in terms {
            let attrs = [
                ("term", t.slug.as_ref()),
                ("scheme", scheme.as_str()),
                ("label", t.name.as_ref()),
                ("ca:provenance", t.provenance.as_str()),
            ];
            empty(w, "category", &attrs)?;
        }
    }
    // The publisher's page when known (HTML), else the article in this API.
    match &item.url {
        Some(page) => {
            empty(w, "link", &[("rel", "alternate"), ("href", page), ("type", "text/html")])?;
            empty(w, "link", &[("rel", "related"), ("href", &e.api_url), ("type", "application/json")])?;
        }
        None => empty(w, "link", &[("rel", "alternate"), ("href", &e.api_url), ("type", "application/json")])?,
    }
    if let Some(summary) = &item.summary {
        element(w, "summary", &[], summary)?;
    }
    html::content_into(html, e, full);
    html_element(w, "content", &[("type", "html"), ("xml:lang", &item.language)], html)?;
    attribution_elements(w, e)?;
    w.write_event(Event::End(BytesEnd::new("entry")))?;
    Ok(())
}

/// Atom 1.0 (`feed::Layout`).
pub struct Atom;

fn failed(e: io::Error) -> ApiError {
    ApiError::Internal(format!("writing Atom: {e}"))
}

impl Layout for Atom {
    fn head(meta: &FeedMeta, out: &mut Vec<u8>) -> Result<(), ApiError> {
        with_writer(out, |w| head(w, meta)).map_err(failed)
    }

    fn entry(entry: &Entry<'_>, full: bool, out: &mut Vec<u8>) -> Result<(), ApiError> {
        with_writer(out, |w| write_entry(w, entry, full)).map_err(failed)
    }

    fn tail(_: &FeedMeta, out: &mut Vec<u8>) -> Result<(), ApiError> {
        out.extend_from_slice(b"</feed>");
        Ok(())
    }
}

fn head(w: &mut XmlWriter, meta: &FeedMeta) -> io::Result<()> {
    w.write_event(Event::Decl(BytesDecl::new("1.0", Some("utf-8"), None)))?;
    let mut feed = BytesStart::new("feed");
    feed.push_attribute(("xmlns", "http://www.w3.org/2005/Atom"));
    feed.push_attribute((format!("xmlns:{NAMESPACE_PREFIX}").as_str(), NAMESPACE));
    if let Some(language) = &meta.language {
        feed.push_attribute(("xml:lang", language.as_str()));
    }
    w.write_event(Event::Start(feed))?;
    element(w, "title", &[], &meta.title)?;
    element(w, "subtitle", &[], &meta.description)?;
    element(w, "id", &[], &meta.id)?;
    element(w, "updated", &[], &meta.updated.to_rfc3339())?;
    element(w, "generator", &[("version", GENERATOR_VERSION)], GENERATOR)?;
    feed_links(w, "link", meta, "application/atom+xml")
}
