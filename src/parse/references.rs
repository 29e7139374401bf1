//! Citations of earlier decisions: "SocSam beslutade 1 april att uppdra …", "Vid SVOM:s
//! sammanträde den 7 oktober 2022 beslutade SVOM att rekommendera …", "internkontrollplan
//! som fastslogs den 15 december 2021 § 152".
//!
//! A sentence cites a decision when it has a decision verb in the past or passive
//! (beslutade, fastställdes, antog, rekommenderade …) and a date that belongs to that
//! verb: next to it, after "sammanträde", or followed by the § of the cited minutes. A
//! date inside the decided matter ("att avtalet ska gälla till den 31 december 2024") is
//! not the date of the decision. A date without a year is the latest such day on or
//! before the meeting.

use std::sync::LazyLock;

use chrono::NaiveDate;
use regex::Regex;

use super::dates::{DateMatch, find_dates};
use super::vocabulary;
use crate::model::Reference;

static VERB: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)(?:^|\W)(?P<verb>beslutade|beslöt|beslutat|beslutades|fattade\s+beslut|fastställde|fastställdes|fastställts|fastslogs|fastslog|fastslagits|antog|antogs|antagits|godkände|godkändes|godkänts|rekommenderade|rekommenderades|uppdrog|gav\s+\S+(?:\s+\S+)?\s+i\s+uppdrag|tog\s+beslut|tagit\s+beslut|enligt\s+beslut|justerades|bordlades|bordlagt|bordlagts|återremitterades|återremitterat|protokoll(?:et)?\s+från|protokoll\s+\S+\s+av|beslut)(?:\W|$)")
        .expect("valid regex")
});

/// The first citing verb of a sentence. A bare "beslut" counts only after a genitive
/// ("nämndens beslut", "SVOM:s beslut"), which the verb then starts with. The genitive is
/// checked here rather than in [`VERB`], and [`VERB`] bounds its words by the characters
/// around them rather than by `\b`: a Unicode `\b` in Swedish text, or a pattern that may
/// start at any word, leaves the regex engine to its slowest search, which made parsing
/// long documents markedly slower.
fn find_verb(sentence: &str) -> Option<(usize, usize)> {
    let mut at = 0;
    while let Some(m) = VERB.captures_at(sentence, at).and_then(|c| c.name("verb")) {
        if !m.as_str().eq_ignore_ascii_case("beslut") {
            return Some((m.start(), m.end()));
        }
        let before = sentence[..m.start()].trim_end();
        let word = before.rsplit(char::is_whitespace).next().unwrap_or("").trim_start_matches(|c: char| !c.is_alphanumeric());
        let genitive = word.chars().count() >= 2 && word.ends_with(['s', 'S']) && word.chars().all(|c| c.is_alphanumeric() || c == ':' || c == '-');
        if before.len() < m.start() && genitive {
            return Some((before.len() - word.len(), m.end()));
        }
        at = m.end();
    }
    None
}

/// "sammanträde den", "sammanträdet", "mötet den": the date that follows is a meeting's.
static MEETING_WORD: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"(?i)\b(?:sammanträde|sammanträdet|möte|mötet)\s*(?:den\s*)?$").expect("valid regex"));

/// "§ 152" right after a date: the cited minutes' paragraph.
static PARAGRAPH_AFTER: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"^\s*,?\s*§\s*(\d{1,4})").expect("valid regex"));

/// Acronyms of bodies: SVOM, SocSam, SCHNV (two or more capitals, possibly mixed case).
static ACRONYM: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"\b([A-ZÅÄÖ][a-zåäö]*[A-ZÅÄÖ][A-Za-zÅÄÖåäö]*)(?::s)?\b").expect("valid regex"));

/// Named bodies: socialnämnden, kommunstyrelsen, kommunfullmäktige, Sociala samrådsgruppen,
/// and the state's: riksdagen, regeringen.
static ORGAN: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b([\wåäö]*(?:nämnd|nämnden|nämndens|styrelsen|styrelsens|fullmäktige|fullmäktiges|utskottet|utskottets|gruppen|gruppens|nätverket|nätverkets|rådet|rådets)|riksdagen|riksdagens|regeringen|regeringens)\b")
        .expect("valid regex")
});

/// Prepositions after which an acronym is an object ("inom IFO", "enligt SoL"), not the
/// body that decided.
const OBJECT_PREPOSITIONS: &[&str] = &["inom", "på", "för", "med", "enligt", "till", "av", "i", "om", "från", "via", "genom", "kring", "mot", "hos"];

/// Whether an acronym at byte `start` of a sentence can name a deciding body: not a law,
/// not the object of a preposition, and not the abbreviation of a thing in parentheses
/// after it ("avtalet (LOSUS)"), though a body's name may carry one ("gruppens (SVOM:s)").
fn can_be_body(sentence: &str, start: usize, acronym: &str) -> bool {
    if vocabulary::LAW_ABBREVIATIONS.contains(&acronym) {
        return false;
    }
    let before = sentence[..start].trim_end();
    let (before, parenthesised) = match before.strip_suffix('(') {
        Some(b) => (b.trim_end(), true),
        None => (before, false),
    };
    let prev = before.rsplit(char::is_whitespace).next().unwrap_or("").to_lowercase();
    if OBJECT_PREPOSITIONS.contains(&prev.as_str()) {
        return false;
    }
    !parenthesised || vocabulary::ORGAN_ENDINGS.iter().any(|e| prev.trim_end_matches('s').ends_with(e.trim_end_matches('s')))
}

/// Words a wrapped line can end on but a heading cannot.
const FUNCTION_WORDS: &[&str] = &["och", "att", "i", "av", "för", "till", "med", "om", "på", "den", "det", "en", "ett", "som", "från", "vid", "samt", "eller"];

/// Whether a line that starts a sentence is a heading of its own ("Ärendet", "Bakgrund",
/// "Förslag till beslut"): a few words from a capital, no punctuation, and not ending
/// on a word a sentence goes on from.
/// A diarienummer on a line of its own: "Dnr SÄN 2020/12".
fn is_dnr_line(line: &str) -> bool {
    let line = line.trim();
    super::dnr::find(line).is_some_and(|(start, end, _)| start == 0 && end == line.len())
}

/// A sub-item's heading: "a) Rutin för orosanmälan", "2) Gemensam utbildningsdag".
fn is_sub_item_heading(line: &str) -> bool {
    let mut chars = line.trim_start().chars();
    let (Some(marker), Some(')'), Some(' ')) = (chars.next(), chars.next(), chars.next()) else { return false };
    let rest = chars.as_str().trim();
    (marker.is_ascii_digit() || marker.is_lowercase())
        && rest.starts_with(char::is_uppercase)
        && (1..=10).contains(&rest.split_whitespace().count())
        && !rest.ends_with(['.', ':', ','])
}

fn is_heading_line(line: &str) -> bool {
    if is_sub_item_heading(line) {
        return true;
    }
    let words: Vec<&str> = line.split_whitespace().collect();
    (1..=3).contains(&words.len())
        && line.trim_start().starts_with(char::is_uppercase)
        && !line.chars().any(|c| c.is_ascii_punctuation() || c.is_ascii_digit() || c == '§')
        && words.last().is_some_and(|w| !FUNCTION_WORDS.contains(&w.to_lowercase().as_str()))
}

/// Splits text into sentences at full stops followed by a capital, at blank lines (but
/// not after a colon, which announces a list) and after a heading on a line of its own.
pub fn sentences(text: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut start = 0;
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    for (k, &(i, c)) in chars.iter().enumerate() {
        let end_here = match c {
            '.' | '!' | '?' => {
                let mut j = k + 1;
                while j < chars.len() && chars[j].1.is_whitespace() {
                    j += 1;
                }
                // A sub-item marker "a) " starts a sentence too.
                let marker = chars.get(j + 1).is_some_and(|&(_, n)| n == ')');
                j > k + 1 && chars.get(j).is_none_or(|&(_, n)| n.is_uppercase() || n.is_ascii_digit() || n == '§' || marker)
            }
            // A blank line ends a sentence, unless a colon announced a list after it.
            '\n' => {
                let blank_line = chars.get(k + 1).is_some_and(|&(_, n)| n == '\n')
                    && chars[..k].iter().rev().find(|(_, c)| !c.is_whitespace()).is_none_or(|&(_, c)| c != ':');
                let line = text[start..i].trim_start();
                let own_line = !line.contains('\n') && (is_heading_line(line) || is_dnr_line(line));
                let heading = own_line && text[i + 1..].trim_start().starts_with(char::is_uppercase);
                blank_line || heading
            }
            _ => false,
        };
        if end_here {
            let s = text[start..i + c.len_utf8()].trim();
            if !s.is_empty() {
                out.push(s);
            }
            start = i + c.len_utf8();
        }
    }
    let s = text[start..].trim();
    if !s.is_empty() {
        out.push(s);
    }
    out
}

fn word_count(s: &str) -> usize {
    s.split_whitespace().count()
}

/// Whether a date belongs to the decision verb found at `verb`.
/// Most words between a citing verb and the date it belongs to ("protokollet från
/// styrelsens möte den 12 maj").
const MAX_WORDS_VERB_TO_DATE: usize = 4;

fn belongs_to_verb(sentence: &str, verb: (usize, usize), d: &DateMatch) -> bool {
    let after_verb = d.start >= verb.1 && {
        let between = &sentence[verb.1..d.start];
        word_count(between) <= MAX_WORDS_VERB_TO_DATE && !between.to_lowercase().split_whitespace().any(|w| w == "att")
    };
    let before_verb = d.end <= verb.0 && word_count(&sentence[d.end..verb.0]) <= 2;
    let meeting = MEETING_WORD.is_match(&sentence[..d.start]);
    let cited_paragraph = PARAGRAPH_AFTER.is_match(&sentence[d.end..]);
    after_verb || before_verb || meeting || cited_paragraph
}

fn base_form(organ: &str) -> String {
    let o = organ.trim_end_matches(":s");
    let lower = o.to_lowercase();
    let stem = if ["ens", "ets", "ges"].iter().any(|s| lower.ends_with(s)) { &o[..o.len() - 1] } else { o };
    let mut chars = stem.chars();
    match chars.next() {
        Some(f) => f.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// The body a citing sentence names as deciding: the acronym or named body nearest the
/// verb, before it if any.
fn deciding_body(sentence: &str, verb: (usize, usize)) -> Option<String> {
    let mut candidates: Vec<(usize, String, bool)> = Vec::new();
    for c in ACRONYM.captures_iter(sentence) {
        if let Some(m) = c.get(1)
            && m.as_str().chars().count() <= 8
            && can_be_body(sentence, m.start(), m.as_str())
        {
            // "SamReKo HSI": an acronym right after another is one name.
            let before = sentence[..m.start()].trim_end();
            let prev = before.rsplit(char::is_whitespace).next().unwrap_or("");
            let joined = ACRONYM.is_match(prev) && prev.chars().filter(|c| c.is_uppercase()).count() >= 2 && before.len() + 1 == m.start();
            let (start, name) = if joined { (before.len() - prev.len(), format!("{prev} {}", m.as_str())) } else { (m.start(), m.as_str().to_string()) };
            candidates.retain(|(s, _, _)| *s != start);
            candidates.push((start, name, true));
        }
    }
    for c in ORGAN.captures_iter(sentence) {
        if let Some(m) = c.get(1) {
            candidates.push((m.start(), base_form(m.as_str()), false));
        }
    }
    let distance = |pos: usize| if pos < verb.0 { verb.0 - pos } else { (pos - verb.1) * 2 };
    candidates.into_iter().min_by_key(|(pos, _, acronym)| (distance(*pos) / 40, !acronym, distance(*pos))).map(|(_, name, _)| name)
}

/// The earlier decisions `text` cites, dated relative to a meeting held on `meeting`.
pub fn find(text: &str, meeting: Option<NaiveDate>) -> Vec<Reference> {
    let mut out: Vec<Reference> = Vec::new();
    for sentence in sentences(text) {
        let Some(verb) = find_verb(sentence) else { continue };
        let dates = find_dates(sentence);
        let Some(d) = dates.iter().find(|d| belongs_to_verb(sentence, verb, d)) else { continue };
        let Some(date) = d.resolve_before(meeting) else { continue };
        if meeting.is_some_and(|m| date > m) {
            continue; // a plan, not a citation
        }
        let text = sentence.split_whitespace().collect::<Vec<_>>().join(" ");
        if out.iter().any(|r| r.date == Some(date) && r.text == text) {
            continue;
        }
        let paragraph = PARAGRAPH_AFTER.captures(&sentence[d.end..]).and_then(|c| c.get(1)).map(|m| m.as_str().to_string());
        out.push(Reference { body: deciding_body(sentence, verb), date: Some(date), paragraph, text });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ymd(y: i32, m: u32, d: u32) -> Option<NaiveDate> {
        NaiveDate::from_ymd_opt(y, m, d)
    }

    #[test]
    fn citation_without_year_takes_the_meetings() {
        // socsam-2022-06-03 § 31
        let r = find(
            "Sociala samrådsgruppen, SocSam, beslutade 1 april att uppdra till CMC:s styrgrupp att med utgångspunkt i genomförd utredning arbeta fram förslag.",
            ymd(2022, 6, 3),
        );
        assert_eq!(r.len(), 1);
        assert_eq!((r[0].body.as_deref(), r[0].date), (Some("SocSam"), ymd(2022, 4, 1)));
    }

    #[test]
    fn another_bodys_meeting_cited_in_a_socialnamnd() {
        // stromsund-socialnamnd-2022-11-17 § 152
        let r = find(
            "Lokalt avtal finns beslutat i samband med att lagen trädde i kraft. Vid sociala vård- och omsorgsgruppens (SVOM:s) sammanträde den 7 oktober 2022 beslutade\nSVOM att rekommendera Region Jämtland Härjedalen och länets kommuner att:\n- godkänna reviderat avtal\n- avtalet ska gälla till och med den 31 december 2024",
            ymd(2022, 11, 17),
        );
        assert_eq!(r.len(), 1, "{r:?}");
        assert_eq!((r[0].body.as_deref(), r[0].date), (Some("SVOM"), ymd(2022, 10, 7)));
    }

    #[test]
    fn sub_item_headings_end_sentences() {
        let s = sentences("Rutinen ska vara klar.\na) Rutin för anmälan\nAnna Berg redovisade förslaget.\nb) Utbildning\nEn dag planeras.");
        assert_eq!(s, vec!["Rutinen ska vara klar.", "a) Rutin för anmälan", "Anna Berg redovisade förslaget.", "b) Utbildning", "En dag planeras."]);
        assert_eq!(sentences("Dnr SN 2020/12\nUtredare Sofia Dahl redovisar."), vec!["Dnr SN 2020/12", "Utredare Sofia Dahl redovisar."]);
    }

    #[test]
    fn a_decision_noun_cites_after_a_genitive_only() {
        assert_eq!(find_verb("Enligt SVOM:s beslut den 3 mars"), Some((7, 20)));
        assert_eq!(find_verb("Utifrån styrelsens beslut 2021"), Some((9, 26)));
        assert_eq!(find_verb("Ett beslut om detta och ett nytt beslut"), None);
        let r = find("Enligt kommunstyrelsens beslut 14 mars 2022 ska arbetet fortsätta.", ymd(2022, 11, 17));
        assert_eq!((r[0].body.as_deref(), r[0].date), (Some("Kommunstyrelsen"), ymd(2022, 3, 14)));
    }

    #[test]
    fn slashed_dates_and_cited_paragraphs() {
        let r = find("SVOM beslutade vid sitt sammanträde 24/2 2023 att:", ymd(2023, 10, 13));
        assert_eq!(r[0].date, ymd(2023, 2, 24));
        let r = find("Enligt socialnämndens internkontrollplan som fastslogs den 15 december 2021 § 152 ska kontroll ske.", ymd(2022, 11, 17));
        assert_eq!((r[0].body.as_deref(), r[0].date), (Some("Socialnämnden"), ymd(2021, 12, 15)));
        let r = find("Socialnämnden fastställde sjutton mål för verksamheten den 20 oktober 2021 § 116.", ymd(2022, 11, 17));
        assert_eq!((r[0].date, r[0].paragraph.as_deref()), (ymd(2021, 10, 20), Some("116")));
    }

    #[test]
    fn the_deciding_body_is_the_subject_not_a_body_named_later() {
        let r = find("Riksdagen beslutade den 17 juni 2020 om ett extra tillskott till SiS budget.", ymd(2020, 9, 25));
        assert_eq!(r[0].body.as_deref(), Some("Riksdagen"));
        let r = find("SamReKo HSI fastställde den 12/5 2023 ett uppdrag för processen.", ymd(2023, 10, 13));
        assert_eq!(r[0].body.as_deref(), Some("SamReKo HSI"));
    }

    #[test]
    fn minutes_and_decisions_cited_by_noun() {
        let r = find("Styrelsen tar del av det justerade protokollet från mötet den 16 november 1997.", ymd(1998, 1, 24));
        assert_eq!(r[0].date, ymd(1997, 11, 16));
        let r = find("Beslut ang prövning av myndighetsnämndens beslut 28 febr 2013 att lämna dispens.", ymd(2013, 4, 4));
        assert_eq!(r[0].date, ymd(2013, 2, 28));
        let r = find("Justerades protokoll 2017/18:20 av den 15 mars 2018.", ymd(2018, 3, 22));
        assert_eq!(r[0].date, ymd(2018, 3, 15));
    }

    #[test]
    fn dates_inside_the_decided_matter_are_not_citations() {
        assert!(
            find("Socialchefs nätverket beslutade att varje kommun senast måndag 28 sep kl. 12 skulle inkomma med en kort lägesbeskrivning.", ymd(2020, 9, 25))
                .is_empty()
        );
        assert!(find("Lagen trädde i kraft den 1 januari 2018.", ymd(2022, 11, 17)).is_empty());
    }

    #[test]
    fn sentences_split_at_capitals_not_abbreviations() {
        let s = sentences("Det gäller bl.a. ekonomi. Nästa punkt tar upp t.ex. avtal.\n\nNy mening");
        assert_eq!(s, vec!["Det gäller bl.a. ekonomi.", "Nästa punkt tar upp t.ex. avtal.", "Ny mening"]);
        let s = sentences("SVOM beslutade att:\n\n- godkänna avtalet\n\nNästa stycke");
        assert_eq!(s, vec!["SVOM beslutade att:\n\n- godkänna avtalet", "Nästa stycke"]);
    }

    #[test]
    fn a_heading_on_its_own_line_is_not_part_of_the_next_sentence() {
        // svom-2023-10-13 § 38
        let s = sentences("Avtal saknas.\nÄrendet\nSamReKo HSI fastställde den 12/5 2023 ett uppdrag för processen.");
        assert_eq!(s, ["Avtal saknas.", "Ärendet", "SamReKo HSI fastställde den 12/5 2023 ett uppdrag för processen."]);
        // A line wrapped in a narrow column goes on.
        let s = sentences("Uppdrag ges till\nSamReKo HSI att utse en arbetsgrupp.");
        assert_eq!(s.len(), 1);
    }
}
