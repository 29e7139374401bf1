//! Participants: who attended, in which role, for which party and organisation, with what
//! title and for which paragraphs.
//!
//! The role is the section a person is listed under ("Beslutande", "Tjänstepersoner",
//! "Övriga deltagare", "Ej närvarande"). A section holds either table rows
//! (name | organisation | title) or running text ("Beslutande (kallade): Björn Nilsson
//! (VV) Åre, Karin Sundin (S) Berg, …"), which may wrap over lines. Sub-headings inside
//! "Ej närvarande" do not change the role. Other labels of the header (Justerare,
//! Underskrifter, Tid och plats) end the list. People listed twice are merged.

use std::sync::LazyLock;

use regex::Regex;

use super::TextLine;
use super::classify::{LineKind, kind_of_line};
use super::names::{self, is_name_word, is_organization, is_person_name, is_title, split_party};
use super::vocabulary;
use crate::model::{Participant, Role};

/// A sub-heading inside running text: "Tjänstepersoner:", "Beslutande (ej kallade):".
static INLINE_LABEL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(?:beslutande|tjänstepersoner|tjänstemän|övriga(?:\s+\w+)?|ersättare|ledamöter)(?:\s*\([^)]*\))?\s*:").expect("valid regex")
});

/// Paragraphs attended: "§149-161", "(§§33-41)", "del av § 159", "§37".
static PARAGRAPHS: LazyLock<Regex> = LazyLock::new(|| {
    // "§ 12", "§§ 12-13", and an item prefix instead of the sign: "Sn 50–52", "del av Sn 54".
    let one = r"(?:del\s+av\s+)?(?:§{1,2}|\b[A-ZÅÄÖ][a-zåäö]{1,2}\b)\s*\d{1,4}(?:\s*[-–]\s*\d{1,4})?(?:\s*(?:,|och)\s*\d{1,4}(?:\s*[-–]\s*\d{1,4})?)*";
    Regex::new(&format!(r"\(\s*{one}\s*\)|{one}")).expect("valid regex")
});

fn role_of(label: &str) -> Role {
    let label = label.split('(').next().unwrap_or(label);
    vocabulary::lookup(vocabulary::ROLE_LABELS, label).unwrap_or(Role::Beslutande)
}

static PARENTHESISED: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"\(([^()]{2,60})\)").expect("valid regex"));

/// Takes the titles in parentheses out of a text: "Lidaholms kommun (mötesordförande)" and
/// "socialtjänsten (sammankallande)" are the organisation and the title.
fn take_parenthesised_titles(text: &str, titles: &mut Vec<String>) -> String {
    let mut rest = text.to_string();
    while let Some(c) = PARENTHESISED.captures(&rest) {
        let (Some(all), Some(inner)) = (c.get(0), c.get(1)) else { break };
        // A known title, or after an organisation a lower-case word or two (a party is in
        // capitals); after a title, "(deltar via länk)" stays part of it.
        let inner_text = inner.as_str().trim();
        let before = tidy(&rest[..all.start()]);
        let lower_phrase = inner_text.chars().next().is_some_and(char::is_lowercase)
            && inner_text.split_whitespace().count() <= 3
            && (is_unit(&before) || is_organization(&before));
        if !is_title(inner_text) && !lower_phrase {
            break;
        }
        titles.push(inner.as_str().trim().to_string());
        rest = format!("{} {}", &rest[..all.start()], &rest[all.end()..]);
    }
    rest.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// A unit named in the definite form, in lower case, as network minutes give people's
/// organisations: "socialtjänsten", "förskolan", "barn- och ungdomspsykiatrin".
fn is_unit(text: &str) -> bool {
    let words: Vec<&str> = text.split_whitespace().collect();
    (1..=4).contains(&words.len())
        && words.iter().all(|w| w.chars().next().is_some_and(char::is_lowercase))
        && words.last().is_some_and(|w| ["en", "an", "in", "et", "na"].iter().any(|e| w.ends_with(e)) && w.chars().count() >= 6)
        && !is_title(text)
}

/// The person's name inside a phrase that also holds a title: the words before the name,
/// the name, and the words after it.
fn name_within(phrase: &str) -> Option<(String, String, String)> {
    let words: Vec<&str> = phrase.split_whitespace().collect();
    for start in 0..words.len() {
        if !is_name_word(words[start]) || names::is_title_word(words[start]) {
            continue;
        }
        for len in (2..=4).rev() {
            let Some(candidate) = words.get(start..start + len) else { continue };
            let name = candidate.join(" ");
            if is_person_name(&name) {
                return Some((words[..start].join(" "), name, words[start + len..].join(" ")));
            }
        }
    }
    None
}

/// Takes the paragraphs attended out of a text.
fn take_paragraphs(text: &str) -> (String, Option<String>) {
    match PARAGRAPHS.find(text) {
        Some(m) => {
            let p = m.as_str().trim().trim_start_matches('(').trim_end_matches(')').trim().to_string();
            let rest = format!("{} {}", &text[..m.start()], &text[m.end()..]);
            let rest = rest.split_whitespace().collect::<Vec<_>>().join(" ").replace(" )", ")").replace(" ,", ",");
            (rest, Some(p))
        }
        None => (text.to_string(), None),
    }
}

fn tidy(s: &str) -> String {
    s.trim_matches(|c: char| c == ',' || c == ';' || c == '.' || c == ':' || c.is_whitespace()).to_string()
}

/// One person from a table row's cells or a running-text entry.
fn person(name_part: &str, extra_cells: &[&str], role: Role) -> Option<Participant> {
    let (name_part, mut paragraphs) = take_paragraphs(name_part);
    let (name, party, rest) = match split_party(&name_part) {
        Some((n, p, r)) => (n.to_string(), Some(p), r.to_string()),
        None => match name_part.split_once(',') {
            Some((n, r)) => (n.to_string(), None, r.to_string()),
            None => (name_part.clone(), None, String::new()),
        },
    };
    let name = tidy(&name);
    let mut titles: Vec<String> = Vec::new();
    let (name, rest) = if is_person_name(&name) {
        (name, rest)
    } else {
        // "Kommundirektör Eva Stål" (a title before the name), "Alf Iwarson avdelningschef
        // Gatuavdelningen" (a title after it, no comma).
        let (lead, name, tail) = name_within(&name)?;
        if !lead.is_empty() {
            titles.push(lead);
        }
        let rest = if tail.is_empty() { rest } else { format!("{tail}, {rest}") };
        (name, rest)
    };
    let mut organization: Option<String> = None;
    // A title in parentheses inside another fragment: "Lidaholms kommun (mötesordförande)".
    let mut parenthesised = Vec::new();
    let rest = take_parenthesised_titles(&rest, &mut parenthesised);
    let fragments = rest.split(',').map(tidy).filter(|f| !f.is_empty());
    for (i, fragment) in fragments.enumerate() {
        // Right after a party, a single capitalised word is a place ("(VV) Åre").
        let place = i == 0
            && party.is_some()
            && fragment.split_whitespace().count() == 1
            && fragment.chars().next().is_some_and(char::is_uppercase)
            && !is_title(&fragment);
        if organization.is_none() && (is_organization(&fragment) || place || is_unit(&fragment)) && !is_title(&fragment) {
            organization = Some(fragment);
        } else {
            titles.push(fragment);
        }
    }
    titles.extend(parenthesised);
    let n_cells = extra_cells.len();
    for (i, cell) in extra_cells.iter().enumerate() {
        let (cell, p) = take_paragraphs(cell);
        if p.is_some() && paragraphs.is_none() {
            paragraphs = p;
        }
        let cell = tidy(&cell);
        if cell.is_empty() {
            continue;
        }
        // The column after the name is the organisation unless it is plainly a title
        // and nothing else follows.
        let org_column = i == 0 && (n_cells > 1 || !is_title(&cell));
        if organization.is_none() && (org_column || (is_organization(&cell) && !is_title(&cell))) {
            organization = Some(cell);
        } else {
            titles.push(cell);
        }
    }
    let title = (!titles.is_empty()).then(|| titles.join(", "));
    Some(Participant { name, role, party, organization, title, paragraphs })
}

/// Splits running text into one entry per person: at semicolons if it has them, else at
/// commas, and within a piece at each party ("… ordförande Tomas Jangenmalm (S) Deanne
/// Edin (S) …", names with no separator between them).
fn entries(text: &str) -> Vec<String> {
    let text = text.trim().trim_end_matches('.');
    let pieces: Vec<String> = if text.contains(';') {
        text.split(';').map(tidy).filter(|e| !e.is_empty()).collect()
    } else {
        text.split(',').map(tidy).filter(|p| !p.is_empty()).collect()
    };
    let places = text.contains(';') || PARTY_PLACE_COMMA.is_match(text);
    // Titles stand before the names ("socialchef Jonas Wärn, controller Malin Öberg") when
    // the list ends with a name, after them ("Eva Lif, sekreterare") when it ends with a
    // title.
    let titles_first = pieces.last().is_some_and(|last| {
        let (last, _) = take_paragraphs(last);
        let words: Vec<&str> = last.split_whitespace().collect();
        words.len() >= 2 && is_person_name(&words[words.len() - 2..].join(" ")) && !starts_with_person(&last)
    });
    let mut out: Vec<String> = Vec::new();
    for piece in pieces {
        // "Per Olsson (C), tjg ers för Anna Berg (C)": the one replaced belongs with the
        // substitute; names after them are people of their own.
        let mut piece = piece;
        if let Some(c) = SUBSTITUTE.captures(&piece)
            && c.get(0).is_some_and(|m| m.start() == 0)
            && let (Some(name), Some(last)) = (c.get(1), out.last_mut())
        {
            let words: Vec<&str> = name.as_str().split_whitespace().collect();
            let replaced = names::split_run(&words).into_iter().next().unwrap_or_default();
            let end = name.start() + replaced.len();
            // The party of the one replaced goes with them.
            let end = match c.get(2) {
                Some(p) if replaced.len() == name.as_str().len() => c.get(0).map_or(p.end(), |m| m.end()),
                _ => end,
            };
            last.push_str(", ");
            last.push_str(piece[..end].trim());
            piece = piece[end..].trim().to_string();
            if piece.is_empty() {
                continue;
            }
        }
        let (lead, people) = split_at_parties(&piece, places, titles_first);
        if let Some(lead) = lead {
            match out.last_mut() {
                Some(last) if !starts_with_person(&lead) => {
                    last.push_str(", ");
                    last.push_str(&lead);
                }
                _ => out.push(lead),
            }
        }
        out.extend(people);
    }
    out
}

/// A substitute and the member replaced: "tjg ers för Anna Berg (C)", "ersättare för",
/// "ersätter Olle Ek (S)", "tjänstgör för".
static SUBSTITUTE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(?:tjänstgörande\s+ersättare|tjg\.?\s*ers(?:ättare)?\.?|ersättare|ers\.?|ersätter|tjänstgör|tjg\.?)\s+(?:för\s+|på\s+)?([A-ZÅÄÖ][\wåäöé'-]+(?:\s+[A-ZÅÄÖ][\wåäöé'-]+){1,3})(?:\s*\(\s*([A-Za-zÅÄÖåäö]{1,5})\s*\))?")
        .expect("valid regex")
});

/// Text ending where the name of the one replaced follows: "… ersättare för", "… ersätter".
static REPLACES_AT_END: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"(?i)(?:\bför|\bersätter|\btjg|\btjänstgör)\s*$").expect("valid regex"));

/// The members replaced by substitutes: absent, unless they are listed as present too.
fn replaced_members(people: &[Participant]) -> Vec<Participant> {
    let mut out: Vec<Participant> = Vec::new();
    for p in people {
        let Some(c) = p.title.as_deref().and_then(|t| SUBSTITUTE.captures(t)) else { continue };
        let Some(name) = c.get(1).map(|m| m.as_str().trim().to_string()) else { continue };
        if !is_person_name(&name) || people.iter().chain(&out).any(|q| name_key(&q.name) == name_key(&name)) {
            continue;
        }
        let party = c.get(2).map(|m| m.as_str().to_uppercase());
        out.push(Participant { name, role: Role::EjNarvarande, party, organization: None, title: None, paragraphs: None });
    }
    out
}

/// "(VV) Åre," : running text that gives each person's place after the party.
static PARTY_PLACE_COMMA: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"\([A-ZÅÄÖ]{1,4}\)\s+[A-ZÅÄÖ][a-zåäö]+\s*,").expect("valid regex"));

/// Splits "förvaltningschef §148-150 Magnus Ahlstrand" (a title run into the next name,
/// with no party to split at) into the title, for the person before, and the name.
///
/// A run of several names with nothing between them ("Rickard Norberg Ulf Hansson
/// Michael Haglund", as flattened lists give them) is split into its names.
///
/// With `titles_first`, the words between two names are the next one's title.
fn split_before_name(piece: &str, titles_first: bool) -> (Option<String>, Vec<String>) {
    let words: Vec<&str> = piece.split_whitespace().collect();
    let is_word = |w: &str| is_name_word(w) && !names::is_title_word(w) && is_person_name(&format!("{w} Ab"));
    let mut runs: Vec<(usize, usize)> = Vec::new();
    let mut i = 0;
    while i < words.len() {
        if is_word(words[i]) {
            let mut j = i;
            while j < words.len() && is_word(words[j]) {
                j += 1;
            }
            if j - i >= 2 {
                runs.push((i, j));
            }
            i = j;
        } else {
            i += 1;
        }
    }
    match runs.as_slice() {
        [] => return (None, vec![piece.to_string()]),
        [(0, end)] if *end <= 3 => return (None, vec![piece.to_string()]),
        [(start, end)] if titles_first && *end - *start <= 3 => return (None, vec![piece.to_string()]),
        _ => {}
    }
    let mut lead = words[..runs[0].0].join(" ");
    let mut people: Vec<String> = Vec::new();
    for (k, &(start, end)) in runs.iter().enumerate() {
        let names = names::split_run(&words[start..end]);
        let first = people.len();
        people.extend(names);
        if titles_first && !lead.is_empty() {
            people[first] = format!("{lead} {}", people[first]);
            lead.clear();
        }
        let next = runs.get(k + 1).map_or(words.len(), |r| r.0);
        let tail = words[end..next].join(" ");
        if tail.is_empty() {
            continue;
        }
        // The words after a name are its title, or with `titles_first` the next name's;
        // a paragraph range always stays with the name before it.
        let (tail, paragraphs) = take_paragraphs(&tail);
        if let (Some(p), Some(last)) = (&paragraphs, people.last_mut()) {
            last.push(' ');
            last.push_str(p);
        }
        if titles_first && k + 1 < runs.len() {
            lead = tail;
        } else if let Some(last) = people.last_mut() {
            last.push(' ');
            last.push_str(&tail);
        }
    }
    ((!lead.is_empty()).then_some(lead), people)
}

/// Splits a piece holding several "Name (P)" at the parties. Returns text before the
/// first name that is not a name (it belongs to the person before the piece), and the
/// people, each with what follows their party up to the next name.
fn split_at_parties(piece: &str, places: bool, titles_first: bool) -> (Option<String>, Vec<String>) {
    let marks: Vec<(usize, usize)> = names::party_spans(piece);
    if marks.len() < 2 {
        return split_before_name(piece, titles_first);
    }
    let mut lead: Option<String> = None;
    let mut people: Vec<String> = Vec::new();
    let mut cursor = 0;
    for (start, end) in marks {
        let words: Vec<&str> = piece[cursor..start].split_whitespace().collect();
        let run = words.iter().rev().take_while(|w| is_name_word(w)).count().min(4);
        // Two-word names are the rule; three when nothing else is there to claim the
        // first word (a place after the previous party, in running text that has them).
        let take = match run {
            0 | 1 => run,
            2 => 2,
            3 if places && !people.is_empty() => 2,
            3 => 3,
            _ => 2,
        };
        let rest = words[..words.len() - take].join(" ");
        // "Royne Borgvall (S) ersätter Lennart Wallensäter (S)": the one replaced goes
        // with the substitute.
        if REPLACES_AT_END.is_match(&rest)
            && let Some(last) = people.last_mut()
        {
            last.push(' ');
            last.push_str(piece[cursor..end].trim());
            cursor = end;
            continue;
        }
        if !rest.is_empty() {
            match people.last_mut() {
                Some(last) => {
                    last.push(' ');
                    last.push_str(&rest);
                }
                None => lead = Some(rest),
            }
        }
        people.push(format!("{} {}", words[words.len() - take..].join(" "), &piece[start..end]));
        cursor = end;
    }
    let tail = piece[cursor..].trim();
    if let Some(last) = people.last_mut()
        && !tail.is_empty()
    {
        last.push(' ');
        last.push_str(tail);
    }
    (lead, people)
}

fn starts_with_person(text: &str) -> bool {
    let head = split_party(text).map_or_else(|| text.split(',').next().unwrap_or("").to_string(), |(n, _, _)| n.to_string());
    is_person_name(&head)
}

/// Splits text at inline sub-headings ("… Härjedalens kommun Tjänstepersoner: Tommy …").
fn split_sublabels(text: &str) -> Vec<(Option<String>, String)> {
    let mut out = Vec::new();
    let mut last = 0;
    let mut label: Option<String> = None;
    for m in INLINE_LABEL.find_iter(text) {
        let before = text[last..m.start()].trim();
        if !before.is_empty() {
            out.push((label.clone(), before.to_string()));
        }
        label = Some(m.as_str().trim_end_matches(':').trim().to_string());
        last = m.end();
    }
    let rest = text[last..].trim();
    if !rest.is_empty() {
        out.push((label, rest.to_string()));
    }
    out
}

/// A label glued into running text ("… (SD) tjänstgörande ersättare Övriga närvarande Se
/// nästa sida. Justerare Eva Sjölander …"): capitalised, as headings are.
static GLUED_LABEL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\b(Beslutande|Tjänstgörande ersättare|Tjänstepersoner|Tjänstemän|Övriga deltagare|Övriga närvarande|Övriga deltagande|Ej närvarande|Frånvarande|Närvarande:|Ledamöter:|Justerare|Justerande|Underskrifter|Anslag/Bevis|Sammanträdets plats och tid|Paragrafer)\b(\s*\([^)]*\))?\s*(:)?")
        .expect("valid regex")
});

/// What a column of an attendance table records.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) enum Column {
    Name,
    Party,
    /// A mark for present, or serving: "Närvarande", "Tjg", "N".
    Present,
    /// A mark for present but not serving: "Ej tjg".
    NotServing,
    /// A mark for absent: "Frånvarande".
    Absent,
    /// The paragraphs attended: "§".
    Paragraphs,
    /// Votes and anything else.
    Other,
}

/// The column a header cell of an attendance table names.
pub(super) fn column_of(header: &str) -> Option<Column> {
    let h = vocabulary::normalise(header);
    Some(match h.as_str() {
        "parti" => Column::Party,
        "närvarande" | "närv" | "närvaro" | "n" | "tjg" | "tjänstgörande" | "tjänstgör" | "x" => Column::Present,
        "ej tjg" | "ej tjänstgörande" | "ej tjänstgör" | "ers" => Column::NotServing,
        "frånvarande" | "ej närvarande" | "frånv" => Column::Absent,
        "§" | "§§" | "paragraf" | "paragrafer" => Column::Paragraphs,
        "ja" | "nej" | "avstår" | "v" | "r" | "votering" | "omröstning" => Column::Other,
        _ => return None,
    })
}

/// What a line of the header holds, for the participant reader.
enum Unit<'a> {
    /// A role label, whether text followed it on its line, and its indentation.
    Role {
        role: Role,
        inline: bool,
        indent: f32,
    },
    /// The header of an attendance table: its columns at their indentation.
    Columns(Vec<(Column, f32)>),
    /// A label that ends the list (Justerare, Underskrifter, …).
    Stop,
    /// A table row after its label cell, with the cells' indentation.
    Row(Vec<&'a str>, Vec<f32>),
    Text {
        text: String,
        full: bool,
    },
}

fn units(line: &TextLine) -> Vec<Unit<'_>> {
    let mut out = Vec::new();
    let first = line.cells.first().map(String::as_str).unwrap_or("").trim();
    if line.cells.len() >= 2 {
        let mut cells: Vec<&str> = line.cells.iter().map(String::as_str).collect();
        let mut indents: Vec<f32> = line.cell_indents.clone();
        match kind_of_line(first) {
            LineKind::Role { role, rest } => {
                out.push(Unit::Role { role, inline: rest.is_some(), indent: line.indent });
                // The other cells name the columns of an attendance table.
                let columns: Vec<Option<Column>> = cells[1..].iter().map(|c| column_of(c)).collect();
                if columns.iter().all(Option::is_some) {
                    let mut cols = vec![(Column::Name, indents.first().copied().unwrap_or(0.0))];
                    cols.extend(columns.into_iter().flatten().zip(indents[1..].iter().copied()));
                    out.push(Unit::Columns(cols));
                    return out;
                }
                cells.remove(0);
                indents.remove(0);
                if let Some(rest) = rest {
                    out.push(Unit::Text { text: rest, full: false });
                }
            }
            k if k.is_label() && line.indent < 1.0 => {
                out.push(Unit::Stop);
                return out;
            }
            _ => {}
        }
        match cells.len() {
            0 => {}
            1 => out.push(Unit::Text { text: cells[0].to_string(), full: line.full }),
            _ => out.push(Unit::Row(cells, indents)),
        }
        return out;
    }
    let whole = line.text.trim();
    let mut text = whole;
    let rest_of_label;
    match kind_of_line(whole) {
        LineKind::Role { role, rest } => {
            out.push(Unit::Role { role, inline: rest.is_some(), indent: line.indent });
            // "Ledamöter Parti Närvarande §" without the cells apart: a table header.
            if let Some(r) = &rest
                && r.split_whitespace().all(|w| column_of(w).is_some() || w.eq_ignore_ascii_case("ej") || w.chars().all(|c| c.is_ascii_digit()))
            {
                let cols: Vec<(Column, f32)> =
                    std::iter::once((Column::Name, 0.0)).chain(r.split_whitespace().filter_map(column_of).map(|c| (c, f32::NAN))).collect();
                out.push(Unit::Columns(cols));
                return out;
            }
            // The text after the label may hold further labels glued into it.
            rest_of_label = rest.unwrap_or_default();
            text = rest_of_label.as_str();
        }
        LineKind::NoList => return out,
        k if k.is_label() && line.indent < 1.0 && GLUED_LABEL.find(whole).is_none_or(|m| m.start() == 0) => return vec![Unit::Stop],
        _ => {}
    }
    // Split the line at the labels glued into it.
    let mut last = 0;
    for c in GLUED_LABEL.captures_iter(text) {
        let Some(m) = c.get(0) else { continue };
        let before = text[last..m.start()].trim();
        if !before.is_empty() {
            out.push(Unit::Text { text: before.to_string(), full: false });
        }
        let label = c.get(1).map_or("", |m| m.as_str()).trim_end_matches(':');
        match kind_of_line(label) {
            LineKind::Role { role, .. } => out.push(Unit::Role { role, inline: c.get(3).is_some() || !text[m.end()..].trim().is_empty(), indent: line.indent }),
            _ => out.push(Unit::Stop),
        }
        last = m.end();
    }
    let rest = text[last..].trim();
    if !rest.is_empty() {
        out.push(Unit::Text { text: rest.to_string(), full: line.full });
    }
    out
}

/// The role of a person in an attendance table from the marks of their row: a member
/// marked present decides, unmarked is absent; a substitute marked serving decides, marked
/// not serving is present, unmarked is absent. Officials keep their section's role.
fn role_from_marks(section: Role, present: bool, not_serving: bool, absent: bool) -> Role {
    match section {
        Role::Tjansteperson | Role::EjNarvarande => section,
        _ if absent => Role::EjNarvarande,
        _ if present => Role::Beslutande,
        _ if not_serving => Role::Ovrig,
        _ => Role::EjNarvarande,
    }
}

fn is_mark(cell: &str) -> bool {
    matches!(cell.trim(), "X" | "x" | "✓" | "✔" | "•" | "*")
}

/// One row of an attendance table, read by its columns. Where the cells lost their
/// places (text without layout), the party is the short capitalised word after the name
/// and a mark counts for the first mark column.
fn attendance_row(cells: &[&str], indents: &[f32], columns: &[(Column, f32)], section: Role) -> Option<Participant> {
    let geometry = columns.iter().all(|(_, x)| x.is_finite()) && cells.len() == indents.len() && cells.len() > 1;
    let (mut name_cell, mut party, mut paragraphs) = (String::new(), None, None);
    let (mut present, mut not_serving, mut absent) = (false, false, false);
    let mut marks = 0;
    if geometry {
        for (cell, &x) in cells.iter().zip(indents) {
            let column = columns.iter().min_by(|a, b| (a.1 - x).abs().total_cmp(&(b.1 - x).abs())).map_or(Column::Other, |c| c.0);
            match column {
                Column::Name => name_cell = cell.to_string(),
                Column::Party => party = Some(cell.trim().to_uppercase()),
                Column::Paragraphs => paragraphs = take_paragraphs(cell).1.or(Some(cell.trim().to_string())),
                Column::Present if is_mark(cell) => present = true,
                Column::NotServing if is_mark(cell) => not_serving = true,
                Column::Absent if is_mark(cell) => absent = true,
                _ if is_mark(cell) => marks += 1,
                _ => {}
            }
        }
    } else {
        let joined = cells.join(" ");
        let (text, p) = take_paragraphs(&joined);
        paragraphs = p;
        let mut words: Vec<&str> = text.split_whitespace().collect();
        while let Some(w) = words.last() {
            if is_mark(w) {
                marks += 1;
                words.pop();
            } else if w.chars().all(char::is_lowercase) && column_of(w).is_some() {
                // A mark's note in the row: "X tjg".
                words.pop();
            } else {
                break;
            }
        }
        if let Some(w) = words.last()
            && (vocabulary::is_known_party(w) || (w.len() <= 4 && w.chars().all(|c| c.is_uppercase())))
            && columns.iter().any(|c| c.0 == Column::Party)
        {
            party = Some(w.to_uppercase());
            words.pop();
        }
        name_cell = words.join(" ");
        if marks > 0 {
            match columns.iter().find(|c| matches!(c.0, Column::Present | Column::NotServing | Column::Absent)).map(|c| c.0) {
                Some(Column::NotServing) => not_serving = true,
                Some(Column::Absent) => absent = true,
                _ => present = true,
            }
        }
    }
    let mut p = person(&name_cell, &[], section)?;
    p.role = role_from_marks(section, present || (marks > 0 && !geometry), not_serving, absent);
    if p.party.is_none() {
        p.party = party.filter(|x| !x.is_empty());
    }
    if p.paragraphs.is_none() {
        p.paragraphs = paragraphs.filter(|x| !x.is_empty());
    }
    Some(p)
}

/// Whether a word is a party's abbreviation in a table's party column.
fn is_party_cell(word: &str) -> bool {
    vocabulary::is_known_party(word) || ((2..=4).contains(&word.chars().count()) && word.chars().all(|c| c.is_uppercase()))
}

/// The rows of an attendance table whose rows ran together on one line (line breaks
/// lost): with a party column, a row ends after its party, its marks and the paragraphs
/// attended ("Anna Berg, ordförande S X Per Holm C X § 3–5 …"). Without a party column
/// the text is one row.
fn table_rows(text: &str, columns: &[(Column, f32)]) -> Vec<String> {
    let words: Vec<&str> = text.split_whitespace().collect();
    if !columns.iter().any(|c| c.0 == Column::Party) {
        return rows_without_party_column(&words);
    }
    let mut rows = Vec::new();
    let mut row: Vec<&str> = Vec::new();
    let mut k = 0;
    while k < words.len() {
        let w = words[k];
        row.push(w);
        k += 1;
        // A party after at least a name of two words ends the name part of a row.
        if row.len() >= 3 && is_party_cell(w) {
            while k < words.len() && (is_mark(words[k]) || words[k].chars().all(char::is_lowercase)) {
                row.push(words[k]);
                k += 1;
            }
            if k < words.len() && words[k].starts_with('§') {
                row.push(words[k]);
                k += 1;
                if words[k - 1].trim_start_matches('§').is_empty() && k < words.len() {
                    row.push(words[k]);
                    k += 1;
                }
            }
            rows.push(row.join(" "));
            row.clear();
        }
    }
    if !row.is_empty() {
        rows.push(row.join(" "));
    }
    rows
}

/// Rows run together where the party stands with the name ("Per Ek (C), ordförande X X
/// Eva Berg (S) X §§ 12-13 Jan Ny (KD) Bo Alm (S) X"): a row ends at a mark, a party in
/// brackets or the paragraphs attended when a capitalised name follows. Officials' lists
/// ("Eva Lif, sekreterare Per Holm, chef § 150–152") have neither and stay one text.
fn rows_without_party_column(words: &[&str]) -> Vec<String> {
    let is_range = |w: &str| w.chars().next().is_some_and(|c| c.is_ascii_digit()) && w.chars().all(|c| c.is_ascii_digit() || "-–,".contains(c));
    let mark_or_party = |w: &str| is_mark(w) || (w.starts_with('(') && w.ends_with(')'));
    let has_marks = words.iter().any(|w| mark_or_party(w));
    if !has_marks {
        return vec![words.join(" ")];
    }
    let mut rows = Vec::new();
    let mut row: Vec<&str> = Vec::new();
    for (k, &w) in words.iter().enumerate() {
        row.push(w);
        let ends_cell = mark_or_party(w) || (is_range(w) && k > 0 && words[k - 1].starts_with('§'));
        let name_next =
            words.get(k + 1).is_some_and(|n| !is_mark(n) && is_name_word(n)) && words.get(k + 2).is_some_and(|n| is_name_word(n.trim_end_matches(',')));
        if ends_cell && name_next {
            rows.push(row.join(" "));
            row.clear();
        }
    }
    if !row.is_empty() {
        rows.push(row.join(" "));
    }
    rows
}

/// Reads the participants listed in the header lines.
pub fn parse(lines: &[TextLine]) -> Vec<Participant> {
    let mut people: Vec<Participant> = Vec::new();
    let mut role: Option<Role> = None;
    // Running text collected over wrapped lines: its role, its text, and whether the
    // line it last took from was full.
    let mut block: Option<(Role, String, bool)> = None;
    // The columns of the attendance table being read, if any.
    let mut table: Option<Vec<(Column, f32)>> = None;

    let flush = |block: &mut Option<(Role, String, bool)>, people: &mut Vec<Participant>| {
        if let Some((r, text, _)) = block.take() {
            for (sub, part) in split_sublabels(&text) {
                let role = if r == Role::EjNarvarande { r } else { sub.as_deref().map_or(r, role_of) };
                for e in entries(&part) {
                    match person(&e, &[], role) {
                        Some(p) => people.push(p),
                        None => attach(people, &e, role),
                    }
                }
            }
        }
    };

    for line in lines {
        for unit in units(line) {
            match unit {
                Unit::Stop => {
                    flush(&mut block, &mut people);
                    role = None;
                    table = None;
                }
                Unit::Role { role: label_role, inline, indent } => {
                    flush(&mut block, &mut people);
                    table = None;
                    let nested = role == Some(Role::EjNarvarande) && (inline || indent > 1.0);
                    if !nested {
                        role = Some(label_role);
                    }
                }
                Unit::Columns(columns) => table = Some(columns),
                Unit::Row(cells, indents) => {
                    let Some(r) = role else { continue };
                    flush(&mut block, &mut people);
                    if let Some(columns) = &table {
                        if let Some(p) = attendance_row(&cells, &indents, columns, r) {
                            people.push(p);
                        } else {
                            attach(&mut people, &cells.join(" "), r);
                        }
                        continue;
                    }
                    // A table row: name | organisation | title.
                    match person(cells[0], &cells[1..], r) {
                        Some(p) => people.push(p),
                        None => {
                            block = Some((r, cells.join(", "), false));
                            flush(&mut block, &mut people);
                        }
                    }
                }
                Unit::Text { text, full } => {
                    let Some(r) = role else { continue };
                    if kind_of_line(&text) == LineKind::NoList {
                        flush(&mut block, &mut people);
                        continue;
                    }
                    if let Some(columns) = &table {
                        for row in table_rows(&text, columns) {
                            match attendance_row(&[row.as_str()], &[], columns, r) {
                                Some(p) => people.push(p),
                                None => attach(&mut people, &row, r),
                            }
                        }
                        continue;
                    }
                    let starts_sub = INLINE_LABEL.find(&text).is_some_and(|m| m.start() == 0);
                    match block.as_mut() {
                        Some((_, t, prev_full)) if !starts_sub && continues(t, *prev_full, &text) => {
                            t.push(' ');
                            t.push_str(&text);
                            *prev_full = full;
                        }
                        _ => {
                            flush(&mut block, &mut people);
                            block = Some((r, text, full));
                        }
                    }
                }
            }
        }
    }
    flush(&mut block, &mut people);
    let mut people = merge_duplicates(people);
    people.extend(replaced_members(&people));
    people
}

/// Whether the text of a new line goes on with the running text above: the line above
/// was full or ended in a comma, or the new line starts in lower case, or it is a list
/// that does not start with a person. A lone "Bergs kommun" is a cell of its own.
fn continues(above: &str, above_full: bool, next: &str) -> bool {
    above_full
        || above.trim_end().ends_with([',', ';'])
        || next.chars().next().is_some_and(char::is_lowercase)
        || (!starts_with_person(next) && next.contains([',', ';']))
}

/// An organisation or title on a line of its own belongs to the person above it.
fn attach(people: &mut [Participant], text: &str, role: Role) {
    let Some(last) = people.last_mut().filter(|p| p.role == role) else { return };
    let (text, paragraphs) = take_paragraphs(text);
    let text = tidy(&text);
    if paragraphs.is_some() && last.paragraphs.is_none() {
        last.paragraphs = paragraphs;
    }
    let mut titles = Vec::new();
    let text = take_parenthesised_titles(&text, &mut titles);
    for t in titles {
        last.title = Some(match last.title.take() {
            Some(old) => format!("{old}, {t}"),
            None => t,
        });
    }
    if text.is_empty() {
        return;
    }
    let place = last.party.is_some() && text.split_whitespace().count() == 1 && text.chars().next().is_some_and(char::is_uppercase);
    if last.organization.is_none() && (is_organization(&text) || place || is_unit(&text)) && !is_title(&text) {
        last.organization = Some(text);
    } else if is_title(&text) {
        last.title = Some(match last.title.take() {
            // A title that wrapped: "vice / ordförande", "1:e vice / ordförande".
            Some(t) if t.ends_with("vice") || t.ends_with('-') => format!("{t} {text}"),
            Some(t) => format!("{t}, {text}"),
            None => text,
        });
    }
}

fn name_key(name: &str) -> String {
    name.to_lowercase().split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Merges people listed twice, keeping the first role and filling gaps from later entries.
pub fn merge_duplicates(people: Vec<Participant>) -> Vec<Participant> {
    let mut out: Vec<Participant> = Vec::new();
    for p in people {
        match out.iter_mut().find(|q| name_key(&q.name) == name_key(&p.name)) {
            Some(q) => {
                q.party = q.party.take().or(p.party);
                q.organization = q.organization.take().or(p.organization);
                q.title = q.title.take().or(p.title);
                q.paragraphs = q.paragraphs.take().or(p.paragraphs);
            }
            None => out.push(p),
        }
    }
    out
}

/// Names only, for callers that need to recognise participants in text.
pub fn names_of(people: &[Participant]) -> Vec<&str> {
    people.iter().map(|p| p.name.as_str()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn one(p: &[Participant], name: &str) -> Participant {
        p.iter().find(|x| x.name == name).cloned().unwrap_or_else(|| panic!("{name} missing from {p:#?}"))
    }

    #[test]
    fn table_rows_with_wrapped_name_cells() {
        // socsam-2022-06-03, after the layout joined the wrapped cells.
        let lines = TextLine::lines(
            "Beslutande\tLise Hjemgaard Svensson (M) ordförande\tÖstersunds kommun\tOrdf. Vård och omsorgsnämnden
Karin Näsmark (S) vice ordförande\tStrömsunds kommun\tOrdf. Socialnämnden
Anders Häggqvist (C)\tHärjedalens kommun\tOrdf. Socialnämnden (§§33-41)
Tjänstepersoner\tAnda Embretzen\tHärjedalens kommun\tSocialchef (deltar via länk, §37)
Övriga deltagare\tElin Ring\tRJH\tSamordnare Social välfärd/RSS",
        );
        let p = parse(&lines);
        let lise = one(&p, "Lise Hjemgaard Svensson");
        assert_eq!((lise.role, lise.party.as_deref(), lise.organization.as_deref()), (Role::Beslutande, Some("M"), Some("Östersunds kommun")));
        assert_eq!(lise.title.as_deref(), Some("ordförande, Ordf. Vård och omsorgsnämnden"));
        assert_eq!(one(&p, "Karin Näsmark").title.as_deref(), Some("vice ordförande, Ordf. Socialnämnden"));
        let anders = one(&p, "Anders Häggqvist");
        assert_eq!((anders.title.as_deref(), anders.paragraphs.as_deref()), (Some("Ordf. Socialnämnden"), Some("§§33-41")));
        let anda = one(&p, "Anda Embretzen");
        assert_eq!((anda.role, anda.paragraphs.as_deref()), (Role::Tjansteperson, Some("§37")));
        assert_eq!(one(&p, "Elin Ring").organization.as_deref(), Some("RJH"));
    }

    #[test]
    fn absentees_as_wrapped_running_text_with_sub_headings() {
        let mut lines = TextLine::lines(
            "Ej närvarande\tBeslutande (kallade): Björn Nilsson (VV) Åre, Karin Sundin (S) Berg, Cathrine Blomqvist (S) Bräcke
Beslutande (ej kallade): Lena Olsson (C) Berg, Eva Sjölander (M)
Strömsund, Anton Waara (S)
Östersund
Tjänstepersoner: Gudrun Öjbrandt, Strömsunds kommun; Mats Danielsson, Bergs
kommun; Tommy Lekedal, Östersunds kommun",
        );
        for i in [1, 2, 4] {
            lines[i].full = true;
        }
        for l in lines.iter_mut().skip(1) {
            l.indent = 11.6;
        }
        let p = parse(&lines);
        assert!(p.iter().all(|x| x.role == Role::EjNarvarande), "{p:#?}");
        assert_eq!(one(&p, "Björn Nilsson").party.as_deref(), Some("VV"));
        assert_eq!(one(&p, "Cathrine Blomqvist").organization.as_deref(), Some("Bräcke"));
        assert_eq!(one(&p, "Eva Sjölander").organization.as_deref(), Some("Strömsund"));
        assert_eq!(one(&p, "Mats Danielsson").organization.as_deref(), Some("Bergs kommun"));
        assert_eq!(p.len(), 9);
    }

    #[test]
    fn one_person_per_line_with_titles_and_paragraphs() {
        // stromsund-socialnamnd-2022-11-17
        let lines = TextLine::lines(
            "Beslutande
Karin Näsmark (S), ordförande
Jörgen Olofsson (V) tjänstgörande ersättare
Aina Sundbaum (C) tjänstgörande ersättare §149-161
Övriga närvarande
Se nästa sida.
Justerare
Eva Sjölander (M) utses att justera protokollet, paragraf 148-161.
Övriga närvarande
Eva Lif, sekreterare
Gudrun Öjbrandt, förvaltningschef\t§148-150",
        );
        let p = parse(&lines);
        assert_eq!(p.len(), 5, "{p:#?}");
        assert_eq!(one(&p, "Karin Näsmark").title.as_deref(), Some("ordförande"));
        let aina = one(&p, "Aina Sundbaum");
        assert_eq!((aina.title.as_deref(), aina.paragraphs.as_deref()), (Some("tjänstgörande ersättare"), Some("§149-161")));
        let gudrun = one(&p, "Gudrun Öjbrandt");
        assert_eq!((gudrun.role, gudrun.title.as_deref(), gudrun.paragraphs.as_deref()), (Role::Ovrig, Some("förvaltningschef"), Some("§148-150")));
    }

    #[test]
    fn attendance_as_one_comma_separated_sentence() {
        let lines = TextLine::lines("Närvarande: Ulrika Gärdback, Malin Lindén Olsson, Carina Johansson, Carina Johansson, Tanja Mårtensson.");
        let p = parse(&lines);
        assert_eq!(names_of(&p), vec!["Ulrika Gärdback", "Malin Lindén Olsson", "Carina Johansson", "Tanja Mårtensson"]);
    }

    #[test]
    fn table_rows_that_ran_together() {
        let p = parse(&TextLine::lines(
            "Ledamöter Parti Närvarande §\nAnna Berg, ordförande S X Per Holm C Eva Lund M X § 3–5\nErsättare Parti Tjg Ej tjg §\nBo Ek SD X x tjg § 4–5 Ola Ny L",
        ));
        assert_eq!(names_of(&p), vec!["Anna Berg", "Per Holm", "Eva Lund", "Bo Ek", "Ola Ny"]);
        assert_eq!((one(&p, "Anna Berg").party.as_deref(), one(&p, "Anna Berg").role), (Some("S"), Role::Beslutande));
        assert_eq!(one(&p, "Per Holm").role, Role::EjNarvarande);
        assert_eq!(one(&p, "Eva Lund").paragraphs.as_deref(), Some("§ 3–5"));
        assert_eq!((one(&p, "Bo Ek").party.as_deref(), one(&p, "Bo Ek").role), (Some("SD"), Role::Beslutande));
        assert_eq!(one(&p, "Ola Ny").role, Role::EjNarvarande);
    }

    #[test]
    fn table_rows_with_the_party_by_the_name_that_ran_together() {
        let p = parse(&TextLine::lines(
            "Ordinarie ledamöter Tjg Ej tjg Närvaro § Ja § 15 Nej § 15\nPer Ek (C), ordförande X X Eva Berg (C) X §§ 12-13 Jan Ny (KD) Bo Alm (S) X X",
        ));
        assert_eq!(names_of(&p), vec!["Per Ek", "Eva Berg", "Jan Ny", "Bo Alm"]);
        assert_eq!((one(&p, "Per Ek").party.as_deref(), one(&p, "Per Ek").role), (Some("C"), Role::Beslutande));
        assert_eq!(one(&p, "Eva Berg").paragraphs.as_deref(), Some("§§ 12-13"));
        assert_eq!(one(&p, "Jan Ny").role, Role::EjNarvarande);
    }

    #[test]
    fn a_unit_with_a_role_in_parentheses() {
        let p = parse(&TextLine::lines("Närvarande: Anna Berg, skolan (sammankallande), Per Holm, polisen"));
        let anna = one(&p, "Anna Berg");
        assert_eq!((anna.organization.as_deref(), anna.title.as_deref()), (Some("skolan"), Some("sammankallande")));
        assert_eq!(one(&p, "Per Holm").organization.as_deref(), Some("polisen"));
    }

    #[test]
    fn names_glued_together_split_at_their_parties() {
        // A protocol whose lines were joined into one paragraph.
        let lines = TextLine::lines(
            "Beslutande Karin Näsmark (S), ordförande Tomas Jangenmalm (S) Deanne Edin (S) Jörgen Olofsson (V) tjänstgörande ersättare Aina Sundbaum (C) tjänstgörande ersättare §149-161 Lise Hjemgaard Svensson (M) Övriga närvarande Se nästa sida. Justerare Eva Sjölander (M) utses att justera.",
        );
        let p = parse(&lines);
        assert_eq!(names_of(&p), vec!["Karin Näsmark", "Tomas Jangenmalm", "Deanne Edin", "Jörgen Olofsson", "Aina Sundbaum", "Lise Hjemgaard Svensson"]);
        assert_eq!(one(&p, "Karin Näsmark").title.as_deref(), Some("ordförande"));
        let aina = one(&p, "Aina Sundbaum");
        assert_eq!((aina.title.as_deref(), aina.paragraphs.as_deref()), (Some("tjänstgörande ersättare"), Some("§149-161")));
    }

    #[test]
    fn titles_run_into_the_next_name() {
        let p = parse(&TextLine::lines(
            "Övriga närvarande Eva Lif, sekreterare Gudrun Öjbrandt, förvaltningschef §148-150 Magnus Ahlstrand, verksamhetschef IFO §153",
        ));
        assert_eq!(names_of(&p), vec!["Eva Lif", "Gudrun Öjbrandt", "Magnus Ahlstrand"]);
        assert_eq!(one(&p, "Gudrun Öjbrandt").paragraphs.as_deref(), Some("§148-150"));
        assert!(p.iter().all(|x| x.role == Role::Ovrig));
    }

    #[test]
    fn a_cell_per_line_attaches_to_the_person_above() {
        let p = parse(&TextLine::lines("Tjänstepersoner\nIngrid Larson\nBergs kommun\nAvd.chef Verkställighet (deltar via länk §§34-41)"));
        let i = one(&p, "Ingrid Larson");
        assert_eq!(i.organization.as_deref(), Some("Bergs kommun"));
        assert_eq!(i.title.as_deref(), Some("Avd.chef Verkställighet (deltar via länk)"));
        assert_eq!(i.paragraphs.as_deref(), Some("§§34-41"));
    }

    #[test]
    fn a_wrapped_title_word_is_not_a_label() {
        let p = parse(&TextLine::lines("Beslutande\tKarin Näsmark (S) vice\tStrömsunds kommun\nordförande\nJohan Loock (M)\tBräcke kommun"));
        assert_eq!(names_of(&p), vec!["Karin Näsmark", "Johan Loock"]);
        assert_eq!(one(&p, "Karin Näsmark").title.as_deref(), Some("vice ordförande"));
    }

    #[test]
    fn a_separate_attendance_list_is_no_list() {
        let p = parse(&TextLine::lines("Beslutande\tEnligt särskild närvarolista"));
        assert!(p.is_empty());
    }

    #[test]
    fn substitutes_for_someone_keep_that_in_the_title() {
        let p = parse(&TextLine::lines("Beslutande\nPer Olsson (C), tjg ers för Anna Berg (C)"));
        assert_eq!(p[0].title.as_deref(), Some("tjg ers för Anna Berg (C)"));
        assert_eq!(p[0].role, Role::Beslutande);
    }
}
