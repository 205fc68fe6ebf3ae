//! Which events a subscription wants: `*`, `dossier.*`, or an exact type like `dossier.resolved`.

use crate::i18n::Text;

/// Every event type the outbox carries, for validating webhook patterns.
pub fn known_event_types() -> Vec<&'static str> {
    let mut types = vec![
        "dossier.submitted",
        "dossier.updated",
        "dossier.file_added",
        "dossier.file_removed",
        "survey.submitted",
        "feedback.received",
    ];
    types.extend(crate::dossiers::lifecycle::Action::ALL.iter().map(|a| a.event_type()));
    types.push(crate::dossiers::lifecycle::PROPOSED_EVENT);
    types.extend(crate::feedback::lifecycle::FeedbackAction::ALL.iter().map(|a| a.event_type()));
    types
}

/// A checked event-type pattern.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Pattern {
    Any,
    /// Every type of one aggregate, e.g. `dossier.*`.
    Aggregate(String),
    Exact(String),
}

impl Pattern {
    /// A pattern, or why it matches no event this service sends (so a typo is caught at once
    /// rather than silently delivering nothing).
    pub fn parse(raw: &str) -> Result<Self, Text> {
        let raw = raw.trim();
        let known = known_event_types();
        if raw == "*" {
            return Ok(Self::Any);
        }
        if let Some(aggregate) = raw.strip_suffix(".*") {
            return if known.iter().any(|t| t.split_once('.').is_some_and(|(a, _)| a == aggregate)) {
                Ok(Self::Aggregate(aggregate.to_owned()))
            } else {
                Err(Text::new(
                    format!(
                        "{raw:?} không khớp với sự kiện nào: các nhóm sự kiện là dossier, survey và feedback"
                    ),
                    format!("{raw:?} matches no event: the aggregates are dossier, survey and feedback"),
                ))
            };
        }
        if known.contains(&raw) {
            Ok(Self::Exact(raw.to_owned()))
        } else {
            Err(Text::new(
                format!(
                    "{raw:?} không phải là loại sự kiện: hãy dùng dạng dossier.resolved, dossier.* hoặc *"
                ),
                format!("{raw:?} is not an event type: use one like dossier.resolved, or dossier.* or *"),
            ))
        }
    }

    pub fn matches(&self, event_type: &str) -> bool {
        match self {
            Self::Any => true,
            Self::Aggregate(a) => event_type.split_once('.').is_some_and(|(head, _)| head == a),
            Self::Exact(t) => t == event_type,
        }
    }

    pub fn as_string(&self) -> String {
        match self {
            Self::Any => "*".into(),
            Self::Aggregate(a) => format!("{a}.*"),
            Self::Exact(t) => t.clone(),
        }
    }
}

/// Whether any of the patterns matches.
pub fn wanted(patterns: &[Pattern], event_type: &str) -> bool {
    patterns.iter().any(|p| p.matches(event_type))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn patterns_match_as_documented() {
        let any = Pattern::parse("*").unwrap();
        let dossiers = Pattern::parse("dossier.*").unwrap();
        let resolved = Pattern::parse(" dossier.resolved ").unwrap();
        assert!(any.matches("feedback.received"));
        assert!(dossiers.matches("dossier.accepted") && !dossiers.matches("feedback.received"));
        assert!(resolved.matches("dossier.resolved") && !resolved.matches("dossier.returned"));
        assert!(!dossiers.matches("dossiers.accepted"), "no prefix match across the dot");
        assert!(wanted(&[resolved.clone(), Pattern::parse("survey.*").unwrap()], "survey.submitted"));
        assert!(!wanted(&[resolved], "survey.submitted"));
    }

    #[test]
    fn typos_are_refused() {
        for bad in ["", "dossier", "dossiers.*", "dossier.resolve", "*.resolved", "dossier.**"] {
            assert!(Pattern::parse(bad).is_err(), "{bad:?}");
        }
        for good in ["feedback.*", "survey.submitted", "dossier.updated", "feedback.published"] {
            assert_eq!(Pattern::parse(good).unwrap().as_string(), good);
        }
    }
}
