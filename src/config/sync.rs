//! `[sync]`: the account of a Tiny Tiny RSS or Fever server whose subscriptions and read
//! state akhbar keeps in step with. Validated here, with the file's line and key in errors;
//! the password never appears in one.

use serde::Deserialize;
use toml::Spanned;

use super::ConfigError;
use crate::sync::{Secret, Service};

/// Where the password comes from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SyncPassword {
    /// Written in the config (`password = "..."`).
    Plain(Secret),
    /// The first line this argv prints (`password_command = ["pass", "show", "rss"]`), run
    /// without a shell when akhbar starts syncing.
    Command(Vec<String>),
}

/// The validated `[sync]` table.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SyncConfig {
    pub service: Service,
    /// TT-RSS: its base address; Fever: the endpoint.
    pub url: String,
    pub username: String,
    pub password: SyncPassword,
}

impl SyncConfig {
    /// The server's `host[:port]`, for the status line ("3 changes waiting for host").
    pub fn host(&self) -> String {
        url::Url::parse(&self.url)
            .ok()
            .and_then(|u| {
                let host = u.host_str()?.to_string();
                Some(match u.port() {
                    Some(p) => format!("{host}:{p}"),
                    None => host,
                })
            })
            .unwrap_or_else(|| "the sync server".into())
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawSync {
    service: Spanned<String>,
    url: Spanned<String>,
    username: Spanned<String>,
    password: Option<Spanned<String>>,
    password_command: Option<Spanned<Vec<String>>>,
}

/// Validates `[sync]`; `invalid(offset, key, message)` places an error in the file.
pub(super) fn validate(
    raw: Spanned<RawSync>,
    invalid: &dyn Fn(usize, &str, String) -> ConfigError,
) -> Result<SyncConfig, ConfigError> {
    let table_at = raw.span().start;
    let raw = raw.into_inner();
    let service = match raw.service.get_ref().trim().to_ascii_lowercase().as_str() {
        "ttrss" | "tt-rss" | "tinytinyrss" => Service::TtRss,
        "fever" => Service::Fever,
        other => {
            return Err(invalid(
                raw.service.span().start,
                "service",
                format!("no sync service `{other}`; write \"ttrss\" or \"fever\""),
            ));
        }
    };
    let url = raw.url.get_ref().trim().to_string();
    let shown = crate::text::sanitize::redact_credentials(&url);
    match url::Url::parse(&url) {
        Ok(u) if matches!(u.scheme(), "http" | "https") && u.host_str().is_some() => {
            if !u.username().is_empty() || u.password().is_some() {
                return Err(invalid(
                    raw.url.span().start,
                    "url",
                    "put the user name and password in `username` and `password`, not in the address".into(),
                ));
            }
        }
        Ok(_) => {
            return Err(invalid(
                raw.url.span().start,
                "url",
                format!(
                    "`{shown}` is not a server address: it must start with http:// or https://"
                ),
            ));
        }
        Err(e) => {
            return Err(invalid(
                raw.url.span().start,
                "url",
                format!("`{shown}` is not a valid address: {e}"),
            ));
        }
    }
    let username = raw.username.get_ref().trim().to_string();
    if username.is_empty() {
        return Err(invalid(
            raw.username.span().start,
            "username",
            "must not be empty".into(),
        ));
    }
    let password = match (raw.password, raw.password_command) {
        (Some(p), None) => {
            if p.get_ref().is_empty() {
                return Err(invalid(
                    p.span().start,
                    "password",
                    "must not be empty".into(),
                ));
            }
            SyncPassword::Plain(Secret::new(p.into_inner()))
        }
        (None, Some(c)) => {
            if c.get_ref().first().is_none_or(|p| p.trim().is_empty()) {
                return Err(invalid(
                    c.span().start,
                    "password_command",
                    "must name a program: e.g. [\"pass\", \"show\", \"rss\"]".into(),
                ));
            }
            SyncPassword::Command(c.into_inner())
        }
        (Some(p), Some(_)) => {
            return Err(invalid(
                p.span().start,
                "password",
                "write either `password` or `password_command`, not both".into(),
            ));
        }
        (None, None) => {
            return Err(invalid(
                table_at,
                "sync",
                "needs `password` or `password_command`".into(),
            ));
        }
    };
    Ok(SyncConfig {
        service,
        url,
        username,
        password,
    })
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;
    use crate::config::Config;

    fn parse(text: &str) -> Result<Config, ConfigError> {
        Config::parse(Path::new("/c/config.toml"), text)
    }

    #[test]
    fn a_ttrss_account_with_a_password_is_read() {
        let c = parse(
            "[sync]\nservice = \"ttrss\"\nurl = \"https://example.org/tt-rss/\"\nusername = \"me\"\npassword = \"secret\"\n",
        )
        .unwrap();
        let s = c.sync.unwrap();
        assert_eq!(s.service, Service::TtRss);
        assert_eq!(s.url, "https://example.org/tt-rss/");
        assert_eq!(s.username, "me");
        assert_eq!(s.password, SyncPassword::Plain(Secret::new("secret")));
        assert_eq!(s.host(), "example.org");
    }

    #[test]
    fn a_fever_account_with_a_password_command_is_read() {
        let c = parse(
            "[sync]\nservice = \"fever\"\nurl = \"http://127.0.0.1:8390/fever/\"\nusername = \"me@example.org\"\npassword_command = [\"pass\", \"show\", \"rss\"]\n",
        )
        .unwrap();
        let s = c.sync.unwrap();
        assert_eq!(s.service, Service::Fever);
        assert_eq!(
            s.password,
            SyncPassword::Command(vec!["pass".into(), "show".into(), "rss".into()])
        );
        assert_eq!(s.host(), "127.0.0.1:8390");
    }

    #[test]
    fn no_sync_table_means_no_account() {
        assert_eq!(parse("").unwrap().sync, None);
    }

    fn error_of(text: &str) -> String {
        parse(text).unwrap_err().to_string()
    }

    #[test]
    fn an_unknown_service_is_named_with_its_line() {
        let e = error_of(
            "[sync]\nservice = \"miniflux\"\nurl = \"https://x.org/\"\nusername = \"me\"\npassword = \"p\"\n",
        );
        assert_eq!(
            e,
            "/c/config.toml, line 2, key `service`: no sync service `miniflux`; write \"ttrss\" or \"fever\""
        );
    }

    #[test]
    fn an_address_that_is_not_http_is_refused() {
        let e = error_of(
            "[sync]\nservice = \"ttrss\"\nurl = \"ftp://x.org/\"\nusername = \"me\"\npassword = \"p\"\n",
        );
        assert!(e.starts_with("/c/config.toml, line 3, key `url`:"), "{e}");
    }

    #[test]
    fn both_password_and_command_are_refused_without_showing_the_password() {
        let e = error_of(
            "[sync]\nservice = \"ttrss\"\nurl = \"https://x.org/\"\nusername = \"me\"\npassword = \"hunter2\"\npassword_command = [\"pass\"]\n",
        );
        assert!(e.contains("line 5, key `password`"), "{e}");
        assert!(e.contains("not both"), "{e}");
        assert!(!e.contains("hunter2"), "{e}");
    }

    #[test]
    fn a_missing_password_is_an_error_at_the_table() {
        let e = error_of(
            "x = 1\n[sync]\nservice = \"fever\"\nurl = \"https://x.org/\"\nusername = \"me\"\n",
        );
        // `x` is unknown at the top level: fix the table first.
        assert!(e.contains("line 1"), "{e}");
        let e =
            error_of("[sync]\nservice = \"fever\"\nurl = \"https://x.org/\"\nusername = \"me\"\n");
        assert!(e.contains("needs `password` or `password_command`"), "{e}");
    }

    #[test]
    fn an_empty_password_command_is_refused() {
        let e = error_of(
            "[sync]\nservice = \"fever\"\nurl = \"https://x.org/\"\nusername = \"me\"\npassword_command = []\n",
        );
        assert!(e.contains("key `password_command`"), "{e}");
    }

    #[test]
    fn an_unknown_key_in_sync_is_named() {
        let e = error_of(
            "[sync]\nservice = \"fever\"\nurl = \"https://x.org/\"\nusername = \"me\"\npassword = \"p\"\napi_key = \"k\"\n",
        );
        assert!(e.contains("line 6"), "{e}");
        assert!(e.contains("api_key"), "{e}");
    }

    #[test]
    fn credentials_in_the_address_are_refused() {
        let e = error_of(
            "[sync]\nservice = \"fever\"\nurl = \"https://me:hunter2@x.org/\"\nusername = \"me\"\npassword = \"p\"\n",
        );
        assert!(e.contains("key `url`"), "{e}");
        assert!(!e.contains("hunter2"), "{e}");
    }
}
