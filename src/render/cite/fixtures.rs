//! Articles of the seed documents (shared/seeds) as list items, for the
//! renderers' tests: a JFIR commentary translated from Japanese and a
//! Charhar commentary republished from CGTN with a Chinese byline.

use std::collections::HashMap;

use chrono::NaiveDate;

use super::{Citable, NameParts};
use crate::render::item::Item;

pub const API_URL: &str = "https://api.example.test/articles/";

/// "What is Putin's Strategy on Japan?" (JFIR Commentary, 2021-08-02). The
/// seed names no translator nor the Japanese title; the translator here
/// (without name parts) is made up to exercise the role and literal names.
const JFIR: &str = r#"{
  "id": 812, "uid": "1b3e8c52-5d0a-5f4b-9e0c-7d2f4a6b8c91",
  "slug": "what-is-putins-strategy-on-japan",
  "title": "What is Putin’s Strategy on Japan?",
  "subtitle": "Vigilance needed on Russia’s ‘Peace Treaty’ Proposal",
  "summary": "Russia proposes a peace treaty without the territorial issue: a “Good Neighbor Treaty” that would weaken the Japan-U.S. alliance.",
  "type": "commentary", "language": "en",
  "published_at": "2021-08-02T00:00:00Z", "updated_at": "2021-08-02T00:00:00Z",
  "url": null,
  "publisher": {"id": 2, "slug": "jfir", "name": "The Japan Forum on International Relations"},
  "series": {"id": 5, "slug": "jfir-commentary", "name": "JFIR Commentary"},
  "authors": [
    {"id": 9, "slug": "tokiwa-shin", "name": "TOKIWA Shin", "role": "author",
     "affiliation": "Distinguished Research Fellow, JFIR / Deputy Foreign Editor of Tokyo Shimbun"},
    {"id": 31, "slug": "jfir-translation-desk", "name": "JFIR Translation Desk", "role": "translator"}
  ],
  "regions": [{"id": 3, "slug": "russia", "name": "Russia"}, {"id": 4, "slug": "japan", "name": "Japan"}],
  "topics": [{"id": 7, "slug": "diplomacy", "name": "Diplomacy"}],
  "translation": {
    "original_language": "ja", "original_title": null,
    "original_venue": "Hyakka-Seiho (Hundred Flowers in Full Bloom)",
    "original_published_on": "2021-06-19",
    "note": "(This is the English translation of an article written by TOKIWA Shin, Distinguished Research Fellow, JFIR / Deputy Foreign Editor of Tokyo Shimbun, which originally appeared on the e-forum “Hyakka-Seiho (Hundred Flowers in Full Bloom)” of JFIR on June 19, 2021.)",
    "translators": [{"id": 31, "slug": "jfir-translation-desk", "name": "JFIR Translation Desk", "role": "translator"}]
  }
}"#;

/// "Japan to Seek Greater Regional Autonomy through Secret Meeting with
/// DPRK" (Charhar Institute, 2018-09-05; first in CGTN, 2018-09-02).
const CHARHAR: &str = r#"{
  "id": 4077, "slug": "japan-to-seek-greater-regional-autonomy",
  "title": "Japan to Seek Greater Regional Autonomy through Secret Meeting with DPRK",
  "type": "commentary", "language": "en",
  "published_at": "2018-09-05T00:00:00Z", "updated_at": "2018-09-05T00:00:00Z",
  "publisher": {"id": 1, "slug": "charhar-institute", "name": "Charhar Institute"},
  "authors": [
    {"id": 14, "slug": "wang-peng", "name": "Wang Peng", "role": "author", "affiliation": "Fellow at the Charhar Institute"},
    {"id": 15, "slug": "liang-chenglu", "name": "Liang Chenglu", "role": "executive_editor"},
    {"id": 16, "slug": "kang-sijun", "name": "Kang Sijun", "role": "editor"}
  ],
  "regions": [{"id": 2, "slug": "asia", "name": "Asia"}],
  "topics": [{"id": 6, "slug": "the-korean-peninsula", "name": "The Korean Peninsula"}],
  "source": {"name": "CGTN", "url": "https://news.cgtn.com/news/3d3d674d3445544f79457a6333566d54/share_p.html",
             "published_on": "2018-09-02"}
}"#;

pub struct Fixture {
    pub item: Item<'static>,
    pub names: HashMap<i64, NameParts>,
    pub place: Option<&'static str>,
    pub api_url: String,
}

fn parts(family: &str, given: &str) -> NameParts {
    NameParts { family: Some(family.to_owned()), given: Some(given.to_owned()) }
}

impl Fixture {
    pub fn jfir() -> Fixture {
        let item = Item::parse(JFIR).expect("JFIR fixture");
        Fixture {
            names: HashMap::from([(9, parts("TOKIWA", "Shin"))]),
            place: Some("Tokyo"),
            api_url: format!("{API_URL}{}", item.id),
            item,
        }
    }

    pub fn charhar() -> Fixture {
        let item = Item::parse(CHARHAR).expect("Charhar fixture");
        Fixture {
            names: HashMap::from([
                (14, parts("Wang", "Peng")),
                (15, parts("Liang", "Chenglu")),
                (16, parts("Kang", "Sijun")),
            ]),
            place: Some("Beijing"),
            api_url: format!("{API_URL}{}", item.id),
            item,
        }
    }

    /// JFIR's commentary with a second author (HAKAMADA Shigeki, another
    /// author of the seed's JFIR Commentary).
    pub fn jfir_two_authors() -> Fixture {
        let mut f = Fixture::jfir();
        let mut second = f.item.authors[0].clone();
        second.id = 10;
        second.slug = "hakamada-shigeki".into();
        second.name = "HAKAMADA Shigeki".into();
        second.affiliation = Some("Trustee, JFIR".into());
        f.item.authors.insert(1, second);
        f.names.insert(10, parts("HAKAMADA", "Shigeki"));
        f
    }

    pub fn citable(&self) -> Citable<'_> {
        Citable {
            item: &self.item,
            names: &self.names,
            publisher_place: self.place,
            api_url: &self.api_url,
            accessed: NaiveDate::from_ymd_opt(2026, 5, 4).unwrap(),
        }
    }
}
