//! Citations: one line that lets a reader find an item again, the same in every output
//! (search hits, `show`, timelines, the web pages and the JSON API):
//!
//! `Socialnämnden, Strömsunds kommun, 2022-11-17, § 152 ”Revidering av delegationsordning”, stromsund-socialnamnd-2022-11-17.pdf s. 10`
//!
//! The body with its organisation (left out when the body's name already says it), the
//! date ("odaterat" without one), the item's number as the document numbers it ("§ 152",
//! or "punkt 4" in minutes numbered "4."), its title in Swedish quotation marks (cut when
//! very long), and the source file's name with the page the item starts on. A part that is
//! not known is left out, never guessed. A decision known only from a later protocol is
//! cited as what the protocol says, followed by the citing item:
//! `SVOM, 2022-10-07 (enligt Socialnämnden, Strömsunds kommun, 2022-11-17, § 152 ”…”, … s. 10)`.
//!
//! This module only formats what the stages found; it reads no file and no index.
//!
//! ```
//! use protokoll::citation::Citation;
//! let c = Citation {
//!     body: "Socialnämnden",
//!     organization: Some("Strömsunds kommun"),
//!     date: chrono::NaiveDate::from_ymd_opt(2022, 11, 17),
//!     number: Some("148"),
//!     point: false,
//!     title: "Godkännande av föredragningslista",
//!     path: "/arkiv/stromsund-socialnamnd-2022-11-17.pdf",
//!     page: 3,
//! };
//! assert_eq!(
//!     c.to_string(),
//!     "Socialnämnden, Strömsunds kommun, 2022-11-17, § 148 ”Godkännande av föredragningslista”, stromsund-socialnamnd-2022-11-17.pdf s. 3"
//! );
//! ```

use chrono::NaiveDate;
use serde_json::{Value, json};

use crate::model::{Item, Meeting};

/// Longest title a citation quotes, in characters: a title is a line of an agenda; one
/// longer than this is a heading that ran into its text, and the number and page find
/// the item anyway.
pub const CITATION_TITLE_CHARS: usize = 120;

/// What a citation names. Build it with [`Citation::of`] from a meeting, or field by
/// field from what an index hit carries; print it with `to_string()`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Citation<'a> {
    /// The body as the document names it.
    pub body: &'a str,
    pub organization: Option<&'a str>,
    pub date: Option<NaiveDate>,
    /// The item's number as printed, without `§`; `None` for a meeting as a whole or
    /// text outside its items.
    pub number: Option<&'a str>,
    /// The document numbers its items as points ("1. Mötets öppnande"), not paragraphs:
    /// see [`numbered_as_point`].
    pub point: bool,
    /// The item's title; empty for none.
    pub title: &'a str,
    /// The source file's path; only its name is cited. Empty when unknown.
    pub path: &'a str,
    /// The page the item (or text) starts on, 1-based; 0 when unknown.
    pub page: u32,
}

impl<'a> Citation<'a> {
    /// A meeting, or one of its items, as found in the file at `path`.
    pub fn of(meeting: &'a Meeting, item: Option<&'a Item>, path: &'a str) -> Citation<'a> {
        Citation {
            body: &meeting.body.name,
            organization: meeting.organization.as_deref(),
            date: meeting.date,
            number: item.map(|it| it.number.as_str()),
            point: item.is_some_and(|it| numbered_as_point(&it.heading, &it.number)),
            title: item.map_or("", |it| it.title.as_str()),
            path,
            page: item.map_or(0, |it| it.page),
        }
    }

    /// The body with its organisation: "Socialnämnden, Strömsunds kommun".
    pub fn body_with_organization(&self) -> String {
        body_with_organization(self.body, self.organization)
    }

    /// The item's number as the document numbers it: "§ 148", "punkt 4".
    pub fn number_label(&self) -> Option<String> {
        self.number.filter(|n| !n.trim().is_empty()).map(|n| if self.point { format!("punkt {n}") } else { format!("§ {n}") })
    }

    /// The name of the source file.
    pub fn file(&self) -> &'a str {
        file_name(self.path)
    }

    /// A decision this citation's item says was taken (by `self`, which names no file
    /// of its own), followed by the citing item: "SVOM, 2022-10-07 (enligt …)".
    pub fn via(&self, citing: impl std::fmt::Display) -> String {
        format!("{self} (enligt {citing})")
    }
}

impl std::fmt::Display for Citation<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.body_with_organization())?;
        match self.date {
            Some(d) => write!(f, ", {d}")?,
            None => f.write_str(", odaterat")?,
        }
        let title = short_title(self.title);
        match (self.number_label(), title.is_empty()) {
            (Some(n), false) => write!(f, ", {n} ”{title}”")?,
            (Some(n), true) => write!(f, ", {n}")?,
            (None, false) => write!(f, ", ”{title}”")?,
            (None, true) => {}
        }
        match (self.file(), self.page) {
            ("", 0) => Ok(()),
            ("", page) => write!(f, ", s. {page}"),
            (file, 0) => write!(f, ", {file}"),
            (file, page) => write!(f, ", {file} s. {page}"),
        }
    }
}

/// "Socialnämnden, Strömsunds kommun": the organisation is added unless the body's name
/// already holds it ("Kommunstyrelsen i Strömsunds kommun"). A body without a name is
/// "okänt organ".
pub fn body_with_organization(body: &str, organization: Option<&str>) -> String {
    let body = body.trim();
    let body = if body.is_empty() { "okänt organ" } else { body };
    match organization.map(str::trim).filter(|o| !o.is_empty()) {
        Some(org) if !body.to_lowercase().contains(&org.to_lowercase()) => format!("{body}, {org}"),
        _ => body.to_string(),
    }
}

/// The file name of a path, as stored (`/` or `\` separated); the path itself when it
/// has no separator.
pub fn file_name(path: &str) -> &str {
    path.rsplit(['/', '\\']).next().unwrap_or(path)
}

/// Whether an item's heading numbers it as a point of numbered minutes ("1. Mötets
/// öppnande", "2) Ekonomi", "3: …", "Punkt 4 …") rather than as a paragraph ("§ 27 …",
/// "SN 13 …", or a bare "148 …" whose § was lost). A heading that has a § is a paragraph.
pub fn numbered_as_point(heading: &str, number: &str) -> bool {
    let heading = heading.trim_start();
    if heading.contains('§') || number.is_empty() {
        return false;
    }
    if heading.get(..6).is_some_and(|w| w.eq_ignore_ascii_case("punkt ")) {
        return true;
    }
    heading.strip_prefix(number).is_some_and(|rest| rest.starts_with(['.', ')', ':']))
}

/// A title on one line, cut to [`CITATION_TITLE_CHARS`] at a word with "…".
fn short_title(title: &str) -> String {
    let flat = title.split_whitespace().collect::<Vec<_>>().join(" ");
    if flat.chars().count() <= CITATION_TITLE_CHARS {
        return flat;
    }
    let cut: String = flat.chars().take(CITATION_TITLE_CHARS).collect();
    let at_word = match cut.rfind(' ') {
        Some(i) if i > CITATION_TITLE_CHARS / 2 => &cut[..i],
        _ => cut.as_str(),
    };
    format!("{}…", at_word.trim_end_matches([',', ';', ':', ' ']))
}

/// An item of a meeting as JSON, with what a citation of it is made of: the item's own
/// fields, and `document`, `body`, `organization`, `date`, `file`, `path` and `citation`.
pub fn item_json(meeting: &Meeting, item: &Item, path: &str) -> serde_json::Result<Value> {
    let mut v = serde_json::to_value(item)?;
    let c = Citation::of(meeting, Some(item), path);
    v["document"] = json!(meeting.id);
    v["body"] = json!(meeting.body.name);
    v["organization"] = json!(meeting.organization);
    v["date"] = json!(meeting.date);
    v["file"] = json!(c.file());
    v["path"] = json!(path);
    v["citation"] = json!(c.to_string());
    Ok(v)
}

/// A meeting as JSON (CONTRACT.md's `parse --json`) with its citation: `file` and
/// `citation` on the meeting, and with `Items::Cited` also on each item. `parse --json`
/// leaves its items as the parser found them (their `number` and `page` beside the
/// meeting's citation), so that an item's JSON holds only what the document says there;
/// `show --json` and the API, which print a stored meeting to be cited, cite each item.
pub fn meeting_json(meeting: &Meeting, path: &str, items: Items) -> serde_json::Result<Value> {
    let mut v = serde_json::to_value(meeting)?;
    let c = Citation::of(meeting, None, path);
    v["file"] = json!(c.file());
    v["citation"] = json!(c.to_string());
    if items == Items::Cited
        && let Some(values) = v.get_mut("items").and_then(Value::as_array_mut)
    {
        for (value, item) in values.iter_mut().zip(&meeting.items) {
            value["file"] = json!(c.file());
            value["citation"] = json!(Citation::of(meeting, Some(item), path).to_string());
        }
    }
    Ok(v)
}

/// Whether [`meeting_json`] cites each item.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Items {
    /// Items as parsed.
    AsParsed,
    /// Each item with its `file` and `citation`.
    Cited,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn socialnamnden() -> Citation<'static> {
        Citation {
            body: "Socialnämnden",
            organization: Some("Strömsunds kommun"),
            date: NaiveDate::from_ymd_opt(2022, 11, 23),
            number: Some("27"),
            point: false,
            title: "Familjehemscentrum",
            path: "/arkiv/2022/protokoll-2022-11-23.pdf",
            page: 4,
        }
    }

    #[test]
    fn an_item_is_cited_with_body_organisation_date_paragraph_title_file_and_page() {
        assert_eq!(socialnamnden().to_string(), "Socialnämnden, Strömsunds kommun, 2022-11-23, § 27 ”Familjehemscentrum”, protokoll-2022-11-23.pdf s. 4");
    }

    #[test]
    fn what_is_not_known_is_left_out() {
        let c = Citation { organization: None, ..socialnamnden() };
        assert_eq!(c.to_string(), "Socialnämnden, 2022-11-23, § 27 ”Familjehemscentrum”, protokoll-2022-11-23.pdf s. 4");
        let c = Citation { page: 0, ..socialnamnden() };
        assert!(c.to_string().ends_with("”Familjehemscentrum”, protokoll-2022-11-23.pdf"), "{c}");
        let c = Citation { path: "", ..socialnamnden() };
        assert!(c.to_string().ends_with("”Familjehemscentrum”, s. 4"), "{c}");
        let c = Citation { date: None, title: "", ..socialnamnden() };
        assert_eq!(c.to_string(), "Socialnämnden, Strömsunds kommun, odaterat, § 27, protokoll-2022-11-23.pdf s. 4");
        let c = Citation { body: " ", organization: Some(""), ..socialnamnden() };
        assert!(c.to_string().starts_with("okänt organ, 2022-11-23, "), "{c}");
    }

    #[test]
    fn a_body_that_names_its_organisation_is_not_followed_by_it() {
        assert_eq!(body_with_organization("Kommunstyrelsen i Strömsunds kommun", Some("Strömsunds kommun")), "Kommunstyrelsen i Strömsunds kommun");
        assert_eq!(
            body_with_organization("Sociala samrådsgruppen (SocSam)", Some("Region Jämtland Härjedalen")),
            "Sociala samrådsgruppen (SocSam), Region Jämtland Härjedalen"
        );
    }

    #[test]
    fn numbered_minutes_are_cited_by_point() {
        assert!(numbered_as_point("1. Mötets öppnande", "1"));
        assert!(numbered_as_point("2) Ekonomi", "2"));
        assert!(numbered_as_point("Punkt 3 Övriga frågor", "3"));
        assert!(!numbered_as_point("§ 27 Val av justerare", "27"));
        assert!(!numbered_as_point("Diarienummer SN.2022.38 700 § 148 Godkännande", "148"));
        assert!(!numbered_as_point("SN 13 Budget", "13"));
        assert!(!numbered_as_point("148 Godkännande av föredragningslista", "148"));
        assert!(!numbered_as_point("", "4"), "an item stored without its heading is a paragraph");
        let c = Citation { number: Some("1"), point: true, title: "Mötets öppnande", body: "Socialchefs nätverket (SCHNV) i Dalarna", ..socialnamnden() };
        assert!(c.to_string().contains(", 2022-11-23, punkt 1 ”Mötets öppnande”, "), "{c}");
    }

    #[test]
    fn a_long_title_is_cut_at_a_word() {
        let long = "Yttrande över remiss om förslag till ändrade föreskrifter och allmänna råd om handläggning av ärenden som rör barn och unga i familjehem, jourhem och stödboende";
        let c = Citation { title: long, ..socialnamnden() };
        let text = c.to_string();
        let quoted = text.split('”').nth(1).expect("a quoted title");
        assert!(quoted.ends_with('…') && quoted.chars().count() <= CITATION_TITLE_CHARS + 1, "{quoted}");
        assert!(long.starts_with(quoted.trim_end_matches('…')), "cut at a word: {quoted}");
        let flat = Citation { title: "Avtal\n  Familjehemscentrum", ..socialnamnden() };
        assert!(flat.to_string().contains("”Avtal Familjehemscentrum”"));
    }

    #[test]
    fn a_meeting_and_text_outside_items_have_no_number() {
        let c = Citation { number: None, title: "", page: 7, ..socialnamnden() };
        assert_eq!(c.to_string(), "Socialnämnden, Strömsunds kommun, 2022-11-23, protokoll-2022-11-23.pdf s. 7");
        assert_eq!(file_name("C:\\arkiv\\p.pdf"), "p.pdf");
        assert_eq!(file_name("p.pdf"), "p.pdf");
    }

    #[test]
    fn a_cited_decision_names_the_citing_item() {
        let cited =
            Citation { body: "SVOM", organization: None, date: NaiveDate::from_ymd_opt(2022, 10, 7), number: None, point: false, title: "", path: "", page: 0 };
        assert_eq!(
            cited.via(socialnamnden()),
            "SVOM, 2022-10-07 (enligt Socialnämnden, Strömsunds kommun, 2022-11-23, § 27 ”Familjehemscentrum”, protokoll-2022-11-23.pdf s. 4)"
        );
    }
}
