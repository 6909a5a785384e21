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
}

#[derive(Debug, thiserror::Error)]
pub enum DomainError {
    #[error("invalid input: {0}")]
    Invalid(#[from] Invalid),
    /// Same error for an unknown email and a wrong password: no account enumeration.
    #[error("email or password is wrong")]
    InvalidCredentials,
    #[error("too many attempts; retry in {retry_after_minutes} min")]
    Throttled { retry_after_minutes: u32 },
    #[error("not found")]
    NotFound,
    #[error("conflict: {0}")]
    Conflict(&'static str),
    #[error("database: {0}")]
    Db(#[from] DbErr),
    #[error("internal: {0}")]
    Internal(String),
}

pub type DomainResult<T> = Result<T, DomainError>;
