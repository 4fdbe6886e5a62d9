//! What the three feed formats share: the feed's metadata and its entries,
//! built once from a page of the listing core, with absolute links and text
//! that every format can carry. Each format's renderer (`rss`, `atom`,
//! `jsonfeed`) only lays them out.

use chrono::{DateTime, Utc};

use super::xml::clean;
use super::Context;
use crate::domain::ArticleType;
use crate::error::ApiError;
use crate::listing::params::ListFormat;
use crate::listing::ListedPage;
use crate::pagination::{ListPosition, PageLinks};
use crate::views::articles::{ArticleItem, ContributorView, SourceView, TranslationView};
use crate::views::refs::ResourceRef;

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

/// One article, as every feed format shows it.
pub struct FeedEntry {
    pub id: i64,
    /// `urn:uuid:…`: the same in every format, kept through edits.
    pub guid: String,
    pub title: String,
    /// The article's page on its publisher's site when known, else its
    /// page in this API.
    pub link: String,
    /// The publisher's page, when known.
    pub canonical: Option<String>,
    pub api_url: String,
    pub published: DateTime<Utc>,
    pub updated: DateTime<Utc>,
    pub summary: Option<String>,
    pub body: Option<String>,
    pub language: String,
    pub article_type: ArticleType,
    pub byline: Vec<ContributorView>,
    pub topics: Vec<ResourceRef>,
    pub regions: Vec<ResourceRef>,
    pub publisher: ResourceRef,
    pub publisher_url: String,
    pub series: Option<ResourceRef>,
    pub source: Option<SourceView>,
    pub translation: Option<TranslationView>,
    pub origin: String,
}

impl FeedEntry {
    pub fn author_url(&self, person: &ContributorView) -> String {
        format!("{}/v1/authors/{}", self.origin, person.slug)
    }

    pub fn series_url(&self, series: &ResourceRef) -> String {
        format!("{}/v1/series/{}", self.origin, series.slug)
    }

    /// The scheme of topic categories (their terms are slugs).
    pub fn topic_scheme(&self) -> String {
        format!("{}/v1/topics/", self.origin)
    }

    pub fn region_scheme(&self) -> String {
        format!("{}/v1/regions/", self.origin)
    }
}

fn text(s: &str) -> String {
    clean(s).into_owned()
}

fn person(p: ContributorView) -> ContributorView {
    ContributorView { name: text(&p.name), affiliation: p.affiliation.as_deref().map(text), ..p }
}

fn named(r: ResourceRef) -> ResourceRef {
    ResourceRef { name: text(&r.name), ..r }
}

fn entry(item: ArticleItem, origin: &str) -> Result<FeedEntry, ApiError> {
    let missing = |field: &str| ApiError::Internal(format!("feed item {} has no `{field}`", item.id));
    let slug = item.slug.clone().ok_or_else(|| missing("slug"))?;
    let api_url = format!("{origin}/v1/articles/{}", item.id);
    let canonical = item.url.clone().flatten();
    let publisher = named(item.publisher.clone().ok_or_else(|| missing("publisher"))?);
    let translation = item.translation.clone().flatten().map(|t| TranslationView {
        original_title: t.original_title.as_deref().map(text),
        original_venue: t.original_venue.as_deref().map(text),
        original_date_text: t.original_date_text.as_deref().map(text),
        note: t.note.as_deref().map(text),
        translators: t.translators.into_iter().map(person).collect(),
        ..t
    });
    let source = item.source.clone().flatten().map(|s| SourceView { name: text(&s.name), ..s });
    Ok(FeedEntry {
        id: item.id,
        guid: format!("urn:uuid:{}", item.uid.clone().unwrap_or_else(|| crate::domain::article_uid(&slug))),
        title: text(item.title.as_deref().unwrap_or(&slug)),
        link: canonical.clone().unwrap_or_else(|| api_url.clone()),
        canonical,
        api_url,
        published: item.published_at.ok_or_else(|| missing("published_at"))?,
        updated: item.updated_at.ok_or_else(|| missing("updated_at"))?,
        summary: item.summary.flatten().as_deref().map(text),
        body: item.body.flatten().as_deref().map(text),
        language: item.language.unwrap_or_default(),
        article_type: item.article_type.ok_or_else(|| missing("type"))?,
        byline: item.authors.unwrap_or_default().into_iter().map(person).collect(),
        topics: item.topics.unwrap_or_default().into_iter().map(named).collect(),
        regions: item.regions.unwrap_or_default().into_iter().map(named).collect(),
        publisher_url: format!("{origin}/v1/publishers/{}", publisher.slug),
        publisher,
        series: item.series.flatten().map(named),
        source,
        translation,
        origin: origin.to_owned(),
    })
}

/// The feed metadata and entries of a page in `format`.
pub fn build(page: ListedPage, ctx: &Context<'_>, format: ListFormat) -> Result<(FeedMeta, Vec<FeedEntry>), ApiError> {
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
    let entries = page
        .items
        .into_iter()
        .map(|item| item.into_item().map_err(|e| ApiError::Internal(format!("a stored list item: {e}"))))
        .map(|item| item.and_then(|i| entry(i, origin)))
        .collect::<Result<Vec<_>, _>>()?;
    let slice = page.slice;
    let language = slice.as_ref().and_then(|s| s.language.clone()).or_else(|| {
        let first = entries.first().map(|e| e.language.clone())?;
        entries.iter().all(|e| e.language == first).then_some(first)
    });
    let updated = page
        .snapshot
        .at
        .or_else(|| entries.iter().map(|e| e.updated).max())
        .and_then(|t| DateTime::from_timestamp(t.timestamp(), 0))
        .unwrap_or(DateTime::UNIX_EPOCH);
    let meta = FeedMeta {
        id: format!("{origin}{}", named.url(None, None)),
        title: text(slice.as_ref().map_or("Articles", |s| s.title.as_str())),
        description: text(
            slice.as_ref().map_or("Articles from the Policy Commentary API.", |s| s.description.as_str()),
        ),
        self_url: format!("{origin}{}", ctx.location.here()),
        json_url: format!("{origin}{}", ctx.location.with(&[("format", Some("json".to_owned()))])),
        links,
        language,
        updated,
        total: page.total,
        full: ctx.full,
        origin: origin.to_owned(),
    };
    Ok((meta, entries))
}
