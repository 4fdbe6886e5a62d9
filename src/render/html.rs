//! The HTML inside feed entries: the body as paragraphs, the byline and the
//! attribution (publisher, series, original source, translation), all text
//! escaped. Written into one buffer.

use std::fmt::Write as _;

use super::feed::Entry;

/// `text` with `&`, `<`, `>`, `"` and `'` escaped, appended to `out`.
pub fn escape_into(out: &mut String, text: &str) {
    let mut start = 0;
    for (i, b) in text.bytes().enumerate() {
        let replacement = match b {
            b'&' => "&amp;",
            b'<' => "&lt;",
            b'>' => "&gt;",
            b'"' => "&quot;",
            b'\'' => "&#39;",
            _ => continue,
        };
        out.push_str(&text[start..i]);
        out.push_str(replacement);
        start = i + 1;
    }
    out.push_str(&text[start..]);
}

/// `text`, escaped.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    escape_into(&mut out, text);
    out
}

/// A plain-text body (paragraphs separated by a blank line) as HTML
/// paragraphs; a single line break within one becomes `<br>`.
pub fn paragraphs_into(out: &mut String, body: &str) {
    let mut first = true;
    for paragraph in body.split("\n\n") {
        let paragraph = paragraph.trim();
        if paragraph.is_empty() {
            continue;
        }
        if !first {
            out.push('\n');
        }
        first = false;
        out.push_str("<p>");
        for (n, line) in paragraph.split('\n').enumerate() {
            if n > 0 {
                out.push_str("<br>");
            }
            escape_into(out, line.trim_end_matches('\r'));
        }
        out.push_str("</p>");
    }
}

fn link_into(out: &mut String, href: &str, text: &str) {
    out.push_str("<a href=\"");
    escape_into(out, href);
    out.push_str("\">");
    escape_into(out, text);
    out.push_str("</a>");
}

/// The byline, the publisher and series, the original source and, for a
/// translation, the original and the publisher's note: what must travel
/// with every republished item.
pub fn attribution_into(out: &mut String, entry: &Entry<'_>) {
    let item = &entry.item;
    out.push_str("<div class=\"attribution\">");
    if !item.authors.is_empty() {
        out.push_str("\n<p class=\"byline\">By ");
        for (n, p) in item.authors.iter().enumerate() {
            if n > 0 {
                out.push_str("; ");
            }
            escape_into(out, &p.name);
            out.push_str(" (");
            out.push_str(p.role.as_str());
            if let Some(a) = &p.affiliation {
                out.push_str("; ");
                escape_into(out, a);
            }
            out.push(')');
        }
        out.push_str(".</p>");
    }
    out.push_str("\n<p class=\"publisher\">Published by ");
    link_into(out, &entry.publisher_url(), &item.publisher.name);
    if let Some(series) = &item.series {
        out.push_str(" in ");
        link_into(out, &entry.series_url(&series.slug), &series.name);
    }
    if let Some(url) = &item.url {
        out.push_str(" — ");
        link_into(out, url, "original page");
    }
    out.push_str(".</p>");
    if let Some(source) = &item.source {
        out.push_str("\n<p class=\"source\">First published by ");
        match &source.url {
            Some(url) => link_into(out, url, &source.name),
            None => escape_into(out, &source.name),
        }
        if let Some(d) = source.published_on {
            let _ = write!(out, " on {d}");
        }
        out.push_str(".</p>");
    }
    if let Some(t) = &item.translation {
        out.push_str("\n<p class=\"translation\">Translated");
        if let Some(language) = &t.original_language {
            out.push_str(" from the original in `");
            escape_into(out, language);
            out.push('`');
        }
        if let Some(title) = &t.original_title {
            out.push_str(", “");
            escape_into(out, title);
            out.push('”');
        }
        if let Some(venue) = &t.original_venue {
            out.push_str(", which appeared in ");
            escape_into(out, venue);
        }
        match (&t.original_published_on, &t.original_date_text) {
            (_, Some(words)) => {
                out.push_str(" (");
                escape_into(out, words);
                out.push(')');
            }
            (Some(d), None) => {
                let _ = write!(out, " on {d}");
            }
            _ => {}
        }
        if !t.translators.is_empty() {
            out.push_str("; translated by ");
            for (n, p) in t.translators.iter().enumerate() {
                if n > 0 {
                    out.push_str(", ");
                }
                escape_into(out, &p.name);
            }
        }
        out.push_str(".</p>");
        if let Some(note) = &t.note {
            out.push_str("\n<p class=\"translation-note\">");
            escape_into(out, note);
            out.push_str("</p>");
        }
    }
    out.push_str("\n</div>");
}

/// An entry's HTML content, into `out` (cleared first): its summary, or its
/// body with `content=full`, then its attribution.
pub fn content_into(out: &mut String, entry: &Entry<'_>, full: bool) {
    out.clear();
    match (&entry.item.body, &entry.item.summary) {
        (Some(body), _) if full => {
            paragraphs_into(out, body);
            out.push('\n');
        }
        (_, Some(summary)) => {
            out.push_str("<p>");
            escape_into(out, summary);
            out.push_str("</p>\n");
        }
        _ => {}
    }
    attribution_into(out, entry);
}

#[cfg(test)]
mod tests {
    use super::{escape, paragraphs_into};

    #[test]
    fn bodies_become_escaped_paragraphs() {
        assert_eq!(escape("<b>\"A&B\"</b> it's"), "&lt;b&gt;&quot;A&amp;B&quot;&lt;/b&gt; it&#39;s");
        assert_eq!(escape("日本 😀"), "日本 😀");
        let mut out = String::new();
        paragraphs_into(&mut out, "One\nline two.\n\n\n  Two <x>  \n\n");
        assert_eq!(out, "<p>One<br>line two.</p>\n<p>Two &lt;x&gt;</p>");
    }
}
