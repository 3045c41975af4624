//! The CPU worker: burn's flex backend alone, the one every demo starts on.

fn main() {
    aesop_worker::start();
}
