//! Command-line arguments (clap). `--config FILE` and the other global options are accepted
//! before or after a subcommand.

use std::path::PathBuf;

use clap::{Parser, Subcommand};

use akhbar::config::BidiSetting;

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

    /// Where the cache lives (default: $XDG_DATA_HOME/akhbar).
    #[arg(long, global = true, value_name = "DIR")]
    pub data_dir: Option<PathBuf>,

    /// Where the log goes (default: $XDG_STATE_HOME/akhbar/akhbar.log).
    #[arg(long, global = true, value_name = "FILE")]
    pub log_file: Option<PathBuf>,

    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Fetch every feed once, print failures and a summary, and exit. A feed that answered
    /// 410 Gone, or a failing one whose Retry-After (or backoff) is not over, is skipped.
    Refresh {
        /// Fetch every feed, even the ones gone or asked to wait.
        #[arg(long)]
        force: bool,
    },
    /// Print the number of unread articles in the cache (no network).
    PrintUnread,
    /// Add a feed: a feed URL, or a web page whose feeds are offered to pick from.
    Add { url: String },
    /// Add the feeds of an OPML file or a newsboat `urls` file to the config (newsboat's
    /// query feeds too), and the ignore-article lines of a newsboat config file.
    Import {
        file: Option<PathBuf>,
        /// A newsboat config file whose `ignore-article` lines become `ignore` filters.
        #[arg(long, value_name = "FILE")]
        newsboat_config: Option<PathBuf>,
    },
    /// Write the configured feeds as OPML 2.0 to standard output.
    Export,
    /// Write read and starred state as JSON to standard output.
    ExportState,
    /// Read read and starred state from a JSON file written by export-state.
    ImportState { file: PathBuf },
    /// Compact the cache: compress what an older akhbar stored uncompressed, then give the
    /// free space back to the disk (newsboat's --vacuum). Needs the cache to itself.
    Vacuum,
    /// Print a completion script for a shell (bash, zsh, fish, elvish, powershell).
    Completions { shell: clap_complete::Shell },
    /// Print akhbar's man page (roff), for `man -l -` or to install as akhbar.1.
    Man,
}
