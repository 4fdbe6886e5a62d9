//! Opaque keyset cursors. A cursor holds the sort key of the last item of a
//! page, a fingerprint of the query it belongs to and, for searches, the
//! index state it was cut from; it is signed so that clients can neither
//! forge nor edit one. A cursor from another query or a tampered one is a
//! 400.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use chrono::NaiveDateTime;
use serde::{Deserialize, Serialize};

use crate::models::article_list::{Keyset, SortValue};
use crate::search::{HitKey, KeyValue};

/// Where the next page starts.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Position {
    /// After this row of an SQL-ordered list.
    Sql { time: Option<NaiveDateTime>, text: Option<String>, id: i64 },
    /// After this hit of a search, in the index state `seq`.
    Search { score: Option<f32>, int: Option<i64>, text: Option<String>, id: u64, seq: i64 },
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
struct Payload {
    /// Fingerprint of the parameters that define the list.
    q: String,
    p: Position,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CursorError {
    #[error("is not a cursor this server issued (it may have been edited)")]
    Invalid,
    #[error("belongs to another query: keep the filters, q and sort of the request that returned it")]
    Foreign,
}

/// Signs and checks cursors with a server key.
#[derive(Clone)]
pub struct CursorCodec {
    key: [u8; 32],
}

const MAC_BYTES: usize = 16;

impl CursorCodec {
    pub fn new(key: [u8; 32]) -> Self {
        CursorCodec { key }
    }

    pub fn encode(&self, fingerprint: &str, position: Position) -> String {
        let payload = serde_json::to_vec(&Payload { q: fingerprint.to_owned(), p: position }).expect("serialises");
        let mac = blake3::keyed_hash(&self.key, &payload);
        let mut bytes = payload;
        bytes.extend_from_slice(&mac.as_bytes()[..MAC_BYTES]);
        URL_SAFE_NO_PAD.encode(bytes)
    }

    pub fn decode(&self, fingerprint: &str, cursor: &str) -> Result<Position, CursorError> {
        let bytes = URL_SAFE_NO_PAD.decode(cursor).map_err(|_| CursorError::Invalid)?;
        if bytes.len() <= MAC_BYTES {
            return Err(CursorError::Invalid);
        }
        let (payload, mac) = bytes.split_at(bytes.len() - MAC_BYTES);
        let expected = blake3::keyed_hash(&self.key, payload);
        // Constant-time comparison of the tags.
        let differs = expected.as_bytes()[..MAC_BYTES].iter().zip(mac).fold(0u8, |acc, (a, b)| acc | (a ^ b));
        if differs != 0 {
            return Err(CursorError::Invalid);
        }
        let payload: Payload = serde_json::from_slice(payload).map_err(|_| CursorError::Invalid)?;
        if payload.q != fingerprint {
            return Err(CursorError::Foreign);
        }
        Ok(payload.p)
    }
}

/// A fingerprint of the parameters that define a list (not those that only
/// shape or window it).
pub fn fingerprint(scope: &str, defining: &[(&str, Option<&str>)]) -> String {
    let mut hasher = blake3::Hasher::new();
    hasher.update(scope.as_bytes());
    for (name, value) in defining {
        hasher.update(name.as_bytes());
        hasher.update(b"=");
        if let Some(v) = value {
            hasher.update(v.as_bytes());
        }
        hasher.update(b"\0");
    }
    hasher.finalize().to_hex()[..16].to_owned()
}

impl Position {
    pub fn from_keyset(k: &Keyset) -> Position {
        match &k.value {
            SortValue::Time(t) => Position::Sql { time: Some(*t), text: None, id: k.id },
            SortValue::Text(s) => Position::Sql { time: None, text: Some(s.clone()), id: k.id },
        }
    }

    pub fn from_hit(h: &HitKey, seq: i64) -> Position {
        let (score, int, text) = match &h.value {
            KeyValue::Score(s) => (Some(*s), None, None),
            KeyValue::Int(i) => (None, Some(*i), None),
            KeyValue::Text(t) => (None, None, Some(t.clone())),
        };
        Position::Search { score, int, text, id: h.id, seq }
    }

    pub fn keyset(&self) -> Option<Keyset> {
        match self {
            Position::Sql { time: Some(t), text: None, id } => Some(Keyset { value: SortValue::Time(*t), id: *id }),
            Position::Sql { time: None, text: Some(s), id } => {
                Some(Keyset { value: SortValue::Text(s.clone()), id: *id })
            }
            _ => None,
        }
    }

    pub fn hit(&self) -> Option<(HitKey, i64)> {
        match self {
            Position::Search { score: Some(s), int: None, text: None, id, seq } => {
                Some((HitKey { value: KeyValue::Score(*s), id: *id, doc: None }, *seq))
            }
            Position::Search { score: None, int: Some(i), text: None, id, seq } => {
                Some((HitKey { value: KeyValue::Int(*i), id: *id, doc: None }, *seq))
            }
            Position::Search { score: None, int: None, text: Some(t), id, seq } => {
                Some((HitKey { value: KeyValue::Text(t.clone()), id: *id, doc: None }, *seq))
            }
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_and_rejects_tampering_and_other_queries() {
        let codec = CursorCodec::new([7; 32]);
        let position = Position::Sql { time: None, text: Some("Title".into()), id: 42 };
        let cursor = codec.encode("abc", position.clone());
        assert_eq!(codec.decode("abc", &cursor), Ok(position));
        assert_eq!(codec.decode("xyz", &cursor), Err(CursorError::Foreign));
        let mut bytes = URL_SAFE_NO_PAD.decode(&cursor).unwrap();
        bytes[5] ^= 1;
        assert_eq!(codec.decode("abc", &URL_SAFE_NO_PAD.encode(bytes)), Err(CursorError::Invalid));
        assert_eq!(codec.decode("abc", "not-a-cursor"), Err(CursorError::Invalid));
        assert_eq!(CursorCodec::new([8; 32]).decode("abc", &cursor), Err(CursorError::Invalid));
    }
}
