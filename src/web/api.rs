//! The JSON API: the CLI's JSON (CONTRACT.md) with a `schema` version, and a `url` on
//! each hit, item and event: the path of its page. Bad parameters get a 400 with an
//! `error` that says why.

use std::sync::Arc;

use axum::extract::{RawQuery, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};

use super::gather::{self, Cited};
use super::pages::stored_by_id;
use super::params::{self, Search};
use super::render::{hit_url, item_url, meeting_url};
use super::{App, blocking};
use crate::model::document_id;

/// The version of the API's JSON: bumped when a field changes meaning or goes away.
pub const SCHEMA: u32 = 1;

fn json_response(status: StatusCode, mut value: Value) -> Response {
    if let Some(obj) = value.as_object_mut() {
        obj.insert("schema".into(), json!(SCHEMA));
    }
    (status, [(header::CONTENT_TYPE, "application/json; charset=utf-8")], value.to_string()).into_response()
}

fn error(status: StatusCode, message: &str) -> Response {
    json_response(status, json!({ "error": message }))
}

/// A page's error as JSON: the status it had, and its message.
fn from_page(response: Response) -> Response {
    let status = response.status();
    let message = match status {
        StatusCode::NOT_FOUND => "hittades inte",
        StatusCode::BAD_REQUEST => "felaktig förfrågan",
        _ => "internt fel",
    };
    error(status, message)
}

/// The error is the response to answer with.
#[allow(clippy::result_large_err)]
fn to_value<T: serde::Serialize>(t: &T) -> Result<Value, Response> {
    serde_json::to_value(t).map_err(|e| error(StatusCode::INTERNAL_SERVER_ERROR, &e.to_string()))
}

pub async fn search(State(app): State<Arc<App>>, RawQuery(raw): RawQuery) -> Response {
    blocking(&app, move |app| {
        let s = match Search::from_pairs(&params::pairs(raw.as_deref())) {
            Ok(s) => s,
            Err(e) => return error(StatusCode::BAD_REQUEST, &e),
        };
        let results = match app.archive.search(&s.q, &s.options()) {
            Ok(r) => r,
            Err(crate::index::IndexError::Filter(e)) => return error(StatusCode::BAD_REQUEST, &params::sentence(&e.to_string())),
            Err(e) => return error(StatusCode::INTERNAL_SERVER_ERROR, &e.to_string()),
        };
        let mut v = match to_value(&results) {
            Ok(v) => v,
            Err(r) => return r,
        };
        if let Some(hits) = v.get_mut("hits").and_then(Value::as_array_mut) {
            for (hit, h) in hits.iter_mut().zip(&results.hits) {
                hit["url"] = json!(hit_url(h, &s.q));
            }
        }
        v["page_url"] = json!(s.url("/sok"));
        json_response(StatusCode::OK, v)
    })
    .await
}

pub async fn item(State(app): State<Arc<App>>, RawQuery(raw): RawQuery) -> Response {
    blocking(&app, move |app| {
        let pairs = params::pairs(raw.as_deref());
        let (id, nr) = match (params::required(&pairs, "dokument"), params::required(&pairs, "paragraf")) {
            (Ok(a), Ok(b)) => (a, b),
            (Err(e), _) | (_, Err(e)) => return error(StatusCode::BAD_REQUEST, &e),
        };
        let stored = match stored_by_id(app, id) {
            Ok(s) => s,
            Err(r) => return from_page(r),
        };
        let m = &stored.meeting;
        let nr = crate::text::item_number(nr);
        let Some(it) = m.items.iter().find(|i| i.number == nr) else {
            return error(StatusCode::NOT_FOUND, &format!("dokumentet har ingen § {nr}"));
        };
        let id = document_id(&m.source.sha256);
        let this = gather::item_hit(&stored, it);
        let mut v = match crate::citation::item_json(m, it, &stored.path) {
            Ok(v) => v,
            Err(e) => return error(StatusCode::INTERNAL_SERVER_ERROR, &e.to_string()),
        };
        let cites: Vec<Value> = it
            .references
            .iter()
            .map(|r| {
                let url = match gather::resolve(&app.archive, r, &this) {
                    Ok(Cited::Item(h)) => Some(item_url(&document_id(&h.sha256), &h.item.number, None)),
                    Ok(Cited::Meeting(s)) => Some(meeting_url(&document_id(&s.meeting.source.sha256))),
                    _ => None,
                };
                json!({ "text": r.text, "date": r.date, "body": r.body, "paragraph": r.paragraph, "url": url })
            })
            .collect();
        let cited_by: Vec<Value> = gather::cited_by(&app.archive, &stored, it)
            .unwrap_or_default()
            .into_iter()
            .map(|(h, r)| {
                json!({ "document": h.document, "item": h.item.number, "date": h.date, "body": h.body.name, "text": r.text,
                        "url": item_url(&document_id(&h.sha256), &h.item.number, None) })
            })
            .collect();
        v["document_id"] = json!(id);
        v["url"] = json!(item_url(&id, &it.number, None));
        v["cites"] = json!(cites);
        v["cited_by"] = json!(cited_by);
        json_response(StatusCode::OK, v)
    })
    .await
}

pub async fn meeting(State(app): State<Arc<App>>, RawQuery(raw): RawQuery) -> Response {
    blocking(&app, move |app| {
        let pairs = params::pairs(raw.as_deref());
        let id = match params::required(&pairs, "dokument") {
            Ok(id) => id,
            Err(e) => return error(StatusCode::BAD_REQUEST, &e),
        };
        let stored = match stored_by_id(app, id) {
            Ok(s) => s,
            Err(r) => return from_page(r),
        };
        let m = &stored.meeting;
        let id = document_id(&m.source.sha256);
        let mut v = match crate::citation::meeting_json(m, &stored.path, crate::citation::Items::Cited) {
            Ok(v) => v,
            Err(e) => return error(StatusCode::INTERNAL_SERVER_ERROR, &e.to_string()),
        };
        if let Some(items) = v.get_mut("items").and_then(Value::as_array_mut) {
            for (item, it) in items.iter_mut().zip(&m.items) {
                item["url"] = json!(item_url(&id, &it.number, None));
            }
        }
        v["document_id"] = json!(id);
        v["url"] = json!(meeting_url(&id));
        json_response(StatusCode::OK, v)
    })
    .await
}

pub async fn timeline(State(app): State<Arc<App>>, RawQuery(raw): RawQuery) -> Response {
    blocking(&app, move |app| {
        let pairs = params::pairs(raw.as_deref());
        let topic = match params::required(&pairs, "q") {
            Ok(t) => match params::query(t) {
                Ok(()) => t.to_string(),
                Err(e) => return error(StatusCode::BAD_REQUEST, &e),
            },
            Err(e) => return error(StatusCode::BAD_REQUEST, &e),
        };
        let t = match crate::timeline::timeline(&app.archive, &topic) {
            Ok(t) => t,
            Err(e) => return error(StatusCode::INTERNAL_SERVER_ERROR, &e.to_string()),
        };
        let mut v = match to_value(&t) {
            Ok(v) => v,
            Err(r) => return r,
        };
        if let Some(events) = v.get_mut("events").and_then(Value::as_array_mut) {
            for (event, e) in events.iter_mut().zip(&t.events) {
                event["url"] = json!(item_url(&e.document_id, &e.item, None));
            }
        }
        json_response(StatusCode::OK, v)
    })
    .await
}
