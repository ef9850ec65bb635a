//! Running the app: the session (config, cache and app built at start-up) and the effects
//! runtime that carries out the app's commands and shuts down once. Shared by the TUI and
//! `akhbar refresh`; the terminal itself belongs to the binary.

mod effects;
pub mod notify;
mod player;
pub mod save;
mod search;
pub mod session;
pub mod sync;

pub use effects::{Runtime, ShutdownReport};
pub use search::SEARCH_LIMIT;
pub use session::{RestLoad, Session, SessionError, poll_options, store_for};
