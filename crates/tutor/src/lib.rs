//! The offline peer of AESOP's labs: an expectation-and-misconception tutor in the manner of
//! AutoTutor (Graesser and colleagues), run over each lab's authored dialogue (see
//! `aesop_course::dialogue`). Pure logic: the app calls it, the tests run it natively.

pub mod matcher;
pub mod peer;
pub mod retrieve;
pub mod text;

pub use peer::{Coverage, Move, Peer, Reply, State};
