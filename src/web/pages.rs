//! The HTML pages: search, item, meeting, matter, person, bodies, and source files.
//! Each handler reads its parameters, refuses bad ones with a 400 page, and renders on
//! the blocking pool.

use std::collections::BTreeMap;
use std::sync::Arc;

use axum::extract::rejection::PathRejection;
use axum::extract::{Path, RawQuery, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use maud::{Markup, html};

use super::gather::{self, Cited, Link};
use super::params::{self, PAGE_SIZE, Search};
use super::render::{
    bad_request, body_url, date_long, date_short, error_page, hit_url, index_error, item_url, marked, matter_url, meeting_url, not_found, page, paragraphs,
    person_url, respond, source_url, timeline_url,
};
use super::{App, blocking};
use crate::citation::Citation;
use crate::index::search::SearchResults;
use crate::index::{IndexError, StoredMeeting};
use crate::model::{Format, Role, document_id};
use crate::text::{count, item_number};

/// Largest source file served: a protocol is never this large; anything larger is not
/// read into memory.
const MAX_SOURCE_BYTES: u64 = 256 * 1024 * 1024;

/// Facet values listed per facet before "more" are folded away.
const FACET_VALUES_SHOWN: usize = 12;

type AppState = State<Arc<App>>;

pub async fn search(State(app): AppState, RawQuery(raw): RawQuery) -> Response {
    blocking(&app, move |app| search_page(app, raw.as_deref())).await
}

pub async fn meeting(State(app): AppState, id: Result<Path<String>, PathRejection>) -> Response {
    let Ok(Path(id)) = id else { return bad_request("Sökvägen kunde inte läsas.") };
    blocking(&app, move |app| meeting_page(app, &id)).await
}

pub async fn item(State(app): AppState, path: Result<Path<(String, String)>, PathRejection>, RawQuery(raw): RawQuery) -> Response {
    let Ok(Path((id, nr))) = path else { return bad_request("Sökvägen kunde inte läsas.") };
    blocking(&app, move |app| item_page(app, &id, &nr, raw.as_deref())).await
}

pub async fn source_file(State(app): AppState, id: Result<Path<String>, PathRejection>) -> Response {
    let Ok(Path(id)) = id else { return bad_request("Sökvägen kunde inte läsas.") };
    blocking(&app, move |app| source_response(app, &id)).await
}

pub async fn matter(State(app): AppState, RawQuery(raw): RawQuery) -> Response {
    blocking(&app, move |app| matter_page(app, raw.as_deref())).await
}

pub async fn person(State(app): AppState, RawQuery(raw): RawQuery) -> Response {
    blocking(&app, move |app| person_page(app, raw.as_deref())).await
}

pub async fn timeline(State(app): AppState, RawQuery(raw): RawQuery) -> Response {
    blocking(&app, move |app| super::timeline_page::page(app, raw.as_deref())).await
}

pub async fn bodies(State(app): AppState) -> Response {
    blocking(&app, bodies_page).await
}

pub async fn body(State(app): AppState, key: Result<Path<String>, PathRejection>) -> Response {
    let Ok(Path(key)) = key else { return bad_request("Sökvägen kunde inte läsas.") };
    blocking(&app, move |app| body_page(app, &key)).await
}

pub async fn fallback() -> Response {
    super::render::not_found("Sidan finns inte.")
}

fn ok(title: &str, q: Option<&str>, main: Markup) -> Response {
    respond(StatusCode::OK, page(title, q, main))
}

/// The stored copy a document id names: the id must be hex; the shortest prefix that
/// names one document will do.
/// The error is the page to answer with, as every handler does with it at once.
#[allow(clippy::result_large_err)]
pub(crate) fn stored_by_id(app: &App, id: &str) -> Result<StoredMeeting, Response> {
    let found = app.archive.by_id(id).map_err(|e| index_error(&e))?;
    let lower = id.to_ascii_lowercase();
    match found.len() {
        0 => Err(not_found(&format!("Inget dokument har id ”{id}”."))),
        1 => Ok(found.into_iter().next().expect("one")),
        _ => match found.into_iter().find(|s| document_id(&s.meeting.source.sha256) == lower) {
            Some(s) => Ok(s),
            None => Err(bad_request(&format!("Id ”{id}” passar flera dokument: skriv fler tecken."))),
        },
    }
}

fn facet_group(title: &str, key: &'static str, counts: &BTreeMap<String, u64>, s: &Search, active: Option<String>, newest_first: bool) -> Markup {
    let mut values: Vec<(&String, &u64)> = counts.iter().collect();
    if newest_first {
        values.reverse();
    } else {
        values.sort_by(|a, b| b.1.cmp(a.1).then_with(|| a.0.cmp(b.0)));
    }
    let link = |value: &str| {
        let mut next = s.clone();
        next.page = 1;
        match key {
            "organ" => next.organ = Some(value.to_string()),
            "org" => next.org = Some(value.to_string()),
            "ar" => next.year = value.parse().ok(),
            "beslutstyp" => next.decision_kind = crate::model::DecisionKind::from_word(value),
            _ => next.document_kind = crate::model::MeetingKind::from_word(value),
        }
        next.url("/sok")
    };
    let (shown, folded) = values.split_at(values.len().min(FACET_VALUES_SHOWN));
    let row = |value: &String, n: &u64| {
        let is_active = active.as_deref() == Some(value.as_str());
        html! {
            li {
                a.facett data-facett=(key) href=(link(value)) aria-current=[is_active.then_some("true")] {
                    span.namn { (value) } " " span.antal { (n) }
                }
            }
        }
    };
    html! {
        @if !values.is_empty() {
            section.facettgrupp {
                h3 { (title) }
                ul {
                    @for (v, n) in shown { (row(v, n)) }
                }
                @if !folded.is_empty() {
                    details {
                        summary { "Fler (" (folded.len()) ")" }
                        ul { @for (v, n) in folded { (row(v, n)) } }
                    }
                }
            }
        }
    }
}

/// The active filters, each with a link that removes it.
fn active_filters(s: &Search) -> Markup {
    let mut chips: Vec<(String, String)> = Vec::new();
    let without = |f: &dyn Fn(&mut Search)| {
        let mut next = s.clone();
        next.page = 1;
        f(&mut next);
        next.url("/sok")
    };
    if let Some(v) = &s.organ {
        chips.push((format!("Organ: {v}"), without(&|n| n.organ = None)));
    }
    if let Some(v) = &s.org {
        chips.push((format!("Organisation: {v}"), without(&|n| n.org = None)));
    }
    if let Some(v) = s.year {
        chips.push((format!("År: {v}"), without(&|n| n.year = None)));
    }
    if let Some(v) = &s.from_text {
        chips.push((
            format!("Från: {v}"),
            without(&|n| {
                n.from = None;
                n.from_text = None;
            }),
        ));
    }
    if let Some(v) = &s.to_text {
        chips.push((
            format!("Till: {v}"),
            without(&|n| {
                n.to = None;
                n.to_text = None;
            }),
        ));
    }
    if s.decisions_only {
        chips.push(("Bara beslut".into(), without(&|n| n.decisions_only = false)));
    }
    if let Some(v) = s.decision_kind {
        chips.push((format!("Beslutstyp: {v}"), without(&|n| n.decision_kind = None)));
    }
    if let Some(v) = s.document_kind {
        chips.push((format!("Dokumenttyp: {v}"), without(&|n| n.document_kind = None)));
    }
    html! {
        @if !chips.is_empty() {
            ul.filter aria-label="Valda filter" {
                @for (label, href) in &chips {
                    li { (label) " " a.ta-bort href=(href) aria-label={ "Ta bort " (label) } { "×" } }
                }
            }
        }
    }
}

fn search_form(s: &Search) -> Markup {
    html! {
        form #sok action="/sok" method="get" role="search" {
            div.sokrad {
                label.dold for="q" { "Sökord" }
                input #q type="search" name="q" value=(s.q) placeholder="t.ex. familjehemscentrum" autofocus[s.q.is_empty()];
                button type="submit" { "Sök" }
            }
            @if let Some(v) = &s.organ { input type="hidden" name="organ" value=(v); }
            @if let Some(v) = &s.org { input type="hidden" name="org" value=(v); }
            @if let Some(v) = s.year { input type="hidden" name="ar" value=(v); }
            @if let Some(v) = s.decision_kind { input type="hidden" name="beslutstyp" value=(v.as_str()); }
            @if let Some(v) = s.document_kind { input type="hidden" name="dokumenttyp" value=(v.as_str()); }
            details.avancerat open[s.from_text.is_some() || s.to_text.is_some() || s.decisions_only] {
                summary { "Datum och beslut" }
                div.falt {
                    label for="fran" { "Från" }
                    input #fran name="fran" value=[s.from_text.as_deref()] placeholder="ÅÅÅÅ-MM-DD" inputmode="numeric";
                    label for="till" { "Till" }
                    input #till name="till" value=[s.to_text.as_deref()] placeholder="ÅÅÅÅ-MM-DD" inputmode="numeric";
                    label.kryss { input type="checkbox" name="beslut" value="1" checked[s.decisions_only]; " Bara punkter med beslut" }
                }
            }
        }
    }
}

fn home(app: &App) -> Markup {
    let bodies = app.archive.bodies().unwrap_or_default();
    let meetings: u64 = bodies.iter().map(|b| b.meetings).sum();
    html! {
        h1 { "Sök i protokollen" }
        (search_form(&Search::default()))
        p.ingress { "Arkivet har " (count(meetings, "sammanträde", "sammanträden")) " från " (bodies.len()) " organ." }
        section.hjalp {
            h2 { "Så söker du" }
            ul {
                li { "Alla ord måste finnas: " code { "familjehem avtal" } "." }
                li { "Fras inom citattecken: " code { "\"centrum mot våld\"" } "." }
                li { "Uteslut ett ord med minus: " code { "avtal -hemsjukvård" } "." }
                li { "Ett diarienummer hittas exakt: " code { "SN.2022.471" } "." }
            }
        }
        @if !bodies.is_empty() {
            section {
                h2 { "Organ" }
                ul.organlista {
                    @for b in &bodies {
                        li { a href=(body_url(&b.key)) { (b.name) } " " span.antal { (b.meetings) } }
                    }
                }
            }
        }
    }
}

fn search_page(app: &App, raw: Option<&str>) -> Response {
    let pairs = params::pairs(raw);
    let s = match Search::from_pairs(&pairs) {
        Ok(s) => s,
        Err(e) => return bad_request(&e),
    };
    if s.is_empty() {
        return ok("Sök", None, home(app));
    }
    let results: SearchResults = match app.archive.search(&s.q, &s.options()) {
        Ok(r) => r,
        // A body or organisation the index does not hold: said on the search page, whose
        // filters can be taken away.
        Err(IndexError::Filter(e)) => {
            let main = html! { h1.dold { "Sökresultat" } (search_form(&s)) (active_filters(&s)) p.fel role="alert" { (params::sentence(&e.to_string())) } };
            return respond(StatusCode::BAD_REQUEST, page("Sökresultat", None, main));
        }
        Err(e) => return index_error(&e),
    };
    let first = results.offset + 1;
    let last = results.offset + results.hits.len();
    let pages = results.total.div_ceil(PAGE_SIZE).min(params::MAX_PAGE);
    let page_link = |n: usize| {
        let mut next = s.clone();
        next.page = n;
        next.url("/sok")
    };
    let f = &results.facets;
    let title = if s.q.is_empty() { "Sökresultat".to_string() } else { format!("Sökning: {}", s.q) };
    let main = html! {
        h1.dold { (title) }
        (search_form(&s))
        (active_filters(&s))
        div.resultat {
            aside.facetter aria-label="Avgränsa" {
                (facet_group("Organ", "organ", &f.body, &s, s.organ.clone(), false))
                (facet_group("Organisation", "org", &f.organization, &s, s.org.clone(), false))
                (facet_group("År", "ar", &f.year, &s, s.year.map(|y| y.to_string()), true))
                (facet_group("Beslutstyp", "beslutstyp", &f.decision_kind, &s, s.decision_kind.map(|k| k.as_str().to_string()), false))
                (facet_group("Dokumenttyp", "dokumenttyp", &f.document_kind, &s, s.document_kind.map(|k| k.as_str().to_string()), false))
            }
            section.traffsektion {
                p #antal aria-live="polite" {
                    @match results.total {
                        0 => "Inga träffar",
                        n => (count(n, "träff", "träffar")),
                    }
                    @if results.total > 0 { span.visar { " · visar " (first) "–" (last) } }
                }
                @if !s.q.trim().is_empty() && results.total > 0 {
                    p.tidslinjelank { a href=(timeline_url(&s.q)) { "Visa tidslinje för ”" (s.q) "”" } }
                }
                ol.traffar start=(first) {
                    @for h in &results.hits {
                        li.traff {
                            a.traff-lank href=(hit_url(h, &s.q)) {
                                @if let Some(n) = &h.item { "§ " (n) " " } @else { "Sida " (h.page) ": " }
                                (if h.title.is_empty() { "(utan rubrik)" } else { h.title.as_str() })
                            }
                            p.meta {
                                span.hanvisning { (h.citation) }
                                @if let Some(d) = &h.diarienummer { " · " (d) }
                                @if let Some(k) = &h.decision_kind { " · " span.beslutstyp { (k) } }
                            }
                            p.utdrag { (marked(&h.fragment, &h.highlighted)) }
                        }
                    }
                }
                @if pages > 1 {
                    nav.sidor aria-label="Sidor" {
                        @if s.page > 1 { a rel="prev" href=(page_link(s.page - 1)) { "← Föregående" } }
                        span { "Sida " (s.page) " av " (pages) }
                        @if s.page < pages { a rel="next" href=(page_link(s.page + 1)) { "Nästa →" } }
                    }
                }
            }
        }
    };
    ok(&title, None, main)
}

fn sources_list(app: &App, m: &crate::model::Meeting, page: u32) -> Markup {
    let copies = app.archive.copies(&m.copy_key()).unwrap_or_default();
    html! {
        ul.kallor {
            @for c in &copies {
                @let id = document_id(&c.meeting.source.sha256);
                @let name = std::path::Path::new(&c.path).file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
                li {
                    @if c.meeting.source.masked > 0 {
                        (name) " " span.format { "innehåller personnummer: visas inte här" }
                    } @else {
                        a.kalla href=(source_url(&id, page)) { (name) }
                    }
                    " " span.format { (c.meeting.source.format.as_str()) }
                    @if c.meeting.source.ocr { " " span.format { "OCR" } }
                    @if c.meeting.source.sha256 != m.source.sha256 { " · " a href=(meeting_url(&id)) { "kopia " (id) } }
                    br;
                    span.sokvag { (c.path) }
                }
            }
        }
    }
}

fn people_by_role(participants: &[&crate::model::Participant]) -> Markup {
    html! {
        @for role in Role::ALL {
            @let these: Vec<_> = participants.iter().filter(|p| p.role == *role).collect();
            @if !these.is_empty() {
                h3 { (role.label()) }
                ul.deltagare {
                    @for p in these {
                        li {
                            a href=(person_url(&p.name)) { (p.name) }
                            @if let Some(party) = &p.party { " (" (party) ")" }
                            @if let Some(t) = &p.title { ", " (t) }
                            @if let Some(o) = &p.organization { ", " (o) }
                            @if let Some(par) = &p.paragraphs { " · " (par) }
                        }
                    }
                }
            }
        }
    }
}

fn officers(m: &crate::model::Meeting) -> Markup {
    let o = &m.officers;
    html! {
        @if o.chair.is_some() || o.secretary.is_some() || !o.adjusters.is_empty() {
            dl.funktionarer {
                @if let Some(c) = &o.chair { dt { "Ordförande" } dd { a href=(person_url(c)) { (c) } } }
                @if let Some(c) = &o.secretary { dt { "Sekreterare" } dd { a href=(person_url(c)) { (c) } } }
                @if !o.adjusters.is_empty() {
                    dt { "Justerare" }
                    dd { @for (i, a) in o.adjusters.iter().enumerate() { @if i > 0 { ", " } a href=(person_url(a)) { (a) } } }
                }
            }
        }
    }
}

fn meeting_page(app: &App, id: &str) -> Response {
    let stored = match stored_by_id(app, id) {
        Ok(s) => s,
        Err(r) => return r,
    };
    let m = &stored.meeting;
    let id = document_id(&m.source.sha256);
    let participants: Vec<&crate::model::Participant> = m.participants.iter().collect();
    let title = format!("{} {}", m.body.name, date_short(m.date));
    let main = html! {
        article.sammantrade {
            p.brodsmulor { a href=(body_url(&m.body.key)) { (m.body.name) } }
            h1 { (m.body.name) ", " (date_long(m.date)) }
            dl.fakta {
                dt { "Dokument" } dd { (m.kind.as_str()) }
                @if let Some(o) = &m.organization { dt { "Organisation" } dd { (o) } }
                @if let Some(t) = &m.time { dt { "Tid" } dd { (t) } }
                @if let Some(p) = &m.place { dt { "Plats" } dd { (p) } }
                dt { "Hänvisning" } dd #citat { (Citation::of(m, None, &stored.path)) }
            }
            (officers(m))
            section {
                h2 { "Paragrafer" }
                @if m.items.is_empty() { p { "Inga paragrafer hittades i dokumentet; texten är ändå sökbar." } }
                ol.paragrafer {
                    @for it in &m.items {
                        li {
                            a href=(item_url(&id, &it.number, None)) { (Citation::of(m, Some(it), &stored.path).number_label().unwrap_or_default()) " " (it.title) }
                            " " span.sida { "s. " (it.page) }
                            @if let Some(d) = &it.decision { " " span.beslutstyp { (d.kind.as_str()) } }
                        }
                    }
                }
            }
            @if !participants.is_empty() {
                section { h2 { "Närvarande och frånvarande" } (people_by_role(&participants)) }
            }
            @if !m.attachments.is_empty() {
                section {
                    h2 { "Bilagor" }
                    ul { @for a in &m.attachments { li { a.kalla href=(source_url(&id, a.page)) { (a.title) } " (sida " (a.page) ")" } } }
                }
            }
            @if !m.outside_items.is_empty() {
                section {
                    h2 { "Text utanför paragraferna" }
                    p.ingress { "Försättsblad, innehållsförteckningar och bilagor, sida för sida. Texten är sökbar." }
                    @for p in &m.outside_items {
                        details.sidtext id={ "sida-" (p.page) } {
                            summary { "Sida " (p.page) " " a.kalla href=(source_url(&id, p.page)) { "öppna källan här" } }
                            (paragraphs(&app.archive, &p.text, ""))
                        }
                    }
                }
            }
            section { h2 { "Källor" } (sources_list(app, m, 1)) }
        }
    };
    ok(&title, Some(""), main)
}

fn cited_link(cited: &Cited) -> Markup {
    match cited {
        Cited::Item(h) => html! {
            a href=(item_url(&document_id(&h.sha256), &h.item.number, None)) { (h.body.name) ", " (date_short(h.date)) ", § " (h.item.number) " " (h.item.title) }
        },
        Cited::Meeting(s) => html! {
            a href=(meeting_url(&document_id(&s.meeting.source.sha256))) { (s.meeting.body.name) ", " (date_short(s.meeting.date)) }
            " (paragrafen kunde inte avgöras)"
        },
        Cited::Unknown => html! { span.saknas { "finns inte i arkivet" } },
    }
}

fn item_page(app: &App, id: &str, nr: &str, raw: Option<&str>) -> Response {
    let pairs = params::pairs(raw);
    let q = params::get(&pairs, "q").unwrap_or("");
    if let Err(e) = params::query(q) {
        return bad_request(&e);
    }
    let stored = match stored_by_id(app, id) {
        Ok(s) => s,
        Err(r) => return r,
    };
    let m = &stored.meeting;
    let nr = item_number(nr);
    let Some(it) = m.items.iter().find(|i| i.number == nr) else {
        return not_found(&format!("Dokumentet har ingen § {nr}."));
    };
    let id = document_id(&m.source.sha256);
    let this = gather::item_hit(&stored, it);
    let cites: Vec<(&crate::model::Reference, Cited)> =
        it.references.iter().map(|r| (r, gather::resolve(&app.archive, r, &this).unwrap_or(Cited::Unknown))).collect();
    let cited_by = gather::cited_by(&app.archive, &stored, it).unwrap_or_default();
    let present = gather::present_at(m, &it.number);
    let topic = if q.trim().is_empty() { it.title.as_str() } else { q };
    let mark = |text: &str| marked(text, &app.archive.highlights(q, text));
    let title = format!("§ {} {}", it.number, it.title);
    let main = html! {
        article.paragraf {
            p.brodsmulor {
                a href=(body_url(&m.body.key)) { (m.body.name) } " › "
                a href=(meeting_url(&id)) { (date_long(m.date)) }
            }
            h1 { "§ " (it.number) " " (mark(&it.title)) }
            dl.fakta {
                dt { "Organ" } dd { (m.body.name) }
                @if let Some(o) = &m.organization { dt { "Organisation" } dd { (o) } }
                dt { "Datum" } dd { (date_short(m.date)) }
                @if let Some(d) = &it.diarienummer { dt { "Diarienummer" } dd { (d) } }
                dt { "Dokument" } dd { (m.kind.as_str()) ", sida " (it.page) }
                @if !it.presenters.is_empty() { dt { "Föredragande" } dd { (it.presenters.join(", ")) } }
            }
            div.citat {
                span { "Hänvisning: " }
                output #citat { (Citation::of(m, Some(it), &stored.path)) }
                button.kopiera type="button" data-kopiera="citat" hidden { "Kopiera" }
            }
            p.atgarder {
                a #arende-lank href=(matter_url(&id, &it.number)) { "Ärendets historik" }
                " · "
                a #tidslinje-lank href=(timeline_url(topic)) { "Tidslinje för ”" (topic) "”" }
                " · "
                @if m.source.masked == 0 {
                    a.kalla href=(source_url(&id, it.page)) { "Öppna källan på sidan " (it.page) }
                } @else {
                    "Källan innehåller personnummer och visas inte här (sida " (it.page) ")"
                }
            }
            @if let Some(d) = &it.decision {
                section.beslut {
                    h2 { "Beslut " span.beslutstyp { (d.kind.as_str()) } }
                    (paragraphs(&app.archive, &d.text, q))
                }
            }
            @if !it.motions.is_empty() { section { h2 { "Yrkanden" } ul { @for t in &it.motions { li { (mark(t)) } } } } }
            @if !it.reservations.is_empty() { section { h2 { "Reservationer" } ul { @for t in &it.reservations { li { (mark(t)) } } } } }
            @if let Some(v) = &it.vote { section { h2 { "Omröstning" } p { (mark(&v.text)) } } }
            @if !it.notes.is_empty() { section { h2 { "Protokollsanteckningar" } ul { @for t in &it.notes { li { (mark(t)) } } } } }
            section.hanvisningar {
                h2 { "Hänvisningar" }
                h3 { "Paragrafen hänvisar till" }
                @if cites.is_empty() { p { "Inga tidigare beslut." } }
                ul {
                    @for (r, c) in &cites {
                        li { q { (r.text) } br; (cited_link(c)) }
                    }
                }
                h3 { "Senare paragrafer som hänvisar hit" }
                @if cited_by.is_empty() { p { "Inga i arkivet." } }
                ul {
                    @for (h, r) in &cited_by {
                        li {
                            a href=(item_url(&document_id(&h.sha256), &h.item.number, None)) { (h.body.name) ", " (date_short(h.date)) ", § " (h.item.number) " " (h.item.title) }
                            br; q { (r.text) }
                        }
                    }
                }
            }
            section.text {
                h2 { "Hela paragrafen" }
                (paragraphs(&app.archive, &it.text, q))
            }
            section {
                h2 { "Närvarande vid paragrafen" }
                @if present.is_empty() { p { "Protokollet listar inga närvarande." } }
                (people_by_role(&present))
            }
            section { h2 { "Källor" } (sources_list(app, m, it.page)) }
        }
    };
    ok(&title, Some(q), main)
}

/// The content type a source is served with, and whether it must be sandboxed (anything
/// a browser could run script in).
fn content_type(format: Format, bytes: &[u8]) -> (&'static str, bool) {
    match format {
        Format::Pdf => ("application/pdf", false),
        Format::Html => ("text/html; charset=utf-8", true),
        Format::Text if std::str::from_utf8(bytes).is_ok() => ("text/plain; charset=utf-8", true),
        Format::Text => ("text/plain; charset=windows-1252", true),
        Format::Docx => ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", true),
        Format::Odt => ("application/vnd.oasis.opendocument.text", true),
    }
}

/// Serves a document's source file: from a path the index recorded for its content, and
/// only if the file there still has that content.
fn source_response(app: &App, id: &str) -> Response {
    let stored = match stored_by_id(app, id) {
        Ok(s) => s,
        Err(r) => return r,
    };
    if stored.meeting.source.masked > 0 {
        // The file holds personnummer that every page here masks: it is not sent.
        return error_page(
            StatusCode::FORBIDDEN,
            &format!(
                "Källfilen innehåller personnummer ({} st.) och visas därför inte här; sidorna visar texten med numren maskerade. Filen finns på datorn: {}",
                stored.meeting.source.masked, stored.path
            ),
        );
    }
    let sha = &stored.meeting.source.sha256;
    let mut paths = vec![stored.path.clone()];
    if let Ok(sources) = app.archive.sources() {
        paths.extend(sources.into_iter().filter(|s| &s.sha256 == sha && s.refused.is_none() && s.path != stored.path).map(|s| s.path));
    }
    for path in paths {
        let Ok(meta) = std::fs::metadata(&path) else { continue };
        if !meta.is_file() || meta.len() > MAX_SOURCE_BYTES {
            continue;
        }
        let Ok(bytes) = std::fs::read(&path) else { continue };
        if crate::model::sha256_hex(&bytes) != *sha {
            continue;
        }
        let (kind, sandbox) = content_type(stored.meeting.source.format, &bytes);
        let name = std::path::Path::new(&path).file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_else(|| "dokument".into());
        let ascii: String = name.chars().map(|c| if c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_') { c } else { '_' }).collect();
        let disposition = if matches!(stored.meeting.source.format, Format::Docx | Format::Odt) { "attachment" } else { "inline" };
        let mut response = (StatusCode::OK, [(header::CONTENT_TYPE, kind)], bytes).into_response();
        let h = response.headers_mut();
        if let Ok(v) = HeaderValue::from_str(&format!("{disposition}; filename=\"{ascii}\"")) {
            h.insert(header::CONTENT_DISPOSITION, v);
        }
        if sandbox {
            h.insert(header::CONTENT_SECURITY_POLICY, HeaderValue::from_static("sandbox; default-src 'none'; img-src data:; style-src 'unsafe-inline'"));
        }
        return response;
    }
    not_found("Källfilen finns inte längre där den lästes in, eller har ändrats sedan dess. Läs in arkivet igen.")
}

fn matter_page(app: &App, raw: Option<&str>) -> Response {
    let pairs = params::pairs(raw);
    let (dok, nr, dnr) = match (params::short(&pairs, "dokument"), params::short(&pairs, "paragraf"), params::short(&pairs, "dnr")) {
        (Ok(a), Ok(b), Ok(c)) => (a, b, c),
        (Err(e), _, _) | (_, Err(e), _) | (_, _, Err(e)) => return bad_request(&e),
    };
    let (start, stored) = match (dok, nr, dnr) {
        (Some(id), Some(nr), _) => {
            let stored = match stored_by_id(app, id) {
                Ok(s) => s,
                Err(r) => return r,
            };
            let nr = item_number(nr);
            let Some(it) = stored.meeting.items.iter().find(|i| i.number == nr) else {
                return not_found(&format!("Dokumentet har ingen § {nr}."));
            };
            (gather::item_hit(&stored, it), Some(stored))
        }
        (_, _, Some(dnr)) => match app.archive.items_with_case(gather::case_of(dnr).unwrap_or(dnr)) {
            Ok(mut hits) if !hits.is_empty() => {
                hits.sort_by_key(|h| h.date);
                (hits.remove(0), None)
            }
            Ok(_) => return not_found(&format!("Inget ärende har diarienummer ”{dnr}”.")),
            Err(e) => return index_error(&e),
        },
        _ => return bad_request("Ange ”dokument” och ”paragraf”, eller ”dnr”."),
    };
    let title_text = start.item.title.clone();
    let case = start.item.diarienummer.clone();
    let matter = match gather::matter(&app.archive, start, stored.as_ref()) {
        Ok(m) => m,
        Err(e) => return index_error(&e),
    };
    let main = html! {
        section.arende {
            h1 { "Ärende: " (title_text) }
            @if let Some(d) = &case { p { "Diarienummer " (d) } }
            p.ingress { "Paragrafer med samma diarienummer och de beslut de hänvisar till eller hänvisas till av, i datumordning." }
            ol.arende-lista {
                @for step in &matter.steps {
                    @let h = &step.hit;
                    li.arende-post.start[step.link == Link::Start] {
                        span.datum { (date_short(h.date)) }
                        " "
                        a href=(item_url(&document_id(&h.sha256), &h.item.number, None)) { (h.body.name) ", § " (h.item.number) " " (h.item.title) }
                        " " span.relation { (step.link.label()) }
                        @if let Some(d) = &h.item.decision {
                            p.beslutstext { span.beslutstyp { (d.kind.as_str()) } " " (crate::timeline::first_sentence(&d.text)) }
                        }
                    }
                }
            }
            @if !matter.cited_only.is_empty() {
                h2 { "Beslut som bara är kända genom hänvisningar" }
                ul {
                    @for c in &matter.cited_only {
                        li.via-hanvisning {
                            span.datum { (date_short(c.reference.date)) } " "
                            (c.reference.body.as_deref().unwrap_or(&c.citing.body.name))
                            @if let Some(p) = &c.reference.paragraph { ", § " (p) }
                            br; q { (c.reference.text) } br;
                            "Nämns i "
                            a href=(item_url(&document_id(&c.citing.sha256), &c.citing.item.number, None)) { (c.citing.body.name) ", " (date_short(c.citing.date)) ", § " (c.citing.item.number) }
                        }
                    }
                }
            }
            @if matter.truncated { p.obs { "Ärendet har fler länkar än sidan visar." } }
        }
    };
    ok(&format!("Ärende: {title_text}"), Some(""), main)
}

fn person_page(app: &App, raw: Option<&str>) -> Response {
    let pairs = params::pairs(raw);
    let name = match params::required(&pairs, "namn") {
        Ok(n) => n.to_string(),
        Err(e) => return bad_request(&e),
    };
    let (people, truncated) = match gather::people(&app.archive, &name) {
        Ok(p) => p,
        Err(e) => return index_error(&e),
    };
    let main = html! {
        article.person {
            h1 { (name) }
            @if people.is_empty() { p { "Ingen med det namnet finns bland deltagarna i arkivets protokoll." } }
            @if people.len() > 1 {
                p.obs { "Namnet förekommer med olika parti eller i olika organ. De visas var för sig: det kan vara samma person, eller olika." }
            }
            @for p in &people {
                section.identitet {
                    h2 { (p.name) @if let Some(party) = &p.party { " (" (party) ")" } " · " a href=(body_url(&p.body_key)) { (p.body_name) } }
                    p { (count(p.meetings.len(), "sammanträde", "sammanträden")) }
                    table {
                        thead { tr { th scope="col" { "Datum" } th scope="col" { "Roll" } th scope="col" { "Titel" } th scope="col" { "Paragrafer" } } }
                        tbody {
                            @for a in &p.meetings {
                                tr {
                                    td { a href=(meeting_url(&a.document_id)) { (date_short(a.date)) } }
                                    td { (a.roles.join(", ")) }
                                    td { (a.title.as_deref().unwrap_or("")) }
                                    td { (a.paragraphs.as_deref().unwrap_or("alla")) }
                                }
                            }
                        }
                    }
                    @if !p.stances.is_empty() {
                        h3 { "Reservationer och omröstningar" }
                        ul {
                            @for s in &p.stances {
                                li {
                                    (s.kind) ": "
                                    a href=(item_url(&s.document_id, &s.number, None)) { (s.body_name) ", " (date_short(s.date)) ", § " (s.number) " " (s.title) }
                                    br; q { (s.text) }
                                }
                            }
                        }
                    }
                }
            }
            @if truncated { p.obs { "Visar de " (gather::MAX_PERSON_MEETINGS) " senaste sammanträdena." } }
            p { a href=(format!("/sok?{}", super::render::query(&[("q", &format!("\"{name}\""))]))) { "Sök efter namnet i texterna" } }
        }
    };
    ok(&name, Some(""), main)
}

fn bodies_page(app: &App) -> Response {
    let bodies = match app.archive.bodies() {
        Ok(b) => b,
        Err(e) => return index_error(&e),
    };
    let main = html! {
        article.organ {
            h1 { "Organ" }
            @if bodies.is_empty() { p { "Indexet är tomt. Läs in protokoll med " code { "protokoll ingest" } "." } }
            ul.organlista {
                @for b in &bodies {
                    li { a href=(body_url(&b.key)) { (b.name) } " " span.antal { (count(b.meetings, "sammanträde", "sammanträden")) } }
                }
            }
        }
    };
    ok("Organ", Some(""), main)
}

fn body_page(app: &App, key: &str) -> Response {
    if key.chars().count() > 200 {
        return bad_request("Organets nyckel är för lång.");
    }
    let meetings = match app.archive.meetings_of_body(key) {
        Ok(m) => m,
        Err(e) => return index_error(&e),
    };
    let Some(first) = meetings.first() else { return not_found(&format!("Inget organ har nyckeln ”{key}”.")) };
    let name = first.meeting.body.name.clone();
    let mut by_year: BTreeMap<Option<i32>, Vec<&StoredMeeting>> = BTreeMap::new();
    for s in &meetings {
        by_year.entry(s.meeting.date.map(|d| chrono::Datelike::year(&d))).or_default().push(s);
    }
    let search = Search { organ: Some(key.to_string()), ..Search::default() };
    let main = html! {
        article.organ {
            h1 { (name) }
            @if let Some(o) = &first.meeting.organization { p { (o) } }
            p { (count(meetings.len(), "sammanträde", "sammanträden")) " · " a href=(search.url("/sok")) { "Sök bland organets paragrafer" } }
            @for (year, list) in by_year.iter().rev() {
                section {
                    h2 { @match year { Some(y) => (y), None => "Odaterade" } }
                    ul.moteslista {
                        @for s in list.iter().rev() {
                            li {
                                a href=(meeting_url(&document_id(&s.meeting.source.sha256))) { (date_long(s.meeting.date)) }
                                " · " (s.meeting.kind.as_str()) " · " (count(s.meeting.items.len(), "paragraf", "paragrafer"))
                            }
                        }
                    }
                }
            }
        }
    };
    ok(&name, Some(""), main)
}
