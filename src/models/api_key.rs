//! API keys: minted and revoked by the `keys` subcommand, checked on every
//! write. A token is `cak_<prefix>_<secret>`; the row is found by its
//! public prefix and the token's BLAKE3 hash compared in constant time. The
//! secret itself is never stored.

use base64::Engine;
use chrono::{NaiveDateTime, Utc};
use diesel::prelude::*;

use crate::db::DbConn;
use crate::domain::KeyScope;
use crate::schema::api_keys;

const TOKEN_PREFIX: &str = "cak_";

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = api_keys, check_for_backend(diesel::sqlite::Sqlite, diesel::pg::Pg))]
pub struct ApiKeyRow {
    pub id: i64,
    pub name: String,
    pub scope: KeyScope,
    pub prefix: String,
    pub created_at: NaiveDateTime,
    pub revoked_at: Option<NaiveDateTime>,
}

/// A key just minted, with its token (shown once).
#[derive(Debug, Clone)]
pub struct NewKey {
    pub row: ApiKeyRow,
    pub token: String,
}

/// The key a request presented, once verified.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct VerifiedKey {
    pub id: i64,
    pub scope: KeyScope,
}

fn hash(token: &str) -> blake3::Hash {
    blake3::hash(token.as_bytes())
}

fn random_text(bytes: usize) -> String {
    let raw: Vec<u8> = (0..bytes).map(|_| rand::random::<u8>()).collect();
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(raw)
}

/// Mint a key called `name` with `scope`.
pub fn create(conn: &mut DbConn, name: &str, scope: KeyScope) -> QueryResult<NewKey> {
    // 12 hex digits of prefix (collisions are caught by the unique index),
    // 32 random bytes of secret.
    let prefix: String = (0..6).map(|_| format!("{:02x}", rand::random::<u8>())).collect();
    let token = format!("{TOKEN_PREFIX}{prefix}_{}", random_text(32));
    let now = Utc::now().naive_utc();
    let values = (
        api_keys::name.eq(name),
        api_keys::scope.eq(scope),
        api_keys::prefix.eq(&prefix),
        api_keys::secret_hash.eq(hash(&token).as_bytes().to_vec()),
        api_keys::created_at.eq(now),
    );
    let row = crate::on_backend!(conn, |c| diesel::insert_into(api_keys::table)
        .values(values)
        .returning(ApiKeyRow::as_returning())
        .get_result(c))?;
    Ok(NewKey { row, token })
}

pub fn list(conn: &mut DbConn) -> QueryResult<Vec<ApiKeyRow>> {
    api_keys::table.order(api_keys::id).select(ApiKeyRow::as_select()).load(conn)
}

/// Revoke the key with this id or prefix; false when there is none (or it
/// was revoked already).
pub fn revoke(conn: &mut DbConn, id_or_prefix: &str) -> QueryResult<bool> {
    let now = Utc::now().naive_utc();
    let live = api_keys::table.filter(api_keys::revoked_at.is_null());
    let n = match id_or_prefix.parse::<i64>() {
        Ok(id) => diesel::update(live.filter(api_keys::id.eq(id))).set(api_keys::revoked_at.eq(now)).execute(conn)?,
        Err(_) => diesel::update(live.filter(api_keys::prefix.eq(id_or_prefix)))
            .set(api_keys::revoked_at.eq(now))
            .execute(conn)?,
    };
    Ok(n > 0)
}

/// The live key `token` belongs to, if any.
pub fn verify(conn: &mut DbConn, token: &str) -> QueryResult<Option<VerifiedKey>> {
    let Some(prefix) = token.strip_prefix(TOKEN_PREFIX).and_then(|rest| rest.split_once('_')).map(|(p, _)| p) else {
        return Ok(None);
    };
    if prefix.len() != 12 || !prefix.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Ok(None);
    }
    let found: Option<(i64, KeyScope, Vec<u8>, Option<NaiveDateTime>)> = api_keys::table
        .filter(api_keys::prefix.eq(prefix))
        .select((api_keys::id, api_keys::scope, api_keys::secret_hash, api_keys::revoked_at))
        .first(conn)
        .optional()?;
    let Some((id, scope, stored, revoked)) = found else { return Ok(None) };
    let Ok(stored) = <[u8; 32]>::try_from(stored) else { return Ok(None) };
    // `blake3::Hash` compares in constant time.
    if hash(token) != blake3::Hash::from_bytes(stored) || revoked.is_some() {
        return Ok(None);
    }
    Ok(Some(VerifiedKey { id, scope }))
}
