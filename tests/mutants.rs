//! Mutation test: a few hundred mutants of the files in `corpus/` (bit flips, runs
//! overwritten, chunks cut or repeated thousands of times, PDF objects and page-tree kids
//! repeated, HTML elements nested 10⁴ deep, huge numbers, runs of tabs, long lines,
//! truncation, two files spliced; see `tests/common/mutate.rs`), and every file of
//! `tests/fuzz-regressions/`, each read as `protokoll parse` reads a file: extracted with the
//! default time limit (OCR off, so that nothing depends on tesseract) and parsed.
//!
//! Each case runs inside `catch_unwind`, and the cases run in a child process (this test
//! binary again, the ignored test `worker`), so that even a stack overflow or an abort
//! is reported as the case it came from, and the cases after it still run. The test fails
//! on any panic or crash, and on any result that breaks what the rest of the program
//! relies on: a refusal is one non-empty line in Swedish; a text has numbered pages, warnings
//! of one line, and a size bounded by its input; the meeting serialises to JSON of a size
//! bounded by its text. A failing mutant is printed with its index, seed, mutator and
//! source, and written to `target/tmp/fuzz-failures/`, ready to be kept in
//! `tests/fuzz-regressions/`.
//!
//! ```text
//! cargo test --release --test mutants
//! PROTOKOLL_MUTANTS=3000 PROTOKOLL_MUTANTS_SEED=42 cargo test --release --test mutants   # more, others
//! ```
//!
//! Speed is not asserted (that is `benches/hostile.rs`'s), only that a case ends: one not
//! done after 60 s is reported as hung. The slowest cases are printed. A case that
//! `tests/fuzz-regressions/README.md` marks as open (a known failure not fixed yet) is
//! reported as still open instead of failing the test.

#[path = "common/archive.rs"]
mod archive;
#[path = "common/mutate.rs"]
mod mutate;

use std::collections::{BTreeMap, BTreeSet};
use std::io::{BufRead, Write};
use std::panic::AssertUnwindSafe;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use protokoll::extract::{self, ExtractError, Options};

/// Mutants made, unless `PROTOKOLL_MUTANTS` says otherwise.
const MUTANTS: usize = 300;

/// Stack of the thread a case runs on: the main thread's of `protokoll` on Linux.
const CASE_STACK_BYTES: usize = 8 * 1024 * 1024;

/// Longest refusal, in characters: one line a user reads.
const MAX_REASON_CHARS: usize = 600;

/// Extracted text (the cells' text) may be this many times its input's size, plus
/// [`TEXT_SLACK_BYTES`]: a PDF's deflate streams and a text file's tabs grow when read.
const MAX_TEXT_OF_INPUT: usize = 64;
const TEXT_SLACK_BYTES: usize = 1 << 20;

/// A meeting's JSON may be this many times its text's size, plus [`JSON_SLACK_BYTES`]:
/// each word is stored once in an item or outside them, plus titles, decisions and names.
const MAX_JSON_OF_TEXT: usize = 8;
const JSON_SLACK_BYTES: usize = 1 << 20;

/// A case not done after this long is hung: the worker is stopped and the case reported.
/// Not a bar on speed (that is `benches/hostile.rs`'s), only on never ending: three times
/// the default time limit of an extraction.
const HANG_LIMIT: Duration = Duration::from_secs(60);

/// The same for a case marked open in `tests/fuzz-regressions/README.md`: known to hang
/// until it is fixed, and run only to say whether it still does.
const OPEN_HANG_LIMIT: Duration = Duration::from_secs(10);

/// Cases whose time is printed at the end.
const SLOWEST_SHOWN: usize = 8;

/// The environment variables between this test and its worker.
const WORKER_SET: &str = "PROTOKOLL_MUTANTS_WORKER";
const WORKER_FROM: &str = "PROTOKOLL_MUTANTS_FROM";

#[derive(Debug, Clone, Copy, PartialEq)]
enum Set {
    Mutants,
    Regressions,
}

impl Set {
    fn as_str(self) -> &'static str {
        match self {
            Set::Mutants => "mutants",
            Set::Regressions => "regressions",
        }
    }
    fn from_str(s: &str) -> Option<Set> {
        [Set::Mutants, Set::Regressions].into_iter().find(|set| set.as_str() == s)
    }
}

/// One input to read.
struct Case {
    /// How to make it again.
    label: String,
    /// The name it is read under.
    name: String,
    /// A file name for keeping it.
    keep_as: String,
    bytes: Vec<u8>,
}

fn mutant_count() -> usize {
    mutate::env_number("PROTOKOLL_MUTANTS").map_or(MUTANTS, |n| n as usize)
}

fn seed() -> u64 {
    mutate::env_number("PROTOKOLL_MUTANTS_SEED").unwrap_or(mutate::DEFAULT_SEED)
}

fn regressions_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fuzz-regressions")
}

/// The files of the regression corpus, in order: everything but the notes (`*.md`).
fn regression_files() -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(regressions_dir())
        .map(|d| d.flatten().map(|e| e.path()).filter(|p| p.is_file() && p.extension().is_none_or(|e| e != "md")).collect())
        .unwrap_or_default();
    files.sort();
    files
}

/// The cases of a set, made one at a time.
struct Cases {
    set: Set,
    sources: Vec<mutate::Source>,
    regressions: Vec<PathBuf>,
    seed: u64,
    count: usize,
}

impl Cases {
    fn new(set: Set) -> Cases {
        match set {
            Set::Mutants => {
                let sources = mutate::sources(&mutate::corpus_root());
                assert!(!sources.is_empty(), "no files in corpus/");
                Cases { set, sources, regressions: Vec::new(), seed: seed(), count: mutant_count() }
            }
            Set::Regressions => {
                let regressions = regression_files();
                Cases { set, sources: Vec::new(), count: regressions.len(), regressions, seed: 0 }
            }
        }
    }

    fn get(&self, i: usize) -> Case {
        match self.set {
            Set::Mutants => {
                let m = mutate::mutant(&self.sources, self.seed, i);
                Case { label: m.describe(), name: m.name.clone(), keep_as: m.file_name(), bytes: m.bytes }
            }
            Set::Regressions => {
                let path = &self.regressions[i];
                let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
                let bytes = std::fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
                Case { label: format!("tests/fuzz-regressions/{name}"), keep_as: name.clone(), name, bytes }
            }
        }
    }
}

// --- Reading one case ------------------------------------------------------------------

/// The last panic's message and place, recorded by the hook (a panic in a rayon thread
/// reaches `catch_unwind` without its place).
static LAST_PANIC: Mutex<Option<String>> = Mutex::new(None);

fn record_panics() {
    std::panic::set_hook(Box::new(|info| {
        let place = info.location().map(|l| format!(" at {}:{}", l.file(), l.line())).unwrap_or_default();
        let message = info
            .payload()
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| info.payload().downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "(no message)".into());
        if let Ok(mut last) = LAST_PANIC.lock() {
            *last = Some(format!("{message}{place}"));
        }
    }));
}

/// Every refusal starts with one of these (the `Display` of [`ExtractError`]).
const REFUSAL_STARTS: &[&str] = &[
    "kan inte läsa filen",
    "tom fil",
    "för stor fil",
    "lösenordsskyddad PDF",
    "inte en PDF",
    "inte en HTML-sida",
    "okänt filformat",
    "trasig PDF",
    "ingen text",
    "tidsgränsen",
    "gammalt Word-format",
    "lösenordsskyddat Word-dokument",
    "trasigt ",
];

fn one_line(what: &str, s: &str) -> Result<(), String> {
    if s.trim().is_empty() {
        return Err(format!("empty {what}"));
    }
    if s.contains(['\n', '\r']) {
        return Err(format!("{what} of more than one line: {:?}", short(s)));
    }
    Ok(())
}

fn short(s: &str) -> String {
    let mut out: String = s.chars().take(160).collect();
    if s.chars().count() > 160 {
        out.push('…');
    }
    out
}

/// Reads a case as `protokoll parse` does and checks what came of it. `Ok` says in short
/// what it was; `Err` says what is wrong.
fn read_case(bytes: &[u8], name: &str) -> Result<String, String> {
    let options = Options { ocr: false, ..Options::default() };
    let doc = match extract::extract_bytes(bytes, name, &options) {
        Ok(doc) => doc,
        Err(e) => return check_refusal(&e),
    };
    let text_bytes: usize = doc.pages.iter().flat_map(|p| &p.lines).flat_map(|l| &l.cells).map(|c| c.text.len()).sum();
    let text_bound = MAX_TEXT_OF_INPUT * bytes.len() + TEXT_SLACK_BYTES;
    if text_bytes > text_bound {
        return Err(format!("{text_bytes} bytes of text from {} bytes of input (bound {text_bound})", bytes.len()));
    }
    for (k, page) in doc.pages.iter().enumerate() {
        if page.number == 0 || page.number as usize > doc.pages.len().max(k + 1) * 2 {
            return Err(format!("page {k} of {} is numbered {}", doc.pages.len(), page.number));
        }
    }
    for w in &doc.warnings {
        one_line("extraction warning", w)?;
    }
    let meeting = protokoll::parse::parse(&doc, Path::new(name), bytes);
    let json = serde_json::to_string(&meeting).map_err(|e| format!("the meeting does not serialise: {e}"))?;
    let json_bound = MAX_JSON_OF_TEXT * text_bytes + JSON_SLACK_BYTES;
    if json.len() > json_bound {
        return Err(format!("{} bytes of JSON from {text_bytes} bytes of text (bound {json_bound})", json.len()));
    }
    for w in &meeting.warnings {
        one_line("parse warning", w)?;
    }
    if meeting.items.iter().any(|i| i.number.trim().is_empty()) {
        return Err("an item without a number".into());
    }
    Ok(format!("{} pages, {} items, {} warnings, {text_bytes} bytes of text", doc.pages.len(), meeting.items.len(), doc.warnings.len()))
}

fn check_refusal(e: &ExtractError) -> Result<String, String> {
    let reason = e.to_string();
    one_line("refusal", &reason)?;
    if reason.chars().count() > MAX_REASON_CHARS {
        return Err(format!("a refusal of {} characters: {:?}", reason.chars().count(), short(&reason)));
    }
    if !REFUSAL_STARTS.iter().any(|s| reason.starts_with(s)) {
        return Err(format!("a refusal not in Swedish: {:?}", short(&reason)));
    }
    Ok(format!("refused: {}", short(&reason)))
}

/// Runs one case on a thread of its own, catching a panic.
fn run_case(case: &Case) -> Result<String, String> {
    let (bytes, name) = (case.bytes.clone(), case.name.clone());
    let handle = std::thread::Builder::new()
        .stack_size(CASE_STACK_BYTES)
        .spawn(move || std::panic::catch_unwind(AssertUnwindSafe(|| read_case(&bytes, &name))))
        .map_err(|e| format!("no thread: {e}"))?;
    match handle.join() {
        Ok(Ok(result)) => result,
        Ok(Err(_)) | Err(_) => {
            let last = LAST_PANIC.lock().ok().and_then(|mut l| l.take()).unwrap_or_else(|| "(no message)".into());
            Err(format!("panicked: {last}"))
        }
    }
}

// --- The worker and the test that drives it -------------------------------------------

/// Reads the cases of a set from `from` on, printing a line as each starts and ends, for
/// the test that runs it to follow. Run without the environment of that test, it reads
/// both sets in this process and fails on the first bad case.
#[test]
#[ignore = "the worker of mutants_of_the_corpus_are_read_or_refused and the_regression_corpus_is_read_or_refused"]
fn worker() {
    record_panics();
    let Some(set) = std::env::var(WORKER_SET).ok().and_then(|s| Set::from_str(&s)) else {
        for set in [Set::Regressions, Set::Mutants] {
            let cases = Cases::new(set);
            for i in 0..cases.count {
                let case = cases.get(i);
                if let Err(e) = run_case(&case) {
                    panic!("{}: {e}", case.label);
                }
            }
        }
        return;
    };
    let from = mutate::env_number(WORKER_FROM).unwrap_or(0) as usize;
    let cases = Cases::new(set);
    let mut out = std::io::stdout().lock();
    // libtest has started a line ("test worker ... "): the driver reads whole lines.
    let _ = writeln!(out);
    for i in from..cases.count {
        let case = cases.get(i);
        let _ = writeln!(out, "case {i} start {}", case.label.replace(['\n', '\r'], " "));
        let _ = out.flush();
        let started = Instant::now();
        let result = run_case(&case);
        let ms = started.elapsed().as_millis();
        let line = match result {
            Ok(what) => format!("case {i} ok {ms} {what}"),
            Err(e) => format!("case {i} fail {ms} {e}"),
        };
        let _ = writeln!(out, "{}", line.replace(['\n', '\r'], " "));
        let _ = out.flush();
    }
    let _ = writeln!(out, "cases done");
}

/// A case that went wrong.
struct Failure {
    index: usize,
    what: String,
}

/// What the worker said, line by line.
enum Said {
    Start(usize),
    Done(usize, Duration, bool, String),
    Finished,
}

fn said(line: &str) -> Option<Said> {
    if line == "cases done" {
        return Some(Said::Finished);
    }
    let mut words = line.splitn(5, ' ');
    let (Some("case"), Some(i)) = (words.next(), words.next().and_then(|n| n.parse::<usize>().ok())) else { return None };
    match words.next()? {
        "start" => Some(Said::Start(i)),
        result @ ("ok" | "fail") => {
            let ms: u64 = words.next().and_then(|m| m.parse().ok()).unwrap_or(0);
            Some(Said::Done(i, Duration::from_millis(ms), result == "fail", words.next().unwrap_or("").to_string()))
        }
        _ => None,
    }
}

/// Runs the worker over a set, again after each crash or hang from the case after the
/// one that crashed or hung. Returns the failures and each finished case's time.
fn drive(set: Set, open: &BTreeSet<usize>) -> (Vec<Failure>, Vec<(Duration, usize, String)>) {
    let limit = |i: usize| if open.contains(&i) { OPEN_HANG_LIMIT } else { HANG_LIMIT };
    let exe = std::env::current_exe().expect("test binary");
    let tmp = PathBuf::from(env!("CARGO_TARGET_TMPDIR"));
    std::fs::create_dir_all(&tmp).expect("target/tmp");
    let stderr_path = tmp.join(format!("mutants-{}-stderr.txt", set.as_str()));
    let mut failures = Vec::new();
    let mut times = Vec::new();
    let mut from = 0usize;
    loop {
        let stderr = std::fs::File::create(&stderr_path).expect("stderr file");
        let mut child = Command::new(&exe)
            .args(["worker", "--exact", "--ignored", "--nocapture", "--test-threads=1"])
            .env(WORKER_SET, set.as_str())
            .env(WORKER_FROM, from.to_string())
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(stderr)
            .spawn()
            .expect("run the worker");
        let stdout = child.stdout.take().expect("stdout");
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            for line in std::io::BufReader::new(stdout).lines() {
                let Ok(line) = line else { break };
                if let Some(s) = said(&line)
                    && tx.send(s).is_err()
                {
                    break;
                }
            }
        });
        let mut running: Option<(usize, Instant)> = None;
        let mut finished = false;
        let mut hung = false;
        loop {
            match rx.recv_timeout(Duration::from_secs(1)) {
                Ok(Said::Start(i)) => running = Some((i, Instant::now())),
                Ok(Said::Done(i, t, failed, what)) => {
                    running = None;
                    times.push((t, i, what.clone()));
                    if failed {
                        failures.push(Failure { index: i, what });
                    }
                }
                Ok(Said::Finished) => finished = true,
                Err(std::sync::mpsc::RecvTimeoutError::Timeout) => {
                    if running.is_some_and(|(i, since)| since.elapsed() > limit(i)) {
                        hung = true;
                        let _ = child.kill();
                    }
                }
                Err(std::sync::mpsc::RecvTimeoutError::Disconnected) => break,
            }
        }
        let status = child.wait().expect("wait for the worker");
        if finished && status.success() {
            break;
        }
        let tail = std::fs::read_to_string(&stderr_path).unwrap_or_default();
        let tail: Vec<&str> = tail.lines().filter(|l| !l.trim().is_empty()).collect();
        let tail = tail[tail.len().saturating_sub(3)..].join(" / ");
        match running {
            Some((i, _)) if hung => {
                failures.push(Failure { index: i, what: format!("hung: not done after {} s", limit(i).as_secs()) });
                from = i + 1;
            }
            Some((i, _)) => {
                failures.push(Failure { index: i, what: format!("crashed the process ({status}): {tail}") });
                from = i + 1;
            }
            None => panic!("the worker for {} ended ({status}) outside any case: {tail}", set.as_str()),
        }
    }
    (failures, times)
}

/// Writes a line to stderr past the test harness's capture, so that a passing run shows it.
fn say(line: &str) {
    let _ = writeln!(std::io::stderr().lock(), "{line}");
}

/// The cases that `tests/fuzz-regressions/README.md` marks as open (known, not fixed
/// yet), by the name they are kept under, with what the note says: the rows whose status
/// column starts with "open". A row may name a mutant of this test (of the default seed)
/// by the name it is kept under, without the file being there.
fn open_marks() -> BTreeMap<String, String> {
    let note = std::fs::read_to_string(regressions_dir().join("README.md")).unwrap_or_default();
    note.lines()
        .filter_map(|line| {
            let cells: Vec<&str> = line.trim().trim_matches('|').split('|').map(str::trim).collect();
            let [file, _what, status] = cells.as_slice() else { return None };
            status.starts_with("open").then(|| (file.trim_matches('`').to_string(), status.to_string()))
        })
        .collect()
}

/// Drives a set and fails with every bad case, each kept under `target/tmp/fuzz-failures/`.
/// A case marked open in the regression note is reported as still open, not failed.
fn check_set(set: Set) {
    let cases = Cases::new(set);
    let open = open_marks();
    let open_indices: BTreeSet<usize> = match set {
        Set::Regressions => (0..cases.count).filter(|&i| open.contains_key(&cases.get(i).keep_as)).collect(),
        Set::Mutants => open
            .keys()
            .filter_map(|k| k.strip_prefix("mutant-")?.split('-').next()?.parse::<usize>().ok())
            .filter(|&i| i < cases.count && open.contains_key(&cases.get(i).keep_as))
            .collect(),
    };
    let (failures, mut times) = drive(set, &open_indices);
    times.sort_by_key(|t| std::cmp::Reverse(t.0));
    println!("{} cases of {}; the slowest:", times.len(), set.as_str());
    for (t, i, what) in times.iter().take(SLOWEST_SHOWN) {
        println!("  {:>7.2} s  {}  ({what})", t.as_secs_f64(), cases.get(*i).label);
    }
    let stopped = failures.iter().filter(|f| f.what.starts_with("crashed") || f.what.starts_with("hung")).count();
    assert!(times.len() + stopped >= cases.count, "not every case ran");
    let failed: BTreeSet<usize> = failures.iter().map(|f| f.index).collect();
    for (_, i, _) in &times {
        let case = cases.get(*i);
        if !failed.contains(i) && open.contains_key(&case.keep_as) {
            say(&format!("NOW PASSES, marked open in tests/fuzz-regressions/README.md (mark it fixed): {}", case.label));
        }
    }
    let kept = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("fuzz-failures");
    std::fs::create_dir_all(&kept).expect("fuzz-failures");
    let mut report = String::new();
    let mut new = 0;
    for f in &failures {
        let case = cases.get(f.index);
        let path = kept.join(&case.keep_as);
        std::fs::write(&path, &case.bytes).expect("keep the failing case");
        match open.get(&case.keep_as) {
            Some(status) => say(&format!("STILL OPEN ({status}): {}: {}", case.label, f.what)),
            None => {
                new += 1;
                report.push_str(&format!("- {}\n  {}\n  kept as {}\n", case.label, f.what, path.display()));
            }
        }
    }
    if new > 0 {
        panic!(
            "{new} of {} {} went wrong:\n{report}A failing case is kept as a regression by copying it to tests/fuzz-regressions/ with a line in its README.md.",
            cases.count,
            set.as_str()
        );
    }
}

#[test]
fn mutants_of_the_corpus_are_read_or_refused() {
    check_set(Set::Mutants);
}

#[test]
fn the_regression_corpus_is_read_or_refused() {
    check_set(Set::Regressions);
}

#[test]
fn mutants_are_made_again_from_their_seed() {
    let sources = mutate::sources(&mutate::corpus_root());
    for i in [0, 7, 99] {
        let (a, b) = (mutate::mutant(&sources, seed(), i), mutate::mutant(&sources, seed(), i));
        assert_eq!((a.describe(), a.bytes), (b.describe(), b.bytes));
    }
    let used: std::collections::BTreeSet<&str> = (0..200).map(|i| mutate::mutant(&sources, seed(), i).mutator.as_str()).collect();
    assert_eq!(used.len(), mutate::MUTATORS.len(), "every mutator is used: {used:?}");
}
