mod account;
mod activity;
mod home;
mod security_texts;
mod staff;
mod status;

pub use account::{AccountPage, SecurityPage};
pub use home::HomePage;
pub use staff::{staff_load_failed, StaffHomePage};
pub use status::{set_status, ForbiddenPage, NotFoundPage};
