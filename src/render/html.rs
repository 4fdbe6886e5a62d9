//! The HTML inside feed entries: the body as paragraphs, the byline and the
//! attribution (publisher, series, original source, translation), all text
//! escaped.

use super::feed::FeedEntry;

/// `text` with `&`, `<`, `>`, `"` and `'` escaped.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / 8);
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// A plain-text body (paragraphs separated by a blank line) as HTML
/// paragraphs; a single line break within one becomes `<br>`.
pub fn paragraphs(body: &str) -> String {
    let normalised = body.replace("\r\n", "\n");
    normalised
        .split("\n\n")
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .map(|p| format!("<p>{}</p>", p.split('\n').map(escape).collect::<Vec<_>>().join("<br>")))
        .collect::<Vec<_>>()
        .join("\n")
}

fn link(href: &str, text: &str) -> String {
    format!("<a href=\"{}\">{}</a>", escape(href), escape(text))
}

/// "TOKIWA Shin (author; Distinguished Research Fellow, JFIR)".
pub fn person(name: &str, role: &str, affiliation: Option<&str>) -> String {
    match affiliation {
        Some(a) => format!("{name} ({role}; {a})"),
        None => format!("{name} ({role})"),
    }
}

/// The byline, the publisher and series, the original source and, for a
/// translation, the original and the publisher's note: what must travel
/// with every republished item.
pub fn attribution(entry: &FeedEntry) -> String {
    let mut parts = Vec::new();
    if !entry.byline.is_empty() {
        let people: Vec<String> = entry
            .byline
            .iter()
            .map(|p| {
                let text = person(&p.name, p.role.as_str(), p.affiliation.as_deref());
                escape(&text)
            })
            .collect();
        parts.push(format!("<p class=\"byline\">By {}.</p>", people.join("; ")));
    }
    let mut published = format!("Published by {}", link(&entry.publisher_url, &entry.publisher.name));
    if let Some(series) = &entry.series {
        published.push_str(&format!(" in {}", link(&entry.series_url(series), &series.name)));
    }
    if let Some(url) = &entry.canonical {
        published.push_str(&format!(" — {}", link(url, "original page")));
    }
    parts.push(format!("<p class=\"publisher\">{published}.</p>"));
    if let Some(source) = &entry.source {
        let name = match &source.url {
            Some(url) => link(url, &source.name),
            None => escape(&source.name),
        };
        let date = source.published_on.map(|d| format!(" on {d}")).unwrap_or_default();
        parts.push(format!("<p class=\"source\">First published by {name}{date}.</p>"));
    }
    if let Some(t) = &entry.translation {
        let mut text = String::from("Translated");
        if let Some(language) = &t.original_language {
            text.push_str(&format!(" from the original in `{}`", escape(language)));
        }
        if let Some(title) = &t.original_title {
            text.push_str(&format!(", “{}”", escape(title)));
        }
        if let Some(venue) = &t.original_venue {
            text.push_str(&format!(", which appeared in {}", escape(venue)));
        }
        match (&t.original_published_on, &t.original_date_text) {
            (_, Some(words)) => text.push_str(&format!(" ({})", escape(words))),
            (Some(d), None) => text.push_str(&format!(" on {d}")),
            _ => {}
        }
        if !t.translators.is_empty() {
            let names: Vec<String> = t.translators.iter().map(|p| escape(&p.name)).collect();
            text.push_str(&format!("; translated by {}", names.join(", ")));
        }
        parts.push(format!("<p class=\"translation\">{text}.</p>"));
        if let Some(note) = &t.note {
            parts.push(format!("<p class=\"translation-note\">{}</p>", escape(note)));
        }
    }
    format!("<div class=\"attribution\">\n{}\n</div>", parts.join("\n"))
}

/// An entry's HTML content: its summary, or its body with `content=full`,
/// then its attribution.
pub fn content(entry: &FeedEntry, full: bool) -> String {
    let main = match (&entry.body, &entry.summary) {
        (Some(body), _) if full => paragraphs(body),
        (_, Some(summary)) => format!("<p>{}</p>", escape(summary)),
        _ => String::new(),
    };
    if main.is_empty() {
        attribution(entry)
    } else {
        format!("{main}\n{}", attribution(entry))
    }
}

#[cfg(test)]
mod tests {
    use super::{escape, paragraphs};

    #[test]
    fn bodies_become_escaped_paragraphs() {
        assert_eq!(escape("<b>\"A&B\"</b> it's"), "&lt;b&gt;&quot;A&amp;B&quot;&lt;/b&gt; it&#39;s");
        assert_eq!(paragraphs("One\nline two.\n\n\n  Two <x>  \n\n"), "<p>One<br>line two.</p>\n<p>Two &lt;x&gt;</p>");
        assert_eq!(paragraphs(""), "");
    }
}
