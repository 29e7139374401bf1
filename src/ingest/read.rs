//! Reading one file: what it is to the index (seen before, a known content at a new path,
//! a new document, or refused with its reason), without ever ending the batch.
//!
//! A file whose size and modification time are those the index recorded for its path is
//! not read at all, as rsync and git decide; otherwise it is read and hashed, and only a
//! content the index does not hold is extracted and parsed.

use std::collections::{HashMap, HashSet};
use std::path::Path;
use std::sync::Mutex;
use std::time::{Instant, UNIX_EPOCH};

use crate::extract::{self, Options};
use crate::index::SourceRecord;
use crate::model::{Meeting, sha256_hex};
use crate::parse;

/// What one file is to the index.
#[derive(Debug)]
pub enum Read {
    /// Same path, size and time as recorded: not read.
    Unchanged,
    /// A content the index holds, at this path.
    Known(SourceRecord),
    /// A new content, parsed.
    New(Box<Meeting>, SourceRecord),
    /// Not indexed, with the reason; with the file's record when it was read (a record
    /// with the reason, so that it is not read again while it does not change).
    Refused(String, Option<SourceRecord>),
    /// Not read: the import was interrupted first.
    Interrupted,
}

/// One file's outcome, with what the report says of it.
#[derive(Debug)]
pub struct FileRead {
    /// The canonical path, the file's identity in the registry.
    pub path: String,
    pub read: Read,
    pub seconds: f64,
}

/// What the index knows, for deciding what to read.
pub struct Known<'a> {
    pub by_path: &'a HashMap<String, SourceRecord>,
    /// Contents the index holds or this import has parsed: a copy of one costs its hash.
    pub contents: &'a Mutex<HashSet<String>>,
    /// Contents refused before (in the index or earlier in this import), with the reason:
    /// a copy of a broken file costs its hash, not another attempt.
    pub refused: &'a Mutex<HashMap<String, String>>,
}

/// Modification time in nanoseconds since the epoch, 0 when the system has none.
fn mtime(meta: &std::fs::Metadata) -> u64 {
    meta.modified().ok().and_then(|t| t.duration_since(UNIX_EPOCH).ok()).map_or(0, |d| u64::try_from(d.as_nanos()).unwrap_or(u64::MAX))
}

/// Whether an extracted document has any word in it.
fn has_text(doc: &extract::Extracted) -> bool {
    doc.pages.iter().flat_map(|p| &p.lines).flat_map(|l| &l.cells).any(|c| c.text.chars().any(char::is_alphanumeric))
}

/// Reads one file, named by its canonical path (as [`super::walk`] gives them).
pub fn read(path: &Path, known: &Known<'_>, options: &Options) -> FileRead {
    let start = Instant::now();
    let canonical = path.display().to_string();
    let read = read_inner(path, &canonical, known, options);
    FileRead { path: canonical, read, seconds: start.elapsed().as_secs_f64() }
}

fn read_inner(path: &Path, canonical: &str, known: &Known<'_>, options: &Options) -> Read {
    let meta = match std::fs::metadata(path) {
        Ok(m) => m,
        Err(e) => return Read::Refused(crate::text::io_error(&e), None),
    };
    if !meta.is_file() {
        return Read::Refused("inte en vanlig fil".to_string(), None);
    }
    let (size, mtime) = (meta.len(), mtime(&meta));
    if let Some(r) = known.by_path.get(canonical)
        && r.size == size
        && r.mtime == mtime
        && mtime != 0
    {
        return match &r.refused {
            Some(reason) => Read::Refused(reason.clone(), None),
            None => Read::Unchanged,
        };
    }
    // Regular files only, read with a bound whatever the metadata says.
    let bytes = match extract::read_file(path) {
        Ok(b) => b,
        Err(e) => return Read::Refused(e.to_string(), None),
    };
    let sha256 = sha256_hex(&bytes);
    let mut record = SourceRecord { path: canonical.to_string(), sha256, size, mtime, refused: None };
    if known.contents.lock().is_ok_and(|c| c.contains(&record.sha256)) {
        return Read::Known(record);
    }
    let before = known.refused.lock().ok().and_then(|r| r.get(&record.sha256).cloned());
    if let Some(reason) = before {
        record.refused = Some(reason.clone());
        return Read::Refused(reason, Some(record));
    }
    let name = path.file_name().map(|n| n.to_string_lossy()).unwrap_or_default();
    // A panic here would be a bug; it must still not end the batch.
    let parsed = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        let doc = extract::extract_bytes(&bytes, &name, options)?;
        if !has_text(&doc) {
            return Err(extract::ExtractError::NoText("inget läsbart textlager, och OCR gav ingen text".to_string()));
        }
        Ok(parse::parse(&doc, path, &bytes))
    }));
    let reason = match parsed {
        Ok(Ok(m)) => {
            if let Ok(mut c) = known.contents.lock() {
                c.insert(record.sha256.clone());
            }
            return Read::New(Box::new(m), record);
        }
        Ok(Err(e)) => e.to_string(),
        Err(_) => "internt fel vid läsningen (rapportera gärna filen)".to_string(),
    };
    if let Ok(mut r) = known.refused.lock() {
        r.insert(record.sha256.clone(), reason.clone());
    }
    record.refused = Some(reason.clone());
    Read::Refused(reason, Some(record))
}
