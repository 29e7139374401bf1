//! The archive-scale tests over generated protocols (`tests/common/archive.rs`): the
//! generator's protocols parse as generated.

mod common;

use common::archive;
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
