//! `[theme]`: a shipped theme or a theme file as the base (`theme = "light"`, or
//! `[theme] base = "light"`), patched by one style string per element
//! (`selected = "black on cyan bold"`). Bad entries name the file, line and key.

use std::path::{Path, PathBuf};

use crate::view::theme::{Element, Theme, element, parse_style};

use super::ConfigError;

/// The themes shipped in `config/themes/`, by the name `theme = "..."` takes.
pub const SHIPPED: &[(&str, &str)] = &[
    ("default", ""),
    ("dark", include_str!("../../config/themes/dark.toml")),
    ("light", include_str!("../../config/themes/light.toml")),
    ("mono", include_str!("../../config/themes/mono.toml")),
];

/// Builds the theme from the `theme` value of the config file `path` (whose text is `text`,
/// for line numbers).
pub(super) fn from_value(
    value: Option<&toml::Value>,
    path: &str,
    dir: Option<&Path>,
    text: &str,
) -> Result<Theme, ConfigError> {
    let Some(value) = value else {
        return Ok(Theme::default());
    };
    let invalid = |key: &str, message: String| ConfigError::Invalid {
        path: path.to_string(),
        line: line_of(text, key),
        key: Some(key.to_string()),
        message,
    };
    match value {
        toml::Value::String(base) => {
            load_base(base, dir).map_err(|e| e.unwrap_or_else(|m| invalid("theme", m)))
        }
        toml::Value::Table(table) => {
            let mut theme = match table.get("base") {
                None => Theme::default(),
                Some(toml::Value::String(base)) => {
                    load_base(base, dir).map_err(|e| e.unwrap_or_else(|m| invalid("base", m)))?
                }
                Some(_) => {
                    return Err(invalid(
                        "base",
                        "`base` is a theme's name or a path, in quotes".into(),
                    ));
                }
            };
            apply(&mut theme, table, |key, m| invalid(key, m))?;
            Ok(theme)
        }
        _ => Err(invalid(
            "theme",
            "`theme` is a shipped theme's name (`theme = \"light\"`), a path, or a [theme] table"
                .into(),
        )),
    }
}

/// A shipped theme by name, or a theme file (relative to the config's folder). The error is
/// `Ok(message)` for the config's own line, `Err(error)` for one inside the theme file.
fn load_base(base: &str, dir: Option<&Path>) -> Result<Theme, Result<ConfigError, String>> {
    if let Some((name, text)) = SHIPPED.iter().find(|(n, _)| *n == base) {
        return parse_file(&format!("config/themes/{name}.toml"), text).map_err(Ok);
    }
    if !base.contains('/') && !base.ends_with(".toml") {
        let names: Vec<&str> = SHIPPED.iter().map(|(n, _)| *n).collect();
        return Err(Err(format!(
            "no theme `{base}`; the shipped themes are {}, or write a path to a theme file",
            names.join(", ")
        )));
    }
    let path = match dir {
        Some(d) if Path::new(base).is_relative() => d.join(base),
        _ => PathBuf::from(base),
    };
    let text = std::fs::read_to_string(&path).map_err(|e| {
        Ok(ConfigError::Io {
            path: path.display().to_string(),
            message: e.to_string(),
        })
    })?;
    parse_file(&path.display().to_string(), &text).map_err(Ok)
}

/// A theme file: one `element = "style"` per line over the default palette.
pub fn parse_file(path: &str, text: &str) -> Result<Theme, ConfigError> {
    let table: toml::Table = toml::from_str(text).map_err(|e| {
        let line = e
            .span()
            .map(|s| text.get(..s.start).unwrap_or(text).matches('\n').count() + 1)
            .unwrap_or(1);
        ConfigError::Invalid {
            path: path.to_string(),
            line,
            key: None,
            message: e.message().trim().to_string(),
        }
    })?;
    let mut theme = Theme::default();
    apply(&mut theme, &table, |key, message| ConfigError::Invalid {
        path: path.to_string(),
        line: line_of(text, key),
        key: Some(key.to_string()),
        message,
    })?;
    Ok(theme)
}

fn apply(
    theme: &mut Theme,
    table: &toml::Table,
    invalid: impl Fn(&str, String) -> ConfigError,
) -> Result<(), ConfigError> {
    for (key, value) in table {
        if key == "base" {
            continue;
        }
        let Some(e) = element(key) else {
            let names: Vec<&str> = Element::ALL.iter().map(|e| e.name()).collect();
            return Err(invalid(
                key,
                format!(
                    "no theme element `{key}`; the elements are: {}",
                    names.join(", ")
                ),
            ));
        };
        let toml::Value::String(spec) = value else {
            return Err(invalid(
                key,
                "a style is a string: \"FG on BG bold italic underline reverse dim\"".into(),
            ));
        };
        theme.set(e, parse_style(spec).map_err(|m| invalid(key, m))?);
    }
    Ok(())
}

/// The line (1-based) where `key` is written: in the `[theme]` table if there is one, else
/// the first line that assigns it, else line 1.
fn line_of(text: &str, key: &str) -> usize {
    let assigns = |line: &str| {
        line.trim_start()
            .strip_prefix(key)
            .or_else(|| {
                line.trim_start()
                    .strip_prefix(&format!("\"{key}\""))
                    .map(|r| r.trim_start())
            })
            .is_some_and(|rest| rest.trim_start().starts_with('='))
    };
    let mut in_theme = false;
    let mut first = None;
    for (i, line) in text.lines().enumerate() {
        let t = line.trim();
        if t.starts_with('[') {
            in_theme = t == "[theme]";
            continue;
        }
        if assigns(line) {
            if in_theme {
                return i + 1;
            }
            first.get_or_insert(i + 1);
        }
    }
    first.unwrap_or(1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_shipped_theme_parses() {
        for (name, text) in SHIPPED {
            parse_file(name, text).unwrap_or_else(|e| panic!("{name}: {e}"));
        }
    }

    #[test]
    fn a_key_is_found_in_the_theme_table_before_elsewhere() {
        let text =
            "selected = 1\n[x]\nselected = 2\n[theme]\nunread = \"bold\"\n  selected = \"x\"\n";
        assert_eq!(line_of(text, "selected"), 6);
        assert_eq!(line_of(text, "unread"), 5);
        assert_eq!(line_of(text, "nowhere"), 1);
    }
}
