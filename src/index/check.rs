//! Checking an index, and reading what can still be read from a damaged one: what
//! `protokoll check` reports and what `check --repair` builds a new index from
//! ([`super::store::Store::repair`]).
//!
//! [`inspect`] reads the index without writing a byte (through a read-only directory):
//! `meta.json` (and, when it is damaged, the copy of it that every commit leaves,
//! [`META_COPY_FILE`]), every segment's files (present, and whole by the checksum in
//! each file's footer), every stored document of every segment (readable, and its JSON
//! parseable), and the registry against the meetings: every content stored once, with
//! its items once, one copy shown per meeting, every meeting with a source file and
//! every source file with its meeting. Each finding is one Swedish line.
//!
//! The same pass saves what it can read ([`Salvage`]), segment by segment and document
//! by document, going on past what is damaged: a segment whose deletions cannot be read
//! is skipped whole (its deleted documents would come back otherwise), a document store
//! that fails its checksum is read block by block and its meetings are marked
//! [`Found::suspect`] (a flipped byte may have changed a letter and left the JSON
//! valid). A panic inside tantivy on damaged data is caught per segment and per document.
//!
//! It repairs nothing itself and decides nothing about what a repair keeps
//! ([`super::store`] does).

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use tantivy::columnar::{ColumnType, ColumnarReader, DynamicColumn, StrColumn};
use tantivy::directory::error::{DeleteError, LockError, OpenReadError, OpenWriteError};
use tantivy::directory::{Directory, DirectoryLock, FileHandle, Lock, MmapDirectory, WatchCallback, WatchHandle, WritePtr};
use tantivy::fastfield::AliveBitSet;
use tantivy::index::SegmentComponent;
use tantivy::schema::{Field, Value};
use tantivy::store::StoreReader;
use tantivy::{Index, Segment, TantivyDocument};

use super::lexicon::Lexicon;
use super::{ANALYZER_VERSION, IndexError, LEXICON_FILE, META_COPY_FILE, Payload, ROOTS_FILE, SourceRecord, schema};
use crate::model::{Item, Meeting};
use crate::text::count;

/// Decompressed blocks of a document store kept while its documents are read in order:
/// one is enough for reading in order; a few spare a block read twice.
const STORE_CACHE_BLOCKS: usize = 4;

/// Examples named in a finding that concerns many documents: enough to find them, few
/// enough for one line.
const EXAMPLES: usize = 3;

/// A meeting read from the index.
#[derive(Debug, Clone)]
pub struct Found {
    pub meeting: Meeting,
    /// The path shown for it.
    pub path: String,
    /// Read from a document store whose checksum failed: its JSON parsed, but a letter
    /// may have changed.
    pub suspect: bool,
}

/// What could be read of an index: its meetings (each content once), its registry and
/// the folders given to its imports.
#[derive(Debug, Default)]
pub struct Salvage {
    pub meetings: Vec<Found>,
    /// Source records, one per path.
    pub sources: Vec<SourceRecord>,
    /// The folders and files given to imports ([`ROOTS_FILE`]).
    pub roots: Vec<PathBuf>,
    /// Whether every segment and document was read whole.
    pub whole: bool,
}

/// What [`inspect`] found.
#[derive(Debug, Default)]
pub struct Report {
    /// What is wrong: the index needs a repair.
    pub problems: Vec<String>,
    /// What is worth knowing and harmless: leftovers, an older version.
    pub notes: Vec<String>,
    pub segments: usize,
    pub meetings: usize,
    pub sources: usize,
}

impl Report {
    pub fn whole(&self) -> bool {
        self.problems.is_empty()
    }
}

/// Whether a stored document's bytes can be handed to tantivy: every field of a type
/// this program stores, and every length within the bytes left. tantivy reserves what a
/// length says before it reads, and a flipped byte in a length can ask for terabytes,
/// which ends the process (a failed allocation is no panic and cannot be caught).
pub(crate) fn plausible_document(bytes: &[u8]) -> bool {
    fn vint(bytes: &[u8], at: &mut usize) -> Option<u64> {
        let mut value = 0u64;
        for shift in (0..64).step_by(7) {
            let b = *bytes.get(*at)?;
            *at += 1;
            value |= u64::from(b & 0x7f) << shift;
            if b & 0x80 != 0 {
                return Some(value);
            }
        }
        None
    }
    let mut at = 0usize;
    let Some(fields) = vint(bytes, &mut at) else { return false };
    for _ in 0..fields {
        // The field's number, then its value's type code.
        at += 4;
        let Some(&code) = bytes.get(at) else { return false };
        at += 1;
        let len = match code {
            // Text, a facet, bytes: a length and as many bytes.
            0 | 3 | 4 => match vint(bytes, &mut at) {
                Some(n) if n <= (bytes.len().saturating_sub(at)) as u64 => n as usize,
                _ => return false,
            },
            // u64, i64, a date, f64; a bool; an IP address; null.
            1 | 2 | 5 | 6 => 8,
            9 => 1,
            10 => 16,
            11 => 0,
            _ => return false,
        };
        at += len;
        if at > bytes.len() {
            return false;
        }
    }
    at == bytes.len()
}

/// Reads a stored document, refusing bytes tantivy could not read safely
/// ([`plausible_document`]).
pub(crate) fn read_document(store: &StoreReader, doc: u32) -> Result<TantivyDocument, IndexError> {
    let bytes = store.get_document_bytes(doc)?;
    if !plausible_document(bytes.as_slice()) {
        return Err(IndexError::Damaged { path: PathBuf::new(), reason: "ett lagrat dokument är trasigt".to_string() });
    }
    Ok(store.get(doc)?)
}

/// Whether the compiled lexicon in `path` is damaged: its FST fails the checksum it
/// carries (or is no FST). A lexicon that is not there is not damaged.
pub fn lexicon_damaged(path: &Path) -> bool {
    let Ok(bytes) = std::fs::read(path) else { return false };
    let Some(newline) = bytes.iter().position(|&b| b == b'\n') else { return true };
    fst::raw::Fst::new(bytes[newline + 1..].to_vec()).map_or(true, |f| f.verify().is_err())
}

/// Whether `dir` holds an index that has lost its `meta.json`: a copy of it, or segment
/// files, say that something was committed.
pub fn lost_meta(dir: &Path) -> bool {
    !dir.join("meta.json").exists()
        && (dir.join(META_COPY_FILE).exists()
            || std::fs::read_dir(dir).into_iter().flatten().flatten().any(|e| is_segment_file(&e.file_name().to_string_lossy())))
}

/// Whether `dir` holds an index, whole or damaged: a repair must never take a folder of
/// documents for a damaged index and replace it.
pub fn is_index(dir: &Path) -> bool {
    ["meta.json", META_COPY_FILE, ".managed.json"].iter().any(|f| dir.join(f).exists())
}

/// The index folder, read only: nothing is created, written or deleted through it, and
/// `meta.json` can be taken from elsewhere (the copy of the last commit's).
#[derive(Clone, Debug)]
struct ReadOnly {
    inner: MmapDirectory,
    meta: Option<Arc<Vec<u8>>>,
}

fn read_only_error() -> std::io::Error {
    std::io::Error::new(std::io::ErrorKind::PermissionDenied, "indexet läses bara")
}

impl Directory for ReadOnly {
    fn get_file_handle(&self, path: &Path) -> Result<Arc<dyn FileHandle>, OpenReadError> {
        self.inner.get_file_handle(path)
    }
    fn delete(&self, path: &Path) -> Result<(), DeleteError> {
        Err(DeleteError::IoError { io_error: Arc::new(read_only_error()), filepath: path.to_path_buf() })
    }
    fn exists(&self, path: &Path) -> Result<bool, OpenReadError> {
        if self.meta.is_some() && path == Path::new("meta.json") {
            return Ok(true);
        }
        self.inner.exists(path)
    }
    fn open_write(&self, path: &Path) -> Result<WritePtr, OpenWriteError> {
        Err(OpenWriteError::IoError { io_error: Arc::new(read_only_error()), filepath: path.to_path_buf() })
    }
    fn atomic_read(&self, path: &Path) -> Result<Vec<u8>, OpenReadError> {
        match &self.meta {
            Some(meta) if path == Path::new("meta.json") => Ok(meta.as_ref().clone()),
            _ => self.inner.atomic_read(path),
        }
    }
    fn atomic_write(&self, _path: &Path, _data: &[u8]) -> std::io::Result<()> {
        Err(read_only_error())
    }
    fn sync_directory(&self) -> std::io::Result<()> {
        Ok(())
    }
    fn acquire_lock(&self, lock: &Lock) -> Result<DirectoryLock, LockError> {
        self.inner.acquire_lock(lock)
    }
    fn watch(&self, watch_callback: WatchCallback) -> tantivy::Result<WatchHandle> {
        self.inner.watch(watch_callback)
    }
}

/// Opens the index in `dir` read only, with `meta` in place of its `meta.json` when given.
fn open_read_only(dir: &Path, meta: Option<Vec<u8>>) -> Result<Index, IndexError> {
    let inner = MmapDirectory::open(dir)?;
    Ok(Index::open(ReadOnly { inner, meta: meta.map(Arc::new) })?)
}

/// A short account of why a file could not be read, in Swedish.
fn unreadable(e: &IndexError) -> String {
    match e.damage() {
        Some(d) => d,
        None => e.to_string(),
    }
}

/// The first part of a segment's id: enough to tell segments apart in a message.
fn short(segment: &Segment) -> String {
    segment.id().uuid_string().chars().take(8).collect()
}

/// The files of a segment that must be there: every component, and the deletions when
/// the segment has some.
fn components(segment: &Segment) -> Vec<SegmentComponent> {
    let mut out = vec![
        SegmentComponent::Postings,
        SegmentComponent::Positions,
        SegmentComponent::Terms,
        SegmentComponent::Store,
        SegmentComponent::FastFields,
        SegmentComponent::FieldNorms,
    ];
    if segment.meta().has_deletes() {
        out.push(SegmentComponent::Delete);
    }
    out
}

/// Runs `f`, turning a panic into an error.
fn guarded<T>(f: impl FnOnce() -> Result<T, IndexError>) -> Result<T, IndexError> {
    match catch_unwind(AssertUnwindSafe(f)) {
        Ok(r) => r,
        Err(_) => Err(IndexError::Damaged { path: PathBuf::new(), reason: "tantivy stannade på trasig data".to_string() }),
    }
}

/// The stored fields a check reads, by name (an index of another version has other ids).
struct Names {
    meeting_json: Option<Field>,
    item_json: Option<Field>,
    sha256: Option<Field>,
    path: Option<Field>,
    copy_key: Option<Field>,
}

impl Names {
    fn of(index: &Index) -> Names {
        let schema = index.schema();
        let get = |name: &str| schema.get_field(name).ok();
        Names { meeting_json: get("meeting_json"), item_json: get("item_json"), sha256: get("sha256"), path: get("path"), copy_key: get("copy_key") }
    }
}

/// What the registry check counts, over every segment.
#[derive(Default)]
struct Tally {
    /// Meeting documents per content.
    meetings: HashMap<String, usize>,
    /// Items and text pages stored per content, and those its meeting has.
    parts: HashMap<String, usize>,
    expected_parts: HashMap<String, usize>,
    /// Copies shown (primary) per meeting, by copy key.
    primaries: HashMap<String, usize>,
    /// Documents of any kind that could not be read, or whose JSON does not parse.
    unreadable: usize,
}

/// A string column of a segment's fast fields, if it has one.
fn str_column(columnar: &ColumnarReader, name: &str) -> Result<Option<StrColumn>, IndexError> {
    for handle in columnar.read_columns(name)? {
        if handle.column_type() == ColumnType::Str
            && let DynamicColumn::Str(c) = handle.open()?
        {
            return Ok(Some(c));
        }
    }
    Ok(None)
}

/// A u64 column of a segment's fast fields, if it has one.
fn u64_column(columnar: &ColumnarReader, name: &str) -> Result<Option<tantivy::columnar::Column<u64>>, IndexError> {
    for handle in columnar.read_columns(name)? {
        if let Some(c) = handle.open_u64_lenient()? {
            return Ok(Some(c));
        }
    }
    Ok(None)
}

/// The first term of a string column on a row.
fn str_at(column: &StrColumn, row: u32) -> Option<String> {
    let ord = column.term_ords(row).next()?;
    let mut out = String::new();
    column.ord_to_str(ord, &mut out).ok()?.then_some(out)
}

/// The source records of a segment and its `primary` column, from its fast fields.
type FastParts = (Vec<SourceRecord>, Option<tantivy::columnar::Column<u64>>);

fn read_fast(segment: &Segment, alive: Option<&AliveBitSet>) -> Result<FastParts, IndexError> {
    let columnar = ColumnarReader::open(segment.open_read(SegmentComponent::FastFields)?)?;
    let primary = u64_column(&columnar, "primary")?;
    let (Some(paths), Some(shas)) = (str_column(&columnar, "source_path")?, str_column(&columnar, "source_sha256")?) else {
        return Ok((Vec::new(), primary));
    };
    let sizes = u64_column(&columnar, "source_size")?;
    let mtimes = u64_column(&columnar, "source_mtime")?;
    let refusals = str_column(&columnar, "source_refused")?;
    let mut out = Vec::new();
    for row in 0..segment.meta().max_doc() {
        if alive.is_some_and(|a| !a.is_alive(row)) {
            continue;
        }
        let (Some(path), Some(sha256)) = (str_at(&paths, row), str_at(&shas, row)) else { continue };
        out.push(SourceRecord {
            path,
            sha256,
            size: sizes.as_ref().and_then(|c| c.first(row)).unwrap_or(0),
            mtime: mtimes.as_ref().and_then(|c| c.first(row)).unwrap_or(0),
            refused: refusals.as_ref().and_then(|c| str_at(c, row)),
        });
    }
    Ok((out, primary))
}

/// Checks one segment's files and reads what it can of it.
fn read_segment(index: &Index, segment: &Segment, names: &Names, report: &mut Report, salvage: &mut Salvage, tally: &mut Tally) {
    let id = short(segment);
    let mut store_whole = true;
    let mut files_whole = true;
    for component in components(segment) {
        let path = segment.relative_path(component.clone());
        let name = path.display().to_string();
        let problem = match index.directory().validate_checksum(&path) {
            Ok(true) => continue,
            Ok(false) => format!("segmentfilen {name} är skadad: kontrollsumman stämmer inte"),
            Err(OpenReadError::FileDoesNotExist(_)) => format!("segmentfilen {name} saknas"),
            Err(e) => match IndexError::from(e).damage() {
                Some(_) => format!("segmentfilen {name} är avkortad eller överskriven"),
                None => format!("segmentfilen {name} går inte att läsa"),
            },
        };
        report.problems.push(problem);
        files_whole = false;
        if component == SegmentComponent::Store {
            store_whole = false;
        }
    }
    let max_doc = segment.meta().max_doc();
    let alive = if segment.meta().has_deletes() {
        match guarded(|| Ok(AliveBitSet::open(segment.open_read(SegmentComponent::Delete)?.read_bytes()?))) {
            Ok(a) => Some(a),
            Err(_) => {
                report
                    .problems
                    .push(format!("segment {id}: vilka dokument som är borttagna går inte att läsa, så inget av dess {max_doc} dokument kan sparas"));
                salvage.whole = false;
                return;
            }
        }
    } else {
        None
    };
    let primary = match guarded(|| read_fast(segment, alive.as_ref())) {
        Ok((sources, primary)) => {
            salvage.sources.extend(sources);
            primary
        }
        Err(e) => {
            if files_whole {
                report.problems.push(format!("segment {id}: registret går inte att läsa ({})", unreadable(&e)));
            }
            salvage.whole = false;
            None
        }
    };
    let store = match guarded(|| Ok(StoreReader::open(segment.open_read(SegmentComponent::Store)?, STORE_CACHE_BLOCKS)?)) {
        Ok(s) => s,
        Err(e) => {
            if store_whole {
                report.problems.push(format!("segment {id}: de lagrade dokumenten går inte att läsa ({})", unreadable(&e)));
            }
            salvage.whole = false;
            return;
        }
    };
    let mut unreadable_docs = 0usize;
    for doc in 0..max_doc {
        if alive.as_ref().is_some_and(|a| !a.is_alive(doc)) {
            continue;
        }
        let read = guarded(|| {
            let d = read_document(&store, doc)?;
            let text = |f: Option<Field>| f.and_then(|f| d.get_first(f).and_then(|v| v.as_str().map(str::to_string)));
            if let Some(json) = text(names.meeting_json) {
                let meeting: Meeting = serde_json::from_str(&json)?;
                let key = text(names.copy_key).unwrap_or_else(|| meeting.copy_key());
                let path = text(names.path).unwrap_or_else(|| meeting.source.path.clone());
                return Ok(Some((meeting, path, key)));
            }
            if let Some(json) = text(names.item_json) {
                serde_json::from_str::<Item>(&json)?;
            }
            if let Some(sha) = text(names.sha256) {
                *tally.parts.entry(sha).or_default() += 1;
            }
            Ok(None)
        });
        match read {
            Ok(Some((meeting, path, key))) => {
                let sha = meeting.source.sha256.clone();
                *tally.meetings.entry(sha.clone()).or_default() += 1;
                tally.expected_parts.insert(sha, meeting.items.len() + meeting.outside_items.len());
                if primary.as_ref().and_then(|c| c.first(doc)) == Some(1) {
                    *tally.primaries.entry(key).or_default() += 1;
                } else {
                    tally.primaries.entry(key).or_default();
                }
                salvage.meetings.push(Found { meeting, path, suspect: !store_whole });
            }
            Ok(None) => {}
            Err(_) => unreadable_docs += 1,
        }
    }
    if unreadable_docs > 0 {
        report.problems.push(format!("segment {id}: {} går inte att läsa", count(unreadable_docs, "lagrat dokument", "lagrade dokument")));
        tally.unreadable += unreadable_docs;
        salvage.whole = false;
    }
    if !files_whole {
        salvage.whole = false;
    }
}

/// Names a few contents by their document id, for a finding.
fn examples<'a>(shas: impl Iterator<Item = &'a String>) -> String {
    let ids: Vec<String> = shas.take(EXAMPLES).map(|s| crate::model::document_id(s)).collect();
    format!("till exempel {}", ids.join(", "))
}

/// The registry against the meetings.
fn check_registry(tally: &Tally, sources: &[SourceRecord], report: &mut Report) {
    let mut twice: Vec<&String> = tally.meetings.iter().filter(|(_, n)| **n > 1).map(|(s, _)| s).collect();
    twice.sort();
    if !twice.is_empty() {
        report.problems.push(format!("{} lagrade mer än en gång ({})", count(twice.len(), "möte är", "möten är"), examples(twice.into_iter())));
    }
    let mut parts: Vec<&String> = tally
        .expected_parts
        .iter()
        .filter(|(sha, want)| tally.meetings.get(*sha) == Some(&1) && tally.parts.get(*sha).copied().unwrap_or(0) != **want)
        .map(|(s, _)| s)
        .collect();
    parts.sort();
    if !parts.is_empty() {
        report.problems.push(format!(
            "{} inte sina ärenden och sidor lagrade precis en gång ({})",
            count(parts.len(), "möte har", "möten har"),
            examples(parts.into_iter())
        ));
    }
    let shown = tally.primaries.values().filter(|n| **n != 1).count();
    if shown > 0 {
        report.problems.push(format!("{} inte med precis en kopia", count(shown, "möte visas", "möten visas")));
    }
    let mut by_path: HashMap<&str, usize> = HashMap::new();
    let mut held: BTreeSet<&str> = BTreeSet::new();
    for s in sources {
        *by_path.entry(s.path.as_str()).or_default() += 1;
        if s.refused.is_none() {
            held.insert(s.sha256.as_str());
        }
    }
    let paths_twice = by_path.values().filter(|n| **n > 1).count();
    if paths_twice > 0 {
        report.problems.push(format!("{} registrerade mer än en gång", count(paths_twice, "källfil är", "källfiler är")));
    }
    let orphans = sources.iter().filter(|s| s.refused.is_none() && !tally.meetings.contains_key(&s.sha256)).count();
    if orphans > 0 {
        report.problems.push(format!("{} i registret saknar sitt lagrade möte", count(orphans, "källfil", "källfiler")));
    }
    let mut unsourced: Vec<&String> = tally.meetings.keys().filter(|sha| !held.contains(String::as_str(sha))).collect();
    unsourced.sort();
    if !unsourced.is_empty() {
        report.problems.push(format!("{} källfil i registret ({})", count(unsourced.len(), "möte saknar", "möten saknar"), examples(unsourced.into_iter())));
    }
}

/// The folders and files recorded in `dir`'s [`ROOTS_FILE`]; `Err` when it is there but
/// cannot be read.
pub fn read_roots(dir: &Path) -> Result<Vec<PathBuf>, String> {
    match std::fs::read(dir.join(ROOTS_FILE)) {
        Ok(bytes) => serde_json::from_slice::<Vec<PathBuf>>(&bytes).map_err(|e| crate::text::json_error(&e)),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Vec::new()),
        Err(e) => Err(crate::text::io_error(&e)),
    }
}

/// Whether a file name is one tantivy gives a segment's files: 32 hex digits, a dot.
pub(crate) fn is_segment_file(name: &str) -> bool {
    name.len() > 33 && name.as_bytes()[32] == b'.' && name[..32].bytes().all(|b| b.is_ascii_hexdigit())
}

/// Files of segments that the last commit does not refer to, with their sizes: left by
/// an import that died, or being written by one at work.
pub(crate) fn unreferenced_files(dir: &Path, index: &Index) -> Vec<(String, u64)> {
    let Ok(metas) = index.load_metas() else { return Vec::new() };
    let living: BTreeSet<String> = metas.list_segment_files().iter().map(|p| p.display().to_string()).collect();
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        if is_segment_file(&name) && !living.contains(&name) {
            out.push((name, entry.metadata().map_or(0, |m| m.len())));
        }
    }
    out
}

/// Files of segments no commit refers to (left by an import that died) and folders left
/// by a rebuild that died, as notes.
fn leftovers(dir: &Path, index: Option<&Index>, report: &mut Report) {
    let files = index.map(|index| unreferenced_files(dir, index)).unwrap_or_default();
    if !files.is_empty() {
        let bytes: u64 = files.iter().map(|f| f.1).sum();
        report.notes.push(format!(
            "{} ({:.1} MB) från en import som inte blev klar ligger kvar; nästa import eller `check --repair` tar bort dem",
            count(files.len(), "fil", "filer"),
            bytes as f64 / 1e6
        ));
    }
    for sibling in super::store::siblings(dir) {
        report.notes.push(format!("{} är kvar från en ombyggnad som inte blev klar; nästa import tar bort den", sibling.display()));
    }
}

/// The version and lexicon the index was built with, as notes or problems.
fn check_version(dir: &Path, index: &Index, report: &mut Report) {
    let (expected, _) = schema::build();
    let payload: Option<Payload> = index.load_metas().ok().and_then(|m| serde_json::from_str(m.payload.as_deref()?).ok());
    let Some(payload) = payload else {
        if index.searchable_segment_ids().map(|s| !s.is_empty()).unwrap_or(true) {
            report.notes.push("indexet säger inte vilken version det byggdes med; nästa import bygger om det".to_string());
        }
        return;
    };
    if payload.analyzer_version != ANALYZER_VERSION || index.schema() != expected {
        report.notes.push(format!("indexet är byggt med {}; nästa import bygger om det för analysversion {ANALYZER_VERSION}", payload.describe()));
        return;
    }
    if lexicon_damaged(&dir.join(LEXICON_FILE)) {
        report.problems.push(format!("ordlistan {LEXICON_FILE} är trasig"));
    } else if Lexicon::open_compiled(&dir.join(LEXICON_FILE), &payload.lexicon).is_err() {
        if Lexicon::system().fingerprint == payload.lexicon {
            report.notes.push(format!("{LEXICON_FILE} saknas eller är trasig; systemets ordlista är densamma och används"));
        } else {
            report.problems.push(format!("ordlistan som indexet byggdes med ({LEXICON_FILE}) saknas eller är trasig"));
        }
    }
}

/// Checks the index in `dir` and reads what it can of it. [`IndexError::Missing`] when
/// `dir` holds no index.
pub fn inspect(dir: &Path) -> Result<(Report, Salvage), IndexError> {
    if !is_index(dir) {
        return Err(IndexError::Missing(dir.to_path_buf()));
    }
    let mut report = Report::default();
    let mut salvage = Salvage { whole: true, ..Salvage::default() };
    let index = match open_read_only(dir, None) {
        Ok(index) => Some(index),
        Err(e) => {
            let why = match unreadable(&e) {
                _ if !dir.join("meta.json").exists() => "meta.json saknas".to_string(),
                reason if reason.contains("meta.json") => reason,
                reason => format!("meta.json går inte att läsa ({reason})"),
            };
            report.problems.push(why);
            salvage.whole = false;
            match std::fs::read(dir.join(META_COPY_FILE)).map_err(IndexError::from).and_then(|copy| open_read_only(dir, Some(copy))) {
                Ok(index) => {
                    report
                        .notes
                        .push(format!("kopian av meta.json från den senaste importen ({META_COPY_FILE}) går att läsa: en reparation sparar det den pekar på"));
                    Some(index)
                }
                Err(_) => {
                    report.problems.push(format!("det finns ingen läsbar kopia av meta.json ({META_COPY_FILE}), så inget lagrat möte kan sparas"));
                    None
                }
            }
        }
    };
    let mut tally = Tally::default();
    if let Some(index) = &index {
        check_version(dir, index, &mut report);
        let names = Names::of(index);
        match index.searchable_segments() {
            Ok(segments) => {
                report.segments = segments.len();
                for segment in &segments {
                    read_segment(index, segment, &names, &mut report, &mut salvage, &mut tally);
                }
            }
            Err(e) => {
                report.problems.push(format!("segmenten går inte att räkna upp ({})", unreadable(&e.into())));
                salvage.whole = false;
            }
        }
    }
    check_registry(&tally, &salvage.sources, &mut report);
    match read_roots(dir) {
        Ok(roots) => salvage.roots = roots,
        Err(e) => report.problems.push(format!("{ROOTS_FILE} går inte att läsa ({e}); en reparation kan bara läsa om de filer registret nämner")),
    }
    leftovers(dir, index.as_ref(), &mut report);
    // Each content once, each path once: what a repair may carry.
    let mut seen: BTreeMap<String, usize> = BTreeMap::new();
    let mut meetings: Vec<Found> = Vec::with_capacity(salvage.meetings.len());
    for found in std::mem::take(&mut salvage.meetings) {
        match seen.get(&found.meeting.source.sha256) {
            Some(&i) if meetings[i].suspect && !found.suspect => meetings[i] = found,
            Some(_) => {}
            None => {
                seen.insert(found.meeting.source.sha256.clone(), meetings.len());
                meetings.push(found);
            }
        }
    }
    salvage.meetings = meetings;
    report.meetings = salvage.meetings.len();
    report.sources = salvage.sources.iter().map(|s| s.path.as_str()).collect::<BTreeSet<_>>().len();
    Ok((report, salvage))
}

/// What is damaged in the index in `dir`, in a few Swedish words, or `None` when nothing
/// is found: what a command says when reading the index failed.
pub fn first_problem(dir: &Path) -> Option<String> {
    match inspect(dir) {
        Ok((report, _)) => report.problems.into_iter().next(),
        Err(_) => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn segment_files_are_told_from_the_index_own_files() {
        assert!(is_segment_file("037e1c7bb6b644f3934f9cb952bf788d.store"));
        assert!(is_segment_file("037e1c7bb6b644f3934f9cb952bf788d.12.del"));
        for name in ["meta.json", ".managed.json", "lexikon.fst", "roots.json", "037e1c7b.store", "037e1c7bb6b644f3934f9cb952bf788dx.store"] {
            assert!(!is_segment_file(name), "{name}");
        }
    }

    #[test]
    fn stored_documents_are_read_only_when_their_lengths_hold() {
        let (schema, f) = schema::build();
        let index = Index::create_in_ram(schema);
        super::super::analyzer::SwedishAnalyzers::new(Arc::new(Lexicon::empty())).register(&index);
        let mut writer: tantivy::IndexWriter = index.writer_with_num_threads(1, 15_000_000).expect("writer");
        let mut d = TantivyDocument::default();
        d.add_text(f.meeting_json, "{\"id\": \"protokoll\"}");
        d.add_u64(f.page, 3);
        d.add_text(f.title, "Familjehem");
        writer.add_document(d).expect("add");
        writer.commit().expect("commit");
        let segment = &index.searchable_segments().expect("segments")[0];
        let store = StoreReader::open(segment.open_read(SegmentComponent::Store).expect("store"), 1).expect("open");
        let bytes = store.get_document_bytes(0).expect("bytes").as_slice().to_vec();
        assert!(plausible_document(&bytes));
        assert!(read_document(&store, 0).is_ok());
        // A length that says more than there is, a type never stored, bytes cut short.
        let mut long = bytes.clone();
        long[6] = 0x7f;
        long.insert(7, 0x7f);
        assert!(!plausible_document(&long));
        let mut odd = bytes.clone();
        odd[5] = 12;
        assert!(!plausible_document(&odd));
        assert!(!plausible_document(&bytes[..bytes.len() - 1]));
        assert!(!plausible_document(&[0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01]));
    }

    #[test]
    fn a_folder_without_an_index_is_no_index() {
        let dir = tempfile::tempdir().expect("tempdir");
        std::fs::write(dir.path().join("protokoll.pdf"), b"%PDF").expect("write");
        assert!(!is_index(dir.path()));
        assert!(matches!(inspect(dir.path()), Err(IndexError::Missing(_))));
    }
}
