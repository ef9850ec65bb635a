//! Time as an input: the wall clock and the user's time zone. The app holds one and the
//! views format every date with it, so nothing on screen depends on where or when the tests
//! run (a reader in Baghdad runs the same suite as CI in UTC).

use chrono::{DateTime, FixedOffset, Local, NaiveDateTime, Utc};

/// The time zone dates are shown in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Zone {
    /// The system's zone (`TZ`, else `/etc/localtime`), daylight saving included.
    Local,
    /// A fixed offset from UTC (tests, and `TZ`-less machines that want one).
    Fixed(FixedOffset),
}

impl Zone {
    pub const UTC: Zone = Zone::Fixed(FixedOffset::east_opt(0).expect("0 is a valid offset"));

    /// The wall-clock time in this zone.
    pub fn local(&self, t: DateTime<Utc>) -> NaiveDateTime {
        match self {
            Zone::Local => t.with_timezone(&Local).naive_local(),
            Zone::Fixed(offset) => t.with_timezone(offset).naive_local(),
        }
    }
}

/// Where "now" comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Clock {
    fixed: Option<DateTime<Utc>>,
    zone: Zone,
}

impl Clock {
    /// The system clock in the system's zone: what the binary runs with.
    pub fn system() -> Clock {
        Clock {
            fixed: None,
            zone: Zone::Local,
        }
    }

    /// A clock that always says `now`, in `zone`: for tests and snapshots.
    pub fn fixed(now: DateTime<Utc>, zone: Zone) -> Clock {
        Clock {
            fixed: Some(now),
            zone,
        }
    }

    pub fn now(&self) -> DateTime<Utc> {
        self.fixed.unwrap_or_else(Utc::now)
    }

    pub fn zone(&self) -> Zone {
        self.zone
    }
}

impl Default for Clock {
    fn default() -> Self {
        Clock::system()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn a_fixed_zone_shifts_the_wall_clock_by_its_offset() {
        let t = Utc.with_ymd_and_hms(2026, 12, 31, 22, 30, 0).unwrap();
        let baghdad = Zone::Fixed(FixedOffset::east_opt(3 * 3600).unwrap());
        assert_eq!(baghdad.local(t).to_string(), "2027-01-01 01:30:00");
        assert_eq!(Zone::UTC.local(t).to_string(), "2026-12-31 22:30:00");
    }

    #[test]
    fn a_fixed_clock_does_not_move() {
        let t = Utc.with_ymd_and_hms(2026, 1, 2, 3, 4, 5).unwrap();
        let c = Clock::fixed(t, Zone::UTC);
        assert_eq!((c.now(), c.now()), (t, t));
    }
}
