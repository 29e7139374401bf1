//! Tokenizer for PDF content streams (PDF 32000-1:2008 §7.2 and §8.9.7).
//!
//! It turns the bytes of a page's content into operands and operators without ever
//! recursing: arrays and dictionaries are collected with explicit stacks, so a stream of
//! 200,000 `[` cannot overflow the call stack. It does not interpret anything; see
//! [`super::content`] for that. Inline images (`BI … ID … EI`) are skipped here, because
//! their binary data would otherwise be read as operators.

/// Deepest nesting of arrays and dictionaries accepted inside one operand. Real content
/// streams nest at most two levels (a `TJ` array, a marked-content property dictionary).
pub const MAX_NESTING: usize = 32;

/// Most operands kept before an operator. Anything beyond is malformed input and dropped.
pub const MAX_OPERANDS: usize = 64;

/// Longest array element list accepted (a `TJ` array of a long justified line is a few
/// hundred elements).
pub const MAX_ARRAY_LEN: usize = 1 << 16;

/// One operand of a content-stream operator.
#[derive(Debug, Clone, PartialEq)]
pub enum Operand {
    Number(f32),
    Name(Vec<u8>),
    String(Vec<u8>),
    Array(Vec<Operand>),
    /// A dictionary; only the names of inline-image keys are ever needed, so the
    /// contents are dropped.
    Dict,
    Bool(bool),
    Null,
}

impl Operand {
    pub fn as_f32(&self) -> Option<f32> {
        match self {
            Operand::Number(n) => Some(*n),
            _ => None,
        }
    }
}

/// What the lexer found next.
#[derive(Debug, PartialEq)]
pub enum Token {
    Operand(Operand),
    Operator(Vec<u8>),
    /// An inline image was skipped; carries nothing but lets the caller count it.
    InlineImage,
}

/// Why the lexer stopped before the end of the stream.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum LexError {
    #[error("operanderna är nästlade djupare än {MAX_NESTING} nivåer")]
    TooDeep,
    #[error("en array har fler än {MAX_ARRAY_LEN} element")]
    TooLong,
}

pub struct Lexer<'a> {
    data: &'a [u8],
    pos: usize,
}

fn is_white(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\r' | b'\n' | b'\x0c' | b'\0')
}

fn is_delim(b: u8) -> bool {
    matches!(b, b'(' | b')' | b'<' | b'>' | b'[' | b']' | b'{' | b'}' | b'/' | b'%')
}

fn hex_val(b: u8) -> Option<u8> {
    match b {
        b'0'..=b'9' => Some(b - b'0'),
        b'a'..=b'f' => Some(b - b'a' + 10),
        b'A'..=b'F' => Some(b - b'A' + 10),
        _ => None,
    }
}

/// A container being filled while an array or dictionary is open.
enum Frame {
    Array(Vec<Operand>),
    Dict,
}

impl<'a> Lexer<'a> {
    pub fn new(data: &'a [u8]) -> Self {
        Lexer { data, pos: 0 }
    }

    fn skip_white_and_comments(&mut self) {
        while let Some(&b) = self.data.get(self.pos) {
            if is_white(b) {
                self.pos += 1;
            } else if b == b'%' {
                while let Some(&c) = self.data.get(self.pos) {
                    if c == b'\r' || c == b'\n' {
                        break;
                    }
                    self.pos += 1;
                }
            } else {
                break;
            }
        }
    }

    /// The next token, `None` at the end of the data, or an error that ends the stream.
    pub fn next_token(&mut self) -> Option<Result<Token, LexError>> {
        let mut stack: Vec<Frame> = Vec::new();
        loop {
            self.skip_white_and_comments();
            let &b = match self.data.get(self.pos) {
                Some(b) => b,
                None => {
                    // Unclosed containers at the end: hand back what was collected.
                    return close_all(stack).map(|op| Ok(Token::Operand(op)));
                }
            };
            let item: Operand = match b {
                b'[' => {
                    self.pos += 1;
                    if stack.len() >= MAX_NESTING {
                        return Some(Err(LexError::TooDeep));
                    }
                    stack.push(Frame::Array(Vec::new()));
                    continue;
                }
                b'<' if self.data.get(self.pos + 1) == Some(&b'<') => {
                    self.pos += 2;
                    if stack.len() >= MAX_NESTING {
                        return Some(Err(LexError::TooDeep));
                    }
                    stack.push(Frame::Dict);
                    continue;
                }
                b']' => {
                    self.pos += 1;
                    match stack.pop() {
                        Some(Frame::Array(items)) => Operand::Array(items),
                        Some(Frame::Dict) => Operand::Dict,
                        None => continue, // stray `]`
                    }
                }
                b'>' if self.data.get(self.pos + 1) == Some(&b'>') => {
                    self.pos += 2;
                    match stack.pop() {
                        Some(Frame::Array(items)) => Operand::Array(items),
                        Some(Frame::Dict) => Operand::Dict,
                        None => continue,
                    }
                }
                b'(' => Operand::String(self.literal_string()),
                b'<' => Operand::String(self.hex_string()),
                b'/' => Operand::Name(self.name()),
                b'{' | b'}' | b')' | b'>' => {
                    // PostScript calculator braces or stray delimiters: ignore.
                    self.pos += 1;
                    continue;
                }
                _ => {
                    let word = self.regular_word();
                    match classify_word(word) {
                        Word::Number(n) => Operand::Number(n),
                        Word::Bool(v) => Operand::Bool(v),
                        Word::Null => Operand::Null,
                        Word::Keyword => {
                            if !stack.is_empty() {
                                // An operator inside an array is malformed; skip it.
                                continue;
                            }
                            if word == b"BI" {
                                self.skip_inline_image();
                                return Some(Ok(Token::InlineImage));
                            }
                            return Some(Ok(Token::Operator(word.to_vec())));
                        }
                    }
                }
            };
            match stack.last_mut() {
                None => return Some(Ok(Token::Operand(item))),
                Some(Frame::Array(items)) => {
                    if items.len() >= MAX_ARRAY_LEN {
                        return Some(Err(LexError::TooLong));
                    }
                    items.push(item);
                }
                Some(Frame::Dict) => {}
            }
        }
    }

    fn regular_word(&mut self) -> &'a [u8] {
        let start = self.pos;
        while let Some(&b) = self.data.get(self.pos) {
            if is_white(b) || is_delim(b) {
                break;
            }
            self.pos += 1;
        }
        if self.pos == start {
            // A byte that is neither regular nor handled: consume it.
            self.pos += 1;
        }
        &self.data[start..self.pos]
    }

    fn name(&mut self) -> Vec<u8> {
        self.pos += 1; // '/'
        let mut out = Vec::new();
        while let Some(&b) = self.data.get(self.pos) {
            if is_white(b) || is_delim(b) {
                break;
            }
            if b == b'#'
                && let (Some(h), Some(l)) = (self.data.get(self.pos + 1).and_then(|&c| hex_val(c)), self.data.get(self.pos + 2).and_then(|&c| hex_val(c)))
            {
                out.push(h << 4 | l);
                self.pos += 3;
                continue;
            }
            out.push(b);
            self.pos += 1;
        }
        out
    }

    fn literal_string(&mut self) -> Vec<u8> {
        self.pos += 1; // '('
        let mut out = Vec::new();
        let mut depth = 1usize;
        while let Some(&b) = self.data.get(self.pos) {
            self.pos += 1;
            match b {
                b'(' => {
                    depth += 1;
                    out.push(b);
                }
                b')' => {
                    depth -= 1;
                    if depth == 0 {
                        break;
                    }
                    out.push(b);
                }
                b'\\' => {
                    let Some(&e) = self.data.get(self.pos) else { break };
                    self.pos += 1;
                    match e {
                        b'n' => out.push(b'\n'),
                        b'r' => out.push(b'\r'),
                        b't' => out.push(b'\t'),
                        b'b' => out.push(0x08),
                        b'f' => out.push(0x0c),
                        b'\r' => {
                            if self.data.get(self.pos) == Some(&b'\n') {
                                self.pos += 1;
                            }
                        }
                        b'\n' => {}
                        b'0'..=b'7' => {
                            let mut v = u32::from(e - b'0');
                            for _ in 0..2 {
                                match self.data.get(self.pos) {
                                    Some(&d @ b'0'..=b'7') => {
                                        v = v * 8 + u32::from(d - b'0');
                                        self.pos += 1;
                                    }
                                    _ => break,
                                }
                            }
                            out.push((v & 0xff) as u8);
                        }
                        other => out.push(other),
                    }
                }
                _ => out.push(b),
            }
        }
        out
    }

    fn hex_string(&mut self) -> Vec<u8> {
        self.pos += 1; // '<'
        let mut out = Vec::new();
        let mut high: Option<u8> = None;
        while let Some(&b) = self.data.get(self.pos) {
            self.pos += 1;
            if b == b'>' {
                break;
            }
            if let Some(v) = hex_val(b) {
                match high.take() {
                    Some(h) => out.push(h << 4 | v),
                    None => high = Some(v),
                }
            }
        }
        if let Some(h) = high {
            out.push(h << 4);
        }
        out
    }

    /// Skips `BI <dict> ID <data> EI`. The data ends at the first `EI` that stands alone
    /// between white space, after the /L or /Length the dictionary gives when it gives one.
    fn skip_inline_image(&mut self) {
        let mut length: Option<usize> = None;
        let mut last_key: Option<Vec<u8>> = None;
        // Parameters up to `ID`.
        loop {
            self.skip_white_and_comments();
            let Some(&b) = self.data.get(self.pos) else { return };
            if b == b'/' {
                let n = self.name();
                if last_key.is_some() {
                    last_key = None; // a name value
                } else {
                    last_key = Some(n);
                }
                continue;
            }
            if matches!(b, b'(' | b'<' | b'[') {
                // Values we don't need: consume one operand.
                let _ = self.next_token();
                last_key = None;
                continue;
            }
            let word = self.regular_word();
            if word == b"ID" {
                break;
            }
            if let Some(key) = last_key.take()
                && (key == b"L" || key == b"Length")
                && let Word::Number(n) = classify_word(word)
                && n >= 0.0
            {
                length = Some(n as usize);
            }
        }
        // One white-space byte separates ID from the data.
        self.pos += 1;
        if let Some(len) = length {
            self.pos = self.pos.saturating_add(len).min(self.data.len());
        }
        while self.pos + 1 < self.data.len() {
            if self.data[self.pos] == b'E'
                && self.data[self.pos + 1] == b'I'
                && self.pos.checked_sub(1).and_then(|p| self.data.get(p)).is_none_or(|&c| is_white(c))
                && self.data.get(self.pos + 2).is_none_or(|&c| is_white(c) || is_delim(c))
            {
                self.pos += 2;
                return;
            }
            self.pos += 1;
        }
        self.pos = self.data.len();
    }
}

enum Word {
    Number(f32),
    Bool(bool),
    Null,
    Keyword,
}

fn classify_word(word: &[u8]) -> Word {
    match word {
        b"true" => return Word::Bool(true),
        b"false" => return Word::Bool(false),
        b"null" => return Word::Null,
        _ => {}
    }
    let numeric = !word.is_empty() && word.iter().all(|&b| b.is_ascii_digit() || matches!(b, b'.' | b'-' | b'+')) && word.iter().any(|b| b.is_ascii_digit());
    if !numeric {
        return Word::Keyword;
    }
    // Lenient like real readers: "--5" and "1.2.3" occur in damaged files.
    let negative = word.iter().take_while(|&&b| b == b'-' || b == b'+').any(|&b| b == b'-');
    let digits: Vec<u8> = word.iter().copied().skip_while(|&b| b == b'-' || b == b'+').collect();
    let mut seen_dot = false;
    let cleaned: Vec<u8> = digits
        .into_iter()
        .filter(|&b| {
            if b == b'.' {
                if seen_dot {
                    return false;
                }
                seen_dot = true;
            }
            b != b'-' && b != b'+'
        })
        .collect();
    let text = std::str::from_utf8(&cleaned).unwrap_or("0");
    let value: f32 = text.parse().unwrap_or(0.0);
    Word::Number(if negative { -value } else { value })
}

/// Closes every open container at the end of the data, returning the outermost one.
fn close_all(mut stack: Vec<Frame>) -> Option<Operand> {
    let mut done: Option<Operand> = None;
    while let Some(frame) = stack.pop() {
        let mut op = match frame {
            Frame::Array(items) => Operand::Array(items),
            Frame::Dict => Operand::Dict,
        };
        if let Some(inner) = done.take()
            && let Operand::Array(items) = &mut op
        {
            items.push(inner);
        }
        done = Some(op);
    }
    done
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tokens(data: &[u8]) -> Vec<Token> {
        let mut lx = Lexer::new(data);
        let mut out = Vec::new();
        while let Some(Ok(t)) = lx.next_token() {
            out.push(t);
        }
        out
    }

    fn op(s: &str) -> Token {
        Token::Operator(s.as_bytes().to_vec())
    }

    #[test]
    fn tj_array_with_integer_and_real_gaps() {
        let t = tokens(b"[(Hej)-250.5(d\\345)12<0041>]TJ");
        assert_eq!(
            t,
            vec![
                Token::Operand(Operand::Array(vec![
                    Operand::String(b"Hej".to_vec()),
                    Operand::Number(-250.5),
                    Operand::String(vec![b'd', 0o345]),
                    Operand::Number(12.0),
                    Operand::String(vec![0x00, 0x41]),
                ])),
                op("TJ"),
            ]
        );
    }

    #[test]
    fn literal_strings_keep_balanced_parentheses_and_escapes() {
        let t = tokens(b"(a(b)c\\)\\n\\101) Tj");
        assert_eq!(t[0], Token::Operand(Operand::String(b"a(b)c)\nA".to_vec())));
    }

    #[test]
    fn names_decode_hex_escapes() {
        let t = tokens(b"/F#31 11 Tf");
        assert_eq!(t[0], Token::Operand(Operand::Name(b"F1".to_vec())));
        assert_eq!(t[1], Token::Operand(Operand::Number(11.0)));
    }

    #[test]
    fn numbers_accept_leading_dot_and_sign() {
        let t = tokens(b"-.5 +3 4. 0 Td");
        let nums: Vec<f32> = t
            .iter()
            .filter_map(|t| match t {
                Token::Operand(o) => o.as_f32(),
                _ => None,
            })
            .collect();
        assert_eq!(nums, vec![-0.5, 3.0, 4.0, 0.0]);
    }

    #[test]
    fn deep_nesting_is_an_error_not_a_stack_overflow() {
        let mut data = vec![b'['; 200_000];
        data.extend_from_slice(b"(x)");
        let mut lx = Lexer::new(&data);
        assert_eq!(lx.next_token(), Some(Err(LexError::TooDeep)));
    }

    #[test]
    fn inline_image_data_is_skipped() {
        let t = tokens(b"q BI /W 2 /H 1 /BPC 8 /CS /G ID \x00EI\xff EI Q BT");
        assert_eq!(t, vec![op("q"), Token::InlineImage, op("Q"), op("BT")]);
    }

    #[test]
    fn comments_are_ignored() {
        assert_eq!(tokens(b"% hello\nET"), vec![op("ET")]);
    }
}
