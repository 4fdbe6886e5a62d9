//! The write API's one path: a request (create, replace, merge-patch,
//! delete, unpublish, republish) checked against the key's scope, the
//! resource's current `ETag`, the import's validation rules and the slugs
//! in use, then written by the import's own `Writer` in one `BEGIN
//! IMMEDIATE` transaction. Cards, the search index, caches and ETags follow
//! the change log it writes.

pub mod body;
pub mod current;
mod idempotency;
mod precondition;
pub mod worker;

use serde_json::{Map, Value};

use crate::cache::version::read_version;
use crate::db::DbConn;
use crate::domain::{KeyScope, Kind, TombstoneState};
use crate::error::{ApiError, InvalidParam};
use crate::ingest::record::Record;
use crate::ingest::validate::Validator;
use crate::ingest::writer::{deletions::RemoveError, Incoming, Target, Writer};
use crate::models::api_key::VerifiedKey;
use crate::models::tombstone;
use crate::models::ResourceKey;
use crate::views::detail::{self, Detail};

pub use idempotency::Idempotency;
pub use precondition::Precondition;

/// What a write asks for.
#[derive(Debug, Clone)]
pub enum Change {
    /// `POST /v1/{collection}`: a new resource from its record.
    Create(Map<String, Value>),
    /// `PUT`: the resource becomes this record (a new slug renames it).
    Replace(Map<String, Value>),
    /// `PATCH`: an RFC 7396 merge patch of the resource's record.
    Merge(Map<String, Value>),
    Delete,
    /// Articles: out of every list, feed and search, kept aside.
    Unpublish,
    /// Articles: back from being unpublished, with the same id.
    Republish,
}

impl Change {
    fn needs(&self) -> KeyScope {
        match self {
            Change::Delete => KeyScope::Admin,
            _ => KeyScope::Write,
        }
    }
}

#[derive(Debug, Clone)]
pub struct WriteRequest {
    pub kind: Kind,
    /// The resource (none for a create).
    pub key: Option<ResourceKey>,
    pub change: Change,
    pub precondition: Precondition,
    pub by: VerifiedKey,
    /// For a create: the `Idempotency-Key` and the request's fingerprint.
    pub idempotency: Option<Idempotency>,
}

/// The answer to a write.
#[derive(Debug, Clone)]
pub struct Written {
    /// 200, 201 or 204.
    pub status: u16,
    /// The resource's representation now (none after a removal).
    pub body: Option<Vec<u8>>,
    pub etag: Option<String>,
    /// `/v1/{collection}/{id}` of a created resource.
    pub location: Option<String>,
    /// The data version after the write.
    pub version: i64,
    /// A stored answer replayed for a repeated `Idempotency-Key`.
    pub replayed: bool,
}

impl Written {
    fn with(status: u16, kind: Kind, detail: Detail, version: i64) -> Written {
        Written {
            status,
            etag: Some(detail.etag()),
            location: Some(format!("/v1/{}/{}", kind.collection(), detail.id)),
            body: Some(detail.json),
            version,
            replayed: false,
        }
    }

    fn removed(version: i64) -> Written {
        Written { status: 204, body: None, etag: None, location: None, version, replayed: false }
    }
}

/// Whether the key may make this change.
pub fn authorise(by: VerifiedKey, change: &Change) -> Result<(), ApiError> {
    match (by.scope, change.needs()) {
        (KeyScope::Write, KeyScope::Admin) => Err(ApiError::Forbidden { has: by.scope, needs: KeyScope::Admin }),
        _ => Ok(()),
    }
}

/// Make the write, in one immediate transaction (the caller queues writes
/// so that they meet no lock of their own).
pub fn apply(conn: &mut DbConn, request: WriteRequest) -> Result<Written, ApiError> {
    authorise(request.by, &request.change)?;
    crate::db::write_transaction(conn, |conn| {
        if let Some(idem) = &request.idempotency {
            if let Some(answer) = idem.replay(conn, request.by.id)? {
                return Ok(answer);
            }
        }
        let written = make(conn, &request)?;
        if let Some(idem) = &request.idempotency {
            idem.store(conn, request.by.id, &written)?;
        }
        Ok(written)
    })
}

fn make(conn: &mut DbConn, request: &WriteRequest) -> Result<Written, ApiError> {
    let kind = request.kind;
    let key = request.key.clone().unwrap_or(ResourceKey::Invalid(String::new()));
    match &request.change {
        Change::Create(body) => {
            let record = body::record(kind, body.clone())?;
            ensure_slug_free(conn, kind, record.slug().as_str(), None)?;
            validate(conn, &record, None)?;
            let detail = write(conn, record, Target::Slug, request.by)?;
            Ok(Written::with(201, kind, detail, read_version(conn)?))
        }
        Change::Replace(body) => {
            // The body is read first: a malformed record is a 422 whatever
            // the precondition says.
            let record = body::record(kind, body.clone())?;
            let current = live(conn, kind, &key)?;
            request.precondition.check(&current)?;
            replace(conn, kind, &current, record, request.by)
        }
        Change::Merge(patch) => {
            let (current, base) = live_with_record(conn, kind, &key)?;
            request.precondition.check(&current)?;
            let merged = match merge_patch(Value::Object(base), Value::Object(patch.clone())) {
                Value::Object(map) => map,
                _ => Map::new(),
            };
            replace(conn, kind, &current, body::record(kind, merged)?, request.by)
        }
        Change::Delete if detail::load(conn, kind, &key)?.is_none() => delete_unpublished(conn, kind, &key, request),
        Change::Delete | Change::Unpublish => {
            let (current, record) = live_with_record(conn, kind, &key)?;
            request.precondition.check(&current)?;
            let (state, record) = if matches!(request.change, Change::Unpublish) {
                only_articles(kind, "unpublish")?;
                (TombstoneState::Unpublished, Some(Value::Object(record).to_string()))
            } else {
                (TombstoneState::Deleted, None)
            };
            let mut writer = Writer::for_records(conn, &[])?.made_by(Some(request.by.id));
            match writer.remove(conn, kind, current.id, &current.slug, state, record) {
                Ok(seq) => Ok(Written::removed(seq)),
                Err(RemoveError::Database(e)) => Err(e.into()),
                Err(RemoveError::Referenced(by)) => Err(still_referenced(kind, &current, &by)),
            }
        }
        Change::Republish => {
            only_articles(kind, "republish")?;
            republish(conn, kind, &key, request)
        }
    }
}

fn only_articles(kind: Kind, what: &str) -> Result<(), ApiError> {
    if kind == Kind::Article {
        Ok(())
    } else {
        Err(ApiError::Internal(format!("{what} of a {kind} was routed")))
    }
}

fn replace(
    conn: &mut DbConn,
    kind: Kind,
    current: &Detail,
    record: Record,
    by: VerifiedKey,
) -> Result<Written, ApiError> {
    let renaming = (record.slug().as_str() != current.slug).then_some(current.slug.as_str());
    if renaming.is_some() {
        ensure_slug_free(conn, kind, record.slug().as_str(), Some(current.id))?;
    }
    validate(conn, &record, renaming)?;
    let detail = write(conn, record, Target::Id(current.id), by)?;
    Ok(Written::with(200, kind, detail, read_version(conn)?))
}

fn republish(conn: &mut DbConn, kind: Kind, key: &ResourceKey, request: &WriteRequest) -> Result<Written, ApiError> {
    if let Some(current) = detail::load(conn, kind, key)? {
        return Err(ApiError::Conflict {
            detail: format!(
                "{kind} {} (`{}`) is published; only an unpublished one can be republished",
                current.id, current.slug
            ),
            pointer: None,
        });
    }
    let stone = match tombstone::find(conn, kind, key)? {
        Some(stone) if stone.state == TombstoneState::Unpublished => stone,
        Some(stone) => return Err(gone(stone)),
        None => return Err(ApiError::not_found(kind.as_str(), key.as_text())),
    };
    let body = body::json_object(stone.record.as_deref().unwrap_or("{}").as_bytes())?;
    let record = body::record(kind, body).map_err(|e| ApiError::Conflict {
        detail: format!("the kept record no longer reads as a {kind}: {e}"),
        pointer: None,
    })?;
    match validate(conn, &record, None) {
        Ok(()) => {}
        Err(ApiError::InvalidBody(problems)) => {
            let what = problems.iter().map(|p| format!("{} {}", p.name, p.reason)).collect::<Vec<_>>().join("; ");
            return Err(ApiError::Conflict {
                detail: format!("the article cannot come back as it was: {what}. Restore what it refers to first."),
                pointer: None,
            });
        }
        Err(other) => return Err(other),
    }
    // Its slug was kept, but an import may have given it to another since.
    ensure_slug_free(conn, kind, record.slug().as_str(), Some(stone.resource_id))?;
    tombstone::remove(conn, kind, stone.resource_id)?;
    write(conn, record, Target::Id(stone.resource_id), request.by)?;
    // The guid of its feed entries, as before.
    if let Some(uid) = &stone.uid {
        crate::models::article::set_uid(conn, stone.resource_id, uid)?;
    }
    let detail = live(conn, kind, &ResourceKey::Id(stone.resource_id))?;
    Ok(Written::with(200, kind, detail, read_version(conn)?))
}

/// `DELETE` of an article that is unpublished: gone for good. It has no
/// representation to match, so only `If-Match: *` is accepted.
fn delete_unpublished(
    conn: &mut DbConn,
    kind: Kind,
    key: &ResourceKey,
    request: &WriteRequest,
) -> Result<Written, ApiError> {
    let stone = match tombstone::find(conn, kind, key)? {
        Some(stone) if stone.state == TombstoneState::Unpublished => stone,
        Some(stone) => return Err(gone(stone)),
        None => return Err(ApiError::not_found(kind.as_str(), key.as_text())),
    };
    match request.precondition {
        Precondition::Any => {}
        Precondition::None => return Err(ApiError::PreconditionRequired),
        Precondition::Tags(_) => return Err(ApiError::PreconditionFailed { current: None }),
    }
    let mut writer = Writer::for_records(conn, &[])?.made_by(Some(request.by.id));
    Ok(Written::removed(writer.bury(conn, &stone)?))
}

/// The resource `key` names, or why there is none (410 for a tombstone).
pub fn live(conn: &mut DbConn, kind: Kind, key: &ResourceKey) -> Result<Detail, ApiError> {
    match detail::load(conn, kind, key)? {
        Some(detail) => Ok(detail),
        None => Err(absent(conn, kind, key)?),
    }
}

/// `live`, with the resource's record.
fn live_with_record(
    conn: &mut DbConn,
    kind: Kind,
    key: &ResourceKey,
) -> Result<(Detail, Map<String, Value>), ApiError> {
    match current::with_detail(conn, kind, key)? {
        Some(both) => Ok(both),
        None => Err(absent(conn, kind, key)?),
    }
}

/// Why nothing answers to `key`: 410 for a tombstone, else 404.
fn absent(conn: &mut DbConn, kind: Kind, key: &ResourceKey) -> Result<ApiError, ApiError> {
    Ok(match tombstone::find(conn, kind, key)? {
        Some(stone) => gone(stone),
        None => ApiError::not_found(kind.as_str(), key.as_text()),
    })
}

pub fn gone(stone: tombstone::TombstoneRow) -> ApiError {
    ApiError::Gone {
        kind: stone.resource,
        id: stone.resource_id,
        slug: stone.slug,
        state: stone.state,
        at: stone.removed_at.and_utc(),
    }
}

/// 409 when another resource of `kind` (not `except`) has `slug`, or an
/// unpublished article keeps it.
fn ensure_slug_free(conn: &mut DbConn, kind: Kind, slug: &str, except: Option<i64>) -> Result<(), ApiError> {
    let holder = detail::load(conn, kind, &ResourceKey::Slug(slug.to_owned()))?.map(|d| d.id);
    if let Some(id) = holder.filter(|id| Some(*id) != except) {
        return Err(ApiError::Conflict {
            detail: format!("{kind} {id} already has the slug `{slug}`"),
            pointer: Some("/slug".into()),
        });
    }
    if let Some(id) = tombstone::unpublished_with_slug(conn, kind, slug)?.filter(|id| Some(*id) != except) {
        return Err(ApiError::Conflict {
            detail: format!("unpublished {kind} {id} keeps the slug `{slug}`; republish or delete it first"),
            pointer: Some("/slug".into()),
        });
    }
    Ok(())
}

/// The import's checks, for one record: 422 listing each problem.
fn validate(conn: &mut DbConn, record: &Record, renaming: Option<&str>) -> Result<(), ApiError> {
    let mut validator = Validator::for_record(conn, record, renaming)?;
    validator.check(1, record);
    if validator.errors.is_empty() {
        return Ok(());
    }
    Err(ApiError::InvalidBody(
        validator.errors.into_iter().map(|e| InvalidParam::body(body::pointer_of(&e.field), e.message)).collect(),
    ))
}

/// Write `record` through the import's writer; the representation after.
fn write(conn: &mut DbConn, record: Record, target: Target, by: VerifiedKey) -> Result<Detail, ApiError> {
    let (kind, slug) = (record.kind(), record.slug().as_str().to_owned());
    let incoming = [Incoming::from_api(record, target)];
    let mut writer = Writer::for_records(conn, &incoming)?.made_by(Some(by.id));
    writer.write(conn, &incoming)?;
    detail::load(conn, kind, &ResourceKey::Slug(slug.clone()))?
        .ok_or_else(|| ApiError::Internal(format!("{kind} `{slug}` missing right after its write")))
}

fn still_referenced(kind: Kind, current: &Detail, by: &[(Kind, i64, String)]) -> ApiError {
    let what = by
        .iter()
        .map(|(k, n, example)| {
            let noun = if *n == 1 { k.as_str().to_owned() } else { k.collection().to_owned() };
            format!("{n} {noun} (e.g. `{example}`)")
        })
        .collect::<Vec<_>>()
        .join(" and ");
    ApiError::Conflict {
        detail: format!(
            "{kind} {} (`{}`) is still referred to by {what}; change or delete those first",
            current.id, current.slug
        ),
        pointer: None,
    }
}

/// RFC 7396: members of `patch` replace those of `target`, `null` removes,
/// objects merge recursively, anything else (arrays too) replaces.
pub fn merge_patch(target: Value, patch: Value) -> Value {
    match patch {
        Value::Object(patch) => {
            let mut target = match target {
                Value::Object(map) => map,
                _ => Map::new(),
            };
            for (name, value) in patch {
                if value.is_null() {
                    target.remove(&name);
                } else {
                    let old = target.remove(&name).unwrap_or(Value::Null);
                    target.insert(name, merge_patch(old, value));
                }
            }
            Value::Object(target)
        }
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::merge_patch;
    use serde_json::json;

    #[test]
    fn merge_patch_follows_rfc_7396() {
        // The examples of RFC 7396, appendix A (a selection).
        let cases = [
            (json!({"a": "b"}), json!({"a": "c"}), json!({"a": "c"})),
            (json!({"a": "b"}), json!({"b": "c"}), json!({"a": "b", "b": "c"})),
            (json!({"a": "b"}), json!({"a": null}), json!({})),
            (json!({"a": [{"b": "c"}]}), json!({"a": [1]}), json!({"a": [1]})),
            (json!({"a": {"b": "c"}}), json!({"a": {"b": "d", "c": null}}), json!({"a": {"b": "d"}})),
            (json!({"e": null}), json!({"a": 1}), json!({"e": null, "a": 1})),
            (json!({}), json!({"a": {"bb": {"ccc": null}}}), json!({"a": {"bb": {}}})),
        ];
        for (target, patch, want) in cases {
            assert_eq!(merge_patch(target.clone(), patch.clone()), want, "{target} + {patch}");
        }
    }
}
