//! The search index on disk and how it follows SQLite.
//!
//! SQLite is the source of truth. Every data change is in `change_log`
//! (written in the same transaction as the change); the index records, in
//! its commit payload, the last sequence number it applied. Catching up
//! re-indexes the articles changed since then (delete by id, add from
//! SQLite) and commits with the new sequence number. Nothing is applied
//! twice wrongly (re-indexing an article is idempotent) and nothing is
//! missed: a crash before the commit leaves the old payload, so the next
//! catch-up redoes the work.

use std::collections::VecDeque;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::Mutex;

use diesel::prelude::*;
use indicatif::ProgressBar;
use tantivy::directory::MmapDirectory;
use tantivy::{Index, IndexReader, IndexWriter, ReloadPolicy, Searcher, Term};

use super::bitmaps::Bitmaps;
use super::documents;
use super::schema::{self, Fields};
use crate::cache::version::read_version;
use crate::db::DbConn;
use crate::schema::{articles, change_log};

/// Articles loaded from SQLite per indexing step.
const CHUNK: usize = 500;
/// Recent index states kept for cursors that walk a search result.
const PINNED_STATES: usize = 8;

#[derive(Debug, thiserror::Error)]
pub enum IndexError {
    #[error("search index: {0}")]
    Tantivy(#[from] tantivy::TantivyError),
    #[error("search index directory: {0}")]
    Directory(#[from] tantivy::directory::error::OpenDirectoryError),
    #[error("database: {0}")]
    Database(#[from] diesel::result::Error),
    #[error("search index: {0}")]
    Io(#[from] std::io::Error),
}

/// Memory and threads for writing the index.
#[derive(Debug, Clone, Copy)]
pub struct WriterOptions {
    pub threads: usize,
    pub memory_bytes: usize,
}

impl WriterOptions {
    /// While serving: small and steady.
    pub const SERVING: WriterOptions = WriterOptions { threads: 1, memory_bytes: 32 << 20 };
    /// Building from scratch: as fast as two cores allow.
    pub const BUILDING: WriterOptions = WriterOptions { threads: 2, memory_bytes: 256 << 20 };
}

pub struct SearchIndex {
    pub fields: Fields,
    index: Index,
    reader: IndexReader,
    writer: Mutex<IndexWriter>,
    applied: AtomicI64,
    /// `applied`, for requests waiting until the index has caught up.
    applied_watch: tokio::sync::watch::Sender<i64>,
    pinned: Mutex<VecDeque<(i64, Searcher)>>,
    path: PathBuf,
    pub(super) bitmaps: Bitmaps,
}

/// The index's directory for a database file: `<db>.index/` beside it.
pub fn default_dir(database: &Path) -> PathBuf {
    let mut name = database.file_name().unwrap_or_default().to_os_string();
    name.push(".index");
    database.with_file_name(name)
}

fn applied_of(index: &Index) -> Result<i64, IndexError> {
    Ok(index.load_metas()?.payload.and_then(|p| p.parse().ok()).unwrap_or(0))
}

impl SearchIndex {
    /// Open (or create) the index in `dir`. An index written with another
    /// schema (an older version of this program) is discarded and rebuilt.
    pub fn open(dir: &Path, options: WriterOptions) -> Result<SearchIndex, IndexError> {
        std::fs::create_dir_all(dir)?;
        let (wanted, fields) = schema::build();
        let index = match Index::open_in_dir(dir) {
            Ok(existing) if existing.schema() == wanted => existing,
            Ok(_) => {
                tracing::warn!(dir = %dir.display(), "the search index has another schema; rebuilding it");
                std::fs::remove_dir_all(dir)?;
                std::fs::create_dir_all(dir)?;
                Index::create(MmapDirectory::open(dir)?, wanted, Default::default())?
            }
            Err(_) => Index::open_or_create(MmapDirectory::open(dir)?, wanted)?,
        };
        schema::register_tokenizers(&index);
        let writer = index.writer_with_num_threads(options.threads, options.memory_bytes)?;
        let reader = index.reader_builder().reload_policy(ReloadPolicy::Manual).try_into()?;
        let applied = applied_of(&index)?;
        let this = SearchIndex {
            fields,
            index,
            reader,
            writer: Mutex::new(writer),
            applied: AtomicI64::new(applied),
            applied_watch: tokio::sync::watch::Sender::new(applied),
            pinned: Mutex::new(VecDeque::new()),
            path: dir.to_owned(),
            bitmaps: Bitmaps::default(),
        };
        this.pin_current();
        this.warm_bitmaps();
        Ok(this)
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    pub fn index(&self) -> &Index {
        &self.index
    }

    /// The change-log sequence number the index reflects.
    pub fn applied(&self) -> i64 {
        self.applied.load(Ordering::Acquire)
    }

    pub fn searcher(&self) -> Searcher {
        self.reader.searcher()
    }

    /// The latest index state with its change-log sequence number, taken
    /// together (a catch-up between two separate reads could pair a
    /// searcher with another state's number).
    pub fn current(&self) -> (i64, Searcher) {
        let pinned = self.pinned.lock().expect("not poisoned");
        match pinned.back() {
            Some((seq, searcher)) => (*seq, searcher.clone()),
            None => (self.applied(), self.reader.searcher()),
        }
    }

    /// The index as it was at change `seq`, if still kept (for cursors).
    pub fn searcher_at(&self, seq: i64) -> Option<Searcher> {
        let pinned = self.pinned.lock().expect("not poisoned");
        pinned.iter().find(|(s, _)| *s == seq).map(|(_, searcher)| searcher.clone())
    }

    /// Build the facet bitmaps of segments new in the latest state (see
    /// `bitmaps`), so that requests seldom wait for them.
    fn warm_bitmaps(&self) {
        // The segments of states pinned for cursors keep their bitmaps:
        // a walk's next page would otherwise build them again.
        let pinned: Vec<Searcher> = self.pinned.lock().expect("not poisoned").iter().map(|(_, s)| s.clone()).collect();
        if let Err(e) = self.bitmaps.warm(&self.reader.searcher(), &pinned) {
            tracing::warn!(error = %e, "could not build the facet bitmaps ahead; requests will");
        }
    }

    fn pin_current(&self) {
        let mut pinned = self.pinned.lock().expect("not poisoned");
        let seq = self.applied();
        if let Some((_, searcher)) = pinned.back_mut().filter(|(s, _)| *s == seq) {
            // The same change applied, its segments merged since: serve
            // those (a cursor's keys do not depend on the segments).
            *searcher = self.reader.searcher();
            return;
        }
        pinned.push_back((seq, self.reader.searcher()));
        while pinned.len() > PINNED_STATES {
            pinned.pop_front();
        }
    }

    /// Apply every change SQLite has and the index has not. Cheap when
    /// there is nothing to do. Returns the articles re-indexed.
    pub fn catch_up(&self, conn: &mut DbConn, progress: Option<&ProgressBar>) -> Result<u64, IndexError> {
        let target = read_version(conn)?;
        if target <= self.applied() {
            return Ok(0);
        }
        let mut writer = self.writer.lock().expect("not poisoned");
        self.apply_up_to(conn, &mut writer, target, progress)
    }

    /// Wait (without holding a thread or a connection) until the index
    /// reflects change `target`, for at most `timeout`; returns whether it
    /// does. Requests call this so that a write is in their answers as soon
    /// as the background catch-up (`follower`) has applied it.
    pub async fn wait_for(&self, target: i64, timeout: std::time::Duration) -> bool {
        if self.applied() >= target {
            return true;
        }
        let mut watch = self.applied_watch.subscribe();
        let caught_up = async move { watch.wait_for(|applied| *applied >= target).await.is_ok() };
        tokio::time::timeout(timeout, caught_up).await.unwrap_or(false)
    }

    /// Bring the index in line with the store: rebuild it when it is ahead
    /// of the store (the database was restored from an older copy, so what
    /// the index holds past the store's last change is not in the store),
    /// else catch up. Returns the articles indexed.
    pub fn reconcile(&self, conn: &mut DbConn, progress: Option<&ProgressBar>) -> Result<u64, IndexError> {
        let stored = read_version(conn)?;
        if stored < self.applied() {
            tracing::warn!(
                index = self.applied(),
                database = stored,
                "the search index is ahead of the database (restored from an older copy?); rebuilding it"
            );
            return self.rebuild(conn, progress);
        }
        self.catch_up(conn, progress)
    }

    fn apply_up_to(
        &self,
        conn: &mut DbConn,
        writer: &mut IndexWriter,
        target: i64,
        progress: Option<&ProgressBar>,
    ) -> Result<u64, IndexError> {
        let from = self.applied();
        if target <= from {
            return Ok(0); // another thread caught up while we waited
        }
        let indexed = if from == 0 {
            self.index_everything(conn, writer, progress)?
        } else {
            self.index_changes(conn, writer, from, target, progress)?
        };
        let mut commit = writer.prepare_commit()?;
        commit.set_payload(&target.to_string());
        commit.commit()?;
        self.reader.reload()?;
        self.applied.store(target, Ordering::Release);
        self.pin_current();
        self.applied_watch.send_replace(target);
        self.warm_bitmaps();
        tracing::info!(from, to = target, indexed, "search index caught up");
        if from == 0 {
            self.merge_small_segments(writer)?;
        }
        Ok(indexed)
    }

    /// After a full build, already served: merge what it left small (see
    /// `leftovers`), then serve the merged segments, same data, same
    /// change applied. Changes made meanwhile wait for the writer (seconds
    /// at 100k articles). The index serves as well, if slower, unmerged.
    fn merge_small_segments(&self, writer: &mut IndexWriter) -> Result<(), IndexError> {
        match super::leftovers::merge_small_segments(&self.index, writer) {
            Ok(0) => return Ok(()),
            Ok(merged) => tracing::info!(merged, "merged the small segments a full build left"),
            Err(e) => {
                tracing::warn!(error = %e, "could not merge the small segments a full build left");
                return Ok(());
            }
        }
        self.reader.reload()?;
        self.pin_current();
        self.warm_bitmaps();
        // The merged segments' files, now that no state served holds them
        // (a request still reading them keeps them until the next commit).
        if let Err(e) = writer.garbage_collect_files().wait() {
            tracing::debug!(error = %e, "the merged segments' files stay until the next commit");
        }
        Ok(())
    }

    fn add(&self, conn: &mut DbConn, writer: &IndexWriter, ids: &[i64], replace: bool) -> Result<u64, IndexError> {
        if replace {
            for id in ids {
                writer.delete_term(Term::from_field_u64(self.fields.id, *id as u64));
            }
        }
        let docs = documents::load(conn, &self.fields, ids)?;
        let n = docs.len() as u64;
        for (_, doc) in docs {
            writer.add_document(doc)?;
        }
        Ok(n)
    }

    fn index_everything(
        &self,
        conn: &mut DbConn,
        writer: &mut IndexWriter,
        progress: Option<&ProgressBar>,
    ) -> Result<u64, IndexError> {
        writer.delete_all_documents()?;
        if let Some(bar) = progress {
            bar.set_length(articles::table.count().get_result::<i64>(conn)? as u64);
        }
        let mut last = 0i64;
        let mut indexed = 0;
        loop {
            let ids: Vec<i64> = articles::table
                .filter(articles::id.gt(last))
                .order(articles::id)
                .select(articles::id)
                .limit(CHUNK as i64)
                .load(conn)?;
            let Some(&max) = ids.last() else { break };
            indexed += self.add(conn, writer, &ids, false)?;
            last = max;
            if let Some(bar) = progress {
                bar.set_position(indexed);
            }
        }
        Ok(indexed)
    }

    fn index_changes(
        &self,
        conn: &mut DbConn,
        writer: &mut IndexWriter,
        from: i64,
        to: i64,
        progress: Option<&ProgressBar>,
    ) -> Result<u64, IndexError> {
        let changed: Vec<i64> = change_log::table
            .filter(change_log::seq.gt(from).and(change_log::seq.le(to)))
            .filter(change_log::resource.eq(crate::domain::Kind::Article))
            .select(change_log::resource_id)
            .distinct()
            .load(conn)?;
        if let Some(bar) = progress {
            bar.set_length(changed.len() as u64);
        }
        let mut indexed = 0;
        for chunk in changed.chunks(CHUNK) {
            indexed += self.add(conn, writer, chunk, true)?;
            if let Some(bar) = progress {
                bar.inc(chunk.len() as u64);
            }
        }
        // Articles deleted since (none can be today) are gone from SQLite and
        // were deleted above without being re-added.
        Ok(indexed)
    }

    /// Throw the index away and build it again from SQLite.
    pub fn rebuild(&self, conn: &mut DbConn, progress: Option<&ProgressBar>) -> Result<u64, IndexError> {
        {
            let mut writer = self.writer.lock().expect("not poisoned");
            writer.delete_all_documents()?;
            let mut commit = writer.prepare_commit()?;
            commit.set_payload("0");
            commit.commit()?;
            self.reader.reload()?;
            self.applied.store(0, Ordering::Release);
            // States pinned for cursors came from the discarded index.
            self.pinned.lock().expect("not poisoned").clear();
            self.pin_current();
            self.applied_watch.send_replace(0);
        }
        self.catch_up(conn, progress)
    }
}
