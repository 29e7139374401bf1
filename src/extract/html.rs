//! HTML pages: meeting portals publish protocols as pages whose main content is the
//! protocol and whose navigation, banners, related links and cookie notices are not.
//!
//! The charset comes from the byte-order mark, then `<meta charset>` or an http-equiv
//! `Content-Type` in the first 1024 bytes (the HTML standard's prescan), then UTF-8 if
//! the bytes are valid UTF-8, else Windows-1252. The tree is parsed by html5ever (through
//! scraper) and walked without recursion. Content inside `<main>` (or `[role=main]`, or
//! `<article>`) is kept; navigation, site headers and footers, asides, scripts, forms and
//! cookie banners are dropped. Accordion bodies are kept even when `hidden`: on meeting
//! portals they are the protocol. Headings, paragraphs and list items become lines; a
//! `<dt>`/`<dd>` pair becomes "term: description"; table rows become lines of cells.

use ego_tree::iter::Edge;
use encoding_rs::Encoding;
use scraper::{ElementRef, Html, Node, Selector};

use super::{Cell, ExtractError, Extracted, Hints, Line, Page};
use crate::model::Format;

/// How far into the file the charset prescan looks (HTML standard §13.2.3.2).
const PRESCAN_BYTES: usize = 1024;

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

/// Finds the charset the page declares, or guesses one.
pub fn detect_encoding(bytes: &[u8]) -> &'static Encoding {
    if let Some((enc, _)) = Encoding::for_bom(bytes) {
        return enc;
    }
    if let Some(enc) = prescan_charset(&bytes[..bytes.len().min(PRESCAN_BYTES)]) {
        // A page that declares UTF-16 but has no BOM is read as UTF-8 (HTML standard).
        if enc == encoding_rs::UTF_16LE || enc == encoding_rs::UTF_16BE {
            return encoding_rs::UTF_8;
        }
        return enc;
    }
    if std::str::from_utf8(bytes).is_ok() { encoding_rs::UTF_8 } else { encoding_rs::WINDOWS_1252 }
}

/// `charset=` inside a `<meta …>` tag of the head.
fn prescan_charset(head: &[u8]) -> Option<&'static Encoding> {
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
                    return Some(enc);
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
    let encoding = detect_encoding(bytes);
    let (text, _, _) = encoding.decode(bytes);
    if is_garbage(&text) {
        return Err(ExtractError::NotHtml("binärdata".into()));
    }
    let html = Html::parse_document(&text);
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
    Ok(Extracted { format: Format::Html, pages: vec![Page { number: 1, lines: w.lines, width }], ocr: false, hints, warnings: Vec::new(), masked: 0 })
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
        assert_eq!(detect_encoding(latin1), encoding_rs::WINDOWS_1252);
        assert_eq!(extract(latin1).expect("page").pages[0].lines[0].text(), "Strömsund");
        assert_eq!(detect_encoding(b"<meta charset='utf-8'>"), encoding_rs::UTF_8);
        assert_eq!(detect_encoding(b"\xef\xbb\xbf<p>"), encoding_rs::UTF_8);
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
