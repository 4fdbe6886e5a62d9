//! Query-string extractors that reject what the endpoint does not declare.
//! Unknown, repeated and malformed parameters are each named.
//!
//! `StrictQuery<T>` answers 400 at once. `CheckedQuery<T>` hands the handler
//! the well-formed parameters *and* the problems found so far, so that
//! checks needing the database (does this slug exist?) can add theirs and
//! the client hears about every bad parameter in one response.

use std::collections::HashSet;
use std::future::{ready, Ready};

use actix_web::dev::Payload;
use actix_web::{FromRequest, HttpRequest};
use serde::de::DeserializeOwned;

use crate::error::{ApiError, InvalidParam};

/// The query string, deserialised into `T` (whose fields must all be
/// optional) after every parameter was checked on its own.
#[derive(Debug, Clone)]
pub struct StrictQuery<T>(pub T);

impl<T: DeserializeOwned> FromRequest for StrictQuery<T> {
    type Error = ApiError;
    type Future = Ready<Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        ready(parse_query(req.query_string()).map(StrictQuery))
    }
}

/// The well-formed parameters, and the problems with the others.
#[derive(Debug, Clone)]
pub struct CheckedQuery<T> {
    pub params: T,
    pub problems: Vec<InvalidParam>,
}

impl<T: DeserializeOwned> FromRequest for CheckedQuery<T> {
    type Error = ApiError;
    type Future = Ready<Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        ready(check_query(req.query_string()).map(|(params, problems)| CheckedQuery { params, problems }))
    }
}

pub fn parse_query<T: DeserializeOwned>(query: &str) -> Result<T, ApiError> {
    let (params, problems) = check_query(query)?;
    if problems.is_empty() {
        Ok(params)
    } else {
        Err(ApiError::InvalidParams(problems))
    }
}

/// Deserialise the acceptable parameters; list the others.
pub fn check_query<T: DeserializeOwned>(query: &str) -> Result<(T, Vec<InvalidParam>), ApiError> {
    let mut errors = Vec::new();
    let mut accepted = form_urlencoded::Serializer::new(String::new());
    let mut seen = HashSet::new();
    // The accepted names are told once, with the first unknown parameter.
    let mut told_accepted = false;
    for (name, value) in form_urlencoded::parse(query.as_bytes()) {
        if !seen.insert(name.clone()) {
            errors.push(InvalidParam::query(
                name,
                "given more than once; give several values comma-separated in one parameter",
            ));
            continue;
        }
        // No text holds a NUL character (PostgreSQL cannot even compare one).
        if value.contains('\0') || name.contains('\0') {
            errors.push(InvalidParam::query(name, "holds a NUL character (U+0000), which no parameter may hold"));
            continue;
        }
        // Deserialising each pair alone ties every serde error to its parameter.
        let single = form_urlencoded::Serializer::new(String::new()).append_pair(&name, &value).finish();
        match serde_urlencoded::from_str::<T>(&single) {
            Ok(_) => {
                accepted.append_pair(&name, &value);
            }
            Err(e) => {
                let mut reason = describe(&e.to_string());
                if reason.starts_with(UNKNOWN) {
                    if told_accepted {
                        reason = format!("{UNKNOWN}; see the first unknown parameter for the accepted names");
                    }
                    told_accepted = true;
                }
                errors.push(InvalidParam::query(name, reason))
            }
        }
    }
    let params = serde_urlencoded::from_str(&accepted.finish())
        .map_err(|e| ApiError::invalid(InvalidParam::query("query", describe(&e.to_string()))))?;
    Ok((params, errors))
}

const UNKNOWN: &str = "unknown parameter";

/// serde's messages, reworded for people who write query strings.
fn describe(message: &str) -> String {
    if message.contains("there are no fields") {
        return format!("{UNKNOWN}; this endpoint takes no query parameters");
    }
    if let Some(rest) = message.strip_prefix("unknown field ") {
        let expected = rest.split_once(", expected ").map(|(_, e)| e).unwrap_or("");
        return format!("{UNKNOWN}; this endpoint accepts {}", expected.replace("one of ", ""));
    }
    if let Some(rest) = message.strip_prefix("unknown variant ") {
        return format!("unknown value {rest}");
    }
    if message.contains("invalid digit") || message.contains("empty string") {
        return "must be a whole number".to_owned();
    }
    if message.contains("too large") || message.contains("too small") {
        return "is out of range".to_owned();
    }
    message.to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;

    #[derive(Debug, Deserialize, PartialEq)]
    #[serde(deny_unknown_fields)]
    struct Params {
        page: Option<u32>,
        topic: Option<String>,
    }

    fn names(err: ApiError) -> Vec<(String, String)> {
        match err {
            ApiError::InvalidParams(p) => p.into_iter().map(|p| (p.name, p.reason)).collect(),
            other => panic!("unexpected {other:?}"),
        }
    }

    #[test]
    fn accepts_declared_parameters() {
        let p: Params = parse_query("page=2&topic=a%2Cb").unwrap();
        assert_eq!(p, Params { page: Some(2), topic: Some("a,b".into()) });
    }

    #[test]
    fn names_every_bad_parameter() {
        let errs = names(parse_query::<Params>("page=x&bogus=1&topic=a&topic=b").unwrap_err());
        assert_eq!(errs.len(), 3);
        assert_eq!(errs[0], ("page".into(), "must be a whole number".into()));
        assert_eq!(errs[1].0, "bogus");
        assert!(errs[1].1.contains("`page`"));
        assert_eq!(errs[2].0, "topic");
    }

    #[test]
    fn the_accepted_names_are_told_once() {
        let errs = names(parse_query::<Params>("a=1&b=2&c=3").unwrap_err());
        assert_eq!(errs.len(), 3);
        assert!(errs[0].1.contains("`page`"), "{}", errs[0].1);
        assert!(errs[1..].iter().all(|(_, reason)| !reason.contains("`page`")), "{errs:?}");
    }

    #[test]
    fn keeps_the_good_parameters_beside_the_problems() {
        let (params, problems) = check_query::<Params>("page=x&topic=a").unwrap();
        assert_eq!(params, Params { page: None, topic: Some("a".into()) });
        assert_eq!(problems.len(), 1);
    }
}
