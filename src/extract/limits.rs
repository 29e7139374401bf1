//! Bounds that every format shares, so that no input can take unbounded memory or make a
//! later stage slow: which files are read at all (regular files only, at most
//! [`MAX_FILE_BYTES`], read with a bound whatever the metadata says), and what one
//! extracted document may hold (characters, line length, warnings). A document over a
//! bound keeps what fits, with a warning that says what was left out.
//!
//! The bounds of one format (pages of a PDF, elements of an HTML page, parts of a zip
//! archive) live in that format's module; the time limit is [`super::Options`]'.

use std::collections::HashMap;
use std::fs::Metadata;
use std::io::Read;
use std::path::Path;

use super::{Cell, ExtractError, Extracted, Line};

/// Largest file read. Real protocols are a few MB; scanned archives rarely pass 100 MB.
pub const MAX_FILE_BYTES: u64 = 200 * 1024 * 1024;

/// Most pages read from one document. A protocol has a few dozen; a year's bound volume
/// a few thousand. Finding page furniture compares pages with each other, so this also
/// bounds the time parsing takes.
pub const MAX_PAGES: usize = 5_000;

/// Most characters kept from one document: about 1,300 dense pages, where a protocol
/// rarely has 100. Beyond it the document is cut, with a warning. Parsing and indexing
/// take memory in proportion to the text, so this bounds them too.
pub const MAX_DOCUMENT_CHARS: usize = 4_000_000;

/// Longest line kept whole, in characters. A printed line holds about 100; a page whose
/// line breaks were lost (LAYOUTS §7) a few thousand. A longer line is broken at spaces
/// into lines of at most this length, so that no later rule works on megabytes at once.
pub const MAX_LINE_CHARS: usize = 20_000;

/// Most warnings kept for one document. Each warning is one kind of problem (repeats are
/// counted, not listed), so a real document has a handful.
pub const MAX_WARNINGS: usize = 32;

/// What kind of file a path is, when it is not a regular file.
fn not_regular(meta: &Metadata) -> Option<&'static str> {
    let kind = meta.file_type();
    if kind.is_file() {
        return None;
    }
    if kind.is_dir() {
        return Some("en mapp");
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if kind.is_fifo() {
            return Some("en namngiven pipe (FIFO)");
        }
        if kind.is_char_device() || kind.is_block_device() {
            return Some("en enhetsfil");
        }
        if kind.is_socket() {
            return Some("ett uttag (socket)");
        }
    }
    Some("varken fil eller mapp")
}

/// Opens a file for reading without waiting for a writer: a FIFO put in the place of a
/// checked file between the check and the open must not block.
fn open(path: &Path) -> std::io::Result<std::fs::File> {
    let mut options = std::fs::OpenOptions::new();
    options.read(true);
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.custom_flags(libc::O_NONBLOCK);
    }
    options.open(path)
}

/// Reads a file for extraction: only a regular file (a FIFO would block, a device never
/// end), refused when it is larger than [`MAX_FILE_BYTES`], and never more than that
/// many bytes read whatever its metadata says (a file in `/proc`, one that grows).
pub fn read_file(path: &Path) -> Result<Vec<u8>, ExtractError> {
    let meta = std::fs::metadata(path)?;
    if let Some(kind) = not_regular(&meta) {
        return Err(ExtractError::NotRegularFile(kind));
    }
    if meta.len() > MAX_FILE_BYTES {
        return Err(ExtractError::TooLarge(meta.len()));
    }
    let file = open(path)?;
    // The file opened is the one checked.
    if let Some(kind) = not_regular(&file.metadata()?) {
        return Err(ExtractError::NotRegularFile(kind));
    }
    let mut bytes = Vec::with_capacity(meta.len() as usize);
    file.take(MAX_FILE_BYTES + 1).read_to_end(&mut bytes)?;
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err(ExtractError::TooLarge(bytes.len() as u64));
    }
    Ok(bytes)
}

/// A document's warnings as kinds of problem: a warning given again is counted, not
/// kept again, and at most [`MAX_WARNINGS`] kinds are kept.
#[derive(Debug, Default)]
pub struct Warnings {
    kinds: Vec<(String, usize)>,
    index: HashMap<String, usize>,
    /// Warnings of kinds beyond the bound.
    dropped: usize,
}

impl Warnings {
    pub fn push(&mut self, warning: impl Into<String>) {
        let warning = warning.into();
        if let Some(&i) = self.index.get(&warning) {
            self.kinds[i].1 += 1;
        } else if self.kinds.len() < MAX_WARNINGS {
            self.index.insert(warning.clone(), self.kinds.len());
            self.kinds.push((warning, 1));
        } else {
            self.dropped += 1;
        }
    }

    pub fn extend(&mut self, warnings: impl IntoIterator<Item = String>) {
        for w in warnings {
            self.push(w);
        }
    }

    pub fn is_empty(&self) -> bool {
        self.kinds.is_empty()
    }

    /// The warnings, each once, with how many times it was given when more than once.
    pub fn into_vec(self) -> Vec<String> {
        let mut out: Vec<String> = self.kinds.into_iter().map(|(w, n)| if n > 1 { format!("{w} ({n} gånger)") } else { w }).collect();
        if self.dropped > 0 {
            out.push(format!("och {} varningar till", self.dropped));
        }
        out
    }
}

/// The page numbers of a warning given on several pages, as ranges ("1–3, 7"); at most
/// this many ranges are listed.
const MAX_PAGE_RANGES: usize = 5;

/// Warnings given page by page, one per kind of problem with the pages it was given on:
/// "sida 3: …" or "sidorna 1–80: …". `pages` must be in page order.
pub fn by_page(pages: impl IntoIterator<Item = (u32, String)>) -> Vec<String> {
    let mut kinds: Vec<(String, Vec<u32>)> = Vec::new();
    let mut index: HashMap<String, usize> = HashMap::new();
    for (page, warning) in pages {
        let i = *index.entry(warning.clone()).or_insert_with(|| {
            kinds.push((warning, Vec::new()));
            kinds.len() - 1
        });
        if kinds[i].1.last() != Some(&page) {
            kinds[i].1.push(page);
        }
    }
    kinds.into_iter().map(|(w, pages)| format!("{}: {w}", page_list(&pages))).collect()
}

fn page_list(pages: &[u32]) -> String {
    if let [one] = pages {
        return format!("sida {one}");
    }
    let mut ranges: Vec<(u32, u32)> = Vec::new();
    for &p in pages {
        match ranges.last_mut() {
            Some((_, end)) if *end + 1 == p => *end = p,
            _ => ranges.push((p, p)),
        }
    }
    let shown: Vec<String> = ranges.iter().take(MAX_PAGE_RANGES).map(|&(a, b)| if a == b { a.to_string() } else { format!("{a}–{b}") }).collect();
    let rest: usize = ranges.iter().skip(MAX_PAGE_RANGES).map(|&(a, b)| (b - a) as usize + 1).sum();
    if rest > 0 {
        format!("sidorna {} och {} till", shown.join(", "), crate::text::count(rest, "sida", "sidor"))
    } else {
        format!("sidorna {}", shown.join(", "))
    }
}

/// Splits text into pieces of at most `max` characters, at a space where there is one
/// in the second half of a piece, else within a word. Pieces keep their text exactly:
/// joined, they give `text` again.
pub fn split_long(text: &str, max: usize) -> Vec<&str> {
    let max = max.max(1);
    let mut pieces = Vec::new();
    let mut rest = text;
    loop {
        // Byte offset of the character after the first `max`, if there is one.
        let Some((limit, _)) = rest.char_indices().nth(max) else {
            pieces.push(rest);
            return pieces;
        };
        let window = &rest[..limit];
        let cut = match window.rfind(char::is_whitespace) {
            Some(space) if space >= limit / 2 => space + window[space..].chars().next().map_or(1, char::len_utf8),
            _ => limit,
        };
        pieces.push(&rest[..cut]);
        rest = &rest[cut..];
    }
}

/// Cuts text read from a file to [`MAX_DOCUMENT_CHARS`], before it is made into lines,
/// with the warning that says so.
pub fn cut_chars(text: &mut String) -> Option<String> {
    let (end, _) = text.char_indices().nth(MAX_DOCUMENT_CHARS)?;
    text.truncate(end);
    Some(format!("dokumentet har mer än {MAX_DOCUMENT_CHARS} tecken: bara de första lästes"))
}

fn line_chars(line: &Line) -> usize {
    line.cells.iter().map(|c| c.text.chars().count()).sum()
}

/// A line of more than [`MAX_LINE_CHARS`] characters as several lines: its cells in
/// groups that fit, and a cell too long by itself in pieces, each a line of its own at
/// the cell's place.
fn split_line(line: Line, out: &mut Vec<Line>) {
    let shell = |cells: Vec<Cell>| Line { cells, y: line.y, bottom: line.bottom, size: line.size, bold: line.bold };
    let mut group: Vec<Cell> = Vec::new();
    let mut group_chars = 0;
    for cell in &line.cells {
        let n = cell.text.chars().count();
        if group_chars + n > MAX_LINE_CHARS && !group.is_empty() {
            out.push(shell(std::mem::take(&mut group)));
            group_chars = 0;
        }
        if n <= MAX_LINE_CHARS {
            group.push(cell.clone());
            group_chars += n;
            continue;
        }
        let per_char = (cell.x_end - cell.x) / n as f32;
        let mut x = cell.x;
        for piece in split_long(&cell.text, MAX_LINE_CHARS) {
            let text = piece.trim();
            let width = piece.chars().count() as f32 * per_char;
            if !text.is_empty() {
                let first = text.split(' ').next().map_or(0, |w| w.chars().count()) as f32 * per_char;
                out.push(shell(vec![Cell { x, x_end: x + width, text: text.to_string(), first_word_width: first }]));
            }
            x += width;
        }
    }
    if !group.is_empty() {
        out.push(shell(group));
    }
}

/// Applies the bounds of a document: pages beyond [`MAX_PAGES`] and text beyond
/// [`MAX_DOCUMENT_CHARS`] are left out, lines longer than [`MAX_LINE_CHARS`] are broken,
/// warnings are kept once per kind.
pub fn bound_document(doc: &mut Extracted) {
    let mut warnings = Warnings::default();
    warnings.extend(std::mem::take(&mut doc.warnings));
    if doc.pages.len() > MAX_PAGES {
        doc.pages.truncate(MAX_PAGES);
        warnings.push(format!("fler än {MAX_PAGES} sidor; resten hoppades över"));
    }
    let page_count = doc.pages.len();
    let mut chars = 0usize;
    let mut cut: Option<usize> = None;
    let mut broken = 0usize;
    for (p, page) in doc.pages.iter_mut().enumerate() {
        if page.lines.iter().any(|l| line_chars(l) > MAX_LINE_CHARS) {
            let mut lines = Vec::with_capacity(page.lines.len());
            for line in std::mem::take(&mut page.lines) {
                if line_chars(&line) > MAX_LINE_CHARS {
                    broken += 1;
                    split_line(line, &mut lines);
                } else {
                    lines.push(line);
                }
            }
            page.lines = lines;
        }
        for (l, line) in page.lines.iter().enumerate() {
            chars += line_chars(line);
            if chars > MAX_DOCUMENT_CHARS {
                page.lines.truncate(l);
                cut = Some(p);
                break;
            }
        }
        if cut.is_some() {
            break;
        }
    }
    if broken > 0 {
        warnings.push(format!("{} var längre än {MAX_LINE_CHARS} tecken och delades", crate::text::count(broken, "rad", "rader")));
    }
    if let Some(p) = cut {
        let kept = if doc.pages[p].lines.is_empty() { p } else { p + 1 };
        doc.pages.truncate(kept);
        warnings.push(format!("dokumentet har mer än {MAX_DOCUMENT_CHARS} tecken: bara de första lästes ({kept} av {page_count} sidor)"));
    }
    doc.warnings = warnings.into_vec();
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::extract::{Hints, Page};
    use crate::model::Format;

    #[test]
    fn warnings_are_kept_once_per_kind_with_a_count() {
        let mut w = Warnings::default();
        for _ in 0..10_000 {
            w.push("sidträdet upprepar en sida");
        }
        w.push("annat");
        assert_eq!(w.into_vec(), vec!["sidträdet upprepar en sida (10000 gånger)", "annat"]);
        let mut w = Warnings::default();
        for i in 0..1000 {
            w.push(format!("varning {i}"));
        }
        let v = w.into_vec();
        assert_eq!(v.len(), MAX_WARNINGS + 1);
        assert_eq!(v[MAX_WARNINGS], format!("och {} varningar till", 1000 - MAX_WARNINGS));
    }

    #[test]
    fn page_warnings_name_their_pages_as_ranges() {
        let w = by_page((1..=80).map(|p| (p, "OCR: tesseract saknas".to_string())).chain([(3, "annat".to_string())]));
        assert_eq!(w, vec!["sidorna 1–80: OCR: tesseract saknas", "sida 3: annat"]);
        let scattered = by_page([1, 3, 5, 7, 9, 11, 12, 13].into_iter().map(|p| (p, "x".to_string())));
        assert_eq!(scattered, vec!["sidorna 1, 3, 5, 7, 9 och 3 sidor till: x"]);
    }

    #[test]
    fn long_text_splits_at_spaces_and_joins_back() {
        let text = "ord ".repeat(10_000);
        let pieces = split_long(&text, 1000);
        assert!(pieces.iter().all(|p| p.chars().count() <= 1000));
        assert!(pieces[0].ends_with(' '), "cut after a space");
        assert_eq!(pieces.concat(), text);
        let word = "å".repeat(2500);
        let pieces = split_long(&word, 1000);
        assert_eq!(pieces.iter().map(|p| p.chars().count()).collect::<Vec<_>>(), vec![1000, 1000, 500]);
    }

    #[test]
    fn documents_are_cut_at_their_bounds() {
        let long = "beslut ".repeat(MAX_LINE_CHARS / 3);
        let page = |n| Page { number: n, lines: (0..20).map(|i| Line::plain(long.trim(), i, false)).collect(), width: 1.0 };
        let mut doc = Extracted { format: Format::Text, pages: (1..=10).map(page).collect(), ocr: false, hints: Hints::default(), warnings: vec![], masked: 0 };
        bound_document(&mut doc);
        let lines: Vec<&Line> = doc.pages.iter().flat_map(|p| &p.lines).collect();
        assert!(lines.iter().all(|l| line_chars(l) <= MAX_LINE_CHARS));
        let total: usize = lines.iter().map(|l| line_chars(l)).sum();
        assert!(total <= MAX_DOCUMENT_CHARS && total > MAX_DOCUMENT_CHARS - 3 * MAX_LINE_CHARS, "{total}");
        assert_eq!(doc.warnings.len(), 2, "{:?}", doc.warnings);
        assert!(doc.warnings[1].starts_with(&format!("dokumentet har mer än {MAX_DOCUMENT_CHARS} tecken")), "{:?}", doc.warnings);
        assert!(doc.warnings[1].ends_with(&format!("av 10 sidor)")));
    }
}
