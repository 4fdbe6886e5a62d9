//! A generated corpus imports cleanly into an empty store, every line
//! created, and importing it again changes nothing.

use std::fs::File;

use commentary_api::db::{self, PoolOptions};
use commentary_api::domain::Kind;
use commentary_api::ingest::lines::Source;
use commentary_api::ingest::{self, ImportOptions};
use commentary_api::synthetic::{write_corpus, CorpusSpec};

use crate::helpers::temp_db;

const KINDS: [Kind; 6] = [Kind::Publisher, Kind::Series, Kind::Region, Kind::Topic, Kind::Author, Kind::Article];

#[test]
fn a_generated_corpus_imports_cleanly() {
    let (dir, path) = temp_db();
    let file = dir.path().join("corpus.ndjson");
    let spec = CorpusSpec { articles: 300, seed: 42, authors: 150 };
    let stats = write_corpus(&spec, &mut File::create(&file).unwrap()).unwrap();
    assert_eq!(stats.bytes, std::fs::metadata(&file).unwrap().len());

    let mut conn = db::connect(&path, PoolOptions::default()).unwrap();
    db::run_migrations(&mut conn).unwrap();
    let options = ImportOptions { batch_size: 500, ..ImportOptions::default() };
    let report = ingest::import(&mut conn, &Source::File(file.clone()), &options).unwrap();
    assert_eq!(report.records, stats.records());
    for kind in KINDS {
        let tally = report.written.by_kind.get(&kind).copied().unwrap_or_default();
        assert_eq!((tally.created, tally.updated, tally.unchanged), (stats.count(kind), 0, 0), "{kind:?}");
    }

    let again = ingest::import(&mut conn, &Source::File(file), &options).unwrap();
    assert_eq!(again.written.changed(), 0);
}
