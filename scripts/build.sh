#!/usr/bin/env bash
# Production build: an optimized dist/ (wasm-opt -Oz, relative URLs) ready for any static
# host, any sub-path, or an LMS package. Prints the sizes that matter.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh
trunk build --release --dist dist
# The offline worker lists this build's files; written after Trunk so it sees them all.
node scripts/precache.mjs dist
wasm=$(ls dist/*_bg.wasm)
raw=$(stat -c %s "$wasm")
br=$(brotli -c -q 11 "$wasm" | wc -c)
js=$(ls dist/aesop-*.js)
echo "[build] $(basename "$wasm"): ${raw} bytes raw, ${br} bytes brotli; $(basename "$js"): $(stat -c %s "$js") bytes raw, $(brotli -c -q 11 "$js" | wc -c) brotli"
