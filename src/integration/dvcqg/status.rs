//! `TrangThaiHoSo`, pure: the portal's status code of a dossier (the table in the module doc).

use crate::dossiers::lifecycle::Status;

/// The portal's dossier status codes (domain.md, "The national portal's status codes").
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(u8)]
pub enum PortalStatus {
    /// Mới đăng ký.
    NewlyRegistered = 1,
    /// Được tiếp nhận.
    Received = 2,
    /// Không được tiếp nhận.
    NotReceived = 3,
    /// Đang xử lý.
    Processing = 4,
    /// Yêu cầu bổ sung giấy tờ.
    SupplementRequested = 5,
    /// Yêu cầu thực hiện nghĩa vụ tài chính: motcua takes the fee at intake, never produced.
    FinancialObligationRequested = 6,
    /// Công dân yêu cầu rút hồ sơ: a withdrawal takes effect at once in motcua, never produced.
    WithdrawalRequested = 7,
    /// Dừng xử lý.
    Stopped = 8,
    /// Đã xử lý xong.
    Processed = 9,
    /// Đã trả kết quả.
    ResultReturned = 10,
}

impl PortalStatus {
    pub fn code(self) -> u8 {
        self as u8
    }
}

/// The portal's status of a dossier in `status`; `assigned` says whether an officer has been
/// assigned to it (the desk has handed it on for processing).
pub fn portal_status(status: Status, assigned: bool) -> PortalStatus {
    match status {
        Status::Submitted => PortalStatus::NewlyRegistered,
        Status::Processing if assigned => PortalStatus::Processing,
        Status::Processing => PortalStatus::Received,
        // The leader's approval is part of the processing.
        Status::AwaitingApproval => PortalStatus::Processing,
        Status::SupplementRequested => PortalStatus::SupplementRequested,
        Status::Rejected => PortalStatus::NotReceived,
        Status::Withdrawn => PortalStatus::Stopped,
        Status::Resolved => PortalStatus::Processed,
        Status::Returned => PortalStatus::ResultReturned,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every status of the lifecycle, unassigned and assigned, and its portal code. The table is
    /// the specification; the match in `portal_status` must agree with it.
    #[test]
    fn every_status_has_its_portal_code() {
        #[rustfmt::skip]
        let table: &[(Status, u8, u8)] = &[
            //  motcua status                unassigned  assigned
            (Status::Submitted,              1,          1),  // newly registered, awaiting receipt
            (Status::Processing,             2,          4),  // received; processing once handed on
            (Status::SupplementRequested,    5,          5),  // supplement requested
            (Status::AwaitingApproval,       4,          4),  // processing: the leader approves
            (Status::Rejected,               3,          3),  // not received
            (Status::Withdrawn,              8,          8),  // stopped
            (Status::Resolved,               9,          9),  // processed
            (Status::Returned,               10,         10), // result returned
        ];
        assert_eq!(table.len(), Status::ALL.len(), "every status is in the table");
        for status in Status::ALL {
            let (_, unassigned, assigned) =
                table.iter().find(|(s, _, _)| *s == status).unwrap_or_else(|| panic!("{status:?} missing"));
            assert_eq!(portal_status(status, false).code(), *unassigned, "{status:?}");
            assert_eq!(portal_status(status, true).code(), *assigned, "{status:?} assigned");
        }
        assert_eq!(PortalStatus::FinancialObligationRequested.code(), 6);
        assert_eq!(PortalStatus::WithdrawalRequested.code(), 7);
    }
}
