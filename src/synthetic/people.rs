//! Generated people: authors in Japanese ("SUGITA Hiroki"), Chinese
//! ("Wang Peng"), Korean and Western ("Anna M. Keller") conventions, their
//! bios and affiliations, and how often each one writes.

use std::io::{self, Write};

use super::catalog::{REGIONS, TOPICS};
use super::names::{
    CHINESE_FAMILY, CHINESE_GIVEN, INSTITUTIONS, JAPANESE_FAMILY, JAPANESE_GIVEN, KOREAN_FAMILY, KOREAN_GIVEN,
    MIDDLE_INITIALS, OUTLETS, POSITIONS, WESTERN_FAMILY, WESTERN_GIVEN,
};
use super::random::{Dice, Weights};
use super::slugs::{slugify, SlugSet};
use super::wire::{write_line, AuthorLine};
use crate::domain::Kind;

/// A name as published, with its parts.
pub struct PersonName {
    pub name: String,
    pub family: String,
    pub given: String,
}

pub fn person_name(dice: &mut Dice) -> PersonName {
    let roll = dice.below(100);
    let (family, given) = match roll {
        0..=34 => (dice.pick(JAPANESE_FAMILY), dice.pick(JAPANESE_GIVEN)),
        35..=54 => (dice.pick(CHINESE_FAMILY), dice.pick(CHINESE_GIVEN)),
        55..=61 => (dice.pick(KOREAN_FAMILY), dice.pick(KOREAN_GIVEN)),
        _ => (dice.pick(WESTERN_FAMILY), dice.pick(WESTERN_GIVEN)),
    };
    match roll {
        // Japanese sources mostly write the family name first, in capitals.
        0..=34 if dice.odds(750) => {
            let family = family.to_uppercase();
            PersonName { name: format!("{family} {given}"), family, given: given.into() }
        }
        35..=61 if dice.odds(850) => {
            PersonName { name: format!("{family} {given}"), family: family.into(), given: given.into() }
        }
        62.. if dice.odds(120) => {
            let initial = dice.pick(MIDDLE_INITIALS);
            PersonName { name: format!("{given} {initial} {family}"), family: family.into(), given: given.into() }
        }
        _ => PersonName { name: format!("{given} {family}"), family: family.into(), given: given.into() },
    }
}

/// The authors of a corpus, as bylines refer to them.
pub struct AuthorPool {
    slugs: Vec<String>,
    /// What the author's bylines usually say.
    affiliations: Vec<Option<String>>,
    /// A few authors write much of the corpus, most write a little.
    popularity: Weights,
}

impl AuthorPool {
    pub fn len(&self) -> usize {
        self.slugs.len()
    }

    pub fn is_empty(&self) -> bool {
        self.slugs.is_empty()
    }

    /// An author index, weighted by popularity.
    pub fn draw(&self, dice: &mut Dice) -> usize {
        self.popularity.draw(dice)
    }

    pub fn slug(&self, i: usize) -> &str {
        &self.slugs[i]
    }

    pub fn affiliation(&self, i: usize) -> Option<&str> {
        self.affiliations[i].as_deref()
    }
}

/// A line such as "Senior Fellow, Asia-Pacific Policy Institute".
pub fn affiliation(dice: &mut Dice) -> String {
    match dice.below(100) {
        0..=4 => {
            // From one of the first few countries to any other.
            let from = dice.between(6, 11) as usize;
            let mut to = from;
            while to == from {
                to = dice.between(6, REGIONS.len() as u32 - 1) as usize;
            }
            format!("Former Ambassador of {} to {}", REGIONS[from].name, REGIONS[to].name)
        }
        5..=9 => format!("Columnist, {}", dice.pick(OUTLETS)),
        10..=24 => format!(
            "{}, {} / {}, {}",
            dice.pick(POSITIONS),
            dice.pick(INSTITUTIONS),
            dice.pick(POSITIONS),
            dice.pick(INSTITUTIONS)
        ),
        _ => format!("{}, {}", dice.pick(POSITIONS), dice.pick(INSTITUTIONS)),
    }
}

fn bio(dice: &mut Dice, person: &PersonName) -> String {
    let position = dice.pick(POSITIONS).to_lowercase();
    let article = if position.starts_with(['a', 'e', 'i', 'o', 'u']) { "an" } else { "a" };
    let mut bio = format!(
        "{} is {article} {position} at {}. Their work focuses on {} and {}, with particular attention to {}.",
        person.name,
        dice.pick(INSTITUTIONS),
        TOPICS[dice.below(TOPICS.len())].name,
        TOPICS[dice.below(TOPICS.len())].name,
        REGIONS[dice.below(REGIONS.len())].in_text,
    );
    if dice.odds(500) {
        bio.push_str(&format!(
            " Previously {} at {}, {} holds a doctorate from {}.",
            dice.pick(POSITIONS).to_lowercase(),
            dice.pick(INSTITUTIONS),
            person.family,
            dice.pick(INSTITUTIONS),
        ));
    }
    bio
}

/// Write `count` author lines and return them for the bylines.
pub fn write_authors(dice: &mut Dice, count: usize, out: &mut impl Write) -> io::Result<AuthorPool> {
    let mut slugs = Vec::with_capacity(count);
    let mut affiliations = Vec::with_capacity(count);
    let mut taken = SlugSet::default();
    for _ in 0..count {
        let person = person_name(dice);
        let slug = taken.claim(slugify(&person.name, 100));
        let bio = dice.odds(400).then(|| bio(dice, &person));
        write_line(
            out,
            &AuthorLine {
                kind: Kind::Author,
                slug: &slug,
                name: &person.name,
                family_name: &person.family,
                given_name: &person.given,
                bio: bio.as_deref(),
            },
        )?;
        slugs.push(slug);
        affiliations.push(dice.odds(900).then(|| affiliation(dice)));
    }
    Ok(AuthorPool { slugs, affiliations, popularity: Weights::zipf(count, 20) })
}
