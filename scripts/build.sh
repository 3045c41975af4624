#!/usr/bin/env bash
# Production build: an optimized dist/ (wasm-opt -Oz, relative URLs) ready for any static
# host, any sub-path, or an LMS package. Prints the sizes that matter.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh
trunk build --release --dist dist
# The training workers' files get content-hashed names (Trunk gives workers fixed ones).
node scripts/hash-workers.mjs dist
node scripts/minify.mjs dist
# The full app's stylesheet comes with the full app, not with the first page.
node scripts/defer-css.mjs dist
# Strict CSP: Trunk's inline loader moves to a file, the policy goes into index.html.
node scripts/csp.mjs dist
# The offline worker lists this build's files; written after Trunk so it sees them all.
node scripts/precache.mjs dist
# What a learner downloads: the app on first load; the worker only when a demo starts.
for f in dist/*_bg.wasm dist/*.js; do
  echo "[build] $(basename "$f"): $(stat -c %s "$f") bytes raw, $(brotli -c -q 11 "$f" | wc -c) bytes brotli"
done
