//! Synthetic corpora (`gen-corpus`): large, realistic-looking NDJSON files
//! in the import format, for load tests and benchmarks.
//!
//! A corpus is a pure function of its `CorpusSpec`: every choice is drawn,
//! in order, from one ChaCha8 stream seeded with `seed`, so the same spec
//! gives the same bytes on any machine. Because articles come last and
//! each draws only what it needs, a corpus of N articles is the first N
//! articles of a larger one with the same seed and author count.
//!
//! Lines come in the order an import needs: publishers, series, regions
//! (parents first), topics, authors, then articles. Memory stays flat
//! whatever the size: articles are written as they are made, and only the
//! authors and a hash per article slug are kept.

mod article;
mod catalog;
mod names;
mod people;
mod prose;
mod random;
mod slugs;
mod wire;
mod words;

use std::io::{self, BufWriter, Write};

use crate::domain::Kind;
use article::ArticleMaker;
use random::Dice;

/// What to generate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CorpusSpec {
    pub articles: u64,
    pub seed: u64,
    pub authors: usize,
}

impl Default for CorpusSpec {
    fn default() -> Self {
        Self { articles: 100_000, seed: 42, authors: 2_000 }
    }
}

/// What was generated.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct CorpusStats {
    pub publishers: u64,
    pub series: u64,
    pub regions: u64,
    pub topics: u64,
    pub authors: u64,
    pub articles: u64,
    /// Words in all article bodies.
    pub body_words: u64,
    /// Bytes written.
    pub bytes: u64,
}

impl CorpusStats {
    /// Lines of one kind.
    pub fn count(&self, kind: Kind) -> u64 {
        match kind {
            Kind::Publisher => self.publishers,
            Kind::Series => self.series,
            Kind::Region => self.regions,
            Kind::Topic => self.topics,
            Kind::Author => self.authors,
            Kind::Article => self.articles,
        }
    }

    /// Lines in all.
    pub fn records(&self) -> u64 {
        self.publishers + self.series + self.regions + self.topics + self.authors + self.articles
    }
}

/// Counts what passes through to the caller's writer.
struct ByteCount<W> {
    inner: W,
    bytes: u64,
}

impl<W: Write> Write for ByteCount<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let n = self.inner.write(buf)?;
        self.bytes += n as u64;
        Ok(n)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.inner.flush()
    }
}

/// Write the corpus `spec` describes to `out`, buffered, and flush it.
pub fn write_corpus(spec: &CorpusSpec, out: &mut impl Write) -> io::Result<CorpusStats> {
    let mut counted = ByteCount { inner: out, bytes: 0 };
    let mut stats = CorpusStats::default();
    {
        let mut out = BufWriter::with_capacity(1 << 20, &mut counted);
        let mut dice = Dice::new(spec.seed);
        (stats.publishers, stats.series, stats.regions, stats.topics) = catalog::write_catalog(&mut out)?;
        let authors = people::write_authors(&mut dice, spec.authors, &mut out)?;
        stats.authors = authors.len() as u64;
        let mut maker = ArticleMaker::new();
        for _ in 0..spec.articles {
            stats.body_words += u64::from(maker.write(&mut dice, &authors, &mut out)?);
            stats.articles += 1;
        }
        out.flush()?;
    }
    stats.bytes = counted.bytes;
    Ok(stats)
}

#[cfg(test)]
mod tests {
    use std::collections::{HashMap, HashSet};

    use super::*;
    use crate::domain::{ArticleType, BodyStatus, ContributorRole};
    use crate::ingest::record::{parse_line, Record};

    fn corpus(articles: u64, seed: u64) -> (Vec<u8>, CorpusStats) {
        let mut out = Vec::new();
        let stats = write_corpus(&CorpusSpec { articles, seed, authors: 200 }, &mut out).unwrap();
        (out, stats)
    }

    #[test]
    fn the_same_seed_gives_the_same_bytes() {
        let (a, stats) = corpus(40, 7);
        let (b, _) = corpus(40, 7);
        assert_eq!(a, b);
        assert_eq!(stats.bytes, a.len() as u64);
        let (c, _) = corpus(40, 8);
        assert_ne!(a, c);
    }

    #[test]
    fn a_smaller_corpus_is_a_prefix_of_a_larger_one() {
        let (small, _) = corpus(10, 3);
        let (large, _) = corpus(20, 3);
        assert!(large.starts_with(&small));
    }

    #[test]
    fn every_line_parses_and_refers_only_to_earlier_lines() {
        let (out, stats) = corpus(300, 42);
        let text = std::str::from_utf8(&out).unwrap();
        let mut defined: HashMap<Kind, HashSet<String>> = HashMap::new();
        let mut counts: HashMap<Kind, u64> = HashMap::new();
        let mut last_kind = Kind::Publisher;
        let mut types = HashSet::new();
        let mut roles = HashSet::new();
        let mut languages = HashSet::new();
        let mut body_words = 0;
        for (i, line) in text.lines().enumerate() {
            let record = parse_line(line).unwrap_or_else(|e| panic!("line {}: {e:?}\n{line}", i + 1));
            assert!(record.kind() >= last_kind, "line {}: kinds out of order", i + 1);
            last_kind = record.kind();
            let fresh = defined.entry(record.kind()).or_default().insert(record.slug().as_str().to_owned());
            assert!(fresh, "line {}: duplicate slug {}", i + 1, record.slug());
            *counts.entry(record.kind()).or_default() += 1;
            let has = |kind: Kind, slug: &str| defined.get(&kind).is_some_and(|s| s.contains(slug));
            match &record {
                Record::Region(r) => {
                    if let Some(p) = &r.parent {
                        assert!(has(Kind::Region, p.as_str()), "line {}", i + 1);
                    }
                }
                Record::Article(a) => {
                    assert!(has(Kind::Publisher, a.publisher.as_str()));
                    assert!(a.series.as_ref().is_none_or(|s| has(Kind::Series, s.as_str())));
                    assert!(a.authors.iter().all(|b| has(Kind::Author, b.author.as_str())));
                    assert!(a.regions.iter().all(|r| has(Kind::Region, r.slug().as_str())));
                    assert!(a.topics.iter().all(|t| has(Kind::Topic, t.slug().as_str())));
                    assert!((1..=3).contains(&a.regions.len()) && (1..=4).contains(&a.topics.len()));
                    assert!((1..=3).contains(&a.authors.len()));
                    let title_words = a.title.as_str().split_whitespace().count();
                    assert!((5..=14).contains(&title_words), "{}", a.title);
                    if let Some(body) = &a.body {
                        let words = body.as_str().split_whitespace().filter(|w| w.contains(char::is_alphanumeric));
                        let words = words.count() as u64;
                        assert!((1_000..=3_000).contains(&words), "{words} words");
                        body_words += words;
                    }
                    assert!(a.published_at.0.date().to_string().as_str() >= "2000-01-01");
                    assert!(a.published_at.0.date().to_string().as_str() <= "2026-10-31");
                    types.insert(a.article_type);
                    roles.extend(a.authors.iter().map(|b| b.role));
                    languages.insert(a.language.as_str().to_owned());
                    if a.effective_body_status() == BodyStatus::None {
                        assert!(a.body.is_none());
                    }
                }
                _ => {}
            }
        }
        for kind in [Kind::Publisher, Kind::Series, Kind::Region, Kind::Topic, Kind::Author, Kind::Article] {
            assert_eq!(counts.get(&kind).copied().unwrap_or(0), stats.count(kind), "{kind:?}");
        }
        assert_eq!(stats.records(), text.lines().count() as u64);
        assert_eq!(stats.body_words, body_words);
        assert!(types.contains(&ArticleType::Commentary) && types.contains(&ArticleType::Report));
        assert!(roles.contains(&ContributorRole::Author) && roles.contains(&ContributorRole::Editor));
        assert!(languages.contains("en") && languages.contains("ja"));
    }

    #[test]
    fn text_has_common_and_rare_words_and_accents() {
        let (out, _) = corpus(30, 1);
        let text = String::from_utf8(out).unwrap();
        let mut counts: HashMap<&str, u32> = HashMap::new();
        for w in text.split(|c: char| !c.is_alphabetic()).filter(|w| !w.is_empty()) {
            *counts.entry(w).or_default() += 1;
        }
        assert!(counts.get("policy").copied().unwrap_or(0) > 200, "{:?}", counts.get("policy"));
        assert!(counts.values().filter(|&&c| c == 1).count() > 100, "rare words");
        assert!(text.contains('é') || text.contains('ü') || text.contains('ã'));
    }
}
