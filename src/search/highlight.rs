//! Highlights: short snippets of the title and body with the matched words
//! wrapped in `<mark>…</mark>` and everything else HTML-escaped.

use tantivy::query::Query;
use tantivy::snippet::SnippetGenerator;
use tantivy::Searcher;

use super::SearchIndex;

/// Longest body snippet, in characters.
pub const BODY_SNIPPET_CHARS: usize = 240;

pub struct Highlighter {
    title: SnippetGenerator,
    summary: SnippetGenerator,
    body: SnippetGenerator,
}

fn marked(generator: &SnippetGenerator, text: &str) -> Option<String> {
    let mut snippet = generator.snippet(text);
    if snippet.is_empty() {
        return None;
    }
    snippet.set_snippet_prefix_postfix("<mark>", "</mark>");
    Some(snippet.to_html())
}

impl Highlighter {
    pub fn new(index: &SearchIndex, searcher: &Searcher, query: &dyn Query) -> tantivy::Result<Highlighter> {
        let mut title = SnippetGenerator::create(searcher, query, index.fields.title)?;
        title.set_max_num_chars(1_000);
        let mut summary = SnippetGenerator::create(searcher, query, index.fields.summary)?;
        summary.set_max_num_chars(BODY_SNIPPET_CHARS);
        let mut body = SnippetGenerator::create(searcher, query, index.fields.body)?;
        body.set_max_num_chars(BODY_SNIPPET_CHARS);
        Ok(Highlighter { title, summary, body })
    }

    pub fn title(&self, text: &str) -> Option<String> {
        marked(&self.title, text)
    }

    pub fn summary(&self, text: &str) -> Option<String> {
        marked(&self.summary, text)
    }

    pub fn body(&self, text: &str) -> Option<String> {
        marked(&self.body, text)
    }
}
