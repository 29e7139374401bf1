//! What an import did, file by file: the summary printed at the end and the JSON lines of
//! `ingest --report`.

use serde::Serialize;

/// What became of one file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    /// A new document.
    Added,
    /// A new version of a file read before.
    Replaced,
    /// Read before and not changed.
    Unchanged,
    /// A new file whose content is already indexed (or was read earlier in this import):
    /// one more source of that document.
    Copy,
    /// Not indexed: the reason says why.
    Refused,
    /// Not read: not a format ingest reads.
    Skipped,
    /// Not read: the import was interrupted first.
    Interrupted,
    /// Dropped by `--prune`: the file is gone.
    Removed,
}

/// One line of the report.
#[derive(Debug, Clone, Serialize)]
pub struct FileReport {
    pub path: String,
    pub status: Status,
    pub reason: Option<String>,
    pub document_id: Option<String>,
    pub pages: Option<u32>,
    pub ocr: Option<bool>,
    pub seconds: f64,
    /// The document's kind, for new documents.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
    /// What the reader warns of: damage recovered, no minutes, no date.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub warnings: Vec<String>,
}

impl FileReport {
    pub fn new(path: impl Into<String>, status: Status, reason: Option<String>) -> FileReport {
        FileReport { path: path.into(), status, reason, document_id: None, pages: None, ocr: None, seconds: 0.0, kind: None, warnings: Vec::new() }
    }
}

/// The counts of an import.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Counts {
    pub added: usize,
    pub replaced: usize,
    pub unchanged: usize,
    pub copies: usize,
    pub refused: usize,
    pub skipped: usize,
    pub interrupted: usize,
    pub removed: usize,
}

impl Counts {
    pub fn count(&mut self, status: Status) {
        match status {
            Status::Added => self.added += 1,
            Status::Replaced => self.replaced += 1,
            Status::Unchanged => self.unchanged += 1,
            Status::Copy => self.copies += 1,
            Status::Refused => self.refused += 1,
            Status::Skipped => self.skipped += 1,
            Status::Interrupted => self.interrupted += 1,
            Status::Removed => self.removed += 1,
        }
    }
}
