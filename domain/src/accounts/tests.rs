//! Account rules against a real (in-memory SQLite) database, with a clock the tests move.
use super::*;
use crate::{clock::ManualClock, entities::email, error::Invalid, DomainError, Services};
use chrono::Duration;
use sea_orm::EntityTrait;

const PASSWORD: &str = "correct horse battery";

async fn setup() -> (Services, ManualClock) {
    let clock = crate::test_support::test_clock();
    let svc = crate::test_support::services_with_clock(clock.clone()).await;
    for email in ["ana@example.com", "ben@example.com"] {
        create_user(
            &svc,
            NewUser {
                email,
                password: PASSWORD,
                name: "Test",
                role: Role::Client,
                language: Language::Es,
            },
        )
        .await
        .unwrap();
    }
    (svc, clock)
}

fn meta(ip: &str) -> RequestMeta {
    RequestMeta {
        ip: ip.into(),
        user_agent: "test".into(),
    }
}

#[tokio::test]
async fn duplicate_emails_are_refused_whatever_their_case() {
    let (svc, _) = setup().await;
    let dup = create_user(
        &svc,
        NewUser {
            email: "ANA@example.com",
            password: PASSWORD,
            name: "X",
            role: Role::Client,
            language: Language::En,
        },
    )
    .await;
    assert!(matches!(dup, Err(DomainError::Conflict(_))));
}

#[tokio::test]
async fn the_account_throttle_opens_again_when_the_window_passes() {
    let (svc, clock) = setup().await;
    for _ in 0..5 {
        let r = sign_in(&svc, "ana@example.com", "wrong", &meta("10.0.0.1"), None).await;
        assert!(matches!(r, Err(DomainError::InvalidCredentials)));
    }
    let r = sign_in(&svc, "ana@example.com", PASSWORD, &meta("10.0.0.2"), None).await;
    assert!(
        matches!(
            r,
            Err(DomainError::Throttled {
                retry_after_minutes: 15
            })
        ),
        "from any address"
    );
    clock.advance(Duration::minutes(10));
    let r = sign_in(&svc, "ana@example.com", PASSWORD, &meta("10.0.0.2"), None).await;
    assert!(matches!(
        r,
        Err(DomainError::Throttled {
            retry_after_minutes: 5
        })
    ));
    clock.advance(Duration::minutes(6));
    assert!(
        sign_in(&svc, "ana@example.com", PASSWORD, &meta("10.0.0.2"), None)
            .await
            .is_ok()
    );
}

#[tokio::test]
async fn one_address_guessing_many_accounts_is_throttled() {
    let (svc, _) = setup().await;
    for i in 0..30 {
        let email = format!("guess{i}@example.com");
        let _ = sign_in(&svc, &email, "wrong", &meta("203.0.113.9"), None).await;
    }
    let r = sign_in(
        &svc,
        "ben@example.com",
        PASSWORD,
        &meta("203.0.113.9"),
        None,
    )
    .await;
    assert!(matches!(r, Err(DomainError::Throttled { .. })));
    assert!(sign_in(
        &svc,
        "ben@example.com",
        PASSWORD,
        &meta("198.51.100.1"),
        None
    )
    .await
    .is_ok());
}

#[tokio::test]
async fn sessions_slide_while_used_and_expire_when_idle() {
    let (svc, clock) = setup().await;
    let s = sign_in(&svc, "ben@example.com", PASSWORD, &meta("10.0.0.1"), None)
        .await
        .unwrap()
        .signed_in()
        .unwrap();
    clock.advance(Duration::days(SESSION_TTL_DAYS - 1));
    assert!(
        resolve_session(&svc, &s.token).await.unwrap().is_some(),
        "used: extended"
    );
    clock.advance(Duration::days(SESSION_TTL_DAYS - 1));
    assert!(
        resolve_session(&svc, &s.token).await.unwrap().is_some(),
        "still within the new expiry"
    );
    clock.advance(Duration::days(SESSION_TTL_DAYS + 1));
    assert!(
        resolve_session(&svc, &s.token).await.unwrap().is_none(),
        "idle too long"
    );
    assert!(resolve_session(&svc, "not-a-token")
        .await
        .unwrap()
        .is_none());
}

/// The token from the newest reset email in the record.
async fn last_reset_token(svc: &Services) -> String {
    let mails = email::Entity::find().all(&svc.db).await.unwrap();
    let body = &mails
        .iter()
        .rev()
        .find(|m| m.kind == "password_reset")
        .unwrap()
        .body_text;
    let link = body
        .split_whitespace()
        .find(|w| w.contains("/password/reset/"))
        .unwrap();
    link.rsplit('/').next().unwrap().to_owned()
}

#[tokio::test]
async fn reset_links_expire_after_an_hour_and_are_rate_limited() {
    let (svc, clock) = setup().await;
    request_password_reset(&svc, "ana@example.com")
        .await
        .unwrap();
    let token = last_reset_token(&svc).await;
    let mails = email::Entity::find().all(&svc.db).await.unwrap();
    assert_eq!(
        (mails[0].status.as_str(), mails[0].language.as_str()),
        ("recorded", "es")
    );
    assert!(mails[0]
        .body_text
        .contains("https://portal.example.com/password/reset/"));

    clock.advance(Duration::minutes(61));
    let new = NewPassword::parse("a new long password", "a new long password").unwrap();
    let r = reset_password(&svc, &token, &new).await;
    assert!(matches!(r, Err(DomainError::Invalid(Invalid::ResetLink))));

    // Three more within the next hour are sent, a fourth is not.
    for _ in 0..4 {
        request_password_reset(&svc, "ana@example.com")
            .await
            .unwrap();
    }
    let count =
        |mails: Vec<email::Model>| mails.iter().filter(|m| m.kind == "password_reset").count();
    assert_eq!(
        count(email::Entity::find().all(&svc.db).await.unwrap()),
        1 + 3
    );
    assert!(reset_password(&svc, &last_reset_token(&svc).await, &new)
        .await
        .is_ok());
}

#[tokio::test]
async fn change_password_refuses_a_wrong_current_password() {
    let (svc, _) = setup().await;
    let s = sign_in(&svc, "ben@example.com", PASSWORD, &meta("10.0.0.1"), None)
        .await
        .unwrap()
        .signed_in()
        .unwrap();
    let new = NewPassword::parse("a new long password", "a new long password").unwrap();
    let r = change_password(&svc, s.user.id, s.user.session_id, "wrong", &new).await;
    assert!(matches!(
        r,
        Err(DomainError::Invalid(Invalid::CurrentPassword))
    ));
    assert!(
        sign_in(&svc, "ben@example.com", PASSWORD, &meta("10.0.0.1"), None)
            .await
            .is_ok()
    );
}
