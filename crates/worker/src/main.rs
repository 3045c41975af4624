//! The GPU worker: burn's flex and wgpu backends, fetched only where WebGPU offers an adapter.

fn main() {
    aesop_worker::start();
}
