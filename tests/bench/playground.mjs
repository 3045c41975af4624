// Benchmark (not a test): what the playground's live drawings cost. A 6 × 8 tanh network on
// all seven features, TensorFlow Playground's circle (500 points, half for testing, batch 10),
// trained in headless Chromium on the CPU:
//  1. in the worker alone, 50 epochs with a report every epoch, asking for nothing, for the
//     decision regions (48 × 48), and for regions + every unit's output (16 × 16 each) + the
//     weights: the worker's own time per report, and the bytes each report posts;
//  2. on the real playground page, 100 epochs: frames the page paints while it trains, the
//     longest main-thread task, and epochs a second.
// Run after a build: node tests/bench/playground.mjs
const { launch, serve } = await import('../e2e/harness.mjs');

const EPOCHS = 50;
const spec = {
  dataset: { generator: 'circles', seed: 1, size: 500, noise: 0, validation: 0.5, scale: 5 },
  model: { hidden: Array(6).fill({ width: 8, activation: 'tanh' }), init: 'xavier' },
  loss: { kind: 'cross-entropy' },
  optimizer: { kind: 'sgd', lr: 0.03 },
  batch_size: 10,
  epochs: EPOCHS,
  features: ['x', 'y', 'x2', 'y2', 'xy', 'sin-x', 'sin-y'],
};
const plane = { bounds: [[-6, 6], [-6, 6]], every: 1 };
const cases = [
  ['metrics only', { every: 1 }],
  ['regions', { ...plane, regions: 48 }],
  ['regions + neurons + weights', { ...plane, regions: 48, neurons: 16, params: true }],
];

const benchPage = `<!doctype html><meta charset="utf-8"><title>bench</title><script>
let worker = null;
window.bench = (wants) => new Promise((done) => {
  let t0 = 0, bytes = 0, reports = 0, parse = 0;
  const start = () => worker.postMessage(JSON.stringify({ cmd: 'start', device: 'cpu', profile: true, wants, job: { kind: 'train', ...${JSON.stringify(spec)} } }));
  const fresh = !worker;
  if (fresh) worker = new Worker('./worker-loader.js');
  worker.onmessage = (e) => {
    const p0 = performance.now();
    const m = JSON.parse(e.data);
    parse += performance.now() - p0;
    if (m.event === 'ready') return start();
    if (m.event === 'device') t0 = performance.now();
    if (m.event === 'metrics') reports += 1;
    if (m.event === 'metrics' || m.event === 'snapshot') bytes += e.data.length;
    if (m.event === 'done' || m.event === 'error' || m.event === 'alarm') done({ ms: performance.now() - t0, bytes, reports, parse, end: m });
  };
  if (!fresh) start();
});
</script>`;

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const site = await serve({ pages: { '/bench.html': benchPage } });
const browser = await launch();
try {
  const page = await (await browser.newContext()).newPage();
  await page.goto(`${site.origin}/bench.html`);
  await page.evaluate((w) => window.bench(w), cases[0][1]); // warm-up
  console.log(`worker alone: ${EPOCHS} epochs of a 6 x 8 tanh network on 7 features, a report each epoch (median of 3 runs)`);
  for (const [name, wants] of cases) {
    const runs = [];
    for (let i = 0; i < 3; i++) runs.push(await page.evaluate((w) => window.bench(w), wants));
    const r = runs.sort((a, b) => a.ms - b.ms)[1];
    if (r.end.event !== 'done') throw new Error(`${name}: ${JSON.stringify(r.end).slice(0, 200)}`);
    const p = r.end.profile;
    console.log(`${name.padEnd(28)} run ${r.ms.toFixed(0)} ms; per report: worker ${(p.reports / r.reports).toFixed(2)} ms, ${(r.bytes / r.reports / 1024).toFixed(1)} KB posted, page JSON.parse ${(r.parse / r.reports).toFixed(2)} ms; steps ${p.steps.toFixed(0)} ms in all`);
  }
  await page.context().close();

  const live = await (await browser.newContext({ viewport: { width: 1300, height: 1000 } })).newPage();
  const url = `${site.url}#/module-2/playground?demo=playground&data=circle&f=x,y,x2,y2,xy,sinx,siny&net=8,8,8,8,8,8&act=tanh&epochs=100`;
  await live.goto(url);
  await live.waitForSelector('.pg-play', { timeout: 60000 });
  await live.evaluate(() => {
    window.frames_ = 0; window.tasks_ = [];
    const tick = () => { window.frames_ += 1; window.raf_ = requestAnimationFrame(tick); };
    window.raf_ = requestAnimationFrame(tick);
    new PerformanceObserver((l) => l.getEntries().forEach((e) => window.tasks_.push(e.duration))).observe({ type: 'longtask' });
  });
  const t0 = Date.now();
  const f0 = await live.evaluate(() => window.frames_);
  await live.click('.pg-play');
  await live.waitForSelector('.run-state:text("Done.")', { timeout: 300000 });
  const seconds = (Date.now() - t0) / 1000;
  const [frames, tasks] = await live.evaluate(() => [window.frames_, window.tasks_]);
  console.log(`\nplayground page: 100 epochs in ${seconds.toFixed(1)} s (${(100 / seconds).toFixed(1)} epochs/s, each drawn: plane, 48 unit maps, edges, curve)`);
  console.log(`frames painted while training: ${((frames - f0) / seconds).toFixed(0)} a second; main-thread tasks over 50 ms: ${tasks.length}${tasks.length ? ` (longest ${Math.max(...tasks).toFixed(0)} ms, median ${median(tasks).toFixed(0)} ms)` : ''}`);
} finally {
  await browser.close();
  await site.close();
}
