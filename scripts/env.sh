# Sourced by the other scripts: one place for the paths every build and test uses.
# The cargo target dir lives outside the clone so repeat runs (and CI on this machine)
# build incrementally instead of from cold.
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/aesop/target}"
# wasm-opt from npm's binaryen (Debian's breaks the module), and cargo-installed tools.
export PATH="$(pwd)/tests/node_modules/.bin:$HOME/.cargo/bin:$PATH"
# wgpu on lavapipe warns without it.
export XDG_RUNTIME_DIR="${XDG_RUNTIME_DIR:-/tmp/aesop-xdg}"
mkdir -p "$XDG_RUNTIME_DIR"
