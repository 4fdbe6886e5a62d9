//! The change feed as Atom 1.0, so that a partner can follow corrections
//! with an ordinary feed reader: one entry per change, newest page last
//! (the feed's order), with RFC 5005 `next` to walk on and the changed
//! resource as each entry's link.

use std::io;

use quick_xml::events::{BytesDecl, BytesEnd, BytesStart, Event};

use super::feed::{GENERATOR, GENERATOR_VERSION, NAMESPACE, NAMESPACE_PREFIX};
use super::xml::{element, empty, with_writer, XmlWriter};
use crate::error::ApiError;
use crate::views::changes::{ChangePage, ChangeView};

/// Where the page was asked for (absolute links start with `origin`).
pub struct ChangeFeedLinks<'a> {
    pub origin: &'a str,
    /// This page as Atom, and as JSON.
    pub self_url: String,
    pub json_url: String,
    /// The next page as Atom.
    pub next_url: String,
}

/// The entry's id: the URL of the one-entry page that holds it.
pub fn entry_id(origin: &str, change: &ChangeView) -> String {
    format!("{origin}/v1/changes?since={}&limit=1", change.seq - 1)
}

fn entry(w: &mut XmlWriter, origin: &str, c: &ChangeView) -> io::Result<()> {
    w.write_event(Event::Start(BytesStart::new("entry")))?;
    let name = c.slug.as_deref().unwrap_or("(no slug)");
    element(w, "title", &[], &format!("{} {name}: {}", c.kind.as_str(), verb(c)))?;
    element(w, "id", &[], &entry_id(origin, c))?;
    element(w, "updated", &[], &c.changed_at.to_rfc3339())?;
    let href = format!("{origin}{}", c.url);
    empty(w, "link", &[("rel", "alternate"), ("href", &href), ("type", "application/json")])?;
    empty(w, "category", &[("term", c.kind.as_str()), ("scheme", &format!("{origin}/v1/changes?kind="))])?;
    let seq = c.seq.to_string();
    let id = c.id.to_string();
    let mut attrs = vec![("seq", seq.as_str()), ("kind", c.kind.as_str()), ("id", id.as_str())];
    attrs.push(("action", c.action.as_str()));
    if let Some(t) = &c.tombstone {
        attrs.push(("tombstone", t.state.as_str()));
    }
    if let Some(slug) = &c.slug {
        attrs.push(("slug", slug));
    }
    empty(w, "ca:change", &attrs)?;
    let summary = match c.action {
        crate::domain::ChangeAction::Upsert => {
            format!("Change {seq}: the {} {name} was {}; its state now is at {href}", c.kind.as_str(), verb(c))
        }
        crate::domain::ChangeAction::Delete => {
            format!("Change {seq}: the {} {name} was {}; {href} answers 410 Gone", c.kind.as_str(), verb(c))
        }
    };
    element(w, "summary", &[], &summary)?;
    w.write_event(Event::End(BytesEnd::new("entry")))
}

pub fn verb(c: &ChangeView) -> &'static str {
    match (c.action, c.tombstone.as_ref().map(|t| t.state)) {
        (crate::domain::ChangeAction::Upsert, _) => "created or changed",
        (crate::domain::ChangeAction::Delete, Some(crate::domain::TombstoneState::Unpublished)) => "unpublished",
        (crate::domain::ChangeAction::Delete, _) => "deleted",
    }
}

fn write(w: &mut XmlWriter, page: &ChangePage, links: &ChangeFeedLinks<'_>) -> io::Result<()> {
    w.write_event(Event::Decl(BytesDecl::new("1.0", Some("utf-8"), None)))?;
    let mut feed = BytesStart::new("feed");
    feed.push_attribute(("xmlns", "http://www.w3.org/2005/Atom"));
    feed.push_attribute((format!("xmlns:{NAMESPACE_PREFIX}").as_str(), NAMESPACE));
    w.write_event(Event::Start(feed))?;
    element(w, "title", &[], "Changes to the Policy Commentary API's corpus")?;
    element(
        w,
        "subtitle",
        &[],
        "Every create, update and deletion, oldest first: follow the next link, and fetch each entry's link for the resource as it is now.",
    )?;
    element(w, "id", &[], &format!("{}/v1/changes", links.origin))?;
    let updated =
        page.data.last().map_or_else(|| chrono::DateTime::UNIX_EPOCH.to_rfc3339(), |c| c.changed_at.to_rfc3339());
    element(w, "updated", &[], &updated)?;
    element(w, "generator", &[("version", GENERATOR_VERSION)], GENERATOR)?;
    empty(w, "link", &[("rel", "self"), ("href", &links.self_url), ("type", "application/atom+xml")])?;
    empty(w, "link", &[("rel", "alternate"), ("href", &links.json_url), ("type", "application/json")])?;
    empty(w, "link", &[("rel", "next"), ("href", &links.next_url), ("type", "application/atom+xml")])?;
    for c in &page.data {
        entry(w, links.origin, c)?;
    }
    w.write_event(Event::End(BytesEnd::new("feed")))
}

/// A page of the change feed as Atom 1.0.
pub fn render(page: &ChangePage, links: &ChangeFeedLinks<'_>) -> Result<Vec<u8>, ApiError> {
    let mut out = Vec::with_capacity(1024 + page.data.len() * 700);
    with_writer(&mut out, |w| write(w, page, links)).map_err(|e| ApiError::Internal(format!("writing Atom: {e}")))?;
    Ok(out)
}
