//! The query parameters of article lists.

use serde::Deserialize;
use utoipa::openapi::schema::{AnyOfBuilder, KnownFormat, ObjectBuilder, Schema, SchemaFormat, Type};
use utoipa::{IntoParams, ToSchema};

use crate::domain::{CitationStyle, Classification};
use crate::error::InvalidParam;
use crate::models::article_filter::RawArticleFilter;
use crate::models::article_list::{ArticleOrder, SortField};
use crate::pagination::PageRequest;

use crate::search::HitOrder;

/// An ISO 8601 date or an RFC 3339 date-time.
fn date_or_datetime() -> Schema {
    let format = |f| ObjectBuilder::new().schema_type(Type::String).format(Some(SchemaFormat::KnownFormat(f)));
    Schema::AnyOf(AnyOfBuilder::new().item(format(KnownFormat::Date)).item(format(KnownFormat::DateTime)).build())
}

/// Order of an article list. Ties are broken by id, in the same direction.
/// `relevance` (best match first) is the default when `q` is given;
/// otherwise the default is `-published_at`, and `relevance` means the same
/// (without words every article is equally relevant).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, ToSchema)]
pub enum ArticleSort {
    #[serde(rename = "relevance")]
    Relevance,
    /// Newest first.
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

impl ArticleSort {
    /// The SQL order (`None` for relevance, which only a search has).
    pub fn sql_order(self) -> Option<ArticleOrder> {
        let (field, descending) = match self {
            ArticleSort::Relevance => return None,
            ArticleSort::PublishedDesc => (SortField::PublishedAt, true),
            ArticleSort::PublishedAsc => (SortField::PublishedAt, false),
            ArticleSort::UpdatedDesc => (SortField::UpdatedAt, true),
            ArticleSort::UpdatedAsc => (SortField::UpdatedAt, false),
            ArticleSort::TitleAsc => (SortField::Title, false),
            ArticleSort::TitleDesc => (SortField::Title, true),
        };
        Some(ArticleOrder { field, descending })
    }

    /// The order of search hits.
    pub fn hit_order(self) -> HitOrder {
        match self.sql_order() {
            None => HitOrder::Relevance,
            Some(ArticleOrder { field: SortField::PublishedAt, descending }) => HitOrder::Published { descending },
            Some(ArticleOrder { field: SortField::UpdatedAt, descending }) => HitOrder::Updated { descending },
            Some(ArticleOrder { field: SortField::Title, descending }) => HitOrder::Title { descending },
        }
    }
}

/// The representation of a list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum ListFormat {
    /// `application/json`: `{data, meta, links}`.
    Json,
    /// `application/rss+xml`: RSS 2.0.
    Rss,
    /// `application/atom+xml`: Atom 1.0.
    Atom,
    /// `application/feed+json`: JSON Feed 1.1.
    Jsonfeed,
    /// `text/csv`: the whole result, streamed (RFC 4180, UTF-8, a header
    /// row; see the README for the columns).
    Csv,
    /// `application/x-ndjson`: the whole result, streamed, one JSON list
    /// item per line.
    Ndjson,
    /// `application/vnd.citationstyles.csl+json`: citations as a CSL-JSON
    /// array.
    Csl,
    /// `application/x-bibtex`: BibTeX entries (biblatex, UTF-8).
    Bibtex,
    /// `application/x-research-info-systems`: RIS records.
    Ris,
    /// `text/x-bibliography`: formatted citations in `style`, one a line.
    Bibliography,
    /// `text/html`: formatted citations in `style` as HTML (only asked for
    /// with `format=html`; browsers' `Accept: text/html` gets JSON).
    Html,
}

impl ListFormat {
    pub const ALL: [ListFormat; 11] = [
        ListFormat::Json,
        ListFormat::Rss,
        ListFormat::Atom,
        ListFormat::Jsonfeed,
        ListFormat::Csv,
        ListFormat::Ndjson,
        ListFormat::Csl,
        ListFormat::Bibtex,
        ListFormat::Ris,
        ListFormat::Bibliography,
        ListFormat::Html,
    ];

    pub fn media_type(self) -> &'static str {
        match self {
            ListFormat::Json => "application/json",
            ListFormat::Rss => "application/rss+xml",
            ListFormat::Atom => "application/atom+xml",
            ListFormat::Jsonfeed => "application/feed+json",
            ListFormat::Csv => "text/csv",
            ListFormat::Ndjson => "application/x-ndjson",
            ListFormat::Csl => "application/vnd.citationstyles.csl+json",
            ListFormat::Bibtex => "application/x-bibtex",
            ListFormat::Ris => "application/x-research-info-systems",
            ListFormat::Bibliography => "text/x-bibliography",
            ListFormat::Html => "text/html",
        }
    }

    pub fn from_media_type(media_type: &str) -> Option<ListFormat> {
        ListFormat::ALL.into_iter().find(|f| f.media_type().eq_ignore_ascii_case(media_type))
    }

    /// The value of the `format` parameter that asks for it.
    pub fn name(self) -> &'static str {
        match self {
            ListFormat::Json => "json",
            ListFormat::Rss => "rss",
            ListFormat::Atom => "atom",
            ListFormat::Jsonfeed => "jsonfeed",
            ListFormat::Csv => "csv",
            ListFormat::Ndjson => "ndjson",
            ListFormat::Csl => "csl",
            ListFormat::Bibtex => "bibtex",
            ListFormat::Ris => "ris",
            ListFormat::Bibliography => "bibliography",
            ListFormat::Html => "html",
        }
    }

    /// Formats citations in a style.
    pub fn is_styled(self) -> bool {
        matches!(self, ListFormat::Bibliography | ListFormat::Html)
    }

    pub fn is_feed(self) -> bool {
        matches!(self, ListFormat::Rss | ListFormat::Atom | ListFormat::Jsonfeed)
    }

    /// The whole result, streamed, rather than a page.
    pub fn is_export(self) -> bool {
        !matches!(self, ListFormat::Json | ListFormat::Rss | ListFormat::Atom | ListFormat::Jsonfeed)
    }

    /// The `Content-Type` of an answer in this format.
    pub fn content_type(self) -> &'static str {
        match self {
            ListFormat::Csv => "text/csv; charset=utf-8; header=present",
            ListFormat::Bibtex => "application/x-bibtex; charset=utf-8",
            ListFormat::Ris => "application/x-research-info-systems; charset=utf-8",
            ListFormat::Bibliography => "text/x-bibliography; charset=utf-8",
            ListFormat::Html => "text/html; charset=utf-8",
            other => other.media_type(),
        }
    }

    /// The file name extension of an export.
    pub fn extension(self) -> &'static str {
        match self {
            ListFormat::Json => "json",
            ListFormat::Rss | ListFormat::Atom => "xml",
            ListFormat::Jsonfeed => "json",
            ListFormat::Csv => "csv",
            ListFormat::Ndjson => "ndjson",
            ListFormat::Csl => "json",
            ListFormat::Bibtex => "bib",
            ListFormat::Ris => "ris",
            ListFormat::Bibliography => "txt",
            ListFormat::Html => "html",
        }
    }
}

/// The representation of one article.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum ArticleFormat {
    /// `application/json`: the article in full.
    Json,
    /// `application/vnd.citationstyles.csl+json`: its citation as CSL-JSON
    /// (an array of one item).
    Csl,
    /// `application/x-bibtex`: a BibTeX entry (biblatex, UTF-8).
    Bibtex,
    /// `application/x-research-info-systems`: a RIS record.
    Ris,
    /// `text/x-bibliography`: its formatted citation in `style`.
    Bibliography,
    /// `text/html`: its formatted citation in `style`, as HTML.
    Html,
}

impl From<ArticleFormat> for ListFormat {
    fn from(f: ArticleFormat) -> ListFormat {
        match f {
            ArticleFormat::Json => ListFormat::Json,
            ArticleFormat::Csl => ListFormat::Csl,
            ArticleFormat::Bibtex => ListFormat::Bibtex,
            ArticleFormat::Ris => ListFormat::Ris,
            ArticleFormat::Bibliography => ListFormat::Bibliography,
            ArticleFormat::Html => ListFormat::Html,
        }
    }
}

/// The query parameters of one article.
#[derive(Debug, Clone, Default, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ArticleParams {
    /// `json` (the default), or the article's citation: `csl`, `bibtex`,
    /// `ris`, `bibliography` (formatted text in `style`) or `html`; wins
    /// over `Accept`.
    #[param(inline)]
    pub format: Option<ArticleFormat>,
    /// `format=bibliography` or `html` only: the citation style (default
    /// `apa`); with `Accept`, `text/x-bibliography; style=mla` says the same.
    #[param(inline)]
    pub style: Option<CitationStyle>,
}

/// What each item carries.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum ItemContent {
    /// The summary (the default).
    Summary,
    /// The body too: in feeds as HTML paragraphs, in JSON as `body`
    /// (the same as `include=body`).
    Full,
}

/// Buckets of the `histogram`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum HistogramInterval {
    Year,
    Month,
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
    /// Topics by slug or id (`the-korean-peninsula`, `3`); `!` before one
    /// excludes it.
    #[param(
        max_length = 4000,
        pattern = "^!?[a-z0-9]+(-[a-z0-9]+)*(,!?[a-z0-9]+(-[a-z0-9]+)*)*$",
        example = "the-korean-peninsula"
    )]
    pub topic: Option<String>,
    /// Regions by slug or id; a region matches its sub-regions too (`asia`
    /// matches articles filed under `japan`); `!` excludes.
    #[param(max_length = 4000, pattern = "^!?[a-z0-9]+(-[a-z0-9]+)*(,!?[a-z0-9]+(-[a-z0-9]+)*)*$", example = "asia")]
    pub region: Option<String>,
    /// Authors by slug or id; matches any byline role (author, editor,
    /// translator …); `!` excludes.
    #[param(
        max_length = 4000,
        pattern = "^!?[a-z0-9]+(-[a-z0-9]+)*(,!?[a-z0-9]+(-[a-z0-9]+)*)*$",
        example = "tokiwa-shin"
    )]
    pub author: Option<String>,
    /// Publishers by slug or id; `!` excludes.
    #[param(max_length = 4000, pattern = "^!?[a-z0-9]+(-[a-z0-9]+)*(,!?[a-z0-9]+(-[a-z0-9]+)*)*$", example = "jfir")]
    pub publisher: Option<String>,
    /// Series by slug or id; `!` excludes.
    #[param(
        max_length = 4000,
        pattern = "^!?[a-z0-9]+(-[a-z0-9]+)*(,!?[a-z0-9]+(-[a-z0-9]+)*)*$",
        example = "jfir-commentary"
    )]
    pub series: Option<String>,
    /// Article types: commentary, news, analysis, interview, report, book,
    /// newsletter, periodical_issue, event.
    #[serde(rename = "type")]
    #[param(
        rename = "type",
        max_length = 4000,
        pattern = "^!?(commentary|news|analysis|interview|report|book|newsletter|periodical_issue|event)(,!?(commentary|news|analysis|interview|report|book|newsletter|periodical_issue|event))*$",
        example = "commentary"
    )]
    pub article_type: Option<String>,
    /// BCP 47 language tags.
    #[param(
        max_length = 4000,
        pattern = "^!?[a-z]{2,3}(-[A-Za-z0-9]{1,8})*(,!?[a-z]{2,3}(-[A-Za-z0-9]{1,8})*)*$",
        example = "en"
    )]
    pub language: Option<String>,
    /// Published on or after: an ISO 8601 date (`2021-01-01`, from its
    /// first moment, UTC) or date-time (`2021-01-01T09:00:00Z`).
    #[param(schema_with = date_or_datetime, example = "2021-01-01")]
    pub published_after: Option<String>,
    /// Published on or before: a date includes its whole day.
    #[param(schema_with = date_or_datetime, example = "2021-12-31")]
    pub published_before: Option<String>,
    /// `source`: `topic`, `region`, `author` and `type` match, and their
    /// facets count, only what the publisher's own pages state, leaving out
    /// what the corpus's editors assigned (each link's `provenance`).
    /// Default `any`.
    #[param(inline)]
    pub classification: Option<Classification>,
    /// Last changed (`updated_at`) on or after: a date or date-time, as
    /// `published_after` (what changed since a mirror last looked).
    #[param(schema_with = date_or_datetime, example = "2021-01-01")]
    pub updated_after: Option<String>,
    /// Last changed on or before: a date includes its whole day.
    #[param(schema_with = date_or_datetime, example = "2021-12-31")]
    pub updated_before: Option<String>,
    /// Order of the list (default `relevance` with `q`, else
    /// `-published_at`).
    #[param(inline)]
    pub sort: Option<ArticleSort>,
    /// Full-text search: words (all must match), `"exact phrases"`, `a OR b`,
    /// `-excluded`, and `title:` / `summary:` / `body:` scopes; case and
    /// accents are ignored and English stems match (`negotiations` finds
    /// `negotiated`); exclusions alone find every article without them. At
    /// most 500 characters, 12 parts (a word or phrase with its `OR`
    /// alternatives, or an exclusion), 6 alternatives joined by `OR` and 10
    /// words in a phrase; the pattern is the grammar with these caps (`OR`
    /// only between two words or phrases, quotes closed, words without `"`).
    #[param(
        min_length = 1,
        max_length = 500,
        pattern = "^[ \\t\\r\\n]*(?:-(?:(?:title|summary|body):)?(?:\"[ \\t\\r\\n]*[^ \\t\\r\\n\"]+(?:[ \\t\\r\\n]+[^ \\t\\r\\n\"]+){0,9}[ \\t\\r\\n]*\"|(?:[^ \\t\\r\\n\"O-][^ \\t\\r\\n\"]*|O(?:[^ \\t\\r\\n\"R][^ \\t\\r\\n\"]*)?|OR[^ \\t\\r\\n\"]+))|(?:(?:title|summary|body):)?(?:\"[ \\t\\r\\n]*[^ \\t\\r\\n\"]+(?:[ \\t\\r\\n]+[^ \\t\\r\\n\"]+){0,9}[ \\t\\r\\n]*\"|(?:[^ \\t\\r\\n\"O-][^ \\t\\r\\n\"]*|O(?:[^ \\t\\r\\n\"R][^ \\t\\r\\n\"]*)?|OR[^ \\t\\r\\n\"]+))(?:[ \\t\\r\\n]+OR[ \\t\\r\\n]+(?:(?:title|summary|body):)?(?:\"[ \\t\\r\\n]*[^ \\t\\r\\n\"]+(?:[ \\t\\r\\n]+[^ \\t\\r\\n\"]+){0,9}[ \\t\\r\\n]*\"|(?:[^ \\t\\r\\n\"O-][^ \\t\\r\\n\"]*|O(?:[^ \\t\\r\\n\"R][^ \\t\\r\\n\"]*)?|OR[^ \\t\\r\\n\"]+))){0,5})(?:[ \\t\\r\\n]+(?:-(?:(?:title|summary|body):)?(?:\"[ \\t\\r\\n]*[^ \\t\\r\\n\"]+(?:[ \\t\\r\\n]+[^ \\t\\r\\n\"]+){0,9}[ \\t\\r\\n]*\"|(?:[^ \\t\\r\\n\"O-][^ \\t\\r\\n\"]*|O(?:[^ \\t\\r\\n\"R][^ \\t\\r\\n\"]*)?|OR[^ \\t\\r\\n\"]+))|(?:(?:title|summary|body):)?(?:\"[ \\t\\r\\n]*[^ \\t\\r\\n\"]+(?:[ \\t\\r\\n]+[^ \\t\\r\\n\"]+){0,9}[ \\t\\r\\n]*\"|(?:[^ \\t\\r\\n\"O-][^ \\t\\r\\n\"]*|O(?:[^ \\t\\r\\n\"R][^ \\t\\r\\n\"]*)?|OR[^ \\t\\r\\n\"]+))(?:[ \\t\\r\\n]+OR[ \\t\\r\\n]+(?:(?:title|summary|body):)?(?:\"[ \\t\\r\\n]*[^ \\t\\r\\n\"]+(?:[ \\t\\r\\n]+[^ \\t\\r\\n\"]+){0,9}[ \\t\\r\\n]*\"|(?:[^ \\t\\r\\n\"O-][^ \\t\\r\\n\"]*|O(?:[^ \\t\\r\\n\"R][^ \\t\\r\\n\"]*)?|OR[^ \\t\\r\\n\"]+))){0,5})){0,11}[ \\t\\r\\n]*$",
        example = "\"peace treaty\" russia -ukraine"
    )]
    pub q: Option<String>,
    /// Continue a list from `meta.next_cursor` of the previous page (keep
    /// every other parameter; do not send `page`). Only cursors this server
    /// issued for the same list are accepted; any other value is a 400.
    #[param(min_length = 1, max_length = 8192, pattern = "^[A-Za-z0-9_-]+$")]
    pub cursor: Option<String>,
    /// Fields of each JSON item (feeds always carry whole entries),
    /// comma-separated (`id` is always included): id,
    /// uid, slug, title, title_truncated, subtitle, summary, type, language,
    /// published_at, updated_at, url, body_status, publisher, series,
    /// authors, regions, topics, source, translation, provenance, body,
    /// score, highlights.
    #[param(
        max_length = 1000,
        pattern = "^(id|uid|slug|title|title_truncated|subtitle|summary|type|language|published_at|updated_at|url|body_status|publisher|series|authors|regions|topics|source|translation|provenance|body|score|highlights)(,(id|uid|slug|title|title_truncated|subtitle|summary|type|language|published_at|updated_at|url|body_status|publisher|series|authors|regions|topics|source|translation|provenance|body|score|highlights))*$",
        example = "id,title,published_at,authors"
    )]
    pub fields: Option<String>,
    /// Add to the default fields: `body`.
    #[param(pattern = "^body$", example = "body")]
    pub include: Option<String>,
    /// Facet counts of the current result, for: topic, region, author,
    /// publisher, series, type, language, year (comma-separated).
    #[param(
        max_length = 1000,
        pattern = "^(topic|region|author|publisher|series|type|language|year)(,(topic|region|author|publisher|series|type|language|year))*$",
        example = "topic,region,year"
    )]
    pub facets: Option<String>,
    /// Values per facet (default 10).
    #[param(minimum = 1, maximum = 100, example = 10)]
    pub facet_size: Option<u32>,
    /// Article counts of the current result per year or month.
    #[param(inline)]
    pub histogram: Option<HistogramInterval>,
    /// The representation, for clients that cannot send `Accept` (it wins
    /// over `Accept`): a page as `json`, `rss` (RSS 2.0), `atom` (Atom 1.0)
    /// or `jsonfeed` (JSON Feed 1.1); or the whole result, streamed, as
    /// `csv` or `ndjson`, or cited as `csl` (CSL-JSON), `bibtex`, `ris`,
    /// `bibliography` (formatted text in `style`) or `html` (the same as
    /// HTML). Exports take no `page`, `per_page`, `cursor`, `facets`,
    /// `facet_size` or `histogram`; `limit` caps them.
    #[param(inline)]
    pub format: Option<ListFormat>,
    /// Exports only: at most this many articles (default: all).
    #[param(minimum = 1, maximum = 100000000, example = 1000)]
    pub limit: Option<u64>,
    /// CSV only: start with a UTF-8 byte order mark, so that Excel reads
    /// the file as UTF-8.
    pub bom: Option<bool>,
    /// `format=bibliography` or `html` only: the citation style (default
    /// `apa`); with `Accept`, `text/x-bibliography; style=mla` says the same.
    #[param(inline)]
    pub style: Option<CitationStyle>,
    /// `full` adds each article's body (in feeds as HTML paragraphs, in
    /// JSON the `body` field, like `include=body`).
    #[param(inline)]
    pub content: Option<ItemContent>,
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
            updated_after: self.updated_after.clone(),
            updated_before: self.updated_before.clone(),
            classification: self.classification,
        }
    }

    /// The order asked for, or the default for the request.
    pub fn sort(&self) -> ArticleSort {
        match (self.sort, self.q.is_some()) {
            (None, true) => ArticleSort::Relevance,
            (None | Some(ArticleSort::Relevance), false) => ArticleSort::PublishedDesc,
            (Some(sort), _) => sort,
        }
    }

    /// The parameters that define the list (a cursor belongs to them), as
    /// opposed to those that window or shape it.
    pub fn defining(&self) -> Vec<(&'static str, Option<&str>)> {
        vec![
            ("topic", self.topic.as_deref()),
            ("region", self.region.as_deref()),
            ("author", self.author.as_deref()),
            ("publisher", self.publisher.as_deref()),
            ("series", self.series.as_deref()),
            ("type", self.article_type.as_deref()),
            ("language", self.language.as_deref()),
            ("published_after", self.published_after.as_deref()),
            ("published_before", self.published_before.as_deref()),
            ("updated_after", self.updated_after.as_deref()),
            ("updated_before", self.updated_before.as_deref()),
            ("classification", self.classification.map(|c| c.as_str())),
            ("q", self.q.as_deref()),
            ("sort", Some(sort_word(self.sort()))),
        ]
    }

    pub fn window(&self, errors: &mut Vec<InvalidParam>) -> PageRequest {
        PageRequest::parse(self.page, self.per_page, errors)
    }
}

fn sort_word(sort: ArticleSort) -> &'static str {
    match sort {
        ArticleSort::Relevance => "relevance",
        ArticleSort::PublishedDesc => "-published_at",
        ArticleSort::PublishedAsc => "published_at",
        ArticleSort::UpdatedDesc => "-updated_at",
        ArticleSort::UpdatedAsc => "updated_at",
        ArticleSort::TitleAsc => "title",
        ArticleSort::TitleDesc => "-title",
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

    /// The words a `^(a|b|…)(,(a|b|…))*$` pattern accepts.
    fn alternatives(name: &str) -> Vec<String> {
        let re = pattern_of(name);
        let inner = re.as_str().strip_prefix("^(").and_then(|r| r.split_once(')')).expect("a list pattern").0;
        inner.split('|').map(str::to_owned).collect()
    }

    #[test]
    fn fields_and_facets_patterns_name_exactly_what_the_server_takes() {
        let fields: Vec<String> = crate::views::articles::ITEM_FIELDS.iter().map(|f| f.to_string()).collect();
        assert_eq!(alternatives("fields"), fields);
        let facets = alternatives("facets");
        assert_eq!(facets.len(), 8);
        for word in &facets {
            assert!(crate::listing::shape::is_facet(word), "{word}");
            assert!(pattern_of("facets").is_match(&format!("{word},year")), "{word}");
        }
        assert!(!pattern_of("facets").is_match("colour"));
    }

    #[test]
    fn the_q_pattern_is_the_grammar() {
        assert_eq!(pattern_of("q").as_str(), crate::search::grammar::Q_PATTERN);
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
