//! Import: the stage between reading files and storing meetings. It walks the paths
//! given, reads what is new ([`read`]), links copies of one meeting, commits in batches,
//! and accounts for every file ([`report`]).
//!
//! - **Batches.** Files are read in parallel (rayon) and handed to one writer, which
//!   commits every [`Settings::batch_documents`] new documents or
//!   [`Settings::batch_seconds`] seconds. Memory is bounded by the batch, not the archive.
//!   A commit holds each document whole with its source records, so an import killed at
//!   any moment leaves every committed document in the index once, and the next import
//!   goes on from there. When [`Settings::cancel`] is set (Ctrl-C), files not yet started
//!   are left, and what is done is committed.
//! - **Identity.** A document is its content (`model::document_id`); the index records
//!   each path's hash, size and time, so an unchanged file is not even read. A file with
//!   new content replaces what its path held; a content that no path holds any more is
//!   removed.
//! - **Copies.** Documents with one `Meeting::copy_key` are copies of one meeting (the
//!   PDF, its scan, the portal page): they are stored together, and `model::primacy`
//!   marks the copy that searches count and show.
//!
//! - **Concurrency.** The [`Store`] it is given holds the index's write lock: the
//!   registry read at the start is the index's until the last commit.
//!
//! It neither extracts nor parses itself ([`crate::extract`], [`crate::parse`]) and
//! stores only through [`crate::index::store::Store`].

pub mod read;
pub mod report;
pub mod walk;

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use rayon::prelude::*;

use self::read::{FileRead, Known, Read};
use self::report::{Counts, FileReport, Status};
use crate::extract::Options;
use crate::index::store::Store;
use crate::index::{IndexError, SourceRecord};
use crate::model::{Meeting, MeetingKind, document_id};

/// New documents per commit: a few hundred documents' worth of memory, and a commit's
/// fixed cost spread thin.
pub const BATCH_DOCUMENTS: usize = 200;

/// Longest time between commits, so that a slow batch (scans through OCR) is saved too.
pub const BATCH_SECONDS: u64 = 20;

/// Files read ahead of the writer: bounds the parsed meetings held in memory.
const READ_AHEAD: usize = 16;

/// How an import runs.
pub struct Settings<'a> {
    pub options: Options,
    /// Drop documents whose files are gone.
    pub prune: bool,
    pub batch_documents: usize,
    pub batch_seconds: u64,
    /// Set to stop: files not yet started are left, what is done is committed.
    pub cancel: &'a AtomicBool,
}

impl<'a> Settings<'a> {
    pub fn new(cancel: &'a AtomicBool) -> Settings<'a> {
        Settings { options: Options::default(), prune: false, batch_documents: BATCH_DOCUMENTS, batch_seconds: BATCH_SECONDS, cancel }
    }
}

/// What an import reports as it goes. Called from several threads.
pub trait Progress: Sync {
    /// The walk is done: this many files will be read.
    fn start(&self, _files: usize) {}
    /// A reader begins a file.
    fn reading(&self, _path: &Path) {}
    /// A file is accounted for (also skipped, refused and pruned files).
    fn done(&self, _report: &FileReport) {}
    /// A commit was made.
    fn committed(&self) {}
}

/// Reports nothing.
pub struct Silent;
impl Progress for Silent {}

/// What an import did.
#[derive(Debug, Default)]
pub struct Summary {
    pub counts: Counts,
    /// Files refused, with the reason.
    pub refused: Vec<(String, String)>,
    /// Files not read, with the reason.
    pub skipped: Vec<(String, String)>,
    /// Files gone from disk whose records `--prune` dropped.
    pub removed: Vec<String>,
    /// Documents indexed that are no minutes (a notice, an agenda, unknown), with kind.
    pub not_minutes: Vec<(String, MeetingKind)>,
    /// Commits made.
    pub commits: usize,
    /// The import stopped before every file was read.
    pub interrupted: bool,
}

/// The registry as the writer keeps it: what each path holds and which paths hold each
/// content, with the changes not yet committed.
struct Registry {
    by_path: HashMap<String, SourceRecord>,
    paths_of: HashMap<String, BTreeSet<String>>,
    /// New meetings by copy key, with their shown paths.
    pending: BTreeMap<String, Vec<(Meeting, String)>>,
    pending_documents: usize,
    /// Contents that lost a path during this import: removed at its last commit when no
    /// path is left, so that a file moved within the import keeps its document.
    detached: BTreeSet<String>,
    /// Contents the index held when the import began.
    initial: HashSet<String>,
    /// Contents this import parsed and stored or holds pending.
    parsed: HashSet<String>,
    /// Copies of a content being parsed in this import, read before its meeting reached
    /// the writer: recorded with it, never before it.
    awaiting: HashMap<String, Vec<SourceRecord>>,
    dirty: bool,
}

impl Registry {
    fn new(sources: Vec<SourceRecord>) -> Registry {
        let mut paths_of: HashMap<String, BTreeSet<String>> = HashMap::new();
        for s in sources.iter().filter(|s| s.refused.is_none()) {
            paths_of.entry(s.sha256.clone()).or_default().insert(s.path.clone());
        }
        let initial = paths_of.keys().cloned().collect();
        let by_path = sources.into_iter().map(|s| (s.path.clone(), s)).collect();
        Registry {
            by_path,
            paths_of,
            pending: BTreeMap::new(),
            pending_documents: 0,
            detached: BTreeSet::new(),
            initial,
            parsed: HashSet::new(),
            awaiting: HashMap::new(),
            dirty: false,
        }
    }

    /// Records that a path holds a content (or a refused file); returns the content it
    /// held before, if other.
    fn attach(&mut self, store: &mut Store, record: SourceRecord) -> Result<Option<String>, IndexError> {
        store.put_source(&record)?;
        if record.refused.is_none() {
            self.paths_of.entry(record.sha256.clone()).or_default().insert(record.path.clone());
        }
        let before = self
            .by_path
            .insert(record.path.clone(), record.clone())
            .filter(|r| r.refused.is_none())
            .map(|r| r.sha256)
            .filter(|sha| *sha != record.sha256 || record.refused.is_some());
        if let Some(old) = &before {
            self.unlink(old, &record.path);
        }
        self.dirty = true;
        Ok(before)
    }

    /// Forgets a path.
    fn detach(&mut self, store: &mut Store, path: &str) {
        store.delete_source(path);
        if let Some(record) = self.by_path.remove(path).filter(|r| r.refused.is_none()) {
            self.unlink(&record.sha256, path);
        }
        self.dirty = true;
    }

    fn unlink(&mut self, sha: &str, path: &str) {
        if let Some(paths) = self.paths_of.get_mut(sha) {
            paths.remove(path);
        }
        self.detached.insert(sha.to_string());
    }

    fn holds(&self, sha: &str) -> bool {
        self.paths_of.get(sha).is_some_and(|p| !p.is_empty())
    }

    /// Stores what is pending: the new meetings with their copies and, at the `last`
    /// commit, the copies of detached contents without the ones no path holds; and commits.
    fn flush(&mut self, store: &mut Store, last: bool) -> Result<bool, IndexError> {
        if !self.dirty {
            return Ok(false);
        }
        let mut affected: BTreeSet<String> = self.pending.keys().cloned().collect();
        let mut removed: HashSet<String> = HashSet::new();
        let detached = if last { std::mem::take(&mut self.detached) } else { BTreeSet::new() };
        for sha in detached {
            if let Some(stored) = store.archive().meeting_by_sha(&sha)? {
                affected.insert(stored.meeting.copy_key());
            }
            if !self.holds(&sha) {
                store.delete_content(&sha);
                removed.insert(sha);
            }
        }
        let mut pending = std::mem::take(&mut self.pending);
        for key in affected {
            let mut copies: Vec<(Meeting, String)> = Vec::new();
            for stored in store.archive().copies(&key)? {
                let sha = &stored.meeting.source.sha256;
                if removed.contains(sha) {
                    continue;
                }
                // The shown path, unless it is gone: then another path of the content.
                let paths = self.paths_of.get(sha);
                let path = match paths {
                    Some(p) if p.contains(&stored.path) => stored.path.clone(),
                    Some(p) => p.iter().next().cloned().unwrap_or(stored.path.clone()),
                    None => stored.path.clone(),
                };
                copies.push((stored.meeting, path));
            }
            copies.extend(pending.remove(&key).unwrap_or_default().into_iter().filter(|(m, _)| self.holds(&m.source.sha256)));
            let refs: Vec<(&Meeting, &str)> = copies.iter().map(|(m, p)| (m, p.as_str())).collect();
            store.put_copies(&refs)?;
        }
        store.commit()?;
        self.pending_documents = 0;
        self.dirty = false;
        Ok(true)
    }
}

/// Imports the files under `paths` into the store, and records the paths in the index
/// (for `check --repair`).
pub fn ingest(store: &mut Store, paths: &[PathBuf], settings: &Settings<'_>, progress: &dyn Progress) -> Result<Summary, IndexError> {
    store.add_roots(paths)?;
    import(store, paths, settings, progress)
}

/// Reads again, after a repair ([`Store::repair`]), what the repair could not keep: the
/// paths given to earlier imports and the files of meetings not kept. What was kept is
/// unchanged and not read.
pub fn reread(store: &mut Store, paths: &[PathBuf], settings: &Settings<'_>, progress: &dyn Progress) -> Result<Summary, IndexError> {
    import(store, paths, settings, progress)
}

fn import(store: &mut Store, paths: &[PathBuf], settings: &Settings<'_>, progress: &dyn Progress) -> Result<Summary, IndexError> {
    let walked = walk::walk(paths);
    let mut summary = Summary::default();
    let account = |summary: &mut Summary, report: FileReport| {
        summary.counts.count(report.status);
        match report.status {
            Status::Refused => summary.refused.push((report.path.clone(), report.reason.clone().unwrap_or_default())),
            Status::Skipped => summary.skipped.push((report.path.clone(), report.reason.clone().unwrap_or_default())),
            Status::Removed => summary.removed.push(report.path.clone()),
            _ => {}
        }
        progress.done(&report);
    };
    for (path, reason) in &walked.missing {
        account(&mut summary, FileReport::new(path.display().to_string(), Status::Refused, Some(reason.clone())));
    }
    for (path, reason) in &walked.skipped {
        account(&mut summary, FileReport::new(path.display().to_string(), Status::Skipped, Some(reason.clone())));
    }

    let sources = store.archive().sources()?;
    let mut registry = Registry::new(sources.clone());
    if settings.prune {
        let gone: Vec<String> = registry.by_path.keys().filter(|p| std::fs::symlink_metadata(p).is_err()).cloned().collect();
        for path in gone {
            let id = registry.by_path.get(&path).map(|r| document_id(&r.sha256));
            registry.detach(store, &path);
            let mut report = FileReport::new(path, Status::Removed, Some("filen finns inte längre".to_string()));
            report.document_id = id;
            account(&mut summary, report);
        }
    }

    // What the readers decide by: the registry as it was when the import began.
    let by_path: HashMap<String, SourceRecord> = sources.iter().map(|s| (s.path.clone(), s.clone())).collect();
    let refused: std::sync::Mutex<HashMap<String, String>> =
        std::sync::Mutex::new(sources.iter().filter_map(|s| Some((s.sha256.clone(), s.refused.clone()?))).collect());
    let contents: std::sync::Mutex<HashSet<String>> = std::sync::Mutex::new(sources.into_iter().filter(|s| s.refused.is_none()).map(|s| s.sha256).collect());
    let known = Known { by_path: &by_path, contents: &contents, refused: &refused };
    progress.start(walked.files.len());

    let mut last_commit = Instant::now();
    let mut failure: Option<IndexError> = None;
    std::thread::scope(|scope| {
        let (tx, rx) = std::sync::mpsc::sync_channel::<FileRead>(READ_AHEAD);
        let files = &walked.files;
        let known = &known;
        scope.spawn(move || {
            files.par_iter().for_each_with(tx, |tx, path| {
                let read = if settings.cancel.load(Ordering::Relaxed) {
                    FileRead { path: path.display().to_string(), read: Read::Interrupted, seconds: 0.0 }
                } else {
                    progress.reading(path);
                    read::read(path, known, &settings.options)
                };
                // The writer stops receiving only after a failure; the rest is dropped.
                let _ = tx.send(read);
            });
        });
        for file in rx {
            if failure.is_some() {
                continue;
            }
            let report = match apply(store, &mut registry, &mut summary, file) {
                Ok(r) => r,
                Err(e) => {
                    failure = Some(e);
                    continue;
                }
            };
            account(&mut summary, report);
            let due = registry.pending_documents >= settings.batch_documents.max(1) || last_commit.elapsed() >= Duration::from_secs(settings.batch_seconds);
            if due {
                match registry.flush(store, false) {
                    Ok(true) => {
                        summary.commits += 1;
                        progress.committed();
                        last_commit = Instant::now();
                    }
                    Ok(false) => {}
                    Err(e) => failure = Some(e),
                }
            }
        }
    });
    if let Some(e) = failure {
        return Err(e);
    }
    if registry.flush(store, true)? {
        summary.commits += 1;
        progress.committed();
    }
    summary.interrupted = settings.cancel.load(Ordering::Relaxed);
    Ok(summary)
}

/// Applies one file's outcome to the registry and says what became of it.
fn apply(store: &mut Store, registry: &mut Registry, summary: &mut Summary, file: FileRead) -> Result<FileReport, IndexError> {
    let mut report = FileReport::new(file.path, Status::Unchanged, None);
    report.seconds = file.seconds;
    match file.read {
        Read::Unchanged => {}
        Read::Interrupted => report.status = Status::Interrupted,
        Read::Refused(reason, record) => {
            report.status = Status::Refused;
            report.reason = Some(reason);
            if let Some(record) = record {
                registry.attach(store, record)?;
            }
        }
        Read::Known(record) => {
            report.document_id = Some(document_id(&record.sha256));
            let holder = registry.paths_of.get(&record.sha256).and_then(|p| p.iter().find(|p| **p != record.path).cloned());
            // What the path held before: this content, another, or nothing readable.
            let same = match registry.by_path.get(&record.path).filter(|r| r.refused.is_none()) {
                Some(r) if r.sha256 == record.sha256 => true,
                Some(_) => {
                    report.status = Status::Replaced;
                    false
                }
                None => {
                    report.status = Status::Copy;
                    false
                }
            };
            if !same && let Some(other) = holder {
                report.reason = Some(format!("samma innehåll som {other}"));
            }
            if registry.initial.contains(&record.sha256) || registry.parsed.contains(&record.sha256) {
                registry.attach(store, record)?;
            } else {
                registry.awaiting.entry(record.sha256.clone()).or_default().push(record);
            }
        }
        Read::New(meeting, record) => {
            report.document_id = Some(document_id(&record.sha256));
            if !registry.parsed.insert(record.sha256.clone()) {
                // Read twice at once by two readers: one document, two paths.
                report.status = Status::Copy;
                registry.attach(store, record)?;
                return Ok(report);
            }
            report.pages = Some(meeting.source.pages);
            report.ocr = Some(meeting.source.ocr);
            report.kind = Some(meeting.kind.as_str().to_string());
            report.warnings = meeting.warnings.clone();
            if matches!(meeting.kind, MeetingKind::Kallelse | MeetingKind::Foredragningslista | MeetingKind::Okand) {
                summary.not_minutes.push((report.path.clone(), meeting.kind));
            }
            let path = record.path.clone();
            let sha = record.sha256.clone();
            let replaced = registry.attach(store, record)?;
            report.status = if replaced.is_some() { Status::Replaced } else { Status::Added };
            for copy in registry.awaiting.remove(&sha).unwrap_or_default() {
                registry.attach(store, copy)?;
            }
            registry.pending.entry(meeting.copy_key()).or_default().push((*meeting, path));
            registry.pending_documents += 1;
        }
    }
    Ok(report)
}

/// What `remove` removed.
#[derive(Debug, Default)]
pub struct Removed {
    /// The ids of documents no longer in the index.
    pub documents: Vec<String>,
    /// Source paths forgotten.
    pub paths: Vec<String>,
}

/// Removes a document from the index, named by its id (or a prefix), a source path or
/// its file stem. A path forgets only that file: its content stays while another file
/// holds it. An ambiguous name removes nothing and lists the candidates.
pub fn remove(store: &mut Store, name: &str) -> Result<Removed, IndexError> {
    let sources = store.archive().sources()?;
    let mut registry = Registry::new(sources.clone());
    let canonical = crate::model::canonical_path(Path::new(name));
    let paths: Vec<String> = if registry.by_path.contains_key(&canonical) {
        vec![canonical]
    } else {
        let found = store.archive().resolve(name)?;
        let shas: BTreeSet<&str> = found.iter().map(|s| s.meeting.source.sha256.as_str()).collect();
        match shas.len() {
            0 => return Err(IndexError::NotFound(format!("{name}: finns inte i indexet"))),
            1 => {}
            _ => {
                let list: Vec<String> = found.iter().map(|s| format!("{} ({})", document_id(&s.meeting.source.sha256), s.path)).collect();
                return Err(IndexError::NotFound(format!("{name} kan vara flera dokument; ange ett av dessa id: {}", list.join(", "))));
            }
        }
        sources.iter().filter(|s| shas.contains(s.sha256.as_str())).map(|s| s.path.clone()).collect()
    };
    let mut removed = Removed::default();
    for path in &paths {
        if let Some(r) = registry.by_path.get(path) {
            let (sha, refused) = (r.sha256.clone(), r.refused.is_some());
            registry.detach(store, path);
            if !refused && !registry.holds(&sha) {
                removed.documents.push(document_id(&sha));
            }
        }
        removed.paths.push(path.clone());
    }
    registry.flush(store, true)?;
    Ok(removed)
}
