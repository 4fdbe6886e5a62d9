//! Slugs for generated names and titles, unique within their kind.

use std::collections::HashSet;

use crate::domain::fold;

/// Lowercase ASCII words joined by hyphens: accents folded away, every
/// other run of non-alphanumerics a hyphen, cut at a word boundary to at
/// most `max_len` bytes.
pub fn slugify(text: &str, max_len: usize) -> String {
    let mut slug = String::with_capacity(text.len().min(max_len));
    let mut pending_hyphen = false;
    let mut buf = [0u8; 4];
    for c in fold(text).chars() {
        let ascii: &str = match c {
            'a'..='z' | '0'..='9' => c.encode_utf8(&mut buf),
            // Letters that Unicode decomposition leaves alone.
            'ø' => "o",
            'ł' => "l",
            'ı' => "i",
            'đ' => "d",
            'æ' => "ae",
            'œ' => "oe",
            'ß' => "ss",
            _ => {
                pending_hyphen = true;
                continue;
            }
        };
        if pending_hyphen && !slug.is_empty() {
            slug.push('-');
        }
        pending_hyphen = false;
        slug.push_str(ascii);
    }
    if slug.len() > max_len {
        let cut = slug[..=max_len].rfind('-').unwrap_or(max_len);
        slug.truncate(cut);
    }
    slug
}

/// The slugs handed out so far, as 64-bit hashes: enough to tell a repeat
/// (a false alarm costs only a needless suffix), at a fraction of the
/// memory of the strings.
#[derive(Default)]
pub struct SlugSet {
    seen: HashSet<u64>,
}

impl SlugSet {
    /// `base`, or `base-2`, `base-3`, … if taken.
    pub fn claim(&mut self, base: String) -> String {
        if self.seen.insert(fnv1a(&base)) {
            return base;
        }
        (2u32..)
            .map(|n| format!("{base}-{n}"))
            .find(|candidate| self.seen.insert(fnv1a(candidate)))
            .expect("some suffix is free")
    }
}

/// FNV-1a: fixed by definition, unlike std's hasher, so the suffixes (and
/// the corpus) cannot change with the Rust version.
fn fnv1a(s: &str) -> u64 {
    s.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds_and_joins() {
        assert_eq!(slugify("TOKIWA Shin", 120), "tokiwa-shin");
        assert_eq!(slugify("Côte d'Ivoire", 120), "cote-d-ivoire");
        assert_eq!(slugify("Søren Łukasz O'Brien", 120), "soren-lukasz-o-brien");
        assert_eq!(slugify("Japan–China Relations: What Next?", 120), "japan-china-relations-what-next");
        assert_eq!(slugify("alpha beta gamma", 12), "alpha-beta");
    }

    #[test]
    fn repeats_get_a_suffix() {
        let mut set = SlugSet::default();
        assert_eq!(set.claim("a".into()), "a");
        assert_eq!(set.claim("a".into()), "a-2");
        assert_eq!(set.claim("a".into()), "a-3");
    }
}
