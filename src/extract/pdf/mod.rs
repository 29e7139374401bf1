//! PDF extraction: lopdf parses the file (xref recovery, decryption with the empty
//! password), this module walks the page tree, and for each page the content-stream
//! interpreter ([`content`]) emits positioned glyphs that the layout step ([`layout`])
//! turns into lines and cells. Pages without a usable text layer (an image and almost
//! no text, or mostly unmapped glyphs) go through OCR ([`crate::extract::ocr`]).
//!
//! `Document::extract_text` is not used: it glues words placed by `Td`, ignores real
//! `TJ` offsets, skips form XObjects and loses å/ä/ö outside its short glyph table.
//!
//! Every input bound is a named constant: pages, page-tree depth, decoded stream size
//! ([`objects::MAX_STREAM_BYTES`]), form depth and glyphs per page ([`content`]), and
//! a deadline per file. Pages are interpreted in parallel.

pub mod cmap;
pub mod content;
pub mod encodings;
pub mod fonts;
pub mod layout;
pub mod lexer;
pub mod objects;
mod tables;

use std::collections::HashSet;
use std::process::Command;
use std::time::Instant;

use lopdf::{Dictionary, Document, LoadOptions, Object, ObjectId};
use rayon::prelude::*;

use self::content::{FontCache, Glyph, ImagePlacement, PageContent};
use self::objects::{Matrix, MAX_STREAM_BYTES, get, get_array, get_dict, get_name, get_number};
use super::ocr::{self, OcrError, PageImage};
use super::table::{self, Units};
use super::{ExtractError, Extracted, Hints, Options, Page};
use crate::model::Format;

/// Most pages read from one document.
pub const MAX_PAGES: usize = 20_000;

/// Deepest page tree walked (`cycle.pdf` contains itself; real trees are 3–5 deep).
pub const MAX_PAGE_TREE_DEPTH: usize = 64;

/// A page with fewer visible characters than this has no usable text layer.
const MIN_TEXT_GLYPHS: usize = 20;

/// Share of the page an image must cover for the page to count as a scan.
const MIN_SCAN_COVER: f32 = 0.5;

/// Resolution used when a page must be rendered for OCR (no scan image to take).
const RENDER_DPI: u32 = 300;

/// US Letter, the default media box (PDF 32000 §7.7.3.3 has none; readers use this).
const DEFAULT_MEDIA_BOX: [f32; 4] = [0.0, 0.0, 612.0, 792.0];

/// Page attributes, after inheritance from the page tree.
#[derive(Clone, Copy)]
struct Inherited<'a> {
    resources: Option<&'a Dictionary>,
    media_box: Option<[f32; 4]>,
    crop_box: Option<[f32; 4]>,
    rotate: i64,
}

struct PageRef<'a> {
    number: u32,
    dict: &'a Dictionary,
    attrs: Inherited<'a>,
}

fn rect(doc: &Document, dict: &Dictionary, key: &[u8]) -> Option<[f32; 4]> {
    let v = objects::numbers(doc, get_array(doc, dict, key)?);
    let [a, b, c, d] = <[f32; 4]>::try_from(v.get(..4)?).ok()?;
    let r = [a.min(c), b.min(d), a.max(c), b.max(d)];
    (r[2] - r[0] > 1.0 && r[3] - r[1] > 1.0 && r[2] - r[0] < 1e6 && r[3] - r[1] < 1e6).then_some(r)
}

/// Walks the page tree depth first, in order, without recursion, guarding against
/// cycles and absurd depth.
fn page_tree<'a>(doc: &'a Document, warnings: &mut Vec<String>) -> Vec<PageRef<'a>> {
    let mut pages = Vec::new();
    let Some(root) = doc.catalog().ok().and_then(|c| c.get(b"Pages").ok()) else {
        warnings.push("sidträdet saknas".into());
        return pages;
    };
    let mut seen: HashSet<ObjectId> = HashSet::new();
    let start = Inherited { resources: None, media_box: None, crop_box: None, rotate: 0 };
    let mut stack: Vec<(&Object, Inherited, usize)> = vec![(root, start, 0)];
    while let Some((obj, inherited, depth)) = stack.pop() {
        if let Some(id) = objects::reference_id(obj)
            && !seen.insert(id)
        {
            warnings.push("sidträdet innehåller sig självt; upprepningen hoppades över".into());
            continue;
        }
        let Some(dict) = objects::resolve(doc, obj).and_then(objects::as_dict) else { continue };
        let attrs = Inherited {
            resources: get_dict(doc, dict, b"Resources").or(inherited.resources),
            media_box: rect(doc, dict, b"MediaBox").or(inherited.media_box),
            crop_box: rect(doc, dict, b"CropBox").or(inherited.crop_box),
            rotate: get_number(doc, dict, b"Rotate").map_or(inherited.rotate, |r| r as i64),
        };
        let kids = get_array(doc, dict, b"Kids");
        let is_page = get_name(doc, dict, b"Type") == Some(b"Page") || kids.is_none();
        if is_page {
            if pages.len() >= MAX_PAGES {
                warnings.push(format!("fler än {MAX_PAGES} sidor; resten hoppades över"));
                break;
            }
            pages.push(PageRef { number: pages.len() as u32 + 1, dict, attrs });
        } else if let Some(kids) = kids {
            if depth >= MAX_PAGE_TREE_DEPTH {
                warnings.push(format!("sidträdet är djupare än {MAX_PAGE_TREE_DEPTH} nivåer"));
                continue;
            }
            for kid in kids.iter().rev() {
                stack.push((kid, attrs, depth + 1));
            }
        }
    }
    pages
}

/// The page's content streams, decoded and joined.
fn page_content(doc: &Document, page: &Dictionary) -> (Vec<u8>, Vec<String>) {
    let mut warnings = Vec::new();
    let mut data = Vec::new();
    let streams: Vec<&Object> = match get(doc, page, b"Contents") {
        Some(Object::Array(items)) => items.iter().collect(),
        Some(o @ Object::Stream(_)) => vec![o],
        _ => Vec::new(),
    };
    for s in streams {
        let Some(Object::Stream(stream)) = objects::resolve(doc, s) else { continue };
        match objects::stream_bytes(stream) {
            Ok(bytes) => {
                if data.len() + bytes.len() > MAX_STREAM_BYTES {
                    warnings.push(format!("sidans innehåll är större än {} MiB och kortades", MAX_STREAM_BYTES >> 20));
                    break;
                }
                data.extend_from_slice(&bytes);
                data.push(b'\n');
            }
            Err(e) => warnings.push(match e {
                lopdf::Error::Decompress(lopdf::DecompressError::MemoryLimitExceeded { .. }) => format!(
                    "en innehållsström packas upp till mer än {} MiB (dekomprimeringsbomb?) och hoppades över",
                    MAX_STREAM_BYTES >> 20
                ),
                e => format!("en innehållsström kunde inte läsas: {e}"),
            }),
        }
    }
    (data, warnings)
}

/// The matrix from default user space to the displayed page (origin bottom left,
/// /Rotate applied), and the displayed width and height.
fn display_matrix(attrs: &Inherited) -> (Matrix, f32, f32) {
    let b = attrs.crop_box.or(attrs.media_box).unwrap_or(DEFAULT_MEDIA_BOX);
    let (w, h) = (b[2] - b[0], b[3] - b[1]);
    let origin = Matrix::translate(-b[0], -b[1]);
    let (rot, dw, dh) = match attrs.rotate.rem_euclid(360) {
        90 => (Matrix([0.0, -1.0, 1.0, 0.0, 0.0, w]), h, w),
        180 => (Matrix([-1.0, 0.0, 0.0, -1.0, w, h]), w, h),
        270 => (Matrix([0.0, 1.0, -1.0, 0.0, h, 0.0]), h, w),
        _ => (Matrix::IDENTITY, w, h),
    };
    (origin.then(&rot), dw, dh)
}

/// The pixels of an image XObject in a form tesseract reads.
fn page_image(doc: &Document, placement: &ImagePlacement) -> Result<PageImage, OcrError> {
    let Ok(Object::Stream(stream)) = doc.get_object(placement.id) else {
        return Err(OcrError::UnsupportedImage("bilden saknas".into()));
    };
    let d = &stream.dict;
    let width = get_number(doc, d, b"Width").unwrap_or(0.0).max(0.0) as u32;
    let height = get_number(doc, d, b"Height").unwrap_or(0.0).max(0.0) as u32;
    let filters: Vec<Vec<u8>> = match get(doc, d, b"Filter") {
        Some(Object::Name(n)) => vec![n.clone()],
        Some(Object::Array(a)) => a.iter().filter_map(|o| objects::resolve(doc, o)?.as_name().ok().map(<[u8]>::to_vec)).collect(),
        _ => Vec::new(),
    };
    let image = |data: Vec<u8>, suffix| PageImage { data, suffix, width, height, placement: placement.ctm };
    match filters.last().map(Vec::as_slice) {
        Some(b"DCTDecode") if filters.len() == 1 => return Ok(image(stream.content.clone(), ".jpg")),
        Some(b"JPXDecode") if filters.len() == 1 => return Ok(image(stream.content.clone(), ".jp2")),
        Some(f @ (b"DCTDecode" | b"JPXDecode" | b"CCITTFaxDecode" | b"JBIG2Decode")) => {
            return Err(OcrError::UnsupportedImage(String::from_utf8_lossy(f).into_owned()));
        }
        _ => {}
    }
    let pixels = objects::stream_bytes(stream).map_err(|e| OcrError::UnsupportedImage(e.to_string()))?;
    let bpc = get_number(doc, d, b"BitsPerComponent").unwrap_or(1.0) as u32;
    let is_mask = matches!(get(doc, d, b"ImageMask"), Some(Object::Boolean(true)));
    let components = match get(doc, d, b"ColorSpace") {
        Some(Object::Name(n)) if n == b"DeviceGray" || n == b"CalGray" => 1,
        Some(Object::Name(n)) if n == b"DeviceRGB" || n == b"CalRGB" => 3,
        Some(Object::Array(a)) if a.first().and_then(|o| o.as_name().ok()) == Some(b"ICCBased") => a
            .get(1)
            .and_then(|o| objects::resolve(doc, o))
            .and_then(objects::as_dict)
            .and_then(|s| get_number(doc, s, b"N"))
            .map_or(0, |n| n as u32),
        None if is_mask => 1,
        _ => 0,
    };
    let (mut data, suffix) = match (components, bpc) {
        (1, 8) => (format!("P5\n{width} {height}\n255\n").into_bytes(), ".pgm"),
        (3, 8) => (format!("P6\n{width} {height}\n255\n").into_bytes(), ".ppm"),
        (1, 1) => (format!("P4\n{width} {height}\n").into_bytes(), ".pbm"),
        _ => return Err(OcrError::UnsupportedImage(format!("{components} färgkomponenter, {bpc} bitar"))),
    };
    let row = (width as usize * components as usize * bpc as usize).div_ceil(8);
    let needed = row * height as usize;
    if width == 0 || height == 0 || pixels.len() < needed {
        return Err(OcrError::UnsupportedImage("för lite bilddata".into()));
    }
    if suffix == ".pbm" {
        // PDF: 0 is black for gray images, 1 paints for masks; PBM: 1 is black.
        let invert = !is_mask;
        data.extend(pixels[..needed].iter().map(|b| if invert { !b } else { *b }));
    } else {
        data.extend_from_slice(&pixels[..needed]);
    }
    Ok(image(data, suffix))
}

/// Renders a page with `pdftoppm` for OCR when it has no scan image to take.
fn render_page(bytes: &[u8], number: u32, width: f32, height: f32) -> Result<PageImage, OcrError> {
    let dir = tempfile::tempdir().map_err(|e| OcrError::Failed(e.to_string()))?;
    let input = dir.path().join("in.pdf");
    std::fs::write(&input, bytes).map_err(|e| OcrError::Failed(e.to_string()))?;
    let prefix = dir.path().join("page");
    let n = number.to_string();
    ocr::run_with_limit(
        Command::new("pdftoppm")
            .args(["-r", &RENDER_DPI.to_string(), "-gray", "-singlefile", "-f", &n, "-l", &n])
            .arg(&input)
            .arg(&prefix),
        ocr::OCR_PAGE_TIME_LIMIT,
    )
    .map_err(|e| match e {
        OcrError::Failed(msg) if msg.contains("No such file") => OcrError::Failed("pdftoppm saknas (poppler-utils)".into()),
        e => e,
    })?;
    let data = std::fs::read(prefix.with_extension("pgm")).map_err(|e| OcrError::Failed(e.to_string()))?;
    let px = |pt: f32| (pt / 72.0 * RENDER_DPI as f32).round() as u32;
    Ok(PageImage {
        data,
        suffix: ".pgm",
        width: px(width),
        height: px(height),
        placement: Matrix([width, 0.0, 0.0, height, 0.0, 0.0]),
    })
}

struct PageOutcome {
    page: Page,
    warnings: Vec<String>,
    ocr_used: bool,
    ocr_error: Option<OcrError>,
    timed_out: bool,
}

fn visible_glyphs(glyphs: &[Glyph]) -> usize {
    glyphs.iter().filter(|g| !g.is_space()).count()
}

fn process_page(doc: &Document, fonts: &FontCache, bytes: &[u8], page: &PageRef, options: &Options, deadline: Instant) -> PageOutcome {
    let (content, mut warnings) = page_content(doc, page.dict);
    let (base, width, height) = display_matrix(&page.attrs);
    let PageContent { mut glyphs, images, unmapped, warnings: w, timed_out } =
        content::interpret_page(doc, fonts, &content, page.attrs.resources, base, deadline);
    warnings.extend(w);
    let visible = visible_glyphs(&glyphs);
    let page_area = (width * height).max(1.0);
    let scan = images.iter().filter(|i| i.area() >= MIN_SCAN_COVER * page_area).max_by(|a, b| a.area().total_cmp(&b.area()));
    let unreadable = unmapped >= MIN_TEXT_GLYPHS && unmapped > visible;
    let needs_ocr = options.ocr && !timed_out && ((visible < MIN_TEXT_GLYPHS && scan.is_some()) || unreadable);
    let mut ocr_used = false;
    let mut ocr_error = None;
    if needs_ocr {
        let image = match scan {
            Some(placement) => page_image(doc, placement),
            None => render_page(bytes, page.number, width, height),
        };
        match image.and_then(|img| ocr::recognize(&img)) {
            Ok(words) => {
                glyphs = words;
                ocr_used = true;
            }
            Err(e) => {
                warnings.push(format!("OCR: {e}"));
                ocr_error = Some(e);
            }
        }
    }
    let units = if layout::is_fixed_pitch(&glyphs) { Units::Characters } else { Units::Points };
    let lines = table::merge_wrapped_rows(layout::lay_out(&glyphs, width, height), units);
    PageOutcome {
        page: Page { number: page.number, lines, width },
        warnings: warnings.into_iter().map(|w| format!("sida {}: {w}", page.number)).collect(),
        ocr_used,
        ocr_error,
        timed_out,
    }
}

/// Extracts the pages of a PDF held in memory.
pub fn extract(bytes: &[u8], options: &Options) -> Result<Extracted, ExtractError> {
    let deadline = Instant::now() + options.time_limit;
    let load = LoadOptions { max_decompressed_size: Some(MAX_STREAM_BYTES), ..LoadOptions::default() };
    let doc = Document::load_mem_with_options(bytes, load)
        .map_err(|e| ExtractError::BrokenPdf(format!("filen är skadad eller avkortad ({e})")))?;
    // lopdf opens a file encrypted with the empty user password by itself; one with a
    // real user password loads as zero pages without an error, still marked encrypted.
    if doc.trailer.has(b"Encrypt") && doc.encryption_state.is_none() {
        return Err(ExtractError::PasswordProtected);
    }
    let mut warnings = Vec::new();
    if doc.xref_recovery.is_some() {
        warnings.push("korsreferenstabellen var trasig och byggdes om".to_string());
    }
    let pages = page_tree(&doc, &mut warnings);
    if pages.is_empty() {
        return Err(ExtractError::NoText(format!("PDF:en har inga sidor som kan läsas{}", first_reason(&warnings))));
    }
    let fonts = FontCache::default();
    let outcomes: Vec<PageOutcome> =
        pages.par_iter().map(|p| process_page(&doc, &fonts, bytes, p, options, deadline)).collect();

    let timed_out = outcomes.iter().any(|o| o.timed_out);
    let ocr_error = outcomes.iter().find_map(|o| o.ocr_error.clone());
    let ocr = outcomes.iter().any(|o| o.ocr_used);
    let mut out_pages = Vec::with_capacity(outcomes.len());
    for o in outcomes {
        warnings.extend(o.warnings);
        out_pages.push(o.page);
    }
    if timed_out {
        warnings.push(format!("tidsgränsen på {} s nåddes; texten är ofullständig", options.time_limit.as_secs()));
    }
    if out_pages.iter().all(|p| p.lines.is_empty()) {
        return Err(if timed_out {
            ExtractError::TimedOut(options.time_limit.as_secs())
        } else if let Some(e) = ocr_error {
            ExtractError::NoText(format!("sidorna saknar textlager och OCR gick inte: {e}"))
        } else {
            ExtractError::NoText(format!("PDF:en innehåller ingen text{}", first_reason(&warnings)))
        });
    }
    Ok(Extracted { format: Format::Pdf, pages: out_pages, ocr, hints: Hints::default(), warnings })
}

fn first_reason(warnings: &[String]) -> String {
    warnings.first().map(|w| format!(" ({w})")).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rotation_maps_to_the_displayed_page() {
        let attrs = Inherited { resources: None, media_box: Some([0.0, 0.0, 600.0, 800.0]), crop_box: None, rotate: 90 };
        let (m, w, h) = display_matrix(&attrs);
        assert_eq!((w, h), (800.0, 600.0));
        // The bottom-left corner of the unrotated page is the top left when displayed.
        assert_eq!(m.apply(0.0, 0.0), (0.0, 600.0));
    }
}
