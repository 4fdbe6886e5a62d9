//! Output formats. Each is one file with a pure function from a page of
//! the listing core (and where it was asked for) to bytes; `article_list`
//! picks the renderer for a format in one place. The feeds share their
//! entries and metadata (`feed`) and their HTML (`html`). Exports (`csv`,
//! `ndjson`, and the citations in `cite`) write item by item into a buffer
//! that is sent as it fills; `export` picks their writer.

pub mod atom;
pub mod changes_atom;
pub mod changes_jsonfeed;
pub mod cite;
pub mod csv;
pub mod export;
pub mod feed;
pub mod html;
pub mod item;
pub mod json;
pub mod jsonfeed;
pub mod ndjson;
pub mod rss;
pub mod xml;

use crate::cache::EntryCache;
use crate::error::ApiError;
use crate::listing::params::ListFormat;
use crate::listing::ListedPage;
use crate::pagination::{Location, PageLinks};

/// A rendered list: the bytes, their media type, and the links and total
/// the response headers repeat.
pub struct Rendered {
    pub body: Vec<u8>,
    pub content_type: &'static str,
    pub links: PageLinks,
    pub total: i64,
}

/// What renderers need besides the page.
pub struct Context<'a> {
    /// Where the list was asked for (links to other pages keep every
    /// parameter of it).
    pub location: &'a Location,
    /// `scheme://host` of absolute links.
    pub origin: &'a str,
    /// Items carry their bodies (`content=full`).
    pub full: bool,
    /// Feed entries rendered before (none in tests that want every entry
    /// rendered afresh).
    pub entries: Option<&'a EntryCache>,
}

/// An article list in `format`.
pub fn article_list(format: ListFormat, page: ListedPage, ctx: &Context<'_>) -> Result<Rendered, ApiError> {
    let render = match format {
        ListFormat::Json => return json::render(page, ctx),
        ListFormat::Rss => feed::render::<rss::Rss>,
        ListFormat::Atom => feed::render::<atom::Atom>,
        ListFormat::Jsonfeed => feed::render::<jsonfeed::JsonFeed>,
        ListFormat::Csv
        | ListFormat::Ndjson
        | ListFormat::Csl
        | ListFormat::Bibtex
        | ListFormat::Ris
        | ListFormat::Bibliography
        | ListFormat::Html => return Err(ApiError::Internal(format!("{} is an export, not a page", format.name()))),
    };
    // The `Link` header of a feed points where its own paging links do.
    let (body, links) = render(&page, ctx, format)?;
    Ok(Rendered { body, content_type: format.media_type(), links, total: page.total })
}
