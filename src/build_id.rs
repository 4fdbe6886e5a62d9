//! The identity of the running build: a hash of the executable itself.
//!
//! ETags combine it with the data version, so a deploy that changes any
//! representation (new fields, another format, a fix) retires every tag a
//! client holds, and nodes running the same binary agree on their tags.
//! Hashing the file needs no build script and catches every change, even
//! an uncommitted one.

use std::sync::OnceLock;

/// Sixteen hex digits naming this build (the crate version when the
/// executable cannot be read).
pub fn build_id() -> &'static str {
    static ID: OnceLock<String> = OnceLock::new();
    ID.get_or_init(|| {
        std::env::current_exe().and_then(|path| hash_file(&path)).unwrap_or_else(|e| {
            tracing::warn!(error = %e, "cannot read the executable; the build identity is the crate version");
            format!("v{}", env!("CARGO_PKG_VERSION"))
        })
    })
}

/// When the executable was written (the `Last-Modified` of what only the
/// build decides: the spec and the docs).
pub fn built_at() -> Option<chrono::DateTime<chrono::Utc>> {
    static AT: OnceLock<Option<chrono::DateTime<chrono::Utc>>> = OnceLock::new();
    *AT.get_or_init(|| {
        let modified = std::env::current_exe().and_then(std::fs::metadata).and_then(|m| m.modified()).ok()?;
        Some(chrono::DateTime::<chrono::Utc>::from(modified))
    })
}

fn hash_file(path: &std::path::Path) -> std::io::Result<String> {
    let mut hasher = blake3::Hasher::new();
    hasher.update_reader(std::fs::File::open(path)?)?;
    Ok(hasher.finalize().to_hex()[..16].to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_build_is_named_by_its_executable() {
        let id = build_id();
        assert_eq!(id.len(), 16);
        assert_eq!(id, hash_file(&std::env::current_exe().unwrap()).unwrap());
        let dir = tempfile::tempdir().unwrap();
        let other = dir.path().join("other");
        std::fs::write(&other, b"another build").unwrap();
        assert_ne!(hash_file(&other).unwrap(), id);
    }
}
