use serde::Serialize;
use serde::ser::{SerializeMap, Serializer};
use utoipa::ToSchema;

use crate::agencies::model::AgencyLevel;
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
}

/// The document's example: the labels themselves, so that it is complete and always current.
fn labels_example() -> serde_json::Value {
    serde_json::to_value(crate::meta::labels::all()).unwrap_or_default()
}
