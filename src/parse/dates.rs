//! Swedish dates as protocols write them: "2022-06-03", "den 17 november 2022",
//! "Fredag den 3 juni" (year elsewhere), "24/2 2023", "1 april".
//!
//! A date without a year is returned as such; [`DateMatch::resolve`] supplies one from
//! the meeting. Nothing here decides which date is the meeting's; see [`super::meeting`].

use std::sync::LazyLock;

use chrono::{Datelike, NaiveDate};
use regex::Regex;

use super::vocabulary::{MONTHS, WEEKDAYS};

static ISO: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"\b((?:19|20)\d{2})-\s?(\d{1,2})-(\d{1,2})\b").expect("valid regex"));

static WORDS: LazyLock<Regex> = LazyLock::new(|| {
    let weekdays = WEEKDAYS.join("|");
    let months = super::vocabulary::phrase_pattern(MONTHS.iter().map(|(m, _)| *m));
    Regex::new(&format!(r"(?i)\b(?:({weekdays})(?:en)?\s+)?(?:den\s+)?(\d{{1,2}})(?::e|e)?\s+({months})\.?(?:\s+((?:19|20)\d{{2}}))?\b")).expect("valid regex")
});

static SLASHED: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"\b(\d{1,2})/(\d{1,2})(?:[ -]((?:19|20)\d{2}))?\b").expect("valid regex"));

/// A date found in text.
#[derive(Debug, Clone, PartialEq)]
pub struct DateMatch {
    /// Byte range in the searched text.
    pub start: usize,
    pub end: usize,
    pub year: Option<i32>,
    pub month: u32,
    pub day: u32,
    /// Written with a weekday ("Fredag den 3 juni"): the way a meeting day is named.
    pub weekday: bool,
    /// Written in words ("17 november"), not digits.
    pub in_words: bool,
}

impl DateMatch {
    /// The date, taking the year from `year` when the text gave none.
    pub fn resolve(&self, year: Option<i32>) -> Option<NaiveDate> {
        NaiveDate::from_ymd_opt(self.year.or(year)?, self.month, self.day)
    }

    /// The date of an earlier decision cited in a meeting held on `meeting`: without a
    /// year it is the latest such day on or before the meeting.
    pub fn resolve_before(&self, meeting: Option<NaiveDate>) -> Option<NaiveDate> {
        if self.year.is_some() {
            return self.resolve(None);
        }
        let m = meeting?;
        let this_year = NaiveDate::from_ymd_opt(m.year(), self.month, self.day)?;
        if this_year <= m { Some(this_year) } else { NaiveDate::from_ymd_opt(m.year() - 1, self.month, self.day) }
    }
}

fn month_number(name: &str) -> Option<u32> {
    let lower = name.to_lowercase();
    MONTHS.iter().find(|(m, _)| *m == lower).map(|(_, n)| *n)
}

fn valid(month: u32, day: u32) -> bool {
    (1..=12).contains(&month) && (1..=31).contains(&day)
}

/// All dates in `text`, in order of position.
pub fn find_dates(text: &str) -> Vec<DateMatch> {
    let mut out: Vec<DateMatch> = Vec::new();
    for c in ISO.captures_iter(text) {
        let (Some(m), Some(y), Some(mo), Some(d)) = (c.get(0), c.get(1), c.get(2), c.get(3)) else { continue };
        let (Ok(y), Ok(mo), Ok(d)) = (y.as_str().parse(), mo.as_str().parse(), d.as_str().parse()) else { continue };
        if valid(mo, d) {
            out.push(DateMatch { start: m.start(), end: m.end(), year: Some(y), month: mo, day: d, weekday: false, in_words: false });
        }
    }
    for c in WORDS.captures_iter(text) {
        let (Some(m), Some(d), Some(mo)) = (c.get(0), c.get(2), c.get(3)) else { continue };
        let (Ok(d), Some(mo)) = (d.as_str().parse(), month_number(mo.as_str())) else { continue };
        let year = c.get(4).and_then(|y| y.as_str().parse().ok());
        if valid(mo, d) {
            out.push(DateMatch { start: m.start(), end: m.end(), year, month: mo, day: d, weekday: c.get(1).is_some(), in_words: true });
        }
    }
    for c in SLASHED.captures_iter(text) {
        let (Some(m), Some(d), Some(mo)) = (c.get(0), c.get(1), c.get(2)) else { continue };
        let (Ok(d), Ok(mo)) = (d.as_str().parse(), mo.as_str().parse()) else { continue };
        // "24/2 2023" is day/month; a bare "1/10" too, but "2021/22" is not a date.
        let year = c.get(3).and_then(|y| y.as_str().parse().ok());
        if valid(mo, d) && !overlaps(&out, m.start(), m.end()) {
            out.push(DateMatch { start: m.start(), end: m.end(), year, month: mo, day: d, weekday: false, in_words: false });
        }
    }
    out.sort_by_key(|d| d.start);
    out
}

fn overlaps(found: &[DateMatch], start: usize, end: usize) -> bool {
    found.iter().any(|d| d.start < end && start < d.end)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ymd(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).expect("date")
    }

    #[test]
    fn iso_dates_and_dates_in_words() {
        let d = find_dates("Protokoll 2022-06-03. Sammanträdesprotokoll socialnämnden den 17 november 2022");
        assert_eq!(d.len(), 2);
        assert_eq!(d[0].resolve(None), Some(ymd(2022, 6, 3)));
        assert_eq!(d[1].resolve(None), Some(ymd(2022, 11, 17)));
        assert!(d[1].in_words);
    }

    #[test]
    fn weekday_dates_take_their_year_from_elsewhere() {
        // socsam-2022-06-03: "Fredag den 3 juni kl. 09:00-12:00", year in the page header.
        let d = &find_dates("Fredag den 3 juni kl. 09:00-12:00 Plats: Hotel Clarion")[0];
        assert!(d.weekday);
        assert_eq!(d.year, None);
        assert_eq!(d.resolve(Some(2022)), Some(ymd(2022, 6, 3)));
    }

    #[test]
    fn slashed_dates_and_wrapped_iso_dates() {
        let d = find_dates("SVOM beslutade vid sitt sammanträde 24/2 2023 att:");
        assert_eq!(d[0].resolve(None), Some(ymd(2023, 2, 24)));
        let d = find_dates("Sammanträdesdatum 2024- 03-12");
        assert_eq!(d[0].resolve(None), Some(ymd(2024, 3, 12)));
    }

    #[test]
    fn cited_dates_without_year_fall_on_or_before_the_meeting() {
        let meeting = Some(ymd(2022, 6, 3));
        let d = &find_dates("SocSam beslutade 1 april att uppdra")[0];
        assert_eq!(d.resolve_before(meeting), Some(ymd(2022, 4, 1)));
        let d = &find_dates("beslutade den 15 december att")[0];
        assert_eq!(d.resolve_before(meeting), Some(ymd(2021, 12, 15)));
    }

    #[test]
    fn impossible_dates_are_not_dates() {
        assert!(find_dates("2021/22 och 45/12 samt 2022-13-01").is_empty());
    }
}
