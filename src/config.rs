//! The configuration file: `RawConfig` (serde) patched over the shipped defaults, validated
//! into `Config`. Every bad entry is an error naming the file, line and key.

use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};
use std::time::Duration;

use serde::Deserialize;
use serde::de::{self, Deserializer};
use toml::Spanned;

use crate::model::Direction;

mod append;
mod notify;
mod sync;

pub use append::{NewFeed, append_feeds};
pub use notify::NotifyTerminal;
mod reader;

pub use reader::{ReaderConfig, default_save_dir};

mod media;

pub use media::{HyperlinkSetting, player_argv};
mod query;

pub use query::QueryConfig;
mod import;

pub use import::{Appended, IgnorePlace, NewIgnore, NewQuery, append_finds};
pub use sync::{SyncConfig, SyncPassword};
pub mod theme;

/// The commented default configuration, written by `akhbar --init`.
pub const DEFAULT_TOML: &str = include_str!("../config/default.toml");

/// `bidi = auto | app | terminal | off`
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Deserialize, clap::ValueEnum)]
#[serde(rename_all = "lowercase")]
pub enum BidiSetting {
    #[default]
    Auto,
    App,
    Terminal,
    Off,
}

/// `shaping = auto | on | off`
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ShapingSetting {
    #[default]
    Auto,
    On,
    Off,
}

/// One feed as configured.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FeedConfig {
    pub url: String,
    pub name: Option<String>,
    pub tags: Vec<String>,
    pub direction: Direction,
    pub interval: Option<Duration>,
    pub headers: Vec<(String, String)>,
    pub basic_auth: Option<(String, String)>,
    /// Left out of the feed list (newsboat's `!` tag); its articles still show under All,
    /// Starred and its tags.
    pub hidden: bool,
    /// This feed's kill file: its articles matching one of these are dropped at ingest.
    pub ignore: Vec<crate::filter::Filter>,
    /// `full_text = true`: each new article's page is fetched and its article extracted; the
    /// reader shows the full text (`F` switches back to the feed's).
    pub full_text: bool,
    /// `notify = false`: this feed's new articles do not count for `notify`.
    pub notify: bool,
}

/// The validated configuration.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Config {
    /// The file it came from (None: defaults only, e.g. the demo).
    pub path: Option<PathBuf>,
    pub refresh_interval: Duration,
    pub bidi: BidiSetting,
    pub shaping: ShapingSetting,
    pub timeout: Duration,
    pub connect_timeout: Duration,
    pub max_feed_bytes: u64,
    pub concurrency: usize,
    pub per_host_concurrency: usize,
    pub keep_days: u32,
    pub keep_per_feed: usize,
    pub feeds: Vec<FeedConfig>,
    /// Key overrides from `[keys]`: each replaces the action's default keys.
    pub keys: Vec<(crate::action::Action, Vec<String>)>,
    /// The `[sync]` account, if any.
    pub sync: Option<SyncConfig>,
    /// The kill file (`ignore = ['title =~ "sponsored"']`): articles matching one of these
    /// are dropped at ingest, never shown, counted or kept.
    pub ignore: Vec<crate::filter::Filter>,
    /// `theme` / `[theme]`: the styles, before they are fitted to the terminal.
    pub theme: crate::view::theme::Theme,
    /// `mouse = false` leaves the mouse to the terminal (its own selection).
    pub mouse: bool,
    /// `notify`: the argv run after a refresh brought new articles (empty: none).
    pub notify: Vec<String>,
    /// `notify_terminal`: the TUI's notification through the terminal.
    pub notify_terminal: NotifyTerminal,
    /// The reader's measure, `S` and `|`: `reader_width`, `save_dir`, `save_format`, `pipe`.
    pub reader: ReaderConfig,
    /// `player`: the argv enclosures play with (empty: the browser).
    pub player: Vec<String>,
    pub hyperlinks: HyperlinkSetting,
    /// `[[query]]`: query feeds (a name and a filter), in the feed list after the feeds.
    pub queries: Vec<QueryConfig>,
}

/// A config problem, with where it is.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ConfigError {
    #[error("{path}: cannot read: {message}")]
    Io { path: String, message: String },
    #[error("{path}, line {line}{}: {message}", key.as_ref().map(|k| format!(", key `{k}`")).unwrap_or_default())]
    Invalid {
        path: String,
        line: usize,
        key: Option<String>,
        message: String,
    },
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawConfig {
    refresh_interval: Option<HumanDuration>,
    bidi: Option<BidiSetting>,
    shaping: Option<ShapingSetting>,
    timeout: Option<HumanDuration>,
    connect_timeout: Option<HumanDuration>,
    max_feed_size_mb: Option<Spanned<u64>>,
    concurrency: Option<Spanned<usize>>,
    per_host_concurrency: Option<Spanned<usize>>,
    keep_days: Option<u32>,
    keep_per_feed: Option<usize>,
    #[serde(default)]
    feed: Vec<RawFeed>,
    #[serde(default)]
    keys: BTreeMap<Spanned<String>, Spanned<KeyList>>,
    sync: Option<Spanned<sync::RawSync>>,
    #[serde(default)]
    ignore: Vec<Spanned<String>>,
    theme: Option<toml::Value>,
    mouse: Option<bool>,
    notify: Option<Spanned<Vec<String>>>,
    notify_terminal: Option<NotifyTerminal>,
    reader_width: Option<Spanned<u16>>,
    save_dir: Option<Spanned<String>>,
    save_format: Option<crate::view::SaveFormat>,
    pipe: Option<Spanned<Vec<String>>>,
    player: Option<Spanned<Vec<String>>>,
    hyperlinks: Option<HyperlinkSetting>,
    #[serde(default)]
    query: Vec<query::RawQuery>,
}

/// One key or a list of keys for an action.
#[derive(Deserialize)]
#[serde(untagged)]
enum KeyList {
    One(String),
    Many(Vec<String>),
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFeed {
    url: Spanned<String>,
    name: Option<String>,
    #[serde(default)]
    tags: Vec<String>,
    #[serde(default)]
    direction: RawDirection,
    interval: Option<HumanDuration>,
    #[serde(default)]
    headers: BTreeMap<String, String>,
    username: Option<String>,
    password: Option<String>,
    #[serde(default)]
    hidden: bool,
    #[serde(default)]
    ignore: Vec<Spanned<String>>,
    #[serde(default)]
    full_text: bool,
    notify: Option<bool>,
}

#[derive(Deserialize, Default, Clone, Copy)]
#[serde(rename_all = "lowercase")]
enum RawDirection {
    #[default]
    Auto,
    Rtl,
    Ltr,
}

/// A duration written for people: "90s", "15m", "1h 30m".
#[derive(Clone, Copy)]
struct HumanDuration(Duration);

impl<'de> Deserialize<'de> for HumanDuration {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        let dur = humantime::parse_duration(s.trim()).map_err(|e| {
            de::Error::custom(format!(
                "`{s}` is not a duration ({e}); write e.g. \"15m\" or \"1h 30m\""
            ))
        })?;
        if dur.is_zero() {
            return Err(de::Error::custom("a duration must be more than zero"));
        }
        Ok(HumanDuration(dur))
    }
}

impl Config {
    /// The shipped defaults with no feeds.
    pub fn defaults() -> Config {
        let raw: RawConfig = toml::from_str(DEFAULT_TOML).expect("config/default.toml is valid");
        Config::from_raw(None, raw, RawConfig::default(), "").expect("defaults validate")
    }

    /// Reads and validates a config file.
    pub fn load(path: &Path) -> Result<Config, ConfigError> {
        let text = std::fs::read_to_string(path).map_err(|e| ConfigError::Io {
            path: path.display().to_string(),
            message: e.to_string(),
        })?;
        Config::parse(path, &text)
    }

    /// Parses config text; `path` is only used in messages.
    pub fn parse(path: &Path, text: &str) -> Result<Config, ConfigError> {
        let shown = path.display().to_string();
        let user: RawConfig = toml::from_str(text).map_err(|e| {
            let (line, key) = match e.span() {
                Some(span) => locate(text, span.start),
                None => (1, None),
            };
            ConfigError::Invalid {
                path: shown.clone(),
                line,
                key,
                message: e.message().trim().to_string(),
            }
        })?;
        let defaults: RawConfig =
            toml::from_str(DEFAULT_TOML).expect("config/default.toml is valid");
        Config::from_raw(Some(path.to_path_buf()), defaults, user, text)
    }

    fn from_raw(
        path: Option<PathBuf>,
        defaults: RawConfig,
        user: RawConfig,
        text: &str,
    ) -> Result<Config, ConfigError> {
        let shown = path
            .as_ref()
            .map(|p| p.display().to_string())
            .unwrap_or_else(|| "defaults".into());
        let invalid = |start: usize, key: &str, message: String| ConfigError::Invalid {
            path: shown.clone(),
            line: locate(text, start).0,
            key: Some(key.to_string()),
            message,
        };
        let positive = |v: Option<Spanned<usize>>,
                        d: Option<Spanned<usize>>,
                        key: &str|
         -> Result<usize, ConfigError> {
            match v {
                Some(s) if *s.get_ref() == 0 => {
                    Err(invalid(s.span().start, key, "must be at least 1".into()))
                }
                Some(s) => Ok(s.into_inner()),
                None => Ok(d.map(Spanned::into_inner).unwrap_or(1)),
            }
        };
        let max_mb = match user.max_feed_size_mb {
            Some(s) if *s.get_ref() == 0 || *s.get_ref() > 4096 => {
                return Err(invalid(
                    s.span().start,
                    "max_feed_size_mb",
                    "must be between 1 and 4096".into(),
                ));
            }
            Some(s) => s.into_inner(),
            None => defaults
                .max_feed_size_mb
                .map(Spanned::into_inner)
                .unwrap_or(20),
        };
        // A filter that does not parse names its line, the key and the column in the filter.
        let filters =
            |list: Vec<Spanned<String>>| -> Result<Vec<crate::filter::Filter>, ConfigError> {
                list.into_iter()
                    .map(|s| {
                        crate::filter::Filter::parse(s.get_ref()).map_err(|e| {
                            invalid(
                                s.span().start,
                                "ignore",
                                format!("`{}`: column {}: {}", s.get_ref(), e.column, e.message),
                            )
                        })
                    })
                    .collect()
            };
        let ignore = filters(user.ignore)?;
        let mut feeds = Vec::with_capacity(user.feed.len());
        for f in user.feed {
            let url = f.url.get_ref().trim().to_string();
            let scheme_ok = ["http://", "https://", "file:", "exec:"]
                .iter()
                .any(|p| url.starts_with(p));
            let shown_url = crate::text::sanitize::redact_credentials(&url);
            if !scheme_ok {
                return Err(invalid(
                    f.url.span().start,
                    "url",
                    format!(
                        "`{shown_url}` is not a feed address: it must start with http://, https://, file: or exec:"
                    ),
                ));
            }
            if url.starts_with("http")
                && let Err(e) = url::Url::parse(&url)
            {
                return Err(invalid(
                    f.url.span().start,
                    "url",
                    format!("`{shown_url}` is not a valid address: {e}"),
                ));
            }
            if feeds.iter().any(|known: &FeedConfig| known.url == url) {
                return Err(invalid(
                    f.url.span().start,
                    "url",
                    format!("`{shown_url}` is configured twice"),
                ));
            }
            let basic_auth = match (f.username, f.password) {
                (Some(u), p) => Some((u, p.unwrap_or_default())),
                (None, Some(_)) => {
                    return Err(invalid(
                        f.url.span().start,
                        "password",
                        "`password` needs a `username`".into(),
                    ));
                }
                (None, None) => None,
            };
            feeds.push(FeedConfig {
                url,
                name: f.name.filter(|n| !n.trim().is_empty()),
                tags: f.tags,
                direction: match f.direction {
                    RawDirection::Auto => Direction::Auto,
                    RawDirection::Rtl => Direction::Rtl,
                    RawDirection::Ltr => Direction::Ltr,
                },
                interval: f.interval.map(|d| d.0),
                headers: f.headers.into_iter().collect(),
                basic_auth,
                hidden: f.hidden,
                ignore: filters(f.ignore)?,
                full_text: f.full_text,
                notify: f.notify.unwrap_or(true),
            });
        }
        let mut keys = Vec::new();
        for (name, list) in user.keys {
            let Some(spec) = crate::action::by_name(name.get_ref()) else {
                let names: Vec<&str> = crate::action::ACTIONS.iter().map(|a| a.name).collect();
                return Err(invalid(
                    name.span().start,
                    name.get_ref(),
                    format!(
                        "no action `{}`; the actions are: {}",
                        name.get_ref(),
                        names.join(", ")
                    ),
                ));
            };
            let span = list.span().start;
            let list = match list.into_inner() {
                KeyList::One(k) => vec![k],
                KeyList::Many(ks) => ks,
            };
            for k in &list {
                crate::keymap::parse_chord(k)
                    .map_err(|e| invalid(span, spec.name, e.to_string()))?;
            }
            keys.push((spec.action, list));
        }
        // A key bound to two actions that can both apply would silently shadow one of them.
        if !keys.is_empty() {
            let km =
                crate::keymap::Keymap::new(&keys).map_err(|e| invalid(0, "keys", e.to_string()))?;
            if let Some((a, b, chord)) = km.conflicts().into_iter().next() {
                let offset_of =
                    |name: &str| text.find(&format!("\n{name}")).map(|i| i + 1).unwrap_or(0);
                let (name_a, name_b) = (crate::action::spec(a).name, crate::action::spec(b).name);
                // The error names the action whose line comes last: the one just written.
                let (first, last) = if offset_of(name_a) > offset_of(name_b) {
                    (name_b, name_a)
                } else {
                    (name_a, name_b)
                };
                return Err(invalid(
                    offset_of(last),
                    last,
                    format!("`{chord}` is bound to both `{first}` and `{last}`"),
                ));
            }
        }
        let sync = user
            .sync
            .map(|raw| sync::validate(raw, &invalid))
            .transpose()?;
        let theme = theme::from_value(
            user.theme.as_ref().or(defaults.theme.as_ref()),
            &shown,
            path.as_deref().and_then(Path::parent),
            text,
        )?;
        let notify = match user.notify {
            Some(argv) => {
                notify::check(argv.get_ref())
                    .map_err(|m| invalid(argv.span().start, "notify", m))?;
                argv.into_inner()
            }
            None => defaults.notify.map(Spanned::into_inner).unwrap_or_default(),
        };
        let reader = reader::validate(
            user.reader_width.or(defaults.reader_width),
            user.save_dir.or(defaults.save_dir),
            user.save_format.or(defaults.save_format),
            user.pipe.or(defaults.pipe),
            &invalid,
        )?;
        let dur = |u: Option<HumanDuration>, d: Option<HumanDuration>, fallback: Duration| {
            u.or(d).map(|h| h.0).unwrap_or(fallback)
        };
        Ok(Config {
            path,
            refresh_interval: dur(
                user.refresh_interval,
                defaults.refresh_interval,
                Duration::from_secs(900),
            ),
            bidi: user.bidi.or(defaults.bidi).unwrap_or_default(),
            shaping: user.shaping.or(defaults.shaping).unwrap_or_default(),
            timeout: dur(user.timeout, defaults.timeout, Duration::from_secs(30)),
            connect_timeout: dur(
                user.connect_timeout,
                defaults.connect_timeout,
                Duration::from_secs(10),
            ),
            max_feed_bytes: max_mb * 1024 * 1024,
            concurrency: positive(user.concurrency, defaults.concurrency, "concurrency")?,
            per_host_concurrency: positive(
                user.per_host_concurrency,
                defaults.per_host_concurrency,
                "per_host_concurrency",
            )?,
            keep_days: user.keep_days.or(defaults.keep_days).unwrap_or(90),
            keep_per_feed: user
                .keep_per_feed
                .or(defaults.keep_per_feed)
                .unwrap_or(1000),
            feeds,
            keys,
            sync,
            ignore,
            theme,
            mouse: user.mouse.or(defaults.mouse).unwrap_or(true),
            notify,
            notify_terminal: user
                .notify_terminal
                .or(defaults.notify_terminal)
                .unwrap_or_default(),
            reader,
            player: media::player(user.player.or(defaults.player), &invalid)?,
            hyperlinks: user.hyperlinks.or(defaults.hyperlinks).unwrap_or_default(),
            queries: query::validate(user.query, &invalid)?,
        })
    }
}

/// Line number (1-based) of a byte offset, and the key written on that line, if any.
fn locate(text: &str, offset: usize) -> (usize, Option<String>) {
    let offset = offset.min(text.len());
    let before = text.get(..offset).unwrap_or(text);
    let line_no = before.matches('\n').count() + 1;
    let line = text.lines().nth(line_no - 1).unwrap_or("");
    let key = line
        .split_once('=')
        .map(|(k, _)| k.trim().trim_matches('"').to_string())
        .filter(|k| !k.is_empty() && !k.starts_with('['));
    (line_no, key)
}

/// Where the config lives by default: `$XDG_CONFIG_HOME/akhbar/config.toml`.
pub fn default_path() -> Option<PathBuf> {
    crate::xdg::dir(crate::xdg::Base::Config).map(|d| d.join("config.toml"))
}

/// Writes the commented default config to `path`, never overwriting an existing file.
pub fn write_default(path: &Path) -> std::io::Result<()> {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)?;
    }
    let mut f = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)?;
    std::io::Write::write_all(&mut f, DEFAULT_TOML.as_bytes())
}

impl fmt::Display for BidiSetting {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            BidiSetting::Auto => "auto",
            BidiSetting::App => "app",
            BidiSetting::Terminal => "terminal",
            BidiSetting::Off => "off",
        })
    }
}
