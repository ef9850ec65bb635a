//! TT-RSS's JSON as it comes over the wire, and its conversion to akhbar's sanitized types.

use serde::Deserialize;

use super::clean;
use super::lenient;
use super::types::{ArticleId, RemoteArticle, RemoteFeedId};

/// `{"seq": N, "status": 0|1, "content": ...}`; `content` stays raw until the status is known.
#[derive(Deserialize)]
pub(crate) struct Envelope {
    #[allow(dead_code)]
    #[serde(default)]
    pub seq: serde_json::Value,
    #[serde(deserialize_with = "lenient::u64")]
    pub status: u64,
    pub content: Box<serde_json::value::RawValue>,
}

#[derive(Deserialize)]
pub(crate) struct ErrorContent {
    #[serde(default, deserialize_with = "lenient::text")]
    pub error: Option<String>,
}

#[derive(Deserialize)]
pub(crate) struct LoginContent {
    pub session_id: String,
    #[serde(default, deserialize_with = "lenient::u64_or_zero")]
    pub api_level: u64,
}

#[derive(Deserialize)]
pub(crate) struct Category {
    #[serde(deserialize_with = "lenient_i64")]
    pub id: i64,
    #[serde(default, deserialize_with = "lenient::text")]
    pub title: Option<String>,
}

#[derive(Deserialize)]
pub(crate) struct Feed {
    #[serde(deserialize_with = "lenient_i64")]
    pub id: i64,
    #[serde(default, deserialize_with = "lenient::text")]
    pub title: Option<String>,
    #[serde(default, deserialize_with = "lenient::text")]
    pub feed_url: Option<String>,
    #[serde(default, deserialize_with = "lenient_i64")]
    pub cat_id: i64,
}

#[derive(Deserialize)]
pub(crate) struct Counter {
    /// A number, or a name such as "global-unread".
    pub id: serde_json::Value,
    #[serde(default)]
    pub kind: Option<String>,
    #[serde(default, deserialize_with = "lenient::u64_or_zero")]
    pub counter: u64,
    #[serde(default, deserialize_with = "lenient::u64_or_zero")]
    pub auxcounter: u64,
}

/// One row of `getHeadlines` or `getArticle` (both have these fields).
#[derive(Deserialize)]
pub(crate) struct Headline {
    #[serde(deserialize_with = "lenient::u64")]
    pub id: u64,
    #[serde(default, deserialize_with = "lenient::text")]
    pub guid: Option<String>,
    #[serde(default, deserialize_with = "lenient::flag")]
    pub unread: bool,
    #[serde(default, deserialize_with = "lenient::flag")]
    pub marked: bool,
    #[serde(default, deserialize_with = "lenient::time")]
    pub updated: Option<chrono::DateTime<chrono::Utc>>,
    #[serde(default, deserialize_with = "lenient::text")]
    pub title: Option<String>,
    #[serde(default, deserialize_with = "lenient::text")]
    pub link: Option<String>,
    #[serde(default, deserialize_with = "lenient::u64_or_zero")]
    pub feed_id: u64,
    #[serde(default, deserialize_with = "lenient::text")]
    pub content: Option<String>,
    #[serde(default, deserialize_with = "lenient::text")]
    pub author: Option<String>,
    #[serde(default, deserialize_with = "lenient::text")]
    pub lang: Option<String>,
}

/// Only the id (the unread and starred lists fetch headlines without content).
#[derive(Deserialize)]
pub(crate) struct IdOnly {
    #[serde(deserialize_with = "lenient::u64")]
    pub id: u64,
}

#[derive(Deserialize)]
pub(crate) struct SubscribeContent {
    pub status: SubscribeStatus,
}

#[derive(Deserialize)]
pub(crate) struct SubscribeStatus {
    #[serde(deserialize_with = "lenient::u64")]
    pub code: u64,
    #[serde(default, deserialize_with = "lenient::u64_or_zero")]
    pub feed_id: u64,
    #[serde(default, deserialize_with = "lenient::text")]
    pub message: Option<String>,
    #[serde(default)]
    pub feeds: Option<serde_json::Value>,
}

impl Headline {
    pub fn into_article(self) -> RemoteArticle {
        RemoteArticle {
            id: ArticleId(self.id),
            feed: RemoteFeedId(self.feed_id),
            guid: clean::inline(self.guid),
            title: clean::title(self.title),
            link: clean::url(self.link),
            author: clean::inline(self.author),
            content_html: clean::html(self.content),
            language: clean::inline(self.lang),
            published: self.updated,
            updated: self.updated,
            read: !self.unread,
            starred: self.marked,
        }
    }
}

/// Category and feed ids are signed in TT-RSS (virtual ones are negative).
fn lenient_i64<'de, D: serde::Deserializer<'de>>(d: D) -> Result<i64, D::Error> {
    let v = serde_json::Value::deserialize(d)?;
    match &v {
        serde_json::Value::Null => Some(0),
        serde_json::Value::Number(n) => n.as_i64(),
        serde_json::Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
    .ok_or_else(|| serde::de::Error::custom("not an id"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_headline_is_sanitized_on_the_way_in() {
        let json = r#"{"id":"7","guid":"{\"ver\":2}","unread":"f","marked":1,
            "updated":"1704103200","title":"Evil\u001b[2J title\n","link":"http://x/\u202eevil",
            "feed_id":"3","content":"<p>ok\u001b]0;pwn\u0007</p>","author":"","lang":"ar"}"#;
        let a = serde_json::from_str::<Headline>(json)
            .unwrap()
            .into_article();
        assert_eq!(a.id, ArticleId(7));
        assert_eq!(a.feed, RemoteFeedId(3));
        assert_eq!(a.title, "Evil[2J title");
        assert_eq!(a.link.as_deref(), Some("http://x/evil"));
        assert_eq!(a.content_html.as_deref(), Some("<p>ok]0;pwn</p>"));
        assert_eq!(a.author, None);
        assert_eq!(a.language.as_deref(), Some("ar"));
        assert!(a.read && a.starred);
        assert_eq!(
            a.published,
            chrono::DateTime::from_timestamp(1_704_103_200, 0)
        );
    }

    #[test]
    fn a_feed_of_the_archive_has_feed_id_zero_and_null_fields_are_none() {
        let json = r#"{"id":9,"feed_id":null,"title":null,"unread":true,"marked":false}"#;
        let a = serde_json::from_str::<Headline>(json)
            .unwrap()
            .into_article();
        assert_eq!(a.feed, RemoteFeedId(0));
        assert_eq!(a.title, "");
        assert!(!a.read && !a.starred);
    }
}
