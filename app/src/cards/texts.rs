//! Texts of the payment-methods page and card payments, in English and Spanish, including what
//! Stripe's decline codes mean (a missing translation is a compile error).
use crate::i18n::{use_i18n, Locale};

pub struct CardTexts {
    pub title: &'static str,
    pub intro: &'static str,
    pub none: &'static str,
    pub unavailable: &'static str,
    pub default_badge: &'static str,
    pub expired_badge: &'static str,
    pub expires_soon_badge: &'static str,
    pub expires: &'static str,
    pub make_default: &'static str,
    pub remove: &'static str,
    pub remove_confirm: &'static str,
    pub add_title: &'static str,
    pub add_intro: &'static str,
    pub test_mode_intro: &'static str,
    pub test_visa: &'static str,
    pub test_mastercard: &'static str,
    pub test_declined: &'static str,
    pub test_authentication: &'static str,
    pub card_form_label: &'static str,
    pub save_card: &'static str,
    pub card_form_loading: &'static str,
    pub card_form_failed: &'static str,
    pub saved: &'static str,
    pub default_set: &'static str,
    pub removed: &'static str,
    pub ending_in: &'static str,
    pub auto_pay_on: &'static str,
    pub auto_pay_off: &'static str,
    // invoice page
    pub pay_with_card: &'static str,
    pub pay_card_button: &'static str,
    pub card_label: &'static str,
    pub add_card_link: &'static str,
    pub another_card: &'static str,
    pub paid_by_card: &'static str,
    pub processing: &'static str,
    pub needs_authentication: &'static str,
    pub confirm_payment: &'static str,
    pub last_declined: &'static str,
    pub next_try: &'static str,
    pub no_more_tries: &'static str,
    // decline codes
    pub decline_generic: &'static str,
    pub decline_insufficient_funds: &'static str,
    pub decline_expired: &'static str,
    pub decline_incorrect_cvc: &'static str,
    pub decline_authentication: &'static str,
    pub decline_processing: &'static str,
    // errors
    pub err_test_card: &'static str,
    pub err_cards_unavailable: &'static str,
    pub err_no_card: &'static str,
    pub err_processor: &'static str,
}

pub static EN: CardTexts = CardTexts {
    title: "Payment methods",
    intro: "Save a card and every new invoice of your card-paid services is paid automatically \
            when it is issued. Card details go straight to Stripe, our payment processor; we only \
            keep the brand, the last four digits and the expiry date.",
    none: "You have no saved cards. Without one, nothing is charged automatically: invoices wait \
           for you to pay them.",
    unavailable: "Card payments are not available at the moment. Pay your invoices by bank \
                  transfer or with your credit.",
    default_badge: "Default",
    expired_badge: "Expired",
    expires_soon_badge: "Expires soon",
    expires: "Expires",
    make_default: "Make default",
    remove: "Remove",
    remove_confirm: "Remove this card? Invoices will no longer be paid with it.",
    add_title: "Add a card",
    add_intro: "The card is saved for automatic payments. Your bank may ask you to confirm.",
    test_mode_intro: "Test mode: choose one of Stripe's test cards. No real card is charged, and \
                      no card number is needed.",
    test_visa: "Visa test card (payments succeed)",
    test_mastercard: "Mastercard test card (payments succeed)",
    test_declined: "Test card that is declined",
    test_authentication: "Test card that asks for authentication (3-D Secure)",
    card_form_label: "Card details",
    save_card: "Save card",
    card_form_loading: "Loading the secure card form…",
    card_form_failed: "The secure card form could not be loaded. Check your connection and \
                       reload the page.",
    saved: "Card saved.",
    default_set: "Default card changed.",
    removed: "Card removed.",
    ending_in: "ending in",
    auto_pay_on: "New invoices of card-paid services are charged to your default card.",
    auto_pay_off: "Without a valid default card, nothing is charged automatically.",
    pay_with_card: "Pay by card",
    pay_card_button: "Pay now by card",
    card_label: "Card",
    add_card_link: "Add a card",
    another_card: "Pay with another card",
    paid_by_card: "Thank you: the invoice is paid.",
    processing: "The payment is being processed. Reload this page in a minute to see it.",
    needs_authentication: "Your bank asks you to confirm this payment before it goes through.",
    confirm_payment: "Confirm payment",
    last_declined: "The last automatic payment was declined",
    next_try: "We will try the card again on",
    no_more_tries: "We will not try the card again automatically. Pay now, or add another card.",
    decline_generic: "Your card was declined. Try another card or another way to pay.",
    decline_insufficient_funds: "Your card was declined: insufficient funds.",
    decline_expired: "Your card has expired. Add a new card.",
    decline_incorrect_cvc: "The card's security code is incorrect.",
    decline_authentication: "Your bank needs you to confirm this payment.",
    decline_processing: "The bank could not process the payment. Try again in a few minutes.",
    err_test_card: "That is not one of the offered test cards.",
    err_cards_unavailable: "Card payments are not set up. Pay by bank transfer or with credit.",
    err_no_card: "There is no saved card that can be charged. Add a card first.",
    err_processor: "The card processor could not complete this, and nothing was charged. Try \
                    again in a few minutes, or pay another way.",
};

pub static ES: CardTexts = CardTexts {
    title: "Métodos de pago",
    intro: "Guarda una tarjeta y cada nueva factura de tus servicios pagados con tarjeta se \
            pagará automáticamente al emitirse. Los datos de la tarjeta van directamente a Stripe, \
            nuestro procesador de pagos; solo guardamos la marca, los cuatro últimos dígitos y la \
            caducidad.",
    none: "No tienes tarjetas guardadas. Sin ninguna, no se cobra nada automáticamente: las \
           facturas esperan a que las pagues.",
    unavailable: "El pago con tarjeta no está disponible en este momento. Paga tus facturas por \
                  transferencia o con tu saldo.",
    default_badge: "Predeterminada",
    expired_badge: "Caducada",
    expires_soon_badge: "Caduca pronto",
    expires: "Caduca",
    make_default: "Usar como predeterminada",
    remove: "Eliminar",
    remove_confirm: "¿Eliminar esta tarjeta? Las facturas dejarán de pagarse con ella.",
    add_title: "Añadir una tarjeta",
    add_intro: "La tarjeta se guarda para los pagos automáticos. Puede que tu banco te pida \
                confirmarlo.",
    test_mode_intro: "Modo de prueba: elige una de las tarjetas de prueba de Stripe. No se cobra \
                      ninguna tarjeta real ni hace falta un número de tarjeta.",
    test_visa: "Tarjeta Visa de prueba (los pagos se aceptan)",
    test_mastercard: "Tarjeta Mastercard de prueba (los pagos se aceptan)",
    test_declined: "Tarjeta de prueba que se rechaza",
    test_authentication: "Tarjeta de prueba que pide autenticación (3-D Secure)",
    card_form_label: "Datos de la tarjeta",
    save_card: "Guardar tarjeta",
    card_form_loading: "Cargando el formulario seguro de tarjeta…",
    card_form_failed: "No se ha podido cargar el formulario seguro de tarjeta. Revisa tu conexión \
                       y recarga la página.",
    saved: "Tarjeta guardada.",
    default_set: "Tarjeta predeterminada cambiada.",
    removed: "Tarjeta eliminada.",
    ending_in: "terminada en",
    auto_pay_on: "Las nuevas facturas de los servicios pagados con tarjeta se cobran en tu \
                  tarjeta predeterminada.",
    auto_pay_off: "Sin una tarjeta predeterminada válida no se cobra nada automáticamente.",
    pay_with_card: "Pagar con tarjeta",
    pay_card_button: "Pagar ahora con tarjeta",
    card_label: "Tarjeta",
    add_card_link: "Añadir una tarjeta",
    another_card: "Pagar con otra tarjeta",
    paid_by_card: "Gracias: la factura está pagada.",
    processing: "El pago se está procesando. Recarga esta página dentro de un minuto para verlo.",
    needs_authentication: "Tu banco te pide que confirmes este pago antes de realizarlo.",
    confirm_payment: "Confirmar pago",
    last_declined: "El último cobro automático fue rechazado",
    next_try: "Volveremos a intentarlo con la tarjeta el",
    no_more_tries: "No volveremos a intentarlo automáticamente. Paga ahora o añade otra tarjeta.",
    decline_generic: "Tu tarjeta ha sido rechazada. Prueba con otra tarjeta u otra forma de pago.",
    decline_insufficient_funds: "Tu tarjeta ha sido rechazada: fondos insuficientes.",
    decline_expired: "Tu tarjeta ha caducado. Añade una tarjeta nueva.",
    decline_incorrect_cvc: "El código de seguridad de la tarjeta es incorrecto.",
    decline_authentication: "Tu banco necesita que confirmes este pago.",
    decline_processing: "El banco no ha podido procesar el pago. Inténtalo de nuevo en unos \
                         minutos.",
    err_test_card: "Esa no es una de las tarjetas de prueba ofrecidas.",
    err_cards_unavailable: "El pago con tarjeta no está configurado. Paga por transferencia o con \
                            tu saldo.",
    err_no_card: "No hay ninguna tarjeta guardada que se pueda cobrar. Añade una tarjeta primero.",
    err_processor: "El procesador de pagos no ha podido completar la operación y no se ha cobrado \
                    nada. Inténtalo de nuevo en unos minutos o paga de otra forma.",
};

pub fn of(locale: Locale) -> &'static CardTexts {
    match locale {
        Locale::En => &EN,
        Locale::Es => &ES,
    }
}

pub fn use_card_texts() -> impl Fn() -> &'static CardTexts + Copy + Send + Sync + 'static {
    let i18n = use_i18n();
    move || of(i18n.locale())
}

impl CardTexts {
    /// What a Stripe decline code means, in the reader's language.
    pub fn decline(&self, code: &str) -> &'static str {
        match code {
            "insufficient_funds" => self.decline_insufficient_funds,
            "expired_card" => self.decline_expired,
            "incorrect_cvc" | "invalid_cvc" => self.decline_incorrect_cvc,
            "authentication_required" | "payment_intent_authentication_failure" => {
                self.decline_authentication
            }
            "processing_error" => self.decline_processing,
            _ => self.decline_generic,
        }
    }

    /// How a test card is offered, by its PaymentMethod id.
    pub fn test_card(&self, pm: &str) -> &'static str {
        match pm {
            "pm_card_visa" => self.test_visa,
            "pm_card_mastercard" => self.test_mastercard,
            "pm_card_chargeDeclined" => self.test_declined,
            "pm_card_authenticationRequired" => self.test_authentication,
            _ => self.card_label,
        }
    }

    /// "Visa ending in 4242" (`brand` as the server names it).
    pub fn card_name(&self, brand: &str, last4: &str) -> String {
        format!("{brand} {} {last4}", self.ending_in)
    }
}
