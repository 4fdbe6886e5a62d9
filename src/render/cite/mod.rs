//! Citations of articles: CSL-JSON, BibTeX (biblatex), RIS, and formatted
//! bibliography entries (APA, Chicago author-date, MLA, Harvard) as plain
//! text or HTML. Each format is one file with a writer that renders one
//! article at a time into a byte buffer, so a list of any length streams.
//!
//! `csl` maps an article to a CSL-JSON item once; the other formats read
//! that item (the formatted styles hand it to hayagriva's CSL processor as
//! it is), so a field means the same in every format.
//!
//! # Item types
//!
//! Think-tank commentary is grey literature: it has an institution as its
//! publisher, often a series, and a URL, but no journal. The types below are
//! the ones whose import keeps those fields in Zotero (which Mendeley and
//! JabRef follow closely): Zotero's *report* keeps institution, place,
//! series, report type, URL, accessed date, language and abstract from all
//! three formats, while its *webpage* keeps only the website title. So
//! every article is a report except books, and news items and event pages,
//! which readers cite as pages of the think tank's website (the website
//! title is then the publisher).
//!
//! | article type       | CSL-JSON `type` (`genre`)   | BibTeX (biblatex)                           | RIS `TY` (`M3`)        | Zotero imports it as |
//! |--------------------|-----------------------------|---------------------------------------------|------------------------|----------------------|
//! | `commentary`       | `report` (`Commentary`)     | `@techreport`, `type = {Commentary}`        | `RPRT` (`Commentary`)  | Report               |
//! | `analysis`         | `report` (`Analysis`)       | `@techreport`, `type = {Analysis}`          | `RPRT` (`Analysis`)    | Report               |
//! | `interview`        | `report` (`Interview`)      | `@techreport`, `type = {Interview}`         | `RPRT` (`Interview`)   | Report               |
//! | `report`           | `report` (`Report`)         | `@techreport`, `type = {Report}`            | `RPRT` (`Report`)      | Report               |
//! | `newsletter`       | `report` (`Newsletter`)     | `@techreport`, `type = {Newsletter}`        | `RPRT` (`Newsletter`)  | Report               |
//! | `book`             | `book`                      | `@book`                                     | `BOOK`                 | Book                 |
//! | `periodical_issue` | `book` (`Periodical issue`) | `@book`                                     | `BOOK`                 | Book                 |
//! | `news`             | `webpage` (`News`)          | `@online`                                   | `ELEC` (`News`)        | Web Page             |
//! | `event`            | `webpage` (`Event`)         | `@online`                                   | `ELEC` (`Event`)       | Web Page             |
//!
//! Why: `@techreport` is the BibTeX type every tool knows (biblatex reads
//! it as `@report` with `type = techreport` unless `type` is given, which
//! it always is here, so no "Technical report" label appears); Zotero,
//! JabRef and Mendeley all import it as a report with the think tank as
//! institution. An `interview` is an interview *published by* the think
//! tank, so it keeps the publisher (Zotero's *interview* type has no
//! publisher). A periodical issue has no CSL/Zotero type of its own that
//! keeps the periodical's name, so it is a book in the periodical's series.
//!
//! # Citation keys
//!
//! The BibTeX key, the CSL `id` and `citation-key`, and the RIS `ID` are the
//! same: `{family}{year}{word}-{id}`, e.g. `tokiwa2021what-812`:
//! `family` is the first author's family name (or, without name parts,
//! their whole name; without authors, the publisher's name), `year` the
//! year of `published_at`, `word` the first word of the title that is not
//! an article or preposition, both folded to lowercase ASCII letters and
//! digits (`Économie` → `economie`; a name with no Latin letters falls back
//! to its slug). The article id at the end makes the key unique; a changed
//! title or byline changes the readable part, so cite by the id when keys
//! must never change.

pub mod bibtex;
pub mod csl;
pub mod csl_json;
pub mod formatted;
pub mod ris;

use std::collections::HashMap;

use crate::error::ApiError;
use crate::listing::params::ListFormat;
use crate::render::item::Item;

/// A person's name split into parts (the authors table's `family_name` and
/// `given_name`). Without parts the whole name is used as it is written.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct NameParts {
    pub family: Option<String>,
    pub given: Option<String>,
}

/// One article with what its citation needs besides the list item.
pub struct Citable<'a> {
    pub item: &'a Item<'a>,
    /// Author id → the parts of their name.
    pub names: &'a HashMap<i64, NameParts>,
    /// Where the publisher is (`publishers.location`), e.g. "Tokyo".
    pub publisher_place: Option<&'a str>,
    /// The absolute URL of the article in this API.
    pub api_url: &'a str,
    /// The day the citation was asked for (the accessed date).
    pub accessed: chrono::NaiveDate,
}

pub use crate::domain::{CitationStyle, UnknownStyle};

/// A citation format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CitationFormat {
    /// A CSL-JSON array.
    Csl,
    /// BibTeX entries for biblatex/biber (UTF-8).
    Bibtex,
    /// RIS records.
    Ris,
    /// Formatted bibliography entries, one a line.
    Text(CitationStyle),
    /// Formatted bibliography entries as HTML.
    Html(CitationStyle),
}

impl CitationFormat {
    /// The citation format a list or article `format` asks for (formatted
    /// ones in `style`).
    pub fn of(format: ListFormat, style: CitationStyle) -> Option<CitationFormat> {
        Some(match format {
            ListFormat::Csl => CitationFormat::Csl,
            ListFormat::Bibtex => CitationFormat::Bibtex,
            ListFormat::Ris => CitationFormat::Ris,
            ListFormat::Bibliography => CitationFormat::Text(style),
            ListFormat::Html => CitationFormat::Html(style),
            _ => return None,
        })
    }

    pub fn media_type(self) -> &'static str {
        match self {
            CitationFormat::Csl => "application/vnd.citationstyles.csl+json",
            CitationFormat::Bibtex => "application/x-bibtex",
            CitationFormat::Ris => "application/x-research-info-systems",
            CitationFormat::Text(_) => "text/x-bibliography",
            CitationFormat::Html(_) => "text/html",
        }
    }
}

/// A citation that could not be rendered.
#[derive(Debug, thiserror::Error)]
pub enum CiteError {
    #[error("CSL-JSON item: {0}")]
    Json(#[from] serde_json::Error),
    #[error("style {style} rendered no bibliography entry for article {id}")]
    NoEntry { style: &'static str, id: i64 },
    #[error("formatting a bibliography entry: {0}")]
    Format(#[from] std::fmt::Error),
}

impl From<CiteError> for ApiError {
    fn from(e: CiteError) -> Self {
        ApiError::Internal(format!("citation: {e}"))
    }
}

/// Renders citations one article at a time into a buffer the caller
/// flushes as it fills: `begin`, `item` for each article, then `end`.
pub trait CitationWriter {
    /// What comes before the first item (`[` of a CSL-JSON array).
    fn begin(&mut self, out: &mut Vec<u8>);
    /// One article.
    fn item(&mut self, c: &Citable<'_>, out: &mut Vec<u8>) -> Result<(), CiteError>;
    /// What comes after the last item.
    fn end(&mut self, out: &mut Vec<u8>);
}

/// The writer of `format`.
pub fn writer(format: CitationFormat) -> Box<dyn CitationWriter + Send> {
    match format {
        CitationFormat::Csl => Box::new(csl_json::CslJsonWriter::default()),
        CitationFormat::Bibtex => Box::new(bibtex::BibtexWriter::default()),
        CitationFormat::Ris => Box::new(ris::RisWriter::default()),
        CitationFormat::Text(style) => Box::new(formatted::FormattedWriter::text(style)),
        CitationFormat::Html(style) => Box::new(formatted::FormattedWriter::html(style)),
    }
}

/// All of `items` in `format`, at once (tests, single articles).
pub fn render_all(format: CitationFormat, items: &[Citable<'_>]) -> Result<Vec<u8>, CiteError> {
    let mut w = writer(format);
    let mut out = Vec::new();
    w.begin(&mut out);
    for c in items {
        w.item(c, &mut out)?;
    }
    w.end(&mut out);
    Ok(out)
}

#[cfg(test)]
pub(crate) mod fixtures;
