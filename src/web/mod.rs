//! `protokoll serve`: a local web app over an index. Search with facets, items with their
//! text, presence and citations both ways, meetings, matters, people, bodies and
//! timelines, as server-rendered HTML in Swedish, and the same data as JSON under
//! `/api/`.
//!
//! What it guarantees:
//! - every text from a document is escaped by the templates (maud); no page holds inline
//!   script, and the Content-Security-Policy forbids it;
//! - no request parameter is ever a path: a source file is served by document id only,
//!   from the path the index recorded, and only while its bytes still have the content
//!   hash the index read;
//! - a bad parameter gets a 400 page that says what was wrong;
//! - the index is re-read when a running `ingest` commits, without a restart.
//!
//! What it doesn't do: write to the index, or fetch anything from the network. CSS and
//! the one script are compiled into the binary.

mod api;
mod assets;
mod gather;
mod pages;
mod params;
mod render;
mod timeline_page;

use std::net::SocketAddr;
use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime};

use axum::Router;
use axum::http::{HeaderValue, header};
use axum::response::Response;
use axum::routing::get;

use crate::index::{Archive, IndexError};

pub use timeline_page::standalone as timeline_html;

/// Errors that stop the server from starting or running.
#[derive(Debug, thiserror::Error)]
pub enum WebError {
    #[error(transparent)]
    Index(#[from] IndexError),
    #[error("kan inte lyssna på {addr}: {source}")]
    Bind { addr: SocketAddr, source: std::io::Error },
    #[error("webbservern: {0}")]
    Io(#[from] std::io::Error),
}

/// How often the index folder is looked at for a new commit.
const REFRESH_INTERVAL: Duration = Duration::from_secs(1);

/// Threads that render pages at most, beyond one per core. A page is CPU work: more
/// threads than cores only share the cores, so that a heavy search slows every page
/// rendered beside it; a queue in front of one thread per core serves pages in turn.
const EXTRA_RENDER_THREADS: usize = 0;

/// The policy sent with every page: scripts and styles only from this server, no
/// inline script, no frames, forms only to this server.
const CONTENT_SECURITY_POLICY: &str = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

/// What every request handler shares.
pub(crate) struct App {
    pub archive: Archive,
    /// The modification time and size of the index's `meta.json` when last read.
    seen: Mutex<Option<(SystemTime, u64)>>,
}

/// The modification time and size of an index's `meta.json`: what a commit changes.
fn meta_stamp(index: &Path) -> Option<(SystemTime, u64)> {
    let meta = std::fs::metadata(index.join("meta.json")).ok()?;
    Some((meta.modified().ok()?, meta.len()))
}

impl App {
    /// Re-reads the index when `meta.json` has changed since it was last read.
    fn refresh_if_changed(&self) {
        let stamp = meta_stamp(self.archive.path());
        let Ok(mut seen) = self.seen.lock() else { return };
        if stamp != *seen && self.archive.refresh().is_ok() {
            *seen = stamp;
        }
    }
}

/// Serves the index at `index` on `addr` until interrupted. `ready` is called with the
/// address actually bound (port 0 picks a free port) before the first request.
pub fn serve(index: &Path, addr: SocketAddr, ready: impl FnOnce(SocketAddr)) -> Result<(), WebError> {
    // Stamped before opening: a commit in between is seen at the first look.
    let seen = Mutex::new(meta_stamp(index));
    let archive = Archive::open(index)?;
    let app = Arc::new(App { archive, seen });
    let cores = std::thread::available_parallelism().map_or(2, std::num::NonZeroUsize::get);
    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().max_blocking_threads(cores + EXTRA_RENDER_THREADS).build()?;
    runtime.block_on(async move {
        let listener = tokio::net::TcpListener::bind(addr).await.map_err(|source| WebError::Bind { addr, source })?;
        ready(listener.local_addr()?);
        let watcher = Arc::clone(&app);
        tokio::spawn(async move {
            let mut tick = tokio::time::interval(REFRESH_INTERVAL);
            loop {
                tick.tick().await;
                let app = Arc::clone(&watcher);
                let _ = tokio::task::spawn_blocking(move || app.refresh_if_changed()).await;
            }
        });
        axum::serve(listener, router(app)).with_graceful_shutdown(shutdown()).await?;
        Ok(())
    })
}

async fn shutdown() {
    let interrupt = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        _ = interrupt => {}
        _ = terminate => {}
    }
}

fn router(app: Arc<App>) -> Router {
    Router::new()
        .route("/", get(pages::search))
        .route("/sok", get(pages::search))
        .route("/dokument/{id}", get(pages::meeting))
        .route("/dokument/{id}/paragraf/{nr}", get(pages::item))
        .route("/dokument/{id}/fil", get(pages::source_file))
        .route("/arende", get(pages::matter))
        .route("/person", get(pages::person))
        .route("/tidslinje", get(pages::timeline))
        .route("/organ", get(pages::bodies))
        .route("/organ/{key}", get(pages::body))
        .route("/static/stil.css", get(assets::css))
        .route("/static/app.js", get(assets::script))
        .route("/api/search", get(api::search))
        .route("/api/item", get(api::item))
        .route("/api/meeting", get(api::meeting))
        .route("/api/timeline", get(api::timeline))
        .fallback(pages::fallback)
        .layer(axum::middleware::map_response(security_headers))
        .with_state(app)
}

/// The headers every response carries; a response that set its own policy (a source
/// file, sandboxed) keeps it.
async fn security_headers(mut response: Response) -> Response {
    let h = response.headers_mut();
    h.entry(header::CONTENT_SECURITY_POLICY).or_insert(HeaderValue::from_static(CONTENT_SECURITY_POLICY));
    h.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    h.insert(header::REFERRER_POLICY, HeaderValue::from_static("no-referrer"));
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    response
}

/// Runs page work on the blocking pool: searches and store reads are CPU and disk work.
/// A panic in it becomes a 500 page, not a dropped connection.
async fn blocking(app: &Arc<App>, work: impl FnOnce(&App) -> Response + Send + 'static) -> Response {
    let app = Arc::clone(app);
    match tokio::task::spawn_blocking(move || work(&app)).await {
        Ok(r) => r,
        Err(_) => render::error_page(axum::http::StatusCode::INTERNAL_SERVER_ERROR, "Ett internt fel inträffade när sidan skulle visas."),
    }
}
