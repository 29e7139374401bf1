//! The Swedish words that the parser's rules match, in one place: role labels, header and
//! officer labels, decision and proposal headings, the other headings of an item, the
//! phrases of page furniture, parties, kinds of document, the names of deciding organs,
//! months and weekdays.
//!
//! Every list here is general Swedish protocol vocabulary, gathered from the shapes that
//! `LAYOUTS.md` catalogues and from many publishers' templates; none names a document, a
//! body or a person. Phrases are written in lower case with single spaces; matching is
//! case-insensitive and takes any run of white space for a space (see [`phrase_pattern`]).
//! The rules themselves live with the section parsers; this module only says what the
//! words are and what each one means.

use std::sync::LazyLock;

use regex::Regex;

use crate::model::Role;

/// Labels of participant sections and the role of the people listed under each. Longest
/// first where one label begins another ("övriga närvarande" before "övriga").
///
/// A "Tjänstepersoner"/"Tjänstemän" section holds officials (`tjansteperson`, as
/// CONTRACT.md spells the role); ersättare who do not serve that day are present but do
/// not vote (`ovrig`); "Tjänstgörande ersättare" vote (`beslutande`).
pub const ROLE_LABELS: &[(&str, Role)] = &[
    ("beslutande ledamöter", Role::Beslutande),
    ("beslutande", Role::Beslutande),
    ("närvarande ledamöter", Role::Beslutande),
    ("tjänstgörande ledamöter", Role::Beslutande),
    ("ordinarie ledamöter", Role::Beslutande),
    ("tjänstgörande ersättare", Role::Beslutande),
    ("ledamöter", Role::Beslutande),
    ("ledamot", Role::Beslutande),
    ("närvarande tjänstepersoner", Role::Tjansteperson),
    ("närvarande tjänstemän", Role::Tjansteperson),
    ("tjänstepersoner", Role::Tjansteperson),
    ("tjänsteperson", Role::Tjansteperson),
    ("tjänstemän", Role::Tjansteperson),
    ("övriga deltagare", Role::Ovrig),
    ("övriga deltagande", Role::Ovrig),
    ("övriga närvarande", Role::Ovrig),
    ("övriga", Role::Ovrig),
    ("ej tjänstgörande ersättare", Role::Ovrig),
    ("icke tjänstgörande ersättare", Role::Ovrig),
    ("ej tjänstgörande", Role::Ovrig),
    ("närvarande ersättare", Role::Ovrig),
    ("ersättare", Role::Ovrig),
    ("adjungerade", Role::Ovrig),
    ("adjungerad", Role::Ovrig),
    ("insynsplats", Role::Ovrig),
    ("ej närvarande", Role::EjNarvarande),
    ("ej närvarande ledamöter", Role::EjNarvarande),
    ("frånvarande", Role::EjNarvarande),
    ("anmält förhinder", Role::EjNarvarande),
    ("förhinder", Role::EjNarvarande),
    ("närvarande", Role::Beslutande),
    ("deltagare", Role::Beslutande),
    ("deltagande", Role::Beslutande),
];

/// Phrases that say the list is elsewhere: "Beslutande  Enligt särskild närvarolista".
pub const NO_LIST_PHRASES: &[&str] = &[
    "enligt särskild närvarolista",
    "enligt bifogad närvarolista",
    "enligt närvarolista",
    "se bifogad närvarolista",
    "se närvarolista",
    "se bilaga",
    "se nästa sida",
    "se sid",
    "enligt bilaga",
];

/// What a label of the meeting header is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HeaderField {
    /// "Plats och tid", "Tid och plats": where and when the meeting was held.
    PlaceAndTime,
    Place,
    Time,
    /// "Sammanträdesdatum", "Datum": the meeting's date (a bare "Datum" may be the
    /// writing date).
    Date,
    /// "Justeringens plats och tid", "Paragrafer", "ANSLAG/BEVIS", "Organ", …: about the
    /// minutes themselves, not the meeting; their dates are not the meeting's.
    Minutes,
    /// "Närvarorätt": who may attend; not a list of people.
    Attendance,
}

/// Labels of the meeting header. Longest first where one begins another.
pub const HEADER_LABELS: &[(&str, HeaderField)] = &[
    ("sammanträdets plats och tid", HeaderField::PlaceAndTime),
    ("sammanträdets tid och plats", HeaderField::PlaceAndTime),
    ("tid och plats för sammanträdet", HeaderField::PlaceAndTime),
    ("plats och tid för sammanträdet", HeaderField::PlaceAndTime),
    ("tid och plats", HeaderField::PlaceAndTime),
    ("plats och tid", HeaderField::PlaceAndTime),
    ("plats och datum", HeaderField::PlaceAndTime),
    ("mötesplats", HeaderField::Place),
    ("plats", HeaderField::Place),
    ("klockan", HeaderField::Time),
    ("tid", HeaderField::Time),
    ("sammanträdesdatum", HeaderField::Date),
    ("sammanträdesdag", HeaderField::Date),
    ("datum för sammanträdet", HeaderField::Date),
    ("mötesdatum", HeaderField::Date),
    ("datum", HeaderField::Date),
    ("justeringens plats och tid", HeaderField::Minutes),
    ("justeringens tid och plats", HeaderField::Minutes),
    ("justeringens plats", HeaderField::Minutes),
    ("justeringsdatum", HeaderField::Minutes),
    ("justeringsdag", HeaderField::Minutes),
    ("justeringens plats och", HeaderField::Minutes),
    ("justerade paragrafer", HeaderField::Minutes),
    ("paragrafer", HeaderField::Minutes),
    ("protokollet omfattar", HeaderField::Minutes),
    ("anslag/bevis", HeaderField::Minutes),
    ("bevis om anslag", HeaderField::Minutes),
    ("bevis om justering", HeaderField::Minutes),
    ("anslag", HeaderField::Minutes),
    ("organ", HeaderField::Minutes),
    ("datum för anslags uppsättande", HeaderField::Minutes),
    ("datum för anslags nedtagande", HeaderField::Minutes),
    ("datum då anslaget sätts upp", HeaderField::Minutes),
    ("datum då anslaget tas ned", HeaderField::Minutes),
    ("anslaget uppsättes", HeaderField::Minutes),
    ("anslaget nedtages", HeaderField::Minutes),
    ("förvaringsplats för protokollet", HeaderField::Minutes),
    ("närvarorätt", HeaderField::Attendance),
];

/// An officer of the meeting.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Office {
    Chair,
    Secretary,
    /// Justerare: a member who co-signs the minutes.
    Adjuster,
}

/// Labels that name an officer, in signature blocks and the header.
pub const OFFICER_LABELS: &[(&str, Office)] = &[
    ("utses att jämte ordföranden justera", Office::Adjuster),
    ("utses att justera", Office::Adjuster),
    ("utsedd att justera", Office::Adjuster),
    ("justerare", Office::Adjuster),
    ("justerande", Office::Adjuster),
    ("justeras av", Office::Adjuster),
    ("justeras", Office::Adjuster),
    ("protokolljusterare", Office::Adjuster),
    ("ordförande för mötet", Office::Chair),
    ("ordförande", Office::Chair),
    ("ordf.", Office::Chair),
    ("mötesordförande", Office::Chair),
    ("sekreterare för mötet", Office::Secretary),
    ("sekreterare", Office::Secretary),
    ("protokollförare", Office::Secretary),
    ("vid protokollet", Office::Secretary),
    ("vid anteckningarna", Office::Secretary),
    ("vid tangentbordet", Office::Secretary),
    ("antecknat av", Office::Secretary),
    ("antecknare", Office::Secretary),
    ("mötessekreterare", Office::Secretary),
    ("nämndsekreterare", Office::Secretary),
];

/// Headings of a signature block: the officer labels and their names follow.
pub const SIGNATURE_HEADINGS: &[&str] = &["underskrifter", "underskrift", "signaturer", "justering"];

/// What a heading inside an item opens.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Section {
    /// The decision: "Beslut", "Socialnämndens beslut", "Ställningstagande".
    Decision,
    /// A proposal, not a decision: "Förslag till beslut", "Arbetsutskottets förslag".
    Proposal,
    /// Yrkanden: motions put forward at the meeting.
    Motion,
    /// A dissent.
    Reservation,
    /// A note entered in the minutes, or a special statement.
    Note,
    /// A vote count or the order of propositions.
    Vote,
    /// What the case is: summary, background, assessment. A decision told here in the
    /// past tense is history, not this meeting's.
    Description,
    /// Anything else: the basis of the decision, the presenter, attachments.
    Other,
    /// Where the decision is sent: it ends the decision.
    Distribution,
}

/// Headings of an item's sections, as whole lines (a colon may follow). The `X` of
/// "Xs beslut" and "Xs förslag" (Socialnämndens, Arbetsutskottets) is matched by shape in
/// the classifier; these are the fixed words.
pub const SECTION_HEADINGS: &[(&str, Section)] = &[
    ("beslut", Section::Decision),
    ("beslutet", Section::Decision),
    ("beslutades", Section::Decision),
    ("förslag till beslut", Section::Proposal),
    ("förslag till beslut på sammanträdet", Section::Proposal),
    ("förvaltningens förslag", Section::Proposal),
    ("förvaltningens förslag till beslut", Section::Proposal),
    ("ordförandens förslag", Section::Proposal),
    ("förslag", Section::Proposal),
    ("yrkande", Section::Motion),
    ("yrkanden", Section::Motion),
    ("reservation", Section::Reservation),
    ("reservationer", Section::Reservation),
    ("protokollsanteckning", Section::Note),
    ("protokollsanteckningar", Section::Note),
    ("särskilt yttrande", Section::Note),
    ("omröstning", Section::Vote),
    ("votering", Section::Vote),
    ("omröstningsresultat", Section::Vote),
    ("propositionsordning", Section::Vote),
    ("beslutsgång", Section::Vote),
    ("sammanfattning", Section::Description),
    ("sammanfattning av ärendet", Section::Description),
    ("beskrivning av ärendet", Section::Description),
    ("ärendebeskrivning", Section::Description),
    ("ärendet i korthet", Section::Description),
    ("ärendet", Section::Description),
    ("ärende", Section::Description),
    ("bakgrund", Section::Description),
    ("inledning", Section::Description),
    ("bedömning", Section::Description),
    ("analys", Section::Description),
    ("förvaltningens bedömning", Section::Description),
    ("beredning", Section::Description),
    ("ärendets beredning", Section::Description),
    ("motivering", Section::Description),
    ("ekonomiska konsekvenser", Section::Description),
    ("konsekvenser", Section::Description),
    ("yttrande", Section::Description),
    ("information", Section::Description),
    ("underlag till beslut", Section::Other),
    ("underlag för beslut", Section::Other),
    ("beslutsunderlag", Section::Other),
    ("handlingar", Section::Other),
    ("handlingar i ärendet", Section::Other),
    ("underlag", Section::Other),
    ("föredragande", Section::Other),
    ("jäv", Section::Other),
    ("bilagor", Section::Other),
    ("bilaga", Section::Other),
    ("beslutet skickas till", Section::Distribution),
    ("beslut skickas till", Section::Distribution),
    ("beslutet ska skickas till", Section::Distribution),
    ("beslutet expedieras till", Section::Distribution),
    ("expedieras till", Section::Distribution),
    ("expedieras", Section::Distribution),
    ("expediering", Section::Distribution),
    ("beslutsexpediering", Section::Distribution),
    ("skickas till", Section::Distribution),
    ("för kännedom", Section::Distribution),
    ("för kännedom till", Section::Distribution),
    ("sändlista", Section::Distribution),
    ("kopia till", Section::Distribution),
    ("protokollsutdrag till", Section::Distribution),
    ("utdrag till", Section::Distribution),
];

/// The organ nouns that end a body's name ("Socialnämnden", "Regionala
/// samverkansgruppen", "Kommunstyrelsens arbetsutskott"). General Swedish.
pub const BODY_NOUNS: &[&str] = &[
    "nämnd",
    "nämnden",
    "styrelse",
    "styrelsen",
    "utskott",
    "utskottet",
    "fullmäktige",
    "nätverk",
    "nätverket",
    "gruppen",
    "grupp",
    "rådet",
    "råd",
    "beredningen",
    "direktionen",
    "presidiet",
    "kommittén",
    "delegationen",
];

/// Organ words that alone name no particular body.
pub const GENERIC_ORGANS: &[&str] = &[
    "nämnd",
    "nämnden",
    "styrelse",
    "styrelsen",
    "utskott",
    "utskottet",
    "grupp",
    "gruppen",
    "råd",
    "rådet",
    "nätverk",
    "nätverket",
    "presidiet",
    "beredningen",
];

/// Nouns whose genitive names who decides or proposes: "Socialnämndens beslut",
/// "Arbetsutskottets förslag". Only the ending is fixed; any "-nämndens" counts.
pub const ORGAN_ENDINGS: &[&str] = &[
    "nämnd",
    "nämnden",
    "styrelse",
    "styrelsen",
    "utskott",
    "utskottet",
    "fullmäktige",
    "nätverk",
    "nätverket",
    "gruppen",
    "rådet",
    "beredningen",
    "direktionen",
    "presidiet",
    "förvaltningen",
    "kontoret",
    "ledningen",
    "ordföranden",
    "mötet",
    "sammanträdet",
];

/// Phrases of page furniture that are never the protocol, wherever they stand.
pub const FURNITURE_PHRASES: &[&str] = &[
    "justerandes sign",
    "justerandes signatur",
    "justerares sign",
    "justerares signatur",
    "justerarsignaturer",
    "justerarnas signaturer",
    "ordförandes sign",
    "ordförandens signatur",
    "utdragsbestyrkande",
    "sign",
];

/// Headings of a table of contents.
pub const CONTENTS_HEADINGS: &[&str] =
    &["ärendelista", "ärendeförteckning", "innehållsförteckning", "innehåll", "paragrafförteckning", "förteckning över ärenden"];

/// The parties of the Riksdag and of its recent past, as protocols abbreviate them. A
/// party in parentheses is recognised by shape (a few letters, mostly capitals), so local
/// parties need no list; this one tells a party from an acronym that is not one.
pub const PARTIES: &[&str] = &["S", "M", "C", "V", "L", "KD", "MP", "SD", "FP", "NYD", "PP", "FI"];

/// Kinds of document as their headings name them, and the kind each one means.
pub const KIND_WORDS: &[(&str, crate::model::MeetingKind)] = {
    use crate::model::MeetingKind::*;
    &[
        ("protokollsutdrag", Protokollsutdrag),
        ("utdrag ur protokoll", Protokollsutdrag),
        ("utdrag ur sammanträdesprotokoll", Protokollsutdrag),
        ("utdrag ur protokollet", Protokollsutdrag),
        ("minnesanteckningar", Minnesanteckningar),
        ("minnesanteckning", Minnesanteckningar),
        ("mötesanteckningar", Minnesanteckningar),
        ("anteckningar", Minnesanteckningar),
        ("sammanträdesprotokoll", Protokoll),
        ("justerat protokoll", Protokoll),
        ("protokoll", Protokoll),
        ("kallelse", Kallelse),
        ("föredragningslista", Foredragningslista),
        ("dagordning", Foredragningslista),
    ]
};

/// Swedish laws and official series whose abbreviations stand like acronyms of bodies in
/// citations ("enligt 4 kap. 1 § SoL") but decide nothing.
pub const LAW_ABBREVIATIONS: &[&str] = &[
    "SoL", "LSS", "LVU", "LVM", "HSL", "KL", "OSL", "FL", "PBL", "MB", "LOU", "SFS", "SOU", "BrB", "FB", "LASS", "LOV", "MBL", "AML", "GDPR", "EU", "LPT",
    "LRV",
];

pub const MONTHS: &[(&str, u32)] = &[
    ("januari", 1),
    ("februari", 2),
    ("mars", 3),
    ("april", 4),
    ("maj", 5),
    ("juni", 6),
    ("juli", 7),
    ("augusti", 8),
    ("september", 9),
    ("oktober", 10),
    ("november", 11),
    ("december", 12),
    ("jan", 1),
    ("febr", 2),
    ("feb", 2),
    ("mar", 3),
    ("apr", 4),
    ("jun", 6),
    ("jul", 7),
    ("aug", 8),
    ("sept", 9),
    ("sep", 9),
    ("okt", 10),
    ("nov", 11),
    ("dec", 12),
];

pub const WEEKDAYS: &[&str] = &["måndag", "tisdag", "onsdag", "torsdag", "fredag", "lördag", "söndag"];

/// Words that begin a phrase which is no one's name although capitalised: labels and
/// function words that start sentences. Built from the lists above plus the function
/// words protocols start sentences with.
pub const SENTENCE_STARTERS: &[&str] = &[
    "den",
    "det",
    "de",
    "denna",
    "detta",
    "dessa",
    "en",
    "ett",
    "i",
    "på",
    "vid",
    "efter",
    "under",
    "till",
    "från",
    "för",
    "med",
    "om",
    "av",
    "enligt",
    "inga",
    "ingen",
    "inget",
    "se",
    "via",
    "utses",
    "samt",
    "och",
    "som",
    "nästa",
    "mötet",
    "sammanträdet",
    "ärendet",
    "beslut",
    "protokoll",
    "sida",
    "bilaga",
    "bilagor",
    "kl",
    "klockan",
    "datum",
    "plats",
    "tid",
    "vice",
    "avd",
    "ordf",
    "gäller",
    "angående",
    "avseende",
    "ang",
];

/// Abbreviations that end in a full stop without ending a sentence.
pub const ABBREVIATIONS: &[&str] = &[
    "bl.a.", "t.ex.", "m.fl.", "m.m.", "osv.", "o.s.v.", "ordf.", "kl.", "nr.", "ca.", "resp.", "inkl.", "exkl.", "jfr.", "enl.", "ang.", "tf.", "t.f.",
    "bitr.", "f.d.", "s.k.", "p.g.a.", "pga.", "dvs.", "d.v.s.", "fr.o.m.", "t.o.m.", "st.", "kap.", "sek.", "tjg.", "ers.", "avd.", "adm.", "tel.", "mfl.",
    "mm.", "el.", "vs.",
];

/// Whether a word that ends in a full stop is an abbreviation ("bl.a.", "ordf.") or an
/// initial ("K."), which does not end a sentence.
pub fn is_abbreviation(word: &str) -> bool {
    let w = word.trim_start_matches(['(', '"']).to_lowercase();
    ABBREVIATIONS.contains(&w.as_str()) || (w.chars().count() == 2 && w.ends_with('.'))
}

/// A regex alternation of phrases: spaces match any run of white space, other characters
/// are literal.
pub fn phrase_pattern<'a>(phrases: impl IntoIterator<Item = &'a str>) -> String {
    let mut parts: Vec<String> = phrases.into_iter().map(|p| p.split(' ').map(regex::escape).collect::<Vec<_>>().join(r"\s+")).collect();
    // Longest first, so that "övriga närvarande" wins over "övriga".
    parts.sort_by_key(|p| std::cmp::Reverse(p.len()));
    parts.dedup();
    parts.join("|")
}

/// The first entry of `table` whose phrase `text` is, ignoring case, surrounding white
/// space and a trailing colon.
pub fn lookup<T: Copy>(table: &[(&str, T)], text: &str) -> Option<T> {
    let t = normalise(text);
    table.iter().find(|(p, _)| *p == t).map(|&(_, v)| v)
}

/// Lower case, single spaces, without a trailing colon or full stop.
pub fn normalise(text: &str) -> String {
    let t = text.trim().trim_end_matches([':', '.']).trim();
    t.split_whitespace().collect::<Vec<_>>().join(" ").to_lowercase()
}

/// A party abbreviation of the Riksdag, in any case: "(s)" and "(S)" are one party.
pub fn is_known_party(text: &str) -> bool {
    let upper = text.to_uppercase();
    PARTIES.contains(&upper.as_str())
}

/// A label of any kind that opens a line: role, header, officer, signature or contents
/// heading. Used to find labels run into text whose line breaks were lost.
pub static ANY_LABEL: LazyLock<Regex> = LazyLock::new(|| {
    let phrases = ROLE_LABELS
        .iter()
        .map(|(p, _)| *p)
        .chain(HEADER_LABELS.iter().map(|(p, _)| *p))
        .chain(OFFICER_LABELS.iter().map(|(p, _)| *p))
        .chain(SIGNATURE_HEADINGS.iter().copied());
    Regex::new(&format!(r"(?i)^(?:{})\b", phrase_pattern(phrases))).expect("valid regex")
});

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lookups_ignore_case_spacing_and_colons() {
        assert_eq!(lookup(ROLE_LABELS, "Övriga  närvarande:"), Some(Role::Ovrig));
        assert_eq!(lookup(ROLE_LABELS, "Tjänstgörande ersättare"), Some(Role::Beslutande));
        assert_eq!(lookup(ROLE_LABELS, "Ej tjänstgörande ersättare"), Some(Role::Ovrig));
        assert_eq!(lookup(HEADER_LABELS, "Justeringens plats och tid"), Some(HeaderField::Minutes));
        assert_eq!(lookup(SECTION_HEADINGS, "Beslutet skickas till:"), Some(Section::Distribution));
        assert_eq!(lookup(OFFICER_LABELS, "Vid protokollet"), Some(Office::Secretary));
        assert_eq!(lookup(ROLE_LABELS, "Karin Berg"), None);
    }

    #[test]
    fn phrase_patterns_prefer_the_longest_phrase() {
        let re = Regex::new(&format!("^(?:{})", phrase_pattern(["övriga", "övriga närvarande"]))).expect("regex");
        assert_eq!(re.find("övriga  närvarande Anna").map(|m| m.as_str()), Some("övriga  närvarande"));
    }

    #[test]
    fn parties_in_any_case() {
        assert!(is_known_party("s"));
        assert!(is_known_party("KD"));
        assert!(!is_known_party("IFO"));
    }

    #[test]
    fn labels_open_lines() {
        assert!(ANY_LABEL.is_match("Utses att justera Anna Berg"));
        assert!(ANY_LABEL.is_match("ÖVRIGA DELTAGANDE"));
        assert!(!ANY_LABEL.is_match("Beslutet fattades"));
    }
}
