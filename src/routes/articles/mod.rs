//! `/v1/articles` and the article lists scoped to an author, region or
//! topic: parse the query, ask the listing core, render the page as JSON.

use actix_web::{get, web, HttpMessage, HttpRequest, HttpResponse};

use crate::domain::{CitationStyle, Kind};
use crate::error::{ApiError, InvalidParam, ProblemDetails};
use crate::http::negotiate::Negotiated;
use crate::http::{self, lists, CheckedQuery};
use crate::listing::params::{ArticleListParams, ArticleParams, ItemContent, ListFormat};
use crate::listing::{self, export, ListRequest, Scope};
use crate::models::ResourceKey;
use crate::render;
use crate::render::cite::CitationFormat;
use crate::services::citations;
use crate::services::exports::{self, ArticleExportRequest};
use crate::state::AppState;
use crate::views::articles::{ArticleDetail, ArticlePage};
use crate::work;

pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(list_articles).service(get_article);
}

/// A page of an article list (scoped to the resource in the path, if
/// any), in the format `format` or `Accept` asks for.
pub async fn article_page(
    req: &HttpRequest,
    state: web::Data<AppState>,
    query: CheckedQuery<ArticleListParams>,
    scope: Option<Scope>,
) -> Result<HttpResponse, ApiError> {
    let CheckedQuery { params, mut problems } = query;
    let negotiated = req.extensions().get::<Negotiated>().and_then(|n| ListFormat::from_media_type(n.media_type()));
    let format = params.format.or(negotiated).unwrap_or(ListFormat::Json);
    export::check_params(&params, format.is_export(), format == ListFormat::Csv, &mut problems);
    let style = citation_style(req, params.style, format, &mut problems);
    if format.is_export() {
        let mut list = ListRequest::parse(req.path(), &params, problems, scope, &state.cursors)?;
        let columns = list.shape.mask;
        if format != ListFormat::Ndjson {
            list.shape.whole_items();
        }
        let origin = lists::origin(req, state.public_url.as_deref());
        let (limit, bom) = (params.limit, params.bom.unwrap_or(false));
        let request = ArticleExportRequest { list, limit, format, style, columns, origin, bom };
        let client = http::rate_limit::client_of(req, state.trust_forwarded_for);
        let (head, body) = exports::articles(state.into_inner(), client, request).await?;
        let mut defining = params.defining();
        defining.retain(|(name, _)| *name != "sort" || params.sort.is_some());
        let name = http::export::file_name(req.path(), &defining, format.extension());
        return Ok(http::export::response(head, body, format.content_type(), name));
    }
    // `fields` shapes JSON items; a feed entry always needs the whole item.
    let listed = if format.is_feed() { ArticleListParams { fields: None, ..params.clone() } } else { params.clone() };
    let mut request = ListRequest::parse(req.path(), &listed, problems, scope, &state.cursors)?;
    request.describe = format.is_feed();
    let page = listing::list_articles(state.clone().into_inner(), request).await?;
    let snapshot = page.snapshot;
    let (location, origin) = (lists::location(req), lists::origin(req, state.public_url.as_deref()));
    let full = params.content == Some(ItemContent::Full);
    let rendered = render::article_list(
        format,
        page,
        &render::Context { location: &location, origin: &origin, full, entries: Some(&state.caches.entries) },
    )?;
    Ok(lists::rendered(rendered, Some(snapshot)))
}

/// The style of formatted citations: `style`, else the `style` parameter
/// of the `Accept` range that asked for them, else APA. A style for any
/// other format is a problem.
fn citation_style(
    req: &HttpRequest,
    style: Option<CitationStyle>,
    format: ListFormat,
    problems: &mut Vec<InvalidParam>,
) -> CitationStyle {
    if style.is_some() && !format.is_styled() {
        problems.push(InvalidParam::query("style", "applies only to `format=bibliography` or `html`"));
    }
    // Only when `Accept` chose the format: the style is then part of what
    // names the representation (its cache key and ETag).
    let accepted = req
        .extensions()
        .get::<Negotiated>()
        .filter(|n| format.is_styled() && n.media_type() == format.media_type())
        .and_then(|n| n.style.clone());
    match (style, accepted) {
        (Some(style), _) => style,
        (None, Some(name)) => CitationStyle::parse(&name).unwrap_or_else(|| {
            problems.push(InvalidParam::header(
                "Accept",
                format!("`style={name}` is not a citation style (apa, chicago-author-date, mla, harvard)"),
            ));
            CitationStyle::Apa
        }),
        (None, None) => CitationStyle::Apa,
    }
}

/// List, filter and search articles. Without `q`, newest first unless
/// `sort` says otherwise; with `q`, best match first, each hit with its
/// `score` and `highlights`. `facets` and `histogram` describe the whole
/// result. Page with `page` (up to 10,000) or, at any depth and at the same
/// cost, with `cursor` from `meta.next_cursor`. A page carries at most
/// 4 MiB of bodies: one that would carry more ends early
/// (`meta.truncated`) and `links.next` continues after its last item.
#[utoipa::path(
    tag = "articles",
    params(ArticleListParams),
    responses(
        (status = 200, description = "A page of articles", body = ArticlePage,
            headers(
                ("X-Total-Count" = i64, description = "Articles matching the request, over all pages"),
                ("Link" = String, description = "RFC 8288 links to the first, previous, next and last pages"),
            )),
        (status = 400, description = "A parameter is unknown, repeated or malformed (including `q`, and a `cursor` that is tampered with or belongs to another query)",
            body = ProblemDetails, content_type = "application/problem+json"),
        (status = 404, description = "A filter names a topic, region, author, publisher or series that does not exist",
            body = ProblemDetails, content_type = "application/problem+json"),
        (status = 503, description = "Searches, facets, histograms, `classification=source` lists and exports only: the server is at capacity for them (`/problems/overloaded`) or the work took longer than the deadline (`/problems/deadline-exceeded`); retry after `Retry-After` seconds",
            body = ProblemDetails, content_type = "application/problem+json",
            headers(("Retry-After" = u32, description = "Seconds to wait before retrying"))),
    )
)]
#[get("/articles")]
pub async fn list_articles(
    req: HttpRequest,
    state: web::Data<AppState>,
    query: CheckedQuery<ArticleListParams>,
) -> Result<HttpResponse, ApiError> {
    article_page(&req, state, query, None).await
}

/// One article in full: body, byline with roles and affiliations at the
/// time, regions, topics, publisher, series, source and translation. Or
/// its citation: CSL-JSON, BibTeX, RIS, or formatted in a citation style
/// (`format`, or `Accept` as Crossref takes it:
/// `text/x-bibliography; style=apa`).
#[utoipa::path(
    tag = "articles",
    params(("id_or_slug" = String, Path, max_length = 120, description = "Numeric id or slug of the article",
        example = "what-is-putins-strategy-on-japan-vigilance-needed-on-russias-peace-treaty"), ArticleParams),
    responses(
        (status = 200, description = "The article", body = ArticleDetail,
            headers(("ETag" = String, description = "Strong validator of this representation: what If-Match on its writes takes"))),
        (status = 400, description = "A parameter is unknown or malformed, or `style` names no style",
            body = ProblemDetails, content_type = "application/problem+json"),
        (status = 404, description = "No article has this id or slug", body = ProblemDetails,
            content_type = "application/problem+json"),
        (status = 410, description = "It was deleted or unpublished", body = ProblemDetails, content_type = "application/problem+json"),
    )
)]
#[get("/articles/{id_or_slug}")]
pub async fn get_article(
    req: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<String>,
    query: CheckedQuery<ArticleParams>,
) -> Result<HttpResponse, ApiError> {
    let CheckedQuery { params, mut problems } = query;
    let negotiated = req.extensions().get::<Negotiated>().and_then(|n| ListFormat::from_media_type(n.media_type()));
    let format = params.format.map(ListFormat::from).or(negotiated).unwrap_or(ListFormat::Json);
    let style = citation_style(&req, params.style, format, &mut problems);
    if !problems.is_empty() {
        return Err(ApiError::InvalidParams(problems));
    }
    let Some(citation) = CitationFormat::of(format, style) else {
        return crate::routes::resource::one(state, Kind::Article, path.into_inner()).await;
    };
    let key = ResourceKey::parse(&path.into_inner());
    let origin = lists::origin(&req, state.public_url.as_deref());
    let body = work::cheap(&state.pool, move |conn| citations::cite_one(conn, &key, citation, &origin)).await?;
    Ok(HttpResponse::Ok().content_type(format.content_type()).body(body))
}

/// For endpoints that take no query parameters: any given is reported.
#[derive(Debug, Clone, Copy, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NoParams {}
