//! `Retry-After` (RFC 9110 §10.2.3): either a number of seconds or an HTTP date. Servers use
//! both, so both are read; a date is turned into seconds from `now`. The three date formats
//! HTTP allows are accepted: IMF-fixdate, the obsolete RFC 850 form and C's asctime form.

/// Seconds to wait, rounded up; a date in the past means "now" (0). `None` when unreadable.
pub fn parse(value: &str, now_unix_s: f64) -> Option<u32> {
    let value = value.trim();
    if value.is_empty() {
        return None;
    }
    if value.bytes().all(|b| b.is_ascii_digit() || b == b'.') {
        let s: f64 = value.parse().ok()?;
        return Some(clamp(s));
    }
    let at = http_date(value)?;
    Some(clamp(at as f64 - now_unix_s))
}

fn clamp(seconds: f64) -> u32 {
    if seconds.is_nan() || seconds <= 0.0 {
        0
    } else {
        seconds.ceil().min(u32::MAX as f64) as u32
    }
}

const MONTHS: [&str; 12] = [
    "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
];

fn month(name: &str) -> Option<u32> {
    let lower = name.to_ascii_lowercase();
    MONTHS
        .iter()
        .position(|m| *m == lower)
        .map(|i| i as u32 + 1)
}

fn clock(hms: &str) -> Option<(u32, u32, u32)> {
    let mut parts = hms.split(':').map(|p| p.parse::<u32>().ok());
    let (h, m, s) = (parts.next()??, parts.next()??, parts.next()??);
    (parts.next().is_none() && h < 24 && m < 60 && s < 61).then_some((h, m, s))
}

/// Seconds since 1970-01-01T00:00:00Z of an HTTP date.
pub fn http_date(text: &str) -> Option<i64> {
    let words: Vec<&str> = text.split_whitespace().collect();
    let (day, mon, year, hms) = match words.as_slice() {
        // IMF-fixdate: Sun, 06 Nov 1994 08:49:37 GMT
        [_, d, m, y, t, "GMT"] if !d.contains('-') => {
            (d.parse().ok()?, month(m)?, y.parse().ok()?, *t)
        }
        // RFC 850: Sunday, 06-Nov-94 08:49:37 GMT (two-digit years: 70-99 are 19xx)
        [_, dmy, t, "GMT"] => {
            let mut p = dmy.split('-');
            let (d, m, y) = (p.next()?, p.next()?, p.next()?);
            let y: i64 = y.parse().ok()?;
            let y = match y {
                0..=69 => 2000 + y,
                70..=99 => 1900 + y,
                y => y,
            };
            (d.parse().ok()?, month(m)?, y, *t)
        }
        // asctime: Sun Nov  6 08:49:37 1994
        [_, m, d, t, y] => (d.parse().ok()?, month(m)?, y.parse().ok()?, *t),
        _ => return None,
    };
    let (h, mi, s) = clock(hms)?;
    if !(1..=31).contains(&day) {
        return None;
    }
    Some(days_from_civil(year, mon, day) * 86_400 + (h * 3600 + mi * 60 + s) as i64)
}

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
fn days_from_civil(y: i64, m: u32, d: u32) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let m = m as i64;
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + d as i64 - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

#[cfg(test)]
mod tests {
    use super::*;

    // 1994-11-06T08:49:37Z, the example date of RFC 9110.
    const EXAMPLE: i64 = 784_111_777;

    #[test]
    fn all_three_date_formats() {
        assert_eq!(http_date("Sun, 06 Nov 1994 08:49:37 GMT"), Some(EXAMPLE));
        assert_eq!(http_date("Sunday, 06-Nov-94 08:49:37 GMT"), Some(EXAMPLE));
        assert_eq!(http_date("Sun Nov  6 08:49:37 1994"), Some(EXAMPLE));
        assert_eq!(http_date("Thu, 01 Jan 1970 00:00:00 GMT"), Some(0));
        assert_eq!(
            http_date("Tue, 29 Feb 2028 12:00:00 GMT"),
            Some(1_835_438_400)
        );
        assert_eq!(http_date("Sun, 06 Nov 1994 25:49:37 GMT"), None);
        assert_eq!(http_date("tomorrow"), None);
    }

    #[test]
    fn seconds_or_a_date_from_now() {
        let now = EXAMPLE as f64;
        assert_eq!(parse("7", now), Some(7));
        assert_eq!(parse(" 120 ", now), Some(120));
        assert_eq!(parse("1.2", now), Some(2), "rounded up");
        assert_eq!(parse("Sun, 06 Nov 1994 08:50:07 GMT", now), Some(30));
        assert_eq!(parse("Sun, 06 Nov 1994 08:50:07 GMT", now + 0.5), Some(30));
        assert_eq!(parse("Sun, 06 Nov 1994 08:40:00 GMT", now), Some(0), "past");
        assert_eq!(parse("soon", now), None);
        assert_eq!(parse("", now), None);
    }
}
