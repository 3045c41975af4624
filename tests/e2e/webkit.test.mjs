// The course in WebKit, Safari's engine (every iPhone and iPad browser is WebKit): Debian's
// WebKitWebDriver drives WebKitGTK's MiniBrowser over W3C WebDriver, inside Xvfb (it has no
// headless mode; scripts/setup.sh installs both). A smoke run of what a learner does: the first
// demo trained in the reader before the full app, home, a lesson with formulas, a demo that
// trains on the CPU engine (no WebGPU in this WebKit), a quiz,
// the offline lab, a deep link reloaded, the playground; then lessons left 5 to 50 ms after
// they open, many times (issue 33). WebDriver does not capture WebKit's console, so the page
// gets an error hook before the app starts (a script the test server adds to index.html); any
// uncaught error, rejection or console error fails the run.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { createServer } from 'node:net';
import { serve, answerKey, manifest, DIST, SHOWN } from './harness.mjs';

const MINIBROWSER = process.env.MINIBROWSER ?? '/usr/lib/x86_64-linux-gnu/webkit2gtk-4.1/MiniBrowser';
const LEAVE_ROUNDS = 50;

const HOOK = `window.__errors = [];
addEventListener('error', (e) => __errors.push('error: ' + e.message));
addEventListener('unhandledrejection', (e) => __errors.push('rejection: ' + (e.reason && e.reason.message || e.reason)));
const consoleError = console.error.bind(console);
console.error = (...args) => { __errors.push(args.map(String).join(' ')); consoleError(...args); };`;

const freePort = () => new Promise((ok) => { const s = createServer().listen(0, '127.0.0.1', () => { const { port } = s.address(); s.close(() => ok(port)); }); });
const sleep = (ms) => new Promise((ok) => setTimeout(ok, ms));

let xvfb, driver, site, session, base;
// While set, the server holds the full app's wasm back (a slow link, made certain).
let fullAppHeld;

async function wd(method, path, body) {
  const response = await fetch(`${base}${path}`, { method, headers: { 'content-type': 'application/json' }, body: body && JSON.stringify(body) });
  const json = await response.json();
  if (json.value?.error) throw new Error(`WebDriver ${method} ${path}: ${json.value.error}: ${json.value.message}`);
  return json.value;
}
const cmd = (method, path, body) => wd(method, `/session/${session}${path}`, body);
/** Runs `fn` (a function's source) in the page with `args`; returns its value. */
const run = (fn, ...args) => cmd('POST', '/execute/sync', { script: `return (${fn}).apply(null, arguments)`, args });
async function until(fn, args = [], what = String(fn), timeout = 60000) {
  const end = Date.now() + timeout;
  for (;;) {
    let value;
    try { value = await run(fn, ...args); } catch { value = undefined; }
    if (value) return value;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(100);
  }
}
const exists = (selector) => until((s) => !!document.querySelector(s), [selector], selector);
const text = (selector) => run((s) => document.querySelector(s)?.textContent ?? null, selector);
async function element(selector) {
  await exists(selector);
  const found = await cmd('POST', '/element', { using: 'css selector', value: selector });
  return Object.values(found)[0];
}
async function click(selector) {
  // The control may not be rendered yet (its page's file still on its way).
  await exists(selector);
  // Instantly: the page scrolls smoothly, and the driver clicks at the element's centre as it
  // is when the click is sent, so a click sent mid-scroll lands beside it (a lost click).
  await run((s) => document.querySelector(s).scrollIntoView({ block: 'center', behavior: 'instant' }), selector);
  try {
    await cmd('POST', `/element/${await element(selector)}/click`, {});
  } catch (e) {
    // WebKitGTK's driver calls some visible controls (a sticky bar's buttons) not
    // interactable; the page's own click is the same event to the app.
    if (!/not interactable/.test(e.message)) throw e;
    await run((s) => document.querySelector(s).click(), selector);
  }
}
/** The first button under `scope` whose text is `label`, marked so a selector can find it. */
async function button(scope, label) {
  await until((s, l) => {
    const b = [...document.querySelectorAll(`${s} button`)].find((b) => b.textContent.trim() === l && !b.disabled);
    if (b) b.setAttribute('data-wd', l);
    return !!b;
  }, [scope, label], `${scope} button ${label}`);
  return `${scope} button[data-wd="${label}"]`;
}
async function go(hash) {
  await cmd('POST', '/url', { url: `${site.url}${hash}` });
}
// A quiz or a lab is shown by the full app, which first renders hidden behind the reader; a
// click before it takes over would land on the hidden copy, which no learner can reach.
const fullApp = () => until(() => !document.querySelector('#aesop-reader, .app-pending') && !!document.querySelector('#aesop-app'), [], 'the full app taking over');
const errors = () => run(() => window.__errors ?? ['the error hook is missing']);

before(async () => {
  const display = `:${90 + Math.floor(Math.random() * 400)}`;
  xvfb = spawn('Xvfb', [display, '-screen', '0', '1280x1024x24', '-nolisten', 'tcp'], { stdio: 'ignore' });
  const port = await freePort();
  driver = spawn('WebKitWebDriver', [`--port=${port}`], { env: { ...process.env, DISPLAY: display, LANG: 'C.UTF-8' }, stdio: 'ignore' });
  base = `http://127.0.0.1:${port}`;
  const start = Date.now();
  for (;;) {
    try { if ((await (await fetch(`${base}/status`)).json()).value.ready) break; } catch {}
    if (Date.now() - start > 30000) throw new Error('WebKitWebDriver did not start');
    await sleep(100);
  }
  // The error hook goes first in <head>, as a file (the page's CSP allows no inline script).
  const index = readFileSync(resolve(DIST, 'index.html'), 'utf8').replace(/<meta charset[^>]*>/, (m) => `${m}<script src="wd-hook.js"></script>`);
  assert.match(index, /wd-hook\.js/);
  site = await serve({ base: '/courses/ml/', overlays: { 'index.html': index, 'wd-hook.js': HOOK }, hold: (rel) => rel === 'aesop_bg.wasm' ? fullAppHeld : undefined });
  session = (await wd('POST', '/session', { capabilities: { alwaysMatch: { browserName: 'MiniBrowser', 'webkitgtk:browserOptions': { binary: MINIBROWSER, args: ['--automation'] } } } })).sessionId;
  await cmd('POST', '/window/rect', { width: 1100, height: 850 }).catch(() => {});
});

after(async () => {
  if (session) await cmd('DELETE', '').catch(() => {});
  driver?.kill();
  xvfb?.kill();
  await site?.close();
});

// First, while nothing is in the browser's cache: the full app must arrive after the run.
test('WebKit: before the full app arrives, the first demo trains in the reader, and the full app takes the run over', async () => {
  let release;
  fullAppHeld = new Promise((done) => (release = done));
  try {
    const slot = '#aesop-reader .demo[data-demo="imbalance"]';
    await go('#/module-2/lesson-1');
    await exists(slot);
    await run((s) => document.querySelector(s).scrollIntoView(), slot);
    await click(await button(slot, 'Train'));
    await until((s) => /^Done/.test(document.querySelector(`${s} .run-state`)?.textContent ?? ''), [slot], 'the reader\'s run done');
    assert.equal(await text(`${slot} .device-label`), 'Training on the CPU');
    assert.equal(await run(() => !!document.querySelector('#aesop-app:not(.app-pending)')), false, 'before the full app');
  } finally {
    release();
    fullAppHeld = undefined;
  }
  const d = '#aesop-app:not(.app-pending) .demo[data-demo="imbalance"]';
  await until((s) => document.querySelector(`${s} .run-state`)?.textContent === 'Done.', [d], 'the full app showing the run');
  assert.ok(parseFloat(await text(`${d} .accuracy-value`)) >= 98, await text(`${d} .accuracy-value`));
  assert.deepEqual(await errors(), []);
});

test('WebKit: home lists the module and its steps', async () => {
  await go('#/module-2');
  await exists('.module-home h1');
  assert.equal(await text('.module-home h1'), manifest().modules[0].title);
  assert.equal(await run((s) => document.querySelectorAll(`${s} .course-nav .step-label`).length, SHOWN), 13);
  assert.deepEqual(await errors(), []);
});

test('WebKit: a lesson typesets its formulas as MathML', async () => {
  await go('#/module-2/lesson-1');
  await exists('.lesson .math-tex, .lesson math');
  await run(() => document.querySelector('.lesson .math-tex, .lesson math').scrollIntoView());
  await until(() => document.querySelector('.lesson math') && !document.querySelector('.lesson .math-tex, .lesson .math-error'), [], 'MathML');
  assert.ok(await run(() => document.querySelectorAll('.lesson math').length) > 3);
  assert.deepEqual(await errors(), []);
});

test('WebKit: a demo trains on the CPU engine (no WebGPU here) and reports its epochs', async () => {
  const d = '.demo[data-demo="read-the-curve"]';
  await go('#/module-2/lesson-1');
  await exists(d);
  await run((s) => document.querySelector(s).scrollIntoView(), d);
  await exists('#aesop-app:not(.app-pending) .lesson');
  await click(await button(d, 'Train'));
  await until((s) => /Training on the CPU/.test(document.querySelector(`${s} .device-label`)?.textContent ?? ''), [d], 'the CPU label');
  await until((s) => Number(document.querySelector(`${s} .run-progress`)?.value) >= 3, [d], 'three epochs');
  await until((s) => /^Epoch \d+ of \d+: training loss [\d.]+/.test(document.querySelector(`${s} .plot-summary`)?.textContent ?? ''), [d], 'the plot summary');
  const fetched = await run(() => performance.getEntriesByType('resource').map((e) => e.name.replace(/^.*\//, '')));
  assert.equal(fetched.filter((f) => /^aesop-worker-cpu-[0-9a-f]{16}_bg\.wasm$/.test(f)).length, 1, fetched.join(' '));
  assert.deepEqual(fetched.filter((f) => /^aesop-worker-[0-9a-f]{16}/.test(f)), [], 'no GPU engine without WebGPU');
  assert.deepEqual(await errors(), []);
});

test('WebKit: a quiz checks an answer and gives feedback', async () => {
  const key = answerKey('module-2/quiz-1.md');
  await go('#/module-2/quiz-1');
  await fullApp();
  const choice = `.question input[value="${key[0].correct}"]`;
  await click(choice);
  await until((s) => document.querySelector(s)?.checked, [choice], 'the choice taking');
  await click(await button('.question', 'Check answer'));
  await exists('.live .feedback');
  assert.match(await text('.live .feedback'), /^Right\./);
  assert.deepEqual(await errors(), []);
});

test('WebKit: the offline peer runs a lab', async () => {
  await go('#/module-2/lab-1');
  await fullApp();
  const input = await element('#chat-input');
  await cmd('POST', `/element/${input}/value`, { text: 'Weighted cross-entropy, because positives are rare.\uE007' });
  await exists('.msg-offline');
  assert.match(await text('.msg-offline'), /\S/);
  assert.match(await text('.msg-learner'), /Weighted cross-entropy/);
  assert.deepEqual(await errors(), []);
});

test('WebKit: a deep link under a sub-path survives a reload', async () => {
  await go('#/module-2/lesson-3');
  await exists('.lesson h1');
  const title = await text('.lesson h1');
  await cmd('POST', '/refresh', {});
  await exists('.lesson h1');
  assert.equal(await text('.lesson h1'), title);
  assert.match(await cmd('GET', '/url'), /\/courses\/ml\/#\/module-2\/lesson-3$/);
  assert.deepEqual(await errors(), []);
});

test('WebKit: the playground trains', async () => {
  const pg = '.demo[data-demo="playground"]';
  await go('#/module-2/playground');
  await exists(`${pg} .pg-data`);
  await click(`${pg} .pg-play`);
  await until((s) => /Training on the CPU/.test(document.querySelector(`${s} .device-label`)?.textContent ?? ''), [pg], 'the CPU label');
  await until((s) => /^Epoch ([2-9]|\d\d+) of \d+$/.test(document.querySelector(`${s} .pg-epoch`)?.textContent ?? ''), [pg], 'playground epochs');
  assert.deepEqual(await errors(), []);
});

test(`WebKit: leaving a lesson 5 to 50 ms after opening it, ${LEAVE_ROUNDS} times per lesson, panics nowhere`, async () => {
  await go('#/module-2/playground');
  await exists('.demo[data-demo="playground"] .pg-data');
  for (const n of [1, 2, 3, 4]) {
    for (let i = 0; i < LEAVE_ROUNDS; i++) {
      await cmd('POST', '/execute/async', {
        script: `const [lesson, wait, done] = arguments;
          location.hash = lesson;
          setTimeout(() => { location.hash = '#/module-2/playground'; done(); }, wait);`,
        args: [`#/module-2/lesson-${n}`, 5 + ((i * 47) % 46)],
      });
      await exists('.demo[data-demo="playground"] .pg-data');
    }
    await sleep(300);
    assert.deepEqual(await errors(), [], `lesson ${n}`);
  }
});
