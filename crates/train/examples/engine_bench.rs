//! Benchmark (not a test): the reference MLP of tests/bench/train.mjs (2-16-1 ReLU, batch
//! 256, MSE, Adam 0.01, 300 steps) natively, timing the training steps alone and the steps
//! with the per-epoch reports the demos read. Run on flex:
//! `cargo run --release -p aesop-train --features engine --example engine_bench`
//! or on wgpu (natively Vulkan; Mesa's lavapipe on a machine without a GPU), where every
//! report's read-backs wait for the device:
//! `cargo run --release -p aesop-train --features gpu --example engine_bench -- --wgpu`
use aesop_train::engine::Trainer;
use aesop_train::ExperimentSpec;
use burn::prelude::Device;
use std::time::Instant;

fn device() -> Device {
    #[cfg(feature = "gpu")]
    if std::env::args().any(|a| a == "--wgpu") {
        return Device::wgpu_options()
            .init()
            .expect("a wgpu adapter (lavapipe counts)");
    }
    Device::flex()
}

fn main() {
    let spec = ExperimentSpec::from_json(
        r#"{"dataset":{"generator":"moons","seed":1,"size":2560,"noise":0.1,"validation":0},
            "model":{"hidden":[{"width":16,"activation":"relu"}],"init":"he"},"loss":{"kind":"mse"},
            "optimizer":{"kind":"adam","lr":0.01},"batch_size":256,"epochs":30}"#,
    )
    .expect("the reference spec is valid");
    let device = device();
    println!("device: {device:?}");
    for round in 0..3 {
        let mut t = Trainer::new(spec.clone(), device.clone().autodiff());
        let start = Instant::now();
        futures::executor::block_on(async {
            while !t.finished() {
                t.step();
            }
            // Waits for the queued steps (a no-op wait on flex).
            t.report().await.expect("finite");
        });
        let steps = start.elapsed();
        let mut t = Trainer::new(spec.clone(), device.clone().autodiff());
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
