//! The response: one dossier as the national portal's sync takes it.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use validator::Validate;

/// A dossier in the sync shape of the national public-service portal (dichvucong.gov.vn).
/// PascalCase fields are the portal's; the snake_case ones are motcua's, for the adapter's
/// own bookkeeping, and not for forwarding. Dates are `yyyyMMddHHmmss` in Vietnam time (UTC+7),
/// null when the step has not happened.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
#[schema(example = json!({
    "MaHoSo": "000.21.35.H55-240105-0001", "MaCoQuan": "000.21.35.H55", "MaTTHC": "1.001193",
    "TenTTHC": "Thủ tục đăng ký khai sinh", "MaLinhVuc": "Hộ tịch", "TenLinhVuc": "Hộ tịch",
    "TrichYeuHoSo": "Thủ tục đăng ký khai sinh: Nguyễn Văn An", "DonViXuLy": "UBND xã Tỉnh Châu",
    "ChuHoSo": "Nguyễn Văn An", "SoGiayToChuHoSo": null, "SoDienThoai": null, "Email": null,
    "LoaiDoiTuong": 1, "HinhThuc": 0, "NgayNopHoSo": "20240105083000", "NgayTiepNhan": "20240105090000",
    "NgayHenTra": "20240110090000", "NgayKetThucXuLy": null, "NgayTra": null, "TrangThaiHoSo": 4,
    "KenhThucHien": 2, "DuocThanhToanTrucTuyen": 0, "HoSoCoThanhPhanSoHoa": 1,
    "DanhSachLePhi": [{"TenPhiLePhi": "Lệ phí", "SoTien": 8000, "DaThanhToan": 1, "HinhThucThu": "cash"}],
    "TaiLieuNop": [{"TepDinhKemId": "0190f3a2-8d5c-7e2f-8a9b-6d7e8f9a0b1c", "TenTepDinhKem": "to-khai.pdf",
        "TenThanhPhanHoSo": "Tờ khai đăng ký khai sinh",
        "DuongDanTaiTepTin": "/api/v1/file-links/eyJhbGciOiJIUzI1NiJ9.eyJhdWQiOiJtb3RjdWEtZmlsZS1saW5rIn0.c2lnbmF0dXJl"}],
    "DanhSachGiayToKetQua": [],
    "DanhSachHoSoBoSung": [{"NoiDungBoSung": "Bổ sung giấy chứng sinh bản chính", "NgayBoSung": "20240106100000",
        "NgayTiepNhanBoSung": "20240108083000", "NgayHenTraTruoc": "20240110090000", "NgayHenTraMoi": "20240115083000"}],
    "id": "0190f3a2-7c4b-7d1e-9a8b-5c6d7e8f9a0b", "external_ref": null, "version": 4,
    "links_expire_at": "2024-01-08T02:05:00Z"
}))]
pub struct DvcqgDossier {
    /// The portal's own code (`external_ref`) for a dossier that came from the portal; else the
    /// dossier code (`{agency code}-{YYMMDD}-{sequence}`).
    #[serde(rename = "MaHoSo")]
    pub ma_ho_so: String,
    /// The receiving agency's code.
    #[serde(rename = "MaCoQuan")]
    pub ma_co_quan: String,
    /// The procedure's national code.
    #[serde(rename = "MaTTHC")]
    pub ma_tthc: String,
    /// The procedure's name.
    #[serde(rename = "TenTTHC")]
    pub ten_tthc: String,
    /// The procedure's field (lĩnh vực), as the catalogue names it (the catalogue keeps no field
    /// codes yet).
    #[serde(rename = "MaLinhVuc")]
    pub ma_linh_vuc: String,
    /// The procedure's field (lĩnh vực) by name.
    #[serde(rename = "TenLinhVuc")]
    pub ten_linh_vuc: String,
    /// One line: the procedure and the applicant (`{TenTTHC}: {ChuHoSo}`).
    #[serde(rename = "TrichYeuHoSo")]
    pub trich_yeu_ho_so: String,
    /// The name of the agency handling the dossier now.
    #[serde(rename = "DonViXuLy")]
    pub don_vi_xu_ly: String,
    /// The applicant's full name (chủ hồ sơ).
    #[serde(rename = "ChuHoSo")]
    pub chu_ho_so: String,
    /// The applicant's identity number (a person's) or tax code (an organization's): only to a
    /// service account granted `personal_data` (and to staff), else null.
    #[serde(rename = "SoGiayToChuHoSo")]
    #[schema(required = true, example = "051090001234")]
    pub so_giay_to_chu_ho_so: Option<String>,
    /// The applicant's phone: only to a service account granted `personal_data`, else null.
    #[serde(rename = "SoDienThoai")]
    #[schema(required = true, example = "0912345678")]
    pub so_dien_thoai: Option<String>,
    /// The applicant's email: only to a service account granted `personal_data`, else null.
    #[serde(rename = "Email")]
    #[schema(required = true, example = "an.nguyen@example.vn")]
    pub email: Option<String>,
    /// How the result reaches the applicant: 0 at the desk (also an electronic result: the portal
    /// knows no third way), 1 by public postal service.
    #[serde(rename = "HinhThuc")]
    #[schema(minimum = 0, maximum = 1)]
    pub hinh_thuc: u8,
    /// 1 citizen, 3 organization (2, enterprise, is not told apart from other organizations).
    #[serde(rename = "LoaiDoiTuong")]
    #[schema(minimum = 1, maximum = 3)]
    pub loai_doi_tuong: u8,
    /// When the dossier reached the system.
    #[serde(rename = "NgayNopHoSo")]
    #[schema(pattern = "^[0-9]{14}$", example = "20240105083000")]
    pub ngay_nop_ho_so: String,
    /// Official receipt (accepted).
    #[serde(rename = "NgayTiepNhan")]
    #[schema(required = true, pattern = "^[0-9]{14}$", example = "20240105090000")]
    pub ngay_tiep_nhan: Option<String>,
    /// The promised return time: the appointment, else the legal due time.
    #[serde(rename = "NgayHenTra")]
    #[schema(required = true, pattern = "^[0-9]{14}$", example = "20240110090000")]
    pub ngay_hen_tra: Option<String>,
    /// When a result (approval or reasoned refusal) was recorded.
    #[serde(rename = "NgayKetThucXuLy")]
    #[schema(required = true, pattern = "^[0-9]{14}$", example = "20240109163000")]
    pub ngay_ket_thuc_xu_ly: Option<String>,
    /// When the result was handed to the applicant.
    #[serde(rename = "NgayTra")]
    #[schema(required = true, pattern = "^[0-9]{14}$", example = "20240110080000")]
    pub ngay_tra: Option<String>,
    /// The portal's status code: 1 newly registered, 2 received, 3 not received, 4 processing,
    /// 5 supplement requested, 8 stopped, 9 processed, 10 result returned (6 financial
    /// obligation requested and 7 withdrawal requested are never produced).
    #[serde(rename = "TrangThaiHoSo")]
    #[schema(minimum = 1, maximum = 10)]
    pub trang_thai_ho_so: u8,
    /// 1 direct, 2 online, 3 public postal service.
    #[serde(rename = "KenhThucHien")]
    #[schema(minimum = 1, maximum = 3)]
    pub kenh_thuc_hien: u8,
    /// 1 when the fee was paid online, else 0.
    #[serde(rename = "DuocThanhToanTrucTuyen")]
    #[schema(minimum = 0, maximum = 1)]
    pub duoc_thanh_toan_truc_tuyen: u8,
    /// 1 when at least one component is digitized or reused from the citizen's data store, else 0.
    #[serde(rename = "HoSoCoThanhPhanSoHoa")]
    #[schema(minimum = 0, maximum = 1)]
    pub ho_so_co_thanh_phan_so_hoa: u8,
    /// The fee and how it was paid; empty when the procedure has no fee and nothing was paid.
    #[serde(rename = "DanhSachLePhi")]
    pub danh_sach_le_phi: Vec<PortalFee>,
    /// The scans of the submitted components, each with a signed link that opens it for
    /// `links_expire_at`'s 5 minutes; empty until files are uploaded.
    #[serde(rename = "TaiLieuNop")]
    pub tai_lieu_nop: Vec<SubmittedFile>,
    /// The result papers, each with a signed link; empty until one is uploaded.
    #[serde(rename = "DanhSachGiayToKetQua")]
    pub danh_sach_giay_to_ket_qua: Vec<ResultPaper>,
    /// The supplement requested (a dossier has at most one); empty when none was.
    #[serde(rename = "DanhSachHoSoBoSung")]
    pub danh_sach_ho_so_bo_sung: Vec<SupplementRequest>,
    /// motcua's id of the dossier (not the portal's).
    pub id: String,
    /// The code the portal or another system gave the dossier at intake, if any: how an adapter
    /// matches a dossier that came from the portal to the portal's own record.
    #[schema(required = true)]
    pub external_ref: Option<String>,
    /// The dossier's version this record shows (it moves on with every change): what the
    /// adapter acknowledges with `POST …/dvcqg/dossiers/{id}/sync` once the portal answered.
    #[schema(minimum = 1, example = 4)]
    pub version: i64,
    /// When the signed links of the files stop working; null when the dossier has no files.
    #[schema(required = true)]
    pub links_expire_at: Option<DateTime<Utc>>,
}

/// A fee of the dossier (`DanhSachLePhi`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct PortalFee {
    /// "Lệ phí": motcua keeps one fee per procedure.
    #[serde(rename = "TenPhiLePhi")]
    pub ten_phi_le_phi: String,
    /// In đồng: what was paid, else the procedure's fee.
    #[serde(rename = "SoTien")]
    pub so_tien: i64,
    /// 1 when it was paid, else 0.
    #[serde(rename = "DaThanhToan")]
    #[schema(minimum = 0, maximum = 1)]
    pub da_thanh_toan: u8,
    /// How it was paid, as motcua records it (`cash`, `transfer`, `online`); null before payment.
    #[serde(rename = "HinhThucThu")]
    #[schema(required = true, example = "cash")]
    pub hinh_thuc_thu: Option<String>,
}

/// A scan of a submitted component (`TaiLieuNop`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct SubmittedFile {
    /// motcua's id of the file.
    #[serde(rename = "TepDinhKemId")]
    pub tep_dinh_kem_id: String,
    #[serde(rename = "TenTepDinhKem")]
    pub ten_tep_dinh_kem: String,
    /// The component it is a scan of.
    #[serde(rename = "TenThanhPhanHoSo")]
    #[schema(required = true)]
    pub ten_thanh_phan_ho_so: Option<String>,
    /// A signed link that opens the file without a token, for a short while (`links_expire_at`).
    #[serde(rename = "DuongDanTaiTepTin")]
    pub duong_dan_tai_tep_tin: String,
}

/// A result paper (`DanhSachGiayToKetQua`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct ResultPaper {
    /// motcua's id of the file.
    #[serde(rename = "GiayToId")]
    pub giay_to_id: String,
    #[serde(rename = "TenGiayTo")]
    pub ten_giay_to: String,
    /// A signed link that opens the file without a token, for a short while (`links_expire_at`).
    #[serde(rename = "DuongDanTepTinKetQua")]
    pub duong_dan_tep_tin_ket_qua: String,
}

/// A supplement requested of the applicant (`DanhSachHoSoBoSung`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct SupplementRequest {
    /// What was asked for: the request's reason.
    #[serde(rename = "NoiDungBoSung")]
    pub noi_dung_bo_sung: String,
    /// When it was requested.
    #[serde(rename = "NgayBoSung")]
    #[schema(pattern = "^[0-9]{14}$", example = "20240106100000")]
    pub ngay_bo_sung: String,
    /// When the supplement was received; null while it is awaited.
    #[serde(rename = "NgayTiepNhanBoSung")]
    #[schema(required = true, pattern = "^[0-9]{14}$", example = "20240108083000")]
    pub ngay_tiep_nhan_bo_sung: Option<String>,
    /// The appointment in force when it was requested; null before acceptance (none yet).
    #[serde(rename = "NgayHenTraTruoc")]
    #[schema(required = true, pattern = "^[0-9]{14}$", example = "20240110090000")]
    pub ngay_hen_tra_truoc: Option<String>,
    /// The appointment after the received supplement restarted the clock; null while it is
    /// awaited, or when it came before acceptance (no clock ran).
    #[serde(rename = "NgayHenTraMoi")]
    #[schema(required = true, pattern = "^[0-9]{14}$", example = "20240115083000")]
    pub ngay_hen_tra_moi: Option<String>,
}

/// What the portal answered to the record of one version of a dossier.
#[derive(Debug, Clone, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"version": 4, "accepted": false, "error": "MaTTHC không tồn tại trên Cổng DVCQG"}))]
pub struct SyncAck {
    /// The `version` of the sync record the adapter forwarded. An older version than the
    /// dossier's is recorded but leaves the dossier pending; one it never had is refused (422).
    #[validate(range(min = 1))]
    pub version: i64,
    /// Whether the portal took the record.
    pub accepted: bool,
    /// What the portal said when it refused the record, as it said it; only with `accepted`
    /// false.
    #[serde(default, deserialize_with = "crate::text::nfc")]
    #[validate(length(min = 1, max = 2000), custom(function = "crate::text::multi_line"))]
    pub error: Option<String>,
}

/// One answer of the portal, as recorded.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct SyncAnswer {
    pub version: i64,
    pub accepted: bool,
    #[schema(required = true)]
    pub error: Option<String>,
    /// When the adapter recorded it.
    pub recorded_at: DateTime<Utc>,
}

/// A dossier's sync with the portal.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
#[schema(example = json!({
    "dossier_id": "0190f3a2-7c4b-7d1e-9a8b-5c6d7e8f9a0b", "version": 4, "synced_version": 4,
    "pending": false,
    "last_answer": {"version": 4, "accepted": true, "error": null, "recorded_at": "2024-01-08T02:00:05Z"}
}))]
pub struct SyncState {
    pub dossier_id: String,
    /// The dossier's current version: the one the portal must take for the dossier to be synced.
    pub version: i64,
    /// The newest version the portal accepted; null when it accepted none.
    #[schema(required = true)]
    pub synced_version: Option<i64>,
    /// True until the portal accepts the current version.
    pub pending: bool,
    /// The answer for the newest version answered; null when none was recorded.
    #[schema(required = true)]
    pub last_answer: Option<SyncAnswer>,
}

/// A page of the dossiers still to forward. Its own type rather than `Page<PendingDossier>`, so
/// that the contract names `PendingDossier` where it is used.
#[derive(Debug, Serialize, ToSchema)]
pub struct PendingPage {
    pub items: Vec<PendingDossier>,
    /// Pass as `cursor` for the next page; null on the last one.
    pub next_cursor: Option<String>,
}

/// A dossier whose current version the portal has not accepted yet.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct PendingDossier {
    pub id: String,
    pub code: String,
    pub agency_id: String,
    #[schema(required = true)]
    pub external_ref: Option<String>,
    /// The current version, to forward and then acknowledge.
    pub version: i64,
    /// When the current version was written: the list is oldest first.
    pub updated_at: DateTime<Utc>,
    /// The answer for the newest version answered (a refusal of the current version says why it
    /// is still here); null when the portal never answered for this dossier.
    #[schema(required = true)]
    pub last_answer: Option<SyncAnswer>,
}

/// One step of a dossier's handling, as the portal's progress update takes it
/// (`CapNhatTienDoHoSoMC`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct ProgressStep {
    /// Who handled it: the officer's full name, the service account's name, "Công dân" for the
    /// applicant's own step; null when nobody is on record.
    #[serde(rename = "NguoiXuLy")]
    #[schema(required = true, example = "Trần Thị Cúc")]
    pub nguoi_xu_ly: Option<String>,
    /// Their title: the role's Vietnamese label; null for systems and the applicant.
    #[serde(rename = "ChucDanh")]
    #[schema(required = true)]
    pub chuc_danh: Option<String>,
    /// Their unit: the agency they belong to (a system's: the dossier's agency).
    #[serde(rename = "PhongBanXuLy")]
    #[schema(required = true)]
    pub phong_ban_xu_ly: Option<String>,
    /// What was done, in Vietnamese (the lifecycle action's label).
    #[serde(rename = "NoiDungXuLy")]
    #[schema(example = "Tiếp nhận hồ sơ")]
    pub noi_dung_xu_ly: String,
    /// When, `yyyyMMddHHmmss` in Vietnam time.
    #[serde(rename = "ThoiDiemXuLy")]
    #[schema(pattern = "^[0-9]{14}$", example = "20240108090000")]
    pub thoi_diem_xu_ly: String,
    /// The portal's status code after the step (as `TrangThaiHoSo`).
    #[serde(rename = "TrangThai")]
    #[schema(minimum = 1, maximum = 10)]
    pub trang_thai: u8,
}

/// A dossier's handling so far, step by step, oldest first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct DvcqgProgress {
    /// As in the sync record.
    #[serde(rename = "MaHoSo")]
    pub ma_ho_so: String,
    #[serde(rename = "QuaTrinhXuLy")]
    pub qua_trinh_xu_ly: Vec<ProgressStep>,
    /// motcua's id of the dossier.
    pub id: String,
    /// The dossier's version these steps lead to.
    pub version: i64,
}
