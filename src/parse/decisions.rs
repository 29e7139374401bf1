//! Decisions: where an item's decision stands, what it says and what kind it is, and the
//! motions, dissents, notes and votes around it.
//!
//! The decision follows a label line ("Ställningstagande Sociala samrådsgruppen, SocSam:",
//! "Socialnämndens beslut", "Beslut", "Socialchefs nätverket beslutade:") or an inline
//! label ("Beslut – beslutar i enlighet med ordförandens förslag"); without one, a
//! sentence in which the body decides ("Arbetsutskottet beslutar att …") is the decision.
//! A proposal is not a decision: "Förslag till beslut", "Yrkande", "Arbetsutskottets
//! förslag" open sections of their own, and "Beslut skickas till" ends the decision.
//! Past decisions with a date are citations ([`super::references`]), not this one.

use std::sync::LazyLock;

use regex::Regex;

use super::classify::{LineKind, kind_of_line};
use super::dates::find_dates;
use super::references::sentences;
use super::vocabulary::Section;
use crate::model::{Decision, DecisionKind, Vote};

/// A sentence in which the body decides, in the present or the minutes' past tense.
static DECIDES: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)\b(?:beslutar|beslutade|beslutades|beslöt)\b\s*(?::|att\b|enligt\b|i\s+enlighet\b|därmed\b)").expect("valid regex"));

/// The past tense of deciding.
static PAST_DECISION: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"(?i)\b(?:beslutade|beslutades|beslöt)\b").expect("valid regex"));

static MOTION_SENTENCE: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"(?i)\byrkar\b").expect("valid regex"));
static RESERVATION_SENTENCE: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"(?i)\breserverar\s+sig\b|\breservation\b").expect("valid regex"));
static NOTE_SENTENCE: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"(?i)\bprotokollsanteckning").expect("valid regex"));
static VOTE_SENTENCE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)\b(?:omröstning|votering|\d+\s+(?:ja|nej)-?röster|röster\s+mot)\b").expect("valid regex"));

/// A decision label run into the text before and after it, as when a document's lines
/// were joined: "… Tjänsteskrivelse Socialnämndens beslut Socialnämnden tar del av …".
static GLUED_DECISION: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\b(?:[A-ZÅÄÖ][\wåäö\-]*s\s+beslut|Ställningstagande\b[^:.\n]{0,60}:)\s+([A-ZÅÄÖ].*)").expect("valid regex"));

/// Where a glued decision stops: the next heading run into the text.
static GLUED_END: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"\s(?:Beslut(?:et)?\s+skickas\s+till|Underlag\s+till\s+beslut|Beslutsunderlag|Yrkanden?\b|Reservation(?:er)?\b|Protokollsanteckning|Expedieras)",
    )
    .expect("valid regex")
});

/// Starts of sentences after which an inline decision's text no longer decides.
static INLINE_END: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^(?:ärendet\s+har|yrkanden?\s*:|beslutsunderlag\s*:|underlag\s*:|reservation|protokollsanteckning|beslutet\s+skickas|bakgrund)")
        .expect("valid regex")
});

/// What the decision does, in one Swedish word; checked in this order, so that "tar
/// del av och godkänner" is godkänner and "rekommendera … att godkänna" rekommenderar.
const KINDS: &[(&str, DecisionKind)] = &[
    (r"\båterremitt", DecisionKind::Aterremitterar),
    (r"\bbordl[äa]gg", DecisionKind::Bordlagger),
    (r"\bavslå|\bavslag\b", DecisionKind::Avslar),
    (r"\bupphäv", DecisionKind::Upphaver),
    (r"\bbereds\b|\bbereda\b", DecisionKind::Bereder),
    (r"\brekommendera(?:r|s|de)?\b|\brekommendationsbeslut", DecisionKind::Rekommenderar),
    (r"\bfastställ|\bfastslå", DecisionKind::Faststaller),
    (r"\bgodkänn|\bgodkänd|\bställer\s+sig\s+bakom|\bbifall", DecisionKind::Godkanner),
    (r"\bantar\b|\bantas\b|\banta\b", DecisionKind::Antar),
    (r"\buppdra|\bi\s+uppdrag\b", DecisionKind::Uppdrar),
    (r"\butses\b|\butser\b|\bväljs\b|\bväljer\b|\bvald\b", DecisionKind::Utser),
    (r"\bbeviljar\b|\bbeviljas\b", DecisionKind::Beviljar),
    (r"\bförläng", DecisionKind::Forlanger),
    (r"\btill\s+handlingarna\b|\btar\s+del\s+av\b|\btagit\s+del\s+av\b|\bnoterar\b|\binformationen\b", DecisionKind::TillHandlingarna),
    (r"\byttrande\b|\byttrar\b", DecisionKind::Yttrar),
];

static KIND_RES: LazyLock<Vec<(Regex, DecisionKind)>> =
    LazyLock::new(|| KINDS.iter().map(|(p, k)| (Regex::new(&format!("(?i){p}")).expect("valid regex"), *k)).collect());

/// The kind of a decision text.
pub fn kind_of(text: &str) -> DecisionKind {
    KIND_RES.iter().find(|(re, _)| re.is_match(text)).map_or(DecisionKind::Beslut, |(_, k)| *k)
}

/// The decision and the surrounding motions of one item.
#[derive(Debug, Default, PartialEq)]
pub struct DecisionParts {
    pub decision: Option<Decision>,
    pub motions: Vec<String>,
    pub reservations: Vec<String>,
    pub notes: Vec<String>,
    pub vote: Option<Vote>,
}

/// The section a line opens, from the line classifier: any label that is not an item's
/// (Underskrifter, Justerare) ends the item's sections.
fn classify(line: &str) -> Option<(Section, Option<String>)> {
    match kind_of_line(line) {
        LineKind::Section { section, rest } => Some((section, rest)),
        k if k.is_label() => Some((Section::Other, None)),
        _ => None,
    }
}

/// Whether a line opens a decision ("Socialnämndens beslut", "Nätverket beslutade:").
pub fn is_decision_label(line: &str) -> bool {
    matches!(classify(line), Some((Section::Decision, _)))
}

/// Joins a section's lines, without the bullet glyphs of symbol fonts (U+F0B7 and the
/// like, in the private use area) that mark list items.
fn join(lines: &[String]) -> String {
    lines
        .iter()
        .map(|l| l.trim().trim_start_matches(|c: char| ('\u{e000}'..='\u{f8ff}').contains(&c) || c == '•').trim())
        .filter(|l| !l.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// Reads the decision of an item from its body lines (after the title).
/// `body` is the meeting's body: a decision sentence whose subject it is wins over
/// others, and an arbetsutskott's decision quoted in another body's item is a proposal.
pub fn analyse(lines: &[String], body: &str) -> DecisionParts {
    let mut parts = DecisionParts::default();
    let mut current: Option<Section> = None;
    let mut decision_lines: Vec<String> = Vec::new();
    let mut section_text: Vec<String> = Vec::new();
    // Text outside decision, motion and vote sections, in runs from one heading to the
    // next; `true` for a run under a description heading.
    let mut runs: Vec<(bool, Vec<String>)> = Vec::new();

    let close = |section: Option<Section>, text: &mut Vec<String>, parts: &mut DecisionParts, decision_lines: &mut Vec<String>| {
        let joined = join(text);
        text.clear();
        if joined.is_empty() {
            return;
        }
        match section {
            Some(Section::Decision) => decision_lines.push(joined),
            Some(Section::Motion) => parts.motions.push(joined),
            Some(Section::Reservation) => parts.reservations.push(joined),
            Some(Section::Note) => parts.notes.push(joined),
            Some(Section::Vote) => parts.vote = Some(Vote { text: joined }),
            _ => {}
        }
    };

    for line in lines {
        if let Some((section, rest)) = classify(line) {
            close(current, &mut section_text, &mut parts, &mut decision_lines);
            current = Some(section);
            match section {
                Section::Other | Section::Description | Section::Distribution => runs.push((section == Section::Description, rest.into_iter().collect())),
                _ => section_text.extend(rest),
            }
            continue;
        }
        match current {
            Some(Section::Other | Section::Description | Section::Distribution) | None => match runs.last_mut() {
                Some((_, run)) => run.push(line.clone()),
                None => runs.push((false, vec![line.clone()])),
            },
            _ => section_text.push(line.clone()),
        }
    }
    close(current, &mut section_text, &mut parts, &mut decision_lines);

    let plain: Vec<&String> = runs.iter().flat_map(|(_, run)| run).collect();
    let free_text = plain.iter().map(|l| l.as_str()).collect::<Vec<_>>().join("\n");
    let mut decision_text = decision_lines.join(" ");
    if decision_text.is_empty() {
        decision_text = glued_decision(&free_text);
    }
    if decision_text.is_empty() {
        decision_text = inline_decision(&runs, body);
    }
    for s in sentences(&free_text) {
        let flat = s.split_whitespace().collect::<Vec<_>>().join(" ");
        if MOTION_SENTENCE.is_match(&flat) && !parts.motions.contains(&flat) {
            parts.motions.push(flat.clone());
        }
        if RESERVATION_SENTENCE.is_match(&flat) && !parts.reservations.contains(&flat) {
            parts.reservations.push(flat.clone());
        }
        if NOTE_SENTENCE.is_match(&flat) && !parts.notes.contains(&flat) {
            parts.notes.push(flat.clone());
        }
        if VOTE_SENTENCE.is_match(&flat) && parts.vote.is_none() {
            parts.vote = Some(Vote { text: flat });
        }
    }
    if !decision_text.is_empty() {
        parts.decision = Some(Decision { kind: kind_of(&decision_text), text: decision_text });
    }
    parts
}

/// The decision after a label glued into running text, up to the next glued heading.
fn glued_decision(text: &str) -> String {
    let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
    let Some(rest) = GLUED_DECISION.captures_iter(&flat).last().and_then(|c| c.get(1)) else { return String::new() };
    let rest = rest.as_str();
    let end = GLUED_END.find(rest).map_or(rest.len(), |m| m.start());
    rest[..end].trim().to_string()
}

/// The decision stated in running text: from the first sentence in which the body
/// decides to the end of its section, stopping at sentences that describe the case or
/// list motions. A decision told in the past tense under a description heading
/// ("Ärendet: … Samtidigt beslutades att …") is an earlier one, not this meeting's.
fn inline_decision(runs: &[(bool, Vec<String>)], body: &str) -> String {
    // The organ word of the meeting's body: "socialnämnd" of "Socialnämnden".
    let organ = body.split_whitespace().last().unwrap_or("").to_lowercase();
    let organ = organ.trim_end_matches("en").trim_end_matches("et").to_string();
    let mut chosen: Option<(usize, usize)> = None;
    let mut quoted: Option<(usize, usize)> = None;
    'runs: for (r, (description, run)) in runs.iter().enumerate() {
        let text = run.join("\n");
        for (k, s) in sentences(&text).iter().enumerate() {
            let Some(m) = DECIDES.find(s) else { continue };
            let past = PAST_DECISION.is_match(s);
            // A decision in the past tense dated before its "att" is a citation (a date in
            // the att-clause is what was decided); a description's past decision is history.
            let dated = find_dates(s).iter().any(|d| d.start < m.end());
            if (past && dated) || s.to_lowercase().contains("tidigare") || MOTION_SENTENCE.is_match(s) || (*description && past) {
                continue;
            }
            let subject = s[..m.start()].to_lowercase();
            // An arbetsutskott's decision quoted in a nämnd's item is its proposal.
            let committee = subject.contains("utskott") && !organ.contains("utskott");
            if !organ.is_empty() && organ.len() > 3 && subject.contains(&organ) {
                chosen = Some((r, k));
                break 'runs;
            }
            if committee {
                quoted.get_or_insert((r, k));
            } else if chosen.is_none() {
                chosen = Some((r, k));
            }
        }
    }
    let _ = quoted;
    let Some((r, start)) = chosen else { return String::new() };
    let text = runs[r].1.join("\n");
    let all = sentences(&text);
    let mut out: Vec<String> = Vec::new();
    for s in &all[start..] {
        if !out.is_empty() && INLINE_END.is_match(s.trim()) {
            break;
        }
        out.push(s.split_whitespace().collect::<Vec<_>>().join(" "));
    }
    out.join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines(text: &str) -> Vec<String> {
        text.lines().map(str::to_string).collect()
    }

    fn analyse_test(text: &str) -> DecisionParts {
        analyse(&lines(text), "")
    }

    fn decision(text: &str) -> Option<Decision> {
        analyse_test(text).decision
    }

    #[test]
    fn standpoint_label_then_text() {
        // socsam-2022-06-03 § 32
        let d = decision("Förslaget är att kommunerna betalar minst 29 kr/mil.\nStällningstagande Sociala samrådsgruppen, SocSam:\nSociala Samrådsgruppen, SocSam beslutar att rekommendera kommunerna att godkänna föreslagen\nmilersättning.").expect("decision");
        assert_eq!(d.text, "Sociala Samrådsgruppen, SocSam beslutar att rekommendera kommunerna att godkänna föreslagen milersättning.");
        assert_eq!(d.kind.as_str(), "rekommenderar");
    }

    #[test]
    fn a_motion_is_not_the_decision() {
        // stromsund-socialnamnd-2022-11-17 § 149
        let p = analyse_test(
            "Underlag till beslut\nTjänsteskrivelse\nYrkande\nOrdförande yrkar att socialnämnden tar del av och godkänner verksamhetsprognos per oktober 2022.\nSocialnämndens beslut\nSocialnämnden tar del av och godkänner verksamhetsprognos per oktober 2022.\nBeslut skickas till\nVård- och socialförvaltningen",
        );
        let d = p.decision.expect("decision");
        assert_eq!(d.text, "Socialnämnden tar del av och godkänner verksamhetsprognos per oktober 2022.");
        assert_eq!(d.kind.as_str(), "godkänner");
        assert_eq!(p.motions, vec!["Ordförande yrkar att socialnämnden tar del av och godkänner verksamhetsprognos per oktober 2022."]);
    }

    #[test]
    fn minutes_with_att_clauses() {
        // schnv-dalarna-2020-09-25 item 8
        let d = decision("Förslag på representant skickas snarast.\nSocialchefs nätverket beslutade:\natt kommunerna snarast möjligt kan skicka förslag på representant\natt om fler kommuner anmäler en representant får berörda kommuner i uppdrag att sinsemellan komma\növerens.").expect("decision");
        assert!(d.text.starts_with("att kommunerna snarast"));
        assert!(d.text.contains("sinsemellan komma överens"));
    }

    #[test]
    fn decision_in_a_sentence_without_a_label() {
        let p = analyse_test(
            "Kommunstyrelsen beslutar att godkänna årsredovisningen för räkenskapsåret 2023. Ärendet har beretts av ekonomiavdelningen. Yrkanden: Örjan Sjöström (C) yrkar bifall till förslaget.",
        );
        let d = p.decision.expect("decision");
        assert_eq!(d.text, "Kommunstyrelsen beslutar att godkänna årsredovisningen för räkenskapsåret 2023.");
        assert_eq!(p.motions.len(), 1);
    }

    #[test]
    fn a_past_decision_in_the_description_is_history() {
        // svom-2023-10-13 § 38: a portal page that describes the case; the meeting's
        // decision is not on it.
        let p = analyse_test(
            "Ärendet\nSamReKo HSI fastställde den 12/5 2023 ett uppdrag för processen. Samtidigt beslutades att en arbetsgrupp skulle sammankallas. En rapport har sammanställts.\nBilagor\nBeslutsunderlag.pdf",
        );
        assert_eq!(p.decision, None);
        // Minutes that record their own decision in the past tense still have it.
        let d = decision("Beslutades att godkänna dagordningen.").expect("decision");
        assert_eq!(d.kind.as_str(), "godkänner");
        // An inline decision ends at the next heading.
        let d = decision("Nämnden beslutar att anta planen.\nBilagor\nPlan.pdf").expect("decision");
        assert_eq!(d.text, "Nämnden beslutar att anta planen.");
    }

    #[test]
    fn the_bodys_own_decision_not_its_committees() {
        let text = "Arbetsutskottet behandlade ärendet 2016-05-24, Au 84:\nARBETSUTSKOTTET BESLUTAR att föreslå socialnämnden att godkänna uppföljningen.\nSOCIALNÄMNDEN BESLUTAR att godkänna uppföljningen per den 30 april 2016.";
        let d = analyse(&lines(text), "Socialnämnden").decision.expect("decision");
        assert_eq!(d.text, "SOCIALNÄMNDEN BESLUTAR att godkänna uppföljningen per den 30 april 2016.");
        // The committee's decision alone, quoted in the nämnd's item, is a proposal.
        assert_eq!(analyse(&lines("ARBETSUTSKOTTET BESLUTAR att föreslå nämnden att godkänna avtalet."), "Socialnämnden").decision, None);
    }

    #[test]
    fn labels_run_into_the_text() {
        let d = decision("Underlag till beslut Tjänsteskrivelse Yrkande Ordförande yrkar att socialnämnden tar del av aktuell information Socialnämndens beslut Socialnämnden tar del av aktuell information. Beslut skickas till Förvaltningen").expect("decision");
        assert_eq!(d.text, "Socialnämnden tar del av aktuell information.");
    }

    #[test]
    fn a_date_in_the_att_clause_is_what_was_decided() {
        let d = decision("Nätverket beslutade: att medverka på biblioteket lördagen den 19 november.").expect("decision");
        assert!(d.text.starts_with("Nätverket beslutade: att medverka"), "{d:?}");
        assert_eq!(decision("Nämnden beslutade den 3 mars 2021 att utreda frågan."), None);
    }

    #[test]
    fn inline_label_with_dash() {
        let d = decision("Beslut – beslutar i enlighet med ordförandens förslag").expect("decision");
        assert_eq!(d.text, "beslutar i enlighet med ordförandens förslag");
    }

    #[test]
    fn information_items_and_citations_have_no_decision() {
        assert_eq!(decision("Ordförande avslutar dagens sammanträde."), None);
        assert_eq!(decision("SocSam beslutade 1 april att uppdra till tjänstemannaorganisation att ta fram förslag."), None);
        assert_eq!(decision("Förslag till beslut\nNämnden föreslås besluta att godkänna avtalet."), None);
    }

    #[test]
    fn kinds() {
        assert_eq!(kind_of("Föregående protokoll läggs till handlingarna.").as_str(), "till handlingarna");
        assert_eq!(kind_of("Preliminär dagordning fastställs som slutlig dagordning.").as_str(), "fastställer");
        assert_eq!(kind_of("Karin Näsmark (S) utses till justerare.").as_str(), "utser");
        assert_eq!(kind_of("Socialnämnden tar del av aktuell information.").as_str(), "till handlingarna");
        assert_eq!(kind_of("Ärendet återremitteras till förvaltningen.").as_str(), "återremitterar");
        assert_eq!(kind_of("Ärendet bordläggs.").as_str(), "bordlägger");
        assert_eq!(kind_of("Nämnden avslår ansökan.").as_str(), "avslår");
        assert_eq!(
            kind_of("SocSam beslutar att samarbetsavtal gällande Centrum mot våld bereds för rekommendationsbeslut 7 oktober 2022.").as_str(),
            "bereder"
        );
    }

    #[test]
    fn reservations_notes_and_votes() {
        let p = analyse_test(
            "Beslut\nNämnden bifaller förslaget.\nReservation\nAnna Berg (M) reserverar sig mot beslutet.\nOmröstning\nMed 7 ja-röster mot 4 nej-röster bifalls förslaget.",
        );
        assert_eq!(p.reservations, vec!["Anna Berg (M) reserverar sig mot beslutet."]);
        assert!(p.vote.is_some());
        assert_eq!(p.decision.map(|d| d.text), Some("Nämnden bifaller förslaget.".into()));
    }
}
