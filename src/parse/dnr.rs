//! Diarienummer: the case number an item carries, after a label ("Dnr", "Diarienummer",
//! "Diarienr", "D nr"). Publishers number cases in many ways; all of them are runs of
//! digits and codes joined by `.`, `/`, `:` or `-`, with a classification code after a
//! space:
//!
//! `31/16`, `2016/117`, `SN.2022.471 704`, `ÄO-VSF.2022.29 730`, `IFU 2021/452`,
//! `KS/2011:286`, `2018/KS 0001 001`, `RSK 66-2010`, `1.6-0463/2011`, `0015/13 - 200`,
//! `002 – 443 / 05`, `KS 02-820 107`.
//!
//! The number ends at the first word that is neither: "Dnr 31/16 Sökanden har …" is
//! `31/16`. A transcript that lost the digits leaves `Dnr 2012-KS` or nothing.

use std::sync::LazyLock;

use regex::Regex;

/// The label, then an optional colon or full stop.
static LABEL: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"(?i)\b(?:diarienummer|diarienr|diarie\s*nr|dnr|d\s+nr)\b\.?\s*:?\s*").expect("valid regex"));

/// Most parts of a diarienummer, counted in words.
const MAX_PARTS: usize = 6;

/// A case code before the number: `SN`, `ÄO-VSF`, `KS`, `IFU` (capitals only).
fn is_code(word: &str) -> bool {
    let letters = word.trim_end_matches(['.', '/']);
    (1..=8).contains(&letters.chars().count()) && letters.chars().all(|c| c.is_uppercase() || c == '-') && letters.chars().any(char::is_alphabetic)
}

fn has_digit(word: &str) -> bool {
    word.chars().any(|c| c.is_ascii_digit())
}

/// A word made of digits, capitals and joiners only: `2022/123`, `SN.2022.471`, `2012-KS`.
fn is_number_part(word: &str) -> bool {
    has_digit(word) && word.chars().all(|c| c.is_ascii_digit() || c.is_uppercase() || "./:-–".contains(c))
}

fn is_joiner(word: &str) -> bool {
    matches!(word, "-" | "–" | "/" | ":" | ".")
}

/// The diarienummer that starts at the beginning of `value` (after its label), and its
/// length in bytes.
fn value_at(value: &str) -> Option<(String, usize)> {
    let mut parts: Vec<&str> = Vec::new();
    let mut end = 0;
    let mut seen_number = false;
    for (offset, word) in value.split_whitespace().map(|w| (w.as_ptr() as usize - value.as_ptr() as usize, w)) {
        if parts.len() >= MAX_PARTS {
            break;
        }
        let w = word.trim_end_matches([',', ';', ')']);
        let ok = if !seen_number {
            is_code(w) || is_number_part(w)
        } else {
            // After the number: a joiner, a number part, or a short classification code.
            is_joiner(w) || is_number_part(w) || (parts.last().is_some_and(|p| p.ends_with('/')) && is_code(w))
        };
        if !ok {
            break;
        }
        seen_number |= has_digit(w);
        parts.push(w);
        end = offset + w.len();
        if w.len() != word.len() {
            break;
        }
    }
    while parts.last().is_some_and(|p| is_joiner(p)) {
        parts.pop();
    }
    if !seen_number || parts.is_empty() {
        return None;
    }
    let text = parts.join(" ");
    let text = text.trim_end_matches(['.', '/', ':', '-', '–']).to_string();
    Some((text, end))
}

/// The first diarienummer in `text`: where its label starts, where the number ends, and
/// the number.
pub fn find(text: &str) -> Option<(usize, usize, String)> {
    for m in LABEL.find_iter(text) {
        if let Some((value, len)) = value_at(&text[m.end()..]) {
            return Some((m.start(), m.end() + len, value));
        }
    }
    None
}

/// The diarienummer in `text`, if it has one.
pub fn of(text: &str) -> Option<String> {
    find(text).map(|(_, _, v)| v)
}

/// Whether `text` starts with a diarienummer label.
pub fn starts_with_label(text: &str) -> bool {
    LABEL.find(text.trim_start()).is_some_and(|m| m.start() == 0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_shapes_of_case_numbers() {
        for (text, want) in [
            ("Dnr 31/16 Sökanden har ansökt", "31/16"),
            ("Diarienummer SN.2022.471 704", "SN.2022.471 704"),
            ("Diarienummer ÄO-VSF.2022.29 730", "ÄO-VSF.2022.29 730"),
            ("§ 108   Dnr IFU 2021/452", "IFU 2021/452"),
            ("Dnr KS/2011:286", "KS/2011:286"),
            ("Dnr 2018/KS 0001 001", "2018/KS 0001 001"),
            ("Dnr RSK 66-2010", "RSK 66-2010"),
            ("Dnr 1.6-0463/2011", "1.6-0463/2011"),
            ("MYN § 19 Dnr 0015/13 - 200 DELGIVNINGAR", "0015/13 - 200"),
            ("(D nr 002 – 443 / 05)", "002 – 443 / 05"),
            ("Dnr: KS 02-820 107", "KS 02-820 107"),
            ("Dnr 2012-KS Namninsamling", "2012-KS"),
            ("Dnr 31/16 XXXX XXXX, anställd", "31/16"),
            ("Dnr. 2016/117.", "2016/117"),
        ] {
            assert_eq!(of(text).as_deref(), Some(want), "{text}");
        }
    }

    #[test]
    fn a_label_without_a_number_is_none() {
        assert_eq!(of("Dnr Ks Namninsamling"), None);
        assert_eq!(of("Dnr"), None);
        assert_eq!(of("Bilagor till dnr-listan"), None);
    }

    #[test]
    fn where_it_stands() {
        let (start, end, _) = find("Budget 2023 Dnr 2022/123 Text").expect("dnr");
        assert_eq!(&"Budget 2023 Dnr 2022/123 Text"[start..end], "Dnr 2022/123");
    }
}
