//! What the integration tests share: builders with defaults, the app drivers, the test HTTP
//! servers (one async, one blocking) and child processes. Each test module
//! imports the pieces it uses from the submodules.

pub mod app;
pub mod builders;
pub mod http;
pub mod process;
