//! Read-your-writes in the spec (see `http::consistency`): the
//! `X-Min-Data-Version` header every `/v1` read takes, its 412 and 503, and
//! the `X-Data-Version` every write answers with. Applied to the generated
//! document, so that no handler has to say it.

use utoipa::openapi::header::HeaderBuilder;
use utoipa::openapi::path::{Parameter, ParameterBuilder, ParameterIn};
use utoipa::openapi::schema::{KnownFormat, ObjectBuilder, SchemaFormat, Type};
use utoipa::openapi::{Content, OpenApi, Ref, RefOr, Required, Response, ResponseBuilder};
use utoipa::Modify;

use crate::http::consistency::{DATA_VERSION, MIN_VERSION};

pub struct ConsistencyDocs;

fn version_schema() -> ObjectBuilder {
    ObjectBuilder::new()
        .schema_type(Type::Integer)
        .format(Some(SchemaFormat::KnownFormat(KnownFormat::Int64)))
        .minimum(Some(0))
}

fn min_version() -> Parameter {
    ParameterBuilder::new()
        .name(MIN_VERSION)
        .parameter_in(ParameterIn::Header)
        .required(Required::False)
        .schema(Some(version_schema()))
        .description(Some(
            "Answer from at least this data version: the `X-Data-Version` a write answered (read-your-writes \
             across nodes). A node reading a replica waits for it (then 503); a version never written is a 412.",
        ))
        .build()
}

fn problem(description: &str, retry: bool) -> Response {
    let mut response = ResponseBuilder::new()
        .description(description)
        .content("application/problem+json", Content::new(Some(Ref::from_schema_name("ProblemDetails"))));
    if retry {
        let seconds = ObjectBuilder::new().schema_type(Type::Integer).minimum(Some(1));
        response = response.header(
            "Retry-After",
            HeaderBuilder::new().schema(Some(seconds)).description(Some("Seconds to wait before retrying")).build(),
        );
    }
    response.build()
}

impl Modify for ConsistencyDocs {
    fn modify(&self, api: &mut OpenApi) {
        // Inline (not by reference), so that the rate-limit fields are added to them too.
        let not_reached = problem(
            "`X-Min-Data-Version` names a version the data has not reached and will not on this node \
             (`/problems/version-not-reached`)",
            false,
        );
        let unavailable = problem(
            "The database cannot be reached or no connection came free in time, or this node's replica has not \
             yet replayed the `X-Min-Data-Version` asked for (`/problems/version-not-reached`); retry after \
             `Retry-After` seconds",
            true,
        );
        for (_, item) in api.paths.paths.iter_mut().filter(|(path, _)| path.starts_with("/v1/")) {
            if let Some(get) = item.get.as_mut() {
                get.parameters.get_or_insert_with(Vec::new).push(RefOr::T(min_version()));
                let responses = &mut get.responses.responses;
                responses.entry("412".to_owned()).or_insert_with(|| RefOr::T(not_reached.clone()));
                responses.entry("503".to_owned()).or_insert_with(|| RefOr::T(unavailable.clone()));
            }
            let writes = [&mut item.post, &mut item.put, &mut item.patch, &mut item.delete];
            for operation in writes.into_iter().flatten() {
                for (status, response) in operation.responses.responses.iter_mut() {
                    if let (true, RefOr::T(response)) = (status.starts_with('2'), response) {
                        response.headers.insert(
                            DATA_VERSION.to_owned(),
                            HeaderBuilder::new()
                                .schema(Some(version_schema()))
                                .description(Some(
                                    "The data version this write committed: send it as `X-Min-Data-Version` to read \
                                     it back from any node",
                                ))
                                .build()
                                .into(),
                        );
                    }
                }
            }
        }
    }
}
