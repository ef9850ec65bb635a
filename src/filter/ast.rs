//! A parsed filter: the tree the parser builds and the evaluator walks. Values are compiled
//! once (folded text, built regular expressions, parsed dates).

use chrono::{DateTime, Utc};
use regex::Regex;

use super::lexer::Op;

/// The attributes a filter can test.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Attr {
    Title,
    Content,
    Author,
    Link,
    FeedTitle,
    FeedUrl,
    /// The article's key (newsboat's `guid`).
    Guid,
    Tags,
    Flags,
    Unread,
    Starred,
    Age,
    Date,
}

/// What kind of value an attribute has, which decides the operators it takes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Kind {
    Text,
    Bool,
    Number,
    Date,
}

/// Attribute names as written in filters (newsboat's, plus `feedurl` and `starred`).
pub(crate) const ATTRS: &[(&str, Attr)] = &[
    ("title", Attr::Title),
    ("content", Attr::Content),
    ("author", Attr::Author),
    ("link", Attr::Link),
    ("feedtitle", Attr::FeedTitle),
    ("feedurl", Attr::FeedUrl),
    ("rssurl", Attr::FeedUrl),
    ("guid", Attr::Guid),
    ("tags", Attr::Tags),
    ("flags", Attr::Flags),
    ("unread", Attr::Unread),
    ("starred", Attr::Starred),
    ("age", Attr::Age),
    ("date", Attr::Date),
];

impl Attr {
    pub(crate) fn kind(self) -> Kind {
        match self {
            Attr::Unread | Attr::Starred => Kind::Bool,
            Attr::Age => Kind::Number,
            Attr::Date => Kind::Date,
            _ => Kind::Text,
        }
    }
}

/// A compiled right-hand side.
#[derive(Clone, Debug)]
pub(crate) enum Value {
    /// Folded text (`=`, `!=`, `#`, `!#`).
    Text(String),
    /// Matched against the folded text (`=~`, `!~`).
    Regex(Regex),
    Number(i64),
    /// Inclusive, low to high.
    Range(i64, i64),
    Bool(bool),
    Date(DateTime<Utc>),
}

#[derive(Clone, Debug)]
pub(crate) struct Test {
    pub(crate) attr: Attr,
    pub(crate) op: Op,
    pub(crate) value: Value,
}

#[derive(Clone, Debug)]
pub(crate) enum Node {
    /// All of them.
    And(Vec<Node>),
    /// Any of them.
    Or(Vec<Node>),
    Not(Box<Node>),
    Test(Test),
}
