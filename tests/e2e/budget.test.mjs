// Performance budgets on the built site. The first lesson page's bytes are counted as a
// host would serve them (brotli), every response included. Issue 8's goal is 200 KB; the
// page loads the reader build only (src/upgrade.rs), which is not there yet (see README),
// so BUDGET holds the line where it is today and fails any change that grows the first
// page. Lower BUDGET as the page shrinks.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { brotliCompressSync, constants } from 'node:zlib';
import { launch, serve, openPage, FULL_APP } from './harness.mjs';

const BUDGET = 265 * 1024;
const GOAL = 200 * 1024;

let browser, site;
before(async () => { browser = await launch(); site = await serve(); });
after(async () => { await site?.close(); await browser?.close(); });

test(`the first lesson page loads at most ${BUDGET / 1024} KB brotli: the reader, no full app, no worker`, async () => {
  const page = await openPage(browser, 'about:blank');
  const sizes = [];
  page.on('response', async (r) => {
    const body = await r.body().catch(() => null);
    if (body) sizes.push([new URL(r.url()).pathname, brotliCompressSync(body, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length]);
  });
  await page.goto(`${site.url}#/module-2/lesson-1`);
  await page.waitForSelector('.lesson h1');
  await page.waitForLoadState('networkidle');
  const total = sizes.reduce((a, [, n]) => a + n, 0);
  const list = sizes.sort((a, b) => b[1] - a[1]).map(([p, n]) => `${p}: ${n}`).join(', ');
  console.log(`[budget] first lesson page: ${total} bytes brotli (goal ${GOAL}); ${list}`);
  assert.ok(sizes.some(([p]) => /aesop-reader-.*_bg\.wasm$/.test(p)), 'the reader is what loads');
  assert.ok(!sizes.some(([p]) => FULL_APP.test(p)), 'the full app waits for a demo, quiz or lab');
  assert.ok(!sizes.some(([p]) => p.includes('aesop-worker')), 'the worker is not fetched before a demo starts');
  const content = sizes.map(([p]) => p).filter((p) => p.startsWith('/content/')).sort();
  assert.deepEqual(content, ['/content/course.json', '/content/module-2/lesson-1.md'], 'the manifest and the page\'s own file, each once');
  assert.ok(total <= BUDGET, `${total} bytes brotli > budget ${BUDGET}: ${list}`);
});
