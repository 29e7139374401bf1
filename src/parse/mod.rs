//! Parsing: the second stage. Turns extracted lines into a [`Meeting`]: the meeting
//! header, participants by role, officers, § items with their diarienummer, presenters
//! and decisions, the earlier decisions items cite, and attachments.
//!
//! Every rule is a small function beside a test on text from `corpus/`. The rules read
//! what protocols write, in the words they use; they do not know any particular body or
//! document. Layout helps where it exists (bold headings, table cells, indentation) but
//! every rule also works on plain text, which has none.
//!
//! ```no_run
//! use protokoll::{extract, parse};
//! let path = std::path::Path::new("corpus/pdf/socsam-2021-10-08.pdf");
//! let bytes = std::fs::read(path)?;
//! let doc = extract::extract_bytes(&bytes, "socsam-2021-10-08.pdf", &extract::Options::default())?;
//! let meeting = parse::parse(&doc, path, &bytes);
//! assert_eq!(meeting.items[0].number, "48");
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

pub mod classify;
pub mod dates;
pub mod decisions;
pub mod dnr;
pub mod furniture;
pub mod headings;
pub mod items;
pub mod meeting;
pub mod names;
pub mod officers;
pub mod participants;
pub mod references;
pub mod reflow;
pub mod vocabulary;

use std::path::Path;

use crate::extract::{Extracted, Line, Page};
use crate::model::{Attachment, Body, Item, Meeting, MeetingKind, Officers, PageText, Participant, Source};

use self::classify::LineKind;

/// A vertical gap larger than this many font sizes between two lines is a blank line.
const PARAGRAPH_GAP_OF_FONT_SIZE: f32 = 1.7;

/// Width of a word space, in font sizes, when testing whether a line is full.
const SPACE_OF_FONT_SIZE: f32 = 0.25;

/// Lines read for the meeting header of a document in which no item was found.
const HEADER_LINES_WITHOUT_ITEMS: usize = 80;

/// Characters per em in text files, for indentation measured in ems.
const CHARS_PER_EM: f32 = 2.0;

/// Most § items read from one document: a protocol has a few dozen, a year's bound volume
/// a few thousand. The text after the last item read stays searchable, outside items.
pub const MAX_ITEMS: usize = 5_000;

/// Most warnings kept for one meeting: extraction keeps each kind once
/// ([`crate::extract::limits::MAX_WARNINGS`]), and parsing adds a few.
pub const MAX_WARNINGS: usize = 40;

/// One line of the document as the parser sees it.
#[derive(Debug, Clone, PartialEq)]
pub struct TextLine {
    pub page: u32,
    /// The cells joined by single spaces.
    pub text: String,
    pub cells: Vec<String>,
    /// Left edge of each cell, in ems from the page's left text edge.
    pub cell_indents: Vec<f32>,
    /// Baseline (points for PDFs, minus the line number otherwise).
    pub y: f32,
    pub size: f32,
    pub bold: bool,
    /// The line comes from a page with coordinates (PDF, OCR).
    pub geometry: bool,
    /// Left edge, in ems from the page's left text edge.
    pub indent: f32,
    /// The line is full: its text runs on in the next line.
    pub full: bool,
    /// A blank line (or a paragraph's spacing) precedes this line.
    pub gap_before: bool,
    /// The line was cut from a longer one whose line breaks were lost ([`reflow`]).
    pub split: bool,
    /// The running header that opened a flattened page ([`reflow`]): page furniture.
    pub running_header: bool,
}

impl TextLine {
    #[cfg(test)]
    pub fn test(page: u32, text: &str) -> TextLine {
        TextLine {
            page,
            text: text.to_string(),
            cells: vec![text.to_string()],
            cell_indents: vec![0.0],
            y: 0.0,
            size: 1.0,
            bold: false,
            geometry: false,
            indent: 0.0,
            full: false,
            gap_before: false,
            split: false,
            running_header: false,
        }
    }

    /// Test lines from text, one per line; `\t` separates cells.
    #[cfg(test)]
    pub fn lines(text: &str) -> Vec<TextLine> {
        text.lines()
            .map(|l| {
                let mut t = TextLine::test(1, &l.replace('\t', " "));
                t.cells = l.split('\t').map(str::to_string).collect();
                t.cell_indents = (0..t.cells.len()).map(|i| i as f32 * 10.0).collect();
                t
            })
            .collect()
    }
}

fn page_lines(page: &Page, geometry: bool, out: &mut Vec<TextLine>) {
    let lines: Vec<&Line> = page.lines.iter().filter(|l| !l.cells.is_empty()).collect();
    let left = lines.iter().map(|l| l.cells[0].x).fold(f32::INFINITY, f32::min);
    let mut ends: Vec<f32> = lines.iter().filter_map(|l| l.cells.last()).map(|c| c.x_end).collect();
    ends.sort_by(f32::total_cmp);
    // The right text edge: where most full lines end (the 90th percentile ignores a
    // stray wide table row).
    let right = ends.get((ends.len() * 9 / 10).min(ends.len().saturating_sub(1))).copied().unwrap_or(0.0);
    let em = |l: &Line| if geometry { l.size.max(1.0) } else { 1.0 / CHARS_PER_EM };
    for (i, line) in lines.iter().enumerate() {
        let unit = em(line);
        let next = lines.get(i + 1);
        let last = line.cells.last().map_or(0.0, |c| c.x_end);
        let full = match next {
            Some(n) if geometry => last + SPACE_OF_FONT_SIZE * line.size + n.cells[0].first_word_width > right,
            Some(n) => last + 1.0 + n.cells[0].first_word_width > right && right > 0.0,
            None => false,
        };
        let gap_before = match i.checked_sub(1).map(|j| lines[j]) {
            Some(p) if geometry => p.bottom - line.y > PARAGRAPH_GAP_OF_FONT_SIZE * p.size.max(line.size),
            Some(p) => p.bottom - line.y > 1.5,
            None => true,
        };
        let cells: Vec<String> = line.cells.iter().map(|c| c.text.trim().to_string()).collect();
        out.push(TextLine {
            page: page.number,
            text: cells.join(" "),
            cell_indents: line.cells.iter().map(|c| (c.x - left) / unit).collect(),
            cells,
            y: line.y,
            size: line.size,
            bold: line.bold,
            geometry,
            indent: (line.cells[0].x - left) / unit,
            full,
            gap_before,
            split: false,
            running_header: false,
        });
    }
}

/// The document's lines in reading order.
pub fn text_lines(doc: &Extracted) -> Vec<TextLine> {
    let geometry = doc.format == crate::model::Format::Pdf;
    let mut out = Vec::new();
    for page in &doc.pages {
        page_lines(page, geometry, &mut out);
    }
    out
}

/// Parses an extracted document. `path` names the source (its stem is the meeting's id)
/// and `bytes` are the file's bytes, for its hash.
pub fn parse(doc: &Extracted, path: &Path, bytes: &[u8]) -> Meeting {
    let lines = reflow::reflow(text_lines(doc));
    let (furniture, toc) = furniture::classify(&lines);
    let body_index: Vec<usize> = (0..lines.len()).filter(|&i| !furniture[i] && !toc[i]).collect();
    let body: Vec<TextLine> = body_index.iter().map(|&i| lines[i].clone()).collect();
    let furniture_lines: Vec<&TextLine> = lines.iter().zip(&furniture).filter(|(_, f)| **f).map(|(l, _)| l).collect();

    let layout = items::segment(&body);
    let spans = &layout.items[..layout.items.len().min(MAX_ITEMS)];
    let preamble = &body[..layout.preamble_end];
    // The header: everything before the first item, page furniture included (the date
    // and the kind of document often stand in the page header), contents lists not.
    let header_end = layout.items.first().map_or(lines.len().min(HEADER_LINES_WITHOUT_ITEMS), |it| body_index[it.heading]);
    let header: Vec<&TextLine> = (0..header_end).filter(|&i| !toc[i]).map(|i| &lines[i]).collect();
    let mut warnings = doc.warnings.clone();

    let kinds: Vec<LineKind> = lines.iter().map(|l| classify::kind_of_line(&l.text)).collect();
    let header_kinds: Vec<LineKind> = (0..header_end).filter(|&i| !toc[i]).map(|i| kinds[i].clone()).collect();
    let head = meeting::parse_header(&header, &header_kinds, &furniture_lines, &lines, &doc.hints, path);
    let participants = participants::parse(preamble);
    let mut items: Vec<Item> = Vec::with_capacity(spans.len());
    for span in spans {
        items.push(items::build_item(&body, span, head.date, head.body.as_ref().map_or("", |b| b.name.as_str())));
    }
    let officers = officers::find(preamble, &body, &participants, &items);
    let attachments: Vec<Attachment> = layout.attachments.iter().map(|&(i, ref title)| Attachment { title: title.clone(), page: body[i].page }).collect();

    // A header that names no body: the organ that decides in the items, else the organ
    // the document names most, else the first line of the document.
    let body_of_meeting = head
        .body
        .clone()
        .or_else(|| meeting::body_in_text(items.iter().filter_map(|i| i.decision.as_ref()).map(|d| d.text.as_str()), head.organization.as_deref()))
        .or_else(|| meeting::body_in_text(lines.iter().map(|l| l.text.as_str()), head.organization.as_deref()))
        .unwrap_or_else(|| {
            let name = header.first().map_or_else(|| crate::model::file_stem_id(path), |l| l.text.trim().to_string());
            Body { key: crate::model::slug(&name), name }
        });
    let kind = document_kind(head.kind, &items, &participants, &officers);

    // Every line of the document belongs to an item's heading or text, or is kept here.
    let mut in_item = vec![false; lines.len()];
    for span in spans {
        let from = span.dnr_before.unwrap_or(span.heading);
        for k in from..span.end.max(span.body_start) {
            in_item[body_index[k]] = true;
        }
    }
    let outside_items = pages_of(&lines, &in_item);

    if matches!(kind, MeetingKind::Kallelse | MeetingKind::Foredragningslista | MeetingKind::Okand) {
        warnings.push(format!("inte ett protokoll ({kind}): inga beslut, deltagare eller justerare"));
    } else if items.is_empty() {
        warnings.push("inga ärenden (§) hittades".to_string());
    }
    if head.date.is_none() {
        warnings.push("sammanträdets datum hittades inte".to_string());
    }
    if layout.items.len() > MAX_ITEMS {
        warnings.push(format!("fler än {MAX_ITEMS} ärenden (§): resten finns i texten utanför ärendena"));
    }
    warnings.truncate(MAX_WARNINGS);
    Meeting {
        id: crate::model::file_stem_id(path),
        source: Source {
            path: path.display().to_string(),
            format: doc.format,
            sha256: crate::model::sha256_hex(bytes),
            pages: doc.pages.len() as u32,
            ocr: doc.ocr,
            masked: u32::try_from(doc.masked).unwrap_or(u32::MAX),
        },
        body: body_of_meeting,
        organization: head.organization,
        kind,
        date: head.date,
        time: head.time,
        place: head.place,
        officers,
        participants,
        items,
        attachments,
        outside_items,
        warnings,
    }
}

/// What kind of document it is. The header's word decides ("Protokoll", "Kallelse");
/// minutes that approve their predecessor as "minnesanteckningar" are such notes.
/// Without such a word, a document that records no decision and names no participant and
/// no officer is no minutes at all: a notice or agenda when its header says so, else
/// unknown. A header that calls minutes with decisions a notice is overruled.
fn document_kind(header: Option<MeetingKind>, items: &[Item], participants: &[Participant], officers: &Officers) -> MeetingKind {
    let decides = items.iter().any(|i| i.decision.is_some());
    let minutes = decides || !participants.is_empty() || officers.chair.is_some() || officers.secretary.is_some() || !officers.adjusters.is_empty();
    match header {
        Some(MeetingKind::Kallelse | MeetingKind::Foredragningslista) if decides && !participants.is_empty() => MeetingKind::Protokoll,
        Some(k) => k,
        None if items.iter().any(|i| i.title.to_lowercase().contains("minnesanteckningar")) => MeetingKind::Minnesanteckningar,
        None if minutes => MeetingKind::Protokoll,
        None => MeetingKind::Okand,
    }
}

/// The lines not in an item, joined page by page.
fn pages_of(lines: &[TextLine], in_item: &[bool]) -> Vec<PageText> {
    let mut out: Vec<PageText> = Vec::new();
    for (line, _) in lines.iter().zip(in_item).filter(|(_, inside)| !**inside) {
        match out.last_mut() {
            Some(p) if p.page == line.page => {
                p.text.push('\n');
                p.text.push_str(line.text.trim());
            }
            _ => out.push(PageText { page: line.page, text: line.text.trim().to_string() }),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn item(title: &str, decided: bool) -> Item {
        Item {
            number: "1".into(),
            title: title.into(),
            diarienummer: None,
            presenters: vec![],
            page: 1,
            heading: String::new(),
            text: String::new(),
            decision: decided.then(|| crate::model::Decision { text: "beslutar att godkänna".into(), kind: crate::model::DecisionKind::Godkanner }),
            references: vec![],
            motions: vec![],
            reservations: vec![],
            notes: vec![],
            vote: None,
        }
    }

    #[test]
    fn documents_without_decisions_participants_or_officers_are_no_minutes() {
        let none = Officers::default();
        assert_eq!(document_kind(None, &[item("Budget", false)], &[], &none), MeetingKind::Okand);
        assert_eq!(document_kind(None, &[], &[], &none), MeetingKind::Okand);
        assert_eq!(document_kind(None, &[item("Budget", true)], &[], &none), MeetingKind::Protokoll);
        assert_eq!(document_kind(Some(MeetingKind::Kallelse), &[item("Budget", false)], &[], &none), MeetingKind::Kallelse);
        let chair = Officers { chair: Some("Anna Berg".into()), ..Officers::default() };
        assert_eq!(document_kind(None, &[item("Budget", false)], &[], &chair), MeetingKind::Protokoll);
        assert_eq!(document_kind(None, &[item("Godkännande av minnesanteckningar", false)], &[], &none), MeetingKind::Minnesanteckningar);
        assert_eq!(document_kind(Some(MeetingKind::Minnesanteckningar), &[], &[], &none), MeetingKind::Minnesanteckningar);
    }
}
