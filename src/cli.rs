//! The binary: command-line arguments, the dispatch to the TUI or a headless command, the
//! terminal, and the one reporter every printed error goes through. `anyhow` lives here,
//! above the library's thiserror types.

pub mod args;
pub mod browser;
pub mod commands;
pub mod import;
pub mod progress;
pub mod refresh;
pub mod refresh_sync;
pub mod reload;
pub mod report;
pub mod run;
pub mod terminal;
pub mod tui;
