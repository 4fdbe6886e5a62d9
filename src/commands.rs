//! What each subcommand does.

use std::fs::File;
use std::io;
use std::net::TcpListener;
use std::time::Instant;

use crate::config::{Cli, GenCorpusArgs, ImportArgs, KeysCommand};
use crate::db::{self, PoolOptions};
use crate::domain::Kind;
use crate::ingest::lines::Source;
use crate::ingest::{self, ImportError, ImportOptions};
use crate::models::api_key;
use crate::search::{SearchIndex, WriterOptions};
use crate::startup::{self, BoxError};
use crate::synthetic::{self, CorpusSpec};

pub fn serve(cli: &Cli) -> Result<(), BoxError> {
    crate::work::limit_malloc_arenas(cli.serve.malloc_arena_max);
    let database = cli.store.database();
    let pool = startup::open_database(&database, cli.serve.pool_options(), !cli.serve.no_seed)?;
    let listener = TcpListener::bind((cli.serve.host, cli.serve.port))?;
    tracing::info!(address = %listener.local_addr()?, reads = %database.read, writes = %database.write, "serving");
    let search = startup::open_search(&cli.store.index_dir(), &pool, true)?;
    let state = startup::AppState::new(pool, &database, search, &cli.serve.serving_options())?;
    actix_web::rt::System::new()
        .block_on(async { startup::server(listener, actix_web::web::Data::new(state), cli.serve.workers)?.await })?;
    tracing::info!("stopped");
    Ok(())
}

pub fn import(cli: &Cli, args: &ImportArgs) -> Result<(), BoxError> {
    let mut conn = db::connect(&cli.store.database().write, PoolOptions::default())?;
    db::run_migrations(&mut conn)?;
    let options = ImportOptions { batch_size: args.batch_size as usize, progress: true, ..ImportOptions::default() };
    let started = Instant::now();
    match ingest::import(&mut conn, &Source::File(args.file.clone()), &options) {
        Ok(report) => {
            let kinds = [Kind::Publisher, Kind::Series, Kind::Region, Kind::Topic, Kind::Author, Kind::Article];
            eprintln!("imported {} records from {} in {:.2?}", report.records, args.file.display(), started.elapsed());
            let journal = if report.without_wal { " (into an empty store: rollback journal, not the WAL)" } else { "" };
            eprintln!("  checked in {:.2?}, written in {:.2?}{journal}", report.validate_time, report.write_time);
            for kind in kinds {
                let t = report.written.by_kind.get(&kind).copied().unwrap_or_default();
                if t.created + t.updated + t.unchanged > 0 {
                    eprintln!(
                        "  {:<9} {:>8} created {:>8} updated {:>8} unchanged",
                        kind.as_str(),
                        t.created,
                        t.updated,
                        t.unchanged
                    );
                }
            }
            Ok(())
        }
        Err(ImportError::Invalid(errors)) => {
            for e in &errors {
                eprintln!("{}: {e}", args.file.display());
            }
            Err(format!("{} problem(s) found; nothing was written", errors.len()).into())
        }
        Err(e) => Err(e.into()),
    }
}

pub fn print_openapi() -> Result<(), BoxError> {
    print!("{}", startup::openapi_json());
    Ok(())
}

pub fn gen_corpus(args: &GenCorpusArgs) -> Result<(), BoxError> {
    let spec = CorpusSpec { articles: args.articles, seed: args.seed, authors: args.authors };
    let started = Instant::now();
    // `write_corpus` buffers, so neither target needs a buffer of its own.
    let stats = match &args.output {
        Some(path) => synthetic::write_corpus(&spec, &mut File::create(path)?)?,
        None => synthetic::write_corpus(&spec, &mut io::stdout().lock())?,
    };
    eprintln!(
        "generated {} records ({} publishers, {} series, {} regions, {} topics, {} authors, {} articles; \
         {} body words), {} bytes in {:.2}s",
        stats.records(),
        stats.publishers,
        stats.series,
        stats.regions,
        stats.topics,
        stats.authors,
        stats.articles,
        stats.body_words,
        stats.bytes,
        started.elapsed().as_secs_f64()
    );
    Ok(())
}

pub fn reindex(cli: &Cli) -> Result<(), BoxError> {
    let database = cli.store.database();
    db::run_migrations(&mut db::connect(&database.write, PoolOptions::default())?)?;
    let mut conn = db::connect(&database.read, PoolOptions::default())?;
    let dir = cli.store.index_dir();
    let index = SearchIndex::open(&dir, WriterOptions::BUILDING)
        .map_err(|e| format!("{e} (is a server using {}? stop it first)", dir.display()))?;
    let started = Instant::now();
    let bar = startup::indexing_bar();
    let n = index.rebuild(&mut conn, Some(&bar))?;
    bar.finish_and_clear();
    eprintln!("indexed {n} articles into {} in {:.2?}", dir.display(), started.elapsed());
    Ok(())
}

pub fn keys(cli: &Cli, command: &KeysCommand) -> Result<(), BoxError> {
    let mut conn = db::connect(&cli.store.database().write, PoolOptions::default())?;
    db::run_migrations(&mut conn)?;
    match command {
        KeysCommand::Create { name, scope } => {
            let key = db::write_transaction(&mut conn, |c| api_key::create(c, name, *scope))?;
            eprintln!(
                "created {} key {} ({}) `{}`; keep the token, it is not shown again:",
                scope, key.row.id, key.row.prefix, name
            );
            println!("{}", key.token);
        }
        KeysCommand::List => {
            println!("{:>4}  {:<12}  {:<5}  {:<19}  {:<19}  name", "id", "prefix", "scope", "created", "revoked");
            for k in api_key::list(&mut conn)? {
                let revoked = k.revoked_at.map(|t| t.format("%Y-%m-%d %H:%M:%S").to_string()).unwrap_or_default();
                println!(
                    "{:>4}  {:<12}  {:<5}  {:<19}  {:<19}  {}",
                    k.id,
                    k.prefix,
                    k.scope,
                    k.created_at.format("%Y-%m-%d %H:%M:%S"),
                    revoked,
                    k.name
                );
            }
        }
        KeysCommand::Revoke { key } => {
            if !db::write_transaction(&mut conn, |c| api_key::revoke(c, key))? {
                return Err(format!("no live key has the id or prefix `{key}`").into());
            }
            eprintln!("revoked key `{key}`");
        }
    }
    Ok(())
}
