//! Fonts: how the bytes of a shown string become characters with advance widths.
//!
//! The text of a code comes from, in order: the font's `ToUnicode` CMap; for simple
//! fonts, the glyph name given by `/Differences` or the base encoding (the font's own
//! `/Encoding`, the built-in encoding of an embedded Type 1 program, WinAnsi for
//! non-symbolic TrueType, Standard otherwise), mapped through the full Adobe Glyph List.
//! Widths come from `/Widths`, `/W` with `/DW`, or the standard-14 metrics.
//!
//! Not handled: vertical writing (Identity-V text is laid out as horizontal), and the
//! `cmap` tables of embedded TrueType programs; codes that map to nothing are reported as
//! unmapped so the page can go to OCR.

use std::collections::HashMap;

use lopdf::{Dictionary, Document, Object};

use super::cmap::CMap;
use super::encodings::{self, BaseEncoding};
use super::objects::{self, get, get_array, get_dict, get_name, get_number, get_stream, numbers, resolve};

/// Width, in text space (1/1000 em), assumed for a glyph no table describes. Half an em
/// is the middle of real Latin fonts (Helvetica's lower case averages 0.5).
const FALLBACK_WIDTH: f32 = 500.0;

/// Default CID width when a composite font gives no `/DW` (PDF 32000 §9.7.4.3).
const DEFAULT_CID_WIDTH: f32 = 1000.0;

/// Longest `/W` array read from a composite font.
const MAX_W_ENTRIES: usize = 1 << 16;

/// `/Flags` bits of a font descriptor (PDF 32000 Table 123).
const FLAG_FORCE_BOLD: i64 = 1 << 18;

/// One character code of a shown string, decoded.
#[derive(Debug, Clone, PartialEq)]
pub struct DecodedChar {
    /// The text of the code; `None` when nothing maps it (an unmapped glyph).
    pub text: Option<String>,
    /// The horizontal advance in text space units before scaling by the font size
    /// (that is, 1/1000 em for ordinary fonts).
    pub width: f32,
    /// A single-byte code 32, which is what word spacing (`Tw`) applies to.
    pub is_word_space: bool,
}

#[derive(Debug)]
enum Widths {
    Simple { first_char: u32, widths: Vec<f32>, missing: f32 },
    Standard { table: &'static [(char, u16)] },
    Cid { singles: HashMap<u32, f32>, ranges: Vec<(u32, u32, f32)>, default: f32 },
    Fallback,
}

#[derive(Debug)]
enum Codes {
    /// Simple fonts: one byte per code, with the text each byte names by its encoding.
    OneByte { text: Box<[Option<String>]> },
    /// Composite fonts: an encoding CMap splits the bytes (Identity-H: two bytes each).
    Composite { encoding: Option<CMap>, identity: bool },
}

/// A font resource, ready to decode strings.
#[derive(Debug)]
pub struct Font {
    pub name: String,
    codes: Codes,
    to_unicode: Option<CMap>,
    widths: Widths,
    /// Scale from glyph space to text space along x: 0.001 except for Type 3 fonts.
    pub glyph_scale: f32,
    pub bold: bool,
}

fn name_str(n: &[u8]) -> String {
    String::from_utf8_lossy(n).into_owned()
}

fn is_bold(doc: &Document, base_font: &str, descriptor: Option<&Dictionary>) -> bool {
    let lower = base_font.to_ascii_lowercase();
    if ["bold", "black", "heavy", "semibold", "demi"].iter().any(|w| lower.contains(w)) {
        return true;
    }
    let Some(fd) = descriptor else { return false };
    let weight = get_number(doc, fd, b"FontWeight").unwrap_or(400.0);
    let flags = get_number(doc, fd, b"Flags").unwrap_or(0.0) as i64;
    weight >= 600.0 || flags & FLAG_FORCE_BOLD != 0
}

fn load_to_unicode(doc: &Document, font: &Dictionary) -> Option<CMap> {
    let stream = get_stream(doc, font, b"ToUnicode")?;
    let data = objects::stream_bytes(stream).ok()?;
    let cmap = CMap::parse(&data);
    Some(cmap)
}

/// The glyph names of a `/Differences` array applied over `names`.
fn apply_differences(doc: &Document, diffs: &[Object], names: &mut [Option<String>]) {
    let mut code: usize = 0;
    for item in diffs {
        match resolve(doc, item) {
            Some(Object::Integer(i)) => code = (*i).clamp(0, 256) as usize,
            Some(Object::Real(r)) => code = r.clamp(0.0, 256.0) as usize,
            Some(Object::Name(n)) => {
                if let Some(slot) = names.get_mut(code) {
                    *slot = Some(name_str(n));
                }
                code += 1;
            }
            _ => {}
        }
    }
}

/// The encoding an embedded Type 1 program declares: `StandardEncoding`, or the glyph
/// names its `dup <code> /<name> put` lines assign.
fn type1_builtin_encoding(doc: &Document, descriptor: Option<&Dictionary>) -> Option<Vec<Option<String>>> {
    let stream = get_stream(doc, descriptor?, b"FontFile")?;
    let data = objects::stream_bytes(stream).ok()?;
    let clear_len = get_number(doc, &stream.dict, b"Length1").map_or(data.len(), |l| (l.max(0.0) as usize).min(data.len()));
    let clear = &data[..clear_len];
    let start = clear.windows(9).position(|w| w == b"/Encoding")?;
    let rest = &clear[start + 9..];
    let head = &rest[..rest.len().min(40)];
    if head.windows(16).any(|w| w == b"StandardEncoding") {
        return None;
    }
    let text = String::from_utf8_lossy(&rest[..rest.len().min(64 * 1024)]);
    let mut names: Vec<Option<String>> = vec![None; 256];
    let mut found = false;
    let words: Vec<&str> = text.split_ascii_whitespace().collect();
    for w in words.windows(4) {
        if w[0] == "dup"
            && w[3].starts_with("put")
            && let (Ok(code), Some(name)) = (w[1].parse::<usize>(), w[2].strip_prefix('/'))
            && code < 256
        {
            names[code] = Some(name.to_string());
            found = true;
        }
        if w[0] == "readonly" || w[0] == "def" && found {
            break;
        }
    }
    found.then_some(names)
}

fn simple_widths(doc: &Document, font: &Dictionary, descriptor: Option<&Dictionary>, base_font: &str) -> Widths {
    if let Some(ws) = get_array(doc, font, b"Widths") {
        let first_char = get_number(doc, font, b"FirstChar").unwrap_or(0.0).clamp(0.0, 255.0) as u32;
        let missing = descriptor.and_then(|fd| get_number(doc, fd, b"MissingWidth")).unwrap_or(0.0);
        return Widths::Simple { first_char, widths: numbers(doc, ws), missing };
    }
    match encodings::standard_14_name(base_font).and_then(encodings::standard_14_widths) {
        Some(table) => Widths::Standard { table },
        None => Widths::Fallback,
    }
}

fn cid_widths(doc: &Document, cid_font: &Dictionary) -> Widths {
    let default = get_number(doc, cid_font, b"DW").unwrap_or(DEFAULT_CID_WIDTH);
    let mut singles = HashMap::new();
    let mut ranges = Vec::new();
    if let Some(w) = get_array(doc, cid_font, b"W") {
        let items: Vec<&Object> = w.iter().take(MAX_W_ENTRIES).filter_map(|o| resolve(doc, o)).collect();
        let mut i = 0;
        while i < items.len() {
            let Some(first) = objects::number(items[i]) else {
                i += 1;
                continue;
            };
            let first = first.max(0.0) as u32;
            match items.get(i + 1) {
                Some(Object::Array(list)) => {
                    for (k, w) in numbers(doc, list).into_iter().enumerate() {
                        singles.insert(first.saturating_add(k as u32), w);
                    }
                    i += 2;
                }
                Some(last) => {
                    if let (Some(last), Some(w)) = (objects::number(last), items.get(i + 2).and_then(|o| objects::number(o))) {
                        ranges.push((first, last.max(0.0) as u32, w));
                    }
                    i += 3;
                }
                None => break,
            }
        }
    }
    Widths::Cid { singles, ranges, default }
}

impl Font {
    /// Reads a font dictionary. Never fails: what cannot be read falls back to defaults.
    pub fn load(doc: &Document, font: &Dictionary) -> Font {
        let subtype = get_name(doc, font, b"Subtype").unwrap_or(b"Type1");
        let base_font = get_name(doc, font, b"BaseFont").map(name_str).unwrap_or_default();
        let to_unicode = load_to_unicode(doc, font);
        if subtype == b"Type0" {
            return Font::load_composite(doc, font, base_font, to_unicode);
        }
        let descriptor = get_dict(doc, font, b"FontDescriptor");

        // Base encoding, then /Differences on top.
        let encoding_obj = get(doc, font, b"Encoding");
        let named_base = match encoding_obj {
            Some(Object::Name(n)) => BaseEncoding::from_name(n),
            Some(Object::Dictionary(d)) => get_name(doc, d, b"BaseEncoding").and_then(BaseEncoding::from_name),
            _ => None,
        };
        let mut names: Vec<Option<String>> = match named_base {
            Some(base) => (0..=255u8).map(|c| base.glyph_name(c).map(String::from)).collect(),
            None => {
                let builtin = if subtype == b"Type1" { type1_builtin_encoding(doc, descriptor) } else { None };
                builtin.unwrap_or_else(|| {
                    // TrueType: WinAnsi (PDF 32000 §9.6.6.4 for non-symbolic fonts; pdf.js and
                    // poppler read symbolic ones without a usable cmap the same way).
                    let base = if subtype == b"TrueType" { BaseEncoding::WinAnsi } else { BaseEncoding::Standard };
                    (0..=255u8).map(|c| base.glyph_name(c).map(String::from)).collect()
                })
            }
        };
        if let Some(Object::Dictionary(d)) = encoding_obj
            && let Some(diffs) = get_array(doc, d, b"Differences")
        {
            apply_differences(doc, diffs, &mut names);
        }
        let text: Box<[Option<String>]> = (0..256u32)
            .map(|code| to_unicode.as_ref().and_then(|m| m.lookup(code)).or_else(|| names[code as usize].as_deref().and_then(encodings::glyph_name_to_unicode)))
            .collect();

        let mut glyph_scale = 0.001;
        if subtype == b"Type3"
            && let Some(m) = get_array(doc, font, b"FontMatrix")
            && let Some(&a) = numbers(doc, m).first()
            && a.is_finite()
            && a != 0.0
        {
            glyph_scale = a;
        }
        Font {
            bold: is_bold(doc, &base_font, descriptor),
            widths: simple_widths(doc, font, descriptor, &base_font),
            name: base_font,
            codes: Codes::OneByte { text },
            to_unicode,
            glyph_scale,
        }
    }

    fn load_composite(doc: &Document, font: &Dictionary, base_font: String, to_unicode: Option<CMap>) -> Font {
        let (encoding, identity) = match get(doc, font, b"Encoding") {
            Some(Object::Name(n)) => (None, n.starts_with(b"Identity")),
            Some(Object::Stream(s)) => (objects::stream_bytes(s).ok().map(|d| CMap::parse(&d)), false),
            _ => (None, true),
        };
        let cid_font = get_array(doc, font, b"DescendantFonts").and_then(|a| a.first()).and_then(|o| resolve(doc, o)).and_then(objects::as_dict);
        let descriptor = cid_font.and_then(|cf| get_dict(doc, cf, b"FontDescriptor"));
        Font {
            bold: is_bold(doc, &base_font, descriptor),
            widths: cid_font.map_or(Widths::Fallback, |cf| cid_widths(doc, cf)),
            name: base_font,
            codes: Codes::Composite { encoding, identity },
            to_unicode,
            glyph_scale: 0.001,
        }
    }

    fn width_of(&self, code: u32, text: Option<&str>) -> f32 {
        match &self.widths {
            Widths::Simple { first_char, widths, missing } => code.checked_sub(*first_char).and_then(|i| widths.get(i as usize)).copied().unwrap_or(*missing),
            Widths::Standard { table } => {
                text.and_then(|t| t.chars().next()).and_then(|c| encodings::standard_14_width(table, c)).map_or(FALLBACK_WIDTH, f32::from)
            }
            Widths::Cid { singles, ranges, default } => {
                singles.get(&code).copied().or_else(|| ranges.iter().find(|(lo, hi, _)| *lo <= code && code <= *hi).map(|r| r.2)).unwrap_or(*default)
            }
            Widths::Fallback => FALLBACK_WIDTH,
        }
    }

    /// Decodes a shown string into characters, calling `emit` for each code in order.
    pub fn decode(&self, bytes: &[u8], mut emit: impl FnMut(DecodedChar)) {
        match &self.codes {
            Codes::OneByte { text } => {
                for &b in bytes {
                    let code = u32::from(b);
                    let t = text[usize::from(b)].clone();
                    let width = self.width_of(code, t.as_deref());
                    emit(DecodedChar { width, text: t, is_word_space: b == 32 });
                }
            }
            Codes::Composite { encoding, identity } => {
                let mut i = 0;
                while i < bytes.len() {
                    let len = match (encoding, &self.to_unicode) {
                        (Some(enc), _) if !enc.codespace.is_empty() => enc.code_length(&bytes[i..], 2),
                        (_, Some(tu)) if !*identity && !tu.codespace.is_empty() => tu.code_length(&bytes[i..], 2),
                        _ => 2.min(bytes.len() - i),
                    };
                    let code_bytes = &bytes[i..i + len];
                    i += len;
                    let code = code_bytes.iter().fold(0u32, |acc, &b| acc << 8 | u32::from(b));
                    let cid = encoding.as_ref().filter(|e| e.has_cid_mappings()).map_or(code, |e| e.cid(code));
                    let t = self.to_unicode.as_ref().and_then(|m| m.lookup(code));
                    let width = self.width_of(cid, t.as_deref());
                    emit(DecodedChar { width, text: t, is_word_space: len == 1 && code == 32 });
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use lopdf::{Stream, dictionary};

    fn decode_all(font: &Font, bytes: &[u8]) -> Vec<DecodedChar> {
        let mut out = Vec::new();
        font.decode(bytes, |c| out.push(c));
        out
    }

    fn texts(chars: &[DecodedChar]) -> String {
        chars.iter().map(|c| c.text.clone().unwrap_or_else(|| "?".into())).collect()
    }

    #[test]
    fn winansi_type1_standard_font_uses_afm_widths() {
        // The Strömsund protocol's fonts: ReportLab's unembedded Helvetica in WinAnsi.
        let doc = Document::new();
        let font = dictionary! { "Type" => "Font", "Subtype" => "Type1", "BaseFont" => "Helvetica", "Encoding" => "WinAnsiEncoding" };
        let f = Font::load(&doc, &font);
        let chars = decode_all(&f, b"Str\xf6msund");
        assert_eq!(texts(&chars), "Strömsund");
        assert_eq!(chars[0].width, 667.0);
        assert_eq!(chars[3].width, 556.0);
    }

    #[test]
    fn differences_with_names_outside_the_short_table() {
        let doc = Document::new();
        let font = dictionary! {
            "Subtype" => "Type1", "BaseFont" => "Custom",
            "Encoding" => dictionary! { "BaseEncoding" => "MacRomanEncoding",
                "Differences" => vec![Object::Integer(1), "aring".into(), "uni00E4".into(), "odieresis.alt".into()] },
        };
        let f = Font::load(&doc, &font);
        assert_eq!(texts(&decode_all(&f, b"\x01\x02\x03\x9a")), "åäöö");
    }

    #[test]
    fn nonsymbolic_truetype_defaults_to_winansi() {
        let mut doc = Document::new();
        let fd = doc.add_object(dictionary! { "Flags" => 32 });
        let font = dictionary! { "Subtype" => "TrueType", "BaseFont" => "Carlito", "FontDescriptor" => fd,
        "FirstChar" => 228, "Widths" => vec![Object::Integer(479)] };
        let f = Font::load(&doc, &font);
        let chars = decode_all(&f, b"\xe4");
        assert_eq!(texts(&chars), "ä");
        assert_eq!(chars[0].width, 479.0);
    }

    #[test]
    fn identity_h_with_tounicode_and_w_array() {
        let mut doc = Document::new();
        let tu = doc.add_object(Stream::new(
            dictionary! {},
            b"1 begincodespacerange <0000> <FFFF> endcodespacerange
2 beginbfchar <0005> <00C5> <0006> <0072> endbfchar 1 beginbfrange <0007> <0007> <0065> endbfrange"
                .to_vec(),
        ));
        let cid = dictionary! { "Subtype" => "CIDFontType2", "DW" => 500,
        "W" => vec![Object::Integer(5), Object::Array(vec![Object::Integer(667), Object::Integer(333)])] };
        let font = dictionary! { "Subtype" => "Type0", "BaseFont" => "ABCDEF+Arial-BoldMT", "Encoding" => "Identity-H",
        "DescendantFonts" => vec![Object::Dictionary(cid)], "ToUnicode" => tu };
        let f = Font::load(&doc, &font);
        assert!(f.bold);
        let chars = decode_all(&f, &[0, 5, 0, 6, 0, 7]);
        assert_eq!(texts(&chars), "Åre");
        let widths: Vec<f32> = chars.iter().map(|c| c.width).collect();
        assert_eq!(widths, vec![667.0, 333.0, 500.0]);
    }

    #[test]
    fn unmapped_codes_are_reported_as_such() {
        let doc = Document::new();
        let font = dictionary! { "Subtype" => "Type3",
        "Encoding" => dictionary! { "Differences" => vec![Object::Integer(65), "g7".into()] },
        "FontMatrix" => vec![0.01.into(), 0.into(), 0.into(), 0.01.into(), 0.into(), 0.into()],
        "FirstChar" => 65, "Widths" => vec![Object::Integer(50)] };
        let f = Font::load(&doc, &font);
        let chars = decode_all(&f, b"A");
        assert_eq!(chars[0].text, None);
        assert!((f.glyph_scale - 0.01).abs() < 1e-6);
    }
}
