//! `extract` and `parse`: one file read and printed, without an index.

use std::io::{IsTerminal, Write};
use std::process::ExitCode;

use anyhow::Context;
use protokoll::citation::{self, Citation};
use protokoll::model::{Meeting, Role};
use protokoll::{extract, parse};

use super::args::TimeLimit;

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

pub(crate) fn run_extract(file: &std::path::Path, cells: bool, raw: bool, limit: &TimeLimit) -> anyhow::Result<ExitCode> {
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
pub(crate) fn run_parse(file: &std::path::Path, json: bool, limit: &TimeLimit) -> anyhow::Result<ExitCode> {
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
pub(crate) fn write_summary(out: &mut impl Write, m: &Meeting, path: &str) -> std::io::Result<()> {
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
