//! The `protokoll` command: one subcommand per job, each a thin call into the library.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use clap::{Parser, Subcommand};
use protokoll::model::{Meeting, Role};
use protokoll::{extract, parse};

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
