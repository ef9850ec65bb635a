//! Why a sync call failed: one clear line each, naming the service, never holding a
//! credential (the password, api_key and session id live in `Secret`s that no error copies).

use thiserror::Error;

use super::types::Service;

/// A failed call to a sync server.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[error("{service}: {kind}")]
pub struct SyncError {
    pub service: Service,
    pub kind: SyncErrorKind,
}

impl SyncError {
    pub fn new(service: Service, kind: SyncErrorKind) -> SyncError {
        SyncError { service, kind }
    }
}

/// What went wrong, without the service's name (see [`SyncError`]).
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum SyncErrorKind {
    /// TT-RSS `LOGIN_ERROR`, Fever `auth: 0`.
    #[error("wrong user name or password")]
    WrongPassword,
    /// TT-RSS `API_DISABLED`.
    #[error(
        "API access is disabled for this user (the server's Preferences: \"Enable API access\")"
    )]
    ApiDisabled,
    /// The address answers, but not as this API does (JSON of another shape, a 404 page).
    #[error("{url} is not an API endpoint of this kind ({why})")]
    NotAnEndpoint { url: String, why: String },
    /// An HTML error page (or an empty body) with a 5xx status: a short excerpt of it.
    #[error("server error: HTTP {status}{}", excerpt_suffix(.excerpt))]
    ServerError { status: u16, excerpt: String },
    /// Any other unsuccessful status.
    #[error("HTTP {status} {reason}")]
    Status { status: u16, reason: String },
    /// Redirects are not followed (a POST with a password must not go elsewhere).
    #[error("the server redirects to {location}: use that address")]
    Redirected { location: String },
    #[error("TLS error: {0}")]
    Tls(String),
    #[error("could not connect: {0}")]
    Connect(String),
    #[error("connect timed out after {0} s")]
    ConnectTimeout(u64),
    #[error("no answer within {0} s")]
    Timeout(u64),
    #[error("answer larger than {0} bytes, stopped")]
    TooLarge(u64),
    /// TT-RSS answered `NOT_LOGGED_IN` again right after a successful login.
    #[error("the server dropped the session again right after logging in")]
    SessionLost,
    /// An API error code (TT-RSS `INCORRECT_USAGE`, `UNKNOWN_METHOD`, ...).
    #[error("the server refused {op}: {code}")]
    Api { op: String, code: String },
    /// JSON of the right envelope whose content does not parse.
    #[error("malformed answer to {op}: {detail}")]
    Malformed { op: String, detail: String },
    /// The API has no such call.
    #[error("the API cannot {0}")]
    Unsupported(&'static str),
    /// TT-RSS `subscribeToFeed` answered with a failure code.
    #[error("subscribing failed: {0}")]
    Subscribe(String),
    #[error("invalid server address {0}")]
    BadUrl(String),
    /// Any other transport failure, one line, no URL.
    #[error("{0}")]
    Http(String),
}

fn excerpt_suffix(excerpt: &str) -> String {
    if excerpt.is_empty() {
        " (empty body)".to_string()
    } else {
        format!(": {excerpt}")
    }
}

/// Why `password_command` gave no password.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum PasswordCommandError {
    #[error("password_command is empty")]
    Empty,
    #[error("password_command {program}: {reason}")]
    Start { program: String, reason: String },
    #[error("password_command {program} exited with {status}{}", stderr_suffix(.stderr))]
    Failed {
        program: String,
        status: String,
        stderr: String,
    },
    #[error("password_command {program} printed no password")]
    NoOutput { program: String },
    #[error("password_command {program} did not finish within {secs} s")]
    Timeout { program: String, secs: u64 },
}

fn stderr_suffix(stderr: &str) -> String {
    if stderr.is_empty() {
        String::new()
    } else {
        format!(": {stderr}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_error_line_names_the_service_then_the_reason() {
        let e = SyncError::new(Service::TtRss, SyncErrorKind::WrongPassword);
        assert_eq!(e.to_string(), "TT-RSS: wrong user name or password");
        let e = SyncError::new(
            Service::Fever,
            SyncErrorKind::ServerError {
                status: 500,
                excerpt: String::new(),
            },
        );
        assert_eq!(e.to_string(), "Fever: server error: HTTP 500 (empty body)");
    }
}
