//! Import as a user meets it, through the `protokoll` binary: every file of a mixed folder
//! accounted for in the summary, the report and the exit status; Word files searchable;
//! documents told apart by content, not by name; `list`, `remove` and `--prune`.

mod common;

use std::collections::BTreeMap;
use std::path::Path;

use common::protokoll;

/// A folder as archives hold them: Word files, an old .doc, a picture, a cover letter, an
/// empty and a broken PDF, and two files with one name in two year folders.
fn mixed_folder(dir: &Path) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let copy = |from: &str, to: &str| {
        let to = dir.join(to);
        std::fs::create_dir_all(to.parent().expect("parent")).expect("mkdir");
        std::fs::copy(root.join(from), to).expect("copy");
    };
    copy("tests/layouts/word/bergsjo-asn-2019-01-28-docx.docx", "natverk.docx");
    copy("tests/layouts/word/strandvik-sn-2022-11-17-odt.odt", "socialnamnd.odt");
    copy("corpus/bad/truncated.pdf", "trasig.pdf");
    copy("corpus/pdf/socsam-2021-10-08.pdf", "2021/protokoll.pdf");
    copy("corpus/pdf/socsam-2022-06-03.pdf", "2022/protokoll.pdf");
    // An old binary Word file: the OLE compound-file signature.
    std::fs::write(dir.join("gammal.doc"), b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1 gammalt dokument").expect("write");
    std::fs::write(dir.join("bild.jpg"), b"\xff\xd8\xff\xe0\x00\x10JFIF").expect("write");
    std::fs::write(dir.join("tom.pdf"), b"").expect("write");
    std::fs::write(
        dir.join("kallelse.txt"),
        "Kallelse till sammanträde\n\nSocialnämnden kallas till sammanträde tisdagen den 2 maj 2023 kl. 13.00.\n\n\
         Ärenden\n1. Upprop\n2. Val av justerare\n3. Budget 2024\n\nVälkomna!\n",
    )
    .expect("write");
}

fn run(args: &[&std::ffi::OsStr]) -> (i32, String) {
    let out = protokoll().args(args).output().expect("protokoll runs");
    let text = format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    (out.status.code().unwrap_or(-1), text)
}

/// The report's lines by file name.
fn report(path: &Path) -> BTreeMap<String, serde_json::Value> {
    let text = std::fs::read_to_string(path).expect("report");
    text.lines()
        .map(|line| {
            let v: serde_json::Value = serde_json::from_str(line).expect("report line is JSON");
            let p = v["path"].as_str().expect("path").to_string();
            let name = Path::new(&p).strip_prefix(path.parent().expect("dir").join("in")).map(|r| r.display().to_string()).unwrap_or(p);
            (name, v)
        })
        .collect()
}

#[test]
fn every_file_of_a_mixed_folder_is_accounted_for() {
    let work = tempfile::tempdir().expect("tempdir");
    let (input, index, report_path) = (work.path().join("in"), work.path().join("index"), work.path().join("report.jsonl"));
    mixed_folder(&input);
    let (code, out) = run(&["ingest".as_ref(), "--index".as_ref(), index.as_os_str(), input.as_os_str(), "--report".as_ref(), report_path.as_os_str()]);
    assert_eq!(code, 2, "some files refused: exit 2\n{out}");

    // The summary names every file that was not indexed as a protocol, with why.
    for (name, why) in [
        ("gammal.doc", "gammalt Word-format"),
        ("bild.jpg", "okänt format"),
        ("tom.pdf", "tom fil"),
        ("trasig.pdf", "trasig PDF"),
        ("kallelse.txt", "inte ett protokoll (kallelse)"),
    ] {
        assert!(out.lines().any(|l| l.contains(name) && l.contains(why)), "{name}: {why} not in the summary:\n{out}");
    }

    // The report has one line per file, each with its status.
    let lines = report(&report_path);
    let status = |name: &str| lines.get(name).and_then(|v| v["status"].as_str()).unwrap_or("saknas").to_string();
    let expected = [
        ("natverk.docx", "added"),
        ("socialnamnd.odt", "added"),
        ("2021/protokoll.pdf", "added"),
        ("2022/protokoll.pdf", "added"),
        ("kallelse.txt", "added"),
        ("gammal.doc", "refused"),
        ("tom.pdf", "refused"),
        ("trasig.pdf", "refused"),
        ("bild.jpg", "skipped"),
    ];
    assert_eq!(lines.len(), expected.len(), "one line per file: {lines:?}");
    for (name, want) in expected {
        assert_eq!(status(name), want, "{name} in the report");
        let line = &lines[name];
        if want == "added" {
            assert!(line["document_id"].as_str().is_some_and(|id| id.len() == 12), "{name}: document id");
            assert!(line["pages"].as_u64().is_some_and(|p| p >= 1), "{name}: pages");
        } else {
            assert!(line["reason"].as_str().is_some_and(|r| !r.is_empty()), "{name}: a reason");
        }
    }
    assert_eq!(lines["kallelse.txt"]["kind"], "kallelse");

    // The same name in two folders: two documents, each found by its path.
    let (id21, id22) = (lines["2021/protokoll.pdf"]["document_id"].as_str().expect("id"), lines["2022/protokoll.pdf"]["document_id"].as_str().expect("id"));
    assert_ne!(id21, id22);
    for (file, date) in [("2021/protokoll.pdf", "2021-10-08"), ("2022/protokoll.pdf", "2022-06-03")] {
        let (code, out) = run(&["show".as_ref(), "--index".as_ref(), index.as_os_str(), input.join(file).as_os_str(), "--json".as_ref()]);
        assert_eq!(code, 0, "{out}");
        let shown: serde_json::Value = serde_json::from_str(&out).expect("show json");
        assert_eq!(shown["date"], date, "{file}");
    }

    // Word files are searchable: words of their items find them.
    for name in ["natverk.docx", "socialnamnd.odt"] {
        let id = lines[name]["document_id"].as_str().expect("id");
        let (_, out) = run(&["show".as_ref(), "--index".as_ref(), index.as_os_str(), id.as_ref(), "--json".as_ref()]);
        let shown: serde_json::Value = serde_json::from_str(&out).expect("show json");
        let title =
            shown["items"].as_array().and_then(|items| items.iter().filter_map(|i| i["title"].as_str()).max_by_key(|t| t.len())).expect("an item title");
        let word = title.split(|c: char| !c.is_alphabetic()).max_by_key(|w| w.chars().count()).expect("a word");
        let (code, out) =
            run(&["search".as_ref(), "--index".as_ref(), index.as_os_str(), word.as_ref(), "--document".as_ref(), id.as_ref(), "--json".as_ref()]);
        assert_eq!(code, 0, "{out}");
        let found: serde_json::Value = serde_json::from_str(&out).expect("search json");
        assert!(found["total"].as_u64().is_some_and(|n| n >= 1), "{name}: {word} finds nothing");
    }

    // Nothing new: refused files are named again, without being read again.
    let (code, out) = run(&["ingest".as_ref(), "--index".as_ref(), index.as_os_str(), input.as_os_str(), "--report".as_ref(), report_path.as_os_str()]);
    assert_eq!(code, 2, "{out}");
    let again = report(&report_path);
    assert_eq!(again.values().filter(|v| v["status"] == "unchanged").count(), 5);
    assert_eq!(again.values().filter(|v| v["status"] == "refused").count(), 3);
    assert!(out.contains("trasig.pdf"), "{out}");

    // list names each document once, with its path; remove and --prune take documents out.
    let listed = |index: &Path| -> Vec<serde_json::Value> {
        let (code, out) = run(&["list".as_ref(), "--index".as_ref(), index.as_os_str(), "--json".as_ref()]);
        assert_eq!(code, 0, "{out}");
        serde_json::from_str::<Vec<serde_json::Value>>(&out).expect("list json")
    };
    assert_eq!(listed(&index).len(), 5);
    let kallelse = lines["kallelse.txt"]["document_id"].as_str().expect("id");
    let (code, out) = run(&["remove".as_ref(), "--index".as_ref(), index.as_os_str(), kallelse.as_ref()]);
    assert_eq!(code, 0, "{out}");
    std::fs::remove_file(input.join("2021/protokoll.pdf")).expect("rm");
    let (_, out) = run(&["ingest".as_ref(), "--index".as_ref(), index.as_os_str(), input.as_os_str(), "--prune".as_ref()]);
    assert!(out.contains("2021/protokoll.pdf"), "the pruned file is named:\n{out}");
    let ids: Vec<String> = listed(&index).iter().filter_map(|d| d["document_id"].as_str().map(str::to_string)).collect();
    assert_eq!(ids.len(), 4, "{ids:?}");
    assert!(!ids.iter().any(|id| id == id21), "pruned: {ids:?}");
    assert!(ids.iter().any(|id| id == kallelse), "the cover letter is read again: its file is still there");
}

#[test]
fn copies_in_one_import_are_one_document_with_every_path() {
    let work = tempfile::tempdir().expect("tempdir");
    let (input, index, report_path) = (work.path().join("in"), work.path().join("index"), work.path().join("report.jsonl"));
    let original = Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus/pdf/stromsund-socialnamnd-2022-11-17.pdf");
    for i in 0..6 {
        let dir = input.join(format!("kopia{i}"));
        std::fs::create_dir_all(&dir).expect("mkdir");
        std::fs::copy(&original, dir.join("protokoll.pdf")).expect("copy");
    }
    let (code, out) = run(&["ingest".as_ref(), "--index".as_ref(), index.as_os_str(), input.as_os_str(), "--report".as_ref(), report_path.as_os_str()]);
    assert_eq!(code, 0, "{out}");
    let lines = report(&report_path);
    let ids: std::collections::BTreeSet<&str> = lines.values().filter_map(|v| v["document_id"].as_str()).collect();
    assert_eq!(ids.len(), 1, "one content, one id: {lines:?}");
    assert_eq!(lines.values().filter(|v| v["status"] == "added").count(), 1);
    assert_eq!(lines.values().filter(|v| v["status"] == "copy").count(), 5);
    let (_, out) = run(&["list".as_ref(), "--index".as_ref(), index.as_os_str(), "--json".as_ref()]);
    let listed: Vec<serde_json::Value> = serde_json::from_str(&out).expect("list json");
    assert_eq!(listed.len(), 1, "{out}");
    let paths = listed[0]["sources"].as_array().map(Vec::len).unwrap_or(0);
    assert_eq!(paths, 6, "every path is recorded with the document: {out}");
}
