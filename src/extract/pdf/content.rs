//! The content-stream interpreter: runs a page's operators and emits positioned glyphs.
//!
//! It keeps the graphics state (`q`/`Q`/`cm`) and the full text state (`Tc Tw Tz TL Tf Tr
//! Ts`, `Tm Td TD T* ' "`, `Tj` and `TJ` with integer and real offsets), enters form
//! XObjects through their `/Matrix` with a depth bound and a cycle guard, and records
//! where image XObjects are drawn so that scanned pages can be OCR'd. It does not paint:
//! paths, colours, clipping and shading operators are read and ignored.

use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Mutex};
use std::time::Instant;

use lopdf::{Dictionary, Document, Object, ObjectId};

use super::fonts::Font;
use super::lexer::{LexError, Lexer, Operand, Token};
use super::objects::{self, Matrix, get_dict, get_name};

/// Deepest chain of form XObjects entered (`form_loop.pdf` draws itself forever).
pub const MAX_FORM_DEPTH: usize = 12;

/// Deepest `q` nesting kept; further saves are counted but not stored.
pub const MAX_GSTATE_DEPTH: usize = 256;

/// Most glyphs kept from one page; beyond this the page is cut short with a warning.
/// A dense A4 page holds about 5,000.
pub const MAX_GLYPHS_PER_PAGE: usize = 200_000;

/// Most image placements kept from one page; beyond it only the largest is kept (only the
/// largest decides whether the page is a scan).
pub const MAX_IMAGES_PER_PAGE: usize = 1024;

/// Most distinct warnings kept from one page; a warning given again is not repeated.
const MAX_WARNINGS_PER_PAGE: usize = 16;

/// How often (in operators) the interpreter looks at the clock.
const DEADLINE_CHECK_EVERY: usize = 4096;

/// One shown character, positioned in the page's displayed coordinate system (points,
/// origin bottom left, y up).
#[derive(Debug, Clone, PartialEq)]
pub struct Glyph {
    pub text: Box<str>,
    /// Origin of the glyph on its baseline.
    pub x: f32,
    pub y: f32,
    /// Advance along the baseline, in points.
    pub width: f32,
    /// Effective font size in points (text matrix and CTM applied).
    pub size: f32,
    /// Baseline direction in quarter turns counter-clockwise (0 = normal text).
    pub rot: u8,
    pub bold: bool,
    /// A whole word that layout must not join with its neighbours (OCR output).
    pub whole_word: bool,
}

impl Glyph {
    pub fn is_space(&self) -> bool {
        self.text.chars().all(char::is_whitespace)
    }
}

/// An image drawn on the page: the unit square mapped by `ctm`.
#[derive(Debug, Clone)]
pub struct ImagePlacement {
    pub id: ObjectId,
    pub ctm: Matrix,
}

impl ImagePlacement {
    /// Area covered on the page, in square points.
    pub fn area(&self) -> f32 {
        let [a, b, c, d, _, _] = self.ctm.0;
        (a * d - b * c).abs()
    }
}

/// What interpreting a page produced.
#[derive(Debug, Default)]
pub struct PageContent {
    pub glyphs: Vec<Glyph>,
    pub images: Vec<ImagePlacement>,
    /// Codes shown that no encoding maps to text.
    pub unmapped: usize,
    /// Each kind of problem once.
    pub warnings: Vec<String>,
    pub timed_out: bool,
}

/// Fonts already read, shared by the pages of a document.
#[derive(Default)]
pub struct FontCache {
    fonts: Mutex<HashMap<FontKey, Arc<Font>>>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum FontKey {
    Indirect(ObjectId),
    /// A font dictionary written directly in a resource dictionary, keyed by address.
    Direct(usize),
}

impl FontCache {
    fn get(&self, doc: &Document, obj: &Object) -> Option<Arc<Font>> {
        let key = match objects::reference_id(obj) {
            Some(id) => FontKey::Indirect(id),
            None => FontKey::Direct(obj as *const Object as usize),
        };
        if let Ok(map) = self.fonts.lock()
            && let Some(f) = map.get(&key)
        {
            return Some(f.clone());
        }
        let dict = objects::as_dict(objects::resolve(doc, obj)?)?;
        let font = Arc::new(Font::load(doc, dict));
        if let Ok(mut map) = self.fonts.lock() {
            map.insert(key, font.clone());
        }
        Some(font)
    }
}

#[derive(Clone)]
struct TextState {
    char_spacing: f32,
    word_spacing: f32,
    h_scale: f32,
    leading: f32,
    font: Option<Arc<Font>>,
    size: f32,
    rise: f32,
}

#[derive(Clone)]
struct GState {
    ctm: Matrix,
    text: TextState,
}

struct Interpreter<'a> {
    doc: &'a Document,
    fonts: &'a FontCache,
    deadline: Instant,
    gs: GState,
    stack: Vec<GState>,
    /// `q` operators beyond MAX_GSTATE_DEPTH, so their `Q`s are matched.
    overflow_saves: usize,
    tm: Matrix,
    tlm: Matrix,
    forms: HashSet<ObjectId>,
    out: PageContent,
    ops: usize,
    warned_no_font: bool,
}

fn nums<const N: usize>(ops: &[Operand]) -> Option<[f32; N]> {
    if ops.len() < N {
        return None;
    }
    let mut out = [0.0; N];
    for (slot, op) in out.iter_mut().zip(&ops[ops.len() - N..]) {
        *slot = op.as_f32().filter(|v| v.is_finite())?;
    }
    Some(out)
}

/// Runs a page's content and returns its glyphs, in the displayed orientation given by
/// `base` (the page's /Rotate and box origin folded into one matrix).
pub fn interpret_page(doc: &Document, fonts: &FontCache, content: &[u8], resources: Option<&Dictionary>, base: Matrix, deadline: Instant) -> PageContent {
    let mut it = Interpreter {
        doc,
        fonts,
        deadline,
        gs: GState { ctm: base, text: TextState { char_spacing: 0.0, word_spacing: 0.0, h_scale: 1.0, leading: 0.0, font: None, size: 0.0, rise: 0.0 } },
        stack: Vec::new(),
        overflow_saves: 0,
        tm: Matrix::IDENTITY,
        tlm: Matrix::IDENTITY,
        forms: HashSet::new(),
        out: PageContent::default(),
        ops: 0,
        warned_no_font: false,
    };
    it.run(content, resources, 0);
    it.out
}

impl<'a> Interpreter<'a> {
    /// Records a warning once per page.
    fn warn(&mut self, warning: String) {
        if self.out.warnings.len() < MAX_WARNINGS_PER_PAGE && !self.out.warnings.contains(&warning) {
            self.out.warnings.push(warning);
        }
    }

    fn run(&mut self, content: &[u8], resources: Option<&'a Dictionary>, depth: usize) {
        let mut lexer = Lexer::new(content);
        let mut operands: Vec<Operand> = Vec::new();
        while let Some(token) = lexer.next_token() {
            match token {
                Ok(Token::Operand(op)) => {
                    if operands.len() < super::lexer::MAX_OPERANDS {
                        operands.push(op);
                    }
                }
                Ok(Token::InlineImage) => operands.clear(),
                Ok(Token::Operator(op)) => {
                    self.ops += 1;
                    if self.ops % DEADLINE_CHECK_EVERY == 0 && Instant::now() > self.deadline {
                        self.out.timed_out = true;
                        return;
                    }
                    self.operator(&op, &operands, resources, depth);
                    operands.clear();
                    if self.out.timed_out || self.out.glyphs.len() >= MAX_GLYPHS_PER_PAGE {
                        if self.out.glyphs.len() >= MAX_GLYPHS_PER_PAGE {
                            self.warn(format!("sidan har fler än {MAX_GLYPHS_PER_PAGE} tecken; resten hoppades över"));
                        }
                        return;
                    }
                }
                Err(e @ (LexError::TooDeep | LexError::TooLong)) => {
                    self.warn(format!("innehållsströmmen avbröts: {e}"));
                    return;
                }
            }
        }
    }

    fn operator(&mut self, op: &[u8], args: &[Operand], resources: Option<&'a Dictionary>, depth: usize) {
        let t = &mut self.gs.text;
        match op {
            b"q" => {
                if self.stack.len() < MAX_GSTATE_DEPTH {
                    self.stack.push(self.gs.clone());
                } else {
                    self.overflow_saves += 1;
                }
            }
            b"Q" => {
                if self.overflow_saves > 0 {
                    self.overflow_saves -= 1;
                } else if let Some(g) = self.stack.pop() {
                    self.gs = g;
                }
            }
            b"cm" => {
                if let Some(m) = nums::<6>(args).and_then(|v| Matrix::from_slice(&v)) {
                    self.gs.ctm = m.then(&self.gs.ctm);
                }
            }
            b"BT" => {
                self.tm = Matrix::IDENTITY;
                self.tlm = Matrix::IDENTITY;
            }
            b"Tc" => {
                if let Some([v]) = nums(args) {
                    t.char_spacing = v;
                }
            }
            b"Tw" => {
                if let Some([v]) = nums(args) {
                    t.word_spacing = v;
                }
            }
            b"Tz" => {
                if let Some([v]) = nums(args) {
                    t.h_scale = v / 100.0;
                }
            }
            b"TL" => {
                if let Some([v]) = nums(args) {
                    t.leading = v;
                }
            }
            b"Ts" => {
                if let Some([v]) = nums(args) {
                    t.rise = v;
                }
            }
            b"Tf" => {
                if let [.., Operand::Name(name), Operand::Number(size)] = args {
                    t.size = *size;
                    t.font = resources
                        .and_then(|r| get_dict(self.doc, r, b"Font"))
                        .and_then(|fonts| fonts.get(name).ok())
                        .and_then(|obj| self.fonts.get(self.doc, obj));
                }
            }
            b"Td" => {
                if let Some([tx, ty]) = nums(args) {
                    self.next_line(tx, ty);
                }
            }
            b"TD" => {
                if let Some([tx, ty]) = nums(args) {
                    self.gs.text.leading = -ty;
                    self.next_line(tx, ty);
                }
            }
            b"Tm" => {
                if let Some(m) = nums::<6>(args).and_then(|v| Matrix::from_slice(&v)) {
                    self.tm = m;
                    self.tlm = m;
                }
            }
            b"T*" => {
                let l = self.gs.text.leading;
                self.next_line(0.0, -l);
            }
            b"Tj" => {
                if let Some(Operand::String(s)) = args.last() {
                    self.show(s);
                }
            }
            b"'" => {
                let l = self.gs.text.leading;
                self.next_line(0.0, -l);
                if let Some(Operand::String(s)) = args.last() {
                    self.show(s);
                }
            }
            b"\"" => {
                if let [.., Operand::Number(aw), Operand::Number(ac), Operand::String(s)] = args {
                    self.gs.text.word_spacing = *aw;
                    self.gs.text.char_spacing = *ac;
                    let l = self.gs.text.leading;
                    self.next_line(0.0, -l);
                    self.show(s);
                }
            }
            b"TJ" => {
                if let Some(Operand::Array(items)) = args.last() {
                    for item in items {
                        match item {
                            Operand::String(s) => self.show(s),
                            Operand::Number(n) if n.is_finite() => {
                                let t = &self.gs.text;
                                let tx = -n / 1000.0 * t.size * t.h_scale;
                                self.tm = Matrix::translate(tx, 0.0).then(&self.tm);
                            }
                            _ => {}
                        }
                    }
                }
            }
            b"Do" => {
                if let Some(Operand::Name(name)) = args.last() {
                    self.do_xobject(name, resources, depth);
                }
            }
            _ => {}
        }
    }

    fn next_line(&mut self, tx: f32, ty: f32) {
        self.tlm = Matrix::translate(tx, ty).then(&self.tlm);
        self.tm = self.tlm;
    }

    fn show(&mut self, bytes: &[u8]) {
        let t = &self.gs.text;
        let Some(font) = t.font.clone() else {
            if !self.warned_no_font {
                self.warned_no_font = true;
                self.warn("text visas utan typsnitt och hoppades över".into());
            }
            return;
        };
        let (size, h_scale, cs, ws, rise) = (t.size, t.h_scale, t.char_spacing, t.word_spacing, t.rise);
        let ctm = self.gs.ctm;
        let scale = font.glyph_scale;
        let bold = font.bold;
        font.decode(bytes, |ch| {
            let trm = Matrix([size * h_scale, 0.0, 0.0, size, 0.0, rise]).then(&self.tm).then(&ctm);
            let w0 = ch.width * scale;
            let advance = (w0 * size + cs + if ch.is_word_space { ws } else { 0.0 }) * h_scale;
            let [a, b, c, d, x, y] = trm.0;
            match ch.text {
                Some(text) if !text.chars().all(char::is_control) => {
                    let eff_size = (c * c + d * d).sqrt();
                    let width = w0 * (a * a + b * b).sqrt();
                    let angle = b.atan2(a).to_degrees();
                    let rot = ((angle + 45.0).rem_euclid(360.0) / 90.0) as u8 % 4;
                    // A single string can hold millions of codes: the page's bound holds
                    // inside an operator too.
                    if x.is_finite() && y.is_finite() && eff_size.is_finite() && width.is_finite() && self.out.glyphs.len() < MAX_GLYPHS_PER_PAGE {
                        let text: String = text.chars().filter(|c| !c.is_control()).collect();
                        self.out.glyphs.push(Glyph { text: text.into_boxed_str(), x, y, width, size: eff_size, rot, bold, whole_word: false });
                    }
                }
                Some(_) => {}
                None => self.out.unmapped += 1,
            }
            self.tm = Matrix::translate(advance, 0.0).then(&self.tm);
        });
    }

    fn do_xobject(&mut self, name: &[u8], resources: Option<&'a Dictionary>, depth: usize) {
        let doc = self.doc;
        let Some(xobjects) = resources.and_then(|r| get_dict(doc, r, b"XObject")) else { return };
        let Ok(obj) = xobjects.get(name) else { return };
        let id = objects::reference_id(obj);
        let Some(Object::Stream(stream)) = objects::resolve(doc, obj) else { return };
        match get_name(doc, &stream.dict, b"Subtype") {
            Some(b"Image") => {
                if let Some(id) = id {
                    if self.out.images.len() >= MAX_IMAGES_PER_PAGE
                        && let Some(largest) = self.out.images.iter().max_by(|a, b| a.area().total_cmp(&b.area())).cloned()
                    {
                        self.out.images = vec![largest];
                    }
                    self.out.images.push(ImagePlacement { id, ctm: self.gs.ctm });
                }
            }
            Some(b"Form") => {
                if depth >= MAX_FORM_DEPTH {
                    self.warn(format!("formulärobjekt nästlade djupare än {MAX_FORM_DEPTH} nivåer hoppades över"));
                    return;
                }
                if let Some(id) = id
                    && !self.forms.insert(id)
                {
                    self.warn("formulärobjekt som ritar sig självt hoppades över".into());
                    return;
                }
                let data = match objects::stream_bytes(stream) {
                    Ok(d) => d,
                    Err(e) => {
                        self.warn(format!("formulärobjekt kunde inte läsas: {}", crate::text::lopdf_error(&e)));
                        if let Some(id) = id {
                            self.forms.remove(&id);
                        }
                        return;
                    }
                };
                let saved = (self.gs.clone(), self.tm, self.tlm);
                if let Some(m) = objects::get_array(doc, &stream.dict, b"Matrix").and_then(|a| Matrix::from_slice(&objects::numbers(doc, a))) {
                    self.gs.ctm = m.then(&self.gs.ctm);
                }
                let form_resources = get_dict(doc, &stream.dict, b"Resources").or(resources);
                let stack_len = self.stack.len();
                self.run(&data, form_resources, depth + 1);
                self.stack.truncate(stack_len);
                (self.gs, self.tm, self.tlm) = saved;
                if let Some(id) = id {
                    self.forms.remove(&id);
                }
            }
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use lopdf::{Stream, dictionary};
    use std::time::Duration;

    fn doc_with_font() -> (Document, Dictionary) {
        let mut doc = Document::new();
        let font = doc.add_object(dictionary! { "Type" => "Font", "Subtype" => "Type1", "BaseFont" => "Helvetica", "Encoding" => "WinAnsiEncoding" });
        let resources = dictionary! { "Font" => dictionary! { "F1" => font } };
        (doc, resources)
    }

    fn run(doc: &Document, resources: &Dictionary, content: &[u8]) -> PageContent {
        let cache = FontCache::default();
        interpret_page(doc, &cache, content, Some(resources), Matrix::IDENTITY, Instant::now() + Duration::from_secs(10))
    }

    fn text(page: &PageContent) -> String {
        page.glyphs.iter().map(|g| &*g.text).collect()
    }

    #[test]
    fn td_moves_to_a_new_position_and_tj_gaps_advance() {
        let (doc, res) = doc_with_font();
        let page = run(&doc, &res, b"BT /F1 10 Tf 100 700 Td (Ab) Tj 50 0 Td [(c)-500.5(d)] TJ ET");
        assert_eq!(text(&page), "Abcd");
        let g = &page.glyphs;
        assert_eq!((g[0].x, g[0].y), (100.0, 700.0));
        assert!((g[1].x - (100.0 + 6.67)).abs() < 0.01, "A is 667 units wide");
        assert_eq!(g[2].x, 150.0);
        // c is 500 wide (5pt), then a real-number gap of 500.5/1000 em.
        assert!((g[3].x - (150.0 + 5.0 + 5.005)).abs() < 0.01);
    }

    #[test]
    fn text_state_spacing_scaling_and_rise() {
        let (doc, res) = doc_with_font();
        let page = run(&doc, &res, b"BT /F1 10 Tf 2 Tc 3 Tw 50 Tz 5 Ts 0 0 Td (a b) Tj ET");
        let g = &page.glyphs;
        // a: (5.56 + 2) * 0.5; space: (2.78 + 2 + 3) * 0.5
        assert!((g[1].x - 3.78).abs() < 0.01);
        assert!((g[2].x - (3.78 + 3.89)).abs() < 0.01);
        assert_eq!(g[0].y, 5.0);
        assert!(g[1].is_space());
    }

    #[test]
    fn leading_and_next_line_operators() {
        let (doc, res) = doc_with_font();
        let page = run(&doc, &res, b"BT /F1 10 Tf 12 TL 0 100 Td (a) Tj T* (b) Tj (c) ' 0 -20 TD (d) Tj 1 2 (e) \" ET");
        let ys: Vec<f32> = page.glyphs.iter().map(|g| g.y).collect();
        assert_eq!(ys, vec![100.0, 88.0, 76.0, 56.0, 36.0]);
    }

    #[test]
    fn cm_and_tm_scale_the_font_size() {
        let (doc, res) = doc_with_font();
        let page = run(&doc, &res, b"q 2 0 0 2 10 10 cm BT /F1 1 Tf 6 0 0 6 0 0 Tm (x) Tj ET Q BT /F1 9 Tf (y) Tj ET");
        assert_eq!(page.glyphs[0].size, 12.0);
        assert_eq!((page.glyphs[0].x, page.glyphs[0].y), (10.0, 10.0));
        assert_eq!(page.glyphs[1].size, 9.0, "Q restores the CTM");
    }

    #[test]
    fn rotated_text_is_marked() {
        let (doc, res) = doc_with_font();
        let page = run(&doc, &res, b"BT /F1 10 Tf 0 1 -1 0 50 50 Tm (r) Tj ET");
        assert_eq!(page.glyphs[0].rot, 1);
    }

    #[test]
    fn form_xobjects_apply_their_matrix_and_stop_at_cycles() {
        let (mut doc, mut res) = doc_with_font();
        let font = res.get(b"Font").cloned().expect("font");
        let form_id = doc.new_object_id();
        let form = Stream::new(
            dictionary! { "Type" => "XObject", "Subtype" => "Form", "Matrix" => vec![1.into(), 0.into(), 0.into(), 1.into(), 0.into(), 20.into()],
            "Resources" => dictionary! { "Font" => font, "XObject" => dictionary! { "X1" => form_id } } },
            b"BT /F1 8 Tf 30 0 Td (footer) Tj ET /X1 Do".to_vec(),
        );
        doc.objects.insert(form_id, Object::Stream(form));
        res.set("XObject", dictionary! { "X1" => form_id });
        let page = run(&doc, &res, b"/X1 Do");
        assert_eq!(text(&page), "footer");
        assert_eq!(page.glyphs[0].y, 20.0);
        assert!(!page.warnings.is_empty());
    }

    #[test]
    fn text_without_a_font_is_skipped_with_a_warning() {
        let (doc, res) = doc_with_font();
        let page = run(&doc, &res, b"BT 56 700 Td (Hej) Tj /F9 12 Tf (x) Tj ET");
        assert!(page.glyphs.is_empty());
        assert_eq!(page.warnings.len(), 1);
    }
}
