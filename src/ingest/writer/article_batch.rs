//! Articles, a batch at a time: their rows and every row that hangs off
//! them (byline, topics, regions, body, figures, references).

use std::collections::{HashMap, HashSet};

use diesel::prelude::*;

use super::rows::{
    ArticleChildren, ArticleValues, BodyValues, BylineValues, DirectRegion, FigureValues, NewArticle, ReferenceValues,
    TopicLink,
};
use super::{ChangeValues, Outcome, Target, WriteReport, Writer, ROWS_PER_INSERT};
use crate::db::{in_list, DbConn};
use crate::domain::Kind;
use crate::ingest::record::ArticleRecord;
use crate::schema::{
    article_authors, article_bodies, article_figures, article_references, article_regions, article_topics, articles,
    tombstones,
};

impl Writer {
    pub(super) fn write_articles(
        &mut self,
        conn: &mut DbConn,
        batch: &[(&ArticleRecord, &str, Target)],
        report: &mut WriteReport,
        changes: &mut Vec<ChangeValues>,
    ) -> QueryResult<()> {
        if batch.is_empty() {
            return Ok(());
        }
        let slugs: Vec<&str> =
            batch.iter().filter(|(_, _, t)| *t == Target::Slug).map(|(a, _, _)| a.slug.as_str()).collect();
        let ids: Vec<i64> = batch
            .iter()
            .filter_map(|(_, _, t)| match t {
                Target::Id(id) => Some(*id),
                Target::Slug => None,
            })
            .collect();
        let by_slug: HashMap<String, (i64, String)> = articles::table
            .filter(articles::slug.eq_any(&slugs))
            .select((articles::slug, articles::id, articles::content_hash))
            .load::<(String, i64, String)>(conn)?
            .into_iter()
            .map(|(slug, id, hash)| (slug, (id, hash)))
            .collect();
        let by_id: HashMap<i64, String> = if ids.is_empty() {
            HashMap::new()
        } else {
            articles::table
                .filter(articles::id.eq_any(&ids))
                .select((articles::id, articles::content_hash))
                .load::<(i64, String)>(conn)?
                .into_iter()
                .collect()
        };
        let mut next_id = None;
        let mut children = ArticleChildren::default();
        let mut replaced: Vec<i64> = Vec::new();
        // New rows, inserted many per statement; flushed before any update
        // so the statements run in the records' order.
        let mut created: Vec<NewArticle> = Vec::new();
        for &(a, hash, target) in batch {
            let values = self.article_values(a, hash.to_owned())?;
            let existing = match target {
                Target::Slug => by_slug.get(a.slug.as_str()).cloned(),
                Target::Id(id) => by_id.get(&id).map(|h| (id, h.clone())),
            };
            let (id, outcome) = match existing {
                Some((id, old)) if old == hash => (id, Outcome::Unchanged),
                Some((id, _)) => {
                    self.insert_created(conn, &mut created)?;
                    diesel::update(articles::table.find(id)).set(&values).execute(conn)?;
                    replaced.push(id);
                    (id, Outcome::Updated)
                }
                None => {
                    let id = match target {
                        Target::Id(id) => id,
                        Target::Slug => {
                            let id = match next_id {
                                Some(id) => id,
                                None => {
                                    let max: Option<i64> =
                                        articles::table.select(diesel::dsl::max(articles::id)).first(conn)?;
                                    // Rows created earlier in this batch are not inserted yet.
                                    let pending = created.iter().map(|r| r.id).max();
                                    self.next_id(Kind::Article, max.max(pending).unwrap_or(0))
                                }
                            };
                            next_id = Some(id + 1);
                            id
                        }
                    };
                    created.push(NewArticle { id, values });
                    (id, Outcome::Created)
                }
            };
            report.note(Kind::Article, outcome);
            if outcome != Outcome::Unchanged {
                self.collect_children(a, id, &mut children)?;
                changes.push(self.change(Kind::Article, id, a.slug.as_str()));
            }
        }
        self.insert_created(conn, &mut created)?;
        if !replaced.is_empty() {
            diesel::delete(article_bodies::table.filter(article_bodies::article_id.eq_any(&replaced))).execute(conn)?;
            diesel::delete(article_authors::table.filter(article_authors::article_id.eq_any(&replaced)))
                .execute(conn)?;
            diesel::delete(article_topics::table.filter(article_topics::article_id.eq_any(&replaced))).execute(conn)?;
            diesel::delete(article_regions::table.filter(article_regions::article_id.eq_any(&replaced)))
                .execute(conn)?;
            diesel::delete(article_figures::table.filter(article_figures::article_id.eq_any(&replaced)))
                .execute(conn)?;
            diesel::delete(article_references::table.filter(article_references::article_id.eq_any(&replaced)))
                .execute(conn)?;
        }
        for bodies in body_chunks(&children.bodies) {
            insert_chunked!(conn, article_bodies::table, bodies);
        }
        insert_chunked!(conn, article_authors::table, children.bylines);
        insert_chunked!(conn, article_topics::table, children.topics);
        insert_chunked!(conn, article_regions::table, children.regions);
        insert_chunked!(conn, article_figures::table, children.figures);
        insert_chunked!(conn, article_references::table, children.references);
        Ok(())
    }

    /// Insert `created` (emptying it), each with a uid no article has or had.
    fn insert_created(&self, conn: &mut DbConn, created: &mut Vec<NewArticle>) -> QueryResult<()> {
        if created.is_empty() {
            return Ok(());
        }
        free_uids(conn, created, !self.into_empty)?;
        insert_chunked!(conn, articles::table, created);
        created.clear();
        Ok(())
    }

    pub(super) fn article_values<'a>(
        &self,
        a: &'a ArticleRecord,
        content_hash: String,
    ) -> QueryResult<ArticleValues<'a>> {
        let translation = a.translation.as_ref();
        let source = a.source.as_ref();
        Ok(ArticleValues {
            slug: a.slug.as_str(),
            publisher_id: self.id(Kind::Publisher, &a.publisher)?,
            series_id: a.series.as_ref().map(|s| self.id(Kind::Series, s)).transpose()?,
            article_type: a.article_type,
            language: a.language.as_str(),
            published_at: a.published_at.0,
            updated_at: a.updated_at.map_or(a.published_at.0, |m| m.0),
            body_status: a.effective_body_status(),
            title_truncated: a.title_truncated,
            title: a.title.as_str(),
            subtitle: a.subtitle.as_ref().map(|t| t.as_str()),
            url: a.url.clone().map(|u| u.into_string()),
            source_name: source.map(|s| s.name.as_str()),
            source_url: source.and_then(|s| s.url.clone()).map(|u| u.into_string()),
            source_published_on: source.and_then(|s| s.published_on),
            original_language: translation.and_then(|t| t.original_language.as_ref()).map(|l| l.as_str()),
            original_title: translation.and_then(|t| t.original_title.as_ref()).map(|t| t.as_str()),
            original_venue: translation.and_then(|t| t.original_venue.as_ref()).map(|t| t.as_str()),
            original_published_on: translation.and_then(|t| t.original_published_on),
            original_date_text: translation.and_then(|t| t.original_date_text.as_ref()).map(|t| t.as_str()),
            translation_note: translation.and_then(|t| t.note.as_ref()).map(|t| t.as_str()),
            summary: a.summary.as_ref().map(|t| t.as_str()),
            content_hash,
            type_provenance: a.type_provenance(),
            original_language_provenance: a.original_language_provenance(),
            provenance_note: a.provenance_note(),
            uid: crate::domain::article_uid(a.slug.as_str()),
        })
    }

    pub(super) fn collect_children<'a>(
        &self,
        a: &'a ArticleRecord,
        id: i64,
        out: &mut ArticleChildren<'a>,
    ) -> QueryResult<()> {
        let published_at = a.published_at.0;
        if let Some(body) = &a.body {
            out.bodies.push(BodyValues { article_id: id, body: body.as_str() });
        }
        for (i, b) in a.authors.iter().enumerate() {
            out.bylines.push(BylineValues {
                article_id: id,
                position: i as i32,
                author_id: self.id(Kind::Author, &b.author)?,
                role: b.role,
                affiliation: b.affiliation.as_ref().map(|t| t.as_str().to_owned()),
                published_at,
                provenance: b.provenance.or(a.authors_default()).unwrap_or_default(),
                provenance_note: b.provenance_note.as_ref().map(|t| t.as_str().to_owned()),
            });
        }
        for (i, t) in a.topics.iter().enumerate() {
            out.topics.push(TopicLink {
                article_id: id,
                topic_id: self.id(Kind::Topic, t.slug())?,
                position: i as i32,
                published_at,
                provenance: t.provenance(a.topics_default()),
                provenance_note: t.note().map(str::to_owned),
            });
        }
        let direct: Vec<DirectRegion> = a
            .regions
            .iter()
            .map(|r| {
                Ok(DirectRegion {
                    id: self.id(Kind::Region, r.slug())?,
                    provenance: r.provenance(a.regions_default()),
                    note: r.note().map(str::to_owned),
                })
            })
            .collect::<QueryResult<_>>()?;
        out.regions.extend(self.region_links(id, &direct, published_at));
        for (i, f) in a.figures.iter().enumerate() {
            out.figures.push(FigureValues {
                article_id: id,
                position: i as i32,
                caption: f.caption.as_str(),
                credit: f.credit.as_ref().map(|t| t.as_str()),
                after_paragraph: f.after_paragraph.map(|p| p as i32),
            });
        }
        for (i, r) in a.references.iter().enumerate() {
            out.references.push(ReferenceValues {
                article_id: id,
                position: i as i32,
                citation: r.citation.as_str(),
                url: r.url.clone().map(|u| u.into_string()),
            });
        }
        Ok(())
    }
}

/// Give each row the uid its slug gives (`values.uid`), unless an article
/// has it, or had it and was deleted or unpublished (a rename leaves the old
/// slug's uid with the renamed article), or an earlier row of `rows` took
/// it: then a random one. A uid is never given twice. `among_articles`:
/// whether live articles may have it too (not in a first import, whose
/// articles all come from distinct slugs of one file).
fn free_uids(conn: &mut DbConn, rows: &mut [NewArticle], among_articles: bool) -> QueryResult<()> {
    let mut taken: HashSet<String> = HashSet::new();
    for chunk in rows.chunks(ROWS_PER_INSERT) {
        let wanted: Vec<&str> = chunk.iter().map(|r| r.values.uid.as_str()).collect();
        let gone: Vec<Option<String>> =
            tombstones::table.filter(in_list(tombstones::uid, &wanted)).select(tombstones::uid).load(conn)?;
        taken.extend(gone.into_iter().flatten());
        if among_articles {
            let held: Vec<Option<String>> =
                articles::table.filter(in_list(articles::uid, &wanted)).select(articles::uid).load(conn)?;
            taken.extend(held.into_iter().flatten());
        }
    }
    for row in rows {
        if !taken.insert(row.values.uid.clone()) {
            row.values.uid = uuid::Builder::from_random_bytes(rand::random()).into_uuid().to_string();
        }
    }
    Ok(())
}

/// Text per body insert statement, short of the one body that may pass it:
/// a body may hold 4 million characters, and PostgreSQL refuses a message
/// over 1 GB, which 500 such bodies would make.
const BODY_BYTES_PER_INSERT: usize = 64 << 20;

/// `bodies` cut into runs of at most `ROWS_PER_INSERT` rows holding at most
/// `BODY_BYTES_PER_INSERT` bytes of text (or a single longer body).
fn body_chunks<'b, 'a>(bodies: &'b [BodyValues<'a>]) -> Vec<&'b [BodyValues<'a>]> {
    let mut chunks = Vec::new();
    let (mut start, mut bytes) = (0, 0);
    for (i, body) in bodies.iter().enumerate() {
        let full = i - start == ROWS_PER_INSERT || bytes + body.body.len() > BODY_BYTES_PER_INSERT;
        if i > start && full {
            chunks.push(&bodies[start..i]);
            (start, bytes) = (i, 0);
        }
        bytes += body.body.len();
    }
    if start < bodies.len() {
        chunks.push(&bodies[start..]);
    }
    chunks
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bodies_go_in_runs_bounded_by_rows_and_bytes() {
        let big = "x".repeat(20 << 20);
        let small = "y".repeat(10);
        fn rows<'a>(texts: &[&'a str]) -> Vec<BodyValues<'a>> {
            texts.iter().enumerate().map(|(i, body)| BodyValues { article_id: i as i64, body }).collect()
        }
        let sizes = |bodies: &[BodyValues]| body_chunks(bodies).iter().map(|c| c.len()).collect::<Vec<_>>();
        assert!(body_chunks(&[]).is_empty());
        // Small bodies: by count.
        let many = rows(&vec![small.as_str(); 1_201]);
        assert_eq!(sizes(&many), [500, 500, 201]);
        // 20 MiB bodies: three fit in 64 MiB, the fourth starts a new run.
        let large = rows(&[big.as_str(); 7]);
        assert_eq!(sizes(&large), [3, 3, 1]);
        // A body over the bound alone goes in a run of its own.
        let huge = "z".repeat(70 << 20);
        let mixed = rows(&[small.as_str(), huge.as_str(), small.as_str()]);
        assert_eq!(sizes(&mixed), [1, 1, 1]);
        // Every row once, in order.
        let flat: Vec<i64> = body_chunks(&large).iter().flat_map(|c| c.iter().map(|b| b.article_id)).collect();
        assert_eq!(flat, (0..7).collect::<Vec<_>>());
    }
}
