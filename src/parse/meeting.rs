//! The meeting header: the body that met (its whole name as written and a stable key),
//! its organisation, the kind of document, and the meeting's date, time and place.
//!
//! - **Body.** The organ named in the header, with the whole of its name: "Social- och
//!   äldrenämnden" (the "X- och" part kept), "Kommunstyrelsens arbetsutskott", "Regionala
//!   samverkansgruppen för socialtjänst", "Nätverket Barn och unga i Söderås", or a name
//!   with its acronym, "Sociala samrådsgruppen (SocSam)". Never the municipality alone, a
//!   party in parentheses or an item title. A header that names no organ takes the one
//!   that decides in the items ("Vård- och omsorgsnämnden utser …"); see [`body_in_text`].
//! - **Date.** Every date of the header is scored ([`date_score`]): under a date or
//!   place-and-time label, with a weekday, in the title line; not under "Justeringens
//!   plats och tid", "Anslag" and the like, and a bare "Datum:" is often the day the notes
//!   were written. Without a date that scores, the date comes from the file name
//!   ("mote-2021-06-04.html"), never from the body text: a cited decision, a period or a
//!   justering is not the meeting.
//! - **Organisation.** "Strömsunds kommun", "LIDAHOLMS KOMMUN", "Region Jämtland
//!   Härjedalen", from running headers and the top of the first page, not from the
//!   participants' municipalities.

use std::path::Path;
use std::sync::LazyLock;

use chrono::{Datelike, NaiveDate};
use regex::Regex;

use super::TextLine;
use super::classify::LineKind;
use super::dates::{self, find_dates};
use super::vocabulary::{self, HeaderField};
use crate::extract::Hints;
use crate::model::{Body, MeetingKind, slug};

/// A parenthesised acronym naming the body: "Sociala samrådsgruppen (SocSam)".
static ACRONYM_BODY: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"([A-ZÅÄÖ][\wåäö\- ,]*?\(([A-ZÅÄÖ][A-Za-zÅÄÖåäö]{1,7})\))(?:\s+i\s+([A-ZÅÄÖ][\wåäö]+))?").expect("valid regex"));

/// A body named by its organ, with what belongs to the name: "Arbetsmarknads- och
/// socialnämnden", "Kommunstyrelsens arbetsutskott", "Regionala samverkansgruppen för
/// socialtjänst", "Nämnden för arbete och välfärd".
static ORGAN_BODY: LazyLock<Regex> = LazyLock::new(|| {
    let organs = vocabulary::BODY_NOUNS.join("|");
    Regex::new(&format!(
        r"(?i)\b((?:[\wåäö]+-\s+och\s+|[\wåäö]+-\s*)?(?:(?:[\wåäö]+a|sociala)\s+)?(?:[\wåäö]+s\s+)?[\wåäö\-]*(?:{organs}))\b(\s+för\s+[a-zåäö][\wåäö\-]*(?:\s+och\s+[a-zåäö][\wåäö\-]*)?)?"
    ))
    .expect("valid regex")
});

/// "Nätverket Barn och unga i Söderås": a network or group named after the word.
static NAMED_AFTER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(Nätverket|Arbetsgruppen|Styrgruppen|Referensgruppen|Samverkansgruppen|Projektgruppen)\s+([A-ZÅÄÖ][\wåäö\-]*(?:\s+(?:och|i|för|[A-ZÅÄÖ]?[\wåäö\-]+)){0,6})$").expect("valid regex")
});

/// "Strömsunds kommun", "LIDAHOLMS KOMMUN", "Stockholms stad".
static MUNICIPALITY: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"(?i)\b([a-zåäöé]+(?:-[a-zåäöé]+)?)\s+(kommun|stad)\b").expect("valid regex"));

static REGION: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\b(Region\s+[A-ZÅÄÖ][a-zåäö]+(?:\s+[A-ZÅÄÖ][a-zåäö]+)?|[A-ZÅÄÖ][\wåäö]+\s+läns\s+landsting|Landstinget\s+[A-ZÅÄÖ][\wåäö]+|REGION\s+[A-ZÅÄÖ]+(?:\s+[A-ZÅÄÖ]{3,})?)")
        .expect("valid regex")
});

/// Lines whose dates are about something other than the meeting.
static NOT_MEETING_DATE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)juster|anslag|publicer|tillkännag|upprättad|utskriv|skrivet|expedier|delges|överklag|nästa\s+(?:möte|sammanträde)|utsänd|kallelse|nedtag|uppsätt",
    )
    .expect("valid regex")
});

/// A bare "Datum:" is often the day the minutes were written.
static WRITING_DATE: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"(?i)(?:^|\s)datum\s*:").expect("valid regex"));

/// A date in a file name: "2019-01-28", "20190128".
static FILE_DATE: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"(?:^|[^\d])((?:19|20)\d{2})-?(\d{2})-?(\d{2})(?:[^\d]|$)").expect("valid regex"));

static KIND_WORDS: LazyLock<Regex> = LazyLock::new(|| {
    let phrases = vocabulary::KIND_WORDS.iter().map(|(p, _)| *p);
    Regex::new(&format!(r"(?i)\b({})\b", vocabulary::phrase_pattern(phrases))).expect("valid regex")
});

/// The first participant label run into a line.
static PARTICIPANTS_IN_TEXT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\b(?:Beslutande|Ledamöter|Närvarande|Tjänstepersoner|Övriga\s+(?:deltagare|närvarande)|Ej\s+närvarande)\b").expect("valid regex")
});

static TIME: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"(?i)\b(\d{1,2}[.:]\d{2})\s*(?:[-–—]|till)\s*(\d{1,2}[.:]\d{2})\b").expect("valid regex"));

static START_TIME: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"(?i)\b(?:kl\.?|klockan|tid:?)\s*(\d{1,2}[.:]\d{2})").expect("valid regex"));

/// Labels after which a time is the meeting's, though the line names a justering too.
static DATE_LABEL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)sammanträdesdatum|mötesdatum|datum\s+för\s+sammanträdet|tid\s+och\s+plats|plats\s+och\s+tid|sammanträdets\s+(?:tid|plats)|\btid\s*:")
        .expect("valid regex")
});

static PLACE_LABEL: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"(?i)\bplats\s*:\s*(.+)$").expect("valid regex"));

static TIME_AND_PLACE_LABEL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)(?:^|\s)(?:tid\s+och\s+plats(?:\s+för(?:\s+sammanträdet)?)?|plats\s+och\s+tid|sammanträdets\s+plats\s+och\s+tid|sammanträdets\s+tid\s+och\s+plats|mötesplats|^plats)\s*:?\s*(.*)$")
        .expect("valid regex")
});

/// Weights of the evidence that a date of the header is the meeting's. The best-scoring
/// date wins, the earliest on a tie; a date that scores below [`date_score::MIN`] is no
/// evidence.
pub mod date_score {
    /// Under a label of the meeting's date or place and time ("Sammanträdesdatum", "Tid
    /// och plats").
    pub const LABEL: i32 = 5;
    /// Written with a weekday ("Fredag den 3 juni"): the way a meeting day is named.
    pub const WEEKDAY: i32 = 4;
    /// In words, in a line that names the body or the kind of document ("Socialchefs
    /// nätverket i Dalarna den 25 september 2020").
    pub const TITLE_IN_WORDS: i32 = 4;
    /// In digits in such a line, or in the first lines of the document.
    pub const TITLE_OR_TOP: i32 = 2;
    /// After a bare "Datum:", often the day the notes were written.
    pub const WRITING_DATE: i32 = -3;
    /// Under "Justeringens plats och tid", "Anslag", "Nästa möte": not the meeting.
    pub const NOT_THE_MEETING: i32 = -10;
    /// Least score that counts.
    pub const MIN: i32 = 1;
}

/// Lines counted as the top of the document for [`date_score::TITLE_OR_TOP`].
const TOP_LINES: usize = 3;

#[derive(Debug, Clone, PartialEq)]
pub struct Header {
    /// The body, when the header names it.
    pub body: Option<Body>,
    pub organization: Option<String>,
    /// The kind of document, when the header says.
    pub kind: Option<MeetingKind>,
    pub date: Option<NaiveDate>,
    pub time: Option<String>,
    pub place: Option<String>,
}

fn capitalize(s: &str) -> String {
    let mut c = s.chars();
    c.next().map(|f| f.to_uppercase().chain(c).collect()).unwrap_or_default()
}

/// A name in capitals written as a name: "KULTURUTSKOTTET" → "Kulturutskottet".
fn name_case(s: &str) -> String {
    let letters: Vec<char> = s.chars().filter(|c| c.is_alphabetic()).collect();
    if letters.len() > 3 && letters.iter().all(|c| c.is_uppercase()) { capitalize(&s.to_lowercase()) } else { capitalize(s) }
}

/// The municipality a "Strömsunds kommun" names: the genitive -s dropped.
fn municipality_stem(org: &str) -> String {
    let first = org.split_whitespace().next().unwrap_or("");
    match first.strip_suffix('s') {
        Some(stem) if org.ends_with(" kommun") && !stem.ends_with('s') => stem.to_string(),
        _ => first.to_string(),
    }
}

/// A body's key: its acronym, or its name after its municipality's.
fn body_key(name: &str, organization: Option<&str>) -> String {
    match organization {
        Some(org) if org.ends_with(" kommun") => format!("{}-{}", slug(&municipality_stem(org)), slug(name)),
        Some(org) => format!("{}-{}", slug(org), slug(name)),
        None => slug(name),
    }
}

/// The organ named in a line, with its whole name.
fn organ_in(line: &str) -> Option<String> {
    if let Some(c) = NAMED_AFTER.captures(line.trim()) {
        return Some(c.get(0)?.as_str().trim().to_string());
    }
    for c in ORGAN_BODY.captures_iter(line) {
        let m = c.get(1)?;
        let mut name = m.as_str().split_whitespace().collect::<Vec<_>>().join(" ");
        // A municipality's building or office is not an organ: "Kommunhuset", "Stadshuset".
        if name.to_lowercase().ends_with("huset") {
            continue;
        }
        // The bare word names no body: "Nämnd" in a form, "styrelsen" in a sentence.
        if vocabulary::GENERIC_ORGANS.contains(&name.to_lowercase().as_str()) {
            continue;
        }
        if let Some(f) = c.get(2) {
            name.push_str(f.as_str());
        }
        return Some(name_case(&name));
    }
    None
}

fn find_body(lines: &[&str], organization: Option<&str>) -> Option<Body> {
    for line in lines {
        for c in ACRONYM_BODY.captures_iter(line) {
            let (Some(full), Some(acr)) = (c.get(1), c.get(2)) else { continue };
            let acronym = acr.as_str();
            let capitals = acronym.chars().filter(|c| c.is_uppercase()).count();
            if capitals < 2 || vocabulary::is_known_party(acronym) {
                continue;
            }
            let name = KIND_WORDS.replace_all(full.as_str(), "");
            let mut name = name.trim().trim_start_matches(['–', '-', ':']).trim().to_string();
            // "Margit Wase (HOB)" is a person with a local party.
            if super::names::is_person_name(&name) {
                continue;
            }
            let mut key = acronym.to_lowercase();
            if let Some(place) = c.get(3) {
                name = format!("{name} i {}", place.as_str());
                key = format!("{key}-{}", slug(place.as_str()));
            }
            if name.split_whitespace().count() >= 2 {
                return Some(Body { name, key });
            }
        }
    }
    lines.iter().find_map(|l| organ_in(l)).map(|name| Body { key: body_key(&name, organization), name })
}

/// The body that decides in the items, when the header names none: the organ that is the
/// subject of most decision sentences ("Vård- och omsorgsnämnden utser …").
pub fn body_in_text<'a>(texts: impl Iterator<Item = &'a str>, organization: Option<&str>) -> Option<Body> {
    let mut counts: Vec<(String, usize)> = Vec::new();
    for text in texts {
        let Some(name) = organ_in(text.split(['.', '\n']).next().unwrap_or("")) else { continue };
        match counts.iter_mut().find(|(n, _)| n.eq_ignore_ascii_case(&name)) {
            Some((_, k)) => *k += 1,
            None => counts.push((name, 1)),
        }
    }
    counts.into_iter().max_by_key(|(_, k)| *k).map(|(name, _)| Body { key: body_key(&name, organization), name })
}

/// The municipality a place names, when nothing else names it: "Ljusdalssalen,
/// förvaltningshuset, Ljusdal" is in Ljusdal, "Nacka stadshus" in Nacka.
fn organization_from_place(place: &str) -> Option<String> {
    let genitive = |town: &str| if town.ends_with(['s', 'x', 'z']) { format!("{town} kommun") } else { format!("{town}s kommun") };
    let parts: Vec<&str> = place.split(',').map(str::trim).collect();
    if let Some(c) = TOWN_HALL.captures(place)
        && let Some(town) = c.get(1)
    {
        return Some(genitive(town.as_str()));
    }
    let last = parts.last().filter(|_| parts.len() >= 2)?;
    let single =
        !last.contains(' ') && last.chars().next().is_some_and(char::is_uppercase) && last.chars().skip(1).all(char::is_lowercase) && last.chars().count() >= 3;
    single.then(|| genitive(last))
}

/// "Nacka stadshus", "Heby kommunhus": a town and its hall.
static TOWN_HALL: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\b([A-ZÅÄÖ][a-zåäö]{2,})\s+(?:stadshus|kommunhus|kommunkontor|rådhus)").expect("valid regex"));

fn find_organization(lines: &[&str]) -> Option<String> {
    for line in lines {
        if let Some(m) = REGION.find(line) {
            let region = m.as_str().trim();
            return Some(if region.chars().filter(|c| c.is_alphabetic()).all(char::is_uppercase) {
                region.split_whitespace().map(|w| capitalize(&w.to_lowercase())).collect::<Vec<_>>().join(" ")
            } else {
                region.to_string()
            });
        }
        if let Some(c) = MUNICIPALITY.captures(line)
            && let (Some(place), Some(kind)) = (c.get(1), c.get(2))
        {
            // "Kommunhuset i Strandvik" names no municipality; "i Rosviks kommun" does.
            if vocabulary::SENTENCE_STARTERS.contains(&place.as_str().to_lowercase().as_str()) {
                continue;
            }
            return Some(format!("{} {}", capitalize(&place.as_str().to_lowercase()), kind.as_str().to_lowercase()));
        }
    }
    None
}

/// The kind of document: the first word of the minutes' kinds in the header; a notice or
/// an agenda only where it stands as the heading of a line and the header names no
/// minutes ("Godkännande av föredragningslista" is an item, not the document).
fn find_kind(lines: &[&str]) -> Option<MeetingKind> {
    let mut notice: Option<MeetingKind> = None;
    for line in lines {
        for c in KIND_WORDS.captures_iter(line) {
            let Some(m) = c.get(1) else { continue };
            match vocabulary::lookup(vocabulary::KIND_WORDS, m.as_str()) {
                Some(k @ (MeetingKind::Kallelse | MeetingKind::Foredragningslista)) if line[..m.start()].trim().is_empty() => {
                    notice.get_or_insert(k);
                }
                Some(MeetingKind::Kallelse | MeetingKind::Foredragningslista) => {}
                Some(k) => return Some(k),
                None => {}
            }
        }
    }
    notice
}

/// The date in a file name, when it has one.
fn date_in_file_name(path: &Path) -> Option<NaiveDate> {
    let stem = path.file_stem()?.to_str()?;
    FILE_DATE.captures_iter(stem).find_map(|c| {
        let (y, m, d) = (c.get(1)?.as_str().parse().ok()?, c.get(2)?.as_str().parse().ok()?, c.get(3)?.as_str().parse().ok()?);
        NaiveDate::from_ymd_opt(y, m, d)
    })
}

/// One date of the header with its evidence.
struct Candidate {
    m: dates::DateMatch,
    score: i32,
    order: usize,
}

/// Scores the dates of the header lines; `kinds` says which label each line stands under.
fn date_candidates(lines: &[&str], kinds: &[LineKind], body_name: Option<&str>) -> Vec<Candidate> {
    let body_word = body_name.map(str::to_lowercase);
    // Lines ending in "2024-" continue on the next ("03-12").
    let joined: Vec<String> = lines
        .iter()
        .enumerate()
        .map(|(i, l)| match lines.get(i + 1) {
            Some(next) if l.trim_end().ends_with('-') && next.trim_start().starts_with(|c: char| c.is_ascii_digit()) => {
                format!("{} {}", l.trim_end(), next.trim())
            }
            // "… den 12" / "maj 2023": a date in words wrapped after its day.
            Some(next)
                if l.trim_end().ends_with(|c: char| c.is_ascii_digit())
                    && vocabulary::MONTHS.iter().any(|(m, _)| next.trim_start().to_lowercase().starts_with(m)) =>
            {
                format!("{} {}", l.trim_end(), next.trim())
            }
            _ => l.to_string(),
        })
        .collect();
    let mut field: Option<HeaderField> = None;
    let mut out = Vec::new();
    for (i, line) in joined.iter().enumerate() {
        // The label a line stands under: its own, or the last one above it.
        match kinds.get(i) {
            Some(LineKind::Header { field: f, .. }) => field = Some(*f),
            Some(k) if k.is_label() => field = None,
            _ => {}
        }
        let lower = line.to_lowercase();
        let labelled = matches!(field, Some(HeaderField::Date | HeaderField::PlaceAndTime | HeaderField::Time));
        let not_meeting = field == Some(HeaderField::Minutes) || NOT_MEETING_DATE.is_match(line);
        for m in find_dates(line) {
            let mut score = 0;
            if labelled {
                score += date_score::LABEL;
            }
            if m.weekday {
                score += date_score::WEEKDAY;
            }
            let names_body = KIND_WORDS.is_match(line) || body_word.as_deref().is_some_and(|b| lower.contains(b));
            if names_body && m.in_words {
                score += date_score::TITLE_IN_WORDS;
            } else if names_body || i < TOP_LINES {
                score += date_score::TITLE_OR_TOP;
            }
            if not_meeting {
                score += date_score::NOT_THE_MEETING;
            }
            if WRITING_DATE.is_match(line) && !lower.contains("sammanträde") {
                score += date_score::WRITING_DATE;
            }
            out.push(Candidate { m, score, order: i });
        }
    }
    out
}

/// The meeting's date: the best-scoring date of the header, or the file name's.
fn find_date(lines: &[&str], kinds: &[LineKind], hints: &Hints, body_name: Option<&str>, path: &Path) -> Option<NaiveDate> {
    let hinted = hints.dates.iter().find_map(|d| NaiveDate::parse_from_str(d.get(..10).unwrap_or(d), "%Y-%m-%d").ok());
    if hinted.is_some() {
        return hinted;
    }
    let cands = date_candidates(lines, kinds, body_name);
    let from_file = date_in_file_name(path);
    let best = |min: i32| cands.iter().filter(|c| c.score >= min).max_by_key(|c| (c.score, std::cmp::Reverse(c.order)));
    let year_hint = cands
        .iter()
        .filter(|c| c.m.year.is_some() && c.score >= date_score::MIN)
        .max_by_key(|c| (c.score, std::cmp::Reverse(c.order)))
        .and_then(|c| c.m.year)
        .or(from_file.map(|d| d.year()));
    best(date_score::MIN).and_then(|c| c.m.resolve(year_hint)).or(from_file)
}

fn find_time(lines: &[&str]) -> Option<String> {
    for line in lines {
        if NOT_MEETING_DATE.is_match(line) && !DATE_LABEL.is_match(line) {
            continue;
        }
        if let Some(c) = TIME.captures(line)
            && let (Some(a), Some(b)) = (c.get(1), c.get(2))
        {
            return Some(format!("{}-{}", a.as_str(), b.as_str()));
        }
    }
    lines.iter().find_map(|l| START_TIME.captures(l).and_then(|c| c.get(1)).map(|m| m.as_str().to_string()))
}

/// Strips dates, weekdays and times from a "Tid och plats" value, leaving the place.
fn place_from(value: &str) -> Option<String> {
    let mut v = value.to_string();
    if let Some(c) = PLACE_LABEL.captures(&v) {
        v = c.get(1).map_or("", |m| m.as_str()).to_string();
    }
    for d in find_dates(&v).into_iter().rev() {
        v.replace_range(d.start..d.end, " ");
    }
    if let Some(m) = TIME.find(&v) {
        v.replace_range(m.start()..m.end(), " ");
    } else if let Some(m) = START_TIME.find(&v) {
        v.replace_range(m.start()..m.end(), " ");
    }
    let words: Vec<&str> = v
        .split_whitespace()
        .filter(|w| {
            !vocabulary::WEEKDAYS.contains(&w.to_lowercase().trim_end_matches(',')) && !matches!(w.to_lowercase().as_str(), "den" | "kl" | "kl." | "klockan")
        })
        .collect();
    let place = words.join(" ");
    let place = place.trim_matches(|c: char| c == ',' || c == '.' || c == ';' || c == ':' || c == '–' || c == '-' || c.is_whitespace());
    (place.chars().filter(|c| c.is_alphabetic()).count() >= 3).then(|| place.to_string())
}

/// The place after a "Plats och tid" or "Plats" label: on the label's line, or on the line
/// under it unless that is another label (a table whose labels and values were read
/// apart). The value ends where a person with a party or a participant label begins.
fn find_place(lines: &[&str], kinds: &[LineKind]) -> Option<String> {
    for (i, kind) in kinds.iter().enumerate() {
        let LineKind::Header { field: HeaderField::PlaceAndTime | HeaderField::Place, rest } = kind else { continue };
        let value = match rest {
            Some(r) => r.as_str(),
            None if matches!(kinds.get(i + 1), Some(LineKind::Text)) => lines.get(i + 1).copied().unwrap_or(""),
            None => continue,
        };
        let value = value.trim_start_matches("sammanträdet").trim();
        let value = PARTICIPANTS_IN_TEXT.find(value).map_or(value, |m| &value[..m.start()]);
        let value = PERSON_WITH_PARTY.find(value).map_or(value, |m| &value[..m.start()]);
        if let Some(p) = place_from(value) {
            return Some(p);
        }
    }
    find_place_in_text(lines)
}

/// "Anna Berg (S)": where a list of people begins inside a value.
static PERSON_WITH_PARTY: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\b[A-ZÅÄÖ][\wåäöé-]+\s+[A-ZÅÄÖ][\wåäöé-]+\s*\([A-ZÅÄÖa-zåäö]{1,4}\)").expect("valid regex"));

/// A place label run into a line of text.
fn find_place_in_text(lines: &[&str]) -> Option<String> {
    for (i, line) in lines.iter().enumerate() {
        if let Some(c) = PLACE_LABEL.captures(line)
            && let Some(p) = c.get(1).and_then(|m| place_from(m.as_str()))
        {
            return Some(p);
        }
        if let Some(c) = TIME_AND_PLACE_LABEL.captures(line.trim()) {
            let rest = c.get(1).map_or("", |m| m.as_str()).trim();
            let value = if rest.is_empty() || rest.eq_ignore_ascii_case("sammanträdet") { lines.get(i + 1).copied().unwrap_or("") } else { rest };
            // A value starting with "sammanträdet" wrapped from the label; a value that
            // runs on into the participant list, when lines were joined.
            let value = value.trim_start_matches("sammanträdet").trim();
            let value = PARTICIPANTS_IN_TEXT.find(value).map_or(value, |m| &value[..m.start()]);
            if let Some(p) = place_from(value) {
                return Some(p);
            }
        }
    }
    None
}

/// Reads the meeting header from the lines before the first item (furniture included)
/// with their kinds, the page furniture, all lines (for running headers whose pages were
/// lost), and what the markup states. The body and the kind are `None` when the header
/// does not name them; [`super::parse`] then looks in the items.
pub fn parse_header(header: &[&TextLine], kinds: &[LineKind], furniture: &[&TextLine], all_lines: &[TextLine], hints: &Hints, path: &Path) -> Header {
    let texts: Vec<&str> = header.iter().map(|l| l.text.as_str()).collect();
    // The top of the header, before the participants: organisations named below are the
    // participants'.
    let top_end = kinds.iter().position(|k| matches!(k, LineKind::Role { .. })).unwrap_or(texts.len());
    let top: Vec<&str> = texts[..top_end].to_vec();
    let mut furniture_texts: Vec<&str> = furniture.iter().map(|l| l.text.as_str()).collect();
    // A line that is nothing but an organisation and recurs is a running header or footer
    // even where the page breaks were lost.
    for l in all_lines {
        let t = l.text.trim();
        if (MUNICIPALITY.find(t).is_some_and(|m| m.as_str() == t) || REGION.find(t).is_some_and(|m| m.as_str() == t))
            && all_lines.iter().filter(|o| o.text.trim() == t).count() >= 2
            && !furniture_texts.contains(&t)
        {
            furniture_texts.push(t);
        }
    }
    let mut org_sources: Vec<&str> = furniture_texts.clone();
    if let Some(t) = &hints.title {
        org_sources.push(t);
    }
    org_sources.extend(top.iter().copied());
    let organization = find_organization(&org_sources);

    // Lines of the top that are labels of people or officers name no body.
    let mut body_sources: Vec<&str> =
        top.iter().zip(kinds).filter(|(_, k)| !matches!(k, LineKind::Officer { .. } | LineKind::Signatures { .. })).map(|(t, _)| *t).collect();
    if let Some(t) = &hints.title {
        body_sources.push(t);
    }
    body_sources.extend(furniture_texts.iter().copied());
    let body = find_body(&body_sources, organization.as_deref());

    let mut kind_sources: Vec<&str> = texts.clone();
    if let Some(t) = &hints.title {
        kind_sources.push(t);
    }
    kind_sources.extend(furniture_texts.iter().copied());
    let kind = find_kind(&kind_sources);
    let date = find_date(&texts, kinds, hints, body.as_ref().map(|b| b.name.as_str()), path);
    let time = find_time(&top).or_else(|| find_time(&texts));
    let place = find_place(&texts, kinds);
    let organization = organization
        .or_else(|| body.as_ref().and_then(|b| municipality_in_name(&b.name)))
        // A municipality's own organs meet in its town; regional groups and networks meet
        // in someone else's.
        .or_else(|| place.as_deref().filter(|_| body.as_ref().is_some_and(|b| is_municipal_organ(&b.name))).and_then(organization_from_place));
    Header { body, organization, kind, date: date.filter(|d| d.year() > 1900), time, place }
}

/// Whether a body is one of a municipality's organs: a nämnd, its utskott, the
/// kommunstyrelse or fullmäktige (not a regional group or a network).
fn is_municipal_organ(name: &str) -> bool {
    let n = name.to_lowercase();
    ["nämnd", "styrelse", "utskott", "fullmäktige"].iter().any(|o| n.contains(o)) && !n.contains("region") && !n.contains('(')
}

/// "Östhammars socialnämnd": a body named after its municipality.
fn municipality_in_name(name: &str) -> Option<String> {
    let mut words = name.split_whitespace();
    let first = words.next()?;
    (words.next().is_some()
        && first.ends_with('s')
        && first.chars().next().is_some_and(char::is_uppercase)
        && !first.contains('-')
        && !first.ends_with("ens")
        && !first.ends_with("ets"))
    .then(|| format!("{first} kommun"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn header(text: &str) -> Header {
        let lines = TextLine::lines(text);
        let refs: Vec<&TextLine> = lines.iter().collect();
        let kinds: Vec<LineKind> = lines.iter().map(|l| super::super::classify::kind_of_line(&l.text)).collect();
        parse_header(&refs, &kinds, &[], &[], &Hints::default(), Path::new("x.pdf"))
    }

    fn ymd(y: i32, m: u32, d: u32) -> Option<NaiveDate> {
        NaiveDate::from_ymd_opt(y, m, d)
    }

    #[test]
    fn socsam_header_with_weekday_date_and_place_label() {
        let h = header(
            "Sociala samrådsgruppen (SocSam)\nProtokoll\t2022-06-03\nTid och plats för sammanträdet\tFredag den 3 juni kl. 09:00-12:00 Plats: Hotel Clarion, Östersund\nBeslutande\tKarin Näsmark (S)\tStrömsunds kommun",
        );
        assert_eq!(h.body.clone().expect("body"), Body { name: "Sociala samrådsgruppen (SocSam)".into(), key: "socsam".into() });
        assert_eq!(
            (h.kind.map_or("", |k| k.as_str()), h.date, h.time.as_deref(), h.place.as_deref()),
            ("protokoll", ymd(2022, 6, 3), Some("09:00-12:00"), Some("Hotel Clarion, Östersund"))
        );
        assert_eq!(h.organization, None, "participants' municipalities are not the organisation");
    }

    #[test]
    fn extract_with_place_after_the_time() {
        let h = header(
            "Sociala samrådsgruppen (SocSam)\nProtokollsutdrag\t2021-10-08\nTid och plats för sammanträdet\tFredag den 8 oktober 2021 kl. 09:00 – 12:00 Via webben, Teams",
        );
        assert_eq!(
            (h.kind.map_or("", |k| k.as_str()), h.place.as_deref(), h.time.as_deref()),
            ("protokollsutdrag", Some("Via webben, Teams"), Some("09:00-12:00"))
        );
    }

    #[test]
    fn meeting_date_over_writing_date() {
        // schnv-dalarna-2020-09-25: written 2020-09-28
        let h = header(
            "Region Dalarna – Avdelningen för hälsa och välfärd\nMinnesanteckningar\tDatum: 2020-09-28\nSocialchefs nätverket (SCHNV) i Dalarna den 25 september 2020\nTid: 8.00-9.00\nPlats: Teams",
        );
        assert_eq!(h.date, ymd(2020, 9, 25));
        assert_eq!(h.body.as_ref().expect("body").key, "schnv-dalarna");
        assert!(h.body.as_ref().expect("body").name.starts_with("Socialchefs nätverket (SCHNV)"));
        assert_eq!((h.kind.map_or("", |k| k.as_str()), h.time.as_deref(), h.place.as_deref()), ("minnesanteckningar", Some("8.00-9.00"), Some("Teams")));
        assert_eq!(h.organization.as_deref(), Some("Region Dalarna"));
    }

    #[test]
    fn socialnamnd_with_place_on_the_line_below_and_justering_date() {
        let h = header(
            "Sammanträdesprotokoll socialnämnden den 17 november 2022\nSammanträdets plats och tid\nKommunkontoret i Strömsund, sammanträdesrum Almen, klockan 8.15 – 14.30\nJusterare\nEva Sjölander (M) utses att justera. Justeringen sker onsdag den 30 november.\nStrömsunds kommun",
        );
        assert_eq!(h.date, ymd(2022, 11, 17));
        assert_eq!(h.body.as_ref().expect("body").name, "Socialnämnden");
        assert_eq!(h.body.as_ref().expect("body").key, "stromsund-socialnamnden");
        assert_eq!(h.organization.as_deref(), Some("Strömsunds kommun"));
        assert_eq!((h.time.as_deref(), h.place.as_deref()), (Some("8.15-14.30"), Some("Kommunkontoret i Strömsund, sammanträdesrum Almen")));
    }

    #[test]
    fn wrapped_iso_date_after_a_label() {
        let h = header(
            "SAMMANTRÄDESPROTOKOLL Kommunstyrelsens arbetsutskott\tSammanträdesdatum 2024-\n03-12\nPlats och tid: Kommunhuset, sammanträdesrum Åsen, kl. 13.00–16.45",
        );
        assert_eq!(h.date, ymd(2024, 3, 12));
        assert_eq!(h.body.as_ref().expect("body").name, "Kommunstyrelsens arbetsutskott");
        assert_eq!(h.place.as_deref(), Some("Kommunhuset, sammanträdesrum Åsen"));
    }

    #[test]
    fn html_time_element_and_title() {
        let lines = TextLine::lines(
            "Sociala vård- och omsorgsgruppen (SVOM)\nDatum: 13 oktober 2023\nPlats: Region Jämtland Härjedalen, Östersund\nHandling: Protokoll",
        );
        let refs: Vec<&TextLine> = lines.iter().collect();
        let hints = Hints {
            title: Some("Protokoll – Sociala vård- och omsorgsgruppen (SVOM) 2023-10-13 – Region Jämtland Härjedalen".into()),
            dates: vec!["2023-10-13".into()],
        };
        let kinds: Vec<LineKind> = lines.iter().map(|l| super::super::classify::kind_of_line(&l.text)).collect();
        let h = parse_header(&refs, &kinds, &[], &[], &hints, Path::new("svom.html"));
        assert_eq!(h.date, ymd(2023, 10, 13));
        assert_eq!(h.body.as_ref().expect("body").key, "svom");
        assert_eq!(h.organization.as_deref(), Some("Region Jämtland Härjedalen"));
        assert_eq!(h.place.as_deref(), Some("Region Jämtland Härjedalen, Östersund"));
    }

    #[test]
    fn slugs_fold_swedish_letters() {
        assert_eq!(slug("Strömsund socialnämnden"), "stromsund-socialnamnden");
        assert_eq!(municipality_stem("Strömsunds kommun"), "Strömsund");
        assert_eq!(municipality_stem("Åre kommun"), "Åre");
    }
}
