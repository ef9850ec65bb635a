//! akhbar: a terminal newsreader that reads right-to-left news properly.
//!
//! Data flows one way: poller (`feed`) -> `PollEvent` message -> `App::update` -> `Store` ->
//! views (`ui`), with all text laid out by `text`.

pub mod action;
pub mod app;
pub mod cli;
pub mod commands;
pub mod config;
pub mod demo;
pub mod feed;
pub mod filter;
pub mod keymap;
pub mod model;
pub mod opml;
pub mod persist;
pub mod run;
pub mod session;
pub mod store;
pub mod text;
pub mod tui;
pub mod ui;
