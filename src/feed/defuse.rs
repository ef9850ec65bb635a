//! Inputs feed-rs 3.0.0 panics on, made safe before it reads a feed (each found here, by
//! fuzzing or by reading its code after fuzzing found the first; `parse_with_feed_rs` also
//! catches any panic, but then the whole feed is lost).
//!
//! **An email beside a multi-byte character in a person field.** `parse_person_name_email`
//! finds an email in the text and slices one byte past it (`&raw[span.end() + 1..]`,
//! `&raw[..span.start() - 1]`) to take the rest as the name, which is not a character boundary
//! when the character next to the email is more than one byte: `«news@example.org»`,
//! `editor@site.ir، محرر`, common in Arabic and Persian feeds
//! (`fuzz/regressions/crash-2fff6ac7…`). It reads RSS `author`, `managingEditor`,
//! `webMaster`, Dublin Core `creator`, iTunes `author` and the owner's `name`, and JSON Feed
//! authors' `name`, by the part of an element's name after its last `:` (so any prefix,
//! and any number of them), the owner's `name` under any prefix bound to the iTunes
//! namespace. A space is put between such an email and the character beside it, in
//! those fields only (where the slice falls, so the name comes out as before, less the panic).
//!
//! **Times written with other digits, or too many.** `parse_npt` (`<itunes:duration>`, Media
//! RSS `time`, `start`, `end`) matches `\d+`, which in Rust's regex is any Unicode digit, then
//! `parse::<u64>().unwrap()`s it: `<itunes:duration>١٢:٣٤</itunes:duration>` (Arabic-Indic
//! digits, as Arabic podcasts write them) panicked, and so did a run of more than 19 digits.
//! In those values Arabic-Indic and Persian digits become ASCII ones (what they mean), other
//! non-ASCII digits a space, and a run of ASCII digits is cut to 15 (no real time has more;
//! 15 cannot overflow its arithmetic).
//!
//! Nothing else in a feed changes, and a feed feed-rs can read is left as it is.

use std::borrow::Cow;
use std::sync::LazyLock;

use regex::Regex;

/// The opening tag of an element feed-rs reads a person from. feed-rs names an element by
/// what follows the last `:` of its name, so any number of prefixes (`crash-eace9a4f…`:
/// `<media:thumbnaa:text>` is a `text`).
static PERSON_TAG: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"<((?:[A-Za-z_][\w.-]*:)*(?:author|creator|managingEditor|webMaster)|itunes:name)(?:\s[^<>]*)?>")
        .expect("a valid regex")
});

/// An iTunes owner's `name`, any prefixes or none: a person once the document binds a prefix,
/// or the default namespace, to the iTunes namespace (which [`ITUNES_NS`] finds).
static NAME_TAG: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"<((?:[A-Za-z_][\w.-]*:)*name)(?:\s[^<>]*)?>").expect("a valid regex")
});
/// The iTunes namespace as feed-rs recognises it (a namespace's value is compared as written).
const ITUNES_NS: &str = "http://www.itunes.com/dtds/podcast-1.0.dtd";

/// An element whose text feed-rs reads as a time (`parse_npt`), any namespace prefix.
static TIME_TAG: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"<(?:[A-Za-z_][\w.-]*:)*duration(?:\s[^<>]*)?>").expect("a valid regex")
});

/// A Media RSS element with time attributes. Its end is the first `>` outside quotes, as
/// quick-xml reads it: a `>` inside a value does not end the tag (`crash-6ed2c431…`, where an
/// unclosed `time="` ran on past the next tags and its value was never made safe).
static TIME_ATTR_TAG: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"<(?:[A-Za-z_][\w.-]*:)*(?:text|thumbnail)\s(?:[^>"']|"[^"]*"|'[^']*')*>"#)
        .expect("a valid regex")
});
/// Where a time attribute's value may open (`start`, `end`, `time`, then `=` and a quote).
static TIME_ATTR: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r#"\b(?:start|end|time)\s*=\s*["']"#).expect("a valid regex"));

/// An XML or HTML numeric character reference.
static CHAR_REF: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"&#(?:[0-9]{1,7}|[xX][0-9a-fA-F]{1,6});").expect("a valid regex"));

/// The XML feed with what feed-rs would panic on made safe (see the module).
pub(super) fn defuse_xml(xml: &str) -> Cow<'_, str> {
    match defuse_times(xml) {
        Cow::Borrowed(xml) => defuse_persons(xml),
        Cow::Owned(fixed) => Cow::Owned(defuse_persons(&fixed).into_owned()),
    }
}

/// The times (see the module): `duration` elements' text, Media RSS time attributes.
fn defuse_times(xml: &str) -> Cow<'_, str> {
    let mut edits: Vec<(usize, usize, String)> = Vec::new();
    let mut scanned = 0;
    for tag in TIME_TAG.find_iter(xml) {
        if tag.end() < scanned {
            continue;
        }
        let end = text_end(xml, tag.end());
        scanned = end;
        if let Some(fixed) = safe_time(&xml[tag.end()..end]) {
            edits.push((tag.end(), end, fixed));
        }
    }
    for tag in TIME_ATTR_TAG.find_iter(xml) {
        for (start, end) in time_values(tag.as_str()) {
            if let Some(fixed) = safe_time(&tag.as_str()[start..end]) {
                edits.push((tag.start() + start, tag.start() + end, fixed));
            }
        }
    }
    if edits.is_empty() {
        return Cow::Borrowed(xml);
    }
    // A time tag's text never holds a tag, so the two kinds of edit do not overlap.
    edits.sort_by_key(|e| e.0);
    let mut out = String::with_capacity(xml.len());
    let mut copied = 0;
    for (start, end, fixed) in edits {
        if start < copied {
            continue;
        }
        out.push_str(&xml[copied..start]);
        out.push_str(&fixed);
        copied = end;
    }
    out.push_str(&xml[copied..]);
    Cow::Owned(out)
}

/// The spans of a tag's text that may be a time attribute's value, merged where they overlap.
/// Every place a value may open counts, also inside another value: which of them quick-xml
/// reads as attributes depends on how it recovers from a broken one, and making a span that
/// is not a time safe changes only digits in it.
fn time_values(tag: &str) -> Vec<(usize, usize)> {
    let mut spans: Vec<(usize, usize)> = Vec::new();
    let mut from = 0;
    while let Some(m) = TIME_ATTR.find_at(tag, from) {
        from = m.start() + 1;
        let quote = tag.as_bytes()[m.end() - 1];
        let end = tag[m.end()..]
            .bytes()
            .position(|b| b == quote)
            .map_or(tag.len(), |n| m.end() + n);
        match spans.last_mut() {
            Some(last) if m.end() <= last.1 => last.1 = last.1.max(end),
            _ => spans.push((m.end(), end)),
        }
    }
    spans
}

/// A time value (element text or attribute value, references not decoded) `parse_npt` can
/// read without panicking; `None` when it can already.
fn safe_time(value: &str) -> Option<String> {
    /// The longest run of ASCII digits kept.
    const MAX_DIGITS: usize = 15;
    let mut out = String::with_capacity(value.len());
    let mut changed = false;
    let mut run = 0;
    let mut rest = value;
    while let Some(c) = rest.chars().next() {
        // A reference to a digit is that digit (feed-rs decodes it before reading the time).
        let (c, len, is_ref) = match char_ref_at_start(rest) {
            Some((d, n)) if d.is_numeric() => (d, n, true),
            _ => (c, c.len_utf8(), false),
        };
        let digit = match c {
            '0'..='9' => Some(c),
            '\u{0660}'..='\u{0669}' => char::from_digit(c as u32 - 0x0660, 10),
            '\u{06F0}'..='\u{06F9}' => char::from_digit(c as u32 - 0x06F0, 10),
            _ => None,
        };
        match digit {
            Some(d) => {
                run += 1;
                if run <= MAX_DIGITS {
                    out.push(d);
                }
                changed |= run > MAX_DIGITS || d != c || is_ref;
            }
            None if !c.is_ascii() && c.is_numeric() => {
                run = 0;
                out.push(' ');
                changed = true;
            }
            None => {
                run = 0;
                out.push_str(&rest[..len]);
            }
        }
        rest = &rest[len..];
    }
    changed.then_some(out)
}

/// The XML feed with the person fields feed-rs would panic on made safe (see the module).
fn defuse_persons(xml: &str) -> Cow<'_, str> {
    // No `@`, also none written as a reference: nothing to do.
    if !xml.contains('@') && !xml.contains("&#") {
        return Cow::Borrowed(xml);
    }
    // Where each person text starts, in order (a `name` is one only with the iTunes namespace).
    let mut starts: Vec<usize> = PERSON_TAG.find_iter(xml).map(|t| t.end()).collect();
    if xml.contains(ITUNES_NS) {
        starts.extend(NAME_TAG.find_iter(xml).map(|t| t.end()));
        starts.sort_unstable();
        starts.dedup();
    }
    let mut out: Option<String> = None;
    let (mut copied, mut scanned) = (0, 0);
    for start in starts {
        // A tag inside the text just read (a CDATA section's) is text: each byte is read
        // once, however many tags a hostile feed puts there.
        if start < scanned {
            continue;
        }
        let end = text_end(xml, start);
        scanned = end;
        if let Some(fixed) = space_emails(&xml[start..end], true) {
            let out = out.get_or_insert_with(|| String::with_capacity(xml.len() + 16));
            out.push_str(&xml[copied..start]);
            out.push_str(&fixed);
            copied = end;
        }
    }
    match out {
        Some(mut out) => {
            out.push_str(&xml[copied..]);
            Cow::Owned(out)
        }
        None => Cow::Borrowed(xml),
    }
}

/// Where an element's text ends as feed-rs reads it: at the first tag that starts or ends an
/// element. feed-rs joins the text, CDATA sections and references up to there into one text,
/// and skips comments and processing instructions inside it.
fn text_end(xml: &str, mut at: usize) -> usize {
    while let Some(lt) = xml[at..].find('<') {
        let lt = at + lt;
        let close = [("<![CDATA[", "]]>"), ("<!--", "-->"), ("<?", "?>")]
            .into_iter()
            .find(|(open, _)| xml[lt..].starts_with(open));
        match close {
            Some((open, close)) => match xml[lt + open.len()..].find(close) {
                Some(n) => at = lt + open.len() + n + close.len(),
                None => return xml.len(),
            },
            None => return lt,
        }
    }
    xml.len()
}

/// The JSON feed with its authors' names made safe (see the module); as it is when none
/// needs it, or when it is not JSON (feed-rs then says why).
pub(super) fn defuse_json(text: &str) -> Cow<'_, str> {
    // No `@`, also none written as an escape (`\u0040`): nothing to do.
    if !text.contains('@') && !text.contains("\\u") {
        return Cow::Borrowed(text);
    }
    let Ok(mut value) = serde_json::from_str::<serde_json::Value>(text) else {
        return Cow::Borrowed(text);
    };
    let mut changed = fix_authors(&mut value);
    if let Some(items) = value.get_mut("items").and_then(|i| i.as_array_mut()) {
        for item in items {
            changed |= fix_authors(item);
        }
    }
    match changed.then(|| serde_json::to_string(&value)) {
        Some(Ok(fixed)) => Cow::Owned(fixed),
        _ => Cow::Borrowed(text),
    }
}

/// `author.name` and every `authors[].name` of a feed or an item.
fn fix_authors(owner: &mut serde_json::Value) -> bool {
    let mut changed = false;
    let mut fix = |person: &mut serde_json::Value| {
        if let Some(serde_json::Value::String(name)) = person.get_mut("name")
            && let Some(fixed) = space_emails(name, false)
        {
            *name = fixed;
            changed = true;
        }
    };
    if let Some(author) = owner.get_mut("author") {
        fix(author);
    }
    if let Some(authors) = owner.get_mut("authors").and_then(|a| a.as_array_mut()) {
        authors.iter_mut().for_each(fix);
    }
    changed
}

/// The text with a space between every email and a multi-byte character right beside it;
/// `None` when there is none. With `xml`, the text is an element's as [`text_end`] cuts it,
/// read as feed-rs reads it: references stand for their character, CDATA sections for their
/// content, comments and processing instructions for nothing.
///
/// Where feed-rs's pattern finds the email does not matter: it lies inside a run of the
/// characters the pattern can match, and holds the `@`. Only a run with an `@` whose first
/// or last character borders a multi-byte one can put the slice feed-rs takes inside that
/// character, so such a run gets a space on that side (`crash-9756df96…`: with the email
/// matched from the first `@` of a run with two, as before, the run's end was missed).
fn space_emails(text: &str, xml: bool) -> Option<String> {
    let mut runs = Runs::default();
    let mut at = 0;
    while at < text.len() {
        let rest = &text[at..];
        if xml && let Some((inner, skip)) = markup_at(rest) {
            // A CDATA section's content is text; the rest of the markup is nothing.
            if let Some((from, to)) = inner {
                for (i, c) in text[at + from..at + to].char_indices() {
                    runs.step(c, at + from + i, at + from + i + c.len_utf8());
                }
            }
            at += skip;
            continue;
        }
        let (c, len) = match xml.then(|| reference_at(rest)).flatten() {
            Some(r) => r,
            None => {
                let c = rest.chars().next().unwrap_or_default();
                (c, c.len_utf8())
            }
        };
        runs.step(c, at, at + len);
        at += len;
    }
    let spaces = runs.finish();
    if spaces.is_empty() {
        return None;
    }
    let mut out = String::with_capacity(text.len() + spaces.len());
    let mut copied = 0;
    for at in spaces {
        out.push_str(&text[copied..at]);
        out.push(' ');
        copied = at;
    }
    out.push_str(&text[copied..]);
    Some(out)
}

/// The runs of email characters in a person text, read one character at a time (see
/// [`space_emails`]), and where spaces go.
#[derive(Default)]
struct Runs {
    /// The run being read: where it starts, whether it has an `@`, whether the character
    /// before it is multi-byte.
    run: Option<(usize, bool, bool)>,
    /// Where the run's last character ends.
    run_end: usize,
    /// Whether the last character read is multi-byte.
    multibyte: bool,
    spaces: Vec<usize>,
}

impl Runs {
    /// Reads `c`, found at `from..to` of the source (longer than `c` for a reference).
    fn step(&mut self, c: char, from: usize, to: usize) {
        if email_char(c) {
            match &mut self.run {
                Some((_, at_sign, _)) => *at_sign |= c == '@',
                None => self.run = Some((from, c == '@', self.multibyte)),
            }
            self.run_end = to;
        } else if let Some((start, true, before)) = self.run.take() {
            if before {
                self.spaces.push(start);
            }
            if !c.is_ascii() {
                self.spaces.push(self.run_end);
            }
        } else {
            self.run = None;
        }
        self.multibyte = !c.is_ascii();
    }

    /// Where spaces go, in order.
    fn finish(mut self) -> Vec<usize> {
        if let Some((start, true, true)) = self.run {
            self.spaces.push(start);
        }
        self.spaces
    }
}

/// What feed-rs's email pattern can match: the address and its delimiters (`<[(`, `>])`,
/// `mailto:`).
fn email_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || "._%+-@<>[]():".contains(c)
}

/// Markup at the start of an element's text: a CDATA section (the span of its content), a
/// comment or a processing instruction (none), and its length; unclosed, it runs to the end.
#[allow(clippy::type_complexity)]
fn markup_at(text: &str) -> Option<(Option<(usize, usize)>, usize)> {
    let (open, close, content) = [
        ("<![CDATA[", "]]>", true),
        ("<!--", "-->", false),
        ("<?", "?>", false),
    ]
    .into_iter()
    .find(|(open, _, _)| text.starts_with(open))?;
    let (end, skip) = match text[open.len()..].find(close) {
        Some(n) => (open.len() + n, open.len() + n + close.len()),
        None => (text.len(), text.len()),
    };
    Some((content.then_some((open.len(), end)), skip))
}

/// A reference at the start of XML text, as feed-rs resolves it: a character reference or
/// one of the five predefined entities, with its length.
fn reference_at(text: &str) -> Option<(char, usize)> {
    if !text.starts_with('&') {
        return None;
    }
    if let Some(r) = char_ref_at_start(text) {
        return Some(r);
    }
    [
        ("&lt;", '<'),
        ("&gt;", '>'),
        ("&amp;", '&'),
        ("&apos;", '\''),
        ("&quot;", '"'),
    ]
    .into_iter()
    .find(|(name, _)| text.starts_with(name))
    .map(|(name, c)| (c, name.len()))
}

/// The character a reference at the very start of `text` stands for, and its length. Only
/// the first 12 bytes are looked at: a search of the whole rest for each email or digit
/// would be quadratic.
fn char_ref_at_start(text: &str) -> Option<(char, usize)> {
    if !text.starts_with("&#") {
        return None;
    }
    let head = text.get(..12.min(text.len())).or_else(|| {
        // Cut inside a character: the reference (ASCII) ends before it anyway.
        (1..12).rev().find_map(|n| text.get(..n))
    })?;
    CHAR_REF
        .find(head)
        .filter(|m| m.start() == 0)
        .and_then(|m| Some((ref_char(m.as_str())?, m.end())))
}

/// `&#171;` / `&#xAB;` -> '«'.
fn ref_char(r: &str) -> Option<char> {
    let digits = r.strip_prefix("&#")?.strip_suffix(';')?;
    let n = match digits.strip_prefix(['x', 'X']) {
        Some(hex) => u32::from_str_radix(hex, 16).ok()?,
        None => digits.parse().ok()?,
    };
    char::from_u32(n)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_email_beside_a_multibyte_character_gets_a_space_and_nothing_else_changes() {
        assert_eq!(
            space_emails("«news@example.org»", false).as_deref(),
            Some("« news@example.org »")
        );
        assert_eq!(
            space_emails("editor@site.ir، محرر", false).as_deref(),
            Some("editor@site.ir ، محرر")
        );
        assert_eq!(
            space_emails("&#171;a@b.cc&#xbb; x", true).as_deref(),
            Some("&#171; a@b.cc &#xbb; x")
        );
        // Already safe: ASCII beside the email, or a reference to an ASCII character.
        for safe in [
            "news@example.org (محرر)",
            "محرر <news@example.org>",
            "&#60;a@b.cc&#62;",
            "no email here «»",
        ] {
            assert_eq!(space_emails(safe, true), None, "{safe}");
        }
    }

    #[test]
    fn the_run_around_an_email_is_what_counts_wherever_feed_rs_finds_it() {
        // Two `@` in one run: feed-rs's pattern finds the address after the second, and its
        // end borders the quote mark (`crash-9756df96…`).
        assert_eq!(
            space_emails("HH@HHnews@example.org“x", false).as_deref(),
            Some("HH@HHnews@example.org “x")
        );
        // Read as feed-rs reads XML text: a reference, a CDATA section, a comment.
        assert_eq!(
            space_emails("news&#64;example.org&#187;", true).as_deref(),
            Some("news&#64;example.org &#187;")
        );
        assert_eq!(
            space_emails("«<![CDATA[a@b.cc]]><!-- c -->»", true).as_deref(),
            Some("«<![CDATA[ a@b.cc ]]><!-- c -->»")
        );
        assert_eq!(
            space_emails("&lt;a@b.cc&gt;«", true).as_deref(),
            Some("&lt;a@b.cc&gt; «"),
            "the delimiters are in the run"
        );
        // A run without `@` is a name, left as it is.
        assert_eq!(space_emails("John’s desk «a» (محرر)", true), None);
        assert_eq!(text_end("a<!-- <b> -->c<?pi <x>?>d</author>", 0), 25);
    }

    #[test]
    fn only_person_elements_of_an_xml_feed_are_touched() {
        let xml = "<rss><channel><managingEditor>«m@e.org»</managingEditor><item>\
                   <title>«t@e.org»</title><author>«a@e.org»</author>\
                   <dc:creator><![CDATA[x«c@e.org»]]></dc:creator></item></channel></rss>";
        assert_eq!(
            defuse_xml(xml),
            "<rss><channel><managingEditor>« m@e.org »</managingEditor><item>\
             <title>«t@e.org»</title><author>« a@e.org »</author>\
             <dc:creator><![CDATA[x« c@e.org »]]></dc:creator></item></channel></rss>"
        );
        let safe = "<rss><channel><item><author>a@e.org (A)</author></item></channel></rss>";
        assert!(matches!(defuse_xml(safe), Cow::Borrowed(_)));
    }

    #[test]
    fn tags_inside_a_cdata_section_are_read_once_and_many_emails_cost_each_their_own() {
        // 200,000 author tags inside one element's CDATA: read as its text, once.
        let inner = "<author>".repeat(200_000);
        let xml = format!("<rss><author><![CDATA[{inner}«a@e.org»]]></author></rss>");
        let fixed = defuse_xml(&xml);
        assert!(fixed.ends_with("« a@e.org »]]></author></rss>"));
        assert_eq!(fixed.len(), xml.len() + 2);
        // 100,000 emails in one author text, none beside a reference.
        let text = "a@e.org ".repeat(100_000) + "«b@e.org";
        assert_eq!(space_emails(&text, true).unwrap().len(), text.len() + 1);
    }

    #[test]
    fn times_in_other_digits_or_too_many_become_what_feed_rs_can_read() {
        assert_eq!(safe_time("١٢:٣٤:٥٦").as_deref(), Some("12:34:56"));
        assert_eq!(safe_time("۱۲۳").as_deref(), Some("123"));
        assert_eq!(safe_time("&#1633;&#x662;:30").as_deref(), Some("12:30"));
        assert_eq!(safe_time("1.٥").as_deref(), Some("1.5"));
        assert_eq!(
            safe_time("1\u{0967}2").as_deref(),
            Some("1 2"),
            "Devanagari one"
        );
        assert_eq!(
            safe_time("99999999999999999999999").as_deref(),
            Some("999999999999999")
        );
        for fine in ["12:34:56", "345", "01:02:03.5", "", "1 hour", "&amp;"] {
            assert_eq!(safe_time(fine), None, "{fine}");
        }
        let xml = r#"<item><itunes:duration>١٢:٣٤</itunes:duration><title>١٢</title><media:thumbnail url="u" time="٣"/><media:text start='1' end="۲">٣</media:text></item>"#;
        assert_eq!(
            defuse_xml(xml),
            r#"<item><itunes:duration>12:34</itunes:duration><title>١٢</title><media:thumbnail url="u" time="3"/><media:text start='1' end="2">٣</media:text></item>"#
        );
    }

    #[test]
    fn a_time_value_is_found_where_quick_xml_reads_it() {
        // `>` inside a value does not end the tag; a value opening inside another is made
        // safe too; what is not a time value is left alone.
        let xml = r#"<media:thumbnail url="https://e.org/١.jpg" time="١>٢"/><media:text alt='x time="٣' end="٤">٥</media:text>"#;
        assert_eq!(
            defuse_xml(xml),
            r#"<media:thumbnail url="https://e.org/١.jpg" time="1>2"/><media:text alt='x time="3' end="4">٥</media:text>"#
        );
        assert_eq!(time_values(r#"<t a='end="1' b="2"'>"#), [(11, 16)]);
        assert_eq!(
            time_values(r#"<t start="x time='1' y">"#),
            [(10, 22)],
            "the inner value is inside the outer: one span"
        );
        assert_eq!(
            time_values(r#"<t time="1"#),
            [(9, 10)],
            "unclosed: to the end"
        );
    }

    #[test]
    fn json_feed_authors_names_are_made_safe() {
        let json = r#"{"version":"https://jsonfeed.org/version/1.1","title":"«t@e.org»",
            "authors":[{"name":"«a@e.org»"}],
            "items":[{"id":"1","author":{"name":"b@e.org،"},"content_text":"«c@e.org»"}]}"#;
        let fixed: serde_json::Value = serde_json::from_str(&defuse_json(json)).unwrap();
        assert_eq!(fixed["authors"][0]["name"], "« a@e.org »");
        assert_eq!(fixed["items"][0]["author"]["name"], "b@e.org ،");
        assert_eq!(fixed["title"], "«t@e.org»");
        assert_eq!(fixed["items"][0]["content_text"], "«c@e.org»");
    }
}
