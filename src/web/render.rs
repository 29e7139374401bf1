//! What every page shares: the frame, error pages, links, and text with marked words.
//! Document text only ever reaches a page through maud's escaping `(…)`.

use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use maud::{DOCTYPE, Markup, html};
use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};

/// What a path segment keeps unencoded: letters, digits and `-._~`.
const SEGMENT: &AsciiSet = &NON_ALPHANUMERIC.remove(b'-').remove(b'.').remove(b'_').remove(b'~');

pub fn segment(text: &str) -> String {
    utf8_percent_encode(text, SEGMENT).to_string()
}

/// A query string from pairs.
pub fn query(pairs: &[(&str, &str)]) -> String {
    let mut s = url::form_urlencoded::Serializer::new(String::new());
    for (k, v) in pairs {
        s.append_pair(k, v);
    }
    s.finish()
}

pub fn meeting_url(document_id: &str) -> String {
    format!("/dokument/{}", segment(document_id))
}

/// An item's page; `q` carries the words to mark.
pub fn item_url(document_id: &str, number: &str, q: Option<&str>) -> String {
    let base = format!("/dokument/{}/paragraf/{}", segment(document_id), segment(number));
    match q.filter(|q| !q.trim().is_empty()) {
        Some(q) => format!("{base}?{}", query(&[("q", q)])),
        None => base,
    }
}

/// A search hit's page: its item's, with the words to mark; for text outside the items,
/// the meeting's, at the page of text.
pub fn hit_url(h: &crate::index::search::Hit, q: &str) -> String {
    match &h.item {
        Some(n) => item_url(&h.document_id, n, Some(q)),
        None => format!("{}#sida-{}", meeting_url(&h.document_id), h.page),
    }
}

/// A source file, opened at a page.
pub fn source_url(document_id: &str, page: u32) -> String {
    format!("/dokument/{}/fil#page={}", segment(document_id), page.max(1))
}

pub fn matter_url(document_id: &str, number: &str) -> String {
    format!("/arende?{}", query(&[("dokument", document_id), ("paragraf", number)]))
}

pub fn person_url(name: &str) -> String {
    format!("/person?{}", query(&[("namn", name)]))
}

pub fn timeline_url(topic: &str) -> String {
    format!("/tidslinje?{}", query(&[("q", topic)]))
}

pub fn body_url(key: &str) -> String {
    format!("/organ/{}", segment(key))
}

/// A page in the frame: header (with a search box holding `q`, unless the page has its
/// own form: `None`), main content, footer.
pub fn page(title: &str, q: Option<&str>, main: Markup) -> Markup {
    html! {
        (DOCTYPE)
        html lang="sv" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { (title) " – protokoll" }
                link rel="stylesheet" href="/static/stil.css";
                script src="/static/app.js" defer {}
            }
            body {
                a.hoppa href="#innehall" { "Hoppa till innehållet" }
                header.sidhuvud {
                    a.logga href="/" { "protokoll" }
                    nav aria-label="Huvudmeny" {
                        a href="/organ" { "Organ" }
                        a href="/tidslinje" { "Tidslinje" }
                    }
                    @if let Some(q) = q {
                        form.snabbsok role="search" action="/sok" method="get" {
                            label.dold for="snabbsok-q" { "Sök i protokollen" }
                            input #snabbsok-q type="search" name="q" value=(q) placeholder="Sök beslut, ärenden, personer …";
                            button type="submit" { "Sök" }
                        }
                    }
                }
                main #innehall tabindex="-1" { (main) }
                footer.sidfot { "protokoll · lokalt arkiv över sammanträdesprotokoll" }
            }
        }
    }
}

/// An HTML response with a status.
pub fn respond(status: StatusCode, markup: Markup) -> Response {
    (status, [(header::CONTENT_TYPE, "text/html; charset=utf-8")], markup.into_string()).into_response()
}

pub fn error_page(status: StatusCode, message: &str) -> Response {
    let heading = match status {
        StatusCode::BAD_REQUEST => "Felaktig förfrågan",
        StatusCode::NOT_FOUND => "Hittades inte",
        _ => "Något gick fel",
    };
    respond(
        status,
        page(
            heading,
            Some(""),
            html! {
                h1 { (heading) }
                p.fel { (message) }
                p { a href="/" { "Till sökningen" } }
            },
        ),
    )
}

pub fn bad_request(message: &str) -> Response {
    error_page(StatusCode::BAD_REQUEST, message)
}

pub fn not_found(message: &str) -> Response {
    error_page(StatusCode::NOT_FOUND, message)
}

/// An error reading the index: said, not shown as a stack.
pub fn index_error(err: &crate::index::IndexError) -> Response {
    error_page(StatusCode::INTERNAL_SERVER_ERROR, &format!("Indexet kunde inte läsas: {err}"))
}

/// Text with the byte ranges `marks` in `<mark>`; ranges that are out of order or not on
/// character boundaries are skipped.
pub fn marked(text: &str, marks: &[std::ops::Range<usize>]) -> Markup {
    let mut parts: Vec<(&str, bool)> = Vec::new();
    let mut at = 0;
    for r in marks {
        if r.start >= at && r.start < r.end && r.end <= text.len() && text.is_char_boundary(r.start) && text.is_char_boundary(r.end) {
            parts.push((&text[at..r.start], false));
            parts.push((&text[r.clone()], true));
            at = r.end;
        }
    }
    parts.push((&text[at..], false));
    html! {
        @for (t, is_mark) in parts {
            @if is_mark { mark { (t) } } @else { (t) }
        }
    }
}

/// Paragraphs of a text (split on blank lines, or on line breaks when there are none),
/// with the words of `q` marked.
pub fn paragraphs(app: &crate::index::Archive, text: &str, q: &str) -> Markup {
    let blocks: Vec<&str> = if text.contains("\n\n") { text.split("\n\n").collect() } else { text.split('\n').collect() };
    html! {
        @for b in blocks.iter().map(|b| b.trim()).filter(|b| !b.is_empty()) {
            @let flat = b.split_whitespace().collect::<Vec<_>>().join(" ");
            p { (marked(&flat, &app.highlights(q, &flat))) }
        }
    }
}

/// A date for people: "17 november 2022".
pub fn date_long(d: Option<chrono::NaiveDate>) -> String {
    use chrono::Datelike;
    const MONTHS: [&str; 12] = ["januari", "februari", "mars", "april", "maj", "juni", "juli", "augusti", "september", "oktober", "november", "december"];
    match d {
        Some(d) => format!("{} {} {}", d.day(), MONTHS[d.month0() as usize], d.year()),
        None => "datum okänt".to_string(),
    }
}

/// A date as the index writes it, or a dash.
pub fn date_short(d: Option<chrono::NaiveDate>) -> String {
    d.map_or_else(|| "–".to_string(), |d| d.to_string())
}
