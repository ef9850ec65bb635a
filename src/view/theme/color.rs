//! Style strings (`"yellow on #202020 bold"`) and colours as the terminal can show them:
//! truecolor brought down to 256 or 16 colours, or none at all (`NO_COLOR`).

use ratatui::style::{Color, Modifier, Style};

use super::MODIFIERS;

/// The 16 named colours in ANSI order, with their names in a style string.
const NAMED: [(&str, Color); 16] = [
    ("black", Color::Black),
    ("red", Color::Red),
    ("green", Color::Green),
    ("yellow", Color::Yellow),
    ("blue", Color::Blue),
    ("magenta", Color::Magenta),
    ("cyan", Color::Cyan),
    ("white", Color::Gray),
    ("bright-black", Color::DarkGray),
    ("bright-red", Color::LightRed),
    ("bright-green", Color::LightGreen),
    ("bright-yellow", Color::LightYellow),
    ("bright-blue", Color::LightBlue),
    ("bright-magenta", Color::LightMagenta),
    ("bright-cyan", Color::LightCyan),
    ("bright-white", Color::White),
];

/// xterm's values for the 16 colours, to find the nearest one.
const NAMED_RGB: [(u8, u8, u8); 16] = [
    (0, 0, 0),
    (205, 0, 0),
    (0, 205, 0),
    (205, 205, 0),
    (0, 0, 238),
    (205, 0, 205),
    (0, 205, 205),
    (229, 229, 229),
    (127, 127, 127),
    (255, 0, 0),
    (0, 255, 0),
    (255, 255, 0),
    (92, 92, 255),
    (255, 0, 255),
    (0, 255, 255),
    (255, 255, 255),
];

/// The levels of the 6x6x6 cube of the 256-colour palette.
const CUBE: [u8; 6] = [0, 95, 135, 175, 215, 255];

/// One colour: a name (`red`, `bright-red`, `default`), `0`-`255` or `#rrggbb`.
pub fn parse_color(word: &str) -> Result<Color, String> {
    let w = word.to_ascii_lowercase();
    if w == "default" {
        return Ok(Color::Reset);
    }
    if let Some((_, c)) = NAMED.iter().find(|(n, _)| *n == w) {
        return Ok(*c);
    }
    if let Some(hex) = w.strip_prefix('#') {
        if hex.len() == 6 && hex.bytes().all(|b| b.is_ascii_hexdigit()) {
            let v = u32::from_str_radix(hex, 16).map_err(|e| e.to_string())?;
            let [_, r, g, b] = v.to_be_bytes();
            return Ok(Color::Rgb(r, g, b));
        }
        return Err(format!("`{word}` is not a colour: write #rrggbb"));
    }
    if w.bytes().all(|b| b.is_ascii_digit()) && !w.is_empty() {
        return match w.parse::<u8>() {
            Ok(n) => Ok(Color::Indexed(n)),
            Err(_) => Err(format!(
                "`{word}` is not a colour: numbers go from 0 to 255"
            )),
        };
    }
    Err(format!(
        "`{word}` is not a colour: write a name (black, red, green, yellow, blue, magenta, \
         cyan, white, bright-black .. bright-white, default), 0-255 or #rrggbb"
    ))
}

/// `"FG on BG [bold] [italic] [underline] [reverse] [dim]"`: every part optional
/// (`"on blue"`, `"bold"`, `"red"`), the words in any case.
pub fn parse_style(spec: &str) -> Result<Style, String> {
    let mut style = Style::new();
    let mut words = spec.split_whitespace().peekable();
    let mut seen_fg = false;
    let mut seen_bg = false;
    let mut seen_modifier = false;
    while let Some(word) = words.next() {
        let lower = word.to_ascii_lowercase();
        if lower == "on" {
            let Some(bg) = words.next() else {
                return Err(format!("`{spec}`: `on` needs a background colour after it"));
            };
            if seen_bg {
                return Err(format!("`{spec}`: two backgrounds"));
            }
            style = style.bg(parse_color(bg)?);
            seen_bg = true;
        } else if let Some((_, m)) = MODIFIERS.iter().find(|(n, _)| *n == lower) {
            style = style.add_modifier(*m);
            seen_modifier = true;
        } else if !seen_fg && !seen_bg && !seen_modifier {
            style = style.fg(parse_color(word)
                .map_err(|e| format!("{e}; or a style: bold, italic, underline, reverse, dim"))?);
            seen_fg = true;
        } else {
            return Err(format!(
                "`{spec}`: `{word}` is out of place; write \"FG on BG bold italic underline \
                 reverse dim\", each part optional"
            ));
        }
    }
    Ok(style)
}

/// What colours the terminal shows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ColorSupport {
    /// 24-bit colour (`COLORTERM=truecolor`, a `-direct` terminfo entry).
    TrueColor,
    /// The 256-colour palette (`TERM=*-256color`).
    Ansi256,
    /// The 16 named colours.
    Ansi16,
    /// No colour: `NO_COLOR` is set (https://no-color.org).
    None,
}

impl ColorSupport {
    /// From the environment: `NO_COLOR` (non-empty) first, then `COLORTERM`, then `TERM`.
    pub fn from_env() -> ColorSupport {
        ColorSupport::detect(|k| std::env::var(k).ok())
    }

    /// As [`ColorSupport::from_env`], with the variables from `var`.
    pub fn detect(var: impl Fn(&str) -> Option<String>) -> ColorSupport {
        if var("NO_COLOR").is_some_and(|v| !v.is_empty()) {
            return ColorSupport::None;
        }
        let colorterm = var("COLORTERM").unwrap_or_default().to_ascii_lowercase();
        if colorterm == "truecolor" || colorterm == "24bit" {
            return ColorSupport::TrueColor;
        }
        let term = var("TERM").unwrap_or_default().to_ascii_lowercase();
        if term.ends_with("-direct") {
            ColorSupport::TrueColor
        } else if term.contains("256color") {
            ColorSupport::Ansi256
        } else {
            ColorSupport::Ansi16
        }
    }

    /// `style` as this terminal can show it.
    pub fn adapt(self, style: Style) -> Style {
        if self == ColorSupport::None {
            // Without colours a bar (status line, ticker, a match) keeps apart by reversing.
            let had_bg = style.bg.is_some_and(|c| c != Color::Reset);
            let mut s = style;
            s.fg = None;
            s.bg = None;
            s.underline_color = None;
            if had_bg {
                s = s.add_modifier(Modifier::REVERSED);
            }
            return s;
        }
        let mut s = style;
        s.fg = s.fg.map(|c| self.color(c));
        s.bg = s.bg.map(|c| self.color(c));
        s.underline_color = s.underline_color.map(|c| self.color(c));
        s
    }

    /// One colour as this terminal can show it.
    pub fn color(self, c: Color) -> Color {
        match (self, c) {
            (ColorSupport::TrueColor, c) => c,
            (ColorSupport::Ansi256, Color::Rgb(r, g, b)) => Color::Indexed(to_256(r, g, b)),
            (ColorSupport::Ansi16, Color::Rgb(r, g, b)) => nearest_named(r, g, b),
            (ColorSupport::Ansi16, Color::Indexed(n)) => match NAMED.get(usize::from(n)) {
                Some((_, named)) => *named,
                None => {
                    let (r, g, b) = rgb_of_256(n);
                    nearest_named(r, g, b)
                }
            },
            (ColorSupport::None, _) => Color::Reset,
            (_, c) => c,
        }
    }
}

fn distance((r1, g1, b1): (u8, u8, u8), (r2, g2, b2): (u8, u8, u8)) -> u32 {
    let d = |a: u8, b: u8| (i32::from(a) - i32::from(b)).unsigned_abs();
    // Weighted toward green, where the eye tells shades apart best.
    2 * d(r1, r2).pow(2) + 4 * d(g1, g2).pow(2) + 3 * d(b1, b2).pow(2)
}

fn nearest_named(r: u8, g: u8, b: u8) -> Color {
    let i = (0..NAMED_RGB.len())
        .min_by_key(|&i| distance(NAMED_RGB[i], (r, g, b)))
        .unwrap_or(0);
    NAMED[i].1
}

/// The nearest entry of the 256-colour palette's cube (16-231) or grey ramp (232-255).
fn to_256(r: u8, g: u8, b: u8) -> u8 {
    let level = |v: u8| {
        (0..CUBE.len())
            .min_by_key(|&i| (i32::from(CUBE[i]) - i32::from(v)).unsigned_abs())
            .unwrap_or(0)
    };
    let (ri, gi, bi) = (level(r), level(g), level(b));
    let cube = (CUBE[ri], CUBE[gi], CUBE[bi]);
    let cube_index = 16 + 36 * ri + 6 * gi + bi;
    let avg = (u32::from(r) + u32::from(g) + u32::from(b)) / 3;
    let grey_step = ((avg.saturating_sub(8)) / 10).min(23);
    let grey = (8 + 10 * grey_step) as u8;
    if distance((grey, grey, grey), (r, g, b)) < distance(cube, (r, g, b)) {
        232 + grey_step as u8
    } else {
        cube_index as u8
    }
}

/// The colour of a 256-palette entry (16 and up).
fn rgb_of_256(n: u8) -> (u8, u8, u8) {
    match n {
        0..=15 => NAMED_RGB[usize::from(n)],
        16..=231 => {
            let i = usize::from(n - 16);
            (CUBE[i / 36], CUBE[(i / 6) % 6], CUBE[i % 6])
        }
        _ => {
            let v = 8 + 10 * (n - 232);
            (v, v, v)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn colours_by_name_number_and_hex() {
        assert_eq!(parse_color("bright-white"), Ok(Color::White));
        assert_eq!(parse_color("white"), Ok(Color::Gray));
        assert_eq!(parse_color("Default"), Ok(Color::Reset));
        assert_eq!(parse_color("208"), Ok(Color::Indexed(208)));
        assert_eq!(parse_color("#FF8000"), Ok(Color::Rgb(255, 128, 0)));
        assert!(parse_color("256").unwrap_err().contains("0 to 255"));
        assert!(parse_color("#12345").unwrap_err().contains("#rrggbb"));
        assert!(parse_color("purple").unwrap_err().contains("bright-black"));
    }

    #[test]
    fn a_style_string_has_every_part_optional() {
        assert_eq!(
            parse_style("yellow on #202020 bold underline"),
            Ok(Style::new()
                .fg(Color::Yellow)
                .bg(Color::Rgb(32, 32, 32))
                .add_modifier(Modifier::BOLD | Modifier::UNDERLINED))
        );
        assert_eq!(parse_style("on blue"), Ok(Style::new().bg(Color::Blue)));
        assert_eq!(
            parse_style("reverse dim"),
            Ok(Style::new().add_modifier(Modifier::REVERSED | Modifier::DIM))
        );
        assert_eq!(parse_style(""), Ok(Style::new()));
        assert!(parse_style("red on").unwrap_err().contains("background"));
        assert!(
            parse_style("bold red")
                .unwrap_err()
                .contains("out of place")
        );
        assert!(
            parse_style("red blue")
                .unwrap_err()
                .contains("out of place")
        );
        assert!(
            parse_style("blinking")
                .unwrap_err()
                .contains("not a colour")
        );
    }

    #[test]
    fn support_comes_from_no_color_colorterm_and_term() {
        let env = |pairs: &'static [(&'static str, &'static str)]| {
            move |k: &str| {
                pairs
                    .iter()
                    .find(|(n, _)| *n == k)
                    .map(|(_, v)| v.to_string())
            }
        };
        let truecolor: &[(&str, &str)] = &[("COLORTERM", "truecolor"), ("TERM", "xterm")];
        assert_eq!(
            ColorSupport::detect(env(truecolor)),
            ColorSupport::TrueColor
        );
        let no_color: &[(&str, &str)] = &[("NO_COLOR", "1"), ("COLORTERM", "truecolor")];
        assert_eq!(ColorSupport::detect(env(no_color)), ColorSupport::None);
        let empty_no_color: &[(&str, &str)] = &[("NO_COLOR", ""), ("TERM", "xterm-256color")];
        assert_eq!(
            ColorSupport::detect(env(empty_no_color)),
            ColorSupport::Ansi256
        );
        let direct: &[(&str, &str)] = &[("TERM", "xterm-direct")];
        assert_eq!(ColorSupport::detect(env(direct)), ColorSupport::TrueColor);
        let plain: &[(&str, &str)] = &[("TERM", "xterm")];
        assert_eq!(ColorSupport::detect(env(plain)), ColorSupport::Ansi16);
    }

    #[test]
    fn truecolor_comes_down_to_the_nearest_256_and_16_colours() {
        let c256 = ColorSupport::Ansi256;
        assert_eq!(c256.color(Color::Rgb(255, 0, 0)), Color::Indexed(196));
        assert_eq!(c256.color(Color::Rgb(0, 0, 0)), Color::Indexed(16));
        assert_eq!(c256.color(Color::Rgb(128, 128, 128)), Color::Indexed(244));
        assert_eq!(c256.color(Color::Rgb(0, 135, 255)), Color::Indexed(33));
        assert_eq!(c256.color(Color::Indexed(208)), Color::Indexed(208));
        let c16 = ColorSupport::Ansi16;
        assert_eq!(c16.color(Color::Rgb(250, 10, 10)), Color::LightRed);
        assert_eq!(c16.color(Color::Rgb(190, 0, 0)), Color::Red);
        assert_eq!(c16.color(Color::Rgb(30, 30, 30)), Color::Black);
        assert_eq!(c16.color(Color::Indexed(9)), Color::LightRed);
        assert_eq!(c16.color(Color::Indexed(196)), Color::LightRed);
        assert_eq!(c16.color(Color::Cyan), Color::Cyan);
        assert_eq!(
            ColorSupport::TrueColor.color(Color::Rgb(1, 2, 3)),
            Color::Rgb(1, 2, 3)
        );
    }

    #[test]
    fn no_color_keeps_the_modifiers_and_reverses_bars() {
        let none = ColorSupport::None;
        let s = parse_style("black on white bold").unwrap();
        let adapted = none.adapt(s);
        assert_eq!(adapted.fg, None);
        assert_eq!(adapted.bg, None);
        assert_eq!(
            adapted.add_modifier,
            Modifier::BOLD | Modifier::REVERSED,
            "a bar keeps apart by reversing"
        );
        let text = none.adapt(parse_style("red italic").unwrap());
        assert_eq!(text, Style::new().add_modifier(Modifier::ITALIC));
    }
}
