//! The domain: a meeting with its agenda items, participants, officers, decisions and
//! the earlier decisions it cites. These serde types are the JSON of `CONTRACT.md`;
//! field names and meanings follow it, and fields it does not list are additions.
//!
//! Nothing here reads files or text; the stages fill these types in.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// Defines a closed set of Swedish words as an enum that serialises as the words.
macro_rules! swedish_words {
    ($(#[$meta:meta])* $name:ident { $($(#[$vmeta:meta])* $variant:ident => $word:literal,)+ }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        pub enum $name {
            $($(#[$vmeta])* #[serde(rename = $word)] $variant,)+
        }

        impl $name {
            /// Every value, in declaration order.
            pub const ALL: &'static [$name] = &[$($name::$variant,)+];

            /// The word as CONTRACT.md spells it.
            pub fn as_str(self) -> &'static str {
                match self {
                    $($name::$variant => $word,)+
                }
            }

            /// The value a word names, as [`Self::as_str`] spells it.
            pub fn from_word(word: &str) -> Option<$name> {
                Self::ALL.iter().copied().find(|v| v.as_str() == word)
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}

swedish_words! {
    /// The format a document came in.
    Format {
        Pdf => "pdf",
        Html => "html",
        Text => "text",
        Docx => "docx",
        Odt => "odt",
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

swedish_words! {
    /// The section a participant is listed under.
    Role {
        /// Members who decide, tjänstgörande ersättare included.
        Beslutande => "beslutande",
        /// Tjänstepersoner: officials.
        Tjansteperson => "tjansteperson",
        /// Övriga deltagare / närvarande.
        Ovrig => "ovrig",
        /// Ej närvarande: absent.
        EjNarvarande => "ej_narvarande",
    }
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

swedish_words! {
    /// What a decision does, in one Swedish word.
    DecisionKind {
        Godkanner => "godkänner",
        Rekommenderar => "rekommenderar",
        Faststaller => "fastställer",
        Uppdrar => "uppdrar",
        /// Notes information: "lägger till handlingarna", "tar del av".
        TillHandlingarna => "till handlingarna",
        Avslar => "avslår",
        Aterremitterar => "återremitterar",
        Bordlagger => "bordlägger",
        Utser => "utser",
        Upphaver => "upphäver",
        /// Sends the matter on for a later decision.
        Bereder => "bereder",
        Antar => "antar",
        Beviljar => "beviljar",
        Forlanger => "förlänger",
        Yttrar => "yttrar",
        /// Any other decision.
        Beslut => "beslut",
    }
}

swedish_words! {
    /// What kind of document a meeting came in.
    MeetingKind {
        Protokoll => "protokoll",
        /// An extract of some of the minutes' paragraphs.
        Protokollsutdrag => "protokollsutdrag",
        /// Notes of a meeting without formal decisions, often numbered 1., 2., ….
        Minnesanteckningar => "minnesanteckningar",
        /// A notice of a meeting: no minutes.
        Kallelse => "kallelse",
        /// An agenda without minutes.
        Foredragningslista => "föredragningslista",
        /// Not recognisably any of the above.
        Okand => "okänd",
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Decision {
    pub text: String,
    pub kind: DecisionKind,
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
    /// The heading as printed, with its number, prefix and diarienummer.
    #[serde(default)]
    pub heading: String,
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
    pub kind: MeetingKind,
    pub date: Option<NaiveDate>,
    pub time: Option<String>,
    pub place: Option<String>,
    pub officers: Officers,
    pub participants: Vec<Participant>,
    pub items: Vec<Item>,
    pub attachments: Vec<Attachment>,
    /// The text that belongs to no item, page by page: the front matter, contents lists,
    /// page furniture, attachments, or the whole document where no item was found. It is
    /// searchable like the items, so no word of a document is lost.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub outside_items: Vec<PageText>,
    pub warnings: Vec<String>,
}

/// Text of one page.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PageText {
    pub page: u32,
    pub text: String,
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
    fn closed_sets_serialize_as_swedish_words() {
        let json = serde_json::to_string(&[DecisionKind::TillHandlingarna, DecisionKind::Aterremitterar]).expect("json");
        assert_eq!(json, r#"["till handlingarna","återremitterar"]"#);
        assert_eq!(serde_json::to_string(&MeetingKind::Foredragningslista).expect("json"), r#""föredragningslista""#);
        for k in DecisionKind::ALL {
            assert_eq!(DecisionKind::from_word(k.as_str()), Some(*k));
        }
    }

    #[test]
    fn dates_serialize_as_iso_dates() {
        let r = Reference { body: Some("SocSam".into()), date: NaiveDate::from_ymd_opt(2022, 4, 1), paragraph: None, text: String::new() };
        let json = serde_json::to_value(&r).expect("json");
        assert_eq!(json["date"], "2022-04-01");
    }
}
