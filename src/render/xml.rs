//! Text that XML 1.0 can carry.

use std::borrow::Cow;

/// Whether XML 1.0 allows `c` in a document (the `Char` production:
/// tab, newline, carriage return, and everything from U+0020 but U+FFFE and
/// U+FFFF; Rust's `char` already excludes the surrogates).
fn allowed(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r') || (c >= '\u{20}' && c != '\u{FFFE}' && c != '\u{FFFF}')
}

/// `text` without the characters XML 1.0 forbids (stripped, not replaced:
/// they carry nothing a reader could show).
pub fn clean(text: &str) -> Cow<'_, str> {
    if text.chars().all(allowed) {
        Cow::Borrowed(text)
    } else {
        Cow::Owned(text.chars().filter(|c| allowed(*c)).collect())
    }
}

#[cfg(test)]
mod tests {
    use super::clean;

    #[test]
    fn forbidden_characters_go_and_everything_else_stays() {
        assert_eq!(clean("a\u{0}b\u{1b}c\u{FFFE}d\u{FFFF}"), "abcd");
        assert_eq!(clean("tab\tnl\ncr\r"), "tab\tnl\ncr\r");
        let kept = "日本語 العربية 😀 \u{202E}x \u{85}";
        assert_eq!(clean(kept), kept);
    }
}
