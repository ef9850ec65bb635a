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
mod export;
mod filter_view;
mod full;
mod fulltext;
mod ingest;
mod keys;
mod line_input;
mod markall;
mod measure;
mod media;
mod mouse;
mod msg;
mod notify;
mod number;
mod overlay;
mod play;
mod query;
mod reader;
mod reconfig;
mod round;
mod search;
mod state;
mod sync;
mod update;

pub use bidi::BidiState;
pub use cursor::Cursor;
pub use line_input::{Edit, LineInput};
pub use measure::{measure_setting, restored_measure};
pub use msg::{Cmd, ExportJob, ExportTarget, LayoutJob, LayoutKey, Msg, NewArticles};
pub use overlay::Overlay;
pub use reader::Reader;
pub use search::SearchProgress;
pub use state::{App, AppOptions, Focus, ReaderOptions, SidebarRow, Stats};
