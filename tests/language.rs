//! One language: every help text and every error message of the `protokoll` binary is
//! Swedish. Runs each subcommand's help and a set of error cases (clap's and ours, and
//! the dependencies' errors on the broken files of `corpus/bad`) and looks in every line
//! for common English words; and checks that counts agree with their nouns ("1 träff",
//! "2 träffar") and that a § is said once.

mod common;

use std::path::{Path, PathBuf};

use common::{corpus, protokoll};

/// Common English words that no Swedish message has: clap's and the dependencies' words
/// among them. Words that are Swedish too ("in", "index", "argument", "version") are
/// not listed.
const ENGLISH: &[&str] = &[
    "the",
    "and",
    "of",
    "to",
    "is",
    "for",
    "with",
    "not",
    "this",
    "that",
    "file",
    "files",
    "found",
    "failed",
    "error",
    "invalid",
    "usage",
    "options",
    "arguments",
    "commands",
    "print",
    "prints",
    "value",
    "values",
    "required",
    "expected",
    "unexpected",
    "possible",
    "default",
    "an",
    "or",
    "be",
    "are",
    "was",
    "has",
    "have",
    "no",
    "use",
    "try",
    "more",
    "missing",
    "exists",
    "subcommand",
    "directory",
    "such",
    "denied",
    "permission",
    "password",
    "protected",
    "parsing",
    "cross",
    "reference",
    "table",
    "display",
    "tip",
    "similar",
    "cannot",
    "could",
    "unknown",
    "unrecognized",
    "see",
    "only",
    "other",
    "when",
    "which",
    "would",
    "there",
    "object",
    "stream",
    "document",
    "documents",
    "meeting",
    "items",
    "decision",
    "page",
    "pages",
    "read",
    "write",
    "open",
];

/// The CLI's own names, which are English by design: its subcommands.
const COMMANDS: &[&str] = &["extract", "parse", "ingest", "check", "list", "bodies", "remove", "search", "timeline", "serve", "show", "help"];

/// A run of the binary from an empty folder with an empty home, so that no index is
/// found by accident: stdout and stderr together, and the exit status.
fn run_in(dir: &Path, args: &[&str]) -> (i32, String) {
    let (code, stdout, stderr) = run_parts(dir, args);
    (code, format!("{stdout}{stderr}"))
}

/// [`run_in`] with stdout and stderr apart.
fn run_parts(dir: &Path, args: &[&str]) -> (i32, String, String) {
    let out = protokoll()
        .args(args)
        .current_dir(dir)
        .env("HOME", dir)
        .env("XDG_DATA_HOME", dir.join("data"))
        .env_remove("PROTOKOLL_INDEX")
        .env_remove("PROTOKOLL_HUNSPELL")
        .output()
        .expect("protokoll runs");
    (out.status.code().unwrap_or(-1), String::from_utf8_lossy(&out.stdout).into_owned(), String::from_utf8_lossy(&out.stderr).into_owned())
}

/// The English words of a line, after what may be English by design is taken out:
/// `code spans`, "quoted input or file content", flags (`--no-wait`), <VALUE> names,
/// paths and file names, and the names of the subcommands.
fn english_words(line: &str) -> Vec<String> {
    let mut kept = String::new();
    let mut open: Option<char> = None;
    for c in line.chars() {
        match (open, c) {
            (None, '`' | '"' | '<') => open = Some(if c == '<' { '>' } else { c }),
            (Some(close), _) if c == close => {
                open = None;
                kept.push(' ');
            }
            (Some(_), _) => {}
            (None, _) => kept.push(c),
        }
    }
    kept.split_whitespace()
        .filter(|token| !token.starts_with('-') && !token.contains('/') && !token.contains(".pdf") && !token.contains(".md"))
        .flat_map(|token| token.split(|c: char| !c.is_alphabetic()).map(str::to_lowercase).collect::<Vec<_>>())
        .filter(|w| ENGLISH.contains(&w.as_str()) && !COMMANDS.contains(&w.as_str()))
        .collect()
}

/// Asserts that no line of `output` has an English word.
fn assert_swedish(what: &str, output: &str) {
    for line in output.lines() {
        let english = english_words(line);
        assert!(english.is_empty(), "{what}: English {english:?} in {line:?}\n{output}");
    }
}

/// A temporary folder for one test.
fn folder() -> tempfile::TempDir {
    tempfile::tempdir().expect("tempdir")
}

/// An index of the sample protocols, built once per test that needs one.
fn sample_index(dir: &Path) -> PathBuf {
    let index = dir.join("index-sample");
    let pdf = corpus("pdf");
    let html = corpus("html");
    let (code, out) = run_in(dir, &["ingest", "--index", index.to_str().expect("utf-8"), pdf.to_str().expect("utf-8"), html.to_str().expect("utf-8")]);
    assert_eq!(code, 0, "{out}");
    index
}

#[test]
fn the_english_word_check_finds_what_clap_would_say() {
    assert_eq!(english_words("error: unexpected argument '--lmit' found"), ["error", "unexpected", "found"]);
    assert_eq!(english_words("For more information, try '--help'."), ["for", "more", "try"]);
    // "help" is also a subcommand's name, and a name is not a word.
    assert_eq!(english_words("  -h, --help  Print help"), ["print"]);
    assert!(english_words("Se `protokoll search --help`. <ORD> \"frob and the\" corpus/bad/x.pdf").is_empty());
}

#[test]
fn every_help_is_swedish() {
    let dir = folder();
    let mut runs: Vec<Vec<&str>> = vec![vec!["--help"], vec!["-h"], vec!["help"], vec![]];
    for c in COMMANDS {
        runs.push(vec![c, "--help"]);
        runs.push(vec![c, "-h"]);
        runs.push(vec!["help", c]);
    }
    for args in &runs {
        let (code, out) = run_in(dir.path(), args);
        // Without a command clap shows the help as an error (status 2); otherwise 0.
        assert_eq!(code, if args.is_empty() { 2 } else { 0 }, "{args:?}: {out}");
        assert!(out.contains("Användning: protokoll"), "{args:?}: {out}");
        assert_swedish(&format!("{args:?}"), &out);
    }
    let (code, out) = run_in(dir.path(), &["-V"]);
    assert_eq!((code, out.trim()), (0, format!("protokoll {}", env!("CARGO_PKG_VERSION")).as_str()));
    let (_, out) = run_in(dir.path(), &["search", "--help"]);
    for said in ["Flaggor:", "Argument:", "[standard: 10]", "--limit <ANTAL>", "--from <DATUM>", "--index <MAPP>", "-h, --help"] {
        assert!(out.contains(said), "{said} in {out}");
    }
}

#[test]
fn every_error_is_one_swedish_line_and_a_pointer_to_the_help() {
    let dir = folder();
    let cases: &[&[&str]] = &[
        &["search", "--lmit", "3", "ord"],
        &["list", "--bogus"],
        &["--json", "search", "ord"],
        &["show", "-x", "dokument"],
        &["search", "--limit", "0", "ord"],
        &["search", "--limit", "många", "ord"],
        &["search", "--offset", "20000", "ord"],
        &["search", "--kind", "brev", "ord"],
        &["search", "--decision-kind", "kanske", "ord"],
        &["extract", "--time-limit", "0", "fil.pdf"],
        &["serve", "--addr", "hemma"],
        &["search"],
        &["ingest"],
        &["extract"],
        &["show"],
        &["search", "--index"],
        &["list", "--index="],
        &["frob"],
        &["serch", "ord"],
        &["timeline", "--json", "--html", "t.html", "ämne"],
        &["list", "--json", "--json"],
        &["list", "extra"],
    ];
    for args in cases {
        let (code, out) = run_in(dir.path(), args);
        assert_eq!(code, 2, "{args:?}: {out}");
        let lines: Vec<&str> = out.lines().collect();
        assert_eq!(lines.len(), 2, "{args:?}: one line and the pointer: {out}");
        assert!(lines[0].starts_with("protokoll: ") && lines[1].starts_with("Se `protokoll"), "{args:?}: {out}");
        assert_swedish(&format!("{args:?}"), &out);
    }
    // Dates are read after the command line (a range needs both ends): one line.
    for args in [
        &["search", "--from", "2022-13-01", "ord"][..],
        &["search", "--to", "igår", "ord"],
        &["search", "--from", "2022-13", "ord"],
        &["search", "--from", "2023", "--to", "2022", "ord"],
    ] {
        let (code, out) = run_in(dir.path(), args);
        assert_eq!((code, out.lines().count()), (2, 1), "{args:?}: {out}");
        assert_swedish(&format!("{args:?}"), &out);
    }
    let (_, out) = run_in(dir.path(), &["search", "--lmit", "3", "ord"]);
    assert!(out.contains("menade du --limit?") && out.contains("Se `protokoll search --help`."), "{out}");
    let (_, out) = run_in(dir.path(), &["serch", "ord"]);
    assert!(out.contains("okänt kommando \"serch\"; menade du `protokoll search`?") || out.contains("menade du `protokoll serve`?"), "{out}");
    let (code, out) = run_in(dir.path(), &["help", "frob"]);
    assert_eq!(code, 2, "{out}");
    assert_swedish("help frob", &out);
}

#[test]
fn refused_files_and_missing_things_are_said_in_swedish() {
    let dir = folder();
    let mut said = String::new();
    let mut broken: Vec<PathBuf> = std::fs::read_dir(corpus("bad")).expect("corpus/bad").map(|e| e.expect("entry").path()).collect();
    broken.sort();
    // The messages, not the files' own text: stderr, and parse's warnings.
    for file in &broken {
        for command in ["parse", "extract"] {
            let (_, stdout, stderr) = run_parts(dir.path(), &[command, file.to_str().expect("utf-8")]);
            said.push_str(&stderr);
            for warning in stdout.lines().filter(|l| l.starts_with("varning:")) {
                said.push_str(warning);
                said.push('\n');
            }
        }
    }
    assert!(said.contains("korsreferenstabellen går inte att läsa"), "{said}");
    assert!(said.contains("lösenordsskyddad PDF: kan inte öppnas utan lösenord"), "{said}");
    let index = dir.path().join("index-bad");
    let (code, out) = run_in(dir.path(), &["ingest", "--index", index.to_str().expect("utf-8"), corpus("bad").to_str().expect("utf-8")]);
    assert_eq!(code, 2, "{out}");
    said.push_str(&out);
    let missing_index = dir.path().join("inget-index");
    let (pdf, html) = (corpus("pdf"), corpus("html"));
    let runs: &[&[&str]] = &[
        &["parse", "/finns/inte/protokoll.pdf"],
        &["extract", "/finns/inte/protokoll.pdf"],
        &["parse", pdf.to_str().expect("utf-8")],
        &["search", "ord"],
        &["list", "--index", missing_index.to_str().expect("utf-8")],
        &["check", "--index", missing_index.to_str().expect("utf-8")],
        &["show", "--index", missing_index.to_str().expect("utf-8"), "dokument"],
        &["timeline", "--index", missing_index.to_str().expect("utf-8"), "ämne"],
        &["bodies", "--index", missing_index.to_str().expect("utf-8")],
        &["ingest", "--index", missing_index.to_str().expect("utf-8"), "--lexicon", "/finns/inte/sv.dic", html.to_str().expect("utf-8")],
        &["ingest", "--index", missing_index.to_str().expect("utf-8"), "--report", "/finns/inte/rapport.json", html.to_str().expect("utf-8")],
    ];
    for args in runs {
        let (code, out) = run_in(dir.path(), args);
        assert_ne!(code, 0, "{args:?}: {out}");
        assert_eq!(out.lines().count(), 1, "{args:?}: one line: {out}");
        said.push_str(&out);
    }
    assert_swedish("refusals", &said);
    for expected in ["filen eller mappen finns inte", "inte en vanlig fil: en mapp", "finns inte (angiven med --index); bygg det med", "(angiven med --index)"]
    {
        assert!(said.contains(expected), "{expected} in {said}");
    }
}

#[test]
fn counts_agree_with_their_nouns_and_a_paragraph_is_said_once() {
    let dir = folder();
    let index = sample_index(dir.path());
    let ix = index.to_str().expect("utf-8");
    // One document, one item: one hit.
    let (code, out) = run_in(dir.path(), &["search", "--index", ix, "--document", "socsam-2021-10-08", "familjehemscentrum"]);
    assert_eq!(code, 0, "{out}");
    assert!(out.starts_with("1 träff för"), "{out}");
    let (_, out) = run_in(dir.path(), &["search", "--index", ix, "socialtjänst"]);
    assert!(out.lines().next().is_some_and(|l| l.contains(" träffar för")), "{out}");
    let number = regex::Regex::new(r"(\d+) (händelser?|träffar?)").expect("regex");
    for topic in ["justering", "familjehem", "socialtjänst", "hemtjänst", "budget"] {
        let (_, out) = run_in(dir.path(), &["timeline", "--index", ix, topic]);
        let first = out.lines().next().unwrap_or_default();
        let Some(c) = number.captures(first) else { panic!("{topic}: no count in {first:?}") };
        let singular = &c[1] == "1";
        assert_eq!(singular, c[2].ends_with('e'), "{topic}: {first}");
    }
    for args in [
        &["search", "--index", ix, "--organization", "Östersundd", "ord"][..],
        &["search", "--index", ix, "--body", "Kommunfullmäktige", "ord"],
        &["search", "--index", ix, "--from", "2023", "--to", "2022", "ord"],
    ] {
        let (code, out) = run_in(dir.path(), args);
        assert_eq!(code, 2, "{args:?}: {out}");
        assert_swedish(&format!("{args:?}"), &out);
    }
    let (code, out) = run_in(dir.path(), &["bodies", "--index", ix]);
    assert_eq!(code, 0, "{out}");
    assert_swedish("bodies", &out);
    let (_, out) = run_in(dir.path(), &["list", "--index", ix]);
    assert!(out.contains("  1 ärende\n") && out.contains(" ärenden\n") && out.trim_end().ends_with("5 möten"), "{out}");
    for typed in ["33", "§ 33", "§33"] {
        let (code, out) = run_in(dir.path(), &["show", "--index", ix, "socsam-2021-10-08", typed]);
        assert_eq!(code, 2, "{out}");
        assert!(out.contains("har ingen § 33") && !out.contains("§ §"), "{typed}: {out}");
    }
    // One file skipped, one refused, one added.
    let inbox = dir.path().join("inkorg");
    std::fs::create_dir_all(&inbox).expect("mkdir");
    std::fs::copy(corpus("pdf/socsam-2021-10-08.pdf"), inbox.join("protokoll.pdf")).expect("copy");
    std::fs::copy(corpus("bad/truncated.pdf"), inbox.join("trasig.pdf")).expect("copy");
    std::fs::write(inbox.join("bild.jpg"), b"\xff\xd8\xff\xe0").expect("write");
    let fresh = dir.path().join("index-inkorg");
    let (code, out) = run_in(dir.path(), &["ingest", "--index", fresh.to_str().expect("utf-8"), inbox.to_str().expect("utf-8")]);
    assert_eq!(code, 2, "{out}");
    assert!(out.starts_with("Lade till 1 dokument,") && out.contains("vägrade 1 fil,") && out.contains("hoppade över 1 fil."), "{out}");
    assert_swedish("ingest", &out);
}
