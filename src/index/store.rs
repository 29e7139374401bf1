//! Writing to the index: meetings, their copies and the source registry, in commits that
//! each leave the index whole.
//!
//! - **One writer at a time.** A [`Store`] holds the index's [`WriteLock`] (a file beside
//!   the index folder, see [`super::lock`]), taken before anything in the folder is looked
//!   at or created and held until the store is finished or dropped: an import decides
//!   what is new, stores it and commits with no other writer in between.
//! - **Opening**, under the lock: a rebuild that died between its two renames is finished
//!   and other rebuilds' leftover folders are removed; the files of segments that no commit
//!   refers to (a writer killed, a full disk) are deleted (tantivy's garbage collection); a
//!   new index is committed empty at once, so that an index whose first import was
//!   interrupted opens as an empty index of the current version. An index built with
//!   another analysis, lexicon or schema is rebuilt from the meetings it stores.
//! - **Rebuilding** (another version, or `check --repair`): a new index is built in the
//!   sibling folder `.<name>.ny-<pid>` from what [`super::check::inspect`] could read; then
//!   the old folder is renamed `.<name>.gammal-<pid>`, the new one put in its place and the
//!   old one removed. The lock, beside both, is held throughout. Folders named by another
//!   process's id are only touched when opening under the lock, when no other writer can
//!   be at work: they are leftovers.
//! - **Failures.** A write that fails (a full disk, a worker thread that died) rolls the
//!   writer back to the last commit and deletes the unfinished segments' files before the
//!   error is returned ([`IndexError::DiskFull`] for a full disk): nothing committed is
//!   lost, no space is held by leftovers, and the next import goes on from the last commit.
//! - **For a repair**, every commit leaves a copy of `meta.json` ([`META_COPY_FILE`]) and
//!   every import records the paths it was given ([`ROOTS_FILE`]).
//!
//! This module decides nothing about copies: the caller passes a meeting's copies
//! together and [`crate::model::primacy`] says which copy stands for what.

use std::collections::{BTreeMap, BTreeSet, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use chrono::Datelike;
use tantivy::directory::error::LockError;
use tantivy::schema::Facet;
use tantivy::{Index, IndexWriter, TantivyDocument, TantivyError, Term, doc};

use super::check::{self, Salvage};
use super::lexicon::Lexicon;
use super::lock::{Wait, WriteLock};
use super::schema::{self, KIND_ITEM, KIND_MEETING, KIND_SOURCE, KIND_TEXT};
use super::{Archive, IndexError, LEXICON_FILE, META_COPY_FILE, Payload, ROOTS_FILE, SourceRecord, payload_of};
use crate::model::{Item, Meeting, Primacy, date_number, primacy};

/// Memory the index writer may use before it flushes a segment, for all its threads.
const WRITER_MEMORY_BYTES: usize = 100_000_000;

/// How long a writer whose write failed waits for its indexing threads to let go of the
/// files of unfinished segments, so that they can be deleted: a thread that failed first
/// stops the others, which only have their current segment to give up.
const CLEANUP_WAIT: Duration = Duration::from_secs(3);

/// Indexing threads: two, as a commit of a batch of a few hundred documents gains little
/// from more, and each thread takes its share of the memory above.
const WRITER_THREADS: usize = 2;

/// The write side of an index.
pub struct Store {
    archive: Archive,
    writer: IndexWriter,
    /// Dropped after the writer. `None` for an index built beside a locked one.
    lock: Option<WriteLock>,
}

fn take_writer(index: &Index, dir: &Path) -> Result<IndexWriter, IndexError> {
    match index.writer_with_num_threads(WRITER_THREADS, WRITER_MEMORY_BYTES) {
        Ok(w) => Ok(w),
        Err(TantivyError::LockFailure(LockError::LockBusy, _)) => Err(IndexError::Busy(dir.to_path_buf())),
        Err(e) => Err(e.into()),
    }
}

/// Deletes the files of segments that no commit refers to. A failure leaves them for the
/// next time.
fn collect_garbage(writer: &IndexWriter) {
    let _ = writer.garbage_collect_files().wait();
}

/// A temporary name beside `path`, this process's own.
fn temporary(path: &Path) -> PathBuf {
    let name = path.file_name().map_or_else(String::new, |n| n.to_string_lossy().into_owned());
    path.with_file_name(format!("{name}.{}.tmp", std::process::id()))
}

/// Writes a file whole or not at all (a temporary file renamed into place).
fn write_atomically(path: &Path, write: impl FnOnce(&Path) -> std::io::Result<()>) -> std::io::Result<()> {
    let tmp = temporary(path);
    let written = write(&tmp).and_then(|()| std::fs::rename(&tmp, path));
    if written.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    written
}

/// Writes the compiled lexicon into the index folder.
fn write_lexicon(dir: &Path, lexicon: &Lexicon) -> Result<(), IndexError> {
    write_atomically(&dir.join(LEXICON_FILE), |tmp| lexicon.write_compiled(tmp))?;
    Ok(())
}

/// Writes the list of paths given to imports into the index folder.
fn write_roots(dir: &Path, roots: &[PathBuf]) -> Result<(), IndexError> {
    let json = serde_json::to_vec_pretty(roots)?;
    write_atomically(&dir.join(ROOTS_FILE), |tmp| std::fs::write(tmp, &json))?;
    Ok(())
}

/// Keeps a copy of the index's `meta.json` as it is now. A copy that cannot be written
/// (a full disk) is no failure: the last one stays, and a repair that finds it behind
/// reads again what it lacks.
fn keep_meta_copy(dir: &Path) {
    if let Ok(meta) = std::fs::read(dir.join("meta.json")) {
        let _ = write_atomically(&dir.join(META_COPY_FILE), |tmp| std::fs::write(tmp, &meta));
    }
}

/// The index folder as an absolute path, its parent and its name.
fn parts(dir: &Path) -> Option<(PathBuf, String)> {
    let abs = std::path::absolute(dir).ok()?;
    Some((abs.parent()?.to_path_buf(), abs.file_name()?.to_string_lossy().into_owned()))
}

/// A rebuild's folder beside the index: `.<name>.<what>-<pid>`.
fn sibling(dir: &Path, what: &str, pid: u32) -> PathBuf {
    match parts(dir) {
        Some((parent, name)) => parent.join(format!(".{name}.{what}-{pid}")),
        None => dir.join(format!(".{what}-{pid}")),
    }
}

/// Folders left beside the index by rebuilds (of any process), with what and whose.
fn rebuild_folders(dir: &Path) -> Vec<(PathBuf, String, u32)> {
    let Some((parent, name)) = parts(dir) else { return Vec::new() };
    let mut out = Vec::new();
    for entry in std::fs::read_dir(&parent).into_iter().flatten().flatten() {
        let file = entry.file_name().to_string_lossy().into_owned();
        let Some(rest) = file.strip_prefix(&format!(".{name}.")) else { continue };
        for what in ["ny", "gammal"] {
            if let Some(pid) = rest.strip_prefix(what).and_then(|r| r.strip_prefix('-')).and_then(|p| p.parse::<u32>().ok()) {
                out.push((entry.path(), what.to_string(), pid));
            }
        }
    }
    out.sort();
    out
}

/// Folders left beside the index by rebuilds that did not finish.
pub(crate) fn siblings(dir: &Path) -> Vec<PathBuf> {
    rebuild_folders(dir).into_iter().map(|(p, _, _)| p).collect()
}

/// Finishes or clears away what rebuilds that died left beside the index. Only under the
/// lock: then no other process is rebuilding. A rebuild renames the old folder away only
/// once the new one is committed, so an old folder without the index beside a new one of
/// the same process is a rebuild stopped between its two renames: the new folder is put
/// in place. Everything else left is removed.
fn recover_siblings(lock: &WriteLock) -> Result<(), IndexError> {
    let dir = lock.dir();
    if !dir.exists() {
        let folders = rebuild_folders(dir);
        let new_of = |pid: u32| folders.iter().find(|(p, what, of)| what == "ny" && *of == pid && p.join("meta.json").exists());
        if let Some((new, _, _)) = folders.iter().filter(|(_, what, _)| what == "gammal").find_map(|(_, _, pid)| new_of(*pid)) {
            std::fs::rename(new, dir)?;
        }
    }
    for folder in siblings(dir) {
        let _ = std::fs::remove_dir_all(folder);
    }
    Ok(())
}

/// What a new index is built from: the meetings kept, with their shown paths, their
/// source records and the paths given to imports.
struct Carried {
    meetings: Vec<(Meeting, String)>,
    sources: Vec<SourceRecord>,
    roots: Vec<PathBuf>,
    /// Files to read again: those of meetings not kept.
    reread: BTreeSet<PathBuf>,
    /// Meetings read but not kept (suspect, with their files there to read again).
    dropped: usize,
}

impl Carried {
    /// What a new index keeps of what was read: every meeting read whole, and a suspect
    /// one only when none of its files is there to read it again from; one source record
    /// per path, only for a meeting kept (the file of a meeting not kept is read again),
    /// and refused files' records when `refused` says so; a meeting kept whose records
    /// were lost gets one for its shown path, its size and time unknown (the next import
    /// hashes the file again).
    fn plan(salvage: Salvage, refused: bool) -> Carried {
        let exists = |p: &str| Path::new(p).is_file();
        let mut paths_of: BTreeMap<&str, BTreeSet<&str>> = BTreeMap::new();
        for s in salvage.sources.iter().filter(|s| s.refused.is_none()) {
            paths_of.entry(s.sha256.as_str()).or_default().insert(s.path.as_str());
        }
        let mut kept: HashSet<String> = HashSet::new();
        let mut meetings = Vec::new();
        let mut reread: BTreeSet<PathBuf> = BTreeSet::new();
        let mut dropped = 0;
        for found in &salvage.meetings {
            let sha = found.meeting.source.sha256.as_str();
            let mut paths: BTreeSet<&str> = paths_of.get(sha).cloned().unwrap_or_default();
            paths.insert(found.path.as_str());
            if found.suspect && paths.iter().any(|p| exists(p)) {
                dropped += 1;
                reread.extend(paths.iter().filter(|p| exists(p)).map(PathBuf::from));
                continue;
            }
            kept.insert(sha.to_string());
            // A meeting stored before personnummer were masked is masked as it moves.
            let mut meeting = found.meeting.clone();
            crate::privacy::mask_meeting(&mut meeting);
            meetings.push((meeting, found.path.clone()));
        }
        let mut by_path: BTreeMap<&str, Vec<&SourceRecord>> = BTreeMap::new();
        for s in &salvage.sources {
            by_path.entry(s.path.as_str()).or_default().push(s);
        }
        let mut sources: Vec<SourceRecord> = Vec::new();
        for (path, records) in by_path {
            let holds = records.iter().find(|r| r.refused.is_none() && kept.contains(&r.sha256));
            let refusal = records.iter().find(|r| r.refused.is_some()).filter(|_| refused);
            match holds.or(refusal) {
                Some(r) => sources.push((*r).clone()),
                None if records.iter().any(|r| r.refused.is_none()) && exists(path) => {
                    reread.insert(PathBuf::from(path));
                }
                None => {}
            }
        }
        let recorded: HashSet<&str> = sources.iter().filter(|s| s.refused.is_none()).map(|s| s.sha256.as_str()).collect();
        let mut lost: Vec<SourceRecord> = Vec::new();
        for (m, path) in &meetings {
            if !recorded.contains(m.source.sha256.as_str()) && !sources.iter().any(|s| s.path == *path) {
                lost.push(SourceRecord { path: path.clone(), sha256: m.source.sha256.clone(), size: 0, mtime: 0, refused: None });
            }
        }
        sources.extend(lost);
        let roots = salvage.roots;
        reread.retain(|p| !roots.iter().any(|r| p.starts_with(r)));
        Carried { meetings, sources, roots, reread, dropped }
    }
}

/// What `check --repair` did.
#[derive(Debug, Default)]
pub struct Repaired {
    /// Meetings kept.
    pub meetings: usize,
    /// Source files whose records were kept.
    pub sources: usize,
    /// Meetings read from a damaged block and left to be read again from their files.
    pub dropped: usize,
    /// What to read again: the paths given to imports that are still there, and files
    /// outside them whose meetings were not kept.
    pub reread: Vec<PathBuf>,
    /// Paths given to imports that are gone.
    pub gone: Vec<PathBuf>,
}

impl Store {
    /// Opens the index in `dir` for writing, as [`Store::open_locked`] does, taking its
    /// write lock first and refusing ([`IndexError::Busy`]) when another process holds it.
    pub fn open(dir: &Path, lexicon: Lexicon) -> Result<(Store, Option<usize>), IndexError> {
        Store::open_locked(WriteLock::acquire(dir, Wait::No)?, lexicon)
    }

    /// Opens the locked index for writing, creating it if need be. An index built with
    /// another analysis, lexicon or schema is rebuilt: its meetings are read, a new index
    /// is built beside it and put in its place; the number of meetings carried over is
    /// returned.
    pub fn open_locked(lock: WriteLock, lexicon: Lexicon) -> Result<(Store, Option<usize>), IndexError> {
        recover_siblings(&lock)?;
        let dir = lock.dir().to_path_buf();
        std::fs::create_dir_all(&dir)?;
        let lexicon = Arc::new(lexicon);
        let (expected_schema, _) = schema::build();
        if !dir.join("meta.json").exists() {
            // Without meta.json, segments are beyond use: a repair reads its copy.
            if check::lost_meta(&dir) {
                return Err(IndexError::Damaged { path: dir, reason: "meta.json saknas".to_string() });
            }
            let index = Index::create_in_dir(&dir, expected_schema)?;
            let writer = take_writer(&index, &dir)?;
            return Ok((Store::fresh(index, writer, lexicon, Some(lock), &dir)?, None));
        }
        let index = Index::open_in_dir(&dir)?;
        let writer = take_writer(&index, &dir)?;
        collect_garbage(&writer);
        let current = Payload::current(&lexicon);
        let stored = payload_of(&index);
        let same_schema = index.schema() == expected_schema;
        if same_schema && stored.as_ref() == Some(&current) {
            if !dir.join(LEXICON_FILE).exists() || check::lexicon_damaged(&dir.join(LEXICON_FILE)) {
                write_lexicon(&dir, &lexicon)?;
            }
            let archive = Archive::from_index(index, lexicon, &dir)?;
            return Ok((Store { archive, writer, lock: Some(lock) }, None));
        }
        if same_schema && stored.is_none() && index.searchable_segment_ids()?.is_empty() {
            // Created, but stopped before its first commit: a new index.
            return Ok((Store::fresh(index, writer, lexicon, Some(lock), &dir)?, None));
        }
        drop(writer);
        drop(index);
        // Refused files are read again by the new version.
        let (_, salvage) = check::inspect(&dir)?;
        let carried = Carried::plan(salvage, false);
        let n = carried.meetings.len();
        Ok((Store::rebuild(lock, carried, lexicon)?, Some(n)))
    }

    /// Rebuilds the locked index from what can still be read of it: every meeting read
    /// whole and its files' records (see `Carried::plan`). What it could not keep is for
    /// the caller to read again: [`Repaired::reread`].
    pub fn repair(lock: WriteLock, lexicon: Lexicon) -> Result<(Store, Repaired), IndexError> {
        recover_siblings(&lock)?;
        let (_, salvage) = check::inspect(lock.dir())?;
        let carried = Carried::plan(salvage, true);
        let (reread, gone): (Vec<PathBuf>, Vec<PathBuf>) = carried.roots.iter().cloned().partition(|r| r.exists());
        let repaired = Repaired {
            meetings: carried.meetings.len(),
            sources: carried.sources.iter().filter(|s| s.refused.is_none()).count(),
            dropped: carried.dropped,
            reread: reread.into_iter().chain(carried.reread.iter().cloned()).collect(),
            gone,
        };
        Ok((Store::rebuild(lock, carried, Arc::new(lexicon))?, repaired))
    }

    /// A new index in `dir`: the lexicon written and an empty first commit made.
    fn fresh(index: Index, writer: IndexWriter, lexicon: Arc<Lexicon>, lock: Option<WriteLock>, dir: &Path) -> Result<Store, IndexError> {
        write_lexicon(dir, &lexicon)?;
        let archive = Archive::from_index(index, lexicon, dir)?;
        let mut store = Store { archive, writer, lock };
        store.commit()?;
        Ok(store)
    }

    /// Builds a new index beside the locked one from what is carried, then puts it in the
    /// old one's place.
    fn rebuild(lock: WriteLock, carried: Carried, lexicon: Arc<Lexicon>) -> Result<Store, IndexError> {
        let dir = lock.dir().to_path_buf();
        let pid = std::process::id();
        let (new_dir, old_dir) = (sibling(&dir, "ny", pid), sibling(&dir, "gammal", pid));
        if let Err(e) = Store::build(&new_dir, &carried, lexicon.clone()) {
            let _ = std::fs::remove_dir_all(&new_dir);
            return Err(if e.is_disk_full() { IndexError::DiskFull(dir) } else { e });
        }
        if dir.exists() {
            std::fs::rename(&dir, &old_dir)?;
        }
        if let Err(e) = std::fs::rename(&new_dir, &dir) {
            let _ = std::fs::rename(&old_dir, &dir);
            return Err(e.into());
        }
        // Left over if it cannot be removed now: the next writer removes it.
        let _ = std::fs::remove_dir_all(&old_dir);
        let index = Index::open_in_dir(&dir)?;
        let writer = take_writer(&index, &dir)?;
        let archive = Archive::from_index(index, lexicon, &dir)?;
        Ok(Store { archive, writer, lock: Some(lock) })
    }

    /// A new, committed index in `dir` holding what is carried.
    fn build(dir: &Path, carried: &Carried, lexicon: Arc<Lexicon>) -> Result<(), IndexError> {
        if dir.exists() {
            std::fs::remove_dir_all(dir)?;
        }
        std::fs::create_dir_all(dir)?;
        let (schema, _) = schema::build();
        let index = Index::create_in_dir(dir, schema)?;
        let writer = take_writer(&index, dir)?;
        let mut store = Store::fresh(index, writer, lexicon, None, dir)?;
        let mut groups: BTreeMap<String, Vec<&(Meeting, String)>> = BTreeMap::new();
        for m in &carried.meetings {
            groups.entry(m.0.copy_key()).or_default().push(m);
        }
        for copies in groups.values() {
            let refs: Vec<(&Meeting, &str)> = copies.iter().map(|(m, p)| (m, p.as_str())).collect();
            store.put_copies(&refs)?;
        }
        for source in &carried.sources {
            store.put_source(source)?;
        }
        write_roots(dir, &carried.roots)?;
        store.commit()?;
        store.finish()
    }

    /// The index as last committed, for reading.
    pub fn archive(&self) -> &Archive {
        &self.archive
    }

    /// The paths given to imports, as recorded.
    pub fn roots(&self) -> Vec<PathBuf> {
        check::read_roots(self.archive.path()).unwrap_or_default()
    }

    /// Records the folders and files given to an import (those that are there, resolved),
    /// for a repair to read them again.
    pub fn add_roots(&mut self, paths: &[PathBuf]) -> Result<(), IndexError> {
        let mut roots = self.roots();
        let before = roots.len();
        for path in paths {
            if let Ok(p) = path.canonicalize()
                && !roots.contains(&p)
            {
                roots.push(p);
            }
        }
        if roots.len() == before && self.archive.path().join(ROOTS_FILE).exists() {
            return Ok(());
        }
        write_roots(self.archive.path(), &roots).map_err(|e| self.plain(e))
    }

    /// Stores the copies of one meeting (all of them: those stored before, in their
    /// current version, and new ones), each with its shown path. Earlier versions of the
    /// copies' documents are replaced, and [`primacy`] marks what stands for the meeting.
    pub fn put_copies(&mut self, copies: &[(&Meeting, &str)]) -> Result<(), IndexError> {
        for (m, _) in copies {
            self.delete_content(&m.source.sha256);
        }
        let meetings: Vec<&Meeting> = copies.iter().map(|(m, _)| *m).collect();
        for ((m, path), p) in copies.iter().zip(primacy(&meetings)) {
            let docs = self.documents(m, path, &p)?;
            for d in docs {
                self.add(d)?;
            }
        }
        Ok(())
    }

    /// Deletes the documents of a content (its meeting, items and pages), not its
    /// source records.
    pub fn delete_content(&mut self, sha256: &str) {
        self.writer.delete_term(Term::from_field_text(self.archive.fields.sha256, sha256));
    }

    /// Records that a path holds a content (or a refused file), replacing what was
    /// recorded for the path.
    pub fn put_source(&mut self, source: &SourceRecord) -> Result<(), IndexError> {
        let f = self.archive.fields;
        self.delete_source(&source.path);
        let mut d = doc!(
            f.doc_kind => KIND_SOURCE,
            f.source_path => source.path.clone(),
            f.source_sha256 => source.sha256.clone(),
            f.source_size => source.size,
            f.source_mtime => source.mtime,
        );
        if let Some(reason) = &source.refused {
            d.add_text(f.source_refused, reason);
        }
        self.add(d)
    }

    /// Forgets a path.
    pub fn delete_source(&mut self, path: &str) {
        self.writer.delete_term(Term::from_field_text(self.archive.fields.source_path, path));
    }

    /// Commits what was put and deleted since the last commit, with the payload, and
    /// keeps a copy of the commit's `meta.json`.
    pub fn commit(&mut self) -> Result<(), IndexError> {
        let payload = serde_json::to_string(&Payload::current(&self.archive.lexicon))?;
        let committed = self.writer.prepare_commit().and_then(|mut prepared| {
            prepared.set_payload(&payload);
            prepared.commit()
        });
        if let Err(e) = committed {
            return Err(self.failed(e.into()));
        }
        keep_meta_copy(self.archive.path());
        self.archive.refresh()
    }

    /// Waits for background merges, keeps a copy of the last `meta.json` and releases
    /// the lock.
    pub fn finish(self) -> Result<(), IndexError> {
        let Store { archive, writer, lock } = self;
        if let Err(e) = writer.wait_merging_threads() {
            // A merge that failed is not committed: what is, stays. Its files go.
            if let Ok(w) = take_writer(&archive.index, archive.path()) {
                collect_garbage(&w);
            }
            let e = IndexError::from(e);
            return Err(if e.is_disk_full() { IndexError::DiskFull(archive.path().to_path_buf()) } else { e });
        }
        keep_meta_copy(archive.path());
        drop(lock);
        Ok(())
    }

    fn add(&mut self, d: TantivyDocument) -> Result<(), IndexError> {
        match self.writer.add_document(d) {
            Ok(_) => Ok(()),
            Err(e) => Err(self.failed(e.into())),
        }
    }

    /// A full disk said as such.
    fn plain(&self, e: IndexError) -> IndexError {
        if e.is_disk_full() { IndexError::DiskFull(self.archive.path().to_path_buf()) } else { e }
    }

    /// After a write failed: the writer rolled back to the last commit and the files of
    /// unfinished segments deleted; the error that caused it, said plainly.
    fn failed(&mut self, error: IndexError) -> IndexError {
        // A worker thread that died leaves the writer "killed"; its own error says why,
        // and joining it brings that error out.
        let error = match error {
            IndexError::Tantivy(TantivyError::ErrorInThread(_)) => match self.writer.prepare_commit() {
                Err(cause) => IndexError::from(cause),
                Ok(prepared) => {
                    let _ = prepared.abort();
                    error
                }
            },
            other => other,
        };
        let _ = self.writer.rollback();
        // Threads that were still writing keep their files alive until they stop.
        let started = Instant::now();
        loop {
            collect_garbage(&self.writer);
            if started.elapsed() >= CLEANUP_WAIT || check::unreferenced_files(self.archive.path(), &self.archive.index).is_empty() {
                break;
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        self.plain(error)
    }

    /// The tantivy documents of one copy of a meeting: the meeting itself, one per item,
    /// and one per page of the text outside the items.
    fn documents(&self, meeting: &Meeting, path: &str, primacy: &Primacy) -> Result<Vec<TantivyDocument>, IndexError> {
        let f = &self.archive.fields;
        let mut docs = Vec::with_capacity(meeting.items.len() + meeting.outside_items.len() + 1);
        let date = meeting.date.map(date_number);
        let mut people: Vec<&str> = meeting.participants.iter().map(|p| p.name.as_str()).collect();
        people.extend(meeting.officers.chair.as_deref());
        people.extend(meeting.officers.secretary.as_deref());
        people.extend(meeting.officers.adjusters.iter().map(String::as_str));
        let mut meeting_doc = doc!(
            f.doc_kind => KIND_MEETING,
            f.sha256 => meeting.source.sha256.clone(),
            f.path => path,
            f.document => meeting.id.clone(),
            f.copy_key => meeting.copy_key(),
            f.primary => u64::from(primacy.meeting),
            f.meeting_json => serde_json::to_string(meeting)?,
        );
        if let Some(n) = date {
            meeting_doc.add_u64(f.date, n);
        }
        // The body and the people, so that a body's meetings, the index's bodies and a
        // person's meetings are found without reading every meeting.
        meeting_doc.add_text(f.body_key, &meeting.body.key);
        meeting_doc.add_text(f.body_name, &meeting.body.name);
        if let Some(org) = &meeting.organization {
            meeting_doc.add_text(f.organization, org);
        }
        meeting_doc.add_text(f.people, people.join(". "));
        meeting_doc.add_facet(f.facets, Facet::from_path(["organ", meeting.body.key.as_str(), meeting.body.name.as_str()]));
        docs.push(meeting_doc);
        // What every searchable document of the meeting carries: where it comes from, the
        // body, the organisation, the date and their facets.
        let base = |kind: &str, page: u32, primary: bool| {
            let mut d = doc!(
                f.doc_kind => kind,
                f.sha256 => meeting.source.sha256.clone(),
                f.path => path,
                f.document => meeting.id.clone(),
                f.body_name => meeting.body.name.clone(),
                f.body_key => meeting.body.key.clone(),
                f.body_text => format!("{} {}", meeting.body.name, meeting.body.key.replace('-', " ")),
                f.meeting_kind => meeting.kind.as_str(),
                f.page => u64::from(page),
                f.primary => u64::from(primary),
                f.in_item => u64::from(kind == KIND_ITEM),
            );
            if let Some(org) = &meeting.organization {
                d.add_text(f.organization, org);
                d.add_text(f.organization_text, org);
                d.add_facet(f.facets, Facet::from_path(["org", org.as_str()]));
            }
            if let (Some(n), Some(day)) = (date, meeting.date) {
                d.add_u64(f.date, n);
                d.add_text(f.date_text, day.to_string());
                d.add_facet(f.facets, Facet::from_path(["year", &day.year().to_string()]));
            }
            d.add_facet(f.facets, Facet::from_path(["body", &meeting.body.name]));
            d.add_facet(f.facets, Facet::from_path(["type", meeting.kind.as_str()]));
            d
        };
        for (item, &primary) in meeting.items.iter().zip(&primacy.items) {
            let mut d = base(KIND_ITEM, item.page, primary);
            d.add_text(f.item, &item.number);
            d.add_text(f.title, &item.title);
            // The heading as printed, so that its prefix and number are found too.
            d.add_text(f.title, &item.heading);
            d.add_text(f.text, &item.text);
            d.add_text(f.item_json, serde_json::to_string(&Item { text: String::new(), ..item.clone() })?);
            d.add_u64(f.has_decision, u64::from(item.decision.is_some()));
            for cited in item.references.iter().filter_map(|r| r.date) {
                d.add_u64(f.cites, date_number(cited));
            }
            if let Some(dnr) = &item.diarienummer {
                d.add_text(f.diarienummer, dnr);
            }
            if let Some(dec) = &item.decision {
                d.add_text(f.decision, &dec.text);
                d.add_text(f.decision_kind, dec.kind.as_str());
                d.add_facet(f.facets, Facet::from_path(["kind", dec.kind.as_str()]));
            }
            for words in [&item.title, &item.heading, &item.text].into_iter().chain(item.decision.as_ref().map(|dec| &dec.text)) {
                d.add_text(f.words, words);
            }
            let names: Vec<&str> = people.iter().copied().chain(item.presenters.iter().map(String::as_str)).collect();
            d.add_text(f.people, names.join(". "));
            docs.push(d);
        }
        // The text outside the items, page by page, with the names of the front matter.
        for page in &meeting.outside_items {
            let mut d = base(KIND_TEXT, page.page, primacy.meeting);
            d.add_text(f.text, &page.text);
            d.add_text(f.words, &page.text);
            d.add_u64(f.has_decision, 0);
            d.add_text(f.people, people.join(". "));
            docs.push(d);
        }
        Ok(docs)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::index::check::Found;

    fn meeting(dir: &Path, name: &str, text: &str) -> (Meeting, String) {
        let path = dir.join(name);
        std::fs::write(&path, text).expect("write");
        let bytes = std::fs::read(&path).expect("read");
        let doc = crate::extract::extract_bytes(&bytes, name, &crate::extract::Options::default()).expect("extract");
        (crate::parse::parse(&doc, &path, &bytes), path.display().to_string())
    }

    fn record(path: &str, sha: &str, refused: Option<&str>) -> SourceRecord {
        SourceRecord { path: path.to_string(), sha256: sha.to_string(), size: 1, mtime: 1, refused: refused.map(str::to_string) }
    }

    #[test]
    fn a_repair_keeps_a_record_only_with_its_meeting_and_reads_the_rest_again() {
        let dir = tempfile::tempdir().expect("tempdir");
        let (whole, whole_path) = meeting(dir.path(), "a.txt", "Socialnämnden\nProtokoll 2022-01-10\n§ 1 Budget\nText.\n");
        let (damaged, damaged_path) = meeting(dir.path(), "b.txt", "Socialnämnden\nProtokoll 2022-02-10\n§ 1 Familjehem\nText.\n");
        let (gone, gone_path) = meeting(dir.path(), "c.txt", "Socialnämnden\nProtokoll 2022-03-10\n§ 1 Kurator\nText.\n");
        std::fs::remove_file(&gone_path).expect("rm");
        let lost_path = dir.path().join("d.txt").display().to_string();
        std::fs::write(&lost_path, "Socialnämnden\n§ 1 Lokaler\n").expect("write");
        let sources = vec![
            record(&whole_path, &whole.source.sha256, None),
            record(&damaged_path, &damaged.source.sha256, None),
            record(&gone_path, &gone.source.sha256, None),
            // A meeting that could not be read at all: its record must go.
            record(&lost_path, "d", None),
            record("/arkiv/trasig.pdf", "e", Some("trasig PDF")),
        ];
        let salvage = Salvage {
            meetings: vec![
                Found { meeting: whole.clone(), path: whole_path.clone(), suspect: false },
                // From a damaged store, its file there to read again: not kept.
                Found { meeting: damaged.clone(), path: damaged_path.clone(), suspect: true },
                // From a damaged store, its file gone: the stored copy is all there is.
                Found { meeting: gone.clone(), path: gone_path.clone(), suspect: true },
            ],
            sources,
            roots: Vec::new(),
            whole: false,
        };
        let carried = Carried::plan(salvage, true);
        let kept: Vec<&str> = carried.meetings.iter().map(|(m, _)| m.source.sha256.as_str()).collect();
        assert_eq!(kept, [whole.source.sha256.as_str(), gone.source.sha256.as_str()]);
        assert_eq!(carried.dropped, 1);
        let paths: Vec<&str> = carried.sources.iter().map(|s| s.path.as_str()).collect();
        assert_eq!(paths, ["/arkiv/trasig.pdf", whole_path.as_str(), gone_path.as_str()], "{:?}", carried.sources);
        let reread: Vec<String> = carried.reread.iter().map(|p| p.display().to_string()).collect();
        assert_eq!(reread, [damaged_path.clone(), lost_path.clone()]);

        // A version rebuild reads refused files again; a root covers the files under it.
        let salvage = Salvage {
            meetings: vec![Found { meeting: whole, path: whole_path, suspect: false }],
            sources: vec![record(&lost_path, "d", None), record("/arkiv/trasig.pdf", "e", Some("trasig PDF"))],
            roots: vec![dir.path().to_path_buf()],
            whole: true,
        };
        let carried = Carried::plan(salvage, false);
        assert!(carried.sources.iter().all(|s| s.refused.is_none()), "{:?}", carried.sources);
        assert!(carried.reread.is_empty(), "under a root: {:?}", carried.reread);
        assert_eq!(carried.sources.len(), 1, "a kept meeting without its record gets one: {:?}", carried.sources);
    }
}
