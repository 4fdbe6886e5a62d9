//! Diesel table definitions, matching `migrations/` (the shape
//! `diesel print-schema` produces for them).

diesel::table! {
    publishers (id) {
        id -> BigInt,
        slug -> Text,
        name -> Text,
        short_name -> Nullable<Text>,
        description -> Nullable<Text>,
        url -> Nullable<Text>,
        founded_on -> Nullable<Date>,
        location -> Nullable<Text>,
        tagline -> Nullable<Text>,
        tagline_attribution -> Nullable<Text>,
        content_hash -> Text,
        search_name -> Text,
    }
}

diesel::table! {
    publisher_units (publisher_id, position) {
        publisher_id -> BigInt,
        position -> Integer,
        unit_type -> Text,
        name -> Text,
        description -> Nullable<Text>,
    }
}

diesel::table! {
    publisher_contacts (publisher_id, position) {
        publisher_id -> BigInt,
        position -> Integer,
        kind -> Text,
        value -> Text,
    }
}

diesel::table! {
    series (id) {
        id -> BigInt,
        slug -> Text,
        name -> Text,
        publisher_id -> BigInt,
        series_type -> Text,
        description -> Nullable<Text>,
        content_hash -> Text,
        search_name -> Text,
    }
}

diesel::table! {
    regions (id) {
        id -> BigInt,
        slug -> Text,
        name -> Text,
        parent_id -> Nullable<BigInt>,
        region_type -> Text,
        content_hash -> Text,
        search_name -> Text,
        provenance -> Text,
        parent_provenance -> Text,
        provenance_note -> Nullable<Text>,
    }
}

diesel::table! {
    topics (id) {
        id -> BigInt,
        slug -> Text,
        name -> Text,
        description -> Nullable<Text>,
        content_hash -> Text,
        search_name -> Text,
        provenance -> Text,
        provenance_note -> Nullable<Text>,
    }
}

diesel::table! {
    authors (id) {
        id -> BigInt,
        slug -> Text,
        name -> Text,
        family_name -> Nullable<Text>,
        given_name -> Nullable<Text>,
        bio -> Nullable<Text>,
        content_hash -> Text,
        search_name -> Text,
        name_parts_provenance -> Text,
        provenance_note -> Nullable<Text>,
    }
}

diesel::table! {
    articles (id) {
        id -> BigInt,
        slug -> Text,
        publisher_id -> BigInt,
        series_id -> Nullable<BigInt>,
        article_type -> Text,
        language -> Text,
        published_at -> Timestamp,
        updated_at -> Timestamp,
        body_status -> Text,
        title_truncated -> Bool,
        title -> Text,
        subtitle -> Nullable<Text>,
        url -> Nullable<Text>,
        source_name -> Nullable<Text>,
        source_url -> Nullable<Text>,
        source_published_on -> Nullable<Date>,
        original_language -> Nullable<Text>,
        original_title -> Nullable<Text>,
        original_venue -> Nullable<Text>,
        original_published_on -> Nullable<Date>,
        original_date_text -> Nullable<Text>,
        translation_note -> Nullable<Text>,
        summary -> Nullable<Text>,
        content_hash -> Text,
        uid -> Nullable<Text>,
        type_provenance -> Text,
        original_language_provenance -> Text,
        provenance_note -> Nullable<Text>,
    }
}

diesel::table! {
    article_bodies (article_id) {
        article_id -> BigInt,
        body -> Text,
    }
}

diesel::table! {
    article_cards (article_id) {
        article_id -> BigInt,
        card -> Text,
    }
}

diesel::table! {
    article_cards_format (id) {
        id -> BigInt,
        format -> BigInt,
    }
}

diesel::table! {
    article_figures (article_id, position) {
        article_id -> BigInt,
        position -> Integer,
        caption -> Text,
        credit -> Nullable<Text>,
        after_paragraph -> Nullable<Integer>,
    }
}

diesel::table! {
    article_references (article_id, position) {
        article_id -> BigInt,
        position -> Integer,
        citation -> Text,
        url -> Nullable<Text>,
    }
}

diesel::table! {
    article_authors (article_id, position) {
        article_id -> BigInt,
        position -> Integer,
        author_id -> BigInt,
        role -> Text,
        affiliation -> Nullable<Text>,
        published_at -> Timestamp,
        provenance -> Text,
        provenance_note -> Nullable<Text>,
    }
}

diesel::table! {
    article_topics (article_id, topic_id) {
        article_id -> BigInt,
        topic_id -> BigInt,
        position -> Integer,
        published_at -> Timestamp,
        provenance -> Text,
        provenance_note -> Nullable<Text>,
    }
}

diesel::table! {
    article_regions (article_id, region_id) {
        article_id -> BigInt,
        region_id -> BigInt,
        is_direct -> Bool,
        position -> Integer,
        published_at -> Timestamp,
        provenance -> Text,
        provenance_note -> Nullable<Text>,
    }
}

diesel::table! {
    change_log (seq) {
        seq -> BigInt,
        resource -> Text,
        resource_id -> BigInt,
        action -> Text,
        changed_at -> Timestamp,
        slug -> Nullable<Text>,
        key_id -> Nullable<BigInt>,
        tombstone -> Nullable<Text>,
    }
}

diesel::table! {
    api_keys (id) {
        id -> BigInt,
        name -> Text,
        scope -> Text,
        prefix -> Text,
        secret_hash -> Binary,
        created_at -> Timestamp,
        revoked_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    tombstones (resource, resource_id) {
        resource -> Text,
        resource_id -> BigInt,
        slug -> Text,
        state -> Text,
        record -> Nullable<Text>,
        removed_at -> Timestamp,
        seq -> BigInt,
        uid -> Nullable<Text>,
    }
}

diesel::table! {
    idempotent_answers (key_id, idempotency_key) {
        key_id -> BigInt,
        idempotency_key -> Text,
        request_hash -> Text,
        status -> Integer,
        location -> Nullable<Text>,
        etag -> Nullable<Text>,
        body -> Binary,
        created_at -> Timestamp,
    }
}

diesel::joinable!(publisher_units -> publishers (publisher_id));
diesel::joinable!(publisher_contacts -> publishers (publisher_id));
diesel::joinable!(series -> publishers (publisher_id));
diesel::joinable!(articles -> publishers (publisher_id));
diesel::joinable!(articles -> series (series_id));
diesel::joinable!(article_bodies -> articles (article_id));
diesel::joinable!(article_cards -> articles (article_id));
diesel::joinable!(article_figures -> articles (article_id));
diesel::joinable!(article_references -> articles (article_id));
diesel::joinable!(article_authors -> articles (article_id));
diesel::joinable!(article_authors -> authors (author_id));
diesel::joinable!(article_topics -> articles (article_id));
diesel::joinable!(article_topics -> topics (topic_id));
diesel::joinable!(article_regions -> articles (article_id));
diesel::joinable!(article_regions -> regions (region_id));

diesel::allow_tables_to_appear_in_same_query!(
    publishers,
    publisher_units,
    publisher_contacts,
    series,
    regions,
    topics,
    authors,
    articles,
    article_bodies,
    article_cards,
    article_cards_format,
    article_figures,
    article_references,
    article_authors,
    article_topics,
    article_regions,
    change_log,
    api_keys,
    tombstones,
    idempotent_answers,
);
