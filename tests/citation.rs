//! Citable output over an index of `corpus/`: every hit, event and item that `search`,
//! `show` and `timeline` print, as text and as JSON (and the `--html` timeline), names
//! its body, the organisation where the document has one, the date (or "odaterat" for a
//! document without one), its § (or point), title, source file and a page within the
//! document.

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use common::corpus;
use serde_json::Value;

/// What the index holds about one document (one copy of a meeting), from `show --json`
/// and `list --json`: what its citations must say.
#[derive(Debug)]
struct Doc {
    body: String,
    organization: Option<String>,
    date: Option<String>,
    kind: String,
    pages: u64,
    /// The names of the files of the document's meeting, every copy's.
    files: BTreeSet<String>,
    /// The items: number → (title, page).
    items: BTreeMap<String, (String, u64)>,
}

fn run(index: &Path, args: &[&str]) -> String {
    let out = common::protokoll().args(args).arg("--index").arg(index).output().expect("run protokoll");
    assert!(matches!(out.status.code(), Some(0 | 1)), "{args:?}: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).expect("UTF-8 output")
}

fn json(index: &Path, args: &[&str]) -> Value {
    serde_json::from_str(&run(index, args)).unwrap_or_else(|e| panic!("{args:?}: {e}"))
}

fn file_name(path: &str) -> String {
    Path::new(path).file_name().expect("a file name").to_string_lossy().into_owned()
}

fn string(v: &Value) -> Option<String> {
    v.as_str().map(str::to_string)
}

/// Every document of the index, copies included, by its id.
fn documents(index: &Path) -> BTreeMap<String, Doc> {
    let mut out = BTreeMap::new();
    for listed in json(index, &["list", "--json"]).as_array().expect("list") {
        let files: BTreeSet<String> = listed["sources"].as_array().expect("sources").iter().map(|s| file_name(s.as_str().expect("path"))).collect();
        let mut ids = vec![listed["document_id"].as_str().expect("id").to_string()];
        ids.extend(listed["copies"].as_array().expect("copies").iter().map(|c| c.as_str().expect("copy id").to_string()));
        for id in ids {
            let m = json(index, &["show", "--json", &id]);
            let items = m["items"]
                .as_array()
                .expect("items")
                .iter()
                .map(|it| (string(&it["number"]).expect("number"), (string(&it["title"]).expect("title"), it["page"].as_u64().expect("page"))))
                .collect();
            let doc = Doc {
                body: string(&m["body"]["name"]).expect("body"),
                organization: string(&m["organization"]),
                date: string(&m["date"]),
                kind: string(&m["kind"]).expect("kind"),
                pages: m["source"]["pages"].as_u64().expect("pages"),
                files: files.clone(),
                items,
            };
            out.insert(id, doc);
        }
    }
    out
}

/// "§ 148", or "punkt 4" in numbered minutes.
fn number_label(doc: &Doc, number: &str) -> String {
    if doc.kind == "minnesanteckningar" { format!("punkt {number}") } else { format!("§ {number}") }
}

/// What a citation of `doc` must say: its body, organisation (unless the body's name
/// holds it), date, the item's number and the start of its title, and the file with the
/// page, at its end.
fn assert_cites(what: &str, citation: &str, doc: &Doc, number: Option<&str>, file: &str, page: u64) {
    assert!(citation.starts_with(&doc.body) && !doc.body.is_empty(), "{what}: {citation:?} does not start with the body {:?}", doc.body);
    if let Some(org) = doc.organization.as_deref().filter(|o| !doc.body.contains(o)) {
        assert!(citation.starts_with(&format!("{}, {org}, ", doc.body)), "{what}: {citation:?} lacks the organisation {org:?}");
    }
    let date = doc.date.as_deref().unwrap_or("odaterat");
    assert!(citation.contains(&format!(", {date}")), "{what}: {citation:?} lacks the date {date}");
    if let Some(n) = number {
        let (title, _) = &doc.items[n];
        let start: String = title.split_whitespace().take(4).collect::<Vec<_>>().join(" ");
        let label = number_label(doc, n);
        assert!(citation.contains(&format!(", {label} ”{start}")), "{what}: {citation:?} lacks {label} ”{start}…”");
    }
    assert!(doc.files.contains(file), "{what}: file {file:?} is not one of the document's {:?}", doc.files);
    assert!(page >= 1 && page <= doc.pages, "{what}: page {page} is not within the document's {} pages", doc.pages);
    assert!(citation.ends_with(&format!(", {file} s. {page}")), "{what}: {citation:?} does not end with the file and page");
}

/// The structured fields of a hit, event or item: body, organisation, date, number,
/// title, file (the name of `path`) and page agree with the document, and the citation
/// says them.
fn assert_fields(what: &str, v: &Value, doc: &Doc, number: Option<&str>) -> (String, u64) {
    assert_eq!(string(&v["body"]).as_deref(), Some(doc.body.as_str()), "{what}: body");
    assert_eq!(string(&v["organization"]), doc.organization, "{what}: organization");
    assert_eq!(string(&v["date"]), doc.date, "{what}: date");
    if let Some(n) = number {
        assert_eq!(string(&v["title"]).as_deref(), Some(doc.items[n].0.as_str()), "{what}: title");
        assert_eq!(v["page"].as_u64(), Some(doc.items[n].1), "{what}: the page the item starts on");
    }
    let file = string(&v["file"]).unwrap_or_else(|| panic!("{what}: no file in {v}"));
    assert_eq!(file, file_name(v["path"].as_str().expect("path")), "{what}: file is the name of path");
    let page = v["page"].as_u64().unwrap_or_else(|| panic!("{what}: no page in {v}"));
    let citation = string(&v["citation"]).unwrap_or_else(|| panic!("{what}: no citation in {v}"));
    assert_cites(what, &citation, doc, number, &file, page);
    (citation, page)
}

/// A word of the document to search it by: the first of four letters or more in its
/// first item's title, else in its text outside the items.
fn a_word_of(index: &Path, id: &str) -> String {
    let m = json(index, &["show", "--json", id]);
    let text = [&m["items"][0]["title"], &m["outside_items"][0]["text"]].iter().filter_map(|v| v.as_str()).collect::<Vec<_>>().join(" ");
    text.split(|c: char| !c.is_alphabetic()).find(|w| w.chars().count() >= 4).unwrap_or_else(|| panic!("{id}: no word to search for in {text:?}")).to_string()
}

fn build() -> (tempfile::TempDir, BTreeMap<String, Doc>) {
    let dir = tempfile::tempdir().expect("tempdir");
    common::index(dir.path(), &[corpus("")]);
    let docs = documents(dir.path());
    assert!(docs.len() >= 10, "every corpus document that could be read is in the index: {:?}", docs.keys());
    assert!(docs.values().filter(|d| d.date.is_some()).count() >= 8, "most documents have a date");
    assert!(docs.values().filter(|d| d.organization.is_some()).count() >= 3, "some documents name their organisation");
    (dir, docs)
}

#[test]
fn every_search_hit_is_cited_in_json_and_text() {
    let (dir, docs) = build();
    let index = dir.path();
    let mut searched = BTreeSet::new();
    let mut queries: Vec<(String, Vec<String>)> =
        ["familjehem", "avtal", "justerare", "dagordning", "kommun"].iter().map(|q| (q.to_string(), vec!["--limit".to_string(), "1000".to_string()])).collect();
    // Each document by a word of its own, so that every one is searched, copies included.
    for id in docs.keys() {
        queries.push((a_word_of(index, id), vec!["--document".to_string(), id.clone(), "--limit".to_string(), "1000".to_string()]));
    }
    for (query, extra) in &queries {
        let mut args: Vec<&str> = vec!["search", "--json"];
        args.extend(extra.iter().map(String::as_str));
        args.push(query);
        let results = json(index, &args);
        let hits = results["hits"].as_array().expect("hits");
        assert!(!hits.is_empty(), "{args:?}: no hits");
        args.remove(1);
        let text = run(index, &args);
        for (i, hit) in hits.iter().enumerate() {
            let id = hit["document_id"].as_str().expect("document_id");
            let doc = &docs[id];
            let number = hit["item"].as_str();
            let what = format!("search {query:?} hit {i} ({id} {number:?})");
            let (citation, _) = assert_fields(&what, hit, doc, number);
            let line = if number.is_some() { citation.clone() } else { format!("{citation} (utanför ärendena)") };
            assert!(text.lines().any(|l| l.starts_with(&line)), "{what}: text output lacks the line {line:?}\n{text}");
            searched.insert(id.to_string());
        }
        assert_eq!(
            text.lines().filter(|l| docs.values().any(|d| !l.starts_with(' ') && l.starts_with(&d.body))).count(),
            hits.len(),
            "{query}: one citation line per hit"
        );
    }
    assert_eq!(searched, docs.keys().cloned().collect(), "every document was hit");
}

#[test]
fn every_item_shown_is_cited_in_json_and_text() {
    let (dir, docs) = build();
    let index = dir.path();
    let mut items = 0;
    for (id, doc) in &docs {
        let m = json(index, &["show", "--json", id]);
        let file = string(&m["file"]).expect("the meeting's file");
        let meeting_citation = string(&m["citation"]).expect("the meeting's citation");
        assert!(meeting_citation.ends_with(&format!(", {file}")), "{id}: meeting citation {meeting_citation:?} names its file");
        let text = run(index, &["show", id]);
        assert!(text.lines().any(|l| l == format!("Hänvisning: {meeting_citation}")), "{id}: show prints the meeting's citation\n{text}");
        for it in m["items"].as_array().expect("items") {
            let nr = it["number"].as_str().expect("number");
            let (title, page) = &doc.items[nr];
            let what = format!("show {id} {nr}");
            let cited = string(&it["citation"]).expect("an item's citation");
            assert_cites(&format!("{what} in the meeting's JSON"), &cited, doc, Some(nr), &file, *page);
            let line = format!("{} {title}", number_label(doc, nr));
            assert!(text.lines().any(|l| l.starts_with(&line) && l.ends_with(&format!("(s. {page})"))), "{id}: show lacks {line:?} with its page\n{text}");

            let item = json(index, &["show", "--json", id, nr]);
            let (citation, _) = assert_fields(&what, &item, doc, Some(nr));
            assert_eq!(citation, cited, "{what}: one citation for the item");
            let shown = run(index, &["show", id, nr]);
            assert_eq!(shown.lines().next(), Some(citation.as_str()), "{what}: the text starts with the citation");
            items += 1;
        }
    }
    assert!(items >= 60, "{items} items shown");
}

/// HTML as maud escapes text.
fn escaped(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

#[test]
fn every_timeline_event_is_cited_in_json_text_and_html() {
    let (dir, docs) = build();
    let index = dir.path();
    let (mut events, mut via) = (0, 0);
    let mut documents = BTreeSet::new();
    for topic in ["Centrum mot våld", "Familjehemscentrum", "utskrivning från slutenvård", "familjehem", "avtal", "dagordning"] {
        let t = json(index, &["timeline", "--json", topic]);
        let text = run(index, &["timeline", topic]);
        let page = dir.path().join("tidslinje.html");
        run(index, &["timeline", "--html", page.to_str().expect("path"), topic]);
        let html = std::fs::read_to_string(&page).expect("the HTML timeline");
        let list = t["events"].as_array().expect("events");
        assert!(!list.is_empty(), "{topic}: no events");
        for (i, e) in list.iter().enumerate() {
            let id = e["document_id"].as_str().expect("document_id");
            let doc = &docs[id];
            let nr = e["item"].as_str().expect("item");
            let what = format!("timeline {topic:?} event {i} ({id} § {nr})");
            let citation = if e["via_reference"] == true {
                // Known from a later protocol: the cited body and date, then the citing
                // item with its file and page.
                let body = e["body"].as_str().expect("body");
                let date = e["date"].as_str().expect("a cited decision's date");
                let citation = string(&e["citation"]).expect("citation");
                let (head, citing) = citation.split_once(" (enligt ").unwrap_or_else(|| panic!("{what}: {citation:?} names no citing item"));
                assert!(head.starts_with(body) && head.contains(date), "{what}: {head:?} names the cited body and date");
                let citing = citing.strip_suffix(')').expect("closed");
                let file = string(&e["file"]).expect("file");
                assert_eq!(file, file_name(e["path"].as_str().expect("path")), "{what}: file is the name of path");
                assert_eq!(string(&e["title"]).as_deref(), Some(doc.items[nr].0.as_str()), "{what}: the citing item's title");
                assert_cites(&what, citing, doc, Some(nr), &file, e["page"].as_u64().expect("page"));
                via += 1;
                citation
            } else {
                assert_fields(&what, e, doc, Some(nr)).0
            };
            assert!(text.lines().any(|l| l == format!("      {citation}")), "{what}: text lacks the citation {citation:?}\n{text}");
            assert!(html.contains(&escaped(&citation)), "{what}: the HTML page lacks the citation {citation:?}");
            documents.insert(id.to_string());
            events += 1;
        }
        assert_eq!(text.lines().filter(|l| l.starts_with("      ")).count(), list.len(), "{topic}: one citation line per event\n{text}");
    }
    assert!(via >= 2, "{via} cited decisions");
    let dated_with_items: BTreeSet<String> = docs.iter().filter(|(_, d)| d.date.is_some() && !d.items.is_empty()).map(|(id, _)| id.clone()).collect();
    let primary: Vec<&String> = dated_with_items.iter().filter(|id| documents.contains(*id)).collect();
    assert!(primary.len() >= 5, "{events} events from {primary:?}");
}
