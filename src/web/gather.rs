//! What the pages put together from the index: who was present at a §, what an item
//! cites and what later cites it, a matter's items, and a person's meetings.
//!
//! **Citations** resolve as timelines resolve them: a citation names a body (or, without
//! one, means the citing body) and a date; the cited item is the § it gives, else the
//! item whose title and decision share enough words with the cited decision. A meeting
//! of another organisation is never the "socialnämnden" a municipality's protocol cites.
//!
//! **People** are joined only on strong evidence: two rows are one person when the name
//! (case and spacing aside), the party and the body all agree. The same name with
//! another party, or in another body, is shown as a separate person and marked as
//! perhaps the same: name variants ("Anna-Lena Berg", "A-L Berg") are never joined.

use std::collections::{BTreeMap, HashSet};

use chrono::NaiveDate;
use tantivy::query::{BooleanQuery, Occur, Query, TermQuery};
use tantivy::schema::IndexRecordOption;

use crate::index::search::ItemHit;
use crate::index::{Archive, IndexError, StoredMeeting};
use crate::model::{Item, Meeting, Participant, Reference, Role, document_id};
use crate::timeline::{CITED_ITEM_OVERLAP, body_matches_body, cited_decision, word_overlap};

/// Items on a matter's page at most: a matter of more steps is shown up to here.
pub const MAX_MATTER_ITEMS: usize = 200;

/// Lookups made to follow a matter's citations at most, so a page stays quick.
const MAX_MATTER_LOOKUPS: usize = 60;

/// Meetings on a person's page at most, the latest.
pub const MAX_PERSON_MEETINGS: usize = 400;

/// An item of a stored meeting, as the lookups of the index return items.
pub fn item_hit(stored: &StoredMeeting, item: &Item) -> ItemHit {
    let m = &stored.meeting;
    ItemHit {
        item: Item { text: String::new(), ..item.clone() },
        document: m.id.clone(),
        sha256: m.source.sha256.clone(),
        date: m.date,
        body: m.body.clone(),
        organization: m.organization.clone(),
        path: stored.path.clone(),
    }
}

/// The paragraph numbers a participant's "§§33-41", "§ 149–161, 163" covers.
fn paragraph_ranges(text: &str) -> Vec<(u32, u32)> {
    let cleaned: String = text
        .chars()
        .map(|c| {
            if c.is_ascii_digit() {
                c
            } else if matches!(c, '-' | '–' | '—') {
                '-'
            } else {
                ' '
            }
        })
        .collect();
    let mut out = Vec::new();
    for part in cleaned.split_whitespace() {
        let mut ends = part.split('-').filter(|s| !s.is_empty()).filter_map(|s| s.parse::<u32>().ok());
        if let Some(a) = ends.next() {
            let b = ends.next().unwrap_or(a);
            out.push((a.min(b), a.max(b)));
        }
    }
    out
}

/// The leading number of an item's number ("4 a" → 4).
fn leading_number(number: &str) -> Option<u32> {
    let digits: String = number.trim().chars().take_while(char::is_ascii_digit).collect();
    digits.parse().ok()
}

/// The participants present at an item: everyone listed as present, except those whose
/// paragraphs leave the item out.
pub fn present_at<'a>(meeting: &'a Meeting, number: &str) -> Vec<&'a Participant> {
    let n = leading_number(number);
    meeting
        .participants
        .iter()
        .filter(|p| p.role != Role::EjNarvarande)
        .filter(|p| match (&p.paragraphs, n) {
            (Some(text), Some(n)) => {
                let ranges = paragraph_ranges(text);
                ranges.is_empty() || ranges.iter().any(|&(a, b)| (a..=b).contains(&n))
            }
            _ => true,
        })
        .collect()
}

/// What a citation leads to.
pub enum Cited {
    /// The cited item, in the index.
    Item(ItemHit),
    /// The cited meeting is in the index, but not which of its items.
    Meeting(StoredMeeting),
    /// The cited decision is not in the index.
    Unknown,
}

/// The primary meetings held on a day.
fn meetings_on(archive: &Archive, date: NaiveDate) -> Result<Vec<StoredMeeting>, IndexError> {
    let f = &archive.fields;
    let q: Box<dyn Query> = Box::new(BooleanQuery::new(vec![
        (
            Occur::Must,
            Box::new(TermQuery::new(tantivy::Term::from_field_u64(f.date, crate::model::date_number(date)), IndexRecordOption::Basic)) as Box<dyn Query>,
        ),
        (Occur::Must, Box::new(TermQuery::new(tantivy::Term::from_field_u64(f.primary, 1), IndexRecordOption::Basic))),
    ]));
    archive.stored_where(Some(q))
}

/// Whether a meeting of `body` / `organization` is the one a citation in a protocol of
/// `citing_organization` names as `named`.
fn is_cited_meeting(body: &crate::model::Body, organization: &Option<String>, named: &str, citing_organization: &Option<String>) -> bool {
    let other_organization = matches!((citing_organization, organization), (Some(a), Some(b)) if a != b);
    !other_organization && body_matches_body(body, named)
}

/// Whether an item is the one a citation's words mean.
fn cites_item(reference: &Reference, item: &Item) -> bool {
    if let Some(p) = &reference.paragraph {
        return *p == item.number;
    }
    let text = format!("{} {}", item.title, item.decision.as_ref().map_or("", |d| d.text.as_str()));
    word_overlap(&text, &cited_decision(&reference.text)) >= CITED_ITEM_OVERLAP
}

/// What a citation in `citing` (a meeting of that body and organisation) leads to.
pub fn resolve(archive: &Archive, reference: &Reference, citing: &ItemHit) -> Result<Cited, IndexError> {
    let Some(date) = reference.date else { return Ok(Cited::Unknown) };
    let named = reference.body.clone().unwrap_or_else(|| citing.body.name.clone());
    let meetings: Vec<StoredMeeting> =
        meetings_on(archive, date)?.into_iter().filter(|s| is_cited_meeting(&s.meeting.body, &s.meeting.organization, &named, &citing.organization)).collect();
    for stored in &meetings {
        if let Some(item) = stored.meeting.items.iter().find(|it| cites_item(reference, it)) {
            return Ok(Cited::Item(item_hit(stored, item)));
        }
    }
    Ok(meetings.into_iter().next().map_or(Cited::Unknown, Cited::Meeting))
}

/// The later items that cite this item of this meeting.
pub fn cited_by(archive: &Archive, stored: &StoredMeeting, item: &Item) -> Result<Vec<(ItemHit, Reference)>, IndexError> {
    let m = &stored.meeting;
    let Some(date) = m.date else { return Ok(Vec::new()) };
    let mut out = Vec::new();
    for hit in archive.items_citing(date)? {
        if hit.sha256 == m.source.sha256 && hit.item.number == item.number {
            continue;
        }
        let found = hit.item.references.iter().find(|r| {
            r.date == Some(date) && {
                let named = r.body.clone().unwrap_or_else(|| hit.body.name.clone());
                is_cited_meeting(&m.body, &m.organization, &named, &hit.organization) && cites_item(r, item)
            }
        });
        if let Some(r) = found.cloned() {
            out.push((hit, r));
        }
    }
    out.sort_by(|a, b| (a.0.date, &a.0.document, &a.0.item.number).cmp(&(b.0.date, &b.0.document, &b.0.item.number)));
    Ok(out)
}

/// How an item belongs to a matter.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Link {
    /// The item the page was opened from.
    Start,
    SameCase,
    /// An earlier decision cited by an item of the matter.
    CitedBy,
    /// A later item that cites one of the matter.
    Cites,
}

impl Link {
    pub fn label(self) -> &'static str {
        match self {
            Link::Start => "utgångspunkt",
            Link::SameCase => "samma diarienummer",
            Link::CitedBy => "hänvisas till",
            Link::Cites => "hänvisar hit",
        }
    }
}

/// One step of a matter.
pub struct Step {
    pub hit: ItemHit,
    pub link: Link,
}

/// A decision a matter's item cites that the index doesn't hold.
pub struct CitedOnly {
    pub reference: Reference,
    pub citing: ItemHit,
}

pub struct Matter {
    pub steps: Vec<Step>,
    pub cited_only: Vec<CitedOnly>,
    /// More was linked than the page shows.
    pub truncated: bool,
}

/// The case number of a diarienummer: its first word ("SN.2022.471 704" → "SN.2022.471").
pub fn case_of(diarienummer: &str) -> Option<&str> {
    diarienummer.split_whitespace().next()
}

/// A matter from its first item: the items with its case number, and, followed from each
/// item found, the decisions they cite and the later items that cite them.
pub fn matter(archive: &Archive, start: ItemHit, start_stored: Option<&StoredMeeting>) -> Result<Matter, IndexError> {
    let key = |h: &ItemHit| (h.sha256.clone(), h.item.number.clone());
    let mut seen: HashSet<(String, String)> = HashSet::new();
    let mut steps: Vec<Step> = Vec::new();
    let mut cited_only: Vec<CitedOnly> = Vec::new();
    let mut queue: Vec<usize> = Vec::new();
    let mut truncated = false;
    let mut push = |steps: &mut Vec<Step>, queue: &mut Vec<usize>, hit: ItemHit, link: Link, truncated: &mut bool| {
        if seen.insert(key(&hit)) {
            if steps.len() >= MAX_MATTER_ITEMS {
                *truncated = true;
                return;
            }
            steps.push(Step { hit, link });
            queue.push(steps.len() - 1);
        }
    };
    let case = start.item.diarienummer.as_deref().and_then(case_of).map(str::to_string);
    push(&mut steps, &mut queue, start, Link::Start, &mut truncated);
    if let Some(case) = case {
        for hit in archive.items_with_case(&case)? {
            push(&mut steps, &mut queue, hit, Link::SameCase, &mut truncated);
        }
    }
    let mut lookups = 0;
    let mut next = 0;
    while next < queue.len() {
        let i = queue[next];
        next += 1;
        if lookups >= MAX_MATTER_LOOKUPS {
            truncated = true;
            break;
        }
        lookups += 1;
        let hit = steps[i].hit.clone();
        for r in hit.item.references.iter().filter(|r| r.date.is_some()) {
            match resolve(archive, r, &hit)? {
                Cited::Item(cited) => push(&mut steps, &mut queue, cited, Link::CitedBy, &mut truncated),
                Cited::Meeting(_) | Cited::Unknown => cited_only.push(CitedOnly { reference: r.clone(), citing: hit.clone() }),
            }
        }
        let stored = match (i, start_stored) {
            (0, Some(s)) => Some(s.clone()),
            _ => archive.meeting_by_sha(&hit.sha256)?,
        };
        if let Some(stored) = stored
            && let Some(item) = stored.meeting.items.iter().find(|it| it.number == hit.item.number)
        {
            for (citing, _) in cited_by(archive, &stored, item)? {
                push(&mut steps, &mut queue, citing, Link::Cites, &mut truncated);
            }
        }
    }
    steps.sort_by(|a, b| {
        (a.hit.date.is_none(), a.hit.date, &a.hit.document, &a.hit.item.number).cmp(&(b.hit.date.is_none(), b.hit.date, &b.hit.document, &b.hit.item.number))
    });
    cited_only.sort_by_key(|c| c.reference.date);
    cited_only.dedup_by(|a, b| a.reference.date == b.reference.date && a.reference.body == b.reference.body && a.reference.paragraph == b.reference.paragraph);
    Ok(Matter { steps, cited_only, truncated })
}

/// A name for comparing: lower case, single spaces.
pub fn name_key(name: &str) -> String {
    name.split_whitespace().collect::<Vec<_>>().join(" ").to_lowercase()
}

/// One meeting of a person.
pub struct Attendance {
    pub document_id: String,
    pub date: Option<NaiveDate>,
    /// The section listed under, and the officer roles held.
    pub roles: Vec<String>,
    pub paragraphs: Option<String>,
    pub title: Option<String>,
}

/// A reservation or vote that names the person.
pub struct Stance {
    pub document_id: String,
    pub date: Option<NaiveDate>,
    pub body_name: String,
    pub number: String,
    pub title: String,
    /// "Reservation" or "Omröstning".
    pub kind: &'static str,
    pub text: String,
}

/// One person: a name, a party and a body (see the module's rule).
pub struct Person {
    pub name: String,
    pub party: Option<String>,
    pub body_key: String,
    pub body_name: String,
    pub meetings: Vec<Attendance>,
    pub stances: Vec<Stance>,
}

/// The people of this name, each with the meetings they attended and their
/// reservations and votes, most meetings first.
pub fn people(archive: &Archive, name: &str) -> Result<(Vec<Person>, bool), IndexError> {
    let wanted = name_key(name);
    let stored = archive.meetings_with_person(name, MAX_PERSON_MEETINGS)?;
    let truncated = stored.len() >= MAX_PERSON_MEETINGS;
    let mut by_identity: BTreeMap<(String, String, String), Person> = BTreeMap::new();
    for s in &stored {
        let m = &s.meeting;
        let listed: Vec<&Participant> = m.participants.iter().filter(|p| name_key(&p.name) == wanted).collect();
        let mut officer: Vec<String> = Vec::new();
        if m.officers.chair.as_deref().is_some_and(|c| name_key(c) == wanted) {
            officer.push("ordförande".into());
        }
        if m.officers.secretary.as_deref().is_some_and(|c| name_key(c) == wanted) {
            officer.push("sekreterare".into());
        }
        if m.officers.adjusters.iter().any(|c| name_key(c) == wanted) {
            officer.push("justerare".into());
        }
        if listed.is_empty() && officer.is_empty() {
            continue;
        }
        let first = listed.first();
        let party = first.and_then(|p| p.party.clone());
        let shown_name = first.map_or_else(|| name.trim().to_string(), |p| p.name.clone());
        let person = by_identity.entry((wanted.clone(), party.clone().unwrap_or_default().to_lowercase(), m.body.key.clone())).or_insert_with(|| Person {
            name: shown_name,
            party: party.clone(),
            body_key: m.body.key.clone(),
            body_name: m.body.name.clone(),
            meetings: Vec::new(),
            stances: Vec::new(),
        });
        let mut roles: Vec<String> = listed.iter().map(|p| p.role.label().to_string()).collect();
        roles.dedup();
        roles.extend(officer);
        person.meetings.push(Attendance {
            document_id: document_id(&m.source.sha256),
            date: m.date,
            roles,
            paragraphs: first.and_then(|p| p.paragraphs.clone()),
            title: first.and_then(|p| p.title.clone()),
        });
        // Reservations and votes that name the person.
        let surname = wanted.split(' ').next_back().unwrap_or("");
        let names_person = |text: &str| {
            let t = text.to_lowercase();
            t.contains(&wanted) || (surname.chars().count() >= 3 && party.as_deref().is_some_and(|p| t.contains(&format!("{surname} ({})", p.to_lowercase()))))
        };
        for it in &m.items {
            let votes = it.vote.iter().map(|v| ("Omröstning", v.text.as_str()));
            for (kind, text) in it.reservations.iter().map(|r| ("Reservation", r.as_str())).chain(votes) {
                if names_person(text) {
                    person.stances.push(Stance {
                        document_id: document_id(&m.source.sha256),
                        date: m.date,
                        body_name: m.body.name.clone(),
                        number: it.number.clone(),
                        title: it.title.clone(),
                        kind,
                        text: text.to_string(),
                    });
                }
            }
        }
    }
    let mut people: Vec<Person> = by_identity.into_values().collect();
    people.sort_by(|a, b| b.meetings.len().cmp(&a.meetings.len()).then_with(|| a.body_name.cmp(&b.body_name)));
    for p in &mut people {
        p.meetings.sort_by_key(|a| std::cmp::Reverse(a.date));
    }
    Ok((people, truncated))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paragraph_ranges_as_written() {
        assert_eq!(paragraph_ranges("§§33-41"), vec![(33, 41)]);
        assert_eq!(paragraph_ranges("§ 149–161, 163"), vec![(149, 161), (163, 163)]);
        assert_eq!(paragraph_ranges("del av mötet"), vec![]);
    }

    #[test]
    fn presence_follows_the_paragraphs_attended() {
        let p = |name: &str, role, paragraphs: Option<&str>| Participant {
            name: name.into(),
            role,
            party: None,
            organization: None,
            title: None,
            paragraphs: paragraphs.map(str::to_string),
        };
        let meeting: Meeting = serde_json::from_value(serde_json::json!({
            "id": "x", "source": {"path": "x", "format": "text", "sha256": "00", "pages": 1, "ocr": false},
            "body": {"name": "Socialnämnden", "key": "socialnamnden"}, "organization": null, "kind": "protokoll",
            "date": null, "time": null, "place": null, "officers": {"chair": null, "secretary": null, "adjusters": []},
            "participants": [], "items": [], "attachments": [], "warnings": []
        }))
        .expect("meeting");
        let meeting = Meeting {
            participants: vec![
                p("Alla Paragrafer", Role::Beslutande, None),
                p("Del Tid", Role::Beslutande, Some("§§ 33-35")),
                p("Borta Helt", Role::EjNarvarande, None),
            ],
            ..meeting
        };
        let names = |nr: &str| present_at(&meeting, nr).iter().map(|p| p.name.clone()).collect::<Vec<_>>();
        assert_eq!(names("34"), vec!["Alla Paragrafer", "Del Tid"]);
        assert_eq!(names("36 a"), vec!["Alla Paragrafer"]);
    }

    #[test]
    fn case_number_is_the_first_word() {
        assert_eq!(case_of("SN.2022.471 704"), Some("SN.2022.471"));
        assert_eq!(case_of(""), None);
    }
}
