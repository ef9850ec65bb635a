//! "Another device": the servers' APIs spoken directly with reqwest, never through akhbar's
//! client, to change state behind its back and to check what it changed.

use serde_json::{Value, json};

async fn post_json(http: &reqwest::Client, url: &str, body: &Value) -> Value {
    let answer = http
        .post(url)
        .header("Content-Type", "application/json")
        .body(body.to_string())
        .send()
        .await
        .expect("the server answers");
    let bytes = answer.bytes().await.expect("a body");
    serde_json::from_slice(&bytes).expect("JSON")
}

async fn post_form(http: &reqwest::Client, url: &str, form: &[(&str, &str)]) -> Value {
    let body = url::form_urlencoded::Serializer::new(String::new())
        .extend_pairs(form)
        .finish();
    let answer = http
        .post(url)
        .header("Content-Type", "application/x-www-form-urlencoded")
        .body(body)
        .send()
        .await
        .expect("the server answers");
    let bytes = answer.bytes().await.expect("a body");
    serde_json::from_slice(&bytes).expect("JSON")
}

/// A TT-RSS session of its own.
pub struct TtRssRaw {
    http: reqwest::Client,
    api: String,
    sid: String,
}

impl TtRssRaw {
    pub async fn login(base: &str, user: &str, password: &str) -> TtRssRaw {
        let http = reqwest::Client::new();
        let api = format!("{}/api/", base.trim_end_matches('/'));
        let answer = post_json(
            &http,
            &api,
            &json!({"op": "login", "user": user, "password": password}),
        )
        .await;
        let sid = answer["content"]["session_id"]
            .as_str()
            .expect("a session id")
            .to_string();
        TtRssRaw { http, api, sid }
    }

    /// `content` of a successful call; panics on an API error.
    pub async fn call(&self, op: &str, mut params: Value) -> Value {
        params["op"] = json!(op);
        params["sid"] = json!(self.sid);
        let answer = post_json(&self.http, &self.api, &params).await;
        assert_eq!(answer["status"], 0, "{op} failed: {answer}");
        answer["content"].clone()
    }

    /// (unread, starred) of one article, as the server has it.
    pub async fn state(&self, id: u64) -> (bool, bool) {
        let rows = self
            .call("getArticle", json!({"article_id": id.to_string()}))
            .await;
        let row = &rows[0];
        (
            row["unread"].as_bool().expect("unread"),
            row["marked"].as_bool().expect("marked"),
        )
    }

    pub async fn set(&self, id: u64, field: u8, on: bool) {
        self.call(
            "updateArticle",
            json!({"article_ids": id.to_string(), "field": field, "mode": u8::from(on)}),
        )
        .await;
    }

    /// Subscribes and fetches now; returns the feed's id.
    pub async fn subscribe(&self, url: &str, category: u64) -> u64 {
        let c = self
            .call(
                "subscribeToFeed",
                json!({"feed_url": url, "category_id": category}),
            )
            .await;
        let id = c["status"]["feed_id"].as_u64().expect("a feed id");
        self.call("updateFeed", json!({"feed_id": id})).await;
        id
    }

    pub async fn category(&self, title: &str) -> u64 {
        let cats = self
            .call("getCategories", json!({"include_empty": true}))
            .await;
        cats.as_array()
            .expect("a list")
            .iter()
            .find(|c| c["title"] == title)
            .and_then(|c| c["id"].as_u64())
            .expect("the harness's category")
    }
}

/// Fever, with the api_key computed here independently of akhbar's.
pub struct FeverRaw {
    http: reqwest::Client,
    url: String,
    key: String,
}

impl FeverRaw {
    pub fn new(url: &str, key: &str) -> FeverRaw {
        FeverRaw {
            http: reqwest::Client::new(),
            url: url.to_string(),
            key: key.to_string(),
        }
    }

    pub async fn call(&self, command: &str, form: &[(&str, &str)]) -> Value {
        let mut body = vec![("api_key", self.key.as_str())];
        body.extend_from_slice(form);
        let url = if command.is_empty() {
            format!("{}?api", self.url)
        } else {
            format!("{}?api&{command}", self.url)
        };
        let answer = post_form(&self.http, &url, &body).await;
        assert_eq!(answer["auth"], 1, "{command}: {answer}");
        answer
    }

    /// (read, saved) of one item.
    pub async fn state(&self, id: u64) -> (bool, bool) {
        let a = self.call(&format!("items&with_ids={id}"), &[]).await;
        let item = &a["items"][0];
        (item["is_read"] == 1, item["is_saved"] == 1)
    }

    pub async fn mark(&self, id: u64, what: &str) {
        self.call(
            "",
            &[("mark", "item"), ("as", what), ("id", &id.to_string())],
        )
        .await;
    }
}
