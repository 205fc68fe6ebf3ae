use serde::Serialize;
use serde::ser::{SerializeMap, Serializer};
use utoipa::ToSchema;

use crate::agencies::model::AgencyLevel;
use crate::audit::{Action as AuditAction, ActorKind, SubjectType as AuditSubject};
use crate::auth::role::Role;
use crate::calendar::model::DayKind;
use crate::catalogue::model::{ProcedureLevel, TimeUnit};
use crate::dossiers::lifecycle::{Action, Status};
use crate::dossiers::model::{ApplicantKind, Outcome, PaymentMethod, WorklistKind};
use crate::enums::{Channel, Level as SurveyLevel, OnlineService};
use crate::feedback::lifecycle::FeedbackStatus;
use crate::feedback::model::{FeedbackChannel, FeedbackWorklistKind};
use crate::i18n::Text;
use crate::labels::Labelled;
use crate::reports::model::{Granularity, ResponsibleKind};
use crate::reports::targets::Indicator;
use crate::surveys::model::Source as SurveySource;

/// The labels of one enum: each value, as it appears in JSON, to its label. In the order of the
/// enum's declaration.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LabelMap(pub Vec<(String, Text)>);

impl LabelMap {
    pub fn of<T: Labelled>() -> Self {
        Self(T::ALL.iter().map(|v| (v.key(), v.label())).collect())
    }
}

impl Serialize for LabelMap {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(self.0.len()))?;
        for (key, label) in &self.0 {
            map.serialize_entry(key, label)?;
        }
        map.end()
    }
}

/// The display labels of every enum a front end shows, each value in Vietnamese (`vi`) and
/// English (`en`). Keys are the values as the API sends them; each map's `propertyNames` lists them.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = labels_example)]
pub struct Labels {
    /// A dossier's `status` (`Status`).
    #[schema(value_type = HashMap<Status, Text>)]
    pub dossier_status: LabelMap,
    /// The steps of a dossier's lifecycle (`Action`), e.g. for buttons and history.
    #[schema(value_type = HashMap<Action, Text>)]
    pub dossier_action: LabelMap,
    /// A dossier's `channel` (`Channel`).
    #[schema(value_type = HashMap<Channel, Text>)]
    pub channel: LabelMap,
    /// An applicant's `kind` (`ApplicantKind`).
    #[schema(value_type = HashMap<ApplicantKind, Text>)]
    pub applicant_kind: LabelMap,
    /// A fee's payment `method` (`PaymentMethod`).
    #[schema(value_type = HashMap<PaymentMethod, Text>)]
    pub payment_method: LabelMap,
    /// A resolution's `outcome` (`Outcome`).
    #[schema(value_type = HashMap<Outcome, Text>)]
    pub outcome: LabelMap,
    /// The dossier worklist's `kind` (`WorklistKind`).
    #[schema(value_type = HashMap<WorklistKind, Text>)]
    pub dossier_worklist: LabelMap,
    /// A procedure's `level` (`ProcedureLevel`).
    #[schema(value_type = HashMap<ProcedureLevel, Text>)]
    pub procedure_level: LabelMap,
    /// A procedure's `online_service` level (`OnlineService`).
    #[schema(value_type = HashMap<OnlineService, Text>)]
    pub online_service: LabelMap,
    /// A processing time's `unit` (`TimeUnit`).
    #[schema(value_type = HashMap<TimeUnit, Text>)]
    pub time_unit: LabelMap,
    /// An agency's `level` (`AgencyLevel`).
    #[schema(value_type = HashMap<AgencyLevel, Text>)]
    pub agency_level: LabelMap,
    /// An account's `role` (`Role`).
    #[schema(value_type = HashMap<Role, Text>)]
    pub role: LabelMap,
    /// A calendar day's `kind` (`DayKind`).
    #[schema(value_type = HashMap<DayKind, Text>)]
    pub day_kind: LabelMap,
    /// Feedback's `channel` (`FeedbackChannel`).
    #[schema(value_type = HashMap<FeedbackChannel, Text>)]
    pub feedback_channel: LabelMap,
    /// Feedback's `status` (`FeedbackStatus`).
    #[schema(value_type = HashMap<FeedbackStatus, Text>)]
    pub feedback_status: LabelMap,
    /// The feedback worklist's `kind` (`FeedbackWorklistKind`).
    #[schema(value_type = HashMap<FeedbackWorklistKind, Text>)]
    pub feedback_worklist: LabelMap,
    /// A survey's `level` (`Level`).
    #[schema(value_type = HashMap<SurveyLevel, Text>)]
    pub survey_level: LabelMap,
    /// How a survey answer reached the system (`Source`).
    #[schema(value_type = HashMap<SurveySource, Text>)]
    pub survey_source: LabelMap,
    /// A report target's `indicator` (`Indicator`).
    #[schema(value_type = HashMap<Indicator, Text>)]
    pub indicator: LabelMap,
    /// Who answers for missing digitization in the report (`ResponsibleKind`).
    #[schema(value_type = HashMap<ResponsibleKind, Text>)]
    pub responsible_kind: LabelMap,
    /// A time series' `granularity` (`Granularity`).
    #[schema(value_type = HashMap<Granularity, Text>)]
    pub granularity: LabelMap,
    /// An audit event's `action` (`audit::Action`).
    #[schema(value_type = HashMap<AuditAction, Text>)]
    pub audit_action: LabelMap,
    /// An audit event's `actor_kind` (`ActorKind`).
    #[schema(value_type = HashMap<ActorKind, Text>)]
    pub audit_actor_kind: LabelMap,
    /// An audit event's `subject_type` (`audit::SubjectType`).
    #[schema(value_type = HashMap<AuditSubject, Text>)]
    pub audit_subject_type: LabelMap,
}

/// Every label the API serves.
pub fn all() -> Labels {
    Labels {
        dossier_status: LabelMap::of::<Status>(),
        dossier_action: LabelMap::of::<Action>(),
        channel: LabelMap::of::<Channel>(),
        applicant_kind: LabelMap::of::<ApplicantKind>(),
        payment_method: LabelMap::of::<PaymentMethod>(),
        outcome: LabelMap::of::<Outcome>(),
        dossier_worklist: LabelMap::of::<WorklistKind>(),
        procedure_level: LabelMap::of::<ProcedureLevel>(),
        online_service: LabelMap::of::<OnlineService>(),
        time_unit: LabelMap::of::<TimeUnit>(),
        agency_level: LabelMap::of::<AgencyLevel>(),
        role: LabelMap::of::<Role>(),
        day_kind: LabelMap::of::<DayKind>(),
        feedback_channel: LabelMap::of::<FeedbackChannel>(),
        feedback_status: LabelMap::of::<FeedbackStatus>(),
        feedback_worklist: LabelMap::of::<FeedbackWorklistKind>(),
        survey_level: LabelMap::of::<SurveyLevel>(),
        survey_source: LabelMap::of::<SurveySource>(),
        indicator: LabelMap::of::<Indicator>(),
        responsible_kind: LabelMap::of::<ResponsibleKind>(),
        granularity: LabelMap::of::<Granularity>(),
        audit_action: LabelMap::of::<AuditAction>(),
        audit_actor_kind: LabelMap::of::<ActorKind>(),
        audit_subject_type: LabelMap::of::<AuditSubject>(),
    }
}

/// The document's example: the labels themselves, so that it is complete and always current.
fn labels_example() -> serde_json::Value {
    serde_json::to_value(all()).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use serde_json::Value;
    use utoipa::PartialSchema;

    use super::*;

    /// The values of an enum as its OpenAPI schema lists them: derived from the enum's
    /// declaration and its serde attributes, not from `ALL`, so a variant left out of `ALL`
    /// shows up here.
    fn declared<T: PartialSchema>() -> BTreeSet<String> {
        let schema = serde_json::to_value(T::schema()).unwrap();
        let values = schema["enum"].as_array().unwrap_or_else(|| panic!("not a plain enum: {schema}"));
        values.iter().map(|v| v.as_str().unwrap().to_owned()).collect()
    }

    #[test]
    fn every_variant_of_every_enum_has_both_labels() {
        let labels = serde_json::to_value(all()).unwrap();
        let expected: Vec<(&str, BTreeSet<String>)> = vec![
            ("dossier_status", declared::<Status>()),
            ("dossier_action", declared::<Action>()),
            ("channel", declared::<Channel>()),
            ("applicant_kind", declared::<ApplicantKind>()),
            ("payment_method", declared::<PaymentMethod>()),
            ("outcome", declared::<Outcome>()),
            ("dossier_worklist", declared::<WorklistKind>()),
            ("procedure_level", declared::<ProcedureLevel>()),
            ("online_service", declared::<OnlineService>()),
            ("time_unit", declared::<TimeUnit>()),
            ("agency_level", declared::<AgencyLevel>()),
            ("role", declared::<Role>()),
            ("day_kind", declared::<DayKind>()),
            ("feedback_channel", declared::<FeedbackChannel>()),
            ("feedback_status", declared::<FeedbackStatus>()),
            ("feedback_worklist", declared::<FeedbackWorklistKind>()),
            ("survey_level", declared::<SurveyLevel>()),
            ("survey_source", declared::<SurveySource>()),
            ("indicator", declared::<Indicator>()),
            ("responsible_kind", declared::<ResponsibleKind>()),
            ("granularity", declared::<Granularity>()),
            ("audit_action", declared::<AuditAction>()),
            ("audit_actor_kind", declared::<ActorKind>()),
            ("audit_subject_type", declared::<AuditSubject>()),
        ];
        let served: BTreeSet<&str> = labels.as_object().unwrap().keys().map(String::as_str).collect();
        let listed: BTreeSet<&str> = expected.iter().map(|(name, _)| *name).collect();
        assert_eq!(served, listed, "every served map is checked here");
        for (name, variants) in &expected {
            let map = labels[name].as_object().unwrap();
            let keys: BTreeSet<String> = map.keys().cloned().collect();
            assert_eq!(&keys, variants, "{name}: one label per variant");
            for (key, label) in map {
                for lang in ["vi", "en"] {
                    let text = label[lang].as_str().unwrap_or_default();
                    assert!(!text.trim().is_empty(), "{name}.{key} has no {lang} label");
                }
            }
        }
    }

    #[test]
    fn labels_keep_the_declaration_order_and_the_report_terms() {
        let keys: Vec<String> = all().dossier_status.0.into_iter().map(|(key, _)| key).collect();
        assert_eq!(keys.first().map(String::as_str), Some("submitted"));
        assert_eq!(keys.last().map(String::as_str), Some("withdrawn"));
        let labels = serde_json::to_value(all()).unwrap();
        assert_eq!(labels["channel"]["direct"]["vi"], "Trực tiếp");
        assert_eq!(labels["online_service"]["full"]["vi"], "Dịch vụ công trực tuyến toàn trình");
        assert_eq!(labels["survey_level"]["very_satisfied"]["vi"], "Rất hài lòng");
        assert_eq!(labels["dossier_action"]["request-supplement"]["en"], "Request a supplement");
        assert!(matches!(labels["role"]["officer"]["en"], Value::String(_)));
        assert_eq!(labels["indicator"]["late_rate"]["vi"], "Tỷ lệ hồ sơ giải quyết quá hạn");
    }
}
