//! Parsing the real documents of `corpus/` against the hand-made answer keys in
//! `tests/gold/`: the same checks the shared evaluation makes, each failing with the
//! document and the field that went wrong.

mod common;

use std::path::Path;

use common::{corpus, gold};
use protokoll::model::Meeting;
use protokoll::{extract, parse};
use serde_json::Value;

/// Case-, space- and hyphenation-insensitive form, as the evaluation compares texts.
fn norm(s: &str) -> String {
    let s = s.replace('\u{ad}', "").replace(['\u{2010}', '\u{2011}', '\u{2012}', '\u{2013}', '\u{2014}', '\u{2015}'], "-");
    let s = regex::Regex::new(r"-\s+").expect("regex").replace_all(&s, "-").into_owned();
    let s = s.replace(['\u{2018}', '\u{2019}', '\u{201c}', '\u{201d}', '«', '»', '"', '\''], "");
    s.split_whitespace().collect::<Vec<_>>().join(" ").to_lowercase()
}

fn name_key(s: &str) -> String {
    let s = regex::Regex::new(r"\(.*?\)").expect("regex").replace_all(&norm(s), "").into_owned();
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn meeting_of(rel: &str) -> Meeting {
    let path = corpus(rel);
    let bytes = std::fs::read(&path).expect("corpus file");
    let doc = extract::extract_bytes(&bytes, rel, &extract::Options::default()).unwrap_or_else(|e| panic!("{rel}: {e}"));
    parse::parse(&doc, Path::new(rel), &bytes)
}

fn strs(v: &Value) -> Vec<String> {
    v.as_array().map(|a| a.iter().filter_map(|x| x.as_str().map(str::to_string)).collect()).unwrap_or_default()
}

/// A key the answer key must have: a misspelled or missing key fails the test instead of
/// matching everything.
fn required<'a>(v: &'a Value, key: &str, rel: &str) -> &'a str {
    v[key].as_str().unwrap_or_else(|| panic!("{rel}: answer key lacks {key:?} in {v}"))
}

fn check(rel: &str, key: &Value) {
    let m = meeting_of(rel);
    let g = &key["meeting"];
    assert_eq!(m.date.map(|d| d.to_string()).as_deref(), g["date"].as_str(), "{rel}: date");
    assert_eq!(Some(m.kind.as_str()), g["kind"].as_str(), "{rel}: kind");
    let body = norm(&format!("{} {}", m.body.name, m.organization.as_deref().unwrap_or("")));
    assert!(body.contains(&norm(required(g, "body_contains", rel))), "{rel}: body {body}");
    for (k, field) in [("place_contains", &m.place), ("time_contains", &m.time), ("organization_contains", &m.organization)] {
        if let Some(want) = g[k].as_str() {
            assert!(norm(field.as_deref().unwrap_or("")).contains(&norm(want)), "{rel}: {k} {field:?}");
        }
    }
    let item = |nr: &str| m.items.iter().find(|i| i.number == nr);
    let gold_items = key["items"].as_array().cloned().unwrap_or_default();
    assert_eq!(m.items.len(), gold_items.len(), "{rel}: number of items");
    for gi in &gold_items {
        let nr = required(gi, "number", rel);
        let it = item(nr).unwrap_or_else(|| panic!("{rel}: § {nr} missing"));
        let (want, got) = (norm(required(gi, "title", rel)), norm(&it.title));
        assert!(got == want || (got.starts_with(&want) && got.len() - want.len() < 12), "{rel} § {nr}: title {got:?}");
        if let Some(d) = gi["diarienummer"].as_str() {
            assert_eq!(norm(it.diarienummer.as_deref().unwrap_or("")), norm(d), "{rel} § {nr}: diarienummer");
        }
        for p in strs(&gi["presenters"]) {
            assert!(it.presenters.iter().any(|x| name_key(x).contains(&name_key(&p))), "{rel} § {nr}: presenter {p}");
        }
    }
    for d in key["decisions"].as_array().into_iter().flatten() {
        let nr = required(d, "item", rel);
        let text = norm(&item(nr).and_then(|i| i.decision.as_ref()).map(|d| d.text.clone()).unwrap_or_default());
        for c in strs(&d["contains"]) {
            assert!(text.contains(&norm(&c)), "{rel} § {nr}: decision lacks {c:?}: {text:?}");
        }
    }
    for nr in strs(&key["no_decision"]) {
        assert!(item(&nr).is_some_and(|i| i.decision.is_none()), "{rel} § {nr}: should have no decision");
    }
    let role_any = key["participant_role_any"].as_bool().unwrap_or(false);
    let people = key["participants"].as_array().cloned().unwrap_or_default();
    if !people.is_empty() {
        assert_eq!(m.participants.len(), people.len(), "{rel}: number of participants");
    }
    for gp in &people {
        let name = required(gp, "name", rel);
        let p = m.participants.iter().find(|p| name_key(&p.name) == name_key(name)).unwrap_or_else(|| panic!("{rel}: {name} missing"));
        if !role_any {
            assert_eq!(serde_json::to_value(p.role).ok().as_ref(), Some(&gp["role"]), "{rel}: role of {name}");
        }
        if let Some(party) = gp["party"].as_str() {
            assert_eq!(p.party.as_deref(), Some(party), "{rel}: party of {name}");
        }
        if let Some(org) = gp["organization"].as_str() {
            assert!(norm(p.organization.as_deref().unwrap_or("")).contains(&norm(org)), "{rel}: organisation of {name}: {:?}", p.organization);
        }
        if let Some(t) = gp["title_contains"].as_str() {
            assert!(norm(p.title.as_deref().unwrap_or("")).contains(&norm(t)), "{rel}: title of {name}: {:?}", p.title);
        }
    }
    if let Some(officers) = key["officers"].as_object() {
        let o = &m.officers;
        for (k, v) in officers {
            let got: Vec<String> = match k.as_str() {
                "chair" => o.chair.iter().cloned().collect(),
                "secretary" => o.secretary.iter().cloned().collect(),
                "adjusters" => o.adjusters.clone(),
                other => panic!("{rel}: unknown officer key {other:?}"),
            };
            let want: Vec<String> = v.as_str().map(|s| vec![s.to_string()]).unwrap_or_else(|| strs(v));
            for w in want {
                assert!(got.iter().any(|x| name_key(x).contains(&name_key(&w))), "{rel}: officer {k} {w}, got {got:?}");
            }
        }
    }
    for r in key["references"].as_array().into_iter().flatten() {
        let nr = required(r, "item", rel);
        let dates: Vec<String> = item(nr).map(|i| i.references.iter().filter_map(|x| x.date.map(|d| d.to_string())).collect()).unwrap_or_default();
        assert!(dates.iter().any(|d| Some(d.as_str()) == r["date"].as_str()), "{rel} § {nr}: reference {:?} not in {dates:?}", r["date"]);
    }
    let attachments: Vec<String> = m.attachments.iter().map(|a| norm(&a.title)).collect();
    for a in strs(&key["attachments"]) {
        assert!(attachments.iter().any(|t| t.contains(&norm(&a))), "{rel}: attachment {a}");
    }
    let all_items = norm(&serde_json::to_string(&m.items).expect("json"));
    for b in strs(&key["boilerplate_absent"]) {
        assert!(!all_items.contains(&norm(&b)), "{rel}: boilerplate {b:?} in items");
    }
}

fn key(name: &str) -> Value {
    serde_json::from_str(&std::fs::read_to_string(gold(&format!("{name}.json"))).expect("gold key")).expect("json")
}

#[test]
fn socsam_2022_protocol_with_wrapped_table_cells_and_contents_list() {
    check("pdf/socsam-2022-06-03.pdf", &key("socsam-2022-06-03"));
}

#[test]
fn socsam_2021_extract_with_signature_block() {
    check("pdf/socsam-2021-10-08.pdf", &key("socsam-2021-10-08"));
}

#[test]
fn socsam_2021_scanned_copy_through_ocr() {
    check("scanned/socsam-2021-10-08-skannad.pdf", &key("socsam-2021-10-08"));
}

#[test]
fn stromsund_socialnamnd_with_diarienummer_before_headings_and_attachments() {
    check("pdf/stromsund-socialnamnd-2022-11-17.pdf", &key("stromsund-socialnamnd-2022-11-17"));
}

#[test]
fn numbered_minutes_with_att_clauses() {
    check("pdf/schnv-dalarna-2020-09-25.pdf", &key("schnv-dalarna-2020-09-25"));
}

#[test]
fn meeting_portal_page_with_accordion_items() {
    check("html/svom-2023-10-13.html", &key("svom-2023-10-13"));
}

#[test]
fn the_latin1_page_parses_like_the_utf8_page() {
    // The Latin-1 copy has "?" where Latin-1 has no character (” and –), so texts differ
    // there; the structure does not.
    let (a, b) = (meeting_of("html/svom-2023-10-13.html"), meeting_of("bad/svom-2023-10-13-latin1.html"));
    let shape = |m: &Meeting| m.items.iter().map(|i| (i.number.clone(), i.title.clone(), i.presenters.clone())).collect::<Vec<_>>();
    assert_eq!(shape(&a), shape(&b));
    assert_eq!((a.date, a.body.clone()), (b.date, b.body.clone()));
}

#[test]
fn parse_json_follows_the_contract() {
    let out = common::protokoll().args(["parse", "--json"]).arg(corpus("pdf/socsam-2022-06-03.pdf")).output().expect("run");
    assert!(out.status.success());
    let v: Value = serde_json::from_slice(&out.stdout).expect("json on stdout");
    assert_eq!(v["id"], "socsam-2022-06-03");
    assert_eq!(v["source"]["format"], "pdf");
    assert_eq!(v["source"]["pages"], 12);
    assert_eq!(v["source"]["sha256"].as_str().map(str::len), Some(64));
    assert_eq!(v["body"]["key"], "socsam");
    assert_eq!(v["items"][4]["references"][0]["date"], "2022-04-01");
    assert!(v["items"][0]["decision"].is_null());
}

#[test]
fn a_refused_file_gives_one_line_and_no_json() {
    let out = common::protokoll().args(["parse", "--json"]).arg(corpus("bad/encrypted-user-password.pdf")).output().expect("run");
    assert_eq!(out.status.code(), Some(2));
    assert!(out.stdout.is_empty());
    assert_eq!(String::from_utf8_lossy(&out.stderr).lines().count(), 1);
}
