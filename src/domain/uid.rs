//! Stable identifiers of articles: a UUID named (version 5) by the slug an
//! article was created with, so that the same corpus gets the same
//! identifiers in every database, and an article keeps its identifier when
//! it is edited or renamed.

use uuid::Uuid;

/// The namespace of article identifiers.
const ARTICLES: Uuid =
    Uuid::from_bytes([0x6c, 0x1f, 0x0e, 0x58, 0x3a, 0x9d, 0x4b, 0x52, 0x9a, 0x51, 0x2d, 0x7e, 0x0c, 0x84, 0xe1, 0x37]);

/// The identifier of an article created with `slug`.
pub fn article_uid(slug: &str) -> String {
    Uuid::new_v5(&ARTICLES, slug.as_bytes()).hyphenated().to_string()
}

#[cfg(test)]
mod tests {
    use super::article_uid;

    #[test]
    fn the_same_slug_names_the_same_article_everywhere() {
        let uid = article_uid("unchangeable-commitment");
        assert_eq!(uid, article_uid("unchangeable-commitment"));
        assert_ne!(uid, article_uid("unchangeable-commitment-2"));
        assert_eq!(uuid::Uuid::parse_str(&uid).unwrap().get_version_num(), 5);
    }
}
