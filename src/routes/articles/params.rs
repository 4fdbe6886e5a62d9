//! The query parameters of article lists.

use serde::Deserialize;
use utoipa::openapi::schema::{AnyOfBuilder, KnownFormat, ObjectBuilder, Schema, SchemaFormat, Type};
use utoipa::{IntoParams, ToSchema};

use crate::error::InvalidParam;
use crate::models::article_filter::RawArticleFilter;
use crate::models::article_list::{ArticleOrder, SortField};
use crate::pagination::PageRequest;

/// An ISO 8601 date or an RFC 3339 date-time.
fn date_or_datetime() -> Schema {
    let format = |f| ObjectBuilder::new().schema_type(Type::String).format(Some(SchemaFormat::KnownFormat(f)));
    Schema::AnyOf(AnyOfBuilder::new().item(format(KnownFormat::Date)).item(format(KnownFormat::DateTime)).build())
}

/// Order of an article list. Ties are broken by id, in the same direction.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, ToSchema)]
pub enum ArticleSort {
    /// Newest first.
    #[default]
    #[serde(rename = "-published_at")]
    PublishedDesc,
    #[serde(rename = "published_at")]
    PublishedAsc,
    /// Recently updated first.
    #[serde(rename = "-updated_at")]
    UpdatedDesc,
    #[serde(rename = "updated_at")]
    UpdatedAsc,
    /// By title, in Unicode code-point order.
    #[serde(rename = "title")]
    TitleAsc,
    #[serde(rename = "-title")]
    TitleDesc,
}

impl From<ArticleSort> for ArticleOrder {
    fn from(s: ArticleSort) -> Self {
        let (field, descending) = match s {
            ArticleSort::PublishedDesc => (SortField::PublishedAt, true),
            ArticleSort::PublishedAsc => (SortField::PublishedAt, false),
            ArticleSort::UpdatedDesc => (SortField::UpdatedAt, true),
            ArticleSort::UpdatedAsc => (SortField::UpdatedAt, false),
            ArticleSort::TitleAsc => (SortField::Title, false),
            ArticleSort::TitleDesc => (SortField::Title, true),
        };
        ArticleOrder { field, descending }
    }
}

/// Filters of article lists. Several comma-separated values in one filter
/// mean any of them (OR); `!slug` excludes; different filters combine with
/// AND.
#[derive(Debug, Clone, Default, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ArticleListParams {
    /// Page number, from 1.
    #[param(minimum = 1, maximum = 10000, example = 1)]
    pub page: Option<u32>,
    /// Articles per page.
    #[param(minimum = 1, maximum = 100, example = 20)]
    pub per_page: Option<u32>,
    /// Topic slugs (`the-korean-peninsula`); `!slug` excludes.
    #[param(pattern = "^!?[a-z0-9]+(-[a-z0-9]+)*(,!?[a-z0-9]+(-[a-z0-9]+)*)*$", example = "the-korean-peninsula")]
    pub topic: Option<String>,
    /// Region slugs; a region matches its sub-regions too (`asia` matches
    /// articles filed under `japan`).
    #[param(pattern = "^!?[a-z0-9]+(-[a-z0-9]+)*(,!?[a-z0-9]+(-[a-z0-9]+)*)*$", example = "asia")]
    pub region: Option<String>,
    /// Author slugs; matches any byline role (author, editor, translator …).
    #[param(pattern = "^!?[a-z0-9]+(-[a-z0-9]+)*(,!?[a-z0-9]+(-[a-z0-9]+)*)*$", example = "tokiwa-shin")]
    pub author: Option<String>,
    /// Publisher slugs.
    #[param(pattern = "^!?[a-z0-9]+(-[a-z0-9]+)*(,!?[a-z0-9]+(-[a-z0-9]+)*)*$", example = "jfir")]
    pub publisher: Option<String>,
    /// Series slugs.
    #[param(pattern = "^!?[a-z0-9]+(-[a-z0-9]+)*(,!?[a-z0-9]+(-[a-z0-9]+)*)*$", example = "jfir-commentary")]
    pub series: Option<String>,
    /// Article types: commentary, news, analysis, interview, report, book,
    /// newsletter, periodical_issue, event.
    #[serde(rename = "type")]
    #[param(
        rename = "type",
        pattern = "^!?(commentary|news|analysis|interview|report|book|newsletter|periodical_issue|event)(,!?(commentary|news|analysis|interview|report|book|newsletter|periodical_issue|event))*$",
        example = "commentary"
    )]
    pub article_type: Option<String>,
    /// BCP 47 language tags.
    #[param(pattern = "^!?[a-z]{2,3}(-[A-Za-z0-9]{1,8})*(,!?[a-z]{2,3}(-[A-Za-z0-9]{1,8})*)*$", example = "en")]
    pub language: Option<String>,
    /// Published on or after: an ISO 8601 date (`2021-01-01`, from its
    /// first moment, UTC) or date-time (`2021-01-01T09:00:00Z`).
    #[param(schema_with = date_or_datetime, example = "2021-01-01")]
    pub published_after: Option<String>,
    /// Published on or before: a date includes its whole day.
    #[param(schema_with = date_or_datetime, example = "2021-12-31")]
    pub published_before: Option<String>,
    /// Order of the list (default `-published_at`).
    #[param(inline)]
    pub sort: Option<ArticleSort>,
}

impl ArticleListParams {
    pub fn raw_filter(&self) -> RawArticleFilter {
        RawArticleFilter {
            topic: self.topic.clone(),
            region: self.region.clone(),
            author: self.author.clone(),
            publisher: self.publisher.clone(),
            series: self.series.clone(),
            article_type: self.article_type.clone(),
            language: self.language.clone(),
            published_after: self.published_after.clone(),
            published_before: self.published_before.clone(),
        }
    }

    pub fn order(&self) -> ArticleOrder {
        self.sort.unwrap_or_default().into()
    }

    pub fn window(&self, errors: &mut Vec<InvalidParam>) -> PageRequest {
        PageRequest::parse(self.page, self.per_page, errors)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::ArticleType;
    use utoipa::openapi::schema::Schema;
    use utoipa::openapi::RefOr;

    fn pattern_of(name: &str) -> regex::Regex {
        let params = ArticleListParams::into_params(|| None);
        let param = params.into_iter().find(|p| p.name == name).expect("declared");
        let Some(RefOr::T(Schema::Object(object))) = param.schema else { panic!("{name} has an inline schema") };
        regex::Regex::new(&object.pattern.expect("has a pattern")).expect("valid regex")
    }

    #[test]
    fn type_pattern_accepts_exactly_the_vocabulary() {
        let re = pattern_of("type");
        for word in ArticleType::WORDS {
            assert!(re.is_match(word), "{word}");
            assert!(re.is_match(&format!("!{word},news")), "{word}");
        }
        assert!(!re.is_match("essay"));
        assert!(!re.is_match("news,"));
    }

    #[test]
    fn filter_patterns_match_what_the_parser_accepts() {
        let slugs = pattern_of("topic");
        assert!(slugs.is_match("the-korean-peninsula,!asia"));
        assert!(!slugs.is_match("Bad Slug"));
        // Every value the pattern admits is either accepted or unknown, never malformed.
        for value in ["0", "12", "a-1", &"x".repeat(200)] {
            assert!(slugs.is_match(value));
            assert!(crate::models::article_filter::Ref::parse(value).is_ok(), "{value}");
        }
        let languages = pattern_of("language");
        assert!(languages.is_match("en,zh-Hans,!ja"));
    }
}
