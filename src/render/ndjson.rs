//! NDJSON exports: one JSON value per line (`application/x-ndjson`). An
//! article's line is exactly its JSON list item.

use serde::Serialize;

use crate::error::ApiError;
use crate::views::articles::ListItem;

/// Append `item` as one line.
pub fn article(item: &ListItem, out: &mut Vec<u8>) -> Result<(), ApiError> {
    match item {
        // A stored card is one line of compact JSON already.
        ListItem::Card(card) => out.extend_from_slice(card.get().as_bytes()),
        ListItem::Built(built) => serde_json::to_writer(&mut *out, built).map_err(internal)?,
    }
    out.push(b'\n');
    Ok(())
}

/// Append an item's JSON text (a stored card, compact: no line break) as
/// one line, once it is known to be JSON: a damaged card fails the export
/// rather than break the file.
pub fn text(json: &str, out: &mut Vec<u8>) -> Result<(), ApiError> {
    serde_json::from_str::<serde::de::IgnoredAny>(json)
        .map_err(|e| ApiError::Internal(format!("NDJSON: a stored list item is not JSON: {e}")))?;
    out.extend_from_slice(json.as_bytes());
    out.push(b'\n');
    Ok(())
}

/// Append `value` as one line.
pub fn value<T: Serialize>(value: &T, out: &mut Vec<u8>) -> Result<(), ApiError> {
    serde_json::to_writer(&mut *out, value).map_err(internal)?;
    out.push(b'\n');
    Ok(())
}

fn internal(e: serde_json::Error) -> ApiError {
    ApiError::Internal(format!("NDJSON: {e}"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::value::RawValue;

    #[test]
    fn each_item_is_one_parseable_line() {
        let card = RawValue::from_string(r#"{"id":1,"title":"a\nb"}"#.to_owned()).unwrap();
        let mut out = Vec::new();
        article(&ListItem::Card(card), &mut out).unwrap();
        value(&serde_json::json!({"id": 2, "name": "x"}), &mut out).unwrap();
        let text = String::from_utf8(out).unwrap();
        let lines: Vec<serde_json::Value> = text.lines().map(|l| serde_json::from_str(l).unwrap()).collect();
        assert_eq!(lines.len(), 2);
        assert!(super::text("{\"id\": 1", &mut Vec::new()).is_err(), "a damaged item is refused");
        assert_eq!(lines[0]["title"], "a\nb");
        assert_eq!(lines[1]["id"], 2);
    }
}
