//! Officers: the chair (ordförande), the secretary (sekreterare) and the members who
//! co-sign the minutes (justerare).
//!
//! In order of trust:
//! - the signature block: labels and names in the same order, whether each label has its
//!   name after it ("Sekreterare : Åsa Eldebro……"), on the next line, or all the labels
//!   come first and the names after them in one row ("Underskrifter Sekreterare
//!   Ordförande Justerande / Mia Sand  Ola Berg (S)  Ann Ö (M)"), or the names come first
//!   and a row of labels under them; "Karin Näsmark, ordförande" in a list of signatures;
//!   "Vid protokollet" and "Justeras";
//! - the appointment of justerare ("X utses att justera", "Utses att justera X",
//!   "Justerare: X", "Till justerare utses X");
//! - the participants' titles and running text ("Ordföranden, Katarina Nyberg Finn (S),
//!   hälsar välkommen").
//!
//! Metadata labels ("Justeringens plats och tid", "Paragrafer 155-168") name no one. A
//! title in a name row ("Kommunsekreterare Ida Al") is a title, not a name.

use std::sync::LazyLock;

use regex::Regex;

use super::TextLine;
use super::names::{clean_name, is_person_name, person_names_in, split_names};
use super::vocabulary::{self, Office};
use crate::model::{Item, Officers, Participant};

/// An officer label inside a line of a signature block.
static LABEL_IN_LINE: LazyLock<Regex> = LazyLock::new(|| {
    let phrases = vocabulary::OFFICER_LABELS.iter().map(|(p, _)| *p).filter(|p| !p.starts_with("utse"));
    Regex::new(&format!(r"(?i)(?:{})", vocabulary::phrase_pattern(phrases))).expect("valid regex")
});

/// What stands between the labels of a signature line and is no name: dots, underscores,
/// the signature heading, the paragraphs signed, dates.
static FILLER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)[….:_/,;\-–]+|\b(?:underskrifter|underskrift|paragrafer|paragraf|sign|signatur)\b|§+|\d[\d\s,.:–-]*").expect("valid regex")
});

/// A party in parentheses, which a row of names may carry.
static PARTY_MARK: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"\(\s*[A-Za-zÅÄÖåäö]{1,5}\s*\)").expect("valid regex"));

/// "Underskrifter", "Underskrift": the heading of a signature block.
static SIGNATURE_HEADING: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(r"(?i)^(?:{})\b", vocabulary::phrase_pattern(vocabulary::SIGNATURE_HEADINGS.iter().copied().filter(|h| *h != "justering"))))
        .expect("valid regex")
});

/// Lines at the end of the document searched for signatures.
const TAIL_LINES: usize = 40;

/// Signature lines next to each other: a label waits this many lines for its name.
const MAX_LINES_TO_NAME: usize = 3;

/// "Karin Näsmark, ordförande" in a list of signatures.
static NAME_COMMA_OFFICE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)^([^,]+?)(?:\s*\([^)]*\))?\s*,\s*(ordförande|sekreterare|justerare|justerande)\s*$").expect("valid regex"));

/// "Eva Sjölander (M) utses att justera", "Karin Näsmark (S) utses till justerare", on
/// one line (a capitalised "Utses" opens a label, not a sentence about the name above).
static APPOINTED_BEFORE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"([A-ZÅÄÖÉ][\w\-]+(?:[ \t]+[A-ZÅÄÖÉ][\w\-]+){1,3})[ \t]*(?:\([^)]*\))?[ \t]*(?:,[ \t]*)?(?:utses|utsågs|valdes|väljs)\s+(?i:att\s+justera|till\s+justerare|till\s+justerande|att\s+jämte\s+ordföranden\s+justera)")
        .expect("valid regex")
});

/// "Utses att justera: X", "Till justerare utses X", "Att justera protokollet utses X".
static APPOINTED_AFTER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i:utses\s+att\s+justera|till\s+justerare\s+utses|att\s+justera\s+(?:dagens\s+)?protokoll(?:et)?\s+utses|justerare\s+utses)\s*:?\s*([A-ZÅÄÖÉ][\w\-]+(?:\s+[A-ZÅÄÖÉ][\w\-]+){1,3})")
        .expect("valid regex")
});

/// "Ordföranden, Katarina Nyberg Finn (S), hälsar välkommen".
static CHAIR_IN_TEXT: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?:^|\.\s+)Ordförande(?:n)?,?\s+([A-ZÅÄÖÉ][\w\-]+(?:\s+[A-ZÅÄÖÉ][\w\-]+){1,3})").expect("valid regex"));

#[derive(Default)]
struct Found {
    chair: Option<String>,
    secretary: Option<String>,
    adjusters: Vec<String>,
}

impl Found {
    fn set(&mut self, office: Office, name: &str) {
        let name = clean_name(name);
        if !is_person_name(&name) {
            return;
        }
        match office {
            Office::Chair => {
                self.chair.get_or_insert(name);
            }
            Office::Secretary => {
                self.secretary.get_or_insert(name);
            }
            Office::Adjuster => {
                if !self.adjusters.iter().any(|a| a == &name) {
                    self.adjusters.push(name);
                }
            }
        }
    }
}

/// The officer labels of a line, in order, with where each starts and ends. A label
/// counts when it is capitalised (labels are; a wrapped "ordförande" is a title), or when
/// the whole line is labels (a row of lower-case labels under the names).
fn labels_in(text: &str) -> Vec<(Office, usize, usize)> {
    let mut out = Vec::new();
    for m in LABEL_IN_LINE.find_iter(text) {
        let alone = !text[..m.start()].ends_with(char::is_alphanumeric) && !text[m.end()..].starts_with(char::is_alphanumeric);
        if !alone {
            continue;
        }
        if let Some(office) = vocabulary::lookup(vocabulary::OFFICER_LABELS, m.as_str()) {
            out.push((office, m.start(), m.end()));
        }
    }
    let only_labels = {
        let mut rest = text.to_string();
        for &(_, s, e) in out.iter().rev() {
            rest.replace_range(s..e, " ");
        }
        FILLER.replace_all(&rest, " ").trim().is_empty()
    };
    if !only_labels {
        out.retain(|&(_, s, _)| text[s..].starts_with(char::is_uppercase));
    }
    out
}

/// The names of a text that holds nothing but names (parties, dots and numbers aside).
fn name_row(text: &str, known: &[&str]) -> Option<Vec<String>> {
    let rest = FILLER.replace_all(text, " ");
    let names = split_names(&rest, known);
    let covered: usize = names.iter().map(|n| n.split_whitespace().count()).sum();
    let words = PARTY_MARK.replace_all(&rest, " ").split_whitespace().count();
    (!names.is_empty() && covered == words).then_some(names)
}

/// Reads signature blocks: labels and the names they wait for, in order.
fn signature_blocks(lines: &[TextLine], known: &[&str], found: &mut Found) {
    let mut pending: Vec<Office> = Vec::new();
    let mut waited = 0;
    let mut last_names: Option<Vec<String>> = None;
    for line in lines {
        let text = line.text.trim();
        if let Some(c) = NAME_COMMA_OFFICE.captures(text)
            && let (Some(name), Some(office)) = (c.get(1), c.get(2).and_then(|m| vocabulary::lookup(vocabulary::OFFICER_LABELS, m.as_str())))
        {
            found.set(office, name.as_str());
            continue;
        }
        // A signature heading starts a block of its own: labels waiting from above lapse.
        if SIGNATURE_HEADING.is_match(text) {
            pending.clear();
        }
        let labels = labels_in(text);
        if let Some(&(_, first, _)) = labels.first()
            && FILLER.replace_all(&text[..first], " ").trim().is_empty()
        {
            // Each label takes the names between it and the next label; a label with
            // none waits for a row of names.
            let mut unnamed: Vec<Office> = Vec::new();
            for (k, &(office, _, end)) in labels.iter().enumerate() {
                let until = labels.get(k + 1).map_or(text.len(), |l| l.1);
                // The names, before any organisation or note: "Per Sjöholm, Norrby kommun".
                let segment = &text[end..until];
                let segment = segment.trim_start_matches(|c: char| !c.is_alphanumeric());
                let segment = segment.split([',', '(']).next().unwrap_or("");
                match name_row(segment, known) {
                    Some(names) => {
                        for n in names {
                            found.set(office, &n);
                        }
                    }
                    None => unnamed.push(office),
                }
            }
            if unnamed.len() == labels.len() && pending.is_empty() && last_names.as_ref().is_some_and(|n| n.len() == labels.len()) {
                // The names first, a row of labels under them.
                for (office, name) in unnamed.iter().zip(last_names.take().unwrap_or_default()) {
                    found.set(*office, &name);
                }
                continue;
            }
            pending.extend(unnamed);
            waited = 0;
            continue;
        }
        if let Some(names) = name_row(text, known) {
            if pending.is_empty() {
                last_names = Some(names);
                continue;
            }
            let last = pending.last().copied();
            let mut names = names.into_iter();
            for office in pending.drain(..) {
                if let Some(n) = names.next() {
                    found.set(office, &n);
                }
            }
            // More names than labels: the last label was the justerare's, and there are two.
            if last == Some(Office::Adjuster) {
                for n in names {
                    found.set(Office::Adjuster, &n);
                }
            }
            last_names = None;
            continue;
        }
        if FILLER.replace_all(text, " ").trim().is_empty() {
            continue;
        }
        last_names = None;
        waited += 1;
        if waited > MAX_LINES_TO_NAME {
            pending.clear();
        }
    }
}

fn appointments(text: &str, found: &mut Found) {
    let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
    for c in APPOINTED_BEFORE.captures_iter(&flat) {
        if let Some(name) = c.get(1) {
            // The capture may start with a capitalised word of the sentence ("Till …").
            let names = person_names_in(name.as_str());
            if let Some(n) = names.last() {
                found.set(Office::Adjuster, n);
            }
        }
    }
    for c in APPOINTED_AFTER.captures_iter(&flat) {
        if let Some(name) = c.get(1) {
            found.set(Office::Adjuster, name.as_str());
        }
    }
}

/// Finds the officers in the header lines, the body and the participants' titles.
pub fn find(header: &[TextLine], body: &[TextLine], participants: &[Participant], items: &[Item]) -> Officers {
    let mut found = Found::default();
    let known: Vec<&str> = participants.iter().map(|p| p.name.as_str()).collect();
    signature_blocks(header, &known, &mut found);
    // Signatures also stand after the last item.
    let tail_start = body.len().saturating_sub(TAIL_LINES);
    signature_blocks(&body[tail_start..], &known, &mut found);
    let header_text: Vec<&str> = header.iter().map(|l| l.text.as_str()).collect();
    appointments(&header_text.join("\n"), &mut found);
    for item in items {
        appointments(&item.text, &mut found);
    }
    for p in participants {
        let title = p.title.as_deref().unwrap_or("").to_lowercase();
        let first = title.split(',').next().unwrap_or("").trim().to_string();
        if matches!(first.as_str(), "ordförande" | "ordf." | "ordf" | "mötesordförande" | "ordförande för mötet") {
            found.set(Office::Chair, &p.name);
        }
        if title.split(',').any(|t| t.trim() == "sekreterare" || t.trim() == "nämndsekreterare") {
            found.set(Office::Secretary, &p.name);
        }
    }
    if found.chair.is_none() {
        for item in items {
            if let Some(c) = CHAIR_IN_TEXT.captures(&item.text)
                && let Some(name) = c.get(1)
            {
                found.set(Office::Chair, name.as_str());
                if found.chair.is_some() {
                    break;
                }
            }
        }
    }
    Officers { chair: found.chair, secretary: found.secretary, adjusters: found.adjusters }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn officers(header: &str) -> Officers {
        find(&TextLine::lines(header), &[], &[], &[])
    }

    #[test]
    fn signature_lines_with_dot_leaders() {
        // socsam-2022-06-03
        let o = officers(
            "Sekreterare : Åsa Eldebro.....................\nOrdförande : Lise Hjemgaard Svensson.....................\nJusterare : Karin Näsmark.....................\nMuntligt justerat",
        );
        assert_eq!(o.secretary.as_deref(), Some("Åsa Eldebro"));
        assert_eq!(o.chair.as_deref(), Some("Lise Hjemgaard Svensson"));
        assert_eq!(o.adjusters, vec!["Karin Näsmark"]);
    }

    #[test]
    fn labels_with_the_name_on_the_next_line() {
        // socsam-2021-10-08
        let o = officers(
            "Sekreterare\t_____________________\nCatrin Skoglund\nOrdförande\t_____________________\nLise Hjemgaard Svensson\nJusterande\t_____________________\nKarin Näsmark",
        );
        assert_eq!(o.secretary.as_deref(), Some("Catrin Skoglund"));
        assert_eq!(o.chair.as_deref(), Some("Lise Hjemgaard Svensson"));
        assert_eq!(o.adjusters, vec!["Karin Näsmark"]);
    }

    #[test]
    fn signature_list_and_appointment_sentence() {
        // stromsund-socialnamnd-2022-11-17
        let o = officers(
            "Justerare\nEva Sjölander (M) utses att justera protokollet, paragraf 148-161. Justeringen sker på kommunkontoret i\nStrömsund onsdag den 30 november.\nUnderskrifter\nKarin Näsmark, ordförande\nEva Lif, sekreterare\nEva Sjölander, justerare",
        );
        assert_eq!(o.chair.as_deref(), Some("Karin Näsmark"));
        assert_eq!(o.secretary.as_deref(), Some("Eva Lif"));
        assert_eq!(o.adjusters, vec!["Eva Sjölander"]);
    }

    #[test]
    fn metadata_labels_name_no_one() {
        let o = officers("Justeringens plats och tid: Kommunhuset 2023-05-02\nParagrafer 155-168\nUtses att justera: Anna Berg");
        assert_eq!(o.adjusters, vec!["Anna Berg"]);
        assert_eq!(o.chair, None);
    }

    #[test]
    fn chair_opening_the_meeting_in_running_text() {
        let item = Item {
            number: "29".into(),
            title: "Sammanträdet öppnas".into(),
            heading: "§ 29 Sammanträdet öppnas".into(),
            diarienummer: None,
            presenters: vec![],
            page: 1,
            text: "Ordföranden, Katarina Nyberg Finn (S), hälsar välkommen och öppnar mötet.".into(),
            decision: None,
            references: vec![],
            motions: vec![],
            reservations: vec![],
            notes: vec![],
            vote: None,
        };
        let o = find(&[], &[], &[], &[item]);
        assert_eq!(o.chair.as_deref(), Some("Katarina Nyberg Finn"));
    }
}
