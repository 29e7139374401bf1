//! The archive-scale tests over generated protocols (`tests/common/archive.rs`).
//!
//! By default only a check that the generator's protocols parse as generated runs. The
//! interruption test is ignored by default, as it ingests a generated archive of 1,000
//! protocols many times (about a minute and a half on two cores):
//!
//! ```text
//! cargo test --release --test archive -- --ignored --nocapture
//! PROTOKOLL_ARCHIVE_N=2000 cargo test --release --test archive -- --ignored
//! ```
//!
//! It ingests the archive cleanly, then into a second index with `kill -9` at five
//! moments and a resume after each, then into a third with SIGINT in the middle; the
//! resumed indexes must hold every document exactly once and answer searches with the
//! same hits as the clean one. Checks that need what the command line does not have yet
//! (`protokoll list`, `ingest --report`, ingest's handling of SIGINT) say "n/a" on
//! standard error and are skipped.

mod common;

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use common::archive::{self, Features, Protocol};
use protokoll::extract::{self, Options};
use protokoll::parse;

/// Generated protocols parse as generated: date, body, organisation, every item with
/// its number, title, diarienummer and presenter, decisions where the generator made
/// them and nowhere else, and citations.
#[test]
fn generated_protocols_parse_as_generated() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut problems = Vec::new();
    let (mut items, mut cites, mut pages) = (0, 0, std::collections::BTreeSet::new());
    for i in (0..40).map(|j| j * 131 + j % 7) {
        let p = archive::protocol(i);
        let path = archive::write_protocol(dir.path(), &p).expect("write");
        let bytes = std::fs::read(&path).expect("read");
        let doc = extract::extract_bytes(&bytes, "x.pdf", &Options::default()).expect("extract");
        pages.insert(doc.pages.len());
        let m = parse::parse(&doc, &path, &bytes);
        let name = p.rel_path().display().to_string();
        let mut check = |ok: bool, what: String| {
            if !ok {
                problems.push(format!("{name}: {what}"));
            }
        };
        check(m.date.map(|d| d.to_string()) == Some(p.date.iso()), format!("date {:?}", m.date));
        check(m.body.name == p.body.name, format!("body {:?}", m.body.name));
        check(m.organization.as_deref() == Some(p.body.organization.as_str()), format!("organisation {:?}", m.organization));
        check(m.items.len() == p.items.len(), format!("{} items, not {}", m.items.len(), p.items.len()));
        for (got, want) in m.items.iter().zip(&p.items) {
            items += 1;
            let n = &want.number;
            check(got.number == n.to_string(), format!("§ {n} numbered {:?}", got.number));
            check(got.title == want.title, format!("§ {n} title {:?}", got.title));
            check(got.diarienummer.as_deref() == Some(want.diarienummer.as_str()), format!("§ {n} dnr {:?}", got.diarienummer));
            let presenter = want.presenter.as_deref().map(|w| w.split(',').next().unwrap_or(w).to_string());
            check(got.presenters.first() == presenter.as_ref(), format!("§ {n} presenters {:?}", got.presenters));
            check(got.decision.is_some() == want.decision.is_some(), format!("§ {n} decision {:?}", got.decision));
            if let Some((day, _)) = want.cites {
                cites += 1;
                let dates: Vec<String> = got.references.iter().filter_map(|r| r.date.map(|d| d.to_string())).collect();
                check(dates.contains(&day.iso()), format!("§ {n} cites {} not in {dates:?}", day.iso()));
            }
        }
    }
    assert!(problems.is_empty(), "{} problems:\n{}", problems.len(), problems.join("\n"));
    assert!(items > 300 && cites > 10, "{items} items, {cites} citations");
    assert!(pages.iter().all(|n| (2..=4).contains(n)), "pages {pages:?}");
}

/// A line on standard error that the test harness does not capture.
fn note(line: &str) {
    let _ = writeln!(std::io::stderr().lock(), "archive: {line}");
}

fn ingest(index: &Path, archive: &Path) -> Command {
    let mut cmd = Command::new(archive::bin());
    cmd.args(["ingest", "--index"]).arg(index).arg(archive).stdin(Stdio::null());
    cmd
}

/// The generated files' paths, as the index records them (canonical).
fn generated_paths(dir: &Path, protocols: &[Protocol]) -> std::collections::BTreeSet<String> {
    protocols.iter().map(|p| dir.join(p.rel_path()).canonicalize().expect("generated file").display().to_string()).collect()
}

/// Every generated document is in the index exactly once: each protocol's first item,
/// "Godkännande av dagordning", is found once per file and no more (the search's total
/// counts every stored copy, its hits fold copies), and `protokoll list` has one entry per
/// file with no document id or source path twice.
fn assert_exactly_once(label: &str, index: &Path, dir: &Path, protocols: &[Protocol], features: Features) {
    let want = generated_paths(dir, protocols);
    let (total, hits) = archive::search_all(index, "dagordning").unwrap_or_else(|e| panic!("{label}: {e}"));
    let paths: std::collections::BTreeSet<String> = hits.iter().map(|h| h.0.clone()).collect();
    assert_eq!(total as usize, protocols.len(), "{label}: 'dagordning' counted {total} items for {} files", protocols.len());
    assert_eq!(hits.len(), protocols.len(), "{label}: {} hits for {} files", hits.len(), protocols.len());
    assert_eq!(paths, want, "{label}: the documents found are not the files generated");
    if !features.list {
        note(&format!("{label}: `protokoll list` n/a (needs the list command); counted through search only"));
        return;
    }
    let out = Command::new(archive::bin()).args(["list", "--json", "--index"]).arg(index).output().expect("list");
    assert!(out.status.success(), "{label}: list failed: {}", String::from_utf8_lossy(&out.stderr));
    let docs: Vec<serde_json::Value> = serde_json::from_slice(&out.stdout).expect("list --json");
    assert_eq!(docs.len(), protocols.len(), "{label}: list has {} documents for {} files", docs.len(), protocols.len());
    let mut ids = std::collections::BTreeSet::new();
    let mut sources = std::collections::BTreeSet::new();
    for d in &docs {
        let id = d["document_id"].as_str().unwrap_or_default().to_string();
        assert!(ids.insert(id.clone()), "{label}: document_id {id} listed twice");
        for s in d["sources"].as_array().into_iter().flatten() {
            let s = s.as_str().unwrap_or_default();
            let canonical = Path::new(s).canonicalize().map_or_else(|_| s.to_string(), |p| p.display().to_string());
            assert!(sources.insert(canonical), "{label}: source {s} listed twice");
        }
    }
    assert_eq!(sources, want, "{label}: list's sources are not the files generated");
}

/// Queries whose hits a resumed index must share with a clean one.
const QUERIES: &[&str] = &[
    "familjehem",
    "familjehemsvård",
    "budgetuppföljning",
    "\"ekonomiskt bistånd\"",
    "Granmora",
    "ReSam",
    "Lindqvist",
    "internkontrollplan -socialnämnden",
    "delegationsordning 2019",
];

fn assert_same_hits(label: &str, clean: &Path, other: &Path) {
    for q in QUERIES {
        let (a, b) = (archive::search_all(clean, q).expect("clean search"), archive::search_all(other, q).unwrap_or_else(|e| panic!("{label}: {e}")));
        assert_eq!(a.0, b.0, "{label}: {q}: total {} after a clean ingest, {} here", a.0, b.0);
        let missing: Vec<_> = a.1.difference(&b.1).take(5).collect();
        let extra: Vec<_> = b.1.difference(&a.1).take(5).collect();
        assert!(missing.is_empty() && extra.is_empty(), "{label}: {q}: hits differ: missing {missing:?}, extra {extra:?}");
    }
}

/// Whether a search over an index left by an interrupted ingest works: hits or none, but
/// no error. An index not yet created is no index, and passes.
fn usable(index: &Path) -> Result<(), String> {
    let out = Command::new(archive::bin()).args(["search", "--index"]).arg(index).arg("familjehem").output().expect("search");
    if matches!(out.status.code(), Some(0 | 1)) || !index.join("meta.json").exists() {
        Ok(())
    } else {
        Err(format!("search exited with {}: {}", out.status, String::from_utf8_lossy(&out.stderr).trim()))
    }
}

/// When a `kill -9` lands.
#[derive(Debug, Clone, Copy)]
enum Moment {
    /// This long after the start.
    After(Duration),
    /// This share of a clean ingest's time after the start.
    Share(f64),
    /// As soon as the index's meta.json changes (a commit), or at this share of a clean
    /// ingest's time.
    Commit(f64),
}

fn meta_modified(index: &Path) -> Option<std::time::SystemTime> {
    std::fs::metadata(index.join("meta.json")).and_then(|m| m.modified()).ok()
}

/// Starts an ingest and kills it at the moment; whether it was still running then.
fn kill_at(index: &Path, dir: &Path, moment: Moment, clean: Duration) -> bool {
    let before = meta_modified(index);
    let mut child: Child = ingest(index, dir).stdout(Stdio::null()).stderr(Stdio::null()).spawn().expect("spawn ingest");
    let started = Instant::now();
    let deadline = match moment {
        Moment::After(d) => d,
        Moment::Share(s) | Moment::Commit(s) => clean.mul_f64(s),
    };
    while started.elapsed() < deadline {
        if child.try_wait().expect("try_wait").is_some() {
            return false;
        }
        if matches!(moment, Moment::Commit(_)) && before.is_some() && meta_modified(index) != before {
            break;
        }
        std::thread::sleep(Duration::from_millis(5));
    }
    let running = child.try_wait().expect("try_wait").is_none();
    let _ = child.kill();
    let _ = child.wait();
    running
}

#[test]
#[ignore = "archive scale: ingests 1,000 generated protocols many times; run with --ignored"]
fn interrupted_ingests_resume_to_the_same_index() {
    let n: usize = std::env::var("PROTOKOLL_ARCHIVE_N").ok().and_then(|s| s.parse().ok()).unwrap_or(1000);
    let t = Instant::now();
    let (dir, protocols) = archive::cached(n).expect("generate the archive");
    note(&format!("{n} protocols in {} ({:.1} s)", dir.display(), t.elapsed().as_secs_f64()));
    let features = Features::detect();
    note(&format!("features: {features:?}"));
    let work = tempfile::tempdir().expect("tempdir");

    // A clean ingest: the reference.
    let clean = work.path().join("clean");
    let started = Instant::now();
    let out = ingest(&clean, &dir).output().expect("ingest");
    let clean_time = started.elapsed();
    assert_eq!(out.status.code(), Some(0), "clean ingest: {}", String::from_utf8_lossy(&out.stderr));
    note(&format!("clean ingest: {:.1} s; {}", clean_time.as_secs_f64(), String::from_utf8_lossy(&out.stdout).lines().next().unwrap_or("")));
    assert_exactly_once("clean", &clean, &dir, &protocols, features);

    // kill -9 at five moments, a resume after each.
    let resumed = work.path().join("resumed");
    let moments = [Moment::After(Duration::from_millis(300)), Moment::Share(0.1), Moment::Share(0.25), Moment::Share(0.4), Moment::Commit(1.5)];
    let mut landed = 0;
    for (k, m) in moments.iter().enumerate() {
        let running = kill_at(&resumed, &dir, *m, clean_time);
        landed += usize::from(running);
        // Between a kill and its resume the index need not answer (the bar is about
        // the resumed index); whether it does is worth knowing.
        let state = usable(&resumed).map_or_else(|e| format!("index not usable until resumed: {e}"), |()| "index usable".to_string());
        note(&format!("kill -9 #{} at {m:?}: {}; {state}", k + 1, if running { "killed" } else { "ingest had already finished" }));
    }
    assert!(landed >= 4, "only {landed} of 5 kills found ingest running");
    let report = work.path().join("report.jsonl");
    let mut last = ingest(&resumed, &dir);
    if features.report {
        last.arg("--report").arg(&report);
    }
    let started = Instant::now();
    let out = last.output().expect("ingest");
    assert_eq!(out.status.code(), Some(0), "final resume: {}", String::from_utf8_lossy(&out.stderr));
    note(&format!("final resume: {:.1} s; {}", started.elapsed().as_secs_f64(), String::from_utf8_lossy(&out.stdout).lines().next().unwrap_or("")));
    assert_exactly_once("resumed after kill -9", &resumed, &dir, &protocols, features);
    assert_same_hits("resumed after kill -9", &clean, &resumed);
    if features.report {
        check_report(&report, n);
    } else {
        note("ingest --report n/a (needs ingest --report)");
    }

    // SIGINT in the middle.
    let interrupted = work.path().join("interrupted");
    let mut child = ingest(&interrupted, &dir).stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().expect("spawn ingest");
    std::thread::sleep(clean_time.mul_f64(0.5));
    let was_running = child.try_wait().expect("try_wait").is_none();
    archive::signal(&child, libc::SIGINT).expect("SIGINT");
    let out = child.wait_with_output().expect("wait");
    let said = format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    use std::os::unix::process::ExitStatusExt;
    match (out.status.code(), out.status.signal()) {
        (Some(130), _) => {
            assert!(said.lines().any(|l| l.chars().any(|c| c.is_ascii_digit())), "SIGINT: exit 130 but no summary: {said:?}");
            note(&format!("SIGINT: exit 130; {}", said.lines().next().unwrap_or("")));
            if let Err(e) = usable(&interrupted) {
                panic!("SIGINT: the index left is not usable: {e}");
            }
            assert!(interrupted.join("meta.json").exists(), "SIGINT: no index left");
        }
        (_, Some(libc::SIGINT)) => note("SIGINT: n/a (needs ingest to handle SIGINT: it was ended by the signal, no summary, nothing committed)"),
        (Some(0), _) if !was_running => note("SIGINT: ingest had already finished"),
        (code, sig) => panic!("SIGINT: ingest ended with code {code:?} signal {sig:?}: {said}"),
    }
    let out = ingest(&interrupted, &dir).output().expect("ingest");
    assert_eq!(out.status.code(), Some(0), "resume after SIGINT: {}", String::from_utf8_lossy(&out.stderr));
    assert_exactly_once("resumed after SIGINT", &interrupted, &dir, &protocols, features);
    assert_same_hits("resumed after SIGINT", &clean, &interrupted);
    note(&format!("done in {:.1} s", t.elapsed().as_secs_f64()));
}

/// `--report`: one JSON line per input file, each with a known status, none refused.
fn check_report(report: &Path, n: usize) {
    let text = std::fs::read_to_string(report).expect("report");
    let mut paths = std::collections::BTreeSet::new();
    for line in text.lines().filter(|l| !l.trim().is_empty()) {
        let v: serde_json::Value = serde_json::from_str(line).unwrap_or_else(|e| panic!("report line {line:?}: {e}"));
        let status = v["status"].as_str().unwrap_or_default();
        assert!(["added", "replaced", "unchanged", "copy", "skipped"].contains(&status), "report: {line}");
        paths.insert(PathBuf::from(v["path"].as_str().unwrap_or_default()));
    }
    assert_eq!(paths.len(), n, "report: {} files for {n}", paths.len());
}
