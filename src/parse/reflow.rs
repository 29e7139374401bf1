//! Text whose line breaks were lost (LAYOUTS §7): a protocol copied from a web viewer or
//! a transcript, where each page or each paragraph is one long line, with headings, labels
//! and names standing inside it. Such lines are cut back into lines before anything else
//! reads them, so that every later rule sees the shapes it knows:
//!
//! - Each page on a line of its own, opened by its page number ("2 Socialnämnden (27) SN 13
//!   Bidrag …"), becomes a page again, without the number; the running header that opens
//!   most page lines is cut off as a line of its own, where the furniture rules find it.
//! - A long line is cut before every label of the vocabulary ("Beslutande", "Utses att
//!   justera", "Socialnämndens beslut", …) and after it, when a value follows it: labels
//!   are capitalised and a value starts with a capital, a digit or a colon, so the same
//!   word inside a sentence ("… beslut om …") stays where it is.
//! - It is cut before an item heading (`§ 12`, `SN 13`, `Ks 1 Dnr …`, and a bare `74 Upprop …`
//!   where the document has no §), and after the heading's title, which ends at the next
//!   label, a Dnr, the end of a sentence, or a capitalised word that starts one.
//! - It is cut before a diarienummer ("Dnr 31/16"), and after it.
//!
//! Short lines are left alone: this module changes nothing in a document whose lines are
//! intact.

use std::sync::LazyLock;

use regex::Regex;

use super::headings::{self, Style};
use super::vocabulary::{self, phrase_pattern};
use super::{TextLine, dnr};

/// A line longer than this, in characters, has lost its line breaks: a printed line holds
/// about 100 characters, a table row with a wrapped cell joined a little more.
pub const FLAT_LINE_CHARS: usize = 200;

/// Most words of a title in a line without breaks, when nothing else ends it earlier. Real
/// titles rarely pass 14 words; the longest in the sample has 13.
const MAX_FLAT_TITLE_WORDS: usize = 14;

/// Page lines need at least this many pages numbered in order to count as pages.
const MIN_NUMBERED_PAGES: usize = 2;

/// The running header cut off page lines is at most this many words.
const MAX_RUNNING_HEADER_WORDS: usize = 8;

/// A label of the vocabulary, at a word boundary.
static LABEL: LazyLock<Regex> = LazyLock::new(|| {
    let phrases = vocabulary::ROLE_LABELS
        .iter()
        .map(|(p, _)| *p)
        .chain(vocabulary::HEADER_LABELS.iter().map(|(p, _)| *p))
        .chain(vocabulary::OFFICER_LABELS.iter().map(|(p, _)| *p))
        .chain(vocabulary::SIGNATURE_HEADINGS.iter().copied())
        .chain(vocabulary::SECTION_HEADINGS.iter().map(|(p, _)| *p))
        .chain(vocabulary::CONTENTS_HEADINGS.iter().copied());
    Regex::new(&format!(r"(?i)^(?:(?:{})|[\wåäö-]+s\s+(?:beslut|förslag(?:\s+till\s+beslut)?))(?:\s*:)?", phrase_pattern(phrases))).expect("valid regex")
});

/// Phrases of page furniture, at a word boundary.
static FURNITURE: LazyLock<Regex> = LazyLock::new(|| {
    let phrases = vocabulary::FURNITURE_PHRASES.iter().copied().filter(|p| p.contains(' ') || p.len() > 6);
    Regex::new(&format!(r"(?i)^(?:{})\b", phrase_pattern(phrases))).expect("valid regex")
});

/// A page number that opens a page line, possibly twice ("2 2 74 Upprop …").
static PAGE_NUMBER: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"^(\d{1,3})\s+(?:(\d{1,3})\s+)?").expect("valid regex"));

/// Capitalised words that open a sentence rather than continue a title: pronouns,
/// prepositions and the definite forms of organs ("Socialnämnden har …").
static BODY_START: LazyLock<Regex> = LazyLock::new(|| {
    let organs =
        vocabulary::ORGAN_ENDINGS.iter().filter(|e| e.ends_with("en") || e.ends_with("et") || e.ends_with("ige")).copied().collect::<Vec<_>>().join("|");
    Regex::new(&format!(r"^(?:[A-ZÅÄÖ][a-zåäö-]*(?:{organs})|Ordföranden|Ordförande|Det|Den|De|Detta|Denna|Dessa|Han|Hon|Vi|Man|Enligt|Efter|Under|Inför|Sedan|Mot|Genom|Beslutet|Ärendet|Frågan|Förslaget|Informationen|Till|Som|Här|Nu|Samtliga|Inga|Ingen|Inget)$")).expect("valid regex")
});

/// Lower-case words after which a capitalised word belongs to a title ("Avtal med Region
/// Jämtland"): prepositions and conjunctions.
const JOINING_WORDS: &[&str] = &[
    "i",
    "och",
    "av",
    "för",
    "till",
    "om",
    "med",
    "på",
    "från",
    "samt",
    "vid",
    "inom",
    "under",
    "över",
    "gällande",
    "avseende",
    "angående",
    "mot",
    "efter",
    "hos",
    "per",
    "via",
    "mellan",
    "kring",
    "inför",
    "enligt",
    "ang",
    "ang.",
    "rörande",
    "/",
    "-",
    "–",
    "&",
];

#[derive(Debug, Clone, Copy, PartialEq)]
enum Anchor {
    /// A label; the value after it goes on a line of its own.
    Label,
    /// A participant label whose list opens with a title on its line ("Övriga deltagande
    /// Nämndsekreterare Jonatan Ekdahl"): a line starts here and the list goes on in it.
    ListStart,
    /// An item heading with its title.
    Heading,
    /// A diarienummer.
    Dnr,
    /// Page furniture run into the text ("Justerandes sign"): a line of its own.
    Furniture,
}

/// Whether the text after a label is a value: nothing, a colon, a capital, a digit, a
/// bracket, a bullet or quotes.
fn value_follows(rest: &str) -> bool {
    match rest.trim_start().chars().next() {
        None => true,
        Some(c) => c.is_uppercase() || c.is_ascii_digit() || ":(•–-\"”…._§".contains(c),
    }
}

/// Whether byte `i` of `text` starts a word.
fn word_start(text: &str, i: usize) -> bool {
    i == 0 || text[..i].chars().next_back().is_some_and(|c| c.is_whitespace() || c == '(' || c == '"')
}

/// Whether the text before byte `i` ends a sentence, a clause or a value: the start, a
/// full stop, a colon, a closing bracket, a number or a capitalised word.
fn after_boundary(text: &str, i: usize) -> bool {
    let before = text[..i].trim_end();
    match before.chars().next_back() {
        None => true,
        Some(c) => ".:;!?)]”\"".contains(c),
    }
}

/// The anchors of a long line, in order: where each starts and what it is.
fn anchors(text: &str, bare_numbers: bool) -> Vec<(usize, Anchor, usize)> {
    let mut out: Vec<(usize, Anchor, usize)> = Vec::new();
    let mut i = 0;
    while i < text.len() {
        let rest = &text[i..];
        let c = rest.chars().next().unwrap_or(' ');
        let step = c.len_utf8();
        if !word_start(text, i) || c.is_whitespace() {
            i += step;
            continue;
        }
        let mut found: Option<(Anchor, usize)> = None;
        if c == '§' || c.is_ascii_digit() || c.is_uppercase() || c == '•' {
            if let Some(h) = headings::shape(rest) {
                let title = &rest[h.head_len..];
                let label_next = LABEL.find(title).is_some_and(|m| value_follows(&title[m.end()..]));
                let allowed = match h.style {
                    Style::Paragraph => !preceded_by_law_reference(text, i) && !attended_by_person(text, i, h.prefix.as_deref(), &rest[h.head_len..]),
                    Style::Prefixed => !label_next,
                    Style::Bare => bare_numbers && after_boundary(text, i) && !label_next,
                    // "3. Ekonomi", "2) …", "Punkt 4 …": at the start of a line, or after a
                    // sentence when the number is marked as one.
                    Style::Numbered => {
                        i == 0
                            || (after_boundary(text, i)
                                && rest.split_whitespace().next().is_some_and(|w| w.ends_with('.') || w.ends_with(')') || w.eq_ignore_ascii_case("punkt")))
                    }
                };
                if allowed {
                    found = Some((Anchor::Heading, h.head_len));
                }
            }
        }
        if found.is_none()
            && c.is_uppercase()
            && let Some((0, end, _)) = dnr::find(rest)
        {
            found = Some((Anchor::Dnr, end));
        }
        if found.is_none()
            && c.is_uppercase()
            && let Some(m) = FURNITURE.find(rest)
        {
            found = Some((Anchor::Furniture, m.end()));
        }
        if found.is_none()
            && c.is_uppercase()
            && let Some(m) = LABEL.find(rest)
            && value_follows(&rest[m.end()..])
            && rest[m.end()..].chars().next().is_none_or(|c| !c.is_alphanumeric())
        {
            // A participant label with the column headers of its table is one line; with
            // an officer's title after it, the title opens its list, as a printed line would
            // show: the title is a title before a name, not a label.
            found = Some(match (is_role_label(m.as_str()), column_headers_end(text, i + m.end(), text.len())) {
                (true, Some(end)) => (Anchor::Label, end - i),
                (true, None) => officer_title_at(&rest[m.end()..]).map_or((Anchor::Label, m.end()), |len| (Anchor::ListStart, m.end() + len)),
                (false, _) => (Anchor::Label, m.end()),
            });
        }
        match found {
            Some((kind, len)) => {
                out.push((i, kind, len));
                i += len.max(step);
            }
            None => {
                // The next word.
                i += rest.find(char::is_whitespace).map_or(rest.len(), |e| e.max(step));
            }
        }
    }
    out
}

/// The length up to the end of an officer's title that opens `text` ("Nämndsekreterare"),
/// white space before it included.
fn officer_title_at(text: &str) -> Option<usize> {
    let t = text.trim_start();
    LABEL.find(t).filter(|m| m.start() == 0 && is_officer_title(m.as_str())).map(|m| text.len() - t.len() + m.end())
}

/// "Ledamöter Parti Närvarande § Anna Rydén …": where the column headers of an attendance
/// table that follow a participant label end, when at least two follow it.
fn column_headers_end(text: &str, from: usize, to: usize) -> Option<usize> {
    use super::participants::column_of;
    let words: Vec<(usize, &str)> = word_spans(&text[from..to]).collect();
    let (mut k, mut n, mut end) = (0, 0, from);
    let span_end = |k: usize| from + words[k].0 + words[k].1.len();
    while k < words.len() {
        // Two-word headers first: "Ej tjg", "Ej närvarande".
        if k + 1 < words.len() && column_of(&format!("{} {}", words[k].1, words[k + 1].1)).is_some() {
            k += 2;
        } else if column_of(words[k].1).is_some() {
            k += 1;
        } else {
            break;
        }
        end = span_end(k - 1);
        n += 1;
        // A vote's column names its item: "Ja § 15".
        if words[k - 1].1 != "§" && k + 1 < words.len() && words[k].1 == "§" && words[k + 1].1.chars().all(|c| c.is_ascii_digit()) {
            k += 2;
            end = span_end(k - 1);
        }
    }
    (n >= 2).then_some(end)
}

fn is_role_label(label: &str) -> bool {
    vocabulary::lookup(vocabulary::ROLE_LABELS, label).is_some()
}

/// An officer's title without a colon: "Nämndsekreterare", not "Sekreterare:".
fn is_officer_title(label: &str) -> bool {
    !label.contains(':') && vocabulary::lookup(vocabulary::OFFICER_LABELS, label).is_some()
}

/// "Kenneth Öst § 69 Utredare …": a § right after a person's name is the paragraph they
/// attended, not a heading (the surname read as a prefix like "KS § 5"). An acronym
/// prefix ("KS § 5") is never a surname; without a prefix, the name must be followed by
/// another participant's title ("Kenneth Öst § 69 Utredare Sofia Dahlén").
fn attended_by_person(text: &str, i: usize, prefix: Option<&str>, title: &str) -> bool {
    let mut before = text[..i].split_whitespace().rev();
    let name = match prefix {
        Some(p) if p.chars().any(char::is_lowercase) => before.next().map(|w| format!("{w} {p}")),
        Some(_) => None,
        None => {
            let title_next = title.split_whitespace().next().is_some_and(super::names::is_title_word);
            match (before.next(), before.next()) {
                (Some(last), Some(first)) if title_next => Some(format!("{first} {last}")),
                _ => None,
            }
        }
    };
    name.is_some_and(|n| super::names::is_person_name(&n))
}

/// "enligt 5 kap. 23 §": a § after a law's chapter is a reference, not a heading.
fn preceded_by_law_reference(text: &str, i: usize) -> bool {
    let before = text[..i].trim_end().to_lowercase();
    before.ends_with("kap.") || before.ends_with("kap")
}

/// Where the title that starts at byte `start` ends, before `limit`.
pub fn title_end(text: &str, start: usize, limit: usize) -> usize {
    let mut words = 0;
    let mut prev: Option<&str> = None;
    let mut at = start;
    for (offset, word) in word_spans(&text[start..limit]) {
        let pos = start + offset;
        if words >= MAX_FLAT_TITLE_WORDS {
            return pos;
        }
        if words >= 1 && word.starts_with(char::is_uppercase) && word.chars().skip(1).any(char::is_lowercase) {
            // A preposition, or a colon or dash that opens a subtitle, leads on to a name.
            let joined = prev.is_some_and(|p| JOINING_WORDS.contains(&p.to_lowercase().as_str()) || p.ends_with([':', '–', '-']));
            let bare = word.trim_end_matches([',', '.', ':', ';']);
            // Titles are in sentence case: a capital after a word in lower case or a
            // number starts the item's text, unless a preposition leads to a name
            // ("Avtal med Region Norrland"). After the title's first word, only words
            // that open sentences count.
            let after_lower = words >= 2 && prev.is_some_and(|p| !p.starts_with(char::is_uppercase));
            if !joined && (BODY_START.is_match(bare) || after_lower) {
                return pos;
            }
        }
        at = pos + word.len();
        words += 1;
        // A sentence ends the title: "Sammanträdets öppnande, formalia. Ordförande …".
        let leader = word.chars().all(|c| c == '.' || c == '…');
        if word.ends_with(['.', '?', '!']) && !leader && !vocabulary::is_abbreviation(word) && words >= 2 {
            return at;
        }
        prev = Some(word);
    }
    at.max(limit.min(text.len()))
}

fn word_spans(text: &str) -> impl Iterator<Item = (usize, &str)> {
    text.split_whitespace().map(move |w| (w.as_ptr() as usize - text.as_ptr() as usize, w))
}

/// Cuts one long line into lines at its anchors.
fn cut(text: &str, bare_numbers: bool) -> Vec<String> {
    let found = anchors(text, bare_numbers);
    let mut cuts: Vec<usize> = Vec::new();
    for (k, &(start, kind, len)) in found.iter().enumerate() {
        cuts.push(start);
        let next = found.get(k + 1).map_or(text.len(), |a| a.0);
        let value_start = start + len;
        // "Ks 1 Dnr 2012-KS Namninsamling med …": a heading with its Dnr before the title.
        let title_after_dnr =
            kind == Anchor::Dnr && k > 0 && found[k - 1].1 == Anchor::Heading && text[found[k - 1].0 + found[k - 1].2..start].trim().is_empty();
        // A participant label keeps a list that opens with a title on its line, as a
        // printed line would: "Övriga deltagande Nämndsekreterare Jonatan Ekdahl".
        match kind {
            Anchor::ListStart => {}
            Anchor::Label | Anchor::Furniture => cuts.push(value_start.min(next)),
            Anchor::Dnr if title_after_dnr => {
                cuts.push(value_start.min(next));
                cuts.push(title_end(text, value_start, next));
            }
            Anchor::Dnr => cuts.push(value_start.min(next)),
            Anchor::Heading => cuts.push(title_end(text, value_start, next)),
        }
    }
    cuts.push(text.len());
    cuts.sort_unstable();
    cuts.dedup();
    let mut out = Vec::new();
    let mut last = 0;
    for c in cuts {
        let piece = text[last..c].trim();
        if !piece.is_empty() {
            out.push(piece.to_string());
        }
        last = c;
    }
    out
}

/// Whether a document lost its line breaks: some line is longer than a printed one.
pub fn is_flat(lines: &[TextLine]) -> bool {
    lines.iter().any(|l| !l.geometry && l.text.chars().count() > FLAT_LINE_CHARS)
}

/// Whether bare numbers may open headings: the document has no § at all, and at least
/// two of its long lines hold a bare number heading after a sentence's end.
fn bare_numbers_allowed(lines: &[TextLine]) -> bool {
    !lines.iter().any(|l| l.text.contains('§'))
}

/// The page lines of a document whose pages were flattened into one line each, opened by
/// the page number: the first page line and the numbers found.
fn numbered_page_lines(lines: &[TextLine]) -> Option<Vec<(usize, u32)>> {
    if lines.iter().any(|l| l.page != 1) {
        return None;
    }
    let mut out: Vec<(usize, u32)> = Vec::new();
    for (i, l) in lines.iter().enumerate() {
        let Some(c) = PAGE_NUMBER.captures(&l.text) else { continue };
        let Some(n) = c.get(1).and_then(|m| m.as_str().parse::<u32>().ok()) else { continue };
        let expected = out.last().map_or(1, |&(_, p)| p + 1);
        // The first page is a long line; a later page may be short (a section heading, a
        // signature), but then stands after a blank line.
        let long = l.text.chars().count() > FLAT_LINE_CHARS;
        if n == expected && (long || (l.gap_before && !out.is_empty())) {
            out.push((i, n));
        }
    }
    (out.len() >= MIN_NUMBERED_PAGES).then_some(out)
}

/// Removes the page number (once or twice) from a page line.
fn strip_page_number(text: &str, n: u32) -> &str {
    match PAGE_NUMBER.captures(text) {
        Some(c) => {
            let second = c.get(2).and_then(|m| m.as_str().parse::<u32>().ok());
            let end = match (c.get(1), c.get(2)) {
                (_, Some(m)) if second == Some(n) => m.end(),
                (Some(m), _) => m.end(),
                _ => 0,
            };
            text[end..].trim_start()
        }
        None => text,
    }
}

/// The shape of a word for comparing running headers: digits and brackets folded.
fn word_shape(w: &str) -> String {
    w.chars().map(|c| if c.is_ascii_digit() { '#' } else { c }).collect::<String>().to_lowercase()
}

/// The running header that opens most page lines: the longest run of words (digits
/// folded) shared by the starts of at least half the pages and at least two.
fn running_header(pages: &[&str]) -> usize {
    let words: Vec<Vec<String>> = pages.iter().map(|p| p.split_whitespace().take(MAX_RUNNING_HEADER_WORDS).map(word_shape).collect()).collect();
    let needed = pages.len().div_ceil(2).max(2);
    let mut best = 0;
    for n in 1..=MAX_RUNNING_HEADER_WORDS {
        let mut counts: std::collections::HashMap<&[String], usize> = std::collections::HashMap::new();
        for w in &words {
            if w.len() >= n {
                *counts.entry(&w[..n]).or_insert(0) += 1;
            }
        }
        if counts.values().any(|&c| c >= needed) {
            best = n;
        } else {
            break;
        }
    }
    best
}

/// Cuts the document's long lines into lines, and gives flattened pages back their
/// numbers. Documents whose lines are intact come back unchanged.
pub fn reflow(lines: Vec<TextLine>) -> Vec<TextLine> {
    if !is_flat(&lines) {
        return lines;
    }
    let bare_numbers = bare_numbers_allowed(&lines);
    let pages = numbered_page_lines(&lines);
    // Page lines without their numbers, and the running header's length in words.
    let mut texts: Vec<String> = lines.iter().map(|l| l.text.clone()).collect();
    let mut page_of: Vec<u32> = lines.iter().map(|l| l.page).collect();
    let mut header_words = 0;
    if let Some(pages) = &pages {
        for (k, &(i, n)) in pages.iter().enumerate() {
            texts[i] = strip_page_number(&lines[i].text, n).to_string();
            let end = pages.get(k + 1).map_or(lines.len(), |p| p.0);
            for p in &mut page_of[i..end] {
                *p = n;
            }
        }
        let page_texts: Vec<&str> = pages.iter().map(|&(i, _)| texts[i].as_str()).collect();
        header_words = running_header(&page_texts);
    }
    let starts: Vec<usize> = pages.iter().flatten().map(|p| p.0).collect();
    let mut out: Vec<TextLine> = Vec::with_capacity(lines.len());
    for (i, line) in lines.into_iter().enumerate() {
        let mut text = texts[i].clone();
        let mut pieces: Vec<String> = Vec::new();
        if header_words > 0 && starts.contains(&i) {
            let words: Vec<&str> = text.split_whitespace().collect();
            let n = header_words.min(words.len());
            pieces.push(words[..n].join(" "));
            text = words[n..].join(" ");
        }
        // In a document that lost its line breaks every line may hold a heading and its
        // text ("Beslut Socialnämnden godkänner …"), whatever its length.
        if !line.geometry || text.chars().count() > FLAT_LINE_CHARS || !pieces.is_empty() {
            pieces.extend(cut(&text, bare_numbers));
        } else if !text.trim().is_empty() {
            pieces.push(text);
        }
        let page = page_of[i];
        for (k, piece) in pieces.into_iter().enumerate() {
            let mut l = line.clone();
            l.page = page;
            l.cells = vec![piece.clone()];
            l.cell_indents = vec![l.indent];
            l.text = piece;
            l.split = true;
            l.running_header = k == 0 && header_words > 0 && starts.contains(&i);
            l.full = false;
            l.gap_before = k == 0 && line.gap_before;
            out.push(l);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cuts(text: &str) -> Vec<String> {
        cut(text, false)
    }

    #[test]
    fn an_officers_title_opening_a_list_is_its_first_entry() {
        assert_eq!(
            cuts("Övriga deltagande Nämndsekreterare Anna Berg Utredare Per Holm Utses att justera Eva Lund (S)"),
            vec!["Övriga deltagande Nämndsekreterare Anna Berg Utredare Per Holm", "Utses att justera", "Eva Lund (S)"]
        );
    }

    #[test]
    fn a_paragraph_after_a_name_is_attendance() {
        assert_eq!(cuts("chef hemvård Kenneth Öst § 69 Utredare Sofia Dahlén"), vec!["chef hemvård Kenneth Öst § 69 Utredare Sofia Dahlén"]);
        assert_eq!(cuts("Beslut fattades. KS § 5 Budget"), vec!["Beslut fattades.", "KS § 5 Budget"]);
    }

    #[test]
    fn an_attendance_tables_column_headers_stay_with_its_label() {
        assert_eq!(
            cuts("Närvarolista Ledamöter Parti Närvarande § Anna Berg, ordförande S X Per Holm C Ersättare Parti Tjg Ej tjg § Eva Lund M X § 3–5"),
            vec!["Närvarolista", "Ledamöter Parti Närvarande §", "Anna Berg, ordförande S X Per Holm C", "Ersättare Parti Tjg Ej tjg §", "Eva Lund M X § 3–5"]
        );
        assert_eq!(
            cuts("Ordinarie ledamöter Tjg Ej tjg Närvaro § Ja § 15 Nej § 15 Per Ek (C), ordförande X X"),
            vec!["Ordinarie ledamöter Tjg Ej tjg Närvaro § Ja § 15 Nej § 15", "Per Ek (C), ordförande X X"]
        );
    }

    #[test]
    fn labels_and_their_values_go_on_lines_of_their_own() {
        assert_eq!(
            cuts("Plats och tid Kommunhuset, kl 18.00 Beslutande Anna Berg (S), ordförande Per Lund (M) Utses att justera Per Lund (M)"),
            ["Plats och tid", "Kommunhuset, kl 18.00", "Beslutande", "Anna Berg (S), ordförande Per Lund (M)", "Utses att justera", "Per Lund (M)"]
        );
    }

    #[test]
    fn a_label_word_inside_a_sentence_stays() {
        assert_eq!(cuts("Nämnden fattade beslut om budget. Beslut fattades enhälligt."), ["Nämnden fattade beslut om budget. Beslut fattades enhälligt."]);
    }

    #[test]
    fn headings_end_at_a_dnr_a_sentence_or_a_sentence_start() {
        assert_eq!(
            cuts("SN 13 Bidrag till fritidsstudier inom förskolan Dnr 31/16 Sökanden har ansökt om bidrag."),
            ["SN 13 Bidrag till fritidsstudier inom förskolan", "Dnr 31/16", "Sökanden har ansökt om bidrag."]
        );
        assert_eq!(
            cuts("Sn 49 Sammanträdets öppnande, formalia. Ordförande Anna Berg öppnade mötet."),
            ["Sn 49 Sammanträdets öppnande, formalia.", "Ordförande", "Anna Berg öppnade mötet."]
        );
        assert_eq!(
            cuts("§ 5 Avtal med Region Norrland om hemsjukvård Socialnämnden har fått ett förslag."),
            ["§ 5 Avtal med Region Norrland om hemsjukvård", "Socialnämnden har fått ett förslag."]
        );
    }

    #[test]
    fn decision_headings_inside_the_text() {
        assert_eq!(
            cuts("Förslaget bifalls. Socialnämndens beslut Socialnämnden godkänner avtalet. Beslutet skickas till Förvaltningen"),
            ["Förslaget bifalls.", "Socialnämndens beslut", "Socialnämnden godkänner avtalet.", "Beslutet skickas till", "Förvaltningen"]
        );
    }

    #[test]
    fn a_dnr_between_the_number_and_the_title() {
        assert_eq!(
            cuts("Ks 1 Dnr 2012-KS Namninsamling med begäran om folkomröstning Den 14 december överlämnades namnen."),
            ["Ks 1", "Dnr 2012-KS", "Namninsamling med begäran om folkomröstning", "Den 14 december överlämnades namnen."]
        );
    }

    #[test]
    fn a_number_before_a_label_is_no_heading() {
        assert_eq!(
            cut("Birgitta Westman (S) 13 Övriga deltagande Niklas Norling (S)", true),
            ["Birgitta Westman (S) 13", "Övriga deltagande", "Niklas Norling (S)"]
        );
    }

    #[test]
    fn contents_entries_keep_their_page_numbers() {
        assert_eq!(cuts("§ 63 Fastställande av dagordning .......... 3"), ["§ 63 Fastställande av dagordning .......... 3"]);
    }

    #[test]
    fn law_references_are_not_headings() {
        assert_eq!(cuts("Enligt 5 kap. § 23 Kommunallagen får nämnden besluta."), ["Enligt 5 kap. § 23 Kommunallagen får nämnden besluta."]);
    }

    #[test]
    fn bare_numbers_open_headings_only_after_a_sentence() {
        assert_eq!(
            cut("Mötet öppnas. 74 Upprop och val av justerare Till justerare utses Anna Berg.", true),
            ["Mötet öppnas.", "74 Upprop och val av justerare", "Till justerare utses Anna Berg."]
        );
        assert_eq!(cut("Ärendet gäller 24 Barn i familjehem.", true), ["Ärendet gäller 24 Barn i familjehem."]);
    }

    #[test]
    fn pages_on_one_line_each_become_pages() {
        let long = "x ".repeat(120);
        let text = format!(
            "Rubrik\n1 Socialnämnden 1 (3) Plats och tid Kommunhuset {long}\n2 Socialnämnden 2 (3) SN 13 Bidrag Dnr 31/16 {long}\n3 Socialnämnden 3 (3) forts. {long}"
        );
        let out = reflow(TextLine::lines(&text));
        let got: Vec<(u32, String)> = out.iter().map(|l| (l.page, l.text.chars().take(19).collect::<String>())).collect();
        let want = [
            (1, "Rubrik"),
            (1, "Socialnämnden 1 (3)"),
            (1, "Plats och tid"),
            (1, "Kommunhuset x x x x"),
            (2, "Socialnämnden 2 (3)"),
            (2, "SN 13 Bidrag"),
            (2, "Dnr 31/16"),
            (2, "x x x x x x x x x x"),
            (3, "Socialnämnden 3 (3)"),
            (3, "forts. x x x x x x "),
        ];
        assert_eq!(got, want.iter().map(|(p, t)| (*p, t.to_string())).collect::<Vec<_>>());
    }
}
