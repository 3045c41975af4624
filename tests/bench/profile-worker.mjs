// Profiler (not a test): where the training worker's time goes, from a Chromium trace with the
// V8 CPU profiler. Trains the reference run (tests/bench/train.mjs's spec) a few times in a
// fresh worker and prints the functions with the most self time on the worker's thread.
// Function names need the wasm's name section, which the production build strips: point
// --wasm at a build that keeps it, such as wasm-bindgen's output in the cargo target dir (the
// default: $CARGO_TARGET_DIR/wasm-bindgen/release/aesop-worker-cpu_bg.wasm for the CPU engine,
// aesop-worker_bg.wasm for the GPU one; same imports and exports). It is served in place of
// the built engine's content-hashed file.
// Run after a build: node tests/bench/profile-worker.mjs [--device=cpu|gpu] [--wasm=FILE] [--top=30]
import { readFileSync, readdirSync } from 'node:fs';
import { homedir } from 'node:os';
import { resolve } from 'node:path';
const { launch, serve, DIST } = await import('../e2e/harness.mjs');

const opt = (name, fallback) => process.argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1] ?? fallback;
const device = opt('device', 'cpu');
const top = Number(opt('top', 30));
const target = process.env.CARGO_TARGET_DIR ?? resolve(homedir(), '.cache/aesop/target');
const engine = device === 'gpu' ? 'aesop-worker' : 'aesop-worker-cpu';
const wasmPath = opt('wasm', resolve(target, `wasm-bindgen/release/${engine}_bg.wasm`));
// The built engine's file (scripts/hash-workers.mjs names it), which the overlay replaces.
const built = readdirSync(DIST).find((f) => new RegExp(`^${engine}-[0-9a-f]{16}_bg\\.wasm$`).test(f));
if (!built) throw new Error(`no ${engine}-<hash>_bg.wasm in ${DIST}: build first (bash scripts/build.sh)`);

const { reference: spec } = await import('./specs.mjs');
const page = `<!doctype html><meta charset="utf-8"><title>profile</title><script>
const worker = new Worker('./worker-loader.js?engine=${device}');
let ready; const started = new Promise((ok) => (ready = ok));
let done;
worker.onmessage = (e) => { const m = JSON.parse(e.data); if (m.event === 'ready') ready(); if (m.event === 'done' || m.event === 'error' || m.event === 'crashed') done(m); };
window.train = async () => { await started; return new Promise((ok) => { done = ok; worker.postMessage(JSON.stringify({ cmd: 'start', device: '${device}', job: { kind: 'train', ...${JSON.stringify(spec)} } })); }); };
</script>`;

const site = await serve({ pages: { '/profile.html': page }, overlays: { [built]: readFileSync(wasmPath) } });
const browser = await launch([], { webgpu: device === 'gpu' });
try {
  const p = await (await browser.newContext()).newPage();
  await p.goto(`${site.origin}/profile.html`);
  await p.evaluate(() => window.train()); // warm-up, untraced
  await browser.startTracing(p, { categories: ['disabled-by-default-v8.cpu_profiler', 'v8.execute', 'disabled-by-default-devtools.timeline'] });
  for (let i = 0; i < 3; i++) await p.evaluate(() => window.train());
  const trace = JSON.parse((await browser.stopTracing()).toString('utf8'));
  const events = trace.traceEvents ?? trace;
  // The worker's thread is the one whose profile samples include the engine.
  const profiles = new Map(); // id -> {nodes: Map, samples: [], deltas: [], tid}
  for (const e of events) {
    if (e.name === 'Profile') profiles.set(e.id, { nodes: new Map(), samples: [], deltas: [], tid: e.tid });
    if (e.name === 'ProfileChunk') {
      const prof = profiles.get(e.id) ?? profiles.set(e.id, { nodes: new Map(), samples: [], deltas: [], tid: e.tid }).get(e.id);
      const d = e.args?.data ?? {};
      for (const n of d.cpuProfile?.nodes ?? []) prof.nodes.set(n.id, n);
      prof.samples.push(...(d.cpuProfile?.samples ?? []));
      prof.deltas.push(...(d.timeDeltas ?? []));
    }
  }
  let best = null;
  for (const prof of profiles.values()) {
    const names = [...prof.nodes.values()].map((n) => n.callFrame?.functionName ?? '');
    const engine = names.filter((n) => /burn|aesop_train|flex|cubecl/.test(n)).length;
    if (!best || engine > best.engine) best = { ...prof, engine };
  }
  const self = new Map();
  let total = 0;
  best.samples.forEach((id, i) => {
    const ms = (best.deltas[i] ?? 0) / 1000;
    const n = best.nodes.get(id);
    const name = n?.callFrame?.functionName || `(${n?.callFrame?.url?.split('/').pop() || 'program'})`;
    self.set(name, (self.get(name) ?? 0) + ms);
    total += ms;
  });
  console.log(`worker thread, 3 reference runs on ${device}: ${total.toFixed(0)} ms of samples; top ${top} by self time`);
  for (const [name, ms] of [...self].sort((a, b) => b[1] - a[1]).slice(0, top)) {
    console.log(`${ms.toFixed(1).padStart(8)} ms ${(100 * ms / total).toFixed(1).padStart(5)}%  ${name.replace(/^_ZN/, '').slice(0, 140)}`);
  }
} finally {
  await browser.close();
  await site.close();
}
