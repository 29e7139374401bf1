//! The `protokoll` command: one subcommand per job, each a thin call into the library.

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Context;
use clap::{Parser, Subcommand};
use protokoll::citation::{self, Citation};
use protokoll::index::filters::{BodyListing, DateRange};
use protokoll::index::lexicon::Lexicon;
use protokoll::index::lock::{Wait, WriteLock};
use protokoll::index::search::{SearchOptions, SearchResults};
use protokoll::index::store::Store;
use protokoll::index::{Archive, IndexError, StoredMeeting, check};
use protokoll::ingest::report::FileReport;
use protokoll::model::{DecisionKind, Meeting, MeetingKind, Role, document_id};
use protokoll::{extract, ingest, parse, timeline};

#[derive(Parser)]
#[command(name = "protokoll", version, about = "Sök, importera och följ beslut i svenska sammanträdesprotokoll")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

/// The time one file may take.
#[derive(clap::Args)]
struct TimeLimit {
    /// Seconds allowed for reading one file, OCR included; pages not read by then are
    /// left out with a warning. OCR reads about a page per second and core, so a long
    /// scan needs more than the default.
    #[arg(long = "time-limit", value_name = "SEKUNDER", default_value_t = extract::DEFAULT_TIME_LIMIT.as_secs(), value_parser = clap::value_parser!(u64).range(1..))]
    seconds: u64,
}

impl TimeLimit {
    fn duration(&self) -> std::time::Duration {
        std::time::Duration::from_secs(self.seconds)
    }
}

#[derive(Subcommand)]
enum Command {
    /// Print a document's text in reading order (pages separated by form feeds).
    Extract {
        file: PathBuf,
        /// Show the layout instead: each line's page, baseline, font size, weight and
        /// its cells separated by " | ".
        #[arg(long)]
        cells: bool,
        /// The text as the file has it, personnummer included: every other output masks
        /// them (YYYYMMDD-XXXX).
        #[arg(long)]
        raw: bool,
        #[command(flatten)]
        limit: TimeLimit,
    },
    /// Parse one document into a meeting: header, participants by role, each § with its
    /// diarienummer and decision.
    Parse {
        file: PathBuf,
        /// Print the meeting as JSON (the format of CONTRACT.md).
        #[arg(long)]
        json: bool,
        #[command(flatten)]
        limit: TimeLimit,
    },
    /// Add every document under the given files and folders to the index. Commits as it
    /// goes: an interrupted import keeps what it did, and the next one goes on from there.
    /// An import started while another runs into the same index waits for it. Exit status 0
    /// when every file was read, 2 when some were refused, 130 when interrupted.
    Ingest {
        /// The index folder.
        #[arg(long, default_value = "index")]
        index: PathBuf,
        /// Write one JSON line per file to this file: path, status, reason, document_id,
        /// pages, ocr, seconds.
        #[arg(long)]
        report: Option<PathBuf>,
        /// Also drop documents whose files are gone.
        #[arg(long)]
        prune: bool,
        #[command(flatten)]
        limit: TimeLimit,
        /// Refuse instead of waiting when another import into the index is running.
        #[arg(long)]
        no_wait: bool,
        #[arg(required = true)]
        paths: Vec<PathBuf>,
    },
    /// Check that the index is whole: its files, their checksums, every stored document and
    /// the registry of source files. Exit status 0 when whole, 1 when damaged.
    Check {
        #[arg(long, default_value = "index")]
        index: PathBuf,
        /// Repair a damaged index: rebuild it from the stored meetings that can still be
        /// read, then read again, from the folders given to earlier imports, what was lost.
        #[arg(long)]
        repair: bool,
    },
    /// List the documents of the index: one line per meeting, copies folded.
    List {
        #[arg(long, default_value = "index")]
        index: PathBuf,
        #[arg(long)]
        json: bool,
    },
    /// Remove a document from the index, by its id, a source file's path or its file name.
    Remove {
        #[arg(long, default_value = "index")]
        index: PathBuf,
        document: String,
    },
    /// Search the agenda items of the index.
    Search {
        /// Print results as JSON (the format of CONTRACT.md, with facet counts).
        #[arg(long)]
        json: bool,
        #[arg(long, default_value = "index")]
        index: PathBuf,
        /// Most hits shown (1 to 1000).
        #[arg(long, default_value_t = 10, value_parser = parse_limit)]
        limit: usize,
        /// Hits skipped before the first shown, for paging (at most 10000).
        #[arg(long, default_value_t = 0, value_parser = parse_offset)]
        offset: usize,
        /// Only documents of this kind (protokoll, protokollsutdrag, minnesanteckningar,
        /// kallelse, föredragningslista, okänd).
        #[arg(long, value_parser = parse_kind)]
        kind: Option<MeetingKind>,
        /// Only this body (name or key, e.g. SocSam).
        #[arg(long)]
        body: Option<String>,
        /// Only this organisation (e.g. "Strömsunds kommun").
        #[arg(long)]
        organization: Option<String>,
        /// Bara möten från och med detta datum: ÅÅÅÅ, ÅÅÅÅ-MM eller ÅÅÅÅ-MM-DD (2022 betyder
        /// från 2022-01-01).
        #[arg(long, value_name = "DATUM")]
        from: Option<String>,
        /// Bara möten till och med detta datum: ÅÅÅÅ, ÅÅÅÅ-MM eller ÅÅÅÅ-MM-DD (2022-02 betyder
        /// till 2022-02-28).
        #[arg(long, value_name = "DATUM")]
        to: Option<String>,
        /// Only items that record a decision.
        #[arg(long)]
        decisions: bool,
        /// Only decisions of this kind (godkänner, rekommenderar, uppdrar, …).
        #[arg(long, value_parser = parse_decision_kind)]
        decision_kind: Option<DecisionKind>,
        /// Only items where this person took part, presented or is named.
        #[arg(long)]
        person: Option<String>,
        /// Only the words themselves: no parts of compounds found apart, no typos allowed.
        #[arg(long)]
        exact: bool,
        /// Only this document (its id or file name, as search and list print them).
        #[arg(long)]
        document: Option<String>,
        /// Words (all must match), "quoted phrases", -excluded words. A query may start
        /// with an excluded word: `search -- -ord` and `search "-ord"` both work.
        #[arg(required = true)]
        query: Vec<String>,
    },
    /// Follow a topic across bodies and years: its decisions, including decisions known
    /// only because a later protocol cites them.
    Timeline {
        /// Print the timeline as JSON (the format of CONTRACT.md).
        #[arg(long, conflicts_with = "html")]
        json: bool,
        /// Write the timeline as a self-contained HTML page to this file.
        #[arg(long)]
        html: Option<PathBuf>,
        #[arg(long, default_value = "index")]
        index: PathBuf,
        #[arg(required = true)]
        topic: Vec<String>,
    },
    /// Serve the index as a web app in the browser: search, items, meetings, matters,
    /// people, bodies and timelines, and the same as JSON under /api/.
    Serve {
        #[arg(long, default_value = "index")]
        index: PathBuf,
        /// The address to listen on; 127.0.0.1 keeps the archive on this computer. Port 0
        /// picks a free port.
        #[arg(long, default_value = "127.0.0.1:8080")]
        addr: std::net::SocketAddr,
    },
    /// Lista indexets organ och organisationer med antal möten och ärenden, sorterade efter
    /// organisation och organ. Namnen fungerar med `search --body` och `--organization`.
    Bodies {
        /// Skriv listan som JSON.
        #[arg(long)]
        json: bool,
        /// Indexmappen.
        #[arg(long, default_value = "index")]
        index: PathBuf,
    },
    /// Show a stored meeting, or one of its items, without re-reading the file.
    Show {
        #[arg(long, default_value = "index")]
        index: PathBuf,
        #[arg(long)]
        json: bool,
        /// The document: its id (or its first characters), a source file's path, or its file
        /// name without extension.
        document: String,
        /// An item number (§).
        item: Option<String>,
    },
}

fn parse_kind(s: &str) -> Result<MeetingKind, String> {
    MeetingKind::from_word(&s.to_lowercase()).ok_or_else(|| {
        let all: Vec<&str> = MeetingKind::ALL.iter().map(|k| k.as_str()).collect();
        format!("{s:?} är ingen dokumenttyp; välj en av {}", all.join(", "))
    })
}

fn parse_decision_kind(s: &str) -> Result<DecisionKind, String> {
    DecisionKind::from_word(&s.to_lowercase()).ok_or_else(|| {
        let all: Vec<&str> = DecisionKind::ALL.iter().map(|k| k.as_str()).collect();
        format!("{s:?} är ingen beslutstyp; välj en av {}", all.join(", "))
    })
}

/// Most hits one search prints: a longer list is read by no one, and `--offset` pages.
const MAX_CLI_LIMIT: usize = 1000;

fn parse_limit(s: &str) -> Result<usize, String> {
    match s.trim().parse::<u64>() {
        Ok(n) if (1..=MAX_CLI_LIMIT as u64).contains(&n) => Ok(n as usize),
        _ => Err(format!("{s:?} går inte: --limit är ett antal träffar från 1 till {MAX_CLI_LIMIT}")),
    }
}

fn parse_offset(s: &str) -> Result<usize, String> {
    let max = protokoll::index::search::MAX_LIMIT;
    match s.trim().parse::<u64>() {
        Ok(n) if n <= max as u64 => Ok(n as usize),
        _ => Err(format!("{s:?} går inte: --offset är ett antal träffar från 0 till {max}")),
    }
}

/// glibc gives each thread that allocates its own malloc arena, and memory freed in one
/// arena is not reused by another: over a long import, the readers' and the index
/// writer's threads leave freed memory scattered, and the peak grows with the number of
/// files (154 MiB at 5,000 generated protocols against 117 MiB at 1,000). Two arenas, one
/// per core of the machines this runs on, keep the peak bounded by the batch (and made
/// the import faster, not slower).
#[cfg(all(target_os = "linux", target_env = "gnu"))]
fn bound_malloc_arenas() {
    // SAFETY: mallopt only sets a parameter of the allocator; called before any thread
    // is started.
    unsafe {
        libc::mallopt(libc::M_ARENA_MAX, 2);
    }
}

#[cfg(not(all(target_os = "linux", target_env = "gnu")))]
fn bound_malloc_arenas() {}

fn main() -> ExitCode {
    bound_malloc_arenas();
    let cli = Cli::parse_from(excluded_words_as_query(std::env::args_os().collect()));
    let index = cli.command.index().map(Path::to_path_buf);
    if index.is_some() {
        quiet_panics();
    }
    match std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| try_main(cli))) {
        Ok(Ok(code)) => code,
        Ok(Err(err)) => {
            if is_broken_pipe(&err) {
                return ExitCode::SUCCESS;
            }
            eprintln!("protokoll: {}", explain(&err, index.as_deref()));
            let cancelled = err.chain().any(|e| matches!(e.downcast_ref::<IndexError>(), Some(IndexError::Cancelled(_))));
            ExitCode::from(if cancelled { 130 } else { 2 })
        }
        // Without an index, a panic is a bug, shown as Rust shows it.
        Err(panic) if index.is_none() => std::panic::resume_unwind(panic),
        Err(_) => {
            let what = PANIC.lock().ok().and_then(|mut p| p.take()).unwrap_or_default();
            match index.as_deref().and_then(|dir| check::first_problem(dir).map(|reason| (dir, reason))) {
                Some((dir, reason)) => eprintln!("protokoll: {}", IndexError::Damaged { path: dir.to_path_buf(), reason }),
                None => eprintln!("protokoll: internt fel ({what}); rapportera gärna kommandot och felet"),
            }
            ExitCode::from(2)
        }
    }
}

impl Command {
    /// The index folder the command works on.
    fn index(&self) -> Option<&Path> {
        match self {
            Command::Ingest { index, .. }
            | Command::Check { index, .. }
            | Command::List { index, .. }
            | Command::Remove { index, .. }
            | Command::Search { index, .. }
            | Command::Timeline { index, .. }
            | Command::Serve { index, .. }
            | Command::Show { index, .. }
            | Command::Bodies { index, .. } => Some(index),
            Command::Extract { .. } | Command::Parse { .. } => None,
        }
    }
}

/// The last panic of the main thread or of tantivy's threads: where and what.
static PANIC: std::sync::Mutex<Option<String>> = std::sync::Mutex::new(None);

/// For commands on an index: panics in the main thread and in tantivy's threads are kept
/// for `main` to say in one line (tantivy may panic on a damaged index, and that is said
/// as damage); other threads' panics (a reader's, caught per file) print as before.
fn quiet_panics() {
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
/// tantivy's messages under it); one that means the index is damaged names what is
/// damaged (a check finds which file) and the way out.
fn explain(err: &anyhow::Error, index: Option<&Path>) -> String {
    let Some(e) = err.chain().find_map(|e| e.downcast_ref::<IndexError>()) else {
        return format!("{err:#}");
    };
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

fn is_broken_pipe(err: &anyhow::Error) -> bool {
    err.chain().any(|e| {
        e.downcast_ref::<std::io::Error>().is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
            || e.downcast_ref::<serde_json::Error>().and_then(serde_json::Error::io_error_kind) == Some(std::io::ErrorKind::BrokenPipe)
    })
}

/// The arguments with a search's excluded words (`-ord`) moved behind `--`, so that clap
/// takes them as words of the query and not as options: a query may then start with one,
/// and `search -ord` works like `search -- -ord`. Only words after `search` or
/// `timeline` move, and only words of one dash that are not `-h`.
fn excluded_words_as_query(args: Vec<std::ffi::OsString>) -> Vec<std::ffi::OsString> {
    let Some(sub) = args.iter().position(|a| a == "search" || a == "timeline") else { return args };
    let (mut kept, mut moved, mut rest) = (Vec::new(), Vec::new(), Vec::new());
    let mut after_dashes = false;
    for (i, arg) in args.into_iter().enumerate() {
        let text = arg.to_str().unwrap_or("");
        let is_word = text.starts_with('-') && !text.starts_with("--") && text.chars().nth(1).is_some_and(char::is_alphabetic) && text != "-h";
        if after_dashes {
            rest.push(arg);
        } else if i > sub && text == "--" {
            after_dashes = true;
        } else if i > sub && is_word {
            moved.push(arg);
        } else {
            kept.push(arg);
        }
    }
    if moved.is_empty() && !after_dashes {
        return kept;
    }
    kept.push("--".into());
    kept.extend(moved);
    kept.extend(rest);
    kept
}

fn try_main(cli: Cli) -> anyhow::Result<ExitCode> {
    match cli.command {
        Command::Extract { file, cells, raw, limit } => run_extract(&file, cells, raw, &limit),
        Command::Parse { file, json, limit } => run_parse(&file, json, &limit),
        Command::Ingest { index, report, prune, limit, no_wait, paths } => run_ingest(&index, &paths, report.as_deref(), prune, &limit, no_wait),
        Command::Check { index, repair } => run_check(&index, repair),
        Command::List { index, json } => run_list(&index, json),
        Command::Remove { index, document } => run_remove(&index, &document),
        Command::Search { json, index, limit, offset, kind, body, organization, from, to, decisions, decision_kind, person, exact, document, query } => {
            let dates = DateRange::parse(from.as_deref(), to.as_deref())?;
            let opts = SearchOptions {
                limit,
                offset,
                kind,
                body,
                organization,
                from: dates.from,
                to: dates.to,
                decisions_only: decisions,
                person,
                exact,
                items_only: false,
                document,
                decision_kind,
            };
            run_search(&index, &query.join(" "), &opts, json)
        }
        Command::Show { index, json, document, item } => run_show(&index, &document, item.as_deref(), json),
        Command::Bodies { index, json } => run_bodies(&index, json),
        Command::Serve { index, addr } => run_serve(&index, addr),
        Command::Timeline { json, html, index, topic } => run_timeline(&index, &topic.join(" "), json, html.as_deref()),
    }
}

/// Prints the text of one document, as `pdftotext -layout` would, or its layout.
/// Extraction options for one file named on the command line: on a terminal, OCR of a
/// scan shows its progress page by page.
fn single_file_options(limit: &TimeLimit) -> (extract::Options, indicatif::ProgressBar) {
    let bar = if std::io::stderr().is_terminal() { indicatif::ProgressBar::new(0) } else { indicatif::ProgressBar::hidden() };
    bar.set_style(
        indicatif::ProgressStyle::with_template("OCR {bar:30} {pos}/{len} sidor · {eta} kvar · senast sida {msg}")
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
    );
    let shown = bar.clone();
    let progress = extract::OcrProgress(std::sync::Arc::new(move |page, pages| {
        shown.set_length(pages as u64);
        shown.set_message(page.to_string());
        shown.inc(1);
    }));
    (extract::Options { ocr_progress: Some(progress), time_limit: limit.duration(), ..extract::Options::default() }, bar)
}

fn run_extract(file: &std::path::Path, cells: bool, raw: bool, limit: &TimeLimit) -> anyhow::Result<ExitCode> {
    let (mut options, bar) = single_file_options(limit);
    options.raw = raw;
    let doc = extract::extract_path(file, &options);
    bar.finish_and_clear();
    let doc = doc.with_context(|| file.display().to_string())?;
    for w in &doc.warnings {
        eprintln!("protokoll: {}: {w}", file.display());
    }
    let mut out = std::io::stdout().lock();
    if cells {
        for page in &doc.pages {
            for line in &page.lines {
                let texts: Vec<&str> = line.cells.iter().map(|c| c.text.as_str()).collect();
                let bold = if line.bold { "b" } else { " " };
                writeln!(out, "{:>3} {:>7.1} {:>5.1} {bold} {:>6.1}  {}", page.number, line.y, line.size, line.cells[0].x, texts.join(" | "))?;
            }
        }
        out.flush()?;
        return Ok(ExitCode::SUCCESS);
    }
    out.write_all(doc.text().as_bytes())?;
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}

/// Parses one document and prints the meeting, as JSON or as a readable summary.
fn run_parse(file: &std::path::Path, json: bool, limit: &TimeLimit) -> anyhow::Result<ExitCode> {
    let bytes = extract::read_file(file).with_context(|| file.display().to_string())?;
    let name = file.file_name().map(|n| n.to_string_lossy()).unwrap_or_default();
    let (options, bar) = single_file_options(limit);
    let doc = extract::extract_bytes(&bytes, &name, &options);
    bar.finish_and_clear();
    let doc = doc.with_context(|| file.display().to_string())?;
    let meeting = parse::parse(&doc, file, &bytes);
    let mut out = std::io::stdout().lock();
    if json {
        serde_json::to_writer_pretty(&mut out, &citation::meeting_json(&meeting, &meeting.source.path, citation::Items::AsParsed)?)?;
        writeln!(out)?;
    } else {
        write_summary(&mut out, &meeting, &meeting.source.path)?;
    }
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}

/// A meeting as text: its header and citation, officers, participants by role, and each
/// item with the page it starts on in the file at `path`.
fn write_summary(out: &mut impl Write, m: &Meeting, path: &str) -> std::io::Result<()> {
    let date = m.date.map_or_else(|| "datum okänt".to_string(), |d| d.to_string());
    let mut head = format!("{} — {} {date}", m.body.name, m.kind);
    for part in [m.time.as_deref(), m.place.as_deref(), m.organization.as_deref()].into_iter().flatten() {
        head.push_str(", ");
        head.push_str(part);
    }
    writeln!(out, "{head}")?;
    writeln!(out, "Hänvisning: {}", Citation::of(m, None, path))?;
    let o = &m.officers;
    let mut officers = Vec::new();
    if let Some(c) = &o.chair {
        officers.push(format!("Ordförande: {c}"));
    }
    if let Some(s) = &o.secretary {
        officers.push(format!("Sekreterare: {s}"));
    }
    if !o.adjusters.is_empty() {
        officers.push(format!("Justerare: {}", o.adjusters.join(", ")));
    }
    if !officers.is_empty() {
        writeln!(out, "{}", officers.join(" · "))?;
    }
    for role in [Role::Beslutande, Role::Tjansteperson, Role::Ovrig, Role::EjNarvarande] {
        let people: Vec<_> = m.participants.iter().filter(|p| p.role == role).collect();
        if people.is_empty() {
            continue;
        }
        writeln!(out, "\n{} ({})", role.label(), people.len())?;
        for p in people {
            let mut line = format!("  {}", p.name);
            if let Some(party) = &p.party {
                line.push_str(&format!(" ({party})"));
            }
            for extra in [p.organization.as_deref(), p.title.as_deref(), p.paragraphs.as_deref()].into_iter().flatten() {
                line.push_str(&format!(", {extra}"));
            }
            writeln!(out, "{line}")?;
        }
    }
    writeln!(out)?;
    for item in &m.items {
        let dnr = item.diarienummer.as_deref().map(|d| format!("  [{d}]")).unwrap_or_default();
        let cited = Citation::of(m, Some(item), path);
        writeln!(out, "{} {}{dnr}  (s. {})", cited.number_label().unwrap_or_default(), item.title, item.page)?;
        if !item.presenters.is_empty() {
            writeln!(out, "    Föredragande: {}", item.presenters.join(", "))?;
        }
        if let Some(d) = &item.decision {
            writeln!(out, "    Beslut ({}): {}", d.kind, d.text)?;
        }
        for r in &item.references {
            let when = r.date.map_or_else(String::new, |d| d.to_string());
            writeln!(out, "    Hänvisar till: {} {when}", r.body.as_deref().unwrap_or("tidigare beslut"))?;
        }
    }
    if !m.attachments.is_empty() {
        writeln!(out, "\nBilagor")?;
        for a in &m.attachments {
            writeln!(out, "  {} (sida {})", a.title, a.page)?;
        }
    }
    for w in &m.warnings {
        writeln!(out, "varning: {w}")?;
    }
    Ok(())
}

/// "1 fil", "2 filer": a count with its noun in the right number.
fn count(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// Progress of an import on a terminal: files and pages done, the rate, the time left and
/// the file being read; and the report file, when asked for.
struct IngestProgress {
    bar: indicatif::ProgressBar,
    started: std::sync::atomic::AtomicBool,
    pages: std::sync::atomic::AtomicU64,
    report: Option<std::sync::Mutex<std::io::BufWriter<std::fs::File>>>,
    report_error: std::sync::Mutex<Option<std::io::Error>>,
}

impl ingest::Progress for IngestProgress {
    fn start(&self, files: usize) {
        self.bar.set_length(files as u64);
        self.started.store(true, std::sync::atomic::Ordering::Relaxed);
    }

    fn reading(&self, path: &std::path::Path) {
        self.bar.set_message(path.display().to_string());
    }

    fn done(&self, report: &FileReport) {
        use std::sync::atomic::Ordering;
        if let Some(w) = &self.report
            && let Ok(mut w) = w.lock()
        {
            let written = serde_json::to_writer(&mut *w, report).map_err(std::io::Error::other).and_then(|()| writeln!(w)).and_then(|()| w.flush());
            if let (Err(e), Ok(mut slot)) = (written, self.report_error.lock()) {
                slot.get_or_insert(e);
            }
        }
        if self.started.load(Ordering::Relaxed) {
            let pages = self.pages.fetch_add(u64::from(report.pages.unwrap_or(0)), Ordering::Relaxed) + u64::from(report.pages.unwrap_or(0));
            self.bar.set_prefix(pages.to_string());
            self.bar.inc(1);
        }
    }
}

/// A flag Ctrl-C sets: the first asks an import to stop and save what is done, the
/// second stops at once.
fn cancel_on_ctrl_c() -> &'static std::sync::atomic::AtomicBool {
    let cancel: &'static std::sync::atomic::AtomicBool = Box::leak(Box::new(std::sync::atomic::AtomicBool::new(false)));
    let handler = ctrlc::set_handler(move || {
        if cancel.swap(true, std::sync::atomic::Ordering::SeqCst) {
            // A second Ctrl-C: the last commit is whole, so stopping now loses only the
            // files read since.
            std::process::exit(130);
        }
        eprintln!("\nprotokoll: avbryter: sparar det som är klart (Ctrl-C igen avbryter direkt)");
    });
    if let Err(e) = handler {
        eprintln!("protokoll: Ctrl-C kan inte fångas ({e}); ett avbrott sparar bara det som redan sparats");
    }
    cancel
}

/// Takes the index's write lock, waiting (and saying so) while another process holds it,
/// unless `no_wait`.
fn lock_index(index: &Path, no_wait: bool, cancel: &std::sync::atomic::AtomicBool) -> Result<WriteLock, IndexError> {
    let waiting = || {
        eprintln!("protokoll: väntar på en annan import av {} (Ctrl-C avbryter; --no-wait väntar inte)", index.display());
    };
    WriteLock::acquire(index, if no_wait { Wait::No } else { Wait::Yes { cancel, waiting: &waiting } })
}

/// The system's lexicon, from the index's compiled copy when it is the same.
fn lexicon_for(index: &Path) -> Lexicon {
    let compiled = index.join(protokoll::index::LEXICON_FILE);
    let lexicon = if check::lexicon_damaged(&compiled) { Lexicon::system() } else { Lexicon::system_or_compiled(&compiled) };
    if lexicon.is_empty() {
        eprintln!(
            "protokoll: {} saknas, så sammansatta ord delas inte i indexet (installera hunspell-sv och kör ingest igen)",
            protokoll::index::lexicon::HUNSPELL_SV
        );
    }
    lexicon
}

/// Progress of an import, with a bar on a terminal, and its report file when asked for.
fn ingest_progress(report: Option<&std::path::Path>) -> anyhow::Result<IngestProgress> {
    let report_file = match report {
        Some(path) => Some(std::fs::File::create(path).with_context(|| path.display().to_string())?),
        None => None,
    };
    let bar = if std::io::stderr().is_terminal() { indicatif::ProgressBar::new(0) } else { indicatif::ProgressBar::hidden() };
    bar.set_style(
        indicatif::ProgressStyle::with_template("{bar:30} {pos}/{len} filer · {prefix} sidor · {per_sec} · {eta} kvar · {wide_msg}")
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
    );
    bar.set_prefix("0");
    Ok(IngestProgress {
        bar,
        started: std::sync::atomic::AtomicBool::new(false),
        pages: std::sync::atomic::AtomicU64::new(0),
        report: report_file.map(|f| std::sync::Mutex::new(std::io::BufWriter::new(f))),
        report_error: std::sync::Mutex::new(None),
    })
}

/// Ingests files and folders into the index, with a progress bar on a terminal, and
/// prints what became of every file that was not simply added or unchanged.
fn run_ingest(
    index: &std::path::Path,
    paths: &[PathBuf],
    report: Option<&std::path::Path>,
    prune: bool,
    limit: &TimeLimit,
    no_wait: bool,
) -> anyhow::Result<ExitCode> {
    let cancel = cancel_on_ctrl_c();
    let lock = lock_index(index, no_wait, cancel)?;
    let (mut store, rebuilt) = Store::open_locked(lock, lexicon_for(index))?;
    if let Some(n) = rebuilt {
        eprintln!("protokoll: indexet byggdes om för den nya versionen ({} fördes över)", count(n, "dokument", "dokument"));
    }
    let progress = ingest_progress(report)?;
    let mut settings = ingest::Settings::new(cancel);
    settings.prune = prune;
    settings.options.time_limit = limit.duration();
    let summary = ingest::ingest(&mut store, paths, &settings, &progress)?;
    store.finish()?;
    finish_ingest(&progress, &summary)
}

/// Prints what an import did and says how it ended: exit status 130 when interrupted, 2
/// when files were refused.
fn finish_ingest(progress: &IngestProgress, summary: &ingest::Summary) -> anyhow::Result<ExitCode> {
    progress.bar.finish_and_clear();
    if let Ok(mut slot) = progress.report_error.lock()
        && let Some(e) = slot.take()
    {
        eprintln!("protokoll: rapporten kunde inte skrivas: {e}");
    }
    let c = &summary.counts;
    let mut out = std::io::stdout().lock();
    let mut parts = vec![
        format!("Lade till {}", count(c.added, "dokument", "dokument")),
        format!("ersatte {}", c.replaced),
        format!("oförändrade {}", c.unchanged),
        format!("kopior {}", c.copies),
        format!("vägrade {}", c.refused),
        format!("hoppade över {}", c.skipped),
    ];
    if c.removed > 0 {
        parts.push(format!("tog bort {}", c.removed));
    }
    writeln!(out, "{}.", parts.join(", "))?;
    for (path, reason) in &summary.refused {
        writeln!(out, "  vägrad: {path}: {reason}")?;
    }
    for (path, reason) in &summary.skipped {
        writeln!(out, "  hoppade över: {path}: {reason}")?;
    }
    for path in &summary.removed {
        writeln!(out, "  borttagen: {path}: filen finns inte längre")?;
    }
    for (path, kind) in &summary.not_minutes {
        writeln!(out, "  inte ett protokoll ({kind}): {path}")?;
    }
    if summary.interrupted {
        writeln!(out, "Avbrutet: det som lästes är sparat, {} lästes inte. Kör samma kommando igen för att fortsätta.", count(c.interrupted, "fil", "filer"))?;
    }
    out.flush()?;
    Ok(if summary.interrupted {
        ExitCode::from(130)
    } else if c.refused > 0 {
        ExitCode::from(2)
    } else {
        ExitCode::SUCCESS
    })
}

/// Checks the index and prints what is wrong and what to do; with `repair`, rebuilds a
/// damaged index from what can be read and reads the rest again from its folders.
fn run_check(index: &Path, repair: bool) -> anyhow::Result<ExitCode> {
    let cancel = cancel_on_ctrl_c();
    // Under the lock, so that no import changes the files while they are read. A check
    // of an index in a folder it may not write to goes on without.
    let lock = match lock_index(index, false, cancel) {
        Ok(lock) => Some(lock),
        Err(IndexError::Lock { .. }) if !repair => None,
        Err(e) => return Err(e.into()),
    };
    let (report, _) = check::inspect(index)?;
    let mut out = std::io::stdout().lock();
    for p in &report.problems {
        writeln!(out, "fel: {p}")?;
    }
    for n in &report.notes {
        writeln!(out, "obs: {n}")?;
    }
    let whole = format!(
        "{}, {}, {}",
        count(report.meetings, "möte", "möten"),
        count(report.sources, "källfil", "källfiler"),
        count(report.segments, "segment", "segment")
    );
    if report.whole() {
        if let Some(lock) = lock.filter(|_| repair) {
            // Nothing to repair; opening for writing clears leftovers away.
            let (store, _) = Store::open_locked(lock, lexicon_for(index))?;
            store.finish()?;
        }
        writeln!(out, "Indexet {} är helt: {whole}.", index.display())?;
        out.flush()?;
        return Ok(ExitCode::SUCCESS);
    }
    let Some(lock) = lock.filter(|_| repair) else {
        writeln!(
            out,
            "Indexet {} är skadat ({}). Kör `protokoll check --repair --index {}`: det bygger om indexet av det som går att läsa och läser om resten från källfilerna.",
            index.display(),
            count(report.problems.len(), "fel", "fel"),
            index.display()
        )?;
        out.flush()?;
        return Ok(ExitCode::from(1));
    };
    let (mut store, repaired) = Store::repair(lock, lexicon_for(index))?;
    writeln!(
        out,
        "Byggde om indexet av det som gick att läsa: {} och {}.",
        count(repaired.meetings, "möte", "möten"),
        count(repaired.sources, "källfil", "källfiler")
    )?;
    if repaired.dropped > 0 {
        writeln!(out, "  {} ur en skadad segmentfil läses om från sina filer.", count(repaired.dropped, "möte", "möten"))?;
    }
    for gone in &repaired.gone {
        writeln!(out, "  finns inte längre, läses inte om: {}", gone.display())?;
    }
    if !repaired.reread.is_empty() {
        writeln!(out, "Läser om det som inte gick att spara från {}:", count(repaired.reread.len(), "sökväg", "sökvägar"))?;
        for p in &repaired.reread {
            writeln!(out, "  {}", p.display())?;
        }
    }
    out.flush()?;
    drop(out);
    let progress = ingest_progress(None)?;
    let summary = ingest::reread(&mut store, &repaired.reread, &ingest::Settings::new(cancel), &progress)?;
    store.finish()?;
    let code = finish_ingest(&progress, &summary)?;
    let (after, _) = check::inspect(index)?;
    let mut out = std::io::stdout().lock();
    if after.whole() {
        writeln!(out, "Indexet {} är reparerat och helt: {}.", index.display(), count(after.meetings, "möte", "möten"))?;
    } else {
        for p in &after.problems {
            writeln!(out, "fel: {p}")?;
        }
        writeln!(out, "Indexet {} är fortfarande inte helt; ta bort mappen och kör ingest igen.", index.display())?;
        out.flush()?;
        return Ok(ExitCode::from(1));
    }
    out.flush()?;
    Ok(if summary.interrupted { code } else { ExitCode::SUCCESS })
}

/// Lists the meetings of the index.
fn run_list(index: &std::path::Path, json: bool) -> anyhow::Result<ExitCode> {
    let archive = Archive::open_built(index)?;
    let listed = archive.list()?;
    let mut out = std::io::stdout().lock();
    if json {
        serde_json::to_writer_pretty(&mut out, &listed)?;
        writeln!(out)?;
    } else {
        for l in &listed {
            let date = l.date.map_or_else(|| "datum okänt".to_string(), |d| d.to_string());
            let copies = if l.copies.is_empty() { String::new() } else { format!(" · {}", count(l.copies.len(), "kopia", "kopior")) };
            let body = citation::body_with_organization(&l.body, l.organization.as_deref());
            writeln!(out, "{}  {date}  {body}  {}  {}{copies}", l.document_id, l.kind, count(l.items, "ärende", "ärenden"))?;
            for s in &l.sources {
                writeln!(out, "    {s}")?;
            }
        }
        writeln!(out, "{}", count(listed.len(), "möte", "möten"))?;
    }
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}

/// Lists the bodies and organisations of the index with their counts.
fn run_bodies(index: &Path, json: bool) -> anyhow::Result<ExitCode> {
    let archive = Archive::open_built(index)?;
    let listing = archive.body_listing()?;
    let mut out = std::io::stdout().lock();
    if json {
        serde_json::to_writer_pretty(&mut out, &listing)?;
        writeln!(out)?;
    } else {
        write_bodies(&mut out, &listing)?;
    }
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}

/// Rows of text in columns, each as wide as its widest cell; the columns named in
/// `right` are aligned right (counts).
fn write_table(out: &mut impl Write, rows: &[Vec<String>], right: &[usize]) -> std::io::Result<()> {
    let columns = rows.iter().map(Vec::len).max().unwrap_or(0);
    let widths: Vec<usize> = (0..columns).map(|c| rows.iter().filter_map(|r| r.get(c)).map(|s| s.chars().count()).max().unwrap_or(0)).collect();
    for row in rows {
        let cells: Vec<String> =
            row.iter().zip(&widths).enumerate().map(|(c, (cell, &w))| if right.contains(&c) { format!("{cell:>w$}") } else { format!("{cell:<w$}") }).collect();
        writeln!(out, "{}", cells.join("  ").trim_end())?;
    }
    Ok(())
}

fn write_bodies(out: &mut impl Write, listing: &BodyListing) -> std::io::Result<()> {
    if listing.bodies.is_empty() {
        return writeln!(out, "Indexet har inga organ.");
    }
    let none = "(ingen organisation)";
    let mut rows = vec![["Organisation", "Organ", "Nyckel", "Möten", "Ärenden"].map(String::from).to_vec()];
    for b in &listing.bodies {
        rows.push(vec![b.organization.clone().unwrap_or_else(|| none.to_string()), b.name.clone(), b.key.clone(), b.meetings.to_string(), b.items.to_string()]);
    }
    write_table(out, &rows, &[3, 4])?;
    writeln!(out)?;
    let mut rows = vec![["Organisation", "Organ", "Möten", "Ärenden"].map(String::from).to_vec()];
    for o in &listing.organizations {
        rows.push(vec![o.name.clone(), o.bodies.to_string(), o.meetings.to_string(), o.items.to_string()]);
    }
    let without: Vec<_> = listing.bodies.iter().filter(|b| b.organization.is_none()).collect();
    if !without.is_empty() {
        let (meetings, items): (u64, u64) = (without.iter().map(|b| b.meetings).sum(), without.iter().map(|b| b.items).sum());
        rows.push(vec![none.to_string(), without.len().to_string(), meetings.to_string(), items.to_string()]);
    }
    write_table(out, &rows, &[1, 2, 3])?;
    writeln!(
        out,
        "\nSammanlagt {}, {}, {} och {}.",
        count(listing.organizations.len(), "organisation", "organisationer"),
        count(listing.bodies.len(), "organ", "organ"),
        count(listing.meetings as usize, "möte", "möten"),
        count(listing.items as usize, "ärende", "ärenden")
    )
}

/// Removes a document from the index.
fn run_remove(index: &std::path::Path, document: &str) -> anyhow::Result<ExitCode> {
    let never = std::sync::atomic::AtomicBool::new(false);
    let lock = lock_index(index, false, &never)?;
    let (mut store, _) = Store::open_locked(lock, lexicon_for(index))?;
    let removed = ingest::remove(&mut store, document)?;
    store.finish()?;
    let mut out = std::io::stdout().lock();
    for id in &removed.documents {
        writeln!(out, "Tog bort {id}")?;
    }
    for path in &removed.paths {
        writeln!(out, "  glömde {path}")?;
    }
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}

/// Searches the index and prints hits (exit 1 when nothing matched, as grep does).
fn run_search(index: &std::path::Path, query: &str, opts: &SearchOptions, json: bool) -> anyhow::Result<ExitCode> {
    let archive = Archive::open_built(index)?;
    let results = archive.search(query, opts)?;
    let mut out = std::io::stdout().lock();
    if json {
        serde_json::to_writer_pretty(&mut out, &results)?;
        writeln!(out)?;
    } else {
        write_hits(&mut out, &results)?;
    }
    out.flush()?;
    Ok(if results.total == 0 { ExitCode::from(1) } else { ExitCode::SUCCESS })
}

/// Highlights on a terminal are bold; elsewhere the matched words are set off by `*`.
fn highlight(snippet: &str, terminal: bool) -> String {
    let (on, off) = if terminal { ("\x1b[1m", "\x1b[0m") } else { ("*", "*") };
    snippet.replace("<b>", on).replace("</b>", off).replace("&amp;", "&").replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"")
}

fn write_hits(out: &mut impl Write, results: &SearchResults) -> std::io::Result<()> {
    use std::io::IsTerminal;
    let terminal = std::io::stdout().is_terminal();
    if results.total == 0 {
        writeln!(out, "Inga träffar för {:?}.", results.query)?;
        return Ok(());
    }
    writeln!(out, "{} träffar för {:?}\n", results.total, results.query)?;
    for hit in &results.hits {
        let dnr = hit.diarienummer.as_deref().map(|d| format!("  [{d}]")).unwrap_or_default();
        let outside = if hit.item.is_none() { " (utanför ärendena)" } else { "" };
        writeln!(out, "{}{outside}{dnr}", hit.citation)?;
        if !hit.snippet.is_empty() {
            writeln!(out, "    {}", highlight(&hit.snippet, terminal))?;
        }
        if let (Some(d), Some(k)) = (&hit.decision, &hit.decision_kind) {
            let short: String = d.chars().take(240).collect();
            writeln!(out, "    Beslut ({k}): {short}{}", if d.chars().count() > 240 { "…" } else { "" })?;
        }
        writeln!(out, "    {}\n", hit.path)?;
    }
    Ok(())
}

/// The one meeting a name means: its copy that stands for it. A name that means several
/// meetings is an error that lists them.
fn resolve_one(archive: &Archive, name: &str) -> anyhow::Result<StoredMeeting> {
    let found = archive.resolve(name)?;
    let mut keys: Vec<String> = found.iter().map(|s| s.meeting.copy_key()).collect();
    keys.dedup();
    match keys.len() {
        0 => anyhow::bail!("{name}: finns inte i indexet"),
        1 => {}
        _ => {
            let list: Vec<String> = found.iter().map(|s| format!("{} ({})", document_id(&s.meeting.source.sha256), s.path)).collect();
            anyhow::bail!("{name} kan vara flera dokument; ange ett av dessa id: {}", list.join(", "))
        }
    }
    let key = &keys[0];
    let mut copies = archive.copies(key)?;
    copies.sort_by_key(|c| !c.primary);
    // A copy named by its id or path is shown as named; a file stem names the meeting,
    // and the copy that stands for it is shown.
    match found.into_iter().next() {
        Some(named) if named.meeting.id != name => Ok(named),
        _ => copies.into_iter().next().ok_or_else(|| anyhow::anyhow!("{name}: finns inte i indexet")),
    }
}

/// Shows a stored meeting or one of its items.
fn run_show(index: &std::path::Path, document: &str, item: Option<&str>, json: bool) -> anyhow::Result<ExitCode> {
    let archive = Archive::open_built(index)?;
    let stored = resolve_one(&archive, document)?;
    let m = &stored.meeting;
    let mut out = std::io::stdout().lock();
    match item {
        Some(nr) => {
            let nr = nr.trim_start_matches('§').trim();
            let Some(it) = m.items.iter().find(|i| i.number == nr) else {
                anyhow::bail!("{document}: har ingen § {nr}");
            };
            if json {
                serde_json::to_writer_pretty(&mut out, &citation::item_json(m, it, &stored.path)?)?;
                writeln!(out)?;
            } else {
                writeln!(out, "{}", Citation::of(m, Some(it), &stored.path))?;
                writeln!(out, "{} sida {}", stored.path, it.page)?;
                writeln!(out, "\n{}", it.text)?;
                if let Some(d) = &it.decision {
                    writeln!(out, "\nBeslut ({}): {}", d.kind, d.text)?;
                }
            }
        }
        None if json => {
            serde_json::to_writer_pretty(&mut out, &citation::meeting_json(m, &stored.path, citation::Items::Cited)?)?;
            writeln!(out)?;
        }
        None => {
            write_summary(&mut out, m, &stored.path)?;
            let copies = archive.copies(&m.copy_key())?;
            writeln!(out, "\nKällor")?;
            for c in &copies {
                let mark = if c.meeting.source.sha256 == m.source.sha256 { "*" } else { " " };
                writeln!(out, "  {mark} {}  {}  {}", document_id(&c.meeting.source.sha256), c.meeting.source.format, c.path)?;
            }
        }
    }
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}

/// Serves the index until interrupted; the first line printed is the address.
fn run_serve(index: &std::path::Path, addr: std::net::SocketAddr) -> anyhow::Result<ExitCode> {
    if !addr.ip().is_loopback() {
        eprintln!("protokoll: obs! servern lyssnar på {addr} och kan nås från andra datorer i nätverket");
    }
    protokoll::web::serve(index, addr, |bound| {
        println!("Lyssnar på http://{bound}/");
        eprintln!("protokoll: öppna adressen ovan i en webbläsare; avsluta med Ctrl-C");
        let _ = std::io::stdout().flush();
    })
    .with_context(|| format!("index {}", index.display()))?;
    Ok(ExitCode::SUCCESS)
}

/// Prints a topic's timeline, as text or JSON, or writes it as an HTML page.
fn run_timeline(index: &std::path::Path, topic: &str, json: bool, html: Option<&std::path::Path>) -> anyhow::Result<ExitCode> {
    let archive = Archive::open_built(index)?;
    let t = timeline::timeline(&archive, topic)?;
    if let Some(file) = html {
        std::fs::write(file, protokoll::web::timeline_html(&archive, &t)).with_context(|| file.display().to_string())?;
        eprintln!("protokoll: tidslinjen med {} händelser skrevs till {}", t.events.len(), file.display());
        return Ok(ExitCode::SUCCESS);
    }
    let mut out = std::io::stdout().lock();
    if json {
        serde_json::to_writer_pretty(&mut out, &t)?;
        writeln!(out)?;
    } else {
        out.write_all(timeline::to_text(&t).as_bytes())?;
    }
    out.flush()?;
    Ok(if t.events.is_empty() { ExitCode::from(1) } else { ExitCode::SUCCESS })
}
