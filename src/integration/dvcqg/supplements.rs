//! `DanhSachHoSoBoSung`, pure: the supplement requested of the applicant, from the row and its
//! history.
//!
//! A dossier has at most one supplement request (rule `supplement_once`), so the list has one
//! item or none. The request's instant is the row's `supplement_requested_at`, its reason the
//! note of the `request-supplement` step, the receipt the `at` of the `supplement` step after it
//! (an import names it). The appointments around it are kept on the row by the steps themselves
//! (`appointment_before_supplement`, `appointment_after_supplement`): the history records no
//! appointments, and an apology after the supplement moves the current one.

use super::mapping::portal_date;
use super::model::SupplementRequest;
use crate::dossiers::lifecycle::Action;
use crate::dossiers::row::DossierRow;
use crate::records::history::Entry;

/// The supplement requests of the dossier, oldest first (one at most); empty when none was.
pub fn requests(row: &DossierRow, history: &[Entry]) -> Vec<SupplementRequest> {
    let Some(requested_at) = row.supplement_requested_at else { return Vec::new() };
    let request = history.iter().rev().find(|e| e.action == Action::RequestSupplement.as_str());
    let after = request.map_or(i64::MIN, |r| r.seq);
    let received = history.iter().find(|e| e.action == Action::Supplement.as_str() && e.seq > after);
    vec![SupplementRequest {
        noi_dung_bo_sung: request.and_then(|r| r.note.clone()).unwrap_or_default(),
        ngay_bo_sung: portal_date(requested_at),
        ngay_tiep_nhan_bo_sung: received.map(|e| portal_date(e.at)),
        ngay_hen_tra_truoc: row.appointment_before_supplement.map(portal_date),
        ngay_hen_tra_moi: received.and(row.appointment_after_supplement).map(portal_date),
    }]
}

#[cfg(test)]
mod tests {
    use chrono::{NaiveDate, NaiveDateTime};

    use super::super::mapping::tests::row;
    use super::*;

    fn at(d: u32, h: u32) -> NaiveDateTime {
        NaiveDate::from_ymd_opt(2024, 1, d).unwrap().and_hms_opt(h, 0, 0).unwrap()
    }

    fn entry(seq: i64, action: Action, at: NaiveDateTime, note: Option<&str>) -> Entry {
        Entry {
            seq,
            action: action.as_str().to_owned(),
            from_status: None,
            to_status: "processing".into(),
            actor_id: None,
            actor_kind: "user".into(),
            at,
            note: note.map(str::to_owned),
            recorded_at: at,
        }
    }

    #[test]
    fn none_without_a_request() {
        let history = [entry(1, Action::Accept, at(5, 2), None)];
        assert!(requests(&row(), &history).is_empty());
    }

    #[test]
    fn awaited_then_received_with_the_appointments_around_it() {
        let mut row = row();
        row.supplement_requested_at = Some(at(6, 3));
        row.appointment_before_supplement = Some(at(10, 2));
        let mut history = vec![
            entry(1, Action::Accept, at(5, 2), None),
            entry(2, Action::RequestSupplement, at(6, 3), Some("Bổ sung giấy chứng sinh")),
        ];
        let awaited = requests(&row, &history);
        assert_eq!(
            serde_json::to_value(&awaited).unwrap(),
            serde_json::json!([{
                "NoiDungBoSung": "Bổ sung giấy chứng sinh", "NgayBoSung": "20240106100000",
                "NgayTiepNhanBoSung": null, "NgayHenTraTruoc": "20240110090000", "NgayHenTraMoi": null,
            }]),
            "Vietnam time; the new appointment is null while the supplement is awaited"
        );

        history.push(entry(3, Action::Supplement, at(8, 1), None));
        row.appointment_after_supplement = Some(at(15, 1));
        // An apology later moves the current appointment, not the one the supplement set.
        row.appointment_at = Some(at(20, 1));
        let received = &requests(&row, &history)[0];
        assert_eq!(received.ngay_tiep_nhan_bo_sung.as_deref(), Some("20240108080000"));
        assert_eq!(received.ngay_hen_tra_moi.as_deref(), Some("20240115080000"));
    }

    #[test]
    fn before_acceptance_no_appointments() {
        let mut row = row();
        row.supplement_requested_at = Some(at(5, 3));
        let history = [
            entry(1, Action::RequestSupplement, at(5, 3), Some("Thiếu tờ khai")),
            entry(2, Action::Supplement, at(6, 3), None),
        ];
        let listed = requests(&row, &history);
        assert_eq!(listed[0].ngay_tiep_nhan_bo_sung.as_deref(), Some("20240106100000"));
        assert_eq!((&listed[0].ngay_hen_tra_truoc, &listed[0].ngay_hen_tra_moi), (&None, &None));
    }
}
