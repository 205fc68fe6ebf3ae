//! How often codes may be asked for and tried, per destination and per client address, on top
//! of the five tries each code allows: a stranger cannot flood a phone with SMS (each costs the
//! office money) nor guess codes across many registrations from one address.

use std::net::IpAddr;
use std::time::{Duration, Instant};

use super::codes::Purpose;
use crate::auth::throttle::{KeyedLimit, Limit, too_many};
use crate::error::ApiError;

pub struct CodeLimits {
    /// Codes sent to one phone or address: 3, then one per 5 minutes.
    to_destination: KeyedLimit<String>,
    /// Codes asked for from one address: 30, then one per 10 s. Generous, since a mobile
    /// carrier's NAT puts many citizens behind one address; the destination's limit is the tight one.
    from_address: KeyedLimit<Option<IpAddr>>,
    /// Codes tried from one address: 30, then one per 10 s (each code also dies after 5).
    tries_from_address: KeyedLimit<Option<IpAddr>>,
}

const CAPACITY: usize = 100_000;

impl Default for CodeLimits {
    fn default() -> Self {
        // `n` heard at once: a tally waits only past its allowance, and the request that finds
        // it at the allowance is still heard.
        let limit = |n: u32, secs| Limit { allowance: n - 1, period: Duration::from_secs(secs) };
        Self {
            to_destination: KeyedLimit::new(limit(3, 300), CAPACITY),
            from_address: KeyedLimit::new(limit(30, 10), CAPACITY),
            tries_from_address: KeyedLimit::new(limit(30, 10), CAPACITY),
        }
    }
}

impl CodeLimits {
    /// Count a request for a code for `purpose` to `destination` from `address`, or the 429 it
    /// gets. Registering and resetting count apart: a reset right after registering is normal.
    pub fn send(&self, purpose: Purpose, destination: &str, address: Option<IpAddr>) -> Result<(), ApiError> {
        let now = Instant::now();
        let destination = format!("{}:{destination}", purpose.as_str());
        if let Some(wait) =
            self.from_address.wait(&address, now).max(self.to_destination.wait(&destination, now))
        {
            return Err(too_many(wait));
        }
        self.from_address.count(&address, now);
        self.to_destination.count(&destination, now);
        Ok(())
    }

    /// Whether `address` may try a code now.
    pub fn check_try(&self, address: Option<IpAddr>) -> Result<(), ApiError> {
        match self.tries_from_address.wait(&address, Instant::now()) {
            Some(wait) => Err(too_many(wait)),
            None => Ok(()),
        }
    }

    /// A wrong code from `address`.
    pub fn wrong_try(&self, address: Option<IpAddr>) {
        self.tries_from_address.count(&address, Instant::now());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_phone_gets_three_codes_then_waits_and_others_do_not() {
        let limits = CodeLimits::default();
        let me = Some(IpAddr::from([203, 0, 113, 7]));
        for _ in 0..3 {
            limits.send(Purpose::Register, "0912345678", me).unwrap();
        }
        let refused = limits.send(Purpose::Register, "0912345678", me).unwrap_err();
        assert!(matches!(refused, ApiError::TooManyRequests { retry_after_secs } if retry_after_secs > 0));
        limits.send(Purpose::Register, "0987654321", me).unwrap();
        limits.send(Purpose::Reset, "0912345678", me).unwrap();
    }

    #[test]
    fn an_address_guessing_codes_waits_after_thirty_wrong_ones() {
        let limits = CodeLimits::default();
        let guesser = Some(IpAddr::from([203, 0, 113, 8]));
        for _ in 0..30 {
            limits.check_try(guesser).unwrap();
            limits.wrong_try(guesser);
        }
        assert!(limits.check_try(guesser).is_err());
        assert!(limits.check_try(Some(IpAddr::from([203, 0, 113, 9]))).is_ok());
    }
}
