//! The stylesheet and the one script, compiled into the binary: archives are often
//! offline, and the pages load nothing from elsewhere.

use axum::http::header;
use axum::response::{IntoResponse, Response};

pub const CSS: &str = include_str!("static/stil.css");
const SCRIPT: &str = include_str!("static/app.js");

/// How long a browser may keep the assets: they change only with the binary.
const CACHE: &str = "public, max-age=3600";

pub async fn css() -> Response {
    ([(header::CONTENT_TYPE, "text/css; charset=utf-8"), (header::CACHE_CONTROL, CACHE)], CSS).into_response()
}

pub async fn script() -> Response {
    ([(header::CONTENT_TYPE, "text/javascript; charset=utf-8"), (header::CACHE_CONTROL, CACHE)], SCRIPT).into_response()
}
