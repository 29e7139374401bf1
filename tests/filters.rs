//! Filters as people type them, through the CLI on an index of `corpus/`: each row of the
//! table is a search as typed (a year, a month, a word of a name, in any case) and either
//! the search it must equal (the full dates, the exact names) or the one line it must be
//! refused with; and `protokoll bodies`, whose counts must agree with `list`.

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use serde_json::Value;

/// A query every document of the corpus answers, in items and outside them.
const QUERY: &str = "och";

/// The index of `corpus/`, built once for the tests of this file.
fn index() -> &'static Path {
    static INDEX: OnceLock<PathBuf> = OnceLock::new();
    INDEX.get_or_init(|| {
        let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("filters-index");
        let _ = std::fs::remove_dir_all(&dir);
        common::index(&dir, &[common::corpus("")]);
        dir
    })
}

struct Run {
    code: Option<i32>,
    stdout: String,
    stderr: String,
}

fn protokoll(args: &[&str]) -> Run {
    // The index first: a query after `--` ends the options.
    let (command, rest) = args.split_first().expect("a subcommand");
    let out = common::protokoll().arg(command).arg("--index").arg(index()).args(rest).output().expect("protokoll runs");
    Run { code: out.status.code(), stdout: String::from_utf8_lossy(&out.stdout).into_owned(), stderr: String::from_utf8_lossy(&out.stderr).into_owned() }
}

fn json(run: &Run, what: &str) -> Value {
    assert!(run.code.is_some_and(|c| c <= 1), "{what}: exit {:?}\n{}", run.code, run.stderr);
    serde_json::from_str(&run.stdout).unwrap_or_else(|e| panic!("{what}: no JSON ({e}): {}", run.stdout))
}

/// A hit as (document, § or page), with its date.
type Hit = (String, String, Option<String>);

/// Every hit of a search with these filters (paged through, 7 at a time, to show that
/// paging walks the same set the total counts), and its facets.
fn search(filters: &[&str]) -> (BTreeSet<Hit>, Value) {
    let what = format!("search {filters:?}");
    let mut hits = BTreeSet::new();
    let mut total = None;
    let mut facets;
    let mut offset = 0;
    loop {
        let offset_text = offset.to_string();
        let mut args = vec!["search", "--json", "--limit", "7", "--offset", &offset_text];
        args.extend(filters);
        args.extend(["--", QUERY]);
        let v = json(&protokoll(&args), &what);
        let page = v["hits"].as_array().cloned().unwrap_or_default();
        let this_total = v["total"].as_u64().expect("total");
        assert_eq!(*total.get_or_insert(this_total), this_total, "{what}: the total changes from page to page");
        facets = v["facets"].clone();
        for h in &page {
            let place = h["item"].as_str().map_or_else(|| format!("sida {}", h["page"]), |i| format!("§ {i}"));
            let hit = (h["document"].as_str().expect("document").to_string(), place, h["date"].as_str().map(String::from));
            assert!(hits.insert(hit.clone()), "{what}: {hit:?} on two pages");
        }
        offset += 7;
        if page.is_empty() || offset as u64 >= this_total {
            break;
        }
    }
    assert_eq!(hits.len() as u64, total.unwrap_or(0), "{what}: the pages hold what the total says");
    (hits, facets)
}

enum Expect {
    /// The same hits and facets as the union of these searches, a non-empty part of all
    /// hits, each dated within `dates` (inclusive, ISO dates compare as strings).
    SameAs(&'static [&'static [&'static str]], Option<(&'static str, &'static str)>),
    /// Refused: exit 2 and this one line on stderr.
    Refused(&'static str),
}

const ROWS: &[(&[&str], Expect)] = &[
    (&["--from", "2022"], Expect::SameAs(&[&["--from", "2022-01-01"]], Some(("2022-01-01", "9999-12-31")))),
    (&["--from", "2022-11"], Expect::SameAs(&[&["--from", "2022-11-01"]], Some(("2022-11-01", "9999-12-31")))),
    (&["--to", "2022-02"], Expect::SameAs(&[&["--to", "2022-02-28"]], Some(("0000-01-01", "2022-02-28")))),
    (&["--from", "2022", "--to", "2022"], Expect::SameAs(&[&["--from", "2022-01-01", "--to", "2022-12-31"]], Some(("2022-01-01", "2022-12-31")))),
    (&["--from", "2023", "--to", "2022"], Expect::Refused("protokoll: från-datumet 2023-01-01 ligger efter till-datumet 2022-12-31; byt plats på dem")),
    (
        &["--from", "2022-13"],
        Expect::Refused("protokoll: \"2022-13\" är inget datum; skriv ÅÅÅÅ, ÅÅÅÅ-MM eller ÅÅÅÅ-MM-DD (till exempel 2022, 2022-11 eller 2022-11-17)"),
    ),
    (&["--organization", "strömsund"], Expect::SameAs(&[&["--organization", "Strömsunds kommun"]], None)),
    (&["--organization", "STRÖMSUND"], Expect::SameAs(&[&["--organization", "Strömsunds kommun"]], None)),
    (&["--organization", "region"], Expect::SameAs(&[&["--organization", "Region Dalarna"], &["--organization", "Region Jämtland Härjedalen"]], None)),
    (
        &["--body", "social"],
        Expect::SameAs(&[&["--body", "socsam"], &["--body", "stromsund-socialnamnden"], &["--body", "svom"], &["--body", "schnv-dalarna"]], None),
    ),
    (&["--body", "SVOM"], Expect::SameAs(&[&["--body", "Sociala vård- och omsorgsgruppen (SVOM)"]], None)),
    (&["--body", "samråd"], Expect::SameAs(&[&["--body", "Sociala samrådsgruppen (SocSam)"]], None)),
    (&["--body", "socialnämnden strömsund"], Expect::SameAs(&[&["--body", "stromsund-socialnamnden"]], None)),
    (&["--body", "Socialnämden"], Expect::Refused("protokoll: okänt organ \"Socialnämden\"; närmast: Socialnämnden (Strömsunds kommun)")),
    (&["--organization", "Strömsnd"], Expect::Refused("protokoll: okänd organisation \"Strömsnd\"; närmast: Strömsunds kommun")),
];

#[test]
fn filters_as_typed_equal_the_full_forms_or_are_refused_in_one_line() {
    let (all, _) = search(&[]);
    assert!(all.len() > 20, "the query finds much: {all:?}");
    for (args, expect) in ROWS {
        match expect {
            Expect::SameAs(equivalents, dates) => {
                let (got, facets) = search(args);
                let mut want = BTreeSet::new();
                let mut want_facets = Value::Null;
                for e in *equivalents {
                    let (hits, f) = search(e);
                    assert!(!hits.is_empty(), "{e:?} finds something");
                    want.extend(hits);
                    want_facets = f;
                }
                assert_eq!(got, want, "{args:?} finds what {equivalents:?} find");
                if equivalents.len() == 1 {
                    assert_eq!(facets, want_facets, "{args:?} counts as {equivalents:?} do");
                }
                assert!(!got.is_empty() && got.len() < all.len() && got.is_subset(&all), "{args:?}: {} of {} hits", got.len(), all.len());
                if let Some((from, to)) = dates {
                    for (document, place, date) in &got {
                        let date = date.as_deref().unwrap_or_else(|| panic!("{args:?}: {document} {place} has no date"));
                        assert!(*from <= date && date <= *to, "{args:?}: {document} {place} of {date}");
                    }
                }
            }
            Expect::Refused(says) => {
                let mut full = vec!["search"];
                full.extend(*args);
                full.push(QUERY);
                let run = protokoll(&full);
                assert_eq!(run.code, Some(2), "{args:?}: {}", run.stderr);
                assert!(run.stdout.is_empty(), "{args:?} prints nothing: {}", run.stdout);
                assert_eq!(run.stderr.lines().count(), 1, "{args:?}: one line: {}", run.stderr);
                assert_eq!(run.stderr.trim_end(), *says, "{args:?}");
            }
        }
    }
}

#[test]
fn an_organisation_filter_counts_only_its_own() {
    let (hits, facets) = search(&["--organization", "strömsund"]);
    assert_eq!(facets["organization"], serde_json::json!({ "Strömsunds kommun": hits.len() }));
    assert!(hits.iter().all(|(document, _, _)| document == "stromsund-socialnamnd-2022-11-17"), "{hits:?}");
}

#[test]
fn bodies_agree_with_list() {
    let listing = json(&protokoll(&["bodies", "--json"]), "bodies --json");
    let listed = json(&protokoll(&["list", "--json"]), "list --json");
    // Meetings and items of each (organisation, body) as `list` counts them.
    let mut by_body: BTreeMap<(Option<String>, String), (u64, u64)> = BTreeMap::new();
    for m in listed.as_array().expect("list") {
        let counts = by_body.entry((m["organization"].as_str().map(String::from), m["body"].as_str().expect("body").to_string())).or_default();
        counts.0 += 1;
        counts.1 += m["items"].as_u64().expect("items");
    }
    let bodies = listing["bodies"].as_array().expect("bodies");
    let mut from_bodies: BTreeMap<(Option<String>, String), (u64, u64)> = BTreeMap::new();
    for b in bodies {
        let counts = from_bodies.entry((b["organization"].as_str().map(String::from), b["name"].as_str().expect("name").to_string())).or_default();
        counts.0 += b["meetings"].as_u64().expect("meetings");
        counts.1 += b["items"].as_u64().expect("items");
    }
    assert_eq!(from_bodies, by_body);
    assert_eq!(listing["meetings"].as_u64(), Some(listed.as_array().map_or(0, Vec::len) as u64));
    assert_eq!(listing["items"].as_u64(), Some(by_body.values().map(|c| c.1).sum()));
    // Each organisation sums its bodies; organisations in order, the bodies without one last.
    let organizations = listing["organizations"].as_array().expect("organizations");
    let names: Vec<&str> = organizations.iter().filter_map(|o| o["name"].as_str()).collect();
    assert_eq!(names, ["Region Dalarna", "Region Jämtland Härjedalen", "Strömsunds kommun"]);
    for o in organizations {
        let own: Vec<&Value> = bodies.iter().filter(|b| b["organization"] == o["name"]).collect();
        assert_eq!(o["bodies"].as_u64(), Some(own.len() as u64));
        assert_eq!(o["meetings"].as_u64(), Some(own.iter().filter_map(|b| b["meetings"].as_u64()).sum()));
        assert_eq!(o["items"].as_u64(), Some(own.iter().filter_map(|b| b["items"].as_u64()).sum()));
    }
    let first_without = bodies.iter().position(|b| b["organization"].is_null()).expect("bodies without an organisation");
    assert!(bodies[first_without..].iter().all(|b| b["organization"].is_null()));
    let socsam = bodies.iter().find(|b| b["key"] == "socsam").expect("socsam");
    assert_eq!((socsam["meetings"].as_u64(), socsam["items"].as_u64()), (Some(2), Some(16)), "its 2021 copies folded: {socsam}");

    // The text says the same, in Swedish columns.
    let run = protokoll(&["bodies"]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    let lines: Vec<&str> = run.stdout.lines().collect();
    assert_eq!(lines[0].split_whitespace().collect::<Vec<_>>(), ["Organisation", "Organ", "Nyckel", "Möten", "Ärenden"]);
    for b in bodies {
        let row = format!("{}  {}", b["meetings"], b["items"]);
        let line = lines.iter().find(|l| l.contains(b["name"].as_str().expect("name")) && l.contains(b["key"].as_str().expect("key")));
        let line = line.unwrap_or_else(|| panic!("no line for {b}"));
        let numbers: Vec<&str> = line.split_whitespace().rev().take(2).collect();
        assert_eq!(numbers, [b["items"].to_string(), b["meetings"].to_string()], "{line} ({row})");
    }
    let total =
        format!("Sammanlagt {} organisationer, {} organ, {} möten och {} ärenden.", organizations.len(), bodies.len(), listing["meetings"], listing["items"]);
    assert_eq!(lines.last().copied(), Some(total.as_str()));
}
