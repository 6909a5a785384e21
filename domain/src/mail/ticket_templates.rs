//! Ticket emails in English and Spanish: a staff reply, and a ticket closed for lack of reply.
use super::Rendered;
use crate::accounts::Language;

pub struct TicketFacts<'a> {
    pub id: i32,
    pub subject: &'a str,
    pub link: &'a str,
}

/// The reply itself is in the email, so the client can read it where they are.
pub fn staff_reply(
    lang: Language,
    name: &str,
    f: &TicketFacts,
    staff_name: &str,
    reply: &str,
) -> Rendered {
    let (id, subject, link) = (f.id, f.subject, f.link);
    match lang {
        Language::En => Rendered {
            subject: format!("[Ticket #{id}] {subject}"),
            body: format!(
                "Hello {name},\n\n{staff_name} replied to your ticket #{id} \"{subject}\":\n\n\
                 {reply}\n\nTo answer, open the ticket (replies to this email are not read):\n\n\
                 {link}\n"
            ),
        },
        Language::Es => Rendered {
            subject: format!("[Ticket #{id}] {subject}"),
            body: format!(
                "Hola {name}:\n\n{staff_name} ha respondido a tu ticket #{id} «{subject}»:\n\n\
                 {reply}\n\nPara contestar, abre el ticket (las respuestas a este correo no se \
                 leen):\n\n{link}\n"
            ),
        },
    }
}

pub fn auto_closed(lang: Language, name: &str, f: &TicketFacts, days: u32) -> Rendered {
    let (id, subject, link) = (f.id, f.subject, f.link);
    match lang {
        Language::En => Rendered {
            subject: format!("[Ticket #{id}] closed: {subject}"),
            body: format!(
                "Hello {name},\n\nWe closed your ticket #{id} \"{subject}\" because we had no \
                 reply for {days} days after our answer. If you still need help, reply on the \
                 ticket and it opens again:\n\n{link}\n"
            ),
        },
        Language::Es => Rendered {
            subject: format!("[Ticket #{id}] cerrado: {subject}"),
            body: format!(
                "Hola {name}:\n\nHemos cerrado tu ticket #{id} «{subject}» porque no hemos \
                 recibido respuesta en {days} días desde la nuestra. Si aún necesitas ayuda, \
                 responde en el ticket y se volverá a abrir:\n\n{link}\n"
            ),
        },
    }
}
