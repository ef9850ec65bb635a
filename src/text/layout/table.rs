//! Tables as grids: column widths from the cells' content (the widest word and the widest
//! unwrapped line of each), shrunk to fit the width, cells wrapped inside their column, the
//! columns separated by ` │ `, a rule under the header rows, and the first column on the
//! right in a right-to-left table. Spanning cells take the columns and rows they span. A
//! table with too many columns to give each a few cells falls back to one line per row.

use unicode_bidi::{Direction as BidiDirection, get_base_direction};

use crate::model::Direction;
use crate::text::cluster::prepare;
use crate::text::doc::{Cell, Role, StyledText, Table};
use crate::text::{BidiMode, TextOptions, wrap};

use super::line::DocLine;
use super::styled::layout_styled;

const SEPARATOR: &str = " │ ";
const SEPARATOR_WIDTH: usize = 3;
/// A column narrower than this (when its content is wider) is not worth a grid.
const MIN_COLUMN: usize = 4;
/// Spans and grids are bounded, whatever the HTML says.
const MAX_COLUMNS: usize = 64;
const MAX_SPAN: usize = 64;

/// A cell placed in the grid.
struct Placed<'a> {
    cell: &'a Cell,
    row: usize,
    col: usize,
    rows: usize,
    cols: usize,
}

/// Lays `table` out at `width`. `dir` is the table's direction (`forced`: the feed's, which
/// the cells take too); `fallback_rtl` is the language's.
pub(crate) fn layout_table(
    table: &Table,
    dir: Direction,
    forced: bool,
    fallback_rtl: bool,
    width: usize,
    opts: &TextOptions,
) -> Vec<DocLine> {
    let rtl = table_rtl(table, dir, fallback_rtl);
    let rtl_flag = rtl && opts.mode != BidiMode::Off;
    let cell_dir = |c: &Cell| if forced { dir } else { c.dir };
    let Some((placed, grid, ncols)) = place(table) else {
        return one_line_per_row(table, rtl, rtl_flag, width, opts);
    };
    let measures: Vec<(usize, usize)> = placed
        .iter()
        .map(|p| {
            let prepared = prepare(p.cell.text.as_str(), opts.shapes(), true);
            wrap::measure(&prepared.text, &prepared.units)
        })
        .collect();
    let Some(widths) = column_widths(&placed, &measures, ncols, width) else {
        return one_line_per_row(table, rtl, rtl_flag, width, opts);
    };

    let span_width = |p: &Placed<'_>| -> usize {
        widths[p.col..p.col + p.cols].iter().sum::<usize>() + SEPARATOR_WIDTH * (p.cols - 1)
    };
    let contents: Vec<Vec<DocLine>> = placed
        .iter()
        .map(|p| {
            let w = span_width(p).max(1);
            layout_styled(&p.cell.text, cell_dir(p.cell), rtl, w, opts)
        })
        .collect();
    // Row heights: the tallest cell of one row; a cell spanning rows grows the last of them.
    let mut heights = vec![1usize; grid.len()];
    for (p, lines) in placed.iter().zip(&contents).filter(|(p, _)| p.rows == 1) {
        heights[p.row] = heights[p.row].max(lines.len());
    }
    for (p, lines) in placed.iter().zip(&contents).filter(|(p, _)| p.rows > 1) {
        let have: usize = heights[p.row..p.row + p.rows].iter().sum();
        if lines.len() > have {
            heights[p.row + p.rows - 1] += lines.len() - have;
        }
    }
    let mut tops = Vec::with_capacity(grid.len());
    let mut top = 0;
    for h in &heights {
        tops.push(top);
        top += h;
    }

    // Segments of a line in logical column order, drawn reversed in a right-to-left table.
    let visual = opts.mode == BidiMode::App;
    let reverse = rtl && visual;
    let mut out = Vec::new();
    for (r, slots) in grid.iter().enumerate() {
        for y in 0..heights[r] {
            let mut segments: Vec<DocLine> = Vec::new();
            let mut c = 0;
            while c < ncols {
                match slots[c] {
                    Some(k) if placed[k].col == c => {
                        let p = &placed[k];
                        let index = tops[r] + y - tops[p.row];
                        let line = contents[k].get(index).cloned().unwrap_or_default();
                        segments.push(aligned(line, span_width(p)));
                        c += p.cols;
                    }
                    _ => {
                        let mut blank = DocLine::new(false);
                        blank.pad(widths[c]);
                        segments.push(blank);
                        c += 1;
                    }
                }
            }
            out.push(join(segments, reverse, rtl_flag, |l| {
                l.push_str(SEPARATOR, Role::Border)
            }));
        }
        if r + 1 == table.header_rows && r + 1 < grid.len() {
            let segments = widths
                .iter()
                .map(|&w| {
                    let mut l = DocLine::new(false);
                    l.push_str(&"─".repeat(w), Role::Border);
                    l
                })
                .collect();
            out.push(join(segments, reverse, rtl_flag, |l| {
                l.push_str("─┼─", Role::Border)
            }));
        }
    }
    out
}

/// The table's direction: its own or inherited `dir`, else the direction most of its cells
/// have (by their first strong character), else the language's.
fn table_rtl(table: &Table, dir: Direction, fallback_rtl: bool) -> bool {
    match dir {
        Direction::Rtl => true,
        Direction::Ltr => false,
        Direction::Auto => {
            let (mut rtl, mut ltr) = (0usize, 0usize);
            for cell in table.rows.iter().flat_map(|r| &r.cells) {
                match cell.dir {
                    Direction::Rtl => rtl += 1,
                    Direction::Ltr => ltr += 1,
                    Direction::Auto => match get_base_direction(cell.text.as_str()) {
                        BidiDirection::Rtl => rtl += 1,
                        BidiDirection::Ltr => ltr += 1,
                        BidiDirection::Mixed => {}
                    },
                }
            }
            if rtl == ltr { fallback_rtl } else { rtl > ltr }
        }
    }
}

type Grid = Vec<Vec<Option<usize>>>;

/// Places every cell in the grid (HTML's table model: a cell takes the first free slot of
/// its row; `rowspan` reserves slots below, `rowspan=0` to the end of the table). `None`
/// when the grid has more than [`MAX_COLUMNS`] columns.
fn place(table: &Table) -> Option<(Vec<Placed<'_>>, Grid, usize)> {
    let nrows = table.rows.len();
    let mut grid: Grid = vec![Vec::new(); nrows];
    let mut placed = Vec::new();
    for (r, row) in table.rows.iter().enumerate() {
        let mut c = 0;
        for cell in &row.cells {
            while grid[r].get(c).is_some_and(Option::is_some) {
                c += 1;
            }
            let cols = usize::from(cell.colspan).clamp(1, MAX_SPAN);
            let rows = match usize::from(cell.rowspan) {
                0 => nrows - r,
                n => n.min(MAX_SPAN).min(nrows - r),
            };
            if c + cols > MAX_COLUMNS {
                return None;
            }
            for slots in &mut grid[r..r + rows] {
                if slots.len() < c + cols {
                    slots.resize(c + cols, None);
                }
                for slot in &mut slots[c..c + cols] {
                    *slot = Some(placed.len());
                }
            }
            placed.push(Placed {
                cell,
                row: r,
                col: c,
                rows,
                cols,
            });
            c += cols;
        }
    }
    let ncols = grid.iter().map(Vec::len).max().unwrap_or(0);
    for slots in &mut grid {
        slots.resize(ncols, None);
    }
    (ncols > 0).then_some((placed, grid, ncols))
}

/// Column widths that fit `width` with the separators: the widest lines if they fit, else
/// shares between the widest word and the widest line, else the widest words with the widest
/// columns shrunk evenly (their words are cut). `None` when the columns cannot get
/// [`MIN_COLUMN`] cells each.
fn column_widths(
    placed: &[Placed<'_>],
    measures: &[(usize, usize)],
    ncols: usize,
    width: usize,
) -> Option<Vec<usize>> {
    let avail = width.checked_sub(SEPARATOR_WIDTH * (ncols - 1))?;
    let mut min = vec![0usize; ncols];
    let mut max = vec![0usize; ncols];
    for (p, &(lo, hi)) in placed.iter().zip(measures).filter(|(p, _)| p.cols == 1) {
        min[p.col] = min[p.col].max(lo);
        max[p.col] = max[p.col].max(hi);
    }
    // A spanning cell wider than its columns widens them evenly, the narrowest spans first.
    let mut spanning: Vec<usize> = (0..placed.len()).filter(|&k| placed[k].cols > 1).collect();
    spanning.sort_by_key(|&k| placed[k].cols);
    for k in spanning {
        let p = &placed[k];
        let (lo, hi) = measures[k];
        let inner = SEPARATOR_WIDTH * (p.cols - 1);
        for (need, have) in [(lo, &mut min), (hi, &mut max)] {
            let span = &mut have[p.col..p.col + p.cols];
            let got = span.iter().sum::<usize>() + inner;
            if need > got {
                spread(span, need - got);
            }
        }
    }
    for (hi, lo) in max.iter_mut().zip(&min) {
        *hi = (*hi).max(*lo);
    }
    if max.iter().map(|&m| m.min(MIN_COLUMN)).sum::<usize>() > avail {
        return None;
    }
    let (sum_min, sum_max) = (min.iter().sum::<usize>(), max.iter().sum::<usize>());
    if sum_max <= avail {
        return Some(max);
    }
    if sum_min <= avail {
        // Every column gets its widest word and a share of the rest by how much more it wants.
        let spare = avail - sum_min;
        let want = sum_max - sum_min;
        let mut widths: Vec<usize> = min
            .iter()
            .zip(&max)
            .map(|(&lo, &hi)| lo + (hi - lo) * spare / want)
            .collect();
        let mut left = avail - widths.iter().sum::<usize>();
        for (w, &hi) in widths.iter_mut().zip(&max) {
            if left > 0 && *w < hi {
                *w += 1;
                left -= 1;
            }
        }
        return Some(widths);
    }
    // Water-filling: the largest cap on the widest words that fits, the rest to the widest.
    let fits = |cap: usize| min.iter().map(|&m| m.min(cap)).sum::<usize>() <= avail;
    let (mut lo, mut hi) = (MIN_COLUMN.min(avail), avail);
    while lo < hi {
        let mid = lo + (hi - lo).div_ceil(2);
        if fits(mid) { lo = mid } else { hi = mid - 1 }
    }
    let mut widths: Vec<usize> = min.iter().map(|&m| m.min(lo)).collect();
    let mut left = avail - widths.iter().sum::<usize>();
    for (w, &m) in widths.iter_mut().zip(&min) {
        if left > 0 && *w < m {
            *w += 1;
            left -= 1;
        }
    }
    Some(widths)
}

/// Adds `extra` cells over `span` as evenly as it goes (the first columns get the remainder).
fn spread(span: &mut [usize], extra: usize) {
    let n = span.len();
    for (i, w) in span.iter_mut().enumerate() {
        *w += extra / n + usize::from(i < extra % n);
    }
}

/// A cell line padded to its column: on the right, or on the left for a right-to-left cell.
fn aligned(line: DocLine, width: usize) -> DocLine {
    let pad = width.saturating_sub(line.width);
    let mut out = DocLine::new(false);
    if line.rtl {
        out.pad(pad);
        out.append(line);
    } else {
        out.append(line);
        out.pad(pad);
    }
    out
}

/// Segments side by side with a separator between them, in reverse for a right-to-left table.
fn join(
    mut segments: Vec<DocLine>,
    reverse: bool,
    rtl_flag: bool,
    separator: impl Fn(&mut DocLine),
) -> DocLine {
    if reverse {
        segments.reverse();
    }
    let mut out = DocLine::new(rtl_flag);
    for (i, s) in segments.into_iter().enumerate() {
        if i > 0 {
            separator(&mut out);
        }
        out.append(s);
    }
    out
}

/// The fallback for a table too wide for a grid: each row one paragraph, its cells in order
/// separated by ` | `, each cell isolated so that it keeps its own bidi.
fn one_line_per_row(
    table: &Table,
    rtl: bool,
    rtl_flag: bool,
    width: usize,
    opts: &TextOptions,
) -> Vec<DocLine> {
    let dir = if rtl { Direction::Rtl } else { Direction::Ltr };
    let mut out = Vec::new();
    for row in &table.rows {
        let mut text = StyledText::default();
        for cell in row
            .cells
            .iter()
            .filter(|c| !c.text.as_str().trim().is_empty())
        {
            if !text.is_empty() {
                text.push_str(" | ", Role::Border);
            }
            let opener = match cell.dir {
                Direction::Ltr => '\u{2066}',
                Direction::Rtl => '\u{2067}',
                Direction::Auto => '\u{2068}',
            };
            text.push(opener, Role::Text);
            text.append(&cell.text.map_chars(|c| if c == '\n' { ' ' } else { c }));
            text.push('\u{2069}', Role::Text);
        }
        if text.is_empty() {
            continue;
        }
        for mut line in layout_styled(&text, dir, rtl, width, opts) {
            line.rtl = rtl_flag;
            out.push(line);
        }
    }
    out
}
