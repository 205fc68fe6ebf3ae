//! Display labels, in Vietnamese and English, of every enum a front end shows: one exhaustive
//! `match` per enum, so a new variant does not compile without its label. The Vietnamese terms
//! are those of the seed report and of the one-stop decrees where they exist.

use crate::agencies::model::AgencyLevel;
use crate::auth::role::Role;
use crate::calendar::model::DayKind;
use crate::catalogue::model::{ProcedureLevel, TimeUnit};
use crate::dossiers::lifecycle::{Action, Status};
use crate::dossiers::model::{ApplicantKind, Outcome, PaymentMethod, WorklistKind};
use crate::enums::{Channel, Level as SurveyLevel, OnlineService};
use crate::feedback::lifecycle::FeedbackStatus;
use crate::feedback::model::{FeedbackChannel, FeedbackWorklistKind};
use crate::i18n::Text;
use crate::labels::Labelled;
use crate::reports::model::{Granularity, ResponsibleKind};
use crate::reports::targets::Indicator;
use crate::surveys::model::Source as SurveySource;

const fn t(vi: &'static str, en: &'static str) -> Text {
    Text::fixed(vi, en)
}

impl Labelled for Status {
    const ALL: &'static [Self] = &Status::ALL;
    fn label(self) -> Text {
        match self {
            Status::Submitted => t("Chờ tiếp nhận", "Awaiting acceptance"),
            Status::SupplementRequested => t("Yêu cầu bổ sung hồ sơ", "Supplement requested"),
            Status::Processing => t("Đang giải quyết", "Being processed"),
            Status::Resolved => t("Đã giải quyết", "Resolved"),
            Status::Returned => t("Đã trả kết quả", "Result returned"),
            Status::Rejected => t("Từ chối tiếp nhận", "Refused at reception"),
            Status::Withdrawn => t("Đã rút hồ sơ", "Withdrawn"),
        }
    }
}

impl Labelled for Action {
    const ALL: &'static [Self] = &Action::ALL;
    fn label(self) -> Text {
        match self {
            Action::Accept => t("Tiếp nhận hồ sơ", "Accept"),
            Action::RequestSupplement => t("Yêu cầu bổ sung hồ sơ", "Request a supplement"),
            Action::Supplement => t("Bổ sung hồ sơ", "Supplement"),
            Action::Assign => t("Phân công xử lý", "Assign"),
            Action::Resolve => t("Giải quyết hồ sơ", "Resolve"),
            Action::Return => t("Trả kết quả", "Return the result"),
            Action::Withdraw => t("Rút hồ sơ", "Withdraw"),
            Action::Reject => t("Từ chối tiếp nhận", "Refuse at reception"),
            Action::Apologize => t("Xin lỗi và hẹn lại ngày trả kết quả", "Apologize with a new appointment"),
        }
    }
}

impl Labelled for Channel {
    const ALL: &'static [Self] = Channel::ALL;
    fn label(self) -> Text {
        match self {
            Channel::Online => t("Trực tuyến", "Online"),
            Channel::Direct => t("Trực tiếp", "At the desk"),
            Channel::Postal => t("Qua dịch vụ bưu chính công ích", "By public postal service"),
        }
    }
}

impl Labelled for ApplicantKind {
    const ALL: &'static [Self] = ApplicantKind::ALL;
    fn label(self) -> Text {
        match self {
            ApplicantKind::Citizen => t("Công dân", "Citizen"),
            ApplicantKind::Organization => t("Tổ chức, doanh nghiệp", "Organization"),
        }
    }
}

impl Labelled for PaymentMethod {
    const ALL: &'static [Self] = PaymentMethod::ALL;
    fn label(self) -> Text {
        match self {
            PaymentMethod::Online => t("Thanh toán trực tuyến", "Online payment"),
            PaymentMethod::Cash => t("Tiền mặt", "Cash"),
            PaymentMethod::Transfer => t("Chuyển khoản", "Bank transfer"),
        }
    }
}

impl Labelled for Outcome {
    const ALL: &'static [Self] = Outcome::ALL;
    fn label(self) -> Text {
        match self {
            Outcome::Approved => t("Chấp thuận", "Approved"),
            Outcome::Refused => t("Từ chối giải quyết (có nêu lý do)", "Refused, with reasons"),
        }
    }
}

impl Labelled for WorklistKind {
    const ALL: &'static [Self] =
        &[WorklistKind::Overdue, WorklistKind::DueSoon, WorklistKind::AwaitingAcceptance];
    fn label(self) -> Text {
        match self {
            WorklistKind::Overdue => t("Quá hạn", "Overdue"),
            WorklistKind::DueSoon => t("Sắp đến hạn", "Due soon"),
            WorklistKind::AwaitingAcceptance => {
                t("Chờ tiếp nhận quá 8 giờ làm việc", "Awaiting acceptance for over 8 working hours")
            }
        }
    }
}

impl Labelled for ProcedureLevel {
    const ALL: &'static [Self] = ProcedureLevel::ALL;
    fn label(self) -> Text {
        match self {
            ProcedureLevel::Central => t("Cấp trung ương", "Central"),
            ProcedureLevel::Province => t("Cấp tỉnh", "Province"),
            ProcedureLevel::District => t("Cấp huyện", "District"),
            ProcedureLevel::Commune => t("Cấp xã", "Commune"),
        }
    }
}

impl Labelled for OnlineService {
    const ALL: &'static [Self] = OnlineService::ALL;
    fn label(self) -> Text {
        match self {
            OnlineService::Full => t("Dịch vụ công trực tuyến toàn trình", "Full online service"),
            OnlineService::Partial => t("Dịch vụ công trực tuyến một phần", "Partial online service"),
            OnlineService::None => t("Không có dịch vụ công trực tuyến", "No online service"),
        }
    }
}

impl Labelled for TimeUnit {
    const ALL: &'static [Self] = TimeUnit::ALL;
    fn label(self) -> Text {
        match self {
            TimeUnit::WorkingDays => t("Ngày làm việc", "Working days"),
            TimeUnit::WorkingHours => t("Giờ làm việc", "Working hours"),
        }
    }
}

impl Labelled for AgencyLevel {
    const ALL: &'static [Self] = AgencyLevel::ALL;
    fn label(self) -> Text {
        match self {
            AgencyLevel::Province => t("Tỉnh, thành phố", "Province"),
            AgencyLevel::District => t("Huyện (trước ngày 01/7/2025)", "District (before 1 July 2025)"),
            AgencyLevel::Commune => t("Xã, phường, đặc khu", "Commune, ward or special zone"),
        }
    }
}

impl Labelled for Role {
    const ALL: &'static [Self] = &Role::ALL;
    fn label(self) -> Text {
        match self {
            Role::Admin => t("Quản trị viên", "Administrator"),
            Role::Leader => t("Lãnh đạo", "Leader"),
            Role::Officer => t("Cán bộ, công chức một cửa", "One-stop officer"),
            Role::Integration => t("Tài khoản tích hợp", "Integration account"),
            Role::Citizen => t("Công dân", "Citizen"),
        }
    }
}

impl Labelled for DayKind {
    const ALL: &'static [Self] = DayKind::ALL;
    fn label(self) -> Text {
        match self {
            DayKind::Holiday => t("Ngày lễ, Tết", "Public holiday"),
            DayKind::Compensatory => t("Nghỉ bù", "Compensatory day off"),
            DayKind::MakeUpWorkday => t("Làm bù", "Make-up working day"),
        }
    }
}

impl Labelled for FeedbackChannel {
    const ALL: &'static [Self] = FeedbackChannel::ALL;
    fn label(self) -> Text {
        match self {
            FeedbackChannel::NationalPortal => {
                t("Hệ thống PAKN Cổng Dịch vụ công quốc gia", "National public-service portal")
            }
            FeedbackChannel::ProvincialPortal => {
                t("Cổng Dịch vụ công của tỉnh", "Provincial public-service portal")
            }
            FeedbackChannel::Direct => t("Trực tiếp", "At the desk"),
            FeedbackChannel::Hotline => t("Đường dây nóng", "Hotline"),
            FeedbackChannel::Email => t("Thư điện tử", "E-mail"),
            FeedbackChannel::Other => t("Khác", "Other"),
        }
    }
}

impl Labelled for FeedbackStatus {
    const ALL: &'static [Self] = FeedbackStatus::ALL;
    fn label(self) -> Text {
        match self {
            FeedbackStatus::Received => t("Đã tiếp nhận", "Received"),
            FeedbackStatus::Processing => t("Đang xử lý", "Being processed"),
            FeedbackStatus::Resolved => t("Đã trả lời", "Answered"),
            FeedbackStatus::Rejected => t("Từ chối xử lý", "Rejected"),
        }
    }
}

impl Labelled for FeedbackWorklistKind {
    const ALL: &'static [Self] = &[FeedbackWorklistKind::Overdue, FeedbackWorklistKind::DueSoon];
    fn label(self) -> Text {
        match self {
            FeedbackWorklistKind::Overdue => t("Quá hạn", "Overdue"),
            FeedbackWorklistKind::DueSoon => t("Sắp đến hạn", "Due soon"),
        }
    }
}

impl Labelled for SurveyLevel {
    const ALL: &'static [Self] = SurveyLevel::ALL;
    fn label(self) -> Text {
        match self {
            SurveyLevel::VerySatisfied => t("Rất hài lòng", "Very satisfied"),
            SurveyLevel::Satisfied => t("Hài lòng", "Satisfied"),
            SurveyLevel::Unsatisfied => t("Không hài lòng", "Unsatisfied"),
        }
    }
}

impl Labelled for SurveySource {
    const ALL: &'static [Self] = SurveySource::ALL;
    fn label(self) -> Text {
        match self {
            SurveySource::Citizen => t("Công dân tự đánh giá", "By the citizen"),
            SurveySource::Kiosk => t("Thiết bị đánh giá tại Bộ phận một cửa", "Desk kiosk"),
            SurveySource::Paper => t("Phiếu giấy", "Paper form"),
            SurveySource::Import => t("Nhập từ hệ thống cũ", "Imported"),
        }
    }
}

impl Labelled for Indicator {
    const ALL: &'static [Self] = Indicator::ALL;
    fn label(self) -> Text {
        match self {
            Indicator::LateRate => t("Tỷ lệ hồ sơ giải quyết quá hạn", "Late resolution rate"),
            Indicator::OnTimeRate => t("Tỷ lệ hồ sơ giải quyết đúng hạn", "On-time resolution rate"),
            Indicator::AcceptanceRate => t(
                "Tỷ lệ hồ sơ trực tuyến được tiếp nhận đúng hạn (8 giờ làm việc)",
                "Online dossiers accepted within 8 working hours",
            ),
            Indicator::PaymentProcedureRate => {
                t("Tỷ lệ TTHC có giao dịch thanh toán trực tuyến", "Procedures with online payments")
            }
            Indicator::PaymentDossierRate => t("Tỷ lệ hồ sơ thanh toán trực tuyến", "Dossiers paid online"),
            Indicator::DigitizationReceptionRate => {
                t("Tỷ lệ số hóa hồ sơ khi tiếp nhận", "Dossiers digitized at reception")
            }
            Indicator::DigitizationResultRate => t("Tỷ lệ số hóa kết quả giải quyết", "Results digitized"),
            Indicator::PostingRate => t("Tỷ lệ TTHC được niêm yết đúng hạn", "Procedures posted on time"),
        }
    }
}

impl Labelled for ResponsibleKind {
    const ALL: &'static [Self] =
        &[ResponsibleKind::User, ResponsibleKind::ServiceAccount, ResponsibleKind::Agency];
    fn label(self) -> Text {
        match self {
            ResponsibleKind::User => t("Cán bộ, công chức", "Officer"),
            ResponsibleKind::ServiceAccount => t("Tài khoản tích hợp", "Service account"),
            ResponsibleKind::Agency => t("Cơ quan, đơn vị", "Agency"),
        }
    }
}

impl Labelled for Granularity {
    const ALL: &'static [Self] = &[Granularity::Day, Granularity::Week, Granularity::Month];
    fn label(self) -> Text {
        match self {
            Granularity::Day => t("Ngày", "Day"),
            Granularity::Week => t("Tuần", "Week"),
            Granularity::Month => t("Tháng", "Month"),
        }
    }
}
