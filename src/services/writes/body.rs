//! A write's body read as an import record: the record's JSON without
//! `kind`, checked by the import's own types, every invalid member reported
//! by JSON Pointer rather than only the first.

use std::collections::HashSet;

use serde::de::DeserializeOwned;
use serde_json::{Map, Value};

use crate::domain::Kind;
use crate::error::{ApiError, InvalidParam};
use crate::ingest::record::{find_nul, Record, Step, NUL_MESSAGE};

/// At most this many invalid members are looked for.
const MAX_PROBLEMS: usize = 50;

/// Parse `bytes` as a JSON object (400 when they are not one).
pub fn json_object(bytes: &[u8]) -> Result<Map<String, Value>, ApiError> {
    match serde_json::from_slice::<Value>(bytes) {
        Ok(Value::Object(map)) => Ok(map),
        Ok(other) => Err(ApiError::MalformedBody(format!("the body is a JSON {}, not an object", type_name(&other)))),
        Err(e) => Err(ApiError::MalformedBody(e.to_string())),
    }
}

fn type_name(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

/// The `kind` record `body` describes. A `kind` member is accepted when it
/// names `kind` (the body of an import line works as is).
pub fn record(kind: Kind, mut body: Map<String, Value>) -> Result<Record, ApiError> {
    match body.get("kind") {
        None => {}
        Some(Value::String(k)) if k == kind.as_str() => {}
        Some(_) => {
            return Err(ApiError::InvalidBody(vec![InvalidParam::body(
                "/kind",
                format!("must be `{}` or left out: the path says what the record is", kind.as_str()),
            )]))
        }
    }
    body.insert("kind".into(), Value::String(kind.as_str().into()));
    let value = Value::Object(body);
    if let Some(path) = find_nul(&value) {
        return Err(ApiError::InvalidBody(vec![InvalidParam::body(pointer(&path), NUL_MESSAGE)]));
    }
    Ok(match kind {
        Kind::Publisher => Record::Publisher(typed(value)?),
        Kind::Series => Record::Series(typed(value)?),
        Kind::Region => Record::Region(typed(value)?),
        Kind::Topic => Record::Topic(typed(value)?),
        Kind::Author => Record::Author(typed(value)?),
        Kind::Article => Record::Article(Box::new(typed(value)?)),
    })
}

/// Deserialise, and on failure keep going: drop each member found invalid
/// and try again, so one answer lists every problem that does not depend
/// on another. (A required member found invalid is reported once, not
/// again as missing.)
fn typed<T: DeserializeOwned>(mut value: Value) -> Result<T, ApiError> {
    let mut problems = Vec::new();
    let mut dropped: HashSet<String> = HashSet::new();
    let mut shifts = Shifts::default();
    while problems.len() < MAX_PROBLEMS {
        let error = match serde_path_to_error::deserialize::<_, T>(&value) {
            Ok(record) if problems.is_empty() => return Ok(record),
            Ok(_) => break,
            Err(e) => e,
        };
        let (pointer, message) = describe(&error);
        let original = shifts.original(&pointer);
        let missing = message.starts_with("missing field");
        if missing && dropped.contains(&original) {
            // The consequence of a member we dropped: drop what holds it
            // too (unreported) and look on, unless that is the record.
            let Some((parent, _)) = pointer.rsplit_once('/').filter(|(p, _)| !p.is_empty()) else { break };
            let parent_original = shifts.original(parent);
            if !drop_member(&mut value, parent, &mut shifts) {
                break;
            }
            dropped.insert(parent_original);
            continue;
        }
        problems.push(InvalidParam::body(original.clone(), message.clone()));
        if missing || !drop_member(&mut value, &pointer, &mut shifts) {
            break;
        }
        dropped.insert(original);
    }
    Err(ApiError::InvalidBody(problems))
}

/// Where a serde error points (as a JSON Pointer) and what it says.
fn describe<E: std::fmt::Display>(error: &serde_path_to_error::Error<E>) -> (String, String) {
    let mut pointer = String::new();
    for segment in error.path().iter() {
        match segment {
            serde_path_to_error::Segment::Seq { index } => pointer.push_str(&format!("/{index}")),
            serde_path_to_error::Segment::Map { key } => push_token(&mut pointer, key),
            serde_path_to_error::Segment::Enum { .. } | serde_path_to_error::Segment::Unknown => {}
        }
    }
    let message = error.inner().to_string();
    // Name the member itself for a missing one and for an unknown one.
    for lead in ["missing field `", "unknown field `"] {
        if let Some(rest) = message.strip_prefix(lead) {
            if let Some(name) = rest.split('`').next() {
                if !pointer.ends_with(&format!("/{}", escape(name))) {
                    push_token(&mut pointer, name);
                }
            }
        }
    }
    let message = match message.strip_prefix("unknown field") {
        Some(_) => format!(
            "is not a member of this record ({})",
            message
                .split(", expected")
                .nth(1)
                .map_or("see the request schema".to_owned(), |expected| format!("expected{expected}"),)
        ),
        None => message,
    };
    (pointer, message)
}

fn escape(token: &str) -> String {
    token.replace('~', "~0").replace('/', "~1")
}

fn push_token(pointer: &mut String, token: &str) {
    pointer.push('/');
    pointer.push_str(&escape(token));
}

/// Array elements dropped so far, per array (by pointer), so later
/// problems are reported at the index the client sent.
#[derive(Default)]
struct Shifts {
    dropped: Vec<(String, usize)>,
}

impl Shifts {
    fn original(&self, pointer: &str) -> String {
        let mut out = String::new();
        let mut current = String::new();
        for token in pointer.split('/').skip(1) {
            let mapped = match token.parse::<usize>() {
                Ok(mut index) => {
                    let mut removed: Vec<usize> =
                        self.dropped.iter().filter(|(array, _)| *array == current).map(|(_, i)| *i).collect();
                    removed.sort_unstable();
                    for r in removed {
                        if r <= index {
                            index += 1;
                        }
                    }
                    index.to_string()
                }
                Err(_) => token.to_owned(),
            };
            current.push('/');
            current.push_str(token);
            out.push('/');
            out.push_str(&mapped);
        }
        out
    }
}

/// Remove the member or element at `pointer`; false when there is none.
fn drop_member(value: &mut Value, pointer: &str, shifts: &mut Shifts) -> bool {
    let Some((parent, last)) = pointer.rsplit_once('/') else { return false };
    let last = last.replace("~1", "/").replace("~0", "~");
    let original_index = shifts.original(pointer).rsplit('/').next().and_then(|t| t.parse::<usize>().ok());
    match value.pointer_mut(parent) {
        Some(Value::Object(map)) => map.remove(&last).is_some(),
        Some(Value::Array(items)) => match last.parse::<usize>() {
            Ok(i) if i < items.len() => {
                items.remove(i);
                shifts.dropped.push((parent.to_owned(), original_index.unwrap_or(i)));
                true
            }
            _ => false,
        },
        _ => false,
    }
}

/// `authors[0].role` (the import's field names) as `/authors/0/role`.
pub fn pointer_of(field: &str) -> String {
    if field.is_empty() {
        return String::new();
    }
    let mut pointer = String::new();
    for part in field.split('.') {
        let (name, indexes) = part.split_once('[').map_or((part, ""), |(n, rest)| (n, rest));
        if !name.is_empty() {
            push_token(&mut pointer, name);
        }
        for index in indexes.split('[').map(|i| i.trim_end_matches(']')).filter(|i| !i.is_empty()) {
            pointer.push('/');
            pointer.push_str(index);
        }
    }
    pointer
}

/// A JSON Pointer (RFC 6901) to the value at `path`.
fn pointer(path: &[Step]) -> String {
    path.iter()
        .map(|step| match step {
            Step::Key(k) => format!("/{}", k.replace('~', "~0").replace('/', "~1")),
            Step::Index(i) => format!("/{i}"),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn problems(kind: Kind, body: &str) -> Vec<(String, String)> {
        match record(kind, json_object(body.as_bytes()).unwrap()) {
            Err(ApiError::InvalidBody(p)) => p.into_iter().map(|p| (p.name, p.reason)).collect(),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn lists_every_independent_problem() {
        let p = problems(
            Kind::Article,
            r#"{"slug":"Bad","title":"T","type":"essay","language":"en","published_at":"2021-01-02","publisher":"p",
                "authors":[{"author":"a","role":"boss"},{"author":"b","role":"editor","x":1}],"colour":"red"}"#,
        );
        let mut pointers: Vec<&str> = p.iter().map(|(n, _)| n.as_str()).collect();
        pointers.sort_unstable();
        assert_eq!(pointers, ["/authors/0/role", "/authors/1/x", "/colour", "/slug", "/type"], "{p:?}");
    }

    #[test]
    fn array_indexes_stay_those_sent() {
        let p = problems(
            Kind::Article,
            r#"{"slug":"a","title":"T","type":"news","language":"en","published_at":"2021-01-02","publisher":"p",
                "topics":["X","ok","Y"]}"#,
        );
        let pointers: Vec<&str> = p.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(pointers, ["/topics/0", "/topics/2"], "{p:?}");
    }

    #[test]
    fn missing_and_wrong_kind() {
        let p = problems(Kind::Topic, r#"{"slug":"a"}"#);
        assert_eq!(p[0].0, "/name");
        let p = problems(Kind::Topic, r#"{"kind":"author","slug":"a","name":"A"}"#);
        assert_eq!(p[0].0, "/kind");
        assert!(record(Kind::Topic, json_object(br#"{"kind":"topic","slug":"a","name":"A"}"#).unwrap()).is_ok());
        assert!(matches!(json_object(b"[1]"), Err(ApiError::MalformedBody(_))));
        assert!(matches!(json_object(b"{"), Err(ApiError::MalformedBody(_))));
    }

    #[test]
    fn import_fields_become_pointers() {
        assert_eq!(pointer_of("authors[0].author"), "/authors/0/author");
        assert_eq!(pointer_of("provenance.original_language"), "/provenance/original_language");
        assert_eq!(pointer_of("slug"), "/slug");
        assert_eq!(pointer_of(""), "");
    }
}
