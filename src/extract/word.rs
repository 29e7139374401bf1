//! Word-processor documents: Office Open XML (`.docx`) and OpenDocument text (`.odt`).
//!
//! Both are zip archives of XML parts. From a `.docx` this reads the main document part
//! (`word/document.xml`), with `word/styles.xml` for heading styles and bold text and
//! `word/numbering.xml` for the numbers of numbered lists; from an `.odt`, `content.xml`
//! with the styles it names (its own automatic styles and those of `styles.xml`).
//!
//! Paragraphs, list items and table rows come out in document order. A paragraph is one
//! line, broken at spaces into printed lines of [`LINE_CHARS`] characters as a word
//! processor breaks it (whole paragraphs as lines would read as text whose line breaks
//! were lost), and a line break inside it starts another. A numbered list item carries
//! the number the word processor shows ("1. ", "4.1 ", "a) "), computed from the list's
//! levels and the items before it; a bulleted item is a plain line. A table row is one
//! line whose cells are the table's cells, at character columns that line up from row to
//! row as the table's columns do on the page (a cell's own lines stand under each other,
//! as in HTML rows). A tab splits a line into cells, as in a text file. An empty
//! paragraph is vertical space, as a blank line is in a text file. Headings (by style or
//! outline level) and paragraphs set in bold throughout are bold lines. Explicit page
//! breaks, the page breaks Word or LibreOffice recorded when they last laid the document
//! out, and styles that break the page start a new page; a document without any is one
//! page. The header of the first page is read once, above the first page's lines: it is
//! where a protocol names its organisation, as a PDF's running header does.
//!
//! Not read: footers and the headers of later pages, footnotes and endnotes, comments,
//! text boxes and other drawings, hidden text, deleted text (tracked deletions and moves
//! away; tracked insertions are kept), field codes (their results are kept), document
//! properties.
//! Old binary Word files (`.doc`) and password-protected Word files are OLE2 compound
//! files, not zip archives: [`refuse_compound_file`] says which one a file is. Any other
//! zip archive is refused as what it is: another office or e-book format by its parts,
//! else an archive to unpack.
//!
//! Input is bounded: at most [`MAX_ZIP_ENTRIES`] entries in the archive, at most
//! [`MAX_PART_BYTES`] decompressed per XML part (a zip bomb stops there with an error),
//! at most [`MAX_XML_DEPTH`] nested elements, the time limit of [`Options`], and lines
//! past [`MAX_DOCUMENT_CHARS`] characters are not kept.

use std::collections::{HashMap, HashSet};
use std::io::{Cursor, Read};
use std::time::Instant;

use quick_xml::XmlVersion;
use quick_xml::events::Event;
use quick_xml::name::ResolveResult;
use quick_xml::reader::NsReader;
use zip::ZipArchive;
use zip::result::ZipError;

use super::limits::MAX_DOCUMENT_CHARS;
use super::{Cell, ExtractError, Extracted, Hints, Line, Options, Page};
use crate::model::Format;

/// Most entries an archive may list. A `.docx` has a dozen or two, more with images.
pub const MAX_ZIP_ENTRIES: usize = 10_000;

/// Largest decompressed XML part read. The text of a long protocol is a few MB of XML.
pub const MAX_PART_BYTES: u64 = 64 * 1024 * 1024;

/// Deepest element nesting read. Real documents nest some twenty deep, tables in tables
/// a little more.
pub const MAX_XML_DEPTH: usize = 256;

/// Longest `mimetype` entry read.
const MAX_MIMETYPE_BYTES: u64 = 256;

/// Steps followed along a chain of styles that base themselves on each other.
const MAX_STYLE_CHAIN: usize = 32;

/// List levels of Word (`w:ilvl` 0–8) and of OpenDocument (`text:level` 1–10).
const DOCX_LEVELS: usize = 9;
const ODT_LEVELS: usize = 10;

/// Tab stops of a line split at tabs, in characters, as in text files.
const TAB_WIDTH: usize = 8;

/// Characters on a printed line: a paragraph is broken into lines of at most this many,
/// at spaces, as the word processor breaks it on the page (an A4 page with 2.5 cm margins
/// holds about 90 characters of 11-point text). Lines as long as whole paragraphs would
/// read as text whose line breaks were lost (see `parse::reflow`).
const LINE_CHARS: usize = 90;

/// Events between two looks at the clock.
const EVENTS_PER_CLOCK_CHECK: usize = 4096;

/// The first bytes of an OLE2 compound file: old Word (`.doc`), Excel, and the
/// encrypted container of a password-protected `.docx`.
pub const OLE2_MAGIC: &[u8] = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1";

/// The two kinds of word-processor archive read here.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Docx,
    Odt,
}

impl Kind {
    fn format(self) -> Format {
        match self {
            Kind::Docx => Format::Docx,
            Kind::Odt => Format::Odt,
        }
    }

    /// How a user names the file, in messages.
    pub fn describe(self) -> &'static str {
        match self {
            Kind::Docx => "Word-dokument (.docx)",
            Kind::Odt => "OpenDocument-textdokument (.odt)",
        }
    }
}

/// The limits of one read; tests lower them.
#[derive(Debug, Clone, Copy)]
struct Limits {
    entries: usize,
    part_bytes: u64,
    depth: usize,
}

const LIMITS: Limits = Limits { entries: MAX_ZIP_ENTRIES, part_bytes: MAX_PART_BYTES, depth: MAX_XML_DEPTH };

/// Why an OLE2 compound file is refused: a password-protected Office file (whose
/// directory names an `EncryptedPackage` stream) or an old binary Office file.
pub fn refuse_compound_file(bytes: &[u8]) -> ExtractError {
    let encrypted: Vec<u8> = "EncryptedPackage".encode_utf16().flat_map(u16::to_le_bytes).collect();
    if bytes.windows(encrypted.len()).any(|w| w == encrypted.as_slice()) { ExtractError::ProtectedWord } else { ExtractError::OldWord }
}

/// What a zip archive holds, for messages: a Word document, an OpenDocument text, or
/// neither.
pub fn describe_zip(bytes: &[u8]) -> String {
    let Ok(mut archive) = open(bytes, LIMITS) else { return "ZIP-arkiv".to_string() };
    match kind(&mut archive, LIMITS) {
        Ok(k) => k.describe().to_string(),
        Err(ExtractError::NotAProtocol(what)) => what,
        Err(_) => "ZIP-arkiv".to_string(),
    }
}

/// Extracts a `.docx` or `.odt` held in memory (the caller has seen the zip signature).
pub fn extract(bytes: &[u8], options: &Options) -> Result<Extracted, ExtractError> {
    extract_with(bytes, options, LIMITS)
}

fn extract_with(bytes: &[u8], options: &Options, limits: Limits) -> Result<Extracted, ExtractError> {
    let clock = Clock::start(options);
    let mut archive = open(bytes, limits).map_err(|reason| ExtractError::BrokenWord { format: "zip-arkiv", reason })?;
    let kind = kind(&mut archive, limits)?;
    let pages = match kind {
        Kind::Docx => read_docx(&mut archive, &clock, limits)?,
        Kind::Odt => read_odt(&mut archive, &clock, limits)?,
    };
    if pages.iter().all(|p| p.lines.is_empty()) {
        return Err(ExtractError::NoText(format!("{} innehåller ingen text", kind.describe())));
    }
    Ok(Extracted { format: kind.format(), pages, ocr: false, hints: Hints::default(), warnings: Vec::new(), masked: 0 })
}

fn read_docx(archive: &mut Archive<'_>, clock: &Clock, limits: Limits) -> Result<Vec<Page>, ExtractError> {
    let kind = Kind::Docx;
    let broken = |reason: String| ExtractError::BrokenWord { format: kind.describe(), reason };
    let main = docx_main_part(archive, limits).map_err(broken)?;
    let document = read_part(archive, &main, limits).map_err(broken)?.ok_or_else(|| broken(format!("delen {main} saknas")))?;
    let dir = main.rsplit_once('/').map_or("", |(d, _)| d);
    let part = |name: &str| if dir.is_empty() { name.to_string() } else { format!("{dir}/{name}") };
    let styles = match read_part(archive, &part("styles.xml"), limits).map_err(broken)? {
        Some(xml) => DocxStyles::parse(&xml, clock, limits).map_err(|e| e.into_error(kind))?,
        None => DocxStyles::default(),
    };
    let numbering = match read_part(archive, &part("numbering.xml"), limits).map_err(broken)? {
        Some(xml) => Numbering::parse(&xml, clock, limits).map_err(|e| e.into_error(kind))?,
        None => Numbering::default(),
    };
    let mut reader = DocxReader::new(&styles, &numbering);
    walk(&document, clock, limits, |node, open| reader.visit(node, open)).map_err(|e| e.into_error(kind))?;
    let header_id = reader.first_header();
    let mut pages = reader.out.finish();
    // The header of the first page, once: where a protocol names its organisation.
    let rels_name = match main.rsplit_once('/') {
        Some((d, f)) => format!("{d}/_rels/{f}.rels"),
        None => format!("_rels/{main}.rels"),
    };
    let target = match (header_id, read_part(archive, &rels_name, limits).map_err(broken)?) {
        (Some(id), Some(rels)) => relationship_target(&rels, &id, clock, limits),
        _ => None,
    };
    // A target is relative to the main part's folder, or absolute from the package root.
    let target = target.map(|t| match t.strip_prefix('/') {
        Some(absolute) => absolute.to_string(),
        None => part(&t),
    });
    if let Some(target) = target
        && let Some(xml) = read_part(archive, &target, limits).map_err(broken)?
    {
        let mut header = DocxReader::new(&styles, &numbering);
        walk(&xml, clock, limits, |node, open| header.visit(node, open)).map_err(|e| e.into_error(kind))?;
        prepend(&mut pages, header.out.finish());
    }
    Ok(pages)
}

fn read_odt(archive: &mut Archive<'_>, clock: &Clock, limits: Limits) -> Result<Vec<Page>, ExtractError> {
    let kind = Kind::Odt;
    let broken = |reason: String| ExtractError::BrokenWord { format: kind.describe(), reason };
    let content = read_part(archive, "content.xml", limits).map_err(broken)?.ok_or_else(|| broken("delen content.xml saknas".into()))?;
    let styles_xml = read_part(archive, "styles.xml", limits).map_err(broken)?;
    let mut styles = OdtStyles::default();
    if let Some(xml) = &styles_xml {
        styles.parse(xml, clock, limits).map_err(|e| e.into_error(kind))?;
    }
    styles.parse(&content, clock, limits).map_err(|e| e.into_error(kind))?;
    let mut reader = OdtReader::new(&styles, Region::Body);
    walk(&content, clock, limits, |node, open| reader.visit(node, open)).map_err(|e| e.into_error(kind))?;
    let master = reader.first_master_page.clone().unwrap_or_else(|| "Standard".to_string());
    let mut pages = reader.out.finish();
    // The header of the first page, once: where a protocol names its organisation.
    if let Some(xml) = &styles_xml {
        for first in [true, false] {
            let mut header = OdtReader::new(&styles, Region::Header { master: master.clone(), first });
            walk(xml, clock, limits, |node, open| header.visit(node, open)).map_err(|e| e.into_error(kind))?;
            let header = header.out.finish();
            if header.iter().any(|p| !p.lines.is_empty()) {
                prepend(&mut pages, header);
                break;
            }
        }
    }
    Ok(pages)
}

/// Puts the lines of a page header on top of the first page, a blank line below them.
fn prepend(pages: &mut [Page], header: Vec<Page>) {
    let lines: Vec<Line> = header.into_iter().flat_map(|p| p.lines).collect();
    let Some(first) = pages.first_mut() else { return };
    if lines.is_empty() {
        return;
    }
    let shift = lines.iter().map(|l| -l.bottom).fold(0.0, f32::max) + 2.0;
    for line in &mut first.lines {
        line.y -= shift;
        line.bottom -= shift;
    }
    let width = lines.iter().flat_map(|l| l.cells.last()).map(|c| c.x_end).fold(first.width, f32::max);
    first.lines.splice(0..0, lines);
    first.width = width;
}

/// The target of the relationship `id` in a relationships part.
fn relationship_target(rels: &str, id: &str, clock: &Clock, limits: Limits) -> Option<String> {
    let mut target = None;
    walk(rels, clock, limits, |node, _| {
        if let Node::Start(el) = node
            && el.name == "Relationship"
            && el.attr("Id") == Some(id)
            && el.attr("TargetMode") != Some("External")
        {
            target = el.attr("Target").map(str::to_string);
        }
    })
    .ok()?;
    target
}

// ---------------------------------------------------------------------------------------
// The archive
// ---------------------------------------------------------------------------------------

type Archive<'a> = ZipArchive<Cursor<&'a [u8]>>;

/// Opens the archive after checking, from its end record, that it lists few enough
/// entries. Errors are reasons, in Swedish.
fn open(bytes: &[u8], limits: Limits) -> Result<Archive<'_>, String> {
    let declared = declared_entries(bytes).ok_or_else(|| "zip-arkivet saknar sin innehållsförteckning (avkortad fil?)".to_string())?;
    if declared > limits.entries as u64 {
        return Err(format!("zip-arkivet har {declared} delar; gränsen är {}", limits.entries));
    }
    ZipArchive::new(Cursor::new(bytes)).map_err(|e| format!("zip-arkivet kan inte läsas ({})", crate::text::zip_error(&e)))
}

fn u16_at(bytes: &[u8], at: usize) -> Option<u64> {
    bytes.get(at..at + 2).map(|b| u64::from(u16::from_le_bytes([b[0], b[1]])))
}

fn u64_at(bytes: &[u8], at: usize) -> Option<u64> {
    let b: [u8; 8] = bytes.get(at..at + 8)?.try_into().ok()?;
    Some(u64::from_le_bytes(b))
}

/// The number of entries the archive's end-of-central-directory record declares (the
/// ZIP64 record's, when there is one), or `None` without such a record.
fn declared_entries(bytes: &[u8]) -> Option<u64> {
    const EOCD: &[u8] = b"PK\x05\x06";
    const EOCD_LEN: usize = 22;
    let tail_start = bytes.len().saturating_sub(EOCD_LEN + usize::from(u16::MAX));
    let at = tail_start + bytes[tail_start..].windows(EOCD.len()).rposition(|w| w == EOCD)?;
    let mut entries = u16_at(bytes, at + 10)?.max(u16_at(bytes, at + 8)?);
    // A ZIP64 locator right before the record points to the ZIP64 record.
    if let Some(loc) = at.checked_sub(20)
        && bytes.get(loc..loc + 4) == Some(b"PK\x06\x07".as_slice())
    {
        let record = usize::try_from(u64_at(bytes, loc + 8)?).ok()?;
        if bytes.get(record..record + 4) != Some(b"PK\x06\x06".as_slice()) {
            return None;
        }
        entries = entries.max(u64_at(bytes, record + 24)?).max(u64_at(bytes, record + 32)?);
    }
    Some(entries)
}

/// The archive's entry of that name; part names of Office files ignore case.
fn entry_name(archive: &Archive<'_>, name: &str) -> Option<String> {
    if archive.index_for_name(name).is_some() {
        return Some(name.to_string());
    }
    archive.file_names().find(|n| n.eq_ignore_ascii_case(name)).map(str::to_string)
}

/// Reads one part, decompressing at most `limits.part_bytes`. `None` when the archive
/// has no such part.
fn read_part(archive: &mut Archive<'_>, name: &str, limits: Limits) -> Result<Option<String>, String> {
    let Some(name) = entry_name(archive, name) else { return Ok(None) };
    let bytes = read_bytes(archive, &name, limits.part_bytes)?;
    Ok(Some(decode(&bytes)))
}

fn read_bytes(archive: &mut Archive<'_>, name: &str, limit: u64) -> Result<Vec<u8>, String> {
    let file = match archive.by_name(name) {
        Ok(f) => f,
        Err(e @ ZipError::UnsupportedArchive(_)) => return Err(format!("delen {name} kan inte packas upp ({})", crate::text::zip_error(&e))),
        Err(e) => return Err(format!("delen {name} kan inte läsas ({})", crate::text::zip_error(&e))),
    };
    let too_large = || format!("dekomprimeringsbomb? delen {name} blir större än {} uppackad", size_text(limit));
    if file.size() > limit {
        return Err(too_large());
    }
    let mut bytes = Vec::new();
    file.take(limit + 1).read_to_end(&mut bytes).map_err(|e| format!("delen {name} kan inte packas upp ({})", crate::text::io_error(&e)))?;
    if bytes.len() as u64 > limit {
        return Err(too_large());
    }
    Ok(bytes)
}

/// A size for a message: whole MiB, or bytes below one.
fn size_text(bytes: u64) -> String {
    const MIB: u64 = 1024 * 1024;
    if bytes >= MIB { format!("{} MiB", bytes / MIB) } else { format!("{bytes} byte") }
}

/// XML parts are UTF-8, or UTF-16 with a byte-order mark.
fn decode(bytes: &[u8]) -> String {
    match encoding_rs::Encoding::for_bom(bytes) {
        Some((enc, bom)) => enc.decode_without_bom_handling(&bytes[bom..]).0.into_owned(),
        None => String::from_utf8_lossy(bytes).into_owned(),
    }
}

/// Which kind of document the archive holds: OpenDocument by its `mimetype` entry (or
/// its `content.xml`), Word by its `word/document.xml`.
fn kind(archive: &mut Archive<'_>, limits: Limits) -> Result<Kind, ExtractError> {
    let mut mime = None;
    if let Some(name) = entry_name(archive, "mimetype") {
        let bytes =
            read_bytes(archive, &name, MAX_MIMETYPE_BYTES.min(limits.part_bytes)).map_err(|reason| ExtractError::BrokenWord { format: "zip-arkiv", reason })?;
        let declared = String::from_utf8_lossy(&bytes).trim().to_string();
        if declared.starts_with("application/vnd.oasis.opendocument.text") {
            return Ok(Kind::Odt);
        }
        if declared.starts_with("application/vnd.oasis.opendocument.") {
            return Err(ExtractError::NotAProtocol(foreign_zip(archive, Some(&declared))));
        }
        mime = Some(declared);
    }
    if entry_name(archive, "word/document.xml").is_some() {
        return Ok(Kind::Docx);
    }
    if entry_name(archive, "content.xml").is_some() {
        return Ok(Kind::Odt);
    }
    if entry_name(archive, "[Content_Types].xml").is_some() && docx_main_part(archive, limits).is_ok_and(|m| m.starts_with("word/")) {
        return Ok(Kind::Docx);
    }
    Err(ExtractError::NotAProtocol(foreign_zip(archive, mime.as_deref())))
}

/// What a zip archive that is no word-processor document is, for its refusal: another
/// office or e-book format by its parts, else an archive to unpack.
fn foreign_zip(archive: &Archive<'_>, mime: Option<&str>) -> String {
    match mime {
        Some(m) if m.starts_with("application/vnd.oasis.opendocument.") => return format!("OpenDocument-fil som inte är text ({m})"),
        Some("application/epub+zip") => return "e-bok (EPUB)".into(),
        _ => {}
    }
    if entry_name(archive, "xl/workbook.xml").is_some() {
        return "Excel-arbetsbok (.xlsx)".into();
    }
    if entry_name(archive, "ppt/presentation.xml").is_some() {
        return "PowerPoint-presentation (.pptx)".into();
    }
    "ZIP-arkiv (packa upp det och läs filerna i det)".into()
}

/// The main part of a `.docx`: the target of the package's officeDocument relationship,
/// `word/document.xml` when the package does not say.
fn docx_main_part(archive: &mut Archive<'_>, limits: Limits) -> Result<String, String> {
    const DEFAULT: &str = "word/document.xml";
    let Some(rels) = read_part(archive, "_rels/.rels", limits)? else { return Ok(DEFAULT.into()) };
    let mut target = None;
    let clock = Clock { deadline: None, limit_secs: 0 };
    let found = walk(&rels, &clock, limits, |node, _| {
        if let Node::Start(el) = node
            && el.name == "Relationship"
            && el.attr("Type").is_some_and(|t| t.ends_with("/officeDocument"))
            && target.is_none()
        {
            target = el.attr("Target").map(|t| t.trim_start_matches('/').to_string());
        }
    });
    match (found, target) {
        (Ok(()), Some(t)) if entry_name(archive, &t).is_some() => Ok(t),
        _ => Ok(DEFAULT.into()),
    }
}

// ---------------------------------------------------------------------------------------
// XML
// ---------------------------------------------------------------------------------------

/// The namespaces whose elements matter here.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Ns {
    /// WordprocessingML (transitional and strict).
    W,
    /// Markup compatibility (`mc:AlternateContent`).
    Mc,
    Office,
    Style,
    Text,
    Table,
    Draw,
    Other,
}

const NAMESPACES: &[(&[u8], Ns)] = &[
    (b"http://schemas.openxmlformats.org/wordprocessingml/2006/main", Ns::W),
    (b"http://purl.oclc.org/ooxml/wordprocessingml/main", Ns::W),
    (b"http://schemas.openxmlformats.org/markup-compatibility/2006", Ns::Mc),
    (b"urn:oasis:names:tc:opendocument:xmlns:office:1.0", Ns::Office),
    (b"urn:oasis:names:tc:opendocument:xmlns:style:1.0", Ns::Style),
    (b"urn:oasis:names:tc:opendocument:xmlns:text:1.0", Ns::Text),
    (b"urn:oasis:names:tc:opendocument:xmlns:table:1.0", Ns::Table),
    (b"urn:oasis:names:tc:opendocument:xmlns:drawing:1.0", Ns::Draw),
];

fn ns_of(resolved: ResolveResult<'_>) -> Ns {
    match resolved {
        ResolveResult::Bound(ns) => NAMESPACES.iter().find(|(uri, _)| *uri == ns.as_ref()).map_or(Ns::Other, |&(_, n)| n),
        _ => Ns::Other,
    }
}

/// An open element: its namespace, local name and attributes (by local name: the
/// attributes of these formats are told apart by their names alone).
#[derive(Debug)]
struct Element {
    ns: Ns,
    name: String,
    attrs: Vec<(String, String)>,
}

impl Element {
    fn is(&self, ns: Ns, name: &str) -> bool {
        self.ns == ns && self.name == name
    }

    fn attr(&self, name: &str) -> Option<&str> {
        self.attrs.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str())
    }

    /// A WordprocessingML on/off property: on unless its value says off.
    fn on(&self) -> bool {
        !matches!(self.attr("val"), Some("0" | "false" | "off" | "none"))
    }
}

/// What the walk hands its visitor, with the elements open around it.
enum Node<'a> {
    Start(&'a Element),
    End(&'a Element),
    Text(&'a str),
}

/// Whether a visitor is passing over a skipped element (`skip`: the depth at which it
/// opened), which ends with that element's end.
fn passing_over(skip: &mut Option<usize>, node: &Node<'_>, open: &[Element]) -> bool {
    let Some(depth) = *skip else { return false };
    if let Node::End(_) = node
        && open.len() == depth
    {
        *skip = None;
    }
    true
}

/// A failed walk: the XML is broken, nests too deep, or time ran out.
#[derive(Debug)]
enum WalkError {
    Broken(String),
    TimedOut(u64),
}

impl WalkError {
    fn into_error(self, kind: Kind) -> ExtractError {
        match self {
            WalkError::Broken(reason) => ExtractError::BrokenWord { format: kind.describe(), reason },
            WalkError::TimedOut(secs) => ExtractError::TimedOut(secs),
        }
    }
}

struct Clock {
    deadline: Option<Instant>,
    limit_secs: u64,
}

impl Clock {
    fn start(options: &Options) -> Clock {
        Clock { deadline: Instant::now().checked_add(options.time_limit), limit_secs: options.time_limit.as_secs() }
    }

    fn check(&self) -> Result<(), WalkError> {
        match self.deadline {
            Some(d) if Instant::now() > d => Err(WalkError::TimedOut(self.limit_secs)),
            _ => Ok(()),
        }
    }
}

/// Streams an XML part to `visit` without building a tree; entities are resolved and
/// namespaces too.
fn walk(xml: &str, clock: &Clock, limits: Limits, mut visit: impl FnMut(Node<'_>, &[Element])) -> Result<(), WalkError> {
    let mut reader = NsReader::from_str(xml);
    let mut open: Vec<Element> = Vec::new();
    let mut events = 0usize;
    // The parser's own description is English: the place is what a user can act on.
    let broken = |at: u64| WalkError::Broken(format!("XML-fel vid byte {at}"));
    loop {
        events += 1;
        if events % EVENTS_PER_CLOCK_CHECK == 0 {
            clock.check()?;
        }
        let (resolved, event) = match reader.read_resolved_event() {
            Ok(r) => r,
            Err(_) => return Err(broken(reader.error_position())),
        };
        let ns = ns_of(resolved);
        let empty = matches!(event, Event::Empty(_));
        match event {
            Event::Start(e) | Event::Empty(e) => {
                let mut attrs = Vec::new();
                for a in e.attributes() {
                    let a = a.map_err(|_| broken(reader.buffer_position()))?;
                    let key = String::from_utf8_lossy(a.key.local_name().as_ref()).into_owned();
                    let value = a.normalized_value(XmlVersion::Implicit1_0).map_err(|_| broken(reader.buffer_position()))?;
                    attrs.push((key, value.into_owned()));
                }
                let name = String::from_utf8_lossy(e.local_name().as_ref()).into_owned();
                open.push(Element { ns, name, attrs });
                if open.len() > limits.depth {
                    return Err(WalkError::Broken(format!("elementen är nästlade djupare än {} nivåer", limits.depth)));
                }
                if let Some((el, around)) = open.split_last() {
                    visit(Node::Start(el), around);
                }
                if empty && let Some(el) = open.pop() {
                    visit(Node::End(&el), &open);
                }
            }
            Event::End(_) => {
                if let Some(el) = open.pop() {
                    visit(Node::End(&el), &open);
                }
            }
            Event::Text(t) => {
                let text = t.xml10_content().map_err(|_| broken(reader.buffer_position()))?;
                visit(Node::Text(&text), &open);
            }
            Event::CData(t) => {
                let text = t.xml10_content().map_err(|_| broken(reader.buffer_position()))?;
                visit(Node::Text(&text), &open);
            }
            Event::GeneralRef(r) => {
                let c = if r.is_char_ref() {
                    r.resolve_char_ref().ok().flatten()
                } else {
                    match r.decode().map_err(|_| broken(reader.buffer_position()))?.as_ref() {
                        "amp" => Some('&'),
                        "lt" => Some('<'),
                        "gt" => Some('>'),
                        "apos" => Some('\''),
                        "quot" => Some('"'),
                        _ => None,
                    }
                };
                if let Some(c) = c {
                    let mut buf = [0u8; 4];
                    visit(Node::Text(c.encode_utf8(&mut buf)), &open);
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    if !open.is_empty() {
        return Err(WalkError::Broken("XML-delen är avkortad".into()));
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------
// Lines and pages
// ---------------------------------------------------------------------------------------

/// Marks in paragraph text: a tab, a line break, a page break.
const TAB: char = '\t';
const BREAK: char = '\n';
const PAGE_BREAK: char = '\x0c';

/// Text as it is collected: every whitespace character a space, the marks kept.
fn push_text(out: &mut String, text: &str) {
    out.extend(text.chars().map(|c| if c.is_whitespace() { ' ' } else { c }));
}

fn collapse(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The cells of a line split at tabs, at character columns as a text file's tabs put
/// them (each tab reaching the next stop, at least two columns on).
fn tab_cells(line: &str) -> Vec<Cell> {
    let mut cells = Vec::new();
    let mut col = 0usize;
    for (i, part) in line.split(TAB).enumerate() {
        if i > 0 {
            let mut stop = (col / TAB_WIDTH + 1) * TAB_WIDTH;
            if stop - col < 2 {
                stop += TAB_WIDTH;
            }
            col = stop;
        }
        let text = collapse(part);
        if text.is_empty() {
            continue;
        }
        let n = text.chars().count();
        let first = text.split(' ').next().map_or(0, |w| w.chars().count());
        cells.push(Cell { x: col as f32, x_end: (col + n) as f32, text, first_word_width: first as f32 });
        col += n;
    }
    cells
}

/// Breaks text into lines of at most `width` characters at spaces; a longer word is a
/// line of its own.
fn wrap(text: &str, width: usize) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    let mut current = String::new();
    let mut len = 0usize;
    for word in text.split(' ').filter(|w| !w.is_empty()) {
        let n = word.chars().count();
        if len > 0 && len + 1 + n > width {
            lines.push(std::mem::take(&mut current));
            len = 0;
        }
        if len > 0 {
            current.push(' ');
            len += 1;
        }
        current.push_str(word);
        len += n;
    }
    if !current.is_empty() {
        lines.push(current);
    }
    lines
}

/// Collects lines into pages.
#[derive(Default)]
struct Builder {
    pages: Vec<Page>,
    lines: Vec<Line>,
    /// The next line's number on its page; empty paragraphs skip one, as blank lines do.
    index: usize,
    gap: bool,
    /// Characters collected: past [`MAX_DOCUMENT_CHARS`] no more lines are kept (the
    /// document is cut there, with a warning, by [`super::limits::bound_document`]).
    chars: usize,
}

impl Builder {
    fn push_line(&mut self, line: Line) {
        if self.chars <= MAX_DOCUMENT_CHARS {
            self.chars += line.cells.iter().map(|c| c.text.chars().count()).sum::<usize>();
            self.lines.push(line);
        }
    }

    fn page_break(&mut self) {
        if self.lines.is_empty() {
            return;
        }
        let lines = std::mem::take(&mut self.lines);
        let width = lines.iter().flat_map(|l| l.cells.last()).map(|c| c.x_end).fold(0.0, f32::max);
        self.pages.push(Page { number: self.pages.len() as u32 + 1, lines, width });
        self.index = 0;
        self.gap = false;
    }

    fn take_index(&mut self) -> usize {
        if self.gap && !self.lines.is_empty() {
            self.index += 1;
        }
        self.gap = false;
        let i = self.index;
        self.index += 1;
        i
    }

    /// A paragraph's text with its marks: lines at line breaks, pages at page breaks,
    /// cells at tabs. Without any text it is vertical space.
    fn paragraph(&mut self, text: &str, bold: bool) {
        if text.chars().all(|c| c.is_whitespace() && c != PAGE_BREAK) {
            self.gap = true;
            return;
        }
        for (p, page) in text.split(PAGE_BREAK).enumerate() {
            if p > 0 {
                self.page_break();
            }
            for line in page.split(BREAK) {
                if line.contains(TAB) {
                    let cells = tab_cells(line);
                    if !cells.is_empty() {
                        let y = -(self.take_index() as f32);
                        self.push_line(Line { cells, y, bottom: y, size: 1.0, bold });
                    }
                } else {
                    for text in wrap(&collapse(line), LINE_CHARS) {
                        let index = self.take_index();
                        self.push_line(Line::plain(text, index, bold));
                    }
                }
            }
        }
    }

    /// A table, laid out as a page lays it out: each column starts two characters after
    /// the widest text of the column before it, so a column's cells line up from row to
    /// row (an empty cell leaves its column empty), and the lines of a cell stand under
    /// each other.
    fn table(&mut self, rows: Vec<RowText>) {
        let mut placed: Vec<Vec<(usize, usize, Vec<String>)>> = Vec::with_capacity(rows.len());
        let mut columns = 0usize;
        for row in &rows {
            let mut col = 0usize;
            let mut cells = Vec::with_capacity(row.cells.len());
            for cell in &row.cells {
                let span = cell.span.clamp(1, MAX_TABLE_COLUMNS);
                if col + span > MAX_TABLE_COLUMNS {
                    break;
                }
                let lines: Vec<String> = cell.lines.iter().flat_map(|l| wrap(l, LINE_CHARS)).collect();
                cells.push((col, span, lines));
                col += span;
            }
            columns = columns.max(col);
            placed.push(cells);
        }
        let mut widths = vec![0usize; columns];
        let need = |lines: &[String]| lines.iter().map(|l| l.chars().count()).max().map_or(0, |n| n + 2);
        for (col, span, lines) in placed.iter().flatten() {
            if *span == 1 {
                widths[*col] = widths[*col].max(need(lines));
            }
        }
        for (col, span, lines) in placed.iter().flatten() {
            let have: usize = widths[*col..col + span].iter().sum();
            if *span > 1 && have < need(lines) {
                widths[col + span - 1] += need(lines) - have;
            }
        }
        let mut x = Vec::with_capacity(columns);
        let mut at = 0usize;
        for w in &widths {
            x.push(at);
            at += w;
        }
        for (row, cells) in rows.iter().zip(placed) {
            let height = cells.iter().map(|(_, _, l)| l.len()).max().unwrap_or(0);
            if height == 0 {
                continue;
            }
            if row.page_break {
                self.page_break();
            }
            let first = self.take_index();
            for k in 0..height {
                let mut out = Vec::new();
                for (col, _, lines) in &cells {
                    if let Some(text) = lines.get(k) {
                        let left = x[*col] as f32;
                        let n = text.chars().count() as f32;
                        let first_word = text.split(' ').next().map_or(0, |w| w.chars().count()) as f32;
                        out.push(Cell { x: left, x_end: left + n, text: text.clone(), first_word_width: first_word });
                    }
                }
                let y = -((first + k) as f32);
                self.push_line(Line { cells: out, y, bottom: y, size: 1.0, bold: row.bold && k == 0 });
            }
            self.index = first + height;
        }
    }

    fn finish(mut self) -> Vec<Page> {
        self.page_break();
        if self.pages.is_empty() {
            self.pages.push(Page { number: 1, lines: Vec::new(), width: 0.0 });
        }
        self.pages
    }
}

/// Most columns a table is laid out with; cells past them are dropped.
const MAX_TABLE_COLUMNS: usize = 64;

/// A table cell being read: its lines, the grid columns it spans, and whether its first
/// paragraph is bold.
struct CellText {
    lines: Vec<String>,
    span: usize,
    bold: Option<bool>,
}

impl CellText {
    fn new(span: usize) -> CellText {
        CellText { lines: Vec::new(), span, bold: None }
    }

    fn push_paragraph(&mut self, text: &str, bold: bool) {
        let mut any = false;
        for line in text.split([BREAK, PAGE_BREAK]) {
            let line = collapse(line);
            if !line.is_empty() {
                self.lines.push(line);
                any = true;
            }
        }
        if any && self.bold.is_none() {
            self.bold = Some(bold);
        }
    }
}

/// A table row read: its cells, whether a page break fell in it, and whether all its
/// cells are bold (a header row).
struct RowText {
    cells: Vec<CellText>,
    page_break: bool,
    bold: bool,
}

/// An open table: its rows read, the cells of its open row, and whether a page break
/// fell in the open row.
#[derive(Default)]
struct TableText {
    rows: Vec<RowText>,
    row: Option<Vec<CellText>>,
    row_break: bool,
}

/// Tables as they are read, innermost last; a row of a nested table becomes a line of
/// the cell around it.
#[derive(Default)]
struct Tables {
    open: Vec<TableText>,
}

impl Tables {
    fn in_cell(&mut self) -> Option<&mut CellText> {
        self.open.last_mut().and_then(|t| t.row.as_mut()).and_then(|r| r.last_mut())
    }

    fn start_row(&mut self) {
        if let Some(t) = self.open.last_mut() {
            t.row = Some(Vec::new());
            t.row_break = false;
        }
    }

    fn start_cell(&mut self, span: usize) {
        if let Some(row) = self.open.last_mut().and_then(|t| t.row.as_mut()) {
            row.push(CellText::new(span));
        }
    }

    /// The open cell spans this many grid columns.
    fn set_span(&mut self, span: usize) {
        if let Some(cell) = self.in_cell() {
            cell.span = span;
        }
    }

    fn page_break(&mut self) {
        if let Some(t) = self.open.last_mut() {
            t.row_break = true;
        }
    }

    fn end_row(&mut self) {
        let depth = self.open.len();
        let Some(t) = self.open.last_mut() else { return };
        let Some(cells) = t.row.take() else { return };
        let page_break = std::mem::take(&mut t.row_break);
        let filled: Vec<&CellText> = cells.iter().filter(|c| !c.lines.is_empty()).collect();
        let bold = !filled.is_empty() && filled.iter().all(|c| c.bold == Some(true));
        if depth > 1 {
            let line = filled.iter().map(|c| c.lines.join(" ")).collect::<Vec<_>>().join(" ");
            if let Some(outer) = self.open.get_mut(depth - 2).and_then(|t| t.row.as_mut()).and_then(|r| r.last_mut()) {
                outer.push_paragraph(&line, bold);
            }
            return;
        }
        t.rows.push(RowText { cells, page_break, bold });
    }

    fn end_table(&mut self, out: &mut Builder) {
        if let Some(t) = self.open.pop()
            && self.open.is_empty()
        {
            out.table(t.rows);
        }
    }
}

/// A paragraph being read.
#[derive(Default)]
struct ParaText {
    text: String,
    any_text: bool,
    all_bold: bool,
    break_before: bool,
    break_after: bool,
}

impl ParaText {
    fn new() -> ParaText {
        ParaText { all_bold: true, ..ParaText::default() }
    }

    fn push(&mut self, text: &str, bold: bool) {
        if text.chars().any(|c| !c.is_whitespace()) {
            self.any_text = true;
            self.all_bold &= bold;
        }
        push_text(&mut self.text, text);
    }

    /// A page break the word processor recorded while laying out: before the paragraph
    /// when no text came yet, else after it (the paragraph is not cut in two).
    fn rendered_break(&mut self) {
        if self.any_text {
            self.break_after = true;
        } else {
            self.break_before = true;
        }
    }

    /// The text with the list number in front, and whether the line is bold.
    fn finish(self, label: Option<String>, heading: bool) -> (String, bool, bool, bool) {
        let bold = heading || (self.any_text && self.all_bold);
        let text = match label {
            Some(l) if self.any_text => format!("{l} {}", self.text.trim_start()),
            _ => self.text,
        };
        (text, bold, self.break_before, self.break_after)
    }
}

/// A heading by its style's name: Word's "heading 1", "Title", Swedish "Rubrik 1".
fn heading_name(name: &str) -> bool {
    let n = name.replace("_20_", " ").to_lowercase();
    n.starts_with("heading") || n.starts_with("rubrik") || n == "title" || n == "titel"
}

// ---------------------------------------------------------------------------------------
// Numbers
// ---------------------------------------------------------------------------------------

fn roman(mut n: i64) -> String {
    const NUMERALS: &[(i64, &str)] = &[
        (1000, "m"),
        (900, "cm"),
        (500, "d"),
        (400, "cd"),
        (100, "c"),
        (90, "xc"),
        (50, "l"),
        (40, "xl"),
        (10, "x"),
        (9, "ix"),
        (5, "v"),
        (4, "iv"),
        (1, "i"),
    ];
    let mut out = String::new();
    for &(value, s) in NUMERALS {
        while n >= value {
            out.push_str(s);
            n -= value;
        }
    }
    out
}

/// Letters as Word counts: a … z, aa … zz, aaa …
fn word_letters(n: i64) -> String {
    let letter = char::from(b'a' + ((n - 1) % 26) as u8);
    std::iter::repeat_n(letter, ((n - 1) / 26 + 1) as usize).collect()
}

/// Letters as OpenDocument counts: a … z, aa, ab …
fn odf_letters(mut n: i64) -> String {
    let mut out = Vec::new();
    while n > 0 {
        n -= 1;
        out.push(char::from(b'a' + (n % 26) as u8));
        n /= 26;
    }
    out.iter().rev().collect()
}

/// Largest number written as letters or roman numerals; past it, digits.
const MAX_LETTER_NUMBER: i64 = 4000;

/// A counter in a Word number format (`w:numFmt`).
fn word_number(n: i64, format: &str) -> String {
    let words = (1..MAX_LETTER_NUMBER).contains(&n);
    match format {
        "lowerLetter" if words => word_letters(n),
        "upperLetter" if words => word_letters(n).to_uppercase(),
        "lowerRoman" if words => roman(n),
        "upperRoman" if words => roman(n).to_uppercase(),
        "decimalZero" => format!("{n:02}"),
        _ => n.to_string(),
    }
}

/// A counter in an OpenDocument number format (`style:num-format`).
fn odf_number(n: i64, format: &str) -> String {
    let words = (1..MAX_LETTER_NUMBER).contains(&n);
    match format {
        "" => String::new(),
        "a" if words => odf_letters(n),
        "A" if words => odf_letters(n).to_uppercase(),
        "i" if words => roman(n),
        "I" if words => roman(n).to_uppercase(),
        _ => n.to_string(),
    }
}

/// Counts one more item at `level` (0-based): the value it gets, deeper levels reset
/// where `resets(k)` says so.
fn count(counters: &mut [Option<i64>], level: usize, start: i64, start_override: Option<i64>, resets: impl Fn(usize) -> bool) -> i64 {
    let value = start_override.unwrap_or_else(|| counters[level].map_or(start, |v| v.saturating_add(1)));
    counters[level] = Some(value);
    for (k, c) in counters.iter_mut().enumerate().skip(level + 1) {
        if resets(k) {
            *c = None;
        }
    }
    value
}

// ---------------------------------------------------------------------------------------
// Word: styles and numbering
// ---------------------------------------------------------------------------------------

/// What a Word style says that matters here.
#[derive(Debug, Default)]
struct DocxStyle {
    name: String,
    based_on: Option<String>,
    bold: Option<bool>,
    hidden: Option<bool>,
    outline: Option<u32>,
    num_id: Option<String>,
    ilvl: Option<u32>,
    break_before: Option<bool>,
}

#[derive(Debug, Default)]
struct DocxStyles {
    by_id: HashMap<String, DocxStyle>,
    /// The document default (`w:docDefaults`) for bold.
    default_bold: Option<bool>,
    /// The paragraph style of paragraphs that name none.
    default_paragraph: Option<String>,
}

fn parent_is(open: &[Element], ns: Ns, name: &str) -> bool {
    open.last().is_some_and(|p| p.is(ns, name))
}

/// The element two levels up is `name`.
fn grandparent_is(open: &[Element], ns: Ns, name: &str) -> bool {
    open.len() >= 2 && open[open.len() - 2].is(ns, name)
}

impl DocxStyles {
    fn parse(xml: &str, clock: &Clock, limits: Limits) -> Result<DocxStyles, WalkError> {
        let mut out = DocxStyles::default();
        let mut current: Option<(String, DocxStyle)> = None;
        walk(xml, clock, limits, |node, open| match node {
            Node::Start(el) if el.ns == Ns::W => {
                let val = || el.attr("val").map(str::to_string);
                match el.name.as_str() {
                    "style" => {
                        let id = el.attr("styleId").unwrap_or("").to_string();
                        if el.attr("type") == Some("paragraph") && el.attr("default").is_some_and(|d| d == "1" || d == "true") {
                            out.default_paragraph = Some(id.clone());
                        }
                        current = Some((id, DocxStyle::default()));
                    }
                    "b" if parent_is(open, Ns::W, "rPr") && grandparent_is(open, Ns::W, "rPrDefault") => out.default_bold = Some(el.on()),
                    _ => {
                        let Some((_, style)) = current.as_mut() else { return };
                        let in_style = |what: &str| parent_is(open, Ns::W, what) && grandparent_is(open, Ns::W, "style");
                        match el.name.as_str() {
                            "name" if parent_is(open, Ns::W, "style") => style.name = val().unwrap_or_default(),
                            "basedOn" if parent_is(open, Ns::W, "style") => style.based_on = val(),
                            "b" if in_style("rPr") => style.bold = Some(el.on()),
                            "vanish" if in_style("rPr") => style.hidden = Some(el.on()),
                            "outlineLvl" if in_style("pPr") => style.outline = val().and_then(|v| v.parse().ok()),
                            "pageBreakBefore" if in_style("pPr") => style.break_before = Some(el.on()),
                            "numId" if parent_is(open, Ns::W, "numPr") && grandparent_is(open, Ns::W, "pPr") => style.num_id = val(),
                            "ilvl" if parent_is(open, Ns::W, "numPr") && grandparent_is(open, Ns::W, "pPr") => style.ilvl = val().and_then(|v| v.parse().ok()),
                            _ => {}
                        }
                    }
                }
            }
            Node::End(el) if el.is(Ns::W, "style") => {
                if let Some((id, style)) = current.take() {
                    out.by_id.insert(id, style);
                }
            }
            _ => {}
        })?;
        Ok(out)
    }

    /// The style and those it is based on, nearest first.
    fn chain<'s>(&'s self, id: Option<&'s str>) -> impl Iterator<Item = &'s DocxStyle> + 's {
        let mut next = id;
        std::iter::from_fn(move || {
            let style = self.by_id.get(next?)?;
            next = style.based_on.as_deref();
            Some(style)
        })
        .take(MAX_STYLE_CHAIN)
    }

    fn find<T>(&self, id: Option<&str>, get: impl Fn(&DocxStyle) -> Option<T>) -> Option<T> {
        self.chain(id).find_map(get)
    }

    fn is_heading(&self, id: Option<&str>) -> bool {
        self.chain(id).any(|s| s.outline.is_some_and(|l| l < 9) || heading_name(&s.name))
            || id.is_some_and(|i| heading_name(i) && self.by_id.get(i).is_none_or(|s| s.name.is_empty()))
    }
}

/// One level of a Word list.
#[derive(Debug, Clone)]
struct Level {
    start: i64,
    format: String,
    text: String,
    /// `w:lvlRestart`: restarts after a use of a level above this 1-based one; 0 never.
    restart: Option<i64>,
    legal: bool,
}

impl Default for Level {
    fn default() -> Level {
        Level { start: 0, format: "decimal".into(), text: String::new(), restart: None, legal: false }
    }
}

#[derive(Debug, Default)]
struct AbstractNum {
    levels: HashMap<usize, Level>,
    /// `w:numStyleLink`: the levels are those of the list the style names.
    style_link: Option<String>,
}

#[derive(Debug, Default)]
struct Num {
    abstract_id: String,
    /// `w:lvlOverride` by level: a start value, or the whole level.
    overrides: HashMap<usize, (Option<i64>, Option<Level>)>,
}

#[derive(Debug, Default)]
struct Numbering {
    abstracts: HashMap<String, AbstractNum>,
    nums: HashMap<String, Num>,
}

fn level_index(el: &Element) -> usize {
    el.attr("ilvl").and_then(|v| v.parse::<usize>().ok()).unwrap_or(0).min(DOCX_LEVELS - 1)
}

impl Numbering {
    fn parse(xml: &str, clock: &Clock, limits: Limits) -> Result<Numbering, WalkError> {
        let mut out = Numbering::default();
        let mut abstract_num: Option<(String, AbstractNum)> = None;
        let mut num: Option<(String, Num)> = None;
        let mut override_level: Option<usize> = None;
        let mut level: Option<(usize, Level)> = None;
        walk(xml, clock, limits, |node, open| match node {
            Node::Start(el) if el.ns == Ns::W => {
                let val = el.attr("val");
                let number = || val.and_then(|v| v.trim().parse::<i64>().ok());
                match el.name.as_str() {
                    "abstractNum" => abstract_num = Some((el.attr("abstractNumId").unwrap_or("").to_string(), AbstractNum::default())),
                    "num" => num = Some((el.attr("numId").unwrap_or("").to_string(), Num::default())),
                    "abstractNumId" if parent_is(open, Ns::W, "num") => {
                        if let Some((_, n)) = num.as_mut() {
                            n.abstract_id = val.unwrap_or("").to_string();
                        }
                    }
                    "lvlOverride" => override_level = Some(level_index(el)),
                    "startOverride" => {
                        if let (Some((_, n)), Some(k)) = (num.as_mut(), override_level) {
                            n.overrides.entry(k).or_default().0 = number();
                        }
                    }
                    "numStyleLink" => {
                        if let Some((_, a)) = abstract_num.as_mut() {
                            a.style_link = val.map(str::to_string);
                        }
                    }
                    "lvl" => level = Some((level_index(el), Level::default())),
                    _ if parent_is(open, Ns::W, "lvl") => {
                        let Some((_, l)) = level.as_mut() else { return };
                        match el.name.as_str() {
                            "start" => l.start = number().unwrap_or(0),
                            "numFmt" => l.format = val.unwrap_or("decimal").to_string(),
                            "lvlText" => l.text = val.unwrap_or("").to_string(),
                            "lvlRestart" => l.restart = number(),
                            "isLgl" => l.legal = el.on(),
                            _ => {}
                        }
                    }
                    _ => {}
                }
            }
            Node::End(el) if el.ns == Ns::W => match el.name.as_str() {
                "lvl" => {
                    let Some((k, l)) = level.take() else { return };
                    if parent_is(open, Ns::W, "lvlOverride") {
                        if let Some((_, n)) = num.as_mut() {
                            n.overrides.entry(k).or_default().1 = Some(l);
                        }
                    } else if let Some((_, a)) = abstract_num.as_mut() {
                        a.levels.insert(k, l);
                    }
                }
                "lvlOverride" => override_level = None,
                "abstractNum" => {
                    if let Some((id, a)) = abstract_num.take() {
                        out.abstracts.insert(id, a);
                    }
                }
                "num" => {
                    if let Some((id, n)) = num.take() {
                        out.nums.insert(id, n);
                    }
                }
                _ => {}
            },
            _ => {}
        })?;
        Ok(out)
    }

    /// The abstract list a list instance uses, following one style link.
    fn abstract_of(&self, num: &Num, styles: &DocxStyles) -> Option<(&str, &AbstractNum)> {
        let (id, a) = self.abstracts.get_key_value(num.abstract_id.as_str())?;
        if a.levels.is_empty()
            && let Some(link) = &a.style_link
            && let Some(linked) = styles.find(Some(link), |s| s.num_id.clone()).and_then(|n| self.nums.get(&n))
            && let Some(found) = self.abstracts.get_key_value(linked.abstract_id.as_str())
        {
            return Some((found.0.as_str(), found.1));
        }
        Some((id.as_str(), a))
    }
}

/// The counters of Word lists as the document goes: shared by the list instances of one
/// abstract list, restarted where an instance overrides a start value.
#[derive(Default)]
struct DocxCounters {
    by_abstract: HashMap<String, [Option<i64>; DOCX_LEVELS]>,
    used: HashSet<String>,
}

impl DocxCounters {
    /// The number of the next item of list `num_id` at level `ilvl`, as its level text
    /// writes it ("4.1", "a)"); `None` for bullets and unnumbered levels.
    fn next(&mut self, numbering: &Numbering, styles: &DocxStyles, num_id: &str, ilvl: usize) -> Option<String> {
        let num = numbering.nums.get(num_id)?;
        let (abstract_id, abstract_num) = numbering.abstract_of(num, styles)?;
        let ilvl = ilvl.min(DOCX_LEVELS - 1);
        let level = |k: usize| num.overrides.get(&k).and_then(|o| o.1.as_ref()).or_else(|| abstract_num.levels.get(&k));
        let start = |k: usize| num.overrides.get(&k).and_then(|o| o.0).or_else(|| level(k).map(|l| l.start)).unwrap_or(0);
        let first_use = self.used.insert(num_id.to_string());
        let counters = self.by_abstract.entry(abstract_id.to_string()).or_insert([None; DOCX_LEVELS]);
        if first_use {
            for (&k, o) in &num.overrides {
                if o.0.is_some() || o.1.is_some() {
                    counters[k] = None;
                }
            }
        }
        let value = count(counters, ilvl, start(ilvl), None, |k| match level(k).and_then(|l| l.restart) {
            Some(0) => false,
            Some(r) => (ilvl as i64) < r,
            None => true,
        });
        let this = level(ilvl)?;
        if matches!(this.format.as_str(), "bullet" | "none") {
            return None;
        }
        let mut label = String::new();
        let mut chars = this.text.chars().peekable();
        while let Some(c) = chars.next() {
            let digit = chars.peek().and_then(|d| d.to_digit(10)).filter(|d| (1..=DOCX_LEVELS as u32).contains(d));
            match (c, digit) {
                ('%', Some(d)) => {
                    chars.next();
                    let k = d as usize - 1;
                    let v = if k == ilvl { value } else { counters[k].unwrap_or_else(|| start(k)) };
                    let format = if this.legal && k < ilvl { "decimal" } else { level(k).map_or("decimal", |l| l.format.as_str()) };
                    label.push_str(&word_number(v, format));
                }
                _ => label.push(c),
            }
        }
        let label = collapse(&label);
        (!label.is_empty()).then_some(label)
    }
}

// ---------------------------------------------------------------------------------------
// Word: the document
// ---------------------------------------------------------------------------------------

/// Elements of `word/document.xml` whose content is not read: deleted and moved-away
/// text, the fallback copy of alternate content, drawings and text boxes, embedded
/// objects, and the earlier formatting of tracked format changes.
const DOCX_SKIPPED: &[&str] = &["del", "moveFrom", "drawing", "pict", "object", "pPrChange", "rPrChange", "sdtPr"];

/// A Word paragraph's own properties.
#[derive(Default)]
struct DocxPara {
    text: ParaText,
    style: Option<String>,
    num_id: Option<String>,
    ilvl: Option<usize>,
    outline: Option<u32>,
    break_before: Option<bool>,
    /// A section ends with the paragraph; `Some(true)` for a continuous section.
    section: Option<bool>,
}

/// A run's own properties.
#[derive(Default)]
struct Run {
    bold: Option<bool>,
    hidden: Option<bool>,
    style: Option<String>,
}

struct DocxReader<'a> {
    styles: &'a DocxStyles,
    numbering: &'a Numbering,
    counters: DocxCounters,
    out: Builder,
    tables: Tables,
    /// The depth of the skipped element being passed over.
    skip: Option<usize>,
    para: Option<DocxPara>,
    run: Run,
    /// The header references of the first section: (type, relationship id), and whether
    /// its first page has a header of its own (`w:titlePg`).
    headers: Vec<(String, String)>,
    title_page: bool,
    first_section_read: bool,
}

impl<'a> DocxReader<'a> {
    /// The relationship id of the header on the first page.
    fn first_header(&self) -> Option<String> {
        let of = |t: &str| self.headers.iter().find(|(ty, _)| ty == t).map(|(_, id)| id.clone());
        if self.title_page { of("first") } else { of("default") }
    }

    fn new(styles: &'a DocxStyles, numbering: &'a Numbering) -> DocxReader<'a> {
        DocxReader {
            styles,
            numbering,
            counters: DocxCounters::default(),
            out: Builder::default(),
            tables: Tables::default(),
            skip: None,
            para: None,
            run: Run::default(),
            headers: Vec::new(),
            title_page: false,
            first_section_read: false,
        }
    }

    fn para_style(&self) -> Option<&str> {
        self.para.as_ref().and_then(|p| p.style.as_deref()).or(self.styles.default_paragraph.as_deref())
    }

    fn visit(&mut self, node: Node<'_>, open: &[Element]) {
        if passing_over(&mut self.skip, &node, open) {
            return;
        }
        match node {
            Node::Start(el) => self.start(el, open),
            Node::End(el) => self.end(el),
            Node::Text(t) => {
                if parent_is(open, Ns::W, "t") {
                    self.text(t);
                }
            }
        }
    }

    fn text(&mut self, t: &str) {
        let style = self.para_style();
        let styles = self.styles;
        let char_style = self.run.style.as_deref();
        let hidden = self.run.hidden.or_else(|| styles.find(char_style, |s| s.hidden)).or_else(|| styles.find(style, |s| s.hidden)).unwrap_or(false);
        if hidden {
            return;
        }
        let bold =
            self.run.bold.or_else(|| styles.find(char_style, |s| s.bold)).or_else(|| styles.find(style, |s| s.bold)).or(styles.default_bold).unwrap_or(false);
        if let Some(p) = self.para.as_mut() {
            p.text.push(t, bold);
        }
    }

    fn mark(&mut self, c: char) {
        if let Some(p) = self.para.as_mut() {
            p.text.text.push(c);
        }
    }

    fn start(&mut self, el: &Element, open: &[Element]) {
        if (el.ns == Ns::W && DOCX_SKIPPED.contains(&el.name.as_str())) || el.is(Ns::Mc, "Fallback") {
            self.skip = Some(open.len());
            return;
        }
        if el.ns != Ns::W {
            return;
        }
        let val = el.attr("val");
        let in_ppr = parent_is(open, Ns::W, "pPr");
        let in_rpr = parent_is(open, Ns::W, "rPr") && grandparent_is(open, Ns::W, "r");
        let in_run = parent_is(open, Ns::W, "r");
        match el.name.as_str() {
            "p" => self.para = Some(DocxPara { text: ParaText::new(), ..DocxPara::default() }),
            "pStyle" if in_ppr => {
                if let Some(p) = self.para.as_mut() {
                    p.style = val.map(str::to_string);
                }
            }
            "numId" if parent_is(open, Ns::W, "numPr") => {
                if let Some(p) = self.para.as_mut() {
                    p.num_id = val.map(str::to_string);
                }
            }
            "ilvl" if parent_is(open, Ns::W, "numPr") => {
                if let Some(p) = self.para.as_mut() {
                    p.ilvl = val.and_then(|v| v.parse().ok());
                }
            }
            "outlineLvl" if in_ppr => {
                if let Some(p) = self.para.as_mut() {
                    p.outline = val.and_then(|v| v.parse().ok());
                }
            }
            "pageBreakBefore" if in_ppr => {
                if let Some(p) = self.para.as_mut() {
                    p.break_before = Some(el.on());
                }
            }
            "sectPr" if in_ppr => {
                if let Some(p) = self.para.as_mut() {
                    p.section = Some(false);
                }
            }
            "type" if parent_is(open, Ns::W, "sectPr") && grandparent_is(open, Ns::W, "pPr") => {
                if let Some(p) = self.para.as_mut() {
                    p.section = Some(val == Some("continuous"));
                }
            }
            "headerReference" if parent_is(open, Ns::W, "sectPr") && !self.first_section_read => {
                if let Some(id) = el.attr("id") {
                    self.headers.push((el.attr("type").unwrap_or("default").to_string(), id.to_string()));
                }
            }
            "titlePg" if parent_is(open, Ns::W, "sectPr") && !self.first_section_read => self.title_page = el.on(),
            "r" => self.run = Run::default(),
            "b" if in_rpr => self.run.bold = Some(el.on()),
            "vanish" if in_rpr => self.run.hidden = Some(el.on()),
            "rStyle" if in_rpr => self.run.style = val.map(str::to_string),
            "tab" | "ptab" if in_run => self.mark(TAB),
            "br" if in_run => self.mark(if el.attr("type") == Some("page") { PAGE_BREAK } else { BREAK }),
            "cr" if in_run => self.mark(BREAK),
            "noBreakHyphen" if in_run => self.text("-"),
            "lastRenderedPageBreak" => {
                if !self.tables.open.is_empty() {
                    self.tables.page_break();
                } else if let Some(p) = self.para.as_mut() {
                    p.text.rendered_break();
                }
            }
            "tbl" => self.tables.open.push(TableText::default()),
            "tr" => self.tables.start_row(),
            "tc" => self.tables.start_cell(1),
            "gridSpan" if parent_is(open, Ns::W, "tcPr") => self.tables.set_span(val.and_then(|v| v.parse().ok()).unwrap_or(1)),
            _ => {}
        }
    }

    fn end(&mut self, el: &Element) {
        if el.ns != Ns::W {
            return;
        }
        match el.name.as_str() {
            "p" => self.end_paragraph(),
            "sectPr" => self.first_section_read = true,
            "r" => self.run = Run::default(),
            "tr" => self.tables.end_row(),
            "tbl" => self.tables.end_table(&mut self.out),
            _ => {}
        }
    }

    fn end_paragraph(&mut self) {
        let style = self.para_style().map(str::to_string);
        let Some(para) = self.para.take() else { return };
        let styles = self.styles;
        let style = style.as_deref();
        // Direct numbering wins over the style's; numId 0 switches numbering off.
        let (num_id, ilvl) = match &para.num_id {
            Some(n) => (Some(n.clone()), para.ilvl.or_else(|| styles.find(style, |s| s.ilvl).map(|l| l as usize))),
            None => (styles.find(style, |s| s.num_id.clone()), para.ilvl.or_else(|| styles.find(style, |s| s.ilvl).map(|l| l as usize))),
        };
        let label = match num_id {
            Some(n) if n != "0" => self.counters.next(self.numbering, styles, &n, ilvl.unwrap_or(0)),
            _ => None,
        };
        let heading = para.outline.is_some_and(|l| l < 9) || styles.is_heading(style);
        let break_before = para.break_before.or_else(|| styles.find(style, |s| s.break_before)).unwrap_or(false);
        let section_break = para.section == Some(false);
        let (text, bold, rendered_before, rendered_after) = para.text.finish(label, heading);
        if let Some(cell) = self.tables.in_cell() {
            cell.push_paragraph(&text.replace(TAB, " "), bold);
            return;
        }
        if break_before || rendered_before {
            self.out.page_break();
        }
        self.out.paragraph(&text, bold);
        if rendered_after || section_break {
            self.out.page_break();
        }
    }
}

// ---------------------------------------------------------------------------------------
// OpenDocument: styles and lists
// ---------------------------------------------------------------------------------------

/// What an OpenDocument style says that matters here.
#[derive(Debug, Default)]
struct OdtStyle {
    parent: Option<String>,
    display: Option<String>,
    bold: Option<bool>,
    break_before: Option<bool>,
    break_after: Option<bool>,
    master_page_name: Option<String>,
    list_style: Option<String>,
    outline: bool,
}

/// One level of an OpenDocument list style.
#[derive(Debug, Clone, Default)]
struct OdtLevel {
    /// Numbered (not a bullet or picture).
    numbered: bool,
    format: String,
    prefix: String,
    suffix: String,
    display_levels: usize,
    start: i64,
    /// LibreOffice's whole label (`%1%.%2%.`), kept from Word's level text.
    list_format: Option<String>,
}

#[derive(Debug, Default)]
struct OdtStyles {
    /// By family ("paragraph", "text", "table") and name.
    styles: HashMap<(String, String), OdtStyle>,
    lists: HashMap<String, HashMap<usize, OdtLevel>>,
}

/// `fo:font-weight`: "bold" or a weight of 600 and up.
fn font_weight_bold(weight: &str) -> bool {
    weight == "bold" || weight.parse::<u32>().is_ok_and(|w| w >= 600)
}

impl OdtStyles {
    /// Adds the styles of one part (`styles.xml`, then `content.xml`, whose automatic
    /// styles win).
    fn parse(&mut self, xml: &str, clock: &Clock, limits: Limits) -> Result<(), WalkError> {
        let mut style: Option<((String, String), OdtStyle)> = None;
        let mut list: Option<(String, HashMap<usize, OdtLevel>)> = None;
        walk(xml, clock, limits, |node, open| match node {
            Node::Start(el) => match (el.ns, el.name.as_str()) {
                (Ns::Style, "style") => {
                    let key = (el.attr("family").unwrap_or("").to_string(), el.attr("name").unwrap_or("").to_string());
                    let s = OdtStyle {
                        parent: el.attr("parent-style-name").map(str::to_string),
                        display: el.attr("display-name").map(str::to_string),
                        master_page_name: el.attr("master-page-name").map(str::to_string),
                        list_style: el.attr("list-style-name").filter(|l| !l.is_empty()).map(str::to_string),
                        outline: el.attr("default-outline-level").is_some_and(|l| !l.is_empty()),
                        ..OdtStyle::default()
                    };
                    style = Some((key, s));
                }
                (Ns::Style, "paragraph-properties" | "table-properties") if parent_is(open, Ns::Style, "style") => {
                    if let Some((_, s)) = style.as_mut() {
                        if let Some(b) = el.attr("break-before") {
                            s.break_before = Some(b == "page");
                        }
                        if let Some(b) = el.attr("break-after") {
                            s.break_after = Some(b == "page");
                        }
                    }
                }
                (Ns::Style, "text-properties") if parent_is(open, Ns::Style, "style") => {
                    if let (Some((_, s)), Some(w)) = (style.as_mut(), el.attr("font-weight")) {
                        s.bold = Some(font_weight_bold(w));
                    }
                }
                (Ns::Text, "list-style") => list = Some((el.attr("name").unwrap_or("").to_string(), HashMap::new())),
                (Ns::Text, "list-level-style-number" | "list-level-style-bullet" | "list-level-style-image") => {
                    let Some((_, levels)) = list.as_mut() else { return };
                    let k = el.attr("level").and_then(|l| l.parse::<usize>().ok()).unwrap_or(1).clamp(1, ODT_LEVELS);
                    let level = OdtLevel {
                        numbered: el.name == "list-level-style-number",
                        format: el.attr("num-format").unwrap_or("").to_string(),
                        prefix: el.attr("num-prefix").unwrap_or("").to_string(),
                        suffix: el.attr("num-suffix").unwrap_or("").to_string(),
                        display_levels: el.attr("display-levels").and_then(|d| d.parse().ok()).unwrap_or(1),
                        start: el.attr("start-value").and_then(|s| s.parse().ok()).unwrap_or(1),
                        list_format: el.attr("num-list-format").map(str::to_string),
                    };
                    levels.insert(k, level);
                }
                _ => {}
            },
            Node::End(el) if el.is(Ns::Style, "style") => {
                if let Some((key, s)) = style.take() {
                    self.styles.insert(key, s);
                }
            }
            Node::End(el) if el.is(Ns::Text, "list-style") => {
                if let Some((name, levels)) = list.take() {
                    self.lists.insert(name, levels);
                }
            }
            _ => {}
        })
    }

    /// The style and its parents, nearest first.
    fn chain<'s>(&'s self, family: &'s str, name: Option<&'s str>) -> impl Iterator<Item = &'s OdtStyle> + 's {
        let mut next = name;
        std::iter::from_fn(move || {
            let style = self.styles.get(&(family.to_string(), next?.to_string()))?;
            next = style.parent.as_deref();
            Some(style)
        })
        .take(MAX_STYLE_CHAIN)
    }

    fn find<T>(&self, family: &str, name: Option<&str>, get: impl Fn(&OdtStyle) -> Option<T>) -> Option<T> {
        self.chain(family, name).find_map(get)
    }

    fn is_heading(&self, name: Option<&str>) -> bool {
        let mut names = name.into_iter().map(str::to_string).collect::<Vec<_>>();
        names.extend(self.chain("paragraph", name).flat_map(|s| s.parent.iter().chain(s.display.iter()).cloned()));
        self.chain("paragraph", name).any(|s| s.outline) || names.iter().any(|n| heading_name(n))
    }

    /// The label of an item at `depth` (1-based) of a list in `style`, the counters of
    /// its levels given.
    fn label(&self, style: &str, depth: usize, counters: &[Option<i64>]) -> Option<String> {
        let levels = self.lists.get(style)?;
        let this = levels.get(&depth)?;
        if !this.numbered {
            return None;
        }
        let value_of = |k: usize| counters.get(k - 1).copied().flatten().unwrap_or_else(|| levels.get(&k).map_or(1, |l| l.start));
        let format_of = |k: usize| levels.get(&k).map_or("1", |l| l.format.as_str());
        let label = match &this.list_format {
            Some(f) if !f.is_empty() => {
                let mut out = f.clone();
                for k in (1..=depth).rev() {
                    out = out.replace(&format!("%{k}%"), &odf_number(value_of(k), format_of(k)));
                }
                out
            }
            _ => {
                let shown = this.display_levels.clamp(1, depth);
                let parts: Vec<String> = (depth + 1 - shown..=depth).map(|k| odf_number(value_of(k), format_of(k))).filter(|p| !p.is_empty()).collect();
                if parts.is_empty() {
                    return None;
                }
                format!("{}{}{}", this.prefix, parts.join("."), this.suffix)
            }
        };
        let label = collapse(&label);
        (!label.is_empty()).then_some(label)
    }
}

// ---------------------------------------------------------------------------------------
// OpenDocument: the document
// ---------------------------------------------------------------------------------------

/// Elements of `content.xml` whose content is not read: tracked changes (the deleted
/// text), comments, footnotes, drawings and text boxes, forms, declarations, and the
/// cached number of a list item (the number is computed).
const ODT_SKIPPED: &[&str] =
    &["tracked-changes", "annotation", "note", "forms", "sequence-decls", "variable-decls", "user-field-decls", "dde-connection-decls", "number"];

/// An open list: its style and the counters it numbers with (an index into
/// [`OdtReader::counters`]), and whether its open item still awaits its number.
struct OdtList {
    style: Option<String>,
    counters: usize,
    item_pending: bool,
    item_start: Option<i64>,
}

struct OdtPara {
    text: ParaText,
    style: Option<String>,
    heading: bool,
    label: Option<String>,
}

/// The part of an OpenDocument XML part that is read: the body of `content.xml`, or the
/// header of a master page in `styles.xml` (its first-page header when `first`).
enum Region {
    Body,
    Header { master: String, first: bool },
}

struct OdtReader<'a> {
    styles: &'a OdtStyles,
    region: Region,
    /// The master page (page style) the first paragraph or table names.
    first_master_page: Option<String>,
    any_block: bool,
    out: Builder,
    tables: Tables,
    skip: Option<usize>,
    in_body: bool,
    para: Option<OdtPara>,
    /// Bold of the open spans, innermost last (`None`: the span does not say).
    spans: Vec<Option<bool>>,
    lists: Vec<OdtList>,
    counters: Vec<[Option<i64>; ODT_LEVELS]>,
    /// Counters by list id (`xml:id`) and by list style, for lists that continue others.
    by_id: HashMap<String, usize>,
    by_style: HashMap<String, usize>,
}

impl<'a> OdtReader<'a> {
    fn new(styles: &'a OdtStyles, region: Region) -> OdtReader<'a> {
        OdtReader {
            styles,
            region,
            first_master_page: None,
            any_block: false,
            out: Builder::default(),
            tables: Tables::default(),
            skip: None,
            in_body: false,
            para: None,
            spans: Vec::new(),
            lists: Vec::new(),
            counters: Vec::new(),
            by_id: HashMap::new(),
            by_style: HashMap::new(),
        }
    }

    fn visit(&mut self, node: Node<'_>, open: &[Element]) {
        if passing_over(&mut self.skip, &node, open) {
            return;
        }
        match node {
            Node::Start(el) if self.is_region(el, open) => self.in_body = true,
            Node::End(el) if self.is_region(el, open) => self.in_body = false,
            _ if !self.in_body => {}
            Node::Start(el) => self.start(el, open),
            Node::End(el) => self.end(el),
            Node::Text(t) => self.text(t),
        }
    }

    fn is_region(&self, el: &Element, open: &[Element]) -> bool {
        match &self.region {
            Region::Body => el.is(Ns::Office, "text"),
            Region::Header { master, first } => {
                let name = if *first { "header-first" } else { "header" };
                el.name == name
                    && matches!(el.ns, Ns::Style | Ns::Other)
                    && open.last().is_some_and(|m| m.is(Ns::Style, "master-page") && m.attr("name") == Some(master.as_str()))
            }
        }
    }

    /// Notes the master page that the document's first paragraph or table names.
    fn note_master_page(&mut self, style: Option<&str>, family: &str) {
        if self.any_block {
            return;
        }
        self.any_block = true;
        self.first_master_page =
            style.and_then(|s| self.styles.styles.get(&(family.to_string(), s.to_string()))).and_then(|s| s.master_page_name.clone()).filter(|m| !m.is_empty());
    }

    fn text(&mut self, t: &str) {
        let Some(p) = self.para.as_mut() else { return };
        let bold = self.spans.iter().rev().find_map(|b| *b).or_else(|| self.styles.find("paragraph", p.style.as_deref(), |s| s.bold)).unwrap_or(false);
        p.text.push(t, bold);
    }

    fn start(&mut self, el: &Element, open: &[Element]) {
        if el.ns == Ns::Draw || ((el.ns == Ns::Text || el.ns == Ns::Office) && ODT_SKIPPED.contains(&el.name.as_str())) {
            self.skip = Some(open.len());
            return;
        }
        match (el.ns, el.name.as_str()) {
            (Ns::Text, "p" | "h") => self.start_paragraph(el),
            (Ns::Text, "span") => {
                let bold = self.styles.find("text", el.attr("style-name"), |s| s.bold);
                self.spans.push(bold);
            }
            (Ns::Text, "s") => self.text(" "),
            // The header read is the first page's: its page number is 1 (LibreOffice
            // stores 0 or the last laid-out number).
            (Ns::Text, "page-number") if matches!(self.region, Region::Header { .. }) => {
                self.text("1");
                self.skip = Some(open.len());
            }
            (Ns::Text, "tab") => self.mark(TAB),
            (Ns::Text, "line-break") => self.mark(BREAK),
            (Ns::Text, "soft-page-break") => {
                if let Some(p) = self.para.as_mut() {
                    p.text.rendered_break();
                } else if !self.tables.open.is_empty() {
                    self.tables.page_break();
                } else {
                    self.out.page_break();
                }
            }
            (Ns::Text, "list") => self.start_list(el),
            (Ns::Text, "list-item" | "list-header") => {
                if let Some(l) = self.lists.last_mut() {
                    l.item_pending = el.name == "list-item";
                    l.item_start = el.attr("start-value").and_then(|s| s.parse().ok());
                }
            }
            (Ns::Table, "table") => {
                let style = el.attr("style-name");
                self.note_master_page(style, "table");
                if self.tables.open.is_empty() && self.styles.find("table", style, |s| s.break_before).unwrap_or(false) {
                    self.out.page_break();
                }
                self.tables.open.push(TableText::default());
            }
            (Ns::Table, "table-row") => self.tables.start_row(),
            // A spanning cell is followed by covered cells for the columns it covers; a
            // repeated (empty) cell stands for as many columns.
            (Ns::Table, "table-cell" | "covered-table-cell") => {
                self.tables.start_cell(el.attr("number-columns-repeated").and_then(|n| n.parse().ok()).unwrap_or(1))
            }
            _ => {}
        }
    }

    fn mark(&mut self, c: char) {
        if let Some(p) = self.para.as_mut() {
            p.text.text.push(c);
        }
    }

    fn start_list(&mut self, el: &Element) {
        let style = el.attr("style-name").map(str::to_string).or_else(|| self.lists.last().and_then(|l| l.style.clone()));
        let counters = match self.lists.last() {
            Some(outer) => outer.counters,
            None => {
                let continued = match el.attr("continue-list") {
                    Some(id) => self.by_id.get(id).copied(),
                    None if el.attr("continue-numbering") == Some("true") => style.as_ref().and_then(|s| self.by_style.get(s).copied()),
                    None => None,
                };
                continued.unwrap_or_else(|| {
                    self.counters.push([None; ODT_LEVELS]);
                    self.counters.len() - 1
                })
            }
        };
        if let Some(id) = el.attr("id") {
            self.by_id.insert(id.to_string(), counters);
        }
        if let Some(s) = &style {
            self.by_style.insert(s.clone(), counters);
        }
        self.lists.push(OdtList { style, counters, item_pending: false, item_start: None });
    }

    fn start_paragraph(&mut self, el: &Element) {
        let style = el.attr("style-name").map(str::to_string);
        self.note_master_page(style.as_deref(), "paragraph");
        let heading = el.name == "h" || self.styles.is_heading(style.as_deref());
        let mut text = ParaText::new();
        let own = self.styles.styles.get(&("paragraph".to_string(), style.clone().unwrap_or_default()));
        text.break_before = self.styles.find("paragraph", style.as_deref(), |s| s.break_before).unwrap_or(false)
            || own.is_some_and(|s| s.master_page_name.as_ref().is_some_and(|m| !m.is_empty()));
        text.break_after = self.styles.find("paragraph", style.as_deref(), |s| s.break_after).unwrap_or(false);
        let depth = self.lists.len();
        let mut label = None;
        if let Some(list) = self.lists.last_mut()
            && list.item_pending
        {
            list.item_pending = false;
            let list_style = list.style.clone().or_else(|| self.styles.find("paragraph", style.as_deref(), |s| s.list_style.clone()));
            if let Some(counters) = self.counters.get_mut(list.counters) {
                let k = depth.clamp(1, ODT_LEVELS) - 1;
                let start = list_style.as_deref().and_then(|s| self.styles.lists.get(s)).and_then(|l| l.get(&(k + 1))).map_or(1, |l| l.start);
                count(counters, k, start, list.item_start, |_| true);
                label = list_style.and_then(|s| self.styles.label(&s, k + 1, counters.as_slice()));
            }
        }
        self.para = Some(OdtPara { text, style, heading, label });
    }

    fn end(&mut self, el: &Element) {
        match (el.ns, el.name.as_str()) {
            (Ns::Text, "p" | "h") => self.end_paragraph(),
            (Ns::Text, "span") => {
                self.spans.pop();
            }
            (Ns::Text, "list") => {
                self.lists.pop();
            }
            (Ns::Text, "list-item" | "list-header") => {
                if let Some(l) = self.lists.last_mut() {
                    l.item_pending = false;
                }
            }
            (Ns::Table, "table-row") => self.tables.end_row(),
            (Ns::Table, "table") => {
                let style = el.attr("style-name");
                self.tables.end_table(&mut self.out);
                if self.tables.open.is_empty() && self.styles.find("table", style, |s| s.break_after).unwrap_or(false) {
                    self.out.page_break();
                }
            }
            _ => {}
        }
    }

    fn end_paragraph(&mut self) {
        let Some(p) = self.para.take() else { return };
        self.spans.clear();
        let (text, bold, before, after) = p.text.finish(p.label, p.heading);
        if let Some(cell) = self.tables.in_cell() {
            cell.push_paragraph(&text.replace(TAB, " "), bold);
            return;
        }
        if before {
            self.out.page_break();
        }
        self.out.paragraph(&text, bold);
        if after {
            self.out.page_break();
        }
    }
}

#[cfg(test)]
mod tests {
    use std::io::Write;

    use zip::write::SimpleFileOptions;

    use super::*;
    use crate::extract::{Options, extract_bytes};

    const W: &str = r#"xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships""#;

    fn zip_of(parts: &[(&str, &str)], method: zip::CompressionMethod) -> Vec<u8> {
        let mut out = zip::ZipWriter::new(Cursor::new(Vec::new()));
        for (name, text) in parts {
            out.start_file(*name, SimpleFileOptions::default().compression_method(method)).expect("start");
            out.write_all(text.as_bytes()).expect("write");
        }
        out.finish().expect("finish").into_inner()
    }

    /// A `.docx` of a body (the inside of `w:body`) and optional numbering and styles.
    fn docx(body: &str, numbering: &str, styles: &str) -> Vec<u8> {
        let document = format!("<w:document {W}><w:body>{body}</w:body></w:document>");
        let mut parts = vec![("[Content_Types].xml", "<Types/>".to_string()), ("word/document.xml", document)];
        if !numbering.is_empty() {
            parts.push(("word/numbering.xml", format!("<w:numbering {W}>{numbering}</w:numbering>")));
        }
        if !styles.is_empty() {
            parts.push(("word/styles.xml", format!("<w:styles {W}>{styles}</w:styles>")));
        }
        let parts: Vec<(&str, &str)> = parts.iter().map(|(n, t)| (*n, t.as_str())).collect();
        zip_of(&parts, zip::CompressionMethod::Stored)
    }

    const ODT_NS: &str = r#"xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0" xmlns:loext="urn:org:documentfoundation:names:experimental:office:xmlns:loext:1.0""#;

    fn odt(automatic_styles: &str, body: &str) -> Vec<u8> {
        let content = format!(
            "<office:document-content {ODT_NS}><office:automatic-styles>{automatic_styles}</office:automatic-styles><office:body><office:text>{body}</office:text></office:body></office:document-content>"
        );
        zip_of(&[("mimetype", "application/vnd.oasis.opendocument.text"), ("content.xml", &content)], zip::CompressionMethod::Stored)
    }

    fn read(bytes: &[u8]) -> Extracted {
        extract(bytes, &Options::default()).unwrap_or_else(|e| panic!("{e}"))
    }

    fn texts(doc: &Extracted) -> Vec<Vec<String>> {
        doc.pages.iter().map(|p| p.lines.iter().map(Line::text).collect()).collect()
    }

    fn p(text: &str) -> String {
        format!("<w:p><w:r><w:t xml:space=\"preserve\">{text}</w:t></w:r></w:p>")
    }

    fn numbered(num: u32, ilvl: u32, text: &str) -> String {
        format!("<w:p><w:pPr><w:numPr><w:ilvl w:val=\"{ilvl}\"/><w:numId w:val=\"{num}\"/></w:numPr></w:pPr><w:r><w:t>{text}</w:t></w:r></w:p>")
    }

    fn level(ilvl: u32, format: &str, text: &str) -> String {
        format!("<w:lvl w:ilvl=\"{ilvl}\"><w:start w:val=\"1\"/><w:numFmt w:val=\"{format}\"/><w:lvlText w:val=\"{text}\"/></w:lvl>")
    }

    #[test]
    fn word_numbers_items_sub_items_and_restarted_letters() {
        let numbering = format!(
            "<w:abstractNum w:abstractNumId=\"1\">{}{}</w:abstractNum><w:abstractNum w:abstractNumId=\"2\">{}</w:abstractNum>\
             <w:abstractNum w:abstractNumId=\"3\">{}</w:abstractNum>\
             <w:num w:numId=\"1\"><w:abstractNumId w:val=\"1\"/></w:num>\
             <w:num w:numId=\"2\"><w:abstractNumId w:val=\"2\"/><w:lvlOverride w:ilvl=\"0\"><w:startOverride w:val=\"1\"/></w:lvlOverride></w:num>\
             <w:num w:numId=\"3\"><w:abstractNumId w:val=\"2\"/><w:lvlOverride w:ilvl=\"0\"><w:startOverride w:val=\"1\"/></w:lvlOverride></w:num>\
             <w:num w:numId=\"4\"><w:abstractNumId w:val=\"3\"/></w:num>",
            level(0, "decimal", "%1."),
            level(1, "decimal", "%1.%2"),
            level(0, "lowerLetter", "%1)"),
            level(0, "bullet", "•"),
        );
        let body = [
            numbered(1, 0, "Mötets öppnande"),
            p("Ordföranden öppnade mötet."),
            numbered(1, 0, "Information"),
            numbered(1, 1, "Rapport från nätverket"),
            numbered(1, 1, "Nya regler"),
            numbered(1, 0, "Ekonomi"),
            numbered(2, 0, "Budget"),
            numbered(2, 0, "Jouren"),
            numbered(4, 0, "En punkt i en punktlista"),
            numbered(1, 0, "Övriga frågor"),
            numbered(3, 0, "Sommaren"),
        ]
        .concat();
        let doc = read(&docx(&body, &numbering, ""));
        assert_eq!(doc.format, Format::Docx);
        assert_eq!(
            texts(&doc)[0],
            vec![
                "1. Mötets öppnande",
                "Ordföranden öppnade mötet.",
                "2. Information",
                "2.1 Rapport från nätverket",
                "2.2 Nya regler",
                "3. Ekonomi",
                "a) Budget",
                "b) Jouren",
                "En punkt i en punktlista",
                "4. Övriga frågor",
                "a) Sommaren",
            ]
        );
    }

    #[test]
    fn numbering_through_a_paragraph_style() {
        let numbering = format!(
            "<w:abstractNum w:abstractNumId=\"7\">{}</w:abstractNum><w:num w:numId=\"5\"><w:abstractNumId w:val=\"7\"/></w:num>",
            level(0, "upperRoman", "%1 –")
        );
        let styles = r#"<w:style w:type="paragraph" w:styleId="Punkt"><w:name w:val="Punkt"/><w:pPr><w:numPr><w:numId w:val="5"/></w:numPr></w:pPr></w:style>"#;
        let body = r#"<w:p><w:pPr><w:pStyle w:val="Punkt"/></w:pPr><w:r><w:t>Första</w:t></w:r></w:p><w:p><w:pPr><w:pStyle w:val="Punkt"/></w:pPr><w:r><w:t>Andra</w:t></w:r></w:p>"#;
        assert_eq!(texts(&read(&docx(body, &numbering, styles)))[0], vec!["I – Första", "II – Andra"]);
    }

    #[test]
    fn tables_stay_in_document_order_with_their_columns_aligned() {
        let row = |cells: &[&str], bold: bool| {
            let b = if bold { "<w:rPr><w:b/></w:rPr>" } else { "" };
            let cells: String = cells.iter().map(|c| format!("<w:tc><w:p><w:r>{b}<w:t>{c}</w:t></w:r></w:p></w:tc>")).collect();
            format!("<w:tr>{cells}</w:tr>")
        };
        let body = format!(
            "{}<w:tbl>{}{}{}</w:tbl>{}",
            p("Närvarolista"),
            row(&["Ledamöter", "Parti", "Närvarande"], true),
            row(&["Anna Rydén, ordförande", "S", "X"], false),
            row(&["Robin Ahlberg", "S", ""], false),
            p("§ 150 Godkännande av föredragningslista"),
        );
        let doc = read(&docx(&body, "", ""));
        let lines = &doc.pages[0].lines;
        assert_eq!(
            texts(&doc)[0],
            vec!["Närvarolista", "Ledamöter\tParti\tNärvarande", "Anna Rydén, ordförande\tS\tX", "Robin Ahlberg\tS", "§ 150 Godkännande av föredragningslista"]
        );
        assert!(lines[1].bold && !lines[2].bold);
        // Each column starts at the same place in every row.
        assert_eq!(lines[1].cells[1].x, lines[2].cells[1].x);
        assert_eq!(lines[1].cells[2].x, lines[2].cells[2].x);
        assert_eq!(lines[3].cells[1].x, lines[1].cells[1].x);
    }

    #[test]
    fn tabs_split_cells_and_line_breaks_start_lines() {
        let body = r#"<w:p><w:r><w:t>§ 108</w:t></w:r><w:r><w:tab/><w:t>Dnr IFU 2021/452</w:t></w:r></w:p>
            <w:p><w:pPr><w:tabs><w:tab w:val="left" w:pos="2268"/></w:tabs></w:pPr><w:r><w:t>Ordförande</w:t><w:br/><w:t>Sekreterare</w:t></w:r></w:p>"#;
        let doc = read(&docx(body, "", ""));
        let lines = &doc.pages[0].lines;
        assert_eq!(lines[0].cells.iter().map(|c| c.text.as_str()).collect::<Vec<_>>(), vec!["§ 108", "Dnr IFU 2021/452"]);
        assert_eq!(lines[0].cells[1].x, 8.0);
        assert_eq!(texts(&doc)[0][1..], ["Ordförande", "Sekreterare"]);
    }

    #[test]
    fn long_paragraphs_are_broken_into_printed_lines() {
        let sentence = "Nämnden beslutar att godkänna förvaltningens förslag till budget för nästa år. ".repeat(4);
        let doc = read(&docx(&p(&sentence), "", ""));
        let lines = &texts(&doc)[0];
        assert!(lines.len() >= 3 && lines.iter().all(|l| l.chars().count() <= LINE_CHARS), "{lines:?}");
        assert_eq!(lines.join(" "), sentence.trim());
    }

    #[test]
    fn page_breaks_explicit_recorded_and_by_style() {
        let body = format!(
            "{}<w:p><w:r><w:br w:type=\"page\"/></w:r></w:p>{}<w:p><w:r><w:lastRenderedPageBreak/><w:t>Sida tre</w:t></w:r></w:p>\
             <w:p><w:pPr><w:pageBreakBefore/></w:pPr><w:r><w:t>Sida fyra</w:t></w:r></w:p><w:p><w:r><w:t>Också sida fyra</w:t></w:r></w:p>",
            p("Sida ett"),
            p("Sida två"),
        );
        let doc = read(&docx(&body, "", ""));
        assert_eq!(texts(&doc), vec![vec!["Sida ett"], vec!["Sida två"], vec!["Sida tre"], vec!["Sida fyra", "Också sida fyra"]]);
        assert_eq!(doc.pages.iter().map(|p| p.number).collect::<Vec<_>>(), vec![1, 2, 3, 4]);
    }

    #[test]
    fn deleted_hidden_and_drawn_text_is_skipped_inserted_text_kept() {
        let body = r#"<w:p><w:r><w:t xml:space="preserve">Nämnden </w:t></w:r><w:del><w:r><w:delText>avslår</w:delText></w:r></w:del><w:ins><w:r><w:t>bifaller</w:t></w:r></w:ins><w:r><w:rPr><w:vanish/></w:rPr><w:t>dold</w:t></w:r><w:r><w:t xml:space="preserve"> motionen.</w:t></w:r>
            <w:r><w:drawing><w:txbxContent><w:p><w:r><w:t>Textruta</w:t></w:r></w:p></w:txbxContent></w:drawing></w:r>
            <w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText> PAGE </w:instrText></w:r><w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t xml:space="preserve"> Sida 3</w:t></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r></w:p>"#;
        assert_eq!(texts(&read(&docx(body, "", "")))[0], vec!["Nämnden bifaller motionen. Sida 3"]);
    }

    #[test]
    fn headings_and_all_bold_paragraphs_are_bold() {
        let styles = r#"<w:style w:type="paragraph" w:styleId="Rubrik1"><w:name w:val="heading 1"/></w:style>
            <w:style w:type="paragraph" w:styleId="Egen"><w:name w:val="Egen"/><w:basedOn w:val="Rubrik1"/></w:style>"#;
        let body = r#"<w:p><w:pPr><w:pStyle w:val="Egen"/></w:pPr><w:r><w:t>§ 12 Budget</w:t></w:r></w:p>
            <w:p><w:r><w:rPr><w:b/></w:rPr><w:t xml:space="preserve">Beslut </w:t></w:r><w:r><w:rPr><w:b w:val="1"/></w:rPr><w:t>fattas</w:t></w:r></w:p>
            <w:p><w:r><w:rPr><w:b/></w:rPr><w:t xml:space="preserve">Delvis </w:t></w:r><w:r><w:t>fet</w:t></w:r></w:p>
            <w:p><w:r><w:rPr><w:b w:val="0"/></w:rPr><w:t>Inte fet</w:t></w:r></w:p>"#;
        let doc = read(&docx(body, "", styles));
        let bold: Vec<bool> = doc.pages[0].lines.iter().map(|l| l.bold).collect();
        assert_eq!(bold, vec![true, true, false, false]);
    }

    #[test]
    fn the_first_page_header_is_read_once() {
        let document = format!(
            "<w:document {W}><w:body>{}{}<w:sectPr><w:headerReference w:type=\"default\" r:id=\"rId9\"/></w:sectPr></w:body></w:document>",
            p("Protokoll"),
            p("§ 1 Öppnande")
        );
        let rels = r#"<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId9" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/header" Target="header1.xml"/></Relationships>"#;
        let header = format!("<w:hdr {W}>{}</w:hdr>", p("Region Västmark"));
        let bytes = zip_of(
            &[("word/document.xml", &document), ("word/_rels/document.xml.rels", rels), ("word/header1.xml", &header)],
            zip::CompressionMethod::Deflated,
        );
        let doc = read(&bytes);
        assert_eq!(texts(&doc)[0], vec!["Region Västmark", "Protokoll", "§ 1 Öppnande"]);
        let ys: Vec<f32> = doc.pages[0].lines.iter().map(|l| l.y).collect();
        assert!(ys.windows(2).all(|w| w[0] > w[1]), "{ys:?}");
    }

    #[test]
    fn odt_lists_continue_nest_and_number_as_the_style_says() {
        let styles = r#"<text:list-style style:name="L1">
              <text:list-level-style-number text:level="1" style:num-format="1" style:num-suffix="."/>
              <text:list-level-style-number text:level="2" style:num-format="1" loext:num-list-format="%1%.%2%"/>
            </text:list-style>
            <text:list-style style:name="L2"><text:list-level-style-number text:level="1" style:num-format="a" style:num-suffix=")"/></text:list-style>
            <text:list-style style:name="L3"><text:list-level-style-bullet text:level="1" text:bullet-char="•"/></text:list-style>"#;
        let body = r#"<text:list xml:id="a" text:style-name="L1"><text:list-item><text:p>Öppnande</text:p></text:list-item></text:list>
            <text:p>Mötet öppnades.</text:p>
            <text:list text:continue-numbering="true" text:style-name="L1"><text:list-item><text:p>Information</text:p><text:list><text:list-item><text:p>Rapport</text:p></text:list-item></text:list></text:list-item></text:list>
            <text:list text:continue-list="a" text:style-name="L1"><text:list-item><text:list><text:list-item><text:p>Regler</text:p></text:list-item></text:list></text:list-item>
              <text:list-item><text:p>Ekonomi</text:p></text:list-item></text:list>
            <text:list text:style-name="L2"><text:list-item><text:p>Budget</text:p></text:list-item><text:list-item text:start-value="4"><text:p>Jour</text:p></text:list-item></text:list>
            <text:list text:style-name="L3"><text:list-item><text:p>Punkt</text:p></text:list-item></text:list>
            <text:list text:style-name="L1"><text:list-item><text:p>Ny lista</text:p></text:list-item></text:list>"#;
        let doc = read(&odt(styles, body));
        assert_eq!(doc.format, Format::Odt);
        assert_eq!(
            texts(&doc)[0],
            vec!["1. Öppnande", "Mötet öppnades.", "2. Information", "2.1 Rapport", "2.2 Regler", "3. Ekonomi", "a) Budget", "d) Jour", "Punkt", "1. Ny lista"]
        );
    }

    #[test]
    fn odt_tables_tabs_breaks_bold_and_pages() {
        let styles = r#"<style:style style:name="P1" style:family="paragraph"><style:paragraph-properties fo:break-before="page"/></style:style>
            <style:style style:name="T1" style:family="text"><style:text-properties fo:font-weight="bold"/></style:style>"#;
        let body = r#"<text:h text:outline-level="1">Protokoll</text:h>
            <text:p>§ 108<text:tab/>Dnr 2021/452</text:p>
            <text:p><text:span text:style-name="T1">Beslut</text:span></text:p>
            <text:p>Rad ett<text:line-break/>Rad  <text:s text:c="3"/>två</text:p>
            <table:table><table:table-row><table:table-cell><text:p>Anna Berg</text:p></table:table-cell><table:covered-table-cell/><table:table-cell table:number-columns-repeated="2"/><table:table-cell><text:p>X</text:p></table:table-cell></table:table-row>
              <table:table-row><table:table-cell><text:p>Per Holm</text:p></table:table-cell><table:table-cell><text:p>S</text:p></table:table-cell></table:table-row></table:table>
            <text:p>Före<text:soft-page-break/></text:p><text:p>Efter mjuk sidbrytning</text:p>
            <text:p text:style-name="P1">Ny sida</text:p>
            <office:annotation><text:p>En kommentar</text:p></office:annotation>"#;
        let doc = read(&odt(styles, body));
        assert_eq!(
            texts(&doc),
            vec![
                vec!["Protokoll", "§ 108\tDnr 2021/452", "Beslut", "Rad ett", "Rad två", "Anna Berg\tX", "Per Holm\tS", "Före"],
                vec!["Efter mjuk sidbrytning"],
                vec!["Ny sida"],
            ]
        );
        let lines = &doc.pages[0].lines;
        assert!(lines[0].bold && lines[2].bold && !lines[3].bold);
        // "X" stands in the fourth column, right of "S" in the second.
        assert!(lines[5].cells[1].x > lines[6].cells[1].x);
    }

    #[test]
    fn a_zip_bomb_stops_at_the_limit() {
        let spaces = " ".repeat(3 * 1024 * 1024);
        let document = format!("<w:document {W}><w:body><w:p><w:r><w:t>x</w:t></w:r></w:p>{spaces}</w:body></w:document>");
        let bytes = zip_of(&[("word/document.xml", &document)], zip::CompressionMethod::Deflated);
        assert!(bytes.len() < 100_000, "compressed {}", bytes.len());
        let limits = Limits { part_bytes: 1024 * 1024, ..LIMITS };
        let err = extract_with(&bytes, &Options::default(), limits).unwrap_err().to_string();
        assert!(err.contains("dekomprimeringsbomb") && err.contains("1 MiB"), "{err}");
        assert_eq!(err.lines().count(), 1);
        // Under the real limit the same file reads.
        assert!(extract(&bytes, &Options::default()).is_ok());
    }

    #[test]
    fn too_many_entries_too_deep_and_broken_xml_are_refused() {
        let many: Vec<(String, String)> = (0..6).map(|i| (format!("word/media/{i}.png"), String::new())).collect();
        let mut parts: Vec<(&str, &str)> = many.iter().map(|(n, t)| (n.as_str(), t.as_str())).collect();
        let document = format!("<w:document {W}><w:body>{}</w:body></w:document>", p("Text"));
        parts.push(("word/document.xml", &document));
        let bytes = zip_of(&parts, zip::CompressionMethod::Stored);
        let err = extract_with(&bytes, &Options::default(), Limits { entries: 5, ..LIMITS }).unwrap_err().to_string();
        assert!(err.contains("7 delar") && err.contains("gränsen är 5"), "{err}");

        let deep = format!("<w:document {W}><w:body>{}{}</w:body></w:document>", "<w:sdt><w:sdtContent>".repeat(200), "</w:sdtContent></w:sdt>".repeat(200));
        let bytes = zip_of(&[("word/document.xml", &deep)], zip::CompressionMethod::Stored);
        let err = extract(&bytes, &Options::default()).unwrap_err().to_string();
        assert!(err.contains("nästlade djupare än 256"), "{err}");

        let broken = format!("<w:document {W}><w:body><w:p><w:r><w:t>Text</w:r></w:p></w:body></w:document>");
        let bytes = zip_of(&[("word/document.xml", &broken)], zip::CompressionMethod::Stored);
        let err = extract(&bytes, &Options::default()).unwrap_err().to_string();
        assert!(err.starts_with("trasigt Word-dokument (.docx): XML-fel"), "{err}");
        assert_eq!(err.lines().count(), 1);
    }

    #[test]
    fn broken_and_foreign_zips_are_refused_in_one_line() {
        let good = docx(&p("Protokoll"), "", "");
        for cut in [30, good.len() / 2, good.len() - 10] {
            let err = extract_bytes(&good[..cut], "x.docx", &Options::default()).unwrap_err().to_string();
            assert!(err.starts_with("trasigt"), "{cut}: {err}");
            assert_eq!(err.lines().count(), 1);
        }
        let other = zip_of(&[("bild.png", "inte text")], zip::CompressionMethod::Stored);
        let err = extract_bytes(&other, "x.docx", &Options::default()).unwrap_err().to_string();
        assert_eq!(err, "inte ett protokoll: ZIP-arkiv (packa upp det och läs filerna i det)");
        let rels = r#"<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"#;
        let workbook =
            zip_of(&[("[Content_Types].xml", "<Types/>"), ("_rels/.rels", rels), ("xl/workbook.xml", "<workbook/>")], zip::CompressionMethod::Stored);
        let err = extract_bytes(&workbook, "budget.xlsx", &Options::default()).unwrap_err().to_string();
        assert_eq!(err, "inte ett protokoll: Excel-arbetsbok (.xlsx)");
        let sheet = zip_of(&[("mimetype", "application/vnd.oasis.opendocument.spreadsheet"), ("content.xml", "<x/>")], zip::CompressionMethod::Stored);
        assert!(extract_bytes(&sheet, "x.ods", &Options::default()).unwrap_err().to_string().contains("OpenDocument-fil som inte är text"));
        let err = extract_bytes(&good, "protokoll.pdf", &Options::default()).unwrap_err().to_string();
        assert_eq!(err, "inte en PDF: Word-dokument (.docx)");
        let err = extract_bytes(&other, "protokoll.pdf", &Options::default()).unwrap_err().to_string();
        assert_eq!(err, "inte en PDF: ZIP-arkiv (packa upp det och läs filerna i det)");
    }

    #[test]
    fn old_word_files_and_protected_ones_are_refused() {
        let mut doc = OLE2_MAGIC.to_vec();
        doc.extend(std::iter::repeat_n(0u8, 504));
        doc.extend("WordDocument".encode_utf16().flat_map(u16::to_le_bytes));
        let err = extract_bytes(&doc, "protokoll.doc", &Options::default()).unwrap_err();
        assert!(matches!(err, ExtractError::OldWord));
        assert_eq!(err.to_string(), "gammalt Word-format (.doc) kan inte läsas: spara filen som .docx, .odt eller PDF");
        // Named .docx, the content still decides.
        assert!(matches!(extract_bytes(&doc, "protokoll.docx", &Options::default()).unwrap_err(), ExtractError::OldWord));

        let mut protected = OLE2_MAGIC.to_vec();
        protected.extend(std::iter::repeat_n(0u8, 504));
        protected.extend("EncryptedPackage".encode_utf16().flat_map(u16::to_le_bytes));
        let err = extract_bytes(&protected, "protokoll.docx", &Options::default()).unwrap_err();
        assert!(matches!(err, ExtractError::ProtectedWord), "{err}");
    }

    #[test]
    fn numbers_in_their_formats() {
        assert_eq!(word_number(4, "upperRoman"), "IV");
        assert_eq!(word_number(27, "lowerLetter"), "aa");
        assert_eq!(word_number(28, "lowerLetter"), "bb");
        assert_eq!(odf_number(28, "a"), "ab");
        assert_eq!(word_number(7, "decimalZero"), "07");
        assert_eq!(word_number(0, "lowerLetter"), "0");
        assert_eq!(odf_number(1999, "i"), "mcmxcix");
    }
}
