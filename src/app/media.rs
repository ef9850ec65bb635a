//! What the app keeps for enclosures and links (issue 11): the player's argv, whether the
//! reader draws OSC 8 hyperlinks, and the article whose enclosure the play key is asking
//! for (a number, when it has several). The play key itself is in `play`.

use crate::store::ArticleId;

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct Media {
    /// `player` from the config (empty: enclosures open in the browser).
    pub player: Vec<String>,
    /// Draw the reader's links as OSC 8 hyperlinks (the config's `hyperlinks`, resolved).
    pub hyperlinks: bool,
    /// The play key asked "which one?" for this article; the next key answers.
    pub choosing: Option<ArticleId>,
}
