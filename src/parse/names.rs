//! People as protocols write them: "Karin Näsmark (S)", "Nils-Olof Nilsson",
//! "Lise Hjemgaard Svensson (M) ordförande". Party letters, person names, and whether a
//! phrase names an organisation or a title.

use std::sync::LazyLock;

use regex::Regex;

use super::vocabulary;

/// A party in parentheses: (S), (M), (SD), (VV), local parties of up to five letters, and
/// the Riksdag parties in lower case: (s), ( c ), (kd).
static PARTY: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"\(\s*([A-ZÅÄÖa-zåäö][A-ZÅÄÖa-zåäö]{0,4})\s*\)").expect("valid regex"));

/// Whether the letters in parentheses are a party: mostly capitals, or a Riksdag party in
/// any case. "(Bilaga 3)", "(distans)" are not.
fn is_party(letters: &str) -> bool {
    letters.chars().filter(|c| c.is_uppercase()).count() * 2 >= letters.chars().count() || super::vocabulary::is_known_party(letters)
}

/// One word of a person name: capitalised, possibly double ("Nils-Olof").
const NAME_WORD: &str = r"[A-ZÅÄÖÉÜØÆ][a-zåäöéüøæßè'’]+(?:-[A-ZÅÄÖÉÜØÆ][a-zåäöéüøæßè'’]+)?";

/// Two to four name words.
static PERSON: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(&format!(r"^{NAME_WORD}(?:\s+(?:af\s+|von\s+|van\s+|de\s+)?{NAME_WORD}){{1,3}}$")).expect("valid regex"));

static PERSON_IN_TEXT: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(&format!(r"\b{NAME_WORD}(?:\s+(?:af\s+|von\s+|van\s+)?{NAME_WORD}){{1,3}}\b")).expect("valid regex"));

/// Whether a capitalised word cannot be part of a person's name: a word that opens
/// sentences ("Den", "Enligt"), a word of a label of the vocabulary ("Beslutande",
/// "Justerare", "Plats"), the word of an organisation ("Region", "Kommunen"), an organ in
/// the definite form ("Socialnämnden") or an occupation ("Förvaltningschef").
fn not_name_word(word: &str) -> bool {
    let w = word.trim_end_matches(['.', ',', ':']).to_lowercase();
    vocabulary::SENTENCE_STARTERS.contains(&w.as_str())
        || LABEL_WORDS.contains(&w)
        || ORGANIZATION_WORD.is_match(&w)
        || vocabulary::ORGAN_ENDINGS.iter().any(|e| w.ends_with(e) && (e.ends_with("en") || e.ends_with("et")) && w.len() > e.len())
        || is_title_word(&w)
}

/// The words of the vocabulary's labels: "beslutande", "övriga", "justeringens", "tid".
static LABEL_WORDS: LazyLock<std::collections::HashSet<String>> = LazyLock::new(|| {
    vocabulary::ROLE_LABELS
        .iter()
        .map(|(p, _)| *p)
        .chain(vocabulary::HEADER_LABELS.iter().map(|(p, _)| *p))
        .chain(vocabulary::OFFICER_LABELS.iter().map(|(p, _)| *p))
        .chain(vocabulary::SIGNATURE_HEADINGS.iter().copied())
        .chain(vocabulary::CONTENTS_HEADINGS.iter().copied())
        .chain(vocabulary::KIND_WORDS.iter().map(|(p, _)| *p))
        .flat_map(|p| p.split(' ').map(|w| w.trim_end_matches(['.', '/']).to_string()).collect::<Vec<_>>())
        .filter(|w| w.chars().count() > 1 && !matches!(w.as_str(), "och" | "för" | "av" | "att"))
        .collect()
});

/// Organisation words that start a capitalised phrase: "Region Norrland", "Kommunen".
static ORGANIZATION_WORD: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?:region|regionen|kommun|kommunen|landsting|landstinget|länsstyrelsen|bilaga|bilagor|sida|centrum)$").expect("valid regex")
});

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
    if !is_party(party) {
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
            is_party(p.as_str()).then_some((m.start(), m.end()))
        })
        .collect()
}

/// Whether `text` is a person's name and nothing else: two to four name words, none of
/// them a label or a title ("Kommundirektör Eva Stål" is a title and a name).
pub fn is_person_name(text: &str) -> bool {
    let t = text.trim();
    PERSON.is_match(t) && !t.split_whitespace().any(not_name_word)
}

/// Endings of words that name an occupation or an office: förvaltningschef,
/// kommundirektör, nämndsekreterare, utredare, handläggare.
static TITLE_WORD: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^[\wåäö.-]*(?:chef|direktör|sekreterare|ekonom|handläggare|utredare|samordnare|strateg|ansvarig|ledare|rådgivare|assistent|konsult|inspektör|jurist|kurator|sjuksköterska|ombudsman|controller|utvecklare|planerare|pedagog|revisor|tekniker|ingenjör|föreståndare|koordinator|ordförande|ledamot|ersättare|representant|kommunalråd|oppositionsråd|regionråd|sakkunnig|praktikant|student|socionom|psykolog|läkare|chefen|handläggaren)$")
        .expect("valid regex")
});

/// Whether a word names an occupation or an office.
pub fn is_title_word(word: &str) -> bool {
    TITLE_WORD.is_match(word.trim_matches(|c: char| !c.is_alphanumeric()))
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
    TITLE.is_match(text) || text.split_whitespace().any(is_title_word)
}

/// Endings of Swedish surnames: a name word ending so closes a name when names stand in a
/// row without separators ("Bo Lennart Danielsson Rickard Norberg").
const SURNAME_ENDINGS: &[&str] = &[
    "son", "sen", "berg", "ström", "lund", "gren", "qvist", "kvist", "man", "mark", "ander", "ell", "blad", "borg", "bäck", "sten", "stedt", "holm", "dahl",
    "dal", "ling", "lind", "löf", "stam", "sjö", "vall", "fors", "hed", "lid", "back", "rud", "by", "stad", "hult", "ros", "ek", "ås", "lander", "ius", "ér",
    "én", "ell", "er", "in",
];

fn surname_like(word: &str) -> bool {
    let w = word.to_lowercase();
    w.chars().count() >= 4 && SURNAME_ENDINGS.iter().any(|e| w.ends_with(e))
}

/// Splits a run of name words with nothing between the names into names: two words a
/// name, three where the third word ends like a surname and the second does not ("Bo
/// Lennart Danielsson"), or where an odd word is left.
pub fn split_run(words: &[&str]) -> Vec<String> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < words.len() {
        let left = words.len() - i;
        let take = if left < 2 {
            left
        } else if left == 3
            || (left >= 3 && left % 2 == 1 && surname_like(words[i + 2]))
            || (left >= 3 && !surname_like(words[i + 1]) && surname_like(words[i + 2]))
        {
            3
        } else {
            2
        };
        out.push(words[i..i + take].join(" "));
        i += take;
    }
    out
}

/// The people named in a row of names without separators, as signature blocks and
/// flattened lists give them: "Patrik Skanser Mariette Sjölund (S) Lennart Ahlström (S)".
/// Names known from the document (`known`, such as its participants) are taken whole;
/// parties close a name; other runs of name words are split by [`split_run`].
pub fn split_names(text: &str, known: &[&str]) -> Vec<String> {
    let cleaned: String = text.chars().map(|c| if matches!(c, '.' | '…' | '_' | '/' | ',' | ';') { ' ' } else { c }).collect();
    let words: Vec<&str> = cleaned.split_whitespace().collect();
    let known: Vec<Vec<&str>> = known.iter().map(|k| k.split_whitespace().collect::<Vec<_>>()).filter(|k: &Vec<&str>| k.len() >= 2).collect();
    let is_word = |w: &str| is_name_word(w) && !not_name_word(w);
    let mut out: Vec<String> = Vec::new();
    let mut run: Vec<&str> = Vec::new();
    let flush = |run: &mut Vec<&str>, out: &mut Vec<String>| {
        if run.len() >= 2 {
            out.extend(split_run(run));
        }
        run.clear();
    };
    let mut i = 0;
    while i < words.len() {
        if let Some(k) = known.iter().filter(|k| words[i..].starts_with(k)).max_by_key(|k| k.len()) {
            flush(&mut run, &mut out);
            out.push(k.join(" "));
            i += k.len();
            continue;
        }
        let w = words[i];
        if PARTY.is_match(w) && w.starts_with('(') {
            run.truncate(run.len().min(4));
            flush(&mut run, &mut out);
        } else if is_word(w) {
            run.push(w);
        } else {
            flush(&mut run, &mut out);
        }
        i += 1;
    }
    flush(&mut run, &mut out);
    out
}

/// A capitalised word, or capitalised parts joined by hyphens ("Jan-Gunnar").
pub fn is_name_word(w: &str) -> bool {
    w.split('-').all(|part| {
        let mut chars = part.chars();
        chars.next().is_some_and(char::is_uppercase) && chars.clone().count() >= 1 && chars.all(|c| c.is_lowercase() || c == '\'' || c == '’')
    })
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
    fn lower_case_riksdag_parties() {
        assert_eq!(split_party("Göte Lindahl (s), ordförande"), Some(("Göte Lindahl", "S".into(), ", ordförande")));
        assert_eq!(split_party("Anna Berg ( c )"), Some(("Anna Berg", "C".into(), "")));
        assert_eq!(split_party("Stina Ek (distans)"), None);
    }

    #[test]
    fn person_names() {
        assert!(!is_person_name("Kommundirektör Eva Stål"));
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
    fn rows_of_names_without_separators() {
        assert_eq!(split_names("Patrik Skanser Mariette Sjölund (S) Lennart Ahlström (S)", &[]), ["Patrik Skanser", "Mariette Sjölund", "Lennart Ahlström"]);
        assert_eq!(
            split_names("Anita Sjösvärd Lennart Haraldsson Thomas Lidberg Lars Rasch", &[]),
            ["Anita Sjösvärd", "Lennart Haraldsson", "Thomas Lidberg", "Lars Rasch"]
        );
        assert_eq!(split_names("Rickard Norberg Bo Lennart Danielsson", &[]), ["Rickard Norberg", "Bo Lennart Danielsson"]);
        assert_eq!(
            split_names("………… Petra Holmlund ………… Lise Hjemgaard Svensson", &["Lise Hjemgaard Svensson"]),
            ["Petra Holmlund", "Lise Hjemgaard Svensson"]
        );
        assert_eq!(split_names("Eva Lif", &[]), ["Eva Lif"]);
    }

    #[test]
    fn signature_lines_lose_their_dots() {
        assert_eq!(clean_name("Åsa Eldebro....................."), "Åsa Eldebro");
        assert_eq!(clean_name("_____________________"), "");
    }
}
