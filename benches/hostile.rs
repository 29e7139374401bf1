//! The hostile-input bar: every input read by `protokoll` in under 30 s and 300 MB, with
//! no panic or crash, measured on the release binary as a child process per input (wall
//! time, and peak resident memory by `wait4`, which counts the OCR programs it runs too).
//!
//! Inputs, generated into a temporary folder under `target/hostile/`:
//!
//! - `pdf-page-tree`: a ~100 KB PDF whose page tree refers 16,000 times to one page, and
//!   page trees whose nested `Pages` nodes repeat one child (40³, 10⁶ and 10⁸ leaves);
//! - `text-long-line`: a 20 MB text file on one line; `text-tabs`: 1 MB of tabs;
//! - `html-attributes`: 50,000 and 200,000 attributes on one element; `html-nesting`:
//!   100,000 nested elements, closed and unclosed;
//! - `pdf-unmapped-font`: 80 pages in a font whose codes map to no character, so that
//!   every page goes to OCR;
//! - `fifo`: `ingest` of a folder holding a FIFO named `x.pdf`, and of the FIFO itself;
//!   `parse /dev/zero`;
//! - `encoding`: UTF-16 LE and BE pages with a BOM, a UTF-8 page that declares ISO-8859-1
//!   (also checked for coming out as the right text);
//! - `zip-as-pdf`: a `.docx` and a plain zip named `.pdf` (refused as not a PDF);
//! - `non-utf8-name`: a protocol whose file name is not UTF-8, ingested (its document id
//!   must not be empty) and parsed;
//! - `search`: `--limit 1000000000`, `--limit 99999999999999`, queries of 10,000 and
//!   100,000 characters, a query starting with `-`, and `search … | head -1` (stderr must
//!   not speak of a broken pipe), against an index of `corpus/`;
//! - `corpus-bad`: the files of `corpus/bad/`;
//! - `mutants`: 2,000 mutants of the corpus (`tests/common/mutate.rs`) through
//!   `parse --json`, and a folder of them through `ingest`.
//!
//! A child is killed after 120 s or at 2 GiB of memory (and cannot map more than 8 GiB), so
//! the bench always ends. Prints a line per generated input, a table per class (count,
//! slowest, largest, crashes, timeouts, whether the bar is met) and a summary line. Every
//! input file that breaks the bar is written to `tests/fuzz-regressions/` (up to 4 MiB;
//! larger ones stay in `target/hostile/kept/`).
//!
//! ```text
//! cargo bench --bench hostile
//! PROTOKOLL_HOSTILE_MUTANTS=300 cargo bench --bench hostile    # fewer mutants, quicker
//! ```
//!
//! Also: `PROTOKOLL_HOSTILE_SEED` (the mutants' seed), `PROTOKOLL_HOSTILE_JOBS` (mutants
//! run at once, 2), `PROTOKOLL_HOSTILE_TIMEOUT` (seconds before a child is killed, 120).

#[path = "../tests/common/archive.rs"]
mod archive;
#[path = "../tests/common/mutate.rs"]
mod mutate;
#[path = "common/report.rs"]
mod report;

use std::collections::BTreeMap;
use std::ffi::OsString;
use std::io::Write;
use std::os::fd::FromRawFd;
use std::os::unix::ffi::OsStringExt;
use std::os::unix::process::{CommandExt, ExitStatusExt};
use std::path::{Path, PathBuf};
use std::process::{Command, ExitStatus, Stdio};
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use report::{Row, load_average, print_table, row};

/// The bar: wall time of one input.
const BAR_TIME: Duration = Duration::from_secs(30);
/// The bar: peak memory of one input, 300 MB.
const BAR_BYTES: u64 = 300_000_000;
/// Default for killing a child that runs too long.
const DEFAULT_TIMEOUT: Duration = Duration::from_secs(120);
/// A child above this resident size is killed: far past the bar, and short of hurting
/// the machine.
const MEMORY_KILL_BYTES: u64 = 2 << 30;
/// The address space a child may map (`RLIMIT_AS`): a backstop for the memory killer.
const ADDRESS_SPACE_BYTES: u64 = 8 << 30;
/// Mutants run through `parse --json`, unless `PROTOKOLL_HOSTILE_MUTANTS` says otherwise.
const DEFAULT_MUTANTS: usize = 2000;
/// Mutants ingested together into one index.
const INGESTED_MUTANTS: usize = 12;
/// Largest input written to `tests/fuzz-regressions/`.
const MAX_KEPT_BYTES: usize = 4 << 20;
/// How often a running child is looked at.
const POLL: Duration = Duration::from_millis(10);

fn bin() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_protokoll"))
}

// --- Running one child ------------------------------------------------------------------

/// How a child went.
#[derive(Debug, Clone)]
struct Outcome {
    status: Option<ExitStatus>,
    elapsed: Duration,
    max_rss_kib: u64,
    timed_out: bool,
    memory_killed: bool,
    stdout: Vec<u8>,
    stderr: String,
}

impl Outcome {
    fn max_bytes(&self) -> u64 {
        self.max_rss_kib * 1024
    }
    /// A panic, an abort or a signal that we did not send.
    fn crashed(&self) -> bool {
        if self.timed_out || self.memory_killed {
            return false;
        }
        self.stderr.contains("panicked") || self.status.is_none_or(|s| s.code() == Some(101) || s.signal().is_some())
    }
    fn over_bar(&self) -> bool {
        self.timed_out || self.memory_killed || self.elapsed >= BAR_TIME || self.max_bytes() >= BAR_BYTES
    }
    fn broke_bar(&self) -> bool {
        self.over_bar() || self.crashed()
    }
    /// "1.23 s, 45 MiB, exit 0": what a line about one run says of it.
    fn figures(&self) -> String {
        format!("{:.2} s, {:.0} MiB, {}", self.elapsed.as_secs_f64(), self.max_rss_kib as f64 / 1024.0, self.exit())
    }
    fn exit(&self) -> String {
        if self.timed_out {
            return "killed: timeout".into();
        }
        if self.memory_killed {
            return "killed: memory".into();
        }
        match self.status {
            Some(s) => match (s.code(), s.signal()) {
                (Some(c), _) => format!("exit {c}"),
                (_, Some(sig)) => format!("signal {sig}"),
                _ => s.to_string(),
            },
            None => "lost".into(),
        }
    }
    /// The first line of stderr that says something.
    fn message(&self) -> String {
        let line = self.stderr.lines().find(|l| !l.trim().is_empty()).unwrap_or("");
        let mut s: String = line.chars().take(150).collect();
        if line.chars().count() > 150 {
            s.push('…');
        }
        s
    }
}

/// The resident size of a process, in bytes, from `/proc`.
fn rss_bytes(pid: u32) -> u64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
    status.lines().find_map(|l| l.strip_prefix("VmRSS:")).and_then(|v| v.split_whitespace().next()?.parse::<u64>().ok()).map_or(0, |kib| kib * 1024)
}

/// The first argument that makes this binary the runner of one child.
const RUNNER: &str = "--hostile-runner";

/// Runs `program args` through the runner (this binary again, [`runner_main`]), with its
/// output in files under `scratch`, and gives back how it went. `stdout` overrides where
/// its standard output goes.
///
/// Why a runner: a child's `ru_maxrss` starts from the peak of the process that spawned it
/// (Linux takes the old memory's high-water mark at `exec`, and a vfork'd child's old
/// memory is its parent's), and this bench grows to tens of MiB. The runner is small.
fn run_with(program: &Path, args: &[OsString], scratch: &Path, timeout: Duration, stdout: Option<Stdio>) -> Outcome {
    std::fs::create_dir_all(scratch).expect("scratch folder");
    let out_path = scratch.join("stdout");
    let err_path = scratch.join("stderr");
    let result_path = scratch.join("runner-result");
    let _ = std::fs::remove_file(&result_path);
    let mut cmd = Command::new(std::env::current_exe().expect("this bench"));
    cmd.arg(RUNNER).arg(&result_path).arg(timeout.as_millis().to_string()).arg(program).args(args);
    cmd.stdin(Stdio::null())
        .stdout(stdout.unwrap_or_else(|| std::fs::File::create(&out_path).expect("stdout file").into()))
        .stderr(std::fs::File::create(&err_path).expect("stderr file"));
    let started = Instant::now();
    let status = cmd.status().expect("run the runner");
    let elapsed = started.elapsed();
    let result = std::fs::read_to_string(&result_path).unwrap_or_default();
    let fields: Vec<i64> = result.split_whitespace().filter_map(|f| f.parse().ok()).collect();
    let stdout = std::fs::read(&out_path).unwrap_or_default();
    let stderr = String::from_utf8_lossy(&std::fs::read(&err_path).unwrap_or_default()).into_owned();
    match fields.as_slice() {
        [raw, kib, timed_out, memory_killed, micros] => Outcome {
            status: Some(ExitStatus::from_raw(*raw as i32)),
            elapsed: Duration::from_micros(*micros as u64),
            max_rss_kib: *kib as u64,
            timed_out: *timed_out != 0,
            memory_killed: *memory_killed != 0,
            stdout,
            stderr,
        },
        _ => Outcome {
            status: None,
            elapsed,
            max_rss_kib: 0,
            timed_out: false,
            memory_killed: false,
            stdout,
            stderr: format!("the runner failed ({status}): {stderr}"),
        },
    }
}

fn run(program: &Path, args: &[OsString], scratch: &Path, timeout: Duration) -> Outcome {
    run_with(program, args, scratch, timeout, None)
}

/// `protokoll ARGS…`, measured.
fn protokoll(args: &[&std::ffi::OsStr], scratch: &Path, timeout: Duration) -> Outcome {
    let args: Vec<OsString> = args.iter().map(|a| a.to_os_string()).collect();
    run(&bin(), &args, scratch, timeout)
}

/// The runner: `RUNNER RESULT TIMEOUT_MS PROGRAM ARGS…` runs the program with this
/// process's standard streams in a process group of its own, its address space bounded,
/// kills the group after the timeout or above [`MEMORY_KILL_BYTES`], and writes to RESULT
/// the raw wait status, the peak resident KiB (`wait4`, which also counts the programs the
/// child waited for), whether it was killed for time or memory, and the wall time in µs.
fn runner_main(args: &[OsString]) -> ! {
    let [result, timeout, program, rest @ ..] = args else {
        eprintln!("usage: {RUNNER} RESULT TIMEOUT_MS PROGRAM ARGS…");
        std::process::exit(2)
    };
    let timeout = Duration::from_millis(timeout.to_str().and_then(|t| t.parse().ok()).unwrap_or(DEFAULT_TIMEOUT.as_millis() as u64));
    let started = Instant::now();
    let child = match Command::new(program).args(rest).process_group(0).spawn() {
        Ok(c) => c,
        Err(e) => {
            eprintln!("{}: {e}", program.to_string_lossy());
            std::process::exit(2)
        }
    };
    let pid = child.id() as libc::pid_t;
    let limit = libc::rlimit { rlim_cur: ADDRESS_SPACE_BYTES, rlim_max: ADDRESS_SPACE_BYTES };
    // SAFETY: prlimit on our own child, with a valid limit and no old limit asked for.
    unsafe { libc::prlimit(pid, libc::RLIMIT_AS, &limit, std::ptr::null_mut()) };
    let mut status: libc::c_int = 0;
    // SAFETY: rusage is plain data; zero is a valid value.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    let (mut timed_out, mut memory_killed, mut killed) = (false, false, false);
    loop {
        // SAFETY: our own child, valid pointers.
        let r = unsafe { libc::wait4(pid, &mut status, if killed { 0 } else { libc::WNOHANG }, &mut usage) };
        if r == pid {
            break;
        }
        if r < 0 {
            if std::io::Error::last_os_error().kind() == std::io::ErrorKind::Interrupted {
                continue;
            }
            std::process::exit(3);
        }
        if !killed {
            timed_out = started.elapsed() > timeout;
            memory_killed = !timed_out && rss_bytes(child.id()) > MEMORY_KILL_BYTES;
            if timed_out || memory_killed {
                // SAFETY: kill(2) on the process group of our own child.
                unsafe { libc::kill(-pid, libc::SIGKILL) };
                killed = true;
                continue;
            }
            std::thread::sleep(POLL);
        }
    }
    let elapsed = started.elapsed();
    // Programs the child left behind (OCR of a killed parse) go with it.
    // SAFETY: as above.
    unsafe { libc::kill(-pid, libc::SIGKILL) };
    let line = format!("{status} {} {} {} {}\n", usage.ru_maxrss, u8::from(timed_out), u8::from(memory_killed), elapsed.as_micros());
    let code = if std::fs::write(result, line).is_ok() { 0 } else { 4 };
    std::process::exit(code)
}

// --- Inputs -----------------------------------------------------------------------------

/// What is run on an input.
enum Action {
    /// `protokoll parse FILE --json`.
    Parse(PathBuf),
    /// `protokoll ingest --index INDEX --report REPORT PATHS…` into a fresh index.
    Ingest(Vec<PathBuf>),
    /// `protokoll ARGS…`, as given.
    Args(Vec<OsString>),
    /// `protokoll ARGS… | head -1`, through the shell.
    Head(Vec<OsString>),
    /// `protokoll ARGS…` with its stdout closed before it writes.
    ClosedStdout(Vec<OsString>),
}

/// A check of what came out, beyond the bar: `Err` says what is wrong.
type Check = Box<dyn Fn(&Outcome, &Path) -> Result<String, String>>;

struct Input {
    class: &'static str,
    label: String,
    action: Action,
    /// The file to keep when the bar is broken.
    file: Option<PathBuf>,
    check: Option<Check>,
}

fn input(class: &'static str, label: impl Into<String>, action: Action) -> Input {
    let file = match &action {
        Action::Parse(p) if p.is_file() => Some(p.clone()),
        _ => None,
    };
    Input { class, label: label.into(), action, file, check: None }
}

impl Input {
    fn check(mut self, f: impl Fn(&Outcome, &Path) -> Result<String, String> + 'static) -> Input {
        self.check = Some(Box::new(f));
        self
    }
}

/// Runs one input; `scratch` is a folder of its own.
fn run_input(inp: &Input, scratch: &Path, timeout: Duration) -> Outcome {
    std::fs::create_dir_all(scratch).expect("scratch");
    match &inp.action {
        Action::Parse(file) => protokoll(&["parse".as_ref(), file.as_os_str(), "--json".as_ref()], scratch, timeout),
        Action::Ingest(paths) => {
            let index = scratch.join("index");
            let _ = std::fs::remove_dir_all(&index);
            let report = scratch.join("report.jsonl");
            let mut args: Vec<&std::ffi::OsStr> = vec!["ingest".as_ref(), "--index".as_ref(), index.as_os_str(), "--report".as_ref(), report.as_os_str()];
            args.extend(paths.iter().map(|p| p.as_os_str()));
            protokoll(&args, scratch, timeout)
        }
        Action::Args(args) => run(&bin(), args, scratch, timeout),
        Action::Head(args) => {
            let script = r#"exe="$1"; err="$2"; shift 2; "$exe" "$@" 2>"$err" | head -1"#;
            let mut all: Vec<OsString> = vec!["-c".into(), script.into(), "sh".into(), bin().into(), scratch.join("protokoll-stderr").into()];
            all.extend(args.iter().cloned());
            let mut o = run(Path::new("sh"), &all, scratch, timeout);
            o.stderr = std::fs::read_to_string(scratch.join("protokoll-stderr")).unwrap_or_default();
            o
        }
        Action::ClosedStdout(args) => {
            // A pipe whose reading end is closed before the child writes.
            let mut fds: [libc::c_int; 2] = [-1; 2];
            // SAFETY: pipe(2) fills the two descriptors, which are then owned here.
            let (reader, writer) = unsafe {
                assert_eq!(libc::pipe(fds.as_mut_ptr()), 0, "pipe");
                (std::os::fd::OwnedFd::from_raw_fd(fds[0]), std::os::fd::OwnedFd::from_raw_fd(fds[1]))
            };
            drop(reader);
            run_with(&bin(), args, scratch, timeout, Some(writer.into()))
        }
    }
}

// --- Generating the classes -------------------------------------------------------------

fn stream(dict: &str, data: &[u8]) -> Vec<u8> {
    let mut o = format!("<< {dict} /Length {} >>\nstream\n", data.len()).into_bytes();
    o.extend_from_slice(data);
    o.extend_from_slice(b"\nendstream");
    o
}

/// Latin-1 bytes of a text (Swedish letters included).
fn latin1(s: &str) -> Vec<u8> {
    s.chars().map(|c| if (c as u32) < 256 { c as u32 as u8 } else { b'?' }).collect()
}

/// A page's content: lines of a protocol in font F1.
fn protocol_page(n: usize) -> Vec<u8> {
    let mut c = b"BT /F1 11 Tf 56 780 Td 14 TL\n".to_vec();
    let lines = [
        format!("Protokoll Socialn\u{e4}mnden {n}"),
        "Sammantr\u{e4}desdatum 2022-05-01".to_string(),
        format!("\u{a7} {n} Ekonomisk uppf\u{f6}ljning"),
        "Dnr SN 2022/123".to_string(),
        "Socialn\u{e4}mnden beslutar att godk\u{e4}nna uppf\u{f6}ljningen.".to_string(),
    ];
    for l in lines {
        c.extend_from_slice(b"(");
        c.extend_from_slice(&latin1(&l));
        c.extend_from_slice(b") '\n");
    }
    c.extend_from_slice(b"ET");
    c
}

const HELVETICA: &str = "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>";

/// One page referred to `refs` times from the root's `/Kids`.
fn page_tree_flat(refs: usize) -> Vec<u8> {
    let kids = "3 0 R ".repeat(refs);
    archive::raw_pdf(&[
        b"<< /Type /Catalog /Pages 2 0 R >>".to_vec(),
        format!("<< /Type /Pages /Kids [{kids}] /Count {refs} >>").into_bytes(),
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>".to_vec(),
        stream("", &protocol_page(1)),
        HELVETICA.as_bytes().to_vec(),
    ])
}

/// `levels` nested `Pages` nodes, each with `fanout` references to one child; the last
/// refers `fanout` times to one page: fanout^(levels+1) leaves.
fn page_tree_nested(levels: usize, fanout: usize) -> Vec<u8> {
    // 1 catalog, 2 page, 3 content, 4 font, 5.. the Pages nodes from the root down.
    let mut objects = vec![
        b"<< /Type /Catalog /Pages 5 0 R >>".to_vec(),
        format!("<< /Type /Page /Parent {} 0 R /MediaBox [0 0 595 842] /Contents 3 0 R /Resources << /Font << /F1 4 0 R >> >> >>", 5 + levels).into_bytes(),
        stream("", &protocol_page(1)),
        HELVETICA.as_bytes().to_vec(),
    ];
    let leaves = (fanout as u64).saturating_pow(levels as u32 + 1);
    for l in 0..=levels {
        let id = 5 + l;
        let child = if l == levels { 2 } else { id + 1 };
        let parent = if l == 0 { String::new() } else { format!("/Parent {} 0 R ", id - 1) };
        let count = leaves / (fanout as u64).saturating_pow(l as u32);
        objects.push(format!("<< /Type /Pages {parent}/Kids [{}] /Count {count} >>", format!("{child} 0 R ").repeat(fanout)).into_bytes());
    }
    archive::raw_pdf(&objects)
}

/// Pages of text in a Type 3 font whose glyphs (filled boxes) have names that map to no
/// character: every page's text is unmapped, so every page goes to OCR.
fn unmapped_font_pdf(pages: usize) -> Vec<u8> {
    // 1 catalog, 2 pages, 3 font, 4.. glyph procedures (26), then page and content pairs.
    let glyphs = 26;
    let first_page = 4 + glyphs;
    let mut objects = vec![b"<< /Type /Catalog /Pages 2 0 R >>".to_vec()];
    let kids: String = (0..pages).map(|p| format!("{} 0 R ", first_page + 2 * p)).collect();
    objects.push(format!("<< /Type /Pages /Kids [{kids}] /Count {pages} >>").into_bytes());
    let names: String = (0..glyphs).map(|g| format!("/g{g} ")).collect();
    let procs: String = (0..glyphs).map(|g| format!("/g{g} {} 0 R ", 4 + g)).collect();
    let widths: String = (0..glyphs).map(|g| format!("{} ", 400 + 20 * (g % 10))).collect();
    objects.push(
        format!(
            "<< /Type /Font /Subtype /Type3 /FontBBox [0 0 700 700] /FontMatrix [0.001 0 0 0.001 0 0] \
             /CharProcs << {procs}>> /Encoding << /Type /Encoding /Differences [65 {names}] >> \
             /FirstChar 65 /LastChar {} /Widths [{widths}] /Resources << >> >>",
            64 + glyphs
        )
        .into_bytes(),
    );
    for g in 0..glyphs {
        let w = 400 + 20 * (g % 10);
        let h = 300 + 15 * (g % 13);
        objects.push(stream("", format!("{w} 0 0 0 {w} {h} d1\n40 0 {} {h} re f", w - 80).as_bytes()));
    }
    for p in 0..pages {
        objects.push(
            format!("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents {} 0 R /Resources << /Font << /F1 3 0 R >> >> >>", first_page + 2 * p + 1)
                .into_bytes(),
        );
        let mut c = b"BT /F1 11 Tf 56 790 Td 15 TL\n".to_vec();
        for l in 0..48 {
            let text: String = (0..60).map(|k| if (k + l + p) % 7 == 0 { ' ' } else { (b'A' + ((k * 7 + l * 3 + p) % glyphs) as u8) as char }).collect();
            c.extend_from_slice(format!("({text}) '\n").as_bytes());
        }
        c.extend_from_slice(b"ET");
        objects.push(stream("", &c));
    }
    archive::raw_pdf(&objects)
}

/// The text of a short protocol page.
const SENTENCE: &str = "Socialnämnden beslutar att godkänna återrapporteringen. Justerare: Åsa Öberg.";

fn html_page(charset: &str, body: &str) -> String {
    format!(
        "<!DOCTYPE html>\n<html lang=\"sv\"><head><meta charset=\"{charset}\"><title>Protokoll Socialnämnden 2022-05-01</title></head>\n\
         <body><h1>Protokoll</h1>\n<p>Sammanträdesdatum 2022-05-01</p>\n{body}\n<h2>§ 12 Återrapportering</h2>\n<p>{SENTENCE}</p>\n</body></html>\n"
    )
}

fn utf16(s: &str, big_endian: bool) -> Vec<u8> {
    let mut out = if big_endian { vec![0xfe, 0xff] } else { vec![0xff, 0xfe] };
    for u in s.encode_utf16() {
        out.extend_from_slice(&if big_endian { u.to_be_bytes() } else { u.to_le_bytes() });
    }
    out
}

fn zip_of(files: &[(&str, &[u8])]) -> Vec<u8> {
    let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for (name, data) in files {
        w.start_file(*name, zip::write::SimpleFileOptions::default()).expect("zip entry");
        w.write_all(data).expect("zip data");
    }
    w.finish().expect("zip").into_inner()
}

fn docx(text: &str) -> Vec<u8> {
    let types = br#"<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>"#;
    let doc = format!(
        r#"<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>{text}</w:t></w:r></w:p></w:body></w:document>"#
    );
    zip_of(&[("[Content_Types].xml", types), ("word/document.xml", doc.as_bytes())])
}

/// Words for long queries: letters as in Swedish, none a real word for sure.
fn query_of(chars: usize, seed: u64) -> String {
    let mut rng = archive::Rng::new(seed);
    let letters: Vec<char> = "abcdefghijklmnoprstuvyåäö".chars().collect();
    let mut q = String::new();
    while q.chars().count() < chars {
        let n = 3 + rng.below(10);
        for _ in 0..n {
            q.push(*rng.pick(&letters));
        }
        q.push(' ');
    }
    q.chars().take(chars).collect()
}

/// The stdout of `extract` for a file, for checking text.
fn extracted(file: &Path, scratch: &Path) -> String {
    let o = protokoll(&["extract".as_ref(), file.as_os_str()], scratch, DEFAULT_TIMEOUT);
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn write(dir: &Path, name: &str, bytes: &[u8]) -> PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, bytes).expect("write input");
    p
}

fn mkfifo(path: &Path) {
    let c = std::ffi::CString::new(path.as_os_str().as_encoded_bytes()).expect("path");
    // SAFETY: a valid C string.
    let r = unsafe { libc::mkfifo(c.as_ptr(), 0o644) };
    assert_eq!(r, 0, "mkfifo {}", path.display());
}

/// Whether a text holds the Swedish sentence as written.
fn text_is_right(text: &str) -> Result<String, String> {
    let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if flat.contains(SENTENCE) {
        Ok("the text is right".into())
    } else {
        let around =
            flat.find("beslutar").map(|i| flat[i.saturating_sub(40)..].chars().take(90).collect::<String>()).unwrap_or_else(|| flat.chars().take(90).collect());
        Err(format!("wrong text: {around:?}"))
    }
}

/// The documents ids of an ingest report.
fn report_ids(scratch: &Path) -> Vec<(String, String)> {
    std::fs::read_to_string(scratch.join("report.jsonl"))
        .unwrap_or_default()
        .lines()
        .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
        .map(|v| (v["path"].as_str().unwrap_or("").to_string(), v["document_id"].as_str().map_or("(none)".to_string(), str::to_string)))
        .collect()
}

fn classes(dir: &Path, index: &Path, text: &[u8]) -> Vec<Input> {
    let mut v = Vec::new();
    // PDF page trees.
    let flat = page_tree_flat(16_000);
    v.push(input("pdf-page-tree", format!("one page ×16,000 in /Kids ({} KB)", flat.len() / 1000), Action::Parse(write(dir, "flat-16000.pdf", &flat))));
    for (levels, fanout, what) in [(2, 40, "40³ leaves"), (5, 10, "10⁶ leaves"), (7, 10, "10⁸ leaves")] {
        let p = write(dir, &format!("nested-{}x{fanout}.pdf", levels + 1), &page_tree_nested(levels, fanout));
        v.push(input("pdf-page-tree", format!("nested Pages, {} levels × {fanout} ({what})", levels + 1), Action::Parse(p)));
    }
    // Text.
    let mut line = Vec::with_capacity(20 << 20);
    line.extend_from_slice("Protokoll Socialnämnden ".as_bytes());
    while line.len() < 20 << 20 {
        line.extend_from_slice("Socialnämnden beslutar att godkänna § 12 Dnr 2022/123 ".as_bytes());
    }
    v.push(input("text-long-line", "20 MB on one line", Action::Parse(write(dir, "20mb.txt", &line))));
    let mut tabs = b"Protokoll\n".to_vec();
    tabs.extend(std::iter::repeat_n(b'\t', 1 << 20));
    tabs.extend_from_slice("Socialnämnden beslutar\n".as_bytes());
    v.push(input("text-tabs", "1 MB of tabs", Action::Parse(write(dir, "1mb.txt", &tabs))));
    let mut tab_lines = b"Protokoll\n".to_vec();
    for _ in 0..1024 {
        tab_lines.extend(std::iter::repeat_n(b'\t', 1023));
        tab_lines.push(b'\n');
    }
    v.push(input("text-tabs", "1 MB of tabs in 1,024 lines", Action::Parse(write(dir, "1mb-in-lines.txt", &tab_lines))));
    // HTML.
    for n in [50_000, 200_000] {
        let attrs: String = (0..n).map(|k| format!(" a{k}=\"{k}\"")).collect();
        let page = html_page("utf-8", &format!("<div{attrs}>§ 1 Mötets öppnande</div>"));
        v.push(input("html-attributes", format!("{n} attributes on one element"), Action::Parse(write(dir, &format!("{n}.html"), page.as_bytes()))));
    }
    let n = 100_000;
    let closed = html_page("utf-8", &format!("{}<p>§ 1 Mötets öppnande</p>{}", "<div>".repeat(n), "</div>".repeat(n)));
    v.push(input("html-nesting", "100,000 nested <div>, closed", Action::Parse(write(dir, "div-closed.html", closed.as_bytes()))));
    let open = html_page("utf-8", &format!("{}<p>§ 1 Mötets öppnande</p>", "<div><span>".repeat(n / 2)));
    v.push(input("html-nesting", "100,000 nested <div><span>, unclosed", Action::Parse(write(dir, "div-span-open.html", open.as_bytes()))));
    let tables = html_page("utf-8", &format!("{}<p>§ 1 Mötets öppnande</p>", "<table><tr><td>".repeat(n / 3)));
    v.push(input("html-nesting", "33,333 nested tables, unclosed", Action::Parse(write(dir, "tables-open.html", tables.as_bytes()))));
    // OCR of every page.
    v.push(input("pdf-unmapped-font", "80 pages, no character mapped", Action::Parse(write(dir, "80-pages.pdf", &unmapped_font_pdf(80)))));
    // FIFOs and devices.
    let fifo_dir = dir.join("fifo");
    std::fs::create_dir_all(&fifo_dir).expect("fifo dir");
    let fifo = fifo_dir.join("x.pdf");
    mkfifo(&fifo);
    std::fs::copy(mutate::corpus_root().join("pdf/socsam-2021-10-08.pdf"), fifo_dir.join("socsam-2021-10-08.pdf")).expect("copy");
    v.push(input("fifo", "ingest of a folder with a FIFO named x.pdf", Action::Ingest(vec![fifo_dir.clone()])).check(|o, _| {
        if o.stdout.is_empty() { Err("nothing printed".into()) } else { Ok(String::from_utf8_lossy(&o.stdout).lines().next().unwrap_or("").to_string()) }
    }));
    v.push(input("fifo", "ingest of the FIFO x.pdf named", Action::Ingest(vec![fifo.clone()])));
    v.push(input("fifo", "parse /dev/zero", Action::Parse(PathBuf::from("/dev/zero"))).check(|o, _| {
        if o.status.is_some_and(|s| s.code() == Some(2)) && !o.message().is_empty() { Ok(o.message()) } else { Err(format!("{}: {}", o.exit(), o.message())) }
    }));
    // Encodings.
    let page = html_page("utf-16", "");
    for (be, name) in [(false, "utf16-le.html"), (true, "utf16-be.html")] {
        let p = write(dir, name, &utf16(&page, be));
        v.push(input("encoding", format!("UTF-16 {} with BOM", if be { "BE" } else { "LE" }), Action::Parse(p.clone())).check(move |o, s| {
            if o.status.is_none_or(|s| !s.success()) {
                return Err(format!("{}: {}", o.exit(), o.message()));
            }
            text_is_right(&extracted(&p, s))
        }));
    }
    let p = write(dir, "utf8-declared-latin1.html", html_page("iso-8859-1", "").as_bytes());
    v.push(input("encoding", "UTF-8 declaring ISO-8859-1", Action::Parse(p.clone())).check(move |o, s| {
        if o.status.is_none_or(|s| !s.success()) {
            return Err(format!("{}: {}", o.exit(), o.message()));
        }
        text_is_right(&extracted(&p, s))
    }));
    // Zips named .pdf.
    let refused_as_not_pdf = |o: &Outcome, _: &Path| {
        if o.status.is_some_and(|s| s.code() == Some(2)) && o.stderr.contains("inte en PDF") {
            Ok(o.message())
        } else {
            Err(format!("{}: {}", o.exit(), o.message()))
        }
    };
    let p = write(dir, "protokoll-docx.pdf", &docx(SENTENCE));
    v.push(input("zip-as-pdf", "a .docx named .pdf", Action::Parse(p)).check(refused_as_not_pdf));
    let p = write(dir, "data-zip.pdf", &zip_of(&[("data.csv", b"a;b\n1;2\n")]));
    v.push(input("zip-as-pdf", "a zip of a CSV named .pdf", Action::Parse(p)).check(refused_as_not_pdf));
    // A file name that is not UTF-8.
    let latin_dir = dir.join("latin1-name");
    std::fs::create_dir_all(&latin_dir).expect("dir");
    let latin_name = latin_dir.join(std::ffi::OsString::from_vec(b"m\xf6te-2022-05-01.txt".to_vec()));
    std::fs::write(&latin_name, text).expect("write");
    v.push(input("non-utf8-name", "ingest of m\\xf6te-2022-05-01.txt", Action::Ingest(vec![latin_dir.clone()])).check(|o, s| {
        let ids = report_ids(s);
        if let Some((path, id)) = ids.iter().find(|(_, id)| id.is_empty() || id == "(none)") {
            return Err(format!("document_id {id:?} in the report for {path:?}"));
        }
        if ids.is_empty() {
            return Err(format!("no report line ({}: {})", o.exit(), o.message()));
        }
        // The stored meeting: its id (the file name's stem) as `list` shows it.
        let listed = protokoll(&["list".as_ref(), "--json".as_ref(), "--index".as_ref(), s.join("index").as_os_str()], &s.join("list"), DEFAULT_TIMEOUT);
        let v: serde_json::Value = serde_json::from_slice(&listed.stdout).map_err(|e| format!("list --json: {e}"))?;
        let docs: Vec<String> = v.as_array().map(|a| a.iter().map(|d| d["document"].as_str().unwrap_or("").to_string()).collect()).unwrap_or_default();
        match docs.iter().find(|d| d.is_empty()) {
            Some(_) => Err(format!("document_id {} in the report, but list --json gives \"document\": \"\"", ids[0].1)),
            None => Ok(format!("document_id {}, document {:?}", ids[0].1, docs.first().cloned().unwrap_or_default())),
        }
    }));
    let mut parsed = input("non-utf8-name", "parse of m\\xf6te-2022-05-01.txt", Action::Parse(latin_name.clone())).check(|o, _| {
        let v: serde_json::Value = serde_json::from_slice(&o.stdout).map_err(|e| format!("{}: no JSON: {e}: {}", o.exit(), o.message()))?;
        match v["id"].as_str() {
            Some(id) if !id.is_empty() => Ok(format!("id {id:?}")),
            other => Err(format!("id {other:?}")),
        }
    });
    parsed.file = None;
    v.push(parsed);
    // Search.
    let search = |args: &[&str]| -> Vec<OsString> {
        let mut a: Vec<OsString> = vec!["search".into(), "--index".into(), index.as_os_str().to_owned()];
        a.extend(args.iter().map(OsString::from));
        a
    };
    let clean = |o: &Outcome, _: &Path| {
        if o.status.is_some_and(|s| matches!(s.code(), Some(0..=2))) && !o.stderr.contains("panicked") {
            Ok(format!("{}{}", o.exit(), if o.message().is_empty() { String::new() } else { format!(": {}", o.message()) }))
        } else {
            Err(format!("{}: {}", o.exit(), o.message()))
        }
    };
    for (args, label) in [
        (vec!["--limit", "1000000000", "x"], "--limit 1000000000 x"),
        (vec!["--limit", "1000000000", "beslut"], "--limit 1000000000 beslut"),
        (vec!["--limit", "99999999999999", "x"], "--limit 99999999999999 x"),
        (vec!["--limit", "99999999999999", "beslut"], "--limit 99999999999999 beslut"),
        (vec!["--offset", "99999999999999", "beslut"], "--offset 99999999999999 beslut"),
        (vec!["-ordet", "beslut"], "-ordet beslut"),
        (vec!["--", "-ordet", "beslut"], "-- -ordet beslut"),
    ] {
        v.push(input("search", label, Action::Args(search(&args))).check(clean));
    }
    for n in [10_000, 100_000] {
        let q = query_of(n, n as u64);
        v.push(input("search", format!("a query of {n} characters"), Action::Args(search(&[q.as_str()]))).check(clean));
    }
    let no_broken_pipe = |o: &Outcome, _: &Path| {
        let lower = o.stderr.to_lowercase();
        if lower.contains("broken pipe") || lower.contains("os error 32") || o.stderr.contains("panicked") {
            Err(format!("stderr: {}", o.message()))
        } else {
            Ok(format!("{}, stderr {}", o.exit(), if o.stderr.trim().is_empty() { "empty".to_string() } else { o.message() }))
        }
    };
    v.push(input("search", "search beslut | head -1", Action::Head(search(&["--limit", "1000", "beslut"]))).check(no_broken_pipe));
    v.push(input("search", "search beslut with stdout closed", Action::ClosedStdout(search(&["--limit", "1000", "beslut"]))).check(no_broken_pipe));
    // The corpus's own bad files.
    let bad = mutate::corpus_root().join("bad");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&bad).expect("corpus/bad").flatten().map(|e| e.path()).collect();
    files.sort();
    for f in files {
        let name = f.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        let mut i = input("corpus-bad", name, Action::Parse(f));
        i.file = None;
        v.push(i);
    }
    v
}

// --- Keeping what broke the bar ---------------------------------------------------------

/// Where to keep an input of `len` bytes that broke the bar: `tests/fuzz-regressions/`,
/// or `kept` when it is large.
fn keep_path(len: u64, name: &str, kept: &Path) -> PathBuf {
    let dest = if len <= MAX_KEPT_BYTES as u64 { PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fuzz-regressions") } else { kept.to_path_buf() };
    std::fs::create_dir_all(&dest).expect("regression folder");
    dest.join(name)
}

fn shown(path: &Path) -> String {
    path.strip_prefix(env!("CARGO_MANIFEST_DIR")).unwrap_or(path).display().to_string()
}

/// Keeps the bytes of an input that broke the bar, and says where.
fn keep(bytes: &[u8], name: &str, kept: &Path) -> String {
    let path = keep_path(bytes.len() as u64, name, kept);
    std::fs::write(&path, bytes).expect("keep input");
    shown(&path)
}

/// Keeps a regular file that broke the bar, and says where.
fn keep_file(file: &Path, name: &str, kept: &Path) -> String {
    let len = std::fs::metadata(file).map_or(0, |m| m.len());
    let path = keep_path(len, name, kept);
    std::fs::copy(file, &path).expect("keep input");
    shown(&path)
}

// --- Main --------------------------------------------------------------------------------

/// One mutant through `parse --json`: which, how to make it again, where it was kept
/// when it broke the bar, and how it went.
struct MutantRun {
    index: usize,
    mutator: mutate::Mutator,
    describe: String,
    kept_as: String,
    outcome: Outcome,
}

/// The figures of a class.
#[derive(Default)]
struct Tally {
    count: usize,
    max_time: Duration,
    max_kib: u64,
    crashes: usize,
    timeouts: usize,
    over: usize,
    wrong: usize,
}

impl Tally {
    fn add(&mut self, o: &Outcome, wrong: bool) {
        self.count += 1;
        self.max_time = self.max_time.max(o.elapsed);
        self.max_kib = self.max_kib.max(o.max_rss_kib);
        self.crashes += usize::from(o.crashed());
        self.timeouts += usize::from(o.timed_out);
        self.over += usize::from(o.over_bar());
        self.wrong += usize::from(wrong);
    }
    fn row(&self, class: &str) -> Row {
        let mut figure = format!(
            "{:>4} inputs, max {:>6.2} s, max {:>5.0} MiB, crashes {}, timeouts {}, over the bar {}",
            self.count,
            self.max_time.as_secs_f64(),
            self.max_kib as f64 / 1024.0,
            self.crashes,
            self.timeouts,
            self.over
        );
        if self.wrong > 0 {
            figure.push_str(&format!(", wrong {}", self.wrong));
        }
        row(class, figure, "< 30 s, < 300 MB, no crash", Some(self.crashes == 0 && self.over == 0 && self.wrong == 0))
    }
}

fn main() {
    let args: Vec<OsString> = std::env::args_os().skip(1).collect();
    if args.first().is_some_and(|a| a == RUNNER) {
        runner_main(&args[1..]);
    }
    let started = Instant::now();
    let timeout = mutate::env_number("PROTOKOLL_HOSTILE_TIMEOUT").map_or(DEFAULT_TIMEOUT, Duration::from_secs);
    let mutants = mutate::env_number("PROTOKOLL_HOSTILE_MUTANTS").map_or(DEFAULT_MUTANTS, |n| n as usize);
    let seed = mutate::env_number("PROTOKOLL_HOSTILE_SEED").unwrap_or(mutate::DEFAULT_SEED);
    let jobs = mutate::env_number("PROTOKOLL_HOSTILE_JOBS").map_or(2, |n| n.max(1) as usize);
    println!("load average at the start: {}", load_average());
    println!("binary: {}; child killed after {} s or at {} MiB", bin().display(), timeout.as_secs(), MEMORY_KILL_BYTES >> 20);

    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/hostile");
    std::fs::create_dir_all(&root).expect("target/hostile");
    let work = tempfile::tempdir_in(&root).expect("work dir");
    let w = work.path();
    let (inputs_dir, scratch, kept) = (w.join("inputs"), w.join("scratch"), root.join("kept"));
    std::fs::create_dir_all(&inputs_dir).expect("inputs");

    // A small index of the corpus to search.
    let index = w.join("corpus-index");
    let corpus = mutate::corpus_root();
    let (pdfs, pages) = (corpus.join("pdf"), corpus.join("html"));
    let built = protokoll(&["ingest".as_ref(), "--index".as_ref(), index.as_os_str(), pdfs.as_os_str(), pages.as_os_str()], w, timeout);
    println!("index of corpus/pdf and corpus/html: {} in {:.1} s", built.exit(), built.elapsed.as_secs_f64());

    let sources = mutate::sources(&corpus);
    let text = sources.iter().find(|s| s.name.ends_with(".txt")).map(|s| s.bytes.clone()).unwrap_or_else(|| SENTENCE.as_bytes().to_vec());
    let inputs = classes(&inputs_dir, &index, &text);

    let mut tallies: BTreeMap<String, Tally> = BTreeMap::new();
    let mut broken: Vec<String> = Vec::new();
    println!("\n{:<18} {:<46} {:>8} {:>8}  {:<16} what came out", "class", "input", "seconds", "MiB", "exit");
    for (k, inp) in inputs.iter().enumerate() {
        let dir = scratch.join(format!("{k}"));
        let o = run_input(inp, &dir, timeout);
        let checked = inp.check.as_ref().map(|c| c(&o, &dir));
        let note = match &checked {
            Some(Ok(s)) => s.clone(),
            Some(Err(e)) => format!("WRONG: {e}"),
            None => o.message(),
        };
        let wrong = matches!(checked, Some(Err(_)));
        println!(
            "{:<18} {:<46} {:>8.2} {:>8.1}  {:<16} {}",
            inp.class,
            inp.label,
            o.elapsed.as_secs_f64(),
            o.max_rss_kib as f64 / 1024.0,
            o.exit(),
            note.chars().take(140).collect::<String>()
        );
        let _ = std::io::stdout().flush();
        tallies.entry(inp.class.to_string()).or_default().add(&o, wrong);
        if o.broke_bar() || wrong {
            let mut line = format!("{} / {}: {}: {note}", inp.class, inp.label, o.figures());
            if o.broke_bar()
                && let Some(file) = &inp.file
            {
                let ext = file.extension().map(|e| format!(".{}", e.to_string_lossy())).unwrap_or_default();
                let stem = file.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
                line.push_str(&format!(" → {}", keep_file(file, &format!("hostile-{}-{stem}{ext}", inp.class), &kept)));
            }
            broken.push(line);
        }
        let _ = std::fs::remove_dir_all(&dir);
    }

    // Mutants through parse, `jobs` at a time.
    println!("\n{mutants} mutants (seed {seed:#x}) through parse --json, {jobs} at a time …");
    let mutant_dir = w.join("mutants");
    std::fs::create_dir_all(&mutant_dir).expect("mutants");
    let next = AtomicUsize::new(0);
    let results: Mutex<Vec<MutantRun>> = Mutex::new(Vec::new());
    std::thread::scope(|s| {
        for j in 0..jobs {
            let (next, results, sources, mutant_dir, scratch, kept) = (&next, &results, &sources, &mutant_dir, &scratch, &kept);
            s.spawn(move || {
                loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    if i >= mutants {
                        break;
                    }
                    let m = mutate::mutant(sources, seed, i);
                    let dir = mutant_dir.join(format!("{i}"));
                    std::fs::create_dir_all(&dir).expect("mutant dir");
                    let file = write(&dir, if m.name.is_empty() { "namnlös" } else { &m.name }, &m.bytes);
                    let job_scratch = scratch.join(format!("job{j}"));
                    std::fs::create_dir_all(&job_scratch).expect("scratch");
                    let o = protokoll(&["parse".as_ref(), file.as_os_str(), "--json".as_ref()], &job_scratch, timeout);
                    let kept_as = if o.broke_bar() { keep(&m.bytes, &m.file_name(), kept) } else { String::new() };
                    results.lock().expect("results").push(MutantRun { index: i, mutator: m.mutator, describe: m.describe(), kept_as, outcome: o });
                    let _ = std::fs::remove_dir_all(&dir);
                    if (i + 1) % 250 == 0 {
                        println!("  {} mutants, {:.0} s", i + 1, started.elapsed().as_secs_f64());
                    }
                }
            });
        }
    });
    let mut results = results.into_inner().expect("results");
    results.sort_by_key(|r| r.index);
    let mut by_mutator: BTreeMap<&str, Tally> = BTreeMap::new();
    let mut all = Tally::default();
    let mut exits: BTreeMap<String, usize> = BTreeMap::new();
    for MutantRun { mutator, describe, kept_as, outcome: o, .. } in &results {
        by_mutator.entry(mutator.as_str()).or_default().add(o, false);
        all.add(o, false);
        *exits.entry(o.exit()).or_default() += 1;
        if o.broke_bar() {
            broken.push(format!("{describe}: {}: {} → {kept_as}", o.figures(), o.message()));
        }
    }
    println!("exits: {exits:?}");
    let mut slowest: Vec<&MutantRun> = results.iter().collect();
    slowest.sort_by_key(|r| std::cmp::Reverse(r.outcome.elapsed));
    println!("slowest mutants:");
    for r in slowest.iter().take(5) {
        println!("  {:>7.2} s {:>6.0} MiB  {}", r.outcome.elapsed.as_secs_f64(), r.outcome.max_rss_kib as f64 / 1024.0, r.describe);
    }

    // A few mutants through ingest.
    let ingest_dir = w.join("ingest-mutants");
    std::fs::create_dir_all(&ingest_dir).expect("ingest dir");
    for i in 0..INGESTED_MUTANTS {
        let m = mutate::mutant(&sources, seed ^ 0x1ae5, i);
        let sub = ingest_dir.join(format!("{i}"));
        std::fs::create_dir_all(&sub).expect("dir");
        let name = if Path::new(&m.name).extension().is_some() { m.name.clone() } else { format!("{}.txt", m.name) };
        write(&sub, &name, &m.bytes);
    }
    let o = run_input(&input("mutants-ingest", "", Action::Ingest(vec![ingest_dir.clone()])), &scratch.join("ingest"), timeout);
    println!("ingest of {INGESTED_MUTANTS} mutants: {}: {}", o.figures(), String::from_utf8_lossy(&o.stdout).lines().next().unwrap_or(""));
    let mut ingest_tally = Tally::default();
    let ingest_wrong = !matches!(o.status.and_then(|s| s.code()), Some(0 | 2));
    ingest_tally.add(&o, ingest_wrong);
    if o.broke_bar() || ingest_wrong {
        broken.push(format!("ingest of {INGESTED_MUTANTS} mutants: {}: {}", o.figures(), o.message()));
    }

    let mut rows: Vec<Row> = tallies.iter().map(|(c, t)| t.row(c)).collect();
    rows.extend(by_mutator.iter().map(|(m, t)| t.row(&format!("mutants/{m}"))));
    rows.push(all.row("mutants (all)"));
    rows.push(ingest_tally.row("mutants through ingest"));
    print_table(&rows);

    println!();
    if broken.is_empty() {
        println!("Every input stayed under 30 s and 300 MB, with no crash and no wrong result.");
    } else {
        println!("{} inputs broke the bar (30 s, 300 MB, no crash) or came out wrong:", broken.len());
        for b in &broken {
            println!("- {b}");
        }
    }
    let total = inputs.len() + results.len() + 1;
    println!(
        "\nSUMMARY: {} of {total} inputs under 30 s and 300 MB with no crash and no wrong result; {} not. Total {:.0} s, load average at the end: {}",
        total - broken.len(),
        broken.len(),
        started.elapsed().as_secs_f64(),
        load_average()
    );
}
