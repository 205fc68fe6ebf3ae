//! Telling citizens by email and SMS when their dossier or their feedback moves, and sending
//! the codes of their accounts.
//!
//! - `texts`: what is said, in Vietnamese or English (pure); `enqueue`: the rows written inside
//!   the transaction of the change that causes them; `store`: the table.
//! - `channels`: SMTP (lettre) and the signed HTTP gateway for SMS; `worker`: sends, retries
//!   with the webhooks' backoff, gives up (`dead`) and prunes; `routes`: the administrators' view.
//!
//! Who is told about a dossier: the applicant, at the phone and the address given on it (or on
//! the citizen's account that submitted it), unless the applicant or the account said no.

pub mod channels;
pub mod enqueue;
pub mod model;
pub mod routes;
pub mod store;
pub mod texts;
pub mod worker;
