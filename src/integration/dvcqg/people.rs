//! The applicant's identity number and contacts in the portal's record (`SoGiayToChuHoSo`,
//! `SoDienThoai`, `Email`), pure: only for a caller who sees personal data
//! (`dossiers::access::sees_personal_data`: staff, and service accounts an administrator granted
//! `personal_data`); null for everyone else, so the fields are always present.

use super::model::DvcqgDossier;
use crate::dossiers::row::DossierRow;

/// Fill the applicant's identity number and contacts from the row, for a caller who sees them.
pub fn reveal(dossier: &mut DvcqgDossier, row: &DossierRow) {
    dossier.so_giay_to_chu_ho_so = row.applicant_id_number.clone();
    dossier.so_dien_thoai = row.applicant_phone.clone();
    dossier.email = row.applicant_email.clone();
}

#[cfg(test)]
mod tests {
    use super::super::mapping::tests::{PROCEDURE, map, row};
    use super::*;

    #[test]
    fn contacts_only_when_revealed_and_null_otherwise() {
        let mut row = row();
        row.applicant_email = Some("an.nguyen@example.vn".into());
        let mut dossier = map(&row);
        let hidden = serde_json::to_value(&dossier).unwrap();
        for field in ["SoGiayToChuHoSo", "SoDienThoai", "Email"] {
            assert_eq!(hidden[field], serde_json::Value::Null, "{field} present and null");
        }
        reveal(&mut dossier, &row);
        let shown = serde_json::to_value(&dossier).unwrap();
        assert_eq!(shown["SoGiayToChuHoSo"], "051090001234");
        assert_eq!(shown["SoDienThoai"], "0912345678");
        assert_eq!(shown["Email"], "an.nguyen@example.vn");
        assert_eq!(shown["TenTTHC"], PROCEDURE.name, "the rest unchanged");
    }
}
