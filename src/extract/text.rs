//! Plain text files: by their byte-order mark (UTF-8, UTF-16 LE or BE), else UTF-8, or
//! the legacy charset chardetng finds when the bytes are not valid UTF-8 (Windows-1252,
//! Latin-1's superset, for most Swedish text). Form
//! feeds separate pages, as in `pdftotext` output, and runs of two or more spaces or a
//! tab separate cells, so a table saved as text keeps its columns and its wrapped rows
//! are joined like a PDF's. A line longer than [`MAX_LINE_CHARS`] is broken at spaces
//! before its cells are found, so every step is linear in the line.

use super::limits::{MAX_LINE_CHARS, MAX_PAGES, cut_chars, split_long};
use super::{Cell, Extracted, Hints, Line, Page, table};
use crate::model::Format;

/// Tab stops of text files.
const TAB_WIDTH: usize = 8;

/// Whether the bytes read as text: few control characters, and no NUL outside UTF-16.
pub fn looks_like_text(bytes: &[u8]) -> bool {
    let utf16 = matches!(encoding_rs::Encoding::for_bom(bytes), Some((e, _)) if e != encoding_rs::UTF_8);
    if !utf16 && bytes.contains(&0) {
        return false;
    }
    let text = decode(bytes);
    let total = text.chars().count().max(1);
    let bad = text.chars().filter(|&c| (c.is_control() && !matches!(c, '\n' | '\r' | '\t' | '\x0c')) || c == '\u{fffd}').count();
    bad * 100 <= total
}

/// Decodes by the byte-order mark (UTF-8, UTF-16 LE or BE), else as UTF-8 when the bytes
/// are UTF-8, else in the legacy charset chardetng finds (Windows-1252 for most Swedish
/// text; see `charset.rs`).
pub fn decode(bytes: &[u8]) -> String {
    let (encoding, _) = super::charset::detect(bytes, None);
    encoding.decode(bytes).0.into_owned()
}

/// Splits a text line into cells at runs of two or more spaces and at the bars of a
/// table drawn with `|`, positions in characters.
pub fn cells_of_line(line: &str) -> Vec<Cell> {
    let mut expanded = String::with_capacity(line.len());
    // The column reached, counted as characters are added (counting the line again at
    // each tab would be quadratic in a line of tabs).
    let mut col = 0usize;
    for c in line.chars() {
        if c == '|' {
            expanded.push_str("  ");
            col += 2;
        } else if c == '\t' {
            let pad = (TAB_WIDTH - col % TAB_WIDTH).max(2);
            expanded.extend(std::iter::repeat_n(' ', pad));
            col += pad;
        } else {
            expanded.push(c);
            col += 1;
        }
    }
    let chars: Vec<char> = expanded.trim_end().chars().collect();
    let mut cells = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        if chars[i] == ' ' {
            i += 1;
            continue;
        }
        let start = i;
        let mut end = i;
        while end < chars.len() {
            if chars[end] == ' ' && chars.get(end + 1).is_none_or(|&c| c == ' ') {
                break;
            }
            end += 1;
        }
        let text: String = chars[start..end].iter().collect();
        let first = text.split(' ').next().map_or(0, |w| w.chars().count());
        cells.push(Cell { x: start as f32, x_end: end as f32, text, first_word_width: first as f32 });
        i = end;
    }
    cells
}

/// The lines of a page of text, numbered from `first_index`: cells at runs of spaces,
/// empty lines kept as vertical distance, wrapped table rows joined. A line longer than
/// [`MAX_LINE_CHARS`] is read as several.
pub fn lines_of(text: &str, first_index: usize) -> Vec<Line> {
    let mut lines = Vec::new();
    let mut index = first_index;
    let mut blank_run = 0usize;
    for raw in text.lines().flat_map(|l| if l.len() > MAX_LINE_CHARS { split_long(l, MAX_LINE_CHARS) } else { vec![l] }) {
        index += 1;
        let cells = cells_of_line(raw);
        if cells.is_empty() {
            blank_run += 1;
            continue;
        }
        // Empty lines move the next line down, so paragraph breaks survive.
        index += blank_run;
        blank_run = 0;
        lines.push(Line { cells, y: -(index as f32), bottom: -(index as f32), size: 1.0, bold: false });
    }
    table::merge_wrapped_rows(lines, table::Units::Characters)
}

pub fn extract(bytes: &[u8]) -> Extracted {
    let mut text = decode(bytes);
    let mut warnings: Vec<String> = cut_chars(&mut text).into_iter().collect();
    let mut pages = Vec::new();
    for (n, page_text) in text.split('\x0c').enumerate() {
        if pages.len() == MAX_PAGES {
            if page_text.trim().is_empty() {
                continue;
            }
            warnings.push(format!("fler än {MAX_PAGES} sidor; resten hoppades över"));
            break;
        }
        let lines = lines_of(page_text, 0);
        if lines.is_empty() && n > 0 && page_text.trim().is_empty() {
            continue;
        }
        let width = lines.iter().flat_map(|l| l.cells.last()).map(|c| c.x_end).fold(0.0, f32::max);
        pages.push(Page { number: pages.len() as u32 + 1, lines, width });
    }
    Extracted { format: Format::Text, pages, ocr: false, hints: Hints::default(), warnings, masked: 0 }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn latin1_falls_back_from_utf8() {
        assert_eq!(decode(b"Str\xf6msund"), "Strömsund");
        assert_eq!(decode("Strömsund".as_bytes()), "Strömsund");
    }

    #[test]
    fn cells_split_on_wide_gaps_only() {
        let cells = cells_of_line("Beslutande   Karin Näsmark (S)     Strömsunds kommun");
        let texts: Vec<&str> = cells.iter().map(|c| c.text.as_str()).collect();
        assert_eq!(texts, vec!["Beslutande", "Karin Näsmark (S)", "Strömsunds kommun"]);
        assert_eq!(cells[1].x, 13.0);
    }

    #[test]
    fn bars_of_a_text_table_separate_cells() {
        let texts: Vec<String> = cells_of_line("§ 3 | Uttalande om gruvor | |").into_iter().map(|c| c.text).collect();
        assert_eq!(texts, vec!["§ 3", "Uttalande om gruvor"]);
    }

    #[test]
    fn pdftotext_layout_table_rows_are_rejoined() {
        let text = "Beslutande             Lise Hjemgaard Svensson            Östersunds kommun           Ordf. Vård och\n                       (M) ordförande                                                 omsorgsnämnden\n                       Karin Näsmark (S) vice             Strömsunds kommun           Ordf. Socialnämnden\n";
        let doc = extract(text.as_bytes());
        let rows: Vec<String> = doc.pages[0].lines.iter().map(Line::text).collect();
        assert_eq!(rows.len(), 2, "{rows:?}");
        assert_eq!(rows[0], "Beslutande\tLise Hjemgaard Svensson (M) ordförande\tÖstersunds kommun\tOrdf. Vård och omsorgsnämnden");
    }

    #[test]
    fn form_feeds_separate_pages() {
        let doc = extract(b"Sida ett\n\x0cSida tv\xe5\n\x0c");
        assert_eq!(doc.pages.len(), 2);
        assert_eq!(doc.pages[1].lines[0].text(), "Sida två");
    }
}
