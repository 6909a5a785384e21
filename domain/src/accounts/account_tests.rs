//! Profile, login email change, two-factor sign-in and contacts against a real (in-memory
//! SQLite) database, with a clock the tests move and the emails as recorded.
use super::*;
use crate::{
    billing::invoices::{issue, NewItem},
    clock::ManualClock,
    entities::{email, invoice},
    error::{Invalid, Refused},
    DomainError, Services,
};
use chrono::Duration;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};

const PASSWORD: &str = "correct horse battery";

async fn setup() -> (Services, ManualClock, i32, i32) {
    let clock = crate::test_support::test_clock();
    let svc = crate::test_support::services_with_clock(clock.clone()).await;
    let mut ids = vec![];
    for email in ["ana@example.com", "ben@example.com"] {
        let u = create_user(
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
        ids.push(u.id);
    }
    (svc, clock, ids[0], ids[1])
}

fn meta() -> RequestMeta {
    RequestMeta {
        ip: "10.0.0.1".into(),
        user_agent: "test".into(),
    }
}

async fn last_email(svc: &Services, kind: &str) -> email::Model {
    email::Entity::find()
        .filter(email::Column::Kind.eq(kind))
        .order_by_desc(email::Column::Id)
        .one(&svc.db)
        .await
        .unwrap()
        .unwrap_or_else(|| panic!("no {kind} email"))
}

/// The token at the end of the first link in an email.
fn token_in(body: &str, path: &str) -> String {
    let at = body
        .find(path)
        .unwrap_or_else(|| panic!("no {path} in {body}"));
    body[at + path.len()..]
        .split_whitespace()
        .next()
        .unwrap()
        .to_owned()
}

async fn sign_in_ok(
    svc: &Services,
    email: &str,
    password: &str,
) -> Result<SignInStep, DomainError> {
    sign_in(svc, email, password, &meta(), None).await
}

#[tokio::test]
async fn profile_changes_apply_to_future_invoices_only() {
    let (svc, _, ana, _) = setup().await;
    let form = |company: &str| profile::ProfileForm {
        name: "Ana García".into(),
        company: company.into(),
        address: "Calle Mayor 1".into(),
        postcode: "28001".into(),
        region: "Madrid".into(),
        country: "ES".into(),
        vat_id: "B12345678".into(),
        phone: "+34 600 000 000".into(),
        language: "es".into(),
    };
    let saved = profile::update_profile(&svc, ana, form("Old S.L.").parse().unwrap())
        .await
        .unwrap();
    assert_eq!(saved.details.vat_id, "ESB12345678");
    let item = NewItem {
        service_id: None,
        description: "Hosting".into(),
        period: None,
        amount_cents: 1000,
    };
    let today = svc.now().date_naive();
    let first = issue(
        &svc.db,
        &svc.billing,
        ana,
        "EUR",
        std::slice::from_ref(&item),
        today,
        today,
        svc.now(),
    )
    .await
    .unwrap();
    profile::update_profile(&svc, ana, form("New S.L.").parse().unwrap())
        .await
        .unwrap();
    let second = issue(
        &svc.db,
        &svc.billing,
        ana,
        "EUR",
        &[item],
        today,
        today,
        svc.now(),
    )
    .await
    .unwrap();
    let first = invoice::Entity::find_by_id(first.id)
        .one(&svc.db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        first.bill_to_company, "Old S.L.",
        "an issued invoice keeps its copy"
    );
    assert_eq!(second.bill_to_company, "New S.L.");
    assert_eq!(second.bill_to_vat_id, "ESB12345678");
    assert_eq!(
        profile::profile(&svc, ana).await.unwrap().details.company,
        "New S.L."
    );
}

#[tokio::test]
async fn email_change_needs_the_link_and_tells_the_old_address() {
    let (svc, clock, ana, _) = setup().await;
    // Another account's address, in any case: refused, with the same vague answer.
    let taken = request_email_change(&svc, ana, "BEN@example.com", PASSWORD).await;
    assert!(matches!(
        taken,
        Err(DomainError::Invalid(Invalid::EmailTaken))
    ));
    let wrong = request_email_change(&svc, ana, "ana@new.example", "nope").await;
    assert!(matches!(
        wrong,
        Err(DomainError::Invalid(Invalid::CurrentPassword))
    ));
    let same = request_email_change(&svc, ana, "ana@example.com", PASSWORD).await;
    assert!(matches!(
        same,
        Err(DomainError::Invalid(Invalid::EmailUnchanged))
    ));

    let pending = request_email_change(&svc, ana, "Ana@New.Example", PASSWORD)
        .await
        .unwrap();
    assert_eq!(pending.new_email, "ana@new.example");
    let mail = last_email(&svc, "email_change_confirm").await;
    assert_eq!(
        mail.to_address, "ana@new.example",
        "the link goes to the new address"
    );
    assert!(mail.subject.contains("Confirma"), "{}", mail.subject);
    let token = token_in(&mail.body_text, "/email/confirm/");
    // Until confirmed, the old address signs in and the new one does not.
    assert!(sign_in_ok(&svc, "ana@example.com", PASSWORD).await.is_ok());
    assert!(sign_in_ok(&svc, "ana@new.example", PASSWORD).await.is_err());
    assert_eq!(
        pending_email_change(&svc, ana)
            .await
            .unwrap()
            .unwrap()
            .new_email,
        "ana@new.example"
    );

    assert_eq!(
        confirm_email_change(&svc, &token).await.unwrap(),
        "ana@new.example"
    );
    assert!(sign_in_ok(&svc, "ana@new.example", PASSWORD).await.is_ok());
    assert!(matches!(
        sign_in_ok(&svc, "ana@example.com", PASSWORD).await,
        Err(DomainError::InvalidCredentials)
    ));
    let told = last_email(&svc, "email_changed").await;
    assert_eq!(
        told.to_address, "ana@example.com",
        "the old address is told"
    );
    assert!(told.body_text.contains("ana@new.example"));
    // The link works once, and a newer request replaces an older link; links expire.
    assert!(confirm_email_change(&svc, &token).await.is_err());
    request_email_change(&svc, ana, "one@example.com", PASSWORD)
        .await
        .unwrap();
    let older = token_in(
        &last_email(&svc, "email_change_confirm").await.body_text,
        "/email/confirm/",
    );
    request_email_change(&svc, ana, "two@example.com", PASSWORD)
        .await
        .unwrap();
    assert!(confirm_email_change(&svc, &older).await.is_err());
    let newer = token_in(
        &last_email(&svc, "email_change_confirm").await.body_text,
        "/email/confirm/",
    );
    clock.advance(Duration::hours(CONFIRM_LINK_HOURS) + Duration::minutes(1));
    assert!(confirm_email_change(&svc, &newer).await.is_err());
}

#[tokio::test]
async fn email_change_links_are_limited_per_hour_even_when_replaced() {
    let (svc, clock, ana, _) = setup().await;
    for n in 0..5 {
        request_email_change(&svc, ana, &format!("n{n}@example.com"), PASSWORD)
            .await
            .unwrap();
        clock.advance(Duration::minutes(10));
    }
    // 50 minutes after the first: it frees up in 10.
    assert!(matches!(
        request_email_change(&svc, ana, "n5@example.com", PASSWORD).await,
        Err(DomainError::Throttled {
            retry_after_minutes: 11
        })
    ));
    cancel_email_change(&svc, ana).await.unwrap();
    assert!(pending_email_change(&svc, ana).await.unwrap().is_none());
    clock.advance(Duration::minutes(11));
    request_email_change(&svc, ana, "n5@example.com", PASSWORD)
        .await
        .unwrap();
}

#[tokio::test]
async fn an_address_taken_while_waiting_is_refused_at_confirmation() {
    let (svc, _, ana, ben) = setup().await;
    request_email_change(&svc, ana, "shared@example.com", PASSWORD)
        .await
        .unwrap();
    let ana_token = token_in(
        &last_email(&svc, "email_change_confirm").await.body_text,
        "/email/confirm/",
    );
    request_email_change(&svc, ben, "shared@example.com", PASSWORD)
        .await
        .unwrap();
    let ben_token = token_in(
        &last_email(&svc, "email_change_confirm").await.body_text,
        "/email/confirm/",
    );
    confirm_email_change(&svc, &ben_token).await.unwrap();
    assert!(matches!(
        confirm_email_change(&svc, &ana_token).await,
        Err(DomainError::Invalid(Invalid::EmailTaken))
    ));
    assert_eq!(
        profile::profile(&svc, ana).await.unwrap().email,
        "ana@example.com"
    );
}

#[tokio::test]
async fn two_factor_sign_in_with_codes_and_recovery_codes() {
    let (svc, clock, ana, _) = setup().await;
    let setup = totp::begin_totp_setup(&svc, ana).await.unwrap();
    let secret = totp::decode_secret(&setup.secret).unwrap();
    assert!(setup.uri.contains(&setup.secret));
    // Not in force until a code is confirmed.
    assert!(sign_in_ok(&svc, "ana@example.com", PASSWORD)
        .await
        .unwrap()
        .signed_in()
        .is_some());
    assert!(matches!(
        totp::enable_totp(&svc, ana, "000000").await,
        Err(DomainError::Invalid(Invalid::SecondFactorCode))
    ));
    assert_eq!(setup.recovery_codes.len(), totp::RECOVERY_CODES);
    let again = totp::totp_setup_in_progress(&svc, ana)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        (again.secret.as_str(), &again.recovery_codes),
        (setup.secret.as_str(), &setup.recovery_codes)
    );
    let codes = totp::enable_totp(&svc, ana, &totp::code_at(&secret, svc.now()))
        .await
        .unwrap();
    assert_eq!(
        codes, setup.recovery_codes,
        "the codes shown during set-up are the ones in force"
    );
    assert!(totp::totp_setup_in_progress(&svc, ana)
        .await
        .unwrap()
        .is_none());
    assert_eq!(
        last_email(&svc, "two_factor_on").await.to_address,
        "ana@example.com"
    );

    // The password alone no longer signs in.
    let SignInStep::NeedsCode(challenge) =
        sign_in_ok(&svc, "ana@example.com", PASSWORD).await.unwrap()
    else {
        panic!("a code should be asked for");
    };
    assert!(matches!(
        totp::complete_sign_in(&svc, &challenge, "123456", &meta(), None).await,
        Err(DomainError::Invalid(Invalid::SecondFactorCode))
    ));
    clock.advance(Duration::seconds(40));
    let signed = totp::complete_sign_in(
        &svc,
        &challenge,
        &totp::code_at(&secret, svc.now()),
        &meta(),
        None,
    )
    .await
    .unwrap();
    assert_eq!(signed.user.id, ana);
    assert!(signed.user.totp);
    // The half-done sign-in is spent.
    assert!(totp::complete_sign_in(
        &svc,
        &challenge,
        &totp::code_at(&secret, svc.now()),
        &meta(),
        None
    )
    .await
    .is_err());
    // A code works once, even for a new sign-in within its 90 seconds; so does an older one.
    for used in [svc.now(), svc.now() - Duration::seconds(30)] {
        let SignInStep::NeedsCode(c1) =
            sign_in_ok(&svc, "ana@example.com", PASSWORD).await.unwrap()
        else {
            panic!()
        };
        assert!(matches!(
            totp::complete_sign_in(&svc, &c1, &totp::code_at(&secret, used), &meta(), None).await,
            Err(DomainError::Invalid(Invalid::SecondFactorCode))
        ));
    }

    // A recovery code works once, typed in lower case without its dash.
    let typed = codes[0].replace('-', "").to_lowercase();
    let SignInStep::NeedsCode(c2) = sign_in_ok(&svc, "ana@example.com", PASSWORD).await.unwrap()
    else {
        panic!()
    };
    totp::complete_sign_in(&svc, &c2, &typed, &meta(), None)
        .await
        .unwrap();
    assert_eq!(totp::recovery_codes_left(&svc, ana).await.unwrap(), 9);
    let SignInStep::NeedsCode(c3) = sign_in_ok(&svc, "ana@example.com", PASSWORD).await.unwrap()
    else {
        panic!()
    };
    assert!(totp::complete_sign_in(&svc, &c3, &codes[0], &meta(), None)
        .await
        .is_err());

    // Five wrong codes end the half-done sign-in even for the right code after.
    let SignInStep::NeedsCode(c4) = sign_in_ok(&svc, "ana@example.com", PASSWORD).await.unwrap()
    else {
        panic!()
    };
    for _ in 0..5 {
        let _ = totp::complete_sign_in(&svc, &c4, "999999", &meta(), None).await;
    }
    assert!(matches!(
        totp::complete_sign_in(&svc, &c4, &totp::code_at(&secret, svc.now()), &meta(), None).await,
        Err(DomainError::InvalidCredentials)
    ));
    // The challenge expires.
    clock.advance(Duration::minutes(20));
    let SignInStep::NeedsCode(c5) = sign_in_ok(&svc, "ana@example.com", PASSWORD).await.unwrap()
    else {
        panic!()
    };
    clock.advance(Duration::minutes(totp::CHALLENGE_MINUTES + 1));
    assert!(
        totp::complete_sign_in(&svc, &c5, &totp::code_at(&secret, svc.now()), &meta(), None)
            .await
            .is_err()
    );

    // Turning it off needs the password.
    assert!(matches!(
        totp::disable_totp(&svc, ana, "wrong").await,
        Err(DomainError::Invalid(Invalid::CurrentPassword))
    ));
    totp::disable_totp(&svc, ana, PASSWORD).await.unwrap();
    assert!(sign_in_ok(&svc, "ana@example.com", PASSWORD)
        .await
        .unwrap()
        .signed_in()
        .is_some());
    assert!(matches!(
        totp::disable_totp(&svc, ana, PASSWORD).await,
        Err(DomainError::Refused(Refused::TwoFactorState))
    ));
}

#[tokio::test]
async fn staff_can_be_required_to_use_two_factor_sign_in() {
    let (svc, ..) = setup().await;
    let admin = create_user(
        &svc,
        NewUser {
            email: "admin@example.com",
            password: PASSWORD,
            name: "Admin",
            role: Role::Staff,
            language: Language::En,
        },
    )
    .await
    .unwrap();
    let token = |s: SignInStep| s.signed_in().unwrap().token;
    let t = token(
        sign_in_ok(&svc, "admin@example.com", PASSWORD)
            .await
            .unwrap(),
    );
    let ana_t = token(sign_in_ok(&svc, "ana@example.com", PASSWORD).await.unwrap());
    assert!(
        !resolve_session(&svc, &t)
            .await
            .unwrap()
            .unwrap()
            .needs_totp_setup
    );
    settings::set_staff_require_totp(&svc.db, true)
        .await
        .unwrap();
    assert!(
        resolve_session(&svc, &t)
            .await
            .unwrap()
            .unwrap()
            .needs_totp_setup
    );
    assert!(
        !resolve_session(&svc, &ana_t)
            .await
            .unwrap()
            .unwrap()
            .needs_totp_setup,
        "clients are not staff"
    );
    let s = totp::begin_totp_setup(&svc, admin.id).await.unwrap();
    let code = totp::code_at(&totp::decode_secret(&s.secret).unwrap(), svc.now());
    totp::enable_totp(&svc, admin.id, &code).await.unwrap();
    assert!(
        !resolve_session(&svc, &t)
            .await
            .unwrap()
            .unwrap()
            .needs_totp_setup
    );
    settings::set_staff_require_totp(&svc.db, false)
        .await
        .unwrap();
    assert!(!settings::staff_require_totp(&svc.db).await.unwrap());
}

#[tokio::test]
async fn contacts_act_for_the_account_within_their_permissions() {
    let (svc, _, ana, ben) = setup().await;
    let tickets_only = Permissions::from_iter([Permission::Tickets]);
    let all = Permissions::all();
    let new = |email: &'static str, permissions| contacts::NewContact {
        name: "Carla",
        email,
        permissions,
    };
    assert!(matches!(
        contacts::invite_contact(&svc, ana, all, new("ben@example.com", tickets_only)).await,
        Err(DomainError::Invalid(Invalid::EmailTaken))
    ));
    assert!(matches!(
        contacts::invite_contact(
            &svc,
            ana,
            all,
            new("carla@example.com", Permissions::none())
        )
        .await,
        Err(DomainError::Invalid(Invalid::NoPermissions))
    ));
    // A contact who manages contacts cannot give more than they have.
    assert!(matches!(
        contacts::invite_contact(
            &svc,
            ana,
            Permissions::from_iter([Permission::Contacts]),
            new("carla@example.com", tickets_only)
        )
        .await,
        Err(DomainError::Forbidden)
    ));
    let carla = contacts::invite_contact(&svc, ana, all, new("carla@example.com", tickets_only))
        .await
        .unwrap();
    assert!(carla.pending);
    // Until she chooses a password nothing signs her in.
    assert!(sign_in_ok(&svc, "carla@example.com", "").await.is_err());
    let mail = last_email(&svc, "contact_invitation").await;
    assert_eq!(mail.to_address, "carla@example.com");
    let token = token_in(&mail.body_text, "/password/welcome/");
    let pw = NewPassword::parse("carla's own password", "carla's own password").unwrap();
    reset_password(&svc, &token, &pw).await.unwrap();
    let warned = email::Entity::find()
        .filter(email::Column::Kind.eq("password_changed"))
        .one(&svc.db)
        .await
        .unwrap();
    assert!(
        warned.is_none(),
        "a first password is not a change to warn about"
    );
    let s = sign_in_ok(&svc, "carla@example.com", "carla's own password")
        .await
        .unwrap()
        .signed_in()
        .unwrap();
    assert_eq!((s.user.id, s.user.client_id), (carla.id, ana));
    assert!(s.user.is_contact());
    assert!(s.user.can(Permission::Tickets) && !s.user.can(Permission::Invoices));
    assert!(!contacts::list_contacts(&svc, ana).await.unwrap()[0].pending);

    // Another client cannot see, change or remove her.
    assert!(contacts::list_contacts(&svc, ben).await.unwrap().is_empty());
    assert!(matches!(
        contacts::set_contact_permissions(&svc, ben, all, carla.id, all).await,
        Err(DomainError::NotFound)
    ));
    assert!(matches!(
        contacts::remove_contact(&svc, ben, ben, carla.id).await,
        Err(DomainError::NotFound)
    ));

    // A change applies at her next request.
    contacts::set_contact_permissions(
        &svc,
        ana,
        all,
        carla.id,
        Permissions::from_iter([Permission::Invoices]),
    )
    .await
    .unwrap();
    let now = resolve_session(&svc, &s.token).await.unwrap().unwrap();
    assert!(now.can(Permission::Invoices) && !now.can(Permission::Tickets));
    // Removing her ends her sessions.
    // Nobody removes themselves, not even with the contacts permission.
    assert!(matches!(
        contacts::remove_contact(&svc, ana, carla.id, carla.id).await,
        Err(DomainError::Forbidden)
    ));
    contacts::remove_contact(&svc, ana, ana, carla.id)
        .await
        .unwrap();
    assert!(resolve_session(&svc, &s.token).await.unwrap().is_none());
    assert!(
        sign_in_ok(&svc, "carla@example.com", "carla's own password")
            .await
            .is_err()
    );
    // The owner's session is an owner's: everything, its own id.
    let own = sign_in_ok(&svc, "ana@example.com", PASSWORD)
        .await
        .unwrap()
        .signed_in()
        .unwrap();
    assert!(!own.user.is_contact() && own.user.permissions == Permissions::all());
}

#[tokio::test]
async fn an_account_has_at_most_fifty_contacts() {
    let (svc, _, ana, _) = setup().await;
    let all = Permissions::all();
    for i in 0..contacts::MAX_CONTACTS {
        let email = format!("contact{i}@example.com");
        let new = contacts::NewContact {
            name: "Contact",
            email: &email,
            permissions: all,
        };
        contacts::invite_contact(&svc, ana, all, new).await.unwrap();
    }
    let one_more = contacts::NewContact {
        name: "Contact",
        email: "one-more@example.com",
        permissions: all,
    };
    assert!(matches!(
        contacts::invite_contact(&svc, ana, all, one_more).await,
        Err(DomainError::Refused(Refused::TooManyContacts))
    ));
    assert_eq!(
        contacts::list_contacts(&svc, ana).await.unwrap().len() as u64,
        contacts::MAX_CONTACTS
    );
}

#[tokio::test]
async fn support_turns_two_factor_off_for_an_account_locked_out_of_it() {
    let (svc, _, ana, _) = setup().await;
    let signed = sign_in_ok(&svc, "ana@example.com", PASSWORD)
        .await
        .unwrap()
        .signed_in()
        .unwrap();
    let setup = totp::begin_totp_setup(&svc, ana).await.unwrap();
    let secret = totp::decode_secret(&setup.secret).unwrap();
    totp::enable_totp(&svc, ana, &totp::code_at(&secret, svc.now()))
        .await
        .unwrap();
    // Half-way through a sign-in when support steps in.
    let SignInStep::NeedsCode(challenge) =
        sign_in_ok(&svc, "ana@example.com", PASSWORD).await.unwrap()
    else {
        panic!("a code should be asked for");
    };

    // Unknown addresses and accounts without it are refused, and change nothing.
    assert!(matches!(
        totp::reset_totp(&svc, "nobody@example.com").await,
        Err(DomainError::NotFound)
    ));
    assert!(matches!(
        totp::reset_totp(&svc, "not an address").await,
        Err(DomainError::Invalid(_))
    ));
    assert!(matches!(
        totp::reset_totp(&svc, "ben@example.com").await,
        Err(DomainError::Refused(Refused::TwoFactorState))
    ));

    assert_eq!(
        totp::reset_totp(&svc, " Ana@Example.com ").await.unwrap(),
        ana
    );
    // Every session and the half-done sign-in ended; the password alone signs in again.
    assert!(resolve_session(&svc, &signed.token)
        .await
        .unwrap()
        .is_none());
    assert!(totp::complete_sign_in(
        &svc,
        &challenge,
        &totp::code_at(&secret, svc.now()),
        &meta(),
        None
    )
    .await
    .is_err());
    assert!(totp::recovery_codes_left(&svc, ana).await.unwrap() == 0);
    assert!(sign_in_ok(&svc, "ana@example.com", PASSWORD)
        .await
        .unwrap()
        .signed_in()
        .is_some());
    assert_eq!(
        last_email(&svc, "two_factor_off").await.to_address,
        "ana@example.com"
    );
    // Done once: a second time there is nothing to turn off.
    assert!(matches!(
        totp::reset_totp(&svc, "ana@example.com").await,
        Err(DomainError::Refused(Refused::TwoFactorState))
    ));
}
