//! What the integration tests share: builders with defaults, the app drivers and child
//! processes. Each test module imports the pieces it uses from the submodules.

pub mod app;
pub mod builders;
pub mod process;
