//! Which character encoding a text or HTML file is written in.
//!
//! A byte-order mark (UTF-8, UTF-16 LE or BE) wins over everything. Then bytes that are
//! valid UTF-8 are UTF-8, whatever the file declares: legacy text is almost never valid
//! UTF-8 by chance once it holds a letter beyond ASCII. Bytes that are not UTF-8 are
//! read in the declared charset if they are valid in it, and otherwise in the charset
//! that chardetng (the detector Firefox uses) guesses for a Swedish (`.se`) source. A
//! declaration the bytes contradict is overruled with a warning that names both.
//!
//! This module only decides; it does not find the declaration (HTML's `<meta charset>`
//! prescan is in `html.rs`) and does not decode.

use chardetng::{EncodingDetector, Iso2022JpDetection, Utf8Detection};
use encoding_rs::Encoding;

/// How many bytes the detector reads: its guess settles long before, and a bound keeps
/// detection cheap on a 200 MB file.
const DETECT_BYTES: usize = 1 << 20;

/// The top-level domain whose usual encodings the detector prefers: the protocols are
/// Swedish, so Windows-1252 beats the Central European and Baltic code pages on a tie.
const TLD: &[u8] = b"se";

/// The encoding to read `bytes` with, given the charset the page declares (the encoding
/// and its label as written), and a warning when a declaration was overruled.
pub fn detect(bytes: &[u8], declared: Option<(&'static Encoding, &str)>) -> (&'static Encoding, Option<String>) {
    if let Some((encoding, _)) = Encoding::for_bom(bytes) {
        return (encoding, None);
    }
    if bytes.is_ascii() {
        return (declared.map_or(encoding_rs::UTF_8, |(encoding, _)| encoding), None);
    }
    if std::str::from_utf8(bytes).is_ok() {
        let warning = declared
            .filter(|(encoding, _)| *encoding != encoding_rs::UTF_8)
            .map(|(_, label)| format!("sidan anger teckenkodningen {} men är skriven i UTF-8; den lästes som UTF-8", label.to_uppercase()));
        return (encoding_rs::UTF_8, warning);
    }
    match declared {
        Some((encoding, _)) if encoding != encoding_rs::UTF_8 && valid_in(encoding, bytes) => (encoding, None),
        Some((_, label)) => {
            let guess = guess(bytes);
            let warning = format!("sidan anger teckenkodningen {} men är inte skriven i den; den lästes som {}", label.to_uppercase(), display_name(guess));
            (guess, Some(warning))
        }
        None => (guess(bytes), None),
    }
}

/// An encoding's name as a message gives it.
fn display_name(encoding: &'static Encoding) -> String {
    if encoding == encoding_rs::WINDOWS_1252 { "Windows-1252 (Latin-1)".to_string() } else { encoding.name().to_string() }
}

/// Whether every byte sequence decodes in `encoding` (a single-byte code page with
/// unassigned bytes, or a multi-byte one, can tell that it is not the file's).
fn valid_in(encoding: &'static Encoding, bytes: &[u8]) -> bool {
    encoding.decode_without_bom_handling_and_without_replacement(&bytes[..bytes.len().min(DETECT_BYTES)]).is_some()
}

/// chardetng's guess among the legacy encodings (UTF-8 has been ruled out).
fn guess(bytes: &[u8]) -> &'static Encoding {
    let mut detector = EncodingDetector::new(Iso2022JpDetection::Deny);
    let head = &bytes[..bytes.len().min(DETECT_BYTES)];
    detector.feed(head, head.len() == bytes.len());
    detector.guess(Some(TLD), Utf8Detection::Deny)
}

#[cfg(test)]
mod tests {
    use super::*;

    const LATIN1: &[u8] = b"Socialn\xe4mnden i Str\xf6msund beslutade att f\xf6resl\xe5 fullm\xe4ktige";

    #[test]
    fn bom_wins_over_declaration() {
        let utf16 = [&[0xff, 0xfe][..], &"Strömsund".encode_utf16().flat_map(u16::to_le_bytes).collect::<Vec<u8>>()].concat();
        assert_eq!(detect(&utf16, Some((encoding_rs::WINDOWS_1252, "iso-8859-1"))), (encoding_rs::UTF_16LE, None));
        assert_eq!(detect(b"\xef\xbb\xbfStr\xc3\xb6msund", None), (encoding_rs::UTF_8, None));
    }

    #[test]
    fn utf8_overrules_a_legacy_declaration() {
        let (encoding, warning) = detect("Socialnämnden i Strömsund".as_bytes(), Some((encoding_rs::WINDOWS_1252, "iso-8859-1")));
        assert_eq!(encoding, encoding_rs::UTF_8);
        assert!(warning.is_some_and(|w| w.contains("ISO-8859-1") && w.contains("UTF-8")));
    }

    #[test]
    fn latin1_declared_as_utf8_is_detected() {
        let (encoding, warning) = detect(LATIN1, Some((encoding_rs::UTF_8, "utf-8")));
        assert_eq!(encoding, encoding_rs::WINDOWS_1252);
        assert!(warning.is_some_and(|w| w.contains("UTF-8") && w.contains("Windows-1252")));
    }

    #[test]
    fn undeclared_latin1_is_guessed_and_declared_latin1_kept() {
        assert_eq!(detect(LATIN1, None), (encoding_rs::WINDOWS_1252, None));
        assert_eq!(detect(LATIN1, Some((encoding_rs::WINDOWS_1252, "windows-1252"))), (encoding_rs::WINDOWS_1252, None));
        assert_eq!(detect(b"plain ascii", Some((encoding_rs::WINDOWS_1252, "latin1"))), (encoding_rs::WINDOWS_1252, None));
    }

    #[test]
    fn a_declaration_the_bytes_break_is_overruled() {
        // Shift_JIS cannot end on a lead byte; the text is Latin-1.
        let (encoding, warning) = detect(b"Str\xf6msund \x81", Some((encoding_rs::SHIFT_JIS, "shift_jis")));
        assert_ne!(encoding, encoding_rs::SHIFT_JIS);
        assert!(warning.is_some());
    }
}
