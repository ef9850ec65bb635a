//! The screen's geometry in one place: where the ticker, the lists, the reader's text column
//! and the status line go for a terminal size. The app (page height, reader width) and the
//! views (where to draw) both ask it, so the two never disagree.

use ratatui::layout::Rect;

/// Narrower screens show the feed list or the headlines, not both.
const SIDE_BY_SIDE_FROM: u16 = 60;
/// The reader's text column by default (the measure, `reader_width`): a readable 80
/// columns, centred on a wider screen; a narrower one gives it all its width but a margin of
/// one cell each side.
pub const DEFAULT_MEASURE: u16 = 80;
/// The narrowest measure `-` goes to.
pub const MIN_MEASURE: u16 = 20;
/// The widest measure the config accepts (`+` stops at the screen's width).
pub const MAX_MEASURE: u16 = 1000;
/// How many columns `+` and `-` add or take.
pub const MEASURE_STEP: u16 = 4;

/// The parts of the screen for one terminal size.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Geometry {
    pub area: Rect,
    /// The ticker row (none below 3 rows).
    pub ticker: Rect,
    /// Lists or reader.
    pub body: Rect,
    /// The status row (none below 2 rows).
    pub status: Rect,
    /// The reader's text column is this wide where the screen allows (see [`DEFAULT_MEASURE`]).
    pub measure: u16,
}

impl Geometry {
    pub fn new(area: Rect) -> Geometry {
        let h = area.height;
        let ticker_h = u16::from(h >= 3);
        let status_h = u16::from(h >= 2);
        Geometry {
            area,
            ticker: Rect {
                height: ticker_h,
                ..area
            },
            status: Rect {
                y: area.bottom().saturating_sub(status_h),
                height: status_h,
                ..area
            },
            body: Rect {
                y: area.y + ticker_h,
                height: h - ticker_h - status_h,
                ..area
            },
            measure: DEFAULT_MEASURE,
        }
    }

    /// The same screen with the reader's column `measure` wide.
    pub fn with_measure(self, measure: u16) -> Geometry {
        Geometry {
            measure: measure.max(1),
            ..self
        }
    }

    /// The widest the reader's column can be on this screen (a margin of one cell each side).
    pub fn widest_measure(&self) -> u16 {
        self.body.width.saturating_sub(2)
    }

    /// A terminal of `width` x `height` cells.
    pub fn of_size(width: u16, height: u16) -> Geometry {
        Geometry::new(Rect::new(0, 0, width, height))
    }

    /// The feed list's width beside the headlines: 0 on a narrow screen.
    pub fn sidebar_width(&self) -> u16 {
        let total = self.body.width;
        if total < SIDE_BY_SIDE_FROM {
            0
        } else {
            (total / 4).clamp(18, 32)
        }
    }

    /// The feed list and the headline list. On a narrow screen the focused one has the
    /// whole body.
    pub fn lists(&self, feeds_focused: bool) -> (Rect, Rect) {
        let body = self.body;
        let side = if feeds_focused && body.width < SIDE_BY_SIDE_FROM {
            body.width
        } else {
            self.sidebar_width()
        };
        (
            Rect {
                width: side,
                ..body
            },
            Rect {
                x: body.x + side,
                width: body.width - side,
                ..body
            },
        )
    }

    /// Rows of a page in the lists and the reader (at least 1).
    pub fn page_rows(&self) -> usize {
        usize::from(self.body.height).max(1)
    }

    /// The reader's text column: the measure wide, centred in the body; on a narrower body
    /// all of it but a cell each side.
    pub fn reader_text(&self) -> Rect {
        let body = self.body;
        let w = self.widest_measure().min(self.measure);
        Rect {
            x: body.x + (body.width - w) / 2,
            width: w,
            ..body
        }
    }
}

impl Geometry {
    /// An overlay box (help, messages): the body, at most this wide, centred.
    pub fn overlay(&self) -> Rect {
        let body = self.body;
        let w = body.width.min(OVERLAY_MAX_WIDTH);
        Rect {
            x: body.x + (body.width - w) / 2,
            width: w,
            ..body
        }
    }

    /// The text inside an overlay box: inside its border, a cell of padding each side.
    pub fn overlay_text(&self) -> Rect {
        let b = self.overlay();
        Rect {
            x: b.x + 2,
            y: b.y + 1,
            width: b.width.saturating_sub(4),
            height: b.height.saturating_sub(2),
        }
    }
}

/// Overlays use the width they have, up to this.
const OVERLAY_MAX_WIDTH: u16 = 110;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_body_is_what_the_ticker_and_status_rows_leave() {
        let g = Geometry::of_size(80, 24);
        assert_eq!((g.ticker.y, g.ticker.height), (0, 1));
        assert_eq!((g.body.y, g.body.height), (1, 22));
        assert_eq!((g.status.y, g.status.height), (23, 1));
        assert_eq!(g.page_rows(), 22);
        let tiny = Geometry::of_size(5, 1);
        assert_eq!(
            (tiny.ticker.height, tiny.status.height, tiny.body.height),
            (0, 0, 1)
        );
    }

    #[test]
    fn the_feed_list_sits_beside_the_headlines_from_60_columns() {
        let wide = Geometry::of_size(120, 30);
        assert_eq!(wide.lists(false).0.width, 30);
        assert_eq!(wide.lists(false).1.x, 30);
        let narrow = Geometry::of_size(50, 30);
        assert_eq!(narrow.lists(false).0.width, 0);
        assert_eq!(narrow.lists(true).0.width, 50);
    }

    #[test]
    fn the_reader_column_is_the_measure_centred_with_a_margin_on_narrow_screens() {
        assert_eq!(Geometry::of_size(80, 10).reader_text().x, 1);
        assert_eq!(Geometry::of_size(80, 10).reader_text().width, 78);
        let wide = Geometry::of_size(140, 10).reader_text();
        assert_eq!((wide.x, wide.width), (30, 80));
        let narrow = Geometry::of_size(40, 10).with_measure(60).reader_text();
        assert_eq!((narrow.x, narrow.width), (1, 38));
        let set = Geometry::of_size(120, 10).with_measure(50).reader_text();
        assert_eq!((set.x, set.width), (35, 50));
    }
}
