use super::*;
use crate::{
    clock::ManualClock,
    demo,
    entities::{email, ticket, ticket_file},
    error::{DomainError, Invalid, Refused},
    test_support::{services_with_clock, test_clock, user_id},
    Services,
};
use chrono::Duration;
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};

async fn world() -> (Services, ManualClock) {
    let clock = test_clock();
    let svc = services_with_clock(clock.clone()).await;
    demo::load(&svc, false).await.unwrap();
    (svc, clock)
}

async fn hosting(svc: &Services) -> i32 {
    departments::list_active(&svc.db)
        .await
        .unwrap()
        .into_iter()
        .find(|d| d.name_en == demo::HOSTING_DEPARTMENT)
        .unwrap()
        .id
}

fn file(name: &str, bytes: &[u8]) -> NewAttachment {
    NewAttachment::parse(name, bytes.to_vec(), &TicketSettings::default()).unwrap()
}

async fn new_ticket(svc: &Services, client: i32, files: Vec<NewAttachment>) -> i32 {
    let department_id = hosting(svc).await;
    open(
        svc,
        client,
        NewTicket {
            department_id,
            service_id: None,
            priority: Priority::Medium,
            subject: Subject::parse("My site is down").unwrap(),
            body: MessageBody::parse("It shows <b>error 500</b>.").unwrap(),
            attachments: files,
            form_key: None,
        },
    )
    .await
    .unwrap()
}

fn body(s: &str) -> MessageBody {
    MessageBody::parse(s).unwrap()
}

async fn status(svc: &Services, id: i32) -> TicketStatus {
    thread_for_staff(svc, id).await.unwrap().ticket.status
}

async fn emails(svc: &Services, to: &str, kind: &str) -> Vec<email::Model> {
    email::Entity::find()
        .filter(email::Column::ToAddress.eq(to))
        .filter(email::Column::Kind.eq(kind))
        .all(&svc.db)
        .await
        .unwrap()
}

#[test]
fn input_is_parsed() {
    assert_eq!(Subject::parse("  Hi there ").unwrap().as_str(), "Hi there");
    for bad in ["", "ab", "two\nlines", &"x".repeat(201), "bell\u{7}"] {
        assert_eq!(Subject::parse(bad), Err(Invalid::TicketSubject), "{bad:?}");
    }
    assert_eq!(body(" a\r\nb ").as_str(), "a\nb");
    for bad in ["", " \n ", &"x".repeat(20_001), "nul\0byte"] {
        assert_eq!(MessageBody::parse(bad), Err(Invalid::TicketBody));
    }
    assert!(MessageBody::parse(&"ñ".repeat(20_000)).is_ok());

    let s = TicketSettings::default();
    let a = NewAttachment::parse("C:\\Users\\ana\\shot.PNG", vec![1, 2], &s).unwrap();
    assert_eq!(
        (a.filename.as_str(), a.content_type),
        ("shot.PNG", "image/png")
    );
    assert_eq!(
        NewAttachment::parse("run.exe", vec![1], &s),
        Err(Invalid::AttachmentType)
    );
    assert_eq!(
        NewAttachment::parse("page.html", vec![1], &s),
        Err(Invalid::AttachmentType)
    );
    assert_eq!(
        NewAttachment::parse("noext", vec![1], &s),
        Err(Invalid::AttachmentType)
    );
    assert_eq!(
        NewAttachment::parse("a.txt", vec![], &s),
        Err(Invalid::AttachmentEmpty)
    );
    assert_eq!(
        NewAttachment::parse("a.txt", vec![0; s.max_attachment_bytes + 1], &s),
        Err(Invalid::AttachmentTooLarge)
    );
    assert!(NewAttachment::parse("a.txt", vec![0; s.max_attachment_bytes], &s).is_ok());
    let six = (0..6).map(|i| (format!("{i}.txt"), vec![1])).collect();
    assert_eq!(parse_attachments(six, &s), Err(Invalid::TooManyAttachments));
}

#[tokio::test]
async fn statuses_move_with_replies_and_changes() {
    let (svc, _clock) = world().await;
    let ana = user_id(&svc, "ana@example.com").await;
    let admin = user_id(&svc, "admin@example.com").await;
    let id = new_ticket(&svc, ana, vec![]).await;
    assert_eq!(status(&svc, id).await, TicketStatus::Open);

    reply_as_staff(&svc, admin, id, body("A note"), vec![], true)
        .await
        .unwrap();
    assert_eq!(
        status(&svc, id).await,
        TicketStatus::Open,
        "a note changes nothing"
    );
    assert!(emails(&svc, "ana@example.com", "ticket_reply")
        .await
        .is_empty());

    reply_as_staff(&svc, admin, id, body("We fixed it."), vec![], false)
        .await
        .unwrap();
    assert_eq!(status(&svc, id).await, TicketStatus::Answered);
    let mails = emails(&svc, "ana@example.com", "ticket_reply").await;
    assert_eq!(mails.len(), 1);
    assert_eq!(mails[0].language, "es");
    assert!(mails[0].body_text.contains("We fixed it."));
    assert!(mails[0].body_text.contains(&format!("/tickets/{id}")));
    assert_ne!(
        mails[0].status, "pending",
        "delivered (recorded) after the commit"
    );

    reply_as_client(&svc, ana, id, body("Thanks, still slow"), vec![])
        .await
        .unwrap();
    assert_eq!(status(&svc, id).await, TicketStatus::CustomerReply);

    let c = |status| TicketChange {
        status,
        priority: Priority::High,
        department_id: 1,
        assigned_to: Some(admin),
    };
    change(&svc, id, c(TicketStatus::OnHold)).await.unwrap();
    let t = thread_for_staff(&svc, id).await.unwrap().ticket;
    assert_eq!(
        (t.status, t.priority, t.assigned_to),
        (TicketStatus::OnHold, Priority::High, Some(admin))
    );
    assert_eq!(
        change(
            &svc,
            id,
            TicketChange {
                assigned_to: Some(ana),
                ..c(TicketStatus::Open)
            }
        )
        .await
        .unwrap_err()
        .to_string(),
        DomainError::Invalid(Invalid::TicketAssignee).to_string()
    );

    close_by_client(&svc, ana, id).await.unwrap();
    assert_eq!(status(&svc, id).await, TicketStatus::Closed);
    // A reply reopens it (the default)…
    reply_as_client(&svc, ana, id, body("It broke again"), vec![])
        .await
        .unwrap();
    assert_eq!(status(&svc, id).await, TicketStatus::CustomerReply);
    // …unless configured not to.
    close_by_client(&svc, ana, id).await.unwrap();
    let mut strict = svc.clone();
    strict.tickets.reopen_on_reply = false;
    assert!(matches!(
        reply_as_client(&strict, ana, id, body("Again"), vec![]).await,
        Err(DomainError::Refused(Refused::TicketClosed))
    ));
    assert_eq!(status(&svc, id).await, TicketStatus::Closed);
    let thread = thread_for_client(&svc, ana, id).await.unwrap();
    assert_eq!(
        thread.messages.len(),
        4,
        "the refused reply was not kept; the note is hidden"
    );
    assert!(thread.messages.iter().all(|m| !m.internal));
    assert!(
        thread.messages[1]
            .body
            .ends_with("-- \nPortico support team"),
        "signed"
    );
}

#[tokio::test]
async fn another_clients_ticket_and_files_are_not_found() {
    let (svc, _clock) = world().await;
    let ana = user_id(&svc, "ana@example.com").await;
    let ben = user_id(&svc, "ben@example.com").await;
    let admin = user_id(&svc, "admin@example.com").await;
    let id = new_ticket(&svc, ana, vec![file("log.txt", b"line 1")]).await;
    reply_as_staff(
        &svc,
        admin,
        id,
        body("internal"),
        vec![file("secret.txt", b"staff only")],
        true,
    )
    .await
    .unwrap();
    let thread = thread_for_staff(&svc, id).await.unwrap();
    let public = thread.messages[0].attachments[0].id;
    let private = thread.messages[1].attachments[0].id;

    assert!(matches!(
        thread_for_client(&svc, ben, id).await,
        Err(DomainError::NotFound)
    ));
    assert!(matches!(
        reply_as_client(&svc, ben, id, body("hi"), vec![]).await,
        Err(DomainError::NotFound)
    ));
    assert!(matches!(
        close_by_client(&svc, ben, id).await,
        Err(DomainError::NotFound)
    ));
    for (client, att) in [(Some(ben), public), (Some(ana), private), (Some(ana), 9999)] {
        assert!(matches!(
            attachments::download(&svc.db, client, id, att).await,
            Err(DomainError::NotFound)
        ));
    }
    let got = attachments::download(&svc.db, Some(ana), id, public)
        .await
        .unwrap();
    assert_eq!(
        (got.filename.as_str(), got.bytes.as_slice()),
        ("log.txt", &b"line 1"[..])
    );
    assert!(
        attachments::download(&svc.db, None, id, private)
            .await
            .is_ok(),
        "staff see notes' files"
    );
    // The attachment id must belong to the ticket named in the address.
    let other = new_ticket(&svc, ana, vec![]).await;
    assert!(matches!(
        attachments::download(&svc.db, Some(ana), other, public).await,
        Err(DomainError::NotFound)
    ));
    assert_eq!(
        list_for_client(&svc.db, ben, None, 1).await.unwrap().total,
        0
    );
}

#[tokio::test]
async fn the_same_file_is_stored_once() {
    let (svc, _clock) = world().await;
    let ana = user_id(&svc, "ana@example.com").await;
    let id = new_ticket(&svc, ana, vec![file("a.png", b"same bytes")]).await;
    reply_as_client(
        &svc,
        ana,
        id,
        body("again"),
        vec![file("b.png", b"same bytes")],
    )
    .await
    .unwrap();
    assert_eq!(ticket_file::Entity::find().count(&svc.db).await.unwrap(), 1);
    let files: Vec<_> = thread_for_client(&svc, ana, id)
        .await
        .unwrap()
        .messages
        .into_iter()
        .flat_map(|m| m.attachments)
        .collect();
    assert_eq!(files.len(), 2);
}

#[tokio::test]
async fn new_tickets_check_department_service_and_rate() {
    let (svc, clock) = world().await;
    let ana = user_id(&svc, "ana@example.com").await;
    let ben = user_id(&svc, "ben@example.com").await;
    let ben_service = services_of(&svc.db, ben).await.unwrap()[0].0;
    let department_id = hosting(&svc).await;
    let t = |service_id, department_id| NewTicket {
        department_id,
        service_id,
        priority: Priority::Low,
        subject: Subject::parse("Question").unwrap(),
        body: body("Hello"),
        attachments: vec![],
        form_key: None,
    };
    assert!(matches!(
        open(&svc, ana, t(Some(ben_service), department_id)).await,
        Err(DomainError::Invalid(Invalid::TicketService))
    ));
    assert!(matches!(
        open(&svc, ana, t(None, 999)).await,
        Err(DomainError::Invalid(Invalid::TicketDepartment))
    ));
    let mut input = departments::list_all(&svc.db).await.unwrap()[2].clone();
    input.active = false;
    departments::update(
        &svc.db,
        input.id,
        &departments::DepartmentInput {
            name_en: input.name_en,
            name_es: input.name_es,
            description_en: input.description_en,
            description_es: input.description_es,
            position: input.position,
            active: false,
        },
    )
    .await
    .unwrap();
    assert!(matches!(
        open(&svc, ana, t(None, input.id)).await,
        Err(DomainError::Invalid(Invalid::TicketDepartment))
    ));

    for i in 0..5 {
        open(&svc, ana, t(None, department_id)).await.unwrap();
        clock.advance(Duration::minutes(10 * i64::from(i > 0)));
    }
    // Five in the last 40 minutes: the first leaves the hour in 20.
    match open(&svc, ana, t(None, department_id)).await {
        Err(DomainError::Throttled {
            retry_after_minutes,
        }) => assert_eq!(retry_after_minutes, 20),
        other => panic!("expected Throttled, got {other:?}"),
    }
    assert!(
        open(&svc, ben, t(None, department_id)).await.is_ok(),
        "per client"
    );
    clock.advance(Duration::minutes(21));
    assert!(open(&svc, ana, t(None, department_id)).await.is_ok());
}

#[tokio::test]
async fn unread_follows_staff_replies_and_reading() {
    let (svc, clock) = world().await;
    let ana = user_id(&svc, "ana@example.com").await;
    let admin = user_id(&svc, "admin@example.com").await;
    // The demo's answered ticket is unread.
    let before = unread_for_client(&svc.db, ana).await.unwrap();
    assert_eq!(before, 1);
    let id = new_ticket(&svc, ana, vec![]).await;
    let unread = |svc: &Services| {
        let db = svc.db.clone();
        async move {
            list_for_client(&db, ana, None, 1)
                .await
                .unwrap()
                .items
                .into_iter()
                .find(|t| t.id == id)
                .unwrap()
                .unread
        }
    };
    assert!(!unread(&svc).await);
    let staff_view = queue(&svc.db, QueueFilter::default(), 1).await.unwrap();
    assert!(
        staff_view.items.iter().find(|t| t.id == id).unwrap().unread,
        "new for staff"
    );
    clock.advance(Duration::minutes(1));
    reply_as_staff(&svc, admin, id, body("Hi"), vec![], false)
        .await
        .unwrap();
    assert!(unread(&svc).await);
    assert_eq!(unread_for_client(&svc.db, ana).await.unwrap(), 2);
    thread_for_client(&svc, ana, id).await.unwrap();
    assert!(!unread(&svc).await);
    let staff_view = queue(&svc.db, QueueFilter::default(), 1).await.unwrap();
    assert!(!staff_view.items.iter().find(|t| t.id == id).unwrap().unread);
}

#[tokio::test]
async fn answered_tickets_close_after_the_configured_days() {
    let (svc, clock) = world().await;
    let ana = user_id(&svc, "ana@example.com").await;
    let admin = user_id(&svc, "admin@example.com").await;
    let waiting = new_ticket(&svc, ana, vec![]).await;
    let replied = new_ticket(&svc, ana, vec![]).await;
    for id in [waiting, replied] {
        reply_as_staff(&svc, admin, id, body("Done?"), vec![], false)
            .await
            .unwrap();
    }
    // The demo's answered ticket is a day old: it closes one day before these two.
    clock.advance(Duration::days(6));
    assert_eq!(
        autoclose::run(&svc).await.unwrap(),
        1,
        "only the demo ticket"
    );
    reply_as_client(&svc, ana, replied, body("Not yet"), vec![])
        .await
        .unwrap();
    clock.advance(Duration::days(1) - Duration::minutes(1));
    assert_eq!(autoclose::run(&svc).await.unwrap(), 0, "a minute early");
    clock.advance(Duration::minutes(1));
    assert_eq!(autoclose::run(&svc).await.unwrap(), 1);
    assert_eq!(status(&svc, waiting).await, TicketStatus::Closed);
    assert_eq!(status(&svc, replied).await, TicketStatus::CustomerReply);
    assert_eq!(autoclose::run(&svc).await.unwrap(), 0, "once");
    let mails = emails(&svc, "ana@example.com", "ticket_closed").await;
    assert_eq!(mails.len(), 2);
    assert!(mails
        .iter()
        .any(|m| m.subject.contains(&format!("#{waiting}")) && m.body_text.contains("7 días")));
    // Off: nothing closes.
    let mut off = svc.clone();
    off.tickets.auto_close_days = 0;
    reply_as_staff(&svc, admin, replied, body("Now?"), vec![], false)
        .await
        .unwrap();
    clock.advance(Duration::days(30));
    assert_eq!(autoclose::run(&off).await.unwrap(), 0);
    // The billing automation runs it.
    let report = crate::billing::automation::run(&svc, svc.now().date_naive())
        .await
        .unwrap();
    assert_eq!(report.tickets_closed, 1);
}

#[tokio::test]
async fn changes_are_published_to_the_right_readers() {
    let (svc, _clock) = world().await;
    let ana = user_id(&svc, "ana@example.com").await;
    let ben = user_id(&svc, "ben@example.com").await;
    let admin = user_id(&svc, "admin@example.com").await;
    let id = new_ticket(&svc, ana, vec![]).await;
    let mut rx = svc.live.subscribe();
    reply_as_staff(&svc, admin, id, body("note"), vec![], true)
        .await
        .unwrap();
    reply_as_staff(&svc, admin, id, body("reply"), vec![], false)
        .await
        .unwrap();
    let note = rx.recv().await.unwrap();
    let reply = rx.recv().await.unwrap();
    assert_eq!(note.ticket_id, id);
    assert!(!note.visible_to(ana, false) && note.visible_to(admin, true));
    assert!(reply.visible_to(ana, false));
    assert!(!reply.visible_to(ben, false));
}

#[tokio::test]
async fn canned_responses_and_signatures_are_validated() {
    let (svc, _clock) = world().await;
    let admin = user_id(&svc, "admin@example.com").await;
    let id = canned::create(&svc.db, "Hello", "Hi there", svc.now())
        .await
        .unwrap();
    assert_eq!(
        canned::body_or_canned(&svc.db, " \n", Some(id))
            .await
            .unwrap(),
        "Hi there",
        "an empty box sends the chosen response"
    );
    assert_eq!(
        canned::body_or_canned(&svc.db, "Typed", Some(id))
            .await
            .unwrap(),
        "Typed",
        "what was typed wins"
    );
    assert_eq!(canned::body_or_canned(&svc.db, "", None).await.unwrap(), "");
    assert!(matches!(
        canned::body_or_canned(&svc.db, "", Some(id + 100)).await,
        Err(DomainError::NotFound)
    ));
    assert!(canned::create(&svc.db, " ", "x", svc.now()).await.is_err());
    assert!(canned::update(&svc.db, 999, "a", "b", svc.now())
        .await
        .is_err());
    canned::delete(&svc.db, id).await.unwrap();
    assert!(matches!(
        canned::delete(&svc.db, id).await,
        Err(DomainError::NotFound)
    ));
    assert!(set_signature(&svc.db, admin, &"x".repeat(1001), svc.now())
        .await
        .is_err());
    set_signature(&svc.db, admin, "  ", svc.now())
        .await
        .unwrap();
    assert_eq!(signature(&svc.db, admin).await.unwrap(), None);
}

#[tokio::test]
async fn a_contact_writes_as_themselves_and_hears_the_replies() {
    use crate::accounts::{contacts, Permission, Permissions};
    let (svc, _clock) = world().await;
    let ana = user_id(&svc, "ana@example.com").await;
    let admin = user_id(&svc, "admin@example.com").await;
    let tickets_only = Permissions::from_iter([Permission::Tickets]);
    let carla = contacts::invite_contact(
        &svc,
        ana,
        Permissions::all(),
        contacts::NewContact {
            name: "Carla Contacto",
            email: "carla@example.com",
            permissions: tickets_only,
        },
    )
    .await
    .unwrap();
    let as_carla = ClientActor {
        client_id: ana,
        person_id: carla.id,
    };
    let id = open(
        &svc,
        as_carla,
        NewTicket {
            department_id: hosting(&svc).await,
            service_id: None,
            priority: Priority::Low,
            subject: Subject::parse("Invoice address").unwrap(),
            body: MessageBody::parse("Please check it.").unwrap(),
            attachments: vec![],
            form_key: None,
        },
    )
    .await
    .unwrap();
    reply_as_client(&svc, ana, id, body("Ana adds a line."), vec![])
        .await
        .unwrap();
    // The ticket is the account's; each message names who wrote it.
    let th = thread_for_client(&svc, ana, id).await.unwrap();
    let authors: Vec<&str> = th.messages.iter().map(|m| m.author_name.as_str()).collect();
    assert_eq!(authors, ["Carla Contacto", "Ana García"]);
    assert_eq!(th.ticket.client_id, ana);

    // The owner and the contact who opened it both hear the answer.
    reply_as_staff(&svc, admin, id, body("Fixed."), vec![], false)
        .await
        .unwrap();
    assert_eq!(
        emails(&svc, "ana@example.com", "ticket_reply").await.len(),
        1
    );
    let to_carla = emails(&svc, "carla@example.com", "ticket_reply").await;
    assert_eq!(to_carla.len(), 1);
    assert!(to_carla[0].body_text.contains("Carla Contacto"));

    // Without the ticket permission she no longer does.
    contacts::set_contact_permissions(
        &svc,
        ana,
        Permissions::all(),
        carla.id,
        Permissions::from_iter([Permission::Invoices]),
    )
    .await
    .unwrap();
    reply_as_staff(&svc, admin, id, body("Anything else?"), vec![], false)
        .await
        .unwrap();
    assert_eq!(
        emails(&svc, "ana@example.com", "ticket_reply").await.len(),
        2
    );
    assert_eq!(
        emails(&svc, "carla@example.com", "ticket_reply")
            .await
            .len(),
        1
    );
}

#[tokio::test]
async fn a_form_sent_twice_opens_one_ticket() {
    let (svc, _clock) = world().await;
    let ana = user_id(&svc, "ana@example.com").await;
    let ben = user_id(&svc, "ben@example.com").await;
    let department_id = hosting(&svc).await;
    let key = form_key(" form-key_0123456789abcdef ");
    assert_eq!(key.as_deref(), Some("form-key_0123456789abcdef"));
    for bad in ["short", "has space in the middle!", &"k".repeat(65)] {
        assert_eq!(form_key(bad), None, "{bad:?}");
    }
    let t = |form_key: Option<String>| NewTicket {
        department_id,
        service_id: None,
        priority: Priority::Low,
        subject: Subject::parse("Sent twice").unwrap(),
        body: body("Hello"),
        attachments: vec![],
        form_key,
    };
    let before = ticket::Entity::find().count(&svc.db).await.unwrap();
    let first = open(&svc, ana, t(key.clone())).await.unwrap();
    assert_eq!(open(&svc, ana, t(key.clone())).await.unwrap(), first);
    assert_eq!(
        ticket::Entity::find().count(&svc.db).await.unwrap(),
        before + 1
    );
    assert_eq!(
        thread_for_client(&svc, ana, first)
            .await
            .unwrap()
            .messages
            .len(),
        1,
        "one message too"
    );
    // The key is the account's: another client's form with the same key is its own ticket,
    // and forms without a key never meet.
    let bens = open(&svc, ben, t(key.clone())).await.unwrap();
    assert_ne!(bens, first);
    let a = open(&svc, ana, t(None)).await.unwrap();
    let b = open(&svc, ana, t(None)).await.unwrap();
    assert_ne!(a, b);
}
