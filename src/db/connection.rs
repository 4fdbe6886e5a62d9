//! One connection type for both stores: SQLite (the embedded default) and
//! PostgreSQL (the scale-out backend). Queries are written once in Diesel's
//! typed DSL against `DbConn`; the few places where the two differ match on
//! the variant, and only in this folder.

use std::fmt;
use std::path::{Path, PathBuf};

use diesel::pg::PgConnection;
use diesel::sqlite::SqliteConnection;

/// A connection to either store.
#[derive(diesel::MultiConnection)]
pub enum DbConn {
    Sqlite(SqliteConnection),
    Pg(PgConnection),
}

/// Run `$body` with `$c` bound to the backend's own connection: for the
/// statements Diesel's multi-backend connection cannot build (a batch
/// insert of rows with optional columns, `RETURNING` a whole row), written
/// once and compiled for each backend.
#[macro_export]
macro_rules! on_backend {
    ($conn:expr, |$c:ident| $body:expr) => {
        match $conn {
            $crate::db::DbConn::Sqlite($c) => $body,
            $crate::db::DbConn::Pg($c) => $body,
        }
    };
}

/// Which store a connection talks to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

impl Backend {
    pub fn as_str(self) -> &'static str {
        match self {
            Backend::Sqlite => "sqlite",
            Backend::Postgres => "postgres",
        }
    }
}

impl DbConn {
    pub fn backend(&self) -> Backend {
        match self {
            DbConn::Sqlite(_) => Backend::Sqlite,
            DbConn::Pg(_) => Backend::Postgres,
        }
    }
}

/// Where a database is: a SQLite file, or a PostgreSQL connection URL.
#[derive(Clone, PartialEq, Eq)]
pub enum Location {
    Sqlite(PathBuf),
    Postgres(String),
}

impl Location {
    /// `postgres://…` and `postgresql://…` name PostgreSQL; anything else is
    /// a SQLite file (`sqlite://path`, `sqlite:path` or a bare path).
    pub fn parse(raw: &str) -> Location {
        if raw.starts_with("postgres://") || raw.starts_with("postgresql://") {
            return Location::Postgres(raw.to_owned());
        }
        let path = raw.strip_prefix("sqlite://").or_else(|| raw.strip_prefix("sqlite:")).unwrap_or(raw);
        Location::Sqlite(PathBuf::from(path))
    }

    pub fn backend(&self) -> Backend {
        match self {
            Location::Sqlite(_) => Backend::Sqlite,
            Location::Postgres(_) => Backend::Postgres,
        }
    }

    /// What `--database` takes to name this location (a PostgreSQL URL
    /// with its password: not for logs).
    pub fn to_url(&self) -> String {
        match self {
            Location::Sqlite(path) => path.to_string_lossy().into_owned(),
            Location::Postgres(url) => url.clone(),
        }
    }

    /// The SQLite file, if this is one.
    pub fn sqlite_path(&self) -> Option<&Path> {
        match self {
            Location::Sqlite(path) => Some(path),
            Location::Postgres(_) => None,
        }
    }
}

impl From<&Path> for Location {
    fn from(path: &Path) -> Self {
        Location::Sqlite(path.to_owned())
    }
}

impl From<PathBuf> for Location {
    fn from(path: PathBuf) -> Self {
        Location::Sqlite(path)
    }
}

/// Logs and errors show a location without its password.
impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Location::Sqlite(path) => write!(f, "{}", path.display()),
            Location::Postgres(url) => f.write_str(&redact_password(url)),
        }
    }
}

impl fmt::Debug for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

/// `postgres://user:secret@host/db` → `postgres://user:***@host/db`.
fn redact_password(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else { return url.to_owned() };
    let Some((credentials, host)) = rest.split_once('@') else { return url.to_owned() };
    match credentials.split_once(':') {
        Some((user, _)) => format!("{scheme}://{user}:***@{host}"),
        None => url.to_owned(),
    }
}

/// Where a node reads and where it writes: the same database, or (on
/// PostgreSQL) a hot standby for reads and the primary for writes,
/// migrations and the seed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Database {
    pub read: Location,
    pub write: Location,
}

impl Database {
    /// Reads and writes on one database.
    pub fn single(location: Location) -> Database {
        Database { read: location.clone(), write: location }
    }

    /// Reads come from another database than writes go to (a replica).
    pub fn is_replicated(&self) -> bool {
        self.read != self.write
    }
}

impl From<Location> for Database {
    fn from(location: Location) -> Self {
        Database::single(location)
    }
}

impl From<&Location> for Database {
    fn from(location: &Location) -> Self {
        Database::single(location.clone())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_choose_the_backend() {
        assert_eq!(Location::parse("postgres://u@h/db").backend(), Backend::Postgres);
        assert_eq!(Location::parse("postgresql://u@h/db").backend(), Backend::Postgres);
        assert_eq!(Location::parse("sqlite://data/x.sqlite"), Location::Sqlite("data/x.sqlite".into()));
        assert_eq!(Location::parse("sqlite:x.sqlite"), Location::Sqlite("x.sqlite".into()));
        assert_eq!(Location::parse("data/x.sqlite"), Location::Sqlite("data/x.sqlite".into()));
    }

    #[test]
    fn passwords_stay_out_of_logs() {
        let shown = Location::parse("postgres://app:hunter2@db:5432/corpus").to_string();
        assert_eq!(shown, "postgres://app:***@db:5432/corpus");
        assert_eq!(Location::parse("postgres://app@db/corpus").to_string(), "postgres://app@db/corpus");
    }
}
