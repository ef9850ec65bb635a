//! Dates as the screen shows them, in the app's time zone and relative to its clock (never
//! the process's own: see `crate::clock`).

use chrono::{DateTime, Utc};

use crate::clock::Zone;

/// The headline list's date: the time for today, else day and month, with the year for
/// dates outside the current year (`31 Dec 25`).
pub fn short_date(t: DateTime<Utc>, now: DateTime<Utc>, zone: Zone) -> String {
    use chrono::Datelike;
    let (local, today) = (zone.local(t), zone.local(now));
    if local.date() == today.date() {
        local.format("%H:%M").to_string()
    } else if local.year() == today.year() {
        local.format("%d %b").to_string()
    } else {
        local.format("%d %b %y").to_string()
    }
}

/// The reader's date: day and time.
pub fn long_date(t: DateTime<Utc>, zone: Zone) -> String {
    zone.local(t).format("%Y-%m-%d %H:%M").to_string()
}

/// A time of day in the status line ("updated 14:05", "next try 14:20").
pub fn time_of_day(t: DateTime<Utc>, zone: Zone) -> String {
    zone.local(t).format("%H:%M").to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{FixedOffset, TimeZone};

    #[test]
    fn today_is_decided_in_the_zone_not_in_utc() {
        let now = Utc.with_ymd_and_hms(2026, 12, 1, 22, 0, 0).unwrap();
        let earlier = Utc.with_ymd_and_hms(2026, 12, 1, 20, 30, 0).unwrap();
        assert_eq!(short_date(earlier, now, Zone::UTC), "20:30");
        // In Baghdad (UTC+3) `now` is already 2 December and 20:30 UTC was 1 December.
        let baghdad = Zone::Fixed(FixedOffset::east_opt(3 * 3600).unwrap());
        assert_eq!(short_date(earlier, now, baghdad), "01 Dec");
        assert_eq!(long_date(earlier, baghdad), "2026-12-01 23:30");
        assert_eq!(time_of_day(earlier, baghdad), "23:30");
    }

    #[test]
    fn dates_outside_the_current_year_carry_it() {
        // Issue 10 item 7: an item from last year showed `31 Dec`.
        let now = Utc.with_ymd_and_hms(2027, 1, 2, 9, 0, 0).unwrap();
        let last_year = Utc.with_ymd_and_hms(2026, 12, 31, 9, 0, 0).unwrap();
        let this_year = Utc.with_ymd_and_hms(2027, 1, 1, 9, 0, 0).unwrap();
        assert_eq!(short_date(last_year, now, Zone::UTC), "31 Dec 26");
        assert_eq!(short_date(this_year, now, Zone::UTC), "01 Jan");
        let next_year = Utc.with_ymd_and_hms(2028, 3, 1, 9, 0, 0).unwrap();
        assert_eq!(short_date(next_year, now, Zone::UTC), "01 Mar 28");
    }
}
