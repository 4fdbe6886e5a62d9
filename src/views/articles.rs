//! What an article looks like on the wire: a summary in lists, the full
//! record on its own.

use chrono::{DateTime, NaiveDate, NaiveDateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::domain::{ArticleType, BodyStatus, ContributorRole, Provenance};
use crate::models::article::{ArticleFull, ArticleRow, Contributor, FigureRow, ReferenceRow, Relations};
use crate::views::refs::{ClassifiedRef, ResourceRef};

fn utc(t: NaiveDateTime) -> DateTime<Utc> {
    t.and_utc()
}

/// A person in an article's byline.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[schema(example = json!({"id": 9, "slug": "tokiwa-shin", "name": "TOKIWA Shin", "role": "author",
    "affiliation": "Distinguished Research Fellow, JFIR / Deputy Foreign Editor of Tokyo Shimbun",
    "provenance": "source", "provenance_note": null}))]
pub struct ContributorView {
    pub id: i64,
    pub slug: String,
    /// As published (family-name conventions kept).
    pub name: String,
    pub role: ContributorRole,
    /// The affiliation the byline gave at the time of writing.
    pub affiliation: Option<String>,
    /// `source` when the publisher's page names this person in this role;
    /// `editorial` when the corpus's editors did (e.g. from a "Name:"
    /// prefix of the title).
    pub provenance: Provenance,
    pub provenance_note: Option<String>,
}

impl From<&Contributor> for ContributorView {
    fn from(c: &Contributor) -> Self {
        ContributorView {
            id: c.author.id,
            slug: c.author.slug.clone(),
            name: c.author.name.clone(),
            role: c.role,
            affiliation: c.affiliation.clone(),
            provenance: c.provenance,
            provenance_note: c.provenance_note.clone(),
        }
    }
}

/// Where the article first appeared, when the publisher republished it.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[schema(example = json!({"name": "CGTN", "url": "https://news.cgtn.com/news/3d3d674d3445544f79457a6333566d54/share_p.html", "published_on": "2018-09-02"}))]
pub struct SourceView {
    pub name: String,
    pub url: Option<String>,
    pub published_on: Option<NaiveDate>,
}

/// An article in a list: everything but the body and the long notes.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ArticleSummary {
    pub id: i64,
    /// A stable identifier (a UUID) that never changes, even when the article
    /// is edited or renamed; the id of its entries in every feed.
    #[schema(example = "1b3e8c52-5d0a-5f4b-9e0c-7d2f4a6b8c91")]
    pub uid: String,
    #[schema(example = "what-is-putins-strategy-on-japan-vigilance-needed-on-russias-peace-treaty")]
    pub slug: String,
    pub title: String,
    /// The source site cut the title short; `title` is what it showed.
    pub title_truncated: bool,
    pub subtitle: Option<String>,
    pub summary: Option<String>,
    #[serde(rename = "type")]
    pub article_type: ArticleType,
    /// BCP 47 language tag.
    #[schema(example = "en")]
    pub language: String,
    pub published_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    /// Canonical URL on the publisher's site, when known.
    pub url: Option<String>,
    pub body_status: BodyStatus,
    pub publisher: ResourceRef,
    pub series: Option<ResourceRef>,
    /// Byline order: authors, editors, translators with their roles.
    pub authors: Vec<ContributorView>,
    /// Regions the article is filed under (not their ancestors), each
    /// with who filed it there.
    pub regions: Vec<ClassifiedRef>,
    pub topics: Vec<ClassifiedRef>,
    pub source: Option<SourceView>,
    /// For translations: the original and the publisher's note.
    pub translation: Option<TranslationView>,
    /// Who stated the article's inferable facts.
    pub provenance: ArticleProvenanceView,
}

/// Who stated the facts of an article a source may leave unsaid: `source`
/// when the publisher's page states it, `editorial` when the corpus's
/// editors assigned it. Topics, regions and byline entries carry their own.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[schema(example = json!({"type": "editorial", "original_language": null,
    "note": "news or commentary: the corpus's own split of the Charhar listing"}))]
pub struct ArticleProvenanceView {
    #[serde(rename = "type")]
    pub article_type: Provenance,
    /// `null` when the article states no original language.
    pub original_language: Option<Provenance>,
    /// How the editorial assignments of this article were made.
    pub note: Option<String>,
}

impl ArticleSummary {
    pub fn build(row: &ArticleRow, rel: &Relations) -> ArticleSummary {
        let refs = |m: Option<&Vec<crate::models::article::Classified>>| -> Vec<ClassifiedRef> {
            m.map(|v| v.iter().map(ClassifiedRef::from).collect()).unwrap_or_default()
        };
        let authors: Vec<ContributorView> =
            rel.contributors.get(&row.id).map(|v| v.iter().map(ContributorView::from).collect()).unwrap_or_default();
        ArticleSummary {
            id: row.id,
            uid: row.uid.clone().unwrap_or_else(|| crate::domain::article_uid(&row.slug)),
            slug: row.slug.clone(),
            title: row.title.clone(),
            title_truncated: row.title_truncated,
            subtitle: row.subtitle.clone(),
            summary: row.summary.clone(),
            article_type: row.article_type,
            language: row.language.clone(),
            published_at: utc(row.published_at),
            updated_at: utc(row.updated_at),
            url: row.url.clone(),
            body_status: row.body_status,
            publisher: rel.publishers.get(&row.publisher_id).map(ResourceRef::from).unwrap_or_else(|| ResourceRef {
                id: row.publisher_id,
                slug: String::new(),
                name: String::new(),
            }),
            series: row.series_id.and_then(|id| rel.series.get(&id)).map(ResourceRef::from),
            translation: TranslationView::build(row, &authors),
            authors,
            regions: refs(rel.regions.get(&row.id)),
            topics: refs(rel.topics.get(&row.id)),
            source: row.source_name.as_ref().map(|name| SourceView {
                name: name.clone(),
                url: row.source_url.clone(),
                published_on: row.source_published_on,
            }),
            provenance: ArticleProvenanceView {
                article_type: row.type_provenance,
                original_language: row.original_language.as_ref().map(|_| row.original_language_provenance),
                note: row.provenance_note.clone(),
            },
        }
    }
}

/// How the article came to be in English (or its present language).
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[schema(example = json!({"original_language": "ja", "original_title": null,
    "original_venue": "e-forum “Hyakka-Seiho (Hundred Flowers in Full Bloom)” of JFIR",
    "original_published_on": "2021-06-19", "original_date_text": null,
    "note": "(This is the English translation of an article written by TOKIWA Shin, …)", "translators": []}))]
pub struct TranslationView {
    pub original_language: Option<String>,
    pub original_title: Option<String>,
    /// Where the original appeared.
    pub original_venue: Option<String>,
    pub original_published_on: Option<NaiveDate>,
    /// The original date as the source words it, when one date cannot hold it
    /// (e.g. "March 31 & April 1, 2021").
    pub original_date_text: Option<String>,
    /// The publisher's translation note, verbatim.
    pub note: Option<String>,
    /// Byline entries with the `translator` role.
    pub translators: Vec<ContributorView>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct FigureView {
    pub caption: String,
    pub credit: Option<String>,
    /// How many body paragraphs precede the figure.
    pub after_paragraph: Option<i32>,
}

impl From<FigureRow> for FigureView {
    fn from(f: FigureRow) -> Self {
        FigureView { caption: f.caption, credit: f.credit, after_paragraph: f.after_paragraph }
    }
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ReferenceView {
    pub citation: String,
    pub url: Option<String>,
}

impl From<ReferenceRow> for ReferenceView {
    fn from(r: ReferenceRow) -> Self {
        ReferenceView { citation: r.citation, url: r.url }
    }
}

/// One article in full.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ArticleDetail {
    #[serde(flatten)]
    pub summary: ArticleSummary,
    /// Plain text; paragraphs are separated by a blank line (`\n\n`).
    /// `null` when the corpus holds no text (`body_status` = `none`).
    pub body: Option<String>,
    pub figures: Vec<FigureView>,
    pub references: Vec<ReferenceView>,
}

impl TranslationView {
    /// The translation of `row`, when it is one (a translation field, or a
    /// translator in its byline `authors`).
    pub fn build(row: &ArticleRow, authors: &[ContributorView]) -> Option<TranslationView> {
        let has_translation = row.original_language.is_some()
            || row.original_venue.is_some()
            || row.translation_note.is_some()
            || authors.iter().any(|a| a.role == ContributorRole::Translator);
        has_translation.then(|| TranslationView {
            original_language: row.original_language.clone(),
            original_title: row.original_title.clone(),
            original_venue: row.original_venue.clone(),
            original_published_on: row.original_published_on,
            original_date_text: row.original_date_text.clone(),
            note: row.translation_note.clone(),
            translators: authors.iter().filter(|a| a.role == ContributorRole::Translator).cloned().collect(),
        })
    }
}

impl ArticleDetail {
    pub fn build(full: ArticleFull) -> Option<ArticleDetail> {
        let row = full.batch.rows.first()?;
        let summary = ArticleSummary::build(row, &full.batch.relations);
        Some(ArticleDetail {
            summary,
            body: full.body,
            figures: full.figures.into_iter().map(FigureView::from).collect(),
            references: full.references.into_iter().map(ReferenceView::from).collect(),
        })
    }
}

/// The fields a list item may carry (`fields=`), in wire order.
pub const ITEM_FIELDS: &[&str] = &[
    "id",
    "uid",
    "slug",
    "title",
    "title_truncated",
    "subtitle",
    "summary",
    "type",
    "language",
    "published_at",
    "updated_at",
    "url",
    "body_status",
    "publisher",
    "series",
    "authors",
    "regions",
    "topics",
    "source",
    "translation",
    "provenance",
    "body",
    "score",
    "highlights",
];

/// Which fields a list item carries.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FieldMask(u32);

impl FieldMask {
    /// Every field but `body` (bodies are large; ask with `include=body`).
    pub fn default_fields() -> FieldMask {
        FieldMask::all().without("body")
    }

    pub fn all() -> FieldMask {
        FieldMask((1 << ITEM_FIELDS.len()) - 1)
    }

    pub fn empty() -> FieldMask {
        FieldMask(1) // `id` always
    }

    fn bit(name: &str) -> Option<u32> {
        ITEM_FIELDS.iter().position(|f| *f == name).map(|i| 1 << i)
    }

    pub fn with(self, name: &str) -> Option<FieldMask> {
        Self::bit(name).map(|b| FieldMask(self.0 | b))
    }

    pub fn without(self, name: &str) -> FieldMask {
        FieldMask(self.0 & !Self::bit(name).unwrap_or(0))
    }

    pub fn has(self, name: &str) -> bool {
        Self::bit(name).is_some_and(|b| self.0 & b != 0)
    }

    /// Whether any field shown is built from an article's relations
    /// (authors, translators, regions, topics, publisher, series).
    pub fn shows_relations(self) -> bool {
        ["authors", "translation", "regions", "topics", "publisher", "series"].iter().any(|f| self.has(f))
    }
}

/// Where the query matched: snippets with the matches in `<mark>…</mark>`
/// and the rest HTML-escaped. Present on search results (`q`).
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[schema(example = json!({"title": "What is Putin’s Strategy on <mark>Japan</mark>?", "summary": null,
    "body": "… talks between <mark>Japan</mark> and Russia on the Northern Territories …"}))]
pub struct Highlights {
    pub title: Option<String>,
    pub summary: Option<String>,
    pub body: Option<String>,
}

/// An article in a list. Which fields are present depends on `fields` and
/// `include` (by default all but `body`; `score` and `highlights` only on
/// searches); `id` is always there.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct ArticleItem {
    pub id: i64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub uid: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub slug: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub title_truncated: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub subtitle: Option<Option<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub summary: Option<Option<String>>,
    #[serde(rename = "type", skip_serializing_if = "Option::is_none")]
    pub article_type: Option<ArticleType>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub language: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub published_at: Option<DateTime<Utc>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub updated_at: Option<DateTime<Utc>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub url: Option<Option<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub body_status: Option<BodyStatus>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub publisher: Option<ResourceRef>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub series: Option<Option<ResourceRef>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub authors: Option<Vec<ContributorView>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub regions: Option<Vec<ClassifiedRef>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub topics: Option<Vec<ClassifiedRef>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source: Option<Option<SourceView>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub translation: Option<Option<TranslationView>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub provenance: Option<ArticleProvenanceView>,
    /// Plain text, paragraphs separated by a blank line (`include=body`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub body: Option<Option<String>>,
    /// Relevance to `q` (higher is better; comparable within one search).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub score: Option<f32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub highlights: Option<Highlights>,
}

impl ArticleItem {
    pub fn build(
        s: ArticleSummary,
        mask: FieldMask,
        body: Option<Option<String>>,
        score: Option<f32>,
        highlights: Option<Highlights>,
    ) -> ArticleItem {
        let keep = |name: &str| mask.has(name);
        ArticleItem {
            id: s.id,
            uid: keep("uid").then_some(s.uid),
            slug: keep("slug").then_some(s.slug),
            title: keep("title").then_some(s.title),
            title_truncated: keep("title_truncated").then_some(s.title_truncated),
            subtitle: keep("subtitle").then_some(s.subtitle),
            summary: keep("summary").then_some(s.summary),
            article_type: keep("type").then_some(s.article_type),
            language: keep("language").then_some(s.language),
            published_at: keep("published_at").then_some(s.published_at),
            updated_at: keep("updated_at").then_some(s.updated_at),
            url: keep("url").then_some(s.url),
            body_status: keep("body_status").then_some(s.body_status),
            publisher: keep("publisher").then_some(s.publisher),
            series: keep("series").then_some(s.series),
            authors: keep("authors").then_some(s.authors),
            regions: keep("regions").then_some(s.regions),
            topics: keep("topics").then_some(s.topics),
            source: keep("source").then_some(s.source),
            translation: keep("translation").then_some(s.translation),
            provenance: keep("provenance").then_some(s.provenance),
            body: if keep("body") { body } else { None },
            score: if keep("score") { score } else { None },
            highlights: if keep("highlights") { highlights } else { None },
        }
    }
}

/// A list item on the wire: computed, or the article's stored card (the
/// same JSON, serialised when the article was written; see `crate::cards`).
#[derive(Debug, Clone, Serialize)]
#[serde(untagged)]
pub enum ListItem {
    Card(Box<serde_json::value::RawValue>),
    Built(Box<ArticleItem>),
}

/// What a search adds to a stored card: its last two fields.
#[derive(Serialize)]
struct SearchFields {
    #[serde(skip_serializing_if = "Option::is_none")]
    score: Option<f32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    highlights: Option<Highlights>,
}

impl ListItem {
    /// A stored card with a search's score and highlights appended: the
    /// same JSON as the item built with them (they are its last fields).
    pub fn card_with(
        card: Box<serde_json::value::RawValue>,
        score: Option<f32>,
        highlights: Option<Highlights>,
    ) -> ListItem {
        if score.is_none() && highlights.is_none() {
            return ListItem::Card(card);
        }
        let json = serde_json::to_string(&SearchFields { score, highlights }).expect("a score and strings serialise");
        // A stored card is an item, a JSON object with at least its id, so
        // the fields always append; anything else is served as it is.
        let joined = match (card.get().strip_suffix('}'), json.strip_prefix('{')) {
            (Some(head), Some(tail)) => serde_json::value::RawValue::from_string(format!("{head},{tail}")).ok(),
            _ => None,
        };
        ListItem::Card(joined.unwrap_or(card))
    }

    /// The item as a value (a stored card is read back), for renderers
    /// other than the JSON list.
    pub fn into_item(self) -> Result<ArticleItem, serde_json::Error> {
        match self {
            ListItem::Card(card) => serde_json::from_str(card.get()),
            ListItem::Built(item) => Ok(*item),
        }
    }
}

/// One value of a facet and how many articles of the current result carry
/// it.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[schema(example = json!({"id": 3, "slug": "the-korean-peninsula", "name": "The Korean Peninsula", "count": 4}))]
pub struct FacetValue {
    /// For topics, regions, authors, publishers and series.
    pub id: Option<i64>,
    /// The value to pass back in the filter of the same name.
    pub slug: String,
    pub name: String,
    pub count: u64,
}

/// Top values per requested dimension (`facets=`), most frequent first.
/// Each dimension's counts ignore that dimension's own filter, so they show
/// what choosing another value would give.
#[derive(Debug, Clone, Default, Serialize, ToSchema)]
pub struct Facets {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub topic: Option<Vec<FacetValue>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub region: Option<Vec<FacetValue>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub author: Option<Vec<FacetValue>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub publisher: Option<Vec<FacetValue>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub series: Option<Vec<FacetValue>>,
    #[serde(rename = "type", skip_serializing_if = "Option::is_none")]
    pub article_type: Option<Vec<FacetValue>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub language: Option<Vec<FacetValue>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub year: Option<Vec<FacetValue>>,
}

/// Articles of the current result per period.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[schema(example = json!({"key": "2021-06", "from": "2021-06-01", "to": "2021-06-30", "count": 2}))]
pub struct HistogramBucket {
    /// `2021` for years, `2021-06` for months.
    pub key: String,
    /// First and last day of the period: pass them as `published_after` and
    /// `published_before` to list the bucket.
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub count: u64,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Histogram {
    #[schema(example = "month")]
    pub interval: String,
    /// Periods in order; periods without articles are left out.
    pub buckets: Vec<HistogramBucket>,
}

/// Where a list page sits; `page` is null when the request used `cursor`.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ArticleListMeta {
    pub page: Option<u32>,
    #[schema(example = 20, minimum = 1, maximum = 100)]
    pub per_page: u32,
    /// Articles matching the request, over all pages.
    pub total: i64,
    pub total_pages: i64,
    /// Pass as `cursor` (with the same other parameters) for the next page;
    /// null on the last page. Cursors cost the same at any depth.
    pub next_cursor: Option<String>,
    /// The page holds fewer than `per_page` items because their bodies
    /// reached the page's byte budget (4 MiB); follow `links.next` (a
    /// cursor) for the rest, not `page + 1`.
    pub truncated: bool,
}

/// One page of articles, with facets and a histogram when asked.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ArticlePage {
    #[schema(value_type = Vec<ArticleItem>)]
    pub data: Vec<ListItem>,
    pub meta: ArticleListMeta,
    pub links: crate::pagination::PageLinks,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub facets: Option<Facets>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub histogram: Option<Histogram>,
}

#[cfg(test)]
mod tests {
    use serde_json::value::RawValue;

    use super::{Highlights, ListItem};

    fn json(item: &ListItem) -> String {
        serde_json::to_string(item).unwrap()
    }

    #[test]
    fn a_card_with_a_score_and_highlights_ends_with_them() {
        let card = RawValue::from_string(r#"{"id":7,"title":"Trade"}"#.to_owned()).unwrap();
        let highlights = Highlights { title: Some("<mark>Trade</mark>".into()), summary: None, body: None };
        let item = ListItem::card_with(card, Some(1.5), Some(highlights));
        assert_eq!(
            json(&item),
            r#"{"id":7,"title":"Trade","score":1.5,"highlights":{"title":"<mark>Trade</mark>","summary":null,"body":null}}"#
        );
        // Nothing to add: the card as it is.
        let card = RawValue::from_string(r#"{"id":7}"#.to_owned()).unwrap();
        assert_eq!(json(&ListItem::card_with(card, None, None)), r#"{"id":7}"#);
        // What is not an item (no field to append after) is served as it is.
        let card = RawValue::from_string("{}".to_owned()).unwrap();
        assert_eq!(json(&ListItem::card_with(card, Some(2.0), None)), "{}");
    }
}
