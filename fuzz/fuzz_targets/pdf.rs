//! PDF extraction: any bytes read as a file named `.pdf` (so that a file that is not a
//! PDF is refused, and one that is goes through the whole PDF reader). OCR is off, and the
//! time limit short, so that each input is quick; a panic, a crash, or an input past
//! libFuzzer's `-timeout` or `-rss_limit_mb` is a finding.

#![no_main]

use libfuzzer_sys::fuzz_target;
use protokoll::extract::{self, Options};

fuzz_target!(|data: &[u8]| {
    let options = Options { ocr: false, time_limit: std::time::Duration::from_secs(5), ..Options::default() };
    let _ = extract::extract_bytes(data, "fuzz.pdf", &options);
});
