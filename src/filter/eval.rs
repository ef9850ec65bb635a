//! Evaluating a parsed filter against one article's fields. The time is the caller's (never
//! the clock's), and text is folded only when a test needs it, once per evaluation.

use std::borrow::Cow;
use std::cell::OnceCell;

use chrono::{DateTime, Utc};

use super::ast::{Attr, Node, Test, Value};
use super::lexer::Op;
use crate::text::fold::{self, FoldOptions};

/// The fields of one article a filter looks at, borrowed from wherever the caller keeps
/// them (the filter depends on neither the store nor the app).
#[derive(Clone, Copy, Debug, Default)]
pub struct Fields<'a> {
    pub title: &'a str,
    /// The body as plain text (see `text::strip::html_text`), or empty when not loaded.
    pub content: &'a str,
    pub author: &'a str,
    pub link: &'a str,
    pub feed_title: &'a str,
    pub feed_url: &'a str,
    /// The article's key (newsboat's `guid`).
    pub key: &'a str,
    /// The feed's tags.
    pub tags: &'a [String],
    pub unread: bool,
    pub starred: bool,
    /// The date the lists show: published, else first seen.
    pub date: DateTime<Utc>,
    /// `title` already folded (with the filter's options), if the caller keeps it: a filter
    /// over 100,000 titles then folds none of them.
    pub folded_title: Option<&'a str>,
    /// `content` already folded, likewise.
    pub folded_content: Option<&'a str>,
}

/// The folded text fields, computed when first needed.
struct Texts<'f, 'a> {
    fields: &'f Fields<'a>,
    opts: FoldOptions,
    cells: [OnceCell<Cow<'a, str>>; 8],
}

impl<'f, 'a> Texts<'f, 'a> {
    fn get(&self, attr: Attr) -> &str {
        let f = self.fields;
        let (slot, raw, folded) = match attr {
            Attr::Title => (0, f.title, f.folded_title),
            Attr::Content => (1, f.content, f.folded_content),
            Attr::Author => (2, f.author, None),
            Attr::Link => (3, f.link, None),
            Attr::FeedTitle => (4, f.feed_title, None),
            Attr::FeedUrl => (5, f.feed_url, None),
            Attr::Guid => (6, f.key, None),
            _ => (7, "", None),
        };
        self.cells[slot].get_or_init(|| match folded {
            Some(done) => Cow::Borrowed(done),
            None => Cow::Owned(fold::fold_with(raw, self.opts)),
        })
    }
}

/// Days since `date`, whole days rounded down, as newsboat counts `age` (negative for a date
/// in the future).
pub(crate) fn age_days(date: DateTime<Utc>, now: DateTime<Utc>) -> i64 {
    (now - date).num_seconds().div_euclid(86_400)
}

/// The date as newsboat writes it for `date` (`Thu, 01 Jan 1970 00:00:01 +0000`), in UTC.
fn date_text(date: DateTime<Utc>) -> String {
    date.format("%a, %d %b %Y %H:%M:%S +0000")
        .to_string()
        .to_lowercase()
}

pub(crate) fn matches(
    node: &Node,
    fields: &Fields<'_>,
    now: DateTime<Utc>,
    opts: FoldOptions,
) -> bool {
    let texts = Texts {
        fields,
        opts,
        cells: Default::default(),
    };
    eval(node, &texts, now)
}

fn eval(node: &Node, texts: &Texts<'_, '_>, now: DateTime<Utc>) -> bool {
    match node {
        Node::And(all) => all.iter().all(|n| eval(n, texts, now)),
        Node::Or(any) => any.iter().any(|n| eval(n, texts, now)),
        Node::Not(inner) => !eval(inner, texts, now),
        Node::Test(test) => test_one(test, texts, now),
    }
}

fn test_one(test: &Test, texts: &Texts<'_, '_>, now: DateTime<Utc>) -> bool {
    let f = texts.fields;
    match (test.attr, &test.value) {
        (Attr::Unread, Value::Bool(want)) => (f.unread == *want) == (test.op == Op::Eq),
        (Attr::Starred, Value::Bool(want)) => (f.starred == *want) == (test.op == Op::Eq),
        (Attr::Age, value) => {
            let age = age_days(f.date, now);
            match value {
                Value::Number(n) => compare(test.op, age.cmp(n)),
                Value::Range(lo, hi) => (*lo..=*hi).contains(&age),
                other => text_test(test.op, &age.to_string(), other),
            }
        }
        (Attr::Date, Value::Date(d)) => compare(test.op, f.date.cmp(d)),
        (Attr::Date, other) => text_test(test.op, &date_text(f.date), other),
        (Attr::Tags, Value::Text(tag)) if matches!(test.op, Op::Contains | Op::NotContains) => {
            let has = f
                .tags
                .iter()
                .any(|t| fold::fold_with(t, texts.opts) == *tag);
            has == (test.op == Op::Contains)
        }
        (Attr::Tags, other) => {
            let joined = fold::fold_with(&f.tags.join(" "), texts.opts);
            text_test(test.op, &joined, other)
        }
        (Attr::Flags, other) => text_test(test.op, if f.starred { "s" } else { "" }, other),
        (attr, other) => text_test(test.op, texts.get(attr), other),
    }
}

fn compare(op: Op, ord: std::cmp::Ordering) -> bool {
    use std::cmp::Ordering::*;
    match op {
        Op::Eq => ord == Equal,
        Op::Ne => ord != Equal,
        Op::Lt => ord == Less,
        Op::Gt => ord == Greater,
        Op::Le => ord != Greater,
        Op::Ge => ord != Less,
        _ => false,
    }
}

/// A test on folded text: equality, a regular expression, or a word among space-separated
/// words (`#`).
fn text_test(op: Op, text: &str, value: &Value) -> bool {
    match (op, value) {
        (Op::Eq, Value::Text(t)) => text == t,
        (Op::Ne, Value::Text(t)) => text != t,
        (Op::Match, Value::Regex(r)) => r.is_match(text),
        (Op::NoMatch, Value::Regex(r)) => !r.is_match(text),
        (Op::Contains, Value::Text(t)) => text.split(' ').any(|w| w == t),
        (Op::NotContains, Value::Text(t)) => !text.split(' ').any(|w| w == t),
        // The parser never builds another pairing.
        _ => false,
    }
}
