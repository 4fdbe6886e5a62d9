//! One page of an article list: from SQLite when there is no `q`, from
//! the search index when there is; facets and histograms from the index.

use std::collections::HashMap;

use actix_web::{web, HttpRequest, HttpResponse};
use chrono::NaiveDate;
use serde_json::value::RawValue;
use tantivy::Searcher;

use super::params::ArticleListParams;
use super::shape::{self, Shape};
use super::views::{
    ArticleItem, ArticleListMeta, ArticlePage, ArticleSummary, FacetValue, Facets, Highlights, Histogram,
    HistogramBucket, ListItem,
};
use super::ScopeFn;
use crate::cursor::{self, Position};
use crate::db::DbConn;
use crate::domain::ArticleType;
use crate::error::{ApiError, InvalidParam};
use crate::http::CheckedQuery;
use crate::models::article::{self, ArticleBatch, ArticleRow};
use crate::models::article_card;
use crate::models::article_filter::{self, ArticleFilter};
use crate::models::article_list::{sort_keys, ArticleQuery, Window};
use crate::models::{author, publisher, region, series, topic, ResourceKey};
use crate::pagination::{list_response, list_url, PageLinks, PageRequest, MAX_PAGE};
use crate::routes::articles::params::HistogramInterval;
use crate::search::documents::type_of_code;
use crate::search::highlight::Highlighter;
use crate::search::{CountKey, Dimension, HitKey, HitOrder, KeyValue, SearchRequest};
use crate::startup::Services;

/// A page, ready to be shaped into the response: the ids in order, with
/// a stored card or a loaded row for each.
struct Listed {
    ids: Vec<i64>,
    cards: HashMap<i64, Box<RawValue>>,
    batch: ArticleBatch,
    total: i64,
    next: Option<Position>,
    scores: HashMap<i64, f32>,
    highlights: HashMap<i64, Highlights>,
    bodies: HashMap<i64, String>,
}

pub async fn article_page(
    req: &HttpRequest,
    services: &web::Data<Services>,
    query: CheckedQuery<ArticleListParams>,
    scope: Option<(&'static str, ResourceKey, ScopeFn)>,
) -> Result<HttpResponse, ApiError> {
    let CheckedQuery { params, problems } = query;
    let fingerprint = cursor::fingerprint(req.path(), &params.defining());
    let version = services.caches.version(&services.pool);
    let s = services.clone();
    let (page, window, cursor_mode) = super::super::with_conn(&services.pool, move |conn| {
        let mut errors = problems;
        let window = params.window(&mut errors);
        let shape = shape::check(&params, &s.cursors, &fingerprint, &mut errors);
        let mut filter = ArticleFilter::default();
        if let Some((resource, key, apply)) = &scope {
            if !apply(conn, key, &mut filter)? {
                return Err(ApiError::not_found(resource, key.as_text()));
            }
        }
        let resolved = article_filter::resolve(conn, &params.raw_filter(), &mut errors)?;
        filter.merge_from(resolved);
        let state = index_state(conn, &s, &shape, params.histogram.is_some())?;
        let listed = match (&shape.text, &state) {
            (Some(_), Some(state)) => search_list(conn, &s, &shape, &filter, window, state)?,
            _ => sql_list(conn, &s, &shape, &filter, window, version)?,
        };
        let searcher = state.as_ref().map(|(_, searcher)| searcher);
        let facets = searcher.map(|searcher| facets(conn, &s, &shape, &filter, searcher)).transpose()?.flatten();
        let histogram = match (params.histogram, searcher) {
            (Some(h), Some(searcher)) => Some(histogram(&s, &shape, &filter, h, searcher)?),
            _ => None,
        };
        let cursor_mode = shape.position.is_some();
        let page = assemble(listed, &shape, &s, &fingerprint, window, cursor_mode, facets, histogram);
        Ok((page, window, cursor_mode))
    })
    .await?;
    Ok(respond(req, page, window, cursor_mode))
}

fn sql_list(
    conn: &mut DbConn,
    s: &Services,
    shape: &Shape,
    filter: &ArticleFilter,
    window: PageRequest,
    version: i64,
) -> Result<Listed, ApiError> {
    let order = shape.sort.sql_order().ok_or_else(|| ApiError::invalid(InvalidParam::query("sort", "needs `q`")))?;
    let query = ArticleQuery { filter, order };
    let total = s.caches.counts.get_or_count(filter, version, || query.count(conn))?;
    let limit = window.limit() + 1;
    let seek = match &shape.position {
        Some(position) => {
            let keyset = position.keyset().ok_or_else(cursor_mismatch)?;
            Window { after: Some(keyset), offset: 0, limit }
        }
        None => s.caches.anchors.window(conn, &query, version, window.offset(), limit)?,
    };
    let mut ids = query.ids(conn, &seek)?;
    let more = ids.len() as i64 > window.limit();
    ids.truncate(window.limit() as usize);
    let next = match (more, ids.last()) {
        (true, Some(last)) => sort_keys(conn, order.field, &[*last])?.first().map(Position::from_keyset),
        _ => None,
    };
    let bodies = if shape.mask.has("body") { article::bodies(conn, &ids)? } else { HashMap::new() };
    // A card that is not valid JSON (a damaged file) is computed instead.
    let cards: HashMap<i64, Box<RawValue>> = if shape.plain {
        article_card::load(conn, &ids)?
            .into_iter()
            .filter_map(|(id, card)| RawValue::from_string(card).ok().map(|json| (id, json)))
            .collect()
    } else {
        HashMap::new()
    };
    let uncarded: Vec<i64> = ids.iter().copied().filter(|id| !cards.contains_key(id)).collect();
    Ok(Listed {
        batch: article::load_batch(conn, &uncarded)?,
        ids,
        cards,
        total,
        next,
        scores: HashMap::new(),
        highlights: HashMap::new(),
        bodies,
    })
}

fn cursor_mismatch() -> ApiError {
    ApiError::invalid(InvalidParam::query("cursor", "belongs to another query"))
}

/// The one search-index state a request reads (hits, facets and histogram
/// alike), after one catch-up: the state a search cursor was issued in, else
/// the latest. `None` when the request needs no index.
fn index_state(
    conn: &mut DbConn,
    s: &Services,
    shape: &Shape,
    histogram: bool,
) -> Result<Option<(i64, Searcher)>, ApiError> {
    if shape.text.is_none() && shape.facets.is_empty() && !histogram {
        return Ok(None);
    }
    s.search.catch_up_unless_busy(conn)?;
    let continued = match (&shape.text, &shape.position) {
        (Some(_), Some(position)) => Some(position.hit().ok_or_else(cursor_mismatch)?.1),
        _ => None,
    };
    let Some(seq) = continued else { return Ok(Some(s.search.current())) };
    let searcher = s.search.searcher_at(seq).ok_or_else(|| {
        ApiError::invalid(InvalidParam::query(
            "cursor",
            "the search it continues has changed too much since; start again from the first page",
        ))
    })?;
    Ok(Some((seq, searcher)))
}

fn search_list(
    conn: &mut DbConn,
    s: &Services,
    shape: &Shape,
    filter: &ArticleFilter,
    window: PageRequest,
    (seq, searcher): &(i64, Searcher),
) -> Result<Listed, ApiError> {
    let text = shape.text.as_ref().expect("a search has words");
    let seq = *seq;
    let after = shape.position.as_ref().and_then(Position::hit).map(|(key, _)| key);
    let order = shape.sort.hit_order();
    let offset = if after.is_some() { 0 } else { window.offset() as usize };
    let request = SearchRequest { text: Some(text), filter, order, after, offset, limit: window.limit() as usize + 1 };
    let mut result = s.search.search(searcher, &request)?;
    let more = result.hits.len() > window.limit() as usize;
    result.hits.truncate(window.limit() as usize);
    let next = if more { result.hits.last().map(|h| Position::from_hit(h, seq)) } else { None };
    let ids: Vec<i64> = result.hits.iter().map(|h| h.id as i64).collect();
    let scores = result
        .hits
        .iter()
        .filter_map(|h: &HitKey| match h.value {
            KeyValue::Score(score) if order == HitOrder::Relevance => Some((h.id as i64, score)),
            _ => None,
        })
        .collect();
    let batch = article::load_batch(conn, &ids)?;
    let wants_bodies = shape.mask.has("body") || shape.mask.has("highlights");
    let bodies = if wants_bodies { article::bodies(conn, &ids)? } else { HashMap::new() };
    let mut highlights = HashMap::new();
    if shape.mask.has("highlights") {
        let query = s.search.text_query(text).map_err(crate::search::SearchError::from)?;
        let highlighter = Highlighter::new(&s.search, searcher, &*query)
            .map_err(|e| ApiError::Internal(format!("highlights: {e}")))?;
        for row in &batch.rows {
            highlights.insert(
                row.id,
                Highlights {
                    title: highlighter.title(&row.title),
                    summary: row.summary.as_deref().and_then(|t| highlighter.summary(t)),
                    body: bodies.get(&row.id).and_then(|b| highlighter.body(b)),
                },
            );
        }
    }
    Ok(Listed { ids, cards: HashMap::new(), batch, total: result.total as i64, next, scores, highlights, bodies })
}

fn facets(
    conn: &mut DbConn,
    s: &Services,
    shape: &Shape,
    filter: &ArticleFilter,
    searcher: &Searcher,
) -> Result<Option<Facets>, ApiError> {
    if shape.facets.is_empty() {
        return Ok(None);
    }
    let counts = s.search.facet_counts(searcher, shape.text.as_ref(), filter, &shape.facets)?;
    let mut facets = Facets::default();
    for dim in &shape.facets {
        let mut values: Vec<(CountKey, u64)> = counts.get(dim).cloned().unwrap_or_default().into_iter().collect();
        values.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        values.truncate(shape.facet_size);
        let named = name_values(conn, *dim, values)?;
        let slot = match dim {
            Dimension::Topic => &mut facets.topic,
            Dimension::Region => &mut facets.region,
            Dimension::Author => &mut facets.author,
            Dimension::Publisher => &mut facets.publisher,
            Dimension::Series => &mut facets.series,
            Dimension::Type => &mut facets.article_type,
            Dimension::Language => &mut facets.language,
            Dimension::Year => &mut facets.year,
        };
        *slot = Some(named);
    }
    Ok(Some(facets))
}

/// Slugs and names for counted values, keeping their order.
fn name_values(conn: &mut DbConn, dim: Dimension, values: Vec<(CountKey, u64)>) -> Result<Vec<FacetValue>, ApiError> {
    let ids: Vec<i64> =
        values.iter().filter_map(|(k, _)| if let CountKey::Number(n) = k { Some(*n as i64) } else { None }).collect();
    let refs = match dim {
        Dimension::Topic => topic::refs(conn, &ids)?,
        Dimension::Region => region::refs(conn, &ids)?,
        Dimension::Author => author::refs(conn, &ids)?,
        Dimension::Publisher => publisher::refs(conn, &ids)?,
        Dimension::Series => series::refs(conn, &ids)?,
        _ => HashMap::new(),
    };
    Ok(values
        .into_iter()
        .filter_map(|(key, count)| match (dim, key) {
            (Dimension::Type, CountKey::Number(code)) => type_of_code(code).map(|t: ArticleType| FacetValue {
                id: None,
                slug: t.as_str().to_owned(),
                name: t.as_str().to_owned(),
                count,
            }),
            (Dimension::Year, CountKey::Number(year)) => {
                Some(FacetValue { id: None, slug: year.to_string(), name: year.to_string(), count })
            }
            (Dimension::Language, CountKey::Text(tag)) => {
                Some(FacetValue { id: None, slug: tag.clone(), name: tag, count })
            }
            (_, CountKey::Number(id)) => refs.get(&(id as i64)).map(|r| FacetValue {
                id: Some(r.id),
                slug: r.slug.clone(),
                name: r.name.clone(),
                count,
            }),
            _ => None,
        })
        .collect())
}

fn histogram(
    s: &Services,
    shape: &Shape,
    filter: &ArticleFilter,
    interval: HistogramInterval,
    searcher: &Searcher,
) -> Result<Histogram, ApiError> {
    let field = match interval {
        HistogramInterval::Year => "year",
        HistogramInterval::Month => "month",
    };
    let counts = s.search.histogram(searcher, shape.text.as_ref(), filter, field)?;
    let mut buckets: Vec<HistogramBucket> = counts
        .into_iter()
        .filter_map(|(key, count)| {
            let CountKey::Number(n) = key else { return None };
            let (key, from, to) = match interval {
                HistogramInterval::Year => {
                    let year = n as i32;
                    (format!("{year:04}"), NaiveDate::from_ymd_opt(year, 1, 1)?, NaiveDate::from_ymd_opt(year, 12, 31)?)
                }
                HistogramInterval::Month => {
                    let (year, month) = ((n / 12) as i32, (n % 12) as u32 + 1);
                    let from = NaiveDate::from_ymd_opt(year, month, 1)?;
                    let next = if month == 12 {
                        NaiveDate::from_ymd_opt(year + 1, 1, 1)
                    } else {
                        NaiveDate::from_ymd_opt(year, month + 1, 1)
                    };
                    (format!("{year:04}-{month:02}"), from, next?.pred_opt()?)
                }
            };
            Some(HistogramBucket { key, from, to, count })
        })
        .collect();
    buckets.sort_by(|a, b| a.key.cmp(&b.key));
    let interval = match interval {
        HistogramInterval::Year => "year",
        HistogramInterval::Month => "month",
    };
    Ok(Histogram { interval: interval.to_owned(), buckets })
}

#[allow(clippy::too_many_arguments)]
fn assemble(
    mut listed: Listed,
    shape: &Shape,
    s: &Services,
    fingerprint: &str,
    window: PageRequest,
    cursor_mode: bool,
    facets: Option<Facets>,
    histogram: Option<Histogram>,
) -> ArticlePage {
    let rows: HashMap<i64, &ArticleRow> = listed.batch.rows.iter().map(|row| (row.id, row)).collect();
    let data = listed
        .ids
        .iter()
        .filter_map(|id| {
            if let Some(card) = listed.cards.remove(id) {
                return Some(ListItem::Card(card));
            }
            let row = rows.get(id)?;
            let summary = ArticleSummary::build(row, &listed.batch.relations);
            let body = shape.mask.has("body").then(|| listed.bodies.remove(id));
            Some(ListItem::Built(Box::new(ArticleItem::build(
                summary,
                shape.mask,
                body,
                listed.scores.get(id).copied(),
                listed.highlights.remove(id),
            ))))
        })
        .collect();
    let per_page = i64::from(window.per_page);
    let total_pages = (listed.total + per_page - 1) / per_page;
    ArticlePage {
        data,
        meta: ArticleListMeta {
            page: (!cursor_mode).then_some(window.page),
            per_page: window.per_page,
            total: listed.total,
            total_pages,
            next_cursor: listed.next.map(|p| s.cursors.encode(fingerprint, p)),
        },
        links: PageLinks { self_: String::new(), first: String::new(), prev: None, next: None, last: String::new() },
        facets,
        histogram,
    }
}

fn respond(req: &HttpRequest, mut page: ArticlePage, window: PageRequest, cursor_mode: bool) -> HttpResponse {
    page.links = if cursor_mode {
        PageLinks {
            self_: format!(
                "{}{}",
                req.path(),
                if req.query_string().is_empty() { String::new() } else { format!("?{}", req.query_string()) }
            ),
            first: list_url(req, Some(1), None),
            prev: None,
            next: page.meta.next_cursor.as_deref().map(|c| list_url(req, None, Some(c))),
            last: list_url(req, Some(page.meta.total_pages.clamp(1, i64::from(MAX_PAGE))), None),
        }
    } else {
        PageLinks::numbered(req, i64::from(window.page), page.meta.total_pages, page.meta.next_cursor.as_deref())
    };
    list_response(page.meta.total, &page.links, &page)
}
