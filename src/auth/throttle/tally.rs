//! Counts of attempts (failed sign-ins, dossier lookups) that leak away with time, in maps of
//! bounded size.
//!
//! A tally is kept as the instant its count would have leaked to zero (the "theoretical arrival
//! time" of GCRA): one failure pushes that instant one period further, and the count at any
//! instant is what is left of it, in periods. So decay needs no timer, a tally is one `Instant`,
//! and every answer is a pure function of the tally and the `now` the caller passes in.

use std::collections::HashMap;
use std::hash::Hash;
use std::time::{Duration, Instant};

/// How many failures a key may have before it waits, and how fast they are forgiven.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limit {
    /// Failures that do not make the key wait.
    pub allowance: u32,
    /// One failure is forgiven per period.
    pub period: Duration,
}

/// Failures of one key: the instant they will all have leaked away.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Tally {
    clear_at: Instant,
}

impl Tally {
    /// A first failure at `now`.
    pub fn first(now: Instant, period: Duration) -> Self {
        Self { clear_at: now + period }
    }

    /// One more failure at `now`.
    pub fn fail(&mut self, now: Instant, period: Duration) {
        self.clear_at = self.clear_at.max(now) + period;
    }

    /// How long until no more than `allowance` failures are left (zero: not more now).
    pub fn wait(&self, allowance: u32, now: Instant, period: Duration) -> Duration {
        let forgiven = period.saturating_mul(allowance);
        self.clear_at.checked_sub(forgiven).map_or(Duration::ZERO, |at| at.saturating_duration_since(now))
    }

    /// Whether no failure is left at `now`.
    pub fn is_clear(&self, now: Instant) -> bool {
        self.clear_at <= now
    }
}

/// Tallies by key, never more than `capacity` of them. When a new key finds the map full,
/// tallies that have leaked to zero go first; if none has, the one that would clear soonest
/// (the fewest failures left) makes room. An attacker who sprays names or addresses so evicts
/// only the smallest tallies, its own among them, never the large ones that hold a lockout.
pub struct Tallies<K> {
    entries: HashMap<K, Tally>,
    capacity: usize,
}

impl<K: Hash + Eq + Clone> Tallies<K> {
    pub fn new(capacity: usize) -> Self {
        Self { entries: HashMap::new(), capacity: capacity.max(1) }
    }

    pub fn get(&self, key: &K) -> Option<&Tally> {
        self.entries.get(key)
    }

    /// Count one failure of `key` at `now`.
    pub fn fail(&mut self, key: &K, now: Instant, period: Duration) {
        if let Some(tally) = self.entries.get_mut(key) {
            tally.fail(now, period);
            return;
        }
        if self.entries.len() >= self.capacity {
            self.entries.retain(|_, tally| !tally.is_clear(now));
        }
        if self.entries.len() >= self.capacity
            && let Some(soonest) =
                self.entries.iter().min_by_key(|(_, tally)| tally.clear_at).map(|(key, _)| key.clone())
        {
            self.entries.remove(&soonest);
        }
        self.entries.insert(key.clone(), Tally::first(now, period));
    }

    #[cfg(test)]
    pub fn len(&self) -> usize {
        self.entries.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const MINUTE: Duration = Duration::from_secs(60);

    #[test]
    fn a_tally_leaks_one_failure_per_period() {
        let t0 = Instant::now();
        let mut tally = Tally::first(t0, MINUTE);
        for _ in 1..6 {
            tally.fail(t0, MINUTE);
        }
        // Six failures at once: waiting for at most five left takes one period.
        assert_eq!(tally.wait(5, t0, MINUTE), MINUTE);
        assert_eq!(tally.wait(6, t0, MINUTE), Duration::ZERO);
        assert_eq!(tally.wait(0, t0, MINUTE), 6 * MINUTE);
        assert_eq!(tally.wait(5, t0 + MINUTE, MINUTE), Duration::ZERO);
        assert!(!tally.is_clear(t0 + 5 * MINUTE));
        assert!(tally.is_clear(t0 + 6 * MINUTE));
    }

    #[test]
    fn failures_spaced_by_a_period_never_pile_up() {
        let t0 = Instant::now();
        let mut tally = Tally::first(t0, MINUTE);
        for minute in 1..1_000 {
            let now = t0 + minute * MINUTE;
            assert_eq!(tally.wait(0, now, MINUTE), Duration::ZERO, "minute {minute}");
            tally.fail(now, MINUTE);
        }
    }

    #[test]
    fn a_full_map_drops_cleared_tallies_then_the_smallest() {
        let t0 = Instant::now();
        let mut tallies = Tallies::new(3);
        for _ in 0..6 {
            tallies.fail(&"attacker", t0, MINUTE);
        }
        tallies.fail(&"old", t0, MINUTE);
        tallies.fail(&"b", t0 + MINUTE, MINUTE);
        // "old" has leaked away by now: it makes room.
        tallies.fail(&"c", t0 + MINUTE + MINUTE / 2, MINUTE);
        assert_eq!(tallies.len(), 3);
        assert!(tallies.get(&"old").is_none());
        // Nothing has leaked away: the tally that clears soonest ("b") goes, not the attacker's.
        tallies.fail(&"d", t0 + MINUTE + MINUTE / 2, MINUTE);
        assert!(tallies.get(&"b").is_none() && tallies.get(&"c").is_some());
        for (i, name) in ["e", "f", "g"].iter().enumerate() {
            tallies.fail(name, t0 + 2 * MINUTE + Duration::from_secs(i as u64), MINUTE);
            assert_eq!(tallies.len(), 3);
        }
        assert!(tallies.get(&"attacker").is_some(), "the large tally stays");
        assert!(tallies.get(&"g").is_some());
    }
}
