// Benchmark (not a test): trains the reference MLP — 2-16-1 ReLU, batch 256, MSE, Adam 0.01,
// 300 steps — in the real training worker inside headless Chromium, on the CPU (flex) and on
// WebGPU (SwiftShader here; a real GPU elsewhere), and prints the time and steps per second.
// Run after a build: node tests/bench/train.mjs
import { launch, serve } from '../e2e/harness.mjs';

const spec = {
  dataset: { generator: 'moons', seed: 1, size: 2560, noise: 0.1, validation: 0 },
  model: { hidden: [{ width: 16, activation: 'relu' }], init: 'he' },
  loss: { kind: 'mse' },
  optimizer: { kind: 'adam', lr: 0.01 },
  batch_size: 256,
  epochs: 30, // 10 steps an epoch: 300 steps
};

const page = `<!doctype html><meta charset="utf-8"><title>bench</title><script>
window.bench = (device) => new Promise((done) => {
  const w = new Worker('./aesop-worker_loader.js');
  let t0 = 0, label = '';
  w.onmessage = (e) => {
    const m = JSON.parse(e.data);
    if (m.event === 'ready') w.postMessage(JSON.stringify({ cmd: 'start', device, job: { kind: 'train', ...${JSON.stringify(spec)} } }));
    if (m.event === 'device') { label = m.label; t0 = performance.now(); }
    if (m.event === 'done' || m.event === 'error' || m.event === 'alarm') { w.terminate(); done({ label, ms: performance.now() - t0, end: m }); }
  };
});
</script>`;

const site = await serve({ pages: { '/bench.html': page } });
for (const [name, webgpu, device] of [['flex (CPU)', false, 'cpu'], ['wgpu (WebGPU)', true, 'auto']]) {
  const browser = await launch([], { webgpu });
  try {
    const p = await (await browser.newContext()).newPage();
    await p.goto(`${site.origin}/bench.html`);
    await p.evaluate((d) => window.bench(d), device); // warm-up: fetch and compile the worker
    const r = await p.evaluate((d) => window.bench(d), device);
    const ok = r.end.event === 'done';
    console.log(`${name.padEnd(14)} ${r.label.padEnd(26)} ${ok ? `${r.ms.toFixed(0)} ms, ${(300 / (r.ms / 1000)).toFixed(0)} steps/s` : JSON.stringify(r.end)}`);
  } finally { await browser.close(); }
}
await site.close();
