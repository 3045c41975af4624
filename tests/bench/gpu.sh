#!/usr/bin/env bash
# The real-GPU check (issue 19), for a machine with a GPU: times the reference run (MLP 2-16-1
# ReLU, batch 256, MSE, Adam 0.01, 300 steps) natively on wgpu (engine_bench --wgpu, Vulkan)
# and in Chromium with hardware WebGPU beside TF.js's backends, and prints one table: ms per
# step per backend, kernel dispatches and read-backs per step. Needs a built dist/ (scripts/
# build.sh), Debian's chromium, the npm tools (tests/ and tests/bench/), and a Vulkan driver.
# Runs in a few minutes once burn is built natively (--skip-native leaves that part out).
set -euo pipefail
cd "$(dirname "$0")/../.."
source scripts/env.sh
out="$(mktemp -d)"
missing=()
[ -f dist/index.html ] || missing+=("a built dist/ (bash scripts/build.sh)")
command -v "${CHROMIUM:-/usr/bin/chromium}" >/dev/null 2>&1 || missing+=("chromium (apt-get install chromium)")
[ -d tests/node_modules/playwright-core ] || missing+=("the test tools ((cd tests && npm ci))")
[ -f tests/bench/node_modules/@tensorflow/tfjs/dist/tf.min.js ] || missing+=("TF.js ((cd tests/bench && npm ci))")
if [ ${#missing[@]} -gt 0 ]; then
  printf 'gpu.sh: missing %s\n' "${missing[@]}" >&2
  exit 2
fi
command -v nvidia-smi >/dev/null 2>&1 && nvidia-smi --query-gpu=name,driver_version --format=csv,noheader || true

if [ "${1:-}" != "--skip-native" ]; then
  echo "[gpu] native: engine_bench on wgpu (Vulkan)"
  cargo build --release -q -p aesop-train --features gpu --example engine_bench
  bench="$CARGO_TARGET_DIR/release/examples/engine_bench"
  timeout 240 "$bench" --wgpu | tee "$out/native.txt"
  (timeout 120 "$bench" --wgpu --count-kernels || true) | tee -a "$out/native.txt"
  timeout 120 "$bench" | tee "$out/flex.txt"
fi

echo "[gpu] browser: hardware WebGPU in headless Chromium"
timeout 300 node tests/bench/train.mjs --hardware --runs=3 --json="$out/browser.json" | tee "$out/browser.txt"

node --input-type=module - "$out" <<'JS'
import { readFileSync, existsSync } from 'node:fs';
const dir = process.argv[2];
const steps = 300;
const rows = [];
const native = (file, name) => {
  if (!existsSync(`${dir}/${file}`)) return;
  const text = readFileSync(`${dir}/${file}`, 'utf8');
  const runs = [...text.matchAll(/with 30 reports (\d+) ms \((\d+) read-backs/g)].map((m) => [Number(m[1]), Number(m[2])]);
  const kernels = text.match(/kernel launches logged: \d+ over 2 runs of 300 steps \(([\d.]+) a step/);
  if (!runs.length) return;
  const best = runs.reduce((a, b) => (b[0] < a[0] ? b : a));
  rows.push([name, best[0] / steps, kernels ? kernels[1] : '-', (best[1] / steps).toFixed(2)]);
};
native('native.txt', 'ours wgpu (native, Vulkan)');
native('flex.txt', 'ours flex (native)');
const browser = JSON.parse(readFileSync(`${dir}/browser.json`, 'utf8'));
for (const [name, r] of Object.entries(browser)) {
  if (r.error) { rows.push([`${name} (browser)`, NaN, '-', '-', r.error.slice(0, 60)]); continue; }
  const c = r.counts && r.counts.dispatches > 0 ? r.counts : null;
  rows.push([`${name} (browser)`, r.ms / steps, c ? (c.dispatches / steps).toFixed(1) : '-', c ? (c.maps / steps).toFixed(2) : '-', r.label]);
}
console.log('\nReference run, 300 steps: ms per step, kernel dispatches and read-backs per step (reports included)');
console.log(`${'engine/backend'.padEnd(30)} ${'ms/step'.padStart(9)} ${'dispatch'.padStart(9)} ${'reads'.padStart(7)}  what ran`);
for (const [name, ms, d, r, what = ''] of rows) {
  console.log(`${name.padEnd(30)} ${(Number.isNaN(ms) ? 'failed' : ms.toFixed(3)).padStart(9)} ${String(d).padStart(9)} ${String(r).padStart(7)}  ${what}`);
}
const ms = (n) => browser[n] && !browser[n].error ? browser[n].ms : null;
if (ms('ours wgpu') && ms('TF.js webgpu')) console.log(`\nours wgpu / TF.js webgpu: ${(ms('ours wgpu') / ms('TF.js webgpu')).toFixed(2)}x the time (target <= 0.3)`);
if (ms('ours flex') && ms('TF.js wasm')) console.log(`ours flex / TF.js wasm: ${(ms('ours flex') / ms('TF.js wasm')).toFixed(2)}x the time (target <= 0.3)`);
JS
