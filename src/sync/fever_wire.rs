//! The Fever API's JSON as servers send it (numbers or strings alike), and its conversion to
//! akhbar's sanitized types.

use serde::Deserialize;

use super::clean;
use super::lenient;
use super::types::{ArticleId, RemoteArticle, RemoteFeedId};

/// Every answer: `api_version` and `auth`, then whatever was asked for.
#[derive(Deserialize)]
pub(crate) struct Answer {
    #[serde(default, deserialize_with = "opt_u64")]
    pub api_version: Option<u64>,
    #[serde(default, deserialize_with = "opt_u64")]
    pub auth: Option<u64>,
    #[serde(default)]
    pub groups: Option<Vec<Group>>,
    #[serde(default)]
    pub feeds: Option<Vec<Feed>>,
    #[serde(default)]
    pub feeds_groups: Option<Vec<FeedsGroup>>,
    #[serde(default)]
    pub items: Option<Vec<Item>>,
    #[serde(default, deserialize_with = "opt_u64")]
    pub total_items: Option<u64>,
    #[serde(default, deserialize_with = "opt_ids")]
    pub unread_item_ids: Option<Vec<u64>>,
    #[serde(default, deserialize_with = "opt_ids")]
    pub saved_item_ids: Option<Vec<u64>>,
}

#[derive(Deserialize)]
pub(crate) struct Group {
    #[serde(deserialize_with = "lenient::u64")]
    pub id: u64,
    #[serde(default, deserialize_with = "lenient::text")]
    pub title: Option<String>,
}

#[derive(Deserialize)]
pub(crate) struct Feed {
    #[serde(deserialize_with = "lenient::u64")]
    pub id: u64,
    #[serde(default, deserialize_with = "lenient::text")]
    pub title: Option<String>,
    #[serde(default, deserialize_with = "lenient::text")]
    pub url: Option<String>,
    #[serde(default, deserialize_with = "lenient::text")]
    pub site_url: Option<String>,
    #[allow(dead_code)]
    #[serde(default, deserialize_with = "lenient::time")]
    pub last_updated_on_time: Option<chrono::DateTime<chrono::Utc>>,
}

#[derive(Deserialize)]
pub(crate) struct FeedsGroup {
    #[serde(deserialize_with = "lenient::u64")]
    pub group_id: u64,
    #[serde(default, deserialize_with = "lenient::id_list")]
    pub feed_ids: Vec<u64>,
}

#[derive(Deserialize)]
pub(crate) struct Item {
    #[serde(deserialize_with = "lenient::u64")]
    pub id: u64,
    #[serde(deserialize_with = "lenient::u64_or_zero", default)]
    pub feed_id: u64,
    #[serde(default, deserialize_with = "lenient::text")]
    pub title: Option<String>,
    #[serde(default, deserialize_with = "lenient::text")]
    pub author: Option<String>,
    #[serde(default, deserialize_with = "lenient::text")]
    pub html: Option<String>,
    #[serde(default, deserialize_with = "lenient::text")]
    pub url: Option<String>,
    #[serde(default, deserialize_with = "lenient::flag")]
    pub is_saved: bool,
    #[serde(default, deserialize_with = "lenient::flag")]
    pub is_read: bool,
    #[serde(default, deserialize_with = "lenient::time")]
    pub created_on_time: Option<chrono::DateTime<chrono::Utc>>,
}

impl Item {
    pub fn into_article(self) -> RemoteArticle {
        RemoteArticle {
            id: ArticleId(self.id),
            feed: RemoteFeedId(self.feed_id),
            guid: None,
            title: clean::title(self.title),
            link: clean::url(self.url),
            author: clean::inline(self.author),
            content_html: clean::html(self.html),
            language: None,
            published: self.created_on_time,
            updated: None,
            read: self.is_read,
            starred: self.is_saved,
        }
    }
}

fn opt_u64<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<u64>, D::Error> {
    let v = serde_json::Value::deserialize(d)?;
    Ok(lenient::from_value_u64(&v))
}

fn opt_ids<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<Vec<u64>>, D::Error> {
    lenient::id_list(d).map(Some)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn freshrss_answers_with_string_ids_and_times_are_read() {
        // FreshRSS's shape: every id and time a string, id lists as strings.
        let json = r#"{"api_version":"3","auth":"1","last_refreshed_on_time":"1704103200",
            "total_items":"2","items":[{"id":"1700000000123456","feed_id":"4","title":"T",
            "author":"A","html":"<p>x</p>","url":"http://x/1","is_saved":"0","is_read":"1",
            "created_on_time":"1704103200"}],"unread_item_ids":"5,6"}"#;
        let a: Answer = serde_json::from_str(json).unwrap();
        assert_eq!(a.auth, Some(1));
        assert_eq!(a.total_items, Some(2));
        assert_eq!(a.unread_item_ids, Some(vec![5, 6]));
        let item = a.items.unwrap().pop().unwrap().into_article();
        assert_eq!(item.id, ArticleId(1_700_000_000_123_456));
        assert_eq!(item.feed, RemoteFeedId(4));
        assert!(item.read && !item.starred);
        assert_eq!(
            item.published,
            chrono::DateTime::from_timestamp(1_704_103_200, 0)
        );
    }

    #[test]
    fn coldsweat_answers_with_number_ids_are_read() {
        let json = r#"{"api_version":3,"auth":1,"feeds":[{"favicon_id":1,"id":1,"is_spark":0,
            "last_updated_on_time":1796155560,"site_url":"http://127.0.0.1:8391/a/",
            "title":"Sample A","url":"http://127.0.0.1:8391/a.xml"}],
            "feeds_groups":[{"feed_ids":"1,2","group_id":10}],"saved_item_ids":""}"#;
        let a: Answer = serde_json::from_str(json).unwrap();
        let feeds = a.feeds.unwrap();
        assert_eq!(feeds[0].id, 1);
        assert_eq!(a.feeds_groups.unwrap()[0].feed_ids, vec![1, 2]);
        assert_eq!(a.saved_item_ids, Some(vec![]));
    }

    #[test]
    fn the_ttrss_fever_plugin_sends_times_as_strings_and_that_is_read() {
        let json = r#"{"api_version":3,"auth":1,"last_refreshed_on_time":"1704103200",
            "items":[{"id":3,"feed_id":1,"created_on_time":"1704103200","is_read":0}]}"#;
        let a: Answer = serde_json::from_str(json).unwrap();
        let item = a.items.unwrap().pop().unwrap();
        assert_eq!(
            item.created_on_time,
            chrono::DateTime::from_timestamp(1_704_103_200, 0)
        );
    }

    #[test]
    fn an_item_title_with_escape_sequences_is_cleaned() {
        let json = r#"{"id":1,"feed_id":1,"title":"a\u001b[31mb\u202e","url":" http://x/ ","author":"\u0007"}"#;
        let item: Item = serde_json::from_str(json).unwrap();
        let a = item.into_article();
        assert_eq!(a.title, "a[31mb");
        assert_eq!(a.link.as_deref(), Some("http://x/"));
        assert_eq!(a.author, None);
    }
}
