//! The rows an article write inserts, in the shapes Diesel inserts them.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::domain::Provenance;
use crate::schema::{
    article_authors, article_bodies, article_figures, article_references, article_regions, article_topics, articles,
};

#[derive(Insertable, AsChangeset)]
#[diesel(table_name = articles, treat_none_as_null = true, treat_none_as_default_value = false)]
pub(super) struct ArticleValues<'a> {
    pub(super) slug: &'a str,
    pub(super) publisher_id: i64,
    pub(super) series_id: Option<i64>,
    pub(super) article_type: crate::domain::ArticleType,
    pub(super) language: &'a str,
    pub(super) published_at: NaiveDateTime,
    pub(super) updated_at: NaiveDateTime,
    pub(super) body_status: crate::domain::BodyStatus,
    pub(super) title_truncated: bool,
    pub(super) title: &'a str,
    pub(super) subtitle: Option<&'a str>,
    pub(super) url: Option<String>,
    pub(super) source_name: Option<&'a str>,
    pub(super) source_url: Option<String>,
    pub(super) source_published_on: Option<chrono::NaiveDate>,
    pub(super) original_language: Option<&'a str>,
    pub(super) original_title: Option<&'a str>,
    pub(super) original_venue: Option<&'a str>,
    pub(super) original_published_on: Option<chrono::NaiveDate>,
    pub(super) original_date_text: Option<&'a str>,
    pub(super) translation_note: Option<&'a str>,
    pub(super) summary: Option<&'a str>,
    pub(super) content_hash: String,
    pub(super) type_provenance: Provenance,
    pub(super) original_language_provenance: Provenance,
    pub(super) provenance_note: Option<&'a str>,
    /// Set when the article is created, never changed.
    #[diesel(skip_update)]
    pub(super) uid: String,
}

/// A new article: its id and values.
#[derive(Insertable)]
#[diesel(table_name = articles, treat_none_as_default_value = false)]
pub(super) struct NewArticle<'a> {
    pub(super) id: i64,
    #[diesel(embed)]
    pub(super) values: ArticleValues<'a>,
}

#[derive(Insertable)]
#[diesel(table_name = article_authors, treat_none_as_default_value = false)]
pub(super) struct BylineValues {
    pub(super) article_id: i64,
    pub(super) position: i32,
    pub(super) author_id: i64,
    pub(super) role: crate::domain::ContributorRole,
    pub(super) affiliation: Option<String>,
    pub(super) published_at: NaiveDateTime,
    pub(super) provenance: Provenance,
    pub(super) provenance_note: Option<String>,
}

#[derive(Insertable)]
#[diesel(table_name = article_topics, treat_none_as_default_value = false)]
pub(super) struct TopicLink {
    pub(super) article_id: i64,
    pub(super) topic_id: i64,
    pub(super) position: i32,
    pub(super) published_at: NaiveDateTime,
    pub(super) provenance: Provenance,
    pub(super) provenance_note: Option<String>,
}

#[derive(Insertable)]
#[diesel(table_name = article_regions, treat_none_as_default_value = false)]
pub(super) struct RegionLink {
    pub(super) article_id: i64,
    pub(super) region_id: i64,
    pub(super) is_direct: bool,
    pub(super) position: i32,
    pub(super) published_at: NaiveDateTime,
    pub(super) provenance: Provenance,
    pub(super) provenance_note: Option<String>,
}

/// A region an article names, with its mark.
#[derive(Debug, Clone)]
pub(super) struct DirectRegion {
    pub(super) id: i64,
    pub(super) provenance: Provenance,
    pub(super) note: Option<String>,
}

#[derive(Insertable)]
#[diesel(table_name = article_bodies, treat_none_as_default_value = false)]
pub(super) struct BodyValues<'a> {
    pub(super) article_id: i64,
    pub(super) body: &'a str,
}

#[derive(Insertable)]
#[diesel(table_name = article_figures, treat_none_as_default_value = false)]
pub(super) struct FigureValues<'a> {
    pub(super) article_id: i64,
    pub(super) position: i32,
    pub(super) caption: &'a str,
    pub(super) credit: Option<&'a str>,
    pub(super) after_paragraph: Option<i32>,
}

#[derive(Insertable)]
#[diesel(table_name = article_references, treat_none_as_default_value = false)]
pub(super) struct ReferenceValues<'a> {
    pub(super) article_id: i64,
    pub(super) position: i32,
    pub(super) citation: &'a str,
    pub(super) url: Option<String>,
}

/// Rows for the articles of one batch, inserted together.
#[derive(Default)]
pub(super) struct ArticleChildren<'a> {
    pub(super) bodies: Vec<BodyValues<'a>>,
    pub(super) bylines: Vec<BylineValues>,
    pub(super) topics: Vec<TopicLink>,
    pub(super) regions: Vec<RegionLink>,
    pub(super) figures: Vec<FigureValues<'a>>,
    pub(super) references: Vec<ReferenceValues<'a>>,
}
