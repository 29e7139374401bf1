//! HTML pages: meeting portals publish protocols as pages whose main content is the
//! protocol and whose navigation, banners, related links and cookie notices are not.
//!
//! The charset comes from the byte-order mark, then `<meta charset>` or an http-equiv
//! `Content-Type` in the first 1024 bytes (the HTML standard's prescan), checked against
//! the bytes by `charset.rs`: a declaration the bytes contradict is overruled, with a
//! warning (a page declared as ISO-8859-1 whose bytes are UTF-8 is UTF-8; one declared as
//! UTF-8 whose bytes are not is read in the charset chardetng finds).
//!
//! Before html5ever sees the page, a linear pass over the markup bounds what makes a
//! tree builder slow or large: attributes per element ([`MAX_ATTRIBUTES`]), nesting
//! ([`MAX_DEPTH`]) and elements ([`MAX_NODES`]). Tags beyond a bound are dropped and
//! their text kept, with a warning. The tree is parsed by html5ever (through scraper)
//! and walked without recursion. Content inside `<main>` (or `[role=main]`, or
//! `<article>`) is kept; navigation, site headers and footers, asides, scripts, forms and
//! cookie banners are dropped. Accordion bodies are kept even when `hidden`: on meeting
//! portals they are the protocol. Headings, paragraphs and list items become lines; a
//! `<dt>`/`<dd>` pair becomes "term: description"; table rows become lines of cells.

use std::borrow::Cow;
use std::collections::HashMap;

use ego_tree::iter::Edge;
use encoding_rs::Encoding;
use scraper::{ElementRef, Html, Node, Selector};

use super::{Cell, ExtractError, Extracted, Hints, Line, Page, charset};
use crate::model::Format;

/// How far into the file the charset prescan looks (HTML standard §13.2.3.2).
const PRESCAN_BYTES: usize = 1024;

/// Most attributes kept on one element. Real elements carry a handful; html5ever checks
/// each attribute against the element's others, which is quadratic in their number.
pub const MAX_ATTRIBUTES: usize = 64;

/// Deepest nesting of elements kept. Real pages nest 20–40 deep; the tree builder looks
/// through the open elements at many tags, which is quadratic in the depth.
pub const MAX_DEPTH: usize = 256;

/// Most elements and comments kept from one page. A portal page has a few thousand;
/// each is a node of the tree in memory.
pub const MAX_NODES: usize = 200_000;

/// Elements without content or end tag.
const VOID_ELEMENTS: &[&[u8]] = &[
    b"area",
    b"base",
    b"basefont",
    b"bgsound",
    b"br",
    b"col",
    b"embed",
    b"frame",
    b"hr",
    b"img",
    b"input",
    b"keygen",
    b"link",
    b"meta",
    b"param",
    b"source",
    b"track",
    b"wbr",
];

/// Elements whose end tag may be left out, and the document's own three: none of them
/// nests in itself without an element of another kind between, so they are not counted
/// in the depth (a page of unclosed `<p>` would seem deep).
const UNCOUNTED_ELEMENTS: &[&[u8]] = &[
    b"p",
    b"li",
    b"dt",
    b"dd",
    b"tr",
    b"td",
    b"th",
    b"tbody",
    b"thead",
    b"tfoot",
    b"option",
    b"optgroup",
    b"rb",
    b"rt",
    b"rp",
    b"rtc",
    b"colgroup",
    b"caption",
    b"html",
    b"head",
    b"body",
];

/// Elements whose content is text up to their end tag, not markup.
const RAW_TEXT_ELEMENTS: &[&[u8]] = &[b"script", b"style", b"textarea", b"title", b"xmp", b"iframe", b"noembed", b"noframes", b"noscript"];

/// Share of control or replacement characters above which decoded bytes are not a page.
const MAX_GARBAGE_PER_MILLE: usize = 20;

/// Elements whose content is never protocol text.
const SKIPPED_ELEMENTS: &[&str] =
    &["script", "style", "noscript", "template", "nav", "aside", "form", "iframe", "svg", "object", "embed", "select", "textarea", "input", "dialog", "head"];

/// ARIA roles of page chrome.
const SKIPPED_ROLES: &[&str] = &["navigation", "banner", "contentinfo", "search", "complementary", "dialog", "alertdialog"];

/// Class or id fragments of page chrome.
const SKIPPED_CLASS_PARTS: &[&str] =
    &["cookie", "consent", "gdpr", "skip-link", "skiplink", "skip-to", "breadcrumb", "to-top", "totop", "till-toppen", "back-to-top"];

/// Targets of links back to the top of the page ("Till toppen av sidan"): navigation, not
/// content. Links to other in-page targets (an accordion's items) are kept.
const TOP_OF_PAGE_TARGETS: &[&str] = &["#", "#top", "#main", "#content", "#maincontent", "#main-content", "#innehall", "#sidans-topp", "#toppen"];

/// Elements that end a line before and after them.
const BLOCK_ELEMENTS: &[&str] = &[
    "p",
    "div",
    "section",
    "article",
    "main",
    "header",
    "footer",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "ul",
    "ol",
    "li",
    "dl",
    "dt",
    "dd",
    "table",
    "thead",
    "tbody",
    "tfoot",
    "tr",
    "blockquote",
    "pre",
    "figure",
    "figcaption",
    "address",
    "details",
    "summary",
    "hr",
    "caption",
    "fieldset",
    "legend",
    "body",
    "html",
];

/// Finds the charset of a page from its byte-order mark, its declaration and its bytes
/// (see [`charset::detect`]). A page that declares UTF-16 without a byte-order mark is
/// read as UTF-8, as the HTML standard says.
pub fn detect_encoding(bytes: &[u8]) -> (&'static Encoding, Option<String>) {
    let declared = prescan_charset(&bytes[..bytes.len().min(PRESCAN_BYTES)])
        .map(|(enc, label)| if enc == encoding_rs::UTF_16LE || enc == encoding_rs::UTF_16BE { (encoding_rs::UTF_8, label) } else { (enc, label) });
    charset::detect(bytes, declared.as_ref().map(|(enc, label)| (*enc, label.as_str())))
}

/// `charset=` inside a `<meta …>` tag of the head: the encoding, and its label as
/// declared (in capitals, as labels are written in messages).
fn prescan_charset(head: &[u8]) -> Option<(&'static Encoding, String)> {
    let lower: Vec<u8> = head.iter().map(u8::to_ascii_lowercase).collect();
    let mut pos = 0;
    while let Some(start) = find(&lower[pos..], b"<meta").map(|i| i + pos) {
        let end = find(&lower[start..], b">").map_or(lower.len(), |i| i + start);
        let tag = &lower[start..end];
        if let Some(c) = find(tag, b"charset") {
            let rest = &tag[c + 7..];
            let rest = &rest[rest.iter().take_while(|b| b.is_ascii_whitespace()).count()..];
            if let Some(rest) = rest.strip_prefix(b"=") {
                let value: Vec<u8> = rest
                    .iter()
                    .skip_while(|b| b.is_ascii_whitespace() || **b == b'"' || **b == b'\'')
                    .take_while(|b| !(b.is_ascii_whitespace() || matches!(b, b'"' | b'\'' | b';' | b'/' | b'>')))
                    .copied()
                    .collect();
                if let Some(enc) = Encoding::for_label(&value) {
                    return Some((enc, String::from_utf8_lossy(&value).to_uppercase()));
                }
            }
        }
        pos = end;
    }
    None
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

/// What [`bound_markup`] dropped.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct MarkupCuts {
    /// Attributes beyond [`MAX_ATTRIBUTES`] on their element.
    pub attributes: usize,
    /// Tags of elements nested deeper than [`MAX_DEPTH`].
    pub deep: usize,
    /// Tags and comments beyond [`MAX_NODES`].
    pub nodes: usize,
}

impl MarkupCuts {
    fn warnings(self) -> Vec<String> {
        let mut out = Vec::new();
        if self.attributes > 0 {
            out.push(format!("element med fler än {MAX_ATTRIBUTES} attribut: {} attribut hoppades över", self.attributes));
        }
        if self.deep > 0 {
            out.push(format!(
                "element nästlade djupare än {MAX_DEPTH} nivåer: {} hoppades över och deras text behölls",
                crate::text::count(self.deep, "tagg", "taggar")
            ));
        }
        if self.nodes > 0 {
            out.push(format!(
                "sidan har fler än {MAX_NODES} element: {} hoppades över och deras text behölls",
                crate::text::count(self.nodes, "tagg", "taggar")
            ));
        }
        out
    }
}

/// A tag's attributes as the HTML tokenizer reads them (a name, then `=` and a quoted or
/// bare value): where the tag ends (after its `>`), how many attributes it has, and
/// where the first one beyond [`MAX_ATTRIBUTES`] starts.
struct TagAttributes {
    end: usize,
    count: usize,
    cut: Option<usize>,
}

fn scan_attributes(b: &[u8], from: usize) -> TagAttributes {
    let mut j = from;
    let mut count = 0;
    let mut cut = None;
    loop {
        while j < b.len() && (b[j].is_ascii_whitespace() || b[j] == b'/') {
            j += 1;
        }
        if j >= b.len() || b[j] == b'>' {
            return TagAttributes { end: (j + 1).min(b.len()), count, cut };
        }
        let start = j;
        j += 1;
        while j < b.len() && !(b[j].is_ascii_whitespace() || matches!(b[j], b'/' | b'>' | b'=')) {
            j += 1;
        }
        while j < b.len() && b[j].is_ascii_whitespace() {
            j += 1;
        }
        if j < b.len() && b[j] == b'=' {
            j += 1;
            while j < b.len() && b[j].is_ascii_whitespace() {
                j += 1;
            }
            match b.get(j) {
                Some(&q @ (b'"' | b'\'')) => j = b[j + 1..].iter().position(|&c| c == q).map_or(b.len(), |e| j + e + 2),
                _ => {
                    while j < b.len() && !(b[j].is_ascii_whitespace() || b[j] == b'>') {
                        j += 1;
                    }
                }
            }
        }
        count += 1;
        if count == MAX_ATTRIBUTES + 1 {
            cut = Some(start);
        }
    }
}

/// Where the end tag of a raw-text element (`</script`) starts, from `from` on.
fn raw_text_end(b: &[u8], from: usize, name: &[u8]) -> usize {
    let mut i = from;
    while let Some(off) = b[i..].iter().position(|&c| c == b'<') {
        let at = i + off;
        let tail = &b[at + 1..];
        if tail.first() == Some(&b'/') && tail.len() > name.len() && tail[1..=name.len()].eq_ignore_ascii_case(name) {
            return at;
        }
        i = at + 1;
    }
    b.len()
}

/// Bounds the markup of a page before the tree builder sees it, in one linear pass:
/// attributes beyond [`MAX_ATTRIBUTES`] on an element are dropped, and so are the tags
/// (not the text) of elements nested deeper than [`MAX_DEPTH`] or beyond [`MAX_NODES`],
/// with their end tags. Depth is counted as a browser would close elements: an end tag
/// closes the open elements up to its own. A page within the bounds comes back as it is.
pub fn bound_markup(text: &str) -> (Cow<'_, str>, MarkupCuts) {
    let b = text.as_bytes();
    let mut cuts = MarkupCuts::default();
    // The markup with what was dropped left out, written only once something is:
    // `text[..copied]` is in it.
    let mut out = String::new();
    let mut copied = 0;
    let mut drop_range = |from: usize, to: usize, replacement: &str| {
        out.push_str(&text[copied..from]);
        out.push_str(replacement);
        copied = to;
    };
    let mut ids: HashMap<Vec<u8>, u32> = HashMap::new();
    let mut open: Vec<u32> = Vec::new();
    // Start tags dropped, by element, whose end tags are still to come.
    let mut dropped: HashMap<u32, usize> = HashMap::new();
    let mut nodes = 0usize;
    let mut i = 0;
    while let Some(off) = b[i..].iter().position(|&c| c == b'<') {
        let start = i + off;
        let rest = &b[start..];
        if rest.starts_with(b"<!--") || rest.starts_with(b"<!") || rest.starts_with(b"<?") {
            let end = if rest.starts_with(b"<!--") {
                find(&b[start + 4..], b"-->").map_or(b.len(), |e| start + 4 + e + 3)
            } else {
                b[start..].iter().position(|&c| c == b'>').map_or(b.len(), |e| start + e + 1)
            };
            nodes += 1;
            if nodes > MAX_NODES {
                cuts.nodes += 1;
                drop_range(start, end, "");
            }
            i = end;
            continue;
        }
        let is_end = rest.starts_with(b"</");
        let name_start = start + if is_end { 2 } else { 1 };
        if !b.get(name_start).is_some_and(u8::is_ascii_alphabetic) {
            i = start + 1;
            continue;
        }
        let name_end = b[name_start..].iter().position(|c| c.is_ascii_whitespace() || matches!(c, b'/' | b'>')).map_or(b.len(), |e| name_start + e);
        let name = b[name_start..name_end].to_ascii_lowercase();
        let tag = scan_attributes(b, name_end);
        let tag_end = tag.end;
        let counted =
            !VOID_ELEMENTS.contains(&name.as_slice()) && !UNCOUNTED_ELEMENTS.contains(&name.as_slice()) && !RAW_TEXT_ELEMENTS.contains(&name.as_slice());
        let next_id = ids.len() as u32;
        let id = *ids.entry(name.clone()).or_insert(next_id);
        i = tag_end;
        if is_end {
            if !counted {
                continue;
            }
            match dropped.get_mut(&id) {
                Some(n) if *n > 0 => {
                    *n -= 1;
                    drop_range(start, tag_end, "");
                }
                _ => {
                    if let Some(k) = open.iter().rposition(|&o| o == id) {
                        open.truncate(k);
                    }
                }
            }
            continue;
        }
        nodes += 1;
        if nodes > MAX_NODES || (counted && open.len() >= MAX_DEPTH) {
            if nodes > MAX_NODES {
                cuts.nodes += 1;
            } else {
                cuts.deep += 1;
            }
            if counted {
                *dropped.entry(id).or_insert(0) += 1;
            }
            drop_range(start, tag_end, "");
        } else {
            if counted {
                open.push(id);
            }
            if let Some(at) = tag.cut {
                cuts.attributes += tag.count - MAX_ATTRIBUTES;
                drop_range(at, tag_end, ">");
            }
        }
        if name == b"plaintext" {
            break;
        }
        if RAW_TEXT_ELEMENTS.contains(&name.as_slice()) {
            i = raw_text_end(b, tag_end, &name);
        }
    }
    if cuts == MarkupCuts::default() {
        return (Cow::Borrowed(text), cuts);
    }
    drop_range(b.len(), b.len(), "");
    (Cow::Owned(out), cuts)
}

fn is_garbage(text: &str) -> bool {
    let total = text.chars().count().max(1);
    let bad = text.chars().filter(|&c| c == '\u{fffd}' || (c.is_control() && !c.is_whitespace())).count();
    bad * 1000 > total * MAX_GARBAGE_PER_MILLE || !text.contains('<')
}

fn is_chrome(el: &scraper::node::Element, in_content: bool) -> bool {
    let name = el.name();
    if SKIPPED_ELEMENTS.contains(&name) {
        return true;
    }
    if (name == "header" || name == "footer") && !in_content {
        return true;
    }
    if name == "button" && el.attr("aria-expanded").is_none() && el.attr("aria-controls").is_none() {
        return true;
    }
    if name == "a" && el.attr("href").is_some_and(|h| TOP_OF_PAGE_TARGETS.contains(&h.trim().to_ascii_lowercase().as_str())) {
        return true;
    }
    if el.attr("role").is_some_and(|r| SKIPPED_ROLES.contains(&r.trim().to_ascii_lowercase().as_str())) {
        return true;
    }
    let mut names = el.classes().map(str::to_ascii_lowercase).collect::<Vec<_>>();
    if let Some(id) = el.id() {
        names.push(id.to_ascii_lowercase());
    }
    names.iter().any(|n| SKIPPED_CLASS_PARTS.iter().any(|p| n.contains(p)))
}

/// Marks a `<br>` inside a table cell until the cell ends.
const CELL_BREAK: char = '\u{2028}';

#[derive(Default)]
struct Walker {
    lines: Vec<Line>,
    current: String,
    bold_depth: usize,
    line_bold: bool,
    /// The cells of an open table row, each as its lines (a `<br>` breaks a cell's line).
    row: Option<Vec<Vec<String>>>,
    term: Option<String>,
    pre_depth: usize,
    /// The raw text of an open `<pre>`, laid out like a text file when it closes.
    pre: String,
}

impl Walker {
    fn push_text(&mut self, text: &str) {
        if self.pre_depth > 0 {
            self.pre.push_str(text);
            return;
        }
        for (i, word) in text.split(|c: char| c.is_whitespace()).enumerate() {
            if i > 0 && !self.current.ends_with(' ') {
                self.current.push(' ');
            }
            if !word.is_empty() {
                if self.bold_depth > 0 && self.current.trim().is_empty() {
                    self.line_bold = true;
                }
                self.current.push_str(word);
            }
        }
    }

    fn take_current(&mut self) -> String {
        std::mem::take(&mut self.current).split_whitespace().collect::<Vec<_>>().join(" ")
    }

    fn flush(&mut self) {
        if self.row.is_some() {
            return; // cells collect until the row ends
        }
        let text = self.take_current();
        let bold = std::mem::replace(&mut self.line_bold, false);
        if text.is_empty() {
            return;
        }
        let index = self.lines.len();
        self.lines.push(Line::plain(text, index, bold));
    }

    fn end_cell(&mut self) {
        let text = std::mem::take(&mut self.current);
        let lines: Vec<String> = text.split(CELL_BREAK).map(|l| l.split_whitespace().collect::<Vec<_>>().join(" ")).filter(|l| !l.is_empty()).collect();
        if let Some(row) = self.row.as_mut() {
            row.push(lines);
        }
    }

    /// A table row as lines: its cells side by side at their columns, and the lines of a
    /// cell broken by `<br>` under each other, as a PDF lays out a wrapped table.
    fn end_row(&mut self) {
        let Some(cells) = self.row.take() else { return };
        let cells: Vec<Vec<String>> = cells.into_iter().filter(|c| !c.is_empty()).collect();
        let mut columns = Vec::with_capacity(cells.len());
        let mut x = 0.0;
        for cell in &cells {
            columns.push(x);
            x += cell.iter().map(|l| l.chars().count()).max().unwrap_or(0) as f32 + 2.0;
        }
        let height = cells.iter().map(Vec::len).max().unwrap_or(0);
        let bold = std::mem::replace(&mut self.line_bold, false);
        for k in 0..height {
            let mut out = Vec::new();
            for (cell, &x) in cells.iter().zip(&columns) {
                if let Some(text) = cell.get(k) {
                    let n = text.chars().count() as f32;
                    let first = text.split(' ').next().map_or(0, |w| w.chars().count()) as f32;
                    out.push(Cell { x, x_end: x + n, text: text.clone(), first_word_width: first });
                }
            }
            let index = self.lines.len();
            self.lines.push(Line { cells: out, y: -(index as f32), bottom: -(index as f32), size: 1.0, bold: bold && k == 0 });
        }
    }
}

fn content_root(html: &Html) -> ElementRef<'_> {
    for sel in ["main", "[role=main]", "article", "body"] {
        if let Ok(s) = Selector::parse(sel)
            && let Some(el) = html.select(&s).next()
        {
            return el;
        }
    }
    html.root_element()
}

pub fn extract(bytes: &[u8]) -> Result<Extracted, ExtractError> {
    let (encoding, charset_warning) = detect_encoding(bytes);
    let (text, _, _) = encoding.decode(bytes);
    if is_garbage(&text) {
        return Err(ExtractError::NotHtml("binärdata".into()));
    }
    let (markup, cuts) = bound_markup(&text);
    let mut warnings: Vec<String> = charset_warning.into_iter().collect();
    warnings.extend(cuts.warnings());
    let html = Html::parse_document(&markup);
    let mut hints = Hints::default();
    if let Ok(s) = Selector::parse("title")
        && let Some(t) = html.select(&s).next()
    {
        let title = t.text().collect::<String>().split_whitespace().collect::<Vec<_>>().join(" ");
        if !title.is_empty() {
            hints.title = Some(title);
        }
    }

    let root = content_root(&html);
    let root_is_content = matches!(root.value().name(), "main" | "article") || root.value().attr("role") == Some("main");
    let mut w = Walker::default();
    let mut skipping: Option<ego_tree::NodeId> = None;
    let mut content_depth = usize::from(root_is_content);
    for edge in root.traverse() {
        match edge {
            Edge::Open(node) => {
                if skipping.is_some() {
                    continue;
                }
                match node.value() {
                    Node::Text(t) => w.push_text(t),
                    Node::Element(el) => {
                        if is_chrome(el, content_depth > 0) {
                            skipping = Some(node.id());
                            continue;
                        }
                        let name = el.name();
                        if matches!(name, "main" | "article") {
                            content_depth += 1;
                        }
                        if name == "time"
                            && let Some(dt) = el.attr("datetime")
                        {
                            hints.dates.push(dt.trim().to_string());
                        }
                        match name {
                            "br" if w.row.is_some() => w.current.push(CELL_BREAK),
                            "br" => w.flush(),
                            "tr" => {
                                w.flush();
                                w.row = Some(Vec::new());
                            }
                            "td" | "th" if w.row.is_some() => {
                                // Stray text between cells becomes a cell of its own.
                                if !w.current.trim().is_empty() {
                                    w.end_cell();
                                }
                                w.current.clear();
                            }
                            "dt" => {
                                w.flush();
                            }
                            "pre" => {
                                w.flush();
                                w.pre_depth += 1;
                            }
                            _ if BLOCK_ELEMENTS.contains(&name) => w.flush(),
                            _ => {}
                        }
                        if matches!(name, "h1" | "h2" | "h3" | "h4" | "h5" | "h6" | "th" | "button" | "strong" | "b") {
                            w.bold_depth += 1;
                        }
                    }
                    _ => {}
                }
            }
            Edge::Close(node) => {
                if let Some(id) = skipping {
                    if id == node.id() {
                        skipping = None;
                    }
                    continue;
                }
                let Node::Element(el) = node.value() else { continue };
                let name = el.name();
                if matches!(name, "h1" | "h2" | "h3" | "h4" | "h5" | "h6" | "th" | "button" | "strong" | "b") {
                    w.bold_depth = w.bold_depth.saturating_sub(1);
                }
                if matches!(name, "main" | "article") {
                    content_depth = content_depth.saturating_sub(1);
                }
                match name {
                    "td" | "th" if w.row.is_some() => w.end_cell(),
                    "tr" => w.end_row(),
                    "dt" => {
                        let term = w.take_current();
                        w.line_bold = false;
                        w.term = Some(term);
                    }
                    "dd" => {
                        let desc = w.take_current();
                        let line = match w.term.take() {
                            Some(term) if !term.is_empty() => format!("{term}: {desc}"),
                            _ => desc,
                        };
                        w.current = line;
                        w.flush();
                    }
                    "pre" => {
                        w.pre_depth = w.pre_depth.saturating_sub(1);
                        if w.pre_depth == 0 {
                            // Preformatted text keeps its columns: cells at runs of spaces,
                            // wrapped rows joined, as in a text file.
                            let start = w.lines.len();
                            let pre = std::mem::take(&mut w.pre);
                            w.lines.extend(super::text::lines_of(&pre, start));
                        }
                    }
                    _ if BLOCK_ELEMENTS.contains(&name) => w.flush(),
                    _ => {}
                }
            }
        }
    }
    w.flush();
    if let Some(term) = w.term.take().filter(|t| !t.is_empty()) {
        w.current = term;
        w.flush();
    }
    let width = w.lines.iter().flat_map(|l| l.cells.last()).map(|c| c.x_end).fold(0.0, f32::max);
    Ok(Extracted { format: Format::Html, pages: vec![Page { number: 1, lines: w.lines, width }], ocr: false, hints, warnings, masked: 0 })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines(html: &str) -> Vec<String> {
        extract(html.as_bytes()).expect("page").pages[0].lines.iter().map(Line::text).collect()
    }

    #[test]
    fn charset_from_meta_http_equiv_and_bom() {
        let latin1 = b"<html><head><meta http-equiv=\"Content-Type\" content=\"text/html; charset=ISO-8859-1\"></head><body><p>Str\xf6msund</p></body></html>";
        assert_eq!(detect_encoding(latin1), (encoding_rs::WINDOWS_1252, None));
        assert_eq!(extract(latin1).expect("page").pages[0].lines[0].text(), "Strömsund");
        assert_eq!(detect_encoding(b"<meta charset='utf-8'>"), (encoding_rs::UTF_8, None));
        assert_eq!(detect_encoding(b"\xef\xbb\xbf<p>"), (encoding_rs::UTF_8, None));
    }

    #[test]
    fn chrome_is_dropped_and_hidden_accordion_bodies_kept() {
        let page = r##"<body><a class="skip-link" href="#main">Hoppa över navigering</a>
            <header><nav><a>Start</a></nav></header>
            <main><h1>SVOM</h1><ol><li><button aria-expanded="false"><span>§ 29</span> <span>Sammanträdet öppnas</span></button>
            <div hidden><p>Ordföranden öppnar mötet.</p></div></li></ol></main>
            <aside><h2>Relaterade möten</h2></aside><footer>Tillgänglighetsredogörelse</footer>
            <div class="cookie-banner" role="dialog"><p>Vi använder cookies</p></div></body>"##;
        assert_eq!(lines(page), vec!["SVOM", "§ 29 Sammanträdet öppnas", "Ordföranden öppnar mötet."]);
    }

    #[test]
    fn definition_lists_tables_and_time_hints() {
        let page = r#"<main><dl><dt>Datum</dt><dd><time datetime="2023-10-13">13 oktober 2023</time></dd></dl>
            <table><tr><td>Karin Näsmark (S)</td><td>Strömsunds kommun</td></tr></table></main>"#;
        let doc = extract(page.as_bytes()).expect("page");
        let texts: Vec<String> = doc.pages[0].lines.iter().map(Line::text).collect();
        assert_eq!(texts, vec!["Datum: 13 oktober 2023", "Karin Näsmark (S)\tStrömsunds kommun"]);
        assert_eq!(doc.hints.dates, vec!["2023-10-13"]);
    }

    #[test]
    fn headings_are_bold_lines() {
        let doc = extract("<main><h4>Bakgrund</h4><p>Text</p></main>".as_bytes()).expect("page");
        assert!(doc.pages[0].lines[0].bold);
        assert!(!doc.pages[0].lines[1].bold);
    }

    #[test]
    fn binary_data_is_refused() {
        let err = extract(&[0xb2, 0x2a, 0x13, 0xe1, 0x01, 0x02, 0x03, 0x04]).unwrap_err();
        assert_eq!(err.to_string(), "inte en HTML-sida: binärdata");
    }
}
