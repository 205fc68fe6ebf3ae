//! The national public-service portal (Cổng Dịch vụ công quốc gia, dichvucong.gov.vn):
//! `GET /api/v1/integrations/dvcqg/dossiers/{id}` answers one dossier in the portal's sync shape,
//! so that an adapter for the national or a provincial portal only forwards it (api.md).
//!
//! `mapping` is pure (a dossier row, its procedure and its agency's code in, the shape out; no
//! HTTP, no SQL, no clock) and unit-tested alone; `routes` loads the three within the caller's
//! visibility; `model` is the response.
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
//! - `id` and `external_ref`, motcua's own (hence snake_case, so they cannot be mistaken for the
//!   portal's): the adapter's bookkeeping, e.g. matching a dossier that came from the portal
//!   to the portal's own code. A forwarder drops them.
//!
//! Not included: the applicant's identity number and contacts. Service accounts never see
//! them (`dossiers::access::sees_personal_data`), and the portal's status sync does not need
//! them; the full name is shown to every caller who may see the dossier, as in `GET
//! /api/v1/dossiers/{id}`.
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
//! - `MaLinhVuc`: the catalogue's field as it names it ("Hộ tịch"): the catalogue keeps no
//!   separate field code, so an adapter that must send the portal's numeric code maps it.
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

pub mod mapping;
pub mod model;
pub mod routes;
