//! The HTTP side of exports: a streamed `200` with the file's name, its
//! row count and the state of the data it shows. The caching middleware
//! tags it like any answer but passes its body through unbuffered.

use std::io;

use actix_web::http::header::{self, ContentDisposition, DispositionParam, DispositionType};
use actix_web::web::Bytes;
use actix_web::HttpResponse;
use futures_util::Stream;

use crate::http::conditional::ComputedAt;
use crate::listing::export::ExportHead;

/// Marks a response whose body is streamed: never buffered or kept.
#[derive(Debug, Clone, Copy)]
pub struct Streamed;

/// A file name that says what the export holds: the path and the
/// parameters that define the list (`articles_topic-asia_q-security`),
/// then the date, so that downloads of different slices do not collide.
pub fn file_name(path: &str, defining: &[(&str, Option<&str>)], extension: &str) -> String {
    let mut name = path.trim_start_matches("/v1/").replace('/', "_");
    for (param, value) in defining {
        if let Some(value) = value {
            name.push('_');
            name.push_str(param);
            name.push('-');
            name.push_str(value);
        }
    }
    let mut safe = String::with_capacity(name.len());
    for c in name.chars() {
        let c = if c.is_ascii_alphanumeric() || c == '_' || c == '-' { c.to_ascii_lowercase() } else { '-' };
        if !(c == '-' && safe.ends_with('-')) {
            safe.push(c);
        }
        if safe.len() >= 120 {
            break;
        }
    }
    format!("{}_{}.{extension}", safe.trim_matches('-'), chrono::Utc::now().format("%Y-%m-%d"))
}

/// The streamed answer of an export.
pub fn response(
    head: ExportHead,
    body: impl Stream<Item = Result<Bytes, io::Error>> + 'static,
    content_type: &'static str,
    file_name: String,
) -> HttpResponse {
    let disposition = ContentDisposition {
        disposition: DispositionType::Attachment,
        parameters: vec![DispositionParam::Filename(file_name)],
    };
    let mut response = HttpResponse::Ok()
        .insert_header((header::CONTENT_TYPE, content_type))
        .insert_header(("X-Total-Count", head.total.to_string()))
        .insert_header((header::CONTENT_DISPOSITION, disposition))
        .streaming(body);
    response.extensions_mut().insert(ComputedAt(head.snapshot));
    response.extensions_mut().insert(Streamed);
    response
}

#[cfg(test)]
mod tests {
    use super::file_name;

    #[test]
    fn file_names_name_the_slice_safely() {
        let name = file_name(
            "/v1/topics/the-korean-peninsula/articles",
            &[("q", Some("\"security policy\" -japan")), ("region", None), ("sort", Some("-published_at"))],
            "csv",
        );
        assert!(
            name.starts_with("topics_the-korean-peninsula_articles_q-security-policy-japan_sort-published_at_"),
            "{name}"
        );
        assert!(name.ends_with(".csv"));
        assert!(name.chars().all(|c| c.is_ascii_alphanumeric() || "_-.".contains(c)));
    }
}
