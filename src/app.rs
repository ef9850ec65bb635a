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
mod filter_view;
mod full;
mod fulltext;
mod ingest;
mod keys;
mod line_input;
mod markall;
mod mouse;
mod msg;
mod overlay;
mod query;
mod reader;
mod search;
mod state;
mod sync;
mod update;

pub use bidi::BidiState;
pub use cursor::Cursor;
pub use line_input::{Edit, LineInput};
pub use msg::{Cmd, LayoutJob, LayoutKey, Msg};
pub use overlay::Overlay;
pub use reader::Reader;
pub use search::SearchProgress;
pub use state::{App, AppOptions, Focus, SidebarRow, Stats};
