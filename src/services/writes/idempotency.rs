//! `Idempotency-Key` on `POST` (IETF httpapi idempotency-key draft): the
//! first answer to a key is kept, in the transaction that made the write,
//! and replayed for a retry with the same request; the same key with
//! another request is a 422.

use chrono::Utc;
use diesel::prelude::*;

use super::Written;
use crate::db::DbConn;
use crate::error::{ApiError, InvalidParam};
use crate::schema::idempotent_answers;

/// How long a first answer is kept for replay.
pub const KEEP_HOURS: i64 = 24;

/// Longest `Idempotency-Key` accepted.
pub const MAX_KEY_LEN: usize = 255;

#[derive(Debug, Clone)]
pub struct Idempotency {
    pub key: String,
    /// Fingerprint of the method, path and body.
    pub request_hash: String,
}

impl Idempotency {
    pub fn new(key: &str, method: &str, path: &str, body: &[u8]) -> Result<Idempotency, ApiError> {
        if key.is_empty() || key.len() > MAX_KEY_LEN || !key.bytes().all(|b| (0x21..0x7f).contains(&b)) {
            return Err(ApiError::invalid(InvalidParam::header(
                "Idempotency-Key",
                format!("must be 1 to {MAX_KEY_LEN} visible ASCII characters"),
            )));
        }
        let mut hasher = blake3::Hasher::new();
        hasher.update(method.as_bytes()).update(b" ").update(path.as_bytes()).update(b"\n").update(body);
        Ok(Idempotency { key: key.to_owned(), request_hash: hasher.finalize().to_hex().to_string() })
    }

    /// The answer kept for this key, if any (422 if it was for another request).
    pub fn replay(&self, conn: &mut DbConn, key_id: i64) -> Result<Option<Written>, ApiError> {
        type Kept = (String, i32, Option<String>, Option<String>, Vec<u8>);
        let kept: Option<Kept> = idempotent_answers::table
            .find((key_id, &self.key))
            .select((
                idempotent_answers::request_hash,
                idempotent_answers::status,
                idempotent_answers::location,
                idempotent_answers::etag,
                idempotent_answers::body,
            ))
            .first(conn)
            .optional()?;
        let Some((hash, status, location, etag, body)) = kept else { return Ok(None) };
        if hash != self.request_hash {
            return Err(ApiError::IdempotencyKeyReused);
        }
        Ok(Some(Written {
            status: status as u16,
            body: Some(body),
            etag,
            location,
            version: crate::cache::version::read_version(conn)?,
            replayed: true,
        }))
    }

    pub fn store(&self, conn: &mut DbConn, key_id: i64, written: &Written) -> Result<(), ApiError> {
        // Kept for a day (retries come within minutes); older ones go.
        let cutoff = Utc::now().naive_utc() - chrono::TimeDelta::hours(KEEP_HOURS);
        diesel::delete(idempotent_answers::table.filter(idempotent_answers::created_at.lt(cutoff))).execute(conn)?;
        diesel::insert_into(idempotent_answers::table)
            .values((
                idempotent_answers::key_id.eq(key_id),
                idempotent_answers::idempotency_key.eq(&self.key),
                idempotent_answers::request_hash.eq(&self.request_hash),
                idempotent_answers::status.eq(written.status as i32),
                idempotent_answers::location.eq(&written.location),
                idempotent_answers::etag.eq(&written.etag),
                idempotent_answers::body.eq(written.body.clone().unwrap_or_default()),
                idempotent_answers::created_at.eq(Utc::now().naive_utc()),
            ))
            .execute(conn)?;
        Ok(())
    }
}
