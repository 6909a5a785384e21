//! What a client sees of how their account is used: the browsers signed in to it (sessions,
//! each of which they can sign out), the sign-ins of the last 90 days, and an email when a
//! sign-in comes from a browser the account never signed in from before.
use crate::{
    entities::{login_attempt, session},
    error::{DomainError, DomainResult},
    Page, Services,
};
use chrono::{DateTime, Duration, Utc};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder};

/// How long the sign-in history is kept and shown.
pub const HISTORY_DAYS: i64 = 90;
pub const HISTORY_PER_PAGE: u64 = 20;

/// A browser and system read from a User-Agent, e.g. ("Firefox", "Windows"); empty when unknown.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Device {
    pub browser: &'static str,
    pub system: &'static str,
}

impl Device {
    pub fn from_user_agent(ua: &str) -> Self {
        let has = |s: &str| ua.contains(s);
        let browser = if has("Edg/") {
            "Edge"
        } else if has("OPR/") {
            "Opera"
        } else if has("Firefox/") || has("FxiOS/") {
            "Firefox"
        } else if has("Chrome/") || has("CriOS/") || has("Chromium/") {
            "Chrome"
        } else if has("Safari/") {
            "Safari"
        } else {
            ""
        };
        let system = if has("Android") {
            "Android"
        } else if has("iPhone") {
            "iPhone"
        } else if has("iPad") {
            "iPad"
        } else if has("Windows") {
            "Windows"
        } else if has("Mac OS X") || has("Macintosh") {
            "macOS"
        } else if has("Linux") || has("X11") {
            "Linux"
        } else {
            ""
        };
        Self { browser, system }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SessionInfo {
    pub id: i32,
    pub ip: String,
    pub device: Device,
    pub created_at: DateTime<Utc>,
    pub last_seen_at: DateTime<Utc>,
    /// The session making this request.
    pub current: bool,
}

/// The account's signed-in browsers, most recently used first.
pub async fn sessions(
    svc: &Services,
    user_id: i32,
    current: i32,
) -> DomainResult<Vec<SessionInfo>> {
    Ok(session::Entity::find()
        .filter(session::Column::UserId.eq(user_id))
        .filter(session::Column::ExpiresAt.gt(svc.now()))
        .order_by_desc(session::Column::LastSeenAt)
        .all(&svc.db)
        .await?
        .into_iter()
        .map(|s| SessionInfo {
            current: s.id == current,
            device: Device::from_user_agent(&s.user_agent),
            id: s.id,
            ip: s.ip,
            created_at: s.created_at,
            last_seen_at: s.last_seen_at,
        })
        .collect())
}

/// Signs one of the account's sessions out; another account's session is `NotFound`.
pub async fn sign_out_session(
    db: &impl ConnectionTrait,
    user_id: i32,
    session_id: i32,
) -> DomainResult<()> {
    let r = session::Entity::delete_many()
        .filter(session::Column::Id.eq(session_id))
        .filter(session::Column::UserId.eq(user_id))
        .exec(db)
        .await?;
    if r.rows_affected == 0 {
        return Err(DomainError::NotFound);
    }
    Ok(())
}

/// Signs out every session of the account but `current`; returns how many.
pub async fn sign_out_others(
    db: &impl ConnectionTrait,
    user_id: i32,
    current: i32,
) -> DomainResult<u64> {
    Ok(session::Entity::delete_many()
        .filter(session::Column::UserId.eq(user_id))
        .filter(session::Column::Id.ne(current))
        .exec(db)
        .await?
        .rows_affected)
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignInRecord {
    pub at: DateTime<Utc>,
    pub ip: String,
    pub user_agent: String,
    pub device: Device,
    pub success: bool,
}

/// Sign-ins to the account (successful or not) of the last [`HISTORY_DAYS`] days, newest first.
pub async fn history(svc: &Services, user_id: i32, page: u64) -> DomainResult<Page<SignInRecord>> {
    let since = svc.now() - Duration::days(HISTORY_DAYS);
    let pages = login_attempt::Entity::find()
        .filter(login_attempt::Column::UserId.eq(user_id))
        .filter(login_attempt::Column::CreatedAt.gt(since))
        .order_by_desc(login_attempt::Column::CreatedAt)
        .order_by_desc(login_attempt::Column::Id)
        .paginate(&svc.db, HISTORY_PER_PAGE);
    let total = pages.num_items().await?;
    let page = page.max(1);
    let items = pages
        .fetch_page(page - 1)
        .await?
        .into_iter()
        .map(|a| SignInRecord {
            at: a.created_at,
            ip: a.ip,
            device: Device::from_user_agent(&a.user_agent),
            user_agent: a.user_agent,
            success: a.success,
        })
        .collect();
    Ok(Page {
        items,
        total,
        page,
        per_page: HISTORY_PER_PAGE,
    })
}

/// Whether a successful sign-in with `user_agent` is from a browser the account has not signed
/// in from before. An account's very first sign-in is not "new": there is nothing to compare.
pub(super) async fn is_new_device(
    db: &impl ConnectionTrait,
    user_id: i32,
    user_agent: &str,
) -> DomainResult<bool> {
    let succeeded = || {
        login_attempt::Entity::find()
            .filter(login_attempt::Column::UserId.eq(user_id))
            .filter(login_attempt::Column::Success.eq(true))
    };
    if succeeded().count(db).await? == 0 {
        return Ok(false);
    }
    Ok(succeeded()
        .filter(login_attempt::Column::UserAgent.eq(user_agent))
        .count(db)
        .await?
        == 0)
}

/// Drops sign-in records older than the history keeps (the automation calls it).
pub async fn purge_old_attempts(
    db: &impl ConnectionTrait,
    now: DateTime<Utc>,
) -> DomainResult<u64> {
    Ok(login_attempt::Entity::delete_many()
        .filter(login_attempt::Column::CreatedAt.lt(now - Duration::days(HISTORY_DAYS)))
        .exec(db)
        .await?
        .rows_affected)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{
        accounts::{create_user, resolve_session, sign_in, Language, NewUser, RequestMeta, Role},
        clock::ManualClock,
        entities::email,
    };

    const PASSWORD: &str = "correct horse battery";
    const FIREFOX: &str =
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0";
    const IPHONE: &str = "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1";

    async fn setup() -> (Services, ManualClock, i32, i32) {
        let clock = crate::test_support::test_clock();
        let svc = crate::test_support::services_with_clock(clock.clone()).await;
        let mut ids = Vec::new();
        for email in ["ana@example.com", "ben@example.com"] {
            let u = create_user(
                &svc,
                NewUser {
                    email,
                    password: PASSWORD,
                    name: "Ana",
                    role: Role::Client,
                    language: Language::Es,
                },
            )
            .await
            .unwrap();
            ids.push(u.id);
        }
        (svc, clock, ids[0], ids[1])
    }

    fn from(ua: &str) -> RequestMeta {
        RequestMeta {
            ip: "203.0.113.7".into(),
            user_agent: ua.into(),
        }
    }

    async fn new_sign_in_emails(svc: &Services) -> Vec<email::Model> {
        email::Entity::find()
            .filter(email::Column::Kind.eq("new_sign_in"))
            .all(&svc.db)
            .await
            .unwrap()
    }

    #[test]
    fn devices_are_read_from_user_agents() {
        let d = |ua| Device::from_user_agent(ua);
        assert_eq!(
            d(FIREFOX),
            Device {
                browser: "Firefox",
                system: "Windows"
            }
        );
        assert_eq!(
            d(IPHONE),
            Device {
                browser: "Safari",
                system: "iPhone"
            }
        );
        assert_eq!(
            d("Mozilla/5.0 (Linux; Android 14; Pixel 7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Mobile Safari/537.36"),
            Device { browser: "Chrome", system: "Android" }
        );
        assert_eq!(
            d("Mozilla/5.0 (Windows NT 10.0) AppleWebKit/537.36 Chrome/131.0 Safari/537.36 Edg/131.0"),
            Device { browser: "Edge", system: "Windows" }
        );
        assert_eq!(d(""), Device::default());
    }

    #[tokio::test]
    async fn history_lists_the_accounts_own_sign_ins_of_90_days() {
        let (svc, clock, ana, ben) = setup().await;
        sign_in(&svc, "ana@example.com", PASSWORD, &from(FIREFOX), None)
            .await
            .unwrap()
            .signed_in()
            .unwrap();
        assert!(
            sign_in(&svc, "ana@example.com", "wrong", &from(IPHONE), None)
                .await
                .is_err()
        );
        sign_in(&svc, "ben@example.com", PASSWORD, &from(FIREFOX), None)
            .await
            .unwrap()
            .signed_in()
            .unwrap();
        let h = history(&svc, ana, 1).await.unwrap();
        assert_eq!(h.total, 2);
        assert!(
            !h.items[0].success && h.items[0].device.system == "iPhone",
            "newest first"
        );
        assert!(h.items[1].success && h.items[1].ip == "203.0.113.7");
        assert_eq!(history(&svc, ben, 1).await.unwrap().total, 1);

        clock.advance(Duration::days(HISTORY_DAYS) + Duration::minutes(1));
        assert_eq!(
            history(&svc, ana, 1).await.unwrap().total,
            0,
            "older than 90 days"
        );
        assert_eq!(purge_old_attempts(&svc.db, svc.now()).await.unwrap(), 3);
    }

    #[tokio::test]
    async fn a_browser_the_account_never_used_is_emailed_about() {
        let (svc, _clock, _ana, _ben) = setup().await;
        sign_in(&svc, "ana@example.com", PASSWORD, &from(FIREFOX), None)
            .await
            .unwrap()
            .signed_in()
            .unwrap();
        assert!(
            new_sign_in_emails(&svc).await.is_empty(),
            "the first sign-in is not news"
        );
        sign_in(&svc, "ana@example.com", PASSWORD, &from(FIREFOX), None)
            .await
            .unwrap()
            .signed_in()
            .unwrap();
        assert!(new_sign_in_emails(&svc).await.is_empty(), "same browser");
        // A failed attempt from a new browser is not a sign-in.
        assert!(
            sign_in(&svc, "ana@example.com", "wrong", &from(IPHONE), None)
                .await
                .is_err()
        );
        assert!(new_sign_in_emails(&svc).await.is_empty());
        sign_in(&svc, "ana@example.com", PASSWORD, &from(IPHONE), None)
            .await
            .unwrap()
            .signed_in()
            .unwrap();
        let mails = new_sign_in_emails(&svc).await;
        assert_eq!(mails.len(), 1);
        assert_eq!(mails[0].to_address, "ana@example.com");
        assert!(mails[0].subject.contains("Nuevo inicio de sesión"));
        assert!(mails[0].body_text.contains("Safari en iPhone"));
        assert!(mails[0].body_text.contains("203.0.113.7"));
        assert!(mails[0].body_text.contains("/account/security"));
        sign_in(&svc, "ana@example.com", PASSWORD, &from(IPHONE), None)
            .await
            .unwrap()
            .signed_in()
            .unwrap();
        assert_eq!(new_sign_in_emails(&svc).await.len(), 1, "known now");
    }

    #[tokio::test]
    async fn sessions_are_listed_and_signed_out_by_their_owner_only() {
        let (svc, _clock, ana, ben) = setup().await;
        let a = sign_in(&svc, "ana@example.com", PASSWORD, &from(FIREFOX), None)
            .await
            .unwrap()
            .signed_in()
            .unwrap();
        let b = sign_in(&svc, "ana@example.com", PASSWORD, &from(IPHONE), None)
            .await
            .unwrap()
            .signed_in()
            .unwrap();
        let c = sign_in(&svc, "ana@example.com", PASSWORD, &from(IPHONE), None)
            .await
            .unwrap()
            .signed_in()
            .unwrap();
        let bens = sign_in(&svc, "ben@example.com", PASSWORD, &from(FIREFOX), None)
            .await
            .unwrap()
            .signed_in()
            .unwrap();
        let list = sessions(&svc, ana, a.user.session_id).await.unwrap();
        assert_eq!(list.len(), 3);
        assert_eq!(list.iter().filter(|s| s.current).count(), 1);
        assert!(list.iter().find(|s| s.current).unwrap().id == a.user.session_id);

        assert!(matches!(
            sign_out_session(&svc.db, ben, b.user.session_id).await,
            Err(DomainError::NotFound)
        ));
        sign_out_session(&svc.db, ana, b.user.session_id)
            .await
            .unwrap();
        assert!(
            resolve_session(&svc, &b.token).await.unwrap().is_none(),
            "that browser is signed out"
        );
        assert!(resolve_session(&svc, &c.token).await.unwrap().is_some());
        assert_eq!(
            sign_out_others(&svc.db, ana, a.user.session_id)
                .await
                .unwrap(),
            1
        );
        assert!(resolve_session(&svc, &c.token).await.unwrap().is_none());
        assert!(
            resolve_session(&svc, &a.token).await.unwrap().is_some(),
            "this one stays"
        );
        assert!(
            resolve_session(&svc, &bens.token).await.unwrap().is_some(),
            "Ben's stays"
        );
    }
}
