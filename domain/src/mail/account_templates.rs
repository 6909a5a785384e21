//! Emails about the account itself: a new login email, invitations of contacts and two-factor
//! sign-in being turned on or off.
use super::Rendered;
use crate::accounts::Language;

pub fn confirm_new_email(
    lang: Language,
    name: &str,
    new: &str,
    link: &str,
    hours: i64,
) -> Rendered {
    match lang {
        Language::En => Rendered {
            subject: "Confirm your new Portico email address".into(),
            body: format!(
                "Hello {name},\n\nYou asked to use {new} to sign in and to receive invoices. \
                 To confirm, open this link within {hours} hours:\n\n{link}\n\n\
                 Until then you keep signing in with your current address. If you did not ask \
                 for this, ignore this email.\n"
            ),
        },
        Language::Es => Rendered {
            subject: "Confirma tu nueva dirección de correo de Portico".into(),
            body: format!(
                "Hola {name}:\n\nHas pedido usar {new} para iniciar sesión y recibir las facturas. \
                 Para confirmarlo, abre este enlace en las próximas {hours} horas:\n\n{link}\n\n\
                 Hasta entonces sigues iniciando sesión con tu dirección actual. Si no lo has \
                 pedido tú, ignora este correo.\n"
            ),
        },
    }
}

pub fn email_changed(lang: Language, name: &str, new: &str) -> Rendered {
    match lang {
        Language::En => Rendered {
            subject: "Your Portico email address was changed".into(),
            body: format!(
                "Hello {name},\n\nThe email address of your account is now {new}: use it to sign \
                 in, and invoices go there. This address no longer signs in. If this was not \
                 you, contact support at once.\n"
            ),
        },
        Language::Es => Rendered {
            subject: "Se ha cambiado tu dirección de correo de Portico".into(),
            body: format!(
                "Hola {name}:\n\nLa dirección de correo de tu cuenta ahora es {new}: úsala para \
                 iniciar sesión; las facturas se envían allí. Esta dirección ya no sirve para \
                 iniciar sesión. Si no has sido tú, contacta con soporte enseguida.\n"
            ),
        },
    }
}

pub fn contact_invitation(
    lang: Language,
    name: &str,
    account: &str,
    link: &str,
    days: i64,
) -> Rendered {
    match lang {
        Language::En => Rendered {
            subject: format!("{account} invited you to their Portico account"),
            body: format!(
                "Hello {name},\n\n{account} added you as a contact of their hosting account. \
                 To choose your password and sign in, open this link within {days} days:\n\n\
                 {link}\n\nIf you do not know {account}, ignore this email.\n"
            ),
        },
        Language::Es => Rendered {
            subject: format!("{account} te ha invitado a su cuenta de Portico"),
            body: format!(
                "Hola {name}:\n\n{account} te ha añadido como contacto de su cuenta de hosting. \
                 Para elegir tu contraseña e iniciar sesión, abre este enlace en los próximos \
                 {days} días:\n\n{link}\n\nSi no conoces a {account}, ignora este correo.\n"
            ),
        },
    }
}

pub fn two_factor_changed(lang: Language, name: &str, on: bool) -> Rendered {
    match (lang, on) {
        (Language::En, true) => Rendered {
            subject: "Two-factor sign-in is on".into(),
            body: format!(
                "Hello {name},\n\nTwo-factor sign-in was turned on for your account: signing in \
                 now also asks for a code from your authenticator app. Keep your recovery codes \
                 somewhere safe.\n"
            ),
        },
        (Language::En, false) => Rendered {
            subject: "Two-factor sign-in was turned off".into(),
            body: format!(
                "Hello {name},\n\nTwo-factor sign-in was turned off for your account. If this \
                 was not you, change your password now and contact support.\n"
            ),
        },
        (Language::Es, true) => Rendered {
            subject: "El inicio de sesión en dos pasos está activado".into(),
            body: format!(
                "Hola {name}:\n\nSe ha activado el inicio de sesión en dos pasos en tu cuenta: \
                 ahora, al iniciar sesión, también se pide un código de tu aplicación de \
                 autenticación. Guarda tus códigos de recuperación en un lugar seguro.\n"
            ),
        },
        (Language::Es, false) => Rendered {
            subject: "Se ha desactivado el inicio de sesión en dos pasos".into(),
            body: format!(
                "Hola {name}:\n\nSe ha desactivado el inicio de sesión en dos pasos en tu cuenta. \
                 Si no has sido tú, cambia tu contraseña ahora y contacta con soporte.\n"
            ),
        },
    }
}
