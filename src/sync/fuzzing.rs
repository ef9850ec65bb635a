//! The sync answers as the clients read them, for `crate::fuzzing` (the fuzz targets): every
//! shape each client deserializes, from one body.

use serde::de::DeserializeOwned;

use super::fever_wire::Answer;
use super::ttrss::parse_envelope;
use super::ttrss_wire::{
    Category, Counter, Feed, Headline, IdOnly, LoginContent, SubscribeContent,
};
use super::types::RemoteArticle;

fn rows<T: DeserializeOwned>(json: &str) -> Option<Vec<T>> {
    serde_json::from_str(json).ok()
}

/// Reads `body` as a Fever answer and as a TT-RSS envelope whose content is each of the
/// contents the TT-RSS client asks for; the articles that come out of either.
pub fn answers(body: &[u8]) -> Vec<RemoteArticle> {
    let mut out = Vec::new();
    if let Ok(answer) = serde_json::from_slice::<Answer>(body) {
        out.extend(answer.items.into_iter().flatten().map(|i| i.into_article()));
    }
    if let Some(envelope) = parse_envelope(body) {
        let content = envelope.content.get();
        let _ = serde_json::from_str::<LoginContent>(content);
        let _ = serde_json::from_str::<SubscribeContent>(content);
        let _ = rows::<Category>(content);
        let _ = rows::<Feed>(content);
        let _ = rows::<Counter>(content);
        let _ = rows::<IdOnly>(content);
        out.extend(
            rows::<Headline>(content)
                .into_iter()
                .flatten()
                .map(Headline::into_article),
        );
    }
    out
}
