// Lesson 1's demos in headless Chromium, on the real training worker: CPU by default (this
// browser has no WebGPU adapter), the CPU engine fetched only when a demo nears the screen.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, serve, openPage, readContent, loadDemos } from './harness.mjs';

let browser, site;
before(async () => { browser = await launch(); site = await serve(); });
after(async () => { await site?.close(); await browser?.close(); });

const workerRequests = (page) => {
  const seen = [];
  page.on('request', (r) => /aesop-worker/.test(r.url()) && seen.push(r.url()));
  return seen;
};

async function lesson1(b = browser, s = site) {
  const page = await openPage(b, `${s.url}#/module-2/lesson-1`);
  const worker = workerRequests(page);
  await loadDemos(page);
  await page.waitForSelector('.demo[data-demo="landscape"] .demo-title');
  return { page, worker };
}

const demo = (name) => `.demo[data-demo="${name}"]`;

// Samples per wasm file in a V8 CPU profile (file names without their content hash).
function mainThreadWasmSamples(profile) {
  const hits = new Map();
  for (const id of profile.samples) hits.set(id, (hits.get(id) ?? 0) + 1);
  const files = new Map();
  for (const node of profile.nodes) {
    const url = node.callFrame.url;
    if (!url.endsWith('.wasm') || !hits.has(node.id)) continue;
    const file = url.replace(/^.*\//, '').replace(/-[0-9a-f]{16}/, '');
    files.set(file, (files.get(file) ?? 0) + hits.get(node.id));
  }
  return files;
}

test('a lesson page shows its four demos where the text places them, fetching the CPU engine alone, once', async () => {
  const { page, worker } = await lesson1();
  const names = await page.$$eval('.demo', (els) => els.map((e) => e.dataset.demo));
  const placed = [...readContent('module-2/lesson-1.md').matchAll(/^:::demo (\S+)/gm)].map((m) => m[1]);
  assert.deepEqual(names, placed);
  assert.equal(names.length, 4);
  // Demos near the screen fetch the CPU engine ahead of Train; the GPU engine waits for a GPU.
  await page.waitForFunction(() => performance.getEntriesByType('resource').some((e) => /aesop-worker-cpu-.*_bg\.wasm$/.test(e.name)));
  await page.waitForTimeout(300);
  // Its glue comes with it, so Train waits for no round trip (boot.js, aesopEngine).
  assert.deepEqual(worker.map((u) => u.replace(/^.*\//, '').replace(/-[0-9a-f]{16}/, '')).sort(), ['aesop-worker-cpu.js', 'aesop-worker-cpu_bg.wasm'], 'the CPU engine\'s wasm and glue, once each, and nothing of the GPU engine');
  // Every plot has a text alternative.
  for (const label of await page.$$eval('canvas', (els) => els.map((c) => c.getAttribute('aria-label')))) assert.ok(label && label.length > 10);
  // Leaving the lesson removes the plots' resize listeners: a resize afterwards is harmless.
  await page.goto(page.url().replace('lesson-1', 'lesson-2'));
  await page.waitForSelector('.lesson h1');
  await page.setViewportSize({ width: 500, height: 700 });
  await page.waitForTimeout(200);
  assert.deepEqual(page.errors, []);
});

test('the loss explorer: confident and wrong costs far more under cross-entropy', async () => {
  const { page } = await lesson1();
  const d = demo('loss-explorer');
  await page.locator(`${d} input[type=range]`).fill('0.01');
  assert.equal(await page.textContent(`${d} .ce-value`), '4.6052');
  assert.equal(await page.textContent(`${d} .mse-value`), '0.9801');
  await page.check(`${d} input[name=loss-label] >> nth=1`);
  assert.equal(await page.textContent(`${d} .ce-value`), '0.0101');
});

test('read the curve trains on the CPU in default headless Chromium, and the page answers while it trains', async () => {
  const { page, worker } = await lesson1();
  const d = demo('read-the-curve');
  await page.click(`${d} button.preset:text("Overfitting")`);
  await page.fill(`${d} input[type=number] >> nth=1`, '1000');
  await page.locator(`${d} input[type=number] >> nth=1`).dispatchEvent('change');
  await page.click(`${d} button:text-is("Train")`);
  // The page answers at once: Pause holds the run (even while the worker is still starting).
  await page.click(`${d} button:text-is("Pause")`);
  await page.waitForSelector(`${d} .run-state:text("Paused.")`);
  await page.waitForSelector(`${d} .device-label:text("Training on the CPU")`);
  assert.match(await page.textContent(`${d} .device-note`), /^The CPU: this browser (has no WebGPU|offers no WebGPU adapter)\.$/);
  assert.ok(worker.some((u) => u.endsWith('.wasm')), 'the worker wasm is fetched once a demo starts');
  const progress = () => page.$eval(`${d} .run-progress`, (p) => Number(p.value));
  await page.waitForTimeout(300);
  const paused = await progress();
  await page.waitForTimeout(500);
  assert.equal(await progress(), paused, 'no progress while paused');
  await page.click(`${d} button:text-is("Step")`);
  await page.waitForFunction(([sel, v]) => Number(document.querySelector(`${sel} .run-progress`).value) > v, [d, paused]);
  const stepped = await progress();
  await page.click(`${d} button:text-is("Resume")`);
  await page.waitForFunction(([sel, v]) => Number(document.querySelector(`${sel} .run-progress`).value) > v + 5, [d, stepped]);
  await page.click(`${d} button:text-is("Reset")`);
  await page.waitForFunction((sel) => Number(document.querySelector(`${sel} .run-progress`).value) === 0, d);
  assert.equal(await page.locator(`${d} .run-state`).count(), 0);
  // A full short run ends with its curves and the summary in words.
  await page.click(`${d} button.preset:text("Normal training")`);
  // Training's work never runs on the page's thread. Asserted by where the time goes, which a
  // loaded machine cannot change (a wall-clock budget can fail on noise alone): a CPU profile of
  // the main thread over the whole run holds samples of the app's own wasm (so the profiler sees
  // wasm) and none of the engine's. Long tasks are reported by tests/bench/long-tasks.mjs.
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Profiler.enable');
  await cdp.send('Profiler.setSamplingInterval', { interval: 250 });
  await cdp.send('Profiler.start');
  await page.click(`${d} button:text-is("Train")`);
  await page.waitForSelector(`${d} .run-state:text("Done.")`, { timeout: 60000 });
  const { profile } = await cdp.send('Profiler.stop');
  const wasmSamples = mainThreadWasmSamples(profile);
  assert.ok((wasmSamples.get('aesop_bg.wasm') ?? 0) > 0, `the profile sees the app's wasm: ${JSON.stringify([...wasmSamples])}`);
  assert.deepEqual([...wasmSamples.keys()].filter((f) => /aesop-worker/.test(f)), [], 'engine code on the main thread');
  assert.match(await page.textContent(`${d} .plot-summary`), /^Epoch 40 of 40: training loss [\d.]+, validation loss [\d.]+$/);
  assert.deepEqual(page.errors, []);
});

test('the imbalance trap: plain cross-entropy is accurate and blind; weighting recovers recall', async () => {
  const { page } = await lesson1();
  const d = demo('imbalance');
  await page.click(`${d} button:text-is("Train")`);
  await page.waitForSelector(`${d} .run-state:text("Done.")`, { timeout: 60000 });
  const pct = async (cls) => parseFloat(await page.textContent(`${d} .${cls}`));
  assert.ok(await pct('accuracy-value') >= 98, `accuracy ${await pct('accuracy-value')}`);
  assert.ok(await pct('recall-value') <= 10, `recall ${await pct('recall-value')}`);
  // The threshold slider: at 0.01 the plain model catches what the weighted one does at 0.5.
  const slider = page.locator(`${d} .threshold input[type=range]`);
  assert.equal(await page.textContent(`${d} .threshold-value`), '0.5');
  await slider.fill('2');
  assert.equal(await page.textContent(`${d} .threshold-value`), '0.01');
  assert.equal(await slider.getAttribute('aria-valuetext'), 'threshold 0.01');
  assert.match(await page.textContent(`${d} .threshold-source`), /Counts at 0\.01 from the model after epoch 30/);
  const plainLowered = await pct('recall-value');
  assert.ok(plainLowered >= 60, `plain recall at 0.01: ${plainLowered}`);
  assert.ok(await pct('precision-value') < 20, `precision at 0.01: ${await pct('precision-value')}`);
  let cells = await page.$$eval(`${d} .confusion td`, (tds) => tds.map((t) => Number(t.textContent)));
  assert.equal(cells.reduce((a, b) => a + b, 0), 2000);
  await slider.fill('9');
  assert.ok(await pct('recall-value') <= 10);
  await page.click(`${d} button.preset:text-matches("Weighted")`);
  await page.click(`${d} button:text-is("Train")`);
  await page.waitForSelector(`${d} .run-state:text("Done.")`, { timeout: 60000 });
  assert.ok(await pct('recall-value') >= 60, `weighted recall ${await pct('recall-value')}`);
  assert.ok(Math.abs(await pct('recall-value') - plainLowered) <= 10, 'weighting ≈ a lowered threshold');
  cells = await page.$$eval(`${d} .confusion td`, (tds) => tds.map((t) => Number(t.textContent)));
  assert.equal(cells.reduce((a, b) => a + b, 0), 2000);
  // The lab's peer gets the learner's own run as evidence, with consent (off by default).
  await page.goto(page.url().replace('lesson-1', 'lab-1'));
  await page.waitForSelector('.chat');
  assert.match(await page.textContent('.chat-tools .settings-note'), /^Nothing about your results is shared\. Ticked, this would go to the offline peer/);
  await page.check('.chat-tools input[type=checkbox]');
  const shared = await page.textContent('.settings-note:has-text("Shared with")');
  assert.match(shared, /Your last "imbalance" demo run: you trained a 2-16-1 relu network with weighted cross-entropy \(positives ×99\).*recall \d/);
});

test('the landscape: a click sets the start and the descent path is drawn', async () => {
  const { page } = await lesson1();
  const d = demo('landscape');
  const canvas = page.locator(`${d} canvas`);
  await canvas.scrollIntoViewIfNeeded();
  const box = await canvas.boundingBox();
  await canvas.click({ position: { x: box.width * 0.8, y: box.height * 0.2 } });
  await page.waitForSelector(`${d} .run-state:text("Done.")`, { timeout: 60000 });
  const summary = await page.textContent(`${d} .plot-summary`);
  const [, x, y] = summary.match(/at \((-?[\d.e-]+), (-?[\d.e-]+)\)/);
  assert.match(summary, /^Step 200:/);
  // Started top right; ended in a valley near x = ±1, y = 0.
  assert.ok(Math.abs(Math.abs(Number(x)) - 1) < 0.2 && Math.abs(Number(y)) < 0.1, summary);
  // Picking a preset drops the clicked start: from high on the right, momentum rolls over the
  // ridge into the deeper valley on the left, and plain descent stops on the right.
  for (const [preset, side] of [['High on the right: with momentum', -1], ['High on the right: gradient descent', 1]]) {
    await page.click(`${d} button.preset:text-is("${preset}")`);
    await page.click(`${d} button:text-is("Descend")`);
    // The run ends (step 200) in the valley on the expected side.
    await page.waitForFunction(([sel, side]) => {
      const m = document.querySelector(`${sel} .plot-summary`)?.textContent.match(/^Step 200: at \((-?[\d.e-]+), /);
      return m && Math.sign(Number(m[1])) === side && Math.abs(Math.abs(Number(m[1])) - 1) < 0.1;
    }, [d, side], { timeout: 60000 });
  }
});

test('a broken demo file shows its path and line in place of the demo; the lesson still reads', async () => {
  const broken = readContent('module-2/demos/imbalance.json').replace('"epochs": 30', '"epochs": "thirty"');
  const s = await serve({ overlays: { 'content/module-2/demos/imbalance.json': broken } });
  try {
    const page = await openPage(browser, `${s.url}#/module-2/lesson-1`, { allowConsoleErrors: true });
    await loadDemos(page);
    await page.waitForSelector(`${demo('imbalance')} .demo-error`);
    assert.match(await page.textContent(`${demo('imbalance')} .demo-error`), /module-2\/demos\/imbalance\.json:\d+:/);
    await page.waitForSelector(`${demo('landscape')} .demo-title`);
  } finally { await s.close(); }
});
