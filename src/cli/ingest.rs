//! The commands that write the index: `ingest` (its progress, report and summary),
//! `check` and `check --repair`, and `remove`, each under the index's write lock.

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Context;
use protokoll::index::lexicon::{Dictionary, DictionaryError, Lexicon};
use protokoll::index::lock::{Wait, WriteLock};
use protokoll::index::store::Store;
use protokoll::index::{IndexError, check};
use protokoll::ingest;
use protokoll::ingest::report::FileReport;
use protokoll::text::count;

use super::args::TimeLimit;

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
    if handler.is_err() {
        eprintln!("protokoll: Ctrl-C kan inte fångas; ett avbrott sparar bara det som redan sparats");
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

/// The lexicon of the chosen dictionary (`--lexicon`, `PROTOKOLL_HUNSPELL` or Debian's),
/// from the index's compiled copy when it is the same. A chosen dictionary that cannot
/// be read is an error; Debian's missing is said and nothing is split.
fn lexicon_for(index: &Path, dictionary: &Dictionary) -> Result<Lexicon, DictionaryError> {
    let compiled = index.join(protokoll::index::LEXICON_FILE);
    let lexicon = dictionary.load((!check::lexicon_damaged(&compiled)).then_some(compiled.as_path()))?;
    if lexicon.is_empty() {
        eprintln!(
            "protokoll: {} saknas, så sammansatta ord delas inte i indexet (installera hunspell-sv, eller välj en ordlista med --lexicon FIL eller PROTOKOLL_HUNSPELL, och kör ingest igen)",
            dictionary.path.display()
        );
    }
    Ok(lexicon)
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
pub(crate) fn run_ingest(
    index: &std::path::Path,
    dictionary: &Dictionary,
    paths: &[PathBuf],
    report: Option<&std::path::Path>,
    prune: bool,
    limit: &TimeLimit,
    no_wait: bool,
) -> anyhow::Result<ExitCode> {
    let cancel = cancel_on_ctrl_c();
    let lock = lock_index(index, no_wait, cancel)?;
    let (mut store, rebuilt) = Store::open_locked(lock, lexicon_for(index, dictionary)?)?;
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
        eprintln!("protokoll: rapporten kunde inte skrivas: {}", protokoll::text::io_error(&e));
    }
    let c = &summary.counts;
    let mut out = std::io::stdout().lock();
    let mut parts = vec![
        format!("Lade till {}", count(c.added, "dokument", "dokument")),
        format!("ersatte {}", c.replaced),
        format!("oförändrade {}", c.unchanged),
        format!("kopior {}", c.copies),
        format!("vägrade {}", count(c.refused, "fil", "filer")),
        format!("hoppade över {}", count(c.skipped, "fil", "filer")),
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
pub(crate) fn run_check(index: &Path, repair: bool, dictionary: &Dictionary) -> anyhow::Result<ExitCode> {
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
            let (store, _) = Store::open_locked(lock, lexicon_for(index, dictionary)?)?;
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
    let (mut store, repaired) = Store::repair(lock, lexicon_for(index, dictionary)?)?;
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

/// Removes a document from the index.
pub(crate) fn run_remove(index: &std::path::Path, document: &str, dictionary: &Dictionary) -> anyhow::Result<ExitCode> {
    let never = std::sync::atomic::AtomicBool::new(false);
    let lock = lock_index(index, false, &never)?;
    let (mut store, _) = Store::open_locked(lock, lexicon_for(index, dictionary)?)?;
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
