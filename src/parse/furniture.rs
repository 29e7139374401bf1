//! Page furniture: what repeats on every page and is not the protocol. Headers and footers
//! are found as lines near the top or bottom of pages that recur on at least half of them
//! (digits ignored, so "Sida 3 (12)" and "Sida 4 (12)" are one line); "Justerandes sign",
//! "Utdragsbestyrkande" and page numbers are furniture wherever they stand. A table of
//! contents ("Ärendelista" with dot leaders) is not the body either.
//!
//! Text without page breaks (a protocol saved as one text page) is cut into pages at its
//! "Sida N (M)" lines first, so its repeated headers are found the same way.

use std::collections::HashMap;
use std::sync::LazyLock;

use regex::Regex;

use super::TextLine;

/// How many lines at the top and at the bottom of a page can be header or footer.
const ZONE_LINES: usize = 5;

/// A line recurring in the zones of at least this share of pages is furniture.
const MIN_SHARE_OF_PAGES: f32 = 0.5;

static ALWAYS: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^(?:justerandes\s+sign(?:atur)?|justerares\s+sign(?:atur)?|utdragsbestyrkande|ordförandes\s+sign(?:atur)?)\b")
        .expect("valid regex")
});

static PAGE_NUMBER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^(?:sida|s\.|page)?\s*\d{1,4}\s*(?:\(\s*\d{1,4}\s*\)|(?:av|/|of)\s*\d{1,4})?$").expect("valid regex")
});

static PAGE_MARK: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)^sida\s+\d{1,4}\s*(?:\(\s*\d{1,4}\s*\)|av\s+\d{1,4})$").expect("valid regex"));

static TOC_ENTRY: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?:\.{4,}|…{2,}|(?:\. ){4,})\s*\d{1,4}\s*$").expect("valid regex"));

static TOC_HEADING: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^(?:ärendelista|innehållsförteckning|innehåll|ärendeförteckning|paragrafförteckning)\s*:?$")
        .expect("valid regex")
});

/// Header and footer lines of a PDF stand at the same height on every page; baselines
/// within this many points count as the same place.
const SAME_PLACE_POINTS: f32 = 6.0;

/// The form a line takes when compared across pages: lower case, digits as `#`, spaces
/// collapsed, and for lines with geometry, where on the page it stands.
fn key(line: &TextLine) -> String {
    let place = if line.geometry { format!("@{}", (line.y / SAME_PLACE_POINTS).round()) } else { String::new() };
    shape(&line.text) + &place
}

fn shape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for word in text.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        for c in word.chars() {
            out.extend(if c.is_ascii_digit() { '#'.to_lowercase() } else { c.to_lowercase() });
        }
    }
    out
}

/// Whether a line is furniture wherever it stands.
pub fn is_always_furniture(text: &str) -> bool {
    let t = text.trim();
    ALWAYS.is_match(t) || PAGE_MARK.is_match(t)
}

/// Whether a line is a table-of-contents entry (a title, dot leaders, a page number).
pub fn is_toc_entry(text: &str) -> bool {
    TOC_ENTRY.is_match(text.trim_end())
}

/// Cuts a single page of text into pages after each "Sida N (M)" line.
fn virtual_pages(lines: &[TextLine]) -> Vec<(usize, usize)> {
    let mut ranges = Vec::new();
    let mut start = 0;
    for (i, l) in lines.iter().enumerate() {
        if PAGE_MARK.is_match(l.text.trim()) {
            ranges.push((start, i + 1));
            start = i + 1;
        }
    }
    if start < lines.len() {
        ranges.push((start, lines.len()));
    }
    ranges
}

/// Marks furniture and table-of-contents lines. Returns, per line, whether it is furniture
/// (`true`) and separately whether it is part of a table of contents.
pub fn classify(lines: &[TextLine]) -> (Vec<bool>, Vec<bool>) {
    let mut furniture = vec![false; lines.len()];
    let mut toc = vec![false; lines.len()];

    // Pages: the real ones, or virtual ones cut at "Sida N (M)".
    let mut pages: Vec<(usize, usize)> = Vec::new();
    let mut start = 0;
    for i in 1..=lines.len() {
        if i == lines.len() || lines[i].page != lines[start].page {
            pages.push((start, i));
            start = i;
        }
    }
    if pages.len() == 1 {
        pages = virtual_pages(lines);
    }

    if pages.len() >= 2 {
        let mut counts: HashMap<String, usize> = HashMap::new();
        for &(s, e) in &pages {
            let mut seen: Vec<String> = Vec::new();
            for i in zone(s, e) {
                let sh = key(&lines[i]);
                if !seen.contains(&sh) {
                    seen.push(sh);
                }
            }
            for sh in seen {
                *counts.entry(sh).or_insert(0) += 1;
            }
        }
        let needed = ((pages.len() as f32 * MIN_SHARE_OF_PAGES).ceil() as usize).max(2);
        for &(s, e) in &pages {
            for i in zone(s, e) {
                if counts.get(&key(&lines[i])).is_some_and(|&n| n >= needed) {
                    furniture[i] = true;
                }
            }
        }
        // A bare page number at the very top or bottom of a page.
        for &(s, e) in &pages {
            for i in [s, e.saturating_sub(1)] {
                if i < e && PAGE_NUMBER.is_match(lines[i].text.trim()) {
                    furniture[i] = true;
                }
            }
        }
    }
    for (i, l) in lines.iter().enumerate() {
        if is_always_furniture(&l.text) {
            furniture[i] = true;
        }
        if is_toc_entry(&l.text) {
            toc[i] = true;
        }
    }
    // The heading of a table of contents, when entries follow it.
    for i in 0..lines.len() {
        if TOC_HEADING.is_match(lines[i].text.trim()) {
            let next = (i + 1..lines.len()).find(|&j| !furniture[j]);
            if next.is_some_and(|j| toc[j]) {
                toc[i] = true;
            }
        }
    }
    (furniture, toc)
}

fn zone(start: usize, end: usize) -> impl Iterator<Item = usize> {
    let top = start..end.min(start + ZONE_LINES);
    let bottom = end.saturating_sub(ZONE_LINES).max(start + ZONE_LINES).min(end)..end;
    top.chain(bottom)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines(pages: &[&[&str]]) -> Vec<TextLine> {
        let mut out = Vec::new();
        for (p, texts) in pages.iter().enumerate() {
            for t in texts.iter() {
                out.push(TextLine::test(p as u32 + 1, t));
            }
        }
        out
    }

    #[test]
    fn headers_and_footers_repeating_across_pages() {
        let l = lines(&[
            &["Sociala samrådsgruppen (SocSam)", "Protokoll 2022-06-03", "§ 27 Sammanträdet öppnas", "Text", "Sida 1 (3)"],
            &["Sociala samrådsgruppen (SocSam)", "Protokoll 2022-06-03", "Mer text", "Sida 2 (3)"],
            &["Sociala samrådsgruppen (SocSam)", "Protokoll 2022-06-03", "§ 28 Val av justerare", "Sida 3 (3)"],
        ]);
        let (furniture, _) = classify(&l);
        let kept: Vec<&str> = l.iter().zip(&furniture).filter(|(_, f)| !**f).map(|(l, _)| l.text.as_str()).collect();
        assert_eq!(kept, vec!["§ 27 Sammanträdet öppnas", "Text", "Mer text", "§ 28 Val av justerare"]);
    }

    #[test]
    fn signature_boxes_and_page_marks_anywhere() {
        assert!(is_always_furniture("Justerandes sign Justerandes sign Utdragsbestyrkande"));
        assert!(is_always_furniture("Sida 10 (12)"));
        assert!(is_always_furniture("Sida 2 av 5"));
        assert!(!is_always_furniture("Sidan visar att justerandes arbete"));
    }

    #[test]
    fn single_text_page_is_cut_at_page_marks() {
        let l = lines(&[&[
            "Strömsunds kommun",
            "§ 1 Öppnande",
            "Sida 1 (2)",
            "Strömsunds kommun",
            "§ 2 Avslutning",
            "Sida 2 (2)",
        ]]);
        let (furniture, _) = classify(&l);
        assert_eq!(furniture, vec![true, false, true, true, false, true]);
    }

    #[test]
    fn table_of_contents_with_dot_leaders() {
        let l = lines(&[&["Ärendelista", "§ 27 Sammanträdet öppnas.............4", "§ 28 Val av justerare......4", "§ 27 Sammanträdet öppnas"]]);
        let (_, toc) = classify(&l);
        assert_eq!(toc, vec![true, true, true, false]);
    }
}
