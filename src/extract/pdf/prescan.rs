//! A linear count of a PDF's tokens before lopdf reads it. lopdf keeps every number, name,
//! string and bracket of the file's objects as an object of about a hundred bytes, so a
//! small file of one long array (or a compressed object stream that unpacks to one) would
//! take gigabytes; counting first bounds that memory by [`MAX_PDF_TOKENS`].
//!
//! Counted: the tokens outside stream data, and the tokens inside object streams
//! (`/Type /ObjStm`), unpacked with their filters up to [`MAX_OBJECT_STREAM_BYTES`].
//! Not counted: the data of other streams (page content, images, fonts), which lopdf
//! keeps as bytes and which later stages bound themselves. An object stream that cannot
//! be unpacked here (an encrypted file) is counted by its packed size; lopdf still bounds
//! each one to [`MAX_OBJECT_STREAM_BYTES`].

use lopdf::{Dictionary, Object, Stream};

/// Most tokens a PDF may hold outside page content: a 100-page protocol has about 20,000
/// and a 3,600-page volume about 470,000. At about 120 bytes each in lopdf, the bound
/// keeps a file's objects under 200 MB.
pub const MAX_PDF_TOKENS: usize = 1_500_000;

/// Most bytes one object stream (or cross-reference stream) may unpack to while the file
/// is loaded. Writers put about a hundred objects in one, some kilobytes.
pub const MAX_OBJECT_STREAM_BYTES: usize = 4 * 1024 * 1024;

/// How far before `stream` the start of its object (`obj`) is looked for.
const DICT_WINDOW: usize = 4096;

fn is_white(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\r' | b'\n' | b'\x0c' | b'\0')
}

fn is_delim(b: u8) -> bool {
    matches!(b, b'(' | b')' | b'<' | b'>' | b'[' | b']' | b'{' | b'}' | b'/' | b'%')
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

/// The end of a literal string starting at `i` (its `(`): after the `)` that balances it.
fn literal_end(b: &[u8], mut i: usize) -> usize {
    let mut depth = 0usize;
    while i < b.len() {
        match b[i] {
            b'\\' => i += 1,
            b'(' => depth += 1,
            b')' => {
                depth -= 1;
                if depth == 0 {
                    return i + 1;
                }
            }
            _ => {}
        }
        i += 1;
    }
    b.len()
}

/// The regular characters from `i` on (a name's or a keyword's).
fn word_end(b: &[u8], mut i: usize) -> usize {
    while i < b.len() && !is_white(b[i]) && !is_delim(b[i]) {
        i += 1;
    }
    i
}

/// The value of `/Key` in a dictionary's text as an object lopdf decodes with: a name, an
/// array of names, or a dictionary of numbers (`/DecodeParms << /Predictor 12 … >>`).
fn value_of(dict: &[u8], key: &[u8]) -> Option<Object> {
    let at = find(dict, key)? + key.len();
    let rest = &dict[at..];
    let start = rest.iter().position(|&c| !is_white(c))?;
    let rest = &rest[start..];
    match rest.first()? {
        b'/' => Some(Object::Name(rest[1..word_end(rest, 1)].to_vec())),
        b'[' => {
            let end = rest.iter().position(|&c| c == b']')?;
            let names = rest[1..end].split(|&c| c == b'/').skip(1).map(|n| Object::Name(n[..word_end(n, 0)].to_vec())).collect();
            Some(Object::Array(names))
        }
        b'<' if rest.starts_with(b"<<") => {
            let end = find(rest, b">>")?;
            let mut params = Dictionary::new();
            for entry in rest[2..end].split(|&c| c == b'/').skip(1) {
                let name_end = word_end(entry, 0);
                let value = String::from_utf8_lossy(&entry[name_end..]).trim().parse::<i64>().ok()?;
                params.set(entry[..name_end].to_vec(), Object::Integer(value));
            }
            Some(Object::Dictionary(params))
        }
        _ => None,
    }
}

/// The tokens of an object stream's data, by its dictionary's text: unpacked with its
/// filters when they can be read here, else counted by the packed size.
fn object_stream_tokens(dict: &[u8], data: &[u8], budget: usize) -> usize {
    let mut d = Dictionary::new();
    for key in [&b"Filter"[..], b"DecodeParms"] {
        let mut slash = b"/".to_vec();
        slash.extend_from_slice(key);
        if let Some(v) = value_of(dict, &slash) {
            d.set(key.to_vec(), v);
        }
    }
    let stream = Stream::new(d, data.to_vec());
    match stream.decompressed_content_with_limit(MAX_OBJECT_STREAM_BYTES) {
        Ok(plain) => count(&plain, false, budget),
        Err(_) => data.len() / 2,
    }
}

/// Counts tokens, at most a little beyond `budget`; stream data is skipped when
/// `streams` (a file), and object streams are counted inside.
fn count(b: &[u8], streams: bool, budget: usize) -> usize {
    let mut n = 0;
    let mut i = 0;
    while i < b.len() && n <= budget {
        let c = b[i];
        if is_white(c) {
            i += 1;
            continue;
        }
        n += 1;
        match c {
            b'%' => {
                n -= 1;
                i = b[i..].iter().position(|&c| c == b'\r' || c == b'\n').map_or(b.len(), |e| i + e);
            }
            b'(' => i = literal_end(b, i),
            b'<' if b.get(i + 1) == Some(&b'<') => i += 2,
            b'<' => i = b[i..].iter().position(|&c| c == b'>').map_or(b.len(), |e| i + e + 1),
            b'>' if b.get(i + 1) == Some(&b'>') => i += 2,
            b'[' | b']' | b'{' | b'}' | b')' | b'>' => i += 1,
            b'/' => i = word_end(b, i + 1),
            _ => {
                let start = i;
                i = word_end(b, i).max(i + 1);
                if streams && &b[start..i] == b"stream" {
                    let mut data = i;
                    if b[data..].starts_with(b"\r\n") {
                        data += 2;
                    } else if b.get(data).is_some_and(|&c| c == b'\n' || c == b'\r') {
                        data += 1;
                    }
                    let end = find(&b[data..], b"endstream").map_or(b.len(), |e| data + e);
                    let window = &b[start.saturating_sub(DICT_WINDOW)..start];
                    let dict = window.windows(3).rposition(|w| w == b"obj").map_or(window, |k| &window[k..]);
                    if find(dict, b"/ObjStm").is_some() {
                        n += object_stream_tokens(dict, &b[data..end], budget.saturating_sub(n));
                    }
                    i = end;
                }
            }
        }
    }
    n
}

/// Whether the file holds at most [`MAX_PDF_TOKENS`] tokens outside page content.
pub fn within_bounds(bytes: &[u8]) -> bool {
    count(bytes, true, MAX_PDF_TOKENS) <= MAX_PDF_TOKENS
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stream_data_is_skipped_and_object_streams_counted() {
        let plain = b"1 0 obj << /Length 9 >> stream\n[[[ 0 0 0\nendstream endobj";
        assert_eq!(count(plain, true, MAX_PDF_TOKENS), 10, "1 0 obj << /Length 9 >> stream endstream endobj");
        // "0 0 [1 2 3 (a) /b]" in hexadecimal: 9 tokens inside.
        let hex: String = b"0 0 [1 2 3 (a) /b]".iter().map(|b| format!("{b:02x}")).collect();
        let objstm = format!("2 0 obj << /Type /ObjStm /N 1 /First 4 /Filter [/ASCIIHexDecode] >> stream\n{hex}>\nendstream endobj");
        assert_eq!(count(objstm.as_bytes(), true, MAX_PDF_TOKENS), 18 + 9);
    }

    #[test]
    fn a_long_array_is_over_the_bound() {
        let mut pdf = b"%PDF-1.4\n1 0 obj [".to_vec();
        pdf.extend(std::iter::repeat_n(&b"0 "[..], MAX_PDF_TOKENS + 1).flatten());
        pdf.extend_from_slice(b"] endobj");
        assert!(!within_bounds(&pdf));
        assert!(within_bounds(b"%PDF-1.4\n1 0 obj [0 0 0] endobj"));
    }
}
