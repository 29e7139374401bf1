//! Layout: builds words, lines and cells from positioned glyphs.
//!
//! The thresholds follow the proven readers: a gap wider than a tenth of the font size
//! starts a new word (poppler's `minWordBreakSpace` is 0.1, pdf.js splits at 0.102 em),
//! glyphs whose baselines lie within half the font size share a line (pdfminer's
//! `line_overlap` is 0.5), and a gap of a whole em splits a line into cells. Lines are
//! read top to bottom whatever order the content stream drew them in, so a table written
//! column by column comes out row by row. Wrapped table cells are joined afterwards by
//! [`crate::extract::table`].
//!
//! It does not detect multi-column article layouts: side-by-side columns come out as the
//! cells of one line, as `pdftotext -layout` prints them.

use super::content::Glyph;
use crate::extract::{Cell, Line};

/// A gap wider than this share of the font size between two glyphs starts a new word.
pub const WORD_GAP_OF_FONT_SIZE: f32 = 0.1;

/// Glyphs whose baselines differ by less than this share of the larger font size are on
/// the same line.
pub const BASELINE_TOLERANCE_OF_FONT_SIZE: f32 = 0.5;

/// A gap between words wider than this share of the font size separates two cells
/// (table columns, a date set off to the right). A stretched justified space stays
/// well below one em.
pub const CELL_GAP_OF_FONT_SIZE: f32 = 1.0;

/// Two identical glyphs closer than this share of their width are one glyph drawn
/// twice (fake bold, shadows); poppler drops such duplicates too.
const DUPLICATE_OVERLAP_OF_WIDTH: f32 = 0.3;

/// Glyphs this far (in points) outside the page box are not on the page.
const PAGE_SLACK: f32 = 2.0;

/// Share of glyphs that must have the median advance for a page to be fixed-pitch.
const FIXED_PITCH_SHARE: f32 = 0.9;

/// Whether a page is set in a fixed-pitch font (a typewritten or text-file layout), whose
/// columns are spaced like a text file's rather than a word processor's.
pub fn is_fixed_pitch(glyphs: &[Glyph]) -> bool {
    let mut advances: Vec<f32> =
        glyphs.iter().filter(|g| !g.is_space() && !g.whole_word && g.size > 0.0 && g.text.chars().count() == 1).map(|g| g.width / g.size).collect();
    if advances.len() < 50 {
        return false;
    }
    advances.sort_by(f32::total_cmp);
    let median = advances[advances.len() / 2];
    let same = advances.iter().filter(|a| (*a - median).abs() <= 0.03 * median).count();
    same as f32 >= FIXED_PITCH_SHARE * advances.len() as f32
}

struct Word {
    x: f32,
    x_end: f32,
    text: String,
    size: f32,
}

/// Turns a page's glyphs into lines of cells, top to bottom. `width`/`height` are the
/// displayed page size in points.
pub fn lay_out(glyphs: &[Glyph], width: f32, height: f32) -> Vec<Line> {
    let on_page = |g: &&Glyph| g.x >= -PAGE_SLACK && g.x <= width + PAGE_SLACK && g.y >= -PAGE_SLACK && g.y <= height + PAGE_SLACK && g.size > 0.0;
    let mut lines = Vec::new();
    for rot in 0..4u8 {
        let group: Vec<Glyph> = glyphs
            .iter()
            .filter(on_page)
            .filter(|g| g.rot == rot)
            .map(|g| {
                let (x, y) = match rot {
                    0 => (g.x, g.y),
                    1 => (g.y, -g.x),
                    2 => (-g.x, -g.y),
                    _ => (-g.y, g.x),
                };
                Glyph { x, y, ..g.clone() }
            })
            .collect();
        if !group.is_empty() {
            lines.extend(lines_of(group));
        }
    }
    lines
}

fn lines_of(mut glyphs: Vec<Glyph>) -> Vec<Line> {
    // Top to bottom; within a baseline band, left to right.
    glyphs.sort_by(|a, b| b.y.total_cmp(&a.y).then(a.x.total_cmp(&b.x)));
    let mut bands: Vec<(f32, f32, Vec<Glyph>)> = Vec::new();
    for g in glyphs {
        match bands.last_mut() {
            Some((top, size, members)) if *top - g.y <= BASELINE_TOLERANCE_OF_FONT_SIZE * size.max(g.size).max(1.0) => {
                if !g.is_space() {
                    *size = size.max(g.size);
                }
                members.push(g);
            }
            _ => {
                let size = if g.is_space() { 0.0 } else { g.size };
                bands.push((g.y, size, vec![g]));
            }
        }
    }
    bands.into_iter().filter_map(|(_, _, members)| line_from(members)).collect()
}

fn line_from(mut glyphs: Vec<Glyph>) -> Option<Line> {
    glyphs.sort_by(|a, b| a.x.total_cmp(&b.x));
    dedupe(&mut glyphs);
    let visible: Vec<&Glyph> = glyphs.iter().filter(|g| !g.is_space()).collect();
    if visible.is_empty() {
        return None;
    }
    let mut sizes: Vec<f32> = visible.iter().map(|g| g.size).collect();
    sizes.sort_by(f32::total_cmp);
    let size = sizes[sizes.len() / 2];
    let bold = visible.iter().filter(|g| g.bold).count() * 2 > visible.len();
    // Baseline of the line: that of its most common glyphs (ignores superscripts).
    let mut ys: Vec<f32> = visible.iter().map(|g| g.y).collect();
    ys.sort_by(f32::total_cmp);
    let y = ys[ys.len() / 2];

    let words = words_of(&glyphs);
    let cells = cells_of(words);
    Some(Line { cells, y, bottom: y, size, bold })
}

fn dedupe(glyphs: &mut Vec<Glyph>) {
    let mut kept: Vec<Glyph> = Vec::with_capacity(glyphs.len());
    for g in glyphs.drain(..) {
        let duplicate = kept.iter().rev().take(4).any(|k| {
            k.text == g.text && !g.is_space() && (k.x - g.x).abs() < DUPLICATE_OVERLAP_OF_WIDTH * g.width.max(0.1) && (k.y - g.y).abs() < 0.1 * g.size
        });
        if !duplicate {
            kept.push(g);
        }
    }
    *glyphs = kept;
}

fn words_of(glyphs: &[Glyph]) -> Vec<Word> {
    let mut words: Vec<Word> = Vec::new();
    let mut current: Option<Word> = None;
    let mut prev: Option<&Glyph> = None;
    for g in glyphs {
        if g.is_space() {
            words.extend(current.take());
            prev = None;
            continue;
        }
        let breaks = match (prev, &current) {
            (Some(p), Some(_)) => {
                let gap = g.x - (p.x + p.width);
                g.whole_word || p.whole_word || gap > WORD_GAP_OF_FONT_SIZE * g.size.max(p.size)
            }
            _ => true,
        };
        if breaks {
            words.extend(current.take());
            current = Some(Word { x: g.x, x_end: g.x + g.width, text: g.text.to_string(), size: g.size });
        } else if let Some(w) = current.as_mut() {
            w.text.push_str(&g.text);
            w.x_end = w.x_end.max(g.x + g.width);
            w.size = w.size.max(g.size);
        }
        prev = Some(g);
    }
    words.extend(current);
    words
}

fn cells_of(words: Vec<Word>) -> Vec<Cell> {
    let mut cells: Vec<Cell> = Vec::new();
    let mut last_end = f32::NEG_INFINITY;
    for w in words {
        let gap = w.x - last_end;
        last_end = last_end.max(w.x_end);
        match cells.last_mut() {
            Some(c) if gap <= CELL_GAP_OF_FONT_SIZE * w.size => {
                c.text.push(' ');
                c.text.push_str(&w.text);
                c.x_end = c.x_end.max(w.x_end);
            }
            _ => cells.push(Cell { x: w.x, x_end: w.x_end, first_word_width: w.x_end - w.x, text: w.text }),
        }
    }
    cells
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Glyphs for `text` set in a 10pt font with 5pt advances, starting at (x, y).
    fn run(text: &str, x: f32, y: f32) -> Vec<Glyph> {
        text.chars()
            .enumerate()
            .map(|(i, c)| Glyph {
                text: c.to_string().into_boxed_str(),
                x: x + 5.0 * i as f32,
                y,
                width: 5.0,
                size: 10.0,
                rot: 0,
                bold: false,
                whole_word: false,
            })
            .collect()
    }

    fn texts(lines: &[Line]) -> Vec<Vec<String>> {
        lines.iter().map(|l| l.cells.iter().map(|c| c.text.clone()).collect()).collect()
    }

    #[test]
    fn words_split_on_gaps_even_without_space_glyphs() {
        // "Hej" then a Td move of 3pt (0.3 em): a word break pdftotext makes too.
        let mut g = run("Hej", 100.0, 700.0);
        g.extend(run("då", 118.0, 700.0));
        assert_eq!(texts(&lay_out(&g, 595.0, 842.0)), vec![vec!["Hej då"]]);
    }

    #[test]
    fn kerning_gaps_do_not_split_words() {
        let mut g = run("Fa", 100.0, 700.0);
        g.extend(run("milj", 110.5, 700.0)); // 0.05 em kerning gap
        assert_eq!(texts(&lay_out(&g, 595.0, 842.0)), vec![vec!["Familj"]]);
    }

    #[test]
    fn table_written_column_by_column_reads_row_by_row() {
        let mut g = run("Namn", 50.0, 700.0);
        g.extend(run("Anna", 50.0, 686.0));
        g.extend(run("Kommun", 200.0, 700.0));
        g.extend(run("Berg", 200.0, 686.0));
        let lines = lay_out(&g, 595.0, 842.0);
        assert_eq!(texts(&lines), vec![vec!["Namn", "Kommun"], vec!["Anna", "Berg"]]);
    }

    #[test]
    fn superscripts_stay_on_their_line() {
        let mut g = run("SVOM beslutade", 50.0, 700.0);
        g.extend(run("1", 50.0 + 5.0 * 14.0, 703.5));
        let lines = lay_out(&g, 595.0, 842.0);
        assert_eq!(lines.len(), 1);
        assert_eq!(lines[0].y, 700.0);
    }

    #[test]
    fn duplicated_glyphs_are_dropped() {
        let mut g = run("Bold", 50.0, 700.0);
        g.extend(run("Bold", 50.3, 700.0));
        assert_eq!(texts(&lay_out(&g, 595.0, 842.0)), vec![vec!["Bold"]]);
    }

    #[test]
    fn glyphs_off_the_page_are_dropped() {
        let g = run("x", 900.0, 700.0);
        assert!(lay_out(&g, 595.0, 842.0).is_empty());
    }

    #[test]
    fn rotated_text_gets_lines_of_its_own() {
        let mut g = run("Upright", 50.0, 700.0);
        let mut r = run("Margin", 20.0, 100.0);
        for (i, gl) in r.iter_mut().enumerate() {
            gl.rot = 1;
            gl.x = 20.0;
            gl.y = 100.0 + 5.0 * i as f32;
        }
        g.extend(r);
        assert_eq!(texts(&lay_out(&g, 595.0, 842.0)), vec![vec!["Upright"], vec!["Margin"]]);
    }
}
