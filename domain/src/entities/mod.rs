//! sea-orm entities. They stay inside `domain` and `server`; DTOs cross the wire instead.
pub mod email;
pub mod login_attempt;
pub mod password_reset;
pub mod session;
pub mod user;
