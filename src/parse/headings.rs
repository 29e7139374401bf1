//! The shapes of agenda-item headings (LAYOUTS §1), read from the start of a line:
//!
//! | shape | example |
//! |---|---|
//! | § and title | `§ 27 Val av justerare`, `§27`, `SN § 13 …`, `KS § 45 …`, `• § 17 / Val av justerare` |
//! | § alone, or with its Dnr | `§ 1` (title on the next line), `§ 108   Dnr IFU 2021/452` |
//! | a prefix and a number | `SN 13 …`, `Sn 49 …`, `SON 108 …`, `Ks 1 Dnr …`, `Sn 50 Au 84 …` (the second pair is the committee's item, not the title) |
//! | numbered minutes | `1. Mötets öppnande`, `2) Ekonomi`, `Punkt 3 …`; `3.1` and `a)` are sub-items |
//! | a bare number | `148 Godkännande av föredragningslista` (a § lost to OCR or a transcript, or a portal's agenda) |
//!
//! This module only reads the shape of one line. Which lines of a document are its items
//! (a run of increasing numbers in the style the document uses, not a contents list, not
//! an attendance cell such as `§§ 12-13`) is decided in [`super::classify`].

use std::sync::LazyLock;

use regex::Regex;

use super::vocabulary;

/// How a heading numbers its item.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Style {
    /// `§ 27`, with or without a prefix (`KS § 45`).
    Paragraph,
    /// A prefix and a number: `SN 13`, `Ks 1`.
    Prefixed,
    /// Numbered minutes: `1.`, `2)`, `Punkt 3`.
    Numbered,
    /// A number alone before a title.
    Bare,
}

/// What the start of a line says about an item heading.
#[derive(Debug, Clone, PartialEq)]
pub struct Shape {
    pub style: Style,
    pub number: u32,
    /// The prefix as written (`SN`, `Ks`), if any.
    pub prefix: Option<String>,
    /// The rest of the line: the title, possibly with its Dnr; empty when the title stands
    /// on the next line.
    pub title: String,
    /// Byte length of the number part (prefix, §, number and separators), so that callers
    /// can find where the title starts in the line.
    pub head_len: usize,
}

/// Words that take a number without being an item's prefix: "Sida 3", "Bilaga 2", "Kap 5".
pub const NOT_PREFIXES: &[&str] = &[
    "Mål",
    "Sida",
    "Sid",
    "Bilaga",
    "Bil",
    "Dnr",
    "Nr",
    "Kl",
    "Page",
    "Fas",
    "Steg",
    "Tel",
    "Box",
    "Punkt",
    "Kap",
    "Vecka",
    "Rum",
    "Avtal",
    "År",
    "Etapp",
    "Del",
    "Version",
    "Paragraf",
    "Paragrafer",
    "Ärende",
    "Villkor",
    "Exempel",
    "Lag",
    "Område",
    "Grupp",
    "Nivå",
    "Plan",
    "Fråga",
    "Zon",
    "Våning",
    "Tabell",
    "Figur",
    "Diagram",
    "Antal",
    "Totalt",
    "Summa",
    "Ca",
    "Cirka",
    "Drygt",
    "Knappt",
    "Över",
    "Under",
    "Från",
    "Till",
    "Med",
    "Och",
    "Den",
    "Det",
    "De",
    "Om",
    "Av",
    "På",
    "Vid",
    "Efter",
    "Före",
    "Inom",
    "Per",
    "Sedan",
    "Senast",
    "Ålder",
    "Barn",
    "Kvartal",
    "Tertial",
    "Period",
    "Budget",
    "Prognos",
    "Bokslut",
    "Delår",
    "Spår",
    "Linje",
    "Väg",
    "Gata",
    "Tomt",
    "Hus",
    "Plats",
    "Tid",
    "Datum",
    "Ersättare",
    "Ledamot",
    "Ledamöter",
    "Tjänst",
    "Klass",
    "Årskurs",
    "Lokal",
];

/// `§ 27 …`, `KS § 45 …`, a bullet or a slash before the title.
static PARAGRAPH: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?:[•·\-–*]\s*)?(?:([A-ZÅÄÖ][A-Za-zÅÄÖåäö]{0,5})\s+)?§\s*(\d{1,4})(?:\s*[.:–-]\s|\s*[/|]\s*|\s+|\s*$)").expect("valid regex")
});

/// A § range or list: `§ 12-13`, `§§ 4`, `§ 31–35`, `§ 5, 7`: attendance cells and
/// references, never headings.
static PARAGRAPH_RANGE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^(?:[•·\-–*]\s*)?(?:§§|§\s*\d{1,4}\s*(?:[-–]\s*\d|,\s*\d|och\s+\d))").expect("valid regex"));

static PREFIXED: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"^([A-ZÅÄÖ][A-Za-zÅÄÖ]{1,4})\s+(\d{1,4})(?:\s*[.:–-]\s|\s+|\s*$)").expect("valid regex"));

/// A committee's own item number after the body's: `Au 84` in `Sn 50 Au 84 Riktlinjer`.
static SECOND_NUMBER: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"^[A-ZÅÄÖ][A-Za-zÅÄÖ]{1,4}\s+(?:§\s*)?\d{1,4}\b\s*").expect("valid regex"));

/// `1. Title`, `2) Title`, `3:Title`, `Punkt 4 Title`; the title must start with a
/// capital, so times ("13:00") and sub-items ("3.1") are not numbered headings.
static NUMBERED: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"^(?:(?i:punkt)\s+(\d{1,2})\b\s*[.:)–-]?|(\d{1,2})[.):])\s*").expect("valid regex"));

/// A sub-item of numbered minutes: `3.1`, `3.1.2`, `a)`, `b.`.
static SUB_ITEM: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"^(?:\d{1,2}\.\d{1,2}(?:\.\d{1,2})*\.?|[a-zåäö][.)])(?:\s|$)").expect("valid regex"));

static BARE: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"^(\d{1,4})\s+").expect("valid regex"));

/// "Bilaga 9. Avtal om …", "Bilaga A: …", "Bilaga 1 till § 31" (its title on the next
/// line).
static ATTACHMENT: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"^Bilaga\s+(\d{1,3}|[A-ZÅÄÖ])\b\s*[.:–-]?\s*(.*)$").expect("valid regex"));

/// An attachment heading: its title, empty when the title stands on the next line
/// ("Bilaga 1 till § 31", "Bilaga 2").
pub fn attachment(text: &str) -> Option<String> {
    let c = ATTACHMENT.captures(text.trim())?;
    let title = c.get(2).map_or("", |m| m.as_str()).trim();
    let to_minutes = title.to_lowercase().starts_with("till ") && (title.contains('§') || title.to_lowercase().contains("protokoll"));
    if !title.is_empty() && !to_minutes && !starts_like_title(title) {
        return None;
    }
    Some(if to_minutes { String::new() } else { title.to_string() })
}

/// Whether a title can start like this: a capital, a digit or a quote; or nothing.
pub fn starts_like_title(title: &str) -> bool {
    title.chars().next().is_none_or(|c| c.is_uppercase() || c.is_ascii_digit() || "\"”«'".contains(c))
}

/// Whether a number is a year ("SVOM 2024", "Budget 2023 Förslag"): item numbers without
/// a § do not run that high.
fn is_year(number: &str) -> bool {
    number.len() == 4 && (number.starts_with("19") || number.starts_with("20"))
}

/// Whether a title is a person listed with a party, a title or a paragraph range: "Maria
/// Martini (C)", "Daniel Aronsson (chef ekonomi)", "Anna Berg, ekonom". A number before a
/// participant is the paragraph they attended, not an item.
fn is_participant(title: &str) -> bool {
    let words: Vec<&str> = title.split_whitespace().collect();
    (2..=3).any(|n| {
        words.len() > n
            && super::names::is_person_name(words[..n].join(" ").trim_end_matches(','))
            && (words[n].starts_with('(') || words[n - 1].ends_with(','))
    }) || (words.len() <= 3 && words.last().is_some_and(|w| w.starts_with('(')) && super::names::is_person_name(&words[..words.len() - 1].join(" ")))
}

/// Whether a word names a month ("Maj 2013" is a date, not a heading).
fn is_month(word: &str) -> bool {
    let w = word.to_lowercase();
    vocabulary::MONTHS.iter().any(|(m, _)| *m == w.trim_end_matches('.'))
}

/// The committee reference at the start of a title: "Au 84 Riktlinjer" → "Riktlinjer".
fn without_second_numbers(title: &str) -> &str {
    let mut t = title;
    while let Some(m) = SECOND_NUMBER.find(t) {
        let prefix = t.split_whitespace().next().unwrap_or("");
        if NOT_PREFIXES.contains(&prefix) || is_month(prefix) {
            break;
        }
        t = &t[m.end()..];
    }
    t
}

/// Whether the line is a sub-item of numbered minutes (`3.1 …`, `a) …`).
pub fn is_sub_item(text: &str) -> bool {
    SUB_ITEM.is_match(text.trim_start())
}

/// Reads an item heading's shape from the start of `text`.
pub fn shape(text: &str) -> Option<Shape> {
    let text = text.trim_start();
    if PARAGRAPH_RANGE.is_match(text) {
        return None;
    }
    if let Some(c) = PARAGRAPH.captures(text) {
        let (all, number) = (c.get(0)?, c.get(2)?);
        let title = text[all.end()..].trim();
        if !starts_like_title(title) {
            return None;
        }
        let stripped = without_second_numbers(title);
        return Some(Shape {
            style: Style::Paragraph,
            number: number.as_str().parse().ok()?,
            prefix: c.get(1).map(|m| m.as_str().to_string()),
            title: stripped.to_string(),
            head_len: text.len() - stripped.len(),
        });
    }
    if let Some(c) = PREFIXED.captures(text) {
        let (all, prefix, number) = (c.get(0)?, c.get(1)?, c.get(2)?);
        let p = prefix.as_str();
        let title = text[all.end()..].trim();
        let stop = is_year(number.as_str())
            || NOT_PREFIXES.contains(&p)
            || is_month(p)
            || vocabulary::SENTENCE_STARTERS.contains(&p.to_lowercase().as_str())
            || !starts_like_title(title)
            || title.starts_with(|c: char| c.is_ascii_digit())
            || is_participant(title);
        if !stop {
            let stripped = without_second_numbers(title);
            return Some(Shape {
                style: Style::Prefixed,
                number: number.as_str().parse().ok()?,
                prefix: Some(p.to_string()),
                title: stripped.to_string(),
                head_len: text.len() - stripped.len(),
            });
        }
    }
    if is_sub_item(text) {
        return None;
    }
    if let Some(c) = NUMBERED.captures(text) {
        let all = c.get(0)?;
        let number = c.get(1).or_else(|| c.get(2))?;
        let title = text[all.end()..].trim();
        if starts_like_title(title) && !title.starts_with(|c: char| c.is_ascii_digit()) {
            return Some(Shape { style: Style::Numbered, number: number.as_str().parse().ok()?, prefix: None, title: title.to_string(), head_len: all.end() });
        }
        return None;
    }
    if let Some(c) = BARE.captures(text) {
        let (all, number) = (c.get(0)?, c.get(1)?);
        let title = text[all.end()..].trim();
        let first = title.split_whitespace().next().unwrap_or("");
        let letters = first.chars().filter(|c| c.is_alphabetic()).count();
        if !is_year(number.as_str())
            && !is_participant(title)
            && first.chars().next().is_some_and(char::is_uppercase)
            && letters >= 2
            && !is_month(first)
            && first.chars().skip(1).any(char::is_lowercase)
        {
            return Some(Shape { style: Style::Bare, number: number.as_str().parse().ok()?, prefix: None, title: title.to_string(), head_len: all.end() });
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(text: &str) -> Option<(Style, u32, Option<String>, String)> {
        shape(text).map(|s| (s.style, s.number, s.prefix, s.title))
    }

    #[test]
    fn paragraph_sign_headings() {
        assert_eq!(read("§ 27 Val av justerare"), Some((Style::Paragraph, 27, None, "Val av justerare".into())));
        assert_eq!(read("§27. Föregående protokoll"), Some((Style::Paragraph, 27, None, "Föregående protokoll".into())));
        assert_eq!(read("KS § 45 Budget 2024"), Some((Style::Paragraph, 45, Some("KS".into()), "Budget 2024".into())));
        assert_eq!(read("• § 17 / Val av justerare"), Some((Style::Paragraph, 17, None, "Val av justerare".into())));
        assert_eq!(read("§ 1 | Justering av protokoll"), Some((Style::Paragraph, 1, None, "Justering av protokoll".into())));
        assert_eq!(read("§ 1"), Some((Style::Paragraph, 1, None, String::new())));
        assert_eq!(read("§ 108   Dnr IFU 2021/452").map(|s| s.3), Some("Dnr IFU 2021/452".into()));
    }

    #[test]
    fn ranges_and_references_are_not_headings() {
        assert_eq!(read("§§ 12-13"), None);
        assert_eq!(read("§ 12-13"), None);
        assert_eq!(read("§ 31–35 Budget"), None);
        assert_eq!(read("§ 45 med uppföljning i nämnden"), None);
    }

    #[test]
    fn prefixed_numbers_and_committee_references() {
        assert_eq!(read("SN 13 Bidrag till fritidsstudier"), Some((Style::Prefixed, 13, Some("SN".into()), "Bidrag till fritidsstudier".into())));
        assert_eq!(read("Sn 50 Au 84 Riktlinjer för bistånd Dnr 2016/117").map(|s| (s.1, s.3)), Some((50, "Riktlinjer för bistånd Dnr 2016/117".into())));
        assert_eq!(read("Ks 1 Dnr 2012-KS Namninsamling").map(|s| s.1), Some(1));
        assert_eq!(read("Sida 3 Protokoll"), None);
        assert_eq!(read("Maj 2013 Redovisning"), None);
        assert_eq!(read("Kap 5 Lagen"), None);
        assert_eq!(read("SVOM 2024"), None);
    }

    #[test]
    fn numbered_minutes_and_their_sub_items() {
        assert_eq!(read("3. Ekonomi"), Some((Style::Numbered, 3, None, "Ekonomi".into())));
        assert_eq!(read("2) Rapporter"), Some((Style::Numbered, 2, None, "Rapporter".into())));
        assert_eq!(read("Punkt 4 Övriga frågor").map(|s| (s.0, s.1)), Some((Style::Numbered, 4)));
        assert_eq!(read("13.Sammanträdestider 2011"), Some((Style::Numbered, 13, None, "Sammanträdestider 2011".into())));
        assert_eq!(read("1:Mötet öppnas"), Some((Style::Numbered, 1, None, "Mötet öppnas".into())));
        assert_eq!(read("13:00 Lunch"), None);
        assert_eq!(read("3.1 Budget"), None);
        assert_eq!(read("a) Statsbidrag"), None);
        assert!(is_sub_item("3.1 Budget"));
        assert_eq!(read("1. att godkänna"), None);
    }

    #[test]
    fn attachment_headings() {
        assert_eq!(attachment("Bilaga 9. Avtal om in- och utskrivning").as_deref(), Some("Avtal om in- och utskrivning"));
        assert_eq!(attachment("Bilaga 1 till § 31").as_deref(), Some(""));
        assert_eq!(attachment("Bilaga 2").as_deref(), Some(""));
        assert_eq!(attachment("Bilaga 3 visar kostnaderna"), None);
    }

    #[test]
    fn bare_numbers_before_a_title() {
        assert_eq!(read("148 Godkännande av föredragningslista"), Some((Style::Bare, 148, None, "Godkännande av föredragningslista".into())));
        assert_eq!(read("5 September"), None);
        assert_eq!(read("2 SAMMANTRÄDESPROTOKOLL"), None);
        assert_eq!(read("12 000 kronor"), None);
    }
}
