//! The session's filter (`l` in the lists): a filter-language expression typed at a prompt
//! (the line editor `/` uses) that limits the headline list, whatever feed-list row or search
//! it shows, until cleared (an empty prompt, or `Esc` in the lists). A filter that does not
//! parse is not applied: the status line says why and at which column, and `l` opens the
//! prompt again on the rejected text to fix it.

use crossterm::event::{KeyCode, KeyEvent};

use super::line_input::{Edit, LineInput};
use super::overlay::Overlay;
use super::state::App;
use crate::filter::Filter;

/// The filter state of the session.
#[derive(Debug, Default)]
pub(super) struct ViewFilter {
    pub active: Option<Filter>,
    /// The text of a filter that did not parse, offered again by the next `l`.
    pub rejected: Option<String>,
    /// The filters applied this session, oldest first (the prompt's Up/Down).
    pub history: Vec<String>,
}

impl App {
    /// The session's filter over the headline list, if one is applied.
    pub fn view_filter(&self) -> Option<&Filter> {
        self.view_filter.active.as_ref()
    }

    /// `l`: the prompt, on the rejected text or the active filter (to edit it).
    pub(super) fn open_filter_prompt(&mut self) {
        let text = self
            .view_filter
            .rejected
            .take()
            .or_else(|| self.view_filter.active.as_ref().map(|f| f.source().into()))
            .unwrap_or_default();
        self.overlay = Overlay::Filter(LineInput::with_text(&text));
    }

    pub(super) fn on_filter_key(&mut self, key: KeyEvent) {
        let Overlay::Filter(input) = &mut self.overlay else {
            return;
        };
        if input.on_key(&key, &self.view_filter.history) == Edit::Edited {
            return;
        }
        match key.code {
            KeyCode::Esc => self.overlay = Overlay::None,
            KeyCode::Enter => {
                let text = crate::text::sanitize::sanitize_inline(input.text());
                self.overlay = Overlay::None;
                self.apply_view_filter(&text);
            }
            _ => {}
        }
    }

    /// Applies `text` as the session's filter (empty: clears it).
    pub(super) fn apply_view_filter(&mut self, text: &str) {
        if text.is_empty() {
            self.clear_view_filter();
            return;
        }
        match Filter::parse(text) {
            Ok(f) => {
                self.view_filter.history.retain(|h| h != text);
                self.view_filter.history.push(text.to_string());
                self.view_filter.active = Some(f);
                self.headlines.reset();
            }
            Err(e) => {
                self.view_filter.rejected = Some(text.to_string());
                self.notify(format!(
                    "filter not applied: column {}: {} (l: fix it)",
                    e.column, e.message
                ));
            }
        }
    }

    /// Clears the session's filter; true if there was one.
    pub(super) fn clear_view_filter(&mut self) -> bool {
        let had = self.view_filter.active.take().is_some();
        if had {
            self.headlines.reset();
            self.notify("filter cleared");
        }
        had
    }
}
