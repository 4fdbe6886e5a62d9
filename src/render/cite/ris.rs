//! RIS (`application/x-research-info-systems`): one record per article from
//! the CSL item of `csl`, with the tags as Zotero's RIS import reads them
//! for the record's type. Lines are `TAG  - value` ending in CRLF (the RIS
//! specification); a value never holds a line break (runs of whitespace
//! become one space); `ER  - ` ends a record and a blank line follows it.
//!
//! | tag  | value                                                            |
//! |------|------------------------------------------------------------------|
//! | `TY` | `RPRT`, `BOOK` or `ELEC` (the table in `cite`)                   |
//! | `ID` | the citation key                                                 |
//! | `AU` | each author, `Family, Given` or the name as written              |
//! | `A3` | each editor of a `BOOK` (Zotero: editor); `ED` of other types    |
//! | `A4` | each translator                                                  |
//! | `TI` | title and subtitle; `ST` the title alone                         |
//! | `T2` | the series (`RPRT`, `BOOK`); the website, i.e. publisher (`ELEC`)|
//! | `M3` | the genre: Commentary, Report, … (Zotero: report/website type)   |
//! | `PB` | the publisher (Zotero: institution of a report)                  |
//! | `CY` | the publisher's place                                            |
//! | `PY`, `DA` | year; date `YYYY/MM/DD`                                    |
//! | `Y2` | accessed date `YYYY/MM/DD`                                       |
//! | `UR` | publisher's URL, else the API's                                  |
//! | `LA` | language (BCP 47)                                                |
//! | `AB` | summary; `KW` each topic                                         |
//! | `OP` | original publication: title, venue, date                         |
//! | `N1` | each line of the CSL note (translation note, original language)  |
//!
//! Contributors other than authors, editors and translators have no RIS
//! tag Zotero reads and are left out.

use std::io::Write as _;

use super::csl::{CslItem, CslName, CslType};
use super::{Citable, CitationWriter, CiteError};

#[derive(Debug, Default)]
pub struct RisWriter {
    written: usize,
}

impl CitationWriter for RisWriter {
    fn begin(&mut self, _out: &mut Vec<u8>) {}

    fn item(&mut self, c: &Citable<'_>, out: &mut Vec<u8>) -> Result<(), CiteError> {
        if self.written > 0 {
            out.extend_from_slice(b"\r\n");
        }
        write_record(&CslItem::new(c), out);
        self.written += 1;
        Ok(())
    }

    fn end(&mut self, _out: &mut Vec<u8>) {}
}

/// One `TAG  - value` line; nothing when the value is blank.
fn line(out: &mut Vec<u8>, tag: &str, value: &str) {
    let mut words = value.split_whitespace();
    let Some(first) = words.next() else { return };
    // Writing to a Vec cannot fail.
    let _ = write!(out, "{tag}  - {first}");
    for w in words {
        let _ = write!(out, " {w}");
    }
    out.extend_from_slice(b"\r\n");
}

fn name(n: &CslName) -> String {
    match n {
        CslName::Parts { family, given: Some(given) } => format!("{family}, {given}"),
        CslName::Parts { family, given: None } => family.clone(),
        CslName::Literal { literal } => literal.clone(),
    }
}

fn write_record(csl: &CslItem<'_>, out: &mut Vec<u8>) {
    let ty = match csl.kind {
        CslType::Report => "RPRT",
        CslType::Book => "BOOK",
        CslType::Webpage => "ELEC",
    };
    line(out, "TY", ty);
    line(out, "ID", &csl.id);
    for n in &csl.author {
        line(out, "AU", &name(n));
    }
    let editor_tag = if csl.kind == CslType::Book { "A3" } else { "ED" };
    for n in csl.editorial_director.iter().chain(&csl.editor) {
        line(out, editor_tag, &name(n));
    }
    for n in &csl.translator {
        line(out, "A4", &name(n));
    }
    line(out, "TI", &csl.title);
    if let Some(short) = csl.title_short {
        line(out, "ST", short);
    }
    match csl.kind {
        CslType::Webpage => line(out, "T2", csl.publisher),
        CslType::Report | CslType::Book => {
            if let Some(series) = csl.collection_title {
                line(out, "T2", series);
            }
        }
    }
    if let Some(genre) = csl.genre {
        line(out, "M3", genre);
    }
    if csl.kind != CslType::Webpage {
        line(out, "PB", csl.publisher);
    }
    if let Some(place) = csl.publisher_place {
        line(out, "CY", place);
    }
    line(out, "PY", &csl.year().to_string());
    line(out, "DA", &csl.issued.0.format("%Y/%m/%d").to_string());
    line(out, "Y2", &csl.accessed.0.format("%Y/%m/%d").to_string());
    line(out, "UR", csl.url);
    line(out, "LA", csl.language);
    if let Some(s) = csl.summary {
        line(out, "AB", s);
    }
    for t in &csl.extra.topics {
        line(out, "KW", t);
    }
    let original: Vec<String> = [
        csl.original_title.map(str::to_owned),
        csl.original_publisher.map(str::to_owned),
        csl.original_date.map(|d| d.0.format("%Y-%m-%d").to_string()),
    ]
    .into_iter()
    .flatten()
    .collect();
    if !original.is_empty() {
        line(out, "OP", &original.join(", "));
    }
    for note in csl.note.iter().flat_map(|n| n.lines()) {
        line(out, "N1", note);
    }
    out.extend_from_slice(b"ER  - \r\n");
}

#[cfg(test)]
mod tests {
    use crate::render::cite::fixtures::Fixture;
    use crate::render::cite::{render_all, CitationFormat};

    /// A record: its tags and values in order.
    type Record = Vec<(String, String)>;

    /// A strict RIS reader: CRLF line ends, every line `XX  - value` (two
    /// spaces, a hyphen, a space), `TY` first, `ER` last with an empty
    /// value, records separated by one blank line.
    fn parse(text: &str) -> Vec<Record> {
        assert!(text.ends_with("ER  - \r\n"), "ends with ER: {text:?}");
        let body = text.strip_suffix("\r\n").unwrap();
        let mut records = Vec::new();
        for chunk in body.split("\r\n\r\n") {
            let mut record = Record::new();
            for l in chunk.split("\r\n") {
                assert!(!l.contains('\n') && !l.contains('\r'), "a bare line break in {l:?}");
                let b = l.as_bytes();
                assert!(b.len() >= 6, "short line {l:?}");
                assert!(b[0].is_ascii_uppercase() && (b[1].is_ascii_uppercase() || b[1].is_ascii_digit()), "tag {l:?}");
                assert_eq!(&l[2..6], "  - ", "separator of {l:?}");
                let value = &l[6..];
                assert_eq!(value, value.trim(), "untrimmed value {l:?}");
                record.push((l[..2].to_owned(), value.to_owned()));
            }
            assert_eq!(record.first().map(|(t, _)| t.as_str()), Some("TY"), "TY first");
            assert_eq!(record.last().map(|(t, v)| (t.as_str(), v.as_str())), Some(("ER", "")), "ER last");
            assert_eq!(record.iter().filter(|(t, _)| t == "TY" || t == "ER").count(), 2);
            records.push(record);
        }
        records
    }

    fn values<'r>(record: &'r Record, tag: &str) -> Vec<&'r str> {
        record.iter().filter(|(t, _)| t == tag).map(|(_, v)| v.as_str()).collect()
    }

    #[test]
    fn records_follow_the_line_rules_and_carry_the_fields() {
        let fixtures = [Fixture::jfir_two_authors(), Fixture::charhar()];
        let citables: Vec<_> = fixtures.iter().map(Fixture::citable).collect();
        let text = String::from_utf8(render_all(CitationFormat::Ris, &citables).unwrap()).unwrap();
        let records = parse(&text);
        assert_eq!(records.len(), 2);

        let jfir = &records[0];
        assert_eq!(values(jfir, "TY"), ["RPRT"]);
        assert_eq!(values(jfir, "ID"), ["tokiwa2021what-812"]);
        assert_eq!(values(jfir, "AU"), ["Tokiwa, Shin", "Hakamada, Shigeki"]);
        assert_eq!(values(jfir, "A4"), ["JFIR Translation Desk"]);
        assert_eq!(values(jfir, "ST"), ["What is Putin’s Strategy on Japan?"]);
        assert_eq!(values(jfir, "T2"), ["JFIR Commentary"]);
        assert_eq!(values(jfir, "M3"), ["Commentary"]);
        assert_eq!(values(jfir, "PB"), ["The Japan Forum on International Relations"]);
        assert_eq!(values(jfir, "CY"), ["Tokyo"]);
        assert_eq!(values(jfir, "PY"), ["2021"]);
        assert_eq!(values(jfir, "DA"), ["2021/08/02"]);
        assert_eq!(values(jfir, "Y2"), ["2026/05/04"]);
        assert_eq!(values(jfir, "UR"), ["https://api.example.test/articles/812"]);
        assert_eq!(values(jfir, "LA"), ["en"]);
        assert_eq!(values(jfir, "OP"), ["Hyakka-Seiho (Hundred Flowers in Full Bloom), 2021-06-19"]);
        assert_eq!(values(jfir, "N1").len(), 2, "the translation note and the original language");

        let charhar = &records[1];
        assert_eq!(values(charhar, "AU"), ["Wang, Peng"]);
        assert_eq!(values(charhar, "ED"), ["Liang, Chenglu", "Kang, Sijun"]);
        assert_eq!(values(charhar, "KW"), ["The Korean Peninsula"]);
    }

    #[test]
    fn line_breaks_inside_values_are_collapsed() {
        let mut f = Fixture::charhar();
        f.item.title = "Japan to Seek\nGreater\r\n  Autonomy".into();
        f.item.summary = Some("   ".into());
        let text = String::from_utf8(render_all(CitationFormat::Ris, &[f.citable()]).unwrap()).unwrap();
        let records = parse(&text);
        assert_eq!(values(&records[0], "TI"), ["Japan to Seek Greater Autonomy"]);
        assert!(values(&records[0], "AB").is_empty(), "a blank summary is left out");
    }
}
