//! Mutants of the files in `corpus/`: hostile input made from real input, for the
//! mutation test (`tests/mutants.rs`) and the hostile-input bench (`benches/hostile.rs`).
//!
//! [`mutant`]`(sources, seed, i)` is the i-th mutant of a deterministic sequence: the same
//! seed and the same corpus give the same bytes on every machine (the SplitMix64 of `archive.rs`,
//! no dependency). Each mutant is one source file changed by one [`Mutator`], and is read
//! under a name with the source's extension or, now and then, another one, since the name
//! decides between formats the content cannot tell apart.
//!
//! The sources are the files of `corpus/pdf`, `corpus/html`, `corpus/scanned` and
//! `corpus/bad`; each PDF also with its streams stored uncompressed (so that changed bytes
//! reach content streams, fonts and CMaps instead of breaking a deflate stream); and the
//! extracted text of two protocols as `.txt` files, for the plain-text reader.
//!
//! Not here: checking what the program makes of a mutant; the test and the bench do that.

#![allow(dead_code)]

use std::path::{Path, PathBuf};

use super::archive::Rng;

/// Largest mutant made: enough for thousands of copies of an object or an element.
pub const MAX_MUTANT_BYTES: usize = 8 * 1024 * 1024;

/// The seed of the mutation test and the bench, unless one is given.
pub const DEFAULT_SEED: u64 = 0x6675_7a7a_2d31_3131;

/// One file mutants are made from.
pub struct Source {
    /// Where it comes from, relative to `corpus/` ("pdf/socsam-2021-10-08.pdf",
    /// "pdf/socsam-2021-10-08.pdf, okomprimerad", "text/socsam-2022-06-03.txt").
    pub label: String,
    /// The file name it is read under.
    pub name: String,
    pub bytes: Vec<u8>,
}

/// The corpus folder of this repository.
pub fn corpus_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("corpus")
}

/// The PDFs whose text becomes the plain-text sources.
const TEXT_SOURCES: &[&str] = &["pdf/socsam-2022-06-03.pdf", "pdf/stromsund-socialnamnd-2022-11-17.pdf"];

/// The sources, in a stable order: the corpus files, the PDFs uncompressed, the texts.
pub fn sources(corpus: &Path) -> Vec<Source> {
    let mut out = Vec::new();
    for dir in ["pdf", "html", "scanned", "bad"] {
        let mut files: Vec<PathBuf> = std::fs::read_dir(corpus.join(dir)).map(|d| d.flatten().map(|e| e.path()).collect()).unwrap_or_default();
        files.sort();
        for path in files {
            let Ok(bytes) = std::fs::read(&path) else { continue };
            let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
            let label = format!("{dir}/{name}");
            if name.ends_with(".pdf")
                && let Some(plain) = uncompressed(&bytes)
            {
                out.push(Source { label: format!("{label}, okomprimerad"), name: name.clone(), bytes: plain });
            }
            out.push(Source { label, name, bytes });
        }
    }
    for rel in TEXT_SOURCES {
        let options = protokoll::extract::Options { ocr: false, ..Default::default() };
        if let Ok(doc) = protokoll::extract::extract_path(&corpus.join(rel), &options) {
            let stem = Path::new(rel).file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
            out.push(Source { label: format!("text/{stem}.txt"), name: format!("{stem}.txt"), bytes: doc.text().into_bytes() });
        }
    }
    out
}

/// Largest stream decompressed in a source, and largest uncompressed source: a
/// decompression bomb stays compressed.
const MAX_UNCOMPRESSED_STREAM: usize = 4 << 20;
const MAX_UNCOMPRESSED_SOURCE: usize = 16 << 20;

/// A PDF saved again with its streams decompressed (those that decompress to at most
/// [`MAX_UNCOMPRESSED_STREAM`]); `None` when lopdf cannot load it, or it is encrypted or
/// grows too large.
/// A number from an environment variable, decimal or `0x` hex.
pub fn env_number(var: &str) -> Option<u64> {
    let v = std::env::var(var).ok()?;
    let v = v.trim();
    match v.strip_prefix("0x") {
        Some(hex) => u64::from_str_radix(hex, 16).ok(),
        None => v.parse().ok(),
    }
}

fn uncompressed(bytes: &[u8]) -> Option<Vec<u8>> {
    let mut doc = lopdf::Document::load_mem(bytes).ok()?;
    if doc.is_encrypted() {
        return None;
    }
    for object in doc.objects.values_mut() {
        if let lopdf::Object::Stream(stream) = object {
            let _ = stream.decompress_with_limit(MAX_UNCOMPRESSED_STREAM);
        }
    }
    let mut out = Vec::new();
    doc.save_to(&mut out).ok()?;
    (out.len() <= MAX_UNCOMPRESSED_SOURCE).then_some(out)
}

/// How a mutant differs from its source.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mutator {
    /// A few bits flipped anywhere.
    BitFlips,
    /// A run of bytes overwritten, with random bytes or one byte repeated.
    Overwrite,
    /// A chunk cut out.
    Delete,
    /// A chunk repeated many times in place.
    Duplicate,
    /// A PDF object, an HTML element or a text line repeated thousands of times.
    RepeatStructure,
    /// A PDF page tree's first kid referred to thousands of times.
    RepeatKids,
    /// The file cut short.
    Truncate,
    /// The start of one source followed by the end of another.
    Splice,
    /// Thousands of opening tokens: `[`, `<<`, `(`, `q`, `<div>`, `<table><tr><td>`.
    Nesting,
    /// A number replaced by a huge, negative or malformed one.
    HugeNumber,
    /// A long run of tabs.
    Tabs,
    /// A very long line without a break.
    LongLine,
}

pub const MUTATORS: &[Mutator] = &[
    Mutator::BitFlips,
    Mutator::Overwrite,
    Mutator::Delete,
    Mutator::Duplicate,
    Mutator::RepeatStructure,
    Mutator::RepeatKids,
    Mutator::Truncate,
    Mutator::Splice,
    Mutator::Nesting,
    Mutator::HugeNumber,
    Mutator::Tabs,
    Mutator::LongLine,
];

impl Mutator {
    pub fn as_str(self) -> &'static str {
        match self {
            Mutator::BitFlips => "bit-flips",
            Mutator::Overwrite => "overwrite",
            Mutator::Delete => "delete",
            Mutator::Duplicate => "duplicate",
            Mutator::RepeatStructure => "repeat-structure",
            Mutator::RepeatKids => "repeat-kids",
            Mutator::Truncate => "truncate",
            Mutator::Splice => "splice",
            Mutator::Nesting => "nesting",
            Mutator::HugeNumber => "huge-number",
            Mutator::Tabs => "tabs",
            Mutator::LongLine => "long-line",
        }
    }
}

/// One mutant.
pub struct Mutant {
    pub index: usize,
    pub seed: u64,
    pub mutator: Mutator,
    /// The source's label, and the second source's for a splice.
    pub source: String,
    /// The file name it is read under.
    pub name: String,
    /// What was done, in short ("×2417 of 812 bytes at 40213").
    pub detail: String,
    pub bytes: Vec<u8>,
}

impl Mutant {
    /// A line that says how to make this mutant again.
    pub fn describe(&self) -> String {
        format!(
            "mutant {} (seed {:#x}): {} of {} read as {:?}: {}, {} bytes",
            self.index,
            self.seed,
            self.mutator.as_str(),
            self.source,
            self.name,
            self.detail,
            self.bytes.len()
        )
    }

    /// A file name for keeping it: index, mutator, and the name's extension.
    pub fn file_name(&self) -> String {
        let ext = Path::new(&self.name).extension().map(|e| format!(".{}", e.to_string_lossy())).unwrap_or_default();
        format!("mutant-{}-{}{ext}", self.index, self.mutator.as_str())
    }
}

/// Extensions a mutant is sometimes read under instead of its own.
const OTHER_NAMES: &[&str] = &["pdf", "html", "htm", "txt", "docx", "odt", ""];

/// Tokens that open something: repeated, they nest deeper than any reader should follow.
const OPENERS: &[&str] =
    &["[", "<<", "(", "{", "q\n", "BT\n", "<div>", "<table><tr><td>", "<b><i>", "<ul><li>", "<!--", "<![CDATA[", "<", "\\", "§ 1 ", "\u{feff}", "%"];

/// Numbers that break what reads them.
const HUGE_NUMBERS: &[&str] = &[
    "99999999999999999999999999",
    "18446744073709551616",
    "9223372036854775807",
    "4294967296",
    "2147483648",
    "-2147483649",
    "-1",
    "-0",
    "0",
    "1e308",
    "3.5e38",
    "-99999999999.5",
    "0.0000000000000000000001",
    "NaN",
    "inf",
    ".",
    "-",
    "1.2.3",
];

/// The seed of the i-th mutant of a sequence.
pub fn mutant_seed(seed: u64, index: usize) -> u64 {
    Rng::new(seed ^ (index as u64).wrapping_mul(0x2545_f491_4f6c_dd1d)).next()
}

/// The i-th mutant of the sequence of `seed` over `sources` (which must not be empty).
pub fn mutant(sources: &[Source], seed: u64, index: usize) -> Mutant {
    let seed = mutant_seed(seed, index);
    let mut rng = Rng::new(seed);
    let src = &sources[rng.below(sources.len())];
    let mutator = *rng.pick(MUTATORS);
    let mut name = src.name.clone();
    if rng.chance(0.12) {
        let stem = Path::new(&src.name).file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
        let ext = rng.pick(OTHER_NAMES);
        name = if ext.is_empty() { stem } else { format!("{stem}.{ext}") };
    }
    let mut source = src.label.clone();
    let (bytes, detail) = match mutator {
        Mutator::Splice => {
            let other = &sources[rng.below(sources.len())];
            source = format!("{} + {}", src.label, other.label);
            let (i, j) = (rng.below(src.bytes.len() + 1), rng.below(other.bytes.len() + 1));
            let mut b = src.bytes[..i].to_vec();
            b.extend_from_slice(&other.bytes[j..]);
            (b, format!("bytes ..{i} + {j}.."))
        }
        m => mutate(&src.bytes, m, &mut rng),
    };
    Mutant { index, seed, mutator, source, name, detail, bytes }
}

/// Applies one mutator (not a splice, which needs two sources).
fn mutate(input: &[u8], mutator: Mutator, rng: &mut Rng) -> (Vec<u8>, String) {
    let mut b = input.to_vec();
    let len = b.len();
    match mutator {
        Mutator::BitFlips => {
            if b.is_empty() {
                b.push(rng.next() as u8);
            }
            let n = 1 + rng.below(32);
            for _ in 0..n {
                let at = rng.below(b.len());
                b[at] ^= 1 << rng.below(8);
            }
            (b, format!("{n} bits"))
        }
        Mutator::Overwrite => {
            let at = rng.below(len);
            let n = rng.log_between(1, 4096).min(len - at.min(len));
            let fill: Option<u8> = if rng.chance(0.5) { None } else { Some(*rng.pick(&[0u8, 0xff, b' ', b'(', b'<', b'0', b'\n', b'\t'])) };
            for x in b.iter_mut().skip(at).take(n) {
                *x = fill.unwrap_or_else(|| rng.next() as u8);
            }
            (b, format!("{n} bytes at {at} with {}", fill.map_or("random bytes".to_string(), |f| format!("{f:#04x}"))))
        }
        Mutator::Delete => {
            let at = rng.below(len);
            let n = rng.log_between(1, (len / 3).max(1)).min(len - at.min(len));
            b.drain(at..at + n);
            (b, format!("{n} bytes at {at}"))
        }
        Mutator::Duplicate => {
            let at = rng.below(len);
            let n = rng.log_between(1, 4096).min(len - at.min(len)).max(1);
            let chunk = input.get(at..at + n).unwrap_or(b"x").to_vec();
            let times = repeat_count(rng, chunk.len(), len, 20_000);
            insert_repeated(&mut b, at + n.min(len - at.min(len)), &chunk, times);
            (b, format!("×{times} of {} bytes at {at}", chunk.len()))
        }
        Mutator::RepeatStructure => {
            let (start, end, what) = structure(input, rng);
            let chunk = input[start..end].to_vec();
            let times = repeat_count(rng, chunk.len(), len, 10_000);
            insert_repeated(&mut b, end, &chunk, times);
            (b, format!("×{times} of the {what} at {start}..{end}"))
        }
        Mutator::RepeatKids => match kids_ref(input) {
            Some((at, reference)) => {
                let times = repeat_count(rng, reference.len(), len, 50_000);
                insert_repeated(&mut b, at, &reference, times);
                (b, format!("×{times} of {:?} in /Kids at {at}", String::from_utf8_lossy(&reference)))
            }
            None => {
                let (start, end, what) = structure(input, rng);
                let chunk = input[start..end].to_vec();
                let times = repeat_count(rng, chunk.len(), len, 10_000);
                insert_repeated(&mut b, end, &chunk, times);
                (b, format!("no /Kids: ×{times} of the {what} at {start}..{end}"))
            }
        },
        Mutator::Truncate => {
            let at = rng.below(len.max(1)).max(usize::from(len > 1));
            b.truncate(at);
            (b, format!("cut at {at}"))
        }
        Mutator::Splice => (b, "no second source".into()),
        Mutator::Nesting => {
            let token = rng.pick(OPENERS).as_bytes();
            let times = rng.log_between(100, 200_000).min(MAX_MUTANT_BYTES / token.len());
            let at = rng.below(len + 1);
            insert_repeated(&mut b, at, token, times);
            (b, format!("×{times} of {:?} at {at}", String::from_utf8_lossy(token)))
        }
        Mutator::HugeNumber => {
            let number = rng.pick(HUGE_NUMBERS);
            let digits: Vec<usize> = (0..len).filter(|&i| b[i].is_ascii_digit() && (i == 0 || !b[i - 1].is_ascii_digit())).collect();
            let n = 1 + rng.below(8);
            let mut done = Vec::new();
            for _ in 0..n {
                if digits.is_empty() {
                    break;
                }
                done.push(digits[rng.below(digits.len())]);
            }
            done.sort_unstable();
            done.dedup();
            // From the end, so earlier positions stay where they were.
            for &at in done.iter().rev() {
                let end = (at..b.len()).find(|&i| !b[i].is_ascii_digit() && b[i] != b'.').unwrap_or(b.len());
                b.splice(at..end, number.bytes());
            }
            if done.is_empty() {
                let at = rng.below(len + 1);
                b.splice(at..at, number.bytes());
                done.push(at);
            }
            (b, format!("{number} at {done:?}"))
        }
        Mutator::Tabs => {
            let times = rng.log_between(1000, 2_000_000);
            let at = rng.below(len + 1);
            insert_repeated(&mut b, at, b"\t", times);
            (b, format!("{times} tabs at {at}"))
        }
        Mutator::LongLine => {
            let words: &[&[u8]] = &[b"ord ", b"Socialn\xc3\xa4mnden beslutar att ", b"\xc2\xa7 12 Dnr 2022/123 ", b"x", b"aaaaaaaa"];
            let word = rng.pick(words);
            let times = rng.log_between(10_000, 2_000_000).min(MAX_MUTANT_BYTES / word.len());
            let at = rng.below(len + 1);
            insert_repeated(&mut b, at, word, times);
            (b, format!("line of ×{times} {:?} at {at}", String::from_utf8_lossy(word)))
        }
    }
}

/// How many copies of a chunk: up to `max`, and the mutant not beyond
/// [`MAX_MUTANT_BYTES`].
fn repeat_count(rng: &mut Rng, chunk: usize, len: usize, max: usize) -> usize {
    let room = MAX_MUTANT_BYTES.saturating_sub(len) / chunk.max(1);
    rng.log_between(2, max).min(room).max(1)
}

fn insert_repeated(b: &mut Vec<u8>, at: usize, chunk: &[u8], times: usize) {
    let at = at.min(b.len());
    let tail = b.split_off(at);
    b.reserve(chunk.len() * times + tail.len());
    for _ in 0..times {
        b.extend_from_slice(chunk);
    }
    b.extend_from_slice(&tail);
}

/// A span worth repeating: a PDF object (`N G obj … endobj`), an HTML element (`<div`,
/// `<p`, `<tr`, `<li`, `<td` to its first closing tag), or a line. Falls back to the whole
/// input when it has none.
fn structure(b: &[u8], rng: &mut Rng) -> (usize, usize, &'static str) {
    let find_all = |needle: &[u8]| -> Vec<usize> { b.windows(needle.len()).enumerate().filter(|(_, w)| *w == needle).map(|(i, _)| i).collect() };
    let ends = find_all(b"endobj");
    if !ends.is_empty() {
        let k = rng.below(ends.len());
        let end = ends[k] + 6;
        let start = if k == 0 { b.windows(4).position(|w| w == b" obj").map_or(0, |p| line_start(b, p)) } else { ends[k - 1] + 6 };
        return (start, end, "PDF object");
    }
    for tag in ["div", "p", "tr", "li", "td", "span"] {
        let opens = find_all(format!("<{tag}").as_bytes());
        if opens.is_empty() {
            continue;
        }
        let start = opens[rng.below(opens.len())];
        let close = format!("</{tag}>");
        if let Some(p) = b[start..].windows(close.len()).position(|w| w == close.as_bytes()) {
            return (start, start + p + close.len(), "HTML element");
        }
    }
    let lines = find_all(b"\n");
    if lines.len() >= 2 {
        let k = rng.below(lines.len() - 1);
        return (lines[k] + 1, lines[k + 1] + 1, "line");
    }
    (0, b.len(), "whole file")
}

fn line_start(b: &[u8], at: usize) -> usize {
    b[..at].iter().rposition(|&c| c == b'\n' || c == b'\r').map_or(0, |p| p + 1)
}

/// Where to insert more references in the first `/Kids [` array, and the first reference
/// in it ("3 0 R "), of a PDF whose page tree is not compressed.
fn kids_ref(b: &[u8]) -> Option<(usize, Vec<u8>)> {
    let kids = b.windows(5).position(|w| w == b"/Kids")?;
    let open = kids + b[kids..].iter().position(|&c| c == b'[')? + 1;
    let close = open + b[open..].iter().position(|&c| c == b']')?;
    let inside = &b[open..close];
    let r = inside.iter().position(|&c| c == b'R')?;
    let first = String::from_utf8_lossy(&inside[..=r]).split_whitespace().collect::<Vec<_>>().join(" ");
    Some((open, format!("{first} ").into_bytes()))
}
