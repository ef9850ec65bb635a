//! A list cursor: the selected row and the top row shown, with the rule that keeps the
//! selection on screen. The headline list and the feed list use the same one.

/// Selection and scroll position of a list.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Cursor {
    selected: usize,
    top: usize,
}

impl Cursor {
    pub fn selected(&self) -> usize {
        self.selected
    }

    /// The first row on screen.
    pub fn top(&self) -> usize {
        self.top
    }

    pub fn select(&mut self, row: usize) {
        self.selected = row;
    }

    /// Back to the first row (a new filter or search).
    pub fn reset(&mut self) {
        *self = Cursor::default();
    }

    /// Moves the selection by `delta` rows within a list of `len` rows.
    pub fn move_by(&mut self, delta: isize, len: usize) {
        self.selected = self
            .selected
            .saturating_add_signed(delta)
            .min(len.saturating_sub(1));
    }

    /// Keeps the selection inside the list and inside a window of `rows` rows.
    pub fn fit(&mut self, len: usize, rows: usize) {
        let rows = rows.max(1);
        self.selected = self.selected.min(len.saturating_sub(1));
        if self.selected < self.top {
            self.top = self.selected;
        } else if self.selected >= self.top + rows {
            self.top = self.selected + 1 - rows;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_window_follows_the_selection_both_ways() {
        let mut c = Cursor::default();
        c.move_by(12, 100);
        c.fit(100, 5);
        assert_eq!((c.selected(), c.top()), (12, 8));
        c.move_by(-10, 100);
        c.fit(100, 5);
        assert_eq!((c.selected(), c.top()), (2, 2));
    }

    #[test]
    fn the_selection_stays_inside_a_shrinking_list() {
        let mut c = Cursor::default();
        c.move_by(isize::MAX / 2, 40);
        assert_eq!(c.selected(), 39);
        c.fit(3, 10);
        assert_eq!((c.selected(), c.top()), (2, 0));
        c.fit(0, 10);
        assert_eq!(c.selected(), 0);
    }
}
