// The two training engines as a learner's network sees them (issue 28): every demo starts on
// the small CPU engine, compiled once per page and shared by its demos; the GPU engine is never
// fetched where there is no adapter; the service worker keeps the engine, so a reload trains
// without downloading it again; and a lesson visited once reads, typesets and trains offline.
// Downloads are counted by the server (tests/tools/serve.mjs logs every request), which also
// sees what the workers fetch.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { brotliCompressSync, constants } from 'node:zlib';
import { launch, serve, openPage, loadDemos, DIST } from './harness.mjs';

// Issue 28's target for the CPU engine, brotli as a host serves it.
const CPU_ENGINE_BUDGET = 400 * 1024;

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

const demo = (name) => `.demo[data-demo="${name}"]`;
const CPU_WASM = /aesop-worker-cpu-[0-9a-f]{16}_bg\.wasm$/;
const GPU_FILES = /aesop-worker-[0-9a-f]{16}(_bg\.wasm|\.js)$/;
const fetched = (site, pattern, status = 200) => site.log.filter(([p, s]) => pattern.test(p) && s === status).length;

/** Runs a demo's current preset to its end (answering a prediction first where it asks). */
async function train(page, name, start = 'Train') {
  const d = demo(name);
  if (await page.locator(`${d} .predict`).count()) await page.check(`${d} .predict input[type=radio] >> nth=0`);
  await page.click(`${d} .run-buttons button:text-is("${start}")`);
  await page.waitForSelector(`${d} .run-state:text("Done."), ${d} .run-alarm`, { timeout: 120000 });
  assert.equal(await page.locator(`${d} .run-alarm`).count(), 0, await page.locator(`${d} .run-alarm`).first().textContent().catch(() => ''));
  assert.equal(await page.textContent(`${d} .device-label`), 'Training on the CPU');
}

/** Waits until the service worker's cache holds a file of each pattern, or (none given)
 * every file its precache list names. (Polled from here: waitForFunction does not await an
 * async predicate.) */
async function cached(page, patterns) {
  const missing = () => page.evaluate(async (sources) => {
    const names = [];
    for (const key of await caches.keys()) for (const r of await (await caches.open(key)).keys()) names.push(new URL(r.url).pathname);
    if (!sources) {
      const listed = JSON.parse((await (await fetch('sw.js')).text()).match(/const FILES = (\[.*?\]);/)[1]);
      sources = listed.map((f) => `^/${f.replace(/^\.\//, '').replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`);
    }
    return sources.filter((s) => !names.some((n) => new RegExp(s).test(n)));
  }, patterns?.map((p) => p.source));
  const until = Date.now() + 60000;
  let left;
  while ((left = await missing()).length) {
    assert.ok(Date.now() < until, `the service worker never cached ${left.join(', ')}`);
    await page.waitForTimeout(250);
  }
}

test(`the CPU engine is at most ${CPU_ENGINE_BUDGET / 1024} KB brotli, and far smaller than the GPU engine`, () => {
  const size = (pattern, quality = 11) => {
    const name = readdirSync(DIST).find((f) => pattern.test(f));
    assert.ok(name, `no ${pattern} in ${DIST}`);
    return brotliCompressSync(readFileSync(resolve(DIST, name)), { params: { [constants.BROTLI_PARAM_QUALITY]: quality } }).length;
  };
  const cpu = size(CPU_WASM);
  const gpu = size(/^aesop-worker-[0-9a-f]{16}_bg\.wasm$/, 5);
  console.log(`[budget] CPU engine ${cpu} bytes brotli (budget ${CPU_ENGINE_BUDGET}); GPU engine ${gpu} (brotli 5)`);
  assert.ok(cpu <= CPU_ENGINE_BUDGET, `CPU engine ${cpu} bytes brotli > ${CPU_ENGINE_BUDGET}`);
  assert.ok(cpu * 3 < gpu, `the CPU engine (${cpu}) leaves out wgpu and cubecl (GPU engine ${gpu})`);
  assert.ok(statSync(resolve(DIST, 'worker-loader.js')).size < 2048);
});

test(`from Train to the first report on a cold cache, at most ${CPU_ENGINE_BUDGET / 1024} KB brotli are fetched`, async () => {
  const site = await serve();
  try {
    const page = await openPage(browser, `${site.url}#/module-2/lesson-1`);
    await loadDemos(page);
    const d = demo('read-the-curve');
    await page.waitForSelector(`${d} .run-buttons button:text-is("Train")`);
    // Whatever is still to come when Train is pressed: the engine if its prefetch has not
    // finished, the worker's loader and glue. Counted as a host serves them (brotli).
    const from = site.log.length;
    await page.click(`${d} .run-buttons button:text-is("Train")`);
    await page.waitForSelector(`${d} .device-label`, { timeout: 60000 });
    const files = site.log.slice(from).filter(([, status]) => status === 200).map(([p]) => p);
    const bytes = files.reduce((sum, p) => sum + brotliCompressSync(readFileSync(resolve(DIST, p === '/' ? 'index.html' : p.replace(/^\//, ''))), { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length, 0);
    console.log(`[budget] Train to the first report: ${bytes} bytes brotli (${files.join(', ') || 'nothing'})`);
    assert.ok(bytes <= CPU_ENGINE_BUDGET, `${bytes} bytes brotli after Train: ${files.join(', ')}`);
    assert.ok(files.every((p) => !GPU_FILES.test(p)), 'nothing of the GPU engine');
    await page.context().close();
  } finally {
    await site.close();
  }
});

test('one CPU engine serves every demo of a page; without an adapter the GPU engine is never fetched; a reload trains without downloading the engine again', async () => {
  const site = await serve();
  try {
    const page = await openPage(browser, `${site.url}#/module-2/lesson-1`);
    await loadDemos(page);
    await page.waitForSelector(`${demo('landscape')} .demo-title`);
    await page.click(`${demo('read-the-curve')} button.preset:text("Normal training")`);
    await train(page, 'read-the-curve');
    await train(page, 'landscape', 'Descend');
    await train(page, 'imbalance');
    assert.equal(fetched(site, CPU_WASM), 1, 'three demos, one download of the CPU engine');
    assert.equal(fetched(site, GPU_FILES), 0, 'no GPU engine without an adapter');
    // Two workers (one per demo) ran from the one compiled module.
    assert.ok(page.workers().filter((w) => /engine=cpu&shared/.test(w.url())).length >= 2);
    // After the first trained demo the service worker keeps the engine (from the browser's
    // cache: the host saw no second download).
    await cached(page, [CPU_WASM, /\/aesop_bg\.wasm$/, /aesop-math.*_bg\.wasm$/]);
    assert.equal(fetched(site, CPU_WASM), 1, 'precaching did not download the engine again');
    const before = site.log.length;
    await page.reload();
    await loadDemos(page);
    await page.click(`${demo('read-the-curve')} button.preset:text("Normal training")`);
    await train(page, 'read-the-curve');
    const since = site.log.slice(before).filter(([p]) => /aesop-worker/.test(p));
    assert.deepEqual(since, [], 'after a reload the engine comes from the service worker');
    assert.deepEqual(page.errors, []);
    await page.context().close();
  } finally {
    await site.close();
  }
});

test('a lesson visited once reads, typesets and trains offline', async () => {
  const site = await serve();
  try {
    const page = await openPage(browser, `${site.url}#/module-2/lesson-3`);
    await loadDemos(page);
    await page.waitForSelector(`${demo('dead-neurons')} .demo-title`);
    await train(page, 'dead-neurons');
    await cached(page);
    await page.context().setOffline(true);
    await page.reload();
    await page.waitForSelector('.lesson h1');
    // Every formula typeset (MathML), none left as LaTeX source.
    // (Scrolled through: formulas are typeset as they near the screen.)
    for (let y = 0; y < (await page.evaluate(() => document.body.scrollHeight)); y += 600) {
      await page.evaluate((top) => window.scrollTo(0, top), y);
      await page.waitForTimeout(30);
    }
    await page.waitForFunction(() => document.querySelector('.lesson math') && !document.querySelector('.lesson .math-tex, .lesson .math-error'));
    await loadDemos(page);
    await page.waitForSelector(`${demo('dead-neurons')} .demo-title`);
    await train(page, 'dead-neurons');
    assert.equal(await page.locator('.run-alarm').count(), 0);
    assert.deepEqual(page.errors, []);
    await page.context().close();
  } finally {
    await site.close();
  }
});
