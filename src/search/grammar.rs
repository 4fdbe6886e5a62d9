//! The grammar of `q`:
//!
//! - words, all of which must match: `security alliance`
//! - `"exact phrases"`
//! - `a OR b` (either; binds tighter than the implicit AND)
//! - `-word` or `-"a phrase"` to exclude
//! - field scopes `title:`, `summary:`, `body:` before a word or phrase
//!
//! Matching ignores case and accents and uses English stems. A query of
//! exclusions only finds every article without them. Anything else (an
//! unclosed quote, a dangling `OR`, more parts, alternatives or phrase words
//! than the caps below, too long) is an error naming what is wrong; nothing
//! a client sends is passed on raw.

use std::fmt;

/// Longest `q`, in characters.
pub const MAX_QUERY_CHARS: usize = 500;

/// Most AND-ed parts (a word or phrase with its `OR` alternatives, or an
/// exclusion) in one `q`.
pub const MAX_CLAUSES: usize = 12;
/// Most words or phrases joined by `OR` in one part.
pub const MAX_ALTERNATIVES: usize = 6;
/// Most words in one quoted phrase.
pub const MAX_PHRASE_WORDS: usize = 10;

/// The shape of a well-formed `q`, as a regular expression (the spec's
/// `pattern` for `q` is this string; a test keeps them equal). Every string
/// it matches parses; every other string is a 400. Whitespace is space, tab,
/// CR or LF. The caps above are in it as bounded repetitions (a test ties
/// the numbers to the constants): `{0,11}` more parts after the first,
/// `{0,5}` more alternatives, `{0,9}` more words in a phrase.
pub const Q_PATTERN: &str = r#"^[ \t\r\n]*(?:-(?:(?:title|summary|body):)?(?:"[ \t\r\n]*[^ \t\r\n"]+(?:[ \t\r\n]+[^ \t\r\n"]+){0,9}[ \t\r\n]*"|(?:[^ \t\r\n"O-][^ \t\r\n"]*|O(?:[^ \t\r\n"R][^ \t\r\n"]*)?|OR[^ \t\r\n"]+))|(?:(?:title|summary|body):)?(?:"[ \t\r\n]*[^ \t\r\n"]+(?:[ \t\r\n]+[^ \t\r\n"]+){0,9}[ \t\r\n]*"|(?:[^ \t\r\n"O-][^ \t\r\n"]*|O(?:[^ \t\r\n"R][^ \t\r\n"]*)?|OR[^ \t\r\n"]+))(?:[ \t\r\n]+OR[ \t\r\n]+(?:(?:title|summary|body):)?(?:"[ \t\r\n]*[^ \t\r\n"]+(?:[ \t\r\n]+[^ \t\r\n"]+){0,9}[ \t\r\n]*"|(?:[^ \t\r\n"O-][^ \t\r\n"]*|O(?:[^ \t\r\n"R][^ \t\r\n"]*)?|OR[^ \t\r\n"]+))){0,5})(?:[ \t\r\n]+(?:-(?:(?:title|summary|body):)?(?:"[ \t\r\n]*[^ \t\r\n"]+(?:[ \t\r\n]+[^ \t\r\n"]+){0,9}[ \t\r\n]*"|(?:[^ \t\r\n"O-][^ \t\r\n"]*|O(?:[^ \t\r\n"R][^ \t\r\n"]*)?|OR[^ \t\r\n"]+))|(?:(?:title|summary|body):)?(?:"[ \t\r\n]*[^ \t\r\n"]+(?:[ \t\r\n]+[^ \t\r\n"]+){0,9}[ \t\r\n]*"|(?:[^ \t\r\n"O-][^ \t\r\n"]*|O(?:[^ \t\r\n"R][^ \t\r\n"]*)?|OR[^ \t\r\n"]+))(?:[ \t\r\n]+OR[ \t\r\n]+(?:(?:title|summary|body):)?(?:"[ \t\r\n]*[^ \t\r\n"]+(?:[ \t\r\n]+[^ \t\r\n"]+){0,9}[ \t\r\n]*"|(?:[^ \t\r\n"O-][^ \t\r\n"]*|O(?:[^ \t\r\n"R][^ \t\r\n"]*)?|OR[^ \t\r\n"]+))){0,5})){0,11}[ \t\r\n]*$"#;

fn well_formed(q: &str) -> bool {
    static PATTERN: std::sync::OnceLock<regex::Regex> = std::sync::OnceLock::new();
    PATTERN.get_or_init(|| regex::Regex::new(Q_PATTERN).expect("a valid pattern")).is_match(q)
}

fn is_space(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\r' | '\n')
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Scope {
    Any,
    Title,
    Summary,
    Body,
}

/// A word or a phrase, as typed (analysed later).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Term {
    pub scope: Scope,
    pub text: String,
    pub phrase: bool,
}

/// One AND-ed part of the query: any of its terms (OR), or none (NOT).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Clause {
    AnyOf(Vec<Term>),
    Not(Term),
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct TextQuery {
    pub clauses: Vec<Clause>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GrammarError(pub String);

impl std::error::Error for GrammarError {}

impl fmt::Display for GrammarError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Lexeme {
    Or,
    Item { negated: bool, term: Term },
}

fn err<T>(message: impl Into<String>) -> Result<T, GrammarError> {
    Err(GrammarError(message.into()))
}

fn scope_of(prefix: &str) -> Option<Scope> {
    match prefix {
        "title" => Some(Scope::Title),
        "summary" => Some(Scope::Summary),
        "body" => Some(Scope::Body),
        _ => None,
    }
}

fn lex(q: &str) -> Result<Vec<Lexeme>, GrammarError> {
    let chars: Vec<char> = q.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        if is_space(chars[i]) {
            i += 1;
            continue;
        }
        let negated = chars[i] == '-';
        if negated {
            i += 1;
            if i >= chars.len() || is_space(chars[i]) {
                return err("`-` must be followed by a word or a phrase to exclude");
            }
        }
        // An optional `field:` scope.
        let mut scope = Scope::Any;
        let word_end = (i..chars.len()).find(|&j| is_space(chars[j]) || chars[j] == '"').unwrap_or(chars.len());
        let word: String = chars[i..word_end].iter().collect();
        if let Some((prefix, _)) = word.split_once(':') {
            let after = i + prefix.chars().count() + 1;
            // `title:` with nothing after it is just a word.
            if let (Some(s), true) = (scope_of(prefix), after < chars.len() && !is_space(chars[after])) {
                scope = s;
                i = after;
            }
        }
        if chars[i] == '"' {
            let close = (i + 1..chars.len()).find(|&j| chars[j] == '"');
            let Some(close) = close else { return err("a phrase is missing its closing `\"`") };
            let text: String = chars[i + 1..close].iter().collect();
            let words = text.split(is_space).filter(|w| !w.is_empty()).count();
            if words == 0 {
                return err("a phrase in quotes is empty");
            }
            if words > MAX_PHRASE_WORDS {
                return err(format!("a phrase has {words} words; at most {MAX_PHRASE_WORDS}"));
            }
            out.push(Lexeme::Item { negated, term: Term { scope, text, phrase: true } });
            i = close + 1;
            continue;
        }
        let end = (i..chars.len()).find(|&j| is_space(chars[j]) || chars[j] == '"').unwrap_or(chars.len());
        let text: String = chars[i..end].iter().collect();
        i = end;
        if text == "OR" && !negated && scope == Scope::Any {
            out.push(Lexeme::Or);
        } else {
            out.push(Lexeme::Item { negated, term: Term { scope, text, phrase: false } });
        }
    }
    Ok(out)
}

/// Parse `q` into clauses (terms are analysed when the search runs).
pub fn parse(q: &str) -> Result<TextQuery, GrammarError> {
    if q.chars().count() > MAX_QUERY_CHARS {
        return err(format!("is longer than {MAX_QUERY_CHARS} characters"));
    }
    let parsed = parse_clauses(q);
    match (well_formed(q), parsed) {
        (true, Ok(query)) => Ok(query),
        // Say what is wrong when the parser can tell.
        (false, Err(e)) => Err(e),
        (false, Ok(_)) => err("is not a well-formed query: a word may not contain `\"`, and a phrase must stand apart"),
        (true, Err(e)) => Err(GrammarError(format!("could not be read ({e})"))),
    }
}

fn parse_clauses(q: &str) -> Result<TextQuery, GrammarError> {
    let lexemes = lex(q)?;
    let mut clauses: Vec<Clause> = Vec::new();
    let mut pending_or = false;
    for (n, lexeme) in lexemes.into_iter().enumerate() {
        match lexeme {
            Lexeme::Or => {
                if n == 0 || pending_or || !matches!(clauses.last(), Some(Clause::AnyOf(_))) {
                    return err("`OR` must stand between two words or phrases (and cannot join an exclusion)");
                }
                pending_or = true;
            }
            Lexeme::Item { negated: true, term } => {
                if pending_or {
                    return err("`OR` cannot join an exclusion");
                }
                clauses.push(Clause::Not(term));
            }
            Lexeme::Item { negated: false, term } => {
                if pending_or {
                    if let Some(Clause::AnyOf(alternatives)) = clauses.last_mut() {
                        alternatives.push(term);
                    }
                    pending_or = false;
                } else {
                    clauses.push(Clause::AnyOf(vec![term]));
                }
            }
        }
    }
    if pending_or {
        return err("`OR` must be followed by a word or a phrase");
    }
    if clauses.len() > MAX_CLAUSES {
        return err(format!(
            "has {} parts; at most {MAX_CLAUSES} words, phrases (each with its `OR` alternatives) or exclusions",
            clauses.len()
        ));
    }
    if let Some(n) = clauses.iter().map(|c| if let Clause::AnyOf(t) = c { t.len() } else { 1 }).max() {
        if n > MAX_ALTERNATIVES {
            return err(format!("joins {n} words or phrases with `OR`; at most {MAX_ALTERNATIVES}"));
        }
    }
    Ok(TextQuery { clauses })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(scope: Scope, text: &str, phrase: bool) -> Term {
        Term { scope, text: text.into(), phrase }
    }

    #[test]
    fn parses_the_documented_forms() {
        let q = parse(r#"security "peace treaty" japan OR korea -russia title:alliance body:"north korea""#).unwrap();
        assert_eq!(
            q.clauses,
            vec![
                Clause::AnyOf(vec![t(Scope::Any, "security", false)]),
                Clause::AnyOf(vec![t(Scope::Any, "peace treaty", true)]),
                Clause::AnyOf(vec![t(Scope::Any, "japan", false), t(Scope::Any, "korea", false)]),
                Clause::Not(t(Scope::Any, "russia", false)),
                Clause::AnyOf(vec![t(Scope::Title, "alliance", false)]),
                Clause::AnyOf(vec![t(Scope::Body, "north korea", true)]),
            ]
        );
        // An unknown prefix is just text.
        assert_eq!(parse("note:this").unwrap().clauses, vec![Clause::AnyOf(vec![t(Scope::Any, "note:this", false)])]);
        // Lowercase "or" is a word; a scope with nothing after it is a word.
        assert_eq!(parse("war or peace").unwrap().clauses.len(), 3);
        assert_eq!(parse("title:").unwrap().clauses, vec![Clause::AnyOf(vec![t(Scope::Any, "title:", false)])]);
    }

    #[test]
    fn whatever_the_pattern_accepts_parses_and_nothing_else_does() {
        let samples = [
            "a",
            "a b",
            "\"a b\"",
            "a OR b OR c",
            "-a b",
            "b -a",
            "title:a",
            "-title:\"a b\"",
            "OR",
            "ORa",
            "O",
            "Oa",
            "a OR",
            "a OR -b",
            "\"\"",
            "\" \"",
            "\"a",
            "a\"b\"",
            "-",
            "- a",
            "--a",
            "a\u{0}b",
            "\u{1c}",
            "x:y",
            "title:",
            "-OR",
            "a  OR  b",
            "\ta\n",
            " ",
            "",
            "a OR OR b",
            "summary:\"x\" OR body:y",
            "ä ö",
            "!!!",
            "a-b",
            "a--b",
            "a -b OR c",
            "-b OR c",
            "a -b c OR d",
            "-a -b c",
            "-a",
            "-a -b",
            "a b c d e f g h i j k l",
            "a b c d e f g h i j k l m",
            "a OR b OR c OR d OR e OR f",
            "a OR b OR c OR d OR e OR f OR g",
            "\"a b c d e f g h i j\"",
            "\"a b c d e f g h i j k\"",
            "\" a  b \"",
            "\"a\u{3000}b\"",
        ];
        for q in samples {
            let matches = well_formed(q);
            let parses = parse_clauses(q).is_ok();
            assert!(!matches || parses, "{q:?} matches the pattern but does not parse");
            assert_eq!(parse(q).is_ok(), matches, "{q:?}");
        }
    }

    #[test]
    fn rejects_what_it_cannot_mean() {
        for bad in [
            "\"unclosed",
            "OR japan",
            "japan OR",
            "japan OR OR korea",
            "-",
            "- japan",
            "japan OR -korea",
            "\"\"",
            "",
            "   ",
            "a b c d e f g h i j k l m",
            "a OR b OR c OR d OR e OR f OR g",
            "\"a b c d e f g h i j k\"",
        ] {
            assert!(parse(bad).is_err(), "{bad:?} should be rejected");
        }
        assert!(parse(&"a".repeat(501)).is_err());
        assert!(parse("-japan").is_ok(), "exclusions alone find everything else");
        assert!(parse("ab\"c d\"").is_err());
    }
}

#[cfg(test)]
mod cap_tests {
    use super::*;

    #[test]
    fn the_pattern_states_the_caps() {
        assert!(Q_PATTERN.contains(&format!("{{0,{}}}", MAX_CLAUSES - 1)));
        assert!(Q_PATTERN.contains(&format!("{{0,{}}}", MAX_ALTERNATIVES - 1)));
        assert!(Q_PATTERN.contains(&format!("{{0,{}}}", MAX_PHRASE_WORDS - 1)));
        let words = |n: usize| vec!["w"; n].join(" ");
        assert!(parse(&words(MAX_CLAUSES)).is_ok());
        assert!(parse(&words(MAX_CLAUSES + 1)).is_err());
        assert!(parse(&["w"; MAX_ALTERNATIVES].join(" OR ")).is_ok());
        assert!(parse(&["w"; MAX_ALTERNATIVES + 1].join(" OR ")).is_err());
        assert!(parse(&format!("\"{}\"", words(MAX_PHRASE_WORDS))).is_ok());
        assert!(parse(&format!("\"{}\"", words(MAX_PHRASE_WORDS + 1))).is_err());
    }
}
