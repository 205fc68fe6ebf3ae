//! What the portal answered, pure: how an adapter's acknowledgement of a version is judged, and
//! whether a dossier is synced. No HTTP, no SQL, no clock.
//!
//! A dossier's `version` moves on with every write to it (intake, each step, each update, each
//! file), and the sync record carries it. The portal holds a dossier's current state when it
//! accepted the record of the dossier's current version; the record is always the whole state, so
//! an adapter that coalesced several changes into one forward still synced every one of them.

/// One answer the portal gave, as an adapter recorded it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Answer {
    pub version: i64,
    pub accepted: bool,
}

/// An acknowledgement's version against the dossier's current one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Judged {
    /// The current version: an acceptance makes the dossier synced.
    Current,
    /// An older version, forwarded before the latest change: recorded (it is what the portal
    /// said), but the dossier stays pending until its current version is accepted.
    Older,
    /// A version the dossier never had: refused (422 naming `version`), since recording it would
    /// mark a change as synced before it happened.
    Future,
}

pub fn judge(version: i64, current: i64) -> Judged {
    match version.cmp(&current) {
        std::cmp::Ordering::Equal => Judged::Current,
        std::cmp::Ordering::Less => Judged::Older,
        std::cmp::Ordering::Greater => Judged::Future,
    }
}

/// The newest version the portal accepted, if any.
pub fn synced_version(answers: &[Answer]) -> Option<i64> {
    answers.iter().filter(|a| a.accepted).map(|a| a.version).max()
}

/// Whether the dossier still has to be forwarded: its current version is not accepted (never
/// answered, refused, or only older versions accepted).
pub fn pending(current: i64, answers: &[Answer]) -> bool {
    !answers.iter().any(|a| a.accepted && a.version == current)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn answer(version: i64, accepted: bool) -> Answer {
        Answer { version, accepted }
    }

    #[test]
    fn versions_are_judged_against_the_current_one() {
        assert_eq!(judge(3, 3), Judged::Current);
        assert_eq!(judge(2, 3), Judged::Older);
        assert_eq!(judge(4, 3), Judged::Future);
    }

    #[test]
    fn only_the_current_version_accepted_clears_pending() {
        assert!(pending(1, &[]), "never answered");
        assert!(pending(2, &[answer(2, false)]), "refused");
        assert!(pending(3, &[answer(2, true)]), "an older version accepted, then a change");
        assert!(!pending(3, &[answer(2, true), answer(3, true)]));
        assert!(!pending(3, &[answer(3, true)]), "intermediate versions may be skipped");
    }

    #[test]
    fn the_synced_version_is_the_newest_accepted() {
        assert_eq!(synced_version(&[]), None);
        assert_eq!(synced_version(&[answer(4, false)]), None);
        assert_eq!(synced_version(&[answer(2, true), answer(5, true), answer(6, false)]), Some(5));
    }
}
