//! What a learner has done, as plain data: stored in the browser, tested natively.

pub mod fit;
pub mod marks;
pub mod schema;
pub mod score;
pub mod shuffle;
/// Merging what two tabs wrote: the full app's (the reader never writes progress).
#[cfg(feature = "labs")]
pub mod sync;

pub use schema::{
    decode, encode, encode_compact, import, too_large, Backend, Loaded, Prediction, Progress,
    QuizAttempt, StepProgress, MAX_IMPORT_BYTES, SCHEMA_VERSION,
};
pub use score::{score_answers, Score, StepStatus};
