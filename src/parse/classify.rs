//! The line classifier: gives a line its kind, and the section parsers read the kinds
//! instead of each matching words of its own. The header's kinds are computed once for
//! the document; the participant and decision readers still classify their own lines
//! again.
//!
//! A line's kind here comes from its own words: a label of [`super::vocabulary`] at its
//! start, capitalised, with its value after it or on the next line. The kinds that need
//! the document around the line are decided where that is known: a line that recurs at
//! the top or bottom of pages is furniture, and a contents list is not text
//! ([`super::furniture`]); a heading shape ([`super::headings`]) is an item heading only
//! in the run of increasing numbers that the document's items form, with its wrapped
//! title and diarienummer ([`super::items`]).
//!
//! | kind | examples |
//! |---|---|
//! | role label | "Beslutande", "Tjänstgörande ersättare", "Övriga närvarande: …" |
//! | header label | "Plats och tid", "Sammanträdesdatum", "Justeringens plats och tid", "Paragrafer" |
//! | officer label, signatures | "Utses att justera", "Sekreterare", "Vid protokollet", "Underskrifter" |
//! | section heading | "Socialnämndens beslut", "Förslag till beslut", "Yrkanden", "Beslutet skickas till" |
//! | attachment | "Bilaga 9. Avtal om in- och utskrivning" after the last item |

use std::sync::LazyLock;

use regex::Regex;

use super::dates::find_dates;
use super::vocabulary::{self, HeaderField, Office, Section, phrase_pattern};
use crate::model::Role;

/// What a line is.
#[derive(Debug, Clone, PartialEq)]
pub enum LineKind {
    /// Running text, names, values.
    Text,
    /// A participant section: "Beslutande", "Övriga närvarande: Eva Lif, sekreterare".
    Role { role: Role, rest: Option<String> },
    /// "Enligt särskild närvarolista": the people are listed elsewhere.
    NoList,
    /// A label of the meeting header.
    Header { field: HeaderField, rest: Option<String> },
    /// A label naming an officer: "Sekreterare", "Utses att justera Anna Berg".
    Officer { office: Office, rest: Option<String> },
    /// The heading of a signature block: "Underskrifter".
    Signatures { rest: Option<String> },
    /// A heading inside an item: decision, proposal, motion, description, distribution.
    Section { section: Section, rest: Option<String> },
    /// An attachment after the last item: "Bilaga 9. Avtal om …".
    Attachment { title: String },
}

impl LineKind {
    /// Whether the line is a label that ends a list of people or a header value.
    pub fn is_label(&self) -> bool {
        matches!(self, LineKind::Role { .. } | LineKind::Header { .. } | LineKind::Officer { .. } | LineKind::Signatures { .. } | LineKind::NoList)
    }
}

/// Builds `^(?:phrases)` followed by the end, a colon with a value, or a value.
fn label_regex(phrases: impl IntoIterator<Item = &'static str>) -> Regex {
    Regex::new(&format!(r"(?i)^((?:{}))(\s*\([^)]*\))?(?:\s*:\s*|\s+|\s*$)", phrase_pattern(phrases))).expect("valid regex")
}

static ROLE: LazyLock<Regex> = LazyLock::new(|| label_regex(vocabulary::ROLE_LABELS.iter().map(|(p, _)| *p)));
static HEADER: LazyLock<Regex> = LazyLock::new(|| label_regex(vocabulary::HEADER_LABELS.iter().map(|(p, _)| *p)));
static OFFICER: LazyLock<Regex> = LazyLock::new(|| label_regex(vocabulary::OFFICER_LABELS.iter().map(|(p, _)| *p)));
static SIGNATURES: LazyLock<Regex> = LazyLock::new(|| label_regex(vocabulary::SIGNATURE_HEADINGS.iter().copied()));
static SECTION: LazyLock<Regex> = LazyLock::new(|| label_regex(vocabulary::SECTION_HEADINGS.iter().map(|(p, _)| *p)));
static NO_LIST: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(&format!(r"(?i)^(?:{})", phrase_pattern(vocabulary::NO_LIST_PHRASES.iter().copied()))).expect("valid regex"));

/// "Socialnämndens beslut", "Kommunstyrelsens beslut:", "Arbetsutskottets förslag till
/// beslut": a genitive and the heading word.
static GENITIVE_HEADING: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^([\wåäö\-]+s(?:\s+[\wåäö\-]+s)?)\s+(beslut|förslag(?:\s+till\s+beslut)?|yttrande|ställningstagande)(?:\s*:\s*|\s*[–—-]\s+|\s*$)")
        .expect("valid regex")
});

/// "Ställningstagande Sociala samrådsgruppen, SocSam:": the decision follows.
static STANDPOINT: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"(?i)^ställningstagande\b([^.:]{0,80}?)(?::\s*(.*))?$").expect("valid regex"));

/// "Socialchefs nätverket beslutade:", "Nämnden beslutar": a decision label of a few words.
static DECIDED_LABEL: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"(?i)^[^.:]{1,60}\b(?:beslutade|beslutar|beslöt)\s*:?\s*$").expect("valid regex"));

/// "Beslut – beslutar i enlighet med ordförandens förslag", "Beslut: …".
static DASHED_DECISION: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"(?i)^beslut(?:et)?\s*[–—-]\s*(\S.*)$").expect("valid regex"));

/// Whether a value may follow a label without a colon: it starts like a value (a capital,
/// a digit, a bracket, dots of a signature line) rather than going on as a sentence.
fn value_like(rest: &str) -> bool {
    rest.chars().next().is_none_or(|c| c.is_uppercase() || c.is_ascii_digit() || "(.…_/\"”-–•".contains(c))
}

/// The label at the start of `text` matched by `re`, and the value after it; `None` when
/// the line goes on as a sentence.
fn label_and_rest<'t>(re: &Regex, text: &'t str) -> Option<(&'t str, Option<String>)> {
    let c = re.captures(text)?;
    let all = c.get(0)?;
    let label = c.get(1)?.as_str();
    let rest = text[all.end()..].trim();
    let colon = text[..all.end()].trim_end().ends_with(':');
    if !rest.is_empty() && !colon && !value_like(rest) {
        return None;
    }
    Some((label, (!rest.is_empty()).then(|| rest.to_string())))
}

/// The kind of a line from its own words, before the document's structure is known.
/// Labels are capitalised: a lower-case "ordförande" is a wrapped title, not a label.
pub fn kind_of_line(text: &str) -> LineKind {
    let t = text.trim();
    if !t.chars().next().is_some_and(char::is_uppercase) {
        return LineKind::Text;
    }
    if NO_LIST.is_match(t) {
        return LineKind::NoList;
    }
    if let Some(title) = super::headings::attachment(t) {
        return LineKind::Attachment { title };
    }
    if let Some(section) = section_heading(t) {
        return section;
    }
    if let Some((label, rest)) = label_and_rest(&ROLE, t)
        && let Some(role) = vocabulary::lookup(vocabulary::ROLE_LABELS, label)
    {
        return LineKind::Role { role, rest };
    }
    if let Some((label, rest)) = label_and_rest(&SIGNATURES, t) {
        let _ = label;
        return LineKind::Signatures { rest };
    }
    if let Some((label, rest)) = label_and_rest(&OFFICER, t)
        && let Some(office) = vocabulary::lookup(vocabulary::OFFICER_LABELS, label)
    {
        return LineKind::Officer { office, rest };
    }
    if let Some((label, rest)) = label_and_rest(&HEADER, t)
        && let Some(field) = vocabulary::lookup(vocabulary::HEADER_LABELS, label)
    {
        return LineKind::Header { field, rest };
    }
    LineKind::Text
}

/// A heading inside an item, when the line is one.
fn section_heading(t: &str) -> Option<LineKind> {
    let rest_of = |s: &str| Some(s.trim().to_string()).filter(|s| !s.is_empty());
    if let Some(c) = DASHED_DECISION.captures(t) {
        return Some(LineKind::Section { section: Section::Decision, rest: c.get(1).and_then(|m| rest_of(m.as_str())) });
    }
    if let Some(c) = STANDPOINT.captures(t) {
        return Some(LineKind::Section { section: Section::Decision, rest: c.get(2).and_then(|m| rest_of(m.as_str())) });
    }
    if let Some(c) = GENITIVE_HEADING.captures(t)
        && let (Some(all), Some(word)) = (c.get(0), c.get(2))
    {
        let who = c.get(1).map_or("", |m| m.as_str()).to_lowercase();
        let word = word.as_str().to_lowercase();
        let section = if word.starts_with("förslag") {
            Section::Proposal
        } else if word == "yttrande" {
            Section::Note
        } else if who.ends_with("ordförandes") || who.ends_with("ordförandens") {
            // "Ordförandens beslut" is rare; "Ordförandens förslag" is a proposal above.
            Section::Decision
        } else {
            Section::Decision
        };
        return Some(LineKind::Section { section, rest: rest_of(&t[all.end()..]) });
    }
    if let Some((label, rest)) = label_and_rest(&SECTION, t)
        && let Some(section) = vocabulary::lookup(vocabulary::SECTION_HEADINGS, label)
    {
        // "Yrkanden: Anna Berg (S) yrkar bifall" is a heading with its text; "Yrkande om …"
        // and "Beslut fattades" are sentences, and "Beslut: …" needs its colon.
        let colon = t[label.len()..].trim_start().starts_with(':');
        match (section, &rest) {
            (_, None) => return Some(LineKind::Section { section, rest: None }),
            (Section::Distribution | Section::Other, Some(_)) => return Some(LineKind::Section { section, rest }),
            (_, Some(_)) if colon => return Some(LineKind::Section { section, rest }),
            _ => {}
        }
    }
    if DECIDED_LABEL.is_match(t) && find_dates(t).is_empty() {
        return Some(LineKind::Section { section: Section::Decision, rest: None });
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn role(text: &str) -> Option<(Role, Option<String>)> {
        match kind_of_line(text) {
            LineKind::Role { role, rest } => Some((role, rest)),
            _ => None,
        }
    }

    fn section(text: &str) -> Option<(Section, Option<String>)> {
        match kind_of_line(text) {
            LineKind::Section { section, rest } => Some((section, rest)),
            _ => None,
        }
    }

    #[test]
    fn role_labels_alone_with_a_colon_or_before_a_name() {
        assert_eq!(role("Beslutande"), Some((Role::Beslutande, None)));
        assert_eq!(role("Övriga närvarande: Eva Lif, sekreterare"), Some((Role::Ovrig, Some("Eva Lif, sekreterare".into()))));
        assert_eq!(role("Tjänstgörande ersättare Per Lund (M)"), Some((Role::Beslutande, Some("Per Lund (M)".into()))));
        assert_eq!(role("Beslutande (kallade): Björn Nilsson (VV)"), Some((Role::Beslutande, Some("Björn Nilsson (VV)".into()))));
        assert_eq!(role("Ersättare som inte tjänstgör"), None);
        assert_ne!(kind_of_line("Beslutande Enligt särskild närvarolista"), LineKind::Text);
        assert_eq!(kind_of_line("Enligt särskild närvarolista"), LineKind::NoList);
    }

    #[test]
    fn header_and_officer_labels() {
        assert_eq!(
            kind_of_line("Plats och tid Kommunhuset, kl 13.00"),
            LineKind::Header { field: HeaderField::PlaceAndTime, rest: Some("Kommunhuset, kl 13.00".into()) }
        );
        assert_eq!(kind_of_line("Justeringens plats och tid"), LineKind::Header { field: HeaderField::Minutes, rest: None });
        assert_eq!(kind_of_line("Utses att justera Anna Berg (S)"), LineKind::Officer { office: Office::Adjuster, rest: Some("Anna Berg (S)".into()) });
        assert_eq!(kind_of_line("Sekreterare ………… Eva Lif"), LineKind::Officer { office: Office::Secretary, rest: Some("………… Eva Lif".into()) });
        assert_eq!(kind_of_line("Vid protokollet"), LineKind::Officer { office: Office::Secretary, rest: None });
        assert_eq!(kind_of_line("Underskrifter"), LineKind::Signatures { rest: None });
        assert_eq!(kind_of_line("ordförande"), LineKind::Text);
        assert_eq!(kind_of_line("Platsen för mötet"), LineKind::Text);
    }

    #[test]
    fn decision_and_proposal_headings() {
        assert_eq!(section("Socialnämndens beslut"), Some((Section::Decision, None)));
        assert_eq!(section("Kommunstyrelsens beslut:"), Some((Section::Decision, None)));
        assert_eq!(section("Beslut"), Some((Section::Decision, None)));
        assert_eq!(
            section("Beslut – beslutar i enlighet med ordförandens förslag"),
            Some((Section::Decision, Some("beslutar i enlighet med ordförandens förslag".into())))
        );
        assert_eq!(section("Beslut: Enligt förslag"), Some((Section::Decision, Some("Enligt förslag".into()))));
        assert_eq!(section("Ställningstagande Sociala samrådsgruppen, SocSam:"), Some((Section::Decision, None)));
        assert_eq!(section("Socialchefs nätverket beslutade:"), Some((Section::Decision, None)));
        assert_eq!(section("Arbetsutskottets förslag"), Some((Section::Proposal, None)));
        assert_eq!(section("Förslag till beslut"), Some((Section::Proposal, None)));
        assert_eq!(section("Yrkanden: Anna Berg (S) yrkar bifall."), Some((Section::Motion, Some("Anna Berg (S) yrkar bifall.".into()))));
        assert_eq!(section("Beslutet skickas till"), Some((Section::Distribution, None)));
        assert_eq!(section("Ärendebeskrivning"), Some((Section::Description, None)));
        assert_eq!(section("Beslut fattades i maj."), None);
        assert_eq!(section("Yrkande om ändring"), None);
    }

    #[test]
    fn attachments() {
        assert_eq!(kind_of_line("Bilaga 9. Avtal om in- och utskrivning"), LineKind::Attachment { title: "Avtal om in- och utskrivning".into() });
    }
}
