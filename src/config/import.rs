//! Writing what `akhbar import` brings from newsboat besides feeds into the config file:
//! `[[query]]` tables, and `ignore` filters (top level, or in the `[[feed]]` table of the
//! feed they are for). Like `append_feeds` (config/append.rs), the user's comments and layout stay
//! (toml_edit), the result is validated before it replaces the file, and the file is
//! replaced in one step ([`replace_file`]).

use std::path::Path;

use super::{Config, ConfigError, DEFAULT_TOML};

/// A query feed to append.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewQuery {
    pub name: String,
    pub filter: String,
    pub tags: Vec<String>,
}

/// An ignore filter to append: for every feed (`feed: None`) or one feed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewIgnore {
    pub feed: Option<String>,
    pub filter: String,
}

/// Where an ignore filter went.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum IgnorePlace {
    /// The top-level `ignore` (every feed).
    Global,
    /// The `ignore` of the feed's `[[feed]]` table.
    Feed,
    /// The feed is not in the config: the top-level `ignore`, limited to it with
    /// `feedurl = "..."`.
    GlobalForFeed,
    /// The same filter was there already.
    AlreadyThere,
}

/// What [`append_finds`] did with each entry, in their order.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Appended {
    /// (name, added): false when a query of that name was configured already.
    pub queries: Vec<(String, bool)>,
    pub ignores: Vec<(NewIgnore, IgnorePlace)>,
}

fn invalid(path: &Path, key: &str, message: String) -> ConfigError {
    ConfigError::Invalid {
        path: path.display().to_string(),
        line: 1,
        key: Some(key.to_string()),
        message,
    }
}

/// Appends query feeds and ignore filters to the config file at `path` (created from the
/// commented default when missing).
pub fn append_finds(
    path: &Path,
    queries: &[NewQuery],
    ignores: &[NewIgnore],
) -> Result<Appended, ConfigError> {
    let text = match std::fs::read_to_string(path) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => DEFAULT_TOML.to_string(),
        Err(e) => {
            return Err(ConfigError::Io {
                path: path.display().to_string(),
                message: e.to_string(),
            });
        }
    };
    let existing = Config::parse(path, &text)?;
    let mut doc: toml_edit::DocumentMut = text
        .parse()
        .map_err(|e: toml_edit::TomlError| invalid(path, "query", e.to_string()))?;
    let mut done = Appended::default();
    let mut names: Vec<String> = existing.queries.iter().map(|q| q.name.clone()).collect();
    for q in queries {
        if names.contains(&q.name) {
            done.queries.push((q.name.clone(), false));
            continue;
        }
        let mut table = toml_edit::Table::new();
        table.insert("name", toml_edit::value(q.name.as_str()));
        table.insert("filter", toml_edit::value(q.filter.as_str()));
        if !q.tags.is_empty() {
            let tags: toml_edit::Array = q.tags.iter().map(String::as_str).collect();
            table.insert("tags", toml_edit::value(tags));
        }
        doc.entry("query")
            .or_insert_with(|| toml_edit::Item::ArrayOfTables(toml_edit::ArrayOfTables::new()))
            .as_array_of_tables_mut()
            .ok_or_else(|| {
                invalid(
                    path,
                    "query",
                    "`query` must be written as [[query]] tables".into(),
                )
            })?
            .push(table);
        names.push(q.name.clone());
        done.queries.push((q.name.clone(), true));
    }
    for ig in ignores {
        let place = add_ignore(&mut doc, ig)
            .ok_or_else(|| invalid(path, "ignore", "`ignore` must be a list of strings".into()))?;
        done.ignores.push((ig.clone(), place));
    }
    let out = doc.to_string();
    Config::parse(path, &out)?;
    replace_file(path, &out)?;
    Ok(done)
}

/// Pushes `filter` onto the `ignore` array of `table` unless it is there; None if `ignore`
/// is not an array.
fn push_unique(table: &mut toml_edit::Table, filter: &str) -> Option<bool> {
    let list = table
        .entry("ignore")
        .or_insert_with(|| toml_edit::value(toml_edit::Array::new()))
        .as_array_mut()?;
    if list.iter().any(|v| v.as_str() == Some(filter)) {
        return Some(false);
    }
    list.push(filter);
    Some(true)
}

fn add_ignore(doc: &mut toml_edit::DocumentMut, ig: &NewIgnore) -> Option<IgnorePlace> {
    let Some(url) = &ig.feed else {
        return Some(if push_unique(doc.as_table_mut(), &ig.filter)? {
            IgnorePlace::Global
        } else {
            IgnorePlace::AlreadyThere
        });
    };
    let feed = doc
        .get_mut("feed")
        .and_then(toml_edit::Item::as_array_of_tables_mut)
        .and_then(|feeds| {
            feeds
                .iter_mut()
                .find(|t| t.get("url").and_then(|u| u.as_str()).map(str::trim) == Some(url))
        });
    if let Some(table) = feed {
        return Some(if push_unique(table, &ig.filter)? {
            IgnorePlace::Feed
        } else {
            IgnorePlace::AlreadyThere
        });
    }
    let url_lit = url.replace('\\', "\\\\").replace('"', "\\\"");
    let limited = format!("feedurl = \"{url_lit}\" and ({})", ig.filter);
    Some(if push_unique(doc.as_table_mut(), &limited)? {
        IgnorePlace::GlobalForFeed
    } else {
        IgnorePlace::AlreadyThere
    })
}

/// Writes `text` over the config at `path`: next to the real file (a symlinked config stays
/// a symlink), with its permissions (a 0600 file with passwords stays 0600), synced, then
/// renamed over it in one step.
pub(super) fn replace_file(path: &Path, text: &str) -> Result<(), ConfigError> {
    let io_err = |e: std::io::Error| ConfigError::Io {
        path: path.display().to_string(),
        message: e.to_string(),
    };
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).map_err(io_err)?;
    }
    let target = std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf());
    let tmp = target.with_extension("toml.tmp");
    {
        let mut f = std::fs::File::create(&tmp).map_err(io_err)?;
        if let Ok(meta) = std::fs::metadata(&target) {
            f.set_permissions(meta.permissions()).map_err(io_err)?;
        }
        std::io::Write::write_all(&mut f, text.as_bytes()).map_err(io_err)?;
        f.sync_all().map_err(io_err)?;
    }
    std::fs::rename(&tmp, &target).map_err(io_err)
}
