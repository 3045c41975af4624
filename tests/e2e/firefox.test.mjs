// The course in Firefox: Debian's firefox-esr (no WebGPU), driven by puppeteer-core over
// WebDriver BiDi. A smoke run of what a learner does: home, a lesson with formulas, a demo
// that trains on the CPU, the first demo trained in the reader before the full app, a quiz,
// the offline lab, and a deep link that survives a reload.
// Any uncaught error or console error in Firefox fails it.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import puppeteer from 'puppeteer-core';
import { serve, answerKey, manifest, SHOWN } from './harness.mjs';

const FIREFOX = process.env.FIREFOX ?? '/usr/bin/firefox-esr';

let browser, site;
// While set, the server holds the full app's wasm back (a slow link, made certain).
let fullAppHeld;
before(async () => {
  browser = await puppeteer.launch({ browser: 'firefox', protocol: 'webDriverBiDi', executablePath: FIREFOX, headless: true });
  site = await serve({ base: '/courses/ml/', hold: (rel) => rel === 'aesop_bg.wasm' ? fullAppHeld : undefined });
});
after(async () => { await browser?.close(); await site?.close(); });

async function open(hash) {
  const context = await browser.createBrowserContext();
  const page = await context.newPage();
  page.errors = [];
  page.on('pageerror', (e) => page.errors.push(String(e)));
  page.on('console', (m) => m.type() === 'error' && page.errors.push(m.text()));
  await page.setViewport({ width: 1100, height: 800 });
  await page.goto(`${site.url}${hash}`);
  return page;
}

const text = (page, selector) => page.$eval(selector, (e) => e.textContent);

test('Firefox: home lists the module and its steps', async () => {
  const page = await open('#/module-2');
  await page.waitForSelector('.module-home h1');
  assert.equal(await text(page, '.module-home h1'), manifest().modules[0].title);
  assert.equal(await page.$$eval(`${SHOWN} .course-nav .step-label`, (els) => els.length), 13);
  assert.ok(await page.$('.home-test'));
  assert.deepEqual(page.errors, []);
  await page.browserContext().close();
});

test('Firefox: a lesson typesets its formulas as MathML', async () => {
  const page = await open('#/module-2/lesson-1');
  await page.waitForSelector('.lesson h1');
  await page.$eval('.lesson .math-tex', (e) => e.scrollIntoView());
  await page.waitForFunction(() => document.querySelector('.lesson math') && !document.querySelector('.lesson .math-tex'));
  assert.ok(await page.$$eval('.lesson math', (els) => els.length) > 3);
  assert.deepEqual(page.errors, []);
  await page.browserContext().close();
});

test('Firefox: a demo trains on the CPU engine (no WebGPU here, so no GPU engine is fetched) and reports its epochs', async () => {
  const page = await open('#/module-2/lesson-1');
  const d = '.demo[data-demo="read-the-curve"]';
  await page.waitForSelector('.lesson h1');
  await page.$eval(d, (e) => e.scrollIntoView());
  await page.waitForSelector('#aesop-app:not(.app-pending) .lesson');
  await page.waitForSelector(`${d} button.preset`);
  const train = await page.waitForSelector(`${d} ::-p-xpath(.//button[normalize-space()="Train"])`);
  await train.click();
  await page.waitForSelector(`${d} .device-label`);
  await page.waitForFunction((sel) => /Training on the CPU/.test(document.querySelector(`${sel} .device-label`).textContent), {}, d);
  // A few epochs' reports arrive.
  await page.waitForFunction((sel) => Number(document.querySelector(`${sel} .run-progress`).value) >= 3, { timeout: 60000 }, d);
  await page.waitForFunction((sel) => /^Epoch \d+ of \d+: training loss [\d.]+/.test(document.querySelector(`${sel} .plot-summary`)?.textContent ?? ''), { timeout: 60000 }, d);
  // The small CPU engine trained it; nothing of the GPU engine was fetched.
  const fetched = await page.evaluate(() => performance.getEntriesByType('resource').map((e) => new URL(e.name).pathname.replace(/^.*\//, '')));
  assert.equal(fetched.filter((f) => /^aesop-worker-cpu-[0-9a-f]{16}_bg\.wasm$/.test(f)).length, 1, fetched.join(' '));
  assert.deepEqual(fetched.filter((f) => /^aesop-worker-[0-9a-f]{16}/.test(f)), [], 'no GPU engine without WebGPU');
  assert.deepEqual(page.errors, []);
  await page.browserContext().close();
});

test('Firefox: before the full app arrives, the first demo trains in the reader, and the full app takes the run over', async () => {
  let release;
  fullAppHeld = new Promise((done) => (release = done));
  const page = await open('#/module-2/lesson-1');
  try {
    const slot = '#aesop-reader .demo[data-demo="imbalance"]';
    await page.waitForSelector(slot);
    // Instantly: the page scrolls smoothly, and a click sent mid-scroll lands beside the button.
    await page.$eval(slot, (e) => e.scrollIntoView({ behavior: 'instant' }));
    const train = await page.waitForSelector(`${slot} ::-p-xpath(.//button[normalize-space()="Train"])`);
    await train.evaluate((b) => b.scrollIntoView({ block: 'center', behavior: 'instant' }));
    await train.click();
    await page.waitForFunction((s) => /^Done/.test(document.querySelector(`${s} .run-state`)?.textContent ?? ''), { timeout: 60000 }, slot);
    assert.equal(await text(page, `${slot} .device-label`), 'Training on the CPU');
    assert.equal(await page.$('#aesop-app:not(.app-pending)'), null, 'before the full app');
  } finally {
    release();
    fullAppHeld = undefined;
  }
  const d = '#aesop-app:not(.app-pending) .demo[data-demo="imbalance"]';
  await page.waitForFunction((s) => document.querySelector(`${s} .run-state`)?.textContent === 'Done.', { timeout: 60000 }, d);
  assert.ok(parseFloat(await text(page, `${d} .accuracy-value`)) >= 98);
  assert.deepEqual(page.errors, []);
  await page.browserContext().close();
});

test('Firefox: a quiz checks an answer and gives feedback', async () => {
  const key = answerKey('module-2/quiz-1.md');
  const page = await open('#/module-2/quiz-1');
  await page.waitForSelector('.question');
  await page.click(`.question input[value="${key[0].correct}"]`);
  await (await page.waitForSelector('::-p-xpath(//button[normalize-space()="Check answer"])')).click();
  await page.waitForSelector('.live .feedback');
  assert.match(await text(page, '.live .feedback'), /^Right\./);
  assert.deepEqual(page.errors, []);
  await page.browserContext().close();
});

test('Firefox: the offline peer runs a lab', async () => {
  const page = await open('#/module-2/lab-1');
  await page.waitForSelector('.chat');
  await page.type('#chat-input', 'Weighted cross-entropy, because positives are rare.');
  await page.keyboard.press('Enter');
  await page.waitForSelector('.msg-offline');
  assert.match(await text(page, '.msg-offline'), /\S/);
  assert.match(await text(page, '.msg-learner'), /Weighted cross-entropy/);
  assert.deepEqual(page.errors, []);
  await page.browserContext().close();
});

test('Firefox: a deep link under a sub-path survives a reload', async () => {
  const page = await open('#/module-2/lesson-3');
  await page.waitForSelector('.lesson h1');
  const title = await text(page, '.lesson h1');
  await page.reload();
  await page.waitForSelector('.lesson h1');
  assert.equal(await text(page, '.lesson h1'), title);
  assert.match(page.url(), /\/courses\/ml\/#\/module-2\/lesson-3$/);
  assert.deepEqual(page.errors, []);
  await page.browserContext().close();
});
