//! Tokens into a checked tree: every comparison's attribute must exist and take its operator,
//! and its value is compiled (folded, a regular expression built, a date parsed) here, so
//! evaluation cannot fail.
//!
//! `and` and `or` have the same precedence and group to the right, exactly as newsboat's
//! parser does (`a and b or c` is `a and (b or c)`), so an expression brought from a newsboat
//! config means what it meant there. `not` / `!` binds to what follows it.

use chrono::{DateTime, NaiveDate, NaiveDateTime, Utc};
use regex::RegexBuilder;

use super::ast::{ATTRS, Attr, Kind, Node, Test, Value};
use super::error::FilterError;
use super::lexer::{Op, Spanned, Tok, tokens};
use crate::text::fold::{self, FoldOptions};

/// Parentheses (and `not`s) nested deeper than this are refused: real filters nest a few.
const MAX_NESTING: usize = 64;
/// Changes between `and` and `or` in one parenthesis level, each of which nests the tree.
const MAX_SWITCHES: usize = 64;
/// A compiled regular expression may take this much memory (the `regex` crate's limit).
const REGEX_SIZE_LIMIT: usize = 1 << 20;

const OPS_HELP: &str = "=, !=, =~, !~, <, >, <=, >=, between, #, !#";

pub(crate) fn parse(input: &str, opts: FoldOptions) -> Result<Node, FilterError> {
    let toks = tokens(input)?;
    let end = input.chars().count() + 1;
    if toks.is_empty() {
        return Err(FilterError::new(
            1,
            "the filter is empty: expected an attribute such as title",
        ));
    }
    let mut p = Parser {
        toks,
        at: 0,
        end,
        depth: 0,
        opts,
    };
    let node = p.expr()?;
    if let Some((tok, col)) = p.toks.get(p.at) {
        let message = if *tok == Tok::Close {
            "this `)` closes nothing".to_string()
        } else {
            format!("expected `and`, `or` or the end, found {tok}")
        };
        return Err(FilterError::new(*col, message));
    }
    Ok(node)
}

struct Parser {
    toks: Vec<Spanned>,
    at: usize,
    /// The column one past the last character (for "ended too early").
    end: usize,
    depth: usize,
    opts: FoldOptions,
}

#[derive(Clone, Copy, PartialEq)]
enum Join {
    And,
    Or,
}

impl Parser {
    fn peek(&self) -> Option<&Tok> {
        self.toks.get(self.at).map(|(t, _)| t)
    }

    fn col(&self) -> usize {
        self.toks.get(self.at).map_or(self.end, |(_, c)| *c)
    }

    fn next(&mut self) -> Option<Spanned> {
        let t = self.toks.get(self.at).cloned();
        self.at += 1;
        t
    }

    fn join(&self) -> Option<Join> {
        match self.peek() {
            Some(Tok::Word(w)) if w == "and" => Some(Join::And),
            Some(Tok::Word(w)) if w == "or" => Some(Join::Or),
            _ => None,
        }
    }

    /// `unary (and|or unary)*`, grouped to the right; built without recursion over the chain.
    fn expr(&mut self) -> Result<Node, FilterError> {
        let mut items = vec![self.unary()?];
        let mut joins = Vec::new();
        let mut switches = 0;
        while let Some(j) = self.join() {
            if joins.last().is_some_and(|&last| last != j) {
                switches += 1;
                if switches > MAX_SWITCHES {
                    return Err(FilterError::new(
                        self.col(),
                        "too many changes between `and` and `or`: use parentheses",
                    ));
                }
            }
            joins.push(j);
            self.at += 1;
            items.push(self.unary()?);
        }
        let mut node = items.pop().expect("one item at least");
        while let (Some(j), Some(left)) = (joins.pop(), items.pop()) {
            node = match (j, node) {
                (Join::And, Node::And(mut v)) => {
                    v.insert(0, left);
                    Node::And(v)
                }
                (Join::Or, Node::Or(mut v)) => {
                    v.insert(0, left);
                    Node::Or(v)
                }
                (Join::And, right) => Node::And(vec![left, right]),
                (Join::Or, right) => Node::Or(vec![left, right]),
            };
        }
        Ok(node)
    }

    /// `(not|!)* primary`; an even number of negations cancels out.
    fn unary(&mut self) -> Result<Node, FilterError> {
        let mut negations = 0usize;
        while matches!(self.peek(), Some(Tok::Not))
            || matches!(self.peek(), Some(Tok::Word(w)) if w == "not")
        {
            negations += 1;
            self.at += 1;
        }
        let node = self.primary()?;
        Ok(if negations % 2 == 1 {
            Node::Not(Box::new(node))
        } else {
            node
        })
    }

    fn primary(&mut self) -> Result<Node, FilterError> {
        let col = self.col();
        match self.next() {
            Some((Tok::Open, _)) => {
                self.depth += 1;
                if self.depth > MAX_NESTING {
                    return Err(FilterError::new(col, "parentheses nested too deep"));
                }
                let inner = self.expr()?;
                self.depth -= 1;
                match self.next() {
                    Some((Tok::Close, _)) => Ok(inner),
                    Some((tok, c)) => Err(FilterError::new(
                        c,
                        format!("expected `)`, `and` or `or`, found {tok}"),
                    )),
                    None => Err(FilterError::new(
                        self.end,
                        format!("expected `)` to close the `(` at column {col}"),
                    )),
                }
            }
            Some((Tok::Word(name), _)) => self.comparison(&name, col),
            Some((tok, c)) => Err(FilterError::new(
                c,
                format!("expected an attribute (such as title, unread or age) or `(`, found {tok}"),
            )),
            None => Err(FilterError::new(
                self.end,
                "the filter ends too early: expected an attribute (such as title, unread or age) or `(`",
            )),
        }
    }

    fn comparison(&mut self, name: &str, col: usize) -> Result<Node, FilterError> {
        let Some(&(_, attr)) = ATTRS.iter().find(|(n, _)| *n == name) else {
            let names: Vec<&str> = ATTRS.iter().map(|(n, _)| *n).collect();
            return Err(FilterError::new(
                col,
                format!(
                    "unknown attribute `{name}`: expected one of {}",
                    names.join(", ")
                ),
            ));
        };
        let op_col = self.col();
        let op = match self.peek() {
            Some(Tok::Op(op)) => Some(*op),
            Some(Tok::Word(w)) if w == "between" => Some(Op::Between),
            _ => None,
        };
        let Some(op) = op else {
            // `unread`, `starred` alone (akhbar's shorthand for `unread = "yes"`).
            if attr.kind() == Kind::Bool {
                return Ok(Node::Test(Test {
                    attr,
                    op: Op::Eq,
                    value: Value::Bool(true),
                }));
            }
            let found = self.peek().map_or("the end".to_string(), Tok::to_string);
            return Err(FilterError::new(
                op_col,
                format!("expected an operator ({OPS_HELP}) after `{name}`, found {found}"),
            ));
        };
        self.at += 1;
        let value_col = self.col();
        let Some((value, _)) = self.next() else {
            return Err(FilterError::new(
                self.end,
                format!("the filter ends too early: expected a value after `{op}`"),
            ));
        };
        let value = self.compile(name, attr, op, op_col, &value, value_col)?;
        Ok(Node::Test(Test { attr, op, value }))
    }

    fn compile(
        &self,
        name: &str,
        attr: Attr,
        op: Op,
        op_col: usize,
        value: &Tok,
        col: usize,
    ) -> Result<Value, FilterError> {
        let kind = attr.kind();
        let wrong_op = |takes: &str| {
            FilterError::new(
                op_col,
                format!("`{name}` does not take `{op}`: it takes {takes}"),
            )
        };
        let text_of = |tok: &Tok, raw: bool| match tok {
            Tok::Str { raw: r, text } => Some(if raw { r.clone() } else { text.clone() }),
            Tok::Number(n) => Some(n.to_string()),
            _ => None,
        };
        let expected = |what: &str| {
            FilterError::new(col, format!("expected {what} after `{op}`, found {value}"))
        };
        match op {
            Op::Match | Op::NoMatch => {
                if kind == Kind::Bool {
                    return Err(wrong_op("= and !="));
                }
                let pattern =
                    text_of(value, true).ok_or_else(|| expected("a quoted regular expression"))?;
                let folded = fold_pattern(&pattern, self.opts);
                RegexBuilder::new(&folded)
                    .case_insensitive(true)
                    .size_limit(REGEX_SIZE_LIMIT)
                    .dfa_size_limit(REGEX_SIZE_LIMIT)
                    .build()
                    .map(Value::Regex)
                    .map_err(|e| {
                        let first = e.to_string();
                        let line = first.lines().last().unwrap_or("invalid").trim().to_string();
                        FilterError::new(col, format!("bad regular expression: {line}"))
                    })
            }
            Op::Eq | Op::Ne if kind == Kind::Bool => bool_value(value)
                .map(Value::Bool)
                .ok_or_else(|| expected("\"yes\" or \"no\"")),
            _ if kind == Kind::Bool => Err(wrong_op("= and !=")),
            Op::Contains | Op::NotContains => {
                let text = text_of(value, false).ok_or_else(|| expected("a quoted word"))?;
                Ok(Value::Text(fold::fold_with(&text, self.opts)))
            }
            Op::Between => match (kind, value) {
                (Kind::Number, Tok::Range(a, b)) => Ok(Value::Range(*a.min(b), *a.max(b))),
                (Kind::Number, _) => Err(expected("a range like 1:7")),
                _ => Err(wrong_op("=, !=, =~, !~, #, !# (and <, >, <=, >= for date)")),
            },
            Op::Eq | Op::Ne if kind != Kind::Number => {
                let text = text_of(value, false).ok_or_else(|| expected("a quoted string"))?;
                Ok(Value::Text(fold::fold_with(&text, self.opts)))
            }
            _ => match kind {
                Kind::Number => number_value(value)
                    .map(Value::Number)
                    .ok_or_else(|| expected("a number")),
                Kind::Date => text_of(value, false)
                    .and_then(|t| parse_date(&t))
                    .map(Value::Date)
                    .ok_or_else(|| {
                        expected("a date like \"2025-01-31\" or \"2025-01-31 18:30\" (UTC)")
                    }),
                _ => Err(wrong_op("=, !=, =~, !~, #, !#")),
            },
        }
    }
}

fn bool_value(tok: &Tok) -> Option<bool> {
    match tok {
        Tok::Str { text, .. } => match text.to_ascii_lowercase().as_str() {
            "yes" | "true" | "1" => Some(true),
            "no" | "false" | "0" => Some(false),
            _ => None,
        },
        Tok::Number(1) => Some(true),
        Tok::Number(0) => Some(false),
        _ => None,
    }
}

/// A number, or a quoted one (newsboat compares `age > "3"` as numbers too).
fn number_value(tok: &Tok) -> Option<i64> {
    match tok {
        Tok::Number(n) => Some(*n),
        Tok::Str { text, .. } => text.trim().parse().ok(),
        _ => None,
    }
}

/// `2025-01-31`, `2025-01-31 18:30`, `2025-01-31T18:30:05`, in UTC.
fn parse_date(text: &str) -> Option<DateTime<Utc>> {
    let t = text.trim();
    if let Ok(d) = NaiveDate::parse_from_str(t, "%Y-%m-%d") {
        return Some(d.and_hms_opt(0, 0, 0)?.and_utc());
    }
    [
        "%Y-%m-%d %H:%M",
        "%Y-%m-%dT%H:%M",
        "%Y-%m-%d %H:%M:%S",
        "%Y-%m-%dT%H:%M:%S",
    ]
    .iter()
    .find_map(|f| NaiveDateTime::parse_from_str(t, f).ok())
    .map(|d| d.and_utc())
}

/// Folds the literal characters of a regular expression the way the text it runs on is
/// folded, leaving escapes (`\D`, `\p{Arabic}`, `\x{627}`) as written: lowercasing `\D`
/// would turn "not a digit" into "a digit".
pub(crate) fn fold_pattern(pattern: &str, opts: FoldOptions) -> String {
    let mut out = String::with_capacity(pattern.len());
    let mut chars = pattern.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '\\' {
            fold::fold_char(c, opts, &mut out);
            continue;
        }
        out.push('\\');
        let Some(e) = chars.next() else { break };
        out.push(e);
        if matches!(e, 'p' | 'P' | 'x' | 'u' | 'U') && chars.peek() == Some(&'{') {
            for b in chars.by_ref() {
                out.push(b);
                if b == '}' {
                    break;
                }
            }
        }
    }
    out
}
