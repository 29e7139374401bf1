//! Extraction on the real documents of `corpus/`: text quality against
//! `pdftotext -layout`, HTML charsets and boilerplate, encryption, OCR and bad input.

mod common;

use common::{corpus, pdftotext, protokoll, word_f1};
use protokoll::extract::{self, ExtractError, Options};

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
    assert!(err.to_string().contains("lösenord") && err.to_string().contains("password"));
}

#[test]
fn scanned_copy_reads_through_ocr() {
    let scanned = extract::extract_path(&corpus("scanned/socsam-2021-10-08-skannad.pdf"), &Options::default())
        .expect("OCR needs tesseract-ocr and tesseract-ocr-swe (see README)");
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
