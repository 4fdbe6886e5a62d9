//! Name folding for case- and accent-insensitive matching: `Économie`,
//! `ÉCONOMIE` and `economie` (composed or decomposed) fold the same.

use unicode_normalization::char::is_combining_mark;
use unicode_normalization::UnicodeNormalization;

/// Lowercase, compatibility-decomposed, without combining marks, with runs
/// of whitespace collapsed to one space.
pub fn fold(s: &str) -> String {
    let stripped: String = s.nfkd().filter(|c| !is_combining_mark(*c)).flat_map(char::to_lowercase).collect();
    stripped.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::fold;

    #[test]
    fn folds_case_accents_and_forms() {
        assert_eq!(fold("Économie"), "economie");
        assert_eq!(fold("E\u{301}conomie"), "economie");
        assert_eq!(fold("  SUGITA   Hiroki "), "sugita hiroki");
    }
}
