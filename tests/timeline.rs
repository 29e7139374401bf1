//! Timelines over an index of `corpus/` against `tests/gold/timelines.json`: every
//! expected event, in date order, and nothing else; cited decisions marked as such.

mod common;

use common::{corpus, gold};
use protokoll::timeline;
use serde_json::Value;

#[test]
fn expected_timelines_exactly() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (archive, _) = common::index(dir.path(), &[corpus("")]);
    let expected: Value = serde_json::from_str(&std::fs::read_to_string(gold("timelines.json")).expect("gold")).expect("json");
    for t in expected.as_array().expect("array") {
        let topic = t["topic"].as_str().expect("topic");
        let got = timeline::timeline(&archive, topic).expect("timeline");
        let got_keys: Vec<(String, String, String, bool)> =
            got.events.iter().map(|e| (e.date.map(|d| d.to_string()).unwrap_or_default(), e.document.clone(), e.item.clone(), e.via_reference)).collect();
        let want: Vec<(String, String, String, bool)> = t["events"]
            .as_array()
            .expect("events")
            .iter()
            .map(|e| {
                let s = |i: usize| e[i].as_str().unwrap_or_else(|| panic!("{topic}: event field {i} of {e}")).to_string();
                (s(0), s(1), s(2), e.get(3).and_then(Value::as_str) == Some("via_reference"))
            })
            .collect();
        assert_eq!(got_keys, want, "{topic}");
        let text = timeline::to_text(&got);
        assert!(text.lines().filter(|l| l.starts_with("  20")).count() == want.len(), "{topic}: one line per event\n{text}");
        let html = protokoll::web::timeline_html(&archive, &got);
        assert!(html.starts_with("<!DOCTYPE html>") && !html.contains("<script"), "{topic}: self-contained page");
        assert_eq!(html.matches("<li class=\"handelse").count(), want.len(), "{topic}: one card per event");
        // Links to the sources are file: URLs at the event's page, never bare paths.
        assert!(!html.contains("href=\"/"), "{topic}: no absolute path as a link");
        assert!(got.events.iter().all(|e| e.via_reference || html.contains(&format!("#page={}", e.page.max(1)))), "{topic}: sources opened at their page");
    }
}

#[test]
fn timeline_json_and_html_from_the_command() {
    let dir = tempfile::tempdir().expect("tempdir");
    let ingest = common::protokoll().args(["ingest", "--index"]).arg(dir.path()).arg(corpus("pdf")).output().expect("run");
    assert!(ingest.status.success());
    let out = common::protokoll().args(["timeline", "--json", "--index"]).arg(dir.path()).arg("utskrivning från slutenvård").output().expect("run");
    let v: Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(v["events"][0]["via_reference"], true);
    assert_eq!(v["events"][0]["body"], "SVOM");
    assert_eq!(v["events"][0]["date"], "2022-10-07");
    assert_eq!(v["events"][1]["document"], "stromsund-socialnamnd-2022-11-17");
    let page = dir.path().join("t.html");
    let html = common::protokoll().args(["timeline", "--index"]).arg(dir.path()).arg("--html").arg(&page).arg("Centrum mot våld").output().expect("run");
    assert!(html.status.success());
    let text = std::fs::read_to_string(&page).expect("page");
    assert!(text.contains("Sociala samrådsgruppen (SocSam)") && text.contains("Socialnämnden"));
}

#[test]
fn citations_count_when_on_the_topic() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (archive, _) = common::index(dir.path(), &[corpus("html"), corpus("pdf/socsam-2021-10-08.pdf")]);
    let cited = |topic: &str| -> Vec<String> {
        let t = timeline::timeline(&archive, topic).expect("timeline");
        t.events.iter().filter(|e| e.via_reference).map(|e| format!("{} {}", e.body, e.date.map(|d| d.to_string()).unwrap_or_default())).collect()
    };
    // svom-2023-10-13 § 38 is about Ungdomsmottagningen: both decisions it cites belong.
    assert_eq!(cited("Ungdomsmottagningen"), ["SVOM 2023-02-24", "SamReKo HSI 2023-05-12"]);
    // It mentions the kurator in passing; neither citation is about that.
    assert!(cited("kurator").is_empty());
    // Only the citing sentence that names an arbetsgrupp; § 38 itself, a case
    // description without a decision, is not an event of that topic, but its citation is.
    assert_eq!(cited("arbetsgrupp"), ["SVOM 2023-02-24"]);
    // SocSam § 48 has "arbetsgrupp"; items that only have "arbete" and "gruppen" apart are not events.
    let t = timeline::timeline(&archive, "arbetsgrupp").expect("timeline");
    assert!(!t.events.is_empty(), "arbetsgrupp has events");
    assert!(t.events.iter().all(|e| e.title.contains("Ungdomsmottagningen") || e.title.contains("Familjehemscentrum")), "{:?}", t.events);
}
