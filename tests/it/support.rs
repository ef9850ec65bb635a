//! What the integration tests share: builders with defaults, the app drivers, the test HTTP
//! servers (one async, one blocking), child processes and the tmux driver. Each test module
//! imports the pieces it uses from the submodules.

pub mod app;
pub mod builders;
pub mod http;
pub mod process;
pub mod tmux;
