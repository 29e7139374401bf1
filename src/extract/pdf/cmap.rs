//! CMaps: the `ToUnicode` maps from character codes to text (PDF 32000 §9.10.3) and the
//! embedded encoding CMaps of composite fonts, which split strings into codes and map
//! codes to CIDs (§9.7.5).
//!
//! Ranges are kept as ranges, so a hostile `0000 FFFF` range costs nothing, and the
//! number of entries read is bounded. Predefined CMaps other than Identity are not
//! shipped; fonts that use them still extract through their `ToUnicode`.

use std::collections::HashMap;

use super::lexer::{Lexer, Operand, Token};

/// Most mappings (single entries plus ranges) read from one CMap.
pub const MAX_CMAP_ENTRIES: usize = 1 << 18;

/// A codespace range: codes of `len` bytes between `lo` and `hi`, compared byte by byte.
#[derive(Debug, Clone, PartialEq)]
pub struct CodespaceRange {
    pub len: usize,
    pub lo: Vec<u8>,
    pub hi: Vec<u8>,
}

impl CodespaceRange {
    fn contains(&self, bytes: &[u8]) -> bool {
        bytes.len() == self.len && bytes.iter().zip(self.lo.iter().zip(&self.hi)).all(|(b, (lo, hi))| lo <= b && b <= hi)
    }
}

#[derive(Debug, Clone)]
struct UnicodeRange {
    lo: u32,
    hi: u32,
    /// UTF-16 code units of the text for `lo`; later codes increment the last unit.
    start: Vec<u16>,
}

#[derive(Debug, Clone)]
struct CidRange {
    lo: u32,
    hi: u32,
    cid: u32,
}

/// A parsed CMap. One type serves both kinds: a ToUnicode map fills `chars`/`ranges`,
/// an encoding map fills `cid_*`; both may declare codespace ranges.
#[derive(Debug, Clone, Default)]
pub struct CMap {
    pub codespace: Vec<CodespaceRange>,
    chars: HashMap<u32, String>,
    ranges: Vec<UnicodeRange>,
    cid_chars: HashMap<u32, u32>,
    cid_ranges: Vec<CidRange>,
}

fn code_of(bytes: &[u8]) -> u32 {
    bytes.iter().take(4).fold(0u32, |acc, &b| acc << 8 | u32::from(b))
}

fn utf16_units(bytes: &[u8]) -> Vec<u16> {
    bytes.chunks(2).map(|c| if c.len() == 2 { u16::from_be_bytes([c[0], c[1]]) } else { u16::from(c[0]) }).collect()
}

fn units_to_string(units: &[u16]) -> String {
    char::decode_utf16(units.iter().copied()).map(|r| r.unwrap_or('\u{fffd}')).collect()
}

/// Text a bfchar/bfrange destination names: UTF-16BE bytes, or a glyph name.
fn destination_text(op: &Operand) -> Option<String> {
    match op {
        Operand::String(bytes) => Some(units_to_string(&utf16_units(bytes))),
        Operand::Name(name) => super::encodings::glyph_name_to_unicode(&String::from_utf8_lossy(name)),
        _ => None,
    }
}

impl CMap {
    /// Parses the text of a CMap stream. Unknown operators are skipped; a damaged map
    /// gives whatever entries could be read.
    pub fn parse(data: &[u8]) -> CMap {
        let mut cmap = CMap::default();
        let mut lexer = Lexer::new(data);
        let mut operands: Vec<Operand> = Vec::new();
        let mut entries = 0usize;
        while let Some(Ok(token)) = lexer.next_token() {
            let op = match token {
                Token::Operand(o) => {
                    if operands.len() < 3 * 256 + 3 {
                        operands.push(o);
                    }
                    continue;
                }
                Token::Operator(op) => op,
                Token::InlineImage => continue,
            };
            match op.as_slice() {
                b"endcodespacerange" => {
                    for pair in operands.chunks(2) {
                        if let [Operand::String(lo), Operand::String(hi)] = pair
                            && lo.len() == hi.len()
                            && (1..=4).contains(&lo.len())
                        {
                            cmap.codespace.push(CodespaceRange { len: lo.len(), lo: lo.clone(), hi: hi.clone() });
                        }
                    }
                }
                b"endbfchar" => {
                    for pair in operands.chunks(2) {
                        if entries >= MAX_CMAP_ENTRIES {
                            break;
                        }
                        if let [Operand::String(src), dst] = pair
                            && let Some(text) = destination_text(dst)
                        {
                            cmap.chars.insert(code_of(src), text);
                            entries += 1;
                        }
                    }
                }
                b"endbfrange" => {
                    for triple in operands.chunks(3) {
                        if entries >= MAX_CMAP_ENTRIES {
                            break;
                        }
                        let [Operand::String(lo), Operand::String(hi), dst] = triple else { continue };
                        let (lo, hi) = (code_of(lo), code_of(hi));
                        if hi < lo {
                            continue;
                        }
                        match dst {
                            Operand::String(start) => {
                                cmap.ranges.push(UnicodeRange { lo, hi, start: utf16_units(start) });
                                entries += 1;
                            }
                            Operand::Array(items) => {
                                for (i, item) in items.iter().enumerate().take((hi - lo) as usize + 1) {
                                    if let Some(text) = destination_text(item) {
                                        cmap.chars.insert(lo + i as u32, text);
                                        entries += 1;
                                    }
                                }
                            }
                            _ => {}
                        }
                    }
                }
                b"endcidchar" => {
                    for pair in operands.chunks(2) {
                        if let [Operand::String(src), Operand::Number(cid)] = pair {
                            cmap.cid_chars.insert(code_of(src), cid.max(0.0) as u32);
                            entries += 1;
                        }
                    }
                }
                b"endcidrange" => {
                    for triple in operands.chunks(3) {
                        if let [Operand::String(lo), Operand::String(hi), Operand::Number(cid)] = triple {
                            let (lo, hi) = (code_of(lo), code_of(hi));
                            if lo <= hi {
                                cmap.cid_ranges.push(CidRange { lo, hi, cid: cid.max(0.0) as u32 });
                                entries += 1;
                            }
                        }
                    }
                }
                _ => {}
            }
            operands.clear();
            if entries >= MAX_CMAP_ENTRIES {
                break;
            }
        }
        cmap
    }

    /// The text for a code, if the map has one.
    pub fn lookup(&self, code: u32) -> Option<String> {
        if let Some(s) = self.chars.get(&code) {
            return Some(s.clone());
        }
        let r = self.ranges.iter().rev().find(|r| r.lo <= code && code <= r.hi)?;
        let mut units = r.start.clone();
        let offset = code - r.lo;
        if let Some(last) = units.last_mut() {
            *last = last.wrapping_add(offset as u16);
        }
        Some(units_to_string(&units))
    }

    /// The CID of a code in an encoding CMap; Identity when the map names none.
    pub fn cid(&self, code: u32) -> u32 {
        if let Some(&cid) = self.cid_chars.get(&code) {
            return cid;
        }
        self.cid_ranges.iter().find(|r| r.lo <= code && code <= r.hi).map_or(code, |r| r.cid + (code - r.lo))
    }

    pub fn has_cid_mappings(&self) -> bool {
        !self.cid_chars.is_empty() || !self.cid_ranges.is_empty()
    }

    /// How many bytes the code starting at `bytes` takes, from the codespace ranges;
    /// `default` when no range matches (as pdf.js does for damaged maps).
    pub fn code_length(&self, bytes: &[u8], default: usize) -> usize {
        for len in 1..=4 {
            if bytes.len() < len {
                break;
            }
            if self.codespace.iter().any(|r| r.contains(&bytes[..len])) {
                return len;
            }
        }
        default.min(bytes.len()).max(1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const LIBREOFFICE_TOUNICODE: &[u8] = b"/CIDInit/ProcSet findresource begin
12 dict begin
begincmap
/CIDSystemInfo<< /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def
/CMapName/Adobe-Identity-UCS def
/CMapType 2 def
1 begincodespacerange
<00> <FF>
endcodespacerange
3 beginbfchar
<01> <0053>
<0A> <00E5>
<0B> <00E4>
endbfchar
1 beginbfrange
<20> <22> <0041>
endbfrange
endcmap";

    #[test]
    fn bfchar_and_bfrange_map_codes_to_text() {
        let m = CMap::parse(LIBREOFFICE_TOUNICODE);
        assert_eq!(m.lookup(0x01).as_deref(), Some("S"));
        assert_eq!(m.lookup(0x0A).as_deref(), Some("å"));
        assert_eq!(m.lookup(0x21).as_deref(), Some("B"));
        assert_eq!(m.lookup(0x30), None);
        assert_eq!(m.code_length(&[0x41, 0x42], 2), 1);
    }

    #[test]
    fn ligatures_and_array_ranges() {
        let m = CMap::parse(
            b"1 begincodespacerange <0000> <FFFF> endcodespacerange
2 beginbfchar <0003> <00660069> <0004> /adieresis endbfchar
1 beginbfrange <0010> <0011> [<00D6> <00F6>] endbfrange",
        );
        assert_eq!(m.lookup(3).as_deref(), Some("fi"));
        assert_eq!(m.lookup(4).as_deref(), Some("ä"));
        assert_eq!(m.lookup(0x11).as_deref(), Some("ö"));
        assert_eq!(m.code_length(&[0, 3, 0], 1), 2);
    }

    #[test]
    fn a_huge_range_is_stored_as_one_entry() {
        let m = CMap::parse(b"1 beginbfrange <0000> <FFFF> <0041> endbfrange");
        assert_eq!((m.ranges.len(), m.chars.len()), (1, 0));
        assert_eq!(m.lookup(1).as_deref(), Some("B"));
        let m = CMap::parse(b"1 begincidrange <0000> <FFFF> 0 endcidrange");
        assert_eq!((m.cid_ranges.len(), m.cid_chars.len()), (1, 0));
    }

    #[test]
    fn cid_ranges_map_codes_to_cids() {
        let m = CMap::parse(b"1 begincidrange <0020> <007e> 1 endcidrange");
        assert_eq!(m.cid(0x21), 2);
        assert_eq!(m.cid(0x100), 0x100);
    }
}
