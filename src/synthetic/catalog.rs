//! The fixed part of a synthetic corpus: its publishers, series, regions and
//! topics. They are the same for every seed, so that queries written
//! against one corpus (`?region=japan`, `?topic=trade-policy`) work on all.

use std::io::{self, Write};

use super::wire::{write_line, ContactLine, ProgramLine, PublisherLine, RegionLine, SeriesLine, TopicLine};
use crate::domain::Kind;
use crate::domain::{RegionType, SeriesType};

pub struct PublisherDef {
    pub slug: &'static str,
    pub name: &'static str,
    pub short_name: &'static str,
    pub description: &'static str,
    pub url: &'static str,
    pub founded_on: &'static str,
    pub location: &'static str,
    pub tagline: Option<&'static str>,
    pub offices: &'static [&'static str],
    pub programs: &'static [(&'static str, Option<&'static str>)],
    pub contacts: &'static [(&'static str, &'static str)],
    /// The publisher's UTC offset in hours, used when a date-time is given with one.
    pub utc_offset: u32,
    /// Relative share of the articles.
    pub weight: u32,
}

pub struct SeriesDef {
    pub slug: &'static str,
    pub name: &'static str,
    /// Index into `PUBLISHERS`.
    pub publisher: usize,
    pub series_type: SeriesType,
    pub description: Option<&'static str>,
}

pub struct RegionDef {
    pub slug: &'static str,
    pub name: &'static str,
    /// The name as it reads in a sentence ("the United States").
    pub in_text: &'static str,
    pub parent: Option<&'static str>,
}

impl RegionDef {
    pub fn region_type(&self) -> RegionType {
        if self.parent.is_some() {
            RegionType::Country
        } else {
            RegionType::Region
        }
    }
}

pub struct TopicDef {
    pub slug: &'static str,
    pub name: &'static str,
    pub description: Option<&'static str>,
}

pub const PUBLISHERS: &[PublisherDef] = &[
    PublisherDef {
        slug: "asia-pacific-policy-institute",
        name: "Asia-Pacific Policy Institute",
        short_name: "APPI",
        description: "An independent, non-partisan research institute in Tokyo working on security, trade and \
                      diplomacy in the Asia-Pacific.",
        url: "https://appi.example.org",
        founded_on: "1987-04-01",
        location: "Tokyo",
        tagline: Some("Ideas for a stable and open Asia-Pacific."),
        offices: &["Tokyo", "Osaka", "Singapore"],
        programs: &[
            ("Security Studies", Some("Alliances, deterrence and maritime order.")),
            ("Economic Statecraft", Some("Trade, investment and supply chains.")),
            ("Young Leaders", Some("Fellowships for early-career researchers.")),
        ],
        contacts: &[("email", "info@appi.example.org"), ("phone", "+81 3 5555 0100"), ("twitter", "@appi_tokyo")],
        utc_offset: 9,
        weight: 30,
    },
    PublisherDef {
        slug: "transatlantic-policy-forum",
        name: "Transatlantic Policy Forum",
        short_name: "TPF",
        description: "A forum for policy research and dialogue between Europe and North America.",
        url: "https://tpf.example.org",
        founded_on: "1972-06-15",
        location: "Brussels",
        tagline: None,
        offices: &["Brussels", "Washington, DC", "Berlin", "Warsaw"],
        programs: &[
            ("Geopolitics", Some("Europe's neighbourhood and the wider world.")),
            ("Technology and Society", Some("Digital policy on both sides of the Atlantic.")),
        ],
        contacts: &[("email", "press@tpf.example.org"), ("phone", "+32 2 555 0199")],
        utc_offset: 1,
        weight: 25,
    },
    PublisherDef {
        slug: "institut-europeen-d-etudes-strategiques",
        name: "Institut Européen d'Études Stratégiques",
        short_name: "IEES",
        description: "Un institut de recherche indépendant consacré aux questions stratégiques européennes \
                      et internationales.",
        url: "https://iees.example.org",
        founded_on: "1979-10-02",
        location: "Paris",
        tagline: Some("Comprendre le monde, éclairer la décision."),
        offices: &["Paris", "Bruxelles"],
        programs: &[("Sécurité européenne", Some("Défense et sécurité de l'Europe.")), ("Économie mondiale", None)],
        contacts: &[("email", "contact@iees.example.org"), ("fax", "+33 1 55 55 01 02")],
        utc_offset: 1,
        weight: 15,
    },
    PublisherDef {
        slug: "huaxia-institute-for-international-dialogue",
        name: "Huaxia Institute for International Dialogue",
        short_name: "HIID",
        description: "A Beijing-based institute promoting dialogue on China's foreign relations and global \
                      governance.",
        url: "https://hiid.example.org",
        founded_on: "2009-09-01",
        location: "Beijing",
        tagline: None,
        offices: &["Beijing", "Shanghai", "Hong Kong"],
        programs: &[
            ("Public Diplomacy", Some("China's engagement with foreign publics.")),
            ("Belt and Road Studies", Some("Infrastructure, finance and connectivity.")),
        ],
        contacts: &[("email", "office@hiid.example.org"), ("phone", "+86 10 5555 0123")],
        utc_offset: 8,
        weight: 18,
    },
    PublisherDef {
        slug: "global-south-research-network",
        name: "Global South Research Network",
        short_name: "GSRN",
        description: "A network of researchers in Africa, Latin America and South Asia working on development \
                      and the international order.",
        url: "https://gsrn.example.org",
        founded_on: "2014-03-20",
        location: "São Paulo",
        tagline: Some("Research from the South, for the world."),
        offices: &["São Paulo", "Nairobi", "New Delhi"],
        programs: &[("Development Finance", Some("Debt, aid and investment.")), ("Climate Justice", None)],
        contacts: &[("email", "hello@gsrn.example.org")],
        utc_offset: 0,
        weight: 12,
    },
];

pub const SERIES: &[SeriesDef] = &[
    SeriesDef {
        slug: "appi-commentary",
        name: "APPI Commentary",
        publisher: 0,
        series_type: SeriesType::Commentary,
        description: Some("Short analyses of current affairs by APPI fellows."),
    },
    SeriesDef {
        slug: "appi-policy-reports",
        name: "APPI Policy Reports",
        publisher: 0,
        series_type: SeriesType::Reports,
        description: None,
    },
    SeriesDef {
        slug: "appi-newsletter",
        name: "APPI Newsletter",
        publisher: 0,
        series_type: SeriesType::Newsletter,
        description: None,
    },
    SeriesDef {
        slug: "appi-news",
        name: "APPI News",
        publisher: 0,
        series_type: SeriesType::NewsCategory,
        description: None,
    },
    SeriesDef {
        slug: "tpf-analysis",
        name: "TPF Analysis",
        publisher: 1,
        series_type: SeriesType::Commentary,
        description: Some("Analysis and opinion from the Forum's experts."),
    },
    SeriesDef {
        slug: "transatlantic-quarterly",
        name: "Transatlantic Quarterly",
        publisher: 1,
        series_type: SeriesType::Periodical,
        description: None,
    },
    SeriesDef {
        slug: "tpf-policy-briefs",
        name: "TPF Policy Briefs",
        publisher: 1,
        series_type: SeriesType::Reports,
        description: None,
    },
    SeriesDef {
        slug: "notes-de-l-iees",
        name: "Notes de l'IEES",
        publisher: 2,
        series_type: SeriesType::Commentary,
        description: Some("Analyses courtes sur l'actualité stratégique."),
    },
    SeriesDef {
        slug: "etudes-de-l-iees",
        name: "Les Études de l'IEES",
        publisher: 2,
        series_type: SeriesType::BookSeries,
        description: None,
    },
    SeriesDef {
        slug: "iees-actualites",
        name: "Actualités",
        publisher: 2,
        series_type: SeriesType::NewsCategory,
        description: None,
    },
    SeriesDef {
        slug: "hiid-perspectives",
        name: "HIID Perspectives",
        publisher: 3,
        series_type: SeriesType::Commentary,
        description: None,
    },
    SeriesDef {
        slug: "dialogue-review",
        name: "Dialogue Review",
        publisher: 3,
        series_type: SeriesType::Periodical,
        description: Some("A quarterly journal of international dialogue."),
    },
    SeriesDef {
        slug: "hiid-news",
        name: "HIID News",
        publisher: 3,
        series_type: SeriesType::NewsCategory,
        description: None,
    },
    SeriesDef {
        slug: "gsrn-working-papers",
        name: "GSRN Working Papers",
        publisher: 4,
        series_type: SeriesType::Reports,
        description: None,
    },
    SeriesDef {
        slug: "gsrn-commentary",
        name: "GSRN Commentary",
        publisher: 4,
        series_type: SeriesType::Commentary,
        description: None,
    },
];

/// Top-level regions first, then countries; countries in rough order of how
/// often the corpus writes about them.
pub const REGIONS: &[RegionDef] = &[
    RegionDef { slug: "asia", name: "Asia", in_text: "Asia", parent: None },
    RegionDef { slug: "europe", name: "Europe", in_text: "Europe", parent: None },
    RegionDef { slug: "middle-east", name: "Middle East", in_text: "the Middle East", parent: None },
    RegionDef { slug: "africa", name: "Africa", in_text: "Africa", parent: None },
    RegionDef { slug: "americas", name: "Americas", in_text: "the Americas", parent: None },
    RegionDef { slug: "oceania", name: "Oceania", in_text: "Oceania", parent: None },
    RegionDef { slug: "japan", name: "Japan", in_text: "Japan", parent: Some("asia") },
    RegionDef { slug: "china", name: "China", in_text: "China", parent: Some("asia") },
    RegionDef { slug: "united-states", name: "United States", in_text: "the United States", parent: Some("americas") },
    RegionDef { slug: "russia", name: "Russia", in_text: "Russia", parent: Some("europe") },
    RegionDef { slug: "south-korea", name: "South Korea", in_text: "South Korea", parent: Some("asia") },
    RegionDef { slug: "germany", name: "Germany", in_text: "Germany", parent: Some("europe") },
    RegionDef { slug: "france", name: "France", in_text: "France", parent: Some("europe") },
    RegionDef { slug: "india", name: "India", in_text: "India", parent: Some("asia") },
    RegionDef { slug: "taiwan", name: "Taiwan", in_text: "Taiwan", parent: Some("asia") },
    RegionDef { slug: "ukraine", name: "Ukraine", in_text: "Ukraine", parent: Some("europe") },
    RegionDef { slug: "united-kingdom", name: "United Kingdom", in_text: "the United Kingdom", parent: Some("europe") },
    RegionDef { slug: "north-korea", name: "North Korea", in_text: "North Korea", parent: Some("asia") },
    RegionDef { slug: "australia", name: "Australia", in_text: "Australia", parent: Some("oceania") },
    RegionDef { slug: "iran", name: "Iran", in_text: "Iran", parent: Some("middle-east") },
    RegionDef { slug: "indonesia", name: "Indonesia", in_text: "Indonesia", parent: Some("asia") },
    RegionDef { slug: "brazil", name: "Brazil", in_text: "Brazil", parent: Some("americas") },
    RegionDef { slug: "turkiye", name: "Türkiye", in_text: "Türkiye", parent: Some("europe") },
    RegionDef { slug: "vietnam", name: "Vietnam", in_text: "Vietnam", parent: Some("asia") },
    RegionDef { slug: "philippines", name: "Philippines", in_text: "the Philippines", parent: Some("asia") },
    RegionDef { slug: "poland", name: "Poland", in_text: "Poland", parent: Some("europe") },
    RegionDef { slug: "israel", name: "Israel", in_text: "Israel", parent: Some("middle-east") },
    RegionDef { slug: "saudi-arabia", name: "Saudi Arabia", in_text: "Saudi Arabia", parent: Some("middle-east") },
    RegionDef { slug: "singapore", name: "Singapore", in_text: "Singapore", parent: Some("asia") },
    RegionDef { slug: "canada", name: "Canada", in_text: "Canada", parent: Some("americas") },
    RegionDef { slug: "mexico", name: "Mexico", in_text: "Mexico", parent: Some("americas") },
    RegionDef { slug: "italy", name: "Italy", in_text: "Italy", parent: Some("europe") },
    RegionDef { slug: "south-africa", name: "South Africa", in_text: "South Africa", parent: Some("africa") },
    RegionDef { slug: "nigeria", name: "Nigeria", in_text: "Nigeria", parent: Some("africa") },
    RegionDef { slug: "egypt", name: "Egypt", in_text: "Egypt", parent: Some("africa") },
    RegionDef { slug: "pakistan", name: "Pakistan", in_text: "Pakistan", parent: Some("asia") },
    RegionDef { slug: "switzerland", name: "Switzerland", in_text: "Switzerland", parent: Some("europe") },
    RegionDef { slug: "kenya", name: "Kenya", in_text: "Kenya", parent: Some("africa") },
    RegionDef {
        slug: "united-arab-emirates",
        name: "United Arab Emirates",
        in_text: "the United Arab Emirates",
        parent: Some("middle-east"),
    },
    RegionDef { slug: "cote-d-ivoire", name: "Côte d'Ivoire", in_text: "Côte d'Ivoire", parent: Some("africa") },
];

/// How many of `REGIONS` are top-level.
pub const TOP_LEVEL_REGIONS: usize = 6;

/// In rough order of how often the corpus writes about them.
pub const TOPICS: &[TopicDef] = &[
    TopicDef { slug: "security", name: "Security", description: Some("National and international security.") },
    TopicDef { slug: "trade-policy", name: "Trade Policy", description: None },
    TopicDef {
        slug: "economic-security",
        name: "Economic Security",
        description: Some("Supply chains, export controls and economic coercion."),
    },
    TopicDef { slug: "us-china-relations", name: "US–China Relations", description: None },
    TopicDef { slug: "japan-china-relations", name: "Japan–China Relations", description: None },
    TopicDef { slug: "indo-pacific-strategy", name: "Indo-Pacific Strategy", description: None },
    TopicDef { slug: "russia-ukraine-war", name: "Russia–Ukraine War", description: None },
    TopicDef { slug: "defense-policy", name: "Defense Policy", description: None },
    TopicDef { slug: "energy-security", name: "Energy Security", description: None },
    TopicDef {
        slug: "climate-change",
        name: "Climate Change",
        description: Some("Mitigation, adaptation and climate diplomacy."),
    },
    TopicDef { slug: "supply-chains", name: "Supply Chains", description: None },
    TopicDef { slug: "nuclear-non-proliferation", name: "Nuclear Non-Proliferation", description: None },
    TopicDef { slug: "maritime-security", name: "Maritime Security", description: None },
    TopicDef { slug: "cross-strait-relations", name: "Cross-Strait Relations", description: None },
    TopicDef { slug: "korean-peninsula", name: "Korean Peninsula", description: None },
    TopicDef { slug: "transatlantic-relations", name: "Transatlantic Relations", description: None },
    TopicDef { slug: "belt-and-road-initiative", name: "Belt and Road Initiative", description: None },
    TopicDef { slug: "semiconductors", name: "Semiconductors", description: None },
    TopicDef { slug: "elections", name: "Elections", description: None },
    TopicDef { slug: "democracy-and-governance", name: "Democracy and Governance", description: None },
    TopicDef { slug: "monetary-policy", name: "Monetary Policy", description: None },
    TopicDef { slug: "fiscal-policy", name: "Fiscal Policy", description: None },
    TopicDef { slug: "sanctions", name: "Sanctions", description: None },
    TopicDef { slug: "cybersecurity", name: "Cybersecurity", description: None },
    TopicDef { slug: "artificial-intelligence", name: "Artificial Intelligence", description: None },
    TopicDef { slug: "human-rights", name: "Human Rights", description: None },
    TopicDef { slug: "migration-and-refugees", name: "Migration and Refugees", description: None },
    TopicDef { slug: "nato", name: "NATO", description: None },
    TopicDef { slug: "european-union", name: "European Union", description: None },
    TopicDef { slug: "asean", name: "ASEAN", description: Some("The Association of Southeast Asian Nations.") },
    TopicDef { slug: "united-nations", name: "United Nations", description: None },
    TopicDef { slug: "g7-and-g20", name: "G7 and G20", description: None },
    TopicDef { slug: "arms-control", name: "Arms Control", description: None },
    TopicDef { slug: "terrorism", name: "Terrorism", description: None },
    TopicDef { slug: "space-policy", name: "Space Policy", description: None },
    TopicDef { slug: "digital-economy", name: "Digital Economy", description: None },
    TopicDef { slug: "foreign-investment", name: "Foreign Investment", description: None },
    TopicDef { slug: "development-finance", name: "Development Finance", description: None },
    TopicDef { slug: "sovereign-debt", name: "Sovereign Debt", description: None },
    TopicDef { slug: "inflation", name: "Inflation", description: None },
    TopicDef { slug: "labour-markets", name: "Labour Markets", description: None },
    TopicDef { slug: "rule-of-law", name: "Rule of Law", description: None },
    TopicDef { slug: "public-opinion", name: "Public Opinion", description: None },
    TopicDef { slug: "constitutional-reform", name: "Constitutional Reform", description: None },
    TopicDef { slug: "populism", name: "Populism", description: None },
    TopicDef { slug: "disinformation", name: "Disinformation", description: None },
    TopicDef { slug: "japan-korea-relations", name: "Japan–Korea Relations", description: None },
    TopicDef { slug: "middle-east-peace-process", name: "Middle East Peace Process", description: None },
    TopicDef { slug: "global-health", name: "Global Health", description: None },
    TopicDef { slug: "food-security", name: "Food Security", description: None },
    TopicDef { slug: "critical-minerals", name: "Critical Minerals", description: None },
    TopicDef { slug: "arctic-affairs", name: "Arctic Affairs", description: None },
    TopicDef { slug: "water-resources", name: "Water Resources", description: None },
    TopicDef { slug: "demographic-change", name: "Demographic Change", description: None },
    TopicDef { slug: "public-diplomacy", name: "Public Diplomacy", description: None },
    TopicDef { slug: "soft-power", name: "Soft Power", description: None },
    TopicDef { slug: "intelligence", name: "Intelligence", description: None },
    TopicDef { slug: "urbanization", name: "Urbanization", description: None },
    TopicDef { slug: "education-policy", name: "Education Policy", description: None },
    TopicDef {
        slug: "economie-numerique",
        name: "Économie numérique",
        description: Some("Le numérique et l'économie, vus de Paris."),
    },
];

/// Write the catalog's lines, parents before children. Returns how many of
/// each kind: (publishers, series, regions, topics).
pub fn write_catalog(out: &mut impl Write) -> io::Result<(u64, u64, u64, u64)> {
    for p in PUBLISHERS {
        write_line(
            out,
            &PublisherLine {
                kind: Kind::Publisher,
                slug: p.slug,
                name: p.name,
                short_name: p.short_name,
                description: p.description,
                url: p.url,
                founded_on: p.founded_on,
                location: p.location,
                tagline: p.tagline,
                offices: p.offices,
                programs: p.programs.iter().map(|&(name, description)| ProgramLine { name, description }).collect(),
                contacts: p.contacts.iter().map(|&(kind, value)| ContactLine { kind, value }).collect(),
            },
        )?;
    }
    for s in SERIES {
        write_line(
            out,
            &SeriesLine {
                kind: Kind::Series,
                slug: s.slug,
                name: s.name,
                publisher: PUBLISHERS[s.publisher].slug,
                series_type: s.series_type,
                description: s.description,
            },
        )?;
    }
    // `REGIONS` lists every top-level region before any country.
    for r in REGIONS {
        write_line(
            out,
            &RegionLine {
                kind: Kind::Region,
                slug: r.slug,
                name: r.name,
                parent: r.parent,
                region_type: r.region_type(),
            },
        )?;
    }
    for t in TOPICS {
        write_line(out, &TopicLine { kind: Kind::Topic, slug: t.slug, name: t.name, description: t.description })?;
    }
    Ok((PUBLISHERS.len() as u64, SERIES.len() as u64, REGIONS.len() as u64, TOPICS.len() as u64))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parents_come_first_and_slugs_are_their_names() {
        for (i, r) in REGIONS.iter().enumerate() {
            assert_eq!(r.parent.is_none(), i < TOP_LEVEL_REGIONS, "{}", r.slug);
            if let Some(parent) = r.parent {
                assert!(REGIONS[..TOP_LEVEL_REGIONS].iter().any(|p| p.slug == parent), "{}", r.slug);
            }
            assert_eq!(crate::synthetic::slugs::slugify(r.name, 120), r.slug);
        }
        for t in TOPICS {
            assert_eq!(crate::synthetic::slugs::slugify(t.name, 120), t.slug);
        }
        assert!(SERIES.iter().all(|s| s.publisher < PUBLISHERS.len()));
    }
}
