//! Rate limits in the spec: the `RateLimit-Policy` and `RateLimit` fields
//! on every answer of every `/v1` operation, and its 429 (see
//! `http::rate_limit`). Applied to the generated document, so that no
//! handler has to say it.

use utoipa::openapi::header::{Header, HeaderBuilder};
use utoipa::openapi::path::{Operation, PathItem};
use utoipa::openapi::schema::{KnownFormat, ObjectBuilder, SchemaFormat, Type};
use utoipa::openapi::{Content, OpenApi, Ref, RefOr, Response, ResponseBuilder};
use utoipa::Modify;

use crate::limits::{FULL_ANSWER_UNITS, NOT_MODIFIED_UNITS};

const RATELIMIT: &str = "RateLimit";
const RATELIMIT_POLICY: &str = "RateLimit-Policy";
const RATE_LIMITED: &str = "RateLimited";

pub struct RateLimitDocs;

fn string_header(description: String, example: &str) -> Header {
    HeaderBuilder::new()
        .schema(Some(ObjectBuilder::new().schema_type(Type::String)))
        .description(Some(description))
        .example(Some(example.into()))
        .build()
}

fn header_ref(name: &str) -> RefOr<Header> {
    RefOr::Ref(Ref::new(format!("#/components/headers/{name}")))
}

fn with_fields(response: &mut Response) {
    for name in [RATELIMIT_POLICY, RATELIMIT] {
        response.headers.entry(name.to_owned()).or_insert_with(|| header_ref(name));
    }
}

fn rate_limited() -> Response {
    let seconds = ObjectBuilder::new()
        .schema_type(Type::Integer)
        .format(Some(SchemaFormat::KnownFormat(KnownFormat::Int32)))
        .minimum(Some(1));
    let mut response = ResponseBuilder::new()
        .description(
            "This client used its rate-limit quota for the current window (`/problems/rate-limited`; only when rate \
             limits are on), or, for an export, already streams as many exports as one client may \
             (`/problems/too-many-exports`); retry after `Retry-After` seconds.",
        )
        .content("application/problem+json", Content::new(Some(Ref::from_schema_name("ProblemDetails"))))
        .header(
            "Retry-After",
            HeaderBuilder::new().schema(Some(seconds)).description(Some("Seconds until the quota is back")).build(),
        )
        .build();
    with_fields(&mut response);
    response
}

fn operations(item: &mut PathItem) -> impl Iterator<Item = &mut Operation> {
    [
        &mut item.get,
        &mut item.put,
        &mut item.post,
        &mut item.delete,
        &mut item.options,
        &mut item.head,
        &mut item.patch,
        &mut item.trace,
        &mut item.query,
    ]
    .into_iter()
    .flatten()
    .chain(item.additional_operations.values_mut())
}

impl Modify for RateLimitDocs {
    fn modify(&self, api: &mut OpenApi) {
        let components = api.components.get_or_insert_with(Default::default);
        let units = format!(
            "`q` and `r` count units: a full answer takes {FULL_ANSWER_UNITS}, a 304 Not Modified {NOT_MODIFIED_UNITS}"
        );
        components.headers.insert(
            RATELIMIT_POLICY.to_owned(),
            RefOr::T(string_header(
                format!(
                    "The quota policy this request falls under (draft-ietf-httpapi-ratelimit-headers): `anonymous` \
                     (each address) or `key` (each API key), its quota `q` and its window `w` in seconds; {units}. \
                     Only when rate limits are on."
                ),
                "\"anonymous\";q=1200;w=60",
            )),
        );
        components.headers.insert(
            RATELIMIT.to_owned(),
            RefOr::T(string_header(
                format!(
                    "What this client has left under its policy: `r` units until the window ends in `t` seconds, \
                     when the whole quota is back; {units}. Only when rate limits are on."
                ),
                "\"anonymous\";r=1180;t=37",
            )),
        );
        components.responses.insert(RATE_LIMITED.to_owned(), RefOr::T(rate_limited()));
        for (_, item) in api.paths.paths.iter_mut().filter(|(path, _)| path.starts_with("/v1/")) {
            for operation in operations(item) {
                let responses = &mut operation.responses.responses;
                for response in responses.values_mut() {
                    if let RefOr::T(response) = response {
                        with_fields(response);
                    }
                }
                responses.entry("429".to_owned()).or_insert_with(|| RefOr::Ref(Ref::from_response_name(RATE_LIMITED)));
            }
        }
    }
}
