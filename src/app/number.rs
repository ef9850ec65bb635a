//! The reader's link-number prompt (issue 11): `#` or `0` asks for the number of a link (the
//! keys `1`-`9` open the first nine at once), typed in the status line with the prompts' line
//! editor; Enter opens that link, Esc cancels. Only digits go in.

use crossterm::event::{KeyCode, KeyEvent};

use super::line_input::{Edit, LineInput};
use super::msg::Cmd;
use super::overlay::Overlay;
use super::state::App;

/// More digits than any article has links.
const MAX_DIGITS: usize = 6;

impl App {
    /// `#` / `0` in the reader: the prompt opens, empty.
    pub(super) fn ask_link_number(&mut self) {
        if self.reader.open.is_some() {
            self.overlay = Overlay::LinkNumber(LineInput::default());
        }
    }

    /// A key while the prompt is open.
    pub(super) fn on_link_number_key(&mut self, key: &KeyEvent, cmds: &mut Vec<Cmd>) {
        let Overlay::LinkNumber(input) = &mut self.overlay else {
            return;
        };
        match key.code {
            KeyCode::Esc => self.overlay = Overlay::None,
            KeyCode::Enter => {
                let typed = input.text().to_string();
                self.overlay = Overlay::None;
                match typed.parse::<usize>() {
                    Ok(n) => self.open_link(n, cmds),
                    Err(_) if typed.is_empty() => {}
                    Err(_) => self.notify(format!("no link [{typed}]")),
                }
            }
            KeyCode::Char(c) if !c.is_ascii_digit() => {}
            KeyCode::Char(_) if input.text().len() >= MAX_DIGITS => {}
            // No history: Up and Down do nothing here.
            _ => {
                if input.on_key(key, &[]) == Edit::Ignored {
                    // Tab and the like: nothing to do in a number.
                }
            }
        }
    }

    /// The number being typed, while the prompt is open.
    pub fn link_number_prompt(&self) -> Option<&LineInput> {
        match &self.overlay {
            Overlay::LinkNumber(input) => Some(input),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

    use crate::app::{App, AppOptions, Cmd, Msg, Overlay};
    use crate::model::{Direction, ParsedFeed, ParsedItem};
    use crate::store::Store;

    fn press(app: &mut App, code: KeyCode) -> Vec<Cmd> {
        let mut out = Vec::new();
        let mut pending = vec![Msg::Key(KeyEvent::new(code, KeyModifiers::NONE))];
        while let Some(m) = pending.pop() {
            for c in app.update(m) {
                match c {
                    Cmd::Layout(job) => pending.push(job.run()),
                    other => out.push(other),
                }
            }
        }
        out
    }

    fn typed(app: &mut App, s: &str) -> Vec<Cmd> {
        s.chars()
            .flat_map(|c| press(app, KeyCode::Char(c)))
            .collect()
    }

    /// An app with one article of 12 links open in the reader.
    fn reader_with_links(n: usize) -> App {
        let mut store = Store::new();
        let feed = store.add_feed("https://e.example/rss", Some("E"), vec![], Direction::Auto);
        let body: String = (1..=n)
            .map(|i| format!("<p><a href=\"https://e.example/{i}\">link {i}</a></p>"))
            .collect();
        let item = ParsedItem {
            guid: Some("a".into()),
            title: "Links".into(),
            content_html: Some(body),
            ..ParsedItem::default()
        };
        store.ingest(
            feed,
            ParsedFeed {
                items: vec![item],
                ..ParsedFeed::default()
            },
            chrono::Utc::now(),
        );
        let mut app = App::new(AppOptions::new(store));
        press(&mut app, KeyCode::Enter);
        assert!(app.reader().is_some());
        app
    }

    fn opened(cmds: &[Cmd]) -> Vec<&str> {
        cmds.iter()
            .filter_map(|c| match c {
                Cmd::OpenUrl(u) => Some(u.as_str()),
                _ => None,
            })
            .collect()
    }

    #[test]
    fn hash_then_a_number_and_enter_opens_that_link() {
        let mut app = reader_with_links(12);
        press(&mut app, KeyCode::Char('#'));
        assert!(matches!(app.overlay(), Overlay::LinkNumber(_)));
        let typing = typed(&mut app, "12");
        assert!(opened(&typing).is_empty(), "nothing opens before Enter");
        assert_eq!(app.link_number_prompt().map(|i| i.text()), Some("12"));
        let cmds = press(&mut app, KeyCode::Enter);
        assert_eq!(opened(&cmds), ["https://e.example/12"]);
        assert_eq!(app.overlay(), &Overlay::None);
    }

    #[test]
    fn zero_opens_the_prompt_too_and_only_digits_go_in() {
        let mut app = reader_with_links(12);
        press(&mut app, KeyCode::Char('0'));
        typed(&mut app, "1x0q");
        assert_eq!(app.link_number_prompt().map(|i| i.text()), Some("10"));
        press(&mut app, KeyCode::Backspace);
        let cmds = press(&mut app, KeyCode::Enter);
        assert_eq!(opened(&cmds), ["https://e.example/1"]);
    }

    #[test]
    fn esc_cancels_the_prompt_without_opening_anything() {
        let mut app = reader_with_links(12);
        press(&mut app, KeyCode::Char('#'));
        typed(&mut app, "3");
        let cmds = press(&mut app, KeyCode::Esc);
        assert!(opened(&cmds).is_empty());
        assert_eq!(app.overlay(), &Overlay::None);
        assert!(
            app.reader().is_some(),
            "Esc closes the prompt, not the reader"
        );
    }

    #[test]
    fn a_number_out_of_range_is_a_notice() {
        let mut app = reader_with_links(12);
        press(&mut app, KeyCode::Char('#'));
        typed(&mut app, "13");
        let cmds = press(&mut app, KeyCode::Enter);
        assert!(opened(&cmds).is_empty());
        let msg = app.status_message().unwrap_or_default();
        assert!(msg.contains("[13]") && msg.contains("12 links"), "{msg}");
    }

    #[test]
    fn the_prompt_opens_only_in_the_reader() {
        let mut app = reader_with_links(2);
        press(&mut app, KeyCode::Esc);
        assert!(app.reader().is_none());
        press(&mut app, KeyCode::Char('#'));
        assert_eq!(app.overlay(), &Overlay::None);
    }
}
