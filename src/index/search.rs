//! Search: Swedish queries over the agenda items.
//!
//! A query is words (all must match; when no item has them all, items with most of them
//! rank first, and function words like "av" or "om" then only add to the rank), "quoted
//! phrases", and -excluded words. Each word
//! matches, in order of weight: the title, the decision and the item text, by its stem;
//! a compound query word also matches its parts anywhere in the item
//! ("hemsjukvårdsavtalet" finds "samverkansavtalet om hemsjukvård"); person and body
//! names match unstemmed. A word of [`FUZZY_MIN_CHARS`] letters or more that the index
//! doesn't have is read as a typo: it is corrected to the words of the index one edit
//! away (a letter left out, added, changed, or two neighbours swapped), both as written
//! ("delegationsordnig" → "delegationsordning", a whole compound) and as stemmed
//! ("familjehm" → "familjehem"), and each correction is then searched as the word itself
//! would be, at [`FUZZY_BOOST`] of its weight. A word the index has is never corrected,
//! so a correction never competes with the word as written. A
//! diarienummer ("SN.2022.471") is matched exactly. Filters narrow by body and
//! organisation (as [`super::filters`] resolves what was typed against the index's
//! bodies: an unknown one is an error), dates, decisions, decision kind and person.
//! Results carry a snippet with the matched words in `<b>`, a citation
//! ([`crate::citation`]), and facet counts by body, organisation, year, decision kind
//! and document kind.

use std::collections::{BTreeMap, BTreeSet};
use std::ops::Bound;
use std::sync::LazyLock;

use chrono::NaiveDate;
use regex::Regex;
use serde::Serialize;
use tantivy::collector::{Count, FacetCollector, TopDocs};
use tantivy::query::{BooleanQuery, BoostQuery, FuzzyTermQuery, Occur, PhraseQuery, Query, RangeQuery, RegexQuery, TermQuery};
use tantivy::schema::{Field, IndexRecordOption, Value};
use tantivy::snippet::SnippetGenerator;
use tantivy::{TantivyDocument, Term};

use super::analyzer::{SwedishAnalyzers, is_function_word, tokens};
use super::filters::Scope;
use super::schema::{KIND_ITEM, KIND_MEETING, KIND_TEXT};
use super::{Archive, IndexError};
use crate::citation::{Citation, numbered_as_point};
use crate::model::{DecisionKind, MeetingKind, document_id};

/// Field weights: a match in the title counts most, then the decision, then the text.
pub const TITLE_BOOST: f32 = 3.0;
pub const DECISION_BOOST: f32 = 2.0;
pub const TEXT_BOOST: f32 = 1.0;
/// Names of people and bodies, matched unstemmed.
const NAME_BOOST: f32 = 0.5;
/// A compound's parts found apart count less than the compound itself.
const PARTS_BOOST: f32 = 0.6;
/// A correction of a misspelt word counts less than a word matched as written.
pub const FUZZY_BOOST: f32 = 0.3;
/// An exact diarienummer outweighs everything.
const DIARIENUMMER_BOOST: f32 = 10.0;

/// Words of this many letters or more tolerate one typo. A word of four letters or
/// fewer has too many real words one edit away ("hem": "hen", "den", "hel", "her") for a
/// correction to be a guess worth making. The same bound holds for a misspelt word's
/// stem, when that is what is corrected.
pub const FUZZY_MIN_CHARS: usize = 5;

/// Most corrections of one misspelt word, the most frequent first: a word with more
/// neighbours is ambiguous, and each correction adds clauses to the query.
pub const MAX_CORRECTIONS: usize = 8;

/// Weight of a match in text outside the items next to one in an item.
const OUTSIDE_ITEMS_WEIGHT: f32 = 0.5;

/// Most hits on a page, and the furthest offset: a page of a million hits is no page.
pub const MAX_LIMIT: usize = 10_000;

/// Longest query, in characters: a question or a pasted title fits; a pasted page does
/// not, and each word costs a lookup in the lexicon and a clause in the query.
pub const MAX_QUERY_CHARS: usize = 500;

/// Most words in a query (phrases counted word by word): each word expands into its
/// compound parts and its spellings, so the query's size grows with this.
pub const MAX_QUERY_WORDS: usize = 32;

/// Refuses a query too long to answer in a bounded time and memory, with a sentence that
/// says the bound. Every search and timeline passes through this.
pub fn check_query(query: &str) -> Result<(), String> {
    let chars = query.chars().count();
    if chars > MAX_QUERY_CHARS {
        return Err(format!("{chars} tecken är för många; högst {MAX_QUERY_CHARS} går"));
    }
    let words = query.split(|c: char| c.is_whitespace() || c == '"').filter(|w| w.chars().any(char::is_alphanumeric)).count();
    if words > MAX_QUERY_WORDS {
        return Err(format!("{words} ord är för många; högst {MAX_QUERY_WORDS} går"));
    }
    Ok(())
}

/// Longest snippet, in characters.
const SNIPPET_CHARS: usize = 220;

static DIARIENUMMER: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^(?:[A-Za-zÅÄÖåäö]{1,6}(?:-[A-Za-zÅÄÖåäö]{1,6})?\.)?\d{1,4}[./]\d{1,5}(?:[./]\d{1,5})?$").expect("valid regex"));

/// Filters and limits of a search.
#[derive(Debug, Clone)]
pub struct SearchOptions {
    pub limit: usize,
    /// A body's name or key ("SocSam", "stromsund-socialnamnden").
    pub body: Option<String>,
    pub organization: Option<String>,
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
    /// Only items that record a decision.
    pub decisions_only: bool,
    /// A person who attended, presented or is named.
    pub person: Option<String>,
    /// Only the words themselves (stemmed): no compound's parts found apart, no typos.
    /// For timelines, where an item that merely has "arbete" and "grupp" somewhere is
    /// not about an arbetsgrupp.
    pub exact: bool,
    /// Only agenda items, not the text outside them.
    pub items_only: bool,
    /// Only this document (its id, a prefix of it, or its file stem), copies included.
    pub document: Option<String>,
    /// Only documents of this kind.
    pub kind: Option<MeetingKind>,
    /// Only items whose decision is of this kind.
    pub decision_kind: Option<DecisionKind>,
    /// Hits skipped before the first shown, for paging.
    pub offset: usize,
}

impl Default for SearchOptions {
    fn default() -> Self {
        SearchOptions {
            limit: 10,
            body: None,
            organization: None,
            from: None,
            to: None,
            decisions_only: false,
            person: None,
            exact: false,
            items_only: false,
            document: None,
            kind: None,
            decision_kind: None,
            offset: 0,
        }
    }
}

/// One agenda item found.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Hit {
    /// The file stem (CONTRACT.md's `document`).
    pub document: String,
    /// The document's id in the index (`model::document_id`).
    pub document_id: String,
    /// The item's number; `None` for text outside the items (the front matter, an
    /// attachment, a document whose items were not found), found on `page`.
    pub item: Option<String>,
    pub title: String,
    pub date: Option<String>,
    pub body: String,
    /// The body's organisation, when the document names it.
    pub organization: Option<String>,
    pub score: f32,
    pub snippet: String,
    pub decision: Option<String>,
    pub decision_kind: Option<String>,
    pub diarienummer: Option<String>,
    pub page: u64,
    pub path: String,
    /// The source file's name.
    pub file: String,
    /// The hit as one line to cite (`crate::citation`): body, organisation, date, §,
    /// title, file and page.
    pub citation: String,
    /// The content hash of the document the hit is from.
    pub sha256: String,
    /// The snippet as plain text, and the byte ranges of its matched words: what
    /// `snippet` marks with `<b>`, for callers that render it themselves.
    #[serde(skip)]
    pub fragment: String,
    #[serde(skip)]
    pub highlighted: Vec<std::ops::Range<usize>>,
}

/// Counts of all matching items (one copy each) by body, year, decision kind and
/// document kind.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Facets {
    pub body: BTreeMap<String, u64>,
    pub organization: BTreeMap<String, u64>,
    pub year: BTreeMap<String, u64>,
    pub decision_kind: BTreeMap<String, u64>,
    pub document_kind: BTreeMap<String, u64>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SearchResults {
    pub query: String,
    /// Matching items and pages, one copy each.
    pub total: usize,
    /// Hits skipped before these.
    pub offset: usize,
    pub hits: Vec<Hit>,
    pub facets: Facets,
}

/// A piece of the query string.
#[derive(Debug, Clone, PartialEq)]
enum Clause {
    Word(String),
    Phrase(String),
    Not(String),
}

fn clauses(query: &str) -> Vec<Clause> {
    let mut out = Vec::new();
    let mut rest = query.trim();
    while !rest.is_empty() {
        if let Some(after) = rest.strip_prefix('"') {
            let (phrase, tail) = after.split_once('"').unwrap_or((after, ""));
            if !phrase.trim().is_empty() {
                out.push(Clause::Phrase(phrase.trim().to_string()));
            }
            rest = tail.trim_start();
            continue;
        }
        let end = rest.find(char::is_whitespace).unwrap_or(rest.len());
        let word = &rest[..end];
        rest = rest[end..].trim_start();
        match word.strip_prefix('-') {
            Some(w) if !w.is_empty() => out.push(Clause::Not(w.to_string())),
            _ => out.push(Clause::Word(word.to_string())),
        }
    }
    out
}

fn boosted(q: Box<dyn Query>, boost: f32) -> Box<dyn Query> {
    if (boost - 1.0).abs() < f32::EPSILON { q } else { Box::new(BoostQuery::new(q, boost)) }
}

fn term(field: Field, text: &str) -> Box<dyn Query> {
    Box::new(TermQuery::new(Term::from_field_text(field, text), IndexRecordOption::WithFreqsAndPositions))
}

fn any(queries: Vec<Box<dyn Query>>) -> Box<dyn Query> {
    Box::new(BooleanQuery::new(queries.into_iter().map(|q| (Occur::Should, q)).collect()))
}

fn all(queries: Vec<Box<dyn Query>>) -> Box<dyn Query> {
    Box::new(BooleanQuery::new(queries.into_iter().map(|q| (Occur::Must, q)).collect()))
}

/// A phrase (or single term) of analysed tokens in one field.
fn phrase(field: Field, words: &[String]) -> Option<Box<dyn Query>> {
    match words {
        [] => None,
        [one] => Some(term(field, one)),
        many => Some(Box::new(PhraseQuery::new(many.iter().map(|w| Term::from_field_text(field, w)).collect()))),
    }
}

struct QueryBuilder<'a> {
    archive: &'a Archive,
    analyzers: SwedishAnalyzers,
    /// The bodies and organisations the filters name.
    scope: Scope,
}

impl QueryBuilder<'_> {
    fn main_fields(&self) -> [(Field, f32); 3] {
        let f = &self.archive.fields;
        [(f.title, TITLE_BOOST), (f.decision, DECISION_BOOST), (f.text, TEXT_BOOST)]
    }

    /// Whether a stem stands in the title, decision or text of any document.
    fn known(&self, stem: &str) -> bool {
        let searcher = self.archive.searcher();
        self.main_fields().iter().any(|&(f, _)| searcher.doc_freq(&Term::from_field_text(f, stem)).is_ok_and(|n| n > 0))
    }

    /// A stem in the title, decision or text, weighted by field.
    fn stem_anywhere(&self, stem: &str) -> Box<dyn Query> {
        any(self.main_fields().iter().map(|&(f, b)| boosted(term(f, stem), b)).collect())
    }

    /// A stem, and when not `exact` the parts of its compound word (`lower`, as written)
    /// found apart, in the title, decision or text.
    fn stem_or_parts(&mut self, lower: &str, stem: &str, exact: bool) -> Vec<Box<dyn Query>> {
        let mut alternatives = vec![self.stem_anywhere(stem)];
        // A compound query word: its parts anywhere in the item.
        if let Some(parts) = self.archive.lexicon.parts(lower).filter(|_| !exact) {
            let part_stems: Vec<String> = parts.iter().filter_map(|p| tokens(&mut self.analyzers.query, p).into_iter().next()).collect();
            let part_queries: Vec<Box<dyn Query>> = part_stems.iter().map(|s| self.stem_anywhere(s)).collect();
            if part_queries.len() >= 2 {
                alternatives.push(boosted(all(part_queries), PARTS_BOOST));
            }
        }
        alternatives
    }

    /// The terms of `field` one edit from `text` (a transposition counting as one), in
    /// every segment; `text` itself is among them when the field has it.
    fn neighbours(&self, field: Field, text: &str) -> BTreeSet<String> {
        let mut out = BTreeSet::new();
        let Ok(automaton) = FuzzyTermQuery::new(Term::from_field_text(field, text), 1, true).automaton() else { return out };
        for segment in self.archive.searcher().segment_readers() {
            let Ok(inverted) = segment.inverted_index(field) else { continue };
            let Ok(mut stream) = inverted.terms().search(&automaton).into_stream() else { continue };
            while stream.advance() {
                if let Ok(term) = std::str::from_utf8(stream.key()) {
                    out.insert(term.to_string());
                }
            }
        }
        out
    }

    /// What a misspelt word may have meant: the words of the index one edit from it as
    /// written, each with its stem, and the stems of the index one edit from its stem;
    /// at most [`MAX_CORRECTIONS`], the most frequent first, one per stem. Empty for a
    /// word shorter than [`FUZZY_MIN_CHARS`] letters, and a stem that short is not
    /// corrected.
    fn corrections(&mut self, word: &str, stem: &str) -> Vec<(Option<String>, String)> {
        let mut found: BTreeMap<String, Option<String>> = BTreeMap::new();
        if let [surface] = tokens(&mut self.analyzers.surface, word).as_slice()
            && surface.chars().count() >= FUZZY_MIN_CHARS
        {
            for written in self.neighbours(self.archive.fields.words, surface) {
                if let [corrected] = tokens(&mut self.analyzers.query, &written).as_slice() {
                    found.entry(corrected.clone()).or_insert(Some(written));
                }
            }
            if stem.chars().count() >= FUZZY_MIN_CHARS {
                for (field, _) in self.main_fields() {
                    for corrected in self.neighbours(field, stem) {
                        found.entry(corrected).or_insert(None);
                    }
                }
            }
        }
        let searcher = self.archive.searcher();
        let frequency = |stem: &str| -> u64 { self.main_fields().iter().map(|&(f, _)| searcher.doc_freq(&Term::from_field_text(f, stem)).unwrap_or(0)).sum() };
        let mut ranked: Vec<(u64, Option<String>, String)> = found.into_iter().map(|(stem, written)| (frequency(&stem), written, stem)).collect();
        ranked.retain(|(n, _, _)| *n > 0);
        ranked.sort_by(|a, b| b.0.cmp(&a.0).then_with(|| a.2.cmp(&b.2)));
        ranked.into_iter().take(MAX_CORRECTIONS).map(|(_, written, stem)| (written, stem)).collect()
    }

    fn word(&mut self, word: &str, exact: bool) -> Option<Box<dyn Query>> {
        let f = self.archive.fields;
        let lower = word.to_lowercase();
        let mut alternatives: Vec<Box<dyn Query>> = Vec::new();
        if DIARIENUMMER.is_match(word) {
            alternatives.push(boosted(term(f.diarienummer, &lower), DIARIENUMMER_BOOST));
        }
        let stems = tokens(&mut self.analyzers.query, word);
        match stems.as_slice() {
            [] => {}
            [stem] => {
                alternatives.extend(self.stem_or_parts(&lower, stem, exact));
                // A word the index has is taken as written: a word it doesn't have is
                // read as a typo, and searched as each of its corrections would be.
                if !exact && !self.known(stem) {
                    for (written, corrected) in self.corrections(word, stem) {
                        let as_written = written.as_deref().unwrap_or(&corrected);
                        alternatives.extend(self.stem_or_parts(as_written, &corrected, exact).into_iter().map(|q| boosted(q, FUZZY_BOOST)));
                    }
                }
            }
            // "SN.2022.471" and other words the tokenizer breaks up: a phrase.
            several => {
                for (field, b) in self.main_fields() {
                    if let Some(q) = phrase(field, several) {
                        alternatives.push(boosted(q, b));
                    }
                }
            }
        }
        let names = tokens(&mut self.analyzers.names, word);
        for field in [f.people, f.body_text] {
            if let Some(q) = phrase(field, &names) {
                alternatives.push(boosted(q, NAME_BOOST));
            }
        }
        (!alternatives.is_empty()).then(|| any(alternatives))
    }

    fn phrase(&mut self, text: &str, exact: bool) -> Option<Box<dyn Query>> {
        let stems = tokens(&mut self.analyzers.query, text);
        if stems.len() <= 1 {
            return self.word(text, exact);
        }
        let mut alternatives: Vec<Box<dyn Query>> = Vec::new();
        for (field, b) in self.main_fields() {
            if let Some(q) = phrase(field, &stems) {
                alternatives.push(boosted(q, b));
            }
        }
        let names = tokens(&mut self.analyzers.names, text);
        if let Some(q) = phrase(self.archive.fields.people, &names) {
            alternatives.push(boosted(q, NAME_BOOST));
        }
        Some(any(alternatives))
    }

    fn filters(&mut self, opts: &SearchOptions) -> Vec<Box<dyn Query>> {
        let f = self.archive.fields;
        let kind = |k: &str| -> Box<dyn Query> { Box::new(TermQuery::new(Term::from_field_text(f.doc_kind, k), IndexRecordOption::Basic)) };
        let mut out: Vec<Box<dyn Query>> =
            vec![if opts.decisions_only || opts.items_only { kind(KIND_ITEM) } else { any(vec![kind(KIND_ITEM), kind(KIND_TEXT)]) }];
        let exactly = |field, text: &str| -> Box<dyn Query> { Box::new(TermQuery::new(Term::from_field_text(field, text), IndexRecordOption::Basic)) };
        if let Some(bodies) = &self.scope.bodies {
            out.push(any(bodies.iter().map(|(key, name)| all(vec![exactly(f.body_key, key), exactly(f.body_name, name)])).collect()));
        }
        if let Some(orgs) = &self.scope.organizations {
            out.push(any(orgs.iter().map(|org| exactly(f.organization, org)).collect()));
        }
        if opts.from.is_some() || opts.to.is_some() {
            let day = |d: NaiveDate| Term::from_field_u64(f.date, crate::model::date_number(d));
            let lower = opts.from.map_or(Bound::Unbounded, |d| Bound::Included(day(d)));
            let upper = opts.to.map_or(Bound::Unbounded, |d| Bound::Included(day(d)));
            out.push(Box::new(RangeQuery::new(lower, upper)));
        }
        match &opts.document {
            // One document: its own text, whether or not it is the copy that stands for
            // its meeting.
            Some(document) => {
                let mut alts: Vec<Box<dyn Query>> = vec![Box::new(TermQuery::new(Term::from_field_text(f.document, document), IndexRecordOption::Basic))];
                let lower = document.to_ascii_lowercase();
                if lower.len() >= crate::model::MIN_ID_PREFIX
                    && lower.len() <= 64
                    && lower.chars().all(|c| c.is_ascii_hexdigit())
                    && let Ok(q) = RegexQuery::from_pattern(&format!("{lower}.*"), f.sha256)
                {
                    alts.push(Box::new(q));
                }
                out.push(any(alts));
            }
            None => out.push(Box::new(TermQuery::new(Term::from_field_u64(f.primary, 1), IndexRecordOption::Basic))),
        }
        if let Some(kind) = opts.kind {
            out.push(Box::new(TermQuery::new(Term::from_field_text(f.meeting_kind, kind.as_str()), IndexRecordOption::Basic)));
        }
        if let Some(kind) = opts.decision_kind {
            out.push(Box::new(TermQuery::new(Term::from_field_text(f.decision_kind, kind.as_str()), IndexRecordOption::Basic)));
        }
        if opts.decisions_only {
            out.push(Box::new(TermQuery::new(Term::from_field_u64(f.has_decision, 1), IndexRecordOption::Basic)));
        }
        if let Some(person) = &opts.person {
            let names = tokens(&mut self.analyzers.names, person);
            let stems = tokens(&mut self.analyzers.query, person);
            let mut alts: Vec<Box<dyn Query>> = Vec::new();
            alts.extend(phrase(f.people, &names));
            alts.extend(phrase(f.text, &stems));
            out.push(any(alts));
        }
        out
    }
}

/// Text as HTML: the five characters that could open markup escaped, as tantivy's
/// snippets escape theirs.
fn escape_html(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#x27;"),
            c => out.push(c),
        }
    }
    out
}

fn stored_str(doc: &TantivyDocument, field: Field) -> Option<String> {
    doc.get_first(field).and_then(|v| v.as_str()).map(str::to_string)
}

/// The heading of a stored item, as printed (empty for text outside the items): what
/// tells a paragraph from a point of numbered minutes.
fn stored_heading(doc: &TantivyDocument, item_json: Field) -> String {
    #[derive(serde::Deserialize)]
    struct Heading {
        #[serde(default)]
        heading: String,
    }
    doc.get_first(item_json).and_then(|v| v.as_str()).and_then(|json| serde_json::from_str::<Heading>(json).ok()).map(|h| h.heading).unwrap_or_default()
}

fn facet_counts(counts: &tantivy::collector::FacetCounts, root: &str) -> BTreeMap<String, u64> {
    counts.get(root).map(|(facet, n)| (facet.to_path().last().map(|s| s.to_string()).unwrap_or_default(), n)).collect()
}

impl Archive {
    /// Builds the tantivy query for a query string and filters; `None` when the query
    /// has nothing to search for. `all_words`: every word and phrase must match; else
    /// at least one must, and more matches rank higher.
    /// A body or organisation that names nothing the index holds is an error
    /// ([`IndexError::Filter`]).
    pub fn query(&self, query: &str, opts: &SearchOptions, all_words: bool) -> Result<Option<Box<dyn Query>>, IndexError> {
        let mut b = QueryBuilder { archive: self, analyzers: self.analyzers.clone(), scope: self.scope(opts)? };
        let mut positive: Vec<Box<dyn Query>> = Vec::new();
        // When not every word must match: function words ("av", "om") only add to the
        // rank; an item is not a match for sharing "av" with the query.
        let mut optional: Vec<Box<dyn Query>> = Vec::new();
        let mut parts: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        for clause in clauses(query) {
            match clause {
                Clause::Word(w) if !all_words && is_function_word(&mut b.analyzers, &w) => optional.extend(b.word(&w, opts.exact)),
                Clause::Word(w) => positive.extend(b.word(&w, opts.exact)),
                Clause::Phrase(p) => positive.extend(b.phrase(&p, opts.exact)),
                Clause::Not(w) => {
                    if let Some(q) = b.word(&w, opts.exact) {
                        parts.push((Occur::MustNot, q));
                    }
                }
            }
        }
        let filters = b.filters(opts);
        // Filters alone (an empty query with --body, say) list what they select.
        let filtered = opts.body.is_some()
            || opts.organization.is_some()
            || opts.person.is_some()
            || opts.from.is_some()
            || opts.to.is_some()
            || opts.document.is_some()
            || opts.kind.is_some()
            || opts.decision_kind.is_some()
            || opts.decisions_only;
        if positive.is_empty() {
            // Only function words: they are what is asked for.
            positive = std::mem::take(&mut optional);
        }
        if positive.is_empty() && !filtered {
            return Ok(None);
        }
        if all_words {
            parts.extend(positive.into_iter().map(|q| (Occur::Must, q)));
        } else if !positive.is_empty() {
            parts.push((Occur::Must, any(positive)));
            parts.extend(optional.into_iter().map(|q| (Occur::Should, q)));
        }
        parts.extend(filters.into_iter().map(|q| (Occur::Must, q)));
        Ok(Some(Box::new(BooleanQuery::new(parts))))
    }

    /// Searches the items: all words must match; when no item has them all (a question
    /// in plain words, say), items with most of them.
    pub fn search(&self, query: &str, opts: &SearchOptions) -> Result<SearchResults, IndexError> {
        check_query(query).map_err(IndexError::Query)?;
        let results = self.search_with(query, opts, true)?;
        if results.total > 0 || clauses(query).iter().filter(|c| !matches!(c, Clause::Not(_))).count() < 2 {
            return Ok(results);
        }
        self.search_with(query, opts, false)
    }

    /// Searches with every word required (`all_words`) or at least one.
    pub fn search_with(&self, query: &str, opts: &SearchOptions, all_words: bool) -> Result<SearchResults, IndexError> {
        let empty = SearchResults { query: query.to_string(), total: 0, offset: opts.offset, hits: Vec::new(), facets: Facets::default() };
        let Some(q) = self.query(query, opts, all_words)? else { return Ok(empty) };
        let searcher = self.searcher();
        let mut facets = FacetCollector::for_field("facets");
        for root in ["/body", "/org", "/year", "/kind", "/type"] {
            facets.add_facet(root);
        }
        let limit = opts.limit.clamp(1, MAX_LIMIT);
        let offset = opts.offset.min(MAX_LIMIT);
        // Text outside the items counts less than an item that matches as well.
        let ranked = TopDocs::with_limit(limit).and_offset(offset).tweak_score(move |segment: &tantivy::SegmentReader| {
            let in_item = segment.fast_fields().u64("in_item").ok().map(|c| c.first_or_default_col(1));
            move |doc: tantivy::DocId, score: tantivy::Score| match &in_item {
                Some(col) if col.get_val(doc) == 0 => score * OUTSIDE_ITEMS_WEIGHT,
                _ => score,
            }
        });
        let (top, total, counts) = searcher.search(&q, &(ranked, Count, facets))?;
        let f = &self.fields;
        let mut text_snippets = SnippetGenerator::create(&searcher, &*q, f.text)?;
        text_snippets.set_max_num_chars(SNIPPET_CHARS);
        let mut decision_snippets = SnippetGenerator::create(&searcher, &*q, f.decision)?;
        decision_snippets.set_max_num_chars(SNIPPET_CHARS);
        let mut hits = Vec::with_capacity(top.len());
        for (score, addr) in top {
            let doc: TantivyDocument = self.document(&searcher, addr)?;
            let mut snippet = text_snippets.snippet_from_doc(&doc);
            if snippet.is_empty() {
                snippet = decision_snippets.snippet_from_doc(&doc);
            }
            let (snippet_html, fragment, highlighted) = if snippet.fragment().is_empty() {
                let text: String = stored_str(&doc, f.text).unwrap_or_default().chars().take(SNIPPET_CHARS).collect();
                (escape_html(&text), text, Vec::new())
            } else {
                (snippet.to_html(), snippet.fragment().to_string(), snippet.highlighted().to_vec())
            };
            let sha256 = stored_str(&doc, f.sha256).unwrap_or_default();
            let (item, title, date) = (stored_str(&doc, f.item), stored_str(&doc, f.title).unwrap_or_default(), stored_str(&doc, f.date_text));
            let (body, organization) = (stored_str(&doc, f.body_name).unwrap_or_default(), stored_str(&doc, f.organization));
            let (page, path) = (doc.get_first(f.page).and_then(|v| v.as_u64()).unwrap_or(0), stored_str(&doc, f.path).unwrap_or_default());
            let citation = Citation {
                body: &body,
                organization: organization.as_deref(),
                date: date.as_deref().and_then(|d| d.parse().ok()),
                number: item.as_deref(),
                point: item.as_deref().is_some_and(|n| numbered_as_point(&stored_heading(&doc, f.item_json), n)),
                title: &title,
                path: &path,
                page: u32::try_from(page).unwrap_or(0),
            };
            let (file, citation) = (citation.file().to_string(), citation.to_string());
            hits.push(Hit {
                document: stored_str(&doc, f.document).unwrap_or_default(),
                document_id: document_id(&sha256),
                item,
                title,
                date,
                body,
                organization,
                score,
                snippet: snippet_html.split_whitespace().collect::<Vec<_>>().join(" "),
                decision: stored_str(&doc, f.decision),
                decision_kind: stored_str(&doc, f.decision_kind),
                diarienummer: stored_str(&doc, f.diarienummer),
                page,
                path,
                file,
                citation,
                sha256,
                fragment,
                highlighted,
            });
        }
        let facets = Facets {
            body: facet_counts(&counts, "/body"),
            organization: facet_counts(&counts, "/org"),
            year: facet_counts(&counts, "/year"),
            decision_kind: facet_counts(&counts, "/kind"),
            document_kind: facet_counts(&counts, "/type"),
        };
        Ok(SearchResults { query: query.to_string(), total, offset, hits, facets })
    }

    /// Every item matching a query and filters, one copy each, in no particular order:
    /// the item as stored (without its text) with its meeting's date, body and source.
    /// No snippets are made. For timelines, which need every match, not a page of them.
    pub fn matching_items(&self, query: &str, opts: &SearchOptions, all_words: bool) -> Result<Vec<ItemHit>, IndexError> {
        let opts = SearchOptions { items_only: true, ..opts.clone() };
        let Some(q) = self.query(query, &opts, all_words)? else { return Ok(Vec::new()) };
        self.item_hits(&q)
    }

    /// The items numbered `number` (§) of the meetings held on `date`, one copy each.
    pub fn items_numbered_on(&self, date: NaiveDate, number: &str) -> Result<Vec<ItemHit>, IndexError> {
        let f = &self.fields;
        let term = |field, text: &str| -> Box<dyn Query> { Box::new(TermQuery::new(Term::from_field_text(field, text), IndexRecordOption::Basic)) };
        let q = BooleanQuery::new(vec![
            (Occur::Must, term(f.doc_kind, KIND_ITEM)),
            (Occur::Must, term(f.item, number)),
            (Occur::Must, Box::new(TermQuery::new(Term::from_field_u64(f.date, crate::model::date_number(date)), IndexRecordOption::Basic))),
            (Occur::Must, Box::new(TermQuery::new(Term::from_field_u64(f.primary, 1), IndexRecordOption::Basic))),
        ]);
        self.item_hits(&q)
    }

    /// The items whose diarienummer has this case number (its first word, as
    /// "SN.2022.471" of "SN.2022.471 704"), one copy each.
    pub fn items_with_case(&self, case: &str) -> Result<Vec<ItemHit>, IndexError> {
        let f = &self.fields;
        let q = BooleanQuery::new(vec![
            (Occur::Must, term(f.doc_kind, KIND_ITEM)),
            (Occur::Must, term(f.diarienummer, &case.to_lowercase())),
            (Occur::Must, Box::new(TermQuery::new(Term::from_field_u64(f.primary, 1), IndexRecordOption::Basic))),
        ]);
        self.item_hits(&q)
    }

    /// The items that cite a decision taken on `date`, one copy each.
    pub fn items_citing(&self, date: NaiveDate) -> Result<Vec<ItemHit>, IndexError> {
        let f = &self.fields;
        let q = BooleanQuery::new(vec![
            (Occur::Must, term(f.doc_kind, KIND_ITEM)),
            (Occur::Must, Box::new(TermQuery::new(Term::from_field_u64(f.cites, crate::model::date_number(date)), IndexRecordOption::Basic))),
            (Occur::Must, Box::new(TermQuery::new(Term::from_field_u64(f.primary, 1), IndexRecordOption::Basic))),
        ]);
        self.item_hits(&q)
    }

    /// The bodies of the index with their number of meetings (copies folded), by name.
    pub fn bodies(&self) -> Result<Vec<BodyCount>, IndexError> {
        let counts = self.organ_counts(&self.searcher(), None)?;
        let mut out: Vec<BodyCount> = counts.into_iter().map(|((key, name), meetings)| BodyCount { key, name, meetings }).collect();
        out.sort_by(|a, b| (a.name.to_lowercase(), &a.key).cmp(&(b.name.to_lowercase(), &b.key)));
        Ok(out)
    }

    /// The meetings of a body (by its key), one copy each, in date order.
    pub fn meetings_of_body(&self, key: &str) -> Result<Vec<super::StoredMeeting>, IndexError> {
        let f = &self.fields;
        let q: Box<dyn Query> = Box::new(BooleanQuery::new(vec![
            (Occur::Must, term(f.body_key, key)),
            (Occur::Must, Box::new(TermQuery::new(Term::from_field_u64(f.primary, 1), IndexRecordOption::Basic))),
        ]));
        self.stored_where(Some(q))
    }

    /// The meetings where a person is named among the participants or officers, one copy
    /// each, in date order; at most `limit`, the latest.
    pub fn meetings_with_person(&self, name: &str, limit: usize) -> Result<Vec<super::StoredMeeting>, IndexError> {
        let f = &self.fields;
        let mut analyzers = self.analyzers.clone();
        let names = tokens(&mut analyzers.names, name);
        let Some(person) = phrase(f.people, &names) else { return Ok(Vec::new()) };
        let q = BooleanQuery::new(vec![
            (Occur::Must, term(f.doc_kind, KIND_MEETING)),
            (Occur::Must, person),
            (Occur::Must, Box::new(TermQuery::new(Term::from_field_u64(f.primary, 1), IndexRecordOption::Basic))),
        ]);
        // The latest first by date, from the fast column, before any meeting is read.
        let searcher = self.searcher();
        let latest = TopDocs::with_limit(limit.max(1)).order_by_fast_field::<u64>("date", tantivy::Order::Desc);
        let addrs: Vec<tantivy::DocAddress> = searcher.search(&q, &latest)?.into_iter().map(|(_, a)| a).collect();
        let mut out = self.stored_at(&searcher, &addrs)?;
        out.sort_by(|a, b| (a.meeting.date, &a.meeting.id).cmp(&(b.meeting.date, &b.meeting.id)));
        Ok(out)
    }

    /// Byte ranges of `text` where a word of `query` stands, as search matches it (by
    /// stem, compounds by their parts), merged and in order. For highlighting.
    pub fn highlights(&self, query: &str, text: &str) -> Vec<std::ops::Range<usize>> {
        let mut analyzers = self.analyzers.clone();
        let mut wanted: std::collections::HashSet<String> = std::collections::HashSet::new();
        for clause in clauses(query) {
            match clause {
                Clause::Word(w) | Clause::Phrase(w) => wanted.extend(tokens(&mut analyzers.query, &w)),
                Clause::Not(_) => {}
            }
        }
        if wanted.is_empty() {
            return Vec::new();
        }
        let mut ranges: Vec<std::ops::Range<usize>> = Vec::new();
        let mut stream = analyzers.index.token_stream(text);
        while stream.advance() {
            let t = stream.token();
            if wanted.contains(&t.text) && t.offset_from < t.offset_to && text.is_char_boundary(t.offset_from) && text.is_char_boundary(t.offset_to) {
                ranges.push(t.offset_from..t.offset_to);
            }
        }
        ranges.sort_by_key(|r| (r.start, std::cmp::Reverse(r.end)));
        let mut merged: Vec<std::ops::Range<usize>> = Vec::new();
        for r in ranges {
            match merged.last_mut() {
                Some(last) if r.start <= last.end => last.end = last.end.max(r.end),
                _ => merged.push(r),
            }
        }
        merged
    }

    /// The full text of one item of a document (by its content hash).
    pub fn item_text(&self, sha256: &str, number: &str) -> Result<Option<String>, IndexError> {
        let f = &self.fields;
        let q = BooleanQuery::new(vec![(Occur::Must, term(f.doc_kind, KIND_ITEM)), (Occur::Must, term(f.sha256, sha256)), (Occur::Must, term(f.item, number))]);
        let searcher = self.searcher();
        let Some(addr) = searcher.search(&q, &tantivy::collector::DocSetCollector)?.into_iter().next() else { return Ok(None) };
        let doc: TantivyDocument = self.document(&searcher, addr)?;
        Ok(stored_str(&doc, f.text))
    }

    /// The items a query selects, from the store, in index order. The store is read in
    /// parallel, in runs of neighbouring documents, so that each block of the store is
    /// mostly decompressed once.
    fn item_hits(&self, q: &dyn Query) -> Result<Vec<ItemHit>, IndexError> {
        use rayon::prelude::*;
        let searcher = self.searcher();
        let mut addrs: Vec<tantivy::DocAddress> = searcher.search(q, &tantivy::collector::DocSetCollector)?.into_iter().collect();
        addrs.sort();
        let f = &self.fields;
        let read = |addr: &tantivy::DocAddress| -> Result<Option<ItemHit>, IndexError> {
            let doc: TantivyDocument = self.document(&searcher, *addr)?;
            let Some(json) = stored_str(&doc, f.item_json) else { return Ok(None) };
            let item: crate::model::Item = serde_json::from_str(&json)?;
            Ok(Some(ItemHit {
                item,
                document: stored_str(&doc, f.document).unwrap_or_default(),
                sha256: stored_str(&doc, f.sha256).unwrap_or_default(),
                date: stored_str(&doc, f.date_text).and_then(|d| d.parse().ok()),
                body: crate::model::Body { name: stored_str(&doc, f.body_name).unwrap_or_default(), key: stored_str(&doc, f.body_key).unwrap_or_default() },
                organization: stored_str(&doc, f.organization),
                path: stored_str(&doc, f.path).unwrap_or_default(),
            }))
        };
        let runs: Vec<Vec<Option<ItemHit>>> =
            addrs.par_chunks(ITEM_READ_RUN).map(|run| run.iter().map(read).collect::<Result<Vec<_>, _>>()).collect::<Result<_, _>>()?;
        Ok(runs.into_iter().flatten().flatten().collect())
    }
}

/// Items read from the store by one thread at a time.
const ITEM_READ_RUN: usize = 256;

/// A body of the index and its number of meetings.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BodyCount {
    pub key: String,
    pub name: String,
    pub meetings: u64,
}

/// An item found by [`Archive::matching_items`].
#[derive(Debug, Clone)]
pub struct ItemHit {
    /// The item, without its text.
    pub item: crate::model::Item,
    pub document: String,
    pub sha256: String,
    pub date: Option<NaiveDate>,
    pub body: crate::model::Body,
    pub organization: Option<String>,
    pub path: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn query_strings_split_into_words_phrases_and_exclusions() {
        assert_eq!(
            clauses(r#"familjehem "Centrum mot våld" -Östersund"#),
            vec![Clause::Word("familjehem".into()), Clause::Phrase("Centrum mot våld".into()), Clause::Not("Östersund".into())]
        );
        assert_eq!(clauses("  "), vec![]);
    }

    /// An index of one protocol of Socialnämnden with these items (title, text), over a
    /// small lexicon.
    fn archive(dir: &std::path::Path, items: &[(&str, &str)]) -> Archive {
        let docs = dir.join("docs");
        std::fs::create_dir_all(&docs).expect("mkdir");
        let mut text = String::from("Socialnämnden\nProtokoll 2023-05-02\n");
        for (n, (title, body)) in items.iter().enumerate() {
            text.push_str(&format!("§ {} {title}\n{body}\n", n + 1));
        }
        std::fs::write(docs.join("protokoll.txt"), text).expect("write");
        let lexicon = crate::index::lexicon::Lexicon::from_words(["familjehem", "centrum", "delegation", "ordning", "avtal"], "test");
        let index = dir.join("index");
        let (mut store, _) = crate::index::store::Store::open(&index, lexicon).expect("index");
        let cancel = std::sync::atomic::AtomicBool::new(false);
        crate::ingest::ingest(&mut store, &[docs], &crate::ingest::Settings::new(&cancel), &crate::ingest::Silent).expect("ingest");
        store.finish().expect("finish");
        Archive::open(&index).expect("open")
    }

    fn items(archive: &Archive, query: &str, opts: &SearchOptions) -> Vec<String> {
        archive.search(query, opts).expect("search").hits.into_iter().filter_map(|h| h.item).collect()
    }

    const ITEMS: [(&str, &str); 4] = [
        ("Delegationsordning", "Nämnden antar en ny delegationsordning."),
        ("Familjehemscentrum", "Rekrytering av familjehem."),
        ("Avtal", "Avtal med kommunen om kurator."),
        ("Lokaler", "Kuratur saknas i lokalen."),
    ];

    #[test]
    fn a_typo_is_corrected_as_written_and_as_stemmed() {
        let dir = tempfile::tempdir().expect("tempdir");
        let archive = archive(dir.path(), &ITEMS);
        let opts = SearchOptions::default();
        // Stemmed three edits apart (Snowball takes "-ig" for a suffix): only the word as
        // written is one edit away.
        let mut analyzers = archive.analyzers.clone();
        assert_eq!(tokens(&mut analyzers.query, "delegationsordnig"), ["delegationsordn"]);
        assert_eq!(tokens(&mut analyzers.query, "delegationsordning"), ["delegationsordning"]);
        assert_eq!(items(&archive, "delegationsordnig", &opts), ["1"]);
        // A letter left out, two swapped, one changed, one added.
        assert_eq!(items(&archive, "familjehm", &opts), ["2"]);
        assert_eq!(items(&archive, "famijlehemscentrum", &opts), ["2"]);
        assert_eq!(items(&archive, "rekrytexing", &opts), ["2"]);
        assert_eq!(items(&archive, "delegationsordninng", &opts), ["1"]);
        // A typo in one word of several.
        assert_eq!(items(&archive, "ny delegationsordnig", &opts), ["1"]);
    }

    #[test]
    fn short_words_known_words_and_exact_searches_are_taken_as_written() {
        let dir = tempfile::tempdir().expect("tempdir");
        let archive = archive(dir.path(), &ITEMS);
        let opts = SearchOptions::default();
        // Four letters: no correction; five: one.
        assert!(items(&archive, "avtl", &opts).is_empty());
        assert_eq!(items(&archive, "avtla", &opts), ["3"]);
        // "kurator" stands in item 3; "kuratur" (item 4) is one edit away but not sought.
        assert_eq!(items(&archive, "kurator", &opts), ["3"]);
        assert_eq!(items(&archive, "kuratur", &opts), ["4"]);
        let exact = SearchOptions { exact: true, ..SearchOptions::default() };
        assert!(items(&archive, "delegationsordnig", &exact).is_empty());
        assert!(items(&archive, "familjehm", &exact).is_empty());
    }

    #[test]
    fn a_word_as_written_outranks_a_correction() {
        let dir = tempfile::tempdir().expect("tempdir");
        let archive = archive(dir.path(), &ITEMS);
        // No item has both words: the one with "familjehem" as written comes first.
        assert_eq!(items(&archive, "familjehem avtla", &SearchOptions::default()), ["2", "3"]);
        assert_eq!(items(&archive, "familjehm avtal", &SearchOptions::default()), ["3", "2"]);
    }

    #[test]
    fn diarienummer_shapes() {
        for dnr in ["SN.2022.471", "2016/123", "31/16", "ÄO-VSF.2022.29"] {
            assert!(DIARIENUMMER.is_match(dnr), "{dnr}");
        }
        assert!(!DIARIENUMMER.is_match("familjehem"));
    }
}
