//! The archive at scale, against its baselines measured in the same run, over generated
//! protocols (`tests/common/archive.rs`: 1,000 and 5,000, cached under
//! `target/archive-bench/` by count and generator version):
//!
//! - ingest of 1,000 against `pdftotext -layout` over the same files with two processes
//!   at a time (bar: ≤ 1.0×);
//! - a `search` process against `grep -ril familjehem` over the extracted text, p50 of
//!   alternating runs (bar: ≤ 2×);
//! - `ingest` with nothing new on 5,000 files (bar: < 0.5 s);
//! - peak memory of ingest on 5,000 against 1,000 (bar: ≤ 1.3×), and adding one protocol
//!   to the index of 5,000 (bar: < 0.2 s);
//! - `timeline familjehem` on 5,000: an event for every decision item whose title is about
//!   familjehem (the generator's ground truth), and its p95 time against a `search`
//!   process's (bar: ≤ 3×).
//!
//! Prints one table: each measure, its figure, its bar and whether it is met.
//!
//! ```text
//! cargo bench --bench archive
//! PROTOKOLL_BENCH_SIZES=300,1500 cargo bench --bench archive   # smaller archives, quicker
//! ```

#[path = "../tests/common/archive.rs"]
mod archive;
#[path = "common/report.rs"]
mod report;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use archive::{Finished, percentile, run_measured};
use report::{Row, load_average, mib, ms, print_table, row, secs};

/// Runs of each side of a comparison of processes.
const RUNS: usize = 20;

fn protokoll() -> Command {
    Command::new(archive::bin())
}

fn ingest(index: &Path, paths: &[&Path]) -> Finished {
    let mut cmd = protokoll();
    cmd.args(["ingest", "--index"]).arg(index).args(paths);
    let f = run_measured(&mut cmd).expect("run ingest");
    if !f.status.success() {
        eprintln!("ingest {} exited with {}", index.display(), f.status);
    }
    f
}

/// The PDFs under a folder, in a stable order.
fn pdfs(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).expect("read_dir").flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else if p.extension().is_some_and(|x| x == "pdf") {
                out.push(p);
            }
        }
    }
    out.sort();
    out
}

/// `pdftotext -layout` over the files, two processes at a time (two threads, each
/// spawning one after another), the text written under `out`. `None` without pdftotext.
fn pdftotext_all(files: &[PathBuf], root: &Path, out: &Path) -> Option<Duration> {
    Command::new("pdftotext").arg("-v").output().ok()?;
    let next = AtomicUsize::new(0);
    let started = Instant::now();
    std::thread::scope(|s| {
        for _ in 0..2 {
            s.spawn(|| {
                loop {
                    let k = next.fetch_add(1, Ordering::Relaxed);
                    let Some(f) = files.get(k) else { break };
                    let rel = f.strip_prefix(root).unwrap_or(f);
                    let txt = out.join(rel).with_extension("txt");
                    if let Some(d) = txt.parent() {
                        std::fs::create_dir_all(d).expect("mkdir");
                    }
                    let ok = Command::new("pdftotext").arg("-layout").arg(f).arg(&txt).status().is_ok_and(|s| s.success());
                    assert!(ok, "pdftotext {}", f.display());
                }
            });
        }
    });
    Some(started.elapsed())
}

fn time_process(cmd: &mut Command) -> Duration {
    run_measured(cmd).expect("run").elapsed
}

fn sizes() -> (usize, usize) {
    let v: Vec<usize> = std::env::var("PROTOKOLL_BENCH_SIZES").ok().map(|s| s.split(',').filter_map(|x| x.trim().parse().ok()).collect()).unwrap_or_default();
    match v.as_slice() {
        [a, b] => (*a, *b),
        _ => (1000, 5000),
    }
}

fn main() {
    let (small, large) = sizes();
    let total = Instant::now();
    let mut rows: Vec<Row> = Vec::new();
    let cache = archive::cache_root();
    std::fs::create_dir_all(&cache).expect("cache dir");
    let work = tempfile::tempdir_in(&cache).expect("work dir");
    let w = work.path();

    println!("load average at the start: {}", load_average());
    let t = Instant::now();
    let (dir_s, _) = archive::cached(small).expect("generate");
    let (dir_l, protocols_l) = archive::cached(large).expect("generate");
    println!("archives: {small} and {large} protocols under {} ({:.1} s)", cache.display(), t.elapsed().as_secs_f64());
    let files_s = pdfs(&dir_s);
    assert_eq!(files_s.len(), small, "{} files in {}", files_s.len(), dir_s.display());

    // 1. Ingest of the small archive against pdftotext -layout with two processes.
    let text = w.join("text");
    let (mut ingests, mut extracts) = (Vec::new(), Vec::new());
    let mut rss_small = 0;
    let mut cpu_small = Duration::ZERO;
    let index_s = w.join(format!("index-{small}"));
    for round in 0..2 {
        let index = w.join(format!("index-{small}-{round}"));
        let f = ingest(&index, &[&dir_s]);
        ingests.push(f.elapsed);
        rss_small = rss_small.max(f.max_rss_kib);
        cpu_small = cpu_small.max(f.cpu);
        if round == 0 {
            std::fs::rename(&index, &index_s).expect("keep the index");
        } else {
            let _ = std::fs::remove_dir_all(&index);
        }
        let _ = std::fs::remove_dir_all(&text);
        if let Some(d) = pdftotext_all(&files_s, &dir_s, &text) {
            extracts.push(d);
        }
    }
    let ingest_s = *ingests.iter().min().expect("ran");
    println!(
        "ingest {small}: {} (runs {:?}, cpu {}), peak {}",
        secs(ingest_s),
        ingests.iter().map(|d| secs(*d)).collect::<Vec<_>>(),
        secs(cpu_small),
        mib(rss_small)
    );
    match extracts.iter().min() {
        Some(&pdftotext) => {
            let ratio = ingest_s.as_secs_f64() / pdftotext.as_secs_f64();
            println!("pdftotext -layout x2 over {small}: {}", secs(pdftotext));
            rows.push(row(
                format!("ingest {small} vs pdftotext -layout, 2 procs"),
                format!("{} / {} = {ratio:.2}×", secs(ingest_s), secs(pdftotext)),
                "≤ 1.0×",
                Some(ratio <= 1.0),
            ));
        }
        None => rows.push(row(format!("ingest {small} vs pdftotext -layout, 2 procs"), format!("{} / n/a (needs pdftotext)", secs(ingest_s)), "≤ 1.0×", None)),
    }

    // 2. A search process against grep over the extracted text, alternating.
    if text.exists() {
        let (mut search, mut grep) = (Vec::new(), Vec::new());
        for _ in 0..RUNS {
            grep.push(time_process(Command::new("grep").arg("-ril").arg("familjehem").arg(&text)));
            search.push(time_process(protokoll().args(["search", "--index"]).arg(&index_s).arg("familjehem")));
        }
        let (s50, g50) = (percentile(&search, 0.5), percentile(&grep, 0.5));
        let ratio = s50.as_secs_f64() / g50.as_secs_f64();
        rows.push(row(format!("search vs grep -ril, {small}, p50 of {RUNS}"), format!("{} / {} = {ratio:.2}×", ms(s50), ms(g50)), "≤ 2×", Some(ratio <= 2.0)));
    } else {
        rows.push(row(format!("search vs grep -ril, {small}"), "n/a (needs pdftotext for the text)", "≤ 2×", None));
    }

    // 3. Ingest of the large archive: peak memory against the small one's.
    let index_l = w.join(format!("index-{large}"));
    let f = ingest(&index_l, &[&dir_l]);
    println!("ingest {large}: {}, peak {}", secs(f.elapsed), mib(f.max_rss_kib));
    let ratio = f.max_rss_kib as f64 / rss_small.max(1) as f64;
    rows.push(row(
        format!("peak memory, ingest {large} vs {small}"),
        format!("{} / {} = {ratio:.2}×", mib(f.max_rss_kib), mib(rss_small)),
        "≤ 1.3×",
        Some(ratio <= 1.3),
    ));
    rows.push(row(
        format!("ingest {large} (info)"),
        format!("{} ({:.1} ms/file), cpu {} ({} for {small})", secs(f.elapsed), f.elapsed.as_secs_f64() * 1000.0 / large as f64, secs(f.cpu), secs(cpu_small)),
        "",
        None,
    ));

    // 4. Nothing new.
    let noop: Vec<Duration> = (0..3).map(|_| ingest(&index_l, &[&dir_l]).elapsed).collect();
    let noop50 = percentile(&noop, 0.5);
    rows.push(row(format!("ingest, nothing new, {large} files (p50 of 3)"), secs(noop50), "< 0.5 s", Some(noop50 < Duration::from_millis(500))));

    // 5. One new protocol: named alone, and in a folder next to the archive.
    let extra = w.join("extra");
    let mut alone = Vec::new();
    let mut beside = Vec::new();
    for k in 0..6 {
        let p = archive::protocol(large + k);
        let folder = extra.join(format!("{k}"));
        let file = archive::write_protocol(&folder, &p).expect("write");
        if k % 2 == 0 {
            alone.push(ingest(&index_l, &[&file]).elapsed);
        } else {
            beside.push(ingest(&index_l, &[&dir_l, &folder]).elapsed);
        }
    }
    let (a50, b50) = (percentile(&alone, 0.5), percentile(&beside, 0.5));
    rows.push(row(format!("add 1 protocol to {large} index (ingest FILE, p50 of 3)"), secs(a50), "< 0.2 s", Some(a50 < Duration::from_millis(200))));
    rows.push(row(
        format!("add 1 protocol, ingest ARCHIVE NEWDIR ({} files, p50 of 3)", large + 1),
        secs(b50),
        "< 0.2 s",
        Some(b50 < Duration::from_millis(200)),
    ));

    // 6. The timeline of familjehem: every on-topic decision, and its time against search.
    let truth: BTreeSet<(String, String)> = protocols_l
        .iter()
        .flat_map(|p| {
            let path = dir_l.join(p.rel_path()).canonicalize().expect("generated file").display().to_string();
            p.items.iter().filter(|i| i.on_topic_decision()).map(move |i| (path.clone(), i.number.to_string()))
        })
        .collect();
    let out = protokoll().args(["timeline", "--json", "--index"]).arg(&index_l).arg(archive::TOPIC).output().expect("timeline");
    let events: Vec<serde_json::Value> =
        serde_json::from_slice::<serde_json::Value>(&out.stdout).ok().and_then(|v| v["events"].as_array().cloned()).unwrap_or_default();
    let got: BTreeSet<(String, String)> = events
        .iter()
        .filter(|e| e["via_reference"] != true)
        .map(|e| (e["path"].as_str().unwrap_or_default().to_string(), e["item"].as_str().unwrap_or_default().to_string()))
        .collect();
    let found = truth.iter().filter(|t| got.contains(*t)).count();
    println!("timeline {}: {} events ({} via reference); ground truth {} decision items", archive::TOPIC, events.len(), events.len() - got.len(), truth.len());
    rows.push(row(
        format!("timeline {}, {large}: on-topic decisions with an event", archive::TOPIC),
        format!("{found} / {} ({:.1} %)", truth.len(), 100.0 * found as f64 / truth.len().max(1) as f64),
        "all",
        Some(found == truth.len()),
    ));
    let (mut tl, mut se) = (Vec::new(), Vec::new());
    for _ in 0..RUNS {
        tl.push(time_process(protokoll().args(["timeline", "--index"]).arg(&index_l).arg(archive::TOPIC)));
        se.push(time_process(protokoll().args(["search", "--index"]).arg(&index_l).arg(archive::TOPIC)));
    }
    let (t95, s95) = (percentile(&tl, 0.95), percentile(&se, 0.95));
    let ratio = t95.as_secs_f64() / s95.as_secs_f64();
    rows.push(row(format!("timeline vs search, {large}, p95 of {RUNS}"), format!("{} / {} = {ratio:.2}×", ms(t95), ms(s95)), "≤ 3×", Some(ratio <= 3.0)));

    print_table(&rows);
    println!(
        "\nbench run: {:.0} s; load average at the end: {} (times are wall-clock: other work on the machine slows them)",
        total.elapsed().as_secs_f64(),
        load_average()
    );
}
