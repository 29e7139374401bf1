//! Extraction: the first stage. Turns a file (PDF, HTML page, plain text, scanned PDF,
//! Word or OpenDocument text) into pages of text lines made of cells, in reading order.
//!
//! The format is sniffed from the bytes, not trusted from the file name: an HTML error
//! page saved as `.pdf` is refused as such, and so is a zip archive, a compressed file or
//! an image whatever its name. Text is decoded by its byte-order mark first, then by what
//! the file declares, unless the bytes contradict the declaration.
//!
//! Every input is bounded in time and memory: only regular files are read, at most
//! [`MAX_FILE_BYTES`] of them (text and HTML [`MAX_TEXT_BYTES`]); each file has one
//! time limit ([`Options::time_limit`]) that covers OCR and the programs it runs; and
//! every document is cut to the bounds of [`limits`] (characters, line length,
//! warnings). A document over a bound keeps what was read, with a warning saying what
//! was left out. Every limit is a named constant of the module that enforces it. This
//! stage knows nothing about meetings: it neither removes page furniture nor recognises
//! headings; see [`crate::parse`].
//!
//! ```no_run
//! let doc = protokoll::extract::extract_path("corpus/pdf/socsam-2021-10-08.pdf".as_ref(), &Default::default())?;
//! print!("{}", doc.text());
//! # Ok::<(), protokoll::extract::ExtractError>(())
//! ```

pub mod charset;
pub mod html;
pub mod limits;
pub mod ocr;
pub mod pdf;
pub mod table;
pub mod text;
pub mod word;

use std::path::Path;
use std::time::Duration;

pub use self::limits::{MAX_FILE_BYTES, read_file};
use crate::model::Format;

/// Default time allowed for one file, everything included: its text layer, OCR, and the
/// programs OCR runs (pdftoppm and tesseract are stopped at the deadline). A text-layer
/// PDF of 100 pages takes about a second; tesseract reads about a page per second and
/// core, so a long scan needs a longer limit ([`Options::time_limit`]).
pub const DEFAULT_TIME_LIMIT: Duration = Duration::from_secs(20);

/// Most bytes of a text file or HTML page read. A protocol's text is well under 1 MB and
/// a portal page under 2 MB; the rest of a larger file is left out, with a warning.
pub const MAX_TEXT_BYTES: usize = 16 * 1024 * 1024;

/// A run of text on a line, separated from its neighbours by a wide gap (a table column,
/// a date set off to the right).
#[derive(Debug, Clone, PartialEq)]
pub struct Cell {
    /// Left and right edges, in points (PDF, OCR) or character columns (text files).
    pub x: f32,
    pub x_end: f32,
    pub text: String,
    /// Width of the first word, for telling a wrapped cell from a new row.
    pub first_word_width: f32,
}

/// One line of text: its cells left to right.
#[derive(Debug, Clone, PartialEq)]
pub struct Line {
    pub cells: Vec<Cell>,
    /// Baseline, measured upwards from the bottom of the page (PDF) or, for formats
    /// without geometry, minus the line number, so that lines always descend.
    pub y: f32,
    /// Baseline of the last physical line, when wrapped table cells were joined into
    /// this one; otherwise `y`.
    pub bottom: f32,
    /// Font size in points; 1 for formats without geometry.
    pub size: f32,
    /// Most of the line is set in a bold font, or is an HTML heading.
    pub bold: bool,
}

impl Line {
    /// The line's text, cells separated by a tab.
    pub fn text(&self) -> String {
        let mut out = String::new();
        for (i, c) in self.cells.iter().enumerate() {
            if i > 0 {
                out.push('\t');
            }
            out.push_str(&c.text);
        }
        out
    }

    /// A line without geometry: one cell.
    pub fn plain(text: impl Into<String>, index: usize, bold: bool) -> Line {
        let text = text.into();
        let n = text.chars().count() as f32;
        let first = text.split_whitespace().next().map_or(0, |w| w.chars().count()) as f32;
        let y = -(index as f32);
        Line { cells: vec![Cell { x: 0.0, x_end: n, text, first_word_width: first }], y, bottom: y, size: 1.0, bold }
    }
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Page {
    /// 1-based page number.
    pub number: u32,
    pub lines: Vec<Line>,
    /// Page width in the unit of the cells (points for PDF), for rendering columns.
    pub width: f32,
}

/// Facts about the document that its markup states outright (HTML `<title>`, `<time>`).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Hints {
    pub title: Option<String>,
    /// `datetime` attributes of `<time>` elements, in document order.
    pub dates: Vec<String>,
}

/// The text of one document.
#[derive(Debug, Clone, PartialEq)]
pub struct Extracted {
    pub format: Format,
    pub pages: Vec<Page>,
    /// Some page went through OCR.
    pub ocr: bool,
    pub hints: Hints,
    /// Things a user should know: recovered damage, pages skipped.
    pub warnings: Vec<String>,
    /// Personnummer and samordningsnummer masked in the text ([`crate::privacy`]).
    pub masked: usize,
}

impl Extracted {
    /// Masks every personnummer and samordningsnummer in the text and the hints, and
    /// says how many there were in a warning.
    pub fn mask_personal_numbers(&mut self) {
        let mut n = 0;
        for cell in self.pages.iter_mut().flat_map(|p| &mut p.lines).flat_map(|l| &mut l.cells) {
            n += crate::privacy::mask_in_place(&mut cell.text);
        }
        if let Some(t) = &mut self.hints.title {
            n += crate::privacy::mask_in_place(t);
        }
        if n > 0 {
            self.warnings.push(if n == 1 { "1 personnummer maskerat".to_string() } else { format!("{n} personnummer maskerade") });
        }
        self.masked += n;
    }

    /// The text as `protokoll extract` prints it: lines in reading order, cells set
    /// apart by at least two spaces at about their horizontal position, pages ended by a
    /// form feed, as `pdftotext -layout` does.
    pub fn text(&self) -> String {
        let mut out = String::new();
        for page in &self.pages {
            render_page(page, &mut out);
            out.push('\x0c');
        }
        out
    }
}

/// Characters per point when positioning cells: the average advance of text at 10pt.
const RENDER_CHAR_WIDTH_OF_FONT_SIZE: f32 = 0.5;

/// A vertical gap larger than this many font sizes is printed as an empty line.
const BLANK_LINE_GAP_OF_FONT_SIZE: f32 = 1.9;

fn render_page(page: &Page, out: &mut String) {
    let left = page.lines.iter().flat_map(|l| l.cells.first()).map(|c| c.x).fold(f32::INFINITY, f32::min);
    let mut sizes: Vec<f32> = page.lines.iter().map(|l| l.size).collect();
    sizes.sort_by(f32::total_cmp);
    let size = sizes.get(sizes.len() / 2).copied().unwrap_or(1.0);
    let char_width = (RENDER_CHAR_WIDTH_OF_FONT_SIZE * size).max(f32::EPSILON);
    let mut prev: Option<&Line> = None;
    for line in &page.lines {
        if let Some(p) = prev
            && p.bottom - line.y > BLANK_LINE_GAP_OF_FONT_SIZE * p.size.max(line.size)
        {
            out.push('\n');
        }
        let mut col = 0usize;
        for (i, cell) in line.cells.iter().enumerate() {
            let target = ((cell.x - left) / char_width).round().max(0.0) as usize;
            let pad = if i == 0 { target } else { target.saturating_sub(col).max(2) };
            out.extend(std::iter::repeat_n(' ', pad.min(400)));
            out.push_str(&cell.text);
            col += pad.min(400) + cell.text.chars().count();
        }
        out.push('\n');
        prev = Some(line);
    }
}

/// Options for extraction.
#[derive(Debug, Clone)]
pub struct Options {
    /// Time allowed for one file, OCR included. Pages not read by then are left out,
    /// with a warning that says how many were read.
    pub time_limit: Duration,
    /// Run OCR on pages without a usable text layer.
    pub ocr: bool,
    /// Told of each page OCR has read, for a long scan's progress.
    pub ocr_progress: Option<OcrProgress>,
    /// Keep personnummer as the file has them: for `protokoll extract --raw` only.
    pub raw: bool,
}

impl Default for Options {
    fn default() -> Self {
        Options { time_limit: DEFAULT_TIME_LIMIT, ocr: true, ocr_progress: None, raw: false }
    }
}

/// A callback told, from any thread, that OCR has read one more page: it gets the page's
/// number and the document's page count. Pages are read in parallel, so numbers come in
/// any order.
#[derive(Clone)]
pub struct OcrProgress(pub std::sync::Arc<dyn Fn(u32, usize) + Send + Sync>);

impl std::fmt::Debug for OcrProgress {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("OcrProgress")
    }
}

/// Why a file was refused. Each message is one line a user can act on.
#[derive(Debug, thiserror::Error)]
pub enum ExtractError {
    #[error("kan inte läsa filen: {}", crate::text::io_error(.0))]
    Io(#[from] std::io::Error),
    #[error("inte en vanlig fil: {0}")]
    NotRegularFile(&'static str),
    #[error("tom fil")]
    Empty,
    #[error("för stor fil ({0} byte; gränsen är {MAX_FILE_BYTES})")]
    TooLarge(u64),
    #[error("lösenordsskyddad PDF: kan inte öppnas utan lösenord")]
    PasswordProtected,
    #[error("inte en PDF: {0}")]
    NotPdf(String),
    #[error("inte en HTML-sida: {0}")]
    NotHtml(String),
    #[error("okänt filformat: {0}")]
    UnknownFormat(String),
    /// A format recognised from its content that holds no protocol text (an archive, a
    /// compressed file, an image).
    #[error("inte ett protokoll: {0}")]
    NotAProtocol(String),
    #[error("trasig PDF: {0}")]
    BrokenPdf(String),
    #[error("ingen text: {0}")]
    NoText(String),
    #[error("tidsgränsen på {0} s överskreds")]
    TimedOut(u64),
    #[error("gammalt Word-format (.doc) kan inte läsas: spara filen som .docx, .odt eller PDF")]
    OldWord,
    #[error("lösenordsskyddat Word-dokument: kan inte öppnas utan lösenord")]
    ProtectedWord,
    #[error("trasigt {format}: {reason}")]
    BrokenWord { format: &'static str, reason: String },
}

/// What the bytes of a file say it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sniffed {
    Pdf,
    Html,
    Text,
    /// A zip archive: a `.docx` or `.odt`, or something else packed.
    Zip,
    /// An OLE2 compound file: an old `.doc` (or `.xls`), or a password-protected `.docx`.
    CompoundFile,
    /// A known format that holds no protocol text, by its name in messages.
    Other(&'static str),
    Binary,
}

/// Signatures at the start of a file of formats that hold no protocol text.
const SIGNATURES: &[(&[u8], &str)] = &[
    (b"\x1f\x8b", "gzip-komprimerad fil"),
    (b"BZh", "bzip2-komprimerad fil"),
    (b"\xfd7zXZ\x00", "xz-komprimerad fil"),
    (b"\x28\xb5\x2f\xfd", "zstd-komprimerad fil"),
    (b"7z\xbc\xaf\x27\x1c", "7z-arkiv"),
    (b"Rar!\x1a\x07", "RAR-arkiv"),
    (b"\x89PNG\r\n\x1a\n", "PNG-bild"),
    (b"\xff\xd8\xff", "JPEG-bild"),
    (b"GIF87a", "GIF-bild"),
    (b"GIF89a", "GIF-bild"),
    (b"II*\x00", "TIFF-bild"),
    (b"MM\x00*", "TIFF-bild"),
    (b"\x00\x00\x00\x0cjP  \r\n\x87\n", "JPEG 2000-bild"),
    (b"AT&TFORM", "DjVu-dokument"),
    (b"ID3", "MP3-ljud"),
    (b"OggS", "Ogg-ljud eller -video"),
    (b"fLaC", "FLAC-ljud"),
    (b"\x1a\x45\xdf\xa3", "Matroska- eller WebM-video"),
    (b"\x7fELF", "program (ELF)"),
    (b"SQLite format 3\x00", "SQLite-databas"),
    (b"{\\rtf", "RTF-dokument (spara det som .docx, .odt eller PDF)"),
    (b"%!PS", "PostScript-fil"),
];

/// Formats named by a RIFF container's form type.
const RIFF_FORMS: &[(&[u8], &str)] = &[(b"WEBP", "WebP-bild"), (b"WAVE", "WAV-ljud"), (b"AVI ", "AVI-video")];

/// Brands of an ISO media file (`ftyp`) that are still images.
const HEIF_BRANDS: &[&[u8]] = &[b"heic", b"heix", b"mif1", b"avif"];

/// Weak signatures, trusted only when the bytes are not text ("BM…" and "MZ…" also
/// start words).
const BINARY_SIGNATURES: &[(&[u8], &str)] = &[(b"BM", "BMP-bild"), (b"MZ", "Windows-program (EXE eller DLL)")];

/// How far into a file a PDF reader looks for `%PDF-`.
const PDF_HEADER_WINDOW: usize = 1024;

/// How much a file's start is read to tell HTML from text.
const SNIFF_BYTES: usize = 1024;

/// The zip archive's end record: its signature, its size without the comment, and the
/// longest comment.
const ZIP_END_SIGNATURE: &[u8] = b"PK\x05\x06";
const ZIP_END_BYTES: usize = 22;
const ZIP_MAX_COMMENT: usize = 0xffff;

/// What an image is told after its format's name.
const IMAGE_HINT: &str = "bilder läses inte; en skannad sida läses när den ligger i en PDF";

/// The name of a format that holds no protocol text, from its signature.
fn other_format(bytes: &[u8]) -> Option<&'static str> {
    if let Some(&(_, name)) = SIGNATURES.iter().find(|(sig, _)| bytes.starts_with(sig)) {
        return Some(name);
    }
    if bytes.starts_with(b"RIFF")
        && let Some(&(_, name)) = RIFF_FORMS.iter().find(|(form, _)| bytes.get(8..12) == Some(*form))
    {
        return Some(name);
    }
    if bytes.get(4..8) == Some(b"ftyp") {
        let brand = bytes.get(8..12).unwrap_or_default();
        return Some(if HEIF_BRANDS.contains(&brand) { "HEIF-bild" } else { "MP4-video eller -ljud" });
    }
    if bytes.get(257..262) == Some(b"ustar") {
        return Some("tar-arkiv");
    }
    None
}

/// Whether the bytes end in a zip archive's end record (an archive with something
/// before it, as a self-extracting one has): the record's comment must reach exactly to
/// the end of the file.
fn ends_as_zip(bytes: &[u8]) -> bool {
    let Some(last) = bytes.len().checked_sub(ZIP_END_BYTES) else { return false };
    let first = last.saturating_sub(ZIP_MAX_COMMENT);
    (first..=last).rev().any(|at| {
        bytes[at..].starts_with(ZIP_END_SIGNATURE) && {
            let comment = u16::from_le_bytes([bytes[at + 20], bytes[at + 21]]) as usize;
            at + ZIP_END_BYTES + comment == bytes.len()
        }
    })
}

/// Sniffs the format from content: a byte-order mark (text or HTML in UTF-16 or
/// UTF-8), a zip or OLE2 signature, `%PDF-` at the start, the signature of an archive,
/// image or other format that holds no protocol, a zip archive's end record, `%PDF-`
/// near the start, HTML markup, readable text, or binary data.
pub fn sniff(bytes: &[u8]) -> Sniffed {
    let head = &bytes[..bytes.len().min(SNIFF_BYTES)];
    if let Some((encoding, _)) = encoding_rs::Encoding::for_bom(head) {
        let (text, _) = encoding.decode_with_bom_removal(head);
        return if looks_like_markup(text.as_bytes()) { Sniffed::Html } else { Sniffed::Text };
    }
    if bytes.starts_with(b"PK\x03\x04") || bytes.starts_with(b"PK\x05\x06") || bytes.starts_with(b"PK\x07\x08PK") || bytes.starts_with(b"PK00PK") {
        return Sniffed::Zip;
    }
    if bytes.starts_with(word::OLE2_MAGIC) {
        return Sniffed::CompoundFile;
    }
    if bytes.starts_with(b"%PDF-") {
        return Sniffed::Pdf;
    }
    if let Some(name) = other_format(bytes) {
        return Sniffed::Other(name);
    }
    if ends_as_zip(bytes) {
        return Sniffed::Zip;
    }
    if bytes[..bytes.len().min(PDF_HEADER_WINDOW)].windows(5).any(|w| w == b"%PDF-") {
        return Sniffed::Pdf;
    }
    if looks_like_markup(head) {
        return Sniffed::Html;
    }
    if text::looks_like_text(head) {
        return Sniffed::Text;
    }
    match BINARY_SIGNATURES.iter().find(|(sig, _)| bytes.starts_with(sig)) {
        Some(&(_, name)) => Sniffed::Other(name),
        None => Sniffed::Binary,
    }
}

/// Whether text (without a byte-order mark) starts with HTML markup.
fn looks_like_markup(head: &[u8]) -> bool {
    let lower: Vec<u8> = head.iter().take(512).map(u8::to_ascii_lowercase).collect();
    let trimmed = lower.strip_prefix(b"\xef\xbb\xbf").unwrap_or(&lower);
    let start = trimmed.iter().position(|b| !b.is_ascii_whitespace()).unwrap_or(0);
    let trimmed = &trimmed[start..];
    let markup = [&b"<!doctype html"[..], b"<html", b"<head", b"<body", b"<!--", b"<meta", b"<title", b"<?xml"];
    markup.iter().any(|m| trimmed.starts_with(m))
}

/// The refusal of a format that holds no protocol text.
fn not_a_protocol(name: &str) -> String {
    if name.ends_with("-bild") { format!("{name} ({IMAGE_HINT})") } else { name.to_string() }
}

fn html_title(bytes: &[u8]) -> String {
    let text = text::decode(&bytes[..bytes.len().min(4096)]);
    let lower = text.to_lowercase();
    let title = lower.find("<title>").and_then(|s| {
        let rest = text.get(s + 7..)?;
        rest.find('<').map(|e| rest[..e].trim().to_string())
    });
    let body = || {
        let stripped: String = regex::Regex::new(r"<[^>]*>").map(|re| re.replace_all(&text, " ").into_owned()).unwrap_or_default();
        stripped.split_whitespace().take(8).collect::<Vec<_>>().join(" ")
    };
    // The page's own words, in whatever language: quoted, so they are not taken for ours.
    match title.filter(|t| !t.is_empty()) {
        Some(t) => format!("HTML-sida med rubriken \"{t}\""),
        None => {
            let b = body();
            if b.is_empty() { "HTML-sida".to_string() } else { format!("HTML-sida som börjar \"{b}\"") }
        }
    }
}

/// A text file or HTML page cut to [`MAX_TEXT_BYTES`], at a line break near the end
/// where there is one (on a UTF-16 character's boundary), with the warning that says so.
fn cut_text(bytes: &[u8]) -> (&[u8], Option<String>) {
    if bytes.len() <= MAX_TEXT_BYTES {
        return (bytes, None);
    }
    let window = &bytes[MAX_TEXT_BYTES - MAX_TEXT_BYTES / 16..MAX_TEXT_BYTES];
    let mut end = window.iter().rposition(|&b| b == b'\n').map_or(MAX_TEXT_BYTES, |i| MAX_TEXT_BYTES - window.len() + i + 1);
    if matches!(encoding_rs::Encoding::for_bom(bytes), Some((e, _)) if e != encoding_rs::UTF_8) {
        end &= !1;
    }
    let warning = format!("filen är större än {} MiB: bara de första {} MiB lästes", MAX_TEXT_BYTES >> 20, MAX_TEXT_BYTES >> 20);
    (&bytes[..end], Some(warning))
}

/// Extracts a document held in memory. `name` (the file name) only decides between
/// formats the content cannot tell apart, and a file named `.pdf` must be a PDF.
/// Personnummer are masked unless `options.raw` says otherwise.
pub fn extract_bytes(bytes: &[u8], name: &str, options: &Options) -> Result<Extracted, ExtractError> {
    let mut doc = extract_format(bytes, name, options)?;
    if !options.raw {
        doc.mask_personal_numbers();
    }
    Ok(doc)
}

fn extract_format(bytes: &[u8], name: &str, options: &Options) -> Result<Extracted, ExtractError> {
    if bytes.is_empty() {
        return Err(ExtractError::Empty);
    }
    let ext = Path::new(name).extension().map(|e| e.to_string_lossy().to_ascii_lowercase()).unwrap_or_default();
    let sniffed = sniff(bytes);
    let mut doc = match (sniffed, ext.as_str()) {
        (Sniffed::Pdf, _) => pdf::extract(bytes, options),
        (Sniffed::Html, "pdf") => Err(ExtractError::NotPdf(html_title(bytes))),
        (Sniffed::Zip, "pdf") => Err(ExtractError::NotPdf(word::describe_zip(bytes))),
        (Sniffed::CompoundFile, "pdf") => Err(ExtractError::NotPdf("gammalt Office-dokument (OLE2, t.ex. .doc)".into())),
        (Sniffed::Other(what), "pdf") => Err(ExtractError::NotPdf(what.into())),
        (_, "pdf") => Err(ExtractError::NotPdf(if sniffed == Sniffed::Text { "textfil".into() } else { "binärdata".into() })),
        (Sniffed::Zip, _) => word::extract(bytes, options),
        (Sniffed::CompoundFile, _) => Err(word::refuse_compound_file(bytes)),
        (Sniffed::Other(what), _) => Err(ExtractError::NotAProtocol(not_a_protocol(what))),
        (Sniffed::Binary, "html" | "htm") => Err(ExtractError::NotHtml("binärdata".into())),
        (Sniffed::Binary, _) => Err(ExtractError::UnknownFormat("binärdata".into())),
        (Sniffed::Html | Sniffed::Text, _) => {
            let (text, cut) = cut_text(bytes);
            let html = sniffed == Sniffed::Html || matches!(ext.as_str(), "html" | "htm");
            let mut doc = if html { html::extract(text)? } else { text::extract(text) };
            if let Some(cut) = cut {
                doc.warnings.insert(0, cut);
            }
            Ok(doc)
        }
    }?;
    limits::bound_document(&mut doc);
    Ok(doc)
}

/// Reads and extracts a file: a regular file only, of bounded size ([`read_file`]).
pub fn extract_path(path: &Path, options: &Options) -> Result<Extracted, ExtractError> {
    let bytes = read_file(path)?;
    let name = path.file_name().map(|n| n.to_string_lossy()).unwrap_or_default();
    extract_bytes(&bytes, &name, options)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sniffing_trusts_content_over_names() {
        assert_eq!(sniff(b"%PDF-1.7\n"), Sniffed::Pdf);
        assert_eq!(sniff(b"\n<html><body>404 Not Found</body></html>"), Sniffed::Html);
        assert_eq!(sniff("Protokoll §1 Mötets öppnande".as_bytes()), Sniffed::Text);
        assert_eq!(sniff(&[0xb2, 0x2a, 0x13, 0xe1, 0x00, 0x8c, 0xf9, 0x0e, 0x01, 0x02]), Sniffed::Binary);
        assert_eq!(sniff(b"PK\x03\x04\x14\x00\x06\x00"), Sniffed::Zip);
        assert_eq!(sniff(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1\x00\x00"), Sniffed::CompoundFile);
    }

    #[test]
    fn an_old_word_file_is_refused_whatever_its_name() {
        let doc = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1\x00\x00\x00\x00";
        for name in ["protokoll.doc", "protokoll.docx", "protokoll"] {
            let err = extract_bytes(doc, name, &Options::default()).unwrap_err();
            assert_eq!(err.to_string(), "gammalt Word-format (.doc) kan inte läsas: spara filen som .docx, .odt eller PDF", "{name}");
        }
        let err = extract_bytes(doc, "protokoll.pdf", &Options::default()).unwrap_err();
        assert_eq!(err.to_string(), "inte en PDF: gammalt Office-dokument (OLE2, t.ex. .doc)");
    }

    #[test]
    fn an_html_page_named_pdf_is_refused_with_its_title() {
        let err = extract_bytes(b"<html><body>404 Not Found</body></html>", "x.pdf", &Options::default()).unwrap_err();
        assert_eq!(err.to_string(), "inte en PDF: HTML-sida som börjar \"404 Not Found\"");
    }

    #[test]
    fn rendering_sets_cells_apart() {
        let page = Page {
            number: 1,
            width: 595.0,
            lines: vec![Line {
                y: 700.0,
                bottom: 700.0,
                size: 10.0,
                bold: false,
                cells: vec![
                    Cell { x: 65.0, x_end: 100.0, text: "Protokoll".into(), first_word_width: 35.0 },
                    Cell { x: 273.0, x_end: 320.0, text: "2022-06-03".into(), first_word_width: 47.0 },
                ],
            }],
        };
        let mut s = String::new();
        render_page(&page, &mut s);
        assert!(s.starts_with("Protokoll  "), "{s:?}");
        assert!(s.trim_end().ends_with("2022-06-03"));
    }
}
