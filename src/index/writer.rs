//! Ingest: adds the documents under the given files and folders to the index.
//!
//! Files are read, hashed, extracted and parsed in parallel (rayon); a file whose hash is
//! already in the index is skipped before extraction, so ingesting an archive again
//! costs little and changes nothing. A file with new content at a path ingested before
//! replaces that version. A file that cannot be read is refused with its reason and the
//! batch goes on. Only the index writer is single-threaded.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

use chrono::Datelike;
use rayon::prelude::*;
use tantivy::schema::Facet;
use tantivy::{IndexWriter, TantivyDocument, Term, doc};

use super::schema::{KIND_ITEM, KIND_MEETING, KIND_TEXT};
use super::{Archive, IndexError, Payload};
use crate::extract::{self, Options};
use crate::model::Meeting;
use crate::parse;

/// File name endings ingest reads; other files are listed as skipped.
pub const EXTENSIONS: &[&str] = &["pdf", "html", "htm", "txt"];

/// Memory the index writer may use before it flushes a segment.
const WRITER_MEMORY_BYTES: usize = 100_000_000;

/// Deepest folder nesting walked.
const MAX_FOLDER_DEPTH: usize = 64;

/// What happened to one file.
#[derive(Debug)]
enum Outcome {
    Added(Box<Meeting>, String),
    Unchanged,
    Refused(String),
}

/// What an ingest did.
#[derive(Debug, Default)]
pub struct IngestReport {
    /// Documents added (id, path).
    pub added: Vec<(String, String)>,
    /// Documents that replaced an earlier version from the same path.
    pub replaced: Vec<(String, String)>,
    pub unchanged: usize,
    /// Files refused, with the reason.
    pub refused: Vec<(PathBuf, String)>,
    /// Files not read: not a format ingest knows.
    pub skipped: Vec<PathBuf>,
    /// The index was rebuilt for a new analysis, carrying over this many meetings.
    pub rebuilt: Option<usize>,
}

/// Lists the files under `paths`, folders recursively, in a stable order.
pub fn collect_files(paths: &[PathBuf]) -> (Vec<PathBuf>, Vec<PathBuf>, Vec<(PathBuf, String)>) {
    let mut files = Vec::new();
    let mut skipped = Vec::new();
    let mut missing = Vec::new();
    let mut seen_dirs: HashSet<PathBuf> = HashSet::new();
    let mut stack: Vec<(PathBuf, usize)> = paths.iter().rev().map(|p| (p.clone(), 0)).collect();
    while let Some((path, depth)) = stack.pop() {
        let Ok(meta) = std::fs::metadata(&path) else {
            missing.push((path, "finns inte".to_string()));
            continue;
        };
        if meta.is_dir() {
            let canonical = path.canonicalize().unwrap_or_else(|_| path.clone());
            if depth > MAX_FOLDER_DEPTH || !seen_dirs.insert(canonical) {
                continue;
            }
            let mut entries: Vec<PathBuf> = match std::fs::read_dir(&path) {
                Ok(rd) => rd.filter_map(|e| e.ok().map(|e| e.path())).collect(),
                Err(e) => {
                    missing.push((path, e.to_string()));
                    continue;
                }
            };
            entries.sort();
            for e in entries.into_iter().rev() {
                let hidden = e.file_name().and_then(|n| n.to_str()).is_some_and(|n| n.starts_with('.'));
                if !hidden {
                    stack.push((e, depth + 1));
                }
            }
        } else {
            let ext = path.extension().and_then(|e| e.to_str()).map(str::to_ascii_lowercase).unwrap_or_default();
            if EXTENSIONS.contains(&ext.as_str()) {
                files.push(path);
            } else if depth > 0 {
                skipped.push(path);
            } else {
                // A file named on the command line is read whatever its name.
                files.push(path);
            }
        }
    }
    (files, skipped, missing)
}

fn identity(path: &Path) -> String {
    path.canonicalize().unwrap_or_else(|_| path.to_path_buf()).display().to_string()
}

/// A date as the number YYYYMMDD, the form the index stores and ranges over.
pub fn date_number(d: chrono::NaiveDate) -> u64 {
    u64::from(d.year().max(0) as u32) * 10_000 + u64::from(d.month()) * 100 + u64::from(d.day())
}

/// How good a copy of a meeting a document is, lower is better: a text layer beats OCR,
/// and fewer characters lost to a wrong encoding ("?" or U+FFFD inside text) beat more.
pub fn copy_rank(meeting: &Meeting) -> u64 {
    let mut lost = 0u64;
    for item in &meeting.items {
        let chars: Vec<char> = item.text.chars().collect();
        for (i, &c) in chars.iter().enumerate() {
            let next_is_letter = chars.get(i + 1).is_some_and(|n| n.is_alphanumeric());
            let after_space = i > 0 && chars[i - 1].is_whitespace();
            if c == '\u{fffd}' || (c == '?' && (next_is_letter || after_space)) {
                lost += 1;
            }
        }
    }
    u64::from(meeting.source.ocr) * 1_000_000 + lost.min(999_999)
}

/// The tantivy documents of one meeting: the meeting itself, one per item, and one per
/// page of the text outside the items.
fn documents(archive: &Archive, meeting: &Meeting, identity: &str) -> Result<Vec<TantivyDocument>, IndexError> {
    let f = &archive.fields;
    let mut docs = Vec::with_capacity(meeting.items.len() + 1);
    let date = meeting.date.map(date_number);
    let mut meeting_doc = doc!(
        f.doc_kind => KIND_MEETING,
        f.sha256 => meeting.source.sha256.clone(),
        f.path => identity,
        f.document => meeting.id.clone(),
        f.meeting_json => serde_json::to_string(meeting)?,
    );
    if let Some(n) = date {
        meeting_doc.add_u64(f.date, n);
    }
    docs.push(meeting_doc);
    let rank = copy_rank(meeting);
    let mut people: Vec<&str> = meeting.participants.iter().map(|p| p.name.as_str()).collect();
    people.extend(meeting.officers.chair.as_deref());
    people.extend(meeting.officers.secretary.as_deref());
    people.extend(meeting.officers.adjusters.iter().map(String::as_str));
    // What every searchable document of the meeting carries: where it comes from, the
    // body, the organisation, the date and their facets.
    let base = |kind: &str, page: u32| {
        let mut d = doc!(
            f.doc_kind => kind,
            f.sha256 => meeting.source.sha256.clone(),
            f.path => identity,
            f.document => meeting.id.clone(),
            f.body_name => meeting.body.name.clone(),
            f.body_key => meeting.body.key.clone(),
            f.body_text => format!("{} {}", meeting.body.name, meeting.body.key.replace('-', " ")),
            f.meeting_kind => meeting.kind.as_str(),
            f.page => u64::from(page),
            f.copy_rank => rank,
            f.in_item => u64::from(kind == KIND_ITEM),
        );
        if let Some(org) = &meeting.organization {
            d.add_text(f.organization, org);
            d.add_text(f.organization_text, org);
        }
        if let (Some(n), Some(day)) = (date, meeting.date) {
            d.add_u64(f.date, n);
            d.add_text(f.date_text, day.to_string());
            d.add_facet(f.facets, Facet::from_path(["year", &day.year().to_string()]));
        }
        d.add_facet(f.facets, Facet::from_path(["body", &meeting.body.name]));
        d
    };
    for item in &meeting.items {
        let mut d = base(KIND_ITEM, item.page);
        d.add_text(f.item, &item.number);
        d.add_text(f.title, &item.title);
        // The heading as printed, so that its prefix and number are found too.
        d.add_text(f.title, &item.heading);
        d.add_text(f.text, &item.text);
        d.add_u64(f.has_decision, u64::from(item.decision.is_some()));
        if let Some(dnr) = &item.diarienummer {
            d.add_text(f.diarienummer, dnr);
        }
        if let Some(dec) = &item.decision {
            d.add_text(f.decision, &dec.text);
            d.add_text(f.decision_kind, dec.kind.as_str());
            d.add_facet(f.facets, Facet::from_path(["kind", dec.kind.as_str()]));
        }
        let names: Vec<&str> = people.iter().copied().chain(item.presenters.iter().map(String::as_str)).collect();
        d.add_text(f.people, names.join(". "));
        docs.push(d);
    }
    // The text outside the items, page by page, with the names of the front matter.
    for page in &meeting.outside_items {
        let mut d = base(KIND_TEXT, page.page);
        d.add_text(f.text, &page.text);
        d.add_u64(f.has_decision, 0);
        d.add_text(f.people, people.join(". "));
        docs.push(d);
    }
    Ok(docs)
}

fn writer(archive: &Archive) -> Result<IndexWriter, IndexError> {
    Ok(archive.index.writer(WRITER_MEMORY_BYTES)?)
}

fn commit(archive: &Archive, mut w: IndexWriter) -> Result<(), IndexError> {
    let mut prepared = w.prepare_commit()?;
    prepared.set_payload(&serde_json::to_string(&Payload::current(&archive.lexicon))?);
    prepared.commit()?;
    w.wait_merging_threads()?;
    Ok(())
}

/// Adds meetings whose source identity is their recorded path (used when rebuilding).
pub fn add_meetings(archive: &Archive, meetings: Vec<Meeting>) -> Result<(), IndexError> {
    let w = writer(archive)?;
    for m in &meetings {
        for d in documents(archive, m, &m.source.path)? {
            w.add_document(d)?;
        }
    }
    commit(archive, w)
}

/// Reads one file into a meeting, unless its content is already indexed.
fn read_one(path: &Path, known: &HashSet<String>, options: &Options) -> Outcome {
    let len = match std::fs::metadata(path) {
        Ok(m) => m.len(),
        Err(e) => return Outcome::Refused(e.to_string()),
    };
    if len > extract::MAX_FILE_BYTES {
        return Outcome::Refused(extract::ExtractError::TooLarge(len).to_string());
    }
    let bytes = match std::fs::read(path) {
        Ok(b) => b,
        Err(e) => return Outcome::Refused(e.to_string()),
    };
    let sha = parse::sha256_hex(&bytes);
    if known.contains(&sha) {
        return Outcome::Unchanged;
    }
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
    // A panic here would be a bug; it must still not end the batch.
    let parsed =
        std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| extract::extract_bytes(&bytes, name, options).map(|doc| parse::parse(&doc, path, &bytes))));
    match parsed {
        Ok(Ok(m)) => Outcome::Added(Box::new(m), sha),
        Ok(Err(e)) => Outcome::Refused(e.to_string()),
        Err(_) => Outcome::Refused("internt fel vid läsningen (rapportera gärna filen)".to_string()),
    }
}

/// Ingests the files under `paths`. `progress` is called after each file with the number
/// done and the total.
pub fn ingest(archive: &Archive, paths: &[PathBuf], options: &Options, progress: &(dyn Fn(usize, usize) + Sync)) -> Result<IngestReport, IndexError> {
    let (files, skipped, missing) = collect_files(paths);
    let mut report = IngestReport { skipped, refused: missing, ..IngestReport::default() };
    let stored = archive.stored()?;
    let known: HashSet<String> = stored.iter().map(|(_, sha, _)| sha.clone()).collect();
    let by_path: HashMap<String, String> = stored.iter().map(|(p, sha, _)| (p.clone(), sha.clone())).collect();

    let done = AtomicUsize::new(0);
    let total = files.len();
    let outcomes: Vec<(PathBuf, Outcome)> = files
        .par_iter()
        .map(|path| {
            let outcome = read_one(path, &known, options);
            progress(done.fetch_add(1, Ordering::Relaxed) + 1, total);
            (path.clone(), outcome)
        })
        .collect();

    let mut w = writer(archive)?;
    let mut changed = false;
    let mut added_now: HashSet<String> = HashSet::new();
    for (path, outcome) in outcomes {
        match outcome {
            Outcome::Unchanged => report.unchanged += 1,
            Outcome::Refused(reason) => report.refused.push((path, reason)),
            Outcome::Added(meeting, sha) => {
                // The same content twice in one batch is one document.
                if !added_now.insert(sha.clone()) {
                    report.unchanged += 1;
                    continue;
                }
                let id = identity(&path);
                let replaced = by_path.get(&id).filter(|old| **old != sha);
                if let Some(old) = replaced {
                    w.delete_term(Term::from_field_text(archive.fields.sha256, old));
                }
                for d in documents(archive, &meeting, &id)? {
                    w.add_document(d)?;
                }
                changed = true;
                let entry = (meeting.id.clone(), path.display().to_string());
                if replaced.is_some() { report.replaced.push(entry) } else { report.added.push(entry) }
            }
        }
    }
    if changed {
        commit(archive, w)?;
    } else {
        w.rollback()?;
    }
    Ok(report)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn born_digital_copies_outrank_ocr_and_lost_characters() {
        let mut m: Meeting = serde_json::from_value(serde_json::json!({
            "id": "x", "source": {"path": "x.pdf", "format": "pdf", "sha256": "0", "pages": 1, "ocr": false},
            "body": {"name": "SVOM", "key": "svom"}, "organization": null, "kind": "protokoll", "date": null,
            "time": null, "place": null, "officers": {"chair": null, "secretary": null, "adjusters": []},
            "participants": [], "attachments": [], "warnings": [],
            "items": [{"number": "1", "title": "T", "diarienummer": null, "presenters": [], "page": 1,
                       "text": "dåvarande ”Rådet” i Östersund – startade. Varför?", "decision": null, "references": []}]
        }))
        .expect("meeting");
        let good = copy_rank(&m);
        m.items[0].text = "dåvarande ?Rådet? i Östersund ? startade. Varför?".into();
        assert_eq!(copy_rank(&m), good + 2);
        m.source.ocr = true;
        assert!(copy_rank(&m) > 1_000_000);
    }

    #[test]
    fn folders_are_walked_in_order_and_unknown_files_listed() {
        let dir = tempfile::tempdir().expect("tempdir");
        std::fs::create_dir_all(dir.path().join("2022/b")).expect("mkdir");
        std::fs::write(dir.path().join("2022/b/p.pdf"), b"x").expect("write");
        std::fs::write(dir.path().join("2022/a.html"), b"x").expect("write");
        std::fs::write(dir.path().join("2022/notes.docx"), b"x").expect("write");
        std::fs::write(dir.path().join("2022/.hidden.pdf"), b"x").expect("write");
        let (files, skipped, missing) = collect_files(&[dir.path().to_path_buf(), dir.path().join("nope")]);
        let names: Vec<String> = files.iter().map(|p| p.strip_prefix(dir.path()).expect("prefix").display().to_string()).collect();
        assert_eq!(names, vec!["2022/a.html", "2022/b/p.pdf"]);
        assert_eq!(skipped.len(), 1);
        assert_eq!(missing.len(), 1);
    }
}
