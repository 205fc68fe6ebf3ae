//! Sign-in throttling that slows password guessing without letting anyone lock a user out.
//!
//! A throttle keyed by account alone is a lockout button: a stranger who sends six wrong
//! passwords for `admin` shuts `admin` out for everyone, and one wrong try a minute keeps it shut.
//! So failures are counted under three keys, each a [`Tally`] that forgives one failure per
//! period, and only the keys an attempt's own address has dirtied can make it wait:
//!
//! - **account × address**: 5 failures, then one more per minute. Someone guessing one account
//!   from one address gets 6 tries, then waits; the owner at another address is not affected.
//! - **address**: 20 failures over any accounts, then one more per 15 s, against password
//!   spraying (a few common passwords tried on many accounts from one address).
//! - **account**: more than 10 failures from anywhere, forgiven one per 30 s, means the account
//!   is under attack from many addresses. That refuses nobody by itself: it only takes away the
//!   5 free failures of the addresses that already failed on it, which must wait until their
//!   own failures on it have leaked away (at most 6 minutes). An address with no failures on
//!   the account still signs in with the right password.
//!
//! While a key makes an attempt wait, the attempt answers 429 with `Retry-After` without the
//! password being checked, so a right guess during the wait gains nothing, and a refused
//! attempt counts no failure. Failures only leak away: none is ever forgotten early, and none
//! keeps a key waiting forever (a wrong try a minute never makes a pair wait, and no wait
//! outlasts the failures that caused it). Each map holds at most 100 000 keys (accounts are kept
//! as a keyed 64-bit hash, so a long made-up name costs no memory): when full, the tallies that
//! have leaked away go first, then the smallest ones, never the large ones that hold a wait.
//! The counts live in the process: several `serve` processes each count their own.

mod tally;

use std::collections::hash_map::RandomState;
use std::hash::BuildHasher;
use std::net::IpAddr;
use std::sync::Mutex;
use std::time::{Duration, Instant};

pub use tally::Limit;
use tally::{Tallies, Tally};

#[derive(Debug, Clone, Copy)]
pub struct ThrottleConfig {
    /// Failures for one account from one address.
    pub pair: Limit,
    /// Failures from one address, over every account.
    pub address: Limit,
    /// Failures for one account from every address: past the allowance, the account is under
    /// attack and the pairs lose their allowance.
    pub account: Limit,
    /// Keys kept in each of the three maps.
    pub capacity: usize,
}

impl Default for ThrottleConfig {
    fn default() -> Self {
        Self {
            pair: Limit { allowance: 5, period: Duration::from_secs(60) },
            address: Limit { allowance: 20, period: Duration::from_secs(15) },
            account: Limit { allowance: 10, period: Duration::from_secs(30) },
            capacity: 100_000,
        }
    }
}

impl ThrottleConfig {
    /// The policy: how long an attempt must wait, given the tallies of its account × address,
    /// its address and its account. Zero: it may go ahead.
    fn wait(
        &self,
        pair: Option<&Tally>,
        address: Option<&Tally>,
        account: Option<&Tally>,
        now: Instant,
    ) -> Duration {
        let wait = |tally: Option<&Tally>, allowance: u32, limit: Limit| {
            tally.map_or(Duration::ZERO, |t| t.wait(allowance, now, limit.period))
        };
        let under_attack = !wait(account, self.account.allowance, self.account).is_zero();
        let pair_allowance = if under_attack { 0 } else { self.pair.allowance };
        wait(pair, pair_allowance, self.pair).max(wait(address, self.address.allowance, self.address))
    }
}

/// An account, as the maps key it.
type AccountKey = u64;

struct State {
    pairs: Tallies<(AccountKey, Option<IpAddr>)>,
    addresses: Tallies<Option<IpAddr>>,
    accounts: Tallies<AccountKey>,
}

pub struct LoginThrottle {
    config: ThrottleConfig,
    state: Mutex<State>,
    /// Hashes account names with a key of this process, so that nobody can choose names that
    /// share a tally.
    names: RandomState,
}

impl LoginThrottle {
    pub fn new(config: ThrottleConfig) -> Self {
        let state = State {
            pairs: Tallies::new(config.capacity),
            addresses: Tallies::new(config.capacity),
            accounts: Tallies::new(config.capacity),
        };
        Self { config, state: Mutex::new(state), names: RandomState::new() }
    }

    /// How long an attempt on `account` from `address` must wait before it is heard, if at all.
    pub fn check(&self, account: &str, address: Option<IpAddr>, now: Instant) -> Option<Duration> {
        let account = self.names.hash_one(account);
        let state = self.state.lock().expect("throttle lock");
        let wait = self.config.wait(
            state.pairs.get(&(account, address)),
            state.addresses.get(&address),
            state.accounts.get(&account),
            now,
        );
        (!wait.is_zero()).then_some(wait)
    }

    pub fn record_failure(&self, account: &str, address: Option<IpAddr>, now: Instant) {
        let account = self.names.hash_one(account);
        let ThrottleConfig { pair, address: by_address, account: by_account, .. } = self.config;
        let mut state = self.state.lock().expect("throttle lock");
        state.pairs.fail(&(account, address), now, pair.period);
        state.addresses.fail(&address, now, by_address.period);
        state.accounts.fail(&account, now, by_account.period);
    }
}

/// One count per key that leaks away, for what one key alone limits: the codes sent to a phone
/// or an address, the codes tried from an address. Past the allowance a key waits until its
/// count has leaked back under it.
pub struct KeyedLimit<K> {
    limit: Limit,
    tallies: Mutex<Tallies<K>>,
}

impl<K: std::hash::Hash + Eq + Clone> KeyedLimit<K> {
    pub fn new(limit: Limit, capacity: usize) -> Self {
        Self { limit, tallies: Mutex::new(Tallies::new(capacity)) }
    }

    /// How long `key` must wait, if it must.
    pub fn wait(&self, key: &K, now: Instant) -> Option<Duration> {
        let tallies = self.tallies.lock().expect("throttle lock");
        let wait =
            tallies.get(key).map_or(Duration::ZERO, |t| t.wait(self.limit.allowance, now, self.limit.period));
        (!wait.is_zero()).then_some(wait)
    }

    /// Count one more for `key`.
    pub fn count(&self, key: &K, now: Instant) {
        self.tallies.lock().expect("throttle lock").fail(key, now, self.limit.period);
    }

    /// Count an attempt of `key`, or refuse it (429 with `Retry-After`) while the key waits. A
    /// refused attempt is not counted: it did nothing.
    pub fn admit(&self, key: &K, now: Instant) -> Result<(), crate::error::ApiError> {
        let mut tallies = self.tallies.lock().expect("throttle lock");
        let wait =
            tallies.get(key).map_or(Duration::ZERO, |t| t.wait(self.limit.allowance, now, self.limit.period));
        if !wait.is_zero() {
            return Err(too_many(wait));
        }
        tallies.fail(key, now, self.limit.period);
        Ok(())
    }
}

/// The 429 for a wait: whole seconds, rounded up, so that a client that waits as told is heard.
pub fn too_many(wait: Duration) -> crate::error::ApiError {
    let retry_after_secs = (wait.as_secs() + u64::from(wait.subsec_nanos() > 0)).max(1);
    crate::error::ApiError::TooManyRequests { retry_after_secs }
}

#[cfg(test)]
mod tests {
    use super::*;

    const MINUTE: Duration = Duration::from_secs(60);

    fn ip(n: u8) -> Option<IpAddr> {
        Some(IpAddr::from([203, 0, 113, n]))
    }

    fn fail_times(
        throttle: &LoginThrottle,
        account: &str,
        address: Option<IpAddr>,
        times: u32,
        now: Instant,
    ) {
        for _ in 0..times {
            assert_eq!(throttle.check(account, address, now), None);
            throttle.record_failure(account, address, now);
        }
    }

    #[test]
    fn six_failures_hold_the_guessing_address_not_the_owner() {
        let throttle = LoginThrottle::new(ThrottleConfig::default());
        let t0 = Instant::now();
        fail_times(&throttle, "vu.dt", ip(1), 6, t0);
        let wait = throttle.check("vu.dt", ip(1), t0).expect("the guessing address waits");
        assert_eq!(wait, MINUTE);
        assert_eq!(throttle.check("vu.dt", ip(2), t0), None, "the owner elsewhere signs in");
        assert_eq!(throttle.check("other", ip(1), t0), None, "other accounts from there are heard");
        assert_eq!(throttle.check("vu.dt", ip(1), t0 + MINUTE), None, "one more try a minute later");
    }

    #[test]
    fn a_wrong_try_a_minute_never_locks_anyone() {
        let throttle = LoginThrottle::new(ThrottleConfig::default());
        let t0 = Instant::now();
        for minute in 0..24 * 60 {
            let now = t0 + minute * MINUTE;
            assert_eq!(throttle.check("admin", ip(1), now), None, "minute {minute}");
            assert_eq!(throttle.check("admin", ip(2), now), None, "minute {minute}");
            throttle.record_failure("admin", ip(1), now);
        }
    }

    #[test]
    fn no_wait_outlasts_the_failures_behind_it() {
        let throttle = LoginThrottle::new(ThrottleConfig::default());
        let t0 = Instant::now();
        // Guessing as fast as allowed for an hour: each wait is at most a minute, then one try.
        let mut now = t0;
        while now < t0 + 60 * MINUTE {
            match throttle.check("admin", ip(1), now) {
                Some(wait) => {
                    assert!(wait <= MINUTE, "{wait:?}");
                    now += wait;
                }
                None => throttle.record_failure("admin", ip(1), now),
            }
        }
        // Once the guessing stops, the pair is clear again after its failures leak away.
        assert_eq!(throttle.check("admin", ip(1), now + MINUTE), None);
    }

    #[test]
    fn an_address_spraying_many_accounts_waits_for_all_of_them() {
        let throttle = LoginThrottle::new(ThrottleConfig::default());
        let t0 = Instant::now();
        for i in 0..21 {
            fail_times(&throttle, &format!("user{i}"), ip(1), 1, t0);
        }
        let wait = throttle.check("fresh-name", ip(1), t0).expect("the spraying address waits");
        assert_eq!(wait, Duration::from_secs(15));
        assert_eq!(throttle.check("fresh-name", ip(2), t0), None);
        assert_eq!(throttle.check("user0", ip(2), t0), None);
    }

    #[test]
    fn an_account_under_attack_slows_the_addresses_that_failed_on_it_only() {
        let throttle = LoginThrottle::new(ThrottleConfig::default());
        let t0 = Instant::now();
        // Eleven addresses, one wrong password each: the account is under attack.
        for n in 1..=11 {
            fail_times(&throttle, "admin", ip(n), 1, t0);
        }
        // Each of them now waits until its own failure has leaked away, not for its allowance.
        assert_eq!(throttle.check("admin", ip(1), t0), Some(MINUTE));
        assert_eq!(throttle.check("admin", ip(1), t0 + MINUTE), None);
        // An address with no failures on the account is heard, and so is the attacker on others.
        assert_eq!(throttle.check("admin", ip(100), t0), None);
        assert_eq!(throttle.check("someone", ip(1), t0), None);
        // When the attack stops, the account is forgiven and pairs have their allowance back.
        let later = t0 + 6 * MINUTE;
        fail_times(&throttle, "admin", ip(1), 5, later);
    }

    #[test]
    fn memory_stays_bounded_under_a_spray_of_names_and_addresses() {
        let config = ThrottleConfig { capacity: 50, ..ThrottleConfig::default() };
        let throttle = LoginThrottle::new(config);
        let t0 = Instant::now();
        fail_times(&throttle, "vu.dt", ip(1), 6, t0);
        for i in 0..1_000u32 {
            let address = Some(IpAddr::from(i.to_be_bytes()));
            throttle.record_failure(&format!("random-{i}"), address, t0);
        }
        let state = throttle.state.lock().unwrap();
        assert!(state.pairs.len() <= 50 && state.addresses.len() <= 50 && state.accounts.len() <= 50);
        drop(state);
        assert_eq!(throttle.check("vu.dt", ip(1), t0), Some(MINUTE), "the lockout survives the spray");
    }
}
