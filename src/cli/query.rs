//! The commands that read the index: `list`, `bodies`, `search`, `show`, `timeline`
//! and `serve`, each printing citations (`protokoll::citation`) in text or JSON.

use std::io::Write;
use std::path::Path;
use std::process::ExitCode;

use anyhow::Context;
use protokoll::citation::{self, Citation};
use protokoll::index::filters::BodyListing;
use protokoll::index::search::{SearchOptions, SearchResults};
use protokoll::index::{Archive, StoredMeeting};
use protokoll::model::document_id;
use protokoll::text::count;
use protokoll::timeline;

use super::document::write_summary;

/// Prints `value` to standard output: as JSON with `--json`, else as `text` writes it.
fn print<T: serde::Serialize>(json: bool, value: &T, text: impl FnOnce(&mut std::io::StdoutLock<'static>, &T) -> std::io::Result<()>) -> anyhow::Result<()> {
    let mut out = std::io::stdout().lock();
    if json {
        serde_json::to_writer_pretty(&mut out, value)?;
        writeln!(out)?;
    } else {
        text(&mut out, value)?;
    }
    out.flush()?;
    Ok(())
}

/// Lists the meetings of the index.
pub(crate) fn run_list(index: &std::path::Path, json: bool) -> anyhow::Result<ExitCode> {
    let archive = Archive::open_built(index)?;
    let listed = archive.list()?;
    print(json, &listed, |out, listed| {
        for l in listed {
            let date = l.date.map_or_else(|| "datum okänt".to_string(), |d| d.to_string());
            let copies = if l.copies.is_empty() { String::new() } else { format!(" · {}", count(l.copies.len(), "kopia", "kopior")) };
            let body = citation::body_with_organization(&l.body, l.organization.as_deref());
            writeln!(out, "{}  {date}  {body}  {}  {}{copies}", l.document_id, l.kind, count(l.items, "ärende", "ärenden"))?;
            for s in &l.sources {
                writeln!(out, "    {s}")?;
            }
        }
        writeln!(out, "{}", count(listed.len(), "möte", "möten"))
    })?;
    Ok(ExitCode::SUCCESS)
}

/// Lists the bodies and organisations of the index with their counts.
pub(crate) fn run_bodies(index: &Path, json: bool) -> anyhow::Result<ExitCode> {
    let archive = Archive::open_built(index)?;
    let listing = archive.body_listing()?;
    print(json, &listing, write_bodies)?;
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

/// Searches the index and prints hits (exit 1 when nothing matched, as grep does).
pub(crate) fn run_search(index: &std::path::Path, query: &str, opts: &SearchOptions, json: bool) -> anyhow::Result<ExitCode> {
    let archive = Archive::open_built(index)?;
    let results = archive.search(query, opts)?;
    print(json, &results, write_hits)?;
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
    writeln!(out, "{} för {:?}\n", count(results.total, "träff", "träffar"), results.query)?;
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
pub(crate) fn run_show(index: &std::path::Path, document: &str, item: Option<&str>, json: bool) -> anyhow::Result<ExitCode> {
    let archive = Archive::open_built(index)?;
    let stored = resolve_one(&archive, document)?;
    let m = &stored.meeting;
    let mut out = std::io::stdout().lock();
    match item {
        Some(nr) => {
            let nr = protokoll::text::item_number(nr);
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
pub(crate) fn run_serve(index: &std::path::Path, addr: std::net::SocketAddr) -> anyhow::Result<ExitCode> {
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
pub(crate) fn run_timeline(index: &std::path::Path, topic: &str, json: bool, html: Option<&std::path::Path>) -> anyhow::Result<ExitCode> {
    let archive = Archive::open_built(index)?;
    let t = timeline::timeline(&archive, topic)?;
    if let Some(file) = html {
        std::fs::write(file, protokoll::web::timeline_html(&archive, &t)).with_context(|| file.display().to_string())?;
        eprintln!("protokoll: tidslinjen med {} skrevs till {}", count(t.events.len(), "händelse", "händelser"), file.display());
        return Ok(ExitCode::SUCCESS);
    }
    print(json, &t, |out, t| out.write_all(timeline::to_text(t).as_bytes()))?;
    Ok(if t.events.is_empty() { ExitCode::from(1) } else { ExitCode::SUCCESS })
}
