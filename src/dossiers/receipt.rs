//! The printable receipt and appointment slip (form 01, Circular 01/2018/TT-VPCP), in Vietnamese.

use chrono::{DateTime, Utc};

use super::views::Receipt;
use crate::clock::vietnam;
use crate::vietnamese::{escape_html as escape, thousands as vnd};

/// "16 giờ 00 phút, ngày 08/01/2024" in Vietnam time.
fn vietnamese_instant(at: DateTime<Utc>) -> String {
    at.with_timezone(&vietnam()).format("%H giờ %M phút, ngày %d/%m/%Y").to_string()
}

pub fn html(r: &Receipt) -> String {
    let mut components = String::new();
    for (i, c) in r.components.iter().enumerate() {
        let mark = if c.reused_from_store {
            " (khai thác từ kho dữ liệu)"
        } else if c.digitized {
            " (đã số hóa)"
        } else {
            ""
        };
        let files = match c.files.is_empty() {
            true => String::new(),
            false => format!(
                "<br><small>Tệp: {}</small>",
                c.files.iter().map(|f| escape(f)).collect::<Vec<_>>().join("; ")
            ),
        };
        components.push_str(&format!(
            "<tr><td>{}</td><td>{}{}{}</td></tr>\n",
            i + 1,
            escape(&c.name),
            mark,
            files
        ));
    }
    let optional = |label: &str, value: &Option<String>| match value {
        Some(v) => format!("<p>{label}: {}</p>\n", escape(v)),
        None => String::new(),
    };
    format!(
        r#"<!DOCTYPE html>
<html lang="vi">
<head><meta charset="utf-8"><title>Giấy tiếp nhận hồ sơ và hẹn trả kết quả {code}</title>
<style>body{{font-family:"Times New Roman",serif;max-width:18cm;margin:1cm auto;font-size:13pt}}
h1{{font-size:14pt;text-align:center;text-transform:uppercase}}table{{border-collapse:collapse;width:100%}}
td{{border:1px solid #000;padding:4px}}.right{{text-align:right}}</style></head>
<body>
<p><strong>{agency}</strong><br>BỘ PHẬN TIẾP NHẬN VÀ TRẢ KẾT QUẢ</p>
<p class="right"><strong>CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM</strong><br>Độc lập - Tự do - Hạnh phúc</p>
<p>Mã hồ sơ: <strong>{code}</strong></p>
<h1>Giấy tiếp nhận hồ sơ và hẹn trả kết quả</h1>
<p>Bộ phận tiếp nhận và trả kết quả {agency} tiếp nhận hồ sơ của: <strong>{applicant}</strong></p>
{address}{phone}<p>Nội dung yêu cầu giải quyết: {procedure} (mã thủ tục {procedure_code})</p>
<p>Thành phần hồ sơ:</p>
<table>
{components}</table>
<p>Thời gian nhận hồ sơ: {accepted}</p>
<p>Thời gian trả kết quả giải quyết hồ sơ: <strong>{appointment}</strong></p>
<p>Phí, lệ phí: {fee} đồng</p>
<p>Người tiếp nhận: {received_by}</p>
{lookup}</body>
</html>
"#,
        code = escape(&r.dossier_code),
        agency = escape(&r.agency_name),
        applicant = escape(&r.applicant_name),
        address = optional("Địa chỉ", &r.applicant_address),
        phone = optional("Số điện thoại", &r.applicant_phone),
        procedure = escape(&r.procedure_name),
        procedure_code = escape(&r.procedure_code),
        components = components,
        accepted = vietnamese_instant(r.accepted_at),
        appointment = vietnamese_instant(r.appointment_at),
        fee = vnd(r.fee),
        received_by = r.received_by.as_deref().map(escape).unwrap_or_else(|| "—".into()),
        lookup = match &r.lookup_path {
            Some(path) => format!(
                "<p>Tra cứu tình trạng hồ sơ: {} với mã kiểm tra là 4 chữ số cuối của số điện \
                 thoại hoặc số giấy tờ tùy thân của người nộp (?check=…)</p>\n",
                escape(path)
            ),
            None => String::new(),
        },
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn money_and_time_in_vietnamese_format() {
        assert_eq!(vnd(0), "0");
        assert_eq!(vnd(2000), "2.000");
        assert_eq!(vnd(1234567), "1.234.567");
        let at = DateTime::parse_from_rfc3339("2024-01-08T09:00:00Z").unwrap().with_timezone(&Utc);
        assert_eq!(vietnamese_instant(at), "16 giờ 00 phút, ngày 08/01/2024");
        assert_eq!(escape("<a & 'b'>"), "&lt;a &amp; &#39;b&#39;&gt;");
    }
}
