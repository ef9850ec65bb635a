//! The `?` help as lines for a width: generated from the action table and the keymap in
//! force, keys in one column and what they do wrapped beside them (nothing is cut).

use super::line::{StyledLine, plain};
use super::theme;
use crate::action::{ACTIONS, Scope};
use crate::keymap::Keymap;
use crate::model::Direction;
use crate::text::{self, TextOptions};

/// The keys column is at most this wide; longer key lists wrap in it.
const KEYS_MAX: usize = 18;

/// The help's lines at `width` columns. `mode`: the bidi mode in force and why.
pub fn help_lines(keymap: &Keymap, mode: (&str, &str), width: usize) -> Vec<StyledLine> {
    let opts = TextOptions::default();
    let wrap =
        |s: &str, w: usize| text::layout_paragraph(s, Direction::Ltr, false, w.max(1), &opts);
    let mut out = Vec::new();
    if width == 0 {
        return out;
    }
    let keys_w = ACTIONS
        .iter()
        .map(|spec| text::display_width(&keymap.keys_of(spec.action).join(" ")))
        .max()
        .unwrap_or(0)
        .min(KEYS_MAX)
        .min(width / 3);
    let text_w = width.saturating_sub(keys_w + 1).max(1);
    for spec in ACTIONS {
        let scope = match spec.scope {
            Scope::Global => "",
            Scope::List => " (lists)",
            Scope::Reader => " (reader)",
        };
        let keys = wrap(&keymap.keys_of(spec.action).join(" "), keys_w);
        // The action's name (what `[keys]` in the config uses) is never broken: it goes on
        // the last line when it fits there, else on a line of its own.
        let mut what = wrap(&format!("{}{scope}", spec.help), text_w);
        let name = plain(&format!("[{}]", spec.name));
        let mut own_line = None;
        match what.last_mut() {
            Some(last) if last.width + 2 + name.width <= text_w => {
                *last = plain(&format!("{}  {}", last.text, name.text));
            }
            _ if name.width <= text_w => what.push(name),
            // Narrower than the name: it takes the whole width, under the keys.
            _ => own_line = Some(name),
        }
        for i in 0..keys.len().max(what.len()) {
            let mut line = StyledLine::default();
            let k = keys.get(i).cloned().unwrap_or_default();
            let pad = keys_w.saturating_sub(k.width) + 1;
            line.push(k, theme::help_keys());
            line.push(plain(&" ".repeat(pad)), Default::default());
            if let Some(w) = what.get(i) {
                line.push(w.clone(), theme::help());
            }
            out.push(line);
        }
        if let Some(name) = own_line {
            out.push(StyledLine::from_visual(name, theme::help()));
        }
    }
    out.push(StyledLine::default());
    for l in wrap(&format!("bidi mode: {} ({})", mode.0, mode.1), width) {
        out.push(StyledLine::from_visual(l, theme::dim()));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(width: usize) -> Vec<String> {
        help_lines(&Keymap::default(), ("app", "the default"), width)
            .iter()
            .map(StyledLine::text)
            .collect()
    }

    #[test]
    fn every_action_name_is_shown_whole_at_any_width() {
        // Issue 10 item 11: at 72 columns five names were cut (`[foc…`, `[mark-all-…`).
        for width in [30, 50, 72, 120] {
            let all = texts(width).join(" ");
            for spec in ACTIONS {
                assert!(
                    all.contains(&format!("[{}]", spec.name)),
                    "[{}] missing at width {width}",
                    spec.name
                );
            }
            for l in help_lines(&Keymap::default(), ("app", "x"), width) {
                assert!(l.width <= width, "a line of {} at width {width}", l.width);
            }
        }
    }

    #[test]
    fn wrapped_descriptions_stay_in_their_column() {
        let lines = texts(40);
        let at = lines
            .iter()
            .position(|l| l.starts_with("<Tab>"))
            .expect("the focus-next row");
        let column = lines[at].find("switch").unwrap();
        assert!(
            lines[at + 1].chars().take(column).all(|c| c == ' '),
            "{:?}",
            &lines[at..at + 2]
        );
        assert!(!lines[at + 1].trim().is_empty());
    }
}
