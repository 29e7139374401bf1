//! Personal identity numbers: finding and masking personnummer and samordningsnummer.
//!
//! Socialnämnd protocols are public records, but they sometimes print a person's
//! identity number. Extraction masks every one it finds before anything else sees the
//! text, so the numbers reach neither the parser, nor the index, nor any output; only
//! `protokoll extract --raw` shows the text as the file has it.
//!
//! A number is masked only when it has the shape of one and holds up as one:
//! - `ÅÅÅÅMMDD-NNNN`, `ÅÅMMDD-NNNN` (also with `+`, an en dash or a minus sign), or
//!   twelve digits `ÅÅÅÅMMDDNNNN`, or ten digits `ÅÅMMDDNNNN` not starting with 0 (a
//!   Swedish phone number always does);
//! - the date is a real date, where a samordningsnummer adds 60 to the day;
//! - the last digit is the Luhn check digit of the ten digits `ÅÅMMDDNNN`.
//!
//! A diarienummer, a date, a phone number, an organisation number (its "month" is 20 or
//! more) or an amount fails one of these and is left alone. The mask keeps the shape and
//! the length of what it replaces: `YYYYMMDD-XXXX` or `YYMMDD-XXXX`, so column positions
//! of extracted text stay where they were.
//!
//! This module neither decides where masking happens (see [`crate::extract`]) nor
//! handles other personal data such as names.

use std::borrow::Cow;

/// The mask of a twelve-digit number.
pub const MASK_LONG: &str = "YYYYMMDD-XXXX";
/// The mask of a ten-digit number.
pub const MASK_SHORT: &str = "YYMMDD-XXXX";

/// Characters written between the date and the last four digits: hyphen, plus (a person
/// of a hundred or more), non-breaking hyphen, figure dash, en dash, minus sign.
fn is_separator(c: char) -> bool {
    matches!(c, '-' | '+' | '\u{2011}' | '\u{2012}' | '\u{2013}' | '\u{2212}')
}

/// The Luhn check over ten digits: the last one is the check digit of the nine before.
fn luhn_holds(digits: &[u8; 10]) -> bool {
    let sum: u32 = digits
        .iter()
        .enumerate()
        .map(|(i, &d)| {
            let v = u32::from(d) * if i % 2 == 0 { 2 } else { 1 };
            v / 10 + v % 10
        })
        .sum();
    sum % 10 == 0
}

fn days_in_month(year: Option<u32>, short_year: u32, month: u32) -> u32 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        _ => {
            // With the century unknown, a year divisible by four may be a leap year.
            let leap = match year {
                Some(y) => y % 4 == 0 && (y % 100 != 0 || y % 400 == 0),
                None => short_year % 4 == 0,
            };
            if leap { 29 } else { 28 }
        }
    }
}

/// Whether ten digits `ÅÅMMDDNNNC` are a personnummer or samordningsnummer; `year` is
/// the full year when the number was written with its century.
fn is_identity_number(digits: &[u8; 10], year: Option<u32>) -> bool {
    let two = |i: usize| u32::from(digits[i]) * 10 + u32::from(digits[i + 1]);
    let (short_year, month, mut day) = (two(0), two(2), two(4));
    if !(1..=12).contains(&month) {
        return false;
    }
    if day > 60 {
        day -= 60;
    }
    day >= 1 && day <= days_in_month(year, short_year, month) && luhn_holds(digits)
}

fn ten(digits: &[u8]) -> Option<[u8; 10]> {
    let mut out = [0u8; 10];
    if digits.len() != 10 {
        return None;
    }
    for (o, d) in out.iter_mut().zip(digits) {
        *o = d - b'0';
    }
    Some(out)
}

/// A full year written as `18`, `19` or `20` and two digits.
fn century_year(first_four: &[u8]) -> Option<u32> {
    let y = first_four.iter().try_fold(0u32, |acc, &d| Some(acc * 10 + u32::from(d.checked_sub(b'0')?)))?;
    (1800..2100).contains(&y).then_some(y)
}

/// Whether a number may start at byte `i`: not inside a word, nor continuing a number
/// written with dots, slashes or dashes ("SN.2022.471", "2022-11-17").
fn starts_free(s: &str, i: usize) -> bool {
    let mut before = s[..i].chars().rev();
    match before.next() {
        None => true,
        Some(c) if c.is_alphanumeric() => false,
        Some(c) if matches!(c, '.' | ',' | '/' | ':') || is_separator(c) => !before.next().is_some_and(|p| p.is_ascii_digit()),
        Some(_) => true,
    }
}

/// Whether a number may end at byte `i`: not followed by a letter or digit, nor by a
/// dash or dot and another digit.
fn ends_free(s: &str, i: usize) -> bool {
    let mut after = s[i..].chars();
    match after.next() {
        None => true,
        Some(c) if c.is_alphanumeric() => false,
        Some(c) if matches!(c, '.' | ',' | '/' | ':') || is_separator(c) => !after.next().is_some_and(|n| n.is_ascii_digit()),
        Some(_) => true,
    }
}

/// A number found: its byte range and its mask.
fn find_at(s: &str, start: usize) -> Option<(usize, &'static str)> {
    let bytes = s.as_bytes();
    let run_end = |from: usize| bytes[from..].iter().position(|b| !b.is_ascii_digit()).map_or(bytes.len(), |p| from + p);
    let end = run_end(start);
    let run = &bytes[start..end];
    match run.len() {
        12 if ends_free(s, end) => {
            let year = century_year(&run[..4])?;
            is_identity_number(&ten(&run[2..])?, Some(year)).then_some((end, MASK_LONG))
        }
        10 if run[0] != b'0' && ends_free(s, end) => is_identity_number(&ten(run)?, None).then_some((end, MASK_SHORT)),
        6 | 8 => {
            let sep = s[end..].chars().next().filter(|&c| is_separator(c))?;
            let tail_start = end + sep.len_utf8();
            let tail_end = run_end(tail_start);
            if tail_end - tail_start != 4 || !ends_free(s, tail_end) {
                return None;
            }
            let mut digits = Vec::with_capacity(10);
            let (year, mask) = if run.len() == 8 { (Some(century_year(&run[..4])?), MASK_LONG) } else { (None, MASK_SHORT) };
            digits.extend_from_slice(&run[run.len() - 6..]);
            digits.extend_from_slice(&bytes[tail_start..tail_end]);
            is_identity_number(&ten(&digits)?, year).then_some((tail_end, mask))
        }
        _ => None,
    }
}

/// The text with every personnummer and samordningsnummer masked, and how many there
/// were. Linear in the text: each digit run is looked at once.
pub fn mask(text: &str) -> (Cow<'_, str>, usize) {
    let bytes = text.as_bytes();
    let mut out: Option<String> = None;
    let (mut copied, mut count, mut i) = (0, 0, 0);
    while i < bytes.len() {
        if !bytes[i].is_ascii_digit() {
            i += 1;
            continue;
        }
        let run_end = bytes[i..].iter().position(|b| !b.is_ascii_digit()).map_or(bytes.len(), |p| i + p);
        if starts_free(text, i)
            && let Some((end, masked)) = find_at(text, i)
        {
            let o = out.get_or_insert_with(|| String::with_capacity(text.len()));
            o.push_str(&text[copied..i]);
            o.push_str(masked);
            copied = end;
            count += 1;
            i = end;
            continue;
        }
        i = run_end;
    }
    match out {
        Some(mut o) => {
            o.push_str(&text[copied..]);
            (Cow::Owned(o), count)
        }
        None => (Cow::Borrowed(text), 0),
    }
}

/// Masks a string in place, returning how many numbers it held.
pub fn mask_in_place(text: &mut String) -> usize {
    let (masked, n) = mask(text);
    if let Cow::Owned(m) = masked {
        *text = m;
    }
    n
}

/// Masks every string of a meeting but its source (the file's path and hash), for
/// meetings stored before masking, when an index is carried over. Returns how many
/// numbers were masked; the count is added to the source's.
pub fn mask_meeting(meeting: &mut crate::model::Meeting) -> usize {
    fn walk(v: &mut serde_json::Value, n: &mut usize) {
        match v {
            serde_json::Value::String(s) => *n += mask_in_place(s),
            serde_json::Value::Array(a) => a.iter_mut().for_each(|x| walk(x, n)),
            serde_json::Value::Object(o) => o.iter_mut().filter(|(k, _)| k.as_str() != "source").for_each(|(_, x)| walk(x, n)),
            _ => {}
        }
    }
    let Ok(mut value) = serde_json::to_value(&*meeting) else { return 0 };
    let mut n = 0;
    walk(&mut value, &mut n);
    if n > 0
        && let Ok(mut masked) = serde_json::from_value::<crate::model::Meeting>(value)
    {
        masked.source.masked = masked.source.masked.saturating_add(u32::try_from(n).unwrap_or(u32::MAX));
        *meeting = masked;
    }
    n
}

#[cfg(test)]
mod tests {
    use super::*;

    fn masked(s: &str) -> String {
        mask(s).0.into_owned()
    }

    #[test]
    fn valid_numbers_are_masked_in_every_written_form() {
        // Skatteverket's test numbers: valid dates with a valid check digit.
        assert_eq!(masked("Klient 19121212-1212 beviljas"), "Klient YYYYMMDD-XXXX beviljas");
        assert_eq!(masked("pnr 121212-1212."), "pnr YYMMDD-XXXX.");
        assert_eq!(masked("191212121212"), "YYYYMMDD-XXXX");
        assert_eq!(masked("(1212121212)"), "(YYMMDD-XXXX)");
        assert_eq!(masked("pnr:121212-1212"), "pnr:YYMMDD-XXXX");
        assert_eq!(masked("121212+1212"), "YYMMDD-XXXX");
        assert_eq!(masked("19121212\u{2013}1212"), "YYYYMMDD-XXXX");
        assert_eq!(mask("a 19121212-1212 och 121212-1212").1, 2);
    }

    #[test]
    fn samordningsnummer_add_sixty_to_the_day() {
        // 1912-12-12 as a samordningsnummer: day 72; check digit computed by Luhn.
        let digits = |s: &str| -> [u8; 10] { ten(s.as_bytes()).expect("ten digits") };
        let base = "121272121";
        let check = (0..10).find(|c| luhn_holds(&digits(&format!("{base}{c}")))).expect("a check digit");
        assert_eq!(masked(&format!("19{}{}-{}{check}", &base[..2], &base[2..6], &base[6..])), MASK_LONG);
        // Day 92 (32 + 60) is no date.
        assert!(!is_identity_number(&digits("1212921219"), None));
    }

    #[test]
    fn other_numbers_are_left_alone() {
        for s in [
            "19121212-1213",   // wrong check digit
            "121312-1212",     // month 13
            "SN.2022.471 704", // diarienummer
            "Dnr 2022-11-17",  // a date
            "070-123 45 67",   // phone numbers
            "0701234567",
            "063-14 30 00",
            "212000-1355",      // organisationsnummer: "month" 20
            "1 212 121 212 kr", // an amount
            "12121212121212",   // too many digits
            "x19121212-1212",   // inside a word
            "19121212-12125",   // longer tail
            "2022.121212-1212", // part of a longer number
            "12-121212-1212",
        ] {
            assert_eq!(masked(s), s, "{s}");
        }
    }

    #[test]
    fn february_29_needs_a_leap_year_when_the_century_is_written() {
        let digits = |s: &str| -> [u8; 10] { ten(s.as_bytes()).expect("ten digits") };
        let with_check = |base: &str| (0..10).map(|c| format!("{base}{c}")).find(|s| luhn_holds(&digits(s))).expect("check digit");
        let n = with_check("000229123");
        assert!(is_identity_number(&digits(&n), Some(2000)));
        assert!(!is_identity_number(&digits(&n), Some(1900)));
        let n = with_check("010229123");
        assert!(!is_identity_number(&digits(&n), None));
    }

    #[test]
    fn a_stored_meeting_is_masked_but_its_source_is_not() {
        let json = r#"{"id":"x","source":{"path":"/a/191212121212.txt","format":"text","sha256":"ab","pages":1,"ocr":false},
            "body":{"name":"Socialnämnden","key":"sn"},"organization":null,"kind":"protokoll","date":null,"time":null,"place":null,
            "officers":{"chair":null,"secretary":null,"adjusters":[]},"participants":[],"items":[{"number":"1","title":"Ärende 19121212-1212",
            "diarienummer":"SN.2022.471","presenters":[],"page":1,"heading":"§ 1","text":"121212-1212 och 070-123 45 67","decision":null,"references":[]}],
            "attachments":[],"warnings":[]}"#;
        let mut m: crate::model::Meeting = serde_json::from_str(json).expect("a meeting");
        assert_eq!(mask_meeting(&mut m), 2);
        assert_eq!(m.items[0].title, "Ärende YYYYMMDD-XXXX");
        assert_eq!(m.items[0].text, "YYMMDD-XXXX och 070-123 45 67");
        assert_eq!(m.source.path, "/a/191212121212.txt");
        assert_eq!(m.source.masked, 2);
    }

    #[test]
    fn masking_keeps_the_length_and_borrows_when_nothing_is_found() {
        assert_eq!(MASK_LONG.len(), "19121212-1212".len());
        assert_eq!(MASK_SHORT.len(), "121212-1212".len());
        assert!(matches!(mask("inga nummer 2022-11-17").0, Cow::Borrowed(_)));
    }
}
