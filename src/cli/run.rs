//! Top level: arguments -> config -> logging -> the TUI or a headless command.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use akhbar::app::BidiState;
use akhbar::config::{BidiSetting, Config, ConfigError};
use akhbar::text::{self, BidiMode};
use anyhow::Context;

use super::args::{Cli, Command};
use super::report;

/// Exit code for a bad or missing config.
pub const EXIT_CONFIG: u8 = 2;

pub fn main(cli: Cli) -> anyhow::Result<ExitCode> {
    if cli.init {
        let path = cli
            .config
            .clone()
            .or_else(akhbar::config::default_path)
            .context("no config directory")?;
        return match akhbar::config::write_default(&path) {
            Ok(()) => {
                report::line(format!(
                    "wrote {}: add your feeds there, then run `akhbar`",
                    path.display()
                ));
                Ok(ExitCode::SUCCESS)
            }
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
                report::error(format!(
                    "{} already exists; not overwritten",
                    path.display()
                ));
                Ok(ExitCode::from(1))
            }
            Err(e) => Err(e).with_context(|| format!("cannot write {}", path.display())),
        };
    }
    // Generated from the argument definitions; no config, no log, no data directory.
    match &cli.command {
        Some(Command::Completions { shell }) => {
            let mut cmd = <Cli as clap::CommandFactory>::command();
            clap_complete::generate(*shell, &mut cmd, "akhbar", &mut std::io::stdout());
            return Ok(ExitCode::SUCCESS);
        }
        Some(Command::Man) => {
            let cmd = <Cli as clap::CommandFactory>::command();
            clap_mangen::Man::new(cmd).render(&mut std::io::stdout())?;
            return Ok(ExitCode::SUCCESS);
        }
        _ => {}
    }
    let _log = init_logging(cli.log_file.clone());
    if cli.demo {
        // The demo polls often so the items its server publishes show up quickly.
        let mut config = Config::defaults();
        config.refresh_interval = akhbar::demo::REFRESH;
        let bidi = resolve_bidi(cli.bidi.unwrap_or(config.bidi), &config);
        return super::tui::run(config, bidi, None, true);
    }
    if let Some(Command::PrintUnread) = cli.command {
        // Status bars call this every few seconds: no network, no lock. It counts the
        // configured feeds, as the reader does; with a config it cannot read it still answers,
        // counting every feed in the cache.
        let dir = cli
            .data_dir
            .clone()
            .or_else(akhbar::persist::default_data_dir)
            .context("no data directory")?;
        let unread = match load_config(cli.config.as_deref()) {
            Ok(config) => {
                let mut urls: Vec<String> = config.feeds.iter().map(|f| f.url.clone()).collect();
                // The server's feeds, as the last sync saved them.
                if let Some(sync) = &config.sync {
                    let account = akhbar::runtime::sync::account_key(sync);
                    urls.extend(
                        akhbar::persist::synced_feeds(&dir, &account)
                            .into_iter()
                            .map(|f| f.url),
                    );
                }
                akhbar::persist::count_unread_of(&dir, &urls)?
            }
            Err(_) => akhbar::persist::count_unread(&dir)?,
        };
        report::line(unread);
        return Ok(ExitCode::SUCCESS);
    }
    let config = match load_config(cli.config.as_deref()) {
        Ok(c) => c,
        Err(msg) => {
            report::error(msg);
            return Ok(ExitCode::from(EXIT_CONFIG));
        }
    };
    let data_dir = match cli
        .data_dir
        .clone()
        .or_else(akhbar::persist::default_data_dir)
    {
        Some(d) => d,
        None => anyhow::bail!("cannot find a data directory (is HOME set?); pass --data-dir"),
    };
    let bidi = resolve_bidi(cli.bidi.unwrap_or(config.bidi), &config);
    match cli.command {
        Some(Command::Refresh { force }) => super::refresh::run(&config, bidi, &data_dir, force),
        Some(other) => super::commands::run(other, &config, &data_dir),
        None => super::tui::run(config, bidi, Some(data_dir), false),
    }
}

/// Loads the config from `--config` or the default place; the error is the user-facing text.
pub fn load_config(explicit: Option<&Path>) -> Result<Config, String> {
    let path: PathBuf = match explicit {
        Some(p) => p.to_path_buf(),
        None => {
            akhbar::config::default_path().ok_or("cannot find a config directory (is HOME set?)")?
        }
    };
    if explicit.is_none() && !path.exists() {
        return Err(format!(
            "no config file at {}.\n  Run `akhbar --init` to write a commented one and add your feeds,\n  or `akhbar --demo` to try akhbar on its demo feeds.",
            path.display()
        ));
    }
    Config::load(&path).map_err(|e: ConfigError| e.to_string())
}

/// Resolves `auto` and explains the choice in the log.
pub fn resolve_bidi(setting: BidiSetting, config: &Config) -> BidiState {
    let (mode, reason) = match setting {
        BidiSetting::App => (BidiMode::App, "set to app".to_string()),
        BidiSetting::Terminal => (BidiMode::Terminal, "set to terminal".to_string()),
        BidiSetting::Off => (BidiMode::Off, "set to off".to_string()),
        BidiSetting::Auto => text::mode_from_env(|k| std::env::var(k).ok()),
    };
    tracing::info!(?mode, %reason, "bidi mode");
    BidiState {
        setting,
        shaping: config.shaping,
        mode,
        reason,
    }
}

/// Logs go to a file (never to the terminal the TUI draws on).
fn init_logging(explicit: Option<PathBuf>) -> Option<()> {
    let path = explicit
        .or_else(|| akhbar::xdg::dir(akhbar::xdg::Base::State).map(|d| d.join("akhbar.log")))?;
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).ok()?;
    }
    let file = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(&path)
        .ok()?;
    let filter =
        tracing_subscriber::EnvFilter::try_from_env("AKHBAR_LOG").unwrap_or_else(|_| "info".into());
    tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_ansi(false)
        .with_writer(std::sync::Mutex::new(file))
        .try_init()
        .ok()
}
