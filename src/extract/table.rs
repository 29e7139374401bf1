//! Table rows whose cells wrap: joins the continuation lines of a wrapped row back into
//! the row, so "Lise Hjemgaard Svensson | Östersunds kommun | Ordf. Vård och" followed
//! by "(M) ordförande | | omsorgsnämnden" becomes one row of three cells.
//!
//! A following line continues the row when every one of its cells starts where a column
//! of the row starts, each would have wrapped (the cell's first word would not have fit
//! after the text above it in that column: the rule the word processor used), and it
//! leaves some column after the first empty, as a new row, which fills its columns
//! again, does not. No vertical spacing is needed; it differs by a point at most
//! between rows and wrapped lines.
//!
//! Text files (`pdftotext -layout` output, say) stretch the gaps between columns, so the
//! fit test says too little there; in text a line also continues the row when it leaves
//! empty a column between the row's first and last, which a new row does not do.
//!
//! The work is bounded: finding a cell's column is a binary search when the row's cells
//! are in order, and on a page of more than [`MAX_SCANNED_LINES`] lines the widest text
//! of a column comes from a tree of maxima per font size instead of a scan of the page;
//! a page that long with more than [`MAX_SIZE_GROUPS`] font sizes (no real page) is
//! left as it is.

use super::Line;

/// Cells start in the same column when their left edges differ by less than this share
/// of the font size.
const COLUMN_ALIGN_OF_FONT_SIZE: f32 = 0.6;

/// Width of a word space in proportional fonts, as a share of the font size.
const WORD_SPACE_OF_FONT_SIZE: f32 = 0.25;

/// A continuation line lies at most this many font sizes below the line above it: the
/// leading of a cell's lines (1.2–1.4 in word processors), not a paragraph's spacing.
const MAX_WRAP_ADVANCE_OF_FONT_SIZE: f32 = 1.75;

/// Up to this many lines on a page, the widest text of a column is found by scanning
/// the page's cells (a real page has a few hundred at most).
const MAX_SCANNED_LINES: usize = 5_000;

/// Most distinct font sizes on a page longer than [`MAX_SCANNED_LINES`] for which wrapped
/// rows are joined.
const MAX_SIZE_GROUPS: usize = 64;

/// The unit of the cells' positions.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Units {
    /// Points on a page (PDF, OCR): a word space is about a quarter of the font size.
    Points,
    /// Fixed-pitch text: the character columns of a text file (whose font size is taken
    /// as 1), or a page set in a typewriter font.
    Characters,
}

/// Whether a cell at `x` starts in the column at `start` (lines of font size `size`).
fn aligned(start: f32, x: f32, size: f32) -> bool {
    (start - x).abs() < COLUMN_ALIGN_OF_FONT_SIZE * size
}

/// The first of `starts` (in ascending order) that `x` is aligned with: the aligned
/// starts are a run of the sorted starts, as `start - x` grows with `start`.
fn first_aligned(starts: &[f32], x: f32, size: f32) -> Option<usize> {
    let tolerance = COLUMN_ALIGN_OF_FONT_SIZE * size;
    let k = starts.partition_point(|&s| s - x <= -tolerance);
    starts.get(k).filter(|&&s| aligned(s, x, size)).map(|_| k)
}

/// Maxima of ranges of a list, each answered in logarithmic time.
struct MaxTree {
    leaves: usize,
    nodes: Vec<f32>,
}

impl MaxTree {
    fn new(values: &[f32]) -> MaxTree {
        let n = values.len();
        let mut nodes = vec![f32::NEG_INFINITY; 2 * n];
        nodes[n..].copy_from_slice(values);
        for i in (1..n).rev() {
            nodes[i] = nodes[2 * i].max(nodes[2 * i + 1]);
        }
        MaxTree { leaves: n, nodes }
    }

    /// The greatest value of `from..to`.
    fn max(&self, from: usize, to: usize) -> f32 {
        let (mut l, mut r) = (from + self.leaves, to + self.leaves);
        let mut m = f32::NEG_INFINITY;
        while l < r {
            if l & 1 == 1 {
                m = m.max(self.nodes[l]);
                l += 1;
            }
            if r & 1 == 1 {
                r -= 1;
                m = m.max(self.nodes[r]);
            }
            l >>= 1;
            r >>= 1;
        }
        m
    }
}

/// The cells of a page with one font size, by left edge, for the widest text of a column.
struct SizeGroup {
    size: f32,
    starts: Vec<f32>,
    ends: MaxTree,
}

/// Where the text of each column of a page ends: the right edge of the widest text that
/// starts at the column anywhere on the page.
enum ColumnEnds {
    /// Every cell's left edge, right edge and its line's font size, scanned per row.
    Scan(Vec<(f32, f32, f32)>),
    /// The cells grouped by font size, each group sorted by left edge.
    Groups(Vec<SizeGroup>),
    /// Too many lines and sizes to tell: rows are not joined.
    Unknown,
}

impl ColumnEnds {
    fn new(lines: &[Line]) -> ColumnEnds {
        let extents = lines.iter().flat_map(|l| l.cells.iter().map(move |c| (c.x, c.x_end, l.size)));
        if lines.len() <= MAX_SCANNED_LINES {
            return ColumnEnds::Scan(extents.collect());
        }
        let mut cells: Vec<(f32, f32, f32)> = extents.filter(|e| e.0.is_finite() && e.2.is_finite()).collect();
        cells.sort_by(|a, b| a.2.total_cmp(&b.2).then(a.0.total_cmp(&b.0)));
        let mut groups: Vec<SizeGroup> = Vec::new();
        for chunk in cells.chunk_by(|a, b| a.2.to_bits() == b.2.to_bits()) {
            if groups.len() == MAX_SIZE_GROUPS {
                return ColumnEnds::Unknown;
            }
            let ends: Vec<f32> = chunk.iter().map(|e| e.1).collect();
            groups.push(SizeGroup { size: chunk[0].2, starts: chunk.iter().map(|e| e.0).collect(), ends: MaxTree::new(&ends) });
        }
        ColumnEnds::Groups(groups)
    }

    /// The right edge of the widest text starting at `start`, if it can be told.
    fn limit(&self, start: f32) -> Option<f32> {
        match self {
            ColumnEnds::Scan(extents) => Some(extents.iter().filter(|(x, _, s)| aligned(*x, start, *s)).fold(f32::NEG_INFINITY, |m, (_, end, _)| m.max(*end))),
            ColumnEnds::Groups(groups) => Some(groups.iter().fold(f32::NEG_INFINITY, |m, g| {
                let tolerance = COLUMN_ALIGN_OF_FONT_SIZE * g.size;
                let from = g.starts.partition_point(|&x| x - start <= -tolerance);
                let to = g.starts.partition_point(|&x| x - start < tolerance);
                if from < to { m.max(g.ends.max(from, to)) } else { m }
            })),
            ColumnEnds::Unknown => None,
        }
    }
}

/// Joins wrapped table rows in `lines` (top to bottom).
pub fn merge_wrapped_rows(lines: Vec<Line>, units: Units) -> Vec<Line> {
    let space = match units {
        Units::Points => WORD_SPACE_OF_FONT_SIZE,
        Units::Characters => 1.0,
    };
    let column_ends = ColumnEnds::new(&lines);
    let mut out: Vec<Line> = Vec::with_capacity(lines.len());
    let mut iter = lines.into_iter().peekable();
    while let Some(mut row) = iter.next() {
        if row.cells.len() < 2 {
            out.push(row);
            continue;
        }
        let size = row.size.max(f32::EPSILON);
        let starts: Vec<f32> = row.cells.iter().map(|c| c.x).collect();
        let in_order = starts.is_sorted();
        // Where each column's text must end: the next column's start; for the last
        // column, the widest text that starts at that column anywhere on the page.
        let last_start = starts[starts.len() - 1];
        let Some(last_limit) = column_ends.limit(last_start) else {
            out.push(row);
            continue;
        };
        let mut ends: Vec<f32> = row.cells.iter().map(|c| c.x_end).collect();
        let mut taken = vec![false; starts.len()];
        while let Some(next) = iter.peek() {
            if row.bottom - next.y > MAX_WRAP_ADVANCE_OF_FONT_SIZE * size || next.cells.is_empty() {
                break;
            }
            taken.fill(false);
            let mut columns = Vec::with_capacity(next.cells.len());
            for cell in &next.cells {
                let column = if in_order { first_aligned(&starts, cell.x, size) } else { starts.iter().position(|&s| aligned(s, cell.x, size)) };
                match column {
                    Some(k) if !taken[k] => {
                        taken[k] = true;
                        columns.push(k);
                    }
                    _ => break,
                }
            }
            if columns.len() != next.cells.len() {
                break;
            }
            // Each cell would have wrapped, and fits its column as a wrapped line must.
            let wrapped = next.cells.iter().zip(&columns).all(|(cell, &k)| {
                let limit = if k + 1 < starts.len() { starts[k + 1] } else { last_limit };
                ends[k] + space * size + cell.first_word_width > limit && (k + 1 == starts.len() || cell.x_end <= starts[k + 1])
            });
            // A new row fills the row's columns again; a wrapped remainder leaves some
            // column after the first empty.
            let leaves_gap = (1..starts.len()).any(|k| !taken[k]);
            let leaves_inner_gap = (1..starts.len() - 1).any(|k| !taken[k]);
            let continues = match units {
                Units::Points => wrapped && leaves_gap,
                Units::Characters => (wrapped && leaves_gap) || leaves_inner_gap,
            };
            if !continues {
                break;
            }
            let next = iter.next().expect("peeked");
            for (cell, k) in next.cells.into_iter().zip(columns) {
                let target = &mut row.cells[k];
                target.text.push(' ');
                target.text.push_str(&cell.text);
                target.x_end = target.x_end.max(cell.x_end);
                ends[k] = cell.x_end;
            }
            row.bottom = next.bottom;
        }
        out.push(row);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::extract::Cell;

    /// A line of cells given as (x, text) in a 10pt font where a character is 5pt wide.
    fn line(y: f32, cells: &[(f32, &str)]) -> Line {
        Line {
            y,
            bottom: y,
            size: 10.0,
            bold: false,
            cells: cells
                .iter()
                .map(|(x, t)| Cell {
                    x: *x,
                    x_end: x + 5.0 * t.chars().count() as f32,
                    first_word_width: 5.0 * t.split(' ').next().map_or(0, |w| w.chars().count()) as f32,
                    text: t.to_string(),
                })
                .collect(),
        }
    }

    fn texts(lines: &[Line]) -> Vec<Vec<&str>> {
        lines.iter().map(|l| l.cells.iter().map(|c| c.text.as_str()).collect()).collect()
    }

    #[test]
    fn wrapped_name_and_title_cells_rejoin_their_row() {
        // From socsam-2022-06-03: name column 181-297, municipality 297-413, title 413-.
        let lines = vec![
            line(700.0, &[(65.0, "Beslutande"), (181.5, "Lise Hjemgaard Svensson"), (297.7, "Östersunds"), (413.9, "Ordf. Vård och")]),
            line(686.0, &[(181.5, "(M) ordförande"), (413.9, "omsorgsnämnden")]),
            line(671.0, &[(181.5, "Karin Näsmark"), (297.7, "Strömsunds"), (413.9, "Ordf. Social")]),
        ];
        let merged = merge_wrapped_rows(lines, Units::Points);
        assert_eq!(
            texts(&merged),
            vec![
                vec!["Beslutande", "Lise Hjemgaard Svensson (M) ordförande", "Östersunds", "Ordf. Vård och omsorgsnämnden"],
                vec!["Karin Näsmark", "Strömsunds", "Ordf. Social"],
            ]
        );
    }

    #[test]
    fn a_short_cell_followed_by_a_new_row_is_not_a_wrap() {
        let lines = vec![line(700.0, &[(181.5, "Helen"), (297.7, "Bergs kommun")]), line(686.0, &[(181.5, "Peppe"), (297.7, "Bräcke kommun")])];
        assert_eq!(merge_wrapped_rows(lines, Units::Points).len(), 2);
    }

    #[test]
    fn a_new_row_of_wide_cells_is_not_a_wrap() {
        // From socsam-2021-10-08: both cells of the next row are too wide to have fit.
        let lines = vec![
            line(700.0, &[(181.5, "Anna Berkestedt Jonsson"), (297.7, "Krokoms kommun")]),
            line(686.0, &[(181.5, "Nils-Olof Nilsson"), (297.7, "Ragunda kommun")]),
        ];
        assert_eq!(merge_wrapped_rows(lines, Units::Points).len(), 2);
    }

    #[test]
    fn a_line_wider_than_the_column_is_not_its_continuation() {
        // stromsund § 152: a bullet and its text, then a heading at the left margin.
        let lines = vec![line(700.0, &[(62.7, "-"), (90.0, "avtalet ska gälla till 2024")]), line(686.0, &[(62.7, "Beslut skickas till")])];
        assert_eq!(merge_wrapped_rows(lines, Units::Points).len(), 2);
    }

    #[test]
    fn single_cell_lines_are_never_merged() {
        let lines = vec![line(700.0, &[(65.0, "En mening som bryts")]), line(686.0, &[(65.0, "över två rader.")])];
        assert_eq!(merge_wrapped_rows(lines, Units::Points).len(), 2);
    }

    #[test]
    fn in_text_files_an_empty_inner_column_marks_a_continuation() {
        let lines = vec![
            line(-1.0, &[(0.0, "Beslutande"), (23.0, "Lise Hjemgaard Svensson"), (58.0, "Östersunds kommun"), (86.0, "Ordf. Vård och")]),
            line(-2.0, &[(23.0, "(M) ordförande"), (86.0, "omsorgsnämnden")]),
            line(-3.0, &[(23.0, "Karin Näsmark (S) vice"), (58.0, "Strömsunds kommun"), (86.0, "Ordf. Socialnämnden")]),
            line(-4.0, &[(23.0, "Malin Andersson"), (58.0, "Åre kommun")]),
        ]
        .into_iter()
        .map(|mut l| {
            l.size = 1.0;
            for c in &mut l.cells {
                c.x_end = c.x + c.text.chars().count() as f32;
                c.first_word_width = c.text.split(' ').next().map_or(0, |w| w.chars().count()) as f32;
            }
            l
        })
        .collect();
        let merged = merge_wrapped_rows(lines, Units::Characters);
        assert_eq!(texts(&merged).len(), 3);
        assert_eq!(merged[0].cells[1].text, "Lise Hjemgaard Svensson (M) ordförande");
    }

    #[test]
    fn misaligned_lines_end_the_row() {
        let lines = vec![line(700.0, &[(65.0, "Ordförande"), (181.5, "Lise Hjemgaard Svensson")]), line(686.0, &[(120.0, "Sekreterare")])];
        assert_eq!(merge_wrapped_rows(lines, Units::Points).len(), 2);
    }
}
