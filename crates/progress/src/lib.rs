//! What a learner has done, as plain data: stored in the browser, tested natively.

pub mod schema;
pub mod score;
pub mod shuffle;

pub use schema::{
    decode, encode, encode_compact, import, Backend, Loaded, Prediction, Progress, QuizAttempt,
    StepProgress, SCHEMA_VERSION,
};
pub use score::{score_answers, Score, StepStatus};
