//! Formats: what a text or a number must look like for a data type (e-mail, phone,
//! website, calendar date, date-time, record id, digits of a number). Pure predicates
//! on the value alone; which of them applies to a field is decided in `values`.

use serde_json::value::RawValue;

use super::raw;

/// Digits of a JSON number's text. Leading zeros do not count; an exponent is applied.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Digits {
    /// Digits before the point.
    pub integer: u32,
    /// Digits after the point, trailing zeros left out.
    pub fraction: u32,
    /// No fraction: the number is a whole one.
    pub integral: bool,
}

impl Digits {
    fn new(integer: u32, fraction: u32, integral: bool) -> Self {
        Digits {
            integer,
            fraction,
            integral,
        }
    }
}

/// The [`Digits`] of a JSON number's text; `None` when it is not a number.
pub(super) fn number_digits(text: &str) -> Option<Digits> {
    let body = text.strip_prefix('-').unwrap_or(text);
    // Fast path, one pass: plain `123` or `123.45` without an exponent.
    let bytes = body.as_bytes();
    let point = bytes.iter().position(|&c| c == b'.');
    let (int, frac) = match point {
        Some(p) => (bytes.get(..p)?, bytes.get(p.saturating_add(1)..)?),
        None => (bytes, &[][..]),
    };
    if int.iter().chain(frac).all(u8::is_ascii_digit) {
        let int_digits = int.iter().skip_while(|&&c| c == b'0').count();
        let frac_digits = frac
            .len()
            .saturating_sub(frac.iter().rev().take_while(|&&c| c == b'0').count());
        let clamp = |v: usize| u32::try_from(v).unwrap_or(u32::MAX);
        return Some(Digits::new(
            clamp(int_digits),
            clamp(frac_digits),
            frac_digits == 0,
        ));
    }
    let (mantissa, exp) = match body.find(['e', 'E']) {
        Some(at) => (
            body.get(..at)?,
            body.get(at.saturating_add(1)..)?.parse::<i32>().ok()?,
        ),
        None => (body, 0),
    };
    let (int, frac) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    // All digits, with the point `p` places from the left after the exponent.
    let all_len = i64::try_from(int.len().saturating_add(frac.len())).ok()?;
    let lead = int
        .bytes()
        .chain(frac.bytes())
        .take_while(|c| *c == b'0')
        .count();
    let trail = frac
        .bytes()
        .rev()
        .chain(int.bytes().rev())
        .take_while(|c| *c == b'0')
        .count();
    let lead = i64::try_from(lead).ok()?;
    let trail = i64::try_from(trail).ok()?;
    if lead == all_len {
        return Some(Digits::new(0, 0, true));
    }
    let p = i64::try_from(int.len())
        .ok()?
        .saturating_add(i64::from(exp));
    let i = p.saturating_sub(lead).max(0);
    let f = all_len.saturating_sub(trail).saturating_sub(p).max(0);
    let clamp = |v: i64| u32::try_from(v.clamp(0, i64::from(u32::MAX))).unwrap_or(u32::MAX);
    Some(Digits::new(clamp(i), clamp(f), f == 0))
}

/// Empty as a mandatory field counts it: null, blank text or an empty list.
pub(super) fn is_empty_value(raw: &RawValue) -> bool {
    match raw::kind(raw) {
        raw::Kind::Null => true,
        raw::Kind::String => raw::as_str(raw).is_none_or(|s| s.trim().is_empty()),
        raw::Kind::Array => raw.get().trim_start_matches('[').trim() == "]",
        _ => false,
    }
}

/// `yyyy-MM-dd`, a day that exists on the calendar.
pub(super) fn is_date(s: &str) -> bool {
    let b = s.as_bytes();
    if b.len() != 10 || b.get(4) != Some(&b'-') || b.get(7) != Some(&b'-') {
        return false;
    }
    let (Some(y), Some(m), Some(d)) = (s.get(0..4), s.get(5..7), s.get(8..10)) else {
        return false;
    };
    if ![y, m, d]
        .iter()
        .all(|p| p.bytes().all(|c| c.is_ascii_digit()))
    {
        return false;
    }
    let (Ok(y), Ok(m), Ok(d)) = (y.parse::<i32>(), m.parse::<u32>(), d.parse::<u32>()) else {
        return false;
    };
    crate::datetime::is_calendar_date(y, m, d)
}

/// ISO 8601 / RFC 3339 date-time with an offset (`2024-05-10T13:45:00+05:30` or `Z`).
pub(super) fn is_datetime(s: &str) -> bool {
    // RFC 3339 also allows a space separator; Zoho's format has the `T`.
    s.as_bytes().get(10) == Some(&b'T') && crate::datetime::rfc3339_ms(s).is_some()
}

/// E-mail syntax. The common case (ASCII dot-atoms, `user.name+tag@sub.example.com`)
/// is recognised by a strict subset check; anything else goes to `email_address`
/// (RFC 5321/5322). The subset only accepts addresses the crate accepts too.
pub(super) fn is_email(s: &str) -> bool {
    simple_email(s) || email_address::EmailAddress::is_valid(s)
}

/// Longest local part (RFC 5321 §4.5.3.1.1).
const MAX_LOCAL_PART: usize = 64;
/// Longest domain (RFC 5321 §4.5.3.1.2).
const MAX_DOMAIN: usize = 255;
/// Longest domain label (RFC 1035).
const MAX_LABEL: usize = 63;

fn simple_email(s: &str) -> bool {
    let Some((local, domain)) = s.split_once('@') else {
        return false;
    };
    let atom = |c: u8| c.is_ascii_alphanumeric() || matches!(c, b'_' | b'%' | b'+' | b'-');
    let dotted = |part: &str, ok: &dyn Fn(u8) -> bool, max_label: usize| {
        !part.is_empty()
            && part
                .split('.')
                .all(|l| !l.is_empty() && l.len() <= max_label && l.bytes().all(ok))
    };
    let label = |c: u8| c.is_ascii_alphanumeric() || c == b'-';
    local.len() <= MAX_LOCAL_PART
        && domain.len() <= MAX_DOMAIN
        && dotted(local, &atom, MAX_LOCAL_PART)
        && dotted(domain, &label, MAX_LABEL)
        && domain.contains('.')
        && domain
            .split('.')
            .all(|l| !l.starts_with('-') && !l.ends_with('-'))
}

/// Phone: the characters people write in numbers, with at least one digit. Zoho's own
/// regex is not published in the facts; this one refuses only what no phone contains.
pub(super) fn is_phone(s: &str) -> bool {
    s.bytes().any(|c| c.is_ascii_digit())
        && s.chars().all(|c| {
            c.is_ascii_digit()
                || matches!(
                    c,
                    '+' | '-'
                        | '('
                        | ')'
                        | '.'
                        | ' '
                        | '/'
                        | '#'
                        | '*'
                        | 'x'
                        | 'X'
                        | 'e'
                        | 'E'
                        | 't'
                        | ','
                        | ';'
                )
        })
}

/// Website: no spaces, a dot in the host, an optional http(s) scheme.
pub(super) fn is_website(s: &str) -> bool {
    let rest = s
        .strip_prefix("https://")
        .or_else(|| s.strip_prefix("http://"))
        .unwrap_or(s);
    let host = rest.split(['/', '?', '#']).next().unwrap_or("");
    !s.chars().any(char::is_whitespace)
        && host.contains('.')
        && !host.starts_with('.')
        && !host.ends_with('.')
}

/// Longest record id (Zoho ids are 18-19 digits; the bound only rejects nonsense).
const MAX_ID_CHARS: usize = 64;

/// A record id: a string of letters, digits and `_`, or a whole JSON number.
pub(super) fn is_id(raw: &RawValue) -> bool {
    match raw::kind(raw) {
        raw::Kind::String => raw::as_str(raw).is_some_and(|s| {
            !s.is_empty()
                && s.len() <= MAX_ID_CHARS
                && s.bytes().all(|c| c.is_ascii_alphanumeric() || c == b'_')
        }),
        raw::Kind::Number => number_digits(raw.get()).is_some_and(|d| d.integral),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn number_digits_counts_both_parts_and_applies_exponents() {
        assert_eq!(number_digits("123.45"), Some(Digits::new(3, 2, false)));
        assert_eq!(number_digits("-0.5"), Some(Digits::new(0, 1, false)));
        assert_eq!(number_digits("1e3"), Some(Digits::new(4, 0, true)));
        assert_eq!(number_digits("1.25e1"), Some(Digits::new(2, 1, false)));
        assert_eq!(number_digits("12e-1"), Some(Digits::new(1, 1, false)));
        assert_eq!(number_digits("10.0"), Some(Digits::new(2, 0, true)));
        assert_eq!(number_digits("1e999999999999"), None);
    }

    #[test]
    fn the_email_fast_path_accepts_only_what_the_crate_accepts() {
        for s in [
            "ada@example.com",
            "a.b+c-d_e%f@sub.example.co.uk",
            "x@a-b.io",
            "a..b@example.com",
            ".a@example.com",
            "a.@example.com",
            "a@example",
            "a@-x.com",
            "a@x-.com",
            "a@x..com",
            "@x.com",
            "a@",
            "a b@x.com",
        ] {
            if simple_email(s) {
                assert!(email_address::EmailAddress::is_valid(s), "{s}");
            }
        }
        assert!(simple_email("ada@example.com"));
        assert!(!simple_email("a..b@example.com"));
        assert!(
            is_email("\"quoted\"@example.com")
                == email_address::EmailAddress::is_valid("\"quoted\"@example.com")
        );
    }

    #[cfg(not(target_arch = "wasm32"))]
    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(256))]
        #[test]
        fn the_email_fast_path_is_a_subset_of_the_crate(s in "[a-zA-Z0-9._%+@-]{1,24}") {
            if simple_email(&s) {
                proptest::prop_assert!(email_address::EmailAddress::is_valid(&s), "{}", s);
            }
        }
    }

    #[test]
    fn dates_must_exist_on_the_calendar() {
        assert!(is_date("2024-02-29"));
        assert!(!is_date("2023-02-29"));
        assert!(!is_date("2024-13-01"));
        assert!(!is_date("2024-1-01"));
        assert!(is_datetime("2024-05-10T13:45:00+05:30"));
        assert!(!is_datetime("2024-05-10T13:45:00"));
        assert!(!is_datetime("2024-05-10 13:45:00+05:30"));
    }
}
