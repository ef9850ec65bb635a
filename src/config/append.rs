//! `akhbar add` / OPML import: new `[[feed]]` tables appended to the user's file, comments
//! and layout kept, the result validated before it replaces the file.

use std::path::Path;

use super::{Config, ConfigError, DEFAULT_TOML};

/// A feed to append to the config file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewFeed {
    pub url: String,
    pub name: Option<String>,
    pub tags: Vec<String>,
    /// Written as `hidden = true` (newsboat's `!` tag).
    pub hidden: bool,
}

/// Appends `[[feed]]` tables to the config file at `path`, keeping the user's comments and
/// layout (toml_edit); creates the file from the commented default when it is missing. Feeds
/// whose URL is already configured are skipped. The result is validated before it replaces
/// the file (written to a temporary file and renamed), so a bad edit never breaks the config.
/// Returns how many feeds were added.
pub fn append_feeds(path: &Path, feeds: &[NewFeed]) -> Result<usize, ConfigError> {
    let shown = path.display().to_string();
    let io_err = |e: std::io::Error| ConfigError::Io {
        path: shown.clone(),
        message: e.to_string(),
    };
    let text = match std::fs::read_to_string(path) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => DEFAULT_TOML.to_string(),
        Err(e) => return Err(io_err(e)),
    };
    // Validate what is there first: never build on a broken file.
    let existing = Config::parse(path, &text)?;
    let mut doc: toml_edit::DocumentMut =
        text.parse()
            .map_err(|e: toml_edit::TomlError| ConfigError::Invalid {
                path: shown.clone(),
                line: 1,
                key: None,
                message: e.to_string(),
            })?;
    let mut known: Vec<String> = existing.feeds.iter().map(|f| f.url.clone()).collect();
    let mut added = 0;
    // Comments after the last entry belong where they are, before what is appended.
    let mut trailing = doc.trailing().as_str().unwrap_or("").to_string();
    doc.set_trailing("");
    for f in feeds {
        if known.contains(&f.url) {
            continue;
        }
        let mut table = toml_edit::Table::new();
        table.insert("url", toml_edit::value(f.url.as_str()));
        if let Some(name) = f.name.as_deref().filter(|n| !n.is_empty()) {
            table.insert("name", toml_edit::value(name));
        }
        if !f.tags.is_empty() {
            let tags: toml_edit::Array = f.tags.iter().map(String::as_str).collect();
            table.insert("tags", toml_edit::value(tags));
        }
        if f.hidden {
            table.insert("hidden", toml_edit::value(true));
        }
        let array = doc
            .entry("feed")
            .or_insert_with(|| toml_edit::Item::ArrayOfTables(toml_edit::ArrayOfTables::new()))
            .as_array_of_tables_mut()
            .ok_or_else(|| ConfigError::Invalid {
                path: shown.clone(),
                line: 1,
                key: Some("feed".into()),
                message: "`feed` must be written as [[feed]] tables".into(),
            })?;
        if !trailing.trim().is_empty() {
            table
                .decor_mut()
                .set_prefix(format!("{}\n", std::mem::take(&mut trailing).trim_end()));
        }
        array.push(table);
        known.push(f.url.clone());
        added += 1;
    }
    if !trailing.is_empty() {
        doc.set_trailing(trailing);
    }
    let out = doc.to_string();
    Config::parse(path, &out)?;
    super::import::replace_file(path, &out)?;
    Ok(added)
}
