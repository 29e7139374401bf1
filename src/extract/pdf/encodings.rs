//! Simple-font encodings: the base encodings of PDF 32000 Annex D, glyph names to Unicode
//! by the Adobe Glyph List specification, and the advance widths of the standard-14 fonts.
//!
//! The tables themselves live in the generated [`super::tables`]; this module only looks
//! things up in them. It does not read font programs.

use super::tables;

/// The base encodings a simple font can name in `/Encoding` or `/BaseEncoding`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BaseEncoding {
    Standard,
    WinAnsi,
    MacRoman,
    PdfDoc,
}

impl BaseEncoding {
    pub fn from_name(name: &[u8]) -> Option<BaseEncoding> {
        match name {
            b"WinAnsiEncoding" => Some(BaseEncoding::WinAnsi),
            b"MacRomanEncoding" => Some(BaseEncoding::MacRoman),
            b"StandardEncoding" => Some(BaseEncoding::Standard),
            b"PDFDocEncoding" => Some(BaseEncoding::PdfDoc),
            _ => None,
        }
    }

    /// The glyph name of `code` in this encoding.
    pub fn glyph_name(self, code: u8) -> Option<&'static str> {
        let table = match self {
            BaseEncoding::Standard => &tables::STANDARD,
            BaseEncoding::WinAnsi => &tables::WIN_ANSI,
            BaseEncoding::MacRoman => &tables::MAC_ROMAN,
            BaseEncoding::PdfDoc => &tables::PDF_DOC,
        };
        table[usize::from(code)]
    }
}

fn agl_lookup(name: &str) -> Option<&'static str> {
    tables::GLYPH_LIST.binary_search_by(|(n, _)| (*n).cmp(name)).ok().map(|i| tables::GLYPH_LIST[i].1)
}

fn hex_scalar(hex: &str) -> Option<char> {
    u32::from_str_radix(hex, 16).ok().and_then(char::from_u32)
}

/// One component of a glyph name (AGL specification §2, step 3).
fn component_to_unicode(name: &str) -> Option<String> {
    if let Some(s) = agl_lookup(name) {
        return Some(s.to_string());
    }
    if let Some(hex) = name.strip_prefix("uni")
        && !hex.is_empty()
        && hex.len() % 4 == 0
        && hex.bytes().all(|b| b.is_ascii_hexdigit() && !b.is_ascii_lowercase())
    {
        let mut out = String::new();
        for chunk in hex.as_bytes().chunks(4) {
            // Surrogates are not scalar values, so `hex_scalar` refuses them.
            out.push(std::str::from_utf8(chunk).ok().and_then(hex_scalar)?);
        }
        return Some(out);
    }
    if let Some(hex) = name.strip_prefix('u')
        && (4..=6).contains(&hex.len())
        && hex.bytes().all(|b| b.is_ascii_hexdigit() && !b.is_ascii_lowercase())
    {
        return hex_scalar(hex).map(String::from);
    }
    None
}

/// Maps a glyph name to Unicode following the AGL specification: drop any suffix after
/// the first period, split ligature components on `_`, and map each component through the
/// glyph list or its `uniXXXX` / `uXXXX[XX]` form.
pub fn glyph_name_to_unicode(name: &str) -> Option<String> {
    let base = name.split('.').next().unwrap_or("");
    if base.is_empty() {
        return None;
    }
    let mut out = String::new();
    for component in base.split('_') {
        out.push_str(&component_to_unicode(component)?);
    }
    Some(out)
}

/// The standard-14 font a font name refers to, accepting the usual aliases (Arial for
/// Helvetica, TimesNewRoman for Times, CourierNew for Courier) and subset prefixes.
pub fn standard_14_name(base_font: &str) -> Option<&'static str> {
    let name = match base_font.split_once('+') {
        Some((prefix, rest)) if prefix.len() == 6 && prefix.bytes().all(|b| b.is_ascii_uppercase()) => rest,
        _ => base_font,
    };
    let lower = name.to_ascii_lowercase().replace([' ', '-', ','], "");
    let bold = lower.contains("bold") || lower.contains("black") || lower.contains("heavy");
    let italic = lower.contains("italic") || lower.contains("oblique");
    let family = if lower.starts_with("courier") {
        "Courier"
    } else if lower.starts_with("helvetica") || lower.starts_with("arial") {
        "Helvetica"
    } else if lower.starts_with("times") {
        "Times"
    } else if lower.starts_with("symbol") {
        return Some("Symbol");
    } else if lower.starts_with("zapfdingbats") {
        return Some("ZapfDingbats");
    } else {
        return None;
    };
    Some(match (family, bold, italic) {
        ("Courier", false, false) => "Courier",
        ("Courier", true, false) => "Courier-Bold",
        ("Courier", false, true) => "Courier-Oblique",
        ("Courier", true, true) => "Courier-BoldOblique",
        ("Helvetica", false, false) => "Helvetica",
        ("Helvetica", true, false) => "Helvetica-Bold",
        ("Helvetica", false, true) => "Helvetica-Oblique",
        ("Helvetica", true, true) => "Helvetica-BoldOblique",
        (_, false, false) => "Times-Roman",
        (_, true, false) => "Times-Bold",
        (_, false, true) => "Times-Italic",
        (_, true, true) => "Times-BoldItalic",
    })
}

/// The widths of a standard-14 font, keyed by character.
pub fn standard_14_widths(font: &str) -> Option<&'static [(char, u16)]> {
    tables::STANDARD_14_WIDTHS.iter().find(|(n, _)| *n == font).map(|(_, w)| *w)
}

/// The advance width (1/1000 em) of `c` in a standard-14 width table.
pub fn standard_14_width(widths: &[(char, u16)], c: char) -> Option<u16> {
    widths.binary_search_by(|(k, _)| k.cmp(&c)).ok().map(|i| widths[i].1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn swedish_letters_through_the_glyph_list() {
        assert_eq!(glyph_name_to_unicode("aring").as_deref(), Some("å"));
        assert_eq!(glyph_name_to_unicode("adieresis").as_deref(), Some("ä"));
        assert_eq!(glyph_name_to_unicode("Odieresis").as_deref(), Some("Ö"));
    }

    #[test]
    fn uni_and_u_names_suffixes_and_ligatures() {
        assert_eq!(glyph_name_to_unicode("uni00E5").as_deref(), Some("å"));
        assert_eq!(glyph_name_to_unicode("uni00E400F6").as_deref(), Some("äö"));
        assert_eq!(glyph_name_to_unicode("u1F600").as_deref(), Some("😀"));
        assert_eq!(glyph_name_to_unicode("odieresis.sc").as_deref(), Some("ö"));
        assert_eq!(glyph_name_to_unicode("f_f_i").as_deref(), Some("ffi"));
        assert_eq!(glyph_name_to_unicode("uni00e5"), None, "lower-case hex is not a uni name");
        assert_eq!(glyph_name_to_unicode("g123"), None);
    }

    #[test]
    fn base_encodings_differ_where_annex_d_says() {
        assert_eq!(BaseEncoding::WinAnsi.glyph_name(0xE5), Some("aring"));
        assert_eq!(BaseEncoding::MacRoman.glyph_name(0x8C), Some("aring"));
        assert_eq!(BaseEncoding::MacRoman.glyph_name(0x9A), Some("odieresis"));
        assert_eq!(BaseEncoding::Standard.glyph_name(0xE5), None);
        assert_eq!(BaseEncoding::WinAnsi.glyph_name(0x96), Some("endash"));
    }

    #[test]
    fn standard_14_aliases_and_widths() {
        assert_eq!(standard_14_name("Helvetica-Bold"), Some("Helvetica-Bold"));
        assert_eq!(standard_14_name("ABCDEF+Arial,BoldItalic"), Some("Helvetica-BoldOblique"));
        assert_eq!(standard_14_name("TimesNewRomanPSMT"), Some("Times-Roman"));
        assert_eq!(standard_14_name("Carlito"), None);
        let w = standard_14_widths("Helvetica").expect("table");
        assert_eq!(standard_14_width(w, 'a'), Some(556));
        assert_eq!(standard_14_width(w, 'å'), Some(556));
    }
}
