//! Agenda items: where each § begins and ends, its number and title (which may wrap), its
//! diarienummer (printed before or after the heading), its presenters, and the
//! attachments that follow the last item.
//!
//! Headings come in three styles: "§ 27 Title" (also "§27", "SN § 13"), a prefix and a
//! number ("SON 108", "Sn 49", "Au 84"), and numbered minutes ("1. Mötets öppnande").
//! The style the document uses is the one it has most of; then the headings kept are the
//! longest run of increasing numbers, which drops paragraph references that happen to
//! start a line and the sub-items of numbered minutes (which are indented, and restart).

use std::sync::LazyLock;

use chrono::NaiveDate;
use regex::Regex;

use super::headings::{self, Style};
use super::names::{self, is_person_name, person_names_in};
use super::{TextLine, decisions, dnr, references, reflow, vocabulary};
use crate::model::Item;

/// Largest jump between consecutive § numbers (missing paragraphs are normal).
const MAX_PARAGRAPH_STEP: u32 = 25;

/// Largest jump between consecutive numbered minutes.
const MAX_NUMBERED_STEP: u32 = 3;

/// Numbered items stand at the left margin; deeper lines (in ems) are sub-items.
const MAX_NUMBERED_INDENT: f32 = 1.0;

/// Most words in a line that continues a wrapped title.
const MAX_TITLE_CONTINUATION_WORDS: usize = 14;

/// Lines after the title searched for the diarienummer and presenters.
const HEAD_LINES: usize = 6;

static PRESENTER_LABEL: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)^(?:föredragande|föredragare|ärendet\s+föredras(?:\s+av)?|föredras\s+av)\s*:?\s*(.+)$").expect("valid regex"));

/// A sentence in which someone presents the item: "Maria Höög föredrar punkten",
/// "Förvaltningschef Gunnel Sjöwall informerar om …", "Rebecka Tånge redogör för …".
/// The presenter is the name at the start of the sentence, a title before it aside.
static PRESENTS: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(.{3,80}?)\s+(?:föredrar|föredrog|informerar|informerade|redovisar|redovisade|redogör|redogjorde|presenterar|presenterade|rapporterar|rapporterade|berättar|berättade|går\s+igenom|gick\s+igenom)\s+\S")
        .expect("valid regex")
});

static TRAILING_ATTACHMENT_REF: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)[,;]?\s*\(?\s*(?:bilaga|bilagor|bil\.?)\s+[\wåäö]{1,3}(?:\s*(?:,|och|&)\s*[\wåäö]{1,3})*\s*\)?\s*$").expect("valid regex")
});

/// A label run into a title that wrapped ("… skyddat boende Föredragande: Ordf.").
static LABEL_IN_TITLE: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"\s(?:Föredragande|Diarienummer|Dnr)\b.*$").expect("valid regex"));

static DOT_LEADER_TAIL: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"\s*(?:\.{3,}|…+)\s*\d*\s*$").expect("valid regex"));

#[derive(Debug, Clone)]
struct Candidate {
    line: usize,
    /// Set apart from the text before it: bold, after a gap, or cut from a long line.
    strong: bool,
    /// The first line of its page (page furniture aside).
    page_start: bool,
    number: u32,
    prefix: Option<String>,
    title: String,
    style: Style,
    weight: f32,
}

/// Where one item stands in the body lines.
#[derive(Debug, Clone, PartialEq)]
pub struct ItemSpan {
    pub heading: usize,
    /// First line after the heading and its wrapped title.
    pub body_start: usize,
    /// One past the last line.
    pub end: usize,
    pub number: String,
    pub title: String,
    /// A "Diarienummer …" line printed before the heading.
    pub dnr_before: Option<usize>,
}

/// The items of a document and what stands around them.
#[derive(Debug, Clone, PartialEq)]
pub struct Layout {
    /// Lines before the first item: the meeting header and participants.
    pub preamble_end: usize,
    pub items: Vec<ItemSpan>,
    /// Attachments after the last item: (line, title).
    pub attachments: Vec<(usize, String)>,
}

/// Weights of a heading candidate in the choice of the document's run of items.
pub mod weight {
    /// Every candidate.
    pub const BASE: f32 = 1.0;
    /// Set in bold, as headings are.
    pub const BOLD: f32 = 0.5;
    /// After a blank line or a paragraph's spacing.
    pub const GAP_BEFORE: f32 = 0.2;
    /// Not followed directly by another heading: a contents list's entries follow each
    /// other, an item's heading is followed by its text.
    pub const TEXT_FOLLOWS: f32 = 0.5;
    /// A number without its § counts less than one with it (OCR drops the sign), so it
    /// fills a gap in a run of § headings but does not start one.
    pub const BARE_IN_PARAGRAPHS: f32 = 0.4;
}

/// How much a run of headings of each style is trusted, when a document has runs of
/// several: a § is unmistakable, a prefix nearly so; numbered lists and bare numbers also
/// stand in running text (att-satser, amounts), so their runs must be longer to win.
pub mod style_prior {
    pub const PARAGRAPH: f32 = 1.5;
    pub const PREFIXED: f32 = 1.2;
    pub const NUMBERED: f32 = 1.0;
    pub const BARE: f32 = 0.8;
}

/// Fewest headings in a run of bare numbers: one number before a capitalised word is
/// nothing.
const MIN_BARE_RUN: usize = 2;

fn candidate(i: usize, line: &TextLine, lines: &[TextLine]) -> Option<Candidate> {
    let shape = headings::shape(&line.text)?;
    let weight = weight::BASE + if line.bold { weight::BOLD } else { 0.0 } + if line.gap_before { weight::GAP_BEFORE } else { 0.0 };
    if shape.style == Style::Numbered && line.indent > MAX_NUMBERED_INDENT {
        return None;
    }
    let strong = line.bold || line.gap_before || line.split;
    let page_start = i.checked_sub(1).is_none_or(|p| lines[p].page != line.page);
    Some(Candidate { line: i, number: shape.number, prefix: shape.prefix, title: cut_title(&shape.title), style: shape.style, weight, strong, page_start })
}

/// The longest (heaviest) run of increasing numbers among candidates of one style.
fn best_chain(cands: &[Candidate], max_step: u32) -> Vec<Candidate> {
    let n = cands.len();
    let mut score = vec![0.0f32; n];
    let mut prev = vec![usize::MAX; n];
    for i in 0..n {
        score[i] = cands[i].weight;
        for j in 0..i {
            let step = cands[i].number.wrapping_sub(cands[j].number);
            if cands[i].number > cands[j].number && step <= max_step && score[j] + cands[i].weight > score[i] {
                score[i] = score[j] + cands[i].weight;
                prev[i] = j;
            }
        }
    }
    let Some(mut at) = (0..n).max_by(|&a, &b| score[a].total_cmp(&score[b]).then(b.cmp(&a))) else { return Vec::new() };
    let mut chain = vec![cands[at].clone()];
    while prev[at] != usize::MAX {
        at = prev[at];
        chain.push(cands[at].clone());
    }
    chain.reverse();
    chain
}

/// Words a title cannot end on: it goes on in the next line.
const OPEN_ENDINGS: &[&str] = &[
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
    "att",
    "som",
    "vid",
    "inom",
    "under",
    "över",
    "gällande",
    "avseende",
    "angående",
    "mot",
    "efter",
    "den",
    "det",
    "de",
    "en",
    "ett",
    "eller",
    "hos",
    "per",
    "via",
];

fn starts_lower(text: &str) -> bool {
    text.trim_start().chars().next().is_some_and(char::is_lowercase)
}

/// Whether a title line stops where it cannot end (on "i", "och", a comma, a hyphen).
fn ends_open(title: &str) -> bool {
    let t = title.trim_end();
    t.ends_with([',', '-', '–']) || t.rsplit(' ').next().is_some_and(|w| OPEN_ENDINGS.contains(&w))
}

/// The main items of numbered minutes whose sub-items are not indented: a list that
/// restarts at 1 is nested under the item before it, and the main list resumes with the
/// next main number once the nested list can no longer continue, or once a decision
/// closed the item (sub-items come before the item's decision).
fn numbered_chain(cands: &[Candidate], lines: &[TextLine]) -> Vec<Candidate> {
    let mut main: Vec<Candidate> = Vec::new();
    let mut sub: Option<u32> = None;
    let mut decided = false;
    let mut prev_line = 0;
    for c in cands {
        decided |= lines[prev_line..c.line].iter().any(|l| decisions::is_decision_label(&l.text));
        prev_line = c.line;
        let Some(last) = main.last().map(|m| m.number) else {
            main.push(c.clone());
            continue;
        };
        let next_main = c.number > last && c.number - last <= MAX_NUMBERED_STEP;
        match sub {
            None if next_main => {
                main.push(c.clone());
                decided = false;
            }
            None if c.number == 1 => {
                sub = Some(1);
                decided = false;
            }
            None => {}
            Some(s) => {
                let continues_sub = c.number == s + 1 || c.number == s;
                if next_main && (!continues_sub || decided) {
                    main.push(c.clone());
                    sub = None;
                    decided = false;
                } else if continues_sub || c.number == 1 {
                    sub = Some(c.number);
                }
            }
        }
    }
    main
}

fn is_section_label(text: &str) -> bool {
    dnr::starts_with_label(text) || PRESENTER_LABEL.is_match(text) || {
        let t = text.trim().trim_end_matches(':').to_lowercase();
        ["sammanfattning", "beskrivning av ärendet", "ärendebeskrivning", "bakgrund", "beslut", "ärendet", "yrkande"].contains(&t.as_str())
    }
}

/// A title that runs on into the item's first sentence ("Justering av protokoll
/// Utskottet justerade …", as a table row or a joined line gives it) ends where the
/// sentence starts, when a sentence of some words follows.
fn cut_title(title: &str) -> String {
    let end = reflow::title_end(title, 0, title.len());
    if title[end..].split_whitespace().count() >= MIN_SENTENCE_AFTER_TITLE { title[..end].trim().to_string() } else { title.to_string() }
}

/// Words after a title that make it a sentence rather than part of the title.
const MIN_SENTENCE_AFTER_TITLE: usize = 4;

/// Removes what is not title: a trailing attachment reference, dot leaders, punctuation.
pub fn clean_title(title: &str) -> String {
    let t = LABEL_IN_TITLE.replace(title, "");
    let t = DOT_LEADER_TAIL.replace(&t, "");
    let t = TRAILING_ATTACHMENT_REF.replace(&t, "");
    let t = match dnr::find(&t) {
        Some((start, end, _)) => format!("{} {}", &t[..start], &t[end..]),
        None => t.into_owned(),
    };
    t.split_whitespace().collect::<Vec<_>>().join(" ").trim_end_matches([',', ';', ':', '–', '-']).trim().to_string()
}

/// The total weight of a run.
fn run_weight(run: &[Candidate]) -> f32 {
    run.iter().map(|c| c.weight).sum()
}

/// The run of headings of the style the document uses: for each style, its best run of
/// increasing numbers, weighted by how much the style is trusted; the heaviest wins.
fn choose_run(cands: &[Candidate], lines: &[TextLine]) -> Vec<Candidate> {
    let of = |s: Style| cands.iter().filter(|c| c.style == s).cloned().collect::<Vec<_>>();
    let mut runs: Vec<(f32, Vec<Candidate>)> = Vec::new();
    let paragraphs = of(Style::Paragraph);
    if !paragraphs.is_empty() {
        // A number that lost its § fills a gap in a run of § headings, when it is set
        // apart like a heading.
        let mut with_bare: Vec<Candidate> = cands
            .iter()
            .filter(|c| c.style == Style::Paragraph || (c.style == Style::Bare && c.strong && paragraphs.len() >= 2))
            .cloned()
            .map(|mut c| {
                if c.style == Style::Bare {
                    c.weight = weight::BARE_IN_PARAGRAPHS;
                }
                c
            })
            .collect();
        with_bare.sort_by_key(|c| c.line);
        let run = best_chain(&with_bare, MAX_PARAGRAPH_STEP);
        runs.push((run_weight(&run) * style_prior::PARAGRAPH, run));
    }
    // The prefix used most, so "Mål 2" or a stray abbreviation does not mix in.
    let prefixed = of(Style::Prefixed);
    let mut prefixes: Vec<(String, usize)> = Vec::new();
    for c in &prefixed {
        let p = c.prefix.clone().unwrap_or_default().to_lowercase();
        match prefixes.iter_mut().find(|(q, _)| *q == p) {
            Some((_, n)) => *n += 1,
            None => prefixes.push((p, 1)),
        }
    }
    // One heading of its style counts where it opens a page: the item of an extract, or
    // the only item a page shows.
    let alone_on_its_page = |run: &[Candidate]| matches!(run, [c] if c.page_start && c.strong);
    if let Some((top, n)) = prefixes.iter().max_by_key(|(_, n)| *n)
        && (*n >= 2 || alone_on_its_page(&prefixed))
    {
        let same: Vec<Candidate> = prefixed.iter().filter(|c| c.prefix.as_deref().map(str::to_lowercase).as_deref() == Some(top.as_str())).cloned().collect();
        let run = best_chain(&same, MAX_PARAGRAPH_STEP);
        runs.push((run_weight(&run) * style_prior::PREFIXED, run));
    }
    let numbered = of(Style::Numbered);
    if numbered.len() >= 2 {
        let run = numbered_chain(&numbered, lines);
        if run.len() >= 2 {
            runs.push((run_weight(&run) * style_prior::NUMBERED, run));
        }
    }
    let bare = of(Style::Bare);
    if bare.len() >= MIN_BARE_RUN || alone_on_its_page(&bare) {
        let run = best_chain(&bare, MAX_PARAGRAPH_STEP);
        if run.len() >= MIN_BARE_RUN || alone_on_its_page(&run) {
            runs.push((run_weight(&run) * style_prior::BARE, run));
        }
    }
    runs.into_iter().max_by(|a, b| a.0.total_cmp(&b.0)).map(|(_, run)| run).unwrap_or_default()
}

/// Finds the items of the body lines.
pub fn segment(lines: &[TextLine]) -> Layout {
    let mut cands: Vec<Candidate> = lines.iter().enumerate().filter_map(|(i, l)| candidate(i, l, lines)).collect();
    // A heading followed directly by another is a contents entry more likely than an item.
    let starts: Vec<usize> = cands.iter().map(|c| c.line).collect();
    for c in &mut cands {
        if !starts.contains(&(c.line + 1)) {
            c.weight += 0.5;
        }
    }
    let chosen = choose_run(&cands, lines);
    let mut items: Vec<ItemSpan> = Vec::new();
    for (k, c) in chosen.iter().enumerate() {
        let heading = &lines[c.line];
        let next_heading = chosen.get(k + 1).map_or(lines.len(), |n| n.line);
        // A heading whose title stands in its first cell ("§ 9 Övriga frågor | …") has
        // nothing of the title in the cells after it.
        let mut title = match headings::shape(heading.cells[0].trim()) {
            Some(h) if heading.cells.len() > 1 && !h.title.is_empty() => h.title,
            _ => c.title.clone(),
        };
        let mut body_start = c.line + 1;
        // "§ 1" alone, or "§ 108  Dnr IFU 2021/452": the title stands on the next line,
        // after any diarienummer lines.
        if clean_title(&title).is_empty() {
            while body_start < next_heading && dnr::starts_with_label(&lines[body_start].text) {
                body_start += 1;
            }
            if body_start < next_heading && !is_section_label(&lines[body_start].text) {
                title = format!("{title} {}", lines[body_start].text.trim());
                body_start += 1;
            }
        }
        // A title wraps when the heading line is full, or when the next line continues
        // its bold face at the same size. A title cut from a long line ends where the cut
        // was made.
        while body_start < next_heading && body_start - c.line <= 2 && !heading.split {
            let next = &lines[body_start];
            let same_face = heading.geometry && heading.bold && next.bold && (next.size - heading.size).abs() < 0.5;
            let prev_full = lines[body_start - 1].full || ends_open(&title) || starts_lower(&next.text);
            // A wrapped title is short: a long line after it is the item's text.
            if next.text.split_whitespace().count() > MAX_TITLE_CONTINUATION_WORDS {
                break;
            }
            if next.gap_before
                || is_section_label(&next.text)
                || candidate(body_start, next, lines).is_some()
                || !(same_face || prev_full)
                || next.page != heading.page
            {
                break;
            }
            if !same_face && prev_full && heading.bold != next.bold && heading.geometry && !ends_open(&title) {
                break;
            }
            title.push(' ');
            title.push_str(next.text.trim());
            body_start += 1;
        }
        // A diarienummer line right before the heading is this item's, unless it is the
        // first line of the previous item's body.
        let dnr_before = c.line.checked_sub(1).filter(|&i| dnr::starts_with_label(&lines[i].text) && items.last().is_none_or(|p| i > p.body_start));
        items.push(ItemSpan { heading: c.line, body_start, end: next_heading, number: c.number.to_string(), title: clean_title(&title), dnr_before });
    }
    // An item ends where the next one's diarienummer stands.
    for k in 1..items.len() {
        if let Some(d) = items[k].dnr_before {
            items[k - 1].end = items[k - 1].end.min(d);
        }
    }
    // Attachments after the last item end it.
    let mut attachments = Vec::new();
    if let Some(last) = items.last_mut() {
        let mut i = last.body_start;
        while i < lines.len() {
            if let Some(mut title) = headings::attachment(&lines[i].text) {
                let next_is_title = title.is_empty() || lines[i].full;
                if next_is_title && i + 1 < lines.len() && headings::attachment(&lines[i + 1].text).is_none() {
                    title.push(' ');
                    title.push_str(lines[i + 1].text.trim());
                }
                last.end = last.end.min(i);
                attachments.push((i, title.split_whitespace().collect::<Vec<_>>().join(" ")));
            }
            i += 1;
        }
    }
    let preamble_end = items.first().map_or(lines.len(), |it| it.dnr_before.unwrap_or(it.heading));
    Layout { preamble_end, items, attachments }
}

/// Presenters named in the first lines of an item or in "X föredrar punkten".
fn presenters(head: &[&TextLine], text: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let add = |name: String, out: &mut Vec<String>| {
        if !out.contains(&name) {
            out.push(name);
        }
    };
    for line in head {
        if let Some(c) = PRESENTER_LABEL.captures(line.text.trim()) {
            let rest = c.get(1).map_or("", |m| m.as_str());
            for part in rest.split([',', ';', '&']).flat_map(|p| p.split(" och ")) {
                let part = part.trim().trim_end_matches('.');
                let (name, _) = part.split_once('(').unwrap_or((part, ""));
                if is_person_name(name.trim()) {
                    add(name.trim().to_string(), &mut out);
                } else if let Some(n) = person_names_in(part).into_iter().next() {
                    add(n, &mut out);
                } else if !part.is_empty() && part.split_whitespace().count() <= 2 {
                    // A role rather than a name: "Föredragande: Ordförande".
                    add(part.to_string(), &mut out);
                }
            }
        }
    }
    for sentence in references::sentences(text) {
        let flat = sentence.split_whitespace().collect::<Vec<_>>().join(" ");
        if let Some(c) = PRESENTS.captures(&flat) {
            let subject = c.get(1).map_or("", |m| m.as_str());
            // The sentence starts with the people (their titles aside), not with a clause
            // ("Nämnden har … och Anna Berg informerar").
            let people = subject.trim_start_matches(|c: char| !c.is_alphanumeric());
            let first = people
                .split_whitespace()
                .skip_while(|w| names::is_title_word(w) || vocabulary::is_abbreviation(w))
                .take(2)
                .map(|w| w.trim_end_matches([',', ';']))
                .collect::<Vec<_>>()
                .join(" ");
            if is_person_name(&first) {
                for n in person_names_in(subject) {
                    add(n, &mut out);
                }
            }
        }
    }
    out
}

fn item_text(lines: &[&TextLine]) -> String {
    let mut out = String::new();
    for (i, l) in lines.iter().enumerate() {
        if i > 0 {
            out.push_str(if l.gap_before { "\n\n" } else { "\n" });
        }
        out.push_str(&l.cells.join("  "));
    }
    out
}

/// Builds the item of a span: title, diarienummer, presenters, text, decision and the
/// earlier decisions it cites. `body` is the meeting's body (see [`decisions::analyse`]).
pub fn build_item(lines: &[TextLine], span: &ItemSpan, meeting: Option<NaiveDate>, body_name: &str) -> Item {
    let body: Vec<&TextLine> = lines[span.body_start..span.end.max(span.body_start)].iter().collect();
    let head: Vec<&TextLine> = body.iter().take(HEAD_LINES).copied().collect();
    let dnr_of = dnr::of;
    let diarienummer = span
        .dnr_before
        .and_then(|i| dnr_of(&lines[i].text))
        .or_else(|| lines[span.heading..span.body_start].iter().find_map(|l| dnr_of(&l.text)))
        .or_else(|| head.iter().find_map(|l| dnr_of(&l.text)));
    let text = item_text(&body);
    let body_lines: Vec<String> = body.iter().map(|l| l.text.clone()).collect();
    let parts = decisions::analyse(&body_lines, body_name);
    let from = span.dnr_before.unwrap_or(span.heading);
    let heading = lines[from..span.body_start].iter().map(|l| l.text.trim()).collect::<Vec<_>>().join(" ");
    Item {
        number: span.number.clone(),
        title: span.title.clone(),
        heading,
        diarienummer,
        presenters: presenters(&head, &text),
        page: lines[span.heading].page,
        references: references::find(&text, meeting),
        decision: parts.decision,
        motions: parts.motions,
        reservations: parts.reservations,
        notes: parts.notes,
        vote: parts.vote,
        text,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn seg(text: &str) -> (Vec<TextLine>, Layout) {
        let lines = TextLine::lines(text);
        let layout = segment(&lines);
        (lines, layout)
    }

    fn numbers(layout: &Layout) -> Vec<&str> {
        layout.items.iter().map(|i| i.number.as_str()).collect()
    }

    #[test]
    fn paragraph_headings_and_references_that_start_a_line() {
        let (_, l) = seg(
            "Inledning\n§ 27 Sammanträdet öppnas\nText\n§ 28 Val av justerare\n§ 45 med uppföljning i nämnden\n§29 Föregående protokoll\nSN § 31 Centrum mot våld",
        );
        assert_eq!(numbers(&l), vec!["27", "28", "29", "31"]);
        assert_eq!(l.preamble_end, 1);
        assert_eq!(l.items[3].title, "Centrum mot våld");
    }

    #[test]
    fn a_heading_that_lost_its_sign_fills_a_gap_in_the_run() {
        let mut lines =
            TextLine::lines("§ 147 Val av justerare\nText\n148 Godkännande av föredragningslista\nText\n§ 149 Verksamhetsprognos\n700 Biståndsenhet");
        for l in &mut lines {
            l.gap_before = true;
        }
        let l = segment(&lines);
        assert_eq!(numbers(&l), vec!["147", "148", "149"]);
    }

    #[test]
    fn prefixed_numbers_without_paragraph_sign() {
        let (_, l) = seg("SON 108 Budget 2024\nText\nMål 2 Minst 75 % når målet\nSON 109 Internkontroll\nSON 110 Övriga frågor");
        assert_eq!(numbers(&l), vec!["108", "109", "110"]);
        let (_, l) = seg("Sn 49 Delegation\nAu 3 Text\nSn 50 Delgivningar");
        assert_eq!(numbers(&l), vec!["49", "50"]);
    }

    #[test]
    fn numbered_minutes_skip_indented_sub_items() {
        let mut lines = TextLine::lines(
            "1. Mötets öppnande\n2. Godkännande av dagordning\n3. Information\n1. Minnesanteckningar\n2. Sammanfattning\n5. Brev från SiS\n4. Påminnelse rekvirering",
        );
        for i in [3, 4, 5] {
            lines[i].indent = 4.0;
        }
        let l = segment(&lines);
        assert_eq!(numbers(&l), vec!["1", "2", "3", "4"]);
    }

    #[test]
    fn wrapped_titles_and_trailing_attachment_references() {
        let mut lines = TextLine::lines(
            "6. Beslut om samverkanslösningar: Borlänge kommuns uppdrag avseende regional samverkan\navseende boenden, Bilaga E, F\nFöredragande: Tomas Ahlin\n7. Övriga frågor, Bilaga I",
        );
        lines[0].full = true;
        let l = segment(&lines);
        assert_eq!(l.items[0].title, "Beslut om samverkanslösningar: Borlänge kommuns uppdrag avseende regional samverkan avseende boenden");
        assert_eq!(l.items[1].title, "Övriga frågor");
    }

    #[test]
    fn diarienummer_before_heading() {
        let (lines, l) = seg(
            "Diarienummer SN.2022.38 700\n§ 148 Godkännande av föredragningslista\nSocialnämndens beslut\nFöredragningslistan godkänns.\nDiarienummer VSF.2022.10 700\n§ 149 Verksamhetsprognos per oktober 2022",
        );
        assert_eq!(l.preamble_end, 0);
        let item = build_item(&lines, &l.items[0], None, "");
        assert_eq!(item.diarienummer.as_deref(), Some("SN.2022.38 700"));
        assert_eq!(item.decision.map(|d| d.text).as_deref(), Some("Föredragningslistan godkänns."));
        assert_eq!(build_item(&lines, &l.items[1], None, "").diarienummer.as_deref(), Some("VSF.2022.10 700"));
    }

    #[test]
    fn diarienummer_after_heading() {
        let (lines, l) = seg("§ 5 Motion om parkering\nDnr 2016/123\nText\n§ 6 Budget\nDnr 31/16");
        assert_eq!(build_item(&lines, &l.items[0], None, "").diarienummer.as_deref(), Some("2016/123"));
        assert_eq!(build_item(&lines, &l.items[1], None, "").diarienummer.as_deref(), Some("31/16"));
    }

    #[test]
    fn presenters_in_labels_and_sentences() {
        let (lines, l) = seg(
            "§ 37 Kostnader\nFöredragande: Anda Embretzen, Anna Berkstedt Jonsson, Elin Ring\n§ 38 Frågor\nÄrendet föredras Elin Ring\n§ 39 Plan\nMaria Höög och Helena Ivansson föredrar punkten med stöd i underlag.\n§ 40 Barnarenan\nFöredragande: Ordförande",
        );
        let p = |k: usize| build_item(&lines, &l.items[k], None, "").presenters;
        assert_eq!(p(0), vec!["Anda Embretzen", "Anna Berkstedt Jonsson", "Elin Ring"]);
        assert_eq!(p(1), vec!["Elin Ring"]);
        assert_eq!(p(2), vec!["Maria Höög", "Helena Ivansson"]);
        assert_eq!(p(3), vec!["Ordförande"]);
        let (lines, l) = seg(
            "§ 1 Info\nFörvaltningschef Gunnel Sjöwall informerar om läget.\n§ 2 Jour\nRebecka Tånge redogör för verksamheten.\n§ 3 Budget\nNämnden informeras om budgeten.\n§ 4 Utfall\nDnr SN 2020/31\nTf. socialchef Malin Sörqvist redovisar utfallet.",
        );
        let p = |k: usize| build_item(&lines, &l.items[k], None, "").presenters;
        assert_eq!(p(0), vec!["Gunnel Sjöwall"]);
        assert_eq!(p(1), vec!["Rebecka Tånge"]);
        assert!(p(2).is_empty());
        assert_eq!(p(3), vec!["Malin Sörqvist"]);
    }

    #[test]
    fn attachments_after_the_last_item_are_not_part_of_it() {
        let (lines, l) = seg(
            "§ 161 Sekretessärenden\nProtokollförs i socialnämndens sekretessprotokoll\nBilaga 9. Avtal om in- och utskrivning från slutenvård (LOSUS)\nAvtalets parter är regionen.\nBilaga 10. Reviderad projektplan",
        );
        assert_eq!(
            l.attachments.iter().map(|a| a.1.as_str()).collect::<Vec<_>>(),
            vec!["Avtal om in- och utskrivning från slutenvård (LOSUS)", "Reviderad projektplan"]
        );
        assert_eq!(build_item(&lines, &l.items[0], None, "").text, "Protokollförs i socialnämndens sekretessprotokoll");
    }
}
