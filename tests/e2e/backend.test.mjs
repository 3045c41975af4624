// Which backend trains, and why, on the real worker: the CPU starts at once while the GPU is
// measured in the background (Chromium's SwiftShader adapter here: a GPU emulated on the
// CPU); later runs follow the measurement; the learner's switch works both ways and survives
// a reload; the crossover demo measures both backends; a worker whose wasm fails to load says
// so and a retry starts a fresh one.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, serve, openPage, loadDemos } from './harness.mjs';

let site;
before(async () => { site = await serve(); });
after(async () => { await site?.close(); });

const demo = (name) => `.demo[data-demo="${name}"]`;
const d = demo('read-the-curve');

async function lesson(browser, n) {
  const page = await openPage(browser, `${site.url}#/module-2/lesson-${n}`);
  await loadDemos(page);
  return page;
}

/** A short run of "Normal training" (2 epochs), started; resolves once it is under way. */
async function startShort(page) {
  await page.click(`${d} button.preset:text("Normal training")`);
  await page.fill(`${d} input[type=number] >> nth=1`, '2');
  await page.locator(`${d} input[type=number] >> nth=1`).dispatchEvent('change');
  await page.click(`${d} button:text-is("Train")`);
  await page.waitForSelector(`${d} .device-label`, { timeout: 120000 });
}

const label = (page) => page.textContent(`${d} .device-label`);
const reason = (page) => page.textContent(`${d} .device-note`);

test('the CPU starts at once, the GPU is measured meanwhile, and the next run follows the measurement', async () => {
  const browser = await launch([], { webgpu: true });
  try {
    const page = await lesson(browser, 1);
    const started = Date.now();
    await startShort(page);
    assert.equal(await label(page), 'Training on the CPU');
    assert.match(await reason(page), /while this run measures how fast the GPU is/);
    assert.ok(Date.now() - started < 30000, 'the run did not wait for the GPU');
    // The measurement lands while (or after) the CPU trains, and is said in measured words.
    await page.waitForFunction((sel) => /measured/.test(document.querySelector(`${sel} .device-note`)?.textContent ?? '') && !/while this run measures/.test(document.querySelector(`${sel} .device-note`).textContent), d, { timeout: 180000 });
    const measured = await reason(page);
    const slower = measured.match(/^The CPU: ([\d.]+)× faster than this GPU for a network this small \(measured on this device\)\.$/);
    const faster = measured.match(/the GPU measured ([\d.]+)× faster than the CPU/);
    assert.ok(slower || faster, measured);
    const stored = await page.evaluate(() => JSON.parse(localStorage.getItem('aesop.calibrations')));
    const entries = Object.values(stored);
    assert.equal(entries.length, 1);
    assert.ok(entries[0].cpu_ms > 0 && entries[0].gpu_ms > 0 && entries[0].compile_ms > 0, JSON.stringify(stored));
    await page.waitForSelector(`${d} .run-state:text("Done.")`, { timeout: 120000 });
    // The next run of the same network starts on the backend the measurement chose.
    await page.click(`${d} button:text-is("Train")`);
    await page.waitForFunction((sel) => !/while this run measures/.test(document.querySelector(`${sel} .device-note`)?.textContent ?? 'x'), d);
    if (slower) {
      assert.equal(await label(page), 'Training on the CPU');
      assert.match(await reason(page), /faster than this GPU for a network this small \(measured on this device\)/);
    } else {
      assert.equal(await label(page), 'Training on the GPU (WebGPU)');
    }
    await page.waitForSelector(`${d} .run-state:text("Done.")`, { timeout: 240000 });

    // The switch, both ways, kept across a reload.
    await page.selectOption(`${d} select.backend-choice`, 'gpu');
    await page.click(`${d} button:text-is("Train")`);
    await page.waitForSelector(`${d} .device-label:text("Training on the GPU (WebGPU)")`, { timeout: 120000 });
    assert.match(await reason(page), /^You chose the GPU; on this device it measured [\d.]+× (slower than the CPU for a network this small|faster than the CPU for a network this size)\.$/);
    await page.waitForFunction((sel) => Number(document.querySelector(`${sel} .run-progress`).value) > 0, d, { timeout: 240000 });
    await page.reload();
    await loadDemos(page);
    assert.equal(await page.$eval(`${d} select.backend-choice`, (s) => s.value), 'gpu');
    await page.selectOption(`${d} select.backend-choice`, 'cpu');
    await startShort(page);
    assert.equal(await label(page), 'Training on the CPU');
    assert.equal(await reason(page), 'You chose the CPU.');
    await page.waitForSelector(`${d} .run-state:text("Done.")`, { timeout: 60000 });
    await page.reload();
    await loadDemos(page);
    assert.equal(await page.$eval(`${d} select.backend-choice`, (s) => s.value), 'cpu');
    assert.deepEqual(page.errors, []);
  } finally {
    await browser.close();
  }
});

test('without a WebGPU adapter the CPU trains and says why; choosing the GPU says it cannot', async () => {
  const browser = await launch();
  try {
    const page = await lesson(browser, 1);
    await startShort(page);
    assert.equal(await label(page), 'Training on the CPU');
    assert.match(await reason(page), /^The CPU: this browser (has no WebGPU|offers no WebGPU adapter)\.$/);
    await page.waitForSelector(`${d} .run-state:text("Done.")`, { timeout: 60000 });
    await page.selectOption(`${d} select.backend-choice`, 'gpu');
    await page.click(`${d} button:text-is("Train")`);
    await page.waitForFunction((sel) => /You chose the GPU, but/.test(document.querySelector(`${sel} .device-note`)?.textContent ?? ''), d);
    assert.equal(await label(page), 'Training on the CPU');
    await page.waitForSelector(`${d} .run-state:text("Done.")`, { timeout: 60000 });
    assert.deepEqual(page.errors, []);
  } finally {
    await browser.close();
  }
});

async function crossover(browser) {
  const page = await openPage(browser, `${site.url}#/module-2/lesson-4`);
  await page.locator(demo('gpu-crossover')).scrollIntoViewIfNeeded();
  await page.waitForSelector('#aesop-app:not(.app-pending) .lesson');
  const c = demo('gpu-crossover');
  await page.click(`${c} button:text-is("Measure")`);
  await page.waitForSelector(`${c} .run-state:text("Done.")`, { timeout: 420000 });
  const cells = async (cls) => page.$$eval(`${c} td.${cls}`, (tds) => tds.map((t) => t.textContent));
  // The GPU engine's file (hashed by scripts/hash-workers.mjs), as often as the page fetched it.
  const gpuEngine = (await page.evaluate(() => performance.getEntriesByType('resource').map((e) => e.name)))
    .filter((name) => /\/aesop-worker-[0-9a-f]{16}_bg\.wasm$/.test(name)).length;
  return { page, c, cpu: await cells('cpu-ms'), gpu: await cells('gpu-ms'), verdict: await page.textContent(`${c} .crossover-verdict`), gpuEngine };
}

test('the crossover demo times the CPU alone where there is no GPU', async () => {
  const browser = await launch();
  try {
    const { page, cpu, gpu, verdict, gpuEngine } = await crossover(browser);
    assert.equal(gpuEngine, 0, 'no adapter, no GPU engine');
    assert.ok(cpu.filter((t) => /^[\d.,e-]+$/.test(t)).length >= 3, `CPU times: ${cpu}`);
    for (const t of gpu) assert.match(t, /No GPU timing: this browser/);
    assert.match(verdict, /No GPU timing: this browser .* Only the CPU's times are shown\./);
    // Times grow with the work (the smallest size against the largest measured).
    const ms = cpu.filter((t) => /^[\d.,e-]+$/.test(t)).map((t) => Number(t.replace(/,/g, '')));
    assert.ok(ms.at(-1) > ms[0], `${ms}`);
    assert.deepEqual(page.errors, []);
  } finally {
    await browser.close();
  }
});

test('the crossover demo times both backends on SwiftShader WebGPU and says how they compare', async () => {
  const browser = await launch([], { webgpu: true });
  try {
    const { page, cpu, gpu, verdict, gpuEngine } = await crossover(browser);
    // Fetched because an adapter is there, once for every size the demo times.
    assert.equal(gpuEngine, 1, 'the GPU engine, fetched once');
    const timed = (xs) => xs.filter((t) => /^[\d.,e-]+$/.test(t)).length;
    assert.ok(timed(cpu) >= 3 && timed(gpu) >= 2, `CPU ${cpu} | GPU ${gpu}`);
    for (const t of [...cpu, ...gpu].filter((t) => !/^[\d.,e-]+$/.test(t))) assert.match(t, /^Skipped: a step would take about [\d.]+ s here\.$/);
    assert.match(verdict, /^On this machine the (GPU overtakes the CPU at about|GPU was faster at every size|CPU was faster at every size)/);
    assert.deepEqual(page.errors, []);
  } finally {
    await browser.close();
  }
});

test("a worker whose wasm cannot load says so, and Retry starts a fresh one", async () => {
  const browser = await launch();
  try {
    const page = await openPage(browser, 'about:blank', { allowConsoleErrors: true });
    // Before the demos near the screen, which fetches the CPU engine ahead of Train.
    await page.context().route(/aesop-worker-cpu-[0-9a-f]{16}_bg\.wasm$/, (route) => route.abort());
    await page.goto(`${site.url}#/module-2/lesson-1`);
    await loadDemos(page);
    await page.click(`${d} button:text-is("Train")`);
    await page.waitForSelector(`${d} .run-alarm:text("could not be loaded")`, { timeout: 60000 });
    assert.ok(await page.isVisible(`${d} button.retry`));
    await page.context().unroute(/aesop-worker-cpu-[0-9a-f]{16}_bg\.wasm$/);
    await page.click(`${d} button.retry`);
    await page.waitForSelector(`${d} .device-label:text("Training on the CPU")`, { timeout: 60000 });
    await page.waitForFunction((sel) => Number(document.querySelector(`${sel} .run-progress`).value) > 0, d, { timeout: 60000 });
    assert.equal(await page.locator(`${d} .run-alarm`).count(), 0);
  } finally {
    await browser.close();
  }
});

test('a GPU that fails mid-run hands the run to the CPU, with a message', async () => {
  const browser = await launch([], { webgpu: true });
  try {
    const page = await lesson(browser, 1);
    await page.selectOption(`${d} select.backend-choice`, 'gpu');
    await startShort(page);
    await page.waitForSelector(`${d} .device-label:text("Training on the GPU (WebGPU)")`, { timeout: 120000 });
    // Every read-back from now on fails, as on a lost device.
    const worker = page.workers().find((w) => /engine=gpu/.test(w.url()));
    await worker.evaluate(() => {
      GPUBuffer.prototype.mapAsync = () => Promise.reject(new DOMException('the device was lost', 'OperationError'));
    });
    await page.waitForSelector(`${d} .device-label:text("Training on the CPU")`, { timeout: 120000 });
    assert.match(await reason(page), /GPU failed/);
    await page.waitForSelector(`${d} .run-state:text("Done.")`, { timeout: 120000 });
    assert.match(await page.textContent(`${d} .plot-summary`), /^Epoch 2 of 2: training loss/);
  } finally {
    await browser.close();
  }
});
