//! The whole of `protokoll parse FILE --json`: any bytes extracted, under a name whose
//! extension the first byte chooses (the rest is the file), then parsed into a meeting
//! and serialised as JSON. A panic, a crash, or an input past libFuzzer's `-timeout` or
//! `-rss_limit_mb` is a finding.

#![no_main]

use libfuzzer_sys::fuzz_target;
use protokoll::extract::{self, Options};

/// The names a file is read under: each extension reaches another reader, or a refusal.
const NAMES: &[&str] = &["fuzz.txt", "fuzz.pdf", "fuzz.html", "fuzz.docx", "fuzz.odt", "fuzz"];

fuzz_target!(|data: &[u8]| {
    let Some((&choice, bytes)) = data.split_first() else { return };
    let name = NAMES[usize::from(choice) % NAMES.len()];
    let options = Options { ocr: false, time_limit: std::time::Duration::from_secs(5), ..Options::default() };
    if let Ok(doc) = extract::extract_bytes(bytes, name, &options) {
        let meeting = protokoll::parse::parse(&doc, std::path::Path::new(name), bytes);
        let _ = serde_json::to_string(&meeting);
    }
});
