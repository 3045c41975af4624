// Benchmark (not a test): trains the reference MLP — 2-16-1 ReLU, batch 256, MSE, Adam 0.01,
// 300 steps — in headless Chromium, with our training worker (burn: flex on the CPU, wgpu on
// WebGPU) and with TF.js 4.22 (cpu, wasm, webgl, webgpu backends), and prints a table.
// Here the GPU is SwiftShader (emulated on the CPU); on a machine with a GPU, edit launch flags.
//
// Run after a build:       node tests/bench/train.mjs            (everything, a few minutes)
// CPU engines only:        node tests/bench/train.mjs --only=cpu (skips wgpu, webgl, webgpu)
// TF.js lives in tests/bench/node_modules (its own package.json, kept out of the test install).
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const HERE = dirname(fileURLToPath(import.meta.url));
const TF = resolve(HERE, 'node_modules/@tensorflow');
if (!existsSync(resolve(TF, 'tfjs/dist/tf.min.js'))) {
  console.error('TF.js is not installed for the benchmark. Install it with:\n  (cd tests/bench && npm ci)');
  process.exit(2);
}
const only = process.argv.find((a) => a.startsWith('--only='))?.slice('--only='.length);
const runsArg = process.argv.find((a) => a.startsWith('--runs='))?.slice('--runs='.length);
// --hardware: the machine's own GPU (Vulkan) instead of SwiftShader; --json=FILE: results too.
const hardware = process.argv.includes('--hardware');
const jsonOut = process.argv.find((a) => a.startsWith('--json='))?.slice('--json='.length);
if (only !== undefined && only !== 'cpu' && only !== 'gpu') {
  console.error('usage: node tests/bench/train.mjs [--only=cpu|--only=gpu] [--runs=N] [--hardware] [--json=FILE]');
  process.exit(2);
}
// Imported after the check: the harness itself throws when there is no built site.
const { launch, serve } = await import('../e2e/harness.mjs');
const { instrumentedWorker } = await import('./instrumented-worker.mjs');

const STEPS = 300;
// Timed runs per engine after its warm-up; the table shows their median. Single runs on a
// small shared machine vary by ±30%.
const RUNS = Number(runsArg ?? 5);
const { reference: spec } = await import('./specs.mjs'); // 10 steps an epoch: 300 steps

// Our worker. The time runs from its 'device' event to 'done', so it includes what the app
// does every epoch (metrics read back, decision-region grid), not the training steps alone.
// The first run in a fresh worker is printed too: it pays for V8 optimizing the wasm.
const oursPage = `<!doctype html><meta charset="utf-8"><title>bench</title><script>
// One worker for the warm-up and the timed run, as a demo keeps its worker between runs:
// the timed run gets the engine's code after V8 has optimized it, as TF.js's run does.
let worker = null;
window.bench = (device) => new Promise((done) => {
  let t0 = 0, label = '', loss = null, counts = null;
  // Decision regions every fifth epoch, as the curves demo asks for them.
  const start = () => worker.postMessage(JSON.stringify({ cmd: 'start', device, profile: true, wants: { regions: 40 }, job: { kind: 'train', ...${JSON.stringify(spec)} } }));
  const fresh = !worker;
  // The loader starts the engine its name says: the CPU engine (flex alone) for CPU runs.
  if (fresh) worker = new Worker('./counted-worker.js', { name: device === 'cpu' ? 'engine=cpu' : 'engine=gpu' });
  worker.onmessage = (e) => {
    const m = JSON.parse(e.data);
    if (m.event === 'ready') start();
    if (m.event === 'device') { label = m.label; t0 = performance.now(); }
    if (m.event === 'metrics') loss = m.metrics.train_loss;
    if (m.event === 'gpu-counts') { counts = m; return; }
    if (m.event === 'done' || m.event === 'error' || m.event === 'alarm') done({ label, ms: performance.now() - t0, loss, end: m, counts });
  };
  if (!fresh) start();
});
</script>`;

// The worker as the app starts it, with WebGPU calls counted: compute dispatches, queue
// submits and buffer maps (each map is one read-back that waits for the device). The counts
// cover one run, from its 'device' event to 'done', and come just before 'done'.
const countedWorker = instrumentedWorker(`
const counts = { dispatches: 0, submits: 0, maps: 0 };
const wrap = (proto, name, key) => {
  if (!proto || !proto[name]) return;
  const original = proto[name];
  proto[name] = function (...args) { counts[key]++; return original.apply(this, args); };
};
wrap(self.GPUComputePassEncoder?.prototype, 'dispatchWorkgroups', 'dispatches');
wrap(self.GPUQueue?.prototype, 'submit', 'submits');
wrap(self.GPUBuffer?.prototype, 'mapAsync', 'maps');
const reset = () => { for (const k in counts) counts[k] = 0; };
const report = () => ({ event: 'gpu-counts', ...counts });
`);

// TF.js: the same network in a hand-written loop (optimizer.minimize, no model.fit and its
// per-batch callbacks). The moons are generated here with the same recipe as our generator
// (two interleaved half circles, alternating labels, noise 0.1, 2560 points) but a different
// random stream, so the points are not the same ones. Loss as our engine's MSE: a sigmoid
// output, then the mean of (p - y)^2 against 0/1 labels. TF.js's heNormal draws from a
// truncated normal, ours from a plain normal; biases start at zero in both. Each epoch
// reshuffles, like ours. Only the training loop is timed, ending with a read of the last loss
// so that queued GPU work is counted. The loss printed is that last batch's (ours: the last
// epoch's mean), a sanity check that both learn, not a comparison.
const tfPage = `<!doctype html><meta charset="utf-8"><title>tfjs bench</title>
<script src="/tfjs/tf.min.js"></script>
<script src="/tfjs/tf-backend-wasm.min.js"></script>
<script src="/tfjs/tf-backend-webgpu.min.js"></script>
<script>
function rng(seed) { // mulberry32
  return () => { seed = (seed + 0x6d2b79f5) | 0; let t = Math.imul(seed ^ (seed >>> 15), 1 | seed); t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t; return ((t ^ (t >>> 14)) >>> 0) / 4294967296; };
}
function moons(n, noise, rand) {
  const normal = () => Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand());
  const x = new Float32Array(n * 2), y = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const a = Math.PI * rand(), label = i % 2;
    const [px, py] = label === 0 ? [Math.cos(a), Math.sin(a)] : [1 - Math.cos(a), 0.5 - Math.sin(a)];
    x[2 * i] = px + noise * normal(); x[2 * i + 1] = py + noise * normal(); y[i] = label;
  }
  return { x, y };
}
async function trainOnce(data, rand) {
  const n = data.y.length, batch = 256, perEpoch = Math.ceil(n / batch);
  const xs = tf.tensor2d(data.x, [n, 2]), ys = tf.tensor2d(data.y, [n, 1]);
  const model = tf.sequential({ layers: [
    tf.layers.dense({ inputShape: [2], units: 16, activation: 'relu', kernelInitializer: 'heNormal' }),
    tf.layers.dense({ units: 1, activation: 'sigmoid', kernelInitializer: 'heNormal' }),
  ] });
  const vars = model.trainableWeights.map((w) => w.read());
  const opt = tf.train.adam(0.01);
  const order = Int32Array.from({ length: n }, (_, i) => i);
  let idx = null, cost = null;
  const t0 = performance.now();
  for (let step = 0; step < ${STEPS}; step++) {
    const within = step % perEpoch;
    if (within === 0) {
      for (let i = n - 1; i > 0; i--) { const j = Math.floor(rand() * (i + 1)); [order[i], order[j]] = [order[j], order[i]]; }
      idx?.dispose(); idx = tf.tensor1d(order, 'int32');
    }
    cost?.dispose();
    cost = opt.minimize(() => {
      const rows = idx.slice(within * batch, Math.min(batch, n - within * batch));
      return tf.losses.meanSquaredError(tf.gather(ys, rows), model.apply(tf.gather(xs, rows)));
    }, true, vars);
  }
  const loss = (await cost.data())[0];
  const ms = performance.now() - t0;
  for (const t of [cost, idx, xs, ys]) t.dispose();
  opt.dispose(); model.dispose();
  return { ms, loss };
}
window.tfBench = async (backend) => {
  try {
    if (backend === 'wasm') tf.wasm.setWasmPaths('/tfjs/');
    if (!(await tf.setBackend(backend))) return { error: 'setBackend(' + backend + ') returned false' };
    await tf.ready();
    const rand = rng(1), data = moons(2560, 0.1, rand);
    await trainOnce(data, rand); // warm-up: shader/kernel compilation, wasm start-up
    const times = [];
    let r;
    for (let i = 0; i < ${RUNS}; i++) { r = await trainOnce(data, rand); times.push(r.ms); }
    r.times = times;
    let detail = tf.getBackend();
    if (backend === 'wasm') {
      const [threads, simd] = await Promise.all(['WASM_HAS_MULTITHREAD_SUPPORT', 'WASM_HAS_SIMD_SUPPORT'].map((f) => tf.env().getAsync(f)));
      detail += threads && simd ? ' (threads+simd)' : simd ? ' (simd)' : ' (plain)';
    }
    return { ...r, label: 'TF.js ' + tf.version.tfjs + ' ' + detail, tensors: tf.memory().numTensors };
  } catch (e) { return { error: String(e && e.message || e) }; }
};
</script>`;

// TF.js files served from tests/bench/node_modules under /tfjs/, as overlays (correct MIME types).
const overlays = {
  'tfjs/tf.min.js': readFileSync(resolve(TF, 'tfjs/dist/tf.min.js')),
  'tfjs/tf-backend-wasm.min.js': readFileSync(resolve(TF, 'tfjs-backend-wasm/dist/tf-backend-wasm.min.js')),
  'tfjs/tf-backend-webgpu.min.js': readFileSync(resolve(TF, 'tfjs-backend-webgpu/dist/tf-backend-webgpu.min.js')),
};
for (const f of readdirSync(resolve(TF, 'tfjs-backend-wasm/dist')).filter((f) => f.endsWith('.wasm'))) {
  overlays[`tfjs/${f}`] = readFileSync(resolve(TF, 'tfjs-backend-wasm/dist', f));
}

// [row name, launch with SwiftShader WebGPU?, runs]: a run is ['ours', device] or ['tfjs', backend].
const groups = [
  ['cpu', false, [['ours flex', 'ours', 'cpu'], ['TF.js cpu', 'tfjs', 'cpu'], ['TF.js wasm', 'tfjs', 'wasm']]],
  ['gpu', true, [['ours wgpu', 'ours', 'gpu'], ['TF.js webgl', 'tfjs', 'webgl'], ['TF.js webgpu', 'tfjs', 'webgpu']]],
].filter(([g]) => only === undefined || only === g);

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const results = {};
const site = await serve({ pages: { '/bench.html': oursPage, '/tfjs.html': tfPage, '/counted-worker.js': countedWorker }, overlays });
try {
  for (const [, webgpu, runs] of groups) {
    const browser = await launch([], { webgpu: webgpu && hardware ? 'hardware' : webgpu });
    try {
      for (const [name, engine, arg] of runs) {
        // A fresh page for each run, so that no backend state carries over.
        const page = await (await browser.newContext()).newPage();
        const errors = [];
        page.on('pageerror', (e) => errors.push(String(e)));
        let r;
        if (engine === 'ours') {
          await page.goto(`${site.origin}/bench.html`);
          const first = await page.evaluate((d) => window.bench(d), arg); // warm-up: fetch, compile, optimize
          const times = [];
          for (let i = 0; i < RUNS; i++) {
            r = await page.evaluate((d) => window.bench(d), arg);
            if (r.end.event !== 'done') break;
            times.push(r.ms);
          }
          r.first = first.ms;
          r.times = times;
          if (r.end.event !== 'done') r = { error: JSON.stringify(r.end) };
        } else {
          await page.goto(`${site.origin}/tfjs.html`);
          r = await page.evaluate((b) => window.tfBench(b), arg);
        }
        if (errors.length && !r.error) r.note = errors.join('; ');
        if (!r.error) r.ms = median(r.times);
        results[name] = r;
        console.log(`${name.padEnd(13)} ${r.error ? `FAILED: ${r.error}` : `${r.label}: median ${r.ms.toFixed(0)} ms of ${r.times.map((t) => t.toFixed(0)).join(', ')}; final loss ${r.loss?.toFixed(4)}`}`);
        // Where our worker's time went, as it measured itself: indicative only, since a page
        // that is not cross-origin isolated gets performance.now() coarsened to 100 µs, about
        // the length of one phase of one step. The engine's own split is in engine_bench.
        const profile = r.end?.profile;
        if (r.first) console.log(`${''.padEnd(13)} the first run in a fresh worker took ${r.first.toFixed(0)} ms`);
        if (r.counts && r.counts.dispatches > 0) {
          const c = r.counts;
          console.log(`${''.padEnd(13)} WebGPU per run: ${c.dispatches} dispatches (${(c.dispatches / STEPS).toFixed(1)} a step, reports included), ${c.submits} submits, ${c.maps} read-backs`);
        }
        if (profile) {
          const ms = Object.fromEntries(Object.entries(profile).map(([k, v]) => [k, v.toFixed(0)]));
          const between = (profile.steps - profile.upload - profile.forward - profile.backward - profile.update).toFixed(0);
          console.log(`${''.padEnd(13)} in the worker: set-up ${ms.setup} ms; steps ${ms.steps} ms (batch upload ${ms.upload}, forward + loss ${ms.forward}, backward ${ms.backward}, optimizer ${ms.update}, between phases ${between}); reports ${ms.reports} ms; yields ${ms.yields} ms`);
        }
        await page.context().close();
      }
    } finally {
      await browser.close();
    }
  }
} finally {
  await site.close();
}

// The table.
const fmt = (n) => (n < 10 ? n.toFixed(1) : Math.round(n).toLocaleString('en-US'));
if (jsonOut) writeFileSync(jsonOut, JSON.stringify(results, null, 1));
console.log(`\n${STEPS} steps, MLP 2-16-1 ReLU, batch 256, MSE, Adam 0.01 (headless Chromium, ${hardware ? 'the hardware GPU' : 'SwiftShader'} for GPU)`);
console.log(`${'engine/backend'.padEnd(14)} ${'ms'.padStart(9)} ${'steps/s'.padStart(9)}  what ran`);
for (const [name, r] of Object.entries(results)) {
  const [ms, sps] = r.error ? ['failed', '-'] : [fmt(r.ms), fmt(STEPS / (r.ms / 1000))];
  console.log(`${name.padEnd(14)} ${ms.padStart(9)} ${sps.padStart(9)}  ${r.error ? r.error.slice(0, 100) : r.label}`);
}
const ok = (name) => (results[name] && !results[name].error ? results[name] : null);
const ratio = (ours, theirsName, theirs) => {
  if (!ours || !theirs) return 'n/a (a run is missing or failed)';
  const x = ours.ms / theirs.ms;
  return `${x.toFixed(2)}x the time of ${theirsName} (${x > 1 ? `${x.toFixed(2)}x slower` : `${(1 / x).toFixed(2)}x faster`})`;
};
console.log('');
if (groups.some(([g]) => g === 'cpu')) {
  const best = ['TF.js cpu', 'TF.js wasm'].filter(ok).sort((a, b) => ok(a).ms - ok(b).ms)[0];
  console.log(`ours flex vs TF.js best CPU backend: ${ratio(ok('ours flex'), best, best && ok(best))}`);
}
if (groups.some(([g]) => g === 'gpu')) {
  console.log(`ours wgpu vs TF.js webgpu: ${ratio(ok('ours wgpu'), 'TF.js webgpu', ok('TF.js webgpu'))}`);
}
