//! The index over `corpus/`: the shared search judgements, re-ingesting, replacing a
//! changed file, filters, and an index built with another analysis.

mod common;

use std::path::Path;

use common::{corpus, gold};
use protokoll::index::Archive;
use protokoll::index::lexicon::Lexicon;
use protokoll::index::search::SearchOptions;
use serde_json::Value;

fn build(dir: &Path) -> Archive {
    common::index(dir, &[corpus("")]).0
}

fn ids(archive: &Archive, query: &str, opts: &SearchOptions) -> Vec<(String, String)> {
    archive.search(query, opts).expect("search").hits.into_iter().filter_map(|h| Some((h.document, h.item?))).collect()
}

#[test]
fn shared_judgements_are_met() {
    let dir = tempfile::tempdir().expect("tempdir");
    let archive = build(dir.path());
    let queries: Value = serde_json::from_str(&std::fs::read_to_string(gold("queries.json")).expect("queries")).expect("json");
    let (mut recall, mut rr, mut n) = (0.0, 0.0, 0.0);
    for q in queries.as_array().expect("array") {
        let text = q["q"].as_str().expect("q");
        let relevant: Vec<(String, String)> = q["relevant"]
            .as_array()
            .expect("relevant")
            .iter()
            .map(|p| (p[0].as_str().expect("relevant document").to_string(), p[1].as_str().expect("relevant item").to_string()))
            .collect();
        let got = ids(&archive, text, &SearchOptions::default());
        let found = relevant.iter().filter(|r| got.contains(r)).count();
        recall += found as f64 / relevant.len() as f64;
        rr += got.iter().position(|g| relevant.contains(g)).map_or(0.0, |k| 1.0 / (k + 1) as f64);
        n += 1.0;
        assert_eq!(found, relevant.len(), "{text}: missing {relevant:?} in {got:?}");
    }
    let score = (recall / n + rr / n) / 2.0;
    assert!(score >= 0.9, "score {score}");
}

#[test]
fn reingesting_adds_nothing_and_a_changed_file_replaces_its_version() {
    let dir = tempfile::tempdir().expect("tempdir");
    let docs = tempfile::tempdir().expect("docs");
    let file = docs.path().join("protokoll.txt");
    std::fs::write(&file, "Socialnämnden\nProtokoll 2023-05-02\n§ 1 Avtal om familjehem\nSocialnämndens beslut\nAvtalet godkänns.\n").expect("write");
    let (_, first) = common::index(dir.path(), &[docs.path().to_path_buf()]);
    assert_eq!(first.counts.added, 1);
    let (_, again) = common::index(dir.path(), &[docs.path().to_path_buf()]);
    assert_eq!((again.counts.added, again.counts.replaced, again.counts.unchanged), (0, 0, 1));
    std::fs::write(&file, "Socialnämnden\nProtokoll 2023-05-02\n§ 1 Avtal om kvinnojour\nSocialnämndens beslut\nAvtalet avslås.\n").expect("write");
    let (archive, changed) = common::index(dir.path(), &[docs.path().to_path_buf()]);
    assert_eq!((changed.counts.added, changed.counts.replaced), (0, 1));
    assert!(ids(&archive, "familjehem", &SearchOptions::default()).is_empty(), "the old version is gone");
    assert_eq!(ids(&archive, "kvinnojour", &SearchOptions::default()), vec![("protokoll".to_string(), "1".to_string())]);
}

#[test]
fn filters_narrow_the_hits() {
    let dir = tempfile::tempdir().expect("tempdir");
    let archive = build(dir.path());
    let all = archive.search("avtal", &SearchOptions { limit: 100, ..SearchOptions::default() }).expect("search");
    assert!(all.facets.body.len() >= 2, "{:?}", all.facets);
    let body = SearchOptions { limit: 100, body: Some("SocSam".into()), ..SearchOptions::default() };
    let hits = archive.search("avtal", &body).expect("search").hits;
    assert!(!hits.is_empty(), "SocSam has items about avtal");
    assert!(hits.iter().all(|h| h.body.contains("SocSam")), "{hits:?}");
    let dates = SearchOptions {
        limit: 100,
        from: chrono::NaiveDate::from_ymd_opt(2022, 11, 1),
        to: chrono::NaiveDate::from_ymd_opt(2022, 12, 31),
        ..SearchOptions::default()
    };
    let hits = archive.search("avtal", &dates).expect("search").hits;
    assert!(!hits.is_empty() && hits.iter().all(|h| h.date.as_deref() == Some("2022-11-17")));
    let decided = SearchOptions { limit: 100, decisions_only: true, ..SearchOptions::default() };
    let hits = archive.search("avtal", &decided).expect("search").hits;
    assert!(!hits.is_empty(), "items about avtal decide something");
    assert!(hits.iter().all(|h| h.decision.is_some() && h.item.is_some()), "{hits:?}");
    let person = SearchOptions { limit: 100, person: Some("Liselott Åsberg".into()), ..SearchOptions::default() };
    let hits = ids(&archive, "våld", &person);
    assert!(hits.contains(&("socsam-2022-06-03".to_string(), "31".to_string())), "{hits:?}");
    assert!(hits.iter().all(|(d, _)| d.starts_with("socsam")), "{hits:?}");
}

#[test]
fn phrases_exclusions_typos_and_snippets() {
    let dir = tempfile::tempdir().expect("tempdir");
    let archive = build(dir.path());
    let hits = archive.search("\"Centrum mot våld\"", &SearchOptions::default()).expect("search").hits;
    assert_eq!((hits[0].document.as_str(), hits[0].item.as_deref()), ("socsam-2022-06-03", Some("31")));
    assert!(hits[0].snippet.contains("<b>"), "{}", hits[0].snippet);
    let without = ids(&archive, "familjehem -Familjehemscentrum", &SearchOptions::default());
    assert!(!without.is_empty(), "familjehem stands in items without Familjehemscentrum too");
    assert!(without.iter().all(|(_, i)| i != "33"), "{without:?}");
    // A question in plain words finds the item with most of its words.
    let hits = ids(&archive, "vad beslutade vi om familjehemscentrum", &SearchOptions::default());
    assert!(hits.iter().take(3).any(|(d, i)| d == "socsam-2022-06-03" && i == "33"), "{hits:?}");
    // One letter wrong in a long word.
    assert_eq!(ids(&archive, "barnperspektivte", &SearchOptions::default())[0], ("stromsund-socialnamnd-2022-11-17".to_string(), "156".to_string()));
}

#[test]
fn text_outside_the_items_is_found_with_its_page() {
    let dir = tempfile::tempdir().expect("tempdir");
    let archive = build(dir.path());
    // A participant's municipality stands only in the front matter of socsam-2022-06-03.
    let hits = archive.search("Hjemgaard", &SearchOptions { limit: 50, ..SearchOptions::default() }).expect("search").hits;
    let front = hits.iter().find(|h| h.document == "socsam-2022-06-03" && h.item.is_none()).expect("front matter hit");
    let meeting = archive.resolve("socsam-2022-06-03").expect("stored").remove(0).meeting;
    let page = meeting.outside_items.iter().find(|p| p.page as u64 == front.page).expect("the hit's page");
    assert!(page.text.contains("Hjemgaard"), "{}", page.text);
    // The bilaga after Strömsund's last item.
    let hits = archive.search("projektplan", &SearchOptions { limit: 50, ..SearchOptions::default() }).expect("search").hits;
    assert!(hits.iter().any(|h| h.document == "stromsund-socialnamnd-2022-11-17" && h.item.is_none()), "{hits:?}");
    // Items rank before text outside them, and `items_only` leaves the latter out.
    let items_only = SearchOptions { limit: 50, items_only: true, ..SearchOptions::default() };
    let hits = archive.search("Hjemgaard", &items_only).expect("search").hits;
    assert!(!hits.is_empty() && hits.iter().all(|h| h.item.is_some()), "{hits:?}");
}

#[test]
fn an_index_built_with_another_lexicon_is_refused_for_search_and_rebuilt_by_ingest() {
    let dir = tempfile::tempdir().expect("tempdir");
    let docs = tempfile::tempdir().expect("docs");
    std::fs::write(docs.path().join("p.txt"), "Socialnämnden\n§ 1 Familjehemscentrum\nText om familjehemmen.\n").expect("write");
    let (archive, _) = common::index_with(dir.path(), &[docs.path().to_path_buf()], Lexicon::empty());
    drop(archive);
    // Its compiled lexicon gone, the system's is another one: search refuses the index.
    std::fs::remove_file(dir.path().join(protokoll::index::LEXICON_FILE)).expect("remove");
    assert!(Archive::open(dir.path()).is_err());
    let other = Lexicon::from_words(["familjehem", "centrum"], "test");
    let (store, rebuilt) = protokoll::index::store::Store::open(dir.path(), other).expect("rebuild");
    assert_eq!(rebuilt, Some(1));
    store.finish().expect("finish");
    let archive = Archive::open(dir.path()).expect("open");
    assert_eq!(archive.lexicon.fingerprint, Lexicon::from_words(["familjehem", "centrum"], "test").fingerprint);
    assert_eq!(archive.search("centrum", &SearchOptions::default()).expect("search").hits.len(), 1);
}

#[test]
fn search_json_follows_the_contract() {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = common::protokoll().args(["ingest", "--index"]).arg(dir.path()).arg(corpus("html")).output().expect("run");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let out = common::protokoll().args(["search", "--json", "--limit", "3", "--index"]).arg(dir.path()).arg("kurator").output().expect("run");
    let v: Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(v["query"], "kurator");
    assert_eq!(v["hits"][0]["document"], "svom-2023-10-13");
    assert_eq!(v["hits"][0]["item"], "38");
    assert_eq!(v["hits"][0]["date"], "2023-10-13");
    assert!(v["facets"]["year"]["2023"].as_u64().is_some());
    let none = common::protokoll().args(["search", "--index"]).arg(dir.path()).arg("xyzzyplugh").output().expect("run");
    assert_eq!(none.status.code(), Some(1), "no match exits 1");
}

/// What a user may type that the search must bound or read right: huge `--limit` and
/// `--offset`, a pasted page as a query, a query that starts with an excluded word, and
/// output into a pipe that closes early.
#[test]
fn search_input_is_bounded_and_read_as_typed() {
    let dir = tempfile::tempdir().expect("temp dir");
    let out = common::protokoll().args(["ingest", "--index"]).arg(dir.path()).arg(corpus("html")).output().expect("run");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let search = |args: &[&str]| common::protokoll().args(["search", "--index"]).arg(dir.path()).args(args).output().expect("run");
    let total = |out: &std::process::Output| -> u64 {
        serde_json::from_slice::<serde_json::Value>(&out.stdout).ok().and_then(|v| v["total"].as_u64()).expect("search --json prints a total")
    };

    for (args, says) in [
        (vec!["--limit", "1000000000", "kurator"], "--limit"),
        (vec!["--limit", "99999999999999999999999", "kurator"], "--limit"),
        (vec!["--limit", "0", "kurator"], "--limit"),
        (vec!["--offset", "99999999999999999999999", "kurator"], "--offset"),
    ] {
        let out = search(&args);
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {err}");
        assert!(err.contains(says) && err.contains("går inte"), "{args:?} says why in Swedish: {err}");
    }

    let long = "familjehem ".repeat(10_000);
    let words = (0..100).map(|i| format!("ord{i}")).collect::<Vec<_>>().join(" ");
    for query in [long.as_str(), words.as_str()] {
        let out = search(&[query]);
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2));
        assert!(err.contains("ogiltig sökfråga") && err.contains("högst"), "a query beyond the bounds says them: {err}");
    }

    // An excluded word first, in each way of writing it, with options after it.
    let plain = total(&search(&["--json", "kurator"]));
    let without = total(&search(&["--json", "kurator", "-samverkan"]));
    assert!(without < plain, "the excluded word narrows: {without} of {plain}");
    for args in [vec!["-samverkan", "kurator", "--json"], vec!["--json", "--", "-samverkan", "kurator"], vec!["--json", "-samverkan kurator"]] {
        let out = search(&args);
        assert!(out.status.code().is_some_and(|c| c <= 1), "{args:?}: {}", String::from_utf8_lossy(&out.stderr));
        assert_eq!(total(&out), without, "{args:?}");
    }

    // A reader that stops at once: no complaint about the pipe.
    let mut child = common::protokoll()
        .args(["search", "--limit", "1000", "--index"])
        .arg(dir.path())
        .arg("och")
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("run");
    drop(child.stdout.take());
    let out = child.wait_with_output().expect("wait");
    assert!(String::from_utf8_lossy(&out.stderr).is_empty(), "a closed pipe ends quietly: {}", String::from_utf8_lossy(&out.stderr));
}
