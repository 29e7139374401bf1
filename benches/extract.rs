//! Extraction speed against `pdftotext -layout`, in one process: milliseconds per page for
//! protokoll's extraction (as a library call, and as the `protokoll extract` command, which
//! is the like-for-like comparison with the `pdftotext` command) and for pdftotext, with
//! their ratio, and the word F1 of the two outputs.
//!
//! ```text
//! cargo bench --bench extract [-- DIR_OR_PDF ...]
//! ```
//! Without arguments it measures `corpus/pdf/`. Each figure is the median of several runs.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use protokoll::extract::{self, Options};

const RUNS: usize = 15;

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

fn time<F: FnMut()>(mut f: F) -> Duration {
    let mut runs = Vec::with_capacity(RUNS);
    for _ in 0..RUNS {
        let t = Instant::now();
        f();
        runs.push(t.elapsed());
    }
    median(runs)
}

fn words(text: &str) -> std::collections::HashMap<String, usize> {
    let mut m = std::collections::HashMap::new();
    for w in text.split_whitespace() {
        let w: String = w.split("...").filter(|p| !p.is_empty()).collect::<Vec<_>>().join("");
        let w = w.trim_end_matches('.').to_string();
        if !w.is_empty() {
            *m.entry(w).or_insert(0) += 1;
        }
    }
    m
}

fn f1(a: &str, b: &str) -> f64 {
    let (a, b) = (words(a), words(b));
    let tp: usize = a.iter().map(|(w, n)| (*n).min(*b.get(w).unwrap_or(&0))).sum();
    let (na, nb): (usize, usize) = (a.values().sum(), b.values().sum());
    let (p, r) = (tp as f64 / nb.max(1) as f64, tp as f64 / na.max(1) as f64);
    if p + r == 0.0 { 0.0 } else { 2.0 * p * r / (p + r) }
}

fn pdfs(args: &[String]) -> Vec<PathBuf> {
    let roots: Vec<PathBuf> =
        if args.is_empty() { vec![PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("corpus/pdf")] } else { args.iter().map(PathBuf::from).collect() };
    let mut out = Vec::new();
    for root in roots {
        if root.is_dir() {
            let mut files: Vec<PathBuf> =
                std::fs::read_dir(&root).into_iter().flatten().flatten().map(|e| e.path()).filter(|p| p.extension().is_some_and(|e| e == "pdf")).collect();
            files.sort();
            out.extend(files);
        } else {
            out.push(root);
        }
    }
    out
}

fn run_quiet(cmd: &mut Command) {
    let _ = cmd.stdout(Stdio::null()).stderr(Stdio::null()).status();
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).filter(|a| !a.starts_with("--")).collect();
    let bin = Path::new(env!("CARGO_BIN_EXE_protokoll"));
    let options = Options { ocr: false, ..Options::default() };
    println!("{:44} {:>5} {:>10} {:>10} {:>10} {:>7} {:>7}", "file", "pages", "lib ms/p", "cmd ms/p", "pdftotext", "ratio", "F1");
    let (mut pages_total, mut lib_total, mut cmd_total, mut ref_total) = (0u32, Duration::ZERO, Duration::ZERO, Duration::ZERO);
    for path in pdfs(&args) {
        let doc = match extract::extract_path(&path, &options) {
            Ok(d) => d,
            Err(e) => {
                println!("{}: {e}", path.display());
                continue;
            }
        };
        let pages = doc.pages.len().max(1) as u32;
        let lib = time(|| {
            let _ = extract::extract_path(&path, &options);
        });
        let cmd = time(|| run_quiet(Command::new(bin).arg("extract").arg(&path)));
        let reference = time(|| run_quiet(Command::new("pdftotext").arg("-layout").arg(&path).arg("-")));
        let ref_text = Command::new("pdftotext").arg("-layout").arg(&path).arg("-").output().map(|o| o.stdout).unwrap_or_default();
        let quality = f1(&String::from_utf8_lossy(&ref_text), &doc.text());
        let per = |d: Duration| d.as_secs_f64() * 1000.0 / f64::from(pages);
        println!(
            "{:44} {:>5} {:>10.2} {:>10.2} {:>10.2} {:>7.2} {:>7.4}",
            path.file_name().and_then(|n| n.to_str()).unwrap_or("?"),
            pages,
            per(lib),
            per(cmd),
            per(reference),
            per(cmd) / per(reference),
            quality
        );
        pages_total += pages;
        lib_total += lib;
        cmd_total += cmd;
        ref_total += reference;
    }
    if pages_total > 0 {
        let per = |d: Duration| d.as_secs_f64() * 1000.0 / f64::from(pages_total);
        println!(
            "{:44} {:>5} {:>10.2} {:>10.2} {:>10.2} {:>7.2}",
            "all",
            pages_total,
            per(lib_total),
            per(cmd_total),
            per(ref_total),
            per(cmd_total) / per(ref_total)
        );
        println!("ratio = protokoll extract command / pdftotext command, per page (target <= 1.0)");
    }
}
