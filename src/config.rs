//! Settings: defaults, then environment variables, then flags (clap reads
//! both). Passed down explicitly; there is no global.

use std::net::IpAddr;
use std::path::PathBuf;

use crate::db::{Database, Location};
use std::time::Duration;

use clap::{Args, Parser, Subcommand};

#[derive(Debug, Clone, Parser)]
#[command(name = "commentary-api", version, about = "A JSON REST API for policy-commentary data")]
pub struct Cli {
    #[command(flatten)]
    pub store: StoreArgs,
    #[command(flatten)]
    pub serve: ServeArgs,
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Clone, Subcommand)]
pub enum Command {
    /// Serve the API (the default when no command is given).
    Serve,
    /// Load an NDJSON corpus (see README, "Import format").
    Import(ImportArgs),
    /// Print the OpenAPI document.
    Openapi,
    /// Rebuild the search index from the database (stop the server first).
    Reindex,
    /// Write a deterministic synthetic corpus as NDJSON (stdout unless --output).
    GenCorpus(GenCorpusArgs),
    /// Mint, list and revoke the API keys writes need.
    #[command(subcommand)]
    Keys(KeysCommand),
}

#[derive(Debug, Clone, Subcommand)]
pub enum KeysCommand {
    /// Mint a key; its token is printed once, on stdout, and never again.
    Create {
        /// Who or what the key is for (shown by `keys list`).
        #[arg(long)]
        name: String,
        /// `write` creates, edits, unpublishes and republishes; `admin` also deletes.
        #[arg(long, default_value = "write", value_parser = parse_scope)]
        scope: crate::domain::KeyScope,
    },
    /// List the keys (never their secrets).
    List,
    /// Revoke a key by id or prefix; requests with it get 401 from then on.
    Revoke {
        /// The key's id or prefix, as `keys list` shows them.
        key: String,
    },
}

fn parse_scope(raw: &str) -> Result<crate::domain::KeyScope, String> {
    raw.parse().map_err(|e: crate::domain::UnknownWord| e.to_string())
}

#[derive(Debug, Clone, Args)]
pub struct StoreArgs {
    /// The database reads come from: a SQLite file (created and migrated
    /// when missing; `sqlite://path` also works) or a PostgreSQL URL
    /// (`postgres://user:password@host:port/db`), e.g. the node's local hot
    /// standby.
    #[arg(long = "database", env = "DATABASE_URL", default_value = "data/commentary.sqlite", global = true)]
    pub database: String,
    /// Where writes, migrations and the seed go, when not to `--database`:
    /// the PostgreSQL primary of the standby `--database` names.
    #[arg(long = "write-database", env = "WRITE_DATABASE_URL", global = true)]
    pub write_database: Option<String>,
    /// Directory of the search index (derived from the database; default:
    /// `<database>.index` beside a SQLite file, `data/postgres.index` for
    /// PostgreSQL). Each node keeps its own.
    #[arg(long = "index-dir", env = "INDEX_DIR", global = true)]
    pub index_dir: Option<PathBuf>,
}

impl StoreArgs {
    /// The search index's directory: `--index-dir`, else beside the database.
    pub fn index_dir(&self) -> PathBuf {
        self.index_dir.clone().unwrap_or_else(|| match self.location() {
            Location::Sqlite(path) => crate::search::default_dir(&path),
            Location::Postgres(_) => PathBuf::from("data/postgres.index"),
        })
    }

    /// The database `--database` names.
    pub fn location(&self) -> Location {
        Location::parse(&self.database)
    }

    /// Where the node reads and where it writes.
    pub fn database(&self) -> Database {
        let read = self.location();
        let write = self.write_database.as_deref().map(Location::parse).unwrap_or_else(|| read.clone());
        Database { read, write }
    }
}

#[derive(Debug, Clone, Args)]
pub struct ServeArgs {
    /// Address to listen on (`0.0.0.0` in containers).
    #[arg(long, env = "HOST", default_value = "127.0.0.1")]
    pub host: IpAddr,
    /// Port to listen on.
    #[arg(long, env = "PORT", default_value_t = 8080)]
    pub port: u16,
    /// HTTP worker threads (default: one per core).
    #[arg(long, env = "WORKERS")]
    pub workers: Option<usize>,
    /// Database connections in the pool.
    #[arg(long, env = "DB_POOL_SIZE", default_value_t = 4)]
    pub pool_size: u32,
    /// The longest a request waits for a pooled connection, in
    /// milliseconds (then 503 with `Retry-After`).
    #[arg(long, env = "DB_POOL_TIMEOUT_MS", default_value_t = 1_000)]
    pub pool_timeout_ms: u64,
    /// Threads running searches, facets, histograms and suggestions (each
    /// with its own connection; default: one per core).
    #[arg(long, env = "SEARCH_THREADS")]
    pub search_threads: Option<usize>,
    /// Such requests that may wait for a thread; more get a fast 503.
    #[arg(long, env = "SEARCH_QUEUE", default_value_t = 64)]
    pub search_queue: usize,
    /// The longest such a request may compute, in milliseconds (then 503).
    #[arg(long, env = "SEARCH_DEADLINE_MS", default_value_t = 3_000)]
    pub search_deadline_ms: u64,
    /// The longest a request waits for the search index to catch up with
    /// the latest write, in milliseconds (then it answers from the state
    /// the index has, tagged as such).
    #[arg(long, env = "INDEX_WAIT_MS", default_value_t = 500)]
    pub index_wait_ms: u64,
    /// Exports (CSV, NDJSON, citations of a whole list) streaming at once,
    /// each on its own thread and connection; one more gets a 503.
    #[arg(long, env = "MAX_EXPORTS", default_value_t = 4)]
    pub max_exports: usize,
    /// Exports one client (an API key, an address) may stream at once; one
    /// more gets a 429.
    #[arg(long, env = "MAX_EXPORTS_PER_CLIENT", default_value_t = 2)]
    pub max_exports_per_client: usize,
    /// The longest an export waits for a client that reads nothing, in
    /// seconds, before it drops the connection.
    #[arg(long, env = "EXPORT_STALL_SECS", default_value_t = 30)]
    pub export_stall_secs: u64,
    /// SQLite page cache per connection, in MiB (the operating system
    /// caches the file too; 4 MiB served lists no faster, measured).
    #[arg(long, env = "DB_CACHE_MIB", default_value_t = 1)]
    pub db_cache_mib: u32,
    /// Memory for cached responses, in MiB (0 turns the response cache off).
    #[arg(long, env = "RESPONSE_CACHE_MIB", default_value_t = 8)]
    pub response_cache_mib: u64,
    /// Memory arenas the allocator may keep (glibc on Linux; 0: glibc's
    /// own limit of eight per core). Two held the server's peak memory
    /// ~7 MiB lower at 100k articles (BENCHMARKS.md).
    #[arg(long, env = "MALLOC_ARENA_MAX", default_value_t = 2)]
    pub malloc_arena_max: u32,
    /// `Cache-Control: max-age` of successful answers, in seconds.
    #[arg(long, env = "CACHE_MAX_AGE", default_value_t = 60)]
    pub cache_max_age: u32,
    /// How long a read of the data version is trusted, in milliseconds: the
    /// longest a change made by another process (an import) can go unseen.
    #[arg(long, env = "DATA_VERSION_TTL_MS", default_value_t = 100)]
    pub data_version_ttl_ms: u64,
    /// Do not load the bundled seed corpus into an empty database.
    #[arg(long, env = "NO_SEED", default_value_t = false)]
    pub no_seed: bool,
    /// The public base URL absolute links (feeds) start with, e.g.
    /// `https://api.example.org` (default: the request's own scheme and host).
    #[arg(long, env = "PUBLIC_URL", value_parser = parse_public_url)]
    pub public_url: Option<String>,
    /// Largest request body a write accepts, in KiB (then 413).
    #[arg(long, env = "MAX_BODY_KIB", default_value_t = 8_192)]
    pub max_body_kib: usize,
    /// The longest a write waits for the writes before it, in milliseconds
    /// (then 503 with `Retry-After`).
    #[arg(long, env = "WRITE_WAIT_MS", default_value_t = 5_000)]
    pub write_wait_ms: u64,
    /// Log format: `text` or `json`.
    #[arg(long, env = "LOG_FORMAT", default_value = "text")]
    pub log_format: LogFormat,
    /// Rate limits on `/v1`: units per window for each client without an API
    /// key, by address (a full answer takes 2 units, a 304 takes 1); 0 turns
    /// rate limits off.
    #[arg(long, env = "RATE_LIMIT_ANONYMOUS", default_value_t = 0)]
    pub rate_limit_anonymous: u32,
    /// Units per window for each API key (default: ten times
    /// `--rate-limit-anonymous`; no effect while that is 0).
    #[arg(long, env = "RATE_LIMIT_KEY", value_parser = clap::value_parser!(u32).range(1..))]
    pub rate_limit_key: Option<u32>,
    /// The length of a rate-limit window, in seconds.
    #[arg(
        long,
        env = "RATE_LIMIT_WINDOW_SECS",
        default_value_t = 60,
        value_parser = clap::value_parser!(u32).range(1..=86_400)
    )]
    pub rate_limit_window: u32,
    /// The most clients whose rate-limit windows are held at a time (about
    /// 45 bytes each); past it, ended windows are forgotten first, then the
    /// earliest-started.
    #[arg(
        long,
        env = "RATE_LIMIT_PARTITIONS",
        default_value_t = 100_000,
        value_parser = clap::value_parser!(u64).range(1..)
    )]
    pub rate_limit_partitions: u64,
    /// Count anonymous clients by the address in `Forwarded` /
    /// `X-Forwarded-For` rather than the connection's. Only behind a proxy
    /// that sets that header: otherwise any client can name itself.
    #[arg(long, env = "TRUST_FORWARDED_FOR", default_value_t = false)]
    pub trust_forwarded_for: bool,
    /// The longest a read waits for this node's replica to replay a
    /// version it must show (`X-Min-Data-Version`, or this node's own
    /// latest write) before a 503, in milliseconds.
    #[arg(long, env = "REPLICA_WAIT_MS", default_value_t = 1_000, value_parser = clap::value_parser!(u64).range(0..=60_000))]
    pub replica_wait_ms: u64,
}

impl ServeArgs {
    pub fn pool_options(&self) -> crate::db::PoolOptions {
        crate::db::PoolOptions {
            max_size: self.pool_size.max(1),
            cache_kib: self.db_cache_mib * 1024,
            connection_timeout: Duration::from_millis(self.pool_timeout_ms.max(1)),
            background_checkpoints: true,
            ..Default::default()
        }
    }

    pub fn cache_settings(&self) -> crate::cache::CacheSettings {
        crate::cache::CacheSettings {
            response_bytes: self.response_cache_mib << 20,
            max_age: self.cache_max_age,
            version_ttl: Duration::from_millis(self.data_version_ttl_ms),
            ..Default::default()
        }
    }

    pub fn serving_options(&self) -> crate::state::ServingOptions {
        let defaults = crate::work::HeavyOptions::default();
        crate::state::ServingOptions {
            cache: self.cache_settings(),
            heavy: crate::work::HeavyOptions {
                threads: self.search_threads.unwrap_or(defaults.threads).max(1),
                queue: self.search_queue,
                ..defaults
            },
            search_deadline: Duration::from_millis(self.search_deadline_ms.max(1)),
            index_wait: Duration::from_millis(self.index_wait_ms),
            connections: self.pool_options(),
            public_url: self.public_url.clone(),
            writes: crate::state::WriteOptions {
                max_body_bytes: self.max_body_kib.max(1) << 10,
                wait: Duration::from_millis(self.write_wait_ms.max(1)),
            },
            rate_limits: self.rate_limit_options(),
            exports: crate::services::exports::ExportOptions {
                max_concurrent: self.max_exports.max(1),
                per_client: self.max_exports_per_client.max(1),
                stall: Duration::from_secs(self.export_stall_secs.max(1)),
            },
            replica_wait: Duration::from_millis(self.replica_wait_ms),
        }
    }

    pub fn rate_limit_options(&self) -> crate::limits::RateLimitOptions {
        crate::limits::RateLimitOptions {
            anonymous: self.rate_limit_anonymous,
            key: self.rate_limit_key,
            window_secs: self.rate_limit_window,
            partitions: usize::try_from(self.rate_limit_partitions).unwrap_or(usize::MAX),
            trust_forwarded_for: self.trust_forwarded_for,
        }
    }
}

/// An absolute `http` or `https` URL without query or fragment; kept
/// without its trailing slash.
fn parse_public_url(raw: &str) -> Result<String, String> {
    let rest = raw
        .strip_prefix("https://")
        .or_else(|| raw.strip_prefix("http://"))
        .ok_or("must start with http:// or https://")?;
    if rest.is_empty() || rest.starts_with('/') {
        return Err("must name a host".into());
    }
    if rest.contains(['?', '#']) || rest.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err("must have no query, fragment or spaces".into());
    }
    Ok(raw.trim_end_matches('/').to_owned())
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum LogFormat {
    Text,
    Json,
}

#[derive(Debug, Clone, Args)]
pub struct ImportArgs {
    /// The NDJSON file to load.
    pub file: PathBuf,
    /// Records per write transaction (1 to 10,000).
    #[arg(long, default_value_t = 2_000, value_parser = clap::value_parser!(u32).range(1..=10_000))]
    pub batch_size: u32,
}

#[derive(Debug, Clone, Args)]
pub struct GenCorpusArgs {
    /// Articles to generate.
    #[arg(long, default_value_t = 100_000)]
    pub articles: u64,
    /// Seed of the random stream; the same seed gives the same file.
    #[arg(long, default_value_t = 42)]
    pub seed: u64,
    /// Authors to generate (the articles' bylines draw on them).
    #[arg(long, default_value_t = 2_000)]
    pub authors: usize,
    /// Write to this file instead of stdout.
    #[arg(long, value_name = "FILE")]
    pub output: Option<PathBuf>,
}

#[cfg(test)]
mod tests {
    use clap::Parser;

    use super::{parse_public_url, Cli};

    #[test]
    fn two_allocator_arenas_unless_told() {
        assert_eq!(Cli::try_parse_from(["api"]).unwrap().serve.malloc_arena_max, 2);
        let glibc = Cli::try_parse_from(["api", "--malloc-arena-max", "0"]).unwrap();
        assert_eq!(glibc.serve.malloc_arena_max, 0);
        assert!(Cli::try_parse_from(["api", "--malloc-arena-max", "-1"]).is_err());
    }

    #[test]
    fn public_urls_are_absolute_and_plain() {
        assert_eq!(parse_public_url("https://api.example.org/").unwrap(), "https://api.example.org");
        assert_eq!(parse_public_url("http://localhost:8080/api").unwrap(), "http://localhost:8080/api");
        for bad in ["api.example.org", "https://", "https:///x", "ftp://x", "https://x/?a=1", "https://x y"] {
            assert!(parse_public_url(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn rate_limits_are_off_unless_an_anonymous_quota_is_given() {
        let parse = |args: &[&str]| Cli::try_parse_from([&["commentary-api"], args].concat());
        let off = parse(&[]).unwrap().serve.rate_limit_options();
        assert_eq!((off.anonymous, off.key, off.window_secs, off.partitions), (0, None, 60, 100_000));
        assert!(!off.trust_forwarded_for);
        let on = parse(&["--rate-limit-anonymous", "1200", "--rate-limit-window", "30", "--trust-forwarded-for"]);
        let on = on.unwrap().serve.rate_limit_options();
        assert_eq!((on.anonymous, on.key, on.window_secs, on.trust_forwarded_for), (1200, None, 30, true));
        assert!(parse(&["--rate-limit-window", "0"]).is_err());
        assert!(parse(&["--rate-limit-key", "0"]).is_err());
        assert!(parse(&["--rate-limit-partitions", "0"]).is_err());
    }
}
