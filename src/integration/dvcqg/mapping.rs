//! The pure mapping from a dossier row to the portal's shape: no HTTP, no SQL, no clock.

use chrono::NaiveDateTime;

use super::fees::fees;
use super::model::{DvcqgDossier, ResultPaper, SubmittedFile};
use crate::clock::vietnam;
use crate::dossiers::lifecycle::Status;
use crate::dossiers::model::{ApplicantKind, DossierComponent, PaymentMethod, ResultDelivery};
use crate::dossiers::row::DossierRow;
use crate::enums::Channel;

pub use super::status::{PortalStatus, portal_status};

/// `KenhThucHien`: 1 direct, 2 online, 3 public postal service.
pub fn channel_code(channel: Channel) -> u8 {
    match channel {
        Channel::Direct => 1,
        Channel::Online => 2,
        Channel::Postal => 3,
    }
}

/// `LoaiDoiTuong`: 1 citizen, 2 enterprise, 3 organization. motcua records only "organization"
/// for anyone with a tax code, so an organization is 3: the class that includes enterprises,
/// where 2 would be wrong for an association or a school.
pub fn applicant_code(kind: ApplicantKind) -> u8 {
    match kind {
        ApplicantKind::Citizen => 1,
        ApplicantKind::Organization => 3,
    }
}

/// An instant stored as naive UTC, as the portal writes dates: `yyyyMMddHHmmss` in Vietnam time.
pub fn portal_date(stored: NaiveDateTime) -> String {
    stored.and_utc().with_timezone(&vietnam()).format("%Y%m%d%H%M%S").to_string()
}

/// `HinhThuc`: 0 the result is handed over at the desk, 1 sent by public postal service. The
/// portal knows no third way: an electronic result is 0, as OpenCPS sends every dossier that is
/// not posted, and its files go in `DanhSachGiayToKetQua`.
pub fn delivery_code(delivery: ResultDelivery) -> u8 {
    match delivery {
        ResultDelivery::Desk | ResultDelivery::Online => 0,
        ResultDelivery::Post => 1,
    }
}

pub(super) fn flag(value: bool) -> u8 {
    u8::from(value)
}

/// What the mapping needs of the dossier's procedure.
#[derive(Debug, Clone, Copy)]
pub struct Procedure<'a> {
    /// The national catalogue's code: the procedure's `national_code` when its own is local.
    pub code: &'a str,
    pub name: &'a str,
    /// The field's national code when the catalogue has it, else its name.
    pub field_code: &'a str,
    pub field: &'a str,
}

/// What the mapping needs of the agency that received the dossier and handles it.
#[derive(Debug, Clone, Copy)]
pub struct Agency<'a> {
    pub code: &'a str,
    pub name: &'a str,
    /// The name of the agency that holds the dossier now: the reception agency's own, unless the
    /// dossier was transferred for joint processing.
    pub handling: &'a str,
}

/// A file of the dossier with the signed link that opens it.
#[derive(Debug, Clone)]
pub struct LinkedFile {
    pub id: String,
    /// `component` or `result`.
    pub kind: String,
    pub component: Option<i64>,
    pub file_name: String,
    pub url: String,
}

/// `TrichYeuHoSo`: one line saying what the dossier asks and for whom, as the portal lists it.
pub fn summary_line(procedure: &str, applicant: &str) -> String {
    format!("{procedure}: {applicant}")
}

/// The dossier in the portal's shape, from the row alone: the applicant's identity number and
/// contacts are left null (`people::reveal` fills them for a caller granted them) and the
/// supplements empty (`supplements::requests` reads them from the history). Fails only on text in the row that no version of motcua
/// writes (an unknown status, channel or applicant kind, components that are not JSON).
pub fn to_portal(
    row: &DossierRow,
    procedure: Procedure<'_>,
    agency: Agency<'_>,
    files: &[LinkedFile],
) -> anyhow::Result<DvcqgDossier> {
    let status = Status::from_db(&row.status)?;
    let components: Vec<DossierComponent> = serde_json::from_str(&row.components)?;
    let paid_online = match row.payment_method.as_deref() {
        Some(method) => PaymentMethod::from_db(method)? == PaymentMethod::Online,
        None => false,
    };
    let component_name = |index: Option<i64>| {
        index.and_then(|i| usize::try_from(i).ok()).and_then(|i| components.get(i)).map(|c| c.name.clone())
    };
    let submitted = files
        .iter()
        .filter(|f| f.kind == "component")
        .map(|f| SubmittedFile {
            tep_dinh_kem_id: f.id.clone(),
            ten_tep_dinh_kem: f.file_name.clone(),
            ten_thanh_phan_ho_so: component_name(f.component),
            duong_dan_tai_tep_tin: f.url.clone(),
        })
        .collect();
    let results = files
        .iter()
        .filter(|f| f.kind == "result")
        .map(|f| ResultPaper {
            giay_to_id: f.id.clone(),
            ten_giay_to: f.file_name.clone(),
            duong_dan_tep_tin_ket_qua: f.url.clone(),
        })
        .collect();
    Ok(DvcqgDossier {
        // The portal's own code for a dossier that came from it, so that a forwarder updates
        // the portal's record rather than making a second one; otherwise motcua's code, which
        // has the national shape.
        ma_ho_so: row.external_ref.clone().unwrap_or_else(|| row.code.clone()),
        ma_co_quan: agency.code.to_owned(),
        ma_tthc: procedure.code.to_owned(),
        ten_tthc: procedure.name.to_owned(),
        ma_linh_vuc: procedure.field_code.to_owned(),
        ten_linh_vuc: procedure.field.to_owned(),
        trich_yeu_ho_so: summary_line(procedure.name, &row.applicant_name),
        don_vi_xu_ly: agency.handling.to_owned(),
        chu_ho_so: row.applicant_name.clone(),
        // Filled by `people::reveal` for a caller granted personal data.
        so_giay_to_chu_ho_so: None,
        so_dien_thoai: None,
        email: None,
        hinh_thuc: delivery_code(ResultDelivery::from_db(&row.result_delivery)?),
        loai_doi_tuong: applicant_code(ApplicantKind::from_db(&row.applicant_kind)?),
        ngay_nop_ho_so: portal_date(row.submitted_at),
        ngay_tiep_nhan: row.accepted_at.map(portal_date),
        ngay_hen_tra: row.appointment_at.or(row.due_at).map(portal_date),
        ngay_ket_thuc_xu_ly: row.resolved_at.map(portal_date),
        ngay_tra: row.returned_at.map(portal_date),
        trang_thai_ho_so: portal_status(status, row.assignee_id.is_some()).code(),
        kenh_thuc_hien: channel_code(Channel::from_db(&row.channel)?),
        duoc_thanh_toan_truc_tuyen: flag(paid_online),
        ho_so_co_thanh_phan_so_hoa: flag(components.iter().any(|c| c.digitized || c.reused_from_store)),
        danh_sach_le_phi: fees(row)?,
        tai_lieu_nop: submitted,
        danh_sach_giay_to_ket_qua: results,
        // From the history, by `supplements::requests`.
        danh_sach_ho_so_bo_sung: Vec::new(),
        id: row.id.clone(),
        external_ref: row.external_ref.clone(),
        version: row.version,
        links_expire_at: None,
    })
}

#[cfg(test)]
pub(super) mod tests {
    use chrono::NaiveDate;

    use super::*;

    fn at(y: i32, m: u32, d: u32, h: u32, min: u32, s: u32) -> NaiveDateTime {
        NaiveDate::from_ymd_opt(y, m, d).unwrap().and_hms_opt(h, min, s).unwrap()
    }

    pub(in super::super) fn row() -> DossierRow {
        let submitted = at(2024, 1, 5, 1, 30, 0);
        DossierRow {
            id: "d-1".into(),
            code: "P01.C01-240105-0001".into(),
            agency_id: "a-1".into(),
            procedure_id: "p-1".into(),
            channel: "online".into(),
            status: "submitted".into(),
            applicant_kind: "citizen".into(),
            applicant_name: "Nguyễn Văn An".into(),
            applicant_name_folded: "nguyen van an".into(),
            applicant_id_number: Some("051090001234".into()),
            applicant_phone: Some("0912345678".into()),
            applicant_email: None,
            applicant_address: None,
            owner_id: None,
            components: r#"[{"name":"Tờ khai","digitized":false,"reused_from_store":false}]"#.into(),
            fee: 0,
            payment_method: None,
            payment_amount: None,
            external_ref: None,
            submitted_at: submitted,
            accepted_at: None,
            first_response_at: None,
            due_at: None,
            appointment_at: None,
            supplement_requested_at: None,
            apologized_at: None,
            resolved_at: None,
            outcome: None,
            result_digitized: false,
            reception_digitized: false,
            returned_at: None,
            withdrawn_at: None,
            rejected_at: None,
            received_by: None,
            resolved_by: None,
            assignee_id: None,
            last_step_at: submitted,
            version: 1,
            created_at: submitted,
            updated_at: submitted,
            resolved_by_agency_id: None,
            answer_due_at: None,
            last_event_at: None,
            applicant_notify: true,
            proposal: None,
            holder_agency_id: None,
            result_delivery: "desk".into(),
            appointment_before_supplement: None,
            appointment_after_supplement: None,
            portal_synced_version: None,
        }
    }

    pub(in super::super) const PROCEDURE: Procedure<'static> = Procedure {
        code: "1.001193",
        name: "Thủ tục đăng ký khai sinh",
        field_code: "G09-TP04",
        field: "Hộ tịch",
    };

    const AGENCY: Agency<'static> =
        Agency { code: "P01.C01", name: "UBND xã Tỉnh Châu", handling: "UBND xã Tỉnh Châu" };

    pub(in super::super) fn map(row: &DossierRow) -> DvcqgDossier {
        to_portal(row, PROCEDURE, AGENCY, &[]).unwrap()
    }

    #[test]
    fn the_status_in_the_response_follows_the_row() {
        let mut row = row();
        row.status = "processing".into();
        assert_eq!(map(&row).trang_thai_ho_so, 2);
        row.assignee_id = Some("u-1".into());
        assert_eq!(map(&row).trang_thai_ho_so, 4);
        row.status = "nonsense".into();
        assert!(to_portal(&row, PROCEDURE, AGENCY, &[]).is_err());
    }

    #[test]
    fn result_delivery_codes() {
        assert_eq!(delivery_code(ResultDelivery::Desk), 0);
        assert_eq!(delivery_code(ResultDelivery::Post), 1);
        assert_eq!(delivery_code(ResultDelivery::Online), 0, "the portal has no electronic code");
        let mut row = row();
        assert_eq!(map(&row).hinh_thuc, 0, "at the desk by default");
        row.result_delivery = "post".into();
        assert_eq!(map(&row).hinh_thuc, 1);
        row.result_delivery = "pigeon".into();
        assert!(to_portal(&row, PROCEDURE, AGENCY, &[]).is_err());
    }

    #[test]
    fn channels_and_applicant_kinds() {
        assert_eq!(channel_code(Channel::Direct), 1);
        assert_eq!(channel_code(Channel::Online), 2);
        assert_eq!(channel_code(Channel::Postal), 3);
        assert_eq!(applicant_code(ApplicantKind::Citizen), 1);
        assert_eq!(applicant_code(ApplicantKind::Organization), 3);
        let mut row = row();
        row.channel = "postal".into();
        row.applicant_kind = "organization".into();
        let mapped = map(&row);
        assert_eq!((mapped.kenh_thuc_hien, mapped.loai_doi_tuong), (3, 3));
    }

    #[test]
    fn dates_are_vietnam_time_without_separators() {
        assert_eq!(portal_date(at(2024, 1, 5, 2, 3, 4)), "20240105090304");
        // 18:30 UTC on the last day of the year is already 01:30 on New Year's Day in Hanoi.
        assert_eq!(portal_date(at(2024, 12, 31, 18, 30, 0)), "20250101013000");
        assert_eq!(portal_date(at(2024, 2, 28, 17, 0, 0)), "20240229000000", "a leap day");
        assert_eq!(portal_date(at(2024, 7, 1, 16, 59, 59)), "20240701235959", "no daylight saving");
    }

    #[test]
    fn dates_absent_until_the_step_happens() {
        let mut row = row();
        let mapped = map(&row);
        assert_eq!(mapped.ngay_nop_ho_so, "20240105083000");
        assert_eq!(
            (mapped.ngay_tiep_nhan, mapped.ngay_hen_tra, mapped.ngay_ket_thuc_xu_ly, mapped.ngay_tra),
            (None, None, None, None)
        );
        let json = serde_json::to_value(map(&row)).unwrap();
        for field in ["NgayTiepNhan", "NgayHenTra", "NgayKetThucXuLy", "NgayTra"] {
            assert_eq!(json[field], serde_json::Value::Null, "{field} is present and null");
        }

        row.status = "returned".into();
        row.accepted_at = Some(at(2024, 1, 5, 2, 0, 0));
        row.due_at = Some(at(2024, 1, 10, 2, 0, 0));
        row.appointment_at = Some(at(2024, 1, 12, 9, 0, 0));
        row.resolved_at = Some(at(2024, 1, 9, 17, 15, 0));
        row.returned_at = Some(at(2024, 1, 10, 1, 0, 0));
        let mapped = map(&row);
        assert_eq!(mapped.ngay_tiep_nhan.as_deref(), Some("20240105090000"));
        assert_eq!(mapped.ngay_hen_tra.as_deref(), Some("20240112160000"), "the appointment, not due_at");
        assert_eq!(mapped.ngay_ket_thuc_xu_ly.as_deref(), Some("20240110001500"));
        assert_eq!(mapped.ngay_tra.as_deref(), Some("20240110080000"));
        row.appointment_at = None;
        assert_eq!(
            map(&row).ngay_hen_tra.as_deref(),
            Some("20240110090000"),
            "due_at without an appointment"
        );
    }

    #[test]
    fn online_payment_and_digitized_components_as_zero_or_one() {
        let mut row = row();
        let mapped = map(&row);
        assert_eq!((mapped.duoc_thanh_toan_truc_tuyen, mapped.ho_so_co_thanh_phan_so_hoa), (0, 0));
        row.payment_method = Some("cash".into());
        row.payment_amount = Some(8_000);
        assert_eq!(map(&row).duoc_thanh_toan_truc_tuyen, 0);
        row.payment_method = Some("online".into());
        assert_eq!(map(&row).duoc_thanh_toan_truc_tuyen, 1);
        row.components = r#"[{"name":"A","digitized":false,"reused_from_store":true},{"name":"B","digitized":false,"reused_from_store":false}]"#.into();
        assert_eq!(map(&row).ho_so_co_thanh_phan_so_hoa, 1, "one reused component is enough");
        row.components = r#"[{"name":"A","digitized":true,"reused_from_store":false}]"#.into();
        assert_eq!(map(&row).ho_so_co_thanh_phan_so_hoa, 1);
        row.components = "[]".into();
        assert_eq!(map(&row).ho_so_co_thanh_phan_so_hoa, 0);
    }

    #[test]
    fn the_portal_field_names_exactly() {
        let mut row = row();
        row.external_ref = Some("G22.99-240105-0042".into());
        let json = serde_json::to_value(map(&row)).unwrap();
        let mut keys: Vec<&str> = json.as_object().unwrap().keys().map(String::as_str).collect();
        keys.sort_unstable();
        let mut want = vec![
            "MaHoSo",
            "MaCoQuan",
            "MaTTHC",
            "TenTTHC",
            "MaLinhVuc",
            "ChuHoSo",
            "LoaiDoiTuong",
            "NgayNopHoSo",
            "NgayTiepNhan",
            "NgayHenTra",
            "NgayKetThucXuLy",
            "NgayTra",
            "TrangThaiHoSo",
            "KenhThucHien",
            "DuocThanhToanTrucTuyen",
            "HoSoCoThanhPhanSoHoa",
            "TenLinhVuc",
            "TrichYeuHoSo",
            "DonViXuLy",
            "DanhSachLePhi",
            "TaiLieuNop",
            "DanhSachGiayToKetQua",
            "SoGiayToChuHoSo",
            "SoDienThoai",
            "Email",
            "HinhThuc",
            "DanhSachHoSoBoSung",
            "id",
            "external_ref",
            "version",
            "links_expire_at",
        ];
        want.sort_unstable();
        assert_eq!(keys, want);
        assert_eq!(json["MaHoSo"], "G22.99-240105-0042", "the portal's code when it has one");
        assert_eq!(map(&super::tests::row()).ma_ho_so, "P01.C01-240105-0001", "else motcua's own");
        assert_eq!(json["MaTTHC"], "1.001193");
        assert_eq!(json["TenTTHC"], "Thủ tục đăng ký khai sinh");
        assert_eq!(json["MaLinhVuc"], "G09-TP04");
        assert_eq!(json["ChuHoSo"], "Nguyễn Văn An");
        assert_eq!(json["TrangThaiHoSo"], 1);
        assert_eq!(json["KenhThucHien"], 2);
        assert_eq!(json["external_ref"], "G22.99-240105-0042");
        assert_eq!(json["version"], 1);
        assert_eq!(json["TenLinhVuc"], "Hộ tịch");
        assert_eq!(json["TrichYeuHoSo"], "Thủ tục đăng ký khai sinh: Nguyễn Văn An");
        assert_eq!(json["DonViXuLy"], "UBND xã Tỉnh Châu");
        assert_eq!(json["DanhSachLePhi"], serde_json::json!([]), "no fee, nothing paid");
        assert_eq!(
            (&json["TaiLieuNop"], &json["DanhSachGiayToKetQua"]),
            (&serde_json::json!([]), &serde_json::json!([]))
        );
        assert!(!json.to_string().contains("051090001234"), "no identity number");
        assert!(!json.to_string().contains("0912345678"), "no phone");
        assert_eq!(
            (&json["SoDienThoai"], &json["Email"]),
            (&serde_json::Value::Null, &serde_json::Value::Null)
        );
        assert_eq!(json["DanhSachHoSoBoSung"], serde_json::json!([]));
    }

    #[test]
    fn submitted_files_and_result_papers_with_their_links() {
        let mut row = row();
        row.components = r#"[{"name":"Tờ khai","digitized":true,"reused_from_store":false},{"name":"Giấy chứng sinh","digitized":true,"reused_from_store":false}]"#.into();
        let file = |id: &str, kind: &str, component: Option<i64>| LinkedFile {
            id: id.into(),
            kind: kind.into(),
            component,
            file_name: format!("{id}.pdf"),
            url: format!("/api/v1/file-links/{id}"),
        };
        let files =
            [file("f1", "component", Some(1)), file("f2", "result", None), file("f3", "component", Some(0))];
        let json = serde_json::to_value(to_portal(&row, PROCEDURE, AGENCY, &files).unwrap()).unwrap();
        assert_eq!(
            json["TaiLieuNop"],
            serde_json::json!([
                {"TepDinhKemId": "f1", "TenTepDinhKem": "f1.pdf", "TenThanhPhanHoSo": "Giấy chứng sinh", "DuongDanTaiTepTin": "/api/v1/file-links/f1"},
                {"TepDinhKemId": "f3", "TenTepDinhKem": "f3.pdf", "TenThanhPhanHoSo": "Tờ khai", "DuongDanTaiTepTin": "/api/v1/file-links/f3"},
            ])
        );
        assert_eq!(
            json["DanhSachGiayToKetQua"],
            serde_json::json!([{"GiayToId": "f2", "TenGiayTo": "f2.pdf", "DuongDanTepTinKetQua": "/api/v1/file-links/f2"}])
        );
    }
}
