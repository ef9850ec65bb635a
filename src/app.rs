//! The application state and its one update step: `update(&mut self, Msg) -> Vec<Cmd>`.
//! No I/O here: workers send `Msg`s in, the runtime carries the `Cmd`s out.
//!
//! One concern per file: the protocol (`msg`), the state and its accessors (`state`), the
//! update step (`update`), keys and actions (`keys`), the derived views (`derive`), what
//! comes in from the poller and the cache (`ingest`), the reader with its layout slot
//! (`reader`), and the small types they share (`cursor`, `overlay`, `bidi`).

mod bidi;
mod cursor;
mod derive;
mod ingest;
mod keys;
mod markall;
mod mouse;
mod msg;
mod overlay;
mod reader;
mod state;
mod update;

pub use bidi::BidiState;
pub use cursor::Cursor;
pub use msg::{Cmd, LayoutJob, LayoutKey, Msg};
pub use overlay::{LineInput, Overlay};
pub use reader::Reader;
pub use state::{App, AppOptions, Focus, SidebarRow, Stats};
