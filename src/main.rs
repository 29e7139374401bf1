//! The `protokoll` command: one subcommand per job, each a thin call into the library.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use chrono::NaiveDate;
use clap::{Parser, Subcommand};
use protokoll::index::lexicon::Lexicon;
use protokoll::index::search::{SearchOptions, SearchResults};
use protokoll::index::{Archive, writer};
use protokoll::model::{Meeting, Role};
use protokoll::{extract, parse, timeline};

#[derive(Parser)]
#[command(name = "protokoll", version, about = "Sök, importera och följ beslut i svenska sammanträdesprotokoll")]
struct Cli {
    #[command(subcommand)]
    command: Command,
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
    },
    /// Parse one document into a meeting: header, participants by role, each § with its
    /// diarienummer and decision.
    Parse {
        file: PathBuf,
        /// Print the meeting as JSON (the format of CONTRACT.md).
        #[arg(long)]
        json: bool,
    },
    /// Add every document under the given files and folders to the index.
    Ingest {
        /// The index folder.
        #[arg(long, default_value = "index")]
        index: PathBuf,
        #[arg(required = true)]
        paths: Vec<PathBuf>,
    },
    /// Search the agenda items of the index.
    Search {
        /// Print results as JSON (the format of CONTRACT.md, with facet counts).
        #[arg(long)]
        json: bool,
        #[arg(long, default_value = "index")]
        index: PathBuf,
        /// Most hits shown.
        #[arg(long, default_value_t = 10)]
        limit: usize,
        /// Only this body (name or key, e.g. SocSam).
        #[arg(long)]
        body: Option<String>,
        /// Only this organisation (e.g. "Strömsunds kommun").
        #[arg(long)]
        organization: Option<String>,
        /// Only meetings on or after this date (YYYY-MM-DD).
        #[arg(long, value_parser = parse_date)]
        from: Option<NaiveDate>,
        /// Only meetings on or before this date (YYYY-MM-DD).
        #[arg(long, value_parser = parse_date)]
        to: Option<NaiveDate>,
        /// Only items that record a decision.
        #[arg(long)]
        decisions: bool,
        /// Only items where this person took part, presented or is named.
        #[arg(long)]
        person: Option<String>,
        /// Only the words themselves: no parts of compounds found apart, no typos allowed.
        #[arg(long)]
        exact: bool,
        /// Only this document (its id, as search and show print it).
        #[arg(long)]
        document: Option<String>,
        /// Words (all must match), "quoted phrases", -excluded words.
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
    /// Show a stored meeting, or one of its items, without re-reading the file.
    Show {
        #[arg(long, default_value = "index")]
        index: PathBuf,
        #[arg(long)]
        json: bool,
        /// The document id (the file name without extension).
        document: String,
        /// An item number (§).
        item: Option<String>,
    },
}

fn parse_date(s: &str) -> Result<NaiveDate, String> {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").map_err(|_| format!("{s:?} är inget datum (ÅÅÅÅ-MM-DD)"))
}

fn main() -> ExitCode {
    match try_main() {
        Ok(code) => code,
        Err(err) => {
            if is_broken_pipe(&err) {
                return ExitCode::SUCCESS;
            }
            eprintln!("protokoll: {err:#}");
            ExitCode::from(2)
        }
    }
}

fn is_broken_pipe(err: &anyhow::Error) -> bool {
    err.chain().any(|e| e.downcast_ref::<std::io::Error>().is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe))
}

fn try_main() -> anyhow::Result<ExitCode> {
    let cli = Cli::parse();
    match cli.command {
        Command::Extract { file, cells } => run_extract(&file, cells),
        Command::Parse { file, json } => run_parse(&file, json),
        Command::Ingest { index, paths } => run_ingest(&index, &paths),
        Command::Search { json, index, limit, body, organization, from, to, decisions, person, exact, document, query } => {
            let opts = SearchOptions { limit, body, organization, from, to, decisions_only: decisions, person, exact, items_only: false, document };
            run_search(&index, &query.join(" "), &opts, json)
        }
        Command::Show { index, json, document, item } => run_show(&index, &document, item.as_deref(), json),
        Command::Timeline { json, html, index, topic } => run_timeline(&index, &topic.join(" "), json, html.as_deref()),
    }
}

/// Prints the text of one document, as `pdftotext -layout` would, or its layout.
fn run_extract(file: &std::path::Path, cells: bool) -> anyhow::Result<ExitCode> {
    let doc = extract::extract_path(file, &extract::Options::default()).with_context(|| file.display().to_string())?;
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
fn run_parse(file: &std::path::Path, json: bool) -> anyhow::Result<ExitCode> {
    let bytes = std::fs::read(file).with_context(|| file.display().to_string())?;
    let name = file.file_name().and_then(|n| n.to_str()).unwrap_or("");
    let doc = extract::extract_bytes(&bytes, name, &extract::Options::default()).with_context(|| file.display().to_string())?;
    let meeting = parse::parse(&doc, file, &bytes);
    let mut out = std::io::stdout().lock();
    if json {
        serde_json::to_writer_pretty(&mut out, &meeting)?;
        writeln!(out)?;
    } else {
        write_summary(&mut out, &meeting)?;
    }
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}

fn write_summary(out: &mut impl Write, m: &Meeting) -> std::io::Result<()> {
    let date = m.date.map_or_else(|| "datum okänt".to_string(), |d| d.to_string());
    let mut head = format!("{} — {} {date}", m.body.name, m.kind);
    for part in [m.time.as_deref(), m.place.as_deref(), m.organization.as_deref()].into_iter().flatten() {
        head.push_str(", ");
        head.push_str(part);
    }
    writeln!(out, "{head}")?;
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
        writeln!(out, "§ {} {}{dnr}", item.number, item.title)?;
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

/// Ingests files and folders into the index, with a progress bar on a terminal, and
/// prints what was added, replaced, unchanged and refused.
fn run_ingest(index: &std::path::Path, paths: &[PathBuf]) -> anyhow::Result<ExitCode> {
    let lexicon = Lexicon::system();
    if lexicon.is_empty() {
        eprintln!(
            "protokoll: {} saknas, så sammansatta ord delas inte i indexet (installera hunspell-sv och kör ingest igen)",
            protokoll::index::lexicon::HUNSPELL_SV
        );
    }
    let (archive, rebuilt) = Archive::open_for_writing(index, lexicon).with_context(|| index.display().to_string())?;
    if let Some(n) = rebuilt {
        eprintln!("protokoll: indexet byggdes om för den nya analysen ({n} möten fördes över)");
    }
    let bar = indicatif::ProgressBar::new(0);
    bar.set_style(indicatif::ProgressStyle::with_template("{bar:40} {pos}/{len} filer {elapsed}").unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()));
    let progress = |done: usize, total: usize| {
        bar.set_length(total as u64);
        bar.set_position(done as u64);
    };
    let report = writer::ingest(&archive, paths, &extract::Options::default(), &progress)?;
    bar.finish_and_clear();
    let mut out = std::io::stdout().lock();
    writeln!(
        out,
        "Lade till {}, ersatte {}, oförändrade {}, vägrade {}{}",
        report.added.len(),
        report.replaced.len(),
        report.unchanged,
        report.refused.len(),
        if report.skipped.is_empty() { String::new() } else { format!(", hoppade över {} filer i okänt format", report.skipped.len()) }
    )?;
    for (id, path) in &report.replaced {
        writeln!(out, "  ersatt: {id} ({path})")?;
    }
    for (path, reason) in &report.refused {
        writeln!(out, "  vägrad: {}: {reason}", path.display())?;
    }
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}

/// Searches the index and prints hits (exit 1 when nothing matched, as grep does).
fn run_search(index: &std::path::Path, query: &str, opts: &SearchOptions, json: bool) -> anyhow::Result<ExitCode> {
    let archive = Archive::open(index)?;
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
        let date = hit.date.as_deref().unwrap_or("datum okänt");
        let dnr = hit.diarienummer.as_deref().map(|d| format!("  [{d}]")).unwrap_or_default();
        match &hit.item {
            Some(item) => writeln!(out, "{date}  {}  § {item} {}{dnr}", hit.body, hit.title)?,
            None => writeln!(out, "{date}  {}  sida {} (utanför ärendena)", hit.body, hit.page)?,
        }
        if !hit.snippet.is_empty() {
            writeln!(out, "    {}", highlight(&hit.snippet, terminal))?;
        }
        if let (Some(d), Some(k)) = (&hit.decision, &hit.decision_kind) {
            let short: String = d.chars().take(240).collect();
            writeln!(out, "    Beslut ({k}): {short}{}", if d.chars().count() > 240 { "…" } else { "" })?;
        }
        writeln!(out, "    {} sida {}\n", hit.path, hit.page)?;
    }
    Ok(())
}

/// Shows a stored meeting or one of its items.
fn run_show(index: &std::path::Path, document: &str, item: Option<&str>, json: bool) -> anyhow::Result<ExitCode> {
    let archive = Archive::open(index)?;
    let meetings = archive.meetings_by_id(document)?;
    if meetings.is_empty() {
        anyhow::bail!("{document}: finns inte i indexet");
    }
    let mut out = std::io::stdout().lock();
    for m in &meetings {
        match item {
            Some(nr) => {
                let Some(it) = m.items.iter().find(|i| i.number == nr) else {
                    anyhow::bail!("{document}: har ingen § {nr}");
                };
                if json {
                    serde_json::to_writer_pretty(&mut out, it)?;
                    writeln!(out)?;
                } else {
                    writeln!(out, "{} {} § {} {}", m.body.name, m.date.map_or_else(String::new, |d| d.to_string()), it.number, it.title)?;
                    writeln!(out, "\n{}", it.text)?;
                    if let Some(d) = &it.decision {
                        writeln!(out, "\nBeslut ({}): {}", d.kind, d.text)?;
                    }
                }
            }
            None if json => {
                serde_json::to_writer_pretty(&mut out, m)?;
                writeln!(out)?;
            }
            None => write_summary(&mut out, m)?,
        }
    }
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}

/// Prints a topic's timeline, as text or JSON, or writes it as an HTML page.
fn run_timeline(index: &std::path::Path, topic: &str, json: bool, html: Option<&std::path::Path>) -> anyhow::Result<ExitCode> {
    let archive = Archive::open(index)?;
    let t = timeline::timeline(&archive, topic)?;
    if let Some(file) = html {
        std::fs::write(file, timeline::to_html(&t)).with_context(|| file.display().to_string())?;
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
