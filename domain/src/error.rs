use sea_orm::DbErr;

/// Why a user-input value was refused. The app turns each into a message in the user's language.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum Invalid {
    #[error("email address is not valid")]
    Email,
    #[error("password is too short")]
    PasswordTooShort,
    #[error("password is too long")]
    PasswordTooLong,
    #[error("the two passwords differ")]
    PasswordMismatch,
    #[error("current password is wrong")]
    CurrentPassword,
    #[error("name is empty or too long")]
    Name,
    #[error("link is invalid or has expired")]
    ResetLink,
    #[error("unknown language")]
    Language,
    #[error("only an active service can change plan")]
    ServiceNotActive,
    #[error("that plan and billing cycle are not available for this service")]
    PlanChange,
    #[error("an upgrade of this service is waiting for payment")]
    UpgradePending,
    #[error("article title is empty or too long")]
    KbTitle,
    #[error("article text is empty or too long")]
    KbBody,
    #[error("tags are too long")]
    KbTags,
    #[error("unknown knowledge-base topic")]
    KbCategory,
    #[error("topic name is empty or too long")]
    KbCategoryName,
    #[error("the topic still has articles")]
    KbCategoryNotEmpty,
    #[error("news title is empty or longer than 200 characters")]
    NewsTitle,
    #[error("news text is empty or longer than 50000 characters")]
    NewsBody,
    #[error("news date is not a valid YYYY-MM-DD date")]
    NewsDate,
    // provisioning and cancellation
    #[error("cancellation reason must have 3 to 2000 characters")]
    CancellationReason,
    #[error("unknown kind of cancellation")]
    CancellationKind,
    // invoices, payments, credit
    #[error("the amount must be more than zero and at most the amount allowed")]
    Amount,
    #[error("payment reference or refund reason is too long")]
    PaymentNote,
    // cards
    #[error("unknown test card")]
    TestCard,
    // support tickets
    #[error("subject must have 3 to 200 characters on one line")]
    TicketSubject,
    #[error("message is empty, longer than 20000 characters, or holds control characters")]
    TicketBody,
    #[error("unknown ticket status")]
    TicketStatus,
    #[error("unknown ticket priority")]
    TicketPriority,
    #[error("unknown or closed department")]
    TicketDepartment,
    #[error("the service is not one of the client's")]
    TicketService,
    #[error("tickets can only be assigned to staff")]
    TicketAssignee,
    #[error("this type of file cannot be attached")]
    AttachmentType,
    #[error("the attached file is empty")]
    AttachmentEmpty,
    #[error("the attached file is too large")]
    AttachmentTooLarge,
    #[error("too many files attached")]
    TooManyAttachments,
    #[error("department name or description is empty or too long")]
    Department,
    #[error("canned response title or text is empty or too long")]
    CannedResponse,
    #[error("signature is longer than 1000 characters")]
    Signature,
    // profile, login email, two-factor sign-in, contacts
    #[error("company name is longer than 200 characters")]
    Company,
    #[error("address is longer than 500 characters or holds control characters")]
    Address,
    #[error("postcode has more than 16 characters or characters other than letters, digits, spaces and dashes")]
    Postcode,
    #[error("region is longer than 100 characters")]
    Region,
    #[error("unknown country")]
    Country,
    #[error("VAT number does not have the format of the country")]
    VatId,
    #[error("phone number is not valid")]
    Phone,
    /// Deliberately vague: the message must not tell whose account has the address.
    #[error("that email address cannot be used")]
    EmailTaken,
    #[error("that is already the account's email address")]
    EmailUnchanged,
    #[error("the code is wrong or has expired")]
    SecondFactorCode,
    #[error("choose at least one permission")]
    NoPermissions,
}

/// A change the current state does not allow (the app answers 409 and says why).
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum Refused {
    /// E.g. suspending a terminated service, unsuspending an active one: terminate is final.
    #[error("the service's status does not allow this change")]
    ServiceStatus,
    #[error("the service already has an open cancellation request")]
    CancellationOpen,
    #[error("the provisioning action is not pending")]
    ActionNotPending,
    #[error("the invoice is not unpaid")]
    InvoiceNotUnpaid,
    #[error("the invoice has nothing left to refund")]
    NothingToRefund,
    #[error("there is no credit to apply")]
    NoCredit,
    #[error("card payments are not set up")]
    CardsUnavailable,
    #[error("there is no saved card that can be charged")]
    NoCard,
    #[error("the card processor could not complete the request")]
    CardProcessor,
    /// A reply to a closed ticket when replies do not reopen tickets.
    #[error("the ticket is closed")]
    TicketClosed,
    /// Staff must turn on two-factor sign-in before using staff pages.
    #[error("two-factor sign-in must be turned on first")]
    TwoFactorRequired,
    /// Turning on two-factor sign-in when it is on, or off when it is off.
    #[error("two-factor sign-in is already in that state")]
    TwoFactorState,
    /// An account has as many contacts as it may have.
    #[error("the account has the most contacts allowed")]
    TooManyContacts,
}

#[derive(Debug, thiserror::Error)]
pub enum DomainError {
    #[error("invalid input: {0}")]
    Invalid(#[from] Invalid),
    /// The person is signed in but may not do this (e.g. a contact without the permission).
    #[error("not allowed")]
    Forbidden,
    /// Same error for an unknown email and a wrong password: no account enumeration.
    #[error("email or password is wrong")]
    InvalidCredentials,
    #[error("too many attempts; retry in {retry_after_minutes} min")]
    Throttled { retry_after_minutes: u32 },
    #[error("not found")]
    NotFound,
    #[error("conflict: {0}")]
    Conflict(&'static str),
    #[error("refused: {0}")]
    Refused(#[from] Refused),
    /// A provisioning module failed (e.g. the hosting panel did not answer); nothing changed.
    #[error("provisioning module {module}: {message}")]
    Provisioning { module: String, message: String },
    /// The card processor did not answer, or refused the request itself: nothing was charged
    /// that Portico does not know of (an unknown outcome is reconciled before any new attempt).
    #[error("{0}")]
    Gateway(#[from] crate::billing::cards::GatewayError),
    #[error("database: {0}")]
    Db(#[from] DbErr),
    #[error("internal: {0}")]
    Internal(String),
}

pub type DomainResult<T> = Result<T, DomainError>;
