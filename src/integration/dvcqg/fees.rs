//! `DanhSachLePhi`, pure: the dossier's fee and how it was paid.

use super::mapping::flag;
use super::model::PortalFee;
use crate::dossiers::model::PaymentMethod;
use crate::dossiers::row::DossierRow;

/// `DanhSachLePhi`: the procedure's fee as the dossier carries it (motcua keeps one fee per
/// procedure, taken at intake), with how it was paid; empty when there is no fee and nothing
/// was paid.
pub fn fees(row: &DossierRow) -> anyhow::Result<Vec<PortalFee>> {
    let method = row.payment_method.as_deref().map(PaymentMethod::from_db).transpose()?;
    if row.fee == 0 && method.is_none() {
        return Ok(Vec::new());
    }
    Ok(vec![PortalFee {
        ten_phi_le_phi: "Lệ phí".to_owned(),
        so_tien: row.payment_amount.unwrap_or(row.fee),
        da_thanh_toan: flag(method.is_some()),
        hinh_thuc_thu: method.map(|m| m.as_str().to_owned()),
    }])
}

#[cfg(test)]
mod tests {
    use super::super::mapping::tests::row;
    use super::*;

    #[test]
    fn fees_and_how_they_were_paid() {
        let mut row = row();
        row.fee = 8_000;
        let listed = serde_json::to_value(fees(&row).unwrap()).unwrap();
        assert_eq!(
            listed,
            serde_json::json!([{"TenPhiLePhi": "Lệ phí", "SoTien": 8000, "DaThanhToan": 0, "HinhThucThu": null}]),
            "a fee not paid yet"
        );
        row.payment_method = Some("transfer".into());
        row.payment_amount = Some(10_000);
        let listed = serde_json::to_value(fees(&row).unwrap()).unwrap();
        assert_eq!(listed[0]["SoTien"], 10_000, "what was paid");
        assert_eq!(
            (&listed[0]["DaThanhToan"], &listed[0]["HinhThucThu"]),
            (&serde_json::json!(1), &serde_json::json!("transfer"))
        );
    }
}
