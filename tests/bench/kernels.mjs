// Benchmark tool (not a test): which WebGPU kernels one reference run of our worker launches,
// and how much work each one is given. It wraps the worker's WebGPU calls (shader modules,
// pipelines, dispatches) and, for each pipeline, prints its dispatches, workgroups and
// invocations in one run after a warm-up, its shader's size and whether it is one of cubek's
// matmul kernels. This census, with a perf profile of SwiftShader, found that burn-wgpu's
// matmul held most of the GPU time of a step (tests/bench/README.md).
//
// Run after a build:  node tests/bench/kernels.mjs [--hardware] [--json=FILE]
import { writeFileSync } from 'node:fs';

const hardware = process.argv.includes('--hardware');
const jsonOut = process.argv.find((a) => a.startsWith('--json='))?.slice('--json='.length);
const { launch, serve } = await import('../e2e/harness.mjs');
const { instrumentedWorker } = await import('./instrumented-worker.mjs');
const { reference: spec } = await import('./specs.mjs');

// One worker for the warm-up and the counted run, as in train.mjs.
const page = `<!doctype html><meta charset="utf-8"><title>kernels</title><script>
let worker = null;
window.run = () => new Promise((done) => {
  const start = () => worker.postMessage(JSON.stringify({ cmd: 'start', device: 'gpu', wants: { regions: 40 }, job: { kind: 'train', ...${JSON.stringify(spec)} } }));
  const fresh = !worker;
  if (fresh) worker = new Worker('./census-worker.js');
  let t0 = 0, label = '', kernels = null;
  worker.onmessage = (e) => {
    const m = JSON.parse(e.data);
    if (m.event === 'ready') start();
    if (m.event === 'device') { label = m.label; t0 = performance.now(); }
    if (m.event === 'kernels') { kernels = m.list; return; }
    if (m.event === 'done' || m.event === 'error' || m.event === 'alarm') done({ label, ms: performance.now() - t0, end: m.event, kernels });
  };
  if (!fresh) start();
});
</script>`;

// Pipelines remember their shader's WGSL; each dispatch is tallied on the pipeline last set
// on its pass.
const censusWorker = instrumentedWorker(`
let tally = new Map(), next = 0;
const D = self.GPUDevice.prototype, P = self.GPUComputePassEncoder.prototype;
const module = D.createShaderModule;
D.createShaderModule = function (d) { const m = module.call(this, d); m.wgsl = d.code; return m; };
const tag = (p, d) => { p.id = next++; p.wgsl = d.compute.module.wgsl || ''; return p; };
const pipeline = D.createComputePipeline;
D.createComputePipeline = function (d) { return tag(pipeline.call(this, d), d); };
const pipelineAsync = D.createComputePipelineAsync;
D.createComputePipelineAsync = async function (d) { return tag(await pipelineAsync.call(this, d), d); };
const set = P.setPipeline;
P.setPipeline = function (p) { this.current = p; return set.call(this, p); };
const dispatch = P.dispatchWorkgroups;
P.dispatchWorkgroups = function (x, y = 1, z = 1) {
  const p = this.current;
  const t = tally.get(p) ?? { id: p.id, wgsl: p.wgsl, dispatches: 0, workgroups: 0 };
  t.dispatches++; t.workgroups += x * y * z; tally.set(p, t);
  return dispatch.call(this, x, y, z);
};
const size = (wgsl) => (/@workgroup_size\\(([^)]*)\\)/.exec(wgsl)?.[1] ?? '1').split(',').reduce((a, v) => a * (parseInt(v) || 1), 1);
const reset = () => { tally = new Map(); };
const report = () => ({ event: 'kernels', list: [...tally.values()].map(({ wgsl, ...t }) =>
  ({ ...t, invocations: t.workgroups * size(wgsl), wgslChars: wgsl.length, matmul: /matmul/i.test(wgsl) })) });
`);

const site = await serve({ pages: { '/kernels.html': page, '/census-worker.js': censusWorker } });
const browser = await launch([], { webgpu: hardware ? 'hardware' : true });
try {
  const tab = await (await browser.newContext()).newPage();
  await tab.goto(`${site.origin}/kernels.html`);
  await tab.evaluate(() => window.run()); // warm-up: compiles the kernels
  const r = await tab.evaluate(() => window.run());
  if (r.end !== 'done' || !r.kernels) throw new Error(`the run ended with '${r.end}' (${r.label})`);
  const list = r.kernels.sort((a, b) => b.invocations - a.invocations);
  const total = (k) => list.reduce((s, t) => s + t[k], 0);
  const mm = list.filter((t) => t.matmul);
  const share = (k) => `${((100 * mm.reduce((s, t) => s + t[k], 0)) / total(k)).toFixed(0)}%`;
  console.log(`${r.label}: one reference run (300 steps, reports included) in ${r.ms.toFixed(0)} ms`);
  console.log('pipeline  dispatches  workgroups  invocations  WGSL chars  matmul');
  for (const t of list) {
    console.log([t.id, t.dispatches, t.workgroups, t.invocations, t.wgslChars].map((v, i) => String(v).padStart([8, 12, 12, 13, 12][i])).join('') + (t.matmul ? '  yes' : ''));
  }
  console.log(`${list.length} pipelines, ${total('dispatches')} dispatches (${(total('dispatches') / 300).toFixed(1)} a step); ` +
    `matmul kernels: ${mm.length} pipelines, ${share('dispatches')} of dispatches, ${share('invocations')} of invocations`);
  if (jsonOut) writeFileSync(jsonOut, JSON.stringify({ label: r.label, ms: r.ms, kernels: list }, null, 1));
} finally {
  await browser.close();
  await site.close();
}
