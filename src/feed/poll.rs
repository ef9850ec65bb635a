//! placeholder
pub struct PollOptions;
pub enum PollCmd {}
pub struct PollerHandle;
pub fn spawn_poller() {}
pub fn refresh_once() {}
