//! What the app knows of each article's full text (being fetched, ready, or why not) and
//! which articles show it; the `F` key and the answers are in `full`.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use crate::model::{FeedId, FullText};
use crate::store::ArticleId;

/// Where an article's full text stands.
#[derive(Clone, Debug, PartialEq)]
pub(super) enum FullState {
    Fetching {
        /// The user asked (`F`): show it when it comes, and say so if it fails.
        asked: bool,
    },
    Ready(Arc<FullText>),
    Failed(String),
}

#[derive(Debug, Default)]
pub(super) struct FullTexts {
    pub(super) states: HashMap<ArticleId, FullState>,
    /// Articles whose view is the other one than their feed's default (`F` toggles it).
    pub(super) toggled: HashSet<ArticleId>,
    /// Feeds with `full_text = true`: their new articles are fetched, and shown in full.
    pub(super) feeds: HashSet<FeedId>,
}

impl FullTexts {
    pub(super) fn new(feeds: impl IntoIterator<Item = FeedId>) -> FullTexts {
        FullTexts {
            feeds: feeds.into_iter().collect(),
            ..FullTexts::default()
        }
    }

    pub(super) fn ready(&self, id: ArticleId) -> Option<&Arc<FullText>> {
        match self.states.get(&id) {
            Some(FullState::Ready(f)) => Some(f),
            _ => None,
        }
    }

    /// Whether the reader shows the full text of `id` (of feed `feed`) now.
    pub(super) fn shown(&self, id: ArticleId, feed: FeedId) -> bool {
        self.ready(id).is_some() && (self.feeds.contains(&feed) != self.toggled.contains(&id))
    }

    pub(super) fn is_fetching(&self, id: ArticleId) -> bool {
        matches!(self.states.get(&id), Some(FullState::Fetching { .. }))
    }
}
