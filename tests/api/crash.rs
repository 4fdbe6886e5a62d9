//! `kill -9` during a burst of writes: the server binary, killed while
//! several clients write, restarts on the same files with every
//! acknowledged write there, an intact database, and a search index that
//! catches up with it.

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use commentary_api::db::PoolOptions;
use diesel::prelude::*;
use diesel::sql_types::Text;

use crate::helpers::temp_db;

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

fn start(db: &commentary_api::db::Location, index: &std::path::Path, port: u16) -> Child {
    Command::new(env!("CARGO_BIN_EXE_commentary-api"))
        .args(["--database", &db.to_url(), "--port", &port.to_string(), "--workers", "2"])
        .arg("--index-dir")
        .arg(index)
        .env("RUST_LOG", "error")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("the server starts")
}

/// One HTTP/1.1 exchange: (status, body).
fn exchange(addr: SocketAddr, request: &str) -> Option<(u16, String)> {
    let mut stream = TcpStream::connect_timeout(&addr, Duration::from_secs(2)).ok()?;
    stream.set_read_timeout(Some(Duration::from_secs(10))).ok()?;
    stream.write_all(request.as_bytes()).ok()?;
    let mut response = Vec::new();
    stream.read_to_end(&mut response).ok()?;
    let text = String::from_utf8_lossy(&response).into_owned();
    let status = text.split(' ').nth(1)?.parse().ok()?;
    let body = text.split_once("\r\n\r\n").map(|(_, b)| b.to_owned()).unwrap_or_default();
    Some((status, body))
}

fn get(addr: SocketAddr, path: &str) -> Option<(u16, String)> {
    exchange(addr, &format!("GET {path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"))
}

fn wait_healthy(addr: SocketAddr) {
    let started = Instant::now();
    while get(addr, "/healthz").map(|(s, _)| s) != Some(200) {
        assert!(started.elapsed() < Duration::from_secs(60), "the server did not come up");
        std::thread::sleep(Duration::from_millis(100));
    }
}

#[derive(QueryableByName)]
struct Check {
    #[diesel(sql_type = Text)]
    integrity_check: String,
}

#[test]
fn kill_9_during_a_burst_of_writes_loses_no_acknowledged_write() {
    let (dir, db) = temp_db();
    let port = free_port();
    let addr: SocketAddr = format!("127.0.0.1:{port}").parse().unwrap();
    let mut server = start(&db, &dir.path().join("index"), port);
    wait_healthy(addr);
    let token = crate::writes::mint(&db, commentary_api::domain::KeyScope::Write);

    // Four clients create articles as fast as they are answered.
    let acknowledged = Arc::new(Mutex::new(Vec::<String>::new()));
    let stop = Arc::new(AtomicBool::new(false));
    let clients: Vec<_> = (0..4)
        .map(|c| {
            let (acknowledged, stop, token) = (acknowledged.clone(), stop.clone(), token.clone());
            std::thread::spawn(move || {
                for n in 0.. {
                    if stop.load(Ordering::Relaxed) {
                        break;
                    }
                    let slug = format!("burst-{c}-{n}");
                    let body = serde_json::json!({"slug": slug, "title": format!("Burst {c} {n} crashtest"),
                        "type": "news", "language": "en", "published_at": "2026-12-01", "publisher": "gmf",
                        "body": "Written during a crash test.", "topics": ["communication"]})
                    .to_string();
                    let request = format!(
                        "POST /v1/articles HTTP/1.1\r\nHost: x\r\nConnection: close\r\nAuthorization: Bearer {token}\r\n\
                         Content-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}",
                        body.len()
                    );
                    match exchange(addr, &request) {
                        Some((201, _)) => acknowledged.lock().unwrap().push(slug),
                        Some((status, body)) => assert!(status < 500 || status == 503, "{status} {body}"),
                        None => break, // the server is gone
                    }
                }
            })
        })
        .collect();
    // Let the burst run, then kill the server outright.
    let started = Instant::now();
    while acknowledged.lock().unwrap().len() < 40 && started.elapsed() < Duration::from_secs(30) {
        std::thread::sleep(Duration::from_millis(20));
    }
    server.kill().unwrap(); // SIGKILL
    server.wait().unwrap();
    stop.store(true, Ordering::Relaxed);
    for c in clients {
        c.join().unwrap();
    }
    let acknowledged = acknowledged.lock().unwrap().clone();
    assert!(acknowledged.len() >= 40, "the burst wrote {}", acknowledged.len());

    // The database is intact: integrity and foreign keys, and a card for every article.
    let mut conn = commentary_api::db::connect(&db, PoolOptions::default()).unwrap();
    // (PostgreSQL enforces its foreign keys at every commit; SQLite is asked.)
    if crate::helpers::backend() == commentary_api::db::Backend::Sqlite {
        let check: Vec<Check> = diesel::sql_query("PRAGMA integrity_check").load(&mut conn).unwrap();
        assert_eq!(check[0].integrity_check, "ok");
        let broken: Vec<Check> =
            diesel::sql_query("SELECT 'x' AS integrity_check FROM pragma_foreign_key_check").load(&mut conn).unwrap();
        assert!(broken.is_empty(), "foreign keys hold");
    }
    use commentary_api::schema::{article_cards, articles};
    let written: Vec<String> =
        articles::table.filter(articles::slug.like("burst-%")).select(articles::slug).load(&mut conn).unwrap();
    let cards: i64 = article_cards::table.count().get_result(&mut conn).unwrap();
    let total: i64 = articles::table.count().get_result(&mut conn).unwrap();
    assert_eq!(cards, total, "every article has its card");
    drop(conn);

    // Restarted, every acknowledged write is served, and the index catches up.
    let mut server = start(&db, &dir.path().join("index"), port);
    wait_healthy(addr);
    for slug in &acknowledged {
        assert_eq!(get(addr, &format!("/v1/articles/{slug}")).map(|r| r.0), Some(200), "{slug} was acknowledged");
    }
    let started = Instant::now();
    loop {
        let (status, body) = get(addr, "/v1/articles?q=crashtest&per_page=1").unwrap();
        assert_eq!(status, 200, "{body}");
        let found = serde_json::from_str::<serde_json::Value>(&body).unwrap()["meta"]["total"].as_u64().unwrap();
        if found as usize == written.len() {
            break;
        }
        assert!(started.elapsed() < Duration::from_secs(30), "the index found {found} of {}", written.len());
        std::thread::sleep(Duration::from_millis(200));
    }
    server.kill().unwrap();
    server.wait().unwrap();
}

/// `kill -9` during a first import, which writes with a rollback journal
/// rather than the WAL: the next open rolls the unfinished batch back, the
/// file is intact and in WAL mode again, and re-running the import
/// completes it.
#[test]
fn kill_9_during_a_first_import_leaves_an_intact_store_that_a_rerun_completes() {
    if crate::helpers::sqlite_only("journal modes") {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let db = commentary_api::db::Location::Sqlite(dir.path().join("import.sqlite"));
    let path = dir.path().join("import.sqlite");
    let corpus = dir.path().join("corpus.ndjson");
    let binary = env!("CARGO_BIN_EXE_commentary-api");
    let generated = Command::new(binary)
        .args(["gen-corpus", "--articles", "4000", "--seed", "7", "--authors", "200", "--output"])
        .arg(&corpus)
        .stderr(Stdio::null())
        .status()
        .unwrap();
    assert!(generated.success());
    let import = || {
        Command::new(binary)
            .args(["--database", &db.to_url(), "--no-seed", "import", "--batch-size", "400"])
            .arg(&corpus)
            .env("RUST_LOG", "error")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap()
    };
    let mut importing = import();
    // Kill it once about 2,300 articles are in the file (about 14 KB
    // each), with batches of 400 records, so that several batches remain.
    let started = Instant::now();
    while std::fs::metadata(&path).map(|m| m.len()).unwrap_or(0) < 32 << 20 {
        assert!(importing.try_wait().unwrap().is_none(), "the import ended before it could be killed");
        assert!(started.elapsed() < Duration::from_secs(120), "the import wrote too little");
        std::thread::sleep(Duration::from_millis(5));
    }
    let journal = dir.path().join("import.sqlite-journal");
    assert!(journal.exists(), "a first import writes with a rollback journal");
    importing.kill().unwrap(); // SIGKILL
    importing.wait().unwrap();

    let mut conn = commentary_api::db::connect(&db, PoolOptions::default()).unwrap();
    let check: Vec<Check> = diesel::sql_query("PRAGMA integrity_check").load(&mut conn).unwrap();
    assert_eq!(check[0].integrity_check, "ok");
    let mode: Vec<Mode> = diesel::sql_query("PRAGMA journal_mode").load(&mut conn).unwrap();
    assert_eq!(mode[0].journal_mode, "wal", "back to WAL at the next open");
    use commentary_api::schema::{article_cards, articles};
    let total: i64 = articles::table.count().get_result(&mut conn).unwrap();
    let cards: i64 = article_cards::table.count().get_result(&mut conn).unwrap();
    eprintln!("{total} articles committed before the kill");
    assert!(total > 0 && total < 4000, "killed after some batches, before the end: {total}");
    assert_eq!(cards, total, "every article has its card");
    drop(conn);

    let finished = import().wait().unwrap();
    assert!(finished.success());
    let mut conn = commentary_api::db::connect(&db, PoolOptions::default()).unwrap();
    let check: Vec<Check> = diesel::sql_query("PRAGMA integrity_check").load(&mut conn).unwrap();
    assert_eq!(check[0].integrity_check, "ok");
    assert_eq!(articles::table.count().get_result::<i64>(&mut conn).unwrap(), 4000);
    assert_eq!(article_cards::table.count().get_result::<i64>(&mut conn).unwrap(), 4000);
}

#[derive(QueryableByName)]
struct Mode {
    #[diesel(sql_type = Text)]
    journal_mode: String,
}
