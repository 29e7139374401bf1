//! OCR through the `tesseract` program (Debian: `tesseract-ocr`, `tesseract-ocr-swe`).
//!
//! A scanned page embeds one image; it is handed to tesseract as it is stored when
//! tesseract can read it directly (JPEG, JPEG 2000), or written as a PGM/PPM/PBM file
//! when the PDF stores raw pixels. Tesseract's TSV output gives every word with its box,
//! and the words are mapped back onto the page, so OCR'd text goes through the same
//! layout as a text layer: lines, cells and wrapped table rows.
//!
//! When tesseract is missing, each page that needed it is reported and skipped; the rest
//! of the document still extracts.
//!
//! Every program run here (tesseract, pdftoppm) runs until a deadline: the file's, or
//! [`OCR_PAGE_TIME_LIMIT`] for the page if that comes first. At the deadline it is
//! killed and waited for, so no child outlives the file it was started for.

use std::collections::HashMap;
use std::io::{Read, Write};
use std::process::{Command, Stdio};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

use super::pdf::content::Glyph;
use super::pdf::objects::Matrix;

/// The tesseract language used: Swedish.
pub const OCR_LANGUAGE: &str = "swe";

/// Most time allowed for one page, within the file's own limit. Tesseract takes about
/// 3 s for an A4 page at 200 dpi on one core.
pub const OCR_PAGE_TIME_LIMIT: Duration = Duration::from_secs(90);

/// Marks without letters or digits that tesseract is less sure of than this (0–100)
/// are speckles. Real words can score 0 and are kept.
const MIN_MARK_CONFIDENCE: f32 = 50.0;

/// Boxes lower than this share of the page's median word height are speckles.
const MIN_HEIGHT_OF_MEDIAN: f32 = 0.35;

/// What tesseract reads for a "§" that starts a heading.
const PARAGRAPH_SIGN_MISREADINGS: &[&str] = &["8", "$", "&", "S", "s", "Š", "§§", "$$"];

/// A line box taller than this many median word heights holds more than one line.
const MAX_LINE_OF_MEDIAN_HEIGHT: f32 = 1.6;

/// "$149-161" and "&152": a "§" misread before a number, which "$" and "&" never
/// precede in Swedish protocols.
fn fix_paragraph_sign(word: &str) -> String {
    let mut chars = word.chars();
    match (chars.next(), chars.next()) {
        (Some('$' | '&'), Some(d)) if d.is_ascii_digit() => format!("§{}", &word[1..]),
        _ => word.to_string(),
    }
}

/// How often a running tesseract is checked.
const POLL: Duration = Duration::from_millis(20);

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum OcrError {
    #[error("tesseract saknas; installera tesseract-ocr och tesseract-ocr-swe för att läsa skannade sidor")]
    Missing,
    #[error("tesseract saknar svenska; installera tesseract-ocr-swe")]
    NoSwedish,
    #[error("bildformatet stöds inte för OCR ({0})")]
    UnsupportedImage(String),
    /// A program that failed (tesseract, pdftoppm), named in the reason.
    #[error("{0}")]
    Failed(String),
    #[error("OCR av sidan tog längre än {} s", OCR_PAGE_TIME_LIMIT.as_secs())]
    TimedOut,
}

/// An image ready for tesseract: file bytes, the file name suffix that tells tesseract
/// (leptonica) their format, the pixel size, and where the image sits on the page.
#[derive(Debug, Clone)]
pub struct PageImage {
    pub data: Vec<u8>,
    pub suffix: &'static str,
    pub width: u32,
    pub height: u32,
    /// Maps the image's unit square onto the page (the CTM at `Do`).
    pub placement: Matrix,
}

/// Whether tesseract with Swedish can run here; checked once per process.
pub fn available() -> Result<(), OcrError> {
    static STATE: OnceLock<Result<(), OcrError>> = OnceLock::new();
    STATE
        .get_or_init(|| {
            let out = Command::new("tesseract").arg("--list-langs").stderr(Stdio::null()).output();
            match out {
                Err(_) => Err(OcrError::Missing),
                Ok(o) => {
                    let langs = String::from_utf8_lossy(&o.stdout);
                    if langs.lines().any(|l| l.trim() == OCR_LANGUAGE) { Ok(()) } else { Err(OcrError::NoSwedish) }
                }
            }
        })
        .clone()
}

/// Runs a program until `deadline` at most (and [`OCR_PAGE_TIME_LIMIT`]), returning its
/// standard output. A program still running then is killed.
pub fn run_until(cmd: &mut Command, deadline: Instant) -> Result<Vec<u8>, OcrError> {
    let deadline = deadline.min(Instant::now() + OCR_PAGE_TIME_LIMIT);
    if Instant::now() >= deadline {
        return Err(OcrError::TimedOut);
    }
    let program = cmd.get_program().to_string_lossy().into_owned();
    let mut child = cmd.stdin(Stdio::null()).stdout(Stdio::piped()).stderr(Stdio::null()).spawn().map_err(|e| {
        OcrError::Failed(if e.kind() == std::io::ErrorKind::NotFound {
            format!("{program} saknas")
        } else {
            format!("{program} kunde inte startas: {}", crate::text::io_error(&e))
        })
    })?;
    let mut stdout = child.stdout.take().ok_or_else(|| OcrError::Failed("ingen utdata".into()))?;
    let reader = std::thread::spawn(move || {
        let mut buf = Vec::new();
        let _ = stdout.read_to_end(&mut buf);
        buf
    });
    let status = loop {
        match child.try_wait() {
            Ok(Some(status)) => break status,
            Ok(None) if Instant::now() < deadline => std::thread::sleep(POLL),
            Ok(None) => {
                let _ = child.kill();
                let _ = child.wait();
                return Err(OcrError::TimedOut);
            }
            Err(e) => return Err(OcrError::Failed(format!("{program}: {}", crate::text::io_error(&e)))),
        }
    };
    let out = reader.join().unwrap_or_default();
    // What the program says on failure is English (and not read): its exit status is said.
    if !status.success() {
        return Err(OcrError::Failed(
            status.code().map_or_else(|| format!("{program} avbröts av en signal"), |c| format!("{program} avslutades med felkod {c}")),
        ));
    }
    Ok(out)
}

/// Recognises the words of a page image and places them on the page, by `deadline`.
pub fn recognize(image: &PageImage, deadline: Instant) -> Result<Vec<Glyph>, OcrError> {
    available()?;
    let mut file = tempfile::Builder::new()
        .prefix("protokoll-ocr-")
        .suffix(image.suffix)
        .tempfile()
        .map_err(|e| OcrError::Failed(format!("OCR-bildfilen kunde inte skapas: {}", crate::text::io_error(&e))))?;
    file.write_all(&image.data).map_err(|e| OcrError::Failed(format!("OCR-bildfilen kunde inte skrivas: {}", crate::text::io_error(&e))))?;
    file.flush().map_err(|e| OcrError::Failed(format!("OCR-bildfilen kunde inte skrivas: {}", crate::text::io_error(&e))))?;
    let [a, b, _, _, _, _] = image.placement.0;
    let width_pt = (a * a + b * b).sqrt().max(1.0);
    let dpi = (image.width as f32 / width_pt * 72.0).round().clamp(70.0, 1200.0) as u32;
    let tsv = run_until(
        Command::new("tesseract")
            .arg(file.path())
            .arg("stdout")
            .args(["-l", OCR_LANGUAGE, "--dpi", &dpi.to_string(), "tsv"])
            // One thread per tesseract: OpenMP threads fight over two cores and triple
            // the time (measured: 17.8 s against 2.9 s for a page).
            .env("OMP_THREAD_LIMIT", "1"),
        deadline,
    )?;
    Ok(glyphs_from_tsv(&String::from_utf8_lossy(&tsv), image))
}

/// Converts tesseract TSV into word glyphs in page coordinates.
pub fn glyphs_from_tsv(tsv: &str, image: &PageImage) -> Vec<Glyph> {
    struct Row<'a> {
        level: u32,
        key: (u32, u32, u32),
        left: f32,
        top: f32,
        width: f32,
        height: f32,
        conf: f32,
        text: &'a str,
    }
    let rows: Vec<Row> = tsv
        .lines()
        .skip(1)
        .filter_map(|l| {
            let f: Vec<&str> = l.split('\t').collect();
            if f.len() < 12 {
                return None;
            }
            let n = |i: usize| f[i].trim().parse::<f32>().ok();
            Some(Row {
                level: n(0)? as u32,
                key: (n(2)? as u32, n(3)? as u32, n(4)? as u32),
                left: n(6)?,
                top: n(7)?,
                width: n(8)?,
                height: n(9)?,
                conf: n(10)?,
                text: f[11],
            })
        })
        .collect();
    let line_boxes: HashMap<(u32, u32, u32), (f32, f32)> = rows.iter().filter(|r| r.level == 4).map(|r| (r.key, (r.top, r.height))).collect();
    let mut heights: Vec<f32> = rows.iter().filter(|r| r.level == 5 && !r.text.trim().is_empty()).map(|r| r.height).collect();
    heights.sort_by(f32::total_cmp);
    let median_height = heights.get(heights.len() / 2).copied().unwrap_or(0.0);
    let keep = |r: &Row| {
        let t = r.text.trim();
        !t.is_empty() && r.height >= MIN_HEIGHT_OF_MEDIAN * median_height && (r.conf >= MIN_MARK_CONFIDENCE || t.chars().any(char::is_alphanumeric))
    };
    let words: Vec<&Row> = rows.iter().filter(|r| r.level == 5 && keep(r)).collect();
    let (w, h) = (image.width.max(1) as f32, image.height.max(1) as f32);
    let to_page = |px: f32, py: f32| image.placement.apply(px / w, 1.0 - py / h);
    let [a, b, c, d, _, _] = image.placement.0;
    let x_scale = (a * a + b * b).sqrt() / w;
    let y_scale = (c * c + d * d).sqrt() / h;
    words
        .iter()
        .enumerate()
        .map(|(i, r)| {
            // Each word stands on its own box's bottom: a line box can span two text
            // lines when tesseract joins them. The line's height, bounded, is the size.
            let line_height = line_boxes.get(&r.key).map_or(r.height, |b| b.1).min(MAX_LINE_OF_MEDIAN_HEIGHT * median_height);
            let (x, y) = to_page(r.left, r.top + r.height);
            // A "§" read as "8" or "S" at the start of a line, before a number.
            let line_start = i == 0 || words[i - 1].key != r.key;
            let next_is_number = words.get(i + 1).is_some_and(|n| n.key == r.key && n.text.trim().chars().all(|c| c.is_ascii_digit()));
            let text = if line_start && next_is_number && PARAGRAPH_SIGN_MISREADINGS.contains(&r.text.trim()) {
                "§".to_string()
            } else {
                fix_paragraph_sign(r.text.trim())
            };
            Glyph { text: text.into_boxed_str(), x, y, width: r.width * x_scale, size: (line_height * y_scale).max(1.0), rot: 0, bold: false, whole_word: true }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tsv_words_land_on_the_page() {
        let tsv = "level\tpage_num\tblock_num\tpar_num\tline_num\tword_num\tleft\ttop\twidth\theight\tconf\ttext
4\t1\t1\t1\t1\t0\t200\t100\t400\t30\t-1\t
5\t1\t1\t1\t1\t1\t200\t100\t100\t25\t93.1\tSociala
5\t1\t1\t1\t1\t2\t320\t102\t200\t28\t91.4\tsamrådsgruppen
5\t1\t1\t1\t1\t3\t540\t100\t10\t10\t5.0\t~
5\t1\t1\t1\t1\t4\t560\t100\t40\t2\t90.0\tpli
4\t1\t2\t1\t1\t0\t200\t200\t400\t30\t-1\t
5\t1\t2\t1\t1\t1\t200\t200\t20\t25\t90.9\t8
5\t1\t2\t1\t1\t2\t230\t200\t40\t25\t95.9\t48
5\t1\t2\t1\t1\t3\t280\t200\t100\t25\t0.0\tAvtal
";
        // A 1000x2000 pixel scan filling a 500x1000 point page: half a point per pixel.
        let image = PageImage { data: Vec::new(), suffix: ".jpg", width: 1000, height: 2000, placement: Matrix([500.0, 0.0, 0.0, 1000.0, 0.0, 0.0]) };
        let g = glyphs_from_tsv(tsv, &image);
        assert_eq!(g.len(), 5, "the low-confidence mark and the flat speck are dropped");
        assert_eq!(&*g[2].text, "§", "a § read as 8 before a number");
        assert_eq!(&*g[4].text, "Avtal", "words are kept whatever their confidence");
        assert_eq!(&*g[0].text, "Sociala");
        assert_eq!((g[0].x, g[0].y), (100.0, 1000.0 - 62.5));
        assert!((g[1].y - g[0].y).abs() < 0.5 * g[0].size, "words of a line stand on one baseline");
        assert_eq!(g[0].width, 50.0);
        assert!(g[0].whole_word);
    }
}
