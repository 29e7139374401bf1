//! Writing to the index: meetings, their copies and the source registry, in commits that
//! each leave the index whole.
//!
//! A [`Store`] holds the index's write lock from the moment it opens until it is dropped,
//! so a second writer is refused before it has read anything ([`IndexError::Busy`]). Every
//! commit records the analysis and lexicon in its payload; a new index is committed
//! empty at once, so an index whose first import was interrupted opens as an empty index
//! of the current version, not as one of an "unknown version". What goes into a commit
//! is the caller's choice: [`crate::ingest`] commits in batches, and a process killed
//! between two commits leaves the index as the last commit left it.
//!
//! This module decides nothing about copies: the caller passes a meeting's copies
//! together and [`crate::model::primacy`] says which copy stands for what.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use chrono::Datelike;
use tantivy::directory::error::LockError;
use tantivy::schema::{Facet, Value};
use tantivy::{Index, IndexWriter, TantivyDocument, TantivyError, Term, doc};

use super::lexicon::Lexicon;
use super::schema::{self, KIND_ITEM, KIND_MEETING, KIND_SOURCE, KIND_TEXT};
use super::{Archive, IndexError, LEXICON_FILE, Payload, SourceRecord, payload_of};
use crate::model::{Item, Meeting, Primacy, date_number, primacy};

/// Memory the index writer may use before it flushes a segment, for all its threads.
const WRITER_MEMORY_BYTES: usize = 100_000_000;

/// Indexing threads: two, as a commit of a batch of a few hundred documents gains little
/// from more, and each thread takes its share of the memory above.
const WRITER_THREADS: usize = 2;

/// The write side of an index.
pub struct Store {
    archive: Archive,
    writer: IndexWriter,
}

fn take_writer(index: &Index, dir: &Path) -> Result<IndexWriter, IndexError> {
    match index.writer_with_num_threads(WRITER_THREADS, WRITER_MEMORY_BYTES) {
        Ok(w) => Ok(w),
        Err(TantivyError::LockFailure(LockError::LockBusy, _)) => Err(IndexError::Busy(dir.to_path_buf())),
        Err(e) => Err(e.into()),
    }
}

/// Writes the compiled lexicon into the index folder, atomically.
fn write_lexicon(dir: &Path, lexicon: &Lexicon) -> Result<(), IndexError> {
    let tmp = dir.join(format!("{LEXICON_FILE}.{}", std::process::id()));
    lexicon.write_compiled(&tmp)?;
    std::fs::rename(&tmp, dir.join(LEXICON_FILE))?;
    Ok(())
}

/// Copies that were stored in an index of another version, with their paths, to store
/// again.
struct Carried {
    meetings: Vec<(Meeting, String)>,
}

impl Store {
    /// Opens the index in `dir` for writing, creating it if need be, and takes its write
    /// lock. An index built with another analysis, lexicon or schema is rebuilt: its
    /// meetings are read, a new index is built beside it and put in its place; the
    /// number of meetings carried over is returned.
    pub fn open(dir: &Path, lexicon: Lexicon) -> Result<(Store, Option<usize>), IndexError> {
        std::fs::create_dir_all(dir)?;
        let lexicon = Arc::new(lexicon);
        let (expected_schema, _) = schema::build();
        if !dir.join("meta.json").exists()
            && let Ok(index) = Index::create_in_dir(dir, expected_schema.clone())
        {
            return Ok((Store::fresh(index, lexicon, dir)?, None));
        }
        let index = Index::open_in_dir(dir)?;
        let writer = take_writer(&index, dir)?;
        let current = Payload::current(&lexicon);
        let stored = payload_of(&index);
        let same_schema = index.schema() == expected_schema;
        if same_schema && stored.as_ref() == Some(&current) {
            if !dir.join(LEXICON_FILE).exists() {
                write_lexicon(dir, &lexicon)?;
            }
            let archive = Archive::from_index(index, lexicon, dir)?;
            return Ok((Store { archive, writer }, None));
        }
        if same_schema && stored.is_none() && index.searchable_segment_ids()?.is_empty() {
            // Created, but killed before its first commit: a new index.
            drop(writer);
            return Ok((Store::fresh(index, lexicon, dir)?, None));
        }
        let carried = carry_over(&index);
        let n = carried.meetings.len();
        let store = Store::rebuild(dir, writer, carried, lexicon)?;
        Ok((store, Some(n)))
    }

    /// A new index: the lexicon written and an empty first commit made.
    fn fresh(index: Index, lexicon: Arc<Lexicon>, dir: &Path) -> Result<Store, IndexError> {
        let writer = take_writer(&index, dir)?;
        write_lexicon(dir, &lexicon)?;
        let archive = Archive::from_index(index, lexicon, dir)?;
        let mut store = Store { archive, writer };
        store.commit()?;
        Ok(store)
    }

    /// Builds a new index beside the old one from the carried meetings, then puts it in
    /// the old one's place. The old index's write lock is held until then.
    fn rebuild(dir: &Path, old_writer: IndexWriter, carried: Carried, lexicon: Arc<Lexicon>) -> Result<Store, IndexError> {
        let name = dir.file_name().map_or_else(|| "index".to_string(), |n| n.to_string_lossy().into_owned());
        let sibling = |what: &str| -> PathBuf { dir.with_file_name(format!(".{name}.{what}-{}", std::process::id())) };
        let (new_dir, old_dir) = (sibling("ny"), sibling("gammal"));
        std::fs::create_dir_all(&new_dir)?;
        {
            let (schema, _) = schema::build();
            let index = Index::create_in_dir(&new_dir, schema)?;
            let mut store = Store::fresh(index, lexicon.clone(), &new_dir)?;
            let mut groups: std::collections::BTreeMap<String, Vec<(Meeting, String)>> = std::collections::BTreeMap::new();
            for (m, path) in carried.meetings {
                groups.entry(m.copy_key()).or_default().push((m, path));
            }
            for copies in groups.values() {
                let refs: Vec<(&Meeting, &str)> = copies.iter().map(|(m, p)| (m, p.as_str())).collect();
                store.put_copies(&refs)?;
                for (m, path) in copies {
                    // Size and time unknown: the next import hashes the file again.
                    store.put_source(&SourceRecord { path: path.clone(), sha256: m.source.sha256.clone(), size: 0, mtime: 0, refused: None })?;
                }
            }
            store.commit()?;
            store.finish()?;
        }
        drop(old_writer);
        std::fs::rename(dir, &old_dir)?;
        std::fs::rename(&new_dir, dir)?;
        std::fs::remove_dir_all(&old_dir)?;
        let index = Index::open_in_dir(dir)?;
        let writer = take_writer(&index, dir)?;
        let archive = Archive::from_index(index, lexicon, dir)?;
        Ok(Store { archive, writer })
    }

    /// The index as last committed, for reading.
    pub fn archive(&self) -> &Archive {
        &self.archive
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
            for d in self.documents(m, path, &p)? {
                self.writer.add_document(d)?;
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
        self.writer.add_document(d)?;
        Ok(())
    }

    /// Forgets a path.
    pub fn delete_source(&mut self, path: &str) {
        self.writer.delete_term(Term::from_field_text(self.archive.fields.source_path, path));
    }

    /// Commits what was put and deleted since the last commit, with the payload.
    pub fn commit(&mut self) -> Result<(), IndexError> {
        let mut prepared = self.writer.prepare_commit()?;
        prepared.set_payload(&serde_json::to_string(&Payload::current(&self.archive.lexicon))?);
        prepared.commit()?;
        self.archive.refresh()
    }

    /// Waits for background merges and releases the lock.
    pub fn finish(self) -> Result<(), IndexError> {
        self.writer.wait_merging_threads()?;
        Ok(())
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
            let names: Vec<&str> = people.iter().copied().chain(item.presenters.iter().map(String::as_str)).collect();
            d.add_text(f.people, names.join(". "));
            docs.push(d);
        }
        // The text outside the items, page by page, with the names of the front matter.
        for page in &meeting.outside_items {
            let mut d = base(KIND_TEXT, page.page, primacy.meeting);
            d.add_text(f.text, &page.text);
            d.add_u64(f.has_decision, 0);
            d.add_text(f.people, people.join(". "));
            docs.push(d);
        }
        Ok(docs)
    }
}

/// The meetings of an index of another version, with their paths, read by field name;
/// none when its schema has no stored meetings.
fn carry_over(index: &Index) -> Carried {
    let read = || -> Option<Vec<(Meeting, String)>> {
        let schema = index.schema();
        let (json, path, kind) = (schema.get_field("meeting_json").ok()?, schema.get_field("path").ok()?, schema.get_field("doc_kind").ok()?);
        let reader = index.reader().ok()?;
        let searcher = reader.searcher();
        let query = tantivy::query::TermQuery::new(Term::from_field_text(kind, KIND_MEETING), tantivy::schema::IndexRecordOption::Basic);
        let mut out = Vec::new();
        for addr in searcher.search(&query, &tantivy::collector::DocSetCollector).ok()? {
            let Ok(doc) = searcher.doc::<TantivyDocument>(addr) else { continue };
            let text = |f| doc.get_first(f).and_then(|v| v.as_str()).map(str::to_string);
            let (Some(j), Some(p)) = (text(json), text(path)) else { continue };
            if let Ok(m) = serde_json::from_str::<Meeting>(&j) {
                out.push((m, p));
            }
        }
        Some(out)
    };
    Carried { meetings: read().unwrap_or_default() }
}
