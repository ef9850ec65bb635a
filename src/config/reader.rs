//! The reader's settings (issue 11): `reader_width` (the measure), where and how `S` saves
//! (`save_dir`, `save_format`) and what `|` pipes to (`pipe`, an argv run without a shell).
//! Validated here, with the file's line and key in errors.

use std::path::PathBuf;

use toml::Spanned;

use super::ConfigError;
use crate::view::{DEFAULT_MEASURE, MAX_MEASURE, MIN_MEASURE, SaveFormat};

/// The validated reader settings.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReaderConfig {
    /// `reader_width`: the reader's text column (the measure), in columns.
    pub reader_width: u16,
    /// `save_dir`: where `S` saves articles (None: [`default_save_dir`]).
    pub save_dir: Option<PathBuf>,
    /// `save_format = "markdown" | "text"`.
    pub save_format: SaveFormat,
    /// `pipe = ["cmd", "arg"]`: what `|` pipes the article's text to (empty: nothing).
    pub pipe: Vec<String>,
}

impl ReaderConfig {
    /// The directory `S` saves to: `save_dir`, else [`default_save_dir`].
    pub fn save_dir(&self) -> PathBuf {
        self.save_dir.clone().unwrap_or_else(default_save_dir)
    }
}

/// Validates the keys (each the user's value, else the default's); `invalid(offset, key,
/// message)` places an error in the file.
pub(super) fn validate(
    width: Option<Spanned<u16>>,
    save_dir: Option<Spanned<String>>,
    save_format: Option<SaveFormat>,
    pipe: Option<Spanned<Vec<String>>>,
    invalid: &dyn Fn(usize, &str, String) -> ConfigError,
) -> Result<ReaderConfig, ConfigError> {
    let reader_width = match width {
        Some(w) if !(MIN_MEASURE..=MAX_MEASURE).contains(w.get_ref()) => {
            return Err(invalid(
                w.span().start,
                "reader_width",
                format!("must be between {MIN_MEASURE} and {MAX_MEASURE} columns"),
            ));
        }
        Some(w) => w.into_inner(),
        None => DEFAULT_MEASURE,
    };
    let save_dir = match save_dir {
        Some(d) if d.get_ref().trim().is_empty() => {
            return Err(invalid(
                d.span().start,
                "save_dir",
                "must name a directory (or be left out for the default)".into(),
            ));
        }
        Some(d) => Some(expand_home(d.get_ref().trim())),
        None => None,
    };
    let pipe = match pipe {
        Some(p) if p.get_ref().first().is_none_or(|c| c.trim().is_empty()) => {
            return Err(invalid(
                p.span().start,
                "pipe",
                "must name a command first, e.g. pipe = [\"wc\", \"-w\"] (run without a shell)"
                    .into(),
            ));
        }
        Some(p) => p.into_inner(),
        None => Vec::new(),
    };
    Ok(ReaderConfig {
        reader_width,
        save_dir,
        save_format: save_format.unwrap_or_default(),
        pipe,
    })
}

/// `~/x` as the home directory's `x`.
fn expand_home(p: &str) -> PathBuf {
    let home = || directories::BaseDirs::new().map(|b| b.home_dir().to_path_buf());
    match (p.strip_prefix("~/"), p == "~") {
        (Some(rest), _) => home().map_or_else(|| PathBuf::from(p), |h| h.join(rest)),
        (None, true) => home().unwrap_or_else(|| PathBuf::from(p)),
        _ => PathBuf::from(p),
    }
}

/// Where `S` saves when the config does not say: the downloads directory
/// (`$XDG_DOWNLOAD_DIR`, else `~/Downloads`) if it exists, else the home directory, else
/// the current one.
pub fn default_save_dir() -> PathBuf {
    if let Some(d) = std::env::var_os("XDG_DOWNLOAD_DIR").map(PathBuf::from)
        && d.is_absolute()
        && d.is_dir()
    {
        return d;
    }
    let Some(user) = directories::UserDirs::new() else {
        return PathBuf::from(".");
    };
    user.download_dir()
        .filter(|d| d.is_dir())
        .unwrap_or_else(|| user.home_dir())
        .to_path_buf()
}
