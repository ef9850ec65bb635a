//! `S` and `|` (issue 11): the open article saved as Markdown or plain text (title, meta
//! line, body from the reader's document, numbered links) to a new file in `save_dir`, never
//! over another; piped as plain text to the `pipe` command (argv, no shell). The app asks
//! with `Cmd::Export`, the runtime's `save::run` does it, the answer comes back as a notice.

use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};

use akhbar::app::{App, AppOptions, Cmd, ReaderOptions};
use akhbar::config::Config;
use akhbar::model::Direction;
use akhbar::runtime::save;
use akhbar::store::Store;
use akhbar::text::BidiMode;
use akhbar::view::SaveFormat;
use crossterm::event::KeyCode;

use crate::support::app::{item, options, resize, send};
use crate::support::builders::{code, key, parsed_feed};

const ENGLISH: &str = "<h2>Background</h2>\
    <p>The <strong>council</strong> met on <em>Tuesday</em>; see \
    <a href=\"https://example.org/minutes\">the minutes</a> and <code>rule_7</code>.</p>\
    <ul><li>First point</li><li>Second point<ol><li>nested</li></ol></li></ul>\
    <blockquote><p>A quote.</p><p>Its second paragraph.</p></blockquote>\
    <pre>let x = 1;\nlet y = 2;</pre>\
    <p>Line one<br>line two.</p>";

/// Arabic with an isolated Latin name (FSI .. PDI), a right-to-left mark, and an escape
/// sequence the sanitizer must have taken out at ingest.
const ARABIC: &str = "<p>قال \u{2068}Reuters\u{2069} إن الخبر\u{200F} صحيح \u{1b}[31mاليوم.</p>\
    <p>اقرأ <a href=\"https://example.org/ar-link\">التفاصيل</a>.</p>";

fn store() -> Store {
    let mut s = Store::new();
    let f = s.add_feed(
        "http://127.0.0.1:1/x.xml",
        Some("Wire"),
        vec![],
        Direction::Auto,
    );
    let mut en = item(
        "e1",
        "Council: the vote / the result",
        10,
        Some("https://example.org/en"),
        ENGLISH,
    );
    en.author = Some("Jo Smith".into());
    let ar = item(
        "a1",
        "خبر \u{1b}[2J عاجل",
        9,
        Some("https://example.org/ar"),
        ARABIC,
    );
    s.ingest(f, parsed_feed(vec![en, ar]), chrono::Utc::now());
    s
}

fn app(dir: &Path, format: SaveFormat, pipe: Vec<String>) -> App {
    let mut app = App::new(AppOptions {
        reader: ReaderOptions {
            save_dir: dir.to_path_buf(),
            save_format: format,
            pipe,
            ..ReaderOptions::default()
        },
        ..options(store(), BidiMode::App)
    });
    resize(&mut app, 80, 24);
    app
}

/// Opens headline `row` in the reader.
fn open(app: &mut App, row: usize) {
    send(app, key('g'));
    for _ in 0..row {
        send(app, key('j'));
    }
    send(app, code(KeyCode::Enter));
    assert!(app.reader().is_some());
}

/// Presses `k`, runs the export it asks for as the runtime does, and gives the answer to
/// the app; returns the status line's message.
fn export(app: &mut App, k: char) -> String {
    let cmds = send(app, key(k));
    let jobs: Vec<_> = cmds
        .into_iter()
        .filter_map(|c| match c {
            Cmd::Export(job) => Some(job),
            _ => None,
        })
        .collect();
    for job in jobs {
        let answer = save::run(*job);
        send(app, answer);
    }
    app.status_message().unwrap_or_default().to_string()
}

fn saved_path(notice: &str) -> PathBuf {
    PathBuf::from(
        notice
            .strip_prefix("saved to ")
            .unwrap_or_else(|| panic!("not saved: {notice}")),
    )
}

#[test]
fn an_english_article_is_saved_as_markdown() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = app(dir.path(), SaveFormat::Markdown, vec![]);
    open(&mut app, 0);
    let path = saved_path(&export(&mut app, 'S'));
    assert_eq!(path, dir.path().join("Council- the vote - the result.md"));
    let text = std::fs::read_to_string(&path).unwrap();
    let expected = "\
# Council: the vote / the result

Wire · Jo Smith · 2026-11-20 10:00

## Background

The **council** met on *Tuesday*; see the minutes[1] and `rule_7`.

- First point
- Second point
   1. nested

> A quote.
>
> Its second paragraph.

```
let x = 1;
let y = 2;
```

Line one\\
line two.

## Links

- [o] <https://example.org/en>
- [1] <https://example.org/minutes>
";
    assert_eq!(text, expected);
}

#[test]
fn the_same_article_as_plain_text() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = app(dir.path(), SaveFormat::Text, vec![]);
    open(&mut app, 0);
    let path = saved_path(&export(&mut app, 'S'));
    assert_eq!(path.extension().unwrap(), "txt");
    let text = std::fs::read_to_string(&path).unwrap();
    let expected = "\
Council: the vote / the result

Wire · Jo Smith · 2026-11-20 10:00

Background

The council met on Tuesday; see the minutes[1] and rule_7.

• First point
• Second point
   1. nested

> A quote.
>
> Its second paragraph.

let x = 1;
let y = 2;

Line one
line two.

Links
[o] https://example.org/en
[1] https://example.org/minutes
";
    assert_eq!(text, expected);
}

#[test]
fn an_arabic_article_keeps_its_bidi_marks_and_loses_every_escape() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = app(dir.path(), SaveFormat::Markdown, vec![]);
    open(&mut app, 1);
    let path = saved_path(&export(&mut app, 'S'));
    let name = path.file_name().unwrap().to_str().unwrap().to_string();
    assert_eq!(name, "خبر [2J عاجل.md");
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(!text.contains('\u{1b}'), "no escape in the file: {text:?}");
    assert!(
        !text.chars().any(|c| c.is_control() && c != '\n'),
        "{text:?}"
    );
    assert!(
        text.contains("قال \u{2068}Reuters\u{2069} إن الخبر\u{200F} صحيح"),
        "the isolate and the mark as the text has them: {text:?}"
    );
    assert!(
        text.starts_with("# خبر [2J عاجل\n\nWire · 2026-11-20 09:00\n\n"),
        "{text:?}"
    );
    assert!(text.contains("اقرأ التفاصيل[1]."), "{text:?}");
    assert!(text.ends_with(
        "## Links\n\n- [o] <https://example.org/ar>\n- [1] <https://example.org/ar-link>\n"
    ));
}

#[test]
fn a_second_save_never_overwrites_the_first() {
    let dir = tempfile::tempdir().unwrap();
    let mine = dir.path().join("Council- the vote - the result.md");
    std::fs::write(&mine, "my own notes").unwrap();
    let mut app = app(dir.path(), SaveFormat::Markdown, vec![]);
    open(&mut app, 0);
    let first = saved_path(&export(&mut app, 'S'));
    let second = saved_path(&export(&mut app, 'S'));
    assert_eq!(
        first,
        dir.path().join("Council- the vote - the result-1.md")
    );
    assert_eq!(
        second,
        dir.path().join("Council- the vote - the result-2.md")
    );
    assert_eq!(std::fs::read_to_string(&mine).unwrap(), "my own notes");
    assert_eq!(
        std::fs::read_to_string(&first).unwrap(),
        std::fs::read_to_string(&second).unwrap()
    );
}

#[test]
fn a_directory_that_cannot_be_written_is_a_notice() {
    let dir = tempfile::tempdir().unwrap();
    // A file where the directory should be: no one, root included, can make it.
    let file = dir.path().join("a-file");
    std::fs::write(&file, "x").unwrap();
    let mut app = app(&file.join("articles"), SaveFormat::Markdown, vec![]);
    open(&mut app, 0);
    let notice = export(&mut app, 'S');
    assert!(notice.starts_with("not saved: "), "{notice}");
    assert!(notice.contains("a-file/articles"), "{notice}");
    assert!(app.reader().is_some(), "the reader stays open");
}

#[test]
fn a_save_dir_that_is_missing_is_made() {
    let dir = tempfile::tempdir().unwrap();
    let deep = dir.path().join("one/two");
    let mut app = app(&deep, SaveFormat::Text, vec![]);
    open(&mut app, 0);
    let path = saved_path(&export(&mut app, 'S'));
    assert_eq!(path.parent().unwrap(), deep);
}

/// A script that copies its standard input to the file named by its first argument.
fn recorder(dir: &Path) -> PathBuf {
    let script = dir.join("record.sh");
    std::fs::write(&script, "#!/bin/sh\ncat > \"$1\"\n").unwrap();
    std::fs::set_permissions(&script, std::fs::Permissions::from_mode(0o755)).unwrap();
    script
}

#[test]
fn the_pipe_command_gets_the_article_as_plain_text_on_its_input() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("piped.txt");
    let argv = vec![
        recorder(dir.path()).display().to_string(),
        out.display().to_string(),
    ];
    let mut app = app(dir.path(), SaveFormat::Markdown, argv.clone());
    open(&mut app, 1);
    let notice = export(&mut app, '|');
    assert_eq!(notice, format!("piped the article to {}", argv[0]));
    let piped = std::fs::read_to_string(&out).unwrap();
    assert!(piped.starts_with("خبر [2J عاجل\n\nWire · "), "{piped:?}");
    assert!(piped.contains("اقرأ التفاصيل[1]."));
    assert!(
        piped.ends_with("\nLinks\n[o] https://example.org/ar\n[1] https://example.org/ar-link\n")
    );
    assert!(!piped.contains('\u{1b}'));
    assert!(
        !dir.path().read_dir().unwrap().any(|e| e
            .unwrap()
            .path()
            .extension()
            .is_some_and(|x| x == "md")),
        "a pipe saves no file"
    );
}

#[test]
fn a_failing_pipe_command_says_why() {
    let dir = tempfile::tempdir().unwrap();
    let script = dir.path().join("fail.sh");
    std::fs::write(
        &script,
        "#!/bin/sh\ncat >/dev/null\necho 'no space left' >&2\nexit 3\n",
    )
    .unwrap();
    std::fs::set_permissions(&script, std::fs::Permissions::from_mode(0o755)).unwrap();
    let mut app = app(
        dir.path(),
        SaveFormat::Markdown,
        vec![script.display().to_string()],
    );
    open(&mut app, 0);
    let notice = export(&mut app, '|');
    assert!(notice.contains("exit status: 3"), "{notice}");
    assert!(notice.ends_with("no space left"), "{notice}");
    // A command that is not there.
    let mut app = app_missing(dir.path());
    open(&mut app, 0);
    let notice = export(&mut app, '|');
    assert!(notice.contains("not started"), "{notice}");
}

fn app_missing(dir: &Path) -> App {
    app(
        dir,
        SaveFormat::Markdown,
        vec![dir.join("no-such-program").display().to_string()],
    )
}

#[test]
fn without_a_pipe_command_the_key_says_how_to_set_one() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = app(dir.path(), SaveFormat::Markdown, vec![]);
    open(&mut app, 0);
    let cmds = send(&mut app, key('|'));
    assert!(!cmds.iter().any(|c| matches!(c, Cmd::Export(_))));
    assert!(app.status_message().unwrap().contains("pipe = ["));
}

#[test]
fn outside_the_reader_s_saves_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = app(dir.path(), SaveFormat::Markdown, vec!["cat".into()]);
    for k in ['S', '|'] {
        let cmds = send(&mut app, key(k));
        assert!(!cmds.iter().any(|c| matches!(c, Cmd::Export(_))), "{k}");
    }
}

#[test]
fn the_reader_settings_are_validated_with_line_and_key() {
    let parse = |text: &str| Config::parse(Path::new("c.toml"), text);
    let c = parse("reader_width = 64\nsave_dir = \"/tmp/a\"\nsave_format = \"text\"\npipe = [\"wc\", \"-w\"]\n")
        .unwrap();
    assert_eq!(c.reader.reader_width, 64);
    assert_eq!(c.reader.save_dir, Some(PathBuf::from("/tmp/a")));
    assert_eq!(c.reader.save_format, SaveFormat::Text);
    assert_eq!(c.reader.pipe, ["wc", "-w"]);
    let d = Config::defaults();
    assert_eq!(
        (
            d.reader.reader_width,
            d.reader.save_format,
            d.reader.pipe.len()
        ),
        (80, SaveFormat::Markdown, 0)
    );
    for (text, line, key) in [
        ("mouse = true\nreader_width = 5\n", 2, "reader_width"),
        ("reader_width = 5000\n", 1, "reader_width"),
        ("\npipe = []\n", 2, "pipe"),
        ("pipe = [\"\"]\n", 1, "pipe"),
        ("save_dir = \"\"\n", 1, "save_dir"),
        ("save_format = \"pdf\"\n", 1, "save_format"),
    ] {
        let err = parse(text).unwrap_err().to_string();
        assert!(
            err.contains(&format!("line {line}")) && err.contains(&format!("`{key}`")),
            "{text:?}: {err}"
        );
    }
}
