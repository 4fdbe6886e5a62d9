//! What an article looks like on the wire: a summary in lists, the full
//! record on its own.

use chrono::{DateTime, NaiveDate, NaiveDateTime, Utc};
use serde::Serialize;
use utoipa::ToSchema;

use crate::domain::{ArticleType, BodyStatus, ContributorRole};
use crate::models::article::{ArticleFull, ArticleRow, Contributor, FigureRow, ReferenceRow, Relations};
use crate::routes::refs::ResourceRef;

fn utc(t: NaiveDateTime) -> DateTime<Utc> {
    t.and_utc()
}

/// A person in an article's byline.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[schema(example = json!({"id": 9, "slug": "tokiwa-shin", "name": "TOKIWA Shin", "role": "author",
    "affiliation": "Distinguished Research Fellow, JFIR / Deputy Foreign Editor of Tokyo Shimbun"}))]
pub struct ContributorView {
    pub id: i64,
    pub slug: String,
    /// As published (family-name conventions kept).
    pub name: String,
    pub role: ContributorRole,
    /// The affiliation the byline gave at the time of writing.
    pub affiliation: Option<String>,
}

impl From<&Contributor> for ContributorView {
    fn from(c: &Contributor) -> Self {
        ContributorView {
            id: c.author.id,
            slug: c.author.slug.clone(),
            name: c.author.name.clone(),
            role: c.role,
            affiliation: c.affiliation.clone(),
        }
    }
}

/// Where the article first appeared, when the publisher republished it.
#[derive(Debug, Clone, Serialize, ToSchema)]
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
    /// Regions the article is filed under (not their ancestors).
    pub regions: Vec<ResourceRef>,
    pub topics: Vec<ResourceRef>,
    pub source: Option<SourceView>,
}

impl ArticleSummary {
    pub fn build(row: &ArticleRow, rel: &Relations) -> ArticleSummary {
        let refs = |m: Option<&Vec<crate::models::article::TermRef>>| -> Vec<ResourceRef> {
            m.map(|v| v.iter().map(ResourceRef::from).collect()).unwrap_or_default()
        };
        ArticleSummary {
            id: row.id,
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
            authors: rel
                .contributors
                .get(&row.id)
                .map(|v| v.iter().map(ContributorView::from).collect())
                .unwrap_or_default(),
            regions: refs(rel.regions.get(&row.id)),
            topics: refs(rel.topics.get(&row.id)),
            source: row.source_name.as_ref().map(|name| SourceView {
                name: name.clone(),
                url: row.source_url.clone(),
                published_on: row.source_published_on,
            }),
        }
    }
}

/// How the article came to be in English (or its present language).
#[derive(Debug, Clone, Serialize, ToSchema)]
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
    pub translation: Option<TranslationView>,
    pub figures: Vec<FigureView>,
    pub references: Vec<ReferenceView>,
}

impl ArticleDetail {
    pub fn build(full: ArticleFull) -> Option<ArticleDetail> {
        let row = full.batch.rows.first()?;
        let summary = ArticleSummary::build(row, &full.batch.relations);
        let has_translation = row.original_language.is_some()
            || row.original_venue.is_some()
            || row.translation_note.is_some()
            || summary.authors.iter().any(|a| a.role == ContributorRole::Translator);
        let translation = has_translation.then(|| TranslationView {
            original_language: row.original_language.clone(),
            original_title: row.original_title.clone(),
            original_venue: row.original_venue.clone(),
            original_published_on: row.original_published_on,
            original_date_text: row.original_date_text.clone(),
            note: row.translation_note.clone(),
            translators: summary.authors.iter().filter(|a| a.role == ContributorRole::Translator).cloned().collect(),
        });
        Some(ArticleDetail {
            summary,
            body: full.body,
            translation,
            figures: full.figures.into_iter().map(FigureView::from).collect(),
            references: full.references.into_iter().map(ReferenceView::from).collect(),
        })
    }
}
