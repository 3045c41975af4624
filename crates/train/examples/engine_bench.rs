//! Benchmark (not a test): the reference MLP of tests/bench/train.mjs (2-16-1 ReLU, batch
//! 256, MSE, Adam 0.01, 300 steps) natively, timing the training steps alone and the steps
//! with the per-epoch reports the demos read, and counting read-backs (each one waits for the
//! device on a GPU). Run on flex:
//! `cargo run --release -p aesop-train --features engine --example engine_bench`
//! or on wgpu (natively Vulkan; Mesa's lavapipe on a machine without a GPU):
//! `cargo run --release -p aesop-train --features gpu --example engine_bench -- --wgpu`
//! Add `--count-kernels` (wgpu only) for one more run that logs every kernel cubecl launches
//! (its profiling logger at "minimal": names only, no timing, no extra waits) and prints the
//! kernels per step.
use aesop_train::engine::{read_backs, Trainer};
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

fn spec() -> ExperimentSpec {
    ExperimentSpec::from_json(
        r#"{"dataset":{"generator":"moons","seed":1,"size":2560,"noise":0.1,"validation":0},
            "model":{"hidden":[{"width":16,"activation":"relu"}],"init":"he"},"loss":{"kind":"mse"},
            "optimizer":{"kind":"adam","lr":0.01},"batch_size":256,"epochs":30}"#,
    )
    .expect("the reference spec is valid")
}

/// 300 steps with a report at every epoch end, as the worker runs a demo.
fn with_reports(device: &Device) {
    let mut t = Trainer::new(spec(), device.clone());
    futures::executor::block_on(async {
        while !t.finished() {
            t.step();
            if t.at_epoch_end() {
                t.report().await.expect("finite");
            }
        }
    });
}

fn main() {
    let count_kernels = std::env::args().any(|a| a == "--count-kernels");
    // cubecl reads its configuration once, from the working directory up, when the device
    // starts: a cubecl.toml in a fresh directory turns on its launch log for this process.
    let log = count_kernels.then(|| {
        let dir = std::env::temp_dir().join(format!("aesop-kernels-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("a temp dir");
        let log = dir.join("kernels.log");
        std::fs::write(
            dir.join("cubecl.toml"),
            format!(
                "[profiling.logger]\nlevel = \"minimal\"\nappend = false\nfile = {:?}\n",
                log.display().to_string()
            ),
        )
        .expect("cubecl.toml written");
        std::env::set_current_dir(&dir).expect("into the temp dir");
        log
    });
    let device = device();
    println!("device: {device:?}");
    let rounds = if count_kernels { 1 } else { 3 };
    for round in 0..rounds {
        let mut t = Trainer::new(spec(), device.clone());
        let start = Instant::now();
        futures::executor::block_on(async {
            while !t.finished() {
                t.step();
            }
            // Waits for the queued steps (a no-op wait on flex).
            t.settle().await.expect("finite");
        });
        let steps = start.elapsed();
        let reads = read_backs();
        let start = Instant::now();
        with_reports(&device);
        println!(
            "round {round}: 300 steps {:.0} ms; with 30 reports {:.0} ms ({} read-backs, {:.2} a step)",
            steps.as_secs_f64() * 1e3,
            start.elapsed().as_secs_f64() * 1e3,
            read_backs() - reads,
            (read_backs() - reads) as f64 / 300.0
        );
    }
    if let Some(log) = log {
        // Kernels of the warm run above (reports included), counted from the launch log once
        // its background writer has caught up.
        std::thread::sleep(std::time::Duration::from_millis(500));
        let text = std::fs::read_to_string(&log).unwrap_or_default();
        let launches = text.lines().filter(|l| !l.trim().is_empty()).count();
        println!(
            "kernel launches logged: {launches} over 2 runs of 300 steps ({:.1} a step, reports and set-up included); log: {}",
            launches as f64 / 600.0,
            log.display()
        );
    }
}
