//! The index: the third stage. Stores parsed meetings in a tantivy index with Swedish
//! analysis, one tantivy document per agenda item plus one per meeting holding its JSON,
//! and searches them.
//!
//! Opening an index always registers the analyzers ([`analyzer`]) and checks the version
//! of the analysis and the compound lexicon the index was built with, recorded in the
//! payload of its last commit. `ingest` rebuilds an index made with another version from
//! the meetings it stores; `search` refuses it with a message saying so. Documents are
//! identified by the SHA-256 of their file, so ingesting the same files again changes
//! nothing, and a changed file replaces the version ingested from the same path.
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
pub mod lexicon;
pub mod schema;
pub mod search;
pub mod writer;

use std::path::{Path, PathBuf};
use std::sync::Arc;

use serde::{Deserialize, Serialize};
use tantivy::collector::DocSetCollector;
use tantivy::query::{BooleanQuery, Occur, Query, TermQuery};
use tantivy::schema::{IndexRecordOption, Value};
use tantivy::{Index, IndexReader, ReloadPolicy, TantivyDocument, Term};

use self::analyzer::{ANALYZER_VERSION, SwedishAnalyzers};
use self::lexicon::Lexicon;
use self::schema::{Fields, KIND_MEETING};
use crate::model::Meeting;

#[derive(Debug, thiserror::Error)]
pub enum IndexError {
    #[error("indexet {0} finns inte; bygg det med `protokoll ingest --index {0} corpus/`")]
    Missing(PathBuf),
    #[error("indexet {path} är byggt med {found}, men programmet använder {expected}; bygg om det med `protokoll ingest --index {path} …`")]
    WrongVersion { path: PathBuf, found: String, expected: String },
    #[error("indexet: {0}")]
    Tantivy(#[from] tantivy::TantivyError),
    #[error("indexet kunde inte öppnas: {0}")]
    Open(#[from] tantivy::directory::error::OpenDirectoryError),
    #[error("{0}")]
    Io(#[from] std::io::Error),
    #[error("lagrat möte kunde inte läsas: {0}")]
    Json(#[from] serde_json::Error),
    #[error("ogiltig sökfråga: {0}")]
    Query(String),
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

/// An open index of meetings.
pub struct Archive {
    pub index: Index,
    pub fields: Fields,
    pub lexicon: Arc<Lexicon>,
    /// The analyzers, built once; searches clone them.
    pub analyzers: SwedishAnalyzers,
    reader: IndexReader,
    path: PathBuf,
}

fn payload_of(index: &Index) -> Option<Payload> {
    let metas = index.load_metas().ok()?;
    serde_json::from_str(metas.payload.as_deref()?).ok()
}

impl Archive {
    fn from_index(index: Index, lexicon: Lexicon, path: &Path) -> Result<Archive, IndexError> {
        let (_, fields) = schema::build();
        let lexicon = Arc::new(lexicon);
        let analyzers = SwedishAnalyzers::new(lexicon.clone());
        analyzers.clone().register(&index);
        let reader = index.reader_builder().reload_policy(ReloadPolicy::Manual).try_into()?;
        Ok(Archive { index, fields, lexicon, analyzers, reader, path: path.to_path_buf() })
    }

    /// Opens an index for searching, with the system's lexicon; refuses an index built
    /// with another analysis or lexicon.
    pub fn open(dir: &Path) -> Result<Archive, IndexError> {
        Archive::open_with(dir, Lexicon::system())
    }

    /// Opens an index for searching with a given lexicon.
    pub fn open_with(dir: &Path, lexicon: Lexicon) -> Result<Archive, IndexError> {
        if !dir.join("meta.json").exists() {
            return Err(IndexError::Missing(dir.to_path_buf()));
        }
        let index = Index::open_in_dir(dir)?;
        let expected = Payload::current(&lexicon);
        match payload_of(&index) {
            Some(p) if p == expected => Archive::from_index(index, lexicon, dir),
            found => Err(IndexError::WrongVersion {
                path: dir.to_path_buf(),
                found: found.map_or_else(|| "en okänd version".to_string(), |p| p.describe()),
                expected: expected.describe(),
            }),
        }
    }

    /// Opens an index for writing, creating it if need be. An index built with another
    /// analysis or lexicon is rebuilt from the meetings it stores; the number of meetings
    /// carried over is returned with it.
    pub fn open_for_writing(dir: &Path, lexicon: Lexicon) -> Result<(Archive, Option<usize>), IndexError> {
        std::fs::create_dir_all(dir)?;
        if !dir.join("meta.json").exists() {
            let (schema, _) = schema::build();
            let index = Index::create_in_dir(dir, schema)?;
            return Ok((Archive::from_index(index, lexicon, dir)?, None));
        }
        let index = Index::open_in_dir(dir)?;
        let current = Payload::current(&lexicon);
        let stored = payload_of(&index);
        let (expected_schema, _) = schema::build();
        if stored.as_ref() == Some(&current) && index.schema() == expected_schema {
            return Ok((Archive::from_index(index, lexicon, dir)?, None));
        }
        // Another version: keep the stored meetings, build the index anew around them.
        let meetings = if index.schema() == expected_schema {
            let old = Archive::from_index(index, Lexicon::empty(), dir)?;
            old.meetings()?
        } else {
            Vec::new()
        };
        for entry in std::fs::read_dir(dir)? {
            let path = entry?.path();
            if path.is_file() {
                std::fs::remove_file(&path)?;
            }
        }
        let (schema, _) = schema::build();
        let index = Index::create_in_dir(dir, schema)?;
        let archive = Archive::from_index(index, lexicon, dir)?;
        let n = meetings.len();
        writer::add_meetings(&archive, meetings)?;
        Ok((archive, Some(n)))
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    pub fn searcher(&self) -> Result<tantivy::Searcher, IndexError> {
        self.reader.reload()?;
        Ok(self.reader.searcher())
    }

    /// The meetings a query over meeting documents selects, with their paths and hashes.
    fn stored_where(&self, filter: Option<Box<dyn Query>>) -> Result<Vec<(String, String, Meeting)>, IndexError> {
        let searcher = self.searcher()?;
        let kind: Box<dyn Query> = Box::new(TermQuery::new(Term::from_field_text(self.fields.doc_kind, KIND_MEETING), IndexRecordOption::Basic));
        let query: Box<dyn Query> = match filter {
            Some(f) => Box::new(BooleanQuery::new(vec![(Occur::Must, kind), (Occur::Must, f)])),
            None => kind,
        };
        let mut out = Vec::new();
        for addr in searcher.search(&query, &DocSetCollector)? {
            let doc: TantivyDocument = searcher.doc(addr)?;
            let get = |f| doc.get_first(f).and_then(|v| v.as_str()).unwrap_or("").to_string();
            let meeting: Meeting = serde_json::from_str(&get(self.fields.meeting_json))?;
            out.push((get(self.fields.path), get(self.fields.sha256), meeting));
        }
        out.sort_by(|a, b| a.2.date.cmp(&b.2.date).then_with(|| a.2.id.cmp(&b.2.id)));
        Ok(out)
    }

    /// Every meeting stored in the index, with the path and hash it was ingested from.
    pub fn stored(&self) -> Result<Vec<(String, String, Meeting)>, IndexError> {
        self.stored_where(None)
    }

    /// The meeting stored from a file with this content hash.
    pub fn meeting_by_sha(&self, sha256: &str) -> Result<Option<Meeting>, IndexError> {
        let q: Box<dyn Query> = Box::new(TermQuery::new(Term::from_field_text(self.fields.sha256, sha256), IndexRecordOption::Basic));
        Ok(self.stored_where(Some(q))?.into_iter().next().map(|(_, _, m)| m))
    }

    /// The meetings held on a day.
    pub fn meetings_on(&self, date: chrono::NaiveDate) -> Result<Vec<Meeting>, IndexError> {
        let n = writer::date_number(date);
        let q: Box<dyn Query> = Box::new(TermQuery::new(Term::from_field_u64(self.fields.date, n), IndexRecordOption::Basic));
        Ok(self.stored_where(Some(q))?.into_iter().map(|(_, _, m)| m).collect())
    }

    /// Every meeting stored in the index.
    pub fn meetings(&self) -> Result<Vec<Meeting>, IndexError> {
        Ok(self.stored()?.into_iter().map(|(_, _, m)| m).collect())
    }

    /// The meetings with a document id (several when files in different folders share a
    /// name).
    pub fn meetings_by_id(&self, id: &str) -> Result<Vec<Meeting>, IndexError> {
        Ok(self.meetings()?.into_iter().filter(|m| m.id == id).collect())
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
