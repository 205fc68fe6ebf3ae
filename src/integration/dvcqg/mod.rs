//! The national public-service portal (Cổng Dịch vụ công quốc gia, dichvucong.gov.vn):
//! `GET /api/v1/integrations/dvcqg/dossiers/{id}` answers one dossier in the portal's sync shape,
//! so that an adapter for the national or a provincial portal only forwards it (api.md).
//!
//! `GET …/dvcqg/dossiers/{id}/progress` gives its history as the portal's progress update
//! (`CapNhatTienDoHoSoMC`; `progress` is the pure mapping, its doc says who is named how).
//! `POST …/dvcqg/dossiers/{id}/sync` records what the portal answered to the record of one
//! version, and `GET …/dvcqg/pending` lists the dossiers whose current version it has not
//! accepted, oldest change first, so that an adapter resumes after an outage.
//!
//! `mapping` is pure (a dossier row, its procedure and its agency's code in, the shape out; no
//! HTTP, no SQL, no clock) and unit-tested alone, with its topics beside it: `status` (the status
//! table below), `fees`, `people` (the applicant's identity number and contacts, for a caller
//! who sees them) and `supplements` (the supplement request, from the row and its history); so
//! is `sync` (how an answer's version is judged, when a dossier is synced); `store` holds the
//! answers' queries (`portal_syncs`), `routes` loads within the caller's visibility; `model` is
//! the requests and responses.
//!
//! # Sync acknowledgements
//! - The version is the dossier's own `version`, the optimistic-concurrency counter every write
//!   moves on (it is also the ETag's): no second counter to keep in step. The record carries it.
//! - Synced means the portal accepted the *current* version. The record is the whole dossier, so
//!   accepting the latest covers every change before it; intermediate versions need no answer.
//! - An answer for an older version is recorded (it is what the portal said) but does not clear
//!   the pending state; a version the dossier never had is refused (422 naming `version`), since
//!   it would mark a change as synced before it happened. An `error` goes with a refusal only.
//! - One row per dossier and version; a later answer for the same version replaces the earlier
//!   one (a refusal fixed and retried), which also makes repeating a request harmless, so the
//!   operation needs no `Idempotency-Key`.
//! - Answers are bookkeeping of the integration, not changes to the dossier: no event (an adapter
//!   subscribed to `dossier.*` would otherwise be told of its own answers), no new version. The
//!   row records who answered and when.
//! - Who: admins and service accounts (the feed's readers), for the dossiers of their agencies.
//! - The report's `portal_sync` (docs/report.md) counts the period's dossiers whose current
//!   version was accepted.
//!
//! # The shape
//! The portal's field names, exactly: `MaHoSo` (the portal's code, `external_ref`, for a dossier
//! that came from the portal, so a forwarder updates its record; else motcua's code), `MaTTHC`, `TenTTHC`,
//! `MaLinhVuc` (the procedure's code, name and field), `ChuHoSo` (the applicant's full name),
//! `LoaiDoiTuong`, `NgayTiepNhan` (accepted), `NgayHenTra` (appointment), `NgayKetThucXuLy`
//! (resolved), `NgayTra` (returned), `TrangThaiHoSo`, `KenhThucHien`, `DuocThanhToanTrucTuyen`,
//! `HoSoCoThanhPhanSoHoa`. Every field is always present; an absent date is `null`, not left out,
//! so a forwarder that overwrites the portal's record clears what it should.
//!
//! Added beyond api.md's list:
//! - `MaCoQuan`, the receiving agency's code: the portal files dossiers by the agency that
//!   handles them, and the agency's code is also the prefix of `MaHoSo`.
//! - `NgayNopHoSo`, when the dossier reached the system: the only date an online dossier
//!   awaiting receipt (status 1) has, and what the portal's indicators fall back on without
//!   `NgayTiepNhan`.
//! - `id`, `external_ref` and `version`, motcua's own (hence snake_case, so they cannot be
//!   mistaken for the portal's): the adapter's bookkeeping, e.g. matching a dossier that came
//!   from the portal to the portal's own code, and the version to acknowledge. A forwarder drops
//!   them.
//!
//! # Personal data
//! `SoGiayToChuHoSo` (identity number, or an organization's tax code), `SoDienThoai` and `Email`
//! carry the applicant's, for a caller who sees personal data (`dossiers::access::
//! sees_personal_data`): the agency's staff, and a service account an administrator granted
//! `personal_data` (`service_accounts`; granting and withdrawing audited under their own actions,
//! and read from the account, not the token, so a withdrawal holds for tokens already issued).
//! For other service accounts they are present and null. The reading's audit entry says which
//! (`personal_fields`), as `GET /api/v1/dossiers/{id}`'s does. The full name (`ChuHoSo`) is shown
//! to every caller who may see the dossier, as there.
//!
//! The names are the portal's `DongBoHoSoMC` body's, as the open-source adapters build it:
//! OpenCPS v2's DVCQG integration sends `SoDienThoai` and `Email` (and `Fax`, the phone again:
//! not sent), and a .NET portal adapter (TD.DichVuCongApi's `HoSoDongBoDVC`) sends the
//! applicant's paper number as `SoGiayToChuHoSo`. The address has no field of its own there
//! (`ThongTinKhac` is free text): not sent.
//!
//! # Values
//! - Dates: `yyyyMMddHHmmss` in Vietnam time (UTC+7 all year, no daylight saving), so 18:30 UTC
//!   on 31 December is `0101013000` of the next year. Seconds are kept, fractions dropped.
//! - `NgayHenTra`: `appointment_at` (the promised return time; it equals `due_at` until an
//!   apology sets a new one), falling back to `due_at`; null before acceptance.
//! - `NgayKetThucXuLy`: `resolved_at`, for an approval and a reasoned refusal alike. A withdrawn
//!   or rejected dossier has none: it was not processed to an end.
//! - `KenhThucHien`: direct 1, online 2, postal 3 (domain.md).
//! - `LoaiDoiTuong`: citizen 1; organization 3. The portal tells enterprises (2) from other
//!   organizations (3), motcua does not (both give a tax code), and 3 is the class that holds
//!   both, where 2 would be wrong for an association or a school. An adapter that knows better
//!   (from the business register, say) may override it.
//! - `DuocThanhToanTrucTuyen`: 1 when the fee was paid with the `online` method, else 0
//!   (cash, transfer, no payment, or no fee). The portal also has 2 for payment through a
//!   provincial payment gateway rather than its own; motcua does not record which gateway,
//!   so it never says 2.
//! - `HoSoCoThanhPhanSoHoa`: 1 when at least one component is digitized or reused from the
//!   citizen's electronic data store (both exist electronically), else 0. Unlike the report's
//!   `reception_digitized`, which needs every component, this says "has digitized components",
//!   as the portal's name does, and follows later digitization.
//! - `MaTTHC`: the procedure's national code: its `national_code` when an admin mapped a local
//!   procedure to the national catalogue, else its own `code`.
//! - `MaLinhVuc`: the field's national code (the procedure's `field_code`), or its name when the
//!   catalogue has no code for it ("Hộ tịch"), so that an adapter sees what it must map.
//! - `TenLinhVuc`: the field by name.
//! - `TrichYeuHoSo`: `{TenTTHC}: {ChuHoSo}`, one line: what is asked and for whom, built from
//!   what the portal already receives (no new personal data).
//! - `DonViXuLy`: the name of the agency handling the dossier now: the one it was transferred to
//!   for joint processing while it holds it, else the reception agency (whose code is
//!   `MaCoQuan`).
//! - `DanhSachLePhi`: one fee (`TenPhiLePhi` "Lệ phí"; motcua keeps one per procedure, taken at
//!   intake), `SoTien` what was paid or else the procedure's fee, `DaThanhToan` 0/1 and
//!   `HinhThucThu` motcua's payment method (`cash`, `transfer`, `online`; null before payment):
//!   the portal's codes for collection methods differ between portals, the adapter maps them.
//!   Empty when there is no fee and nothing was paid.
//! - `DanhSachHoSoBoSung`: the supplement requested, one at most (rule `supplement_once`):
//!   `NoiDungBoSung` its reason (the `request-supplement` step's note), `NgayBoSung` when it was
//!   asked for, `NgayTiepNhanBoSung` when it was received (the `supplement` step; null while
//!   awaited), `NgayHenTraTruoc` the appointment in force when it was asked for (null before
//!   acceptance: none yet) and `NgayHenTraMoi` the one the restarted clock set (null while
//!   awaited, and for a supplement before acceptance, when no clock ran). Empty when none was
//!   requested. The two appointments are kept on the dossier by the steps themselves
//!   (`appointment_before_supplement`, `appointment_after_supplement`, written by `steps::apply`
//!   for live steps and imported ones with `at` alike): one dossier has one supplement, so two
//!   columns hold it, where a column on every history row would be written by every step for this
//!   one list; and the current `appointment_at` will not do, since an apology after the
//!   supplement moves it. Dossiers supplemented before the columns existed show null
//!   appointments. The names are the portal's as OpenCPS lists them; its other fields (who asked,
//!   who received, the files and fees of the supplement) are not sent: motcua records the step's
//!   actor in the progress (`…/progress`) and keeps no separate supplement files or fees.
//! - `TaiLieuNop` (the component scans, with the component's name) and `DanhSachGiayToKetQua`
//!   (the result papers): each file with a signed link (`src/dossiers/files/link.rs`) that opens
//!   it without a token for 5 minutes (`links_expire_at`), long enough for the adapter to fetch
//!   and forward it, short enough not to outlive the forward. The links are issued to the
//!   caller, and the audit entry of the read counts them (`file_links`). Empty lists until files
//!   are uploaded.
//!
//! # Status (`TrangThaiHoSo`, domain.md's codes)
//! | motcua status          | portal code                                                   |
//! |------------------------|---------------------------------------------------------------|
//! | `submitted`            | 1 newly registered: online, awaiting official receipt          |
//! | `processing`           | 2 received, until an officer is assigned; then 4 processing    |
//! | `supplement_requested` | 5 supplement requested (before or after acceptance alike)      |
//! | `rejected`             | 3 not received: refused at reception                           |
//! | `withdrawn`            | 8 stopped                                                      |
//! | `resolved`             | 9 processed (approved or refused)                              |
//! | `returned`             | 10 result returned                                             |
//!
//! Reasons:
//! - `processing` is 2 then 4 because domain.md separates the desk that receives from the
//!   specialist who processes: an accepted dossier nobody was assigned to still sits at the
//!   reception desk; assignment hands it on. The lifecycle keeps the assignee, so the rule needs
//!   no extra state. A `submitted` dossier with an assignee is still 1: it is not received yet.
//! - `withdrawn` is 8, not 7: 7 is a citizen's *request* to withdraw, still to be decided,
//!   while motcua's withdrawal takes effect at once and ends the dossier; the status also
//!   covers the desk stopping a dossier (domain.md), which is 8 itself.
//! - 6 (financial obligation requested) is never produced: motcua takes the fee at intake and
//!   has no state in which a dossier waits for a payment.
//!
//! # Result delivery (`HinhThuc`)
//! | motcua `result_delivery` | portal code                                              |
//! |--------------------------|----------------------------------------------------------|
//! | `desk` (the default)     | 0 handed over at the reception and result desk           |
//! | `post`                   | 1 sent by public postal service (bưu chính công ích)     |
//! | `online`                 | 0: the portal has no electronic code                     |
//!
//! The dossier records it at intake (`NewDossier::result_delivery`, from the desk, the portal
//! or the citizen; another value is 422 naming it), `desk` when not given and for dossiers from
//! before it was recorded (the column's default). The codes are OpenCPS v2's: 1 when the result
//! goes by post, else 0; no adapter found sends a third value, so an electronic result is 0 (not
//! posted), and its files travel in `DanhSachGiayToKetQua`. The dossier's own view says `online`.

pub mod fees;
pub mod mapping;
pub mod model;
pub mod people;
pub mod progress;
pub mod routes;
pub mod status;
pub mod store;
pub mod supplements;
pub mod sync;
