//! Command-line arguments (clap). `--config FILE` and the other global options are accepted
//! before or after a subcommand.

use std::path::PathBuf;

use clap::{Parser, Subcommand};

use crate::config::BidiSetting;

#[derive(Debug, Parser)]
#[command(
    name = "akhbar",
    version,
    about = "A terminal newsreader that reads right-to-left news properly"
)]
pub struct Cli {
    /// Config file (default: $XDG_CONFIG_HOME/akhbar/config.toml).
    #[arg(long, short = 'c', global = true, value_name = "FILE")]
    pub config: Option<PathBuf>,

    /// Right-to-left mode, overriding the config: auto, app, terminal or off.
    #[arg(long, global = true, value_name = "MODE")]
    pub bidi: Option<BidiSetting>,

    /// Run on the demo feeds built into akhbar (no network needed).
    #[arg(long)]
    pub demo: bool,

    /// Write the commented default config file (never overwrites one).
    #[arg(long)]
    pub init: bool,

    /// Where the log goes (default: $XDG_STATE_HOME/akhbar/akhbar.log).
    #[arg(long, global = true, value_name = "FILE")]
    pub log_file: Option<PathBuf>,

    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Fetch every feed once, print failures and a summary, and exit.
    Refresh,
}
