//! The index schema: one tantivy document per agenda item, one per page of the text
//! outside the items, one per meeting that holds the parsed meeting as JSON (so search
//! results, `show` and timelines need no re-parse), and one per source file (its path,
//! content hash, size and modification time: the registry that lets `ingest` pass over
//! files it has seen without reading them).
//!
//! Copies of one meeting are stored side by side; the `primary` flag marks the copy of
//! each item (and of the meeting) that searches count and show.

use tantivy::schema::{FAST, FacetOptions, Field, INDEXED, IndexRecordOption, STORED, STRING, Schema, TextFieldIndexing, TextOptions};

use super::analyzer::{DIARIENUMMER, NAMES, SURFACE, SV_INDEX};

/// What a tantivy document stands for.
pub const KIND_ITEM: &str = "item";
pub const KIND_MEETING: &str = "meeting";
/// A page of the text that belongs to no item.
pub const KIND_TEXT: &str = "text";
/// A source file: a path with the content hash it had when it was read.
pub const KIND_SOURCE: &str = "source";

/// The fields, resolved once.
#[derive(Debug, Clone, Copy)]
pub struct Fields {
    /// `item`, `text`, `meeting` or `source`.
    pub doc_kind: Field,
    /// Content hash of the source file: identifies a document (see `model::document_id`).
    pub sha256: Field,
    /// The path shown for the document: one of its source files, canonicalised.
    pub path: Field,
    /// The file stem, as CONTRACT.md's `document` names it.
    pub document: Field,
    /// The meeting as JSON (meeting documents only).
    pub meeting_json: Field,
    /// The item as JSON, without its text (item documents only): what timelines need.
    pub item_json: Field,
    /// What copies of one meeting share (`Meeting::copy_key`; meeting documents only).
    pub copy_key: Field,
    /// 1 on the copy that searches count and show, 0 on the other copies.
    pub primary: Field,

    /// Source documents: the canonical path, its content hash, size and modification
    /// time (nanoseconds since the epoch), as fast columns read without the store.
    pub source_path: Field,
    pub source_sha256: Field,
    pub source_size: Field,
    pub source_mtime: Field,
    /// Why the file was refused, when it was: an unchanged refused file is not read again.
    pub source_refused: Field,

    pub body_name: Field,
    pub body_key: Field,
    /// Body name and key, tokenised for `--body` and free-text matches.
    pub body_text: Field,
    pub organization: Field,
    pub organization_text: Field,
    /// Meeting date as YYYYMMDD, for ranges and sorting.
    pub date: Field,
    pub date_text: Field,
    pub meeting_kind: Field,

    pub item: Field,
    pub page: Field,
    pub title: Field,
    pub diarienummer: Field,
    pub decision: Field,
    pub decision_kind: Field,
    /// 1 when the item records a decision.
    pub has_decision: Field,
    pub text: Field,
    /// The words of the title, decision and text as written (lower-cased, unstemmed),
    /// indexed without frequencies or positions: what a misspelt query word is
    /// corrected by (see [`super::search`]). Never scored itself.
    pub words: Field,
    /// Participants, officers and presenters: names, unstemmed.
    pub people: Field,
    /// Facets: /body/…, /org/…, /year/…, /kind/… (the decision's), /type/… (the
    /// document's); on meeting documents, /organ/<key>/<name> (the bodies of the index).
    pub facets: Field,
    /// 1 for an item, 0 for text outside the items: ranks items first.
    pub in_item: Field,
    /// The dates (YYYYMMDD) of the earlier decisions an item cites: what finds, for a
    /// meeting, the later items that cite it.
    pub cites: Field,
}

/// A text field indexed with positions by `analyzer`. Queries are analysed by the
/// searcher itself (see [`super::search`]), not by the field's analyzer.
fn text(analyzer: &str, stored: bool) -> TextOptions {
    let indexing = TextFieldIndexing::default().set_tokenizer(analyzer).set_index_option(IndexRecordOption::WithFreqsAndPositions);
    let opts = TextOptions::default().set_indexing_options(indexing);
    if stored { opts.set_stored() } else { opts }
}

pub fn build() -> (Schema, Fields) {
    let mut b = Schema::builder();
    let fields = Fields {
        doc_kind: b.add_text_field("doc_kind", STRING),
        sha256: b.add_text_field("sha256", STRING | STORED),
        path: b.add_text_field("path", STRING | STORED),
        document: b.add_text_field("document", STRING | STORED),
        meeting_json: b.add_text_field("meeting_json", STORED),
        item_json: b.add_text_field("item_json", STORED),
        copy_key: b.add_text_field("copy_key", STRING | STORED),
        primary: b.add_u64_field("primary", INDEXED | FAST),
        source_path: b.add_text_field("source_path", STRING | FAST),
        source_sha256: b.add_text_field("source_sha256", STRING | FAST),
        source_size: b.add_u64_field("source_size", FAST),
        source_mtime: b.add_u64_field("source_mtime", FAST),
        source_refused: b.add_text_field("source_refused", STRING | FAST),
        body_name: b.add_text_field("body_name", STRING | STORED),
        body_key: b.add_text_field("body_key", STRING | STORED),
        body_text: b.add_text_field("body_text", text(NAMES, false)),
        organization: b.add_text_field("organization", STRING | STORED),
        organization_text: b.add_text_field("organization_text", text(NAMES, false)),
        date: b.add_u64_field("date", INDEXED | FAST | STORED),
        date_text: b.add_text_field("date_text", STRING | STORED),
        meeting_kind: b.add_text_field("meeting_kind", STRING | STORED),
        item: b.add_text_field("item", STRING | STORED),
        page: b.add_u64_field("page", STORED),
        title: b.add_text_field("title", text(SV_INDEX, true)),
        diarienummer: b.add_text_field("diarienummer", text(DIARIENUMMER, true)),
        decision: b.add_text_field("decision", text(SV_INDEX, true)),
        decision_kind: b.add_text_field("decision_kind", STRING | STORED),
        has_decision: b.add_u64_field("has_decision", INDEXED | FAST),
        text: b.add_text_field("text", text(SV_INDEX, true)),
        words: b.add_text_field(
            "words",
            TextOptions::default().set_indexing_options(TextFieldIndexing::default().set_tokenizer(SURFACE).set_index_option(IndexRecordOption::Basic)),
        ),
        people: b.add_text_field("people", text(NAMES, false)),
        facets: b.add_facet_field("facets", FacetOptions::default()),
        in_item: b.add_u64_field("in_item", FAST),
        cites: b.add_u64_field("cites", INDEXED),
    };
    (b.build(), fields)
}
