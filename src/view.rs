//! What the screen shows, as data: styled lines, the reader's laid-out article, the ticker's
//! runs and position, dates, the palette and the screen's geometry. Below the app (which
//! keeps these in its state) and above the text engine; `ui` only copies them into cells.

mod dates;
mod export;
mod geometry;
mod help;
mod line;
mod messages;
mod reader;
pub mod theme;
mod ticker;
mod words;

pub use dates::{long_date, short_date, time_of_day};
pub use export::{SaveFormat, export_article, file_stem};
pub use geometry::{DEFAULT_MEASURE, Geometry, MAX_MEASURE, MEASURE_STEP, MIN_MEASURE};
pub use help::help_lines;
pub use line::{StyledLine, compose, plain};
pub use messages::messages_lines;
pub use reader::{ENCLOSURES_HEADING, file_name as enclosure_file_name};
pub use reader::{
    ReaderLine, article_document, layout_article, layout_article_marked, message_lines,
    reader_position, reader_state, with_full_text,
};
pub use ticker::{ITEMS as TICKER_ITEMS, Run, STEP as TICKER_STEP, Ticker};
pub use words::count;
