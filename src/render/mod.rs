//! Output formats. Each is one file with a pure function from a page of
//! the listing core (and where it was asked for) to bytes; `article_list`
//! picks the renderer for a format in one place. The feeds share their
//! entries and metadata (`feed`) and their HTML (`html`).

pub mod atom;
pub mod feed;
pub mod html;
pub mod json;
pub mod jsonfeed;
pub mod rss;
pub mod xml;

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
}

/// An article list in `format`.
pub fn article_list(format: ListFormat, page: ListedPage, ctx: &Context<'_>) -> Result<Rendered, ApiError> {
    let feed = match format {
        ListFormat::Json => return json::render(page, ctx),
        ListFormat::Rss => rss::render,
        ListFormat::Atom => atom::render,
        ListFormat::Jsonfeed => jsonfeed::render,
    };
    let total = page.total;
    let texts = feed::item_texts(&page.items)?;
    let (meta, entries) = feed::build(&page, &texts, ctx, format)?;
    let body = feed(&meta, &entries)?;
    // The `Link` header of a feed points where its own paging links do.
    let links = meta.links;
    Ok(Rendered { body, content_type: format.media_type(), links, total })
}
