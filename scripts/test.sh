#!/usr/bin/env bash
# Every test: native (content, progress, scoring, the engine), then the browser suite in
# headless Chromium, Firefox and WebKit against the production build. Installs whatever is
# missing first; quick when all is there.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
source scripts/env.sh

echo "[test] native"
# The app crate is wasm-only UI; its logic lives in the crates tested here.
cargo test --workspace --exclude aesop --exclude aesop-worker --features aesop-train/engine --locked
# Progress as the reader builds it (lab transcripts carried through unread).
cargo test -p aesop-progress --no-default-features --locked

echo "[test] originality of content/ against the seed course"
node tests/tools/originality.mjs

echo "[test] no import circle in src/ or any crate"
node tests/tools/imports.mjs

echo "[test] production build"
bash scripts/build.sh

echo "[test] browser"
node --test --test-concurrency=1 tests/e2e/
