//! Themes: `theme` / `[theme]` in the config (valid, invalid with file, line and key, shipped
//! and file themes), screens rendered with a theme, with `NO_COLOR`, and colours brought
//! down to what the terminal announces.

use std::path::Path;

use akhbar::config::Config;
use akhbar::view::theme::{self, ColorSupport, Element, Theme, has_color};
use crossterm::event::KeyCode;
use ratatui::buffer::Buffer;
use ratatui::style::{Color, Modifier, Style};

use crate::support::app::{app, render, send};
use crate::support::builders::code;

fn parse(text: &str) -> Result<Config, String> {
    Config::parse(Path::new("/home/u/.config/akhbar/config.toml"), text).map_err(|e| e.to_string())
}

#[test]
fn a_theme_table_patches_the_default_palette() {
    let c = parse(
        "[theme]\nselected = \"black on cyan bold\"\nunread = \"#ffffff italic\"\nlink = \"33\"\n",
    )
    .unwrap();
    let t = &c.theme;
    assert_eq!(
        t.get(Element::Selected),
        Style::new()
            .fg(Color::Black)
            .bg(Color::Cyan)
            .add_modifier(Modifier::BOLD)
    );
    assert_eq!(
        t.get(Element::Unread),
        Style::new()
            .fg(Color::Rgb(255, 255, 255))
            .add_modifier(Modifier::ITALIC)
    );
    assert_eq!(t.get(Element::Link), Style::new().fg(Color::Indexed(33)));
    assert_eq!(
        t.get(Element::Feed),
        Theme::default().get(Element::Feed),
        "what the table leaves out keeps the default"
    );
}

#[test]
fn a_shipped_theme_is_picked_by_name_and_patched_by_the_table() {
    let light = parse("theme = \"light\"\n").unwrap().theme;
    assert_ne!(light, Theme::default());
    assert_eq!(
        light.get(Element::Selected).bg,
        Some(Color::Rgb(0x1a, 0x73, 0xe8))
    );
    let patched = parse("[theme]\nbase = \"light\"\nerror = \"red\"\n")
        .unwrap()
        .theme;
    assert_eq!(patched.get(Element::Error), Style::new().fg(Color::Red));
    assert_eq!(patched.get(Element::Selected), light.get(Element::Selected));
    let mono = parse("theme = \"mono\"\n").unwrap().theme;
    assert!(Element::ALL.iter().all(|&e| !has_color(mono.get(e))));
}

#[test]
fn a_theme_file_is_read_relative_to_the_config() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("mine.toml"), "status = \"white on blue\"\n").unwrap();
    let path = dir.path().join("config.toml");
    let c = Config::parse(&path, "theme = \"mine.toml\"\n").unwrap();
    assert_eq!(
        c.theme.get(Element::Status),
        Style::new().fg(Color::Gray).bg(Color::Blue)
    );
    std::fs::write(
        dir.path().join("bad.toml"),
        "# mine\n\nstatus = \"white on\"\n",
    )
    .unwrap();
    let e = Config::parse(&path, "theme = \"bad.toml\"\n")
        .unwrap_err()
        .to_string();
    assert!(e.contains("bad.toml, line 3, key `status`:"), "{e}");
    let e = Config::parse(&path, "theme = \"missing.toml\"\n")
        .unwrap_err()
        .to_string();
    assert!(e.contains("missing.toml: cannot read"), "{e}");
}

#[test]
fn a_bad_colour_names_the_line_and_the_key() {
    let e = parse("bidi = \"app\"\n\n[theme]\nunread = \"bold\"\nselected = \"purple on black\"\n")
        .unwrap_err();
    assert!(
        e.starts_with("/home/u/.config/akhbar/config.toml, line 5, key `selected`:"),
        "{e}"
    );
    assert!(e.contains("`purple` is not a colour"), "{e}");
}

#[test]
fn bad_theme_entries_are_errors_that_say_what_is_wrong() {
    let cases = [
        (
            "[theme]\nselcted = \"bold\"\n",
            2,
            "selcted",
            "no theme element",
        ),
        ("[theme]\nlink = \"300\"\n", 2, "link", "0 to 255"),
        ("[theme]\nlink = \"#12\"\n", 2, "link", "#rrggbb"),
        ("[theme]\nlink = \"bold blue\"\n", 2, "link", "out of place"),
        ("[theme]\nlink = 3\n", 2, "link", "a style is a string"),
        ("\ntheme = \"neon\"\n", 2, "theme", "no theme `neon`"),
        (
            "[theme]\nbase = \"neon\"\n",
            2,
            "base",
            "the shipped themes are",
        ),
    ];
    for (text, line, key, says) in cases {
        let e = parse(text).unwrap_err();
        assert!(
            e.contains(&format!("line {line}, key `{key}`:")),
            "{text:?}: {e}"
        );
        assert!(e.contains(says), "{text:?}: {e}");
    }
}

fn colours_in(buf: &Buffer) -> usize {
    buf.content()
        .iter()
        .filter(|c| c.fg != Color::Reset || c.bg != Color::Reset)
        .count()
}

#[test]
fn a_screen_renders_with_the_theme_it_is_given() {
    let mut t = Theme::default();
    t.set(
        Element::Status,
        Style::new().fg(Color::Black).bg(Color::Rgb(1, 2, 3)),
    );
    t.set(Element::Ticker, Style::new().bg(Color::Indexed(99)));
    let buf = theme::scoped(t, || render(&app(), 80, 24));
    assert_eq!(buf[(0, 23)].bg, Color::Rgb(1, 2, 3), "the status line");
    assert_eq!(buf[(0, 0)].bg, Color::Indexed(99), "the ticker");
}

#[test]
fn no_color_leaves_no_colour_in_the_buffer_but_keeps_the_selection() {
    for base in ["default", "dark", "light"] {
        let t = parse(&format!("theme = \"{base}\"\n"))
            .unwrap()
            .theme
            .for_terminal(ColorSupport::None);
        let (lists, reader) = theme::scoped(t, || {
            let mut a = app();
            let lists = render(&a, 80, 24);
            send(&mut a, code(KeyCode::Enter));
            (lists, render(&a, 80, 24))
        });
        assert!(
            colours_in(&render(&app(), 80, 24)) > 0,
            "the default has colour"
        );
        assert_eq!(colours_in(&lists), 0, "{base}: lists");
        assert_eq!(colours_in(&reader), 0, "{base}: reader");
        let reversed = lists
            .content()
            .iter()
            .filter(|c| c.modifier.contains(Modifier::REVERSED))
            .count();
        assert!(
            reversed >= 80,
            "{base}: the selection and the bars stay visible"
        );
    }
}

#[test]
fn truecolor_themes_come_down_to_what_the_terminal_announces() {
    let dark = parse("theme = \"dark\"\n").unwrap().theme;
    let c256 = dark.clone().for_terminal(ColorSupport::Ansi256);
    let c16 = dark.clone().for_terminal(ColorSupport::Ansi16);
    for &e in Element::ALL {
        for c in [c256.get(e).fg, c256.get(e).bg].into_iter().flatten() {
            assert!(!matches!(c, Color::Rgb(..)), "{}: {c:?} in 256", e.name());
        }
        for c in [c16.get(e).fg, c16.get(e).bg].into_iter().flatten() {
            assert!(
                !matches!(c, Color::Rgb(..) | Color::Indexed(_)),
                "{}: {c:?} in 16",
                e.name()
            );
        }
    }
    assert_eq!(dark.clone().for_terminal(ColorSupport::TrueColor), dark);
    // The dark theme's red ticker stays red, its grey status bar stays light.
    assert_eq!(c16.get(Element::Ticker).bg, Some(Color::Red));
    assert_eq!(c16.get(Element::Status).bg, Some(Color::Gray));
}
