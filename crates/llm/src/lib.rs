//! AESOP's LLM client logic, free of UI and network so it tests natively: request building
//! and stream interpretation per API dialect, error classification, the peer's context,
//! transcripts and the offline peer. The app's `lab/` feature does the fetching.

pub mod context;
pub mod csp;
pub mod dialect;
pub mod error;
pub mod offline;
pub mod reply;
pub mod retry_after;
pub mod scrub;
pub mod sse;
pub mod stream;
pub mod transcript;

pub use dialect::{DialectKind, Ending, HttpRequest, Message, Role};
pub use error::LlmError;
pub use stream::{Finished, ReplyStream};
pub use transcript::{Entry, Speaker, State, Transcript};
