//! Hostile inputs, made here by generators: each must extract (and parse) without a
//! panic, keep its output bounded, and say what it left out in one Swedish warning or
//! refuse in one Swedish line. What testers found: a page tree that repeats one page,
//! megabytes on one line or in one run of tabs, HTML with huge attribute lists or deep
//! nesting, unmappable fonts that send every page to OCR, FIFOs and devices, UTF-16 and
//! mislabelled charsets, archives by any name, file names that are not UTF-8.
//!
//! No assertion here is on time (see benches/ and the figures in the commit messages):
//! the bounds are asserted by what the output holds.

mod common;

use std::path::Path;
use std::process::Stdio;
use std::time::{Duration, Instant};

use common::protokoll;
use protokoll::extract::{self, ExtractError, Extracted, Options, html, limits, ocr, pdf};
use protokoll::parse;

fn stream(data: &[u8]) -> Vec<u8> {
    let mut s = format!("<< /Length {} >>\nstream\n", data.len()).into_bytes();
    s.extend_from_slice(data);
    s.extend_from_slice(b"\nendstream");
    s
}

const TEXT: &[u8] = b"BT /F1 12 Tf 72 720 Td (Protokoll fort vid sammantradet med socialnamnden) Tj ET";
const HELVETICA: &[u8] = b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>";
const PAGE: &[u8] = b"<< /Type /Page /MediaBox [0 0 612 792] /Contents 3 0 R /Resources << /Font << /F1 5 0 R >> >> >>";

fn extract(bytes: &[u8], name: &str) -> Extracted {
    extract::extract_bytes(bytes, name, &Options::default()).unwrap_or_else(|e| panic!("{name}: {e}"))
}

fn refusal(bytes: &[u8], name: &str) -> String {
    let err = extract::extract_bytes(bytes, name, &Options::default()).expect_err(name).to_string();
    assert_eq!(err.lines().count(), 1, "{err}");
    err
}

/// The meeting as JSON, as `parse --json` prints it and the index stores it.
fn json_of(doc: &Extracted, name: &str, bytes: &[u8]) -> String {
    serde_json::to_string(&parse::parse(doc, Path::new(name), bytes)).expect("json")
}

fn chars(doc: &Extracted) -> usize {
    doc.pages.iter().flat_map(|p| &p.lines).flat_map(|l| &l.cells).map(|c| c.text.chars().count()).sum()
}

fn has_warning(doc: &Extracted, start: &str) -> bool {
    doc.warnings.iter().any(|w| w.starts_with(start))
}

#[test]
fn a_page_tree_that_repeats_one_page_gives_one_counted_warning() {
    // 97 KB: /Kids names page 4 fifteen thousand times.
    let kids = vec!["4 0 R"; 15_000].join(" ");
    let flat = common::archive::raw_pdf(&[
        b"<< /Type /Catalog /Pages 2 0 R >>".to_vec(),
        format!("<< /Type /Pages /Kids [{kids}] /Count 15000 >>").into_bytes(),
        stream(TEXT),
        PAGE.to_vec(),
        HELVETICA.to_vec(),
    ]);
    let doc = extract(&flat, "upprepad.pdf");
    assert_eq!(doc.pages.len(), 1);
    // The tree names more nodes than are walked: the walk stops there too.
    assert_eq!(doc.warnings.len(), 2, "{:?}", doc.warnings);
    assert!(doc.warnings[0].starts_with("sidträdet innehåller sig självt eller nämner en sida flera gånger: "), "{:?}", doc.warnings);
    assert_eq!(doc.warnings[1], format!("sidträdet har fler än {} noder; resten hoppades över", pdf::MAX_PAGE_TREE_NODES));
    assert!(json_of(&doc, "upprepad.pdf", &flat).len() < 4_000);

    // Inline Pages nodes sharing their /Kids arrays: 8^12 paths to one page in 4 KB.
    let mut objects = vec![b"<< /Type /Catalog /Pages 2 0 R >>".to_vec(), b"<< /Type /Pages /Kids 6 0 R /Count 1 >>".to_vec(), stream(TEXT), PAGE.to_vec()];
    objects.push(HELVETICA.to_vec());
    for level in 0..12 {
        let kid = if level < 11 { format!("<< /Type /Pages /Kids {} 0 R >>", 7 + level) } else { "4 0 R".to_string() };
        objects.push(format!("[{}]", vec![kid; 8].join(" ")).into_bytes());
    }
    let nested = common::archive::raw_pdf(&objects);
    let doc = extract(&nested, "nästlad.pdf");
    assert_eq!(doc.pages.len(), 1);
    assert_eq!(doc.warnings.len(), 1, "{:?}", doc.warnings);
    assert!(doc.warnings[0].starts_with("sidträdet innehåller sig självt eller nämner en sida flera gånger"), "{:?}", doc.warnings);
}

#[test]
fn a_pdf_of_one_long_array_is_refused_before_it_is_loaded() {
    let mut array = b"[".to_vec();
    array.extend(std::iter::repeat_n(&b"0 "[..], pdf::prescan::MAX_PDF_TOKENS).flatten());
    array.push(b']');
    let bytes = common::archive::raw_pdf(&[
        b"<< /Type /Catalog /Pages 2 0 R >>".to_vec(),
        b"<< /Type /Pages /Kids [4 0 R] >>".to_vec(),
        stream(TEXT),
        PAGE.to_vec(),
        HELVETICA.to_vec(),
        array,
    ]);
    assert!(refusal(&bytes, "lång.pdf").starts_with("trasig PDF: filen har fler än 1500000 värden"));
}

#[test]
fn one_string_of_millions_of_characters_stops_at_the_glyph_bound() {
    let mut content = b"BT /F1 1 Tf 0 0 Td (".to_vec();
    content.extend(std::iter::repeat_n(b'a', 3 * pdf::content::MAX_GLYPHS_PER_PAGE));
    content.extend_from_slice(b") Tj ET");
    let bytes = common::archive::raw_pdf(&[
        b"<< /Type /Catalog /Pages 2 0 R >>".to_vec(),
        b"<< /Type /Pages /Kids [4 0 R] >>".to_vec(),
        stream(&content),
        PAGE.to_vec(),
        HELVETICA.to_vec(),
    ]);
    let doc = extract(&bytes, "lång-sträng.pdf");
    assert!(chars(&doc) <= pdf::content::MAX_GLYPHS_PER_PAGE);
    assert_eq!(doc.warnings, vec![format!("sida 1: sidan har fler än {} tecken; resten hoppades över", pdf::content::MAX_GLYPHS_PER_PAGE)]);
}

#[test]
fn ocr_of_an_unmappable_font_stops_at_the_files_deadline() {
    // 80 pages whose Type0 font has no ToUnicode: every page goes to pdftoppm and OCR.
    let pages = 80;
    let mut objects = vec![
        b"<< /Type /Catalog /Pages 2 0 R >>".to_vec(),
        Vec::new(),
        b"<< /Type /Font /Subtype /Type0 /BaseFont /Okand /Encoding /Identity-H /DescendantFonts [4 0 R] >>".to_vec(),
        b"<< /Type /Font /Subtype /CIDFontType2 /BaseFont /Okand /CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> /DW 500 >>".to_vec(),
    ];
    let mut kids = Vec::new();
    for _ in 0..pages {
        objects.push(stream(format!("BT /F1 12 Tf 72 720 Td <{}> Tj ET", "0041004200430044004500460047004800490050".repeat(10)).as_bytes()));
        objects.push(
            format!("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents {} 0 R /Resources << /Font << /F1 3 0 R >> >> >>", objects.len())
                .into_bytes(),
        );
        kids.push(format!("{} 0 R", objects.len()));
    }
    objects[1] = format!("<< /Type /Pages /Kids [{}] /Count {pages} >>", kids.join(" ")).into_bytes();
    let bytes = common::archive::raw_pdf(&objects);
    let options = Options { time_limit: Duration::from_secs(2), ..Options::default() };
    let result = extract::extract_bytes(&bytes, "okänt-typsnitt.pdf", &options);
    match ocr::available() {
        Ok(()) => {
            // OCR reads about a page a second: 80 pages cannot all be read in 2 s.
            match result {
                Ok(doc) => assert!(
                    doc.warnings.iter().any(|w| w.starts_with("tidsgränsen på 2 s nåddes: ") && w.contains(" av 80 sidor lästes helt")),
                    "{:?}",
                    doc.warnings
                ),
                Err(e) => assert_eq!(e.to_string(), "tidsgränsen på 2 s överskreds"),
            }
        }
        Err(e) => {
            let err = result.expect_err("no text without OCR").to_string();
            assert!(err.contains(&e.to_string()), "{err}");
        }
    }
}

#[test]
fn twenty_megabytes_on_one_line_are_cut_to_the_document_bound() {
    let line = "sammanträdet beslutade att godkänna förslaget ".repeat(20 * 1024 * 1024 / 47);
    let doc = extract(line.as_bytes(), "en-rad.txt");
    let longest = doc.pages.iter().flat_map(|p| &p.lines).map(|l| l.text().chars().count()).max().unwrap_or(0);
    assert!(longest <= limits::MAX_LINE_CHARS, "{longest}");
    assert!(chars(&doc) <= limits::MAX_DOCUMENT_CHARS);
    assert_eq!(
        doc.warnings[0],
        format!("filen är större än {} MiB: bara de första {} MiB lästes", extract::MAX_TEXT_BYTES >> 20, extract::MAX_TEXT_BYTES >> 20)
    );
    assert!(has_warning(&doc, &format!("dokumentet har mer än {} tecken", limits::MAX_DOCUMENT_CHARS)), "{:?}", doc.warnings);
    let json = json_of(&doc, "en-rad.txt", line.as_bytes());
    assert!(json.len() < 2 * limits::MAX_DOCUMENT_CHARS, "{}", json.len());
}

#[test]
fn a_megabyte_of_tabs_is_read_in_one_pass() {
    let mut text = b"Protokoll".to_vec();
    text.extend(std::iter::repeat_n(b'\t', 1024 * 1024));
    text.extend_from_slice(b"slut\n");
    let doc = extract(&text, "tabbar.txt");
    let all = doc.text();
    assert!(all.contains("Protokoll") && all.contains("slut"));
    assert!(all.len() < 100_000, "{}", all.len());
}

#[test]
fn an_element_with_200_000_attributes_keeps_64() {
    let attrs: Vec<String> = (0..200_000).map(|i| format!("a{i}=\"v\"")).collect();
    let page = format!("<html><body><main><p {}>Protokoll § 1</p></main></body></html>", attrs.join(" "));
    let doc = extract(page.as_bytes(), "attribut.html");
    assert_eq!(doc.text().trim(), "Protokoll § 1");
    assert_eq!(doc.warnings, vec![format!("element med fler än {} attribut: {} attribut hoppades över", html::MAX_ATTRIBUTES, 200_000 - html::MAX_ATTRIBUTES)]);
}

#[test]
fn elements_nested_100_000_deep_keep_their_text() {
    let page = format!("<html><body><main>{}Protokoll § 1{}</main></body></html>", "<div>".repeat(100_000), "</div>".repeat(100_000));
    let doc = extract(page.as_bytes(), "djup.html");
    assert_eq!(doc.text().trim(), "Protokoll § 1");
    let dropped = 100_000 - (html::MAX_DEPTH - 1);
    assert_eq!(doc.warnings, vec![format!("element nästlade djupare än {} nivåer: {dropped} taggar hoppades över och deras text behölls", html::MAX_DEPTH)]);
    // Unclosed formatting elements and a million comments are bounded too.
    let page = format!("<main>{}Protokoll{}</main>", "<b>".repeat(100_000), "<!---->".repeat(300_000));
    let doc = extract(page.as_bytes(), "fet.html");
    assert_eq!(doc.text().trim(), "Protokoll");
    assert!(has_warning(&doc, &format!("sidan har fler än {} element", html::MAX_NODES)), "{:?}", doc.warnings);
}

#[test]
fn text_in_many_pages_and_items_is_bounded() {
    let pages = "Protokoll\n\x0c".repeat(limits::MAX_PAGES + 100);
    let doc = extract(pages.as_bytes(), "sidor.txt");
    assert_eq!(doc.pages.len(), limits::MAX_PAGES);
    assert_eq!(doc.warnings, vec![format!("fler än {} sidor; resten hoppades över", limits::MAX_PAGES)]);

    let items: String = (1..=parse::MAX_ITEMS + 10).map(|i| format!("§ {i} Ärende {i}\nSocialnämnden beslutar att godkänna.\n\n")).collect();
    let text = format!("Protokoll Socialnämnden 2022-11-17\n\n{items}");
    let doc = extract(text.as_bytes(), "ärenden.txt");
    let meeting = parse::parse(&doc, Path::new("ärenden.txt"), text.as_bytes());
    assert_eq!(meeting.items.len(), parse::MAX_ITEMS);
    assert!(meeting.warnings.contains(&format!("fler än {} ärenden (§): resten finns i texten utanför ärendena", parse::MAX_ITEMS)), "{:?}", meeting.warnings);
    assert!(meeting.outside_items.iter().any(|p| p.text.contains(&format!("§ {} Ärende", parse::MAX_ITEMS + 10))), "the rest stays searchable");
}

const PAGE_HTML: &str = "<html><head><title>Protokoll</title></head><body><main><h1>Socialnämnden</h1><p>§ 1 Mötets öppnande. Ordföranden förklarar sammanträdet öppnat.</p></main></body></html>";

#[test]
fn a_byte_order_mark_wins_over_any_declared_charset() {
    for (bom, name) in [(&b"\xff\xfe"[..], "le"), (b"\xfe\xff", "be")] {
        let units: Vec<u16> = PAGE_HTML.replace("<head>", "<head><meta charset=\"windows-1252\">").encode_utf16().collect();
        let mut bytes = bom.to_vec();
        bytes.extend(units.iter().flat_map(|u| if name == "le" { u.to_le_bytes() } else { u.to_be_bytes() }));
        for file in [format!("utf16{name}.html"), format!("utf16{name}.htm"), format!("utf16{name}")] {
            let doc = extract(&bytes, &file);
            assert!(doc.text().contains("§ 1 Mötets öppnande."), "{file}: {}", doc.text());
        }
    }
    let mut text = b"\xff\xfe".to_vec();
    text.extend("Protokoll\n§ 1 Mötets öppnande\n".encode_utf16().flat_map(u16::to_le_bytes));
    assert!(extract(&text, "utf16.txt").text().contains("§ 1 Mötets öppnande"));
    let utf8_bom = format!("\u{feff}{}", PAGE_HTML.replace("<head>", "<head><meta charset=\"iso-8859-1\">"));
    let doc = extract(utf8_bom.as_bytes(), "bom.html");
    assert!(doc.text().contains("Mötets öppnande") && doc.warnings.is_empty(), "{:?}", doc.warnings);
}

#[test]
fn a_declared_charset_the_bytes_contradict_is_overruled_with_a_warning() {
    let lying = PAGE_HTML.replace("<head>", "<head><meta http-equiv=\"Content-Type\" content=\"text/html; charset=ISO-8859-1\">");
    let doc = extract(lying.as_bytes(), "utf8.html");
    assert!(doc.text().contains("§ 1 Mötets öppnande."), "{}", doc.text());
    assert_eq!(doc.warnings, vec!["sidan anger teckenkodningen ISO-8859-1 men är skriven i UTF-8; den lästes som UTF-8"]);

    let latin1: Vec<u8> = PAGE_HTML.replace("<head>", "<head><meta charset=\"utf-8\">").chars().map(|c| u8::try_from(u32::from(c)).expect("latin-1")).collect();
    let doc = extract(&latin1, "latin1.html");
    assert!(doc.text().contains("§ 1 Mötets öppnande."), "{}", doc.text());
    assert_eq!(doc.warnings, vec!["sidan anger teckenkodningen UTF-8 men är inte skriven i den; den lästes som Windows-1252 (Latin-1)"]);
}

/// A zip archive holding one stored file.
fn zip_with(name: &str, data: &[u8]) -> Vec<u8> {
    use std::io::Write;
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    zip.start_file(name, options).expect("zip");
    zip.write_all(data).expect("zip");
    zip.finish().expect("zip").into_inner()
}

#[test]
fn formats_are_known_by_content_whatever_their_names() {
    let pdf = std::fs::read(common::corpus("pdf/socsam-2021-10-08.pdf")).expect("corpus");
    let zip = zip_with("protokoll.pdf", &pdf);
    // A spanned archive's marker, or anything before the archive, put %PDF- near the start.
    let mut spanned = b"PK\x07\x08".to_vec();
    spanned.extend_from_slice(&zip);
    let mut prefixed = "självuppackande ".as_bytes().to_vec();
    prefixed.extend_from_slice(&zip);
    for (bytes, name) in [(&zip, "arkiv.zip"), (&spanned, "arkiv.zip"), (&prefixed, "arkiv.zip"), (&zip, "arkiv")] {
        assert_eq!(refusal(bytes, name), "inte ett protokoll: ZIP-arkiv (packa upp det och läs filerna i det)", "{name}");
    }
    assert_eq!(refusal(&zip, "arkiv.pdf"), "inte en PDF: ZIP-arkiv (packa upp det och läs filerna i det)");
    assert_eq!(refusal(b"\x1f\x8b\x08\x00\x00\x00\x00\x00", "protokoll.txt"), "inte ett protokoll: gzip-komprimerad fil");
    assert_eq!(
        refusal(b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR", "protokoll.html"),
        "inte ett protokoll: PNG-bild (bilder läses inte; en skannad sida läses när den ligger i en PDF)"
    );
    assert_eq!(refusal(b"\xff\xd8\xff\xe0\0\x10JFIF", "protokoll.pdf"), "inte en PDF: JPEG-bild");
    assert!(matches!(extract::extract_bytes(b"\x7fELF\x02\x01\x01", "x", &Options::default()), Err(ExtractError::NotAProtocol(_))));
}

#[cfg(unix)]
#[test]
fn file_names_that_are_not_utf8_give_distinct_readable_ids() {
    use std::os::unix::ffi::OsStrExt;
    let dir = tempfile::tempdir().expect("tempdir");
    let mut ids = Vec::new();
    for name in [&b"str\xf6msund.txt"[..], b"str\xe5msund.txt", b"str\xf6msund-2.txt"] {
        let path = dir.path().join(std::ffi::OsStr::from_bytes(name));
        std::fs::write(&path, "Protokoll\n§ 1 Mötets öppnande\n").expect("write");
        let doc = extract::extract_path(&path, &Options::default()).expect("extract");
        ids.push(parse::parse(&doc, &path, b"").id);
    }
    assert_eq!(ids, vec!["strömsund", "stråmsund", "strömsund-2"]);
}

/// Runs `protokoll` with arguments, failing (not hanging) if it does not end within a
/// minute.
fn run_bounded(args: &[&std::ffi::OsStr]) -> std::process::Output {
    let mut child = protokoll().args(args).stdin(Stdio::null()).stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().expect("run protokoll");
    let started = Instant::now();
    while child.try_wait().expect("wait").is_none() {
        if started.elapsed() > Duration::from_secs(60) {
            let _ = child.kill();
            panic!("protokoll {args:?} did not end");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    child.wait_with_output().expect("output")
}

#[cfg(unix)]
#[test]
fn fifos_and_devices_are_refused_without_reading_them() {
    let dir = tempfile::tempdir().expect("tempdir");
    let fifo = dir.path().join("protokoll.pdf");
    let status = std::process::Command::new("mkfifo").arg(&fifo).status().expect("mkfifo");
    assert!(status.success());
    // In a thread, so that a read that blocked would fail the test instead of hanging it.
    let (tx, rx) = std::sync::mpsc::channel();
    let path = fifo.clone();
    std::thread::spawn(move || {
        let _ = tx.send(extract::extract_path(&path, &Options::default()).map(|_| ()).map_err(|e| e.to_string()));
    });
    let result = rx.recv_timeout(Duration::from_secs(30)).expect("extract of a FIFO must not block");
    assert_eq!(result, Err("inte en vanlig fil: en namngiven pipe (FIFO)".to_string()));
    assert_eq!(extract::read_file(Path::new("/dev/zero")).map(|_| ()).map_err(|e| e.to_string()), Err("inte en vanlig fil: en enhetsfil".to_string()));

    for (command, file) in [("extract", fifo.as_os_str()), ("parse", fifo.as_os_str()), ("parse", "/dev/zero".as_ref()), ("extract", "/dev/zero".as_ref())] {
        let out = run_bounded(&[command.as_ref(), file]);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{command} {file:?}: {stderr}");
        assert_eq!(stderr.lines().count(), 1, "{stderr}");
        assert!(stderr.contains("inte en vanlig fil"), "{stderr}");
    }

    // Ingest of the folder and of the FIFO named on the command line goes on past it.
    std::fs::copy(common::corpus("pdf/socsam-2021-10-08.pdf"), dir.path().join("socsam.pdf")).expect("copy");
    let index_dir = tempfile::tempdir().expect("tempdir");
    let index = index_dir.path().join("index");
    let out = run_bounded(&["ingest".as_ref(), "--index".as_ref(), index.as_os_str(), dir.path().as_os_str(), fifo.as_os_str()]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.starts_with("Lade till 1 dokument"), "{stdout}");
    assert!(stdout.contains("protokoll.pdf: inte en vanlig fil"), "{stdout}");
}
