//! Officers: the chair (ordförande), the secretary (sekreterare) and the members who
//! co-sign the minutes (justerare).
//!
//! In order of trust: the signature block ("Sekreterare : Åsa Eldebro……", a label with
//! the name on the line below, "Karin Näsmark, ordförande" under "Underskrifter"); the
//! appointment of justerare ("X utses att justera", "Utses att justera X", "Justerare: X");
//! then the participants' titles and running text ("Ordföranden, Katarina Nyberg Finn
//! (S), hälsar välkommen"). Metadata labels ("Justeringens plats och tid",
//! "Paragrafer 155-168") name no one.

use std::sync::LazyLock;

use regex::Regex;

use super::TextLine;
use super::names::{clean_name, is_person_name, person_names_in, split_party};
use crate::model::{Item, Officers, Participant};

#[derive(Debug, Clone, Copy, PartialEq)]
enum Office {
    Chair,
    Secretary,
    Adjuster,
}

/// A signature label, alone or followed by the name: "Sekreterare : Åsa Eldebro…".
/// Labels are capitalised; a lower-case "ordförande" is a wrapped title.
static LABEL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"^(Ordförande|ORDFÖRANDE|Ordf\.|Sekreterare|SEKRETERARE|Justerare|JUSTERARE|Justerande|JUSTERANDE|Justeras\s+av|Vid\s+protokollet)\s*:?\s*(.*)$",
    )
    .expect("valid regex")
});

/// The same labels with a colon inside running text: "… Ordförande : Lise Hjemgaard
/// Svensson…… Justerare : Karin Näsmark……".
static LABEL_IN_TEXT: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\b(Ordförande|Sekreterare|Justerare|Justerande)\s*:\s*([A-ZÅÄÖÉ][\w\-]+(?:\s+[A-ZÅÄÖÉ][\w\-]+){1,3})").expect("valid regex"));

/// "Karin Näsmark, ordförande" in a list of signatures.
static NAME_COMMA_OFFICE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)^([^,]+?)(?:\s*\([^)]*\))?\s*,\s*(ordförande|sekreterare|justerare|justerande)\s*$").expect("valid regex"));

/// "Eva Sjölander (M) utses att justera", "Karin Näsmark (S) utses till justerare".
static APPOINTED_BEFORE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"([A-ZÅÄÖÉ][\w\-]+(?:\s+[A-ZÅÄÖÉ][\w\-]+){1,3})\s*(?:\([^)]*\))?\s*(?:,\s*)?(?i:utses|utsågs|valdes|väljs)\s+(?i:att\s+justera|till\s+justerare|till\s+justerande|att\s+jämte\s+ordföranden\s+justera)")
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

fn office_of(label: &str) -> Option<Office> {
    let l = label.to_lowercase();
    if l.starts_with("ordf") {
        Some(Office::Chair)
    } else if l.starts_with("sekreterare") || l.starts_with("vid protokollet") {
        Some(Office::Secretary)
    } else if l.starts_with("juster") {
        Some(Office::Adjuster)
    } else {
        None
    }
}

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

/// The name a signature label stands before, on its line or the next.
fn signature_block(lines: &[TextLine], found: &mut Found) {
    for (i, line) in lines.iter().enumerate() {
        let text = line.text.trim();
        if let Some(c) = NAME_COMMA_OFFICE.captures(text)
            && let (Some(name), Some(office)) = (c.get(1), c.get(2).and_then(|m| office_of(m.as_str())))
        {
            found.set(office, name.as_str());
            continue;
        }
        let Some(c) = LABEL.captures(text) else { continue };
        let Some(office) = c.get(1).and_then(|m| office_of(m.as_str())) else { continue };
        let rest = clean_name(c.get(2).map_or("", |m| m.as_str()));
        let rest = split_party(&rest).map_or(rest.clone(), |(n, _, _)| n.to_string());
        if is_person_name(&rest) {
            found.set(office, &rest);
        } else if rest.is_empty()
            && let Some(next) = lines.get(i + 1)
        {
            // The name alone on the next line (a party may follow it, nothing else).
            let line = clean_name(&next.text);
            let name = match split_party(&line) {
                Some((n, _, "")) => n.to_string(),
                Some(_) => continue,
                None => line,
            };
            found.set(office, &name);
        } else {
            for c in LABEL_IN_TEXT.captures_iter(text) {
                if let (Some(label), Some(name)) = (c.get(1).and_then(|m| office_of(m.as_str())), c.get(2)) {
                    found.set(label, name.as_str());
                }
            }
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
    signature_block(header, &mut found);
    // Signatures also stand after the last item.
    let tail_start = body.len().saturating_sub(40);
    signature_block(&body[tail_start..], &mut found);
    let header_text: Vec<&str> = header.iter().map(|l| l.text.as_str()).collect();
    appointments(&header_text.join("\n"), &mut found);
    for item in items {
        appointments(&item.text, &mut found);
    }
    for p in participants {
        let title = p.title.as_deref().unwrap_or("").to_lowercase();
        let first = title.split(',').next().unwrap_or("").trim().to_string();
        if first == "ordförande" || first == "ordf." || first == "ordf" {
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
