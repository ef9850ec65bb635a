//! A table while the walk is inside it: rows and cells as they open and close, the caption,
//! which rows are header rows, and how deep tables nest inside its cells (a table inside a
//! cell is flattened into the cell's text).

use crate::model::Direction;
use crate::text::doc::{Cell, Nest, Row, StyledText, Table};

/// Spans past these are clamped (HTML's own limits are 1000 and 65534).
const MAX_COLSPAN: u16 = 1000;
const MAX_ROWSPAN: u16 = 65534;

struct OpenCell {
    frame: usize,
    header: bool,
    colspan: u16,
    rowspan: u16,
    dir: Direction,
    lang: Option<String>,
}

/// The outermost open table.
pub(super) struct TableBuild {
    /// The frame of the `<table>` element.
    pub frame: usize,
    pub dir: Direction,
    pub lang: Option<String>,
    pub nest: Vec<Nest>,
    rows: Vec<Row>,
    /// Per row: inside a `<thead>`.
    head: Vec<bool>,
    in_head: usize,
    cell: Option<OpenCell>,
    caption_frame: Option<usize>,
    caption: Option<StyledText>,
    /// Tables open inside cells of this one.
    pub nested: usize,
}

/// A `colspan` / `rowspan` value: HTML's "valid non-negative integer", 1 when missing or bad.
pub(super) fn span(value: Option<&str>, max: u16) -> u16 {
    value
        .and_then(|v| v.trim().parse::<u32>().ok())
        .map_or(1, |n| n.min(u32::from(max)) as u16)
}

impl TableBuild {
    pub(super) fn new(
        frame: usize,
        dir: Direction,
        lang: Option<String>,
        nest: Vec<Nest>,
    ) -> TableBuild {
        TableBuild {
            frame,
            dir,
            lang,
            nest,
            rows: Vec::new(),
            head: Vec::new(),
            in_head: 0,
            cell: None,
            caption_frame: None,
            caption: None,
            nested: 0,
        }
    }

    /// Text is being collected: inside a cell or the caption (blocks become line breaks).
    pub(super) fn collecting(&self) -> bool {
        self.cell.is_some() || self.caption_frame.is_some()
    }

    pub(super) fn enter_head(&mut self, delta: isize) {
        self.in_head = self.in_head.saturating_add_signed(delta);
    }

    pub(super) fn start_row(&mut self) {
        self.rows.push(Row::default());
        self.head.push(self.in_head > 0);
    }

    /// The cell's header flag: `<th>`, or any cell of a `<thead>` row.
    pub(super) fn header_cell(&self, th: bool) -> bool {
        th || self.in_head > 0
    }

    pub(super) fn start_cell(
        &mut self,
        frame: usize,
        header: bool,
        colspan: Option<&str>,
        rowspan: Option<&str>,
        dir: Direction,
        lang: Option<String>,
    ) {
        if self.rows.is_empty() {
            self.start_row();
        }
        // `rowspan=0` (to the end of the table) stays 0 for the layout.
        let rowspan = match rowspan.map(str::trim) {
            Some("0") => 0,
            other => span(other, MAX_ROWSPAN),
        };
        self.cell = Some(OpenCell {
            frame,
            header,
            colspan: span(colspan, MAX_COLSPAN).max(1),
            rowspan,
            dir,
            lang,
        });
    }

    pub(super) fn cell_frame(&self) -> Option<usize> {
        self.cell.as_ref().map(|c| c.frame)
    }

    pub(super) fn finish_cell(&mut self, text: Option<StyledText>) {
        let Some(open) = self.cell.take() else {
            return;
        };
        if let Some(row) = self.rows.last_mut() {
            row.cells.push(Cell {
                text: text.unwrap_or_default(),
                dir: open.dir,
                lang: open.lang,
                header: open.header,
                colspan: open.colspan,
                rowspan: open.rowspan,
            });
        }
    }

    pub(super) fn start_caption(&mut self, frame: usize) {
        if self.cell.is_none() && self.caption.is_none() {
            self.caption_frame = Some(frame);
        }
    }

    pub(super) fn caption_frame(&self) -> Option<usize> {
        self.caption_frame
    }

    pub(super) fn finish_caption(&mut self, text: Option<StyledText>) {
        self.caption_frame = None;
        self.caption = text;
    }

    /// The caption and the table (`None` when no cell has any text). Rows with no cell are
    /// dropped; the header rows are the leading rows from `<thead>` or of `<th>` only.
    pub(super) fn finish(self) -> (Option<StyledText>, Option<Table>) {
        let mut rows = Vec::new();
        let mut head = Vec::new();
        for (row, in_head) in self.rows.into_iter().zip(self.head) {
            if !row.cells.is_empty() {
                head.push(in_head || row.cells.iter().all(|c| c.header));
                rows.push(row);
            }
        }
        let header_rows = head.iter().take_while(|&&h| h).count();
        let has_text = rows
            .iter()
            .flat_map(|r| &r.cells)
            .any(|c| !c.text.as_str().trim().is_empty());
        let table = has_text.then_some(Table { rows, header_rows });
        (self.caption, table)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spans_are_clamped_and_bad_values_are_one() {
        assert_eq!(span(Some(" 3 "), MAX_COLSPAN), 3);
        assert_eq!(span(Some("99999"), MAX_COLSPAN), 1000);
        assert_eq!(span(Some("-2"), MAX_COLSPAN), 1);
        assert_eq!(span(Some("x"), MAX_COLSPAN), 1);
        assert_eq!(span(None, MAX_COLSPAN), 1);
    }
}
