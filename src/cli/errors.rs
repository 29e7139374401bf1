//! Errors at the edge: one line for what went wrong, an index's damage said with the
//! way out, dependencies' errors in Swedish, a closed pipe kept quiet, and panics of
//! commands on an index kept for that line.

use std::path::{Path, PathBuf};

use protokoll::extract;
use protokoll::index::lexicon::DictionaryError;
use protokoll::index::location::IndexLocation;
use protokoll::index::{IndexError, check};

/// The last panic of the main thread or of tantivy's threads: where and what.
pub(crate) static PANIC: std::sync::Mutex<Option<String>> = std::sync::Mutex::new(None);

/// For commands on an index: panics in the main thread and in tantivy's threads are kept
/// for `main` to say in one line (tantivy may panic on a damaged index, and that is said
/// as damage); other threads' panics (a reader's, caught per file) print as before.
pub(crate) fn quiet_panics() {
    let default = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        let current = std::thread::current();
        let name = current.name().unwrap_or("");
        if name == "main" || name.starts_with("thrd-tantivy") {
            let what = info.payload().downcast_ref::<&str>().map(|s| s.to_string()).or_else(|| info.payload().downcast_ref::<String>().cloned());
            let at = info.location().map(|l| format!("{}:{}", l.file(), l.line())).unwrap_or_default();
            if let Ok(mut slot) = PANIC.lock() {
                *slot = Some(format!("{} vid {at}", what.unwrap_or_default()));
            }
        } else {
            default(info);
        }
    }));
}

/// An error in one line. An index error is said in its own words (not with the chain of
/// tantivy's messages under it); a missing index says where it was looked for and why
/// there; one that means the index is damaged names what is damaged (a check finds which
/// file) and the way out.
pub(crate) fn explain(err: &anyhow::Error, located: Option<&IndexLocation>) -> String {
    let Some(e) = err.chain().find_map(|e| e.downcast_ref::<IndexError>()) else {
        return describe_chain(err);
    };
    let index = located.map(|l| l.path.as_path());
    if let (IndexError::Missing(path), Some(l)) = (e, located)
        && *path == l.path
    {
        return l.missing();
    }
    if e.is_disk_full() {
        return IndexError::DiskFull(index.map_or_else(|| PathBuf::from("index"), Path::to_path_buf)).to_string();
    }
    let Some(reason) = e.damage() else {
        return e.to_string();
    };
    let path = match (e, index) {
        (IndexError::Damaged { path, .. }, _) if !path.as_os_str().is_empty() => path.clone(),
        (_, Some(index)) => index.to_path_buf(),
        _ => return e.to_string(),
    };
    let named = matches!(e, IndexError::Damaged { path, .. } if !path.as_os_str().is_empty());
    let reason = if named { reason } else { check::first_problem(&path).unwrap_or(reason) };
    IndexError::Damaged { path, reason }.to_string()
}

/// An error that is not the index's: its contexts (the file it concerns) and its cause,
/// joined by colons as anyhow does, with the dependencies' errors said in Swedish and the
/// chain cut after the first error that says its cause itself.
fn describe_chain(err: &anyhow::Error) -> String {
    let mut parts = Vec::new();
    for e in err.chain() {
        let whole = if let Some(io) = e.downcast_ref::<std::io::Error>() {
            Some(protokoll::text::io_error(io))
        } else if let Some(json) = e.downcast_ref::<serde_json::Error>() {
            Some(protokoll::text::json_error(json))
        } else if let Some(web) = e.downcast_ref::<protokoll::web::WebError>() {
            Some(match web {
                protokoll::web::WebError::Bind { addr, source } => format!("kan inte lyssna på {addr}: {}", protokoll::text::io_error(source)),
                protokoll::web::WebError::Io(io) => format!("webbservern: {}", protokoll::text::io_error(io)),
                other => other.to_string(),
            })
        } else if e.is::<extract::ExtractError>() || e.is::<DictionaryError>() {
            Some(e.to_string())
        } else {
            None
        };
        match whole {
            Some(said) => {
                parts.push(said);
                break;
            }
            None => parts.push(e.to_string()),
        }
    }
    parts.join(": ")
}

pub(crate) fn is_broken_pipe(err: &anyhow::Error) -> bool {
    err.chain().any(|e| {
        e.downcast_ref::<std::io::Error>().is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
            || e.downcast_ref::<serde_json::Error>().and_then(serde_json::Error::io_error_kind) == Some(std::io::ErrorKind::BrokenPipe)
    })
}
