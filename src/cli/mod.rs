//! The `protokoll` command line, one module per concern: `args` (the commands and their
//! flags), `swedish` (help and clap's errors in Swedish), `errors` (one line per error at
//! the edge), and a module per kind of job: `document` (extract, parse), `ingest` (ingest,
//! check, remove) and `query` (list, bodies, search, show, timeline, serve). The library
//! does the work; these modules read the command line and print.

pub(crate) mod args;
pub(crate) mod document;
pub(crate) mod errors;
pub(crate) mod ingest;
pub(crate) mod query;
pub(crate) mod swedish;
