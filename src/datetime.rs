//! Calendar dates and RFC 3339 date-times, by hand: the two formats Zoho uses
//! (`yyyy-MM-dd` fields, `2024-05-10T13:45:00+05:30` date-times and
//! `X-ACCESSTOKEN-RESET`). The `time` crate did this before for about 9 KiB of wasm;
//! these fifty lines accept exactly what its RFC 3339 parser accepts (checked against
//! it by a property test, `time` being a dev-dependency only).

/// Whether `y-m-d` is a day of the proleptic Gregorian calendar.
pub fn is_calendar_date(y: i32, m: u32, d: u32) -> bool {
    let leap = y % 4 == 0 && (y % 100 != 0 || y % 400 == 0);
    let days = match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return false,
    };
    (1..=days).contains(&d)
}

/// Days from 1970-01-01 to a valid date (H. Hinnant's `days_from_civil`).
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The number written by the ASCII digits `b[range]`.
fn digits(b: &[u8], from: usize, to: usize) -> Option<u32> {
    let part = b.get(from..to)?;
    part.iter().try_fold(0u32, |n, &c| {
        c.is_ascii_digit().then(|| n * 10 + u32::from(c - b'0'))
    })
}

/// An RFC 3339 date-time (`T`, or any one byte, between date and time; optional fraction,
/// `Z` or `±hh:mm`) in ms since the epoch; a leap second (`:60`) only at 23:59 UTC,
/// read as its last millisecond.
pub fn rfc3339_ms(s: &str) -> Option<i64> {
    let b = s.as_bytes();
    let at = |i: usize, c: u8| b.get(i) == Some(&c);
    let year = digits(b, 0, 4)?;
    let (month, day) = (digits(b, 5, 7)?, digits(b, 8, 10)?);
    let (hour, minute, mut second) = (digits(b, 11, 13)?, digits(b, 14, 16)?, digits(b, 17, 19)?);
    // Any byte between date and time, as `time` reads RFC 3339 §5.6's note.
    if !(at(4, b'-') && at(7, b'-') && at(13, b':') && at(16, b':')) {
        return None;
    }
    let mut i = 19;
    let mut ms = 0;
    if at(i, b'.') {
        let start = i + 1;
        i = start;
        while b.get(i).is_some_and(u8::is_ascii_digit) {
            i += 1;
        }
        if i == start {
            return None;
        }
        // Milliseconds: the first three digits, padded with zeros.
        let digit = |k: usize| match b.get(start + k) {
            Some(&c) if start + k < i => u32::from(c - b'0'),
            _ => 0,
        };
        ms = digit(0) * 100 + digit(1) * 10 + digit(2);
    }
    let offset_min: i64 = match b.get(i) {
        Some(b'Z' | b'z') if b.len() == i + 1 => 0,
        Some(&sign @ (b'+' | b'-')) if b.len() == i + 6 && at(i + 3, b':') => {
            let (oh, om) = (digits(b, i + 1, i + 3)?, digits(b, i + 4, i + 6)?);
            if oh > 23 || om > 59 {
                return None;
            }
            let m = i64::from(oh * 60 + om);
            if sign == b'-' {
                -m
            } else {
                m
            }
        }
        _ => return None,
    };
    let year = i32::try_from(year).ok()?;
    if !is_calendar_date(year, month, day) || hour > 23 || minute > 59 || second > 60 {
        return None;
    }
    let local_min = i64::from(hour * 60 + minute);
    if second == 60 {
        if (local_min - offset_min).rem_euclid(1440) != 1439 {
            return None;
        }
        second = 59;
        ms = 999;
    }
    let days = days_from_civil(i64::from(year), i64::from(month), i64::from(day));
    let minutes = days * 1440 + local_min - offset_min;
    Some((minutes * 60 + i64::from(second)) * 1000 + i64::from(ms))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use time::format_description::well_known::Rfc3339;
    use time::OffsetDateTime;

    fn by_time(s: &str) -> Option<i64> {
        let t = OffsetDateTime::parse(s, &Rfc3339).ok()?;
        i64::try_from(t.unix_timestamp_nanos().div_euclid(1_000_000)).ok()
    }

    #[test]
    fn known_instants() {
        assert_eq!(rfc3339_ms("1970-01-01T00:00:00Z"), Some(0));
        assert_eq!(rfc3339_ms("1994-11-06T08:49:37Z"), Some(784_111_777_000));
        assert_eq!(
            rfc3339_ms("2024-05-10T13:45:00+05:30"),
            Some(1_715_328_900_000)
        );
        assert_eq!(
            rfc3339_ms("2024-05-10t08:15:00.25z"),
            Some(1_715_328_900_250)
        );
        assert_eq!(rfc3339_ms("2024-02-30T00:00:00Z"), None);
        assert_eq!(rfc3339_ms("2024-05-10T13:45:00"), None);
        assert_eq!(rfc3339_ms("2024-05-10T24:00:00Z"), None);
        assert_eq!(rfc3339_ms("2016-12-31T23:59:60Z"), Some(1_483_228_799_999));
        assert_eq!(rfc3339_ms("2016-12-31T22:59:60Z"), None);
        assert!(is_calendar_date(2000, 2, 29) && !is_calendar_date(1900, 2, 29));
    }

    fn two(max: u32) -> impl Strategy<Value = String> {
        (0..=max).prop_map(|n| format!("{n:02}"))
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2000))]

        /// Same answer as `time`'s RFC 3339 parser on near-valid and malformed input.
        #[test]
        fn agrees_with_the_time_crate(
            y in prop_oneof![Just("0000".to_string()), (1900u32..2101).prop_map(|y| y.to_string()), Just("9999".to_string())],
            mo in two(13), d in two(32), h in two(25), mi in two(61), s in two(61),
            sep in prop::sample::select(vec!["T", "t", " ", "_"]),
            frac in prop::sample::select(vec!["", ".5", ".123", ".123456789", ".1234567891", "."]),
            off in prop::sample::select(vec!["Z", "z", "+05:30", "-23:59", "+24:00", "-00:60", "+0530", ""]),
        ) {
            let text = format!("{y}-{mo}-{d}{sep}{h}:{mi}:{s}{frac}{off}");
            prop_assert_eq!(rfc3339_ms(&text), by_time(&text), "{}", text);
        }

        #[test]
        fn arbitrary_text_never_panics(s in "\\PC{0,40}") {
            let _ = rfc3339_ms(&s);
        }
    }
}
