//! Display labels, in Vietnamese and English, of every enum a front end shows: one exhaustive
//! `match` per enum, so a new variant does not compile without its label. The Vietnamese terms
//! are those of the seed report and of the one-stop decrees where they exist.

use crate::agencies::model::AgencyLevel;
use crate::audit::{Action as AuditAction, ActorKind, SubjectType as AuditSubject};
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

/// The `Labelled` impl of an enum: every variant in the order of the declaration (`ALL`), and each
/// variant's label in Vietnamese and English. The `match` it expands to is exhaustive, so a new
/// variant does not compile without its label.
macro_rules! labelled {
    ($enum:ident, $all:expr, { $($variant:ident => ($vi:literal, $en:literal),)+ }) => {
        impl Labelled for $enum {
            const ALL: &'static [Self] = $all;
            fn label(self) -> Text {
                match self {
                    $($enum::$variant => Text::fixed($vi, $en),)+
                }
            }
        }
    };
}

labelled!(Status, &Status::ALL, {
    Submitted => ("Chờ tiếp nhận", "Awaiting acceptance"),
    SupplementRequested => ("Yêu cầu bổ sung hồ sơ", "Supplement requested"),
    Processing => ("Đang giải quyết", "Being processed"),
    AwaitingApproval => ("Chờ lãnh đạo phê duyệt", "Awaiting the leader's approval"),
    Resolved => ("Đã giải quyết", "Resolved"),
    Returned => ("Đã trả kết quả", "Result returned"),
    Rejected => ("Từ chối tiếp nhận", "Refused at reception"),
    Withdrawn => ("Đã rút hồ sơ", "Withdrawn"),
});

labelled!(Action, &Action::ALL, {
    Accept => ("Tiếp nhận hồ sơ", "Accept"),
    RequestSupplement => ("Yêu cầu bổ sung hồ sơ", "Request a supplement"),
    Supplement => ("Bổ sung hồ sơ", "Supplement"),
    Assign => ("Phân công xử lý", "Assign"),
    Resolve => ("Giải quyết hồ sơ", "Resolve"),
    Return => ("Trả kết quả", "Return the result"),
    Withdraw => ("Rút hồ sơ", "Withdraw"),
    Reject => ("Từ chối tiếp nhận", "Refuse at reception"),
    Apologize => ("Xin lỗi và hẹn lại ngày trả kết quả", "Apologize with a new appointment"),
    Approve => ("Lãnh đạo phê duyệt kết quả", "Approve the result"),
    SendBack => ("Lãnh đạo trả lại để xử lý lại", "Send back for rework"),
    Transfer => ("Chuyển hồ sơ liên thông", "Transfer to another agency"),
});

labelled!(Channel, Channel::ALL, {
    Online => ("Trực tuyến", "Online"),
    Direct => ("Trực tiếp", "At the desk"),
    Postal => ("Qua dịch vụ bưu chính công ích", "By public postal service"),
});

labelled!(ApplicantKind, ApplicantKind::ALL, {
    Citizen => ("Công dân", "Citizen"),
    Organization => ("Tổ chức, doanh nghiệp", "Organization"),
});

labelled!(PaymentMethod, PaymentMethod::ALL, {
    Online => ("Thanh toán trực tuyến", "Online payment"),
    Cash => ("Tiền mặt", "Cash"),
    Transfer => ("Chuyển khoản", "Bank transfer"),
});

labelled!(Outcome, Outcome::ALL, {
    Approved => ("Chấp thuận", "Approved"),
    Refused => ("Từ chối giải quyết (có nêu lý do)", "Refused, with reasons"),
});

labelled!(WorklistKind, &[
    WorklistKind::Overdue,
    WorklistKind::DueSoon,
    WorklistKind::AwaitingAcceptance,
    WorklistKind::AwaitingApproval,
    WorklistKind::Held,
], {
    Overdue => ("Quá hạn", "Overdue"),
    DueSoon => ("Sắp đến hạn", "Due soon"),
    AwaitingAcceptance => ("Chờ tiếp nhận quá 8 giờ làm việc", "Awaiting acceptance for over 8 working hours"),
    AwaitingApproval => ("Chờ lãnh đạo phê duyệt", "Awaiting the leader's approval"),
    Held => ("Hồ sơ liên thông được chuyển đến", "Transferred from another agency"),
});

labelled!(ProcedureLevel, ProcedureLevel::ALL, {
    Central => ("Cấp trung ương", "Central"),
    Province => ("Cấp tỉnh", "Province"),
    District => ("Cấp huyện", "District"),
    Commune => ("Cấp xã", "Commune"),
});

labelled!(OnlineService, OnlineService::ALL, {
    Full => ("Dịch vụ công trực tuyến toàn trình", "Full online service"),
    Partial => ("Dịch vụ công trực tuyến một phần", "Partial online service"),
    None => ("Không có dịch vụ công trực tuyến", "No online service"),
});

labelled!(TimeUnit, TimeUnit::ALL, {
    WorkingDays => ("Ngày làm việc", "Working days"),
    WorkingHours => ("Giờ làm việc", "Working hours"),
});

labelled!(AgencyLevel, AgencyLevel::ALL, {
    Province => ("Tỉnh, thành phố", "Province"),
    District => ("Huyện (trước ngày 01/7/2025)", "District (before 1 July 2025)"),
    Commune => ("Xã, phường, đặc khu", "Commune, ward or special zone"),
});

labelled!(Role, &Role::ALL, {
    Admin => ("Quản trị viên", "Administrator"),
    Leader => ("Lãnh đạo", "Leader"),
    Officer => ("Cán bộ, công chức một cửa", "One-stop officer"),
    Integration => ("Tài khoản tích hợp", "Integration account"),
    Citizen => ("Công dân", "Citizen"),
});

labelled!(DayKind, DayKind::ALL, {
    Holiday => ("Ngày lễ, Tết", "Public holiday"),
    Compensatory => ("Nghỉ bù", "Compensatory day off"),
    MakeUpWorkday => ("Làm bù", "Make-up working day"),
});

labelled!(FeedbackChannel, FeedbackChannel::ALL, {
    NationalPortal => ("Hệ thống PAKN Cổng Dịch vụ công quốc gia", "National public-service portal"),
    ProvincialPortal => ("Cổng Dịch vụ công của tỉnh", "Provincial public-service portal"),
    Direct => ("Trực tiếp", "At the desk"),
    Hotline => ("Đường dây nóng", "Hotline"),
    Email => ("Thư điện tử", "E-mail"),
    Other => ("Khác", "Other"),
});

labelled!(FeedbackStatus, FeedbackStatus::ALL, {
    Received => ("Đã tiếp nhận", "Received"),
    Processing => ("Đang xử lý", "Being processed"),
    Resolved => ("Đã trả lời", "Answered"),
    Rejected => ("Từ chối xử lý", "Rejected"),
});

labelled!(FeedbackWorklistKind, &[FeedbackWorklistKind::Overdue, FeedbackWorklistKind::DueSoon], {
    Overdue => ("Quá hạn", "Overdue"),
    DueSoon => ("Sắp đến hạn", "Due soon"),
});

labelled!(SurveyLevel, SurveyLevel::ALL, {
    VerySatisfied => ("Rất hài lòng", "Very satisfied"),
    Satisfied => ("Hài lòng", "Satisfied"),
    Unsatisfied => ("Không hài lòng", "Unsatisfied"),
});

labelled!(SurveySource, SurveySource::ALL, {
    Citizen => ("Công dân tự đánh giá", "By the citizen"),
    Kiosk => ("Thiết bị đánh giá tại Bộ phận một cửa", "Desk kiosk"),
    Paper => ("Phiếu giấy", "Paper form"),
    Import => ("Nhập từ hệ thống cũ", "Imported"),
});

labelled!(Indicator, Indicator::ALL, {
    LateRate => ("Tỷ lệ hồ sơ giải quyết quá hạn", "Late resolution rate"),
    OnTimeRate => ("Tỷ lệ hồ sơ giải quyết đúng hạn", "On-time resolution rate"),
    AcceptanceRate => ("Tỷ lệ hồ sơ trực tuyến được tiếp nhận đúng hạn (8 giờ làm việc)", "Online dossiers accepted within 8 working hours"),
    PaymentProcedureRate => ("Tỷ lệ TTHC có giao dịch thanh toán trực tuyến", "Procedures with online payments"),
    PaymentDossierRate => ("Tỷ lệ hồ sơ thanh toán trực tuyến", "Dossiers paid online"),
    DigitizationReceptionRate => ("Tỷ lệ số hóa hồ sơ khi tiếp nhận", "Dossiers digitized at reception"),
    DigitizationResultRate => ("Tỷ lệ số hóa kết quả giải quyết", "Results digitized"),
    PostingRate => ("Tỷ lệ TTHC được niêm yết đúng hạn", "Procedures posted on time"),
});

labelled!(ResponsibleKind, &[ResponsibleKind::User, ResponsibleKind::ServiceAccount, ResponsibleKind::Agency], {
    User => ("Cán bộ, công chức", "Officer"),
    ServiceAccount => ("Tài khoản tích hợp", "Service account"),
    Agency => ("Cơ quan, đơn vị", "Agency"),
});

labelled!(Granularity, &[Granularity::Day, Granularity::Week, Granularity::Month], {
    Day => ("Ngày", "Day"),
    Week => ("Tuần", "Week"),
    Month => ("Tháng", "Month"),
});

labelled!(AuditAction, &[
    AuditAction::SignIn, AuditAction::SignInRefused, AuditAction::RefreshReuse, AuditAction::Logout,
    AuditAction::UserCreated, AuditAction::UserRoleChanged, AuditAction::UserAgencyChanged,
    AuditAction::PasswordChanged, AuditAction::UserDeactivated, AuditAction::UserReactivated,
    AuditAction::SessionsRevoked, AuditAction::ServiceAccountChanged, AuditAction::ServiceAccountSecretIssued,
    AuditAction::ServiceAccountPersonalDataGranted, AuditAction::ServiceAccountPersonalDataWithdrawn,
    AuditAction::WebhookCreated, AuditAction::WebhookChanged, AuditAction::WebhookDeleted,
    AuditAction::DossierRead, AuditAction::DossierFileRead, AuditAction::Export,
], {
    SignIn => ("Đăng nhập", "Signed in"),
    SignInRefused => ("Đăng nhập bị từ chối", "Sign-in refused"),
    RefreshReuse => ("Refresh token đã dùng bị dùng lại", "Spent refresh token presented again"),
    Logout => ("Đăng xuất", "Signed out"),
    UserCreated => ("Tạo tài khoản", "Account created"),
    UserRoleChanged => ("Đổi vai trò", "Role changed"),
    UserAgencyChanged => ("Chuyển cơ quan, đơn vị", "Agency changed"),
    PasswordChanged => ("Đổi mật khẩu", "Password changed"),
    UserDeactivated => ("Khóa tài khoản", "Account deactivated"),
    UserReactivated => ("Mở khóa tài khoản", "Account reactivated"),
    SessionsRevoked => ("Chấm dứt mọi phiên đăng nhập", "Every session ended"),
    ServiceAccountChanged => ("Thay đổi tài khoản tích hợp", "Service account changed"),
    ServiceAccountSecretIssued => ("Cấp khóa bí mật cho tài khoản tích hợp", "Service account secret issued"),
    ServiceAccountPersonalDataGranted => ("Cấp quyền xem dữ liệu cá nhân cho tài khoản tích hợp", "Service account granted personal data"),
    ServiceAccountPersonalDataWithdrawn => ("Thu hồi quyền xem dữ liệu cá nhân của tài khoản tích hợp", "Service account's personal data withdrawn"),
    WebhookCreated => ("Tạo đăng ký webhook", "Webhook created"),
    WebhookChanged => ("Thay đổi đăng ký webhook", "Webhook changed"),
    WebhookDeleted => ("Xóa đăng ký webhook", "Webhook deleted"),
    DossierRead => ("Xem hồ sơ", "Dossier read"),
    DossierFileRead => ("Tải tệp của hồ sơ", "Dossier file downloaded"),
    Export => ("Xuất dữ liệu ra tệp", "Exported to a file"),
});

labelled!(ActorKind, &[ActorKind::User, ActorKind::Service, ActorKind::Anonymous], {
    User => ("Người dùng", "User"),
    Service => ("Tài khoản tích hợp", "Service account"),
    Anonymous => ("Chưa đăng nhập", "Not signed in"),
});

labelled!(AuditSubject, &[
    AuditSubject::User, AuditSubject::ServiceAccount, AuditSubject::Webhook, AuditSubject::Dossier,
    AuditSubject::Report, AuditSubject::AuditTrail,
], {
    User => ("Tài khoản người dùng", "User account"),
    ServiceAccount => ("Tài khoản tích hợp", "Service account"),
    Webhook => ("Đăng ký webhook", "Webhook"),
    Dossier => ("Hồ sơ", "Dossier"),
    Report => ("Báo cáo", "Report"),
    AuditTrail => ("Nhật ký kiểm toán", "Audit trail"),
});
