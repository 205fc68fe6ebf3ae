use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// What a caller is allowed to do (api.md "Auth").
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// Everything, within its agency's subtree (or everywhere when it has no agency).
    Admin,
    /// Reads and reports for its agency and those below.
    Leader,
    /// Works the dossiers and feedback of its own agency.
    Officer,
    /// A system: intake, status sync and the event feed of the agencies it is bound to.
    Integration,
    /// A citizen: own dossiers, surveys and feedback.
    Citizen,
}

impl Role {
    pub const ALL: [Role; 5] = [Role::Admin, Role::Leader, Role::Officer, Role::Integration, Role::Citizen];

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::Leader => "leader",
            Role::Officer => "officer",
            Role::Integration => "integration",
            Role::Citizen => "citizen",
        }
    }

    /// Staff and integration accounts act for an agency and must belong to one. An admin without
    /// an agency is a system administrator; a citizen belongs to none.
    pub fn requires_agency(self) -> bool {
        matches!(self, Role::Leader | Role::Officer | Role::Integration)
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[derive(Debug, thiserror::Error)]
#[error("unknown role {0:?}: use admin, leader, officer, integration or citizen")]
pub struct UnknownRole(pub String);

impl FromStr for Role {
    type Err = UnknownRole;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Role::ALL.into_iter().find(|r| r.as_str() == s).ok_or_else(|| UnknownRole(s.to_owned()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roles_round_trip_through_text() {
        for role in Role::ALL {
            assert_eq!(role.as_str().parse::<Role>().unwrap(), role);
            assert_eq!(serde_json::to_value(role).unwrap(), role.as_str());
        }
        assert!("root".parse::<Role>().is_err());
    }
}
