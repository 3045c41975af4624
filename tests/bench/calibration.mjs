// Benchmark (not a test): what the backend calibration costs a demo. In Chromium with
// SwiftShader WebGPU, a fresh worker starts a demo-sized run (read-the-curve's "normal") with
// nothing known, so it trains on the CPU while the GPU is measured in the background; then
// fresh workers start the same run with that measurement known (no calibration) and with the
// CPU forced (no adapter probe). Prints, for each, the time from Start to the backend being
// named, to the first report and to the end of the run, medians of 5 runs.
// Run after a build: node tests/bench/calibration.mjs
const { launch, serve } = await import('../e2e/harness.mjs');

const RUNS = 5;
const { demoRun: job } = await import('./specs.mjs');

const page = `<!doctype html><meta charset="utf-8"><title>calibration</title><script>
// One run in a fresh worker: times from Start to 'device', the first metrics, 'done', and to
// 'calibrated' when the worker measures (it may come after the run ends).
window.once = (device, known, adapter) => new Promise((resolve) => {
  const worker = new Worker('./worker-loader.js');
  const t = {}; let t0 = 0, calibrated = null, done = false;
  const finish = () => { worker.terminate(); resolve({ ...t, calibrated }); };
  worker.onmessage = (e) => {
    const m = JSON.parse(e.data);
    const at = performance.now() - t0;
    if (m.event === 'ready') { t0 = performance.now(); worker.postMessage(JSON.stringify({ cmd: 'start', device, known, adapter, job: ${JSON.stringify(job)} })); }
    if (m.event === 'device') { t.device = at; t.label = m.label; t.note = m.note; }
    if (m.event === 'metrics' && t.first === undefined) t.first = at;
    if (m.event === 'calibrated') { t.calibratedAt = at; calibrated = { key: m.key, calibration: m.calibration }; if (done) finish(); }
    if (m.event === 'done') { t.done = at; done = true; if (device !== 'auto' || calibrated || Object.keys(known).length) finish(); }
  };
});
</script>`;

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const site = await serve({ pages: { '/calibration.html': page } });
const browser = await launch([], { webgpu: true });
try {
  const p = await (await browser.newContext()).newPage();
  await p.goto(`${site.origin}/calibration.html`);
  const rows = {};
  const first = [];
  for (let i = 0; i < RUNS; i++) first.push(await p.evaluate(() => window.once('auto', {})));
  const known = { [first[0].calibrated.key]: first[0].calibrated.calibration };
  rows['first start (measures the GPU)'] = first;
  const later = [];
  const adapter = first[0].calibrated.key.split('|')[0];
  for (let i = 0; i < RUNS; i++) later.push(await p.evaluate(([k, a]) => window.once('auto', k, a), [known, adapter]));
  rows['later start (measurement known)'] = later;
  const cpu = [];
  for (let i = 0; i < RUNS; i++) cpu.push(await p.evaluate(() => window.once('cpu', {})));
  rows['CPU chosen (no probe)'] = cpu;
  console.log(`read-the-curve "normal" (40 epochs, 400 points), fresh worker each run, SwiftShader WebGPU; medians of ${RUNS}, ms from Start`);
  console.log(`${''.padEnd(32)} ${'backend'.padStart(8)} ${'1st report'.padStart(11)} ${'done'.padStart(7)} ${'measured'.padStart(9)}`);
  for (const [name, rs] of Object.entries(rows)) {
    const m = (k) => { const xs = rs.map((r) => r[k]).filter((x) => x !== undefined); return xs.length ? median(xs).toFixed(0) : '-'; };
    console.log(`${name.padEnd(32)} ${m('device').padStart(8)} ${m('first').padStart(11)} ${m('done').padStart(7)} ${m('calibratedAt').padStart(9)}`);
  }
  const c = first[0].calibrated.calibration;
  console.log(`\nmeasurement: CPU ${c.cpu_ms.toFixed(2)} ms a step, GPU ${c.gpu_ms.toFixed(2)} ms a step, GPU first compile ${c.compile_ms.toFixed(0)} ms`);
  console.log(`first start's note: ${first[0].note}\nlater start's note: ${later[0].note}`);
} finally {
  await browser.close();
  await site.close();
}
