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
            if text.trim() == "*" {
                return Ok(Precondition::Any);
            }
            tags.extend(
                entity_tags(text).map_err(|reason| ApiError::invalid(InvalidParam::header("If-Match", reason)))?,
            );
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

/// The entity tags of a list (RFC 9110 §8.8.3): `"…"` or `W/"…"`, separated
/// by commas and white space; a comma inside the quotes belongs to the tag.
fn entity_tags(text: &str) -> Result<Vec<String>, String> {
    let mut tags = Vec::new();
    let mut rest = text;
    loop {
        rest = rest.trim_start_matches([' ', '\t', ',']);
        if rest.is_empty() {
            return Ok(tags);
        }
        let weak = rest.starts_with("W/");
        let body = if weak { &rest[2..] } else { rest };
        let Some(inner) = body.strip_prefix('"') else {
            return Err(format!(
                "`{}` is not an entity tag (a quoted string, as the ETag header gives it, or `*`)",
                cut(rest)
            ));
        };
        let Some(end) = inner.find('"') else {
            return Err(format!("`{}` is missing its closing quote", cut(rest)));
        };
        let tag_len = (if weak { 2 } else { 0 }) + 1 + end + 1;
        tags.push(rest[..tag_len].to_owned());
        rest = &rest[tag_len..];
        let next = rest.trim_start_matches([' ', '\t']);
        if !next.is_empty() && !next.starts_with(',') {
            return Err(format!("`{}` does not follow an entity tag with a comma", cut(next)));
        }
        rest = next;
    }
}

fn cut(text: &str) -> String {
    text.chars().take(40).collect()
}

#[cfg(test)]
mod tests {
    use super::entity_tags;

    #[test]
    fn reads_lists_of_entity_tags() {
        assert_eq!(entity_tags(r#""a", W/"b,c" ,"""#).unwrap(), [r#""a""#, r#"W/"b,c""#, r#""""#]);
        assert_eq!(entity_tags(" \t").unwrap(), Vec::<String>::new());
        assert!(entity_tags("abc").is_err());
        assert!(entity_tags(r#""a"b"#).is_err());
        assert!(entity_tags(r#""a"#).is_err());
    }
}
