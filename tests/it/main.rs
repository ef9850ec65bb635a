//! The integration tests as one binary (`cargo test --test it`). Each module below was its own
//! test binary (`tests/X.rs`) before; one binary links tokio, axum and SQLite once instead of
//! 24 times. `support` holds what the modules share: builders with defaults, the test HTTP
//! servers, the app drivers and the tmux helpers.
//!
//! Every test of every module shares this process, so none may change process-wide state
//! (environment variables, the current directory, the panic hook, signal handlers): a child
//! process gets its environment passed to it instead.

mod support;

mod app_restore;
mod app_update;
mod arch;
mod cli;
mod config;
mod demo_server;
mod e2e_tmux;
mod enclosures;
mod extract;
mod filter_view;
mod find_e2e;
mod first_hour;
mod first_hour_feeds;
mod fribidi_diff;
mod full_text;
mod fuzz_inputs;
mod hostile;
mod hostile_tui;
mod html_layout;
mod kill_file;
mod mark_all;
mod media_e2e;
mod mouse;
mod newsboat_import;
mod notify;
mod opml_import;
mod persist_batches;
mod persist_counts;
mod persist_crash;
mod persist_packed;
mod persist_recovery;
mod persist_roundtrip;
mod persist_staged;
mod poll_charset;
mod poll_discover;
mod poll_env;
mod poll_http;
mod poll_parse;
mod poll_schedule;
mod query_feeds;
mod reader_comfort;
mod reader_e2e;
mod reader_export;
mod reader_layout;
mod reader_links;
mod readonly_dir;
mod refresh_progress;
mod refresh_stream;
mod reload;
mod removed_feed;
mod restart_status;
mod search;
mod search_app;
mod snapshots;
mod state_commands;
mod sync;
mod text_cases;
mod text_props;
mod theme;
mod ui_render;
mod xdg;
