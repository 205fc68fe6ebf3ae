//! When a failed delivery is tried again: exponential backoff, then dead.

use std::time::Duration;

/// The retry policy of the delivery worker.
#[derive(Debug, Clone, Copy)]
pub struct RetryPolicy {
    /// Wait after the first failure; doubled after each further one.
    pub base: Duration,
    /// The longest wait between two attempts.
    pub cap: Duration,
    /// Attempts in all before the delivery is dead.
    pub max_attempts: i32,
}

/// What to do after a failed attempt.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AfterFailure {
    RetryIn(Duration),
    Dead,
}

impl RetryPolicy {
    /// After `attempts` attempts in all, the last of which failed.
    pub fn after_failure(&self, attempts: i32) -> AfterFailure {
        if attempts >= self.max_attempts {
            return AfterFailure::Dead;
        }
        let doublings = u32::try_from(attempts.max(1) - 1).unwrap_or(0).min(30);
        let wait = self.base.saturating_mul(1 << doublings);
        AfterFailure::RetryIn(wait.min(self.cap))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn waits_double_up_to_the_cap_then_the_delivery_dies() {
        let policy =
            RetryPolicy { base: Duration::from_secs(1), cap: Duration::from_secs(10), max_attempts: 6 };
        let waits: Vec<_> = (1..=6).map(|n| policy.after_failure(n)).collect();
        assert_eq!(
            waits,
            [1, 2, 4, 8, 10]
                .map(|s| AfterFailure::RetryIn(Duration::from_secs(s)))
                .into_iter()
                .chain([AfterFailure::Dead])
                .collect::<Vec<_>>()
        );
        let huge = RetryPolicy { max_attempts: 1000, cap: Duration::MAX, ..policy };
        assert!(matches!(huge.after_failure(999), AfterFailure::RetryIn(_)), "no overflow");
    }
}
