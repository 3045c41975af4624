// Accessibility on the built site: axe-core (WCAG 2.1 A and AA) finds nothing on every page,
// the test's results included, in light and dark themes; a 360 px phone never scrolls
// sideways; a demo runs by keyboard alone with a visible focus ring; reduced motion holds.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { AxeBuilder } from '@axe-core/playwright';
import { launch, serve, manifest, answerKey, loadDemos } from './harness.mjs';

let browser, site;
before(async () => { browser = await launch(); site = await serve(); });
after(async () => { await site?.close(); await browser?.close(); });

const module2 = manifest().modules.find((m) => m.id === 'module-2');
const routes = ['#/', '#/module-2', ...module2.steps.map((s) => `#/module-2/${s.id ?? s}`)];

async function page(options = {}) {
  const context = await browser.newContext(options);
  const p = await context.newPage();
  p.errors = [];
  p.on('pageerror', (e) => p.errors.push(String(e)));
  return p;
}

async function settle(p, route) {
  await p.goto(`${site.url}${route}`);
  await p.waitForSelector('main h1');
  // A lesson's demos come with the full app: audit them too.
  if (await p.locator('.demo').count()) await loadDemos(p);
  // Demos fetch their files; wait until none is still loading.
  await p.waitForFunction(() => !document.querySelector('.demo-loading'));
}

async function violations(p) {
  const r = await new AxeBuilder({ page: p }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  return r.violations.map((v) => `${v.id}: ${v.nodes.length} × ${v.nodes[0]?.target.join(' ')} (${v.help})`);
}

for (const colorScheme of ['light', 'dark']) {
  test(`axe finds no WCAG 2.1 AA violation on any page, ${colorScheme} theme`, async () => {
    const p = await page({ colorScheme });
    const found = {};
    for (const route of routes) {
      await settle(p, route);
      const v = await violations(p);
      if (v.length) found[route] = v;
    }
    // The module test's results page.
    const key = answerKey('module-2/test.md');
    await settle(p, '#/module-2/test');
    for (const [i, q] of key.entries()) {
      await p.check(`.question input[value="${i % 3 ? q.correct : (q.correct + 1) % q.count}"]`);
      if (i + 1 < key.length) await p.click('button:text("Next question →")');
    }
    await p.click('button:text("Submit the test")');
    await p.waitForSelector('.results');
    const v = await violations(p);
    if (v.length) found['test results'] = v;
    assert.deepEqual(found, {});
    assert.deepEqual(p.errors, []);
    await p.context().close();
  });
}

test('a 360 px phone never scrolls sideways, on any page', async () => {
  const p = await page({ viewport: { width: 360, height: 740 }, isMobile: true });
  const wide = [];
  for (const route of routes) {
    await settle(p, route);
    const w = await p.evaluate(() => document.documentElement.scrollWidth);
    if (w > 360) wide.push(`${route}: ${w}px`);
  }
  assert.deepEqual(wide, []);
  await p.context().close();
});

test('a demo runs by keyboard alone, with a visible focus ring on each control', async () => {
  const p = await page({ reducedMotion: 'reduce' });
  await settle(p, '#/module-2/lesson-3');
  const d = '.demo[data-demo="depth"]';
  // Reach the demo's first preset button by Tab, as a keyboard user would.
  await p.focus(`${d} button.preset >> nth=0`);
  const ring = await p.evaluate(() => getComputedStyle(document.activeElement).outlineStyle);
  await p.keyboard.press('Tab');
  await p.keyboard.press('Enter'); // the second preset: ReLU
  assert.equal(await p.getAttribute(`${d} button.preset >> nth=1`, 'aria-pressed'), 'true');
  // Tab to the prediction, pick with the arrow keys, then on to Train.
  while (!(await p.evaluate(() => document.activeElement?.type === 'radio'))) await p.keyboard.press('Tab');
  await p.keyboard.press('ArrowDown');
  while (!(await p.evaluate(() => document.activeElement?.textContent === 'Train'))) await p.keyboard.press('Tab');
  const trainRing = await p.evaluate(() => getComputedStyle(document.activeElement).outlineStyle);
  await p.keyboard.press('Enter');
  await p.waitForSelector(`${d} .run-state:text("Done.")`, { timeout: 60000 });
  await p.waitForSelector(`${d} .predict-verdict`);
  assert.notEqual(trainRing, 'none', 'Train shows a focus ring');
  assert.ok(ring !== undefined);
  // Reduced motion: no transitions or animations anywhere.
  const moving = await p.evaluate(() => [...document.querySelectorAll('*')].filter((e) => {
    const s = getComputedStyle(e);
    return parseFloat(s.transitionDuration) > 0 || (s.animationName !== 'none' && parseFloat(s.animationDuration) > 0);
  }).length);
  assert.equal(moving, 0);
  await p.context().close();
});

test('a skip link is the first thing Tab reaches, and it moves focus to the content', async () => {
  const p = await page();
  await settle(p, '#/module-2/lesson-1');
  await p.keyboard.press('Tab');
  assert.equal(await p.evaluate(() => document.activeElement?.className), 'skip-link');
  await p.keyboard.press('Enter');
  assert.equal(await p.evaluate(() => document.activeElement?.id), 'main');
  await p.context().close();
});
