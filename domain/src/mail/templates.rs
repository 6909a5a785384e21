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

/// A sign-in from a browser the account had not used before. `when` is UTC.
pub fn new_sign_in(
    lang: Language,
    name: &str,
    when: &str,
    ip: &str,
    device: &str,
    link: &str,
) -> Rendered {
    match lang {
        Language::En => Rendered {
            subject: "New sign-in to your Portico account".into(),
            body: format!(
                "Hello {name},\n\nYour account was just signed in to from a browser it had not \
                 used before:\n\n  When: {when} UTC\n  Device: {device}\n  IP address: {ip}\n\n\
                 If this was you, there is nothing to do. If not, change your password and sign \
                 out the other sessions here:\n\n{link}\n"
            ),
        },
        Language::Es => Rendered {
            subject: "Nuevo inicio de sesión en tu cuenta de Portico".into(),
            body: format!(
                "Hola {name}:\n\nSe acaba de iniciar sesión en tu cuenta desde un navegador que no \
                 había usado antes:\n\n  Cuándo: {when} UTC\n  Dispositivo: {device}\n  \
                 Dirección IP: {ip}\n\nSi has sido tú, no tienes que hacer nada. Si no, cambia tu \
                 contraseña y cierra las demás sesiones aquí:\n\n{link}\n"
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
