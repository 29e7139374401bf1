//! Helpers shared by the end-to-end tests: paths into `corpus/`, and the word-multiset F1
//! that the extraction bar is stated in.

#![allow(dead_code)]

use std::collections::HashMap;
use std::path::PathBuf;
use std::process::Command;

pub fn corpus(rel: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("corpus").join(rel)
}

pub fn gold(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/gold").join(name)
}

/// Words of a text as a multiset, dot leaders removed (as the shared evaluation does).
pub fn words(text: &str) -> HashMap<String, usize> {
    let leaders = regex::Regex::new(r"\.{3,}|…{2,}").expect("regex");
    let mut out = HashMap::new();
    for w in text.split_whitespace() {
        let w = leaders.replace_all(w, "");
        if !w.is_empty() {
            *out.entry(w.into_owned()).or_insert(0) += 1;
        }
    }
    out
}

/// Word-multiset F1 of `got` against `reference`.
pub fn word_f1(reference: &str, got: &str) -> f64 {
    let (a, b) = (words(reference), words(got));
    let tp: usize = a.iter().map(|(w, n)| (*n).min(*b.get(w).unwrap_or(&0))).sum();
    let (na, nb): (usize, usize) = (a.values().sum(), b.values().sum());
    if na == 0 && nb == 0 {
        return 1.0;
    }
    let (p, r) = (tp as f64 / nb.max(1) as f64, tp as f64 / na.max(1) as f64);
    if p + r == 0.0 { 0.0 } else { 2.0 * p * r / (p + r) }
}

/// `pdftotext -layout` output for a PDF (poppler-utils; `.ci/run` installs it).
pub fn pdftotext(path: &std::path::Path) -> String {
    let out =
        Command::new("pdftotext").arg("-layout").arg(path).arg("-").output().expect("pdftotext is needed for reference tests: apt-get install poppler-utils");
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// The `protokoll` binary built for these tests.
pub fn protokoll() -> Command {
    Command::new(env!("CARGO_BIN_EXE_protokoll"))
}

/// Imports `paths` into an index in `dir` with `lexicon`, as `protokoll ingest` does, and
/// opens it for reading.
pub fn index_with(
    dir: &std::path::Path,
    paths: &[PathBuf],
    lexicon: protokoll::index::lexicon::Lexicon,
) -> (protokoll::index::Archive, protokoll::ingest::Summary) {
    let (mut store, _) = protokoll::index::store::Store::open(dir, lexicon).expect("index");
    let cancel = std::sync::atomic::AtomicBool::new(false);
    let summary = protokoll::ingest::ingest(&mut store, paths, &protokoll::ingest::Settings::new(&cancel), &protokoll::ingest::Silent).expect("ingest");
    store.finish().expect("finish");
    (protokoll::index::Archive::open(dir).expect("open"), summary)
}

/// [`index_with`] the system's lexicon.
pub fn index(dir: &std::path::Path, paths: &[PathBuf]) -> (protokoll::index::Archive, protokoll::ingest::Summary) {
    index_with(dir, paths, protokoll::index::lexicon::Lexicon::system())
}

pub mod archive;
