//! Text that XML 1.0 can carry, and small helpers to write elements with
//! quick-xml. Text and attribute values are escaped here, in one pass over
//! the bytes (quick-xml's own escaping, character by character, was a tenth
//! of a feed's time), and handed to quick-xml as escaped; HTML goes in
//! CDATA sections, so a page of it is copied, not escaped twice.

use std::borrow::Cow;
use std::io;

use quick_xml::events::attributes::Attribute;
use quick_xml::events::{BytesCData, BytesEnd, BytesStart, BytesText, Event};
use quick_xml::Writer;

pub type XmlWriter = Writer<Vec<u8>>;

/// Runs `write` with a writer that appends to `out`.
pub fn with_writer(out: &mut Vec<u8>, write: impl FnOnce(&mut XmlWriter) -> io::Result<()>) -> io::Result<()> {
    let mut w = Writer::new(std::mem::take(out));
    let result = write(&mut w);
    *out = w.into_inner();
    result
}

/// `text` with `&`, `<`, `>`, `"` and `'` escaped (borrowed when none is
/// there).
pub fn escaped(text: &str) -> Cow<'_, str> {
    if !any_byte(text.as_bytes(), |b| (b == b'&') | (b == b'<') | (b == b'>') | (b == b'"') | (b == b'\'')) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 16);
    super::html::escape_into(&mut out, text);
    Cow::Owned(out)
}

fn start<'a>(name: &'a str, attrs: &[(&str, &str)]) -> BytesStart<'a> {
    let mut start = BytesStart::new(name);
    for (key, value) in attrs {
        let value = escaped(value);
        start.push_attribute(Attribute::from((key.as_bytes(), value.as_bytes())));
    }
    start
}

/// `<name attr="…">text</name>`.
pub fn element(w: &mut XmlWriter, name: &str, attrs: &[(&str, &str)], text: &str) -> io::Result<()> {
    w.write_event(Event::Start(start(name, attrs)))?;
    w.write_event(Event::Text(BytesText::from_escaped(escaped(text))))?;
    w.write_event(Event::End(BytesEnd::new(name)))
}

/// `<name attr="…"><![CDATA[html]]></name>` (a `]]>` in the text splits
/// the section).
pub fn html_element(w: &mut XmlWriter, name: &str, attrs: &[(&str, &str)], html: &str) -> io::Result<()> {
    w.write_event(Event::Start(start(name, attrs)))?;
    for section in BytesCData::escaped(html) {
        w.write_event(Event::CData(section))?;
    }
    w.write_event(Event::End(BytesEnd::new(name)))
}

/// `<name attr="…"/>`.
pub fn empty(w: &mut XmlWriter, name: &str, attrs: &[(&str, &str)]) -> io::Result<()> {
    w.write_event(Event::Empty(start(name, attrs)))
}

/// Whether XML 1.0 allows `c` in a document (the `Char` production:
/// tab, newline, carriage return, and everything from U+0020 but U+FFFE and
/// U+FFFF; Rust's `char` already excludes the surrogates).
fn allowed(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r') || (c >= '\u{20}' && c != '\u{FFFE}' && c != '\u{FFFF}')
}

/// `text` without the characters XML 1.0 forbids (stripped, not replaced:
/// they carry nothing a reader could show).
pub fn clean(text: &str) -> Cow<'_, str> {
    // Control characters are single bytes below 0x20; U+FFFE and U+FFFF
    // start with 0xEF. Text with neither needs no closer look.
    if !any_byte(text.as_bytes(), |b| (b < 0x20) | (b == 0xEF)) || text.chars().all(allowed) {
        Cow::Borrowed(text)
    } else {
        Cow::Owned(text.chars().filter(|c| allowed(*c)).collect())
    }
}

/// Whether any byte of `bytes` is one `hit` picks: a branch-free test per
/// block of 32 bytes, which the compiler turns into vector compares (feeds
/// scan every text they write).
#[inline]
fn any_byte(bytes: &[u8], hit: impl Fn(u8) -> bool) -> bool {
    let mut blocks = bytes.chunks_exact(32);
    for block in &mut blocks {
        if block.iter().fold(false, |found, &b| found | hit(b)) {
            return true;
        }
    }
    blocks.remainder().iter().any(|&b| hit(b))
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
