//! Importing NDJSON corpora (`<binary> import FILE`, and the bundled seed
//! on first start).
//!
//! Two passes over the file. The first parses and checks every line and
//! resolves every reference, writing nothing: a file with any error leaves
//! the database untouched. The second writes in batches, one transaction
//! each, through `writer`. Records are upserted by slug, so re-running an
//! import that stopped half-way (a crash, a full disk) completes it, and
//! re-importing the same file changes nothing.

pub mod lines;
pub mod record;
pub mod validate;
pub mod writer;

use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use diesel::prelude::*;

use crate::db::{self, DbConn};
use crate::schema::articles;
use lines::{LineReader, Source};
use record::parse_line;
use validate::{LineError, Validator};
use writer::{Incoming, WriteReport, Writer};

#[derive(Debug, Clone, Copy)]
pub struct ImportOptions {
    /// Records per write transaction.
    pub batch_size: usize,
    /// Stop collecting errors after this many.
    pub max_errors: usize,
    /// Draw progress bars on stderr (only when it is a terminal).
    pub progress: bool,
    /// WAL pages between checkpoints while writing.
    pub checkpoint_pages: u32,
}

impl Default for ImportOptions {
    fn default() -> Self {
        Self { batch_size: 2_000, max_errors: 100, progress: false, checkpoint_pages: 16_384 }
    }
}

#[derive(Debug, Default)]
pub struct ImportReport {
    pub records: u64,
    pub written: WriteReport,
    pub validate_time: Duration,
    pub write_time: Duration,
    /// Written with a rollback journal instead of the WAL (SQLite, into an
    /// empty store no other connection had open; see `db::begin_bulk_writes`).
    pub without_wal: bool,
}

#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    #[error("the file has {} problem(s); nothing was written", .0.len())]
    Invalid(Vec<LineError>),
    #[error("reading the file: {0}")]
    Io(#[from] std::io::Error),
    #[error("database: {0}")]
    Database(#[from] diesel::result::Error),
}

fn progress_bar(enabled: bool, len: u64, message: &'static str) -> ProgressBar {
    if !enabled {
        return ProgressBar::hidden();
    }
    // The stderr target draws nothing when stderr is not a terminal.
    let bar = ProgressBar::with_draw_target(Some(len), ProgressDrawTarget::stderr());
    bar.set_style(
        ProgressStyle::with_template("{msg:>10} [{bar:40}] {bytes}/{total_bytes} {binary_bytes_per_sec} eta {eta}")
            .unwrap_or_else(|_| ProgressStyle::default_bar())
            .progress_chars("=> "),
    );
    bar.set_message(message);
    bar
}

/// Pass one: parse and check every line.
pub fn validate(conn: &mut DbConn, source: &Source, options: &ImportOptions) -> Result<u64, ImportError> {
    let mut validator = Validator::load(conn, options.max_errors)?;
    let bar = progress_bar(options.progress, source.len()?, "checking");
    let mut reader = LineReader::new(source.open()?);
    while let Some(item) = reader.next_line() {
        let (number, position, line) = match item {
            Ok(line) => line,
            Err(e) => {
                validator.parse_error(e.line, record::FieldError { field: String::new(), message: e.message });
                if validator.full() {
                    break;
                }
                continue;
            }
        };
        bar.set_position(position);
        match parse_line(line) {
            Ok(record) => validator.check(number, &record),
            Err(e) => validator.parse_error(number, e),
        }
        if validator.full() {
            break;
        }
    }
    bar.finish_and_clear();
    if validator.errors.is_empty() {
        Ok(validator.records)
    } else {
        Err(ImportError::Invalid(validator.errors))
    }
}

/// Pass two: write in batches. Only call it on a source that validated.
fn write(conn: &mut DbConn, source: &Source, options: &ImportOptions) -> Result<(WriteReport, bool), ImportError> {
    // Into an empty store, load first and index after. The indexes are
    // rebuilt even if the import fails, and at the next start if it is
    // killed (see `db::rebuild_deferred_indexes`). Pages are then written
    // once, without the WAL, when nothing else has the file open.
    let into_empty = articles::table.count().get_result::<i64>(conn)? == 0;
    let bulk = db::begin_bulk_writes(conn, options.checkpoint_pages, into_empty)?;
    let written = (|| {
        if into_empty {
            crate::db::write_transaction(conn, |c| db::defer_secondary_indexes(c, BULK_TABLES))?;
        }
        let written = write_batches(conn, source, options, into_empty);
        crate::db::write_transaction(conn, db::rebuild_deferred_indexes)?;
        written
    })();
    // Restored whatever happened; the import's own error comes first.
    let finished = db::finish_bulk_writes(conn, bulk);
    let written = written?;
    finished?;
    Ok((written, bulk.left_wal))
}

/// Tables whose secondary indexes a first import builds after loading.
const BULK_TABLES: &[&str] = &["articles", "article_authors", "article_topics", "article_regions"];

/// Parsing runs on its own thread, a couple of batches ahead of the
/// writes, so the two cores share the work.
fn write_batches(
    conn: &mut DbConn,
    source: &Source,
    options: &ImportOptions,
    into_empty: bool,
) -> Result<WriteReport, ImportError> {
    let mut writer = Writer::load(conn)?;
    if into_empty {
        // No article to share a uid with (and no index on them to ask).
        writer = writer.into_empty_store();
    }
    let mut report = WriteReport::default();
    let bar = progress_bar(options.progress, source.len()?, "writing");
    let (batches, incoming) = std::sync::mpsc::sync_channel(2);
    let parser = {
        let source = source.clone();
        let batch_size = options.batch_size;
        std::thread::spawn(move || {
            if let Err(e) = parse_batches(&source, batch_size, &batches) {
                let _ = batches.send(Err(e));
            }
        })
    };
    for message in incoming {
        let (batch, position): (Vec<Incoming>, u64) = message?;
        let written = crate::db::write_transaction(conn, |conn| writer.write(conn, &batch))?;
        report.merge(written);
        bar.set_position(position);
    }
    parser.join().map_err(|_| std::io::Error::other("the parsing thread panicked"))?;
    bar.finish_and_clear();
    Ok(report)
}

type Batch = Result<(Vec<Incoming>, u64), ImportError>;

/// Send `batch_size` parsed records at a time, with the bytes read so far.
fn parse_batches(
    source: &Source,
    batch_size: usize,
    out: &std::sync::mpsc::SyncSender<Batch>,
) -> Result<(), ImportError> {
    let mut reader = LineReader::new(source.open()?);
    let mut batch = Vec::with_capacity(batch_size);
    let mut last_position = 0;
    while let Some(item) = reader.next_line() {
        let (number, position, line) = item.map_err(|e| ImportError::Invalid(vec![e]))?;
        let record = parse_line(line)
            .map_err(|e| ImportError::Invalid(vec![LineError { line: number, field: e.field, message: e.message }]))?;
        batch.push(Incoming::from_line(record, line));
        last_position = position;
        if batch.len() >= batch_size && out.send(Ok((std::mem::take(&mut batch), position))).is_err() {
            return Ok(()); // the writer stopped; it reports why
        }
    }
    if !batch.is_empty() {
        let _ = out.send(Ok((batch, last_position)));
    }
    Ok(())
}

/// Validate, then write. See the module docs for what a failure leaves.
pub fn import(conn: &mut DbConn, source: &Source, options: &ImportOptions) -> Result<ImportReport, ImportError> {
    let started = Instant::now();
    let records = validate(conn, source, options)?;
    let validate_time = started.elapsed();
    let started = Instant::now();
    let (written, without_wal) = write(conn, source, options)?;
    Ok(ImportReport { records, written, validate_time, write_time: started.elapsed(), without_wal })
}
