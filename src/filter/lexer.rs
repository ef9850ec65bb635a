//! Filter expressions into tokens, each with its 1-based column in characters.

use std::fmt;

use super::error::FilterError;

#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Tok {
    /// An attribute name or a keyword (`and`, `or`, `not`, `between`): ASCII letters, digits,
    /// `_`, `-` and `.`, starting with a letter or `_`.
    Word(String),
    /// A double-quoted string: `raw` as written between the quotes (a regular expression keeps
    /// its backslashes), `text` with `\"` and `\\` unescaped.
    Str {
        raw: String,
        text: String,
    },
    Number(i64),
    /// `a:b`, as `between` takes it.
    Range(i64, i64),
    Op(Op),
    Not,
    Open,
    Close,
}

/// Comparison operators.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Op {
    Eq,
    Ne,
    Match,
    NoMatch,
    Lt,
    Gt,
    Le,
    Ge,
    Between,
    Contains,
    NotContains,
}

impl fmt::Display for Op {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Op::Eq => "=",
            Op::Ne => "!=",
            Op::Match => "=~",
            Op::NoMatch => "!~",
            Op::Lt => "<",
            Op::Gt => ">",
            Op::Le => "<=",
            Op::Ge => ">=",
            Op::Between => "between",
            Op::Contains => "#",
            Op::NotContains => "!#",
        })
    }
}

impl fmt::Display for Tok {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Tok::Word(w) => write!(f, "`{w}`"),
            Tok::Str { raw, .. } => write!(f, "the string \"{raw}\""),
            Tok::Number(n) => write!(f, "the number {n}"),
            Tok::Range(a, b) => write!(f, "the range {a}:{b}"),
            Tok::Op(op) => write!(f, "`{op}`"),
            Tok::Not => f.write_str("`!`"),
            Tok::Open => f.write_str("`(`"),
            Tok::Close => f.write_str("`)`"),
        }
    }
}

/// A token and the column (1-based, in characters) where it starts.
pub(crate) type Spanned = (Tok, usize);

/// An ASCII digit, or an Arabic-Indic or Persian one (a number typed on an Arabic keyboard).
fn digit(c: char) -> Option<u32> {
    match c {
        '0'..='9' => c.to_digit(10),
        '\u{0660}'..='\u{0669}' => Some(c as u32 - 0x0660),
        '\u{06F0}'..='\u{06F9}' => Some(c as u32 - 0x06F0),
        _ => None,
    }
}

pub(crate) fn tokens(input: &str) -> Result<Vec<Spanned>, FilterError> {
    let chars: Vec<char> = input.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    let at = |i: usize| chars.get(i).copied();
    while i < chars.len() {
        let c = chars[i];
        let col = i + 1;
        if c.is_whitespace() {
            i += 1;
            continue;
        }
        let two = (c, at(i + 1).unwrap_or('\0'));
        let op2 = match two {
            ('=', '~') => Some(Op::Match),
            ('=', '=') => Some(Op::Eq),
            ('!', '~') => Some(Op::NoMatch),
            ('!', '=') => Some(Op::Ne),
            ('!', '#') => Some(Op::NotContains),
            ('<', '=') => Some(Op::Le),
            ('>', '=') => Some(Op::Ge),
            _ => None,
        };
        if let Some(op) = op2 {
            out.push((Tok::Op(op), col));
            i += 2;
            continue;
        }
        let single = match c {
            '=' => Some(Tok::Op(Op::Eq)),
            '<' => Some(Tok::Op(Op::Lt)),
            '>' => Some(Tok::Op(Op::Gt)),
            '#' => Some(Tok::Op(Op::Contains)),
            '!' => Some(Tok::Not),
            '(' => Some(Tok::Open),
            ')' => Some(Tok::Close),
            _ => None,
        };
        if let Some(tok) = single {
            out.push((tok, col));
            i += 1;
            continue;
        }
        if c == '"' {
            let (tok, next) = string(&chars, i)?;
            out.push((tok, col));
            i = next;
            continue;
        }
        if digit(c).is_some() || (c == '-' && at(i + 1).and_then(digit).is_some()) {
            let (a, next) = number(&chars, i)?;
            if at(next) == Some(':') {
                let (b, after) = number(&chars, next + 1).map_err(|_| {
                    FilterError::new(next + 2, "expected a number after `:` in a range like 1:7")
                })?;
                out.push((Tok::Range(a, b), col));
                i = after;
            } else {
                out.push((Tok::Number(a), col));
                i = next;
            }
            continue;
        }
        if c.is_ascii_alphabetic() || c == '_' {
            let start = i;
            while at(i).is_some_and(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.')) {
                i += 1;
            }
            out.push((Tok::Word(chars[start..i].iter().collect()), col));
            continue;
        }
        return Err(FilterError::new(
            col,
            format!(
                "unexpected `{c}`: expected an attribute, a value, an operator or a parenthesis"
            ),
        ));
    }
    Ok(out)
}

/// A string starting at `chars[start] == '"'`; returns the token and the index after it.
fn string(chars: &[char], start: usize) -> Result<(Tok, usize), FilterError> {
    let mut raw = String::new();
    let mut text = String::new();
    let mut i = start + 1;
    while let Some(&c) = chars.get(i) {
        match c {
            '"' => return Ok((Tok::Str { raw, text }, i + 1)),
            '\\' => {
                let Some(&next) = chars.get(i + 1) else { break };
                raw.push('\\');
                raw.push(next);
                // Outside regular expressions only the quote and the backslash are escapes.
                if !matches!(next, '"' | '\\') {
                    text.push('\\');
                }
                text.push(next);
                i += 2;
            }
            _ => {
                raw.push(c);
                text.push(c);
                i += 1;
            }
        }
    }
    Err(FilterError::new(
        start + 1,
        "this string has no closing `\"`",
    ))
}

/// A number (optional `-`, then digits) at `start`; returns it and the index after it.
fn number(chars: &[char], start: usize) -> Result<(i64, usize), FilterError> {
    let mut i = start;
    let negative = chars.get(i) == Some(&'-');
    if negative {
        i += 1;
    }
    let digits_start = i;
    let mut value: i64 = 0;
    while let Some(d) = chars.get(i).copied().and_then(digit) {
        // Saturates: a number past i64 compares as the largest one, never wraps.
        value = value.saturating_mul(10).saturating_add(i64::from(d));
        i += 1;
    }
    if i == digits_start {
        return Err(FilterError::new(start + 1, "expected a number"));
    }
    Ok((if negative { -value } else { value }, i))
}
