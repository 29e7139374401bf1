//! Personnummer and samordningsnummer never leave extraction unmasked: a protocol that
//! mixes valid numbers with case numbers, phone numbers, amounts, an organisation number
//! and a number whose check digit is wrong goes through every command in every output
//! format, as text, an HTML page and a PDF. Every valid number is masked and cannot be
//! found; every other number is left as written; `extract --raw` alone shows the file.

mod common;

use std::path::{Path, PathBuf};

use common::archive::{Run, write_pdf};

/// Valid numbers as the fixture writes them, with their ten digits `ÅÅMMDDNNNC`.
const VALID: &[(&str, &str)] = &[
    ("20080316-4565", "0803164565"),
    ("080316-4565", "0803164565"),
    ("19850704-1237", "8507041237"),
    ("19900375-7896", "9003757896"), // samordningsnummer: day 15 + 60
    ("900375-7896", "9003757896"),
    ("101010+1234", "1010101234"), // a person of a hundred or more
    ("5602293218", "5602293218"),  // leap day, no separator
    ("4701012348", "4701012348"),
];

/// Numbers that are no personnummer and must come out as written.
const OTHER: &[&str] = &[
    "SN.2022.471 704",
    "SOC 2023/118",
    "070-123 45 67",
    "0701234567",
    "063-14 30 00",
    "1 250 000 kr",
    "12 345 678 kr",
    "212000-2411",   // organisationsnummer: a valid check digit, but "month" 20
    "19850704-1235", // the wrong check digit
    "2023-04-12",
    "4 500 kr",
];

fn fixture_text() -> String {
    std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/privacy/protokoll.txt")).expect("the fixture is readable")
}

/// Every place the output could leak a number: as written, or its ten digits once the
/// separators are gone.
fn leaks(output: &str) -> Vec<&'static str> {
    let squeezed: String = output.chars().filter(|c| !matches!(c, '-' | '+' | '\u{2013}')).collect();
    VALID.iter().filter(|(written, digits)| output.contains(written) || squeezed.contains(digits)).map(|(w, _)| *w).collect()
}

/// The fixture as a meeting-portal page: headings for the § lines.
fn write_html(path: &Path, text: &str) {
    let mut html = String::from("<!DOCTYPE html>\n<html lang=\"sv\"><head><meta charset=\"utf-8\"><title>Protokoll</title></head><body>\n");
    for line in text.lines() {
        let escaped = line.replace('&', "&amp;").replace('<', "&lt;");
        if line.starts_with('§') {
            html.push_str(&format!("<h2>{escaped}</h2>\n"));
        } else if !line.is_empty() {
            html.push_str(&format!("<p>{escaped}</p>\n"));
        }
    }
    html.push_str("</body></html>\n");
    std::fs::write(path, html).expect("write the HTML copy");
}

/// The fixture as a one-page PDF, a line per text line.
fn write_pdf_copy(path: &Path, text: &str) {
    let runs: Vec<Run> = text.lines().enumerate().map(|(i, l)| Run::new(60.0, 800.0 - 14.0 * i as f32, 10.0, l.starts_with('§') || l == "Beslut", l)).collect();
    write_pdf(path, &[runs]).expect("write the PDF copy");
}

struct Ran {
    args: Vec<String>,
    stdout: String,
    stderr: String,
    code: Option<i32>,
}

fn run(args: &[&str]) -> Ran {
    let out = common::protokoll().args(args).output().expect("protokoll runs");
    Ran {
        args: args.iter().map(|s| s.to_string()).collect(),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        code: out.status.code(),
    }
}

fn assert_masked(r: &Ran) {
    let leaked = leaks(&r.stdout);
    assert!(leaked.is_empty(), "`protokoll {}` printed {leaked:?}:\n{}", r.args.join(" "), r.stdout);
    let leaked = leaks(&r.stderr);
    assert!(leaked.is_empty(), "`protokoll {}` wrote {leaked:?} on stderr:\n{}", r.args.join(" "), r.stderr);
}

struct Fixture {
    dir: tempfile::TempDir,
    files: Vec<PathBuf>,
    index: PathBuf,
}

fn fixture() -> Fixture {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let text = fixture_text();
    let sources = dir.path().join("protokoll");
    std::fs::create_dir_all(&sources).expect("a folder for the copies");
    let files = vec![sources.join("lillkoping-sn-2023-04-12.txt"), sources.join("lillkoping-sn-2023-04-12.html"), sources.join("lillkoping-sn-2023-04-12.pdf")];
    std::fs::write(&files[0], &text).expect("write the text copy");
    write_html(&files[1], &text);
    write_pdf_copy(&files[2], &text);
    let index = dir.path().join("index");
    let r = run(&["ingest", "--index", &index.display().to_string(), &sources.display().to_string()]);
    assert_eq!(r.code, Some(0), "ingest failed:\n{}", r.stderr);
    assert_masked(&r);
    Fixture { dir, files, index }
}

#[test]
fn the_fixture_holds_what_the_test_claims() {
    let text = fixture_text();
    for (written, _) in VALID {
        assert!(text.contains(written), "{written}");
    }
    for other in OTHER {
        assert!(text.contains(other), "{other}");
    }
}

#[test]
fn every_output_of_every_format_masks_the_numbers_and_keeps_the_others() {
    let f = fixture();
    let index = f.index.display().to_string();
    for file in &f.files {
        let name = file.display().to_string();
        for args in [vec!["extract", &name], vec!["extract", "--cells", &name], vec!["parse", &name], vec!["parse", "--json", &name]] {
            let r = run(&args);
            assert_eq!(r.code, Some(0), "`protokoll {}`: {}", args.join(" "), r.stderr);
            assert_masked(&r);
            assert!(r.stdout.contains("YYYYMMDD-XXXX") && r.stdout.contains("YYMMDD-XXXX"), "`protokoll {}` shows no mask:\n{}", args.join(" "), r.stdout);
            // Line breaks and the columns of --cells aside, each other number is in the full
            // text (the text summary of `parse` shows only titles and decisions).
            if args == ["parse", name.as_str()] {
                continue;
            }
            let flat = r.stdout.replace(" | ", " ").replace("\\n", " ").split_whitespace().collect::<Vec<_>>().join(" ");
            for other in OTHER {
                assert!(flat.contains(other), "`protokoll {}` lost {other:?}:\n{}", args.join(" "), r.stdout);
            }
        }
        let raw = run(&["extract", "--raw", &name]);
        for (written, _) in VALID {
            assert!(raw.stdout.contains(written), "`extract --raw {name}` lacks {written}");
        }
    }

    let list = run(&["list", "--index", &index, "--json"]);
    assert_masked(&list);
    let ids: Vec<String> = serde_json::from_str::<serde_json::Value>(&list.stdout)
        .expect("list --json")
        .as_array()
        .expect("an array")
        .iter()
        .flat_map(|d| {
            let copies = d["copies"].as_array().cloned().unwrap_or_default();
            std::iter::once(d["document_id"].clone()).chain(copies.into_iter().map(|c| c.get("document_id").cloned().unwrap_or(c)))
        })
        .filter_map(|v| v.as_str().map(str::to_string))
        .collect();
    assert!(!ids.is_empty());
    let timeline_html = f.dir.path().join("tidslinje.html");
    let timeline_html_arg = timeline_html.display().to_string();
    let mut commands: Vec<Vec<&str>> = vec![
        vec!["list", "--index", &index],
        vec!["search", "--index", &index, "familjehemsplacering"],
        vec!["search", "--index", &index, "--json", "familjehemsplacering"],
        vec!["search", "--index", &index, "bistånd"],
        vec!["search", "--index", &index, "--json", "bistånd"],
        vec!["timeline", "--index", &index, "familjehemsplacering"],
        vec!["timeline", "--index", &index, "--json", "bistånd"],
        vec!["timeline", "--index", &index, "--html", &timeline_html_arg, "bistånd"],
    ];
    for id in &ids {
        for args in [vec!["show", "--index", &index, id.as_str()], vec!["show", "--index", &index, "--json", id.as_str()]] {
            commands.push(args);
        }
        for nr in ["31", "32"] {
            commands.push(vec!["show", "--index", &index, id.as_str(), nr]);
            commands.push(vec!["show", "--index", &index, "--json", id.as_str(), nr]);
        }
    }
    for args in &commands {
        let r = run(args);
        assert_eq!(r.code, Some(0), "`protokoll {}` exited with {:?}: {}", args.join(" "), r.code, r.stderr);
        assert_masked(&r);
    }
    let page = std::fs::read_to_string(&timeline_html).expect("timeline --html writes its page");
    assert!(leaks(&page).is_empty(), "the HTML timeline leaks {:?}", leaks(&page));
    assert!(page.contains("YYYYMMDD-XXXX"), "the HTML timeline shows the decision's masked number");
}

#[test]
fn masked_numbers_cannot_be_found_and_other_numbers_can() {
    let f = fixture();
    let index = f.index.display().to_string();
    for (written, digits) in VALID {
        let long = if digits.starts_with('0') { format!("20{digits}") } else { format!("19{digits}") };
        for query in [written.to_string(), digits.to_string(), long, format!("{}-{}", &digits[..6], &digits[6..])] {
            let r = run(&["search", "--index", &index, "--json", &query]);
            let total = serde_json::from_str::<serde_json::Value>(&r.stdout).ok().and_then(|v| v["total"].as_u64());
            assert_eq!(total, Some(0), "searching {query:?} found something:\n{}{}", r.stdout, r.stderr);
        }
    }
    for query in ["0701234567", "212000-2411", "19850704-1235", "\"SOC 2023/118\""] {
        let r = run(&["search", "--index", &index, "--json", query]);
        let total = serde_json::from_str::<serde_json::Value>(&r.stdout).ok().and_then(|v| v["total"].as_u64()).unwrap_or(0);
        assert!(total > 0, "searching {query:?} found nothing:\n{}", r.stderr);
    }
}
