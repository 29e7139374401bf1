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

use super::Line;

/// Cells start in the same column when their left edges differ by less than this share
/// of the font size.
const COLUMN_ALIGN_OF_FONT_SIZE: f32 = 0.6;

/// Width of a word space in proportional fonts, as a share of the font size.
const WORD_SPACE_OF_FONT_SIZE: f32 = 0.25;

/// A continuation line lies at most this many font sizes below the line above it: the
/// leading of a cell's lines (1.2–1.4 in word processors), not a paragraph's spacing.
const MAX_WRAP_ADVANCE_OF_FONT_SIZE: f32 = 1.75;

/// The unit of the cells' positions.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Units {
    /// Points on a page (PDF, OCR): a word space is about a quarter of the font size.
    Points,
    /// Fixed-pitch text: the character columns of a text file (whose font size is taken
    /// as 1), or a page set in a typewriter font.
    Characters,
}

/// Joins wrapped table rows in `lines` (top to bottom).
pub fn merge_wrapped_rows(lines: Vec<Line>, units: Units) -> Vec<Line> {
    let space = match units {
        Units::Points => WORD_SPACE_OF_FONT_SIZE,
        Units::Characters => 1.0,
    };
    let extents: Vec<(f32, f32, f32)> = lines.iter().flat_map(|l| l.cells.iter().map(move |c| (c.x, c.x_end, l.size))).collect();
    let mut out: Vec<Line> = Vec::with_capacity(lines.len());
    let mut iter = lines.into_iter().peekable();
    while let Some(mut row) = iter.next() {
        if row.cells.len() < 2 {
            out.push(row);
            continue;
        }
        let size = row.size.max(f32::EPSILON);
        let starts: Vec<f32> = row.cells.iter().map(|c| c.x).collect();
        // Where each column's text must end: the next column's start; for the last
        // column, the widest text that starts at that column anywhere on the page.
        let last_start = starts[starts.len() - 1];
        let last_limit =
            extents.iter().filter(|(x, _, s)| (x - last_start).abs() < COLUMN_ALIGN_OF_FONT_SIZE * s).fold(f32::NEG_INFINITY, |m, (_, end, _)| m.max(*end));
        let mut ends: Vec<f32> = row.cells.iter().map(|c| c.x_end).collect();
        while let Some(next) = iter.peek() {
            if row.bottom - next.y > MAX_WRAP_ADVANCE_OF_FONT_SIZE * size || next.cells.is_empty() {
                break;
            }
            let mut columns = Vec::with_capacity(next.cells.len());
            for cell in &next.cells {
                match starts.iter().position(|&s| (s - cell.x).abs() < COLUMN_ALIGN_OF_FONT_SIZE * size) {
                    Some(k) if !columns.contains(&k) => columns.push(k),
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
            let leaves_gap = (1..starts.len()).any(|k| !columns.contains(&k));
            let leaves_inner_gap = (1..starts.len() - 1).any(|k| !columns.contains(&k));
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
