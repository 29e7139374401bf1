//! The domain: a meeting with its agenda items, participants, officers, decisions and
//! the earlier decisions it cites. These serde types are the JSON of `CONTRACT.md`;
//! field names and meanings follow it, and fields it does not list are additions.
//!
//! Nothing here reads files or text; the stages fill these types in.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// The format a document came in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    Pdf,
    Html,
    Text,
}

impl Format {
    pub fn as_str(self) -> &'static str {
        match self {
            Format::Pdf => "pdf",
            Format::Html => "html",
            Format::Text => "text",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Source {
    pub path: String,
    pub format: Format,
    pub sha256: String,
    pub pages: u32,
    pub ocr: bool,
}

/// The body that met: its name as written and a stable key for grouping
/// (`socsam`, `svom`, `stromsund-socialnamnden`).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Body {
    pub name: String,
    pub key: String,
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Officers {
    pub chair: Option<String>,
    pub secretary: Option<String>,
    /// Justerare: the members who co-sign the minutes.
    pub adjusters: Vec<String>,
}

/// The section a participant is listed under.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// Members who decide, tjänstgörande ersättare included.
    Beslutande,
    /// Tjänstepersoner: officials.
    Tjansteperson,
    /// Övriga deltagare / närvarande.
    Ovrig,
    /// Ej närvarande: absent.
    EjNarvarande,
}

impl Role {
    pub fn label(self) -> &'static str {
        match self {
            Role::Beslutande => "Beslutande",
            Role::Tjansteperson => "Tjänstepersoner",
            Role::Ovrig => "Övriga",
            Role::EjNarvarande => "Ej närvarande",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Participant {
    pub name: String,
    pub role: Role,
    pub party: Option<String>,
    pub organization: Option<String>,
    pub title: Option<String>,
    /// The paragraphs attended when not all, as written ("§§33-41", "§149-161").
    pub paragraphs: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Decision {
    pub text: String,
    /// What the decision does, in one Swedish word: godkänner, rekommenderar,
    /// fastställer, uppdrar, till handlingarna, avslår, återremitterar, bordlägger,
    /// utser, beslut (anything else).
    pub kind: String,
}

/// An earlier decision an item cites.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Reference {
    /// The body the text names as deciding, as written ("SocSam", "SVOM").
    pub body: Option<String>,
    pub date: Option<NaiveDate>,
    /// The paragraph of the cited minutes, when the text gives it ("§ 152" → "152").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub paragraph: Option<String>,
    /// The sentence that cites it.
    pub text: String,
}

/// A vote count ("omröstning", "votering").
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Vote {
    pub text: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Item {
    /// The agenda number as printed, without `§`.
    pub number: String,
    pub title: String,
    pub diarienummer: Option<String>,
    pub presenters: Vec<String>,
    /// Page the item starts on (1-based).
    pub page: u32,
    /// The whole item, page furniture removed.
    pub text: String,
    pub decision: Option<Decision>,
    pub references: Vec<Reference>,
    /// Yrkanden: motions put forward.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub motions: Vec<String>,
    /// Reservationer: dissents.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub reservations: Vec<String>,
    /// Protokollsanteckningar: notes entered in the minutes.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub vote: Option<Vote>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Attachment {
    pub title: String,
    pub page: u32,
}

/// One parsed meeting document.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Meeting {
    /// The source file name without its extension.
    pub id: String,
    pub source: Source,
    pub body: Body,
    pub organization: Option<String>,
    /// protokoll, protokollsutdrag, minnesanteckningar, …
    pub kind: String,
    pub date: Option<NaiveDate>,
    pub time: Option<String>,
    pub place: Option<String>,
    pub officers: Officers,
    pub participants: Vec<Participant>,
    pub items: Vec<Item>,
    pub attachments: Vec<Attachment>,
    pub warnings: Vec<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roles_serialize_as_the_contract_spells_them() {
        let json = serde_json::to_string(&[Role::Beslutande, Role::Tjansteperson, Role::Ovrig, Role::EjNarvarande]).expect("json");
        assert_eq!(json, r#"["beslutande","tjansteperson","ovrig","ej_narvarande"]"#);
    }

    #[test]
    fn dates_serialize_as_iso_dates() {
        let r = Reference { body: Some("SocSam".into()), date: NaiveDate::from_ymd_opt(2022, 4, 1), paragraph: None, text: String::new() };
        let json = serde_json::to_value(&r).expect("json");
        assert_eq!(json["date"], "2022-04-01");
    }
}
