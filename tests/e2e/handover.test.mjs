// The two builds (mounted by src/upgrade.rs, handed over by src/handover.rs): a lesson page loads only the reader; reaching a demo, a
// quiz, the test or a lab brings the full app, which takes over in place; a failed download
// says so and is tried again; nothing the learner did in the reader is lost, storage or not.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, serve, openPage, readContent, FULL_APP as FULL, APP_CSS } from './harness.mjs';

let browser, site;
before(async () => { browser = await launch(); site = await serve(); });
after(async () => { await site?.close(); await browser?.close(); });

test('a lesson loads the reader alone; a demo coming into view brings the full app, in place', async () => {
  const page = await openPage(browser, 'about:blank');
  const fetched = [];
  page.on('request', (r) => fetched.push(new URL(r.url()).pathname));
  await page.goto(`${site.url}#/module-2/lesson-1`);
  await page.waitForSelector('#aesop-reader .lesson h1');
  await page.waitForLoadState('networkidle');
  assert.ok(fetched.some((p) => /aesop-reader-.*_bg\.wasm$/.test(p)), fetched.join(' '));
  assert.deepEqual(fetched.filter((p) => FULL.test(p) || APP_CSS.test(p) || p.includes('aesop-worker')), [], 'neither the full app (code or styles) nor the worker before a demo is near');

  const demo = page.locator('.demo[data-demo="read-the-curve"]');
  await demo.scrollIntoViewIfNeeded();
  await page.waitForSelector('#aesop-app:not(.app-pending) .demo[data-demo="read-the-curve"] .demo-title');
  assert.ok(fetched.some((p) => FULL.test(p)));
  assert.ok(fetched.some((p) => APP_CSS.test(p)), 'the full app brings its stylesheet');
  assert.equal(await demo.locator('.run-buttons').evaluate((el) => getComputedStyle(el).display), 'flex', 'the demo is styled when it shows');
  assert.equal(await page.locator('#aesop-reader').count(), 0, 'the reader is gone');
  assert.equal(await page.locator('#main').count(), 1);
  const box = await demo.boundingBox();
  const height = await page.evaluate(() => innerHeight);
  assert.ok(box.y < height && box.y + box.height > 0, `the demo is still on screen after the handover (top ${box.y}, screen ${height})`);
  await page.click('.demo[data-demo="read-the-curve"] button:text-is("Train")');
  await page.waitForSelector('.demo[data-demo="read-the-curve"] .run-state:text("Done.")', { timeout: 120000 });
  assert.deepEqual(page.errors, []);
});

test('before the full app arrives, the first demo trains in the reader on the CPU engine, and the full app takes its worker and run over', async () => {
  const page = await openPage(browser, 'about:blank');
  // The full app waits here until the reader's run has ended (a slow link, made certain).
  let release;
  const held = new Promise((done) => (release = done));
  await page.route(FULL, async (route) => { await held; await route.continue(); });
  const workers = [];
  page.on('worker', (w) => workers.push(w.url()));
  await page.goto(`${site.url}#/module-2/lesson-1`);
  const slot = '#aesop-reader .demo[data-demo="imbalance"]';
  await page.locator(slot).scrollIntoViewIfNeeded();
  // The reader's slot: the demo's own title, its presets with their notes, and Train.
  const file = JSON.parse(readContent('module-2/demos/imbalance.json'));
  await page.waitForSelector(`${slot} .run-buttons button:text-is("Train")`);
  assert.equal(await page.textContent(`${slot} .demo-title`), file.title);
  await page.click(`${slot} button.preset:text-is("${file.presets[1].label}")`);
  assert.equal(await page.textContent(`${slot} .preset-note`), file.presets[1].note);
  await page.click(`${slot} .run-buttons button:text-is("Train")`);
  await page.waitForSelector(`${slot} .run-state:text-matches("^Done")`, { timeout: 60000 });
  assert.equal(await page.textContent(`${slot} .device-label`), 'Training on the CPU');
  const bar = await page.$eval(`${slot} .run-progress`, (p) => [p.value, p.max]);
  assert.ok(bar[0] > 0 && bar[0] === bar[1], `the progress bar is full: ${bar}`);
  assert.equal(await page.locator('#aesop-app:not(.app-pending)').count(), 0, 'all this before the full app');
  assert.equal(workers.length, 1);
  // The full app arrives: the same preset, the run replayed to its end, its numbers shown.
  release();
  const d = '#aesop-app:not(.app-pending) .demo[data-demo="imbalance"]';
  await page.waitForSelector(`${d} .run-state:text("Done.")`, { timeout: 60000 });
  assert.equal(await page.getAttribute(`${d} button.preset:text-is("${file.presets[1].label}")`, 'aria-pressed'), 'true');
  const recall = parseFloat(await page.textContent(`${d} .recall-value`));
  assert.ok(recall >= 60, `the weighted run's recall: ${recall}`);
  assert.equal(await page.textContent(`${d} .device-label`), 'Training on the CPU');
  assert.match(await page.textContent(`${d} .device-note`), /before the page had looked for a GPU/);
  // Train again: the adopted worker trains it, no second one starts.
  await page.click(`${d} .run-buttons button:text-is("Train")`);
  await page.waitForSelector(`${d} .run-state:text("Done.")`, { timeout: 60000 });
  assert.equal(workers.length, 1, workers.join(' '));
  assert.deepEqual(page.errors, []);
  await page.context().close();
});

test('a failed download is reported and retried; progress made in the reader survives without storage', async () => {
  const blockStorage = () => {
    Object.defineProperty(window, 'localStorage', { get() { throw new DOMException('blocked', 'SecurityError'); } });
  };
  const page = await openPage(browser, 'about:blank', { allowConsoleErrors: true, initScript: blockStorage });
  await page.route(FULL, (r) => r.abort());
  await page.goto(`${site.url}#/module-2/lesson-1`);
  await page.waitForSelector('#aesop-reader .lesson h1');
  // A demo comes into view: the download fails, and the demo says so.
  await page.locator('.demo[data-demo="landscape"]').scrollIntoViewIfNeeded();
  await page.waitForSelector('.demo[data-demo="landscape"] [role="alert"]:text-matches("could not be loaded")');
  await page.locator('.lesson-end').scrollIntoViewIfNeeded();
  await page.waitForSelector('#aesop-reader .step[data-step="lesson-1"].done');

  await page.unroute(FULL);
  await page.evaluate(() => { location.hash = '#/module-2/quiz-1'; });
  await page.waitForSelector('#aesop-app:not(.app-pending) .question');
  assert.equal(await page.locator('#aesop-reader').count(), 0);
  assert.ok(await page.isVisible('.step[data-step="lesson-1"].done'), 'the lesson read in the reader is still done');
  assert.equal(await page.locator('.storage-notice').count(), 1);
});
