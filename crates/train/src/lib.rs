//! AESOP's training engine. Without features: the experiment spec, datasets, schedules,
//! surfaces and the worker protocol, light enough for the page and the content loader.
//! With `engine`: the burn trainer every demo runs, in the worker and in native tests.

pub mod activations;
pub mod backend;
pub mod backprop;
pub mod data;
pub mod demo;
pub mod digits;
pub mod explain;
pub mod infer;
pub mod job;
pub mod losses;
pub mod playground;
pub mod predict;
pub mod protocol;
pub mod reverse;
pub mod schedule;
pub mod spec;
pub mod surface;
pub mod threshold;

#[cfg(feature = "engine")]
pub mod engine;

pub use backend::DevicePref;
pub use job::{DescentSpec, Job, RaceSpec, Racer};
pub use protocol::{FromWorker, Metrics, Snapshot, ToWorker, Wants};
pub use spec::ExperimentSpec;
