//! akhbar: a terminal newsreader that reads right-to-left news properly.
//!
//! Data flows one way: poller (`feed`) -> `PollEvent` message -> `App::update` -> `Store` ->
//! views, with all text laid out by `text`. The layers, bottom up (each uses only those
//! below it; `ARCHITECTURE.md` has the whole map):
//! - `model`, `clock`, `link`, `text`, `xdg`: plain data, time as an input, pure text
//!   functions, where files live;
//! - `action`, `keymap`, `config`: what the user can do and set;
//! - `feed` (the poller), `persist` (the cache), `opml`, `demo`: I/O, never the store;
//! - `store`: feeds and articles in memory;
//! - `view`: what the screen shows, as data (layouts, ticker, geometry, palette);
//! - `app`: the state and its one update step;
//! - `runtime`: the session and the effects runtime;
//! - `ui`: drawing the app into cells.
//!
//! The binary (`src/main.rs` with `src/cli/`) sits on top: arguments, the terminal, the
//! headless commands and the one place errors are printed.

pub mod action;
pub mod app;
pub mod clock;
pub mod config;
pub mod demo;
pub mod extract;
pub mod feed;
pub mod filter;
#[doc(hidden)]
pub mod fuzzing;
pub mod keymap;
pub mod link;
pub mod model;
pub mod opml;
pub mod persist;
pub mod runtime;
pub mod store;
pub mod sync;
pub mod text;
pub mod ui;
pub mod view;
pub mod xdg;
