//! protokoll reads archived Swedish meeting protocols (PDF, HTML, plain text, scans) and
//! makes them searchable by decision and followable over time.
//!
//! The pipeline runs one way, one module per stage: [`extract`] turns a file into lines of
//! text in reading order; [`parse`] finds the meeting, its § items, participants, officers,
//! decisions and the earlier decisions they cite, as the types of [`model`]; [`index`]
//! stores meetings in a tantivy index with Swedish analysis and searches it; [`timeline`]
//! follows a topic across bodies and years. A stage uses only the stages before it.
//! [`privacy`] masks personnummer as text leaves extraction, so no later stage sees them.
//! [`text`] holds the Swedish wording every stage shares: counts, and the dependencies'
//! errors said in Swedish.
//! [`citation`] formats the one-line reference (body, organisation, date, §, title, file
//! and page) that every output gives for an item.
//!
//! ```no_run
//! use protokoll::{extract, parse};
//! let path = std::path::Path::new("corpus/pdf/socsam-2021-10-08.pdf");
//! let bytes = std::fs::read(path)?;
//! let text = extract::extract_bytes(&bytes, "socsam-2021-10-08.pdf", &extract::Options::default())?;
//! let meeting = parse::parse(&text, path, &bytes);
//! println!("{} {:?}: {} items", meeting.body.name, meeting.date, meeting.items.len());
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

pub mod citation;
pub mod extract;
pub mod index;
pub mod ingest;
pub mod model;
pub mod parse;
pub mod privacy;
pub mod text;
pub mod timeline;
pub mod web;
