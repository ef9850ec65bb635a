//! akhbar's sync clients (issue 13) against real servers: Tiny Tiny RSS and a Fever server
//! (coldsweat), brought up by tests/harness (`.ci/run` does it and exports their addresses);
//! without them those tests say so and skip, unless CI=true. Failures no real server shows
//! on demand come from tiny servers on 127.0.0.1 started by the tests.

pub mod app;
pub mod e2e;
pub mod env;
pub mod failures;
pub mod feeds;
pub mod fever;
pub mod password;
pub mod raw;
pub mod ttrss;
pub mod tui;
