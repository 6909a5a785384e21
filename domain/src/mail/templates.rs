//! Email texts in English and Spanish. Plain text: readable everywhere, nothing to sanitise.
use super::Rendered;
use crate::accounts::Language;

pub fn password_reset(lang: Language, name: &str, link: &str, minutes: i64) -> Rendered {
    match lang {
        Language::En => Rendered {
            subject: "Reset your Portico password".into(),
            body: format!(
                "Hello {name},\n\nSomeone asked to reset the password of your account. \
                 To choose a new password, open this link within {minutes} minutes:\n\n{link}\n\n\
                 The link works once. If you did not ask for this, ignore this email: \
                 your password stays as it is.\n"
            ),
        },
        Language::Es => Rendered {
            subject: "Restablece tu contraseña de Portico".into(),
            body: format!(
                "Hola {name}:\n\nAlguien ha pedido restablecer la contraseña de tu cuenta. \
                 Para elegir una contraseña nueva, abre este enlace en los próximos {minutes} minutos:\n\n{link}\n\n\
                 El enlace solo funciona una vez. Si no lo has pedido tú, ignora este correo: \
                 tu contraseña no cambia.\n"
            ),
        },
    }
}

pub fn password_changed(lang: Language, name: &str) -> Rendered {
    match lang {
        Language::En => Rendered {
            subject: "Your Portico password was changed".into(),
            body: format!(
                "Hello {name},\n\nThe password of your account was just changed and every other \
                 session was signed out. If this was not you, reset your password now and contact support.\n"
            ),
        },
        Language::Es => Rendered {
            subject: "Se ha cambiado tu contraseña de Portico".into(),
            body: format!(
                "Hola {name}:\n\nSe acaba de cambiar la contraseña de tu cuenta y se han cerrado las \
                 demás sesiones. Si no has sido tú, restablece tu contraseña ahora y contacta con soporte.\n"
            ),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reset_email_carries_the_link_in_both_languages() {
        for lang in [Language::En, Language::Es] {
            let r = password_reset(lang, "Ana", "https://x/password/reset/T", 60);
            assert!(r.body.contains("https://x/password/reset/T"));
            assert!(r.body.contains("Ana"));
            assert!(r.body.contains("60"));
        }
        assert!(password_reset(Language::Es, "Ana", "l", 60)
            .subject
            .contains("contraseña"));
    }
}
