//! Extraction on the real documents of `corpus/`: text quality against
//! `pdftotext -layout`, HTML charsets and boilerplate, encryption, OCR and bad input; and
//! the Word and OpenDocument renderings of the layout suite (`tests/layouts/word/`).

mod common;

use common::{corpus, pdftotext, protokoll, word_f1};
use protokoll::extract::{self, ExtractError, Extracted, Options};
use protokoll::model::Format;

fn text_of(rel: &str) -> String {
    extract::extract_path(&corpus(rel), &Options::default()).unwrap_or_else(|e| panic!("{rel}: {e}")).text()
}

#[test]
fn every_corpus_pdf_matches_pdftotext_words() {
    for entry in std::fs::read_dir(corpus("pdf")).expect("corpus/pdf") {
        let path = entry.expect("entry").path();
        let reference = pdftotext(&path);
        let got = extract::extract_path(&path, &Options::default()).expect("extract").text();
        let f1 = word_f1(&reference, &got);
        assert!(f1 >= 0.99, "{}: word F1 {f1:.4} against pdftotext", path.display());
    }
}

#[test]
fn pages_are_separated_by_form_feeds() {
    let text = text_of("pdf/socsam-2021-10-08.pdf");
    assert_eq!(text.matches('\x0c').count(), 3);
    assert!(text.contains("§ 48 Avtal Familjehemscentrum"));
}

#[test]
fn participant_rows_stay_together_when_cells_wrap() {
    let text = text_of("pdf/socsam-2022-06-03.pdf");
    let row = text.lines().find(|l| l.contains("Lise Hjemgaard Svensson")).expect("row");
    for part in ["(M) ordförande", "Östersunds kommun", "Ordf. Vård och omsorgsnämnden"] {
        assert!(row.contains(part), "{part:?} not on the row {row:?}");
    }
}

#[test]
fn standard_type1_fonts_without_widths_keep_words_apart() {
    // ReportLab's unembedded Helvetica: widths come from the standard-14 metrics.
    let text = text_of("pdf/stromsund-socialnamnd-2022-11-17.pdf");
    assert!(text.contains("Diarienummer SN.2022.471 704"));
    assert!(text.contains("Socialnämnden beslutar att"));
}

#[test]
fn latin1_page_gives_the_words_of_the_utf8_page() {
    let utf8 = text_of("html/svom-2023-10-13.html");
    let latin1 = text_of("bad/svom-2023-10-13-latin1.html");
    let f1 = word_f1(&utf8, &latin1);
    assert!(f1 >= 0.99, "F1 {f1}");
}

#[test]
fn portal_page_keeps_the_agenda_and_drops_the_chrome() {
    let text = text_of("html/svom-2023-10-13.html");
    assert!(text.contains("§ 29 Sammanträdet öppnas"));
    assert!(text.contains("SVOM beslutade vid sitt sammanträde 24/2 2023 att:"), "hidden accordion bodies are kept");
    for chrome in ["Vi använder cookies", "Hoppa över navigering", "Relaterade möten", "Tillgänglighetsredogörelse", "Sök på webbplatsen"] {
        assert!(!text.contains(chrome), "{chrome:?} should be dropped");
    }
}

#[test]
fn empty_user_password_opens_like_the_plain_file() {
    let plain = text_of("pdf/socsam-2021-10-08.pdf");
    let encrypted = text_of("bad/encrypted-no-user-password.pdf");
    assert!(word_f1(&plain, &encrypted) >= 0.99);
}

#[test]
fn a_real_user_password_is_refused_as_such() {
    let err = extract::extract_path(&corpus("bad/encrypted-user-password.pdf"), &Options::default()).unwrap_err();
    assert!(matches!(err, ExtractError::PasswordProtected));
    assert!(err.to_string().contains("lösenord") && !err.to_string().contains("password"), "{err}");
}

#[test]
fn scanned_copy_reads_through_ocr() {
    // OCR quality, not the time limit (tests/hostile.rs): the tests of this file run side
    // by side, and on two loaded cores three pages of OCR can pass the default limit.
    let options = Options { time_limit: std::time::Duration::from_secs(600), ..Options::default() };
    let scanned =
        extract::extract_path(&corpus("scanned/socsam-2021-10-08-skannad.pdf"), &options).expect("OCR needs tesseract-ocr and tesseract-ocr-swe (see README)");
    assert!(scanned.warnings.is_empty(), "{:?}", scanned.warnings);
    assert!(scanned.ocr);
    let f1 = word_f1(&pdftotext(&corpus("pdf/socsam-2021-10-08.pdf")), &scanned.text());
    assert!(f1 >= 0.90, "OCR word F1 {f1:.3}");
}

/// What `corpus/README.md` expects of each bad input: text, or a refusal naming why.
const BAD_INPUTS: &[(&str, Option<&str>)] = &[
    ("badstartxref.pdf", None),
    ("noxref.pdf", None),
    ("corrupted-streams.pdf", None),
    ("form_loop.pdf", None),
    ("encrypted-no-user-password.pdf", None),
    ("svom-2023-10-13-latin1.html", None),
    ("truncated.pdf", Some("trasig PDF")),
    ("empty.pdf", Some("tom fil")),
    ("not-a-pdf.pdf", Some("inte en PDF: HTML-sida")),
    ("binary-garbage.html", Some("binärdata")),
    ("bomb.pdf", Some("dekomprimeringsbomb")),
    ("deep_obj.pdf", Some("ingen text")),
    ("deep_content.pdf", Some("nästlade")),
    ("cycle.pdf", Some("sidträdet innehåller sig självt")),
    ("nofont.pdf", Some("utan typsnitt")),
    ("encrypted-user-password.pdf", Some("lösenordsskyddad")),
];

#[test]
fn bad_inputs_give_text_or_one_line_of_refusal() {
    for (name, refusal) in BAD_INPUTS {
        let path = corpus(&format!("bad/{name}"));
        let out = protokoll().arg("extract").arg(&path).output().expect("run protokoll");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(!stderr.contains("panicked"), "{name}: {stderr}");
        match refusal {
            None => {
                assert!(out.status.success(), "{name} should give text: {stderr}");
                assert!(!out.stdout.is_empty(), "{name}");
            }
            Some(reason) => {
                assert_eq!(out.status.code(), Some(2), "{name}");
                assert!(out.stdout.is_empty(), "{name}: nothing on stdout");
                assert_eq!(stderr.lines().count(), 1, "{name}: one line, got {stderr:?}");
                assert!(stderr.contains(reason), "{name}: {stderr:?} should say {reason:?}");
            }
        }
    }
}

fn layout_word(name: &str) -> Extracted {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/layouts/word").join(name);
    extract::extract_path(&path, &Options::default()).unwrap_or_else(|e| panic!("{name}: {e}"))
}

fn line_texts(doc: &Extracted) -> Vec<String> {
    doc.pages.iter().flat_map(|p| p.lines.iter().map(|l| l.text())).collect()
}

#[test]
fn word_auto_numbers_come_out_as_the_item_numbers() {
    for (name, format) in [("vastmark-lns-2023-05-12-docx.docx", Format::Docx), ("vastmark-lns-2023-05-12-odt.odt", Format::Odt)] {
        let doc = layout_word(name);
        assert_eq!(doc.format, format);
        let lines = line_texts(&doc);
        let headings: Vec<&str> = lines
            .iter()
            .map(String::as_str)
            .filter(|l| l.chars().next().is_some_and(|c| c.is_ascii_digit() || c == 'a' || c == 'b') && l.contains(' '))
            .collect();
        for want in [
            "1. Mötets öppnande",
            "4. Information och delgivningar",
            "4.1 Rapport från det nationella nätverket för socialchefer",
            "4.3 Statsbidrag för kompetenshöjande insatser",
            "5. Ekonomi",
            "a) Budget för den länsgemensamma utbildningsdagen",
            "b) Fördelning av kostnader för den regionala socialjouren",
            "8. Nästa möte",
        ] {
            assert!(headings.contains(&want), "{name}: {want:?} not among {headings:?}");
        }
        // The headings are bold lines, as in the PDF.
        let line = doc.pages.iter().flat_map(|p| &p.lines).find(|l| l.text() == "5. Ekonomi").expect("heading");
        assert!(line.bold, "{name}");
    }
    let lines = line_texts(&layout_word("norrmark-nmb-2023-02-03-docx.docx"));
    assert!(lines.iter().any(|l| l == "3) Ny lagstiftning och nationella riktlinjer"), "{lines:?}");
    assert!(lines.iter().any(|l| l.starts_with("3.2 Utredningen om samordnade insatser")), "{lines:?}");
}

#[test]
fn word_table_rows_are_lines_of_cells() {
    for name in ["norrmark-reso-2022-06-10-docx.docx", "norrmark-reso-2022-06-10-odt.odt"] {
        let doc = layout_word(name);
        let row = doc.pages.iter().flat_map(|p| &p.lines).find(|l| l.text().starts_with("Heidi Saari")).expect("participant row");
        let cells: Vec<&str> = row.cells.iter().map(|c| c.text.as_str()).collect();
        assert_eq!(cells, vec!["Heidi Saari (V)", "Region Norrmark", "hälso- och sjukvårdsnämnden"], "{name}");
        // The organisation the running header names stands above the first page.
        assert_eq!(doc.pages[0].lines[0].cells[0].text, "Region Norrmark", "{name}");
    }
    // An attendance table: the marks stand in the columns of their headings.
    let doc = layout_word("strandvik-sn-2022-11-17-odt.odt");
    let lines: Vec<_> = doc.pages.iter().flat_map(|p| &p.lines).collect();
    let head = lines.iter().find(|l| l.text().starts_with("Ersättare\tParti\tTjg\tEj tjg")).expect("heading row");
    let row = lines.iter().find(|l| l.text().starts_with("Berit Lax")).expect("row");
    assert_eq!(row.text(), "Berit Lax\tS\tX");
    assert_eq!(row.cells[2].x, head.cells[3].x, "X stands under Ej tjg");
    assert!(doc.pages.len() > 1, "page breaks start pages");
}

#[test]
fn word_files_that_cannot_be_read_are_refused_in_one_line() {
    let dir = tempfile::tempdir().expect("tempdir");
    let old = dir.path().join("protokoll.doc");
    std::fs::write(&old, b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1\x00\x00\x00\x00\x00\x00\x00\x00").expect("write");
    let docx = std::fs::read(std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/layouts/word/vastmark-lns-2023-05-12-docx.docx")).expect("docx");
    let cut = dir.path().join("avkortad.docx");
    std::fs::write(&cut, &docx[..docx.len() / 2]).expect("write");
    for (path, reason) in [(&old, "gammalt Word-format (.doc) kan inte läsas"), (&cut, "trasigt")] {
        let out = protokoll().arg("extract").arg(path).output().expect("run protokoll");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{stderr}");
        assert!(!stderr.contains("panicked"), "{stderr}");
        assert_eq!(stderr.lines().count(), 1, "{stderr:?}");
        assert!(stderr.contains(reason), "{stderr:?} should say {reason:?}");
    }
}
