//! Regions: upserts by slug, and the closure rows that file an article
//! under every region above the ones it names.

use std::collections::{HashMap, HashSet};

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::rows::{DirectRegion, RegionLink};
use super::{ChangeValues, Outcome, Target, WriteReport, Writer, ROWS_PER_INSERT};
use crate::db::DbConn;
use crate::domain::{fold, Kind, Provenance};
use crate::ingest::record::RegionRecord;
use crate::schema::{article_regions, articles, regions};

impl Writer {
    pub(super) fn write_region(
        &mut self,
        conn: &mut DbConn,
        r: &RegionRecord,
        hash: &str,
        target: Target,
        report: &mut WriteReport,
        changes: &mut Vec<ChangeValues>,
    ) -> QueryResult<(i64, Outcome)> {
        let parent_id = r.parent.as_ref().map(|p| self.id(Kind::Region, p)).transpose()?;
        let (id, outcome) = upsert!(
            self,
            conn,
            Kind::Region,
            target,
            regions,
            r.slug.as_str(),
            hash,
            (
                regions::name.eq(r.name.as_str()),
                regions::parent_id.eq(parent_id),
                regions::region_type.eq(r.region_type),
                regions::search_name.eq(fold(r.name.as_str())),
                regions::provenance.eq(r.provenance.as_ref().map(|p| p.entry).unwrap_or_default()),
                regions::parent_provenance.eq(r.provenance.as_ref().and_then(|p| p.parent).unwrap_or_default()),
                regions::provenance_note.eq(r.provenance.as_ref().and_then(|p| p.note.as_ref()).map(|t| t.as_str())),
            )
        );
        let old_parent = self.region_parent.insert(id, parent_id);
        if outcome == Outcome::Updated && old_parent != Some(parent_id) {
            self.rebuild_closure_under(conn, id, report, changes)?;
        }
        Ok((id, outcome))
    }

    /// `region` and its ancestors, nearest first.
    pub(super) fn with_ancestors(&self, region: i64) -> Vec<i64> {
        let mut chain = vec![region];
        let mut next = self.region_parent.get(&region).copied().flatten();
        while let Some(id) = next {
            if chain.contains(&id) {
                break; // validation rejects cycles; never loop on a damaged tree
            }
            chain.push(id);
            next = self.region_parent.get(&id).copied().flatten();
        }
        chain
    }

    /// The closure rows of one article: its direct regions, then each one's
    /// ancestors not already present. An ancestor row carries the mark of
    /// the named region it was reached from; what the source stated about
    /// an ancestor is worked out from the tree by the search index (see
    /// `search::documents::region_values`), since a region named directly
    /// keeps its own mark.
    pub(super) fn region_links(
        &self,
        article_id: i64,
        direct: &[DirectRegion],
        published_at: NaiveDateTime,
    ) -> Vec<RegionLink> {
        let mut seen: HashSet<i64> = direct.iter().map(|r| r.id).collect();
        let mut links: Vec<RegionLink> = direct
            .iter()
            .enumerate()
            .map(|(i, region)| RegionLink {
                article_id,
                region_id: region.id,
                is_direct: true,
                position: i as i32,
                published_at,
                provenance: region.provenance,
                provenance_note: region.note.clone(),
            })
            .collect();
        for (i, region) in direct.iter().enumerate() {
            for ancestor in self.with_ancestors(region.id).into_iter().skip(1) {
                if seen.insert(ancestor) {
                    links.push(RegionLink {
                        article_id,
                        region_id: ancestor,
                        is_direct: false,
                        position: i as i32,
                        published_at,
                        provenance: region.provenance,
                        provenance_note: None,
                    });
                }
            }
        }
        links
    }

    /// A region moved in the tree: recompute the closure rows of every
    /// article filed under it or its descendants, and log those articles.
    pub(super) fn rebuild_closure_under(
        &mut self,
        conn: &mut DbConn,
        region: i64,
        report: &mut WriteReport,
        changes: &mut Vec<ChangeValues>,
    ) -> QueryResult<()> {
        let subtree: Vec<i64> =
            self.region_parent.keys().copied().filter(|&r| self.with_ancestors(r).contains(&region)).collect();
        let affected: Vec<i64> = article_regions::table
            .filter(article_regions::is_direct.eq(true))
            .filter(article_regions::region_id.eq_any(&subtree))
            .select(article_regions::article_id)
            .distinct()
            .load(conn)?;
        let slugs: HashMap<i64, String> = articles::table
            .filter(articles::id.eq_any(&affected))
            .select((articles::id, articles::slug))
            .load::<(i64, String)>(conn)?
            .into_iter()
            .collect();
        for article_id in affected {
            let direct: Vec<(i64, NaiveDateTime, Provenance, Option<String>)> = article_regions::table
                .filter(article_regions::article_id.eq(article_id))
                .filter(article_regions::is_direct.eq(true))
                .order(article_regions::position)
                .select((
                    article_regions::region_id,
                    article_regions::published_at,
                    article_regions::provenance,
                    article_regions::provenance_note,
                ))
                .load(conn)?;
            let Some(&(_, published_at, _, _)) = direct.first() else { continue };
            let regions: Vec<DirectRegion> =
                direct.into_iter().map(|(id, _, provenance, note)| DirectRegion { id, provenance, note }).collect();
            diesel::delete(article_regions::table.filter(article_regions::article_id.eq(article_id))).execute(conn)?;
            let links = self.region_links(article_id, &regions, published_at);
            insert_chunked!(conn, article_regions::table, links);
            report.note(Kind::Article, Outcome::Updated);
            changes.push(self.change(Kind::Article, article_id, slugs.get(&article_id).map_or("", String::as_str)));
        }
        Ok(())
    }
}
