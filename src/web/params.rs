//! Request parameters: read from the raw query string (never rejected for its encoding),
//! checked, and turned into search options. Every refusal says, in Swedish, what was
//! wrong; the handlers answer it with a 400 page.

use chrono::{Datelike, NaiveDate};

use crate::index::filters::{DateRange, Edge, parse_day};
use crate::index::search::SearchOptions;
use crate::model::{DecisionKind, MeetingKind};

/// Hits on a page of results.
pub const PAGE_SIZE: usize = 20;

/// Last page that can be asked for: search pages no further than its offset limit.
pub const MAX_PAGE: usize = crate::index::search::MAX_LIMIT / PAGE_SIZE;

/// Longest value of any other parameter (a name, a body key, a document id).
const MAX_VALUE_CHARS: usize = 300;

/// The parameters of a query string, in order, decoded (invalid UTF-8 replaced).
pub fn pairs(raw: Option<&str>) -> Vec<(String, String)> {
    url::form_urlencoded::parse(raw.unwrap_or("").as_bytes()).map(|(k, v)| (k.into_owned(), v.into_owned())).collect()
}

/// The first value of a parameter, trimmed; empty counts as absent.
pub fn get<'a>(pairs: &'a [(String, String)], key: &str) -> Option<&'a str> {
    pairs.iter().find(|(k, _)| k == key).map(|(_, v)| v.trim()).filter(|v| !v.is_empty())
}

/// A parameter that must be short, when present.
pub fn short<'a>(pairs: &'a [(String, String)], key: &str) -> Result<Option<&'a str>, String> {
    match get(pairs, key) {
        Some(v) if v.chars().count() > MAX_VALUE_CHARS => Err(format!("Parametern ”{key}” är för lång (högst {MAX_VALUE_CHARS} tecken).")),
        v => Ok(v),
    }
}

/// A parameter that must be there.
pub fn required<'a>(pairs: &'a [(String, String)], key: &str) -> Result<&'a str, String> {
    short(pairs, key)?.ok_or_else(|| format!("Parametern ”{key}” saknas."))
}

/// A search as the URL states it: the query and every filter, so a search can be shared.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Search {
    pub q: String,
    /// A body's name or key.
    pub organ: Option<String>,
    pub org: Option<String>,
    pub year: Option<i32>,
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
    /// The dates as written, to show them back in the form.
    pub from_text: Option<String>,
    pub to_text: Option<String>,
    pub decisions_only: bool,
    pub decision_kind: Option<DecisionKind>,
    pub document_kind: Option<MeetingKind>,
    /// 1-based.
    pub page: usize,
}

/// A message of the library's (one line, lower-case, as the CLI says it) as the pages
/// say theirs: a sentence.
pub fn sentence(message: &str) -> String {
    let mut chars = message.chars();
    let Some(first) = chars.next() else { return String::new() };
    let mut out: String = first.to_uppercase().chain(chars).collect();
    if !out.ends_with('.') {
        out.push('.');
    }
    out
}

/// A query or topic within the index's bounds, or the sentence that says why not.
pub fn query(q: &str) -> Result<(), String> {
    crate::index::search::check_query(q).map_err(|e| format!("Ogiltig sökfråga: {e}."))
}

impl Search {
    pub fn from_pairs(pairs: &[(String, String)]) -> Result<Search, String> {
        let q = get(pairs, "q").unwrap_or("").to_string();
        query(&q)?;
        let (from_text, to_text) = (short(pairs, "fran")?, short(pairs, "till")?);
        let dates = DateRange::parse(from_text, to_text).map_err(|e| sentence(&e.to_string()))?;
        let year = match short(pairs, "ar")? {
            None => None,
            Some(t) => Some(parse_day(t, Edge::First).ok().filter(|_| t.len() == 4).map(|d| d.year()).ok_or_else(|| format!("”{t}” är inget årtal (ÅÅÅÅ)."))?),
        };
        let decision_kind = match short(pairs, "beslutstyp")? {
            None => None,
            Some(t) => Some(DecisionKind::from_word(&t.to_lowercase()).ok_or_else(|| format!("”{t}” är ingen beslutstyp."))?),
        };
        let document_kind = match short(pairs, "dokumenttyp")? {
            None => None,
            Some(t) => Some(MeetingKind::from_word(&t.to_lowercase()).ok_or_else(|| format!("”{t}” är ingen dokumenttyp."))?),
        };
        let page = match get(pairs, "sida") {
            None => 1,
            Some(t) => match t.parse::<usize>() {
                Ok(n) if (1..=MAX_PAGE).contains(&n) => n,
                _ => return Err(format!("”{t}” är inget sidnummer: välj en sida från 1 till {MAX_PAGE}.")),
            },
        };
        let decisions_only = matches!(get(pairs, "beslut"), Some("1" | "ja" | "on" | "true"));
        Ok(Search {
            q,
            organ: short(pairs, "organ")?.map(str::to_string),
            org: short(pairs, "org")?.map(str::to_string),
            year,
            from: dates.from,
            to: dates.to,
            from_text: from_text.map(str::to_string),
            to_text: to_text.map(str::to_string),
            decisions_only,
            decision_kind,
            document_kind,
            page,
        })
    }

    /// Whether anything is asked: a query or a filter.
    pub fn is_empty(&self) -> bool {
        let Search { q, organ, org, year, from, to, decision_kind, document_kind, decisions_only, .. } = self;
        q.trim().is_empty()
            && organ.is_none()
            && org.is_none()
            && year.is_none()
            && from.is_none()
            && to.is_none()
            && decision_kind.is_none()
            && document_kind.is_none()
            && !decisions_only
    }

    /// The search options: a year narrows the dates to within it.
    pub fn options(&self) -> SearchOptions {
        let mut from = self.from;
        let mut to = self.to;
        if let Some(y) = self.year {
            let (first, last) = (NaiveDate::from_ymd_opt(y, 1, 1), NaiveDate::from_ymd_opt(y, 12, 31));
            from = from.max(first);
            to = match (to, last) {
                (Some(a), Some(b)) => Some(a.min(b)),
                (a, b) => a.or(b),
            };
        }
        SearchOptions {
            limit: PAGE_SIZE,
            offset: (self.page - 1) * PAGE_SIZE,
            body: self.organ.clone(),
            organization: self.org.clone(),
            from,
            to,
            decisions_only: self.decisions_only || self.decision_kind.is_some(),
            decision_kind: self.decision_kind,
            kind: self.document_kind,
            ..SearchOptions::default()
        }
    }

    /// The parameters of this search, in a fixed order, without empty ones.
    pub fn to_pairs(&self) -> Vec<(&'static str, String)> {
        let mut out: Vec<(&'static str, String)> = Vec::new();
        if !self.q.is_empty() {
            out.push(("q", self.q.clone()));
        }
        let opt = |out: &mut Vec<(&'static str, String)>, k, v: Option<String>| {
            if let Some(v) = v {
                out.push((k, v));
            }
        };
        opt(&mut out, "organ", self.organ.clone());
        opt(&mut out, "org", self.org.clone());
        opt(&mut out, "ar", self.year.map(|y| y.to_string()));
        opt(&mut out, "fran", self.from_text.clone());
        opt(&mut out, "till", self.to_text.clone());
        if self.decisions_only {
            out.push(("beslut", "1".into()));
        }
        opt(&mut out, "beslutstyp", self.decision_kind.map(|k| k.as_str().to_string()));
        opt(&mut out, "dokumenttyp", self.document_kind.map(|k| k.as_str().to_string()));
        if self.page > 1 {
            out.push(("sida", self.page.to_string()));
        }
        out
    }

    /// The URL of this search on `path` (`/sok` or `/api/search`).
    pub fn url(&self, path: &str) -> String {
        let pairs = self.to_pairs();
        if pairs.is_empty() {
            return path.to_string();
        }
        let mut s = url::form_urlencoded::Serializer::new(String::new());
        for (k, v) in pairs {
            s.append_pair(k, &v);
        }
        format!("{path}?{}", s.finish())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn search(query: &str) -> Result<Search, String> {
        Search::from_pairs(&pairs(Some(query)))
    }

    #[test]
    fn dates_by_day_month_or_year_in_order() {
        let s = search("fran=2022&till=2022-02").expect("valid");
        assert_eq!((s.from, s.to), (NaiveDate::from_ymd_opt(2022, 1, 1), NaiveDate::from_ymd_opt(2022, 2, 28)));
        assert_eq!((s.from_text.as_deref(), s.to_text.as_deref()), (Some("2022"), Some("2022-02")));
        let reversed = search("fran=2023&till=2022").expect_err("reversed");
        assert!(reversed.starts_with("Från-datumet 2023-01-01 ligger efter till-datumet 2022-12-31") && reversed.ends_with('.'), "{reversed}");
        assert!(search("ar=22").unwrap_err().contains("årtal"));
    }

    #[test]
    fn bad_parameters_are_refused_with_a_reason() {
        assert!(search("q=x&fran=2022-13-45").unwrap_err().contains("inget datum"));
        assert!(search("q=x&sida=-1").unwrap_err().contains("sidnummer"));
        assert!(search("q=x&sida=0").is_err());
        assert!(search("q=x&sida=99999999999999999999").is_err());
        assert!(search(&format!("q={}", "a".repeat(crate::index::search::MAX_QUERY_CHARS + 1))).unwrap_err().contains("för många"));
        assert!(search("q=x&beslutstyp=nonsens").is_err());
    }

    #[test]
    fn a_search_survives_its_own_url() {
        let s = search("q=familjehem+%22centrum+mot+v%C3%A5ld%22&organ=socsam&ar=2022&beslut=1&sida=2").expect("valid");
        assert_eq!(s.q, "familjehem \"centrum mot våld\"");
        assert_eq!(s.page, 2);
        let again = search(s.url("/sok").trim_start_matches("/sok?")).expect("valid");
        assert_eq!(again, s);
        let o = s.options();
        assert_eq!(o.offset, PAGE_SIZE);
        assert_eq!(o.from, NaiveDate::from_ymd_opt(2022, 1, 1));
        assert_eq!(o.to, NaiveDate::from_ymd_opt(2022, 12, 31));
    }
}
