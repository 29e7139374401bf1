//! The timeline page: a vertical time axis where distance follows time (a month per
//! step, up to half a year), longer gaps compressed into a marked break; bodies as colour
//! tags on one column, so it reads the same at 375 px as at 1366 px. Each event shows the
//! quote that puts it on the topic, with the topic marked, its kind and its citation.
//! Decisions known only through a citation are drawn dashed and link to the citing item.
//!
//! The same page is written by `timeline --html` as one self-contained file: styles
//! inline, no script, and links to the source files as `file:` URLs.

use std::collections::HashMap;

use axum::http::StatusCode;
use axum::response::Response;
use chrono::{Datelike, NaiveDate};
use maud::{DOCTYPE, Markup, PreEscaped, html};

use super::App;
use super::params;
use super::render::{bad_request, body_url, date_long, index_error, item_url, marked, page as frame, respond, source_url};
use crate::index::Archive;
use crate::text::count;
use crate::timeline::{Event, Timeline};

/// Events drawn on one page at most; narrow by body for the rest.
pub const MAX_EVENTS_SHOWN: usize = 300;

/// Longest quote, in characters, around the words that put an event on the topic.
const QUOTE_CHARS: usize = 320;

/// Days per step of the axis: a month.
const DAYS_PER_STEP: i64 = 30;

/// Steps drawn at most between two dates; a longer gap is compressed and marked.
const MAX_STEPS: i64 = 6;

/// Colours for bodies (CSS classes `organ-0` …).
const BODY_COLOURS: usize = 8;

/// Where links go: this server's pages, or files on disk for a page saved on its own.
#[derive(Clone, Copy, PartialEq)]
enum Links {
    Server,
    Files,
}

/// A `file:` URL to a source file at a page, built by the `url` crate (so spaces and
/// non-ASCII letters are encoded); none for a path that isn't absolute.
fn file_url(path: &str, page: u32) -> Option<String> {
    let mut u = url::Url::from_file_path(path).ok()?;
    u.set_fragment(Some(&format!("page={}", page.max(1))));
    Some(u.to_string())
}

/// A sentence of `text` around its first marked word, cut to [`QUOTE_CHARS`], with the
/// marks inside it.
fn quote_in(archive: &Archive, topic: &str, text: &str) -> Option<(String, Vec<std::ops::Range<usize>>)> {
    let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
    let marks = archive.highlights(topic, &flat);
    let first = marks.first()?.start;
    let sentence = crate::parse::references::sentences(&flat)
        .into_iter()
        .find(|s| {
            let start = s.as_ptr() as usize - flat.as_ptr() as usize;
            (start..start + s.len()).contains(&first)
        })
        .unwrap_or(&flat);
    let mut quote = sentence.to_string();
    if quote.chars().count() > QUOTE_CHARS {
        // Keep the marked word: start a little before it.
        let start_in = first.saturating_sub(sentence.as_ptr() as usize - flat.as_ptr() as usize);
        let from = quote[..start_in.min(quote.len())].char_indices().rev().nth(QUOTE_CHARS / 4).map_or(0, |(i, _)| i);
        let cut: String = quote[from..].chars().take(QUOTE_CHARS).collect();
        quote = format!("{}{cut} …", if from > 0 { "… " } else { "" });
    }
    let marks = archive.highlights(topic, &quote);
    Some((quote, marks))
}

/// The quote that puts an event on the topic: for a decision known from a citation, the
/// citing sentence; else the decision, the item's text, and last its title (which the
/// event shows anyway).
fn quote(archive: &Archive, topic: &str, e: &Event) -> Option<(String, Vec<std::ops::Range<usize>>)> {
    if e.via_reference {
        return [e.cited_in.as_deref(), e.decision.as_deref()].into_iter().flatten().find_map(|t| quote_in(archive, topic, t));
    }
    if let Some(q) = e.decision.as_deref().and_then(|d| quote_in(archive, topic, d)) {
        return Some(q);
    }
    if let Some(q) = archive.item_text(&e.sha256, &e.item).ok().flatten().and_then(|t| quote_in(archive, topic, &t)) {
        return Some(q);
    }
    quote_in(archive, topic, &e.title)
}

/// How far apart two dates are drawn: steps, and whether the gap was compressed.
fn gap(a: Option<NaiveDate>, b: Option<NaiveDate>) -> (i64, Option<i64>) {
    match (a, b) {
        (Some(a), Some(b)) => {
            let days = (b - a).num_days().max(0);
            let steps = (days + DAYS_PER_STEP / 2) / DAYS_PER_STEP;
            if steps > MAX_STEPS { (MAX_STEPS / 2, Some(days / DAYS_PER_STEP)) } else { (steps, None) }
        }
        _ => (1, None),
    }
}

fn event_markup(archive: &Archive, topic: &str, e: &Event, colour: usize, links: Links) -> Markup {
    let kind = e.decision_kind.map_or("utan beslut", |k| k.as_str());
    let own_link = match links {
        Links::Server => Some(item_url(&e.document_id, &e.item, Some(topic))),
        Links::Files => file_url(&e.path, e.page),
    };
    let source = match links {
        Links::Server => Some(source_url(&e.document_id, e.page)),
        Links::Files => file_url(&e.path, e.page),
    };
    let q = quote(archive, topic, e);
    html! {
        li.handelse.via-hanvisning[e.via_reference] {
            div.kort {
                p.rad {
                    span class={ "organ-tag organ-" (colour) } { (e.body) }
                    " " span.beslutstyp { (kind) }
                }
                @if e.via_reference {
                    p.rubrik { "Beslut känt genom hänvisning" }
                } @else {
                    p.rubrik {
                        @match &own_link { Some(u) => a href=(u) { "§ " (e.item) " " (e.title) }, None => { "§ " (e.item) " " (e.title) } }
                    }
                }
                @if let Some((text, marks)) = &q {
                    blockquote { (marked(text, marks)) }
                } @else if let Some(d) = &e.decision {
                    blockquote { (crate::timeline::first_sentence(d)) }
                }
                p.kalla-rad {
                    span.hanvisning { (e.citation) }
                    @if e.via_reference {
                        @if let Some(u) = &own_link { " · " a href=(u) { "paragrafen som hänvisar" } }
                    } @else if let Some(u) = &source {
                        " · " a.kalla href=(u) { "källan, sida " (e.page) }
                    }
                }
                @if !e.matter.is_empty() && e.matter != e.title { p.arendenamn { "Ärende: " (e.matter) } }
            }
        }
    }
}

/// One date on the axis: its events, its distance from the date before (steps, and the
/// months of a compressed gap), and whether a year begins there.
struct DateRow<'a> {
    date: Option<NaiveDate>,
    events: &'a [&'a Event],
    steps: i64,
    compressed: Option<i64>,
    new_year: bool,
}

/// The axis: events grouped by date, spaced by the time between them.
fn axis(archive: &Archive, t: &Timeline, events: &[&Event], links: Links) -> Markup {
    let mut colours: HashMap<&str, usize> = HashMap::new();
    for e in &t.events {
        let n = colours.len();
        colours.entry(e.body_key.as_str()).or_insert(n % BODY_COLOURS);
    }
    let mut groups: Vec<(Option<NaiveDate>, Vec<&Event>)> = Vec::new();
    for e in events {
        match groups.last_mut() {
            Some((d, list)) if *d == e.date => list.push(e),
            _ => groups.push((e.date, vec![e])),
        }
    }
    let mut rows: Vec<DateRow> = Vec::new();
    let mut previous: Option<Option<NaiveDate>> = None;
    for (date, events) in &groups {
        let (steps, compressed) = previous.map_or((0, None), |p| gap(p, *date));
        let new_year = previous.flatten().map(|p| p.year()) != date.map(|d| d.year());
        rows.push(DateRow { date: *date, events, steps, compressed, new_year });
        previous = Some(*date);
    }
    html! {
        ol.tidslinje {
            @for DateRow { date, events: list, steps, compressed, new_year } in &rows {
                @if let Some(months) = compressed {
                    li.glapp aria-hidden="true" { span { "… " (months) " månader utan händelser …" } }
                }
                li class={ "datumrad avstand-" (steps) } {
                    @if *new_year { @if let Some(d) = date { span.ar { (d.year()) } } }
                    h2.datum { (date_long(*date)) }
                    ol.handelser {
                        @for e in list.iter() { (event_markup(archive, &t.topic, e, colours.get(e.body_key.as_str()).copied().unwrap_or(0), links)) }
                    }
                }
            }
        }
    }
}

/// The bodies of a timeline with their colours, first appearance first.
fn legend(t: &Timeline, organ: Option<&str>, links: Links) -> Markup {
    let mut seen: Vec<(&str, &str, usize)> = Vec::new();
    for e in &t.events {
        if !seen.iter().any(|(k, _, _)| *k == e.body_key) {
            let n = seen.len();
            seen.push((&e.body_key, &e.body, n % BODY_COLOURS));
        }
    }
    html! {
        ul.teckenforklaring aria-label="Organ" {
            @for (key, name, colour) in &seen {
                li {
                    span class={ "organ-tag organ-" (colour) } {
                        @if links == Links::Server {
                            a href=(format!("/tidslinje?{}", super::render::query(&[("q", &t.topic), ("organ", key)]))) aria-current=[(organ == Some(*key)).then_some("true")] { (name) }
                        } @else { (name) }
                    }
                }
            }
            li { span.via-prov { "streckad" } " = känt genom hänvisning" }
        }
    }
}

fn summary(t: &Timeline) -> Markup {
    let span = match (t.events.iter().find_map(|e| e.date), t.events.iter().rev().find_map(|e| e.date)) {
        (Some(a), Some(b)) => format!(", {a} – {b}"),
        _ => String::new(),
    };
    html! { p.ingress { (count(t.events.len(), "händelse", "händelser")) (span) "." } }
}

/// The server's timeline page: `/tidslinje?q=TOPIC[&organ=KEY]`.
pub fn page(app: &App, raw: Option<&str>) -> Response {
    let pairs = params::pairs(raw);
    let topic = params::get(&pairs, "q").unwrap_or("").to_string();
    if let Err(e) = params::query(&topic) {
        return bad_request(&e);
    }
    let organ = match params::short(&pairs, "organ") {
        Ok(o) => o.map(str::to_string),
        Err(e) => return bad_request(&e),
    };
    let form = html! {
        form.tidslinjeform action="/tidslinje" method="get" role="search" {
            label for="tq" { "Ämne" }
            div.sokrad {
                input #tq type="search" name="q" value=(topic) placeholder="t.ex. familjehemscentrum";
                button type="submit" { "Visa tidslinje" }
            }
        }
    };
    if topic.trim().is_empty() {
        return respond(
            StatusCode::OK,
            frame("Tidslinje", None, html! { h1 { "Tidslinje" } (form) p { "Skriv ett ämne för att se hur det har behandlats över tid och mellan organ." } }),
        );
    }
    let t = match crate::timeline::timeline(&app.archive, &topic) {
        Ok(t) => t,
        Err(e) => return index_error(&e),
    };
    let selected: Vec<&Event> = t.events.iter().filter(|e| organ.as_deref().is_none_or(|o| e.body_key == o)).collect();
    let shown = &selected[..selected.len().min(MAX_EVENTS_SHOWN)];
    let main = html! {
        article.tidslinjesida {
            h1 { "Tidslinje: " (topic) }
            (form)
            (summary(&t))
            (legend(&t, organ.as_deref(), Links::Server))
            @if let Some(o) = &organ {
                p { "Visar bara " (o) ". " a href=(format!("/tidslinje?{}", super::render::query(&[("q", &topic)]))) { "Visa alla organ" } " · " a href=(body_url(o)) { "Organets sida" } }
            }
            @if selected.len() > shown.len() {
                p.obs { "Visar de " (shown.len()) " första av " (selected.len()) " händelser. Välj ett organ ovan för att se färre åt gången." }
            }
            @if t.events.is_empty() { p { "Inga beslut hittades för ämnet." } }
            (axis(&app.archive, &t, shown, Links::Server))
        }
    };
    respond(StatusCode::OK, frame(&format!("Tidslinje: {topic}"), None, main))
}

/// The timeline as one self-contained HTML file (`timeline --html`).
pub fn standalone(archive: &Archive, t: &Timeline) -> String {
    let events: Vec<&Event> = t.events.iter().collect();
    let markup = html! {
        (DOCTYPE)
        html lang="sv" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { "Tidslinje: " (t.topic) }
                style { (PreEscaped(super::assets::CSS)) }
            }
            body {
                main #innehall {
                    article.tidslinjesida {
                        h1 { "Tidslinje: " (t.topic) }
                        (summary(t))
                        (legend(t, None, Links::Files))
                        @if t.events.is_empty() { p { "Inga beslut hittades för ämnet." } }
                        (axis(archive, t, &events, Links::Files))
                    }
                }
            }
        }
    };
    markup.into_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gaps_follow_time_up_to_half_a_year_then_compress() {
        let d = |y, m, day| NaiveDate::from_ymd_opt(y, m, day);
        assert_eq!(gap(d(2022, 10, 7), d(2022, 10, 7)), (0, None));
        assert_eq!(gap(d(2022, 10, 7), d(2022, 11, 17)), (1, None));
        assert_eq!(gap(d(2022, 1, 1), d(2022, 6, 1)), (5, None));
        assert_eq!(gap(d(2020, 9, 25), d(2022, 4, 1)), (MAX_STEPS / 2, Some(18)));
    }

    #[test]
    fn file_urls_are_encoded() {
        assert_eq!(file_url("/arkiv/Protokoll 2022/§ 148.pdf", 3).as_deref(), Some("file:///arkiv/Protokoll%202022/%C2%A7%20148.pdf#page=3"));
        assert_eq!(file_url("relativ/fil.pdf", 1), None);
    }
}
