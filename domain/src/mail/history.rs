//! The client's email history: every email Portico recorded for them, newest first. Always
//! scoped to one user: someone else's email is `NotFound`, never `Forbidden`, so ids leak nothing.
use crate::{
    entities::email,
    error::{DomainError, DomainResult},
    Page,
};
use chrono::{DateTime, Utc};
use sea_orm::{
    ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect,
};

pub const EMAILS_PER_PAGE: u64 = 20;

/// Where an email stands (the `status` column).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EmailStatus {
    /// Recorded, delivery not finished yet.
    Queued,
    Sent,
    /// Kept in the history only: no SMTP server is configured.
    Recorded,
    Failed,
}

impl EmailStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            EmailStatus::Queued => "queued",
            EmailStatus::Sent => "sent",
            EmailStatus::Recorded => "recorded",
            EmailStatus::Failed => "failed",
        }
    }
    pub fn from_db(s: &str) -> DomainResult<Self> {
        match s {
            // `pending` and `sending`: queued by the billing automation, not delivered yet.
            "queued" | "pending" | "sending" => Ok(EmailStatus::Queued),
            "sent" => Ok(EmailStatus::Sent),
            "recorded" => Ok(EmailStatus::Recorded),
            "failed" => Ok(EmailStatus::Failed),
            other => Err(DomainError::Internal(format!(
                "unknown email status {other:?}"
            ))),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EmailSummary {
    pub id: i32,
    pub kind: String,
    pub subject: String,
    pub status: EmailStatus,
    pub created_at: DateTime<Utc>,
    pub sent_at: Option<DateTime<Utc>>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EmailDetail {
    pub summary: EmailSummary,
    pub to_address: String,
    pub language: String,
    pub body_text: String,
}

fn summary(e: &email::Model) -> DomainResult<EmailSummary> {
    Ok(EmailSummary {
        id: e.id,
        kind: e.kind.clone(),
        subject: e.subject.clone(),
        status: EmailStatus::from_db(&e.status)?,
        created_at: e.created_at,
        sent_at: e.sent_at,
    })
}

/// One page (from 1) of the user's emails, newest first.
pub async fn list(
    db: &impl ConnectionTrait,
    user_id: i32,
    page: u64,
) -> DomainResult<Page<EmailSummary>> {
    let query = email::Entity::find().filter(email::Column::UserId.eq(user_id));
    let total = query.clone().count(db).await?;
    let page = page.max(1);
    let rows = query
        .order_by_desc(email::Column::CreatedAt)
        .order_by_desc(email::Column::Id)
        .limit(EMAILS_PER_PAGE)
        .offset((page - 1).saturating_mul(EMAILS_PER_PAGE))
        .all(db)
        .await?;
    Ok(Page {
        items: rows.iter().map(summary).collect::<DomainResult<_>>()?,
        total,
        page,
        per_page: EMAILS_PER_PAGE,
    })
}

/// One of the user's emails; `NotFound` for anyone else's.
pub async fn get(db: &impl ConnectionTrait, user_id: i32, id: i32) -> DomainResult<EmailDetail> {
    let e = email::Entity::find_by_id(id)
        .filter(email::Column::UserId.eq(user_id))
        .one(db)
        .await?
        .ok_or(DomainError::NotFound)?;
    Ok(EmailDetail {
        summary: summary(&e)?,
        to_address: e.to_address,
        language: e.language,
        body_text: e.body_text,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{
        accounts::{create_user, Language, NewUser, Role},
        clock::ManualClock,
        mail::{OutgoingEmail, Rendered},
        Services,
    };

    async fn setup() -> (Services, ManualClock, i32, i32) {
        let clock = crate::test_support::test_clock();
        let svc = crate::test_support::services_with_clock(clock.clone()).await;
        let mut ids = vec![];
        for email in ["ana@example.com", "ben@example.com"] {
            let u = create_user(
                &svc,
                NewUser {
                    email,
                    password: "correct horse battery",
                    name: "Test",
                    role: Role::Client,
                    language: Language::En,
                },
            )
            .await
            .unwrap();
            ids.push(u.id);
        }
        (svc, clock, ids[0], ids[1])
    }

    async fn send(svc: &Services, user_id: Option<i32>, subject: &str) -> i32 {
        let mail = OutgoingEmail {
            user_id,
            to: "someone@example.com".into(),
            kind: "test",
            language: Language::En,
            content: Rendered {
                subject: subject.into(),
                body: format!("Body of {subject}\n<b>not html</b>"),
            },
        };
        svc.mailer.send(svc, mail).await.unwrap()
    }

    #[tokio::test]
    async fn lists_only_the_users_emails_newest_first_in_pages_of_20() {
        let (svc, clock, ana, ben) = setup().await;
        for i in 0..25 {
            send(&svc, Some(ana), &format!("ana {i}")).await;
            clock.advance(chrono::Duration::minutes(1));
        }
        send(&svc, Some(ben), "ben 0").await;
        send(&svc, None, "nobody").await;

        let first = list(&svc.db, ana, 1).await.unwrap();
        assert_eq!((first.total, first.pages(), first.items.len()), (25, 2, 20));
        assert_eq!(first.items[0].subject, "ana 24");
        assert_eq!(first.items[19].subject, "ana 5");
        assert_eq!(first.items[0].status, EmailStatus::Recorded);
        let second = list(&svc.db, ana, 2).await.unwrap();
        let subjects: Vec<_> = second.items.iter().map(|e| e.subject.as_str()).collect();
        assert_eq!(subjects, ["ana 4", "ana 3", "ana 2", "ana 1", "ana 0"]);
        // Page 0 is read as page 1; past the end is empty.
        assert_eq!(list(&svc.db, ana, 0).await.unwrap().items, first.items);
        assert!(list(&svc.db, ana, 3).await.unwrap().items.is_empty());

        let bens = list(&svc.db, ben, 1).await.unwrap();
        assert_eq!(bens.total, 1);
        assert_eq!(bens.items[0].subject, "ben 0");
    }

    #[tokio::test]
    async fn same_time_emails_keep_the_order_they_were_sent_in() {
        let (svc, _, ana, _) = setup().await;
        send(&svc, Some(ana), "first").await;
        send(&svc, Some(ana), "second").await;
        let l = list(&svc.db, ana, 1).await.unwrap();
        assert_eq!(l.items[0].subject, "second");
    }

    #[tokio::test]
    async fn an_email_is_readable_only_by_its_user() {
        let (svc, _, ana, ben) = setup().await;
        let id = send(&svc, Some(ana), "Hello").await;
        let d = get(&svc.db, ana, id).await.unwrap();
        assert_eq!(d.summary.subject, "Hello");
        assert_eq!(d.body_text, "Body of Hello\n<b>not html</b>");
        assert_eq!(d.to_address, "someone@example.com");
        assert!(matches!(
            get(&svc.db, ben, id).await,
            Err(DomainError::NotFound)
        ));
        assert!(matches!(
            get(&svc.db, ana, id + 1000).await,
            Err(DomainError::NotFound)
        ));
    }
}
