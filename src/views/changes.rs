//! What the change feed looks like on the wire.

use chrono::{DateTime, Utc};
use serde::Serialize;
use utoipa::ToSchema;

use crate::domain::{ChangeAction, Kind, TombstoneState};
use crate::models::change::ChangeRow;

/// One change: which resource, what happened to it, and when.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[schema(example = json!({"seq": 94, "kind": "article", "id": 31, "slug": "unchangeable-commitment",
    "action": "upsert", "changed_at": "2026-12-02T10:00:00Z", "url": "/v1/articles/31"}))]
pub struct ChangeView {
    /// Position in the feed: strictly increasing, never reused.
    pub seq: i64,
    pub kind: Kind,
    pub id: i64,
    /// The slug the resource had when it changed.
    pub slug: Option<String>,
    /// `upsert`: created or changed (fetch `url` for its state now);
    /// `delete`: it left the corpus (`url` answers 410), see `tombstone`.
    pub action: ChangeAction,
    pub changed_at: DateTime<Utc>,
    /// Where the resource is read (by id, which no rename changes).
    pub url: String,
    /// For a `delete` only: why it left.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tombstone: Option<TombstoneView>,
}

/// What a deletion left behind.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct TombstoneView {
    /// `deleted` for good, or `unpublished` (an article that may come back
    /// as a later `upsert` with the same id).
    pub state: TombstoneState,
    pub removed_at: DateTime<Utc>,
}

impl From<ChangeRow> for ChangeView {
    fn from(row: ChangeRow) -> Self {
        ChangeView {
            seq: row.seq,
            kind: row.resource,
            id: row.resource_id,
            slug: row.slug,
            action: row.action,
            changed_at: row.changed_at.and_utc(),
            url: format!("/v1/{}/{}", row.resource.collection(), row.resource_id),
            tombstone: match row.action {
                ChangeAction::Delete => Some(TombstoneView {
                    state: row.tombstone.unwrap_or(TombstoneState::Deleted),
                    removed_at: row.changed_at.and_utc(),
                }),
                ChangeAction::Upsert => None,
            },
        }
    }
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ChangeMeta {
    /// The `since` this page was asked for.
    pub since: i64,
    /// Where the next page starts: the last `seq` on this page, or, at the
    /// end of the feed, `latest`. Poll with it to follow the feed.
    pub next_since: i64,
    /// The latest sequence number of the whole log (the data version).
    pub latest: i64,
    /// More entries follow right away (else the feed is read to its end
    /// for now).
    pub more: bool,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ChangeLinks {
    #[serde(rename = "self")]
    pub this: String,
    /// The next page (or, at the end, where to poll for what comes next).
    pub next: String,
}

/// A page of the change feed.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ChangePage {
    pub data: Vec<ChangeView>,
    pub meta: ChangeMeta,
    pub links: ChangeLinks,
}

impl ChangePage {
    /// The page of `rows` (fetched with one more than `limit`, to tell
    /// whether more follow) after `since`; links keep every other
    /// parameter of `location`.
    pub fn build(
        mut rows: Vec<ChangeRow>,
        since: i64,
        limit: usize,
        latest: i64,
        location: &crate::pagination::Location,
    ) -> ChangePage {
        let more = rows.len() > limit;
        rows.truncate(limit);
        // At the end, everything up to `latest` has been seen (with a `kind`
        // filter, the entries of other kinds too): poll from there.
        let next_since = if more { rows.last().map_or(since, |r| r.seq) } else { latest };
        ChangePage {
            data: rows.into_iter().map(ChangeView::from).collect(),
            meta: ChangeMeta { since, next_since, latest, more },
            links: ChangeLinks {
                this: location.here(),
                next: location.with(&[("since", Some(next_since.to_string()))]),
            },
        }
    }
}
