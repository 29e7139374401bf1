//! People as protocols write them: "Karin Näsmark (S)", "Nils-Olof Nilsson",
//! "Lise Hjemgaard Svensson (M) ordförande". Party letters, person names, and whether a
//! phrase names an organisation or a title.

use std::sync::LazyLock;

use regex::Regex;

/// A party in parentheses: (S), (M), (SD), (VV) and local parties of up to five letters.
static PARTY: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"\(\s*([A-ZÅÄÖ][A-ZÅÄÖa-zåäö]{0,4})\s*\)").expect("valid regex"));

/// One word of a person name: capitalised, possibly double ("Nils-Olof").
const NAME_WORD: &str = r"[A-ZÅÄÖÉÜØÆ][a-zåäöéüøæßè'’]+(?:-[A-ZÅÄÖÉÜØÆ][a-zåäöéüøæßè'’]+)?";

/// Two to four name words.
static PERSON: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(&format!(r"^{NAME_WORD}(?:\s+(?:af\s+|von\s+|van\s+|de\s+)?{NAME_WORD}){{1,3}}$")).expect("valid regex"));

static PERSON_IN_TEXT: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(&format!(r"\b{NAME_WORD}(?:\s+(?:af\s+|von\s+|van\s+)?{NAME_WORD}){{1,3}}\b")).expect("valid regex"));

/// Words that start phrases which are not names, although capitalised.
const NOT_NAME_WORDS: &[&str] = &[
    "Region",
    "Regionen",
    "Kommun",
    "Kommunen",
    "Sociala",
    "Socialnämnden",
    "Ordförande",
    "Ordföranden",
    "Sekreterare",
    "Justerare",
    "Justerande",
    "Ärendet",
    "Bilaga",
    "Bilagor",
    "Plats",
    "Tid",
    "Via",
    "Se",
    "Sida",
    "Protokoll",
    "Beslutande",
    "Tjänstepersoner",
    "Övriga",
    "Ej",
    "Närvarande",
    "Frånvarande",
    "Enligt",
    "Inga",
    "Ingen",
    "Vice",
    "Förvaltningschef",
    "Avd",
    "Centrum",
    "Regional",
    "Socialchef",
    "Samordnare",
    "Den",
    "Det",
    "Vid",
    "Efter",
    "Under",
    "Utses",
    "Till",
    "Paragrafer",
    "Paragraf",
    "Anslag",
    "Underskrifter",
    "Justeringens",
    "Sammanträdets",
    "Datum",
];

/// Words of organisations.
static ORGANIZATION: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(?:kommun|kommunen|region|regionen|landsting|landstinget|förvaltning|förvaltningen|länsstyrelsen|förbund|förbundet|kommunförbund|utveckling|centrum|myndigheten|enheten|bolaget|ab|högskola|universitet|polisen|försäkringskassan|arbetsförmedlingen)\b")
        .expect("valid regex")
});

/// Words of titles and roles.
static TITLE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)(?:\bordf\b|ordförande|\bvice\b|ledamot|ledamöter|ersättare|tjänstgörande|\btjg\b|sekreterare|chef\b|samordnare|handläggare|utvecklare|strateg\b|direktör|controller|\bekonom\b|projektledare|verksamhetsledare|kurator|jurist|nämnd|utskott|adjungerad|insynsplats|representant|föredragande|\bbitr\b|assistent|rådgivare|konsult)")
        .expect("valid regex")
});

/// Splits "Karin Näsmark (S) vice ordförande" into the text before the party, the party
/// and the text after it.
pub fn split_party(text: &str) -> Option<(&str, String, &str)> {
    let c = PARTY.captures(text)?;
    let (m, p) = (c.get(0)?, c.get(1)?);
    let party = p.as_str();
    // "(Bilaga 3)" and such are not parties: a party is short and mostly capitals.
    if party.chars().filter(|c| c.is_uppercase()).count() * 2 < party.chars().count() {
        return None;
    }
    Some((text[..m.start()].trim(), party.to_uppercase(), text[m.end()..].trim()))
}

/// Byte spans of the party markers in `text`.
pub fn party_spans(text: &str) -> Vec<(usize, usize)> {
    PARTY
        .captures_iter(text)
        .filter_map(|c| {
            let (m, p) = (c.get(0)?, c.get(1)?);
            let caps = p.as_str().chars().filter(|c| c.is_uppercase()).count();
            (caps * 2 >= p.as_str().chars().count()).then_some((m.start(), m.end()))
        })
        .collect()
}

/// Whether `text` is a person's name and nothing else.
pub fn is_person_name(text: &str) -> bool {
    let t = text.trim();
    PERSON.is_match(t) && !t.split_whitespace().any(|w| NOT_NAME_WORDS.contains(&w))
}

/// The person names in running text ("Maria Höög och Helena Ivansson föredrar").
pub fn person_names_in(text: &str) -> Vec<String> {
    PERSON_IN_TEXT
        .find_iter(text)
        .filter_map(|m| {
            // A capitalised word that opens the sentence ("Ordföranden Anna Berg") is no
            // part of the name.
            let words: Vec<&str> = m.as_str().split_whitespace().collect();
            (0..words.len().saturating_sub(1)).map(|skip| words[skip..].join(" ")).find(|n| is_person_name(n))
        })
        .collect()
}

pub fn is_organization(text: &str) -> bool {
    let t = text.trim();
    ORGANIZATION.is_match(t) || (t.len() >= 2 && t.len() <= 6 && t.chars().all(|c| c.is_uppercase() || c == '-' || c == '/'))
}

pub fn is_title(text: &str) -> bool {
    TITLE.is_match(text)
}

/// A name with the dots or underscores of a signature line removed.
pub fn clean_name(text: &str) -> String {
    text.trim_matches(|c: char| c == '.' || c == '_' || c == '…' || c == ':' || c == ',' || c.is_whitespace()).split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parties_are_split_off() {
        assert_eq!(split_party("Karin Näsmark (S) vice ordförande"), Some(("Karin Näsmark", "S".into(), "vice ordförande")));
        assert_eq!(split_party("Björn Nilsson (VV) Åre"), Some(("Björn Nilsson", "VV".into(), "Åre")));
        assert_eq!(split_party("ett gemensamt familjehemscentrum (Bilaga 3)"), None);
    }

    #[test]
    fn person_names() {
        assert!(is_person_name("Lise Hjemgaard Svensson"));
        assert!(is_person_name("Nils-Olof Nilsson"));
        assert!(is_person_name("Per-Åke Lindqvist"));
        assert!(!is_person_name("Östersunds kommun"));
        assert!(!is_person_name("Se nästa sida"));
        assert!(!is_person_name("Regional utveckling"));
        assert!(!is_person_name("Elin"));
    }

    #[test]
    fn names_in_running_text() {
        assert_eq!(person_names_in("Maria Höög och Helena Ivansson föredrar punkten"), vec!["Maria Höög", "Helena Ivansson"]);
        assert_eq!(person_names_in("Moa Lindunger, projektledare från PwC, tar vid"), vec!["Moa Lindunger"]);
    }

    #[test]
    fn organisations_and_titles() {
        assert!(is_organization("Strömsunds kommun"));
        assert!(is_organization("RJH"));
        assert!(is_organization("Regional utveckling"));
        assert!(is_title("Ordf. Vård och omsorgsnämnden"));
        assert!(is_title("förvaltningschef"));
        assert!(is_title("tjänstgörande ersättare"));
        assert!(!is_title("Östersunds kommun"));
    }

    #[test]
    fn signature_lines_lose_their_dots() {
        assert_eq!(clean_name("Åsa Eldebro....................."), "Åsa Eldebro");
        assert_eq!(clean_name("_____________________"), "");
    }
}
