//! Page furniture: what repeats on every page and is not the protocol. Headers and footers
//! are found as lines near the top or bottom of pages that recur on at least half of them
//! (digits ignored, so "Sida 3 (12)" and "Sida 4 (12)" are one line); "Justerandes sign",
//! "Utdragsbestyrkande" and page numbers are furniture wherever they stand. A table of
//! contents ("Ärendelista" with dot leaders) is not the body either.
//!
//! Text without page breaks (a protocol saved as one text page) is cut into pages at its
//! "Sida N (M)" lines first, so its repeated headers are found the same way.

use std::sync::LazyLock;

use regex::Regex;

use super::TextLine;
use super::classify::{self, LineKind};
use super::headings::{self, Style};
use super::{dnr, vocabulary};

/// How many lines at the top and at the bottom of a page can be header or footer.
const ZONE_LINES: usize = 5;

/// A line recurring in the zones of at least this share of pages is furniture.
const MIN_SHARE_OF_PAGES: f32 = 0.5;

static ALWAYS: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^(?:justerandes\s+sign(?:atur)?|justerares\s+sign(?:atur)?|utdragsbestyrkande|ordförandes\s+sign(?:atur)?)\b").expect("valid regex")
});

static PAGE_NUMBER: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)^(?:sida|s\.|page)?\s*\d{1,4}\s*(?:\(\s*\d{1,4}\s*\)|(?:av|/|of)\s*\d{1,4})?$").expect("valid regex"));

static PAGE_MARK: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"(?i)^sida\s+\d{1,4}\s*(?:\(\s*\d{1,4}\s*\)|av\s+\d{1,4})$").expect("valid regex"));

static TOC_ENTRY: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"(?:\.{4,}|…{2,}|(?:\. ){4,})\s*\d{1,4}\s*$").expect("valid regex"));

static TOC_HEADING: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(r"(?i)^(?:{})\s*:?$", vocabulary::phrase_pattern(vocabulary::CONTENTS_HEADINGS.iter().copied()))).expect("valid regex")
});

/// Entries of a contents list run together on one line: "71 Rapport från verksamheten 3
/// 72 Digital teknik 4 …".
static RUN_OF_ENTRIES: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"(?:^|\s)\d{1,4}\.?\s+[A-ZÅÄÖ][a-zåäö]").expect("valid regex"));

/// Header and footer lines of a PDF stand at the same height on every page; baselines
/// within this many points count as the same place (a scan's skew moves them a little).
const SAME_PLACE_POINTS: f32 = 8.0;

/// Two lines are the same furniture when their shapes share this share of character
/// pairs (Dice's coefficient), which absorbs a letter or two that OCR misread.
const SAME_LINE_SIMILARITY: f32 = 0.8;

/// A line in a page's header or footer zone: its index, place and character pairs.
type ZoneLine = (usize, Place, Vec<(char, char)>);

/// Where a header or footer line stands on its page.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Place {
    Baseline(f32),
    FromTop(usize),
    FromBottom(usize),
}

impl Place {
    fn near(&self, other: &Place) -> bool {
        match (self, other) {
            (Place::Baseline(a), Place::Baseline(b)) => (a - b).abs() <= SAME_PLACE_POINTS,
            (Place::FromTop(a), Place::FromTop(b)) | (Place::FromBottom(a), Place::FromBottom(b)) => a.abs_diff(*b) <= 1,
            _ => false,
        }
    }
}

fn place(line: &TextLine, i: usize, start: usize, end: usize) -> Place {
    if line.geometry {
        Place::Baseline(line.y)
    } else if i - start < ZONE_LINES {
        Place::FromTop(i - start)
    } else {
        Place::FromBottom(end - 1 - i)
    }
}

/// The character pairs of a shape, spaces removed (OCR splits and joins words), sorted.
fn bigrams(shape: &str) -> Vec<(char, char)> {
    let chars: Vec<char> = shape.chars().filter(|c| !c.is_whitespace()).collect();
    let mut out: Vec<(char, char)> = chars.windows(2).map(|w| (w[0], w[1])).collect();
    out.sort_unstable();
    out
}

/// Dice's coefficient of two sorted multisets.
fn dice(a: &[(char, char)], b: &[(char, char)]) -> f32 {
    if a.is_empty() || b.is_empty() {
        return if a == b { 1.0 } else { 0.0 };
    }
    let (mut i, mut j, mut common) = (0, 0, 0);
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Equal => {
                common += 1;
                i += 1;
                j += 1;
            }
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
        }
    }
    2.0 * common as f32 / (a.len() + b.len()) as f32
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

/// Whether a line is part of the protocol's structure: an item heading, its diarienummer
/// or a heading inside an item.
fn is_structure(text: &str) -> bool {
    headings::shape(text).is_some_and(|s| s.style != Style::Bare)
        || dnr::starts_with_label(text)
        || matches!(classify::kind_of_line(text), LineKind::Section { .. })
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
        let needed = ((pages.len() as f32 * MIN_SHARE_OF_PAGES).ceil() as usize).max(2);
        // Each zone line with its place: its baseline, or for text without geometry its
        // distance in lines from the top or the bottom of its page.
        // An item heading or a section heading is never furniture, however alike the
        // pages start ("§ 106 Dnr IFU 2021/001" on one page, "§ 107 …" on the next).
        let zones: Vec<Vec<ZoneLine>> = pages
            .iter()
            .map(|&(s, e)| {
                zone(s, e).filter(|&i| !is_structure(&lines[i].text)).map(|i| (i, place(&lines[i], i, s, e), bigrams(&shape(&lines[i].text)))).collect()
            })
            .collect();
        // Each line is compared with the lines of at most REFERENCE_PAGES pages spread
        // over the document, so that the work grows with the pages, not their square.
        let reference = reference_pages(pages.len());
        let needed = if reference.len() == pages.len() { needed } else { ((reference.len() as f32 * MIN_SHARE_OF_PAGES).ceil() as usize).max(2) };
        for (p, zone_p) in zones.iter().enumerate() {
            for (i, at, grams) in zone_p {
                let elsewhere =
                    reference.iter().filter(|&&q| q != p && zones[q].iter().any(|(_, other_at, other)| at.near(other_at) && alike(grams, other))).count();
                if elsewhere + 1 >= needed {
                    furniture[*i] = true;
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
        if is_always_furniture(&l.text) || l.running_header {
            furniture[i] = true;
        }
        if is_toc_entry(&l.text) {
            toc[i] = true;
        }
    }
    // A table of contents: its heading and the entries under it on its page, with dot
    // leaders or without; it ends where a number it listed comes again (the item itself).
    for i in 0..lines.len() {
        if !TOC_HEADING.is_match(lines[i].text.trim()) {
            continue;
        }
        let mut listed: Vec<u32> = Vec::new();
        let mut entries = 0;
        for j in i + 1..lines.len() {
            if lines[j].page != lines[i].page {
                break;
            }
            if furniture[j] {
                continue;
            }
            let text = lines[j].text.trim();
            let shape = headings::shape(text);
            if let Some(s) = &shape {
                if listed.contains(&s.number) {
                    break;
                }
                listed.push(s.number);
            }
            let entry = toc[j] || shape.is_some() || RUN_OF_ENTRIES.find_iter(text).count() >= 2 || PAGE_NUMBER.is_match(text);
            if !entry {
                break;
            }
            toc[j] = true;
            entries += 1;
        }
        if entries > 0 {
            toc[i] = true;
        }
    }
    (furniture, toc)
}

/// Most pages a zone line is compared with: a document of more pages is compared with this
/// many spread evenly over it (a header on every page is on them too).
const REFERENCE_PAGES: usize = 64;

/// The pages zone lines are compared with: all of them, or an even spread.
fn reference_pages(pages: usize) -> Vec<usize> {
    if pages <= REFERENCE_PAGES {
        return (0..pages).collect();
    }
    (0..REFERENCE_PAGES).map(|k| k * pages / REFERENCE_PAGES).collect()
}

/// Whether two lines' character pairs are the same furniture; lengths too unlike to reach
/// the similarity are told apart without counting.
fn alike(a: &[(char, char)], b: &[(char, char)]) -> bool {
    let (short, long) = (a.len().min(b.len()) as f32, a.len().max(b.len()) as f32);
    if long > 0.0 && 2.0 * short / (short + long) < SAME_LINE_SIMILARITY {
        return false;
    }
    dice(a, b) >= SAME_LINE_SIMILARITY
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
    fn ocr_variants_of_a_header_are_one_header() {
        let l = lines(&[
            &["Sammanträdesprotokoll socialnämnden den 17 november 2022 4", "§ 149 Prognos"],
            &["S ämmanträdesprotokoll socialnämnden den 17 november 2022 5", "Text"],
            &["Sammanträdesprotokoll socialnämnden den 17 november:2022 6", "§ 150 Information"],
        ]);
        let (furniture, _) = classify(&l);
        assert_eq!(furniture, vec![true, false, true, false, true, false]);
    }

    #[test]
    fn headings_that_open_every_page_are_not_furniture() {
        let l = lines(&[
            &["Lidaholms kommun Sida 1 (3)", "§ 106 Dnr IFU 2021/001", "Godkännande", "Ärendebeskrivning", "Listan godkänns."],
            &["Lidaholms kommun Sida 2 (3)", "§ 107 Dnr IFU 2021/003", "Information", "Ärendebeskrivning", "Chefen informerar om läget."],
            &["Lidaholms kommun Sida 3 (3)", "§ 108 Dnr IFU 2021/452", "Överenskommelse", "Ärendebeskrivning", "Avtalet förlängs med två år."],
        ]);
        let (furniture, _) = classify(&l);
        let kept: Vec<&str> = l.iter().zip(&furniture).filter(|(_, f)| !**f).map(|(l, _)| l.text.as_str()).take(4).collect();
        assert_eq!(kept, ["§ 106 Dnr IFU 2021/001", "Godkännande", "Ärendebeskrivning", "Listan godkänns."]);
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
        let l = lines(&[&["Strömsunds kommun", "§ 1 Öppnande", "Sida 1 (2)", "Strömsunds kommun", "§ 2 Avslutning", "Sida 2 (2)"]]);
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
