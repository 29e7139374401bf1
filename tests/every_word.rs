//! Nothing is lost from search: for every document of the test corpora (`corpus/` and
//! the layout suite `tests/layouts/`), words drawn from its extracted text are searched
//! exactly, limited to that document, and each must find it, whatever the parser made
//! of the document.

mod common;

use std::collections::BTreeSet;
use std::path::PathBuf;

use protokoll::extract::{self, Options};
use protokoll::index::search::SearchOptions;
use protokoll::model::document_id;

/// Words drawn per document, spread evenly over its distinct words.
const WORDS_PER_DOCUMENT: usize = 60;

/// The words of a text as search sees them: runs of letters and digits.
fn words(text: &str) -> BTreeSet<String> {
    text.split(|c: char| !c.is_alphanumeric()).filter(|w| w.chars().count() >= 2).map(str::to_string).collect()
}

/// Up to `n` of the words, evenly spread in their sorted order.
fn draw(words: &BTreeSet<String>, n: usize) -> Vec<&String> {
    let step = words.len().div_ceil(n).max(1);
    words.iter().step_by(step).collect()
}

#[test]
fn every_document_is_found_by_words_of_its_text() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let dir = tempfile::tempdir().expect("tempdir");
    let (archive, report) = common::index(dir.path(), &[root.join("corpus"), root.join("tests/layouts")]);
    assert!(report.counts.added >= 50, "documents ingested: {}", report.counts.added);
    // Refused files are recorded too (so that they are not read again), with no content.
    let sources: Vec<_> = archive.sources().expect("sources").into_iter().filter(|s| s.refused.is_none()).collect();
    assert!(sources.len() >= report.counts.added, "every document has its file");

    let mut missed = Vec::new();
    let mut searched = 0;
    for source in &sources {
        let (id, path) = (document_id(&source.sha256), &source.path);
        let text = extract::extract_path(path.as_ref(), &Options::default()).expect("an ingested file extracts").text();
        let words = words(&text);
        assert!(!words.is_empty(), "{id}: no words extracted");
        for word in draw(&words, WORDS_PER_DOCUMENT) {
            let opts = SearchOptions { exact: true, document: Some(id.clone()), limit: 1, ..SearchOptions::default() };
            let hits = archive.search(word, &opts).expect("search").hits;
            searched += 1;
            if !hits.iter().any(|h| h.document_id == id) {
                missed.push(format!("{id}: {word}"));
            }
        }
    }
    eprintln!("{searched} words searched in {} documents, {} missed", sources.len(), missed.len());
    assert!(searched >= 50 * 30, "words searched: {searched}");
    assert!(missed.is_empty(), "{} of {searched} words did not find their document:\n{}", missed.len(), missed.join("\n"));
}
