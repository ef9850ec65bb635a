//! The filter language: what parses (newsboat's documented examples among it), what does
//! not and at which column, and what matches.

use chrono::{DateTime, TimeZone, Utc};
use proptest::prelude::*;

use super::*;

fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2025, 3, 10, 12, 0, 0).unwrap()
}

fn days_ago(n: i64) -> DateTime<Utc> {
    now() - chrono::Duration::days(n) - chrono::Duration::minutes(1)
}

const TAGS: &[String] = &[];

fn article<'a>(title: &'a str, tags: &'a [String]) -> Fields<'a> {
    Fields {
        title,
        content: "The body text, with café and يُحسِّن",
        author: "Frank Zappa",
        link: "https://example.org/a/1",
        feed_title: "Example News",
        feed_url: "https://example.org/feed.xml",
        key: "guid-1",
        tags,
        unread: true,
        starred: false,
        date: days_ago(3),
        folded_title: None,
        folded_content: None,
    }
}

fn is(expr: &str, fields: &Fields<'_>) -> bool {
    Filter::parse(expr)
        .unwrap_or_else(|e| panic!("{expr}: {e}"))
        .matches(fields, now())
}

fn error(expr: &str) -> (usize, String) {
    let e = Filter::parse(expr).expect_err(expr);
    (e.column, e.message)
}

#[test]
fn newsboat_documentation_examples_parse_and_mean_the_same() {
    let tags = vec!["tag1".to_string(), "fun".to_string()];
    let linux = article("Linux 6.1 released", &tags);
    let other = Fields {
        author: "Jane",
        unread: false,
        date: days_ago(20),
        feed_url: "http://plain.example.org/rss",
        ..article("Weather", TAGS)
    };
    // The filter language section.
    assert!(is(r#"rssurl =~ "^https:""#, &linux));
    assert!(!is(r#"rssurl =~ "^https:""#, &other));
    assert!(is("age between 0:10", &linux));
    assert!(!is("age between 0:10", &other));
    let both = r#"( author =~ "Frank" or author =~ "John" ) and ( title =~ "Linux" or title =~ "FreeBSD" )"#;
    assert!(is(both, &linux));
    assert!(!is(
        both,
        &Fields {
            author: "Jane",
            ..linux
        }
    ));
    assert!(!is(
        both,
        &Fields {
            title: "Weather",
            ..linux
        }
    ));
    // Query feeds.
    assert!(is(r#"unread = "yes""#, &linux));
    assert!(!is(r#"unread = "yes""#, &other));
    assert!(is(r#"tags # "tag1""#, &linux));
    assert!(!is(r#"tags # "tag1""#, &other));
    // Kill files (ignore-article).
    assert!(is(r#"title =~ "linux""#, &linux));
    assert!(is(
        r#"title =~ "^RT by""#,
        &article("RT by someone: hello", TAGS)
    ));
    assert!(!is(r#"title =~ "^RT by""#, &article("Not RT by", TAGS)));
    // The parser's own complex example, with article attributes.
    assert!(
        Filter::parse(
            r#"( title = "b") and ( author = "c" ) or ( ( link != "d" ) and ( link !~ "asdf" )) or link != "xx""#
        )
        .is_ok()
    );
    // Both = and == are equality, spaces are optional around operators.
    assert!(is(r#"author=="Frank Zappa""#, &linux));
    assert!(is(r#"author   =  "frank zappa""#, &linux));
    // Whitespace is not needed before and/or, only after.
    assert!(is(r#"age = 3and unread = "yes""#, &linux));
    assert!(is(r#"age=3and(unread="yes")"#, &linux));
}

#[test]
fn feed_list_attributes_of_newsboat_are_named_in_the_error() {
    let (col, msg) = error("( unread_count > 0 and unread_count < 10 ) or total_count > 100");
    assert_eq!(col, 3);
    assert!(msg.contains("unknown attribute `unread_count`"), "{msg}");
}

#[test]
fn and_and_or_group_to_the_right_as_in_newsboat() {
    // a and b or c == a and (b or c): false when a is false, though c is true.
    let f = article("x", TAGS);
    let a_false_c_true =
        r#"title = "nope" and author = "nope" or link = "https://example.org/a/1""#;
    assert!(
        !is(a_false_c_true, &f),
        "left-grouping would make this true"
    );
    // a or b and c == a or (b and c).
    assert!(is(
        r#"title = "x" or author = "nope" and link = "nope""#,
        &f
    ));
    // Parentheses decide when given.
    assert!(is(
        r#"(title = "nope" and author = "nope") or link = "https://example.org/a/1""#,
        &f
    ));
}

#[test]
fn not_and_bang_negate_and_bare_booleans_test_for_yes() {
    let f = article("Rust news", TAGS);
    assert!(is("unread", &f));
    assert!(!is("not unread", &f));
    assert!(!is("!unread", &f));
    assert!(is("not not unread", &f));
    assert!(is(r#"not title =~ "python""#, &f));
    assert!(is(r#"!(starred or title =~ "python")"#, &f));
    assert!(is(r#"starred = "no" and unread != "no""#, &f));
    assert!(is("unread = 1 and starred = 0", &f));
}

#[test]
fn text_comparisons_are_folded_on_both_sides() {
    let f = article("Café society: يُحسِّن ۱۹۹۹", TAGS);
    assert!(is(r#"title =~ "CAFE""#, &f));
    assert!(is(r#"title =~ "يحسن""#, &f));
    assert!(is(r#"title =~ "1999""#, &f));
    assert!(is(r#"content =~ "يحسّن""#, &f));
    assert!(is(r#"title = "cafe society: يحسن 1999""#, &f));
    assert!(is(r#"author # "zappa""#, &f));
    assert!(is(r#"author !# "frank zappa""#, &f));
    // Escapes keep their meaning: \D is "not a digit", not a lowercased \d.
    assert!(is(r#"title =~ "^\D+""#, &f));
    assert!(is(r#"title =~ "\d{4}$""#, &f));
    // A pre-folded title is used as it is.
    let pre = Fields {
        folded_title: Some("already folded"),
        ..f
    };
    assert!(is(r#"title = "already folded""#, &pre));
}

#[test]
fn age_and_date_compare_with_the_callers_time() {
    let f = article("x", TAGS);
    assert!(is("age = 3", &f));
    assert!(is("age > 2 and age < 4 and age >= 3 and age <= 3", &f));
    assert!(is("age between 7:1", &f));
    assert!(!is("age between 4:7", &f));
    assert!(is(r#"age > "2""#, &f));
    assert!(is("age != 4", &f));
    // Arabic-Indic digits in a number.
    assert!(is("age = ٣", &f));
    let e = Filter::parse("age = 0").unwrap();
    assert!(!e.matches(&f, now()));
    assert!(e.matches(&f, f.date + chrono::Duration::hours(5)));
    // date: newsboat's text form, and comparisons with an ISO date.
    assert!(is(r#"date =~ "^fri, 07 mar 2025""#, &f));
    assert!(is(r#"date >= "2025-03-07" and date < "2025-03-08""#, &f));
    assert!(is(r#"date > "2025-03-07 11:58""#, &f));
    assert!(!is(r#"date > "2025-03-07T11:59:30""#, &f));
}

#[test]
fn tags_flags_links_and_keys_are_tested() {
    let tags = vec!["Tech".to_string(), "world news".to_string()];
    let f = Fields {
        starred: true,
        ..article("x", &tags)
    };
    assert!(is(r#"tags # "tech""#, &f));
    assert!(is(r#"tags # "world news""#, &f));
    assert!(is(r#"tags !# "sport""#, &f));
    assert!(is(r#"tags =~ "world""#, &f));
    assert!(is(r#"flags # "s" and starred"#, &f));
    assert!(is(r#"link =~ "example\.org/a/""#, &f));
    assert!(is(
        r#"guid = "guid-1" and feedtitle = "example news" and feedurl =~ "feed\.xml$""#,
        &f
    ));
}

#[test]
fn strings_unescape_quotes_and_backslashes() {
    let f = article(r#"He said "yes" \o/"#, TAGS);
    assert!(is(r#"title = "he said \"yes\" \\o/""#, &f));
    assert!(is(r#"title =~ "\"yes\"""#, &f));
    assert!(is(r#"title =~ "\\o/$""#, &f));
    assert!(is(r#"title != """#, &f));
}

#[test]
fn errors_point_at_the_column_and_say_what_was_expected() {
    let cases: &[(&str, usize, &str)] = &[
        ("", 1, "empty"),
        ("title =¯ \"foo\"", 8, "unexpected `¯`"),
        ("title = \"b", 9, "no closing"),
        (
            "title = b",
            9,
            "expected a quoted string after `=`, found `b`",
        ),
        ("title !! \"b\"", 7, "expected an operator"),
        ("((title=\"b\")))", 14, "closes nothing"),
        ("age between 0:15:30", 17, "unexpected `:`"),
        (
            "age = 42andy=0",
            9,
            "expected `and`, `or` or the end, found `andy`",
        ),
        ("=!", 1, "expected an attribute"),
        ("foo = 1", 1, "unknown attribute `foo`"),
        ("unread > 1", 8, "`unread` does not take `>`"),
        ("unread = \"maybe\"", 10, "expected \"yes\" or \"no\""),
        ("title < 5", 7, "`title` does not take `<`"),
        ("age between 3", 13, "expected a range like 1:7"),
        ("age = \"soon\"", 7, "expected a number"),
        ("date > \"yesterday\"", 8, "expected a date"),
        ("title =~ \"(\"", 10, "bad regular expression"),
        ("title = \"x\" and", 16, "ends too early"),
        ("title = \"x\" and ()", 18, "expected an attribute"),
        (
            "(title = \"x\"",
            13,
            "expected `)` to close the `(` at column 1",
        ),
        ("title", 6, "expected an operator"),
        ("title =", 8, "ends too early: expected a value"),
        ("age between 1:", 15, "expected a number after `:`"),
    ];
    for (expr, col, text) in cases {
        let (c, msg) = error(expr);
        assert_eq!(c, *col, "{expr}: {msg}");
        assert!(msg.contains(text), "{expr}: {msg}");
    }
    // Columns count characters, not bytes: the Arabic before the mistake is 3 chars (6 bytes).
    let (c, msg) = error("title = \"خبر\" and ؟");
    assert_eq!(c, 19, "{msg}");
    assert_eq!(
        Filter::parse("title ? 1").unwrap_err().to_string(),
        "column 7: unexpected `?`: expected an attribute, a value, an operator or a parenthesis"
    );
}

#[test]
fn hostile_input_is_refused_without_a_panic() {
    let deep = format!("{}unread{}", "(".repeat(10_000), ")".repeat(10_000));
    assert!(error(&deep).1.contains("nested too deep"));
    let chain = (0..10_000)
        .map(|i| {
            if i % 2 == 0 {
                "unread and "
            } else {
                "starred or "
            }
        })
        .collect::<String>()
        + " unread";
    assert!(error(&chain).1.contains("too many changes"));
    // A long chain of one operator is fine (flat, no recursion), and so are many nots.
    let long = vec!["unread"; 10_000].join(" and ");
    assert!(is(&long, &article("x", TAGS)));
    let nots = format!("{}unread", "not ".repeat(10_001));
    assert!(!is(&nots, &article("x", TAGS)));
    // A regular expression too big to build is an error, not an allocation of gigabytes.
    let (_, msg) = error(r#"title =~ "\w{1000}\w{1000}\w{1000}""#);
    assert!(msg.contains("bad regular expression"), "{msg}");
}

#[test]
fn uses_tells_which_attributes_a_filter_reads() {
    let f = Filter::parse(r#"unread and (title =~ "x" or not content # "y")"#).unwrap();
    assert!(f.uses(Attr::Content) && f.uses(Attr::Title) && f.uses(Attr::Unread));
    assert!(!f.uses(Attr::Author));
    assert_eq!(
        f.source(),
        r#"unread and (title =~ "x" or not content # "y")"#
    );
}

proptest! {
    #[test]
    fn any_input_parses_or_fails_with_a_column_inside_it(s in "\\PC{0,60}") {
        match Filter::parse(&s) {
            Ok(f) => { f.matches(&article("x", TAGS), now()); }
            Err(e) => {
                prop_assert!(e.column >= 1 && e.column <= s.chars().count() + 1, "{e}");
            }
        }
    }

    #[test]
    fn filter_like_input_never_panics(s in "[()!=~<>#\" a-z0-9:.-]{0,60}") {
        if let Ok(f) = Filter::parse(&s) {
            f.matches(&article("x", TAGS), now());
        }
    }
}
