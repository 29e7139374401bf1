//! Extraction: the first stage. Turns a file (PDF, HTML page, plain text, scanned PDF,
//! Word or OpenDocument text) into pages of text lines made of cells, in reading order.
//!
//! The format is sniffed from the bytes, not trusted from the file name: an HTML error
//! page saved as `.pdf` is refused as such. Every limit that protects memory and time is
//! a named constant of the module that enforces it. This stage knows nothing about
//! meetings: it neither removes page furniture nor recognises headings; see
//! [`crate::parse`].
//!
//! ```no_run
//! let doc = protokoll::extract::extract_path("corpus/pdf/socsam-2021-10-08.pdf".as_ref(), &Default::default())?;
//! print!("{}", doc.text());
//! # Ok::<(), protokoll::extract::ExtractError>(())
//! ```

pub mod html;
pub mod ocr;
pub mod pdf;
pub mod table;
pub mod text;
pub mod word;

use std::path::Path;
use std::time::Duration;

use crate::model::Format;

/// Largest file read. Real protocols are a few MB; scanned archives rarely pass 100 MB.
pub const MAX_FILE_BYTES: u64 = 200 * 1024 * 1024;

/// Default time allowed for reading one file's text layer (OCR has its own limit per
/// page, [`ocr::OCR_PAGE_TIME_LIMIT`]).
pub const DEFAULT_TIME_LIMIT: Duration = Duration::from_secs(20);

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
    /// Time allowed for one file's text layer.
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
    #[error("kan inte läsa filen: {0}")]
    Io(#[from] std::io::Error),
    #[error("tom fil")]
    Empty,
    #[error("för stor fil ({0} byte; gränsen är {MAX_FILE_BYTES})")]
    TooLarge(u64),
    #[error("lösenordsskyddad PDF (password protected): kan inte öppnas utan lösenord")]
    PasswordProtected,
    #[error("inte en PDF: {0}")]
    NotPdf(String),
    #[error("inte en HTML-sida: {0}")]
    NotHtml(String),
    #[error("okänt filformat: {0}")]
    UnknownFormat(String),
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

/// What the first bytes of a file say it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sniffed {
    Pdf,
    Html,
    Text,
    /// A zip archive: a `.docx` or `.odt`, or something else packed.
    Zip,
    /// An OLE2 compound file: an old `.doc` (or `.xls`), or a password-protected `.docx`.
    CompoundFile,
    Binary,
}

/// Sniffs the format from content: a zip or OLE2 signature at the start, `%PDF-` near
/// the start, HTML markup, readable text, or binary data.
pub fn sniff(bytes: &[u8]) -> Sniffed {
    if bytes.starts_with(b"PK\x03\x04") || bytes.starts_with(b"PK\x05\x06") {
        return Sniffed::Zip;
    }
    if bytes.starts_with(word::OLE2_MAGIC) {
        return Sniffed::CompoundFile;
    }
    let head = &bytes[..bytes.len().min(1024)];
    if head.windows(5).any(|w| w == b"%PDF-") {
        return Sniffed::Pdf;
    }
    let lower: Vec<u8> = head.iter().take(512).map(u8::to_ascii_lowercase).collect();
    let trimmed = lower.strip_prefix(b"\xef\xbb\xbf").unwrap_or(&lower);
    let start = trimmed.iter().position(|b| !b.is_ascii_whitespace()).unwrap_or(0);
    let trimmed = &trimmed[start..];
    let markup = [&b"<!doctype html"[..], b"<html", b"<head", b"<body", b"<!--", b"<meta", b"<title", b"<?xml"];
    if markup.iter().any(|m| trimmed.starts_with(m)) {
        return Sniffed::Html;
    }
    if text::looks_like_text(head) { Sniffed::Text } else { Sniffed::Binary }
}

fn html_title(bytes: &[u8]) -> String {
    let text = String::from_utf8_lossy(&bytes[..bytes.len().min(4096)]);
    let lower = text.to_lowercase();
    let title = lower.find("<title>").and_then(|s| {
        let rest = &text[s + 7..];
        rest.find('<').map(|e| rest[..e].trim().to_string())
    });
    let body = || {
        let stripped: String = regex::Regex::new(r"<[^>]*>").map(|re| re.replace_all(&text, " ").into_owned()).unwrap_or_default();
        stripped.split_whitespace().take(8).collect::<Vec<_>>().join(" ")
    };
    match title.filter(|t| !t.is_empty()) {
        Some(t) => format!("HTML-sida ({t})"),
        None => {
            let b = body();
            if b.is_empty() { "HTML-sida".to_string() } else { format!("HTML-sida ({b})") }
        }
    }
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
    let ext = Path::new(name).extension().and_then(|e| e.to_str()).unwrap_or("").to_ascii_lowercase();
    let sniffed = sniff(bytes);
    match (sniffed, ext.as_str()) {
        (Sniffed::Pdf, _) => pdf::extract(bytes, options),
        (Sniffed::Html, "pdf") => Err(ExtractError::NotPdf(html_title(bytes))),
        (Sniffed::Zip, "pdf") => Err(ExtractError::NotPdf(word::describe_zip(bytes))),
        (Sniffed::CompoundFile, "pdf") => Err(ExtractError::NotPdf("gammalt Office-dokument (OLE2, t.ex. .doc)".into())),
        (_, "pdf") => Err(ExtractError::NotPdf(if sniffed == Sniffed::Text { "textfil".into() } else { "binärdata".into() })),
        (Sniffed::Zip, _) => word::extract(bytes, options),
        (Sniffed::CompoundFile, _) => Err(word::refuse_compound_file(bytes)),
        (Sniffed::Html, _) => html::extract(bytes),
        (Sniffed::Binary, "html" | "htm") => Err(ExtractError::NotHtml("binärdata".into())),
        (Sniffed::Binary, _) => Err(ExtractError::UnknownFormat("binärdata".into())),
        (Sniffed::Text, "html" | "htm") => html::extract(bytes),
        (Sniffed::Text, _) => Ok(text::extract(bytes)),
    }
}

/// Reads and extracts a file.
pub fn extract_path(path: &Path, options: &Options) -> Result<Extracted, ExtractError> {
    let len = std::fs::metadata(path)?.len();
    if len > MAX_FILE_BYTES {
        return Err(ExtractError::TooLarge(len));
    }
    let bytes = std::fs::read(path)?;
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
    extract_bytes(&bytes, name, options)
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
        assert_eq!(err.to_string(), "inte en PDF: HTML-sida (404 Not Found)");
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
