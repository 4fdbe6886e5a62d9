//! The OpenAPI document's frame: title, description, tags and the schemas
//! no handler names directly. Paths come from the handlers themselves
//! (see `startup::routes`).

use utoipa::openapi::schema::{ObjectBuilder, Type};
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::openapi::{Content, Ref, RefOr, ResponseBuilder};
use utoipa::OpenApi;

use crate::error::{InvalidParam, ParamLocation, ProblemDetails};
use crate::listing::params::ListFormat;
use crate::views::jsonfeed::JsonFeed;

mod consistency;
mod rate_limits;

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Policy Commentary API",
        description = "Commentaries, news, reports and books from think tanks (the Charhar Institute, \
the Japan Forum on International Relations, the German Marshall Fund …), with their authors, \
regions, topics, publishers and series.\n\n\
Lists return `{data, meta, links}` with `X-Total-Count` and RFC 8288 `Link` headers. \
Errors are RFC 9457 `application/problem+json` documents; a 400 lists every rejected parameter in \
`invalid_params`. Unknown query parameters are rejected, never ignored.\n\n\
Reads are open. Writes (`POST`, `PUT`, `PATCH`, `DELETE` on each resource) need an API key sent as \
`Authorization: Bearer <token>` (minted with `commentary-api keys create`); `PUT`, `PATCH` and `DELETE` \
also need `If-Match` with the `ETag` a `GET` of the resource returned.",
        license(name = "MIT", identifier = "MIT")
    ),
    tags(
        (name = "articles", description = "Commentaries, news, reports, books …"),
        (name = "authors", description = "Experts and the bylines they appear in"),
        (name = "regions", description = "A tree of regions and countries"),
        (name = "topics", description = "Subjects articles are filed under"),
        (name = "publishers", description = "Think tanks"),
        (name = "series", description = "Commentary lines, book series, periodicals, news categories"),
        (name = "search", description = "Type-ahead suggestions (full-text search is `q` on `/v1/articles`)"),
        (name = "changes", description = "Every change, in order: follow it to keep a mirror in step"),
        (name = "service", description = "Health of the service"),
    ),
    components(schemas(ProblemDetails, InvalidParam, ParamLocation, JsonFeed))
)]
pub struct ApiDoc;

/// Whether a response's JSON body is `schema` (by reference).
fn json_body_is(response: &utoipa::openapi::Response, schema: &str) -> bool {
    matches!(response.content.get("application/json"), Some(RefOr::T(c))
        if matches!(&c.schema, Some(RefOr::Ref(r)) if r.ref_location.ends_with(&format!("/{schema}"))))
}

/// Whether a response's JSON body is a page of authors, regions, topics,
/// publishers or series.
fn is_resource_page(response: &utoipa::openapi::Response) -> bool {
    ["Page_AuthorView", "Page_RegionView", "Page_TopicView", "Page_PublisherView", "Page_SeriesView"]
        .iter()
        .any(|page| json_body_is(response, page))
}

/// A list's exports: its whole result as CSV and NDJSON, streamed, with a
/// file name.
fn add_exports(ok: &mut utoipa::openapi::Response) {
    let text = |what: &str| {
        Content::new(Some(ObjectBuilder::new().schema_type(Type::String).description(Some(what.to_owned())).build()))
    };
    ok.content.insert(
        ListFormat::Csv.media_type().to_owned(),
        RefOr::T(text("The whole result as CSV (RFC 4180, UTF-8, a header row; columns in the README), streamed")),
    );
    ok.content.insert(
        ListFormat::Ndjson.media_type().to_owned(),
        RefOr::T(text("The whole result, streamed, one JSON list item per line")),
    );
    ok.headers.insert(
        "Content-Disposition".to_owned(),
        utoipa::openapi::HeaderBuilder::new()
            .schema(Some(ObjectBuilder::new().schema_type(Type::String)))
            .description(Some("Exports only: `attachment` with a file name that names the slice"))
            .build()
            .into(),
    );
}

/// Citations in every format (`what` says of what).
fn add_citations(ok: &mut utoipa::openapi::Response, what: &str) {
    let text = |format: &str| {
        Content::new(Some(
            ObjectBuilder::new().schema_type(Type::String).description(Some(format!("{what}: {format}"))).build(),
        ))
    };
    let csl = ObjectBuilder::new()
        .schema_type(Type::Array)
        .description(Some(format!("{what}: a CSL-JSON array (the CSL data schema)")))
        .build();
    ok.content.insert(ListFormat::Csl.media_type().to_owned(), RefOr::T(Content::new(Some(csl))));
    ok.content.insert(ListFormat::Bibtex.media_type().to_owned(), RefOr::T(text("BibTeX (biblatex), UTF-8")));
    ok.content.insert(ListFormat::Ris.media_type().to_owned(), RefOr::T(text("RIS")));
    ok.content.insert(
        ListFormat::Bibliography.media_type().to_owned(),
        RefOr::T(text("formatted in the style asked for (`style`, default APA), one entry a line")),
    );
    ok.content.insert(
        ListFormat::Html.media_type().to_owned(),
        RefOr::T(text("formatted as HTML, with `format=html` only (a browser's `Accept: text/html` gets JSON)")),
    );
}

/// What the handlers' annotations leave to one place, applied to the
/// generated document: every article list (a 200 whose JSON body is an
/// `ArticlePage`) also answers as RSS, Atom and JSON Feed, and every `/v1`
/// operation may answer 406 to an `Accept` it cannot satisfy.
pub fn finish(api: &mut utoipa::openapi::OpenApi) {
    let components = api.components.get_or_insert_with(Default::default);
    components.add_security_scheme(
        "api_key",
        SecurityScheme::Http(
            HttpBuilder::new()
                .scheme(HttpAuthScheme::Bearer)
                .description(Some("An API key minted with `commentary-api keys create` (scope `write` or `admin`)"))
                .build(),
        ),
    );
    let xml = |what: &str| {
        Content::new(Some(
            ObjectBuilder::new().schema_type(Type::String).description(Some(format!("{what} (XML)"))).build(),
        ))
    };
    for (path, item) in api.paths.paths.iter_mut() {
        let Some(get) = item.get.as_mut() else { continue };
        let mut exports = false;
        if let Some(RefOr::T(ok)) = get.responses.responses.get_mut("200") {
            if json_body_is(ok, "ChangePage") {
                ok.content
                    .insert(ListFormat::Atom.media_type().to_owned(), RefOr::T(xml("An Atom 1.0 feed of changes")));
                let json_feed = ObjectBuilder::new()
                    .schema_type(Type::Object)
                    .description(Some("A JSON Feed 1.1 of changes: each item's `_change` is the change entry"))
                    .build();
                ok.content
                    .insert(ListFormat::Jsonfeed.media_type().to_owned(), RefOr::T(Content::new(Some(json_feed))));
            }
            if json_body_is(ok, "ArticlePage") {
                ok.content.insert(ListFormat::Rss.media_type().to_owned(), RefOr::T(xml("An RSS 2.0 feed")));
                ok.content.insert(ListFormat::Atom.media_type().to_owned(), RefOr::T(xml("An Atom 1.0 feed")));
                ok.content.insert(
                    ListFormat::Jsonfeed.media_type().to_owned(),
                    RefOr::T(Content::new(Some(Ref::from_schema_name("JsonFeed")))),
                );
            }
            if json_body_is(ok, "ArticlePage") || is_resource_page(ok) {
                add_exports(ok);
                exports = true;
            }
            if json_body_is(ok, "ArticlePage") {
                add_citations(ok, "Citations of the whole result, streamed");
            }
            if json_body_is(ok, "ArticleDetail") {
                add_citations(ok, "The article's citation");
            }
        }
        if exports && !get.responses.responses.contains_key("503") {
            let busy = ResponseBuilder::new()
                .description("Exports only: as many are streaming as the server allows at once (`/problems/overloaded`); retry after `Retry-After` seconds")
                .content("application/problem+json", Content::new(Some(Ref::from_schema_name("ProblemDetails"))))
                .header(
                    "Retry-After",
                    utoipa::openapi::HeaderBuilder::new()
                        .schema(Some(ObjectBuilder::new().schema_type(Type::Integer)))
                        .description(Some("Seconds to wait before retrying"))
                        .build(),
                )
                .build();
            get.responses.responses.insert("503".to_owned(), RefOr::T(busy));
        }
        if path.starts_with("/v1/") && !get.responses.responses.contains_key("406") {
            let not_acceptable = ResponseBuilder::new()
                .description("`Accept` names no media type this endpoint answers with; the problem lists those it does")
                .content("application/problem+json", Content::new(Some(Ref::from_schema_name("ProblemDetails"))))
                .build();
            get.responses.responses.insert("406".to_owned(), RefOr::T(not_acceptable));
        }
    }
    // Every `/v1` operation may answer 429, and every answer carries the
    // rate-limit fields.
    utoipa::Modify::modify(&consistency::ConsistencyDocs, api);
    utoipa::Modify::modify(&rate_limits::RateLimitDocs, api);
}
