//! The play key (issue 11): the current article's enclosure goes to the configured player
//! (`Cmd::Play`, an argv the runtime starts detached, never through a shell) or, without
//! one, to the browser (`Cmd::OpenUrl`). With several enclosures the key asks which: the
//! next key is its number (`1`-`9`); any other key cancels.

use crossterm::event::{KeyCode, KeyEvent};

use super::msg::Cmd;
use super::state::App;
use crate::config::player_argv;
use crate::link::is_web_url;
use crate::text::sanitize::redact_credentials;

impl App {
    /// Whether the reader's links are drawn as OSC 8 hyperlinks.
    pub fn hyperlinks(&self) -> bool {
        self.media.hyperlinks
    }

    /// The article the play key is asking about ("which enclosure?"), if it is asking.
    pub fn choosing_enclosure(&self) -> bool {
        self.media.choosing.is_some()
    }

    /// The play key: plays the one enclosure, or asks which of several.
    pub(super) fn play_key(&mut self, cmds: &mut Vec<Cmd>) {
        let Some(id) = self.current_article() else {
            return self.notify("no article to play");
        };
        let n = self.store.article(id).map_or(0, |a| a.enclosures().len());
        match n {
            0 => self.notify("this article has no enclosure"),
            1 => self.play(id, 1, cmds),
            n => {
                self.media.choosing = Some(id);
                self.notify(format!(
                    "play which enclosure? 1-{} (any other key: none)",
                    n.min(9)
                ));
            }
        }
    }

    /// The key after "which enclosure?": a digit plays that one; any key ends the question.
    /// Returns whether the key was taken (it is, always, once a question is open).
    pub(super) fn on_enclosure_choice(&mut self, key: &KeyEvent, cmds: &mut Vec<Cmd>) -> bool {
        let Some(id) = self.media.choosing.take() else {
            return false;
        };
        match key.code {
            KeyCode::Char(c) if c.is_ascii_digit() && c != '0' => {
                self.play(id, c.to_digit(10).unwrap_or(1) as usize, cmds)
            }
            _ => self.notify("nothing played"),
        }
        true
    }

    /// Plays enclosure `n` (1-based) of article `id`.
    fn play(&mut self, id: crate::store::ArticleId, n: usize, cmds: &mut Vec<Cmd>) {
        let Some(a) = self.store.article(id) else {
            return;
        };
        let count = a.enclosures().len();
        let Some(e) = n.checked_sub(1).and_then(|i| a.enclosures().get(i)) else {
            return self.notify(format!(
                "no enclosure {n}: the article has {}",
                crate::view::count(count, "enclosure")
            ));
        };
        let url = e.url.clone();
        if !is_web_url(&url) {
            return self.notify(format!("enclosure {n} is not a web link: not played"));
        }
        let name =
            crate::view::enclosure_file_name(&url).unwrap_or_else(|| redact_credentials(&url));
        if self.media.player.is_empty() {
            self.notify(format!("opening {name} in the browser (no player set)"));
            cmds.push(Cmd::OpenUrl(url));
        } else {
            self.notify(format!("playing {name}"));
            cmds.push(Cmd::Play {
                argv: player_argv(&self.media.player, &url),
            });
        }
    }
}
