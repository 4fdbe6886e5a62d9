//! `/v1/changes`: the change feed. Every create and update of every
//! resource in commit order, by sequence number, so that a follower can
//! keep a mirror exactly in step (replay from 0, then poll from
//! `meta.next_since`).

use actix_web::{get, web, HttpMessage, HttpRequest, HttpResponse};
use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};

use crate::cache::version::read_version;
use crate::domain::Kind;
use crate::error::{ApiError, InvalidParam, ProblemDetails};
use crate::http::negotiate::Negotiated;
use crate::http::{lists, CheckedQuery};
use crate::models::change;
use crate::render::changes_atom::{self, ChangeFeedLinks};
use crate::render::changes_jsonfeed;
use crate::state::AppState;
use crate::views::changes::ChangePage;
use crate::work;

pub const DEFAULT_LIMIT: u32 = 100;
pub const MAX_LIMIT: u32 = 1_000;
/// The longest `kind` (every kind once fits).
pub const MAX_KIND_CHARS: usize = 100;

pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(list_changes);
}

#[derive(Debug, Clone, Default, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ChangeParams {
    /// Entries after this sequence number (default 0: from the start).
    #[param(minimum = 0, example = 0)]
    pub since: Option<i64>,
    /// Entries per page (default 100).
    #[param(minimum = 1, maximum = 1000, example = 100)]
    pub limit: Option<u32>,
    /// Only these kinds of resource, comma-separated: publisher, series,
    /// region, topic, author, article.
    #[param(
        max_length = 100, // MAX_KIND_CHARS
        pattern = "^(publisher|series|region|topic|author|article)(,(publisher|series|region|topic|author|article))*$",
        example = "article"
    )]
    pub kind: Option<String>,
    /// `json`, `atom` (Atom 1.0, for feed readers; also by `Accept:
    /// application/atom+xml`) or `jsonfeed` (JSON Feed 1.1; also by
    /// `Accept: application/feed+json`); it wins over `Accept`.
    #[param(inline)]
    pub format: Option<ChangeFormat>,
}

/// The representation of the change feed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum ChangeFormat {
    /// `application/json`: `{data, meta, links}`.
    Json,
    /// `application/atom+xml`: Atom 1.0.
    Atom,
    /// `application/feed+json`: JSON Feed 1.1.
    Jsonfeed,
}

pub const ATOM: &str = "application/atom+xml";
pub const JSON_FEED: &str = "application/feed+json";

/// A checked change-feed request.
pub struct ChangeRequest {
    pub since: i64,
    pub limit: u32,
    pub kinds: Vec<Kind>,
}

impl ChangeParams {
    pub fn parse(&self, mut errors: Vec<InvalidParam>) -> Result<ChangeRequest, ApiError> {
        let since = self.since.unwrap_or(0);
        if since < 0 {
            errors.push(InvalidParam::query("since", "must be 0 or more"));
        }
        let limit = self.limit.unwrap_or(DEFAULT_LIMIT);
        if !(1..=MAX_LIMIT).contains(&limit) {
            errors.push(InvalidParam::query("limit", format!("must be between 1 and {MAX_LIMIT}")));
        }
        let mut kinds = Vec::new();
        let kind = self.kind.as_deref().filter(|k| {
            let fits = k.len() <= MAX_KIND_CHARS;
            if !fits {
                errors.push(InvalidParam::query("kind", format!("is longer than {MAX_KIND_CHARS} characters")));
            }
            fits
        });
        for word in kind.map(|k| k.split(',').collect::<Vec<_>>()).unwrap_or_default() {
            match word.parse::<Kind>() {
                Ok(kind) if !kinds.contains(&kind) => kinds.push(kind),
                Ok(_) => {}
                Err(_) => errors.push(InvalidParam::query(
                    "kind",
                    format!("`{word}` is not a kind; expected publisher, series, region, topic, author or article"),
                )),
            }
        }
        if !errors.is_empty() {
            return Err(ApiError::InvalidParams(errors));
        }
        Ok(ChangeRequest { since, limit, kinds })
    }
}

/// The change feed: every create, update and deletion, oldest first. Start with
/// `since=0` (or leave it out), fetch each entry's `url`, and continue from
/// `meta.next_since` (`links.next`); at the end of the feed `links.next`
/// is where to poll for what comes next. Replaying it from the start and
/// keeping the latest state of each resource reproduces the corpus. As
/// Atom (`format=atom` or `Accept: application/atom+xml`) or JSON Feed
/// (`format=jsonfeed` or `Accept: application/feed+json`), each change is
/// an entry linking to the resource, for feed readers. Deletions (and
/// unpublished articles) are `delete` entries with a `tombstone`; their
/// `url` answers 410.
#[utoipa::path(
    tag = "changes",
    params(ChangeParams),
    responses(
        (status = 200, description = "A page of the change feed", body = ChangePage),
        (status = 400, description = "Invalid parameters", body = ProblemDetails, content_type = "application/problem+json"),
        (status = 409, description = "`since` is past the end of the log: it was reset (a database replaced by an older copy); replay from 0 (`/problems/feed-reset`)",
            body = ProblemDetails, content_type = "application/problem+json"),
    )
)]
#[get("/changes")]
pub async fn list_changes(
    req: HttpRequest,
    state: web::Data<AppState>,
    query: CheckedQuery<ChangeParams>,
) -> Result<HttpResponse, ApiError> {
    let negotiated = req.extensions().get::<Negotiated>().and_then(|n| match n.media_type() {
        ATOM => Some(ChangeFormat::Atom),
        JSON_FEED => Some(ChangeFormat::Jsonfeed),
        _ => None,
    });
    let format = query.params.format.or(negotiated).unwrap_or(ChangeFormat::Json);
    let request = query.params.parse(query.problems)?;
    let location = lists::location(&req);
    let ChangeRequest { since, limit, kinds } = request;
    let (rows, latest) = work::cheap(&state.pool, move |conn| {
        // The latest sequence number first: the page never shows an entry
        // past the `latest` it reports.
        let latest = read_version(conn)?;
        if since > latest {
            // Only a database replaced by an older copy makes a `since` we
            // issued pass the log's end: its numbers will be reused for
            // other changes, so the follower must start again.
            return Err(ApiError::FeedReset { since, latest });
        }
        Ok((change::between(conn, since, latest, &kinds, i64::from(limit) + 1)?, latest))
    })
    .await?;
    let page = ChangePage::build(rows, since, limit as usize, latest, &location);
    if format == ChangeFormat::Json {
        return Ok(HttpResponse::Ok().json(page));
    }
    let origin = lists::origin(&req, state.public_url.as_deref());
    let url = |replaced: &[(&str, Option<String>)]| format!("{origin}{}", location.with(replaced));
    let word = if format == ChangeFormat::Atom { "atom" } else { "jsonfeed" };
    let links = ChangeFeedLinks {
        origin: &origin,
        self_url: format!("{origin}{}", location.here()),
        json_url: url(&[("format", Some("json".to_owned()))]),
        next_url: url(&[("since", Some(page.meta.next_since.to_string())), ("format", Some(word.to_owned()))]),
    };
    if format == ChangeFormat::Atom {
        let body = changes_atom::render(&page, &links)?;
        return Ok(HttpResponse::Ok().content_type(ATOM).body(body));
    }
    let body = changes_jsonfeed::render(&page, &links)?;
    Ok(HttpResponse::Ok().content_type(JSON_FEED).body(body))
}
