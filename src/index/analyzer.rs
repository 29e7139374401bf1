//! Swedish text analysis for the index.
//!
//! The main chain: `SimpleTokenizer` → [`RemoveLongFilter`] (100 bytes: the default 40 drops
//! long compounds) → [`LowerCaser`] → [`CompoundSplitter`] → the Swedish stemmer:
//! [`BaseForm`], Snowball's [`Stemmer`] and [`FoldDoubleConsonant`]. Stop words are not
//! removed ("Centrum mot våld" stays a phrase) and nothing is ASCII-folded (för/for,
//! får/far, här/har are different words).
//!
//! The splitter emits the whole word and then its parts at the same position, so a part
//! finds the whole ("familjehem" finds Familjehemscentrum) and phrases still line up.
//! Queries are analysed without splitting: a query word is matched whole, and the
//! searcher adds its parts as an alternative (see [`super::search`]). Snowball alone leaves
//! some inflected forms apart ("förbundet" keeps its -et, "arenan" its -n, "hemmen"
//! becomes "hemm"), so a word the lexicon knows only inflected is first brought to its
//! base form, and a doubled final consonant is folded last.
//!
//! Beside it, the surface words: lower-cased and nothing more, neither split nor
//! stemmed. The index keeps them to correct a misspelt query word by the words the
//! documents actually hold (a typo can change a stem beyond recognition:
//! "delegationsordnig" stems to "delegationsordn", "delegationsordning" to itself).
//!
//! ```
//! use protokoll::index::analyzer::{tokens, SwedishAnalyzers};
//! use protokoll::index::lexicon::Lexicon;
//! let lexicon = Lexicon::from_words(["familjehem", "centrum"], "example");
//! let mut analyzers = SwedishAnalyzers::new(std::sync::Arc::new(lexicon));
//! assert_eq!(tokens(&mut analyzers.index, "Familjehemscentrum"), ["familjehemscentrum", "familjehem", "centrum"]);
//! assert_eq!(tokens(&mut analyzers.query, "familjehemmen"), ["familjehem"]);
//! ```

use std::sync::Arc;

use tantivy::tokenizer::{
    Language, LowerCaser, RemoveLongFilter, SimpleTokenizer, Stemmer, StopWordFilter, TextAnalyzer, Token, TokenFilter, TokenStream, Tokenizer,
    WhitespaceTokenizer,
};

use super::lexicon::{Lexicon, fold_double_consonant};

/// Version of the analysis. An index built with another version is rebuilt from its
/// stored meetings; bump it whenever tokens, or what the documents hold, change
/// (2: organisation facets, bodies on meeting documents, cited dates; 3: personnummer
/// masked, so that an older index is carried over through the mask; 4: the surface
/// words that typos are corrected by).
pub const ANALYZER_VERSION: u32 = 4;

/// Longest token kept, in bytes; long Swedish compounds pass, base64 junk does not.
pub const MAX_TOKEN_BYTES: usize = 100;

/// Names under which the analyzers are registered with tantivy.
pub const SV_INDEX: &str = "sv_index";
pub const SV_QUERY: &str = "sv_query";
pub const NAMES: &str = "names";
pub const SURFACE: &str = "sv_surface";
pub const DIARIENUMMER: &str = "dnr";

/// Emits each token, then the parts the lexicon splits it into, at the same position and
/// with the whole word's offsets (so a matched part highlights the whole word).
#[derive(Clone)]
pub struct CompoundSplitter {
    lexicon: Arc<Lexicon>,
}

impl CompoundSplitter {
    pub fn new(lexicon: Arc<Lexicon>) -> CompoundSplitter {
        CompoundSplitter { lexicon }
    }
}

impl TokenFilter for CompoundSplitter {
    type Tokenizer<T: Tokenizer> = CompoundSplitterFilter<T>;

    fn transform<T: Tokenizer>(self, tokenizer: T) -> CompoundSplitterFilter<T> {
        CompoundSplitterFilter { inner: tokenizer, lexicon: self.lexicon }
    }
}

#[derive(Clone)]
pub struct CompoundSplitterFilter<T> {
    inner: T,
    lexicon: Arc<Lexicon>,
}

impl<T: Tokenizer> Tokenizer for CompoundSplitterFilter<T> {
    type TokenStream<'a> = CompoundSplitterStream<'a, T::TokenStream<'a>>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> Self::TokenStream<'a> {
        CompoundSplitterStream { tail: self.inner.token_stream(text), lexicon: &self.lexicon, pending: Vec::new(), current: None }
    }
}

pub struct CompoundSplitterStream<'a, S> {
    tail: S,
    lexicon: &'a Lexicon,
    /// Parts still to emit, last first.
    pending: Vec<Token>,
    /// The part being emitted, when not the tail's own token.
    current: Option<Token>,
}

impl<S: TokenStream> TokenStream for CompoundSplitterStream<'_, S> {
    fn advance(&mut self) -> bool {
        if let Some(part) = self.pending.pop() {
            self.current = Some(part);
            return true;
        }
        self.current = None;
        if !self.tail.advance() {
            return false;
        }
        let whole = self.tail.token();
        for part in self.lexicon.split(&whole.text).into_iter().rev() {
            self.pending.push(Token { text: part, ..whole.clone() });
        }
        true
    }

    fn token(&self) -> &Token {
        self.current.as_ref().unwrap_or_else(|| self.tail.token())
    }

    fn token_mut(&mut self) -> &mut Token {
        match self.current.as_mut() {
            Some(t) => t,
            None => self.tail.token_mut(),
        }
    }
}

/// A rewrite of each token's text in place, made into a token filter by [`Rewriting`].
pub trait Rewrite: Clone + Send + Sync + 'static {
    fn rewrite(&self, text: &mut String);
}

/// Replaces an inflected word by the base form the lexicon knows ("förbundet" → "förbund").
#[derive(Clone)]
pub struct BaseForm {
    lexicon: Arc<Lexicon>,
}

impl Rewrite for BaseForm {
    fn rewrite(&self, text: &mut String) {
        if let Some(len) = self.lexicon.base_form(text).map(str::len) {
            text.truncate(len);
        }
    }
}

/// Drops one letter of a final double consonant left by the stemmer ("hemm" → "hem").
#[derive(Clone)]
pub struct FoldDoubleConsonant;

impl Rewrite for FoldDoubleConsonant {
    fn rewrite(&self, text: &mut String) {
        // Only stems long enough to be words: "all", "över" keep their letters.
        if text.chars().count() > 3
            && let Some(len) = fold_double_consonant(text).map(str::len)
        {
            text.truncate(len);
        }
    }
}

/// The token filter of a [`Rewrite`].
#[derive(Clone)]
pub struct Rewriting<R>(pub R);

impl<R: Rewrite> TokenFilter for Rewriting<R> {
    type Tokenizer<T: Tokenizer> = RewritingFilter<T, R>;

    fn transform<T: Tokenizer>(self, tokenizer: T) -> RewritingFilter<T, R> {
        RewritingFilter { inner: tokenizer, rewrite: self.0 }
    }
}

#[derive(Clone)]
pub struct RewritingFilter<T, R> {
    inner: T,
    rewrite: R,
}

impl<T: Tokenizer, R: Rewrite> Tokenizer for RewritingFilter<T, R> {
    type TokenStream<'a> = RewritingStream<'a, T::TokenStream<'a>, R>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> Self::TokenStream<'a> {
        RewritingStream { tail: self.inner.token_stream(text), rewrite: &self.rewrite }
    }
}

pub struct RewritingStream<'a, S, R> {
    tail: S,
    rewrite: &'a R,
}

impl<S: TokenStream, R: Rewrite> TokenStream for RewritingStream<'_, S, R> {
    fn advance(&mut self) -> bool {
        if !self.tail.advance() {
            return false;
        }
        self.rewrite.rewrite(&mut self.tail.token_mut().text);
        true
    }

    fn token(&self) -> &Token {
        self.tail.token()
    }

    fn token_mut(&mut self) -> &mut Token {
        self.tail.token_mut()
    }
}

/// The analyzers of an index, built around one lexicon. Cloning is cheap: the lexicon is
/// shared.
#[derive(Clone)]
pub struct SwedishAnalyzers {
    /// Main text fields at index time: with compound parts.
    pub index: TextAnalyzer,
    /// Main text fields at query time: whole words.
    pub query: TextAnalyzer,
    /// Person and body names: lower-cased, not stemmed.
    pub names: TextAnalyzer,
    /// Diarienummer: whitespace-separated, lower-cased, kept whole ("sn.2022.471").
    pub diarienummer: TextAnalyzer,
    /// The words of the main text fields as written: lower-cased, not split, not stemmed.
    pub surface: TextAnalyzer,
    /// Lower-cased words without Swedish function words ("av", "om", "och"): what tells
    /// a function word (it leaves nothing). Not an index's analyzer.
    pub content_words: TextAnalyzer,
}

impl SwedishAnalyzers {
    pub fn new(lexicon: Arc<Lexicon>) -> SwedishAnalyzers {
        SwedishAnalyzers {
            index: TextAnalyzer::builder(SimpleTokenizer::default())
                .filter(RemoveLongFilter::limit(MAX_TOKEN_BYTES))
                .filter(LowerCaser)
                .filter(CompoundSplitter::new(lexicon.clone()))
                .filter(Rewriting(BaseForm { lexicon: lexicon.clone() }))
                .filter(Stemmer::new(Language::Swedish))
                .filter(Rewriting(FoldDoubleConsonant))
                .build(),
            query: TextAnalyzer::builder(SimpleTokenizer::default())
                .filter(RemoveLongFilter::limit(MAX_TOKEN_BYTES))
                .filter(LowerCaser)
                .filter(Rewriting(BaseForm { lexicon }))
                .filter(Stemmer::new(Language::Swedish))
                .filter(Rewriting(FoldDoubleConsonant))
                .build(),
            names: TextAnalyzer::builder(SimpleTokenizer::default()).filter(RemoveLongFilter::limit(MAX_TOKEN_BYTES)).filter(LowerCaser).build(),
            diarienummer: TextAnalyzer::builder(WhitespaceTokenizer::default()).filter(LowerCaser).build(),
            surface: TextAnalyzer::builder(SimpleTokenizer::default()).filter(RemoveLongFilter::limit(MAX_TOKEN_BYTES)).filter(LowerCaser).build(),
            content_words: match StopWordFilter::new(Language::Swedish) {
                Some(stop) => TextAnalyzer::builder(SimpleTokenizer::default()).filter(LowerCaser).filter(stop).build(),
                None => TextAnalyzer::builder(SimpleTokenizer::default()).filter(LowerCaser).build(),
            },
        }
    }

    /// Registers the analyzers with an index; done every time an index is opened.
    pub fn register(self, index: &tantivy::Index) {
        let manager = index.tokenizers();
        manager.register(SV_INDEX, self.index);
        manager.register(SV_QUERY, self.query);
        manager.register(NAMES, self.names);
        manager.register(DIARIENUMMER, self.diarienummer);
        manager.register(SURFACE, self.surface);
    }
}

/// Whether a query word is only a Swedish function word ("av", "om", "vi").
pub fn is_function_word(analyzers: &mut SwedishAnalyzers, word: &str) -> bool {
    !word.trim().is_empty() && tokens(&mut analyzers.content_words, word).is_empty()
}

/// The token texts an analyzer makes of `text`.
pub fn tokens(analyzer: &mut TextAnalyzer, text: &str) -> Vec<String> {
    let mut stream = analyzer.token_stream(text);
    let mut out = Vec::new();
    while stream.advance() {
        out.push(stream.token().text.clone());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn analyzers() -> SwedishAnalyzers {
        SwedishAnalyzers::new(Arc::new(Lexicon::from_words(
            ["familjehem", "hem", "sjukvård", "avtal", "centrum", "kvinno", "jour", "förbund", "kommun"],
            "test",
        )))
    }

    fn positions(analyzer: &mut TextAnalyzer, text: &str) -> Vec<(String, usize)> {
        let mut stream = analyzer.token_stream(text);
        let mut out = Vec::new();
        while stream.advance() {
            out.push((stream.token().text.clone(), stream.token().position));
        }
        out
    }

    #[test]
    fn parts_share_the_position_of_the_whole() {
        let mut a = analyzers();
        let p = positions(&mut a.index, "Resurser Familjehemscentrum");
        assert_eq!(p[0], ("resurs".to_string(), 0));
        assert!(p[1..].iter().all(|(_, pos)| *pos == 1), "{p:?}");
        assert_eq!(p[1].0, "familjehemscentrum");
        assert!(p.iter().any(|(t, _)| t == "familjehem"));
    }

    #[test]
    fn inflected_forms_meet() {
        let mut a = analyzers();
        assert_eq!(tokens(&mut a.query, "familjehemmen"), tokens(&mut a.query, "familjehem"));
        assert!(tokens(&mut a.index, "hemsjukvårdsavtalet").contains(&"avtal".to_string()));
        assert_eq!(tokens(&mut a.query, "avtalet"), ["avtal"]);
        // Snowball keeps this -et; the lexicon knows the base form.
        assert_eq!(tokens(&mut a.query, "förbundet"), ["förbund"]);
        assert!(tokens(&mut a.index, "kommunförbundet").contains(&"förbund".to_string()));
    }

    #[test]
    fn stop_words_stay_and_nothing_is_ascii_folded() {
        let mut a = analyzers();
        assert_eq!(tokens(&mut a.query, "Centrum mot våld"), ["centrum", "mot", "våld"]);
        assert_ne!(tokens(&mut a.query, "för"), tokens(&mut a.query, "for"));
        assert_ne!(tokens(&mut a.query, "här"), tokens(&mut a.query, "har"));
    }

    #[test]
    fn long_compounds_are_kept() {
        let mut a = analyzers();
        let long = "arbetsmarknadsutbildningsnämndsledamotsersättningsbestämmelserna";
        assert_eq!(tokens(&mut a.names, long), [long]);
    }

    #[test]
    fn surface_words_are_only_lower_cased() {
        let mut a = analyzers();
        assert_eq!(tokens(&mut a.surface, "Familjehemscentrums avtal"), ["familjehemscentrums", "avtal"]);
        assert_eq!(tokens(&mut a.surface, "Delegationsordning,"), ["delegationsordning"]);
    }

    #[test]
    fn names_and_diarienummer_are_not_stemmed() {
        let mut a = analyzers();
        assert_eq!(tokens(&mut a.names, "Karin Näsmark"), ["karin", "näsmark"]);
        assert_eq!(tokens(&mut a.diarienummer, "SN.2022.471 704"), ["sn.2022.471", "704"]);
    }
}
