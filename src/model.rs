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
    /// Personnummer and samordningsnummer masked in the text: the file itself holds
    /// them, so it is not shown as it is ([`crate::privacy`]).
    #[serde(default, skip_serializing_if = "is_zero")]
    pub masked: u32,
}

fn is_zero(n: &u32) -> bool {
    *n == 0
}

/// The body that met: its name as written and a stable key for grouping
/// (`socsam`, `svom`, `stromsund-socialnamnden`).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
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

/// The hex SHA-256 of a file's bytes: the document's identity in the index.
pub fn sha256_hex(bytes: &[u8]) -> String {
    use sha2::{Digest, Sha256};
    use std::fmt::Write;
    Sha256::digest(bytes).iter().fold(String::with_capacity(64), |mut s, b| {
        let _ = write!(s, "{b:02x}");
        s
    })
}

/// Characters of the content hash that make a document id: 48 bits, so that an archive
/// of 100,000 documents has about one chance in 50,000 of two sharing one. Commands
/// take any unambiguous prefix of at least [`MIN_ID_PREFIX`] characters, as git does.
pub const DOCUMENT_ID_CHARS: usize = 12;

/// Shortest prefix of a document id that commands accept.
pub const MIN_ID_PREFIX: usize = 6;

/// A document's id in the index: the start of its content hash. Content, not the file
/// name or the path, identifies a document: two folders' `protokoll.pdf` are two
/// documents, a file moved or renamed, or a whole archive moved to another disk, keeps
/// its id, and byte-identical copies are one document with several paths.
pub fn document_id(sha256: &str) -> String {
    sha256.chars().take(DOCUMENT_ID_CHARS).collect()
}

/// The name of a document's file without its extension (a meeting's `id`). A name that
/// is not UTF-8 (files copied from an old system that wrote Latin-1 names) is read as
/// Windows-1252: readable, the same on every import, and different for different names,
/// as that decoding gives each byte its own character.
pub fn file_stem_id(path: &std::path::Path) -> String {
    let Some(stem) = path.file_stem() else { return String::new() };
    let bytes = stem.as_encoded_bytes();
    match std::str::from_utf8(bytes) {
        Ok(s) => s.to_string(),
        Err(_) => encoding_rs::WINDOWS_1252.decode_without_bom_handling(bytes).0.into_owned(),
    }
}

/// A lower-case letter without its mark, as keys write it: å, ä → a, ö → o, é → e, …
pub fn plain_letter(c: char) -> char {
    match c {
        'å' | 'ä' | 'à' | 'á' | 'â' => 'a',
        'ö' | 'ø' | 'ó' | 'ô' => 'o',
        'é' | 'è' | 'ê' | 'ë' => 'e',
        'ü' | 'ú' => 'u',
        c => c,
    }
}

/// A name as a key: lower case ASCII letters and digits joined by `-`, Swedish letters
/// without their marks ("Strömsunds kommun" → "stromsunds-kommun").
pub fn slug(text: &str) -> String {
    let mut out = String::new();
    for c in text.to_lowercase().chars().map(plain_letter) {
        if c.is_ascii_alphanumeric() {
            out.push(c);
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
    }
    out.trim_end_matches('-').to_string()
}

/// The canonical form of a path (absolute, links resolved; absolute as given when it
/// cannot be resolved): a source file's identity in the index.
pub fn canonical_path(path: &std::path::Path) -> String {
    path.canonicalize().or_else(|_| std::path::absolute(path)).unwrap_or_else(|_| path.to_path_buf()).display().to_string()
}

/// A date as the number YYYYMMDD, the form the index stores and ranges over.
pub fn date_number(d: NaiveDate) -> u64 {
    use chrono::Datelike;
    u64::from(d.year().max(0) as u32) * 10_000 + u64::from(d.month()) * 100 + u64::from(d.day())
}

impl Meeting {
    /// What copies of one meeting share: the body, its organisation and the date. A PDF,
    /// its scan, the portal page and a protokollsutdrag of one meeting have the same key;
    /// a document without a date is a meeting of its own (keyed by its content).
    pub fn copy_key(&self) -> String {
        match self.date {
            Some(d) => format!("{}|{}|{}", self.body.key, self.organization.as_deref().map(slug).unwrap_or_default(), d),
            None => format!("sha|{}", self.source.sha256),
        }
    }

    /// How good a copy of its meeting a document is, lower is better: a text layer beats
    /// OCR, more items beat fewer (minutes beat an extract of them), and fewer characters
    /// lost to a wrong encoding ("?" or U+FFFD inside text) beat more.
    pub fn copy_rank(&self) -> (bool, std::cmp::Reverse<usize>, u64) {
        let mut lost = 0u64;
        for item in &self.items {
            let chars: Vec<char> = item.text.chars().collect();
            for (i, &c) in chars.iter().enumerate() {
                let next_is_letter = chars.get(i + 1).is_some_and(|n| n.is_alphanumeric());
                let after_space = i > 0 && chars[i - 1].is_whitespace();
                if c == '\u{fffd}' || (c == '?' && (next_is_letter || after_space)) {
                    lost += 1;
                }
            }
        }
        (self.source.ocr, std::cmp::Reverse(self.items.len()), lost)
    }
}

/// Which parts of one copy of a meeting stand for the meeting: the meeting itself (its
/// header and the text outside its items) and each of its items.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Primacy {
    pub meeting: bool,
    /// One flag per item, in the copy's order.
    pub items: Vec<bool>,
}

/// Decides, for the copies of one meeting (documents with one `copy_key`), which copy
/// stands for the meeting and for each item: the best copy by `copy_rank` (then the
/// shorter file name, as copies get suffixes such as "-kopia" or "(1)", then the name and
/// the hash, so that the choice never depends on the order the files came in) stands for
/// the meeting and all its items; an item only a worse copy has (a protokollsutdrag with a
/// § the minutes' copy lost) is that copy's.
pub fn primacy(copies: &[&Meeting]) -> Vec<Primacy> {
    let mut order: Vec<usize> = (0..copies.len()).collect();
    order.sort_by(|&a, &b| {
        let (x, y) = (copies[a], copies[b]);
        (x.copy_rank(), x.id.len(), &x.id, &x.source.sha256).cmp(&(y.copy_rank(), y.id.len(), &y.id, &y.source.sha256))
    });
    let mut out: Vec<Primacy> = copies.iter().map(|m| Primacy { meeting: false, items: vec![false; m.items.len()] }).collect();
    let mut taken: std::collections::HashSet<&str> = std::collections::HashSet::new();
    for (rank, &i) in order.iter().enumerate() {
        out[i].meeting = rank == 0;
        let numbers: Vec<&str> = copies[i].items.iter().map(|it| it.number.as_str()).collect();
        for (flag, number) in out[i].items.iter_mut().zip(&numbers) {
            *flag = !taken.contains(number);
        }
        taken.extend(numbers);
    }
    out
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
    fn slugs_and_ids() {
        assert_eq!(slug("Strömsunds kommun"), "stromsunds-kommun");
        assert_eq!(slug("  Vård- och omsorgsnämnden "), "vard-och-omsorgsnamnden");
        assert_eq!(sha256_hex(b"abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
        assert_eq!(document_id(&sha256_hex(b"abc")), "ba7816bf8f01");
        assert_eq!(date_number(NaiveDate::from_ymd_opt(2022, 11, 7).expect("date")), 20221107);
    }

    fn meeting() -> Meeting {
        serde_json::from_value(serde_json::json!({
            "id": "x", "source": {"path": "x.pdf", "format": "pdf", "sha256": "0", "pages": 1, "ocr": false},
            "body": {"name": "SVOM", "key": "svom"}, "organization": null, "kind": "protokoll", "date": "2022-10-07",
            "time": null, "place": null, "officers": {"chair": null, "secretary": null, "adjusters": []},
            "participants": [], "attachments": [], "warnings": [],
            "items": [{"number": "1", "title": "T", "diarienummer": null, "presenters": [], "page": 1,
                       "text": "dåvarande ”Rådet” i Östersund – startade. Varför?", "decision": null, "references": []}]
        }))
        .expect("meeting")
    }

    #[test]
    fn born_digital_copies_outrank_ocr_and_lost_characters() {
        let mut m = meeting();
        let good = m.copy_rank();
        m.items[0].text = "dåvarande ?Rådet? i Östersund ? startade. Varför?".into();
        let damaged = m.copy_rank();
        assert!(good < damaged);
        assert_eq!(damaged.2, good.2 + 2);
        m.items[0].text = "dåvarande ”Rådet”".into();
        m.source.ocr = true;
        assert!(damaged < m.copy_rank(), "OCR ranks last");
        let mut more = meeting();
        more.items.push(more.items[0].clone());
        more.items[1].text = "? ?".into();
        assert!(more.copy_rank() < good, "more items beat fewer");
    }

    #[test]
    fn the_best_copy_stands_for_the_meeting_and_a_worse_one_for_items_only_it_has() {
        let mut minutes = meeting();
        minutes.id = "sn-2022-10-07".into();
        minutes.source.sha256 = "a".into();
        let mut scan = minutes.clone();
        scan.source.ocr = true;
        scan.source.sha256 = "b".into();
        scan.items.push(scan.items[0].clone());
        scan.items[1].number = "2".into();
        let copies = primacy(&[&scan, &minutes]);
        assert_eq!(copies[1], Primacy { meeting: true, items: vec![true] });
        assert_eq!(copies[0], Primacy { meeting: false, items: vec![false, true] });
        // The order the copies come in changes nothing.
        assert_eq!(primacy(&[&minutes, &scan]), vec![copies[1].clone(), copies[0].clone()]);
        let mut copy = minutes.clone();
        copy.id = "sn-2022-10-07-kopia".into();
        copy.source.sha256 = "c".into();
        assert!(primacy(&[&copy, &minutes])[1].meeting, "the shorter name wins a tie");
    }

    #[test]
    fn copies_share_body_organisation_and_date() {
        let mut a = meeting();
        let b = meeting();
        assert_eq!(a.copy_key(), b.copy_key());
        a.organization = Some("Strömsunds kommun".into());
        assert_ne!(a.copy_key(), b.copy_key());
        a.date = None;
        assert_eq!(a.copy_key(), "sha|0");
    }

    #[test]
    fn dates_serialize_as_iso_dates() {
        let r = Reference { body: Some("SocSam".into()), date: NaiveDate::from_ymd_opt(2022, 4, 1), paragraph: None, text: String::new() };
        let json = serde_json::to_value(&r).expect("json");
        assert_eq!(json["date"], "2022-04-01");
    }
}
