//! What the three feed formats share: the feed's metadata and its entries,
//! built from a page of the listing core, with absolute links and text
//! every format can carry, and the assembly of a feed from them. Each
//! format (`rss`, `atom`, `jsonfeed`) only lays them out (`Layout`).
//!
//! Entries borrow their text from the page's stored list items (read back
//! from their JSON without copying what needs no unescaping). Each entry is
//! rendered on its own and kept (`cache::entries`, keyed by a hash of the
//! stored item, the format and the origin), so a feed page of entries
//! rendered before costs little more than the JSON list of the same slice
//! (see BENCHMARKS.md).

use std::borrow::Cow;
use std::sync::Arc;

use chrono::{DateTime, Utc};

pub use super::item::{item_texts, Classified, Item, Named, Person, Source, Text, Translation};
use super::xml::clean;
use super::Context;
use crate::cache::{EntryKey, RenderedEntry};
use crate::error::ApiError;
use crate::listing::params::ListFormat;
use crate::listing::ListedPage;
use crate::pagination::{ListPosition, PageLinks};

/// The name and version feeds give as their generator.
pub const GENERATOR: &str = "commentary-api";
pub const GENERATOR_VERSION: &str = env!("CARGO_PKG_VERSION");

/// A namespace for the elements feeds carry beyond their format's own
/// (byline roles and affiliations, publisher, series, source, translation).
pub const NAMESPACE: &str = "urn:commentary-api:feed:1";
pub const NAMESPACE_PREFIX: &str = "ca";

/// The feed as a whole.
pub struct FeedMeta {
    /// Stable for the list: the absolute URL of its first page.
    pub id: String,
    pub title: String,
    pub description: String,
    /// This page, exactly as asked for.
    pub self_url: String,
    /// The same list as JSON.
    pub json_url: String,
    /// First, previous, next and last pages (absolute).
    pub links: PageLinks,
    pub language: Option<String>,
    pub updated: DateTime<Utc>,
    pub total: i64,
    /// Entries carry their bodies (`content=full`).
    pub full: bool,
    pub origin: String,
}

/// One article, as every feed format shows it: its item with the text made
/// safe for XML, and its links.
pub struct Entry<'a> {
    pub item: Item<'a>,
    /// `urn:uuid:…`: the same in every format, kept through edits.
    pub guid: String,
    /// The article's page on its publisher's site when known, else its
    /// page in this API.
    pub link: String,
    pub api_url: String,
    pub origin: &'a str,
}

impl Entry<'_> {
    pub fn author_url(&self, slug: &str) -> String {
        format!("{}/v1/authors/{slug}", self.origin)
    }

    pub fn publisher_url(&self) -> String {
        format!("{}/v1/publishers/{}", self.origin, self.item.publisher.slug)
    }

    pub fn series_url(&self, slug: &str) -> String {
        format!("{}/v1/series/{slug}", self.origin)
    }

    /// The scheme of topic categories (their terms are slugs).
    pub fn topic_scheme(&self) -> String {
        format!("{}/v1/topics/", self.origin)
    }

    pub fn region_scheme(&self) -> String {
        format!("{}/v1/regions/", self.origin)
    }
}

/// `text` without what XML 1.0 forbids, still borrowed when nothing had to
/// go.
fn safe(text: Text<'_>) -> Text<'_> {
    match text {
        Cow::Borrowed(s) => clean(s),
        Cow::Owned(s) => match clean(&s) {
            Cow::Borrowed(_) => Cow::Owned(s),
            Cow::Owned(cleaned) => Cow::Owned(cleaned),
        },
    }
}

fn safe_opt(text: Option<Text<'_>>) -> Option<Text<'_>> {
    text.map(safe)
}

fn safe_named(n: Named<'_>) -> Named<'_> {
    Named { name: safe(n.name), ..n }
}

fn safe_person(p: Person<'_>) -> Person<'_> {
    Person {
        name: safe(p.name),
        affiliation: safe_opt(p.affiliation),
        provenance_note: safe_opt(p.provenance_note),
        ..p
    }
}

fn safe_classified(c: Classified<'_>) -> Classified<'_> {
    Classified { name: safe(c.name), provenance_note: safe_opt(c.provenance_note), ..c }
}

impl<'a> Item<'a> {
    fn made_safe(self) -> Item<'a> {
        Item {
            title: safe(self.title),
            subtitle: safe_opt(self.subtitle),
            summary: safe_opt(self.summary),
            body: safe_opt(self.body),
            publisher: safe_named(self.publisher),
            series: self.series.map(safe_named),
            authors: self.authors.into_iter().map(safe_person).collect(),
            regions: self.regions.into_iter().map(safe_classified).collect(),
            topics: self.topics.into_iter().map(safe_classified).collect(),
            source: self.source.map(|s| Source { name: safe(s.name), url: safe_opt(s.url), ..s }),
            translation: self.translation.map(|t| Translation {
                original_title: safe_opt(t.original_title),
                original_venue: safe_opt(t.original_venue),
                original_date_text: safe_opt(t.original_date_text),
                note: safe_opt(t.note),
                translators: t.translators.into_iter().map(safe_person).collect(),
                ..t
            }),
            ..self
        }
    }
}

fn entry<'a>(json: &'a str, origin: &'a str) -> Result<Entry<'a>, ApiError> {
    let item: Item<'a> =
        serde_json::from_str(json).map_err(|e| ApiError::Internal(format!("a list item read for a feed: {e}")))?;
    let item = item.made_safe();
    let api_url = format!("{origin}/v1/articles/{}", item.id);
    let uid = item.uid.as_deref().map_or_else(|| crate::domain::article_uid(&item.slug), str::to_owned);
    Ok(Entry {
        guid: format!("urn:uuid:{uid}"),
        link: item.url.as_deref().map_or_else(|| api_url.clone(), str::to_owned),
        api_url,
        item,
        origin,
    })
}

/// How a feed format lays out a feed: what comes before its entries, each
/// entry, what goes between two, and what closes the feed. Entries are
/// written on their own so that they can be kept and reused (see
/// `cache::entries`).
pub trait Layout {
    fn head(meta: &FeedMeta, out: &mut Vec<u8>) -> Result<(), ApiError>;
    fn entry(entry: &Entry<'_>, full: bool, out: &mut Vec<u8>) -> Result<(), ApiError>;
    const SEPARATOR: &'static [u8] = b"";
    fn tail(meta: &FeedMeta, out: &mut Vec<u8>) -> Result<(), ApiError>;
}

/// A page of the listing core as a feed laid out by `L`.
pub fn render<L: Layout>(
    page: &ListedPage,
    ctx: &Context<'_>,
    format: ListFormat,
) -> Result<(Vec<u8>, PageLinks), ApiError> {
    let texts = item_texts(&page.items)?;
    let entries = texts.iter().map(|text| rendered::<L>(text, ctx, format)).collect::<Result<Vec<_>, _>>()?;
    let meta = meta(page, &entries, ctx, format);
    let mut out = Vec::with_capacity(4096 + entries.iter().map(|e| e.bytes.len()).sum::<usize>());
    L::head(&meta, &mut out)?;
    for (n, entry) in entries.iter().enumerate() {
        if n > 0 {
            out.extend_from_slice(L::SEPARATOR);
        }
        out.extend_from_slice(&entry.bytes);
    }
    L::tail(&meta, &mut out)?;
    Ok((out, meta.links))
}

/// One item of a page as an entry of `L`: from the cache when the same
/// item was rendered the same way before.
fn rendered<L: Layout>(text: &str, ctx: &Context<'_>, format: ListFormat) -> Result<Arc<RenderedEntry>, ApiError> {
    let render = || {
        let entry = entry(text, ctx.origin)?;
        let mut bytes = Vec::with_capacity(2048);
        L::entry(&entry, ctx.full, &mut bytes)?;
        Ok(RenderedEntry {
            bytes: bytes.into_boxed_slice(),
            language: entry.item.language.as_ref().into(),
            updated: entry.item.updated_at.timestamp(),
        })
    };
    let Some(cache) = ctx.entries else {
        return render().map(Arc::new);
    };
    cache.get_or_render(EntryKey::new(format.name(), ctx.full, ctx.origin, text.as_bytes()), render)
}

/// The feed metadata of a page in `format`, with its `entries`.
fn meta(page: &ListedPage, entries: &[Arc<RenderedEntry>], ctx: &Context<'_>, format: ListFormat) -> FeedMeta {
    let origin = ctx.origin;
    let per_page = i64::from(page.window.per_page);
    let total_pages = (page.total + per_page - 1) / per_page;
    // Links to other pages name the format, so that a reader that sends no
    // `Accept` walks the same feed.
    let named = ctx.location.replacing(&[("format", Some(format.name().to_owned()))]);
    let links = PageLinks::for_list(
        &named,
        ListPosition {
            window: page.window,
            total_pages,
            cursor_mode: page.cursor_mode,
            next_cursor: page.next_cursor.as_deref(),
            truncated: page.truncated,
        },
    )
    .absolute(origin);
    let slice = page.slice.as_ref();
    let language = slice.and_then(|s| s.language.clone()).or_else(|| {
        let first = &entries.first()?.language;
        entries.iter().all(|e| &e.language == first).then(|| first.to_string())
    });
    let updated = page
        .snapshot
        .at
        .map(|t| t.timestamp())
        .or_else(|| entries.iter().map(|e| e.updated).max())
        .and_then(|t| DateTime::from_timestamp(t, 0))
        .unwrap_or(DateTime::UNIX_EPOCH);
    FeedMeta {
        id: format!("{origin}{}", named.url(None, None)),
        title: clean(slice.map_or("Articles", |s| s.title.as_str())).into_owned(),
        description: clean(slice.map_or("Articles from the Policy Commentary API.", |s| s.description.as_str()))
            .into_owned(),
        self_url: format!("{origin}{}", ctx.location.here()),
        json_url: format!("{origin}{}", ctx.location.with(&[("format", Some("json".to_owned()))])),
        links,
        language,
        updated,
        total: page.total,
        full: ctx.full,
        origin: origin.to_owned(),
    }
}
