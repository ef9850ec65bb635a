//! The reader's measure (issue 11, "reading comfort"): the text column is `measure` columns
//! wide, centred on a wider screen, the whole width on a narrower one; `+` and `-` widen and
//! narrow it by a step, and the width chosen is kept in the cache's settings between runs.
//! The layout is per width already (`LayoutKey`), so a new measure is a new layout.
//! And paging: `Space` a page down, at the end of the article the next unread one (as mutt
//! and slrn do; `b` a page up).

use super::msg::Cmd;
use super::state::App;
use crate::persist::Change;
use crate::view::{MEASURE_STEP, MIN_MEASURE};

/// The setting's value: the measure chosen and the config's `reader_width` it was chosen
/// under, as "84@80". A later change of `reader_width` in the config wins over the kept one.
pub fn measure_setting(measure: u16, configured: u16) -> String {
    format!("{measure}@{configured}")
}

/// The measure to start with: the kept one if it was chosen under the `reader_width` the
/// config has now, else the config's.
pub fn restored_measure(setting: Option<&str>, configured: u16) -> u16 {
    let kept = setting.and_then(|s| {
        let (m, base) = s.split_once('@')?;
        let (m, base) = (
            m.trim().parse::<u16>().ok()?,
            base.trim().parse::<u16>().ok()?,
        );
        (base == configured && m >= MIN_MEASURE).then_some(m)
    });
    kept.unwrap_or(configured)
}

impl App {
    /// The reader's measure (what `+` / `-` set; the column may be narrower on a small screen).
    pub fn measure(&self) -> u16 {
        self.geometry.measure
    }

    /// `+` (`wider`) or `-` (`narrower`).
    pub(super) fn change_measure(&mut self, wider: bool, cmds: &mut Vec<Cmd>) {
        let widest = self.geometry.widest_measure();
        // What shows now: a measure kept from a wider screen is as wide as this one.
        let shown = self.geometry.reader_text().width;
        let next = if wider {
            if shown >= widest {
                self.notify(format!(
                    "the text is as wide as the screen ({shown} columns)"
                ));
                return;
            }
            (shown + MEASURE_STEP).min(widest)
        } else {
            if shown <= MIN_MEASURE {
                self.notify(format!("the text is at its narrowest ({shown} columns)"));
                return;
            }
            shown.saturating_sub(MEASURE_STEP).max(MIN_MEASURE)
        };
        self.geometry = self.geometry.with_measure(next);
        self.notify(format!("text width {next} columns (+ wider, - narrower)"));
        cmds.push(Cmd::Save(Change::Setting {
            key: crate::persist::SETTING_READER_WIDTH.to_string(),
            value: measure_setting(next, self.configured_measure),
        }));
        self.relayout_reader(cmds);
    }

    /// `Space` in the reader: a page down; on the last page, the next unread article (or a
    /// notice that there is none).
    pub(super) fn page_forward(&mut self, cmds: &mut Vec<Cmd>) {
        let page = self.geometry.page_rows();
        let Some(r) = self.reader.open.as_ref() else {
            return;
        };
        if r.lines.is_empty() {
            return; // Not laid out yet: no end to be at.
        }
        let last_top = r.lines.len().saturating_sub(page);
        if r.scroll >= last_top {
            self.jump_unread(true, cmds);
        } else {
            self.reader.scroll_by(page as isize, page);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_kept_measure_counts_only_under_the_reader_width_it_was_chosen_with() {
        assert_eq!(restored_measure(Some("84@80"), 80), 84);
        assert_eq!(restored_measure(Some("84@80"), 72), 72);
        assert_eq!(restored_measure(None, 80), 80);
        assert_eq!(restored_measure(Some("wide"), 80), 80);
        assert_eq!(restored_measure(Some("3@80"), 80), 80);
        assert_eq!(restored_measure(Some(&measure_setting(120, 80)), 80), 120);
    }
}
