//! protokoll reads archived Swedish meeting protocols (PDF, HTML, plain text, scans) and
//! makes them searchable by decision and followable over time.
//!
//! The pipeline runs one way, one module per stage: [`extract`] turns a file into lines of
//! text in reading order, and [`model`] holds the domain types the later stages fill in.
//!
//! ```no_run
//! use protokoll::extract;
//! let path = std::path::Path::new("corpus/pdf/socsam-2021-10-08.pdf");
//! let text = extract::extract_path(path, &extract::Options::default())?;
//! println!("{} pages", text.pages.len());
//! # Ok::<(), extract::ExtractError>(())
//! ```

pub mod extract;
pub mod model;
