//! GraphQL's lexical grammar (October 2021 spec, §2.1), on bytes: punctuators, names,
//! numbers, strings and block strings; whitespace, commas, comments and the BOM are
//! skipped. Tokens are produced on demand (no token vector), each O(its length), so a
//! query of n bytes costs O(n) whatever it holds.
//!
//! Values are only checked, not decoded: the analysis never reads a string's content.
//! A malformed token is returned as [`Kind::Error`], spanning at least one character,
//! with its reason in [`Lexer::error`], so that the parser can report it and skip on.

/// The kind of a token.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    Bang,
    Dollar,
    Amp,
    LParen,
    RParen,
    Spread,
    Colon,
    Equals,
    At,
    LBracket,
    RBracket,
    LBrace,
    RBrace,
    Pipe,
    Name,
    Int,
    Float,
    Str,
    BlockStr,
    Eof,
    Error,
}

/// A token: its kind and byte span in the query.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Token {
    pub kind: Kind,
    pub start: u32,
    pub end: u32,
}

pub(crate) struct Lexer<'q> {
    text: &'q str,
    bytes: &'q [u8],
    pos: usize,
    /// Why the last [`Kind::Error`] token is malformed.
    pub error: &'static str,
}

/// Byte classes, looked up once per byte in the hot loops.
const NAME: u8 = 1;
const SPACE: u8 = 2;
// Evaluated at compile time, `i < 256` on a 256-byte array: indexing cannot fail.
#[allow(clippy::indexing_slicing)]
const CLASS: [u8; 256] = {
    let mut t = [0u8; 256];
    let mut i = 0;
    while i < 256 {
        let b = i as u8;
        if b.is_ascii_alphanumeric() || b == b'_' {
            t[i] = NAME;
        } else if matches!(b, b' ' | b'\t' | b'\n' | b'\r' | b',') {
            t[i] = SPACE;
        }
        i += 1;
    }
    t
};

fn name_start(b: u8) -> bool {
    b.is_ascii_alphabetic() || b == b'_'
}

#[inline]
fn is(class: u8, b: u8) -> bool {
    CLASS.get(usize::from(b)).is_some_and(|&c| c == class)
}

impl<'q> Lexer<'q> {
    pub(crate) fn new(text: &'q str) -> Self {
        Lexer {
            text,
            bytes: text.as_bytes(),
            pos: 0,
            error: "",
        }
    }

    /// The text of a token.
    #[inline]
    pub(crate) fn text(&self, t: Token) -> &'q str {
        self.text
            .get(t.start as usize..t.end as usize)
            .unwrap_or_default()
    }

    #[inline]
    fn at(&self, i: usize) -> u8 {
        self.bytes.get(i).copied().unwrap_or(0)
    }

    fn token(&self, kind: Kind, start: usize) -> Token {
        Token {
            kind,
            start: u32::try_from(start).unwrap_or(u32::MAX),
            end: u32::try_from(self.pos).unwrap_or(u32::MAX),
        }
    }

    /// A malformed token from `start` to the current position (at least one character).
    fn fail(&mut self, start: usize, why: &'static str) -> Token {
        if self.pos <= start {
            self.pos = start.saturating_add(1);
            // Keep the span on a character boundary.
            while self.pos < self.bytes.len() && !self.text.is_char_boundary(self.pos) {
                self.pos += 1;
            }
        }
        self.error = why;
        self.token(Kind::Error, start)
    }

    /// Skips ignored tokens: whitespace, line terminators, commas, comments, BOM.
    #[inline]
    fn skip_ignored(&mut self) {
        loop {
            match self.at(self.pos) {
                b if is(SPACE, b) => self.pos += 1,
                b'#' => {
                    while let Some(&c) = self.bytes.get(self.pos) {
                        if c == b'\n' || c == b'\r' {
                            break;
                        }
                        self.pos += 1;
                    }
                }
                // U+FEFF, the byte order mark, in UTF-8.
                0xEF if self.at(self.pos + 1) == 0xBB && self.at(self.pos + 2) == 0xBF => {
                    self.pos += 3;
                }
                _ => return,
            }
        }
    }

    /// The next token.
    #[inline]
    pub(crate) fn next_token(&mut self) -> Token {
        self.skip_ignored();
        let start = self.pos;
        let Some(&b) = self.bytes.get(start) else {
            return self.token(Kind::Eof, start);
        };
        self.pos += 1;
        let kind = match b {
            b'!' => Kind::Bang,
            b'$' => Kind::Dollar,
            b'&' => Kind::Amp,
            b'(' => Kind::LParen,
            b')' => Kind::RParen,
            b':' => Kind::Colon,
            b'=' => Kind::Equals,
            b'@' => Kind::At,
            b'[' => Kind::LBracket,
            b']' => Kind::RBracket,
            b'{' => Kind::LBrace,
            b'}' => Kind::RBrace,
            b'|' => Kind::Pipe,
            b'.' => {
                if self.at(start + 1) == b'.' && self.at(start + 2) == b'.' {
                    self.pos = start + 3;
                    Kind::Spread
                } else {
                    return self.fail(start, "expected `...`");
                }
            }
            b'"' => return self.string(start),
            b'-' | b'0'..=b'9' => return self.number(start),
            _ if name_start(b) => {
                while self.bytes.get(self.pos).is_some_and(|&c| is(NAME, c)) {
                    self.pos += 1;
                }
                Kind::Name
            }
            _ => {
                self.pos = start;
                return self.fail(start, "unexpected character");
            }
        };
        self.token(kind, start)
    }

    fn digits(&mut self) -> usize {
        let from = self.pos;
        while self.at(self.pos).is_ascii_digit() {
            self.pos += 1;
        }
        self.pos - from
    }

    /// IntValue or FloatValue (§2.9.1-2), not followed by `.` or a name start.
    fn number(&mut self, start: usize) -> Token {
        self.pos = start;
        if self.at(self.pos) == b'-' {
            self.pos += 1;
        }
        let first = self.at(self.pos);
        let int_digits = self.digits();
        if int_digits == 0 {
            return self.fail(start, "expected a digit");
        }
        if first == b'0' && int_digits > 1 {
            return self.fail(start, "a number cannot start with 0");
        }
        let mut kind = Kind::Int;
        if self.at(self.pos) == b'.' {
            self.pos += 1;
            if self.digits() == 0 {
                return self.fail(start, "expected a digit after `.`");
            }
            kind = Kind::Float;
        }
        if matches!(self.at(self.pos), b'e' | b'E') {
            self.pos += 1;
            if matches!(self.at(self.pos), b'+' | b'-') {
                self.pos += 1;
            }
            if self.digits() == 0 {
                return self.fail(start, "expected a digit in the exponent");
            }
            kind = Kind::Float;
        }
        let next = self.at(self.pos);
        if next == b'.' || name_start(next) {
            return self.fail(start, "a number must not be followed by `.` or a name");
        }
        self.token(kind, start)
    }

    /// StringValue or block string (§2.9.4), escapes checked.
    fn string(&mut self, start: usize) -> Token {
        if self.at(start + 1) == b'"' && self.at(start + 2) == b'"' {
            self.pos = start + 3;
            return self.block_string(start);
        }
        self.pos = start + 1;
        loop {
            match self.bytes.get(self.pos) {
                None | Some(b'\n' | b'\r') => return self.fail(start, "unterminated string"),
                Some(b'"') => {
                    self.pos += 1;
                    return self.token(Kind::Str, start);
                }
                Some(b'\\') => {
                    self.pos += 1;
                    if !self.escape() {
                        return self.fail(start, "invalid escape sequence in a string");
                    }
                }
                Some(_) => self.pos += 1,
            }
        }
    }

    /// One escape after `\`: `"\/bfnrt`, `uXXXX` or `u{X…}`.
    fn escape(&mut self) -> bool {
        let b = self.at(self.pos);
        self.pos += 1;
        match b {
            b'"' | b'\\' | b'/' | b'b' | b'f' | b'n' | b'r' | b't' => true,
            b'u' if self.at(self.pos) == b'{' => {
                self.pos += 1;
                let from = self.pos;
                while self.at(self.pos).is_ascii_hexdigit() {
                    self.pos += 1;
                }
                let n = self.pos - from;
                let ok = self.at(self.pos) == b'}' && (1..=6).contains(&n);
                self.pos += 1;
                ok
            }
            b'u' => (0..4).all(|_| {
                let hex = self.at(self.pos).is_ascii_hexdigit();
                self.pos += 1;
                hex
            }),
            _ => false,
        }
    }

    fn block_string(&mut self, start: usize) -> Token {
        loop {
            match self.bytes.get(self.pos) {
                None => return self.fail(start, "unterminated block string"),
                Some(b'"') if self.at(self.pos + 1) == b'"' && self.at(self.pos + 2) == b'"' => {
                    self.pos += 3;
                    return self.token(Kind::BlockStr, start);
                }
                Some(b'\\')
                    if self.at(self.pos + 1) == b'"'
                        && self.at(self.pos + 2) == b'"'
                        && self.at(self.pos + 3) == b'"' =>
                {
                    self.pos += 4;
                }
                Some(_) => self.pos += 1,
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(text: &str) -> Vec<Kind> {
        let mut l = Lexer::new(text);
        let mut out = Vec::new();
        loop {
            let t = l.next_token();
            out.push(t.kind);
            if t.kind == Kind::Eof {
                return out;
            }
        }
    }

    #[test]
    fn tokens_and_ignored() {
        use Kind::*;
        let k = kinds("\u{feff}query Q($a: [Int!]! = -1.5e3) @d { ...F ... on T { x } } # c\n,");
        assert_eq!(
            k,
            vec![
                Name, Name, LParen, Dollar, Name, Colon, LBracket, Name, Bang, RBracket, Bang,
                Equals, Float, RParen, At, Name, LBrace, Spread, Name, Spread, Name, Name, LBrace,
                Name, RBrace, RBrace, Eof
            ]
        );
        assert_eq!(
            kinds(r#""a\"\u00e9\u{1F600}" """x \""" y""""#),
            vec![Str, BlockStr, Eof]
        );
        assert_eq!(
            kinds("0 -0 12 1.0 1e5"),
            vec![Int, Int, Int, Float, Float, Eof]
        );
    }

    #[test]
    fn malformed_tokens_are_errors_that_advance() {
        for bad in [
            "01",
            "1.",
            "1.x",
            "1a",
            "-",
            "\"ab",
            "\"a\nb\"",
            "\"\\q\"",
            "\"\\u12\"",
            "..",
            "%",
            "é",
            "\"\"\"x",
        ] {
            let k = kinds(bad);
            assert!(k.contains(&Kind::Error), "{bad}: {k:?}");
            assert_eq!(k.last(), Some(&Kind::Eof), "{bad}");
        }
    }

    #[test]
    fn comment_at_end_of_input() {
        assert_eq!(kinds("a # no newline"), vec![Kind::Name, Kind::Eof]);
    }
}
