//! Formatted bibliography entries (`text/x-bibliography`, `text/html`) in
//! APA 7, Chicago author-date, MLA 9 and Harvard (Cite Them Right), by
//! hayagriva's CSL processor with the official styles and locales it
//! archives. Hayagriva reads the CSL-JSON item of `csl` as it is. Each
//! article is its own bibliography, so the list keeps its order: plain text
//! is one entry a line; HTML is a `csl-entry` div each inside a
//! `csl-bib-body` div (the markup of citeproc-js), with the text escaped.

use std::fmt::Write as _;
use std::sync::LazyLock;

use hayagriva::archive::{locales, ArchivedStyle};
use hayagriva::citationberg::{
    self, FontStyle, FontVariant, FontWeight, IndependentStyle, Locale, Style, TextDecoration, VerticalAlign,
};
use hayagriva::{
    BibliographyDriver, BibliographyRequest, BufWriteFormat, CitationItem, CitationRequest, ElemChild, ElemChildren,
    Formatting,
};

use super::csl::CslItem;
use super::{Citable, CitationStyle, CitationWriter, CiteError};

static LOCALES: LazyLock<Vec<Locale>> = LazyLock::new(locales);

fn archived(style: ArchivedStyle) -> IndependentStyle {
    match style.get() {
        Style::Independent(s) => s,
        Style::Dependent(_) => unreachable!("{} is an independent style", style.display_name()),
    }
}

static APA: LazyLock<IndependentStyle> = LazyLock::new(|| archived(ArchivedStyle::AmericanPsychologicalAssociation));
static CHICAGO: LazyLock<IndependentStyle> = LazyLock::new(|| archived(ArchivedStyle::ChicagoAuthorDate));
static MLA: LazyLock<IndependentStyle> = LazyLock::new(|| archived(ArchivedStyle::ModernLanguageAssociation));
static HARVARD: LazyLock<IndependentStyle> = LazyLock::new(|| archived(ArchivedStyle::HarvardCiteThemRight));

/// The parsed CSL style (parsed on first use, once).
pub fn csl_style(style: CitationStyle) -> &'static IndependentStyle {
    match style {
        CitationStyle::Apa => &APA,
        CitationStyle::ChicagoAuthorDate => &CHICAGO,
        CitationStyle::Mla => &MLA,
        CitationStyle::Harvard => &HARVARD,
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Markup {
    Text,
    Html,
}

pub struct FormattedWriter {
    style: CitationStyle,
    markup: Markup,
    line: String,
}

impl FormattedWriter {
    pub fn text(style: CitationStyle) -> Self {
        FormattedWriter { style, markup: Markup::Text, line: String::new() }
    }

    pub fn html(style: CitationStyle) -> Self {
        FormattedWriter { style, markup: Markup::Html, line: String::new() }
    }
}

/// The bibliography entry of one CSL-JSON item.
fn entry(
    style: CitationStyle,
    item: &citationberg::json::Item,
    id: i64,
) -> Result<(Option<ElemChild>, ElemChildren), CiteError> {
    let csl = csl_style(style);
    let mut driver = BibliographyDriver::new();
    driver.citation(CitationRequest::from_items(vec![CitationItem::with_entry(item)], csl, &LOCALES));
    let rendered = driver.finish(BibliographyRequest::new(csl, None, &LOCALES));
    let no_entry = || CiteError::NoEntry { style: style.name(), id };
    let entry = rendered.bibliography.and_then(|b| b.items.into_iter().next()).ok_or_else(no_entry)?;
    Ok((entry.first_field, entry.content))
}

impl CitationWriter for FormattedWriter {
    fn begin(&mut self, out: &mut Vec<u8>) {
        if self.markup == Markup::Html {
            let hanging = csl_style(self.style).bibliography.as_ref().is_some_and(|b| b.hanging_indent);
            out.extend_from_slice(if hanging {
                b"<div class=\"csl-bib-body\" style=\"padding-left: 2em; text-indent: -2em;\">\n".as_slice()
            } else {
                b"<div class=\"csl-bib-body\">\n".as_slice()
            });
        }
    }

    fn item(&mut self, c: &Citable<'_>, out: &mut Vec<u8>) -> Result<(), CiteError> {
        let item: citationberg::json::Item = serde_json::from_value(serde_json::to_value(CslItem::new(c))?)?;
        let (first, content) = entry(self.style, &item, c.item.id)?;
        self.line.clear();
        match self.markup {
            Markup::Text => {
                if let Some(first) = first {
                    first.write_buf(&mut self.line, BufWriteFormat::Plain)?;
                    self.line.push(' ');
                }
                content.write_buf(&mut self.line, BufWriteFormat::Plain)?;
                let mut words = self.line.split_whitespace();
                if let Some(w) = words.next() {
                    out.extend_from_slice(w.as_bytes());
                }
                for w in words {
                    out.push(b' ');
                    out.extend_from_slice(w.as_bytes());
                }
                out.push(b'\n');
            }
            Markup::Html => {
                self.line.push_str("  <div class=\"csl-entry\">");
                if let Some(first) = &first {
                    html_child(first, &mut self.line);
                }
                for child in &content.0 {
                    html_child(child, &mut self.line);
                }
                self.line.push_str("</div>\n");
                out.extend_from_slice(self.line.as_bytes());
            }
        }
        Ok(())
    }

    fn end(&mut self, out: &mut Vec<u8>) {
        if self.markup == Markup::Html {
            out.extend_from_slice(b"</div>\n");
        }
    }
}

/// Hayagriva's own HTML leaves text unescaped, so this writes it.
fn html_child(child: &ElemChild, out: &mut String) {
    match child {
        ElemChild::Text(t) => formatted_html(&t.formatting, &t.text, out),
        ElemChild::Markup(m) => escape_html(m, out),
        ElemChild::Elem(e) => {
            let class = e.display.map(|d| match d {
                citationberg::Display::Block => "csl-block",
                citationberg::Display::LeftMargin => "csl-left-margin",
                citationberg::Display::RightInline => "csl-right-inline",
                citationberg::Display::Indent => "csl-indent",
            });
            if let Some(class) = class {
                let _ = write!(out, "<div class=\"{class}\">");
            }
            for c in &e.children.0 {
                html_child(c, out);
            }
            if class.is_some() {
                out.push_str("</div>");
            }
        }
        ElemChild::Link { text, url } => {
            out.push_str("<a href=\"");
            escape_html(url, out);
            out.push_str("\">");
            formatted_html(&text.formatting, &text.text, out);
            out.push_str("</a>");
        }
        ElemChild::Transparent { .. } => {}
    }
}

fn formatted_html(f: &Formatting, text: &str, out: &mut String) {
    let mut close: Vec<&str> = Vec::new();
    let mut open = |tag: &str, end: &'static str| {
        out.push_str(tag);
        close.push(end);
    };
    if f.font_style == FontStyle::Italic {
        open("<i>", "</i>");
    }
    match f.font_weight {
        FontWeight::Bold => open("<b>", "</b>"),
        FontWeight::Light => open("<span style=\"font-weight: lighter;\">", "</span>"),
        FontWeight::Normal => {}
    }
    if f.font_variant == FontVariant::SmallCaps {
        open("<span style=\"font-variant: small-caps;\">", "</span>");
    }
    if f.text_decoration == TextDecoration::Underline {
        open("<span style=\"text-decoration: underline;\">", "</span>");
    }
    match f.vertical_align {
        VerticalAlign::Sup => open("<sup>", "</sup>"),
        VerticalAlign::Sub => open("<sub>", "</sub>"),
        VerticalAlign::None | VerticalAlign::Baseline => {}
    }
    escape_html(text, out);
    for end in close.iter().rev() {
        out.push_str(end);
    }
}

/// Text and attribute values: `& < > " '` as entities.
fn escape_html(s: &str, out: &mut String) {
    for ch in s.chars() {
        match ch {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(ch),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::cite::fixtures::Fixture;
    use crate::render::cite::{render_all, CitationFormat};

    fn text(style: CitationStyle, fixtures: &[Fixture]) -> String {
        let citables: Vec<_> = fixtures.iter().map(Fixture::citable).collect();
        String::from_utf8(render_all(CitationFormat::Text(style), &citables).unwrap()).unwrap()
    }

    #[test]
    fn apa_cites_a_translated_article_with_two_authors() {
        let out = text(CitationStyle::Apa, &[Fixture::jfir_two_authors()]);
        assert_eq!(out.lines().count(), 1, "{out}");
        for expected in [
            "Tokiwa, S.",
            "Hakamada, S.",
            "(2021",
            "What is Putin’s Strategy on Japan?",
            "Japan Forum on International Relations",
        ] {
            assert!(out.contains(expected), "{expected:?} missing from {out}");
        }
    }

    #[test]
    fn every_style_renders_one_line_per_article_in_list_order() {
        for style in CitationStyle::ALL {
            let out = text(style, &[Fixture::charhar(), Fixture::jfir()]);
            let lines: Vec<_> = out.lines().collect();
            assert_eq!(lines.len(), 2, "{style:?}: {out}");
            assert!(lines[0].contains("Wang"), "{style:?}: {out}");
            assert!(lines[1].contains("Tokiwa"), "{style:?}: {out}");
            assert!(lines[0].contains("Japan to Seek Greater Regional Autonomy"), "{style:?}: {out}");
        }
    }

    #[test]
    fn html_escapes_text_and_wraps_each_entry() {
        let mut f = Fixture::charhar();
        f.item.title = "Tariffs <script>alert(1)</script> & Trade".into();
        let out = String::from_utf8(
            render_all(CitationFormat::Html(CitationStyle::Apa), &[f.citable(), Fixture::jfir().citable()]).unwrap(),
        )
        .unwrap();
        assert!(out.starts_with("<div class=\"csl-bib-body\""), "{out}");
        assert!(out.trim_end().ends_with("</div>"), "{out}");
        assert_eq!(out.matches("<div class=\"csl-entry\">").count(), 2, "{out}");
        assert!(!out.contains("<script>"), "{out}");
        assert!(out.contains("&lt;script&gt;alert(1)&lt;/script&gt; &amp; Trade"), "{out}");
        let doc = roxmltree::Document::parse(&out).expect("the HTML is well-formed");
        assert_eq!(doc.root_element().children().filter(|n| n.is_element()).count(), 2);
    }
}
