//! akhbar: a terminal newsreader that reads right-to-left news properly.
//!
//! Data flows one way: poller (`feed`) -> `PollEvent` message -> `App::update` -> `Store` ->
//! views (`ui`), with all text laid out by `text`.

pub mod config;
pub mod demo;
pub mod feed;
pub mod model;
pub mod text;
