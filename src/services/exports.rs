//! Streamed exports: a whole list, rendered while it is read and sent
//! while it is rendered.
//!
//! Each export runs on its own thread (below requests' CPU priority) with
//! its own connection, inside one read transaction, so it shows one state
//! of the data however long it streams and takes nothing from the pool
//! that answers pages. The rendered bytes go through a small bounded
//! channel to the response: memory stays constant whatever the size of the
//! result, and a client that stops reading stops the export (after
//! `stall`). An error before the first byte is an ordinary problem
//! response; after it, the stream ends with an error, which aborts the
//! connection rather than ending the body as if it were complete.

use std::borrow::Cow;
use std::collections::HashMap;
use std::io;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use actix_web::web::Bytes;
use futures_util::Stream;
use serde::Serialize;
use tokio::sync::mpsc::error::TrySendError;
use tokio::sync::{mpsc, oneshot, Semaphore};

use crate::cache::version::read_snapshot;
use crate::db::{self, DbConn, Location, PoolOptions};
use crate::domain::CitationStyle;
use crate::error::ApiError;
use crate::limits::Client;
use crate::listing::export::{self, Batches, ExportHead, ExportItems, ExportList};
use crate::listing::params::ListFormat;
use crate::listing::ListRequest;
use crate::models::taxonomy::TaxonomyQuery;
use crate::render::cite::CitationFormat;
use crate::render::csv::TableColumns;
use crate::render::export::{ArticleWriter, ExportContext, TableWriter};
use crate::services::citations::Citer;
use crate::state::AppState;
use crate::views::articles::FieldMask;

/// Bytes gathered before they are handed to the connection.
const CHUNK_BYTES: usize = 64 << 10;

/// Chunks waiting for the connection at most.
const QUEUED_CHUNKS: usize = 8;

#[derive(Debug, Clone, Copy)]
pub struct ExportOptions {
    /// Exports streaming at once; one more gets a 503 with `Retry-After`.
    pub max_concurrent: usize,
    /// Exports one client (an API key, an address, an IPv6 /64) may stream
    /// at once; one more gets a 429, so that one client cannot hold every
    /// slot.
    pub per_client: usize,
    /// How long an export waits for a client that reads nothing before it
    /// gives up.
    pub stall: Duration,
}

impl Default for ExportOptions {
    fn default() -> Self {
        ExportOptions { max_concurrent: 4, per_client: 2, stall: Duration::from_secs(30) }
    }
}

pub struct Exporter {
    permits: Arc<Semaphore>,
    /// Exports streaming, by client.
    clients: Arc<Mutex<HashMap<Client, usize>>>,
    per_client: usize,
    database: Location,
    connections: PoolOptions,
    nice: i32,
    stall: Duration,
}

/// Where an export writes: `out` gathers the rendered bytes, `flush`
/// hands them on once there are enough.
pub struct Sink {
    pub out: Vec<u8>,
    head: Option<oneshot::Sender<Result<ExportHead, ApiError>>>,
    chunks: mpsc::Sender<Result<Bytes, io::Error>>,
    stall: Duration,
}

impl Sink {
    /// Say what follows (the response's headers go out with it).
    pub fn head(&mut self, head: ExportHead) -> Result<(), ApiError> {
        let sender = self.head.take().ok_or_else(|| ApiError::Internal("an export's head sent twice".into()))?;
        sender.send(Ok(head)).map_err(|_| ApiError::ClientGone)
    }

    /// Hand on what `out` holds once it is a chunk's worth.
    pub fn flush(&mut self) -> Result<(), ApiError> {
        if self.out.len() < CHUNK_BYTES {
            return Ok(());
        }
        self.send()
    }

    fn send(&mut self) -> Result<(), ApiError> {
        if self.out.is_empty() {
            return Ok(());
        }
        let chunk = Bytes::from(std::mem::replace(&mut self.out, Vec::with_capacity(CHUNK_BYTES + (CHUNK_BYTES >> 2))));
        self.put(Ok(chunk))
    }

    /// Queue `item`, waiting while the queue is full, at most `stall`.
    fn put(&self, mut item: Result<Bytes, io::Error>) -> Result<(), ApiError> {
        let started = Instant::now();
        let mut pause = Duration::from_micros(100);
        loop {
            match self.chunks.try_send(item) {
                Ok(()) => return Ok(()),
                Err(TrySendError::Closed(_)) => return Err(ApiError::ClientGone),
                Err(TrySendError::Full(back)) => {
                    if started.elapsed() > self.stall {
                        return Err(ApiError::ClientGone);
                    }
                    item = back;
                    std::thread::sleep(pause);
                    pause = (pause * 2).min(Duration::from_millis(5));
                }
            }
        }
    }
}

/// One of a client's export slots, given back when dropped.
struct ClientSlot {
    clients: Arc<Mutex<HashMap<Client, usize>>>,
    client: Client,
}

impl ClientSlot {
    fn take(
        clients: &Arc<Mutex<HashMap<Client, usize>>>,
        client: Client,
        limit: usize,
    ) -> Result<ClientSlot, ApiError> {
        let mut streaming = clients.lock().unwrap_or_else(|e| e.into_inner());
        let count = streaming.entry(client).or_insert(0);
        if *count >= limit {
            return Err(ApiError::TooManyExports { limit });
        }
        *count += 1;
        Ok(ClientSlot { clients: clients.clone(), client })
    }
}

impl Drop for ClientSlot {
    fn drop(&mut self) {
        let mut streaming = self.clients.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(count) = streaming.get_mut(&self.client) {
            *count -= 1;
            if *count == 0 {
                streaming.remove(&self.client);
            }
        }
    }
}

impl Exporter {
    pub fn new(database: Location, connections: PoolOptions, nice: i32, options: ExportOptions) -> Exporter {
        Exporter {
            permits: Arc::new(Semaphore::new(options.max_concurrent.max(1))),
            clients: Arc::default(),
            per_client: options.per_client.max(1),
            database,
            connections,
            nice,
            stall: options.stall,
        }
    }

    /// Run `export` for `client` on its own thread in one read transaction;
    /// answer its head (or its error, when it fails before the head) and
    /// the stream of what it writes after.
    pub async fn start<F>(
        &self,
        client: Client,
        export: F,
    ) -> Result<(ExportHead, impl Stream<Item = Result<Bytes, io::Error>> + 'static), ApiError>
    where
        F: FnOnce(&mut DbConn, &mut Sink) -> Result<(), ApiError> + Send + 'static,
    {
        let slot = ClientSlot::take(&self.clients, client, self.per_client)?;
        let permit = self.permits.clone().try_acquire_owned().map_err(|_| ApiError::Overloaded { retry_after: 2 })?;
        let (head_tx, head_rx) = oneshot::channel();
        let (chunks, receiver) = mpsc::channel(QUEUED_CHUNKS);
        let mut sink = Sink { out: Vec::with_capacity(CHUNK_BYTES), head: Some(head_tx), chunks, stall: self.stall };
        let (database, connections, nice) = (self.database.clone(), self.connections, self.nice);
        let completed = Arc::new(AtomicBool::new(false));
        let finished = completed.clone();
        std::thread::Builder::new()
            .name("export".into())
            .spawn(move || {
                crate::work::heavy::lower_priority(nice);
                let result = db::connect(&database, connections)
                    .map_err(|e| ApiError::Unavailable(format!("an export's connection: {e}")))
                    .and_then(|mut conn| {
                        // An export only reads: the connection refuses any write.
                        db::refuse_writes(&mut conn)?;
                        db::snapshot_transaction(&mut conn, |c| export(c, &mut sink))
                    })
                    .and_then(|()| sink.send());
                // The slots are free before the answer ends (a client that
                // starts its next export at once finds them free).
                drop((permit, slot));
                match (result, sink.head.take()) {
                    (Err(e), Some(head)) => {
                        let _ = head.send(Err(e));
                    }
                    (Ok(()), Some(head)) => {
                        let _ = head.send(Err(ApiError::Internal("an export ended without its head".into())));
                    }
                    (Err(ApiError::ClientGone), None) => tracing::info!("an export's client went away"),
                    (Err(e), None) => {
                        tracing::error!(error = %e, "an export failed while streaming; aborting the response");
                    }
                    (Ok(()), None) => finished.store(true, Ordering::Release),
                }
                // Then what the export's threads freed in arenas of their own
                // goes back to the system, or every export would leave some.
                drop(sink);
                crate::work::release_freed_memory();
            })
            .map_err(|e| ApiError::Internal(format!("an export's thread: {e}")))?;
        let head = head_rx.await.map_err(|_| ApiError::Internal("an export's thread ended early".into()))??;
        Ok((head, body_of(receiver, completed)))
    }
}

/// The body of an export: its chunks, then, unless the export said it
/// finished, an error. The connection is then aborted rather than the body
/// ended as if complete, whatever stopped the export (a failure, a client
/// too slow to wait for, a panic).
fn body_of(
    receiver: mpsc::Receiver<Result<Bytes, io::Error>>,
    finished: Arc<AtomicBool>,
) -> impl Stream<Item = Result<Bytes, io::Error>> + 'static {
    futures_util::stream::unfold(Some(receiver), move |receiver| {
        let finished = finished.clone();
        async move {
            let mut receiver = receiver?;
            match receiver.recv().await {
                Some(chunk) => Some((chunk, Some(receiver))),
                None if finished.load(Ordering::Acquire) => None,
                None => Some((Err(io::Error::other("the export stopped before its end")), None)),
            }
        }
    })
}

/// How an article export writes its items.
enum Output {
    Rows(ArticleWriter),
    Cite(Box<Citer>),
}

/// Streams an article list through a writer.
struct ArticleExport<'a> {
    sink: &'a mut Sink,
    output: Option<Output>,
    request: &'a ArticleExportRequest,
}

impl Batches for ArticleExport<'_> {
    fn head(&mut self, head: ExportHead) -> Result<(), ApiError> {
        let r = self.request;
        let out = &mut self.sink.out;
        self.output = Some(match CitationFormat::of(r.format, r.style) {
            Some(format) => {
                let mut citer = Citer::new(format, &r.origin);
                citer.begin(out);
                Output::Cite(Box::new(citer))
            }
            None => {
                let ctx = ExportContext {
                    origin: &r.origin,
                    mask: r.columns,
                    search: r.list.shape.text.is_some(),
                    bom: r.bom,
                };
                Output::Rows(ArticleWriter::start(r.format, &ctx, out)?)
            }
        });
        self.sink.head(head)
    }

    fn batch(&mut self, conn: &mut DbConn, items: ExportItems) -> Result<(), ApiError> {
        let out = &mut self.sink.out;
        match self.output.as_mut() {
            Some(Output::Rows(writer)) => writer.items(&items, out)?,
            Some(Output::Cite(citer)) => {
                let texts = match &items {
                    ExportItems::Texts(texts) => texts.iter().map(|t| Cow::Borrowed(t.as_str())).collect(),
                    ExportItems::Items(items) => crate::render::item::item_texts(items)?,
                };
                let jsons: Vec<&str> = texts.iter().map(|t| t.as_ref()).collect();
                citer.items(conn, &jsons, out)?;
            }
            None => return Err(ApiError::Internal("items before the head".into())),
        }
        self.sink.flush()
    }
}

impl ArticleExport<'_> {
    /// Items rendered as rows (CSV, NDJSON), which need no lookups.
    fn rows(&mut self, items: ExportItems) -> Result<(), ApiError> {
        match self.output.as_mut() {
            Some(Output::Rows(writer)) => writer.items(&items, &mut self.sink.out)?,
            _ => return Err(ApiError::Internal("rows before the head, or of citations".into())),
        }
        self.sink.flush()
    }

    fn finish(&mut self) -> Result<(), ApiError> {
        let out = &mut self.sink.out;
        match self.output.as_mut() {
            Some(Output::Rows(writer)) => writer.finish(out),
            Some(Output::Cite(citer)) => {
                citer.end(out);
                Ok(())
            }
            None => Ok(()),
        }
    }
}

/// What an article export is: the list, its cap, and how it is written.
pub struct ArticleExportRequest {
    pub list: ListRequest,
    pub limit: Option<u64>,
    pub format: ListFormat,
    /// The style of formatted citations.
    pub style: CitationStyle,
    /// The fields CSV columns show (the list reads whole items).
    pub columns: FieldMask,
    pub origin: String,
    pub bom: bool,
}

/// Start streaming the whole article list `request` describes.
pub async fn articles(
    state: Arc<AppState>,
    client: Client,
    request: ArticleExportRequest,
) -> Result<(ExportHead, impl Stream<Item = Result<Bytes, io::Error>> + 'static), ApiError> {
    if request.list.uses_index() {
        crate::listing::catch_up_index(&state, state.caches.version(&state.pool)).await;
    }
    let s = state.clone();
    state
        .exporter
        .start(client, move |conn, sink| {
            let list = ExportList { request: &request.list, limit: request.limit, texts: true };
            let mut export = ArticleExport { sink, output: None, request: &request };
            if CitationFormat::of(request.format, request.style).is_some() {
                // Citations look names up as they go: one thread, one connection.
                export::each_batch(conn, &s, &list, &mut export)?;
                return export.finish();
            }
            // Rows are read on this thread and rendered on another: the two
            // halves of the work overlap.
            std::thread::scope(|scope| {
                let (pieces, received) = std::sync::mpsc::sync_channel::<Piece>(2);
                let renderer = scope.spawn(move || {
                    for piece in received {
                        match piece {
                            Piece::Head(head) => export.head(head)?,
                            Piece::Items(items) => export.rows(items)?,
                        }
                    }
                    export.finish()
                });
                let read = export::each_batch(conn, &s, &list, &mut Forward(pieces));
                let rendered =
                    renderer.join().unwrap_or_else(|_| Err(ApiError::Internal("an export's renderer panicked".into())));
                // A renderer that stopped (the client went away) makes the
                // reader's next hand-over fail: its reason is the one to report.
                rendered.and(read)
            })
        })
        .await
}

/// What the reading half of an export hands the rendering half.
enum Piece {
    Head(ExportHead),
    Items(ExportItems),
}

/// The reading half: hands each piece on.
struct Forward(std::sync::mpsc::SyncSender<Piece>);

impl Batches for Forward {
    fn head(&mut self, head: ExportHead) -> Result<(), ApiError> {
        self.0.send(Piece::Head(head)).map_err(|_| ApiError::ClientGone)
    }

    fn batch(&mut self, _conn: &mut DbConn, items: ExportItems) -> Result<(), ApiError> {
        self.0.send(Piece::Items(items)).map_err(|_| ApiError::ClientGone)
    }
}

/// Rows of a list of authors, regions …, read a batch at a time
/// (`offset`/`limit` of the query) in the export's transaction: the rows
/// of that window and the total.
pub type TableRows<V> = Box<dyn FnMut(&mut DbConn, &TaxonomyQuery) -> Result<(Vec<V>, i64), ApiError> + Send>;

/// What a table export is.
pub struct TableExportRequest<V> {
    pub query: TaxonomyQuery,
    pub rows: TableRows<V>,
    pub limit: Option<u64>,
    pub format: ListFormat,
    pub columns: &'static TableColumns,
    pub bom: bool,
}

/// Start streaming a whole list of authors, regions, topics, publishers or
/// series.
pub async fn table<V: Serialize + Send + 'static>(
    state: Arc<AppState>,
    client: Client,
    request: TableExportRequest<V>,
) -> Result<(ExportHead, impl Stream<Item = Result<Bytes, io::Error>> + 'static), ApiError> {
    state
        .exporter
        .start(client, move |conn, sink| {
            let TableExportRequest { mut query, mut rows, limit, format, columns, bom } = request;
            let snapshot = read_snapshot(conn)?;
            let mut left = limit.unwrap_or(u64::MAX);
            query.offset = 0;
            let mut writer: Option<TableWriter> = None;
            while left > 0 {
                query.limit = (export::BATCH as u64).min(left) as i64;
                let (batch, total) = rows(conn, &query)?;
                let writer = match &mut writer {
                    Some(writer) => writer,
                    None => {
                        let started = TableWriter::start(format, columns, bom, &mut sink.out)?;
                        sink.head(ExportHead {
                            total: total.min(limit.unwrap_or(u64::MAX).min(i64::MAX as u64) as i64),
                            snapshot,
                        })?;
                        writer.insert(started)
                    }
                };
                writer.rows(&batch, &mut sink.out)?;
                sink.flush()?;
                left -= batch.len() as u64;
                if (batch.len() as i64) < query.limit {
                    break;
                }
                query.offset += batch.len() as i64;
            }
            Ok(())
        })
        .await
}

#[cfg(test)]
mod tests {
    use std::sync::mpsc;

    use super::*;
    use crate::cache::Snapshot;

    fn exporter(dir: &tempfile::TempDir, stall: Duration) -> Exporter {
        let options = ExportOptions { max_concurrent: 1, per_client: 1, stall };
        Exporter::new(dir.path().join("db.sqlite").into(), PoolOptions::default(), 0, options)
    }

    fn head() -> ExportHead {
        ExportHead { total: 0, snapshot: Snapshot::UNKNOWN }
    }

    #[actix_web::test]
    async fn one_export_too_many_is_refused_until_one_ends() {
        let dir = tempfile::tempdir().unwrap();
        let exporter = exporter(&dir, Duration::from_secs(5));
        let (release, released) = mpsc::channel::<()>();
        let (alice, bob) = (Client::V4(1), Client::V4(2));
        let first = exporter
            .start(alice, move |_, sink| {
                sink.head(head())?;
                released.recv().ok();
                Ok(())
            })
            .await;
        assert!(first.is_ok());
        let same_client = exporter.start(alice, |_, sink| sink.head(head())).await;
        assert!(matches!(same_client, Err(ApiError::TooManyExports { limit: 1 })), "one client's slots are full");
        let other_client = exporter.start(bob, |_, sink| sink.head(head())).await;
        assert!(matches!(other_client, Err(ApiError::Overloaded { .. })), "the server's slots are full");
        release.send(()).unwrap();
        let started = Instant::now();
        loop {
            match exporter.start(alice, |_, sink| sink.head(head())).await {
                Ok(_) => break,
                Err(_) if started.elapsed() < Duration::from_secs(5) => {
                    actix_web::rt::time::sleep(Duration::from_millis(10)).await
                }
                Err(e) => panic!("the slots came back: {e}"),
            }
        }
    }

    #[actix_web::test]
    async fn an_export_gives_up_on_a_client_that_reads_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let exporter = exporter(&dir, Duration::from_millis(200));
        let (outcome, result) = mpsc::channel();
        let started = exporter
            .start(Client::Unknown, move |_, sink| {
                sink.head(head())?;
                let sent = (0..10_000).try_for_each(|_| {
                    sink.out.extend_from_slice(&[b'x'; 1024]);
                    sink.flush()
                });
                outcome.send(sent.is_err()).unwrap();
                sent
            })
            .await;
        let (_, body) = started.expect("the head arrives");
        let gave_up = result.recv_timeout(Duration::from_secs(10)).expect("the export ends");
        assert!(gave_up, "a stalled client ends the export");
        // What was queued is still delivered, then an error: never an end as
        // if the export were complete.
        let chunks: Vec<Result<Bytes, io::Error>> = futures_util::StreamExt::collect(body).await;
        assert!(chunks.len() > 1);
        assert!(chunks[..chunks.len() - 1].iter().all(Result::is_ok));
        assert!(chunks.last().unwrap().is_err(), "the body ends with an error");
    }
}
