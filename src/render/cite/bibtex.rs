//! BibTeX (`application/x-bibtex`) for biblatex/biber, read also by
//! Zotero, JabRef and Mendeley: one entry per article from the CSL item of
//! `csl`, in UTF-8 (biber reads it; only BibTeX's special characters are
//! escaped). Words with capitals in titles are braced, so styles that
//! sentence-case titles keep the case the publisher gave them.

use std::io::Write as _;

use super::csl::{CslItem, CslName, CslType};
use super::{Citable, CitationWriter, CiteError};

#[derive(Debug, Default)]
pub struct BibtexWriter {
    written: usize,
}

impl CitationWriter for BibtexWriter {
    fn begin(&mut self, _out: &mut Vec<u8>) {}

    fn item(&mut self, c: &Citable<'_>, out: &mut Vec<u8>) -> Result<(), CiteError> {
        if self.written > 0 {
            out.push(b'\n');
        }
        write_entry(&CslItem::new(c), out);
        self.written += 1;
        Ok(())
    }

    fn end(&mut self, _out: &mut Vec<u8>) {}
}

fn write_entry(csl: &CslItem<'_>, out: &mut Vec<u8>) {
    let entry_type = match csl.kind {
        CslType::Report => "techreport",
        CslType::Book => "book",
        CslType::Webpage => "online",
    };
    // Writing to a Vec cannot fail.
    let _ = writeln!(out, "@{entry_type}{{{},", csl.id);
    let mut field = |name: &str, value: &str| {
        let _ = writeln!(out, "  {name} = {{{value}}},");
    };

    let names = |list: &[&CslName]| list.iter().map(|n| name(n)).collect::<Vec<_>>().join(" and ");
    let authors: Vec<&CslName> = csl.author.iter().collect();
    // biblatex has one editor list; executive editors are editors too.
    let editors: Vec<&CslName> = csl.editorial_director.iter().chain(&csl.editor).collect();
    let translators: Vec<&CslName> = csl.translator.iter().collect();
    let contributors: Vec<&CslName> = csl.contributor.iter().collect();
    if !authors.is_empty() {
        field("author", &names(&authors));
    }
    if !editors.is_empty() {
        field("editor", &names(&editors));
    }
    if !translators.is_empty() {
        field("translator", &names(&translators));
    }
    if !contributors.is_empty() {
        field("editora", &names(&contributors));
        field("editoratype", "collaborator");
    }
    field("title", &protect_case(&escape(&csl.title)));
    if csl.kind == CslType::Report {
        if let Some(genre) = csl.genre {
            field("type", genre);
        }
    }
    let publisher_field = match csl.kind {
        CslType::Report => "institution",
        CslType::Book => "publisher",
        CslType::Webpage => "organization",
    };
    field(publisher_field, &escape(csl.publisher));
    if let Some(place) = csl.publisher_place {
        field("address", &escape(place));
    }
    if let Some(series) = csl.collection_title {
        field("series", &protect_case(&escape(series)));
    }
    // `date` for biblatex, `year` for BibTeX styles and Mendeley.
    field("date", &csl.issued.0.format("%Y-%m-%d").to_string());
    field("year", &csl.year().to_string());
    field("url", &verbatim(csl.url));
    field("urldate", &csl.accessed.0.format("%Y-%m-%d").to_string());
    field("language", &escape(&language_name(csl.language)));
    if let Some(t) = csl.original_title {
        field("origtitle", &protect_case(&escape(t)));
    }
    if let Some(lang) = csl.extra.original_language {
        field("origlanguage", &escape(&language_name(lang)));
    }
    if let Some(p) = csl.original_publisher {
        field("origpublisher", &escape(p));
    }
    if let Some(d) = csl.original_date {
        field("origdate", &d.0.format("%Y-%m-%d").to_string());
    }
    if let Some(s) = &csl.summary {
        field("abstract", &escape(&super::csl::one_line(s)));
    }
    if !csl.extra.topics.is_empty() {
        field("keywords", &escape(&csl.extra.topics.join(", ")));
    }
    if let Some(note) = &csl.note {
        field("note", &escape(&note.lines().collect::<Vec<_>>().join("; ")));
    }
    out.extend_from_slice(b"}\n");
}

/// A name as `Family, Given`; a name without parts braced whole, so it is
/// not split (`{Charhar Institute}`).
fn name(n: &CslName) -> String {
    match n {
        CslName::Parts { family, given } => {
            let family = guard_part(&escape(family));
            match given {
                Some(g) => format!("{family}, {}", guard_part(&escape(g))),
                None => family,
            }
        }
        CslName::Literal { literal } => format!("{{{}}}", escape(literal)),
    }
}

/// A name part that BibTeX would split (a comma, the word `and`) braced.
fn guard_part(part: &str) -> String {
    let splits = part.contains(',') || part.split_whitespace().any(|w| w.eq_ignore_ascii_case("and"));
    if splits {
        format!("{{{part}}}")
    } else {
        part.to_owned()
    }
}

/// `s` with BibTeX's special characters escaped and line breaks as spaces.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 8);
    let mut space = false;
    for ch in s.chars() {
        if ch.is_whitespace() {
            space = !out.is_empty();
            continue;
        }
        if space {
            out.push(' ');
            space = false;
        }
        match ch {
            '#' | '$' | '%' | '&' | '_' => {
                out.push('\\');
                out.push(ch);
            }
            // Braces by name: an escaped `\{` still counts for brace balance.
            '{' => out.push_str("\\textbraceleft{}"),
            '}' => out.push_str("\\textbraceright{}"),
            '\\' => out.push_str("\\textbackslash{}"),
            '~' => out.push_str("\\textasciitilde{}"),
            '^' => out.push_str("\\textasciicircum{}"),
            _ => out.push(ch),
        }
    }
    out
}

/// Words of an escaped title that have capitals, braced.
fn protect_case(escaped: &str) -> String {
    escaped
        .split(' ')
        .map(|w| if w.chars().any(char::is_uppercase) { format!("{{{w}}}") } else { w.to_owned() })
        .collect::<Vec<_>>()
        .join(" ")
}

/// A verbatim field (`url`): written as it is, except what would unbalance
/// the braces or end the field, percent-encoded.
fn verbatim(s: &str) -> String {
    s.chars()
        .filter(|c| !c.is_control())
        .map(|c| match c {
            '{' => "%7B".to_owned(),
            '}' => "%7D".to_owned(),
            '\\' => "%5C".to_owned(),
            ' ' => "%20".to_owned(),
            _ => c.to_string(),
        })
        .collect()
}

/// The biblatex language name of a BCP 47 tag (`en` → `english`); other
/// tags as they are.
fn language_name(tag: &str) -> String {
    let primary = tag.split(['-', '_']).next().unwrap_or(tag).to_ascii_lowercase();
    let name = match primary.as_str() {
        "en" => "english",
        "ja" => "japanese",
        "zh" => "chinese",
        "ko" => "korean",
        "ru" => "russian",
        "de" => "german",
        "fr" => "french",
        "es" => "spanish",
        "it" => "italian",
        "pt" => "portuguese",
        "ar" => "arabic",
        _ => return tag.to_owned(),
    };
    name.to_owned()
}

#[cfg(test)]
mod tests {
    use biblatex::{Bibliography, ChunksExt, Person};

    use super::*;
    use crate::render::cite::fixtures::Fixture;
    use crate::render::cite::{render_all, CitationFormat};

    fn parse(fixtures: &[Fixture]) -> (String, Bibliography) {
        let citables: Vec<_> = fixtures.iter().map(Fixture::citable).collect();
        let text = String::from_utf8(render_all(CitationFormat::Bibtex, &citables).unwrap()).unwrap();
        let bib = Bibliography::parse(&text).unwrap_or_else(|e| panic!("{e:?}\n{text}"));
        (text, bib)
    }

    fn field(entry: &biblatex::Entry, name: &str) -> String {
        entry.get(name).unwrap_or_else(|| panic!("no field {name}")).format_verbatim()
    }

    fn person(p: &Person) -> (&str, &str) {
        (p.name.as_str(), p.given_name.as_str())
    }

    #[test]
    fn entries_parse_back_with_their_fields() {
        let (text, bib) = parse(&[Fixture::jfir_two_authors(), Fixture::charhar()]);
        assert_eq!(bib.len(), 2, "{text}");

        let jfir = bib.get("tokiwa2021what-812").expect("the JFIR key");
        assert_eq!(jfir.entry_type.to_string(), "techreport");
        let authors = jfir.author().unwrap();
        assert_eq!(authors.iter().map(person).collect::<Vec<_>>(), [("Tokiwa", "Shin"), ("Hakamada", "Shigeki")]);
        let translators = jfir.translator().unwrap();
        assert_eq!(translators.len(), 1);
        assert_eq!(translators[0].name, "JFIR Translation Desk", "a literal name stays whole");
        assert_eq!(
            jfir.title().unwrap().format_verbatim(),
            "What is Putin’s Strategy on Japan? Vigilance needed on Russia’s ‘Peace Treaty’ Proposal"
        );
        assert_eq!(field(jfir, "institution"), "The Japan Forum on International Relations");
        assert_eq!(field(jfir, "type"), "Commentary");
        assert_eq!(field(jfir, "address"), "Tokyo");
        assert_eq!(field(jfir, "series"), "JFIR Commentary");
        let date = jfir.date().unwrap();
        let biblatex::PermissiveType::Typed(date) = date else { panic!("untyped date") };
        let biblatex::DateValue::At(at) = date.value else { panic!("not one day") };
        assert_eq!((at.year, at.month, at.day), (2021, Some(7), Some(1)), "months and days count from 0");
        assert_eq!(field(jfir, "year"), "2021");
        assert_eq!(jfir.url().unwrap(), "https://api.example.test/articles/812");
        assert_eq!(field(jfir, "urldate"), "2026-05-04");
        assert_eq!(field(jfir, "language"), "english");
        assert_eq!(field(jfir, "origlanguage"), "japanese");
        assert_eq!(field(jfir, "origpublisher"), "Hyakka-Seiho (Hundred Flowers in Full Bloom)");
        assert_eq!(field(jfir, "origdate"), "2021-06-19");
        assert!(field(jfir, "note").starts_with("(This is the English translation"));

        let charhar = bib.get("wang2018japan-4077").expect("the Charhar key");
        assert_eq!(charhar.author().unwrap().iter().map(person).collect::<Vec<_>>(), [("Wang", "Peng")]);
        let editors = charhar.editors().unwrap();
        let names: Vec<_> = editors.iter().flat_map(|(people, _)| people.iter().map(person)).collect();
        assert_eq!(names, [("Liang", "Chenglu"), ("Kang", "Sijun")]);
        assert_eq!(field(charhar, "origpublisher"), "CGTN");
        assert!(field(charhar, "note").contains("news.cgtn.com"));
    }

    #[test]
    fn special_characters_are_escaped_and_read_back() {
        let mut f = Fixture::charhar();
        let title = r"R&D: 100% {tariffs} on EU_27 #1 $5 ~ ^ \ ok";
        f.item.title = title.into();
        f.item.publisher.name = "Smith & Sons {Tokyo}".into();
        f.item.summary = Some("Line one\nline two".into());
        let (text, bib) = parse(&[f]);
        let entry = bib.iter().next().unwrap();
        assert_eq!(entry.title().unwrap().format_verbatim(), title, "{text}");
        assert_eq!(field(entry, "institution"), "Smith & Sons {Tokyo}");
        assert_eq!(field(entry, "abstract"), "Line one line two");
        // Capitalised words are braced, so they keep their case.
        assert!(text.contains("{R\\&D:}"), "{text}");
    }

    #[test]
    fn names_that_would_split_are_braced() {
        let n = CslName::Parts { family: "Smith and Wesson".into(), given: Some("Jr., John".into()) };
        assert_eq!(name(&n), "{Smith and Wesson}, {Jr., John}");
        assert_eq!(name(&CslName::Literal { literal: "Charhar Institute".into() }), "{Charhar Institute}");
    }
}
