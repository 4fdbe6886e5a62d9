//! OpenAPI schemas of the validated values, so request bodies (the import
//! records) are described with the rules their parsers apply.

use std::borrow::Cow;

use utoipa::openapi::schema::{ObjectBuilder, Schema, SchemaFormat, Type};
use utoipa::openapi::RefOr;
use utoipa::{PartialSchema, ToSchema};

use super::slug::{SLUG_MAX_LEN, SLUG_PATTERN};
use super::{HttpUrl, LanguageTag, Moment, Slug, Text};

fn string(description: &str) -> ObjectBuilder {
    ObjectBuilder::new().schema_type(Type::String).description(Some(description))
}

impl PartialSchema for Slug {
    fn schema() -> RefOr<Schema> {
        string("Lowercase ASCII letters and digits in words joined by single hyphens, not all digits.")
            .pattern(Some(SLUG_PATTERN))
            .max_length(Some(SLUG_MAX_LEN))
            .examples(["the-korean-peninsula"])
            .into()
    }
}
impl ToSchema for Slug {}

impl<const MAX: usize> PartialSchema for Text<MAX> {
    fn schema() -> RefOr<Schema> {
        // `maxLength` counts characters; the limit is in UTF-8 bytes, so a
        // text of many non-ASCII characters may be refused below it.
        string(&format!("Text with something other than white space in it, at most {MAX} bytes of UTF-8."))
            .pattern(Some(r"\S"))
            .min_length(Some(1))
            .max_length(Some(MAX))
            .into()
    }
}
impl<const MAX: usize> ToSchema for Text<MAX> {
    fn name() -> Cow<'static, str> {
        Cow::Owned(format!("Text{MAX}"))
    }
}

impl PartialSchema for LanguageTag {
    fn schema() -> RefOr<Schema> {
        string("A BCP 47 language tag such as `en`, `ja` or `zh-Hans`.")
            .pattern(Some("^[a-z]{2,3}(-[A-Za-z0-9]{1,8})*$"))
            .examples(["en"])
            .into()
    }
}
impl ToSchema for LanguageTag {}

impl PartialSchema for HttpUrl {
    fn schema() -> RefOr<Schema> {
        string("An absolute http or https URL.")
            .format(Some(SchemaFormat::Custom("uri".into())))
            .pattern(Some(r"^https?://[^/\s][^\s]*$"))
            .into()
    }
}
impl ToSchema for HttpUrl {}

impl PartialSchema for Moment {
    fn schema() -> RefOr<Schema> {
        string("An ISO 8601 date (midnight UTC) or date-time, e.g. `2021-07-06` or `2021-07-06T09:30:00Z`.")
            .pattern(Some(r"^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}:\d{2}(\.\d+)?(Z|z|[+-]\d{2}:\d{2})?)?$"))
            .examples(["2021-07-06"])
            .into()
    }
}
impl ToSchema for Moment {}
