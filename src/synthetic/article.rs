//! Generated articles: one line each, its metadata drawn with the shares a
//! think-tank corpus has (mostly English commentary with one author, some
//! translations, sources, figures and references) and its text from
//! `Prose`. Buffers are reused from one article to the next.

use std::io::{self, Write};

use chrono::{Datelike, Duration, NaiveDate, NaiveDateTime};

use super::catalog::{PUBLISHERS, REGIONS, SERIES, TOPICS, TOP_LEVEL_REGIONS};
use super::names::{
    AGENCIES, CHINESE_PHRASES, CHINESE_VENUES, FRENCH_MONTHS, FRENCH_PHRASES, FRENCH_VENUES, JAPANESE_PHRASES,
    JAPANESE_VENUES, JOURNALS, OUTLETS,
};
use super::people::{affiliation, person_name, AuthorPool};
use super::prose::{Mentions, Prose};
use super::random::{Dice, Weights};
use super::slugs::{slugify, SlugSet};
use super::wire::{write_line, ArticleLine, BylineLine, FigureLine, ReferenceLine, SourceLine, TranslationLine};
use crate::domain::Kind;
use crate::domain::{ArticleType, BodyStatus, ContributorRole, SeriesType};

/// Article types and their shares, in thousandths.
const TYPES: &[(ArticleType, u32)] = &[
    (ArticleType::Commentary, 380),
    (ArticleType::Analysis, 250),
    (ArticleType::News, 200),
    (ArticleType::Report, 70),
    (ArticleType::Interview, 40),
    (ArticleType::Event, 20),
    (ArticleType::Newsletter, 20),
    (ArticleType::Book, 10),
    (ArticleType::PeriodicalIssue, 10),
];

/// Bodies run from 1,000 words to 3,000: a body ends with the sentence that
/// reaches its target, and no sentence runs to 60 words.
const BODY_WORDS: (u32, u32) = (1_000, 2_940);
/// Bodies the source cut short (`body_status: cut`).
const CUT_BODY_WORDS: (u32, u32) = (1_000, 1_400);

/// Articles are published from the first day of 2000 to the last of October 2026.
fn first_day() -> NaiveDate {
    NaiveDate::from_ymd_opt(2000, 1, 1).expect("a valid date")
}

fn last_moment() -> NaiveDateTime {
    NaiveDate::from_ymd_opt(2026, 10, 31).expect("a valid date").and_hms_opt(23, 59, 59).expect("a valid time")
}

/// The series an article of this type may appear in.
fn series_types_for(t: ArticleType) -> &'static [SeriesType] {
    match t {
        ArticleType::Commentary | ArticleType::Analysis | ArticleType::Interview => {
            &[SeriesType::Commentary, SeriesType::Periodical]
        }
        ArticleType::News | ArticleType::Event => &[SeriesType::NewsCategory],
        ArticleType::Report => &[SeriesType::Reports],
        ArticleType::Book => &[SeriesType::BookSeries],
        ArticleType::Newsletter => &[SeriesType::Newsletter],
        ArticleType::PeriodicalIssue => &[SeriesType::Periodical],
    }
}

/// The state that carries from one article to the next.
pub struct ArticleMaker {
    prose: Prose,
    slugs: SlugSet,
    publishers: Weights,
    types: Weights,
    /// Countries by how often they are written about.
    countries: Weights,
    topics: Weights,
    title: String,
    body: String,
    summary: String,
    subtitle: String,
    mentions: Mentions,
}

impl Default for ArticleMaker {
    fn default() -> Self {
        Self::new()
    }
}

impl ArticleMaker {
    pub fn new() -> ArticleMaker {
        let publisher_weights: Vec<u32> = PUBLISHERS.iter().map(|p| p.weight).collect();
        let type_weights: Vec<u32> = TYPES.iter().map(|(_, w)| *w).collect();
        ArticleMaker {
            prose: Prose::new(),
            slugs: SlugSet::default(),
            publishers: Weights::new(&publisher_weights),
            types: Weights::new(&type_weights),
            countries: Weights::zipf(REGIONS.len() - TOP_LEVEL_REGIONS, 3),
            topics: Weights::zipf(TOPICS.len(), 4),
            title: String::new(),
            body: String::with_capacity(32 * 1024),
            summary: String::new(),
            subtitle: String::new(),
            mentions: Mentions::default(),
        }
    }

    /// Write one article line; returns the words in its body.
    pub fn write(&mut self, dice: &mut Dice, authors: &AuthorPool, out: &mut impl Write) -> io::Result<u32> {
        let publisher = self.publishers.draw(dice);
        let article_type = TYPES[self.types.draw(dice)].0;
        let series = self.series(dice, publisher, article_type);

        let regions = self.regions(dice);
        let topics = self.topics(dice);
        self.mentions.places.clear();
        self.mentions.places.extend(regions.iter().map(|&i| REGIONS[i].in_text));
        self.mentions.topics.clear();
        self.mentions.topics.extend(topics.iter().map(|&i| TOPICS[i].name));

        self.prose.title(dice, &self.mentions, &mut self.title);
        let slug = self.slugs.claim(slugify(&self.title, 96));
        let title_truncated = dice.odds(5);
        if title_truncated {
            self.title.push('…');
        }

        let (published, published_at) = published_at(dice, PUBLISHERS[publisher].utc_offset);
        let updated_at = if dice.odds(200) { updated_at(dice, published) } else { None };

        let (language, translation) = language(dice, &self.title, published.date());
        let subtitle = match language {
            "ja" => Some(native_title(dice, JAPANESE_PHRASES, &["と", "：", "の"])),
            "zh" => Some(native_title(dice, CHINESE_PHRASES, &["与", "："])),
            "fr" => Some(native_title(dice, FRENCH_PHRASES, &[" : "])),
            _ if dice.odds(120) => {
                self.subtitle.clear();
                self.prose.sentence(dice, &self.mentions, &mut self.subtitle);
                Some(self.subtitle.clone())
            }
            _ => None,
        };

        let byline = self.byline(dice, authors, translation.is_some());

        let status = match dice.below(1000) {
            0..=29 => BodyStatus::None,
            30..=69 => BodyStatus::Cut,
            _ => BodyStatus::Full,
        };
        self.body.clear();
        let (words, paragraphs) = match status {
            BodyStatus::None => (0, 0),
            BodyStatus::Cut => {
                let target = dice.between(CUT_BODY_WORDS.0, CUT_BODY_WORDS.1);
                self.prose.body(dice, &self.mentions, target, &mut self.body)
            }
            BodyStatus::Full => {
                let target = dice.between(BODY_WORDS.0, BODY_WORDS.1);
                self.prose.body(dice, &self.mentions, target, &mut self.body)
            }
        };
        // `full` is also what a body implies, so it is sometimes left out.
        let body_status = (status != BodyStatus::Full || dice.odds(500)).then_some(status);

        let has_summary = dice.odds(400);
        if has_summary {
            self.summary.clear();
            let sentences = dice.between(1, 3);
            self.prose.sentences(dice, &self.mentions, sentences, &mut self.summary);
        }

        let source = dice.odds(150).then(|| source(dice, &slug, published.date()));
        let figures = if dice.odds(100) { self.figures(dice, paragraphs) } else { Vec::new() };
        let references = if dice.odds(150) { self.references(dice) } else { Vec::new() };

        let series_slug = series.map(|s| SERIES[s].slug);
        let url = dice
            .odds(920)
            .then(|| format!("{}/{}/{slug}", PUBLISHERS[publisher].url, series_slug.unwrap_or("articles")));

        let byline_lines: Vec<BylineLine<'_>> = byline
            .iter()
            .map(|b| BylineLine { author: authors.slug(b.author), role: b.role, affiliation: b.affiliation.as_deref() })
            .collect();
        let region_slugs: Vec<&str> = regions.iter().map(|&i| REGIONS[i].slug).collect();
        let topic_slugs: Vec<&str> = topics.iter().map(|&i| TOPICS[i].slug).collect();
        let figure_lines: Vec<FigureLine<'_>> = figures
            .iter()
            .map(|f| FigureLine { caption: &f.caption, credit: f.credit, after_paragraph: f.after_paragraph })
            .collect();
        let reference_lines: Vec<ReferenceLine<'_>> =
            references.iter().map(|r| ReferenceLine { citation: &r.citation, url: r.url.as_deref() }).collect();

        write_line(
            out,
            &ArticleLine {
                kind: Kind::Article,
                slug: &slug,
                title: &self.title,
                title_truncated,
                subtitle: subtitle.as_deref(),
                article_type,
                language,
                published_at: &published_at,
                updated_at: updated_at.as_deref(),
                url: url.as_deref(),
                publisher: PUBLISHERS[publisher].slug,
                series: series_slug,
                authors: &byline_lines,
                regions: &region_slugs,
                topics: &topic_slugs,
                source: source.as_ref().map(|s| SourceLine {
                    name: s.name,
                    url: s.url.as_deref(),
                    published_on: s.published_on.as_deref(),
                }),
                translation: translation.as_ref().map(|t| TranslationLine {
                    original_language: t.language,
                    original_title: t.title.as_deref(),
                    original_venue: t.venue,
                    original_published_on: t.published_on.as_deref(),
                    original_date_text: t.date_text.as_deref(),
                    note: t.note,
                }),
                figures: &figure_lines,
                references: &reference_lines,
                summary: has_summary.then_some(self.summary.as_str()),
                body_status,
                body: (status != BodyStatus::None).then_some(self.body.as_str()),
            },
        )?;
        Ok(words)
    }

    /// One of the publisher's series that fits the type, usually.
    fn series(&self, dice: &mut Dice, publisher: usize, t: ArticleType) -> Option<usize> {
        let fits = series_types_for(t);
        let candidates: Vec<usize> = (0..SERIES.len())
            .filter(|&i| SERIES[i].publisher == publisher && fits.contains(&SERIES[i].series_type))
            .collect();
        if candidates.is_empty() || !dice.odds(880) {
            return None;
        }
        Some(dice.pick(&candidates))
    }

    /// One to three regions, usually countries.
    fn regions(&self, dice: &mut Dice) -> Vec<usize> {
        let n = match dice.below(100) {
            0..=54 => 1,
            55..=86 => 2,
            _ => 3,
        };
        let mut chosen = Vec::with_capacity(n);
        while chosen.len() < n {
            let i = if dice.odds(150) {
                dice.below(TOP_LEVEL_REGIONS)
            } else {
                TOP_LEVEL_REGIONS + self.countries.draw(dice)
            };
            if !chosen.contains(&i) {
                chosen.push(i);
            }
        }
        chosen
    }

    /// One to four topics.
    fn topics(&self, dice: &mut Dice) -> Vec<usize> {
        let n = match dice.below(100) {
            0..=39 => 1,
            40..=69 => 2,
            70..=89 => 3,
            _ => 4,
        };
        let mut chosen = Vec::with_capacity(n);
        while chosen.len() < n {
            let i = self.topics.draw(dice);
            if !chosen.contains(&i) {
                chosen.push(i);
            }
        }
        chosen
    }

    /// One to three people: the first an author, the others mostly authors
    /// too, now and then an editor, a translator or a contributor.
    fn byline(&self, dice: &mut Dice, authors: &AuthorPool, translated: bool) -> Vec<Byline> {
        if authors.is_empty() {
            return Vec::new();
        }
        let n = match dice.below(100) {
            0..=59 => 1,
            60..=89 => 2,
            _ => 3,
        }
        .min(authors.len());
        let mut byline: Vec<Byline> = Vec::with_capacity(n + 1);
        let mut tries = 0;
        while byline.len() < n && tries < 20 {
            tries += 1;
            let author = authors.draw(dice);
            if byline.iter().any(|b| b.author == author) {
                continue;
            }
            let role = if byline.is_empty() {
                ContributorRole::Author
            } else {
                match dice.below(100) {
                    0..=81 => ContributorRole::Author,
                    82..=89 => ContributorRole::Editor,
                    90..=94 if translated => ContributorRole::Translator,
                    90..=94 => ContributorRole::Author,
                    95..=97 => ContributorRole::Contributor,
                    _ => ContributorRole::ExecutiveEditor,
                }
            };
            let affiliation = match dice.below(100) {
                0..=79 => authors.affiliation(author).map(str::to_owned),
                80..=87 => Some(affiliation(dice)),
                _ => None,
            };
            byline.push(Byline { author, role, affiliation });
        }
        // A translator credited besides the authors, keeping to three names.
        if translated && byline.len() < 3 && dice.odds(300) {
            let author = authors.draw(dice);
            if !byline.iter().any(|b| b.author == author) {
                byline.push(Byline { author, role: ContributorRole::Translator, affiliation: None });
            }
        }
        byline
    }

    fn figures(&self, dice: &mut Dice, paragraphs: u32) -> Vec<Figure> {
        (0..dice.between(1, 3))
            .map(|_| {
                let mut caption = String::new();
                self.prose.sentence(dice, &self.mentions, &mut caption);
                let credit = dice.odds(700).then(|| dice.pick(AGENCIES));
                let after_paragraph = (paragraphs > 0 && dice.odds(850)).then(|| dice.between(1, paragraphs));
                Figure { caption, credit, after_paragraph }
            })
            .collect()
    }

    fn references(&self, dice: &mut Dice) -> Vec<Reference> {
        let mut title = String::new();
        (0..dice.between(1, 8))
            .map(|_| {
                let person = person_name(dice);
                self.prose.title(dice, &self.mentions, &mut title);
                let (start, length) = (dice.between(1, 400), dice.between(5, 40));
                let citation = format!(
                    "{}, {}. “{title}.” {} {}, no. {} ({}): {start}–{}.",
                    person.family,
                    person.given,
                    dice.pick(JOURNALS),
                    dice.between(1, 60),
                    dice.between(1, 6),
                    dice.between(1975, 2026),
                    start + length,
                );
                let url = dice.odds(500).then(|| {
                    format!("https://doi.example.org/10.{}/{}", dice.between(1000, 9999), dice.between(1, 999_999))
                });
                Reference { citation, url }
            })
            .collect()
    }
}

struct Byline {
    author: usize,
    role: ContributorRole,
    affiliation: Option<String>,
}

struct Figure {
    caption: String,
    credit: Option<&'static str>,
    after_paragraph: Option<u32>,
}

struct Reference {
    citation: String,
    url: Option<String>,
}

struct Source {
    name: &'static str,
    url: Option<String>,
    published_on: Option<String>,
}

struct Translation {
    language: &'static str,
    title: Option<String>,
    venue: Option<&'static str>,
    published_on: Option<String>,
    date_text: Option<String>,
    note: Option<&'static str>,
}

/// A moment in the publishing range, later years a little more likely, at
/// an hour of the working day more often than not. Returns the moment in
/// UTC and how the line gives it: usually a UTC date-time, sometimes a
/// date alone or a date-time at the publisher's UTC offset.
fn published_at(dice: &mut Dice, utc_offset: u32) -> (NaiveDateTime, String) {
    let days = (last_moment().date() - first_day()).num_days() as usize + 1;
    let mut day = dice.below(days);
    if dice.odds(500) {
        // The larger of two draws: more is published now than in 2000.
        day = day.max(dice.below(days));
    }
    let date = first_day() + Duration::days(day as i64);
    match dice.below(100) {
        0..=7 => {
            let at = date.and_hms_opt(0, 0, 0).expect("midnight");
            (at, date.format("%Y-%m-%d").to_string())
        }
        roll => {
            let hour = if dice.odds(800) { dice.between(6, 20) } else { dice.between(0, 23) };
            let minute = dice.between(0, 59);
            let second = if dice.odds(850) { 0 } else { dice.between(0, 59) };
            let at = date.and_hms_opt(hour, minute, second).expect("a valid time");
            if roll < 16 && utc_offset > 0 {
                let local = at + Duration::hours(i64::from(utc_offset));
                (at, format!("{}+{utc_offset:02}:00", local.format("%Y-%m-%dT%H:%M:%S")))
            } else {
                (at, at.format("%Y-%m-%dT%H:%M:%SZ").to_string())
            }
        }
    }
}

/// A revision between an hour and about a year after publication, if that
/// still falls in the range.
fn updated_at(dice: &mut Dice, published: NaiveDateTime) -> Option<String> {
    let updated = published + Duration::minutes(i64::from(dice.between(60, 400 * 24 * 60)));
    (updated <= last_moment()).then(|| updated.format("%Y-%m-%dT%H:%M:%SZ").to_string())
}

/// The article's language, and where it was translated from if it was.
fn language(dice: &mut Dice, title: &str, published: NaiveDate) -> (&'static str, Option<Translation>) {
    match dice.below(1000) {
        0..=849 => ("en", None),
        850..=919 => {
            let (language, phrases, joiners, venues): (_, _, &[&str], _) = match dice.below(100) {
                0..=39 => ("ja", JAPANESE_PHRASES, &["と", "：", "の"], JAPANESE_VENUES),
                40..=74 => ("zh", CHINESE_PHRASES, &["与", "："], CHINESE_VENUES),
                _ => ("fr", FRENCH_PHRASES, &[" : "], FRENCH_VENUES),
            };
            let venue = dice.pick(venues);
            let original = published - Duration::days(i64::from(dice.between(0, 45)));
            let date_text = dice.odds(400).then(|| match language {
                "fr" => format!("{} {} {}", original.day(), FRENCH_MONTHS[original.month0() as usize], original.year()),
                _ => format!("{}年{}月{}日", original.year(), original.month(), original.day()),
            });
            let note = dice.odds(800).then_some(match language {
                "ja" => "(This is the English translation of an article originally published in Japanese.)",
                "zh" => "(This is the English translation of an article originally published in Chinese.)",
                _ => "(This is the English translation of an article originally published in French.)",
            });
            let translation = Translation {
                language,
                title: dice.odds(850).then(|| native_title(dice, phrases, joiners)),
                venue: dice.odds(900).then_some(venue),
                published_on: dice.odds(850).then(|| original.format("%Y-%m-%d").to_string()),
                date_text,
                note,
            };
            ("en", Some(translation))
        }
        roll => {
            let language = match roll {
                920..=959 => "ja",
                960..=984 => "zh",
                _ => "fr",
            };
            // Published in translation from an English original.
            let translation = dice.odds(800).then(|| Translation {
                language: "en",
                title: Some(title.to_owned()),
                venue: None,
                published_on: None,
                date_text: None,
                note: Some("Translated from the English original."),
            });
            (language, translation)
        }
    }
}

/// Two phrases of a title in another language, joined.
fn native_title(dice: &mut Dice, phrases: &[&str], joiners: &[&str]) -> String {
    let first = dice.pick(phrases);
    let mut second = dice.pick(phrases);
    while second == first {
        second = dice.pick(phrases);
    }
    format!("{first}{}{second}", dice.pick(joiners))
}

/// Where the article first appeared.
fn source(dice: &mut Dice, slug: &str, published: NaiveDate) -> Source {
    let name = dice.pick(OUTLETS);
    let url = dice.odds(800).then(|| {
        format!("https://{}.example.com/{}/{:02}/{slug}", slugify(name, 60), published.year(), published.month())
    });
    let on = published - Duration::days(i64::from(dice.between(0, 10)));
    let published_on = dice.odds(850).then(|| on.format("%Y-%m-%d").to_string());
    Source { name, url, published_on }
}
