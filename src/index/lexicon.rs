//! The lexicon of compound parts: which strings can begin a Swedish compound, which can
//! end one, and how a compound splits into them.
//!
//! The default lexicon is Debian's hunspell-sv dictionary (`hunspell-sv`, the LibreOffice
//! sv_SE dictionary by Göran Andersson, LGPL-3), read at run time: its compounding flags
//! say which words may begin (X), stand in the middle of (U) or end (Y) a compound, and it
//! lists shortened first parts (kvinno-, förskole-, arbets-) as words that only occur in
//! compounds (Z). A lexicon can also be built from any word list, such as an archive's own
//! vocabulary; the index records which lexicon it was built with.
//!
//! Which dictionary: the one given with `--lexicon`, else the one `PROTOKOLL_HUNSPELL`
//! names, else Debian's ([`Dictionary::choose`]). Only the `.dic` file is read (the
//! compounding flags are those of the Swedish dictionary's `.aff`). A dictionary the user
//! chose that cannot be read is an error; Debian's missing is an empty lexicon.
//!
//! An index keeps its lexicon beside it in compiled form, a finite-state transducer
//! ([`Lexicon::write_compiled`]), which a search opens without parsing the dictionary.
//!
//! Splitting tries the longest first part first, accepts a linking -s- or -e-, strips the
//! inflection of the last part ("avtalet" → "avtal", "hemmen" → "hem"), and splits the
//! parts again, so "hemsjukvårdsavtalet" gives hemsjukvård, avtalet, hem, sjukvård, sjuk
//! and vård.

use std::collections::HashMap;
use std::io;
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

/// Where Debian installs the Swedish hunspell dictionary.
pub const HUNSPELL_SV: &str = "/usr/share/hunspell/sv_SE.dic";

/// The environment variable that names another hunspell dictionary (its `.dic` file).
pub const HUNSPELL_ENV: &str = "PROTOKOLL_HUNSPELL";

/// Words shorter than this are not split.
pub const MIN_COMPOUND_CHARS: usize = 7;

/// Parts shorter than this are not parts ("in", "av").
pub const MIN_PART_CHARS: usize = 3;

/// How deep parts are split again.
const MAX_SPLIT_DEPTH: usize = 3;

/// Words whose splits one thread remembers (about 100 bytes each); the cache starts
/// over when full.
const MAX_CACHED_SPLITS: usize = 50_000;

/// One thread's splits, for one lexicon (by fingerprint).
#[derive(Default)]
struct SplitCache {
    lexicon: String,
    splits: HashMap<String, Vec<String>>,
}

thread_local! {
    static SPLITS: std::cell::RefCell<SplitCache> = std::cell::RefCell::new(SplitCache::default());
}

const BEGIN: u8 = 1;
const END: u8 = 2;

/// Inflectional endings of a compound's last part, longest first.
const ENDINGS: &[&str] = &[
    "ningarnas",
    "ningarna",
    "heternas",
    "heterna",
    "ningens",
    "ningar",
    "ningen",
    "hetens",
    "heten",
    "ernas",
    "arnas",
    "ornas",
    "erna",
    "arna",
    "orna",
    "ens",
    "ets",
    "ers",
    "ars",
    "ors",
    "en",
    "et",
    "er",
    "ar",
    "or",
    "na",
    "ns",
    "ts",
    "n",
    "t",
    "s",
    "a",
    "e",
];

/// The words and their compounding flags: a hash map when read from a dictionary, a
/// finite-state transducer when opened from its compiled form.
#[derive(Clone)]
enum Words {
    Map(HashMap<String, u8>),
    Compiled(fst::Map<Vec<u8>>),
}

impl Default for Words {
    fn default() -> Self {
        Words::Map(HashMap::new())
    }
}

impl std::fmt::Debug for Words {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Words::Map(m) => write!(f, "Map({} words)", m.len()),
            Words::Compiled(m) => write!(f, "Compiled({} words)", m.len()),
        }
    }
}

impl Words {
    fn get(&self, w: &str) -> Option<u8> {
        match self {
            Words::Map(m) => m.get(w).copied(),
            Words::Compiled(m) => m.get(w).map(|v| v as u8),
        }
    }

    fn len(&self) -> usize {
        match self {
            Words::Map(m) => m.len(),
            Words::Compiled(m) => m.len(),
        }
    }
}

/// What chose a hunspell dictionary.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Chosen {
    /// `--lexicon FIL`.
    Flag,
    /// The environment variable [`HUNSPELL_ENV`].
    Env,
    /// Neither: Debian's [`HUNSPELL_SV`].
    Default,
}

/// A hunspell dictionary's `.dic` file and what chose it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Dictionary {
    pub path: PathBuf,
    pub chosen: Chosen,
}

/// A dictionary that the user chose and that cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum DictionaryError {
    #[error("ordlistan {} ({}) kan inte läsas: {}", .path.display(), .why, crate::text::io_error(.error))]
    Unreadable { path: PathBuf, why: &'static str, error: io::Error },
    #[error("ordlistan {} ({}) har inga ord som får ingå i sammansatta ord; ange en hunspell-ordlista (.dic)", .path.display(), .why)]
    NoCompounds { path: PathBuf, why: &'static str },
}

impl Dictionary {
    /// The dictionary `flag` names, else the one [`HUNSPELL_ENV`] names, else Debian's.
    pub fn choose(flag: Option<&Path>) -> Dictionary {
        choose_dictionary(flag, std::env::var_os(HUNSPELL_ENV))
    }

    /// What chose it, in a few Swedish words.
    pub fn why(&self) -> &'static str {
        match self.chosen {
            Chosen::Flag => "vald med --lexicon",
            Chosen::Env => "vald med PROTOKOLL_HUNSPELL",
            Chosen::Default => "standardordlistan",
        }
    }

    /// Reads the dictionary, taken from a compiled copy when `compiled` holds the same one
    /// (an index folder's copy): hashing the dictionary costs a few milliseconds, reading
    /// its 77k entries some sixty. A dictionary the user chose must be there and hold
    /// compound parts; Debian's missing is an empty lexicon (nothing is split).
    pub fn load(&self, compiled: Option<&Path>) -> Result<Lexicon, DictionaryError> {
        let bytes = match std::fs::read(&self.path) {
            Ok(bytes) => bytes,
            Err(_) if self.chosen == Chosen::Default => return Ok(Lexicon::empty()),
            Err(error) => return Err(DictionaryError::Unreadable { path: self.path.clone(), why: self.why(), error }),
        };
        if let Some(lexicon) = compiled.and_then(|c| Lexicon::open_compiled(c, &hunspell_fingerprint(&bytes)).ok()) {
            return Ok(lexicon);
        }
        let lexicon = Lexicon::from_hunspell_bytes(&bytes);
        if lexicon.is_empty() && self.chosen != Chosen::Default {
            return Err(DictionaryError::NoCompounds { path: self.path.clone(), why: self.why() });
        }
        Ok(lexicon)
    }
}

/// [`Dictionary::choose`] with the environment variable's value given: an empty value
/// counts as none.
fn choose_dictionary(flag: Option<&Path>, env: Option<std::ffi::OsString>) -> Dictionary {
    match (flag, env.filter(|v| !v.is_empty())) {
        (Some(path), _) => Dictionary { path: path.to_path_buf(), chosen: Chosen::Flag },
        (None, Some(path)) => Dictionary { path: PathBuf::from(path), chosen: Chosen::Env },
        (None, None) => Dictionary { path: PathBuf::from(HUNSPELL_SV), chosen: Chosen::Default },
    }
}

/// A set of compound parts.
#[derive(Debug, Clone, Default)]
pub struct Lexicon {
    words: Words,
    /// Identifies the lexicon's content, so an index knows which one split its words.
    pub fingerprint: String,
}

/// What identifies a hunspell dictionary: a hash of its file.
fn hunspell_fingerprint(bytes: &[u8]) -> String {
    let digest = Sha256::digest(bytes);
    format!("hunspell:{}", digest.iter().take(8).map(|b| format!("{b:02x}")).collect::<String>())
}

/// Flags of a hunspell entry that matter for compounds.
fn compound_flags(flags: &str) -> u8 {
    let mut f = 0;
    if flags.contains(['X', 'U', 'Z']) {
        f |= BEGIN;
    }
    if flags.contains(['Y', 'U']) {
        f |= END;
    }
    f
}

fn is_word(w: &str) -> bool {
    w.chars().count() >= MIN_PART_CHARS - 1 && w.chars().all(|c| c.is_alphabetic() || c == '-')
}

/// Drops one letter of a final double consonant: "hemm" → "hem" (the base form of
/// "hemmen"), as Swedish doubles a short vowel's consonant before an ending.
pub fn fold_double_consonant(word: &str) -> Option<&str> {
    let mut rev = word.char_indices().rev();
    let (i, last) = rev.next()?;
    let (_, before) = rev.next()?;
    (last == before && !"aeiouyåäö".contains(last) && last.is_alphabetic()).then(|| &word[..i])
}

impl Lexicon {
    /// A lexicon with no words: nothing is split.
    pub fn empty() -> Lexicon {
        Lexicon { words: Words::default(), fingerprint: "none".to_string() }
    }

    /// Reads a hunspell `.dic` file, keeping the words its flags allow in compounds.
    pub fn from_hunspell(path: &Path) -> io::Result<Lexicon> {
        Ok(Lexicon::from_hunspell_bytes(&std::fs::read(path)?))
    }

    fn from_hunspell_bytes(bytes: &[u8]) -> Lexicon {
        let text = String::from_utf8_lossy(bytes);
        let mut words = HashMap::new();
        for line in text.lines().skip(1) {
            let (word, flags) = line.split_once('/').unwrap_or((line, ""));
            let word = word.trim();
            let flags = compound_flags(flags.split_whitespace().next().unwrap_or(""));
            // Proper nouns (capitalised) are not compound parts.
            if flags == 0 || !is_word(word) || word.chars().next().is_some_and(char::is_uppercase) {
                continue;
            }
            *words.entry(word.to_lowercase()).or_insert(0) |= flags;
        }
        Lexicon { words: Words::Map(words), fingerprint: hunspell_fingerprint(bytes) }
    }

    /// Writes the lexicon in compiled form: the fingerprint on the first line, then the
    /// transducer from each word to its flags.
    pub fn write_compiled(&self, path: &Path) -> io::Result<()> {
        let mut entries: Vec<(String, u64)> = match &self.words {
            Words::Map(m) => m.iter().map(|(w, f)| (w.clone(), u64::from(*f))).collect(),
            Words::Compiled(m) => {
                use fst::Streamer;
                let mut out = Vec::with_capacity(m.len());
                let mut stream = m.stream();
                while let Some((k, v)) = stream.next() {
                    out.push((String::from_utf8_lossy(k).into_owned(), v));
                }
                out
            }
        };
        entries.sort();
        let map = fst::Map::from_iter(entries).map_err(io::Error::other)?;
        let mut bytes = Vec::with_capacity(map.as_fst().as_bytes().len() + self.fingerprint.len() + 1);
        bytes.extend_from_slice(self.fingerprint.as_bytes());
        bytes.push(b'\n');
        bytes.extend_from_slice(map.as_fst().as_bytes());
        std::fs::write(path, bytes)
    }

    /// Opens a lexicon written by [`Lexicon::write_compiled`], which must be the one with
    /// this fingerprint.
    pub fn open_compiled(path: &Path, fingerprint: &str) -> io::Result<Lexicon> {
        let bytes = std::fs::read(path)?;
        let newline = bytes.iter().position(|&b| b == b'\n').ok_or_else(|| io::Error::other("ingen ordlista"))?;
        let found = String::from_utf8_lossy(&bytes[..newline]).into_owned();
        if found != fingerprint {
            return Err(io::Error::other(format!("ordlistan {found} är inte {fingerprint}")));
        }
        let map = fst::Map::new(bytes[newline + 1..].to_vec()).map_err(io::Error::other)?;
        Ok(Lexicon { words: Words::Compiled(map), fingerprint: found })
    }

    /// The system's hunspell dictionary (`PROTOKOLL_HUNSPELL`'s, else Debian's Swedish
    /// one), or no lexicon when it cannot be read.
    pub fn system() -> Lexicon {
        Dictionary::choose(None).load(None).unwrap_or_else(|_| Lexicon::empty())
    }

    /// A lexicon from a list of words, each allowed anywhere in a compound.
    pub fn from_words<I: IntoIterator<Item = S>, S: AsRef<str>>(words: I, name: &str) -> Lexicon {
        let mut map = HashMap::new();
        let mut hasher = Sha256::new();
        for w in words {
            let w = w.as_ref().to_lowercase();
            if is_word(&w) && w.chars().count() >= MIN_PART_CHARS {
                hasher.update(w.as_bytes());
                map.insert(w, BEGIN | END);
            }
        }
        let digest = hasher.finalize();
        let fingerprint = format!("{name}:{}", digest.iter().take(8).map(|b| format!("{b:02x}")).collect::<String>());
        Lexicon { words: Words::Map(map), fingerprint }
    }

    pub fn len(&self) -> usize {
        self.words.len()
    }

    pub fn is_empty(&self) -> bool {
        self.words.len() == 0
    }

    fn has(&self, w: &str, flag: u8) -> bool {
        self.words.get(w).is_some_and(|f| f & flag != 0)
    }

    /// The base form of a first part: the part itself, or without its linking -s-/-e-.
    fn head(&self, h: &str) -> Option<String> {
        if h.chars().count() < MIN_PART_CHARS {
            return None;
        }
        if self.has(h, BEGIN) || self.has(h, END) {
            return Some(h.to_string());
        }
        for link in ['s', 'e'] {
            if let Some(stem) = h.strip_suffix(link)
                && stem.chars().count() >= MIN_PART_CHARS
                && (self.has(stem, BEGIN) || self.has(stem, END))
            {
                return Some(stem.to_string());
            }
        }
        None
    }

    /// The base form of an inflected word the lexicon knows: "förbundet" → "förbund",
    /// "arenan" → "arena", "hemmen" → "hem". `None` for words it knows as they are and
    /// words it does not know at all.
    pub fn base_form<'w>(&self, word: &'w str) -> Option<&'w str> {
        if self.has(word, END) || self.has(word, BEGIN) {
            return None;
        }
        ENDINGS.iter().find_map(|e| {
            let base = word.strip_suffix(e)?;
            if base.chars().count() < MIN_PART_CHARS {
                return None;
            }
            if self.has(base, END) {
                return Some(base);
            }
            fold_double_consonant(base).filter(|b| self.has(b, END))
        })
    }

    /// Whether a last part is a word that ends compounds, inflected or not.
    fn tail(&self, t: &str) -> bool {
        t.chars().count() >= MIN_PART_CHARS && (self.has(t, END) || self.base_form(t).is_some())
    }

    /// The top-level parts of a word, first part longest.
    fn decompose(&self, w: &str, depth: usize) -> Option<Vec<String>> {
        if depth > MAX_SPLIT_DEPTH {
            return None;
        }
        let cuts: Vec<usize> = w.char_indices().map(|(i, _)| i).skip(MIN_PART_CHARS).collect();
        for &cut in cuts.iter().rev() {
            let (h, t) = w.split_at(cut);
            let Some(head) = self.head(h) else { continue };
            if self.tail(t) {
                return Some(vec![head, t.to_string()]);
            }
            if let Some(mut rest) = self.decompose(t, depth + 1) {
                rest.insert(0, head);
                return Some(rest);
            }
        }
        None
    }

    /// The top-level parts of a compound (a lower-case word): "hemsjukvårdsavtalet" →
    /// hemsjukvård, avtalet. `None` when the lexicon does not know it as a compound.
    pub fn parts(&self, word: &str) -> Option<Vec<String>> {
        if self.is_empty() || word.chars().count() < MIN_COMPOUND_CHARS {
            return None;
        }
        self.decompose(word, 0)
    }

    /// The parts of a compound (a lower-case word), each split again, without the word
    /// itself; empty when it is not a compound the lexicon knows. Each thread remembers
    /// the words it has split: a word is looked up in every way it could be cut, and the
    /// words of protocols repeat (snippets of one search page, one matter's steps).
    pub fn split(&self, word: &str) -> Vec<String> {
        if self.is_empty() || word.chars().count() < MIN_COMPOUND_CHARS {
            return Vec::new();
        }
        SPLITS.with(|cache| {
            let mut cache = cache.borrow_mut();
            if cache.lexicon != self.fingerprint {
                cache.lexicon.clone_from(&self.fingerprint);
                cache.splits.clear();
            }
            if let Some(parts) = cache.splits.get(word) {
                return parts.clone();
            }
            let parts = self.split_uncached(word);
            if cache.splits.len() >= MAX_CACHED_SPLITS {
                cache.splits.clear();
            }
            cache.splits.insert(word.to_string(), parts.clone());
            parts
        })
    }

    fn split_uncached(&self, word: &str) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        let mut queue: Vec<(String, usize)> = vec![(word.to_string(), 0)];
        while let Some((w, depth)) = queue.pop() {
            if depth > MAX_SPLIT_DEPTH {
                continue;
            }
            let Some(parts) = self.parts(&w) else { continue };
            for p in parts {
                if p != word && !out.contains(&p) {
                    if p.chars().count() >= MIN_COMPOUND_CHARS {
                        queue.push((p.clone(), depth + 1));
                    }
                    out.push(p);
                }
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A small lexicon with hunspell's flags, as `sv_SE.dic` writes them.
    fn lexicon() -> Lexicon {
        let dic = "20\nfamilj/ADfHY\nfamilje/XZ\nhem/ACFXY\nfamiljehem/ACFvY\ncentrum/ABDEXY\navtal/ABDY\nsjuk/OPQRXY\nvård/ADGXY\nsjukvård/ADfvY\nhemsjukvård/ADY\nkvinno/XZ\njour/ADfHsY\nkommun/ADHXY\nförbund/ABDfvY\nbarn/ABDXY\narena/AEGXY\nsamman/b\nträd/ABDXY\nnämnd/ADfHsY\nsocial/OPQUXY\n";
        let file = tempfile::NamedTempFile::new().expect("temp file");
        std::fs::write(file.path(), dic).expect("write");
        Lexicon::from_hunspell(file.path()).expect("read")
    }

    #[test]
    fn the_flag_wins_over_the_environment_and_both_over_debians_dictionary() {
        let env = Some(std::ffi::OsString::from("/env/sv.dic"));
        let flag = Path::new("/flag/sv.dic");
        assert_eq!(choose_dictionary(Some(flag), env.clone()), Dictionary { path: flag.to_path_buf(), chosen: Chosen::Flag });
        assert_eq!(choose_dictionary(None, env), Dictionary { path: PathBuf::from("/env/sv.dic"), chosen: Chosen::Env });
        assert_eq!(choose_dictionary(None, Some(std::ffi::OsString::new())).chosen, Chosen::Default);
        assert_eq!(choose_dictionary(None, None), Dictionary { path: PathBuf::from(HUNSPELL_SV), chosen: Chosen::Default });
    }

    #[test]
    fn a_chosen_dictionary_must_be_there_and_hold_compound_parts() {
        let dir = tempfile::tempdir().expect("tempdir");
        let missing = Dictionary { path: dir.path().join("sv.dic"), chosen: Chosen::Env };
        let err = missing.load(None).expect_err("missing");
        assert!(err.to_string().contains("(vald med PROTOKOLL_HUNSPELL) kan inte läsas: filen eller mappen finns inte"), "{err}");
        let default = Dictionary { path: dir.path().join("sv.dic"), chosen: Chosen::Default };
        assert!(default.load(None).expect("Debian's missing is no error").is_empty());
        let aff = dir.path().join("sv.aff");
        std::fs::write(&aff, "SET UTF-8\nCOMPOUNDBEGIN X\n").expect("write");
        let err = Dictionary { path: aff, chosen: Chosen::Flag }.load(None).expect_err("not a .dic");
        assert!(err.to_string().contains("har inga ord som får ingå i sammansatta ord"), "{err}");
        let dic = dir.path().join("sv.dic");
        std::fs::write(&dic, "2\nhem/ACFXY\nvård/ADGXY\n").expect("write");
        let read = Dictionary { path: dic, chosen: Chosen::Flag }.load(None).expect("read");
        assert!(!read.is_empty() && read.fingerprint.starts_with("hunspell:"));
    }

    #[test]
    fn compounds_split_with_linking_s_and_inflected_last_parts() {
        let lx = lexicon();
        let parts = lx.split("familjehemscentrum");
        assert_eq!(parts[..2], ["familjehem".to_string(), "centrum".to_string()]);
        assert!(parts.contains(&"hem".to_string()));
        let parts = lx.split("hemsjukvårdsavtalet");
        for p in ["hemsjukvård", "avtalet", "sjukvård", "hem", "sjuk", "vård"] {
            assert!(parts.contains(&p.to_string()), "{p} in {parts:?}");
        }
    }

    #[test]
    fn shortened_first_parts_and_definite_forms() {
        let lx = lexicon();
        assert_eq!(lx.split("kvinnojouren"), vec!["kvinno", "jouren"]);
        assert_eq!(lx.split("kommunförbundet"), vec!["kommun", "förbundet"]);
        assert_eq!(lx.split("familjehemmen"), vec!["familje", "hemmen"]);
        assert_eq!(lx.split("socialnämnden"), vec!["social", "nämnden"]);
    }

    #[test]
    fn words_that_do_not_split_into_known_parts_stay_whole() {
        let lx = lexicon();
        assert!(lx.split("sammanträdet").is_empty(), "samman- is not marked for compounds");
        assert!(lx.split("avtal").is_empty());
        assert!(lx.split("information").is_empty());
        assert!(Lexicon::empty().split("familjehemscentrum").is_empty());
    }

    #[test]
    fn inflected_forms_have_base_forms() {
        let lx = lexicon();
        assert_eq!(lx.base_form("förbundet"), Some("förbund"));
        assert_eq!(lx.base_form("arenan"), Some("arena"));
        assert_eq!(lx.base_form("hemmen"), Some("hem"));
        assert_eq!(lx.base_form("avtal"), None, "a base form already");
        assert_eq!(lx.base_form("xyzzyet"), None);
    }

    #[test]
    fn double_consonants_fold() {
        assert_eq!(fold_double_consonant("hemm"), Some("hem"));
        assert_eq!(fold_double_consonant("avtal"), None);
        assert_eq!(fold_double_consonant("kaffe"), None);
    }

    #[test]
    fn the_compiled_form_splits_as_the_dictionary_does() {
        let lx = lexicon();
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("lexikon.fst");
        lx.write_compiled(&path).expect("write");
        let compiled = Lexicon::open_compiled(&path, &lx.fingerprint).expect("open");
        assert_eq!(compiled.len(), lx.len());
        for w in ["familjehemscentrum", "hemsjukvårdsavtalet", "kvinnojouren", "sammanträdet", "socialnämnden"] {
            assert_eq!(compiled.split(w), lx.split(w), "{w}");
        }
        assert_eq!(compiled.base_form("förbundet"), Some("förbund"));
        assert!(Lexicon::open_compiled(&path, "hunspell:other").is_err(), "another lexicon's file is refused");
    }

    #[test]
    fn word_lists_make_lexicons_too() {
        let lx = Lexicon::from_words(["familjehem", "centrum"], "archive");
        assert_eq!(lx.split("familjehemscentrum"), vec!["familjehem", "centrum"]);
        assert!(lx.fingerprint.starts_with("archive:"));
    }
}
