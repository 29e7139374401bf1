//! Filters as people type them.
//!
//! - A date is a year (`2022`), a month (`2022-11`) or a day (`2022-11-17`): as the start
//!   of a range it means its first day, as the end its last (`2022-02` ends on the 28th,
//!   in a leap year the 29th). A range whose start is after its end is refused, not
//!   searched. The CLI's `--from`/`--to` and the web's `fran`/`till` both read dates here.
//! - A body (`--body`, the web's `organ`) or an organisation (`--organization`, `org`) is
//!   matched against the bodies and organisations the index holds: a name or key as
//!   written (case aside) picks exactly those; else every word typed must begin a word of
//!   the name ("strömsund" finds "Strömsunds kommun", "social" "Socialnämnden"), a body's
//!   words counting its key and its organisation's name too (so "socialnämnden
//!   strömsund" picks one of many Socialnämnden), though at least one word must begin a
//!   word of the body's own name or key; and only when that finds nothing, the same with
//!   å, ä, ö and accents read as plain letters ("Stromsund"). A value that matches nothing
//!   is an error that names the closest known values.
//! - `protokoll bodies`: the index's bodies and organisations with their meetings (copies
//!   folded) and items.
//!
//! What it doesn't do: build the search's query ([`super::search`] filters by what is
//! resolved here, so totals, paging and facets count the same documents), or list the
//! bodies of the web's pages ([`Archive::bodies`]).

use std::collections::{BTreeMap, BTreeSet};

use chrono::NaiveDate;
use serde::Serialize;
use tantivy::collector::{Count, FacetCollector};
use tantivy::query::{BooleanQuery, Occur, Query, TermQuery};
use tantivy::schema::{Facet, Field, IndexRecordOption};
use tantivy::{Searcher, Term};

use super::schema::{KIND_ITEM, KIND_MEETING};
use super::search::SearchOptions;
use super::{Archive, IndexError};
use crate::model::slug;

/// Closest known values an unknown body or organisation is answered with: enough to spot
/// the one meant, short enough for one line.
pub const MAX_SUGGESTIONS: usize = 5;

/// Characters of a typed value and of a known name compared for closeness: names are
/// shorter, and the comparison costs the product of the two lengths per known value.
const MAX_COMPARED_CHARS: usize = 100;

/// A filter value that cannot be used, said in one Swedish line.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum FilterError {
    #[error("{0:?} är inget datum; skriv ÅÅÅÅ, ÅÅÅÅ-MM eller ÅÅÅÅ-MM-DD (till exempel 2022, 2022-11 eller 2022-11-17)")]
    BadDate(String),
    #[error("från-datumet {from} ligger efter till-datumet {to}; byt plats på dem")]
    Reversed { from: NaiveDate, to: NaiveDate },
    #[error("okänt organ {value:?}; {}", nearest(.closest, "organ"))]
    UnknownBody { value: String, closest: Vec<String> },
    #[error("okänd organisation {value:?}; {}", nearest(.closest, "organisationer"))]
    UnknownOrganization { value: String, closest: Vec<String> },
}

fn nearest(closest: &[String], what: &str) -> String {
    if closest.is_empty() { format!("indexet har inga {what}") } else { format!("närmast: {}", closest.join(", ")) }
}

/// Which day of a year or month a date stands for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Edge {
    /// The first: a range's start.
    First,
    /// The last: a range's end.
    Last,
}

/// The day a date written as ÅÅÅÅ, ÅÅÅÅ-MM or ÅÅÅÅ-MM-DD stands for, at the `edge` of its
/// year or month.
pub fn parse_day(text: &str, edge: Edge) -> Result<NaiveDate, FilterError> {
    day(text.trim(), edge).ok_or_else(|| FilterError::BadDate(text.to_string()))
}

fn day(text: &str, edge: Edge) -> Option<NaiveDate> {
    let num = |s: &str, len: std::ops::RangeInclusive<usize>| -> Option<u32> {
        (len.contains(&s.len()) && s.bytes().all(|b| b.is_ascii_digit())).then(|| s.parse().ok())?
    };
    let parts: Vec<&str> = text.split('-').collect();
    let year = i32::try_from(num(parts.first()?, 4..=4)?).ok()?;
    match parts[1..] {
        [] => match edge {
            Edge::First => NaiveDate::from_ymd_opt(year, 1, 1),
            Edge::Last => NaiveDate::from_ymd_opt(year, 12, 31),
        },
        [month] => {
            let first = NaiveDate::from_ymd_opt(year, num(month, 1..=2)?, 1)?;
            match edge {
                Edge::First => Some(first),
                Edge::Last => first.checked_add_months(chrono::Months::new(1))?.pred_opt(),
            }
        }
        [month, d] => NaiveDate::from_ymd_opt(year, num(month, 1..=2)?, num(d, 1..=2)?),
        _ => None,
    }
}

/// The dates a search is narrowed to, either end open.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct DateRange {
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
}

impl DateRange {
    /// A range from `from` to `to`, both days included; refused when it runs backwards.
    pub fn new(from: Option<NaiveDate>, to: Option<NaiveDate>) -> Result<DateRange, FilterError> {
        match (from, to) {
            (Some(from), Some(to)) if from > to => Err(FilterError::Reversed { from, to }),
            _ => Ok(DateRange { from, to }),
        }
    }

    /// A range as typed: each end a year, a month or a day (see [`parse_day`]); `from`
    /// starts on its first day, `to` ends on its last.
    pub fn parse(from: Option<&str>, to: Option<&str>) -> Result<DateRange, FilterError> {
        let from = from.map(|t| parse_day(t, Edge::First)).transpose()?;
        let to = to.map(|t| parse_day(t, Edge::Last)).transpose()?;
        DateRange::new(from, to)
    }
}

/// A body the index holds: its key, its name and its organisation, with its meetings
/// (copies folded). One key with two spellings of its name is two bodies here, as the
/// search's body facet counts them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KnownBody {
    pub key: String,
    pub name: String,
    pub organization: Option<String>,
    pub meetings: u64,
}

impl KnownBody {
    /// The body as a person names it: with its organisation, unless its name says it.
    pub fn label(&self) -> String {
        match &self.organization {
            Some(org) if !self.name.contains(org.as_str()) => format!("{} ({org})", self.name),
            _ => self.name.clone(),
        }
    }
}

/// The words of a name, lower-cased: its runs of letters and digits.
fn words(text: &str) -> Vec<String> {
    text.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()).map(str::to_lowercase).collect()
}

/// A lower-cased word with å, ä, ö and accented letters as plain ones, as in keys.
fn fold(word: &str) -> String {
    word.chars().map(|c| if c == 'æ' { 'a' } else { crate::model::plain_letter(c) }).collect()
}

/// Whether every word typed begins one of `own` or `qualifying`, and one at least begins
/// one of `own`.
fn begins_words(typed: &[String], own: &[String], qualifying: &[String]) -> bool {
    let begins = |w: &String, of: &[String]| of.iter().any(|o| o.starts_with(w.as_str()));
    !typed.is_empty() && typed.iter().all(|w| begins(w, own) || begins(w, qualifying)) && typed.iter().any(|w| begins(w, own))
}

/// What a known value is matched on: the strings it is named by exactly (lower-cased), its
/// own words, and words that only narrow (a body's organisation).
struct Candidate {
    exact: Vec<String>,
    own: Vec<String>,
    qualifying: Vec<String>,
}

/// The candidates `typed` names: exactly, else by the start of their words, else the same
/// with letters folded (see the module's rule).
fn matching(candidates: &[Candidate], typed: &str) -> Vec<usize> {
    let lower = typed.trim().to_lowercase();
    let slugged = slug(typed);
    let exact: Vec<usize> = (0..candidates.len()).filter(|&i| candidates[i].exact.iter().any(|e| !e.is_empty() && (*e == lower || *e == slugged))).collect();
    if !exact.is_empty() {
        return exact;
    }
    let typed_words = words(typed);
    let by_words: Vec<usize> = (0..candidates.len()).filter(|&i| begins_words(&typed_words, &candidates[i].own, &candidates[i].qualifying)).collect();
    if !by_words.is_empty() {
        return by_words;
    }
    let folded = |ws: &[String]| -> Vec<String> { ws.iter().map(|w| fold(w)).collect() };
    let typed_folded = folded(&typed_words);
    (0..candidates.len()).filter(|&i| begins_words(&typed_folded, &folded(&candidates[i].own), &folded(&candidates[i].qualifying))).collect()
}

/// Edit distance (insertions, deletions, substitutions of characters).
fn edit_distance(a: &[char], b: &[char]) -> usize {
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.iter().enumerate() {
        let mut diagonal = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let above = row[j + 1];
            row[j + 1] = (above + 1).min(row[j] + 1).min(diagonal + usize::from(ca != cb));
            diagonal = above;
        }
    }
    row[b.len()]
}

fn chars(text: &str) -> Vec<char> {
    fold(&text.to_lowercase()).chars().take(MAX_COMPARED_CHARS).collect()
}

/// How far `typed` is from a known name with these words: the edit distance of the
/// whole, or of each typed word to the nearest word or start of a word, summed.
fn distance(typed: &str, name: &str, name_words: &[String]) -> usize {
    let whole = edit_distance(&chars(typed), &chars(name));
    let known: Vec<Vec<char>> = name_words.iter().map(|w| chars(w)).collect();
    let by_words: usize = words(typed)
        .iter()
        .map(|w| {
            let w = chars(w);
            known.iter().map(|k| edit_distance(&w, k).min(edit_distance(&w, &k[..k.len().min(w.len())]))).min().unwrap_or(w.len())
        })
        .sum();
    whole.min(by_words)
}

/// The labels of the known values closest to `typed`, at most [`MAX_SUGGESTIONS`], each
/// once, nearest first: those near enough to be what was meant (see [`is_near`]), or,
/// when none is, the nearest anyway, as a sample of what there is.
fn closest(typed: &str, known: impl Iterator<Item = (String, String, Vec<String>)>) -> Vec<String> {
    let mut scored: Vec<(usize, String)> = known.map(|(label, name, ws)| (distance(typed, &name, &ws), label)).collect();
    scored.sort();
    if scored.iter().any(|(d, _)| is_near(typed, *d)) {
        scored.retain(|(d, _)| is_near(typed, *d));
    }
    let mut out: Vec<String> = Vec::new();
    for (_, label) in scored {
        if !out.contains(&label) {
            out.push(label);
        }
        if out.len() == MAX_SUGGESTIONS {
            break;
        }
    }
    out
}

/// Whether a known value `distance` edits from `typed` may be what was meant: two edits,
/// or a third of what was typed in a longer value.
fn is_near(typed: &str, distance: usize) -> bool {
    distance <= (typed.chars().count().min(MAX_COMPARED_CHARS) / 3).max(2)
}

fn body_candidate(b: &KnownBody) -> Candidate {
    let mut own = words(&b.name);
    own.extend(b.key.split('-').filter(|w| !w.is_empty()).map(str::to_string));
    Candidate { exact: vec![b.name.to_lowercase(), b.key.clone()], own, qualifying: b.organization.as_deref().map(words).unwrap_or_default() }
}

/// The known bodies `typed` names, or the error that lists the closest.
pub fn match_bodies<'a>(known: &'a [KnownBody], typed: &str) -> Result<Vec<&'a KnownBody>, FilterError> {
    let candidates: Vec<Candidate> = known.iter().map(body_candidate).collect();
    let found = matching(&candidates, typed);
    if found.is_empty() {
        let near = known.iter().zip(&candidates).map(|(b, c)| (b.label(), b.name.clone(), [c.own.clone(), c.qualifying.clone()].concat()));
        return Err(FilterError::UnknownBody { value: typed.to_string(), closest: closest(typed, near) });
    }
    Ok(found.into_iter().map(|i| &known[i]).collect())
}

/// The known organisations `typed` names, or the error that lists the closest.
pub fn match_organizations<'a>(known: &'a [String], typed: &str) -> Result<Vec<&'a String>, FilterError> {
    let candidates: Vec<Candidate> = known.iter().map(|o| Candidate { exact: vec![o.to_lowercase()], own: words(o), qualifying: Vec::new() }).collect();
    let found = matching(&candidates, typed);
    if found.is_empty() {
        let near = known.iter().map(|o| (o.clone(), o.clone(), words(o)));
        return Err(FilterError::UnknownOrganization { value: typed.to_string(), closest: closest(typed, near) });
    }
    Ok(found.into_iter().map(|i| &known[i]).collect())
}

/// What a search's body and organisation filters select, resolved against the index.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Scope {
    /// The bodies (key, name) named by `--body`; `None` without the filter.
    pub bodies: Option<Vec<(String, String)>>,
    /// The organisations named by `--organization`; `None` without the filter.
    pub organizations: Option<Vec<String>>,
}

/// A body's line of `protokoll bodies`: key, name, organisation (`null` for none),
/// meetings (copies folded) and agenda items (copies folded: each § once).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct BodyCounts {
    pub key: String,
    pub name: String,
    pub organization: Option<String>,
    pub meetings: u64,
    pub items: u64,
}

/// An organisation's line of `protokoll bodies`: its bodies, meetings and items.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct OrganizationCounts {
    pub name: String,
    pub bodies: u64,
    pub meetings: u64,
    pub items: u64,
}

/// `protokoll bodies --json`: the organisations, the bodies (those without an
/// organisation last), and the index's meetings and items in all.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct BodyListing {
    pub organizations: Vec<OrganizationCounts>,
    pub bodies: Vec<BodyCounts>,
    pub meetings: u64,
    pub items: u64,
}

/// A sort key that orders Swedish names as a Swedish reader expects: case aside, and å,
/// ä, ö after z in that order.
pub fn swedish_order(text: &str) -> String {
    text.to_lowercase()
        .chars()
        .map(|c| match c {
            'å' => '\u{7b}',
            'ä' | 'æ' => '\u{7c}',
            'ö' | 'ø' => '\u{7d}',
            c => fold(&c.to_string()).chars().next().unwrap_or(c),
        })
        .collect()
}

fn basic(field: Field, text: &str) -> Box<dyn Query> {
    Box::new(TermQuery::new(Term::from_field_text(field, text), IndexRecordOption::Basic))
}

impl Archive {
    fn primary(&self) -> Box<dyn Query> {
        Box::new(TermQuery::new(Term::from_field_u64(self.fields.primary, 1), IndexRecordOption::Basic))
    }

    /// The organisations named on any meeting document (deleted ones' may linger until
    /// their segment is merged: they select no meetings).
    fn organization_terms(&self, searcher: &Searcher) -> Result<BTreeSet<String>, IndexError> {
        let mut out = BTreeSet::new();
        for segment in searcher.segment_readers() {
            let inverted = segment.inverted_index(self.fields.organization)?;
            let mut terms = inverted.terms().stream()?;
            while terms.advance() {
                out.insert(String::from_utf8_lossy(terms.key()).into_owned());
            }
        }
        Ok(out)
    }

    /// The meetings (copies folded) of each body (key, name), of one organisation or of
    /// all, from the meeting documents' /organ facets.
    pub(crate) fn organ_counts(&self, searcher: &Searcher, organization: Option<&str>) -> Result<BTreeMap<(String, String), u64>, IndexError> {
        let f = &self.fields;
        let mut clauses = vec![(Occur::Must, basic(f.doc_kind, KIND_MEETING)), (Occur::Must, self.primary())];
        if let Some(org) = organization {
            clauses.push((Occur::Must, basic(f.organization, org)));
        }
        let q = BooleanQuery::new(clauses);
        // The keys first, then each key's names (a collector counts one level).
        let mut keys = FacetCollector::for_field("facets");
        keys.add_facet("/organ");
        let key_facets: Vec<Facet> = searcher.search(&q, &keys)?.get("/organ").map(|(f, _)| f.clone()).collect();
        if key_facets.is_empty() {
            return Ok(BTreeMap::new());
        }
        let mut names = FacetCollector::for_field("facets");
        for f in &key_facets {
            names.add_facet(f.clone());
        }
        let name_counts = searcher.search(&q, &names)?;
        let mut out = BTreeMap::new();
        for key in &key_facets {
            for (named, meetings) in name_counts.get(key.clone()) {
                if let [_, key, name] = named.to_path().as_slice() {
                    out.insert((key.to_string(), name.to_string()), meetings);
                }
            }
        }
        Ok(out)
    }

    /// Every body of the index with its organisation and meetings, in Swedish order by
    /// organisation (none last), then name and key.
    pub fn known_bodies(&self) -> Result<Vec<KnownBody>, IndexError> {
        let searcher = self.searcher();
        let mut without = self.organ_counts(&searcher, None)?;
        let mut out = Vec::new();
        for org in self.organization_terms(&searcher)? {
            for ((key, name), meetings) in self.organ_counts(&searcher, Some(&org))? {
                if let Some(left) = without.get_mut(&(key.clone(), name.clone())) {
                    *left = left.saturating_sub(meetings);
                }
                out.push(KnownBody { key, name, organization: Some(org.clone()), meetings });
            }
        }
        out.extend(without.into_iter().filter(|&(_, n)| n > 0).map(|((key, name), meetings)| KnownBody { key, name, organization: None, meetings }));
        out.sort_by_cached_key(|b| (b.organization.is_none(), b.organization.as_deref().map(swedish_order), swedish_order(&b.name), b.key.clone()));
        Ok(out)
    }

    /// What a search's `body` and `organization` name, or the error that says a value
    /// names nothing the index holds.
    pub fn scope(&self, opts: &SearchOptions) -> Result<Scope, IndexError> {
        if opts.body.is_none() && opts.organization.is_none() {
            return Ok(Scope::default());
        }
        let known = self.known_bodies()?;
        let bodies = match &opts.body {
            Some(typed) => Some(match_bodies(&known, typed)?.into_iter().map(|b| (b.key.clone(), b.name.clone())).collect()),
            None => None,
        };
        let organizations = match &opts.organization {
            Some(typed) => {
                let names: Vec<String> = known.iter().filter_map(|b| b.organization.clone()).collect::<BTreeSet<_>>().into_iter().collect();
                Some(match_organizations(&names, typed)?.into_iter().cloned().collect())
            }
            None => None,
        };
        Ok(Scope { bodies, organizations })
    }

    /// The bodies and organisations of the index with their meetings and items
    /// (`protokoll bodies`).
    pub fn body_listing(&self) -> Result<BodyListing, IndexError> {
        let known = self.known_bodies()?;
        let searcher = self.searcher();
        let f = &self.fields;
        let mut bodies = Vec::with_capacity(known.len());
        for b in &known {
            let mut clauses = vec![
                (Occur::Must, basic(f.doc_kind, KIND_ITEM)),
                (Occur::Must, self.primary()),
                (Occur::Must, basic(f.body_key, &b.key)),
                (Occur::Must, basic(f.body_name, &b.name)),
            ];
            match &b.organization {
                Some(org) => clauses.push((Occur::Must, basic(f.organization, org))),
                // Without an organisation: not the items of the same body under one.
                None => {
                    for other in known.iter().filter(|o| o.key == b.key && o.name == b.name) {
                        if let Some(org) = &other.organization {
                            clauses.push((Occur::MustNot, basic(f.organization, org)));
                        }
                    }
                }
            }
            let items = searcher.search(&BooleanQuery::new(clauses), &Count)? as u64;
            bodies.push(BodyCounts { key: b.key.clone(), name: b.name.clone(), organization: b.organization.clone(), meetings: b.meetings, items });
        }
        let mut organizations: Vec<OrganizationCounts> = Vec::new();
        for b in &bodies {
            let Some(org) = &b.organization else { continue };
            match organizations.last_mut() {
                Some(last) if last.name == *org => {
                    last.bodies += 1;
                    last.meetings += b.meetings;
                    last.items += b.items;
                }
                _ => organizations.push(OrganizationCounts { name: org.clone(), bodies: 1, meetings: b.meetings, items: b.items }),
            }
        }
        let (meetings, items) = (bodies.iter().map(|b| b.meetings).sum(), bodies.iter().map(|b| b.items).sum());
        Ok(BodyListing { organizations, bodies, meetings, items })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).expect("valid date")
    }

    #[test]
    fn a_date_is_a_year_a_month_or_a_day() {
        let cases = [
            ("2022", Edge::First, d(2022, 1, 1)),
            ("2022", Edge::Last, d(2022, 12, 31)),
            ("2022-11", Edge::First, d(2022, 11, 1)),
            ("2022-11", Edge::Last, d(2022, 11, 30)),
            ("2022-12", Edge::Last, d(2022, 12, 31)),
            ("2022-02", Edge::Last, d(2022, 2, 28)),
            ("2024-02", Edge::Last, d(2024, 2, 29)),
            ("2000-02", Edge::Last, d(2000, 2, 29)),
            ("1900-02", Edge::Last, d(1900, 2, 28)),
            ("2022-2", Edge::First, d(2022, 2, 1)),
            ("2022-11-17", Edge::First, d(2022, 11, 17)),
            ("2022-11-17", Edge::Last, d(2022, 11, 17)),
            (" 2022-11-7 ", Edge::Last, d(2022, 11, 7)),
        ];
        for (text, edge, want) in cases {
            assert_eq!(parse_day(text, edge), Ok(want), "{text} {edge:?}");
        }
    }

    #[test]
    fn what_is_no_date_is_refused_naming_the_forms() {
        for text in ["22", "20222", "2022-13", "2022-02-30", "2022-11-17-1", "2022/11", "../etc", "", "-2022", "2022-", "17 november 2022", "２０２２"] {
            let err = parse_day(text, Edge::First).expect_err(text);
            assert_eq!(err, FilterError::BadDate(text.to_string()));
            let said = err.to_string();
            assert!(said.contains("inget datum") && said.contains("ÅÅÅÅ, ÅÅÅÅ-MM eller ÅÅÅÅ-MM-DD") && !said.contains('\n'), "{said}");
        }
    }

    #[test]
    fn a_range_runs_forwards() {
        assert_eq!(DateRange::parse(Some("2022"), Some("2022-02")), Ok(DateRange { from: Some(d(2022, 1, 1)), to: Some(d(2022, 2, 28)) }));
        assert_eq!(DateRange::parse(Some("2022-11"), None), Ok(DateRange { from: Some(d(2022, 11, 1)), to: None }));
        assert_eq!(DateRange::parse(None, None), Ok(DateRange::default()));
        // One month from both ends, and one day.
        assert_eq!(DateRange::parse(Some("2022-11"), Some("2022-11")), Ok(DateRange { from: Some(d(2022, 11, 1)), to: Some(d(2022, 11, 30)) }));
        assert!(DateRange::parse(Some("2022-11-17"), Some("2022-11-17")).is_ok());
        let err = DateRange::parse(Some("2023"), Some("2022")).expect_err("reversed");
        assert_eq!(err, FilterError::Reversed { from: d(2023, 1, 1), to: d(2022, 12, 31) });
        assert_eq!(err.to_string().lines().count(), 1);
        assert!(err.to_string().contains("ligger efter"), "{err}");
        // A bad end is said before the order is.
        assert_eq!(DateRange::parse(Some("2023"), Some("x")), Err(FilterError::BadDate("x".into())));
    }

    fn known() -> Vec<KnownBody> {
        let body =
            |key: &str, name: &str, org: Option<&str>| KnownBody { key: key.into(), name: name.into(), organization: org.map(str::to_string), meetings: 1 };
        vec![
            body("schnv-dalarna", "Socialchefs nätverket (SCHNV) i Dalarna", Some("Region Dalarna")),
            body("svom", "Sociala vård- och omsorgsgruppen (SVOM)", Some("Region Jämtland Härjedalen")),
            body("stromsund-socialnamnden", "Socialnämnden", Some("Strömsunds kommun")),
            body("stromsund-socialnamndens-arbetsutskott", "Socialnämndens arbetsutskott", Some("Strömsunds kommun")),
            body("ostersund-socialnamnden", "Socialnämnden", Some("Östersunds kommun")),
            body("kommunstyrelsens-arbetsutskott", "Kommunstyrelsens arbetsutskott", None),
            body("socsam", "Sociala samrådsgruppen (SocSam)", None),
        ]
    }

    fn keys(found: Result<Vec<&KnownBody>, FilterError>) -> Vec<String> {
        found.expect("known").into_iter().map(|b| b.key.clone()).collect()
    }

    #[test]
    fn a_body_is_found_by_its_name_its_key_or_the_start_of_its_words() {
        let known = known();
        // Exactly, case aside: the body named so and no other that begins the same.
        assert_eq!(keys(match_bodies(&known, "socialnämnden")), ["stromsund-socialnamnden", "ostersund-socialnamnden"]);
        assert_eq!(keys(match_bodies(&known, "SVOM")), ["svom"]);
        assert_eq!(keys(match_bodies(&known, "SocSam")), ["socsam"]);
        assert_eq!(keys(match_bodies(&known, "Stromsund-Socialnamnden")), ["stromsund-socialnamnden"]);
        // The start of a word.
        assert_eq!(keys(match_bodies(&known, "samråd")), ["socsam"]);
        assert_eq!(
            keys(match_bodies(&known, "social")),
            ["schnv-dalarna", "svom", "stromsund-socialnamnden", "stromsund-socialnamndens-arbetsutskott", "ostersund-socialnamnden", "socsam"]
        );
        // The organisation narrows, but does not name a body alone.
        assert_eq!(keys(match_bodies(&known, "Socialnämnden Östersund")), ["ostersund-socialnamnden"]);
        assert_eq!(keys(match_bodies(&known, "arbetsutskott strömsund")), ["stromsund-socialnamndens-arbetsutskott"]);
        // Letters folded only when nothing else matches: the key begins "stromsund".
        assert_eq!(keys(match_bodies(&known, "Strömsund")), ["stromsund-socialnamnden", "stromsund-socialnamndens-arbetsutskott"]);
        assert_eq!(keys(match_bodies(&known, "socialnamndens")), ["stromsund-socialnamndens-arbetsutskott"]);
    }

    #[test]
    fn an_unknown_body_lists_the_closest() {
        let known = known();
        let err = match_bodies(&known, "Socialnämden").expect_err("unknown");
        let FilterError::UnknownBody { closest, .. } = &err else { panic!("{err:?}") };
        assert_eq!(closest[..2], ["Socialnämnden (Strömsunds kommun)", "Socialnämnden (Östersunds kommun)"]);
        assert!(!closest.contains(&"Kommunstyrelsens arbetsutskott".to_string()), "only the near ones: {closest:?}");
        let said = err.to_string();
        assert!(said.starts_with("okänt organ \"Socialnämden\"; närmast: Socialnämnden (Strömsunds kommun), "), "{said}");
        assert_eq!(said.lines().count(), 1);
        let err = match_bodies(&known, "kommunstyrelse utskot").expect_err("unknown");
        let FilterError::UnknownBody { closest, .. } = &err else { panic!("{err:?}") };
        assert_eq!(closest[0], "Kommunstyrelsens arbetsutskott");
        // Nothing near: the nearest anyway, as many as are shown.
        let err = match_bodies(&known, "xyzzy").expect_err("unknown");
        let FilterError::UnknownBody { closest, .. } = &err else { panic!("{err:?}") };
        assert_eq!(closest.len(), MAX_SUGGESTIONS);
        // Nothing typed names nothing; an empty index has nothing to offer.
        assert!(match_bodies(&known, " - ").is_err());
        assert_eq!(match_bodies(&[], "x").expect_err("empty").to_string(), "okänt organ \"x\"; indexet har inga organ");
    }

    #[test]
    fn an_organisation_is_found_by_the_start_of_its_words() {
        let orgs: Vec<String> = ["Region Dalarna", "Region Jämtland Härjedalen", "Strömsunds kommun", "Östersunds kommun"].map(String::from).to_vec();
        let names = |typed: &str| -> Vec<String> { match_organizations(&orgs, typed).expect("known").into_iter().cloned().collect() };
        assert_eq!(names("strömsund"), ["Strömsunds kommun"]);
        assert_eq!(names("STRÖMSUND"), ["Strömsunds kommun"]);
        assert_eq!(names("Strömsunds kommun"), ["Strömsunds kommun"]);
        assert_eq!(names("kommun"), ["Strömsunds kommun", "Östersunds kommun"]);
        assert_eq!(names("region jämt"), ["Region Jämtland Härjedalen"]);
        assert_eq!(names("ostersund"), ["Östersunds kommun"]);
        let err = match_organizations(&orgs, "Strömsnd").expect_err("unknown");
        assert_eq!(err.to_string(), "okänd organisation \"Strömsnd\"; närmast: Strömsunds kommun");
    }

    #[test]
    fn distances_count_edits() {
        let c = |s: &str| s.chars().collect::<Vec<_>>();
        assert_eq!(edit_distance(&c("kitten"), &c("sitting")), 3);
        assert_eq!(edit_distance(&c(""), &c("abc")), 3);
        assert_eq!(edit_distance(&c("nämnd"), &c("nämnd")), 0);
        assert_eq!(distance("socialnamnd", "Socialnämnden", &words("Socialnämnden")), 0, "the start of a word, letters folded");
    }

    #[test]
    fn swedish_names_sort_as_in_swedish() {
        let mut names = vec!["Östersunds kommun", "Ålands kommun", "Ängelholms kommun", "Region Dalarna", "arjeplogs kommun", "Zinkgruvan"];
        names.sort_by_key(|n| swedish_order(n));
        assert_eq!(names, ["arjeplogs kommun", "Region Dalarna", "Zinkgruvan", "Ålands kommun", "Ängelholms kommun", "Östersunds kommun"]);
    }
}
