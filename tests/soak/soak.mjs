// Soak (not part of CI: it runs for a quarter of an hour): does long use leak or lose anything?
//  1. The training worker trains back-to-back runs for --minutes (10) on the CPU, then for
//     --gpu-minutes (3) on WebGPU (SwiftShader here). Every run must deliver every report
//     (one per epoch plus the untrained one) and end; the worker's wasm memory and the page's
//     JS heap are sampled, and must be flat after warm-up (growth under 10%).
//  2. The real app's lab holds --exchanges (50) exchanges in a row with the local LLM server;
//     every reply must be on the page and still there after a reload, and the page's heap
//     flat after warm-up.
// Run after a build:  node tests/soak/soak.mjs [--minutes=10] [--gpu-minutes=3] [--exchanges=50]
import { launch, serve, openPage } from '../e2e/harness.mjs';
import { startLlmServer } from '../tools/llm-server.mjs';
import { demoRun as job } from '../bench/specs.mjs';

const arg = (name, fallback) => Number(process.argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1] ?? fallback);
const MINUTES = arg('minutes', 10);
const GPU_MINUTES = arg('gpu-minutes', 3);
const EXCHANGES = arg('exchanges', 50);

// read-the-curve's "normal" run, as a demo trains it.
const EPOCHS = job.epochs;

// The worker as the app starts it, with its wasm memory made readable for sampling.
const soakWorker = `
const instantiate = WebAssembly.instantiate, streaming = WebAssembly.instantiateStreaming;
const keep = (r) => { self.__memory = (r.instance ?? r).exports.memory; return r; };
WebAssembly.instantiate = (...a) => instantiate(...a).then(keep);
if (streaming) WebAssembly.instantiateStreaming = (...a) => streaming(...a).then(keep);
importScripts('./worker-loader.js');
`;
const page = `<!doctype html><meta charset="utf-8"><title>soak</title><script>
const worker = new Worker('./soak-worker.js');
let ready, runs = { done: 0, reports: 0, short: [], errors: [] }, current = null;
window.ready = new Promise((ok) => (ready = ok));
worker.onmessage = (e) => {
  const m = JSON.parse(e.data);
  if (m.event === 'ready') ready();
  if (m.event === 'metrics') current.reports++;
  if (m.event === 'error' || m.event === 'crashed' || m.event === 'alarm') runs.errors.push(m.message);
  if (m.event === 'done') {
    runs.done++; runs.reports += current.reports;
    if (current.reports !== ${EPOCHS + 1}) runs.short.push(current.reports);
    current.resolve();
  }
};
window.runOnce = (device) => new Promise((resolve) => {
  current = { reports: 0, resolve };
  worker.postMessage(JSON.stringify({ cmd: 'start', device, job: ${JSON.stringify(job)} }));
});
window.runs = () => runs;
</script>`;

const mb = (bytes) => (bytes / 2 ** 20).toFixed(1);

async function heap(p) {
  const cdp = await p.context().newCDPSession(p);
  // Without Performance.enable, getMetrics answers with no metrics rather than an error.
  await cdp.send('Performance.enable');
  const { metrics } = await cdp.send('Performance.getMetrics');
  await cdp.detach();
  return metrics.find((m) => m.name === 'JSHeapUsedSize')?.value ?? 0;
}

/** Growth of the last sample over the first one after warm-up (a third of the samples in). */
function growth(samples) {
  const warm = samples[Math.floor(samples.length / 3)];
  // No measurement is no evidence of flat memory: it fails.
  return warm > 0 ? samples.at(-1) / warm - 1 : Infinity;
}

async function soakWorkerRuns(label, minutes, webgpu, device) {
  const browser = await launch(['--js-flags=--expose-gc'], { webgpu });
  const site = await serve({ pages: { '/soak.html': page, '/soak-worker.js': soakWorker } });
  try {
    const p = await (await browser.newContext()).newPage();
    await p.goto(`${site.origin}/soak.html`);
    await p.evaluate(() => window.ready);
    const worker = p.workers()[0];
    const wasm = [], js = [];
    const end = Date.now() + minutes * 60000;
    let nextSample = 0;
    while (Date.now() < end) {
      await p.evaluate((d) => window.runOnce(d), device);
      if (Date.now() >= nextSample) {
        await p.evaluate(() => window.gc?.());
        wasm.push(await worker.evaluate(() => self.__memory?.buffer.byteLength ?? 0));
        js.push(await heap(p));
        nextSample = Date.now() + 20000;
      }
    }
    const runs = await p.evaluate(() => window.runs());
    const ok = runs.short.length === 0 && runs.errors.length === 0 && growth(wasm) < 0.1 && growth(js) < 0.1;
    console.log(`${label}: ${runs.done} runs in ${minutes} min, ${runs.reports} reports (${EPOCHS + 1} a run; short runs: ${runs.short.length}; errors: ${runs.errors.length})`);
    console.log(`${''.padEnd(label.length)}  worker wasm memory ${wasm.map(mb).join(' ')} MB (growth after warm-up ${(growth(wasm) * 100).toFixed(1)}%)`);
    console.log(`${''.padEnd(label.length)}  page JS heap ${js.map(mb).join(' ')} MB (growth after warm-up ${(growth(js) * 100).toFixed(1)}%)`);
    return ok;
  } finally {
    await site.close();
    await browser.close();
  }
}

async function soakLab(exchanges) {
  const llm = await startLlmServer();
  const browser = await launch(['--js-flags=--expose-gc']);
  const site = await serve({ overlays: { 'llm-config.json': JSON.stringify({ endpoint: `${llm.url}/v1`, model: 'echo', dialect: 'openai', timeout_s: 10 }) } });
  try {
    const p = await openPage(browser, `${site.url}#/module-2/lab-1`, { allowConsoleErrors: true });
    await p.waitForSelector('.chat');
    const heaps = [];
    for (let i = 1; i <= exchanges; i++) {
      await p.fill('#chat-input', `Exchange ${i}: weighted cross-entropy, because recall matters.`);
      await p.keyboard.press('Enter');
      await p.waitForFunction((n) => [...document.querySelectorAll('.msg-peer')].some((m) => m.textContent.includes(`Exchange ${n}:`)), i, { timeout: 30000 });
      // The chat takes the next message once this reply has ended (no message is streaming).
      await p.waitForFunction(() => !document.querySelector('.msg-peer.streaming'), null, { timeout: 30000 });
      if (i % 5 === 0) {
        await p.evaluate(() => window.gc?.());
        heaps.push(await heap(p));
      }
    }
    await p.reload();
    await p.waitForSelector('.chat');
    const kept = await p.$$eval('.msg-peer', (els) => els.filter((e) => /Exchange \d+:/.test(e.textContent)).length);
    const ok = kept === exchanges && growth(heaps) < 0.1;
    console.log(`lab: ${exchanges} exchanges, ${kept} replies kept after a reload; page JS heap ${heaps.map(mb).join(' ')} MB (growth after warm-up ${(growth(heaps) * 100).toFixed(1)}%)`);
    return ok;
  } finally {
    await site.close();
    await browser.close();
    await llm.close();
  }
}

const results = [];
if (MINUTES > 0) results.push(await soakWorkerRuns('CPU (flex)', MINUTES, false, 'cpu'));
if (GPU_MINUTES > 0) results.push(await soakWorkerRuns('WebGPU (SwiftShader)', GPU_MINUTES, true, 'gpu'));
if (EXCHANGES > 0) results.push(await soakLab(EXCHANGES));
console.log(results.every(Boolean) ? 'soak: passed' : 'soak: FAILED');
process.exit(results.every(Boolean) ? 0 : 1);
