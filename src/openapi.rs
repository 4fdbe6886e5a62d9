//! The OpenAPI document's frame: title, description, tags and the schemas
//! no handler names directly. Paths come from the handlers themselves
//! (see `startup::routes`).

use utoipa::OpenApi;

use crate::error::{InvalidParam, ParamLocation, ProblemDetails};

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Policy Commentary API",
        description = "Commentaries, news, reports and books from think tanks (the Charhar Institute, \
the Japan Forum on International Relations, the German Marshall Fund …), with their authors, \
regions, topics, publishers and series.\n\n\
Lists return `{data, meta, links}` with `X-Total-Count` and RFC 8288 `Link` headers. \
Errors are RFC 9457 `application/problem+json` documents; a 400 lists every rejected parameter in \
`invalid_params`. Unknown query parameters are rejected, never ignored.",
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
        (name = "service", description = "Health of the service"),
    ),
    components(schemas(ProblemDetails, InvalidParam, ParamLocation))
)]
pub struct ApiDoc;
