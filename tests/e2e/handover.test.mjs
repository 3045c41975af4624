// The two builds (mounted by src/upgrade.rs, handed over by src/handover.rs): a lesson page loads only the reader; reaching a demo, a
// quiz, the test or a lab brings the full app, which takes over in place; a failed download
// says so and is tried again; nothing the learner did in the reader is lost, storage or not.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, serve, openPage, FULL_APP as FULL, APP_CSS } from './harness.mjs';

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
