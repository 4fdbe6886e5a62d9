//! The one mapping of an article to a citation: a CSL-JSON item (CSL 1.0.2
//! input schema). CSL-JSON writes it as it is; BibTeX and RIS read their
//! fields from it; the formatted styles hand it to the CSL processor.

use std::borrow::Cow;

use chrono::{Datelike, NaiveDate};
use serde::Serialize;

use super::{Citable, NameParts};
use crate::domain::{fold, ArticleType, ContributorRole};
use crate::render::item::Person;

/// The CSL item types articles are written as (the table in `cite`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum CslType {
    Report,
    Book,
    Webpage,
}

/// The CSL type of an article type and the genre that names it.
pub fn shape(t: ArticleType) -> (CslType, Option<&'static str>) {
    match t {
        ArticleType::Commentary => (CslType::Report, Some("Commentary")),
        ArticleType::Analysis => (CslType::Report, Some("Analysis")),
        ArticleType::Interview => (CslType::Report, Some("Interview")),
        ArticleType::Report => (CslType::Report, Some("Report")),
        ArticleType::Newsletter => (CslType::Report, Some("Newsletter")),
        ArticleType::Book => (CslType::Book, None),
        ArticleType::PeriodicalIssue => (CslType::Book, Some("Periodical issue")),
        ArticleType::News => (CslType::Webpage, Some("News")),
        ArticleType::Event => (CslType::Webpage, Some("Event")),
    }
}

/// A name: family and given parts, or the name as written.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(untagged)]
pub enum CslName {
    Parts {
        family: String,
        #[serde(skip_serializing_if = "Option::is_none")]
        given: Option<String>,
    },
    Literal {
        literal: String,
    },
}

/// A date as `date-parts` (year, month, day).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CslDate(pub NaiveDate);

impl Serialize for CslDate {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        #[derive(Serialize)]
        struct Parts {
            #[serde(rename = "date-parts")]
            date_parts: [[i32; 3]; 1],
        }
        let d = self.0;
        Parts { date_parts: [[d.year(), d.month() as i32, d.day() as i32]] }.serialize(s)
    }
}

/// One article as a CSL-JSON item.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "kebab-case")]
pub struct CslItem<'a> {
    pub id: String,
    #[serde(rename = "type")]
    pub kind: CslType,
    /// The same key as `id` (read by pandoc and Better BibTeX).
    pub citation_key: String,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub author: Vec<CslName>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub editor: Vec<CslName>,
    /// Executive editors.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub editorial_director: Vec<CslName>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub translator: Vec<CslName>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub contributor: Vec<CslName>,
    /// Title and subtitle, as "Title: Subtitle".
    pub title: Cow<'a, str>,
    /// The title without its subtitle, when there is one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub title_short: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub genre: Option<&'static str>,
    pub publisher: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub publisher_place: Option<&'a str>,
    /// The series.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub collection_title: Option<&'a str>,
    /// The website of a web page (its publisher).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub container_title: Option<&'a str>,
    pub issued: CslDate,
    pub accessed: CslDate,
    #[serde(rename = "URL")]
    pub url: &'a str,
    pub language: &'a str,
    #[serde(rename = "abstract", skip_serializing_if = "Option::is_none")]
    pub summary: Option<&'a str>,
    /// Topics, comma-separated.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub keyword: Option<String>,
    /// Of a translation: the original's title.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub original_title: Option<&'a str>,
    /// Of a translation: where the original appeared; of a republished
    /// article: where it first appeared.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub original_publisher: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub original_date: Option<CslDate>,
    /// The translation note, the original's language and date as written,
    /// and where a republished article first appeared: one a line.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// Not CSL: what the other formats read besides the CSL variables.
    #[serde(skip)]
    pub extra: Extra<'a>,
}

/// What BibTeX and RIS have fields for and CSL has not.
#[derive(Debug, Clone, Default)]
pub struct Extra<'a> {
    /// The original's language (BCP 47), of a translation.
    pub original_language: Option<&'a str>,
    /// The first place of a republished article.
    pub source_url: Option<&'a str>,
    pub topics: Vec<&'a str>,
}

impl<'a> CslItem<'a> {
    /// The item of `c`.
    pub fn new(c: &'a Citable<'a>) -> CslItem<'a> {
        let item = c.item;
        let (kind, genre) = shape(item.article_type);
        let key = citation_key(c);

        let mut item_out = CslItem {
            id: key.clone(),
            kind,
            citation_key: key,
            author: Vec::new(),
            editor: Vec::new(),
            editorial_director: Vec::new(),
            translator: Vec::new(),
            contributor: Vec::new(),
            title: match item.subtitle.as_deref().filter(|s| !s.trim().is_empty()) {
                Some(sub) => Cow::Owned(join_title(&item.title, sub)),
                None => Cow::Borrowed(item.title.as_ref()),
            },
            title_short: item.subtitle.as_deref().filter(|s| !s.trim().is_empty()).map(|_| item.title.as_ref()),
            genre,
            publisher: &item.publisher.name,
            publisher_place: c.publisher_place.filter(|p| !p.trim().is_empty()),
            collection_title: item.series.as_ref().map(|s| s.name.as_ref()),
            container_title: (kind == CslType::Webpage).then_some(item.publisher.name.as_ref()),
            issued: CslDate(item.published_at.date_naive()),
            accessed: CslDate(c.accessed),
            url: item.url.as_deref().filter(|u| !u.is_empty()).unwrap_or(c.api_url),
            language: &item.language,
            summary: item.summary.as_deref().filter(|s| !s.trim().is_empty()),
            keyword: None,
            original_title: None,
            original_publisher: None,
            original_date: None,
            note: None,
            extra: Extra { topics: item.topics.iter().map(|t| t.name.as_ref()).collect(), ..Extra::default() },
        };
        if !item_out.extra.topics.is_empty() {
            item_out.keyword = Some(item_out.extra.topics.join(", "));
        }

        let translators = item.translation.iter().flat_map(|t| t.translators.iter());
        let mut seen = Vec::new();
        for p in item.authors.iter().chain(translators) {
            // A translator may be both in the byline and in the translation.
            if seen.contains(&(p.id, p.role)) {
                continue;
            }
            seen.push((p.id, p.role));
            let name = csl_name(p, c.names.get(&p.id));
            match p.role {
                ContributorRole::Author => item_out.author.push(name),
                ContributorRole::Editor => item_out.editor.push(name),
                ContributorRole::ExecutiveEditor => item_out.editorial_director.push(name),
                ContributorRole::Translator => item_out.translator.push(name),
                ContributorRole::Contributor => item_out.contributor.push(name),
            }
        }

        let mut note: Vec<String> = Vec::new();
        if let Some(t) = &item.translation {
            item_out.original_title = t.original_title.as_deref().filter(|s| !s.trim().is_empty());
            item_out.original_publisher = t.original_venue.as_deref().filter(|s| !s.trim().is_empty());
            item_out.original_date = t.original_published_on.map(CslDate);
            item_out.extra.original_language = t.original_language.as_deref().filter(|s| !s.trim().is_empty());
            if let Some(n) = t.note.as_deref().filter(|s| !s.trim().is_empty()) {
                note.push(one_line(n));
            }
            if let Some(lang) = item_out.extra.original_language {
                note.push(format!("Original language: {lang}"));
            }
            if t.original_published_on.is_none() {
                if let Some(text) = t.original_date_text.as_deref().filter(|s| !s.trim().is_empty()) {
                    note.push(format!("Original date: {}", one_line(text)));
                }
            }
        }
        if let Some(s) = &item.source {
            if item_out.original_publisher.is_none() {
                item_out.original_publisher = Some(&s.name);
                item_out.original_date = s.published_on.map(CslDate);
            }
            item_out.extra.source_url = s.url.as_deref().filter(|u| !u.is_empty());
            let mut line = format!("Originally published by {}", one_line(&s.name));
            if let Some(d) = s.published_on {
                line.push_str(&format!(" on {d}"));
            }
            if let Some(u) = item_out.extra.source_url {
                line.push_str(&format!(", {u}"));
            }
            note.push(line);
        }
        if !note.is_empty() {
            item_out.note = Some(note.join("\n"));
        }
        item_out
    }

    /// The year of issue.
    pub fn year(&self) -> i32 {
        self.issued.0.year()
    }
}

fn join_title(title: &str, subtitle: &str) -> String {
    let title = title.trim_end();
    // "Who Knows?" takes no colon before its subtitle.
    if title.ends_with(['?', '!', ':', '.']) {
        format!("{title} {}", subtitle.trim())
    } else {
        format!("{title}: {}", subtitle.trim())
    }
}

/// Runs of whitespace, line breaks included, as one space.
pub fn one_line(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The CSL name of a person of the byline.
pub fn csl_name(p: &Person<'_>, parts: Option<&NameParts>) -> CslName {
    let nonempty = |s: &Option<String>| s.as_deref().map(str::trim).filter(|s| !s.is_empty()).map(str::to_owned);
    match parts.map(|n| (nonempty(&n.family), nonempty(&n.given))) {
        Some((Some(family), given)) => CslName::Parts { family: unshout(&family), given },
        _ => CslName::Literal { literal: one_line(&p.name) },
    }
}

/// A family name written in capitals to mark it ("TOKIWA Shin", the
/// convention of Japanese institutions), in the case a bibliography prints
/// it ("Tokiwa"). Mixed-case names and single letters are left alone.
fn unshout(family: &str) -> String {
    let letters = family.chars().filter(|c| c.is_alphabetic());
    let shouted = letters.clone().count() > 1 && letters.clone().all(|c| c.is_uppercase());
    if !shouted {
        return family.to_owned();
    }
    let mut out = String::with_capacity(family.len());
    let mut start = true;
    for ch in family.chars() {
        if start {
            out.push(ch);
        } else {
            out.extend(ch.to_lowercase());
        }
        start = matches!(ch, ' ' | '-' | '\'' | '’');
    }
    out
}

/// Words a key skips at the start of a title.
const MINOR_WORDS: &[&str] = &["a", "an", "the", "of", "on", "in", "to", "for", "and", "at", "by", "with"];

/// The citation key of `c` (the scheme is in `cite`'s docs).
pub fn citation_key(c: &Citable<'_>) -> String {
    let item = c.item;
    let first = item.authors.iter().find(|p| p.role == ContributorRole::Author).or(item.authors.first());
    let family = match first {
        Some(p) => {
            let parts = c.names.get(&p.id);
            let name = parts.and_then(|n| n.family.as_deref()).filter(|f| !f.trim().is_empty()).unwrap_or(&p.name);
            Some(key_word(name)).filter(|w| !w.is_empty()).unwrap_or_else(|| key_word(&p.slug))
        }
        None => key_word(&item.publisher.name),
    };
    let family = if family.is_empty() { key_word(&item.publisher.slug) } else { family };
    let word = fold(&item.title)
        .split_whitespace()
        .map(|w| w.chars().filter(char::is_ascii_alphanumeric).collect::<String>())
        .find(|w| !w.is_empty() && !MINOR_WORDS.contains(&w.as_str()))
        .unwrap_or_default();
    format!("{family}{}{word}-{}", item.published_at.year(), item.id)
}

/// Lowercase ASCII letters and digits of `s`, accents dropped.
fn key_word(s: &str) -> String {
    fold(s).chars().filter(char::is_ascii_alphanumeric).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::cite::fixtures::Fixture;

    #[test]
    fn keys_are_readable_and_carry_the_id() {
        let f = Fixture::jfir();
        assert_eq!(citation_key(&f.citable()), "tokiwa2021what-812");
        let f = Fixture::charhar();
        assert_eq!(citation_key(&f.citable()), "wang2018japan-4077");
    }

    #[test]
    fn a_key_without_authors_or_latin_letters_falls_back() {
        let mut f = Fixture::charhar();
        f.item.authors.clear();
        assert_eq!(citation_key(&f.citable()), "charharinstitute2018japan-4077");
        let mut f = Fixture::charhar();
        f.names.clear();
        f.item.authors[0].name = "王鹏".into();
        assert_eq!(citation_key(&f.citable()), "wangpeng2018japan-4077");
    }

    #[test]
    fn shouted_family_names_are_printed_in_title_case() {
        assert_eq!(unshout("TOKIWA"), "Tokiwa");
        assert_eq!(unshout("VAN DER BERG-O'NEIL"), "Van Der Berg-O'Neil");
        assert_eq!(unshout("McDonald"), "McDonald");
        assert_eq!(unshout("王"), "王");
    }

    #[test]
    fn the_translation_fills_the_original_variables_and_the_note() {
        let f = Fixture::jfir();
        let c = f.citable();
        let csl = CslItem::new(&c);
        assert_eq!(csl.kind, CslType::Report);
        assert_eq!(csl.genre, Some("Commentary"));
        assert_eq!(csl.author, vec![CslName::Parts { family: "Tokiwa".into(), given: Some("Shin".into()) }]);
        assert_eq!(csl.translator.len(), 1, "a translator in byline and translation is listed once");
        assert_eq!(csl.original_publisher, Some("Hyakka-Seiho (Hundred Flowers in Full Bloom)"));
        assert_eq!(csl.original_date, Some(CslDate(NaiveDate::from_ymd_opt(2021, 6, 19).unwrap())));
        let note = csl.note.unwrap();
        assert!(note.starts_with("(This is the English translation"), "{note}");
        assert!(note.contains("Original language: ja"), "{note}");
        assert_eq!(csl.url, "https://api.example.test/articles/812", "no publisher URL: the API's");
    }
}
