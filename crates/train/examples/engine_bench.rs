//! Benchmark (not a test): the reference MLP of tests/bench/train.mjs (2-16-1 ReLU, batch
//! 256, MSE, Adam 0.01, 300 steps) natively on flex, timing the training steps alone and the
//! steps with the per-epoch reports the demos read. Run:
//! `cargo run --release -p aesop-train --features engine --example engine_bench`
use aesop_train::engine::Trainer;
use aesop_train::ExperimentSpec;
use burn::prelude::Device;
use std::time::Instant;

fn main() {
    let spec = ExperimentSpec::from_json(
        r#"{"dataset":{"generator":"moons","seed":1,"size":2560,"noise":0.1,"validation":0},
            "model":{"hidden":[{"width":16,"activation":"relu"}],"init":"he"},"loss":{"kind":"mse"},
            "optimizer":{"kind":"adam","lr":0.01},"batch_size":256,"epochs":30}"#,
    )
    .expect("the reference spec is valid");
    for round in 0..3 {
        let mut t = Trainer::new(spec.clone(), Device::flex().autodiff());
        let start = Instant::now();
        while !t.finished() {
            t.step();
        }
        let steps = start.elapsed();
        let mut t = Trainer::new(spec.clone(), Device::flex().autodiff());
        let start = Instant::now();
        futures::executor::block_on(async {
            while !t.finished() {
                t.step();
                if t.at_epoch_end() {
                    t.report().await.expect("finite");
                }
            }
        });
        println!(
            "round {round}: 300 steps {:.0} ms; with 30 reports {:.0} ms",
            steps.as_secs_f64() * 1e3,
            start.elapsed().as_secs_f64() * 1e3
        );
    }
}
