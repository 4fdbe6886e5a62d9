//! One resource as `GET /v1/{collection}/{id_or_slug}` answers it: the JSON
//! bytes and their strong validator. Reads and writes both use it, so the
//! `ETag` a `GET` returns is exactly what `If-Match` is compared with.

use serde::Serialize;
use xxhash_rust::xxh3::xxh3_128;

use crate::db::DbConn;
use crate::domain::Kind;
use crate::error::ApiError;
use crate::models::{article, author, publisher, region, series, topic, ResourceKey};
use crate::views::articles::ArticleDetail;
use crate::views::authors::{AffiliationView, AuthorDetail, AuthorView};
use crate::views::publishers::{ContactView, PublisherDetail, PublisherView, UnitView};
use crate::views::refs::ResourceRef;
use crate::views::regions::{RegionDetail, RegionView};
use crate::views::series::SeriesView;
use crate::views::topics::TopicView;

/// A resource's representation.
#[derive(Debug, Clone)]
pub struct Detail {
    pub id: i64,
    pub slug: String,
    pub json: Vec<u8>,
}

impl Detail {
    /// The strong validator of these bytes: it changes exactly when the
    /// representation does (the resource, or what it shows of others:
    /// names, counts), and not with writes to anything else.
    pub fn etag(&self) -> String {
        etag_of(&self.json)
    }
}

pub fn etag_of(json: &[u8]) -> String {
    format!("\"{:032x}\"", xxh3_128(json))
}

pub fn encode<T: Serialize>(id: i64, slug: &str, view: &T) -> Result<Detail, ApiError> {
    let json = serde_json::to_vec(view).map_err(|e| ApiError::Internal(format!("serialising: {e}")))?;
    Ok(Detail { id, slug: slug.to_owned(), json })
}

/// The representation of the `kind` resource `key` names, if it exists.
pub fn load(conn: &mut DbConn, kind: Kind, key: &ResourceKey) -> Result<Option<Detail>, ApiError> {
    let detail = match kind {
        Kind::Article => match article::load_full(conn, key)? {
            Some(full) => {
                let (id, slug) = full.batch.rows.first().map(|r| (r.id, r.slug.clone())).unwrap_or_default();
                ArticleDetail::build(full).map(|d| encode(id, &slug, &d)).transpose()?
            }
            None => None,
        },
        Kind::Author => match author::find(conn, key)? {
            Some((row, count, affiliations)) => {
                let (id, slug) = (row.id, row.slug.clone());
                let view = AuthorDetail {
                    author: AuthorView::new(row, count),
                    affiliations: affiliations.into_iter().filter_map(AffiliationView::from_row).collect(),
                };
                Some(encode(id, &slug, &view)?)
            }
            None => None,
        },
        Kind::Topic => match topic::find(conn, key)? {
            Some((row, count)) => {
                let (id, slug) = (row.id, row.slug.clone());
                Some(encode(id, &slug, &TopicView::new(row, count))?)
            }
            None => None,
        },
        Kind::Series => match series::find(conn, key)? {
            Some((row, count)) => {
                let publishers = publisher::refs(conn, &[row.publisher_id])?;
                let p = publishers.get(&row.publisher_id);
                let (id, slug) = (row.id, row.slug.clone());
                Some(encode(id, &slug, &SeriesView::new(row, p, count))?)
            }
            None => None,
        },
        Kind::Region => match region::find(conn, key)? {
            Some(d) => {
                let parent = d.ancestors.last().cloned();
                let (id, slug) = (d.row.id, d.row.slug.clone());
                let view = RegionDetail {
                    region: RegionView::new(d.row, parent.as_ref(), d.article_count),
                    ancestors: d.ancestors.into_iter().map(ResourceRef::from).collect(),
                    children: d.children.into_iter().map(ResourceRef::from).collect(),
                };
                Some(encode(id, &slug, &view)?)
            }
            None => None,
        },
        Kind::Publisher => match publisher::find(conn, key)? {
            Some(d) => {
                let (id, slug) = (d.row.id, d.row.slug.clone());
                let view = PublisherDetail {
                    publisher: PublisherView::new(d.row, d.article_count),
                    units: d
                        .units
                        .into_iter()
                        .map(|u| UnitView { unit_type: u.unit_type, name: u.name, description: u.description })
                        .collect(),
                    contacts: d.contacts.into_iter().map(|c| ContactView { kind: c.kind, value: c.value }).collect(),
                    series: d.series.into_iter().map(ResourceRef::from).collect(),
                };
                Some(encode(id, &slug, &view)?)
            }
            None => None,
        },
    };
    Ok(detail)
}
