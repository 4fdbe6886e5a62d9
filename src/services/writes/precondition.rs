//! `If-Match` (RFC 9110 §13.1.1) on writes that change or delete: required
//! (428 without it), compared strongly with the resource's current `ETag`
//! (412 when stale); `*` matches any current representation.

use actix_web::http::header::{HeaderMap, IF_MATCH};

use crate::error::{ApiError, InvalidParam};
use crate::views::detail::Detail;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Precondition {
    /// No `If-Match` (allowed only where none is required: create, republish).
    None,
    Any,
    Tags(Vec<String>),
}

impl Precondition {
    pub fn from_headers(headers: &HeaderMap) -> Result<Precondition, ApiError> {
        let values: Vec<_> = headers.get_all(IF_MATCH).collect();
        if values.is_empty() {
            return Ok(Precondition::None);
        }
        let mut tags = Vec::new();
        for value in values {
            let text = value
                .to_str()
                .map_err(|_| ApiError::invalid(InvalidParam::header("If-Match", "must be ASCII entity tags")))?;
            for tag in text.split(',').map(str::trim).filter(|t| !t.is_empty()) {
                if tag == "*" {
                    return Ok(Precondition::Any);
                }
                let quoted = |t: &str| t.len() >= 2 && t.starts_with('"') && t.ends_with('"');
                if !quoted(tag) && !tag.strip_prefix("W/").is_some_and(quoted) {
                    return Err(ApiError::invalid(InvalidParam::header(
                        "If-Match",
                        format!("`{tag}` is not an entity tag (a quoted string, as the ETag header gives it, or `*`)"),
                    )));
                }
                // A weak tag never matches (strong comparison): 412.
                tags.push(tag.to_owned());
            }
        }
        if tags.is_empty() {
            // `If-Match:` with nothing in it names no representation.
            return Ok(Precondition::None);
        }
        Ok(Precondition::Tags(tags))
    }

    /// Require `If-Match` and compare it with `current`'s strong ETag (a
    /// weak tag never matches, RFC 9110 §13.1.1).
    pub fn check(&self, current: &Detail) -> Result<(), ApiError> {
        match self {
            Precondition::None => Err(ApiError::PreconditionRequired),
            Precondition::Any => Ok(()),
            Precondition::Tags(tags) => {
                let etag = current.etag();
                if tags.contains(&etag) {
                    Ok(())
                } else {
                    Err(ApiError::PreconditionFailed { current: Some(etag) })
                }
            }
        }
    }
}
