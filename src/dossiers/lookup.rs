//! The public lookup of a dossier by its code, and what keeps it from being a directory of
//! everyone's dossiers.
//!
//! Codes are sequential (`{agency}-{YYMMDD}-{0001…}`), so anyone could walk a day's codes. The
//! lookup therefore needs a second factor the applicant holds and a walker does not: `check`, the
//! last 4 digits of the applicant's phone or identity number, as given at intake. A missing,
//! malformed or wrong check answers exactly as an unknown code does (the same 404), so an
//! answer never tells that a code exists. A dossier whose applicant gave neither a phone nor an
//! identity number cannot be looked up this way; its applicant asks the desk or signs in.
//!
//! Four digits are 10 000 guesses, so every lookup attempt from an address is counted, found or
//! not, and the address is throttled: `MOTCUA_LOOKUP_PER_MINUTE` (10) a minute, half a minute's
//! worth (5) at once, so that a citizen who mistypes the check twice is not held. At 10 a minute a
//! walker needs about 17 hours to try every check of one dossier. The counts are
//! the sign-in throttle's leaky tallies (`auth::throttle::KeyedLimit`): one instant per address, in a
//! map of bounded size, kept in the process.

use std::net::IpAddr;
use std::time::{Duration, Instant};

use super::row::DossierRow;
use crate::auth::throttle::{KeyedLimit, Limit};
use crate::error::ApiError;

/// Addresses kept; when full, those whose count has leaked away go first, then the smallest.
const CAPACITY: usize = 100_000;

/// How many digits `check` has.
const CHECK_DIGITS: usize = 4;

/// Lookup attempts per client address.
pub struct LookupThrottle {
    addresses: KeyedLimit<Option<IpAddr>>,
}

impl LookupThrottle {
    /// `per_minute` lookups a minute per address (at least one), half of them (rounded up) at
    /// once.
    pub fn new(per_minute: u32) -> Self {
        let per_minute = per_minute.max(1);
        // A tally admits one more attempt than its allowance before it waits.
        let limit =
            Limit { allowance: per_minute.div_ceil(2) - 1, period: Duration::from_secs(60) / per_minute };
        Self { addresses: KeyedLimit::new(limit, CAPACITY) }
    }

    /// Count an attempt from `address` at `now`, or refuse it (429 with `Retry-After`) while the
    /// address has used up its pace. A refused attempt is not counted: it reads nothing.
    pub fn admit(&self, address: Option<IpAddr>, now: Instant) -> Result<(), ApiError> {
        self.addresses.admit(&address, now)
    }
}

/// Whether `check` is the last 4 digits of the applicant's phone or identity number.
pub fn check_matches(row: &DossierRow, check: Option<&str>) -> bool {
    let Some(check) = check.filter(|c| c.len() == CHECK_DIGITS && c.bytes().all(|b| b.is_ascii_digit()))
    else {
        return false;
    };
    let ends_with_check = |value: &Option<String>| {
        value.as_deref().is_some_and(|v| v.len() >= CHECK_DIGITS && v.ends_with(check))
    };
    ends_with_check(&row.applicant_phone) || ends_with_check(&row.applicant_id_number)
}

/// The check the applicant looks the dossier up with, as the receipt's QR code carries it: the
/// last 4 digits of the phone, else of the identity number; none when neither ends in 4 digits.
pub fn check_of(row: &DossierRow) -> Option<String> {
    [&row.applicant_phone, &row.applicant_id_number].into_iter().flatten().find_map(|value| {
        let tail = value.get(value.len().checked_sub(CHECK_DIGITS)?..)?;
        tail.bytes().all(|b| b.is_ascii_digit()).then(|| tail.to_owned())
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dossiers::fixtures;
    use crate::enums::Channel;

    #[test]
    fn the_check_is_the_last_four_digits_of_the_phone_or_the_id_number() {
        // Given at intake as "+84 912 345 678" and "051090001234".
        let mut row = fixtures::row(Channel::Direct, &fixtures::officer());
        assert!(check_matches(&row, Some("5678")));
        assert!(check_matches(&row, Some("1234")));
        assert_eq!(check_of(&row).as_deref(), Some("5678"), "the phone first");
        assert!(check_matches(&row, check_of(&row).as_deref()));
        for wrong in
            [None, Some(""), Some("0000"), Some("678"), Some("45678"), Some("12a4"), Some("５６７８")]
        {
            assert!(!check_matches(&row, wrong), "{wrong:?}");
        }
        row.applicant_phone = None;
        row.applicant_id_number = None;
        assert!(!check_matches(&row, Some("5678")), "nothing to check against: never found");
        assert_eq!(check_of(&row), None);
    }

    #[test]
    fn an_address_gets_half_a_minute_at_once_then_the_pace_and_others_are_not_held() {
        let throttle = LookupThrottle::new(10);
        let t0 = Instant::now();
        let here = Some(IpAddr::from([203, 0, 113, 1]));
        for i in 0..5 {
            assert!(throttle.admit(here, t0).is_ok(), "attempt {i}");
        }
        let Err(ApiError::TooManyRequests { retry_after_secs }) = throttle.admit(here, t0) else {
            panic!("the sixth attempt at once is refused")
        };
        assert_eq!(retry_after_secs, 6, "10 a minute: one every 6 s");
        assert!(throttle.admit(Some(IpAddr::from([203, 0, 113, 2])), t0).is_ok());
        // Refused attempts are not counted: after the wait, exactly one more.
        assert!(throttle.admit(here, t0 + Duration::from_secs(6)).is_ok());
        assert!(throttle.admit(here, t0 + Duration::from_secs(6)).is_err());
    }

    #[test]
    fn walking_codes_is_held_to_the_pace() {
        let throttle = LookupThrottle::new(10);
        let t0 = Instant::now();
        let here = Some(IpAddr::from([203, 0, 113, 1]));
        // As fast as allowed for an hour: the burst, then 10 a minute.
        let (mut now, mut admitted) = (t0, 0);
        while now < t0 + Duration::from_secs(3600) {
            match throttle.admit(here, now) {
                Ok(()) => admitted += 1,
                Err(ApiError::TooManyRequests { retry_after_secs }) => {
                    now += Duration::from_secs(retry_after_secs)
                }
                Err(other) => panic!("{other}"),
            }
        }
        // The burst at t0, then one every 6 s from t0 + 6 s to t0 + 3594 s.
        assert_eq!(admitted, 5 + 599);
    }
}
