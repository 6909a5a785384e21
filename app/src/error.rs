//! The one error type that crosses the wire. Internal details never reach the client: they are
//! logged on the server and the client gets a kind it can explain in the user's language.
use crate::i18n::Locale;
use serde::{Deserialize, Serialize};
use server_fn::{
    codec::JsonEncoding,
    error::{FromServerFnError, ServerFnErrorErr},
};

/// A field value the server refused, mirrored from the domain so the client can name it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum InvalidInput {
    Email,
    PasswordTooShort,
    PasswordTooLong,
    PasswordMismatch,
    CurrentPassword,
    Name,
    ResetLink,
    Language,
    NewsTitle,
    NewsBody,
    NewsDate,
    ServiceNotActive,
    PlanChange,
    UpgradePending,
    KbTitle,
    KbBody,
    KbTags,
    KbCategory,
    KbCategoryName,
    KbCategoryNotEmpty,
    // provisioning and cancellation
    CancellationReason,
    CancellationKind,
    /// The "I understand" box of the cancellation form was not ticked.
    CancellationConfirm,
    // payments and credit
    Amount,
    PaymentNote,
    TestCard,
    // support tickets
    TicketSubject,
    TicketBody,
    TicketStatus,
    TicketPriority,
    TicketDepartment,
    TicketService,
    TicketAssignee,
    AttachmentType,
    AttachmentEmpty,
    AttachmentTooLarge,
    TooManyAttachments,
    Department,
    CannedResponse,
    Signature,
    // profile, login email, two-factor sign-in, contacts
    Company,
    Address,
    Postcode,
    Region,
    Country,
    VatId,
    Phone,
    EmailTaken,
    EmailUnchanged,
    SecondFactorCode,
    NoPermissions,
}

/// A change the current state does not allow (409), mirrored from the domain.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Refusal {
    ServiceStatus,
    CancellationOpen,
    ActionNotPending,
    InvoiceNotUnpaid,
    NothingToRefund,
    NoCredit,
    CardsUnavailable,
    NoCard,
    /// The card processor did not answer or refused the request; nothing was charged.
    CardProcessor,
    /// Something else changed the record meanwhile; reloading shows the new state.
    Changed,
    TicketClosed,
    /// Staff must turn on two-factor sign-in before using staff pages.
    TwoFactorRequired,
    TwoFactorState,
    TooManyContacts,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub enum AppError {
    #[error("not signed in")]
    Unauthenticated,
    #[error("forbidden")]
    Forbidden,
    #[error("not found")]
    NotFound,
    #[error("invalid input: {0:?}")]
    Invalid(InvalidInput),
    #[error("refused: {0:?}")]
    Refused(Refusal),
    #[error("invalid credentials")]
    InvalidCredentials,
    #[error("throttled for {0} min")]
    Throttled(u32),
    /// A malformed request, e.g. a form with a field missing.
    #[error("bad request")]
    BadRequest,
    #[error("internal error")]
    Internal,
    /// The request did not reach the server or its answer could not be read.
    #[error("request failed")]
    Network,
}

impl AppError {
    /// The HTTP status a server function answers with when it fails this way.
    pub fn status(&self) -> u16 {
        match self {
            AppError::Unauthenticated => 401,
            AppError::Forbidden => 403,
            AppError::NotFound => 404,
            AppError::BadRequest => 400,
            AppError::Invalid(_) | AppError::InvalidCredentials => 422,
            AppError::Refused(_) => 409,
            AppError::Throttled(_) => 429,
            AppError::Internal | AppError::Network => 500,
        }
    }

    pub fn message(&self, locale: Locale) -> String {
        let t = locale.texts();
        let bt = crate::invoices::texts::of(locale);
        let ct = crate::cards::texts::of(locale);
        let tt = crate::tickets::texts::of(locale);
        let at = crate::account::texts::of(locale);
        match self {
            AppError::Unauthenticated => t.err_unauthenticated.into(),
            AppError::Forbidden => t.err_forbidden.into(),
            AppError::NotFound => t.err_not_found.into(),
            AppError::InvalidCredentials => t.err_invalid_credentials.into(),
            AppError::Throttled(m) => locale.throttled(*m),
            AppError::BadRequest => t.err_bad_request.into(),
            AppError::Internal => t.err_internal.into(),
            AppError::Network => t.err_network.into(),
            AppError::Invalid(field) => match field {
                InvalidInput::Email => t.err_email,
                InvalidInput::PasswordTooShort => t.err_password_short,
                InvalidInput::PasswordTooLong => t.err_password_long,
                InvalidInput::PasswordMismatch => t.err_password_mismatch,
                InvalidInput::CurrentPassword => t.err_current_password,
                InvalidInput::Name => t.err_name,
                InvalidInput::ResetLink => t.err_reset_link,
                InvalidInput::Language => t.err_language,
                InvalidInput::NewsTitle => t.err_news_title,
                InvalidInput::NewsBody => t.err_news_body,
                InvalidInput::NewsDate => t.err_news_date,
                InvalidInput::ServiceNotActive => t.err_service_not_active,
                InvalidInput::PlanChange => t.err_plan_change,
                InvalidInput::UpgradePending => t.err_upgrade_pending,
                InvalidInput::KbTitle => t.err_news_title,
                InvalidInput::KbBody => t.err_news_body,
                InvalidInput::KbTags => t.err_kb_tags,
                InvalidInput::KbCategory => t.err_kb_category,
                InvalidInput::KbCategoryName => t.err_kb_category_name,
                InvalidInput::KbCategoryNotEmpty => t.err_kb_category_not_empty,
                InvalidInput::CancellationReason => t.err_cancellation_reason,
                InvalidInput::CancellationKind => t.err_cancellation_kind,
                InvalidInput::CancellationConfirm => t.err_cancellation_confirm,
                InvalidInput::Amount => bt.err_amount,
                InvalidInput::PaymentNote => bt.err_payment_note,
                InvalidInput::TestCard => ct.err_test_card,
                InvalidInput::TicketSubject => tt.err_ticket_subject,
                InvalidInput::TicketBody => tt.err_ticket_body,
                InvalidInput::TicketStatus => tt.err_ticket_status,
                InvalidInput::TicketPriority => tt.err_ticket_priority,
                InvalidInput::TicketDepartment => tt.err_ticket_department,
                InvalidInput::TicketService => tt.err_ticket_service,
                InvalidInput::TicketAssignee => tt.err_ticket_assignee,
                InvalidInput::AttachmentType => tt.err_attachment_type,
                InvalidInput::AttachmentEmpty => tt.err_attachment_empty,
                InvalidInput::AttachmentTooLarge => tt.err_attachment_too_large,
                InvalidInput::TooManyAttachments => tt.err_too_many_attachments,
                InvalidInput::Department => tt.err_department,
                InvalidInput::CannedResponse => tt.err_canned_response,
                InvalidInput::Signature => tt.err_signature,
                InvalidInput::Company => at.err_company,
                InvalidInput::Address => at.err_address,
                InvalidInput::Postcode => at.err_postcode,
                InvalidInput::Region => at.err_region,
                InvalidInput::Country => at.err_country,
                InvalidInput::VatId => at.err_vat,
                InvalidInput::Phone => at.err_phone,
                InvalidInput::EmailTaken => at.err_email_taken,
                InvalidInput::EmailUnchanged => at.err_email_unchanged,
                InvalidInput::SecondFactorCode => at.err_code,
                InvalidInput::NoPermissions => at.err_no_permissions,
            }
            .into(),
            AppError::Refused(r) => match r {
                Refusal::ServiceStatus => t.err_service_status,
                Refusal::CancellationOpen => t.err_cancellation_open,
                Refusal::ActionNotPending => t.err_action_not_pending,
                Refusal::InvoiceNotUnpaid => bt.err_not_unpaid,
                Refusal::NothingToRefund => bt.err_nothing_to_refund,
                Refusal::NoCredit => bt.err_no_credit,
                Refusal::Changed => bt.err_changed,
                Refusal::CardsUnavailable => ct.err_cards_unavailable,
                Refusal::NoCard => ct.err_no_card,
                Refusal::CardProcessor => ct.err_processor,
                Refusal::TicketClosed => tt.err_ticket_closed,
                Refusal::TwoFactorRequired => at.err_two_factor_required,
                Refusal::TwoFactorState => at.err_two_factor_state,
                Refusal::TooManyContacts => at.err_too_many_contacts,
            }
            .into(),
        }
    }
}

impl FromServerFnError for AppError {
    type Encoder = JsonEncoding;

    fn from_server_fn_error(value: ServerFnErrorErr) -> Self {
        match value {
            // A malformed request (e.g. a missing form field) is the caller's mistake.
            ServerFnErrorErr::Args(_) | ServerFnErrorErr::MissingArg(_) => AppError::BadRequest,
            ServerFnErrorErr::Request(_)
            | ServerFnErrorErr::Response(_)
            | ServerFnErrorErr::Deserialization(_) => AppError::Network,
            _ => AppError::Internal,
        }
    }
}

#[cfg(feature = "ssr")]
impl From<domain::DomainError> for AppError {
    fn from(e: domain::DomainError) -> Self {
        use domain::{
            error::{Invalid, Refused},
            DomainError as D,
        };
        match e {
            D::Invalid(i) => AppError::Invalid(match i {
                Invalid::Email => InvalidInput::Email,
                Invalid::PasswordTooShort => InvalidInput::PasswordTooShort,
                Invalid::PasswordTooLong => InvalidInput::PasswordTooLong,
                Invalid::PasswordMismatch => InvalidInput::PasswordMismatch,
                Invalid::CurrentPassword => InvalidInput::CurrentPassword,
                Invalid::Name => InvalidInput::Name,
                Invalid::ResetLink => InvalidInput::ResetLink,
                Invalid::Language => InvalidInput::Language,
                Invalid::NewsTitle => InvalidInput::NewsTitle,
                Invalid::NewsBody => InvalidInput::NewsBody,
                Invalid::NewsDate => InvalidInput::NewsDate,
                Invalid::ServiceNotActive => InvalidInput::ServiceNotActive,
                Invalid::PlanChange => InvalidInput::PlanChange,
                Invalid::UpgradePending => InvalidInput::UpgradePending,
                Invalid::KbTitle => InvalidInput::KbTitle,
                Invalid::KbBody => InvalidInput::KbBody,
                Invalid::KbTags => InvalidInput::KbTags,
                Invalid::KbCategory => InvalidInput::KbCategory,
                Invalid::KbCategoryName => InvalidInput::KbCategoryName,
                Invalid::KbCategoryNotEmpty => InvalidInput::KbCategoryNotEmpty,
                Invalid::CancellationReason => InvalidInput::CancellationReason,
                Invalid::CancellationKind => InvalidInput::CancellationKind,
                Invalid::Amount => InvalidInput::Amount,
                Invalid::PaymentNote => InvalidInput::PaymentNote,
                Invalid::TestCard => InvalidInput::TestCard,
                Invalid::TicketSubject => InvalidInput::TicketSubject,
                Invalid::TicketBody => InvalidInput::TicketBody,
                Invalid::TicketStatus => InvalidInput::TicketStatus,
                Invalid::TicketPriority => InvalidInput::TicketPriority,
                Invalid::TicketDepartment => InvalidInput::TicketDepartment,
                Invalid::TicketService => InvalidInput::TicketService,
                Invalid::TicketAssignee => InvalidInput::TicketAssignee,
                Invalid::AttachmentType => InvalidInput::AttachmentType,
                Invalid::AttachmentEmpty => InvalidInput::AttachmentEmpty,
                Invalid::AttachmentTooLarge => InvalidInput::AttachmentTooLarge,
                Invalid::TooManyAttachments => InvalidInput::TooManyAttachments,
                Invalid::Department => InvalidInput::Department,
                Invalid::CannedResponse => InvalidInput::CannedResponse,
                Invalid::Signature => InvalidInput::Signature,
                Invalid::Company => InvalidInput::Company,
                Invalid::Address => InvalidInput::Address,
                Invalid::Postcode => InvalidInput::Postcode,
                Invalid::Region => InvalidInput::Region,
                Invalid::Country => InvalidInput::Country,
                Invalid::VatId => InvalidInput::VatId,
                Invalid::Phone => InvalidInput::Phone,
                Invalid::EmailTaken => InvalidInput::EmailTaken,
                Invalid::EmailUnchanged => InvalidInput::EmailUnchanged,
                Invalid::SecondFactorCode => InvalidInput::SecondFactorCode,
                Invalid::NoPermissions => InvalidInput::NoPermissions,
            }),
            D::Refused(r) => AppError::Refused(match r {
                Refused::ServiceStatus => Refusal::ServiceStatus,
                Refused::CancellationOpen => Refusal::CancellationOpen,
                Refused::ActionNotPending => Refusal::ActionNotPending,
                Refused::InvoiceNotUnpaid => Refusal::InvoiceNotUnpaid,
                Refused::NothingToRefund => Refusal::NothingToRefund,
                Refused::NoCredit => Refusal::NoCredit,
                Refused::CardsUnavailable => Refusal::CardsUnavailable,
                Refused::NoCard => Refusal::NoCard,
                Refused::CardProcessor => Refusal::CardProcessor,
                Refused::TicketClosed => Refusal::TicketClosed,
                Refused::TwoFactorRequired => Refusal::TwoFactorRequired,
                Refused::TwoFactorState => Refusal::TwoFactorState,
                Refused::TooManyContacts => Refusal::TooManyContacts,
            }),
            D::InvalidCredentials => AppError::InvalidCredentials,
            D::Forbidden => AppError::Forbidden,
            D::Throttled {
                retry_after_minutes,
            } => AppError::Throttled(retry_after_minutes),
            D::NotFound => AppError::NotFound,
            D::Conflict(_) => AppError::Refused(Refusal::Changed),
            D::Gateway(g) => {
                tracing::warn!(error = %g, "card processor");
                AppError::Refused(Refusal::CardProcessor)
            }
            D::Provisioning { .. } | D::Db(_) | D::Internal(_) => {
                tracing::error!(error = %e, "request failed");
                AppError::Internal
            }
        }
    }
}
