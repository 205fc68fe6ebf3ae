//! Login throttling: failed attempts are counted per username and per client address with
//! `governor` (GCRA). Once a key has spent its burst, attempts on it answer 429 with
//! `Retry-After` until the limiter would admit another failure, without the password being
//! checked, so a right guess during a lockout gains nothing.

use std::collections::HashMap;
use std::hash::Hash;
use std::net::IpAddr;
use std::num::NonZeroU32;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use governor::clock::{Clock, DefaultClock};
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};

#[derive(Debug, Clone, Copy)]
pub struct ThrottleConfig {
    /// Failures allowed in a burst, per username.
    pub user_burst: u32,
    /// After the burst, one more failure per this period, per username.
    pub user_period: Duration,
    pub address_burst: u32,
    pub address_period: Duration,
}

impl Default for ThrottleConfig {
    fn default() -> Self {
        Self {
            user_burst: 5,
            user_period: Duration::from_secs(60),
            address_burst: 20,
            address_period: Duration::from_secs(15),
        }
    }
}

/// Failures of one kind of key, and the keys locked out until an instant.
struct Counter<K: Hash + Eq + Clone> {
    failures: DefaultKeyedRateLimiter<K>,
    blocked_until: Mutex<HashMap<K, Instant>>,
}

/// Forget expired lockouts past this many entries, so a spray of usernames cannot grow memory.
const PRUNE_ABOVE: usize = 10_000;

impl<K: Hash + Eq + Clone> Counter<K> {
    fn new(burst: u32, period: Duration) -> Self {
        let burst = NonZeroU32::new(burst.max(1)).expect("at least 1");
        let quota = Quota::with_period(period.max(Duration::from_millis(1)))
            .expect("a positive period")
            .allow_burst(burst);
        Self { failures: RateLimiter::keyed(quota), blocked_until: Mutex::new(HashMap::new()) }
    }

    fn wait(&self, key: &K, now: Instant) -> Option<Duration> {
        let blocked = self.blocked_until.lock().expect("throttle lock");
        blocked.get(key).and_then(|until| until.checked_duration_since(now)).filter(|d| !d.is_zero())
    }

    fn fail(&self, key: &K, now: Instant, clock: &DefaultClock) {
        if let Err(not_until) = self.failures.check_key(key) {
            let wait = not_until.wait_time_from(clock.now());
            let mut blocked = self.blocked_until.lock().expect("throttle lock");
            if blocked.len() > PRUNE_ABOVE {
                blocked.retain(|_, until| *until > now);
                self.failures.retain_recent();
            }
            blocked.insert(key.clone(), now + wait);
        }
    }
}

pub struct LoginThrottle {
    users: Counter<String>,
    addresses: Counter<IpAddr>,
    clock: DefaultClock,
}

impl LoginThrottle {
    pub fn new(config: ThrottleConfig) -> Self {
        Self {
            users: Counter::new(config.user_burst, config.user_period),
            addresses: Counter::new(config.address_burst, config.address_period),
            clock: DefaultClock::default(),
        }
    }

    /// How long the caller must wait before trying again, if it is locked out.
    pub fn check(&self, username: &str, address: Option<IpAddr>) -> Option<Duration> {
        let now = Instant::now();
        let by_user = self.users.wait(&username.to_owned(), now);
        let by_address = address.and_then(|a| self.addresses.wait(&a, now));
        by_user.into_iter().chain(by_address).max()
    }

    pub fn record_failure(&self, username: &str, address: Option<IpAddr>) {
        let now = Instant::now();
        self.users.fail(&username.to_owned(), now, &self.clock);
        if let Some(address) = address {
            self.addresses.fail(&address, now, &self.clock);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config() -> ThrottleConfig {
        ThrottleConfig {
            user_burst: 3,
            user_period: Duration::from_secs(60),
            address_burst: 5,
            address_period: Duration::from_secs(60),
        }
    }

    #[test]
    fn a_username_is_locked_after_its_burst_of_failures() {
        let throttle = LoginThrottle::new(config());
        let ip: IpAddr = "10.0.0.1".parse().unwrap();
        for _ in 0..3 {
            assert_eq!(throttle.check("lan", Some(ip)), None);
            throttle.record_failure("lan", Some(ip));
        }
        assert_eq!(throttle.check("lan", Some(ip)), None, "the burst itself is allowed");
        throttle.record_failure("lan", Some(ip));
        let wait = throttle.check("lan", None).expect("locked");
        assert!(wait > Duration::from_secs(1) && wait <= Duration::from_secs(60), "{wait:?}");
        assert_eq!(throttle.check("other", None), None, "other usernames are not affected");
    }

    #[test]
    fn an_address_is_locked_across_usernames() {
        let throttle = LoginThrottle::new(config());
        let ip: IpAddr = "10.0.0.2".parse().unwrap();
        for i in 0..6 {
            throttle.record_failure(&format!("user{i}"), Some(ip));
        }
        assert!(throttle.check("fresh-name", Some(ip)).is_some());
        assert!(throttle.check("fresh-name", Some("10.0.0.3".parse().unwrap())).is_none());
    }
}
