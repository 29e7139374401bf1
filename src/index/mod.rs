//! The index: the stage that stores parsed meetings in a tantivy index with Swedish
//! analysis and searches them. It does not read files: [`crate::ingest`] does, and hands
//! it meetings and source records to store through a [`store::Store`].
//!
//! One tantivy document per agenda item, per page of text outside the items, per meeting
//! (holding its JSON) and per source file ([`schema`]). Documents are identified by the
//! SHA-256 of their content ([`crate::model::document_id`]). Copies of one meeting are
//! stored side by side, and a flag marks the copy that searches count and show, so that a
//! total, a page of hits and a facet count are all counted over meetings.
//!
//! Every commit records, in its payload, the version of the analysis and the compound
//! lexicon the index was built with, and the lexicon is stored beside the index in its
//! compiled form ([`lexicon::Lexicon::write_compiled`]): a search opens it in a moment
//! and analyses queries exactly as the documents were analysed. [`Archive::open`] refuses
//! an index built with another analysis; [`store::Store::open`] rebuilds it from the
//! meetings it stores.
//!
//! One writer at a time: a writer holds the index's [`lock::WriteLock`] (a file beside
//! the index folder) from before it looks at the folder until its last commit; readers
//! take no lock. A damaged index is an error that says what is damaged
//! ([`IndexError::damage`]); [`check`] finds all of it and saves what can be read, and
//! [`store::Store::repair`] rebuilds the index from that. Stored documents are read
//! through [`Archive::document`], which checks their bytes before tantivy trusts them.
//! Which folder a command's index is in, [`location`] says.
//!
//! ```no_run
//! use protokoll::index::{Archive, search::SearchOptions};
//! let archive = Archive::open("index".as_ref())?;
//! let results = archive.search("familjehem", &SearchOptions::default())?;
//! for hit in results.hits {
//!     match &hit.item {
//!         Some(item) => println!("{} § {} {}", hit.document, item, hit.title),
//!         None => println!("{} sida {}", hit.document, hit.page),
//!     }
//! }
//! # Ok::<(), protokoll::index::IndexError>(())
//! ```

pub mod analyzer;
pub mod check;
pub mod filters;
pub mod lexicon;
pub mod location;
pub mod lock;
pub mod schema;
pub mod search;
pub mod store;

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use serde::{Deserialize, Serialize};
use tantivy::collector::DocSetCollector;
use tantivy::query::{BooleanQuery, Occur, Query, RegexQuery, TermQuery};
use tantivy::schema::{IndexRecordOption, Value};
use tantivy::{Index, IndexReader, ReloadPolicy, TantivyDocument, Term};

use self::analyzer::{ANALYZER_VERSION, SwedishAnalyzers};
use self::lexicon::Lexicon;
use self::schema::{Fields, KIND_MEETING, KIND_SOURCE};
use crate::model::{MIN_ID_PREFIX, Meeting, MeetingKind, document_id};

/// The compiled lexicon's file in the index folder.
pub const LEXICON_FILE: &str = "lexikon.fst";

/// Decompressed blocks of a segment's document store kept for reading documents: as many
/// as tantivy's own searcher keeps (1.6 MB a segment at the default block size).
const STORE_CACHE_BLOCKS: usize = 100;

/// A copy of `meta.json` as the last commit left it, in the index folder: what a repair
/// reads the list of segments from when `meta.json` itself is damaged.
pub const META_COPY_FILE: &str = "meta.kopia.json";

/// The folders and files given to imports, in the index folder (a JSON list of paths):
/// what a repair reads again for the meetings it could not save.
pub const ROOTS_FILE: &str = "roots.json";

#[derive(Debug, thiserror::Error)]
pub enum IndexError {
    #[error("indexet {0} finns inte; bygg det med `protokoll ingest --index {0} MAPP`")]
    Missing(PathBuf),
    #[error("indexet {path} är byggt med {found}, men programmet använder {expected}; bygg om det med `protokoll ingest --index {path} MAPP`")]
    WrongVersion { path: PathBuf, found: String, expected: String },
    #[error("indexet {0} används av en annan import; vänta tills den är klar och försök igen (utan --no-wait väntar importen själv)")]
    Busy(PathBuf),
    #[error("indexet {0} byggs just nu av en annan process; försök igen när importen är klar")]
    Building(PathBuf),
    #[error("väntan på den andra importen av {0} avbröts; inget ändrades")]
    Cancelled(PathBuf),
    #[error("låsfilen {path} kunde inte skapas eller låsas: {}", crate::text::io_error(.error))]
    Lock { path: PathBuf, error: std::io::Error },
    #[error("indexet {path} är skadat ({reason}); kör `protokoll check --repair --index {path}`")]
    Damaged { path: PathBuf, reason: String },
    #[error(
        "disken är full: indexet {0} kunde inte sparas. Det som redan var sparat finns kvar, och det som inte blev klart tas bort; frigör utrymme och kör samma kommando igen"
    )]
    DiskFull(PathBuf),
    #[error("indexet: {}", crate::text::tantivy_error(.0))]
    Tantivy(#[from] tantivy::TantivyError),
    #[error("indexet kunde inte öppnas: {}", crate::text::open_directory_error(.0))]
    Open(#[from] tantivy::directory::error::OpenDirectoryError),
    #[error("indexet kunde inte läsas eller skrivas: {}", crate::text::io_error(.0))]
    Io(#[from] std::io::Error),
    #[error("lagrat möte kunde inte läsas: {}", crate::text::json_error(.0))]
    Json(#[from] serde_json::Error),
    #[error("ogiltig sökfråga: {0}")]
    Query(String),
    #[error("{0}")]
    NotFound(String),
    /// A filter value that cannot be used (a date, a body or organisation the index does
    /// not hold).
    #[error("{0}")]
    Filter(#[from] filters::FilterError),
}

impl From<tantivy::directory::error::OpenReadError> for IndexError {
    fn from(e: tantivy::directory::error::OpenReadError) -> IndexError {
        IndexError::Tantivy(e.into())
    }
}

/// Whether an I/O error means that the disk (or the user's quota) is full.
fn io_full(e: &std::io::Error) -> bool {
    // ENOSPC and EDQUOT on Linux and the BSDs (28, 69/122), ERROR_DISK_FULL on Windows (112).
    e.kind() == std::io::ErrorKind::StorageFull || e.kind() == std::io::ErrorKind::QuotaExceeded || matches!(e.raw_os_error(), Some(28 | 112 | 122))
}

/// Whether an I/O error means that the bytes read are not what was written.
fn io_corrupt(e: &std::io::Error) -> bool {
    matches!(e.kind(), std::io::ErrorKind::InvalidData | std::io::ErrorKind::UnexpectedEof)
}

/// A file of the index named by its name alone (segment files have long names).
fn file_name(path: &Path) -> String {
    path.file_name().map_or_else(|| path.display().to_string(), |n| n.to_string_lossy().into_owned())
}

impl IndexError {
    /// What is damaged, in a few Swedish words, when the error means that the index's
    /// files are (a file missing, cut short or not what was written, a stored meeting that
    /// does not parse); `None` for every other error (a busy, missing or old index, a bad
    /// query, a full disk, a file the user may not read).
    pub fn damage(&self) -> Option<String> {
        use tantivy::directory::error::OpenReadError;
        let IndexError::Tantivy(e) = self else {
            return match self {
                IndexError::Json(_) => Some("ett lagrat möte går inte att läsa".to_string()),
                IndexError::Damaged { reason, .. } => Some(reason.clone()),
                _ => None,
            };
        };
        match e {
            tantivy::TantivyError::DataCorruption(c) if format!("{c:?}").contains("meta.json") => Some("meta.json går inte att läsa".to_string()),
            tantivy::TantivyError::DataCorruption(_) => Some("trasig data".to_string()),
            tantivy::TantivyError::OpenReadError(OpenReadError::FileDoesNotExist(p)) => Some(format!("filen {} saknas", file_name(p))),
            tantivy::TantivyError::OpenReadError(OpenReadError::IoError { io_error, filepath }) if io_corrupt(io_error) => {
                Some(format!("filen {} är trasig", file_name(filepath)))
            }
            tantivy::TantivyError::OpenReadError(OpenReadError::IncompatibleIndex(_)) | tantivy::TantivyError::IncompatibleIndex(_) => {
                Some("filerna är skrivna av en annan version av tantivy".to_string())
            }
            tantivy::TantivyError::IoError(io) if io_corrupt(io) => Some("lagrad data går inte att läsa".to_string()),
            tantivy::TantivyError::DeserializeError(_) => Some("ett lagrat dokument går inte att läsa".to_string()),
            _ => None,
        }
    }

    /// Whether the error means that the disk is full.
    pub fn is_disk_full(&self) -> bool {
        use tantivy::directory::error::{LockError, OpenWriteError};
        match self {
            IndexError::DiskFull(_) => true,
            IndexError::Io(e) | IndexError::Lock { error: e, .. } => io_full(e),
            IndexError::Tantivy(t) => {
                let io = match t {
                    tantivy::TantivyError::IoError(e) => io_full(e),
                    tantivy::TantivyError::OpenWriteError(OpenWriteError::IoError { io_error, .. }) => io_full(io_error),
                    tantivy::TantivyError::LockFailure(LockError::IoError(e), _) => io_full(e),
                    _ => false,
                };
                // tantivy passes some errors on as text (a worker thread's, a wrapped one).
                let text = format!("{t:?} {t}");
                io || text.contains("StorageFull") || text.contains("os error 28") || text.contains("No space left")
            }
            _ => false,
        }
    }
}

/// What an index records about how it was built.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
struct Payload {
    analyzer_version: u32,
    lexicon: String,
}

impl Payload {
    fn current(lexicon: &Lexicon) -> Payload {
        Payload { analyzer_version: ANALYZER_VERSION, lexicon: lexicon.fingerprint.clone() }
    }

    fn describe(&self) -> String {
        format!("analysversion {} och ordlistan {}", self.analyzer_version, self.lexicon)
    }
}

fn payload_of(index: &Index) -> Option<Payload> {
    let metas = index.load_metas().ok()?;
    serde_json::from_str(metas.payload.as_deref()?).ok()
}

/// A source file as the index last saw it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceRecord {
    /// The canonical path.
    pub path: String,
    pub sha256: String,
    pub size: u64,
    /// Modification time in nanoseconds since the epoch (0 when unknown).
    pub mtime: u64,
    /// Why the file was refused, when it was; the index holds no content for it then.
    pub refused: Option<String>,
}

/// A meeting as stored: one copy, with the path shown for it and whether it is the copy
/// that stands for its meeting.
#[derive(Debug, Clone)]
pub struct StoredMeeting {
    pub meeting: Meeting,
    pub path: String,
    pub primary: bool,
}

/// One meeting of [`Archive::list`]: its copies folded.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Listed {
    /// The id of the copy that stands for the meeting.
    pub document_id: String,
    /// Its file stem.
    pub document: String,
    pub body: String,
    pub organization: Option<String>,
    pub date: Option<chrono::NaiveDate>,
    pub kind: MeetingKind,
    pub items: usize,
    /// Every source file of every copy, the shown copy's first.
    pub sources: Vec<String>,
    /// The ids of the other copies.
    pub copies: Vec<String>,
}

/// An open index of meetings, for reading.
pub struct Archive {
    pub index: Index,
    pub fields: Fields,
    pub lexicon: Arc<Lexicon>,
    /// The analyzers, built once; searches clone them.
    pub analyzers: SwedishAnalyzers,
    reader: IndexReader,
    path: PathBuf,
    /// The document stores of the segments read, with the blocks they decompressed:
    /// documents are read through them ([`Archive::document`]). Emptied on refresh.
    stores: std::sync::Mutex<HashMap<tantivy::index::SegmentId, Arc<tantivy::store::StoreReader>>>,
}

/// The terms of a string column for some of its ordinals, read in one ordered pass.
fn terms_of(column: &tantivy::columnar::StrColumn, ords: impl Iterator<Item = u64>) -> Result<HashMap<u64, String>, IndexError> {
    let mut ords: Vec<u64> = ords.collect();
    ords.sort_unstable();
    ords.dedup();
    let mut terms = Vec::with_capacity(ords.len());
    column.dictionary().sorted_ords_to_term_cb(&ords, |bytes| terms.push(String::from_utf8_lossy(bytes).into_owned()))?;
    Ok(ords.into_iter().zip(terms).collect())
}

impl Archive {
    fn from_index(index: Index, lexicon: Arc<Lexicon>, path: &Path) -> Result<Archive, IndexError> {
        let (_, fields) = schema::build();
        let analyzers = SwedishAnalyzers::new(lexicon.clone());
        analyzers.clone().register(&index);
        let reader = index.reader_builder().reload_policy(ReloadPolicy::Manual).try_into()?;
        Ok(Archive { index, fields, lexicon, analyzers, reader, path: path.to_path_buf(), stores: std::sync::Mutex::new(HashMap::new()) })
    }

    /// Opens an index for reading with the lexicon it was built with (its compiled copy
    /// in the index folder, else the system's if that is the same one); refuses an index
    /// built with another analysis.
    pub fn open(dir: &Path) -> Result<Archive, IndexError> {
        if check::lost_meta(dir) {
            return Err(IndexError::Damaged { path: dir.to_path_buf(), reason: "meta.json saknas".to_string() });
        }
        if !dir.join("meta.json").exists() {
            return Err(IndexError::Missing(dir.to_path_buf()));
        }
        let index = Index::open_in_dir(dir)?;
        let (expected_schema, _) = schema::build();
        let wrong = |found: String, expected: String| IndexError::WrongVersion { path: dir.to_path_buf(), found, expected };
        let payload = payload_of(&index);
        let Some(payload) = payload else {
            // Created, and its first commit not yet made: an empty index.
            if index.searchable_segment_ids()?.is_empty() && index.schema() == expected_schema {
                return Archive::from_index(index, Arc::new(Lexicon::empty()), dir);
            }
            return Err(wrong("en okänd version".into(), format!("analysversion {ANALYZER_VERSION}")));
        };
        if payload.analyzer_version != ANALYZER_VERSION || index.schema() != expected_schema {
            return Err(wrong(payload.describe(), format!("analysversion {ANALYZER_VERSION}")));
        }
        // A damaged compiled lexicon is read as one that is not there.
        let compiled = if check::lexicon_damaged(&dir.join(LEXICON_FILE)) {
            Err(std::io::Error::other("trasig"))
        } else {
            Lexicon::open_compiled(&dir.join(LEXICON_FILE), &payload.lexicon)
        };
        let lexicon = match compiled {
            Ok(l) => l,
            Err(_) => {
                let system = Lexicon::system();
                if system.fingerprint != payload.lexicon && check::lexicon_damaged(&dir.join(LEXICON_FILE)) {
                    return Err(IndexError::Damaged { path: dir.to_path_buf(), reason: format!("ordlistan {LEXICON_FILE} är trasig") });
                }
                if system.fingerprint != payload.lexicon {
                    return Err(wrong(payload.describe(), Payload::current(&system).describe()));
                }
                system
            }
        };
        Archive::from_index(index, Arc::new(lexicon), dir)
    }

    /// Opens an index for a command that reads it once (`search`, `list`, `show`,
    /// `timeline`): as [`Archive::open`], but while another process holds the index's
    /// write lock, an index that holds nothing yet (its first import has not committed
    /// a batch), is not there yet or is of another version (a rebuild about to put the new
    /// index in its place) is [`IndexError::Building`]: not an empty index, a missing one
    /// or one to rebuild.
    pub fn open_built(dir: &Path) -> Result<Archive, IndexError> {
        match Archive::open(dir) {
            Ok(archive) if archive.searcher().num_docs() == 0 && lock::writer_active(dir) => Err(IndexError::Building(dir.to_path_buf())),
            Err(IndexError::Missing(_) | IndexError::WrongVersion { .. }) if lock::writer_active(dir) => Err(IndexError::Building(dir.to_path_buf())),
            other => other,
        }
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// A searcher over the commit seen when the archive was opened or last refreshed.
    pub fn searcher(&self) -> tantivy::Searcher {
        self.reader.searcher()
    }

    /// Looks for commits made since the archive was opened or last refreshed (by this
    /// process or another). Opening segment readers costs: a reader that needs one view
    /// (a command) does not refresh.
    pub fn refresh(&self) -> Result<(), IndexError> {
        self.reader.reload()?;
        self.stores.lock().unwrap_or_else(std::sync::PoisonError::into_inner).clear();
        Ok(())
    }

    /// A stored document, its bytes checked before tantivy reads them
    /// ([`check::read_document`]): on a damaged store, an error and not the end of the
    /// process. Use this, not `Searcher::doc`.
    pub fn document(&self, searcher: &tantivy::Searcher, addr: tantivy::DocAddress) -> Result<TantivyDocument, IndexError> {
        let segment = searcher.segment_reader(addr.segment_ord);
        let id = segment.segment_id();
        let cached = self.stores.lock().unwrap_or_else(std::sync::PoisonError::into_inner).get(&id).cloned();
        let store = match cached {
            Some(store) => store,
            None => {
                let store = Arc::new(segment.get_store_reader(STORE_CACHE_BLOCKS)?);
                let current: std::collections::HashSet<tantivy::index::SegmentId> = self.searcher().segment_readers().iter().map(|r| r.segment_id()).collect();
                let mut stores = self.stores.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
                // Segments merged away since: their stores would hold deleted files open.
                stores.retain(|s, _| current.contains(s));
                stores.insert(id, store.clone());
                store
            }
        };
        check::read_document(&store, addr.doc_id)
    }

    /// Every source file the index has read, from fast columns (the store is not read).
    pub fn sources(&self) -> Result<Vec<SourceRecord>, IndexError> {
        let searcher = self.searcher();
        let query = TermQuery::new(Term::from_field_text(self.fields.doc_kind, KIND_SOURCE), IndexRecordOption::Basic);
        let mut by_segment: BTreeMap<u32, Vec<u32>> = BTreeMap::new();
        for addr in searcher.search(&query, &DocSetCollector)? {
            by_segment.entry(addr.segment_ord).or_default().push(addr.doc_id);
        }
        let mut out = Vec::new();
        for (segment, docs) in by_segment {
            let reader = searcher.segment_reader(segment);
            let ff = reader.fast_fields();
            let (Some(paths), Some(shas)) = (ff.str("source_path")?, ff.str("source_sha256")?) else { continue };
            let sizes = ff.u64("source_size")?;
            let mtimes = ff.u64("source_mtime")?;
            let refusals = ff.str("source_refused")?;
            // Each column's terms are looked up once, in order: one pass over its blocks.
            let rows: Vec<(u32, u64, u64, Option<u64>)> = docs
                .iter()
                .filter_map(|&doc| {
                    let refused = refusals.as_ref().and_then(|c| c.term_ords(doc).next());
                    Some((doc, paths.term_ords(doc).next()?, shas.term_ords(doc).next()?, refused))
                })
                .collect();
            let path_of = terms_of(&paths, rows.iter().map(|r| r.1))?;
            let sha_of = terms_of(&shas, rows.iter().map(|r| r.2))?;
            let reason_of = match &refusals {
                Some(c) => terms_of(c, rows.iter().filter_map(|r| r.3))?,
                None => HashMap::new(),
            };
            for (doc, p, s, r) in rows {
                let (Some(path), Some(sha)) = (path_of.get(&p), sha_of.get(&s)) else { continue };
                out.push(SourceRecord {
                    path: path.clone(),
                    sha256: sha.clone(),
                    size: sizes.first(doc).unwrap_or(0),
                    mtime: mtimes.first(doc).unwrap_or(0),
                    refused: r.and_then(|r| reason_of.get(&r).cloned()),
                });
            }
        }
        out.sort_by(|a, b| a.path.cmp(&b.path));
        Ok(out)
    }

    /// The stored meetings a query over meeting documents selects.
    pub(crate) fn stored_where(&self, filter: Option<Box<dyn Query>>) -> Result<Vec<StoredMeeting>, IndexError> {
        let searcher = self.searcher();
        let kind: Box<dyn Query> = Box::new(TermQuery::new(Term::from_field_text(self.fields.doc_kind, KIND_MEETING), IndexRecordOption::Basic));
        let query: Box<dyn Query> = match filter {
            Some(f) => Box::new(BooleanQuery::new(vec![(Occur::Must, kind), (Occur::Must, f)])),
            None => kind,
        };
        let addrs: Vec<tantivy::DocAddress> = searcher.search(&query, &DocSetCollector)?.into_iter().collect();
        let mut out = self.stored_at(&searcher, &addrs)?;
        out.sort_by(|a, b| {
            (a.meeting.date, !a.primary, &a.meeting.id, &a.meeting.source.sha256).cmp(&(b.meeting.date, !b.primary, &b.meeting.id, &b.meeting.source.sha256))
        });
        Ok(out)
    }

    /// The stored meetings at these addresses (meeting documents), in that order.
    pub(crate) fn stored_at(&self, searcher: &tantivy::Searcher, addrs: &[tantivy::DocAddress]) -> Result<Vec<StoredMeeting>, IndexError> {
        let mut out = Vec::with_capacity(addrs.len());
        // Primacy is a fast column, not stored: read per segment.
        let mut primaries: HashMap<u32, tantivy::columnar::Column<u64>> = HashMap::new();
        for &addr in addrs {
            let doc = self.document(searcher, addr)?;
            let get = |f| doc.get_first(f).and_then(|v| v.as_str()).unwrap_or("").to_string();
            let meeting: Meeting = serde_json::from_str(&get(self.fields.meeting_json))?;
            let column = match primaries.entry(addr.segment_ord) {
                std::collections::hash_map::Entry::Occupied(e) => e.into_mut(),
                std::collections::hash_map::Entry::Vacant(e) => e.insert(searcher.segment_reader(addr.segment_ord).fast_fields().u64("primary")?),
            };
            let primary = column.first(addr.doc_id) == Some(1);
            out.push(StoredMeeting { meeting, path: get(self.fields.path), primary });
        }
        Ok(out)
    }

    /// Every stored meeting, copies included.
    pub fn stored(&self) -> Result<Vec<StoredMeeting>, IndexError> {
        self.stored_where(None)
    }

    /// The meeting stored from content with this hash.
    pub fn meeting_by_sha(&self, sha256: &str) -> Result<Option<StoredMeeting>, IndexError> {
        let q: Box<dyn Query> = Box::new(TermQuery::new(Term::from_field_text(self.fields.sha256, sha256), IndexRecordOption::Basic));
        Ok(self.stored_where(Some(q))?.into_iter().next())
    }

    /// The stored copies of one meeting (`Meeting::copy_key`).
    pub fn copies(&self, copy_key: &str) -> Result<Vec<StoredMeeting>, IndexError> {
        let q: Box<dyn Query> = Box::new(TermQuery::new(Term::from_field_text(self.fields.copy_key, copy_key), IndexRecordOption::Basic));
        self.stored_where(Some(q))
    }

    /// The stored documents whose id starts with `id` (hex, at least [`MIN_ID_PREFIX`]
    /// characters); none for anything else. Never reads a path.
    pub fn by_id(&self, id: &str) -> Result<Vec<StoredMeeting>, IndexError> {
        let lower = id.to_ascii_lowercase();
        if lower.len() < MIN_ID_PREFIX || lower.len() > 64 || !lower.chars().all(|c| c.is_ascii_hexdigit()) {
            return Ok(Vec::new());
        }
        let q: Box<dyn Query> = Box::new(RegexQuery::from_pattern(&format!("{lower}.*"), self.fields.sha256)?);
        self.stored_where(Some(q))
    }

    /// The stored documents a user's word names: a document id or a prefix of one (at
    /// least [`MIN_ID_PREFIX`] characters), a source file's path, or a file stem. Several
    /// when a stem or prefix is ambiguous.
    pub fn resolve(&self, name: &str) -> Result<Vec<StoredMeeting>, IndexError> {
        let found = self.by_id(name)?;
        if !found.is_empty() {
            return Ok(found);
        }
        let canonical = crate::model::canonical_path(Path::new(name));
        if let Some(source) = self.sources()?.into_iter().find(|s| s.path == canonical) {
            return Ok(self.meeting_by_sha(&source.sha256)?.into_iter().collect());
        }
        let q: Box<dyn Query> = Box::new(TermQuery::new(Term::from_field_text(self.fields.document, name), IndexRecordOption::Basic));
        self.stored_where(Some(q))
    }

    /// Every meeting, copies folded, in date order, with all its source files.
    pub fn list(&self) -> Result<Vec<Listed>, IndexError> {
        let mut paths: HashMap<String, Vec<String>> = HashMap::new();
        for s in self.sources()?.into_iter().filter(|s| s.refused.is_none()) {
            paths.entry(s.sha256).or_default().push(s.path);
        }
        let mut groups: BTreeMap<String, Vec<StoredMeeting>> = BTreeMap::new();
        for s in self.stored()? {
            groups.entry(s.meeting.copy_key()).or_default().push(s);
        }
        let mut out: Vec<Listed> = Vec::new();
        for (_, mut copies) in groups {
            copies.sort_by_key(|c| !c.primary);
            let Some(first) = copies.first() else { continue };
            let m = &first.meeting;
            let mut sources: Vec<String> = Vec::new();
            for c in &copies {
                let mut own = paths.get(&c.meeting.source.sha256).cloned().unwrap_or_default();
                own.sort_by_key(|p| *p != c.path);
                sources.extend(own);
            }
            out.push(Listed {
                document_id: document_id(&m.source.sha256),
                document: m.id.clone(),
                body: m.body.name.clone(),
                organization: m.organization.clone(),
                date: m.date,
                kind: m.kind,
                items: m.items.len(),
                sources,
                copies: copies.iter().skip(1).map(|c| document_id(&c.meeting.source.sha256)).collect(),
            });
        }
        out.sort_by(|a, b| (a.date, &a.body, &a.document).cmp(&(b.date, &b.body, &b.document)));
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn payload_round_trips_and_names_what_differs() {
        let p = Payload::current(&Lexicon::empty());
        let json = serde_json::to_string(&p).expect("json");
        assert_eq!(serde_json::from_str::<Payload>(&json).expect("parse"), p);
        assert!(p.describe().contains("ordlistan none"));
    }
}
