//! CSL-JSON (`application/vnd.citationstyles.csl+json`): an array of the
//! items of `csl`, one a line.

use super::csl::CslItem;
use super::{Citable, CitationWriter, CiteError};

#[derive(Debug, Default)]
pub struct CslJsonWriter {
    written: usize,
}

impl CitationWriter for CslJsonWriter {
    fn begin(&mut self, out: &mut Vec<u8>) {
        out.push(b'[');
    }

    fn item(&mut self, c: &Citable<'_>, out: &mut Vec<u8>) -> Result<(), CiteError> {
        out.extend_from_slice(if self.written == 0 { b"\n" } else { b",\n" });
        serde_json::to_writer(&mut *out, &CslItem::new(c))?;
        self.written += 1;
        Ok(())
    }

    fn end(&mut self, out: &mut Vec<u8>) {
        out.extend_from_slice(if self.written == 0 { b"]\n" } else { b"\n]\n" });
    }
}

#[cfg(test)]
mod tests {
    use serde_json::Value;

    use crate::render::cite::fixtures::Fixture;
    use crate::render::cite::{render_all, CitationFormat};

    fn schema() -> jsonschema::Validator {
        let text = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/csl-data.json"))
            .expect("tests/fixtures/csl-data.json");
        let schema: Value = serde_json::from_str(&text).unwrap();
        jsonschema::validator_for(&schema).expect("the CSL-JSON schema compiles")
    }

    fn render(fixtures: &[Fixture]) -> Value {
        let citables: Vec<_> = fixtures.iter().map(Fixture::citable).collect();
        let bytes = render_all(CitationFormat::Csl, &citables).unwrap();
        serde_json::from_slice(&bytes).expect("CSL-JSON parses")
    }

    #[test]
    fn items_validate_against_the_official_schema() {
        let schema = schema();
        let mut with_original_title = Fixture::jfir_two_authors();
        with_original_title.item.translation.as_mut().unwrap().original_title = Some("プーチンの対日戦略とは".into());
        let doc = render(&[Fixture::jfir(), Fixture::charhar(), with_original_title]);
        let errors: Vec<String> = schema.iter_errors(&doc).map(|e| format!("{} at {}", e, e.instance_path())).collect();
        assert!(errors.is_empty(), "{errors:#?}");
        let items = doc.as_array().unwrap();
        assert_eq!(items.len(), 3);
        assert_eq!(items[2]["original-title"], "プーチンの対日戦略とは");
    }

    #[test]
    fn an_empty_list_is_an_empty_array() {
        assert_eq!(render(&[]), Value::Array(vec![]));
    }

    #[test]
    fn fields_of_a_translated_and_a_republished_article() {
        let doc = render(&[Fixture::jfir(), Fixture::charhar()]);
        let jfir = &doc[0];
        assert_eq!(jfir["id"], "tokiwa2021what-812");
        assert_eq!(jfir["type"], "report");
        assert_eq!(jfir["genre"], "Commentary");
        assert_eq!(
            jfir["title"],
            "What is Putin’s Strategy on Japan? Vigilance needed on Russia’s ‘Peace Treaty’ Proposal"
        );
        assert_eq!(jfir["title-short"], "What is Putin’s Strategy on Japan?");
        assert_eq!(jfir["author"][0]["family"], "Tokiwa");
        assert_eq!(jfir["author"][0]["given"], "Shin");
        assert_eq!(jfir["translator"][0]["literal"], "JFIR Translation Desk");
        assert_eq!(jfir["publisher"], "The Japan Forum on International Relations");
        assert_eq!(jfir["publisher-place"], "Tokyo");
        assert_eq!(jfir["collection-title"], "JFIR Commentary");
        assert_eq!(jfir["issued"]["date-parts"][0], serde_json::json!([2021, 8, 2]));
        assert_eq!(jfir["accessed"]["date-parts"][0], serde_json::json!([2026, 5, 4]));
        assert_eq!(jfir["original-date"]["date-parts"][0], serde_json::json!([2021, 6, 19]));
        assert_eq!(jfir["original-publisher"], "Hyakka-Seiho (Hundred Flowers in Full Bloom)");
        assert_eq!(jfir["language"], "en");
        assert!(jfir["abstract"].as_str().unwrap().starts_with("Russia proposes"));
        assert!(jfir["note"].as_str().unwrap().contains("English translation"));

        let charhar = &doc[1];
        assert_eq!(charhar["author"][0]["family"], "Wang");
        assert_eq!(charhar["author"][0]["given"], "Peng");
        assert_eq!(charhar["editorial-director"][0]["family"], "Liang");
        assert_eq!(charhar["editor"][0]["family"], "Kang");
        assert_eq!(charhar["original-publisher"], "CGTN");
        assert_eq!(charhar["original-date"]["date-parts"][0], serde_json::json!([2018, 9, 2]));
        assert_eq!(charhar["URL"], "https://api.example.test/articles/4077");
        assert_eq!(charhar["keyword"], "The Korean Peninsula");
    }
}
