//! Timelines: the last stage. Follows a topic across bodies and years: which items decided
//! on it, when, where, and what the protocols say earlier decisions were.
//!
//! The items come from an exact search for the topic (as a phrase when it has several
//! words and the phrase is found; inflections and compounds count, a compound's parts
//! apart and typos do not). An item with a decision is an event; an item without one
//! counts only when the topic is its subject (its title), not a passing mention. A
//! decision an event item cites ("Vid SVOM:s sammanträde den 7 oktober 2022 beslutade
//! SVOM …") is an event of its own, marked `via_reference` and pointing to the citing
//! item, when the item is about the topic or the citing sentence names it; if the cited
//! protocol is in the index, its item (the cited §, or the one on the topic) is the event
//! instead. No decision is shown twice.
//! Events are grouped into matters: the same diarienummer, titles that share a distinctive
//! word (Avtal Familjehemscentrum → Resurser Familjehemscentrum), or a citation.
//! Each event carries its citation ([`crate::citation`]): a cited decision's names the
//! citing item, its file and page.

use std::collections::{HashMap, HashSet};

use chrono::{Datelike, NaiveDate};
use serde::Serialize;

use crate::citation::{Citation, numbered_as_point};
use crate::index::analyzer::tokens;
use crate::index::search::{ItemHit, SearchOptions};
use crate::index::{Archive, IndexError};
use crate::model::DecisionKind;
use crate::model::slug;

/// Title words this long are distinctive enough to tie two items to one matter.
const DISTINCTIVE_WORD_CHARS: usize = 9;

/// Two citations of one meeting's decisions cite the same decision when this share of
/// their words is common (Jaccard).
const SAME_CITATION_OVERLAP: f32 = 0.5;

/// A cited meeting's item is the one a citation means, when its number disagrees, if
/// this share of their words is common (Jaccard).
pub const CITED_ITEM_OVERLAP: f32 = 0.3;

/// Jaccard overlap of the words (of three letters or more) of two texts.
pub fn word_overlap(a: &str, b: &str) -> f32 {
    let words = |s: &str| -> std::collections::HashSet<String> {
        s.split(|c: char| !c.is_alphanumeric()).filter(|w| w.chars().count() >= 3).map(str::to_lowercase).collect()
    };
    let (a, b) = (words(a), words(b));
    let union = a.union(&b).count();
    if union == 0 { 1.0 } else { a.intersection(&b).count() as f32 / union as f32 }
}

/// One event of a timeline.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Event {
    pub date: Option<NaiveDate>,
    /// The document the event is in, or for a cited decision, the citing document.
    pub document: String,
    /// That document's id in the index (`model::document_id`).
    pub document_id: String,
    /// Its content hash.
    #[serde(skip)]
    pub sha256: String,
    pub item: String,
    /// The body as the protocol names it ("SocSam" in a citation).
    pub body: String,
    /// The body's organisation: the meeting's; for a cited decision, the citing
    /// meeting's when the citation names its own body, else that of the body of the
    /// index it names, when one organisation has a body of that name.
    pub organization: Option<String>,
    /// The body's stable key, when the index knows the body: lanes of the HTML page.
    pub body_key: String,
    /// Known only because a later protocol cites it.
    pub via_reference: bool,
    pub title: String,
    pub decision: Option<String>,
    pub decision_kind: Option<DecisionKind>,
    pub diarienummer: Option<String>,
    /// The matter the event belongs to (the title of its first event).
    pub matter: String,
    pub path: String,
    pub page: u32,
    /// The name of the file at `path`.
    pub file: String,
    /// The event as one line to cite ([`crate::citation`]); for a cited decision, the
    /// decision as cited followed by the citing item's citation.
    pub citation: String,
    /// For a cited decision: the citing sentence.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cited_in: Option<String>,
    /// For a cited decision: its paragraph in the cited minutes, when the citation gives it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cited_paragraph: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Timeline {
    pub topic: String,
    pub events: Vec<Event>,
}

/// An item's event, from a search's hit.
fn hit_event(hit: &ItemHit) -> Event {
    let (it, body) = (&hit.item, &hit.body);
    let citation = Citation {
        body: &body.name,
        organization: hit.organization.as_deref(),
        date: hit.date,
        number: Some(&it.number),
        point: numbered_as_point(&it.heading, &it.number),
        title: &it.title,
        path: &hit.path,
        page: it.page,
    };
    Event {
        date: hit.date,
        document: hit.document.clone(),
        document_id: crate::model::document_id(&hit.sha256),
        sha256: hit.sha256.clone(),
        item: it.number.clone(),
        body: body.name.clone(),
        organization: hit.organization.clone(),
        body_key: body.key.clone(),
        via_reference: false,
        title: it.title.clone(),
        decision: it.decision.as_ref().map(|d| d.text.clone()),
        decision_kind: it.decision.as_ref().map(|d| d.kind),
        diarienummer: it.diarienummer.clone(),
        matter: String::new(),
        path: hit.path.clone(),
        page: it.page,
        file: citation.file().to_string(),
        citation: citation.to_string(),
        cited_in: None,
        cited_paragraph: None,
    }
}

/// Whether a body is the one a citation names: the body named ("SVOM", "SocSam",
/// "socialnämnden") is its acronym, key or name.
pub fn body_matches_body(body: &crate::model::Body, named: &str) -> bool {
    let n = named.to_lowercase();
    let key = body.key.to_lowercase();
    let name = body.name.to_lowercase();
    key == n || key.split('-').any(|k| k == n) || name.contains(&format!("({n})")) || name == n || slug(&name) == slug(&n)
}

/// Tells whether the topic is the subject of a title: every word of the topic stands in
/// the title (stems, compound parts counted). Tokenizes the topic once.
struct TopicMatcher {
    analyzers: crate::index::analyzer::SwedishAnalyzers,
    wanted: Vec<String>,
    /// Titles and citations repeat across meetings (standing items, one matter's steps):
    /// each text is analysed once.
    matched: HashMap<String, bool>,
    distinctive: HashMap<String, Vec<String>>,
}

impl TopicMatcher {
    fn new(archive: &Archive, topic: &str) -> TopicMatcher {
        let mut analyzers = archive.analyzers.clone();
        let wanted = tokens(&mut analyzers.query, topic);
        TopicMatcher { analyzers, wanted, matched: HashMap::new(), distinctive: HashMap::new() }
    }

    fn matches(&mut self, title: &str) -> bool {
        if self.wanted.is_empty() {
            return false;
        }
        if let Some(&m) = self.matched.get(title) {
            return m;
        }
        let have: HashSet<String> = tokens(&mut self.analyzers.index, title).into_iter().collect();
        let m = self.wanted.iter().all(|w| have.contains(w));
        self.matched.insert(title.to_string(), m);
        m
    }

    /// The title's words long enough to tie two items to one matter.
    fn distinctive_words(&mut self, title: &str) -> Vec<String> {
        if let Some(words) = self.distinctive.get(title) {
            return words.clone();
        }
        let words: Vec<String> = tokens(&mut self.analyzers.query, title).into_iter().filter(|w| w.chars().count() >= DISTINCTIVE_WORD_CHARS).collect();
        self.distinctive.insert(title.to_string(), words.clone());
        words
    }
}

/// The decision text of a citing sentence: what follows "att", or the whole sentence.
pub fn cited_decision(sentence: &str) -> String {
    match sentence.find(" att ") {
        Some(i) => sentence[i + 1..].trim().to_string(),
        None => sentence.to_string(),
    }
}

/// Groups events into matters and names each by its first event's title. Each event
/// joins the first earlier event with its diarienummer or one of its distinctive words
/// (which has joined every other such event already), so the cost is linear.
fn group_matters(matcher: &mut TopicMatcher, events: &mut [Event], citing: &[Option<usize>]) {
    let n = events.len();
    let mut parent: Vec<usize> = (0..n).collect();
    fn find(p: &mut [usize], i: usize) -> usize {
        let mut r = i;
        while p[r] != r {
            r = p[r];
        }
        let mut j = i;
        while p[j] != r {
            let next = p[j];
            p[j] = r;
            j = next;
        }
        r
    }
    let union = |p: &mut [usize], a: usize, b: usize| {
        let (a, b) = (find(p, a), find(p, b));
        p[a] = b;
    };
    let mut first_with_dnr: HashMap<String, usize> = HashMap::new();
    let mut first_with_word: HashMap<String, usize> = HashMap::new();
    for i in 0..n {
        if let Some(c) = citing[i] {
            union(&mut parent, i, c);
        }
        if let Some(case) = events[i].diarienummer.as_deref().and_then(|d| d.split_whitespace().next()) {
            let first = *first_with_dnr.entry(case.to_string()).or_insert(i);
            union(&mut parent, i, first);
        }
        for word in matcher.distinctive_words(&events[i].title) {
            let first = *first_with_word.entry(word).or_insert(i);
            union(&mut parent, i, first);
        }
    }
    let mut labels: HashMap<usize, String> = HashMap::new();
    let mut order: Vec<usize> = (0..n).collect();
    order.sort_by_key(|&i| (events[i].via_reference, events[i].date));
    for i in order {
        let root = find(&mut parent, i);
        labels.entry(root).or_insert_with(|| events[i].title.clone());
    }
    for (i, event) in events.iter_mut().enumerate() {
        let root = find(&mut parent, i);
        event.matter = labels.get(&root).cloned().unwrap_or_default();
    }
}

/// The item of a cited meeting that a citation means, among the meeting's items on the
/// topic and the item with the cited number (§), if any:
/// - the cited § when it is on the topic;
/// - else the item on the topic whose title and decision share the most words with the
///   cited decision, when they share enough to tell that the § was misprinted; without a
///   cited §, the one sharing the most (the first when none shares any);
/// - else the cited § off the topic, when its words agree with the citation.
fn cited_item<'a>(decision: &str, paragraph: Option<&str>, on_topic: &[&'a ItemHit], numbered: Option<&'a ItemHit>) -> Option<&'a ItemHit> {
    if let Some(p) = paragraph
        && let Some(hit) = on_topic.iter().find(|h| h.item.number == p)
    {
        return Some(hit);
    }
    let overlap = |h: &ItemHit| {
        let text = format!("{} {}", h.item.title, h.item.decision.as_ref().map_or("", |d| d.text.as_str()));
        word_overlap(&text, decision)
    };
    let mut best: Option<(&ItemHit, f32)> = None;
    for &h in on_topic {
        let o = overlap(h);
        if best.is_none_or(|(_, b)| o > b) {
            best = Some((h, o));
        }
    }
    match (best, paragraph) {
        (Some((h, _)), None) => Some(h),
        (Some((h, o)), Some(_)) if o >= CITED_ITEM_OVERLAP => Some(h),
        _ => numbered.filter(|h| overlap(h) >= CITED_ITEM_OVERLAP),
    }
}

/// Builds the timeline of a topic.
pub fn timeline(archive: &Archive, topic: &str) -> Result<Timeline, IndexError> {
    crate::index::search::check_query(topic).map_err(IndexError::Query)?;
    let opts = SearchOptions { exact: true, items_only: true, ..SearchOptions::default() };
    let several_words = topic.split_whitespace().count() > 1 && !topic.contains('"');
    // Every word of the topic must be in an item: a timeline of items that share one
    // word with the topic would be a list of passing mentions. Every matching item
    // counts: there is no cap.
    let mut hits = if several_words { archive.matching_items(&format!("\"{topic}\""), &opts, true)? } else { Vec::new() };
    if hits.is_empty() {
        hits = archive.matching_items(topic, &opts, true)?;
    }

    let mut matcher = TopicMatcher::new(archive, topic);
    let mut events: Vec<Event> = Vec::new();
    // Index of the citing event, for events known from a citation.
    let mut citing: Vec<Option<usize>> = Vec::new();
    // Citations on the topic: the citing item (as an event) and its index among the
    // events when it is one, the citation, and the citing meeting's body and organisation.
    let mut references: Vec<(Event, Option<usize>, crate::model::Reference, crate::model::Body, Option<String>)> = Vec::new();
    for hit in &hits {
        let it = &hit.item;
        let about_topic = matcher.matches(&it.title);
        let event = hit_event(hit);
        let index = (it.decision.is_some() || about_topic).then(|| {
            events.push(event.clone());
            citing.push(None);
            events.len() - 1
        });
        // A citation is on the topic when its item is about the topic, or when the
        // citing sentence itself names it; an item that mentions the topic in passing
        // also cites decisions on other matters. An item that is no event (a case
        // description without a decision) can still cite a decision on the topic.
        for r in it.references.iter().filter(|r| r.date.is_some()) {
            if about_topic || matcher.matches(&r.text) {
                references.push((event.clone(), index, r.clone(), hit.body.clone(), hit.organization.clone()));
            }
        }
    }

    // The bodies the index knows, so a citation's "SocSam" joins the lane of
    // "Sociala samrådsgruppen (SocSam)".
    let known_bodies: Vec<&crate::model::Body> = {
        let mut seen: HashSet<&crate::model::Body> = HashSet::new();
        hits.iter().map(|h| &h.body).filter(|b| seen.insert(b)).collect()
    };
    // Their organisations, so that a cited body is cited with its organisation.
    let mut organizations: HashMap<&crate::model::Body, HashSet<&str>> = HashMap::new();
    for h in &hits {
        organizations.entry(&h.body).or_default().extend(h.organization.as_deref());
    }
    // The organisation of a body a citation names: the citing meeting's when it names
    // that meeting's body, else the one organisation of the index with such a body.
    let organization_of = |named: &str, own_body: &crate::model::Body, own_organization: &Option<String>| -> Option<String> {
        if body_matches_body(own_body, named) {
            return own_organization.clone();
        }
        let candidates: HashSet<&str> = organizations.iter().filter(|(b, _)| body_matches_body(b, named)).flat_map(|(_, o)| o.iter().copied()).collect();
        match own_organization.as_deref() {
            Some(own) if candidates.contains(own) => Some(own.to_string()),
            _ if candidates.len() == 1 => candidates.into_iter().next().map(str::to_string),
            _ => None,
        }
    };
    // The lane of each body a citation names, found once per name.
    let mut lanes: HashMap<String, String> = HashMap::new();
    // The items found by day, in index order, so that a cited meeting's item on the topic
    // is known at once (each meeting's items are picked out by its hash below).
    let mut found_on: HashMap<NaiveDate, Vec<&ItemHit>> = HashMap::new();
    for h in &hits {
        if let Some(d) = h.date {
            found_on.entry(d).or_default().push(h);
        }
    }
    // Item events already shown, by document and §.
    let mut shown: HashSet<(String, String)> = events.iter().map(|e| (e.document.clone(), e.item.clone())).collect();
    // Cited decisions already shown, by date and body: their event indices.
    let mut cited: HashMap<(NaiveDate, String), Vec<usize>> = HashMap::new();
    // Cited paragraphs, fetched once per day and number.
    let mut numbered: HashMap<(NaiveDate, String), Vec<ItemHit>> = HashMap::new();
    for (c, citer, r, own_body, own_organization) in references {
        let Some(date) = r.date else { continue };
        let named = r.body.clone().unwrap_or_else(|| own_body.name.clone());
        // The cited protocol in the index: one item of each cited meeting is the event.
        let decision = cited_decision(&r.text);
        let cited_meeting = |hit: &ItemHit| {
            // "Socialnämnden" in a municipality's protocol is that municipality's: a
            // meeting of another organisation with a body of that name is not the one.
            let other_organization = matches!((&own_organization, &hit.organization), (Some(a), Some(b)) if a != b);
            !other_organization && body_matches_body(&hit.body, &named)
        };
        let on_topic: Vec<&ItemHit> = found_on.get(&date).map(|v| v.iter().copied().filter(|h| cited_meeting(h)).collect()).unwrap_or_default();
        let numbered_items: Vec<&ItemHit> = match &r.paragraph {
            Some(p) => {
                let key = (date, p.clone());
                if !numbered.contains_key(&key) {
                    numbered.insert(key.clone(), archive.items_numbered_on(date, p)?);
                }
                numbered.get(&key).map(|v| v.iter().filter(|h| cited_meeting(h)).collect()).unwrap_or_default()
            }
            None => Vec::new(),
        };
        let mut meetings: Vec<&str> = on_topic.iter().chain(&numbered_items).map(|h| h.sha256.as_str()).collect();
        meetings.sort_unstable();
        meetings.dedup();
        let mut resolved = false;
        for sha in meetings {
            let topic_items: Vec<&ItemHit> = on_topic.iter().copied().filter(|h| h.sha256 == sha).collect();
            let numbered_item = numbered_items.iter().copied().find(|h| h.sha256 == sha);
            let Some(hit) = cited_item(&decision, r.paragraph.as_deref(), &topic_items, numbered_item) else { continue };
            resolved = true;
            if shown.insert((hit.document.clone(), hit.item.number.clone())) {
                events.push(hit_event(hit));
                citing.push(citer);
            }
        }
        if resolved {
            continue;
        }
        // The same cited decision from several citing items is one event: the same
        // paragraph, or without one, much the same words. Two decisions of one meeting,
        // cited in different words, are two.
        let same = |e: &Event| match (&e.cited_paragraph, &r.paragraph) {
            (Some(a), Some(b)) => a == b,
            _ => e.decision.as_deref().is_some_and(|d| word_overlap(d, &decision) >= SAME_CITATION_OVERLAP),
        };
        let that_day = cited.entry((date, slug(&named))).or_default();
        if that_day.iter().any(|&i| same(&events[i])) {
            continue;
        }
        that_day.push(events.len());
        let body_key = lanes
            .entry(named.clone())
            .or_insert_with(|| known_bodies.iter().find(|b| body_matches_body(b, &named)).map_or_else(|| slug(&named), |b| b.key.clone()))
            .clone();
        let organization = organization_of(&named, &own_body, &own_organization);
        let cited = Citation {
            body: &named,
            organization: organization.as_deref(),
            date: Some(date),
            number: r.paragraph.as_deref(),
            point: false,
            title: "",
            path: "",
            page: 0,
        };
        let citation = cited.via(&c.citation);
        let event = Event {
            date: Some(date),
            document: c.document.clone(),
            document_id: c.document_id.clone(),
            sha256: c.sha256.clone(),
            item: c.item.clone(),
            body_key,
            body: named,
            organization,
            via_reference: true,
            title: c.title.clone(),
            decision: Some(decision),
            decision_kind: Some(crate::parse::decisions::kind_of(&r.text)),
            diarienummer: c.diarienummer.clone(),
            matter: String::new(),
            path: c.path.clone(),
            page: c.page,
            file: c.file.clone(),
            citation,
            cited_in: Some(r.text.clone()),
            cited_paragraph: r.paragraph.clone(),
        };
        events.push(event);
        citing.push(citer);
    }

    group_matters(&mut matcher, &mut events, &citing);
    let mut order: Vec<usize> = (0..events.len()).collect();
    // Date order; undated events last; a cited decision before the item that cites it.
    order.sort_by(|&a, &b| {
        let (ea, eb) = (&events[a], &events[b]);
        (ea.date.is_none(), ea.date, !ea.via_reference, &ea.document, &ea.item).cmp(&(eb.date.is_none(), eb.date, !eb.via_reference, &eb.document, &eb.item))
    });
    let events = order.into_iter().map(|i| events[i].clone()).collect();
    Ok(Timeline { topic: topic.to_string(), events })
}

/// Characters of a decision searched for its first sentence.
const FIRST_SENTENCE_CHARS: usize = 1_000;

/// The first sentence of a decision, for one-line display.
pub fn first_sentence(text: &str) -> String {
    // A first sentence is never this long; the rest of a long decision need not be split.
    let head = match text.char_indices().nth(FIRST_SENTENCE_CHARS) {
        Some((i, _)) => &text[..i],
        None => text,
    };
    let flat = head.split_whitespace().collect::<Vec<_>>().join(" ");
    crate::parse::references::sentences(&flat).into_iter().next().unwrap_or("").to_string()
}

/// The timeline as text, grouped by year: for each event a line with its date, the kind
/// and first sentence of the decision, and under it the event's citation.
pub fn to_text(t: &Timeline) -> String {
    let mut out = format!("Tidslinje för {:?}: {}\n", t.topic, crate::text::count(t.events.len(), "händelse", "händelser"));
    let mut year: Option<Option<i32>> = None;
    for e in &t.events {
        let y = e.date.map(|d| d.year());
        if year != Some(y) {
            out.push_str(&format!("\n{}\n", y.map_or_else(|| "Utan datum".to_string(), |y| y.to_string())));
            year = Some(y);
        }
        let date = e.date.map_or_else(|| "          ".to_string(), |d| d.to_string());
        let kind = e.decision_kind.map_or("utan beslut", |k| k.as_str());
        let what = e.decision.as_deref().map_or_else(|| e.title.clone(), first_sentence);
        out.push_str(&format!("  {date}  {kind}: {what}\n      {}\n", e.citation));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The event of § 31 of SocSam's meeting of `date`, as a search finds it.
    fn event(date: &str, organization: Option<&str>) -> Event {
        let mut h = hit("31", "Centrum mot våld", "SocSam beslutar att avtalet bereds. Mer text.");
        h.item.heading = "§ 31 Centrum mot våld".into();
        h.item.page = 4;
        h.item.decision = Some(crate::model::Decision { text: "SocSam beslutar att avtalet bereds. Mer text.".into(), kind: DecisionKind::Bereder });
        h.document = "socsam-2022-06-03".into();
        h.date = NaiveDate::parse_from_str(date, "%Y-%m-%d").ok();
        h.body = crate::model::Body { name: "Sociala samrådsgruppen (SocSam)".into(), key: "socsam".into() };
        h.organization = organization.map(str::to_string);
        h.path = "corpus/pdf/socsam-2022-06-03.pdf".into();
        hit_event(&h)
    }

    #[test]
    fn an_event_is_cited_with_its_organisation_title_file_and_page() {
        let e = event("2022-06-03", Some("Region Jämtland Härjedalen"));
        assert_eq!(e.citation, "Sociala samrådsgruppen (SocSam), Region Jämtland Härjedalen, 2022-06-03, § 31 ”Centrum mot våld”, socsam-2022-06-03.pdf s. 4");
        assert_eq!((e.file.as_str(), e.page, e.organization.as_deref()), ("socsam-2022-06-03.pdf", 4, Some("Region Jämtland Härjedalen")));
    }

    #[test]
    fn text_groups_by_year_with_each_event_and_its_citation() {
        let mut cited = event("2021-04-01", None);
        cited.via_reference = true;
        cited.citation = "SocSam, 2021-04-01 (enligt Sociala samrådsgruppen (SocSam), 2022-06-03, § 31 ”Centrum mot våld”, socsam-2022-06-03.pdf s. 4)".into();
        let t = Timeline { topic: "Centrum mot våld".into(), events: vec![cited, event("2022-06-03", None)] };
        let text = to_text(&t);
        assert!(text.contains("\n2021\n") && text.contains("\n2022\n"));
        assert!(
            text.contains(
                "\n  2022-06-03  bereder: SocSam beslutar att avtalet bereds.\n      Sociala samrådsgruppen (SocSam), 2022-06-03, § 31 ”Centrum mot våld”, socsam-2022-06-03.pdf s. 4\n"
            ),
            "{text}"
        );
        assert!(text.contains("\n      SocSam, 2021-04-01 (enligt Sociala samrådsgruppen (SocSam), 2022-06-03, § 31 ”Centrum mot våld”"), "{text}");
        assert_eq!(text.lines().filter(|l| l.starts_with("  20")).count(), 2, "one line per event, then its citation");
    }

    #[test]
    fn cited_bodies_match_acronyms_keys_and_names() {
        let svom = crate::model::Body { name: "Sociala vård- och omsorgsgruppen (SVOM)".into(), key: "svom".into() };
        assert!(body_matches_body(&svom, "SVOM"));
        assert!(body_matches_body(&svom, "sociala vård- och omsorgsgruppen (svom)"));
        assert!(!body_matches_body(&svom, "SocSam"));
        assert_eq!(cited_decision("SVOM beslutade att rekommendera kommunerna att godkänna avtalet"), "att rekommendera kommunerna att godkänna avtalet");
    }

    fn hit(number: &str, title: &str, decision: &str) -> ItemHit {
        let mut item: crate::model::Item = serde_json::from_value(serde_json::json!({
            "number": number, "title": title, "diarienummer": null, "page": 1, "text": "", "decision": null,
            "presenters": [], "references": []
        }))
        .expect("item");
        item.decision = Some(crate::model::Decision { text: decision.into(), kind: DecisionKind::Beslut });
        ItemHit { item, document: "sn".into(), sha256: "0".into(), date: None, body: crate::model::Body::default(), organization: None, path: String::new() }
    }

    #[test]
    fn a_citation_means_the_cited_paragraph_or_the_item_in_its_words() {
        let plan = hit("16", "Handlingsplan för familjehemsplaceringar", "att utreda frågan om handlingsplan för familjehemsplaceringar");
        let avtal = hit("5", "Avtal om familjehemsvård", "att godkänna avtalet om familjehemsvård");
        let off_topic = hit("6", "Sammanträdesplan för nästa år", "att fastställa sammanträdesplanen");
        let cited = "att utreda frågan om handlingsplan för familjehemsplaceringar";
        // The cited § on the topic.
        assert_eq!(cited_item(cited, Some("5"), &[&plan, &avtal], None).map(|h| h.item.number.as_str()), Some("5"));
        // A misprinted §: the item in the citation's words.
        assert_eq!(cited_item(cited, Some("6"), &[&avtal, &plan], Some(&off_topic)).map(|h| h.item.number.as_str()), Some("16"));
        // No §: the item sharing the most words.
        assert_eq!(cited_item(cited, None, &[&avtal, &plan], None).map(|h| h.item.number.as_str()), Some("16"));
        // A § off the topic whose words disagree: no item, the citation stays an event of its own.
        assert!(cited_item(cited, Some("6"), &[], Some(&off_topic)).is_none());
    }

    #[test]
    fn citations_in_other_words_are_other_decisions() {
        assert!(
            word_overlap(
                "att uppdra till CMC:s styrgrupp att arbeta fram förslag på avtal",
                "att uppdra till styrgruppen att arbeta fram förslag på reviderat avtal"
            ) >= SAME_CITATION_OVERLAP
        );
        assert!(
            word_overlap(
                "att uppdra till CMC:s styrgrupp att arbeta fram förslag",
                "att uppdra till tjänstemannaorganisation att ta fram kostnader för hemsjukvård"
            ) < SAME_CITATION_OVERLAP
        );
    }
}
