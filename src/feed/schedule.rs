//! When to poll a feed next: the interval, server hints (RSS `<ttl>`, `Cache-Control:
//! max-age`, `Retry-After`) within bounds, exponential backoff on failure, and jitter.
//!
//! Bounds: a server hint is clamped to [`MIN_HINT`, `MAX_HINT`] (1 min to 24 h) and can only
//! make polling *less* frequent than the configured interval, never more. The configured
//! interval itself is taken as given (the demo polls a local file every few seconds).
//! Failures back off as `interval * 2^(failures - 1)`, capped at [`MAX_BACKOFF`] (6 h, or the
//! interval if that is longer); a `Retry-After` can push the retry further out.

use std::hash::BuildHasher;
use std::time::Duration;

use chrono::{DateTime, Utc};

/// The reason saved with a feed that answered 410 Gone, which later runs read back.
pub const GONE_REASON: &str = "gone (HTTP 410)";

/// Why `akhbar refresh` leaves a feed alone (without `--force`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Skip {
    /// It answered 410 Gone.
    Gone,
    /// It is failing and its saved schedule (its `Retry-After`, else the backoff) says not
    /// before this time.
    NotBefore(DateTime<Utc>),
}

/// Whether a one-off refresh at `now` should skip `source`: a feed that is gone, or a
/// failing one whose saved retry time is still ahead. A healthy feed is always fetched (the
/// user asked for it), whatever its interval says.
pub fn refresh_skip(source: &crate::model::FeedSource, now: DateTime<Utc>) -> Option<Skip> {
    if source.gone {
        return Some(Skip::Gone);
    }
    match source.next_poll {
        Some(at) if source.failures > 0 && at > now => Some(Skip::NotBefore(at)),
        _ => None,
    }
}

/// Shortest delay a server hint may ask for.
pub const MIN_HINT: Duration = Duration::from_secs(60);
/// Longest delay a server hint may ask for.
pub const MAX_HINT: Duration = Duration::from_secs(24 * 3600);
/// Longest delay between retries of a failing feed.
pub const MAX_BACKOFF: Duration = Duration::from_secs(6 * 3600);
/// Jitter adds up to this fraction of the delay (never subtracts: a hint stays honoured).
pub const JITTER_FRACTION: f64 = 0.1;

/// What the server said about polling it again.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Hints {
    pub ttl: Option<Duration>,
    pub max_age: Option<Duration>,
    pub retry_after: Option<Duration>,
}

/// `max-age=N` from a Cache-Control value (`no-cache`/`no-store` give no hint).
pub fn parse_max_age(value: &str) -> Option<Duration> {
    value.split(',').find_map(|directive| {
        let (name, n) = directive.trim().split_once('=')?;
        if !name.trim().eq_ignore_ascii_case("max-age") {
            return None;
        }
        n.trim()
            .trim_matches('"')
            .parse::<u64>()
            .ok()
            .map(Duration::from_secs)
    })
}

/// A Retry-After value: delay-seconds or an HTTP date (from `now`).
pub fn parse_retry_after(value: &str, now: DateTime<Utc>) -> Option<Duration> {
    let value = value.trim();
    if let Ok(secs) = value.parse::<u64>() {
        return Some(Duration::from_secs(secs));
    }
    let when = DateTime::parse_from_rfc2822(value)
        .ok()?
        .with_timezone(&Utc);
    Some((when - now).to_std().unwrap_or(Duration::ZERO))
}

/// A server hint clamped to the documented bounds.
pub fn clamp_hint(hint: Duration) -> Duration {
    hint.clamp(MIN_HINT, MAX_HINT)
}

/// Delay before the next poll, before jitter. `failures` counts consecutive failures
/// including the one just seen (0 after a success).
pub fn next_delay(interval: Duration, failures: u32, hints: Hints) -> Duration {
    if failures == 0 {
        [hints.ttl, hints.max_age]
            .into_iter()
            .flatten()
            .map(clamp_hint)
            .fold(interval, Duration::max)
    } else {
        let cap = MAX_BACKOFF.max(interval);
        let factor = 1u32 << (failures - 1).min(20);
        let backoff = interval.saturating_mul(factor).min(cap);
        hints
            .retry_after
            .map(clamp_hint)
            .map_or(backoff, |r| backoff.max(r))
    }
}

/// `delay` plus a random share of up to [`JITTER_FRACTION`] of it, so feeds configured
/// together drift apart instead of firing in one burst.
pub fn with_jitter(delay: Duration) -> Duration {
    let random = std::collections::hash_map::RandomState::new().hash_one(delay);
    let share = (random % 10_000) as f64 / 10_000.0 * JITTER_FRACTION;
    delay + delay.mul_f64(share)
}

#[cfg(test)]
mod tests {
    use super::*;

    const MIN: Duration = Duration::from_secs(60);

    #[test]
    fn max_age_is_read_among_other_directives() {
        assert_eq!(
            parse_max_age("public, max-age=600, must-revalidate"),
            Some(Duration::from_secs(600))
        );
        assert_eq!(parse_max_age("no-cache"), None);
    }

    #[test]
    fn retry_after_accepts_seconds_and_http_dates() {
        let now = DateTime::parse_from_rfc3339("2024-01-01T00:00:00Z")
            .unwrap()
            .with_timezone(&Utc);
        assert_eq!(
            parse_retry_after("120", now),
            Some(Duration::from_secs(120))
        );
        assert_eq!(
            parse_retry_after("Mon, 01 Jan 2024 00:10:00 GMT", now),
            Some(Duration::from_secs(600))
        );
        assert_eq!(parse_retry_after("soon", now), None);
    }

    #[test]
    fn hints_only_lengthen_the_interval_and_are_clamped() {
        let base = 15 * MIN;
        let hints = |ttl: u64, max_age: u64| Hints {
            ttl: Some(Duration::from_secs(ttl)),
            max_age: Some(Duration::from_secs(max_age)),
            retry_after: None,
        };
        assert_eq!(next_delay(base, 0, hints(60 * 60, 0)), 60 * MIN);
        assert_eq!(next_delay(base, 0, hints(1, 5 * 60)), base);
        assert_eq!(next_delay(base, 0, hints(0, 365 * 24 * 3600)), MAX_HINT);
    }

    #[test]
    fn failures_back_off_exponentially_up_to_six_hours() {
        let base = 15 * MIN;
        let delays: Vec<_> = (1..=7)
            .map(|f| next_delay(base, f, Hints::default()).as_secs() / 60)
            .collect();
        assert_eq!(delays, [15, 30, 60, 120, 240, 360, 360]);
        assert_eq!(next_delay(base, 1000, Hints::default()), MAX_BACKOFF);
    }

    #[test]
    fn retry_after_pushes_a_retry_further_within_bounds() {
        let hints = Hints {
            retry_after: Some(Duration::from_secs(7200)),
            ..Hints::default()
        };
        assert_eq!(next_delay(15 * MIN, 1, hints), 120 * MIN);
        let huge = Hints {
            retry_after: Some(Duration::from_secs(10 * 24 * 3600)),
            ..Hints::default()
        };
        assert_eq!(next_delay(15 * MIN, 1, huge), MAX_HINT);
    }

    #[test]
    fn a_refresh_skips_gone_feeds_and_failing_ones_asked_to_wait() {
        use crate::model::{FeedId, FeedSource};
        use chrono::TimeZone;
        let now = Utc.with_ymd_and_hms(2026, 12, 1, 12, 0, 0).unwrap();
        let later = now + chrono::Duration::hours(1);
        let src = |gone, failures, next_poll| FeedSource {
            gone,
            failures,
            next_poll,
            ..FeedSource::new(FeedId(0), "https://example.org/f")
        };
        assert_eq!(refresh_skip(&src(true, 0, None), now), Some(Skip::Gone));
        assert_eq!(
            refresh_skip(&src(false, 2, Some(later)), now),
            Some(Skip::NotBefore(later))
        );
        // Due again, healthy (its interval not up yet), or never fetched: fetched.
        assert_eq!(refresh_skip(&src(false, 2, Some(now)), now), None);
        assert_eq!(refresh_skip(&src(false, 0, Some(later)), now), None);
        assert_eq!(refresh_skip(&src(false, 0, None), now), None);
    }

    #[test]
    fn jitter_adds_at_most_a_tenth() {
        for _ in 0..100 {
            let d = with_jitter(100 * MIN);
            assert!(d >= 100 * MIN && d <= 110 * MIN, "{d:?}");
        }
    }
}
