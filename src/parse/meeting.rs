//! The meeting header: the body that met (name as written and a stable key), its
//! organisation, the kind of document, and the meeting's date, time and place.
//!
//! The date is the meeting's, not the writing date: a date given with a weekday ("Fredag
//! den 3 juni"), under "Tid och plats"/"Sammanträdesdatum", in the title line ("… den 25
//! september 2020") or in `<time datetime>` outranks a bare "Datum: 2020-09-28", and dates
//! on lines about the justering or the notice are not candidates. A date without a year
//! takes one from the header ("Protokoll 2022-06-03").

use std::path::Path;
use std::sync::LazyLock;

use chrono::{Datelike, NaiveDate};
use regex::Regex;

use super::TextLine;
use super::dates::{self, find_dates};
use crate::extract::Hints;
use crate::model::{Body, MeetingKind};

/// A parenthesised acronym naming the body: "Sociala samrådsgruppen (SocSam)".
static ACRONYM_BODY: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"([A-ZÅÄÖ][\wåäö\- ,]*?\(([A-ZÅÄÖ][A-Za-zÅÄÖåäö]{1,7})\))(?:\s+i\s+([A-ZÅÄÖ][\wåäö]+))?").expect("valid regex"));

/// A body named by its kind of organ: "socialnämnden", "Kommunstyrelsens arbetsutskott".
static ORGAN_BODY: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b((?:[\wåäö]+s\s+)?[\wåäö\-]*(?:nämnd|nämnden|styrelse|styrelsen|utskott|utskottet|fullmäktige|nätverket|gruppen|rådet|beredningen|direktionen|presidiet))\b")
        .expect("valid regex")
});

static MUNICIPALITY: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"\b([A-ZÅÄÖ][\wåäö]+(?:-[A-ZÅÄÖ][\wåäö]+)?)\s+kommun\b").expect("valid regex"));

static REGION: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\b(Region\s+[A-ZÅÄÖ][\wåäö]+(?:\s+[A-ZÅÄÖ][\wåäö]+)?|[A-ZÅÄÖ][\wåäö]+\s+läns\s+landsting|Landstinget\s+[A-ZÅÄÖ][\wåäö]+)")
        .expect("valid regex")
});

static TIME: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"(?i)\b(\d{1,2}[.:]\d{2})\s*(?:[-–—]|till)\s*(\d{1,2}[.:]\d{2})\b").expect("valid regex"));

static START_TIME: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"(?i)\b(?:kl\.?|klockan|tid:?)\s*(\d{1,2}[.:]\d{2})").expect("valid regex"));

static PLACE_LABEL: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"(?i)\bplats\s*:\s*(.+)$").expect("valid regex"));

static TIME_AND_PLACE_LABEL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)(?:^|\s)(?:tid\s+och\s+plats(?:\s+för(?:\s+sammanträdet)?)?|plats\s+och\s+tid|sammanträdets\s+plats\s+och\s+tid|sammanträdets\s+tid\s+och\s+plats|mötesplats|^plats)\s*:?\s*(.*)$")
        .expect("valid regex")
});

/// Labels after which a date is the meeting's.
static DATE_LABEL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)sammanträdesdatum|mötesdatum|datum\s+för\s+sammanträdet|tid\s+och\s+plats|plats\s+och\s+tid|sammanträdets\s+(?:tid|plats)|\btid\s*:")
        .expect("valid regex")
});

/// Lines whose dates are about something other than the meeting.
static NOT_MEETING_DATE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)juster|anslag|publicer|tillkännag|upprättad|utskriv|skrivet|expedier|delges|överklag|nästa\s+(?:möte|sammanträde)").expect("valid regex")
});

/// A bare "Datum:" is often the day the minutes were written.
static WRITING_DATE: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"(?i)(?:^|\s)datum\s*:").expect("valid regex"));

static KIND_WORDS: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(protokollsutdrag|utdrag\s+ur\s+protokoll|minnesanteckningar|minnesanteckning|mötesanteckningar|anteckningar|sammanträdesprotokoll|justerat\s+protokoll|protokoll|kallelse|föredragningslista)\b")
        .expect("valid regex")
});

/// Participant sections start here; organisations named below are the participants'.
static PARTICIPANTS_START: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)^(?:beslutande|ledamöter|närvarande|tjänstepersoner|övriga|ej\s+närvarande)\b").expect("valid regex"));

/// The first participant label run into a line.
static PARTICIPANTS_IN_TEXT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\b(?:Beslutande|Ledamöter|Närvarande|Tjänstepersoner|Övriga\s+(?:deltagare|närvarande)|Ej\s+närvarande)\b").expect("valid regex")
});

const PARTIES: &[&str] = &["S", "M", "C", "V", "L", "SD", "KD", "MP", "VV", "FP", "PP"];

#[derive(Debug, Clone, PartialEq)]
pub struct Header {
    pub body: Body,
    pub organization: Option<String>,
    pub kind: MeetingKind,
    pub date: Option<NaiveDate>,
    pub time: Option<String>,
    pub place: Option<String>,
}

/// Lower-case ASCII slug: "Strömsund socialnämnden" → "stromsund-socialnamnden".
pub fn slug(text: &str) -> String {
    let mut out = String::new();
    for c in text.to_lowercase().chars() {
        let c = match c {
            'å' | 'ä' | 'à' | 'á' | 'â' => 'a',
            'ö' | 'ø' | 'ó' | 'ô' => 'o',
            'é' | 'è' | 'ê' | 'ë' => 'e',
            'ü' | 'ú' => 'u',
            c => c,
        };
        if c.is_ascii_alphanumeric() {
            out.push(c);
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
    }
    out.trim_end_matches('-').to_string()
}

fn capitalize(s: &str) -> String {
    let mut c = s.chars();
    c.next().map(|f| f.to_uppercase().chain(c).collect()).unwrap_or_default()
}

/// The municipality a "Strömsunds kommun" names: the genitive -s dropped.
fn municipality_stem(org: &str) -> String {
    let first = org.split_whitespace().next().unwrap_or("");
    match first.strip_suffix('s') {
        Some(stem) if org.ends_with(" kommun") && !stem.ends_with('s') => stem.to_string(),
        _ => first.to_string(),
    }
}

fn find_body(lines: &[&str], organization: Option<&str>) -> Option<Body> {
    for line in lines {
        for c in ACRONYM_BODY.captures_iter(line) {
            let (Some(full), Some(acr)) = (c.get(1), c.get(2)) else { continue };
            let acronym = acr.as_str();
            let capitals = acronym.chars().filter(|c| c.is_uppercase()).count();
            if capitals < 2 || PARTIES.contains(&acronym) {
                continue;
            }
            let name = KIND_WORDS.replace_all(full.as_str(), "");
            let mut name = name.trim().trim_start_matches(['–', '-', ':']).trim().to_string();
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
    for line in lines {
        if let Some(c) = ORGAN_BODY.captures(line)
            && let Some(m) = c.get(1)
        {
            let name = capitalize(m.as_str());
            let key = match organization {
                Some(org) if org.ends_with(" kommun") => format!("{}-{}", slug(&municipality_stem(org)), slug(&name)),
                Some(org) => format!("{}-{}", slug(org), slug(&name)),
                None => slug(&name),
            };
            return Some(Body { name, key });
        }
    }
    None
}

fn find_organization(lines: &[&str]) -> Option<String> {
    for line in lines {
        if let Some(m) = REGION.find(line) {
            return Some(m.as_str().trim().to_string());
        }
        if let Some(m) = MUNICIPALITY.find(line) {
            return Some(m.as_str().to_string());
        }
    }
    None
}

fn find_kind(lines: &[&str]) -> MeetingKind {
    for line in lines {
        if let Some(c) = KIND_WORDS.captures(line)
            && let Some(m) = c.get(1)
        {
            let w = m.as_str().to_lowercase();
            return if w.contains("utdrag") {
                MeetingKind::Protokollsutdrag
            } else if w.contains("anteckning") {
                MeetingKind::Minnesanteckningar
            } else if w.contains("protokoll") {
                MeetingKind::Protokoll
            } else if w == "kallelse" {
                MeetingKind::Kallelse
            } else {
                MeetingKind::Foredragningslista
            };
        }
    }
    MeetingKind::Protokoll
}

/// Scores the dates of the header and returns the meeting's.
fn find_date(lines: &[&str], hints: &Hints, body_name: Option<&str>, path: &Path) -> Option<NaiveDate> {
    let hinted = hints.dates.iter().find_map(|d| NaiveDate::parse_from_str(d.get(..10).unwrap_or(d), "%Y-%m-%d").ok());
    if hinted.is_some() {
        return hinted;
    }
    struct Cand {
        m: dates::DateMatch,
        score: i32,
        order: usize,
    }
    let mut cands: Vec<Cand> = Vec::new();
    let body_word = body_name.map(|b| b.to_lowercase());
    // Lines ending in "2024-" continue on the next ("03-12").
    let joined: Vec<String> = lines
        .iter()
        .enumerate()
        .map(|(i, l)| match lines.get(i + 1) {
            Some(next) if l.trim_end().ends_with('-') && next.trim_start().starts_with(|c: char| c.is_ascii_digit()) => {
                format!("{} {}", l.trim_end(), next.trim())
            }
            _ => l.to_string(),
        })
        .collect();
    for (i, line) in joined.iter().enumerate() {
        let lower = line.to_lowercase();
        let excluded = NOT_MEETING_DATE.is_match(line);
        for m in find_dates(line) {
            let mut score = 0;
            if DATE_LABEL.is_match(line) {
                score += 5;
            }
            if m.weekday {
                score += 4;
            }
            let names_body = KIND_WORDS.is_match(line) || body_word.as_deref().is_some_and(|b| lower.contains(b));
            if names_body && m.in_words {
                score += 4;
            } else if names_body || i < 3 {
                score += 2;
            }
            if excluded {
                score -= 10;
            }
            if WRITING_DATE.is_match(line) {
                score -= 3;
            }
            cands.push(Cand { m, score, order: i });
        }
    }
    let year_hint = cands
        .iter()
        .filter(|c| c.m.year.is_some() && c.score > -5)
        .max_by_key(|c| (c.score, std::cmp::Reverse(c.order)))
        .and_then(|c| c.m.year)
        .or_else(|| year_in_file_name(path));
    cands.iter().filter(|c| c.score > -5).max_by_key(|c| (c.score, std::cmp::Reverse(c.order))).and_then(|c| c.m.resolve(year_hint))
}

fn year_in_file_name(path: &Path) -> Option<i32> {
    let stem = path.file_stem()?.to_str()?;
    let re = Regex::new(r"(?:19|20)\d{2}").ok()?;
    re.find(stem).and_then(|m| m.as_str().parse().ok())
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
            !dates::WEEKDAYS.contains(&w.to_lowercase().trim_end_matches(',')) && !matches!(w.to_lowercase().as_str(), "den" | "kl" | "kl." | "klockan")
        })
        .collect();
    let place = words.join(" ");
    let place = place.trim_matches(|c: char| c == ',' || c == '.' || c == ';' || c == ':' || c == '–' || c == '-' || c.is_whitespace());
    (place.chars().filter(|c| c.is_alphabetic()).count() >= 3).then(|| place.to_string())
}

fn find_place(lines: &[&str]) -> Option<String> {
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

/// Reads the meeting header from the lines before the first item (furniture included),
/// the page furniture, all lines (for running headers whose pages were lost), and what
/// the markup states.
pub fn parse_header(header: &[&TextLine], furniture: &[&TextLine], all_lines: &[TextLine], hints: &Hints, path: &Path) -> Header {
    // Lines as text, with table cells separated so labels stay apart from values.
    let texts: Vec<String> = header.iter().map(|l| l.text.clone()).collect();
    let top: Vec<&str> = {
        let end = header.iter().position(|l| PARTICIPANTS_START.is_match(l.text.trim())).unwrap_or(header.len());
        texts[..end].iter().map(String::as_str).collect()
    };
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

    let mut body_sources: Vec<&str> = top.clone();
    if let Some(t) = &hints.title {
        body_sources.push(t);
    }
    body_sources.extend(furniture_texts.iter().copied());
    let body = find_body(&body_sources, organization.as_deref()).unwrap_or_else(|| {
        let name = top.first().map_or_else(|| path.file_stem().and_then(|s| s.to_str()).unwrap_or("").to_string(), |s| s.to_string());
        Body { key: slug(&name), name }
    });

    let mut kind_sources: Vec<&str> = texts.iter().map(String::as_str).collect();
    if let Some(t) = &hints.title {
        kind_sources.push(t);
    }
    let kind = find_kind(&kind_sources);
    let all: Vec<&str> = texts.iter().map(String::as_str).collect();
    let date = find_date(&all, hints, Some(&body.name), path);
    let time = find_time(&top).or_else(|| find_time(&all));
    let place = find_place(&top).or_else(|| find_place(&all));
    Header { body, organization, kind, date: date.filter(|d| d.year() > 1900), time, place }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn header(text: &str) -> Header {
        let lines = TextLine::lines(text);
        let refs: Vec<&TextLine> = lines.iter().collect();
        parse_header(&refs, &[], &[], &Hints::default(), Path::new("x.pdf"))
    }

    fn ymd(y: i32, m: u32, d: u32) -> Option<NaiveDate> {
        NaiveDate::from_ymd_opt(y, m, d)
    }

    #[test]
    fn socsam_header_with_weekday_date_and_place_label() {
        let h = header(
            "Sociala samrådsgruppen (SocSam)\nProtokoll\t2022-06-03\nTid och plats för sammanträdet\tFredag den 3 juni kl. 09:00-12:00 Plats: Hotel Clarion, Östersund\nBeslutande\tKarin Näsmark (S)\tStrömsunds kommun",
        );
        assert_eq!(h.body, Body { name: "Sociala samrådsgruppen (SocSam)".into(), key: "socsam".into() });
        assert_eq!(
            (h.kind.as_str(), h.date, h.time.as_deref(), h.place.as_deref()),
            ("protokoll", ymd(2022, 6, 3), Some("09:00-12:00"), Some("Hotel Clarion, Östersund"))
        );
        assert_eq!(h.organization, None, "participants' municipalities are not the organisation");
    }

    #[test]
    fn extract_with_place_after_the_time() {
        let h = header(
            "Sociala samrådsgruppen (SocSam)\nProtokollsutdrag\t2021-10-08\nTid och plats för sammanträdet\tFredag den 8 oktober 2021 kl. 09:00 – 12:00 Via webben, Teams",
        );
        assert_eq!((h.kind.as_str(), h.place.as_deref(), h.time.as_deref()), ("protokollsutdrag", Some("Via webben, Teams"), Some("09:00-12:00")));
    }

    #[test]
    fn meeting_date_over_writing_date() {
        // schnv-dalarna-2020-09-25: written 2020-09-28
        let h = header(
            "Region Dalarna – Avdelningen för hälsa och välfärd\nMinnesanteckningar\tDatum: 2020-09-28\nSocialchefs nätverket (SCHNV) i Dalarna den 25 september 2020\nTid: 8.00-9.00\nPlats: Teams",
        );
        assert_eq!(h.date, ymd(2020, 9, 25));
        assert_eq!(h.body.key, "schnv-dalarna");
        assert!(h.body.name.starts_with("Socialchefs nätverket (SCHNV)"));
        assert_eq!((h.kind.as_str(), h.time.as_deref(), h.place.as_deref()), ("minnesanteckningar", Some("8.00-9.00"), Some("Teams")));
        assert_eq!(h.organization.as_deref(), Some("Region Dalarna"));
    }

    #[test]
    fn socialnamnd_with_place_on_the_line_below_and_justering_date() {
        let h = header(
            "Sammanträdesprotokoll socialnämnden den 17 november 2022\nSammanträdets plats och tid\nKommunkontoret i Strömsund, sammanträdesrum Almen, klockan 8.15 – 14.30\nJusterare\nEva Sjölander (M) utses att justera. Justeringen sker onsdag den 30 november.\nStrömsunds kommun",
        );
        assert_eq!(h.date, ymd(2022, 11, 17));
        assert_eq!(h.body.name, "Socialnämnden");
        assert_eq!(h.body.key, "stromsund-socialnamnden");
        assert_eq!(h.organization.as_deref(), Some("Strömsunds kommun"));
        assert_eq!((h.time.as_deref(), h.place.as_deref()), (Some("8.15-14.30"), Some("Kommunkontoret i Strömsund, sammanträdesrum Almen")));
    }

    #[test]
    fn wrapped_iso_date_after_a_label() {
        let h = header(
            "SAMMANTRÄDESPROTOKOLL Kommunstyrelsens arbetsutskott\tSammanträdesdatum 2024-\n03-12\nPlats och tid: Kommunhuset, sammanträdesrum Åsen, kl. 13.00–16.45",
        );
        assert_eq!(h.date, ymd(2024, 3, 12));
        assert_eq!(h.body.name, "Kommunstyrelsens arbetsutskott");
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
        let h = parse_header(&refs, &[], &[], &hints, Path::new("svom.html"));
        assert_eq!(h.date, ymd(2023, 10, 13));
        assert_eq!(h.body.key, "svom");
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
