//! Fetching and parsing feeds: a tokio task owns the schedule and sends `PollEvent`s.
