// Lessons 2 to 4's demos in headless Chromium on the real training worker: each starts,
// shows progress, and reproduces from its "Link to this run" (which selects the run and waits
// for Train); predict-then-run gates Train,
// answers from the run and keeps the outcome with the learner's progress.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, serve, openPage, readContent, loadDemos } from './harness.mjs';

let browser, site;
before(async () => { browser = await launch(); site = await serve(); });
after(async () => { await site?.close(); await browser?.close(); });

const demo = (name) => `.demo[data-demo="${name}"]`;

async function lesson(n) {
  const page = await openPage(browser, `${site.url}#/module-2/lesson-${n}`);
  const worker = [];
  page.on('request', (r) => /aesop-worker/.test(r.url()) && worker.push(r.url()));
  const placed = [...readContent(`module-2/lesson-${n}.md`).matchAll(/^:::demo (\S+)/gm)].map((m) => m[1]);
  await loadDemos(page);
  await page.waitForSelector(`${demo(placed.at(-1))} .demo-title`);
  return { page, worker, placed };
}

/** Starts a demo's run (answering its prediction first when it asks) and waits for the end. */
async function runToEnd(page, d, { preset, predict = 0, start = 'Train' } = {}) {
  if (preset) await page.click(`${d} button.preset:text-is("${preset}")`);
  if (await page.locator(`${d} .predict`).count()) await page.check(`${d} .predict input[type=radio] >> nth=${predict}`);
  await page.click(`${d} .run-buttons button:text-is("${start}")`);
  await page.waitForFunction((sel) => Number(document.querySelector(`${sel} .run-progress`).value) > 0, d, { timeout: 60000 });
  await page.waitForSelector(`${d} .run-state:text("Done."), ${d} .run-alarm`, { timeout: 120000 });
}

/** The numbers a demo shows in words (plot summaries, tables): equal numbers, equal run. */
async function numbers(page, d) {
  // The schedule plot ("Constant: from 0.05 to 0.05; …") lists presets, not the run: left out.
  const text = (await page.$$eval(`${d} .plot-summary, ${d} td.autodiff, ${d} td.arrival, ${d} .metrics dd`, (els) => els.map((e) => e.textContent).filter((t) => !/: from \S+ to /.test(t)).join(' | ')));
  // A compare view names each line by its preset's label ("Shared run" after a link): only
  // what follows "label: " is the run's result.
  const results = text.replace(/(^|; | \| )[^:;|]*: /g, '$1');
  return results.match(/-?\d+(\.\d+)?(e-?\d+)?/g) ?? [];
}

/** Follows the demo's share link in a fresh page; returns that page once its run has ended. */
async function reopen(page, d, start = 'Train') {
  await page.click(`${d} button:text-is("Link to this run")`);
  const url = await page.inputValue(`${d} .share-url input`);
  assert.match(url, /#\/module-2\/lesson-\d\?demo=[\w-]+&run=%7B/);
  const again = await openPage(browser, url);
  await again.waitForSelector(`${d} button.preset:text-is("Shared run")[aria-pressed="true"]`);
  // A link selects its run but never starts it: the learner presses Train (after predicting,
  // where the demo asks).
  await again.waitForTimeout(300);
  assert.equal(await again.$eval(`${d} .run-progress`, (p) => Number(p.value)), 0, 'the link did not start the run');
  assert.equal(await again.locator(`${d} .run-state`).count(), 0);
  if (await again.locator(`${d} .predict`).count()) await again.check(`${d} .predict input[type=radio] >> nth=0`);
  await again.click(`${d} .run-buttons button:text-is("${start}")`);
  await again.waitForSelector(`${d} .run-state:text("Done."), ${d} .run-alarm`, { timeout: 120000 });
  return again;
}

const cases = [
  { lesson: 2, name: 'backprop-steps', preset: 'ReLU hidden units', start: "Check with automatic differentiation" },
  { lesson: 2, name: 'gradient-monitor', preset: 'Mystery run C' },
  { lesson: 2, name: 'too-high-lr', preset: 'Learning rate 0.5' },
  { lesson: 3, name: 'depth', preset: 'ReLU, He init' },
  { lesson: 3, name: 'dead-neurons', preset: 'ReLU, He init, learning rate 0.01' },
  { lesson: 4, name: 'batch-size', preset: 'Batch 64, lr 0.2' },
  { lesson: 4, name: 'optimizer-race', preset: 'Narrow bowl', start: 'Race' },
  { lesson: 4, name: 'schedules', preset: 'Step decay' },
];

test('lessons 2 to 4 place their demos where the text says, and fetch the CPU engine alone, at most once, before one starts', async () => {
  for (const n of [2, 3, 4]) {
    const { page, worker, placed } = await lesson(n);
    assert.deepEqual(await page.$$eval('.demo', (els) => els.map((e) => e.dataset.demo)), placed);
    assert.equal(placed.length, { 2: 3, 3: 4, 4: 4 }[n]);
    await page.waitForTimeout(200);
    assert.deepEqual(worker.filter((u) => !/aesop-worker-cpu-[0-9a-f]{16}(_bg\.wasm|\.js)$/.test(u)), [], 'nothing of the GPU engine before Train');
    assert.ok(worker.filter((u) => u.endsWith('.wasm')).length <= 1 && worker.filter((u) => u.endsWith('.js')).length <= 1, `the CPU engine's wasm and glue, once each at most: ${worker}`);
    for (const label of await page.$$eval('canvas', (els) => els.map((c) => c.getAttribute('aria-label')))) assert.ok(label && label.length > 10);
    assert.deepEqual(page.errors, []);
    await page.context().close();
  }
});

for (const c of cases) {
  test(`${c.name}: starts, shows progress, and its link reproduces the run`, async () => {
    const { page } = await lesson(c.lesson);
    const d = demo(c.name);
    await runToEnd(page, d, c);
    const first = await numbers(page, d);
    assert.ok(first.length > 0);
    const again = await reopen(page, d, c.start);
    assert.deepEqual(await numbers(again, d), first);
    assert.deepEqual([...page.errors, ...again.errors], []);
    await page.context().close();
    await again.context().close();
  });
}

test('backprop by hand: every chain-rule product agrees with burn autodiff', async () => {
  const { page } = await lesson(2);
  const d = demo('backprop-steps');
  await runToEnd(page, d, { preset: 'Sigmoid hidden units', start: "Check with automatic differentiation" });
  const cells = await page.$$eval(`${d} td.autodiff`, (tds) => tds.map((t) => t.textContent));
  assert.equal(cells.length, 9);
  for (const cell of cells) assert.match(cell, /✓ agrees/);
  assert.match(await page.textContent(`${d} .backprop-verdict`), /agrees with every hand-built product/);
  await page.context().close();
});

test('predict, then run: Train waits for a prediction, the run answers it, and progress keeps it', async () => {
  const { page } = await lesson(2);
  const d = demo('too-high-lr');
  await page.click(`${d} button.preset:text-is("10× (5.0)")`);
  assert.ok(await page.isDisabled(`${d} .run-buttons button:text-is("Train")`), 'Train waits for a prediction');
  await page.waitForSelector(`${d} .predict-first`);
  await page.check(`${d} .predict input[type=radio] >> nth=0`); // "Fall and settle": wrong at 10×
  await page.click(`${d} .run-buttons button:text-is("Train")`);
  await page.waitForSelector(`${d} .predict-verdict`, { timeout: 120000 });
  assert.match(await page.textContent(`${d} .predict-verdict`), /You predicted “Fall and settle”; the run showed “Jump around without settling”/);
  // 40× overflows: the NaN alarm stops it, and a prediction of a blow-up agrees.
  await page.click(`${d} button.preset:text-is("40× (20)")`);
  await page.check(`${d} .predict input[type=radio] >> nth=2`);
  await page.click(`${d} .run-buttons button:text-is("Train")`);
  await page.waitForSelector(`${d} .run-alarm`, { timeout: 120000 });
  assert.match(await page.textContent(`${d} .run-alarm`), /NaN or infinite.*learning rate/);
  await page.waitForSelector(`${d} .predict-verdict.agreed`);
  const stored = JSON.parse(await page.evaluate(() => localStorage.getItem('aesop.progress')));
  const predictions = stored.progress.predictions;
  assert.deepEqual(predictions['module-2/lesson-2/too-high-lr/ten-times'], { question: "What will this run's loss do?", predicted: 'Fall and settle', observed: 'Jump around without settling' });
  assert.equal(predictions['module-2/lesson-2/too-high-lr/forty-times'].observed, 'Blow up to NaN');
  await page.context().close();
});

test('the gradient monitor tells a dead network from a zero-initialized one', async () => {
  const { page } = await lesson(2);
  const d = demo('gradient-monitor');
  await runToEnd(page, d, { preset: 'Mystery run A', predict: 1 });
  assert.match(await page.textContent(`${d} .predict-verdict`), /the run showed “The weights started at zero”/);
  assert.match(await page.textContent(`${d} .plot-summary >> nth=1`), /exactly 0/);
  assert.equal(await page.textContent(`${d} .dead-value`), '0%');
  await runToEnd(page, d, { preset: 'Mystery run C', predict: 1 });
  await page.waitForSelector(`${d} .predict-verdict.agreed`);
  assert.ok(parseFloat(await page.textContent(`${d} .dead-value`)) >= 50);
  await page.context().close();
});

test('the activation gallery: sigmoid never slopes above 0.25, ReLU passes 1', async () => {
  const { page } = await lesson(3);
  const d = demo('activation-gallery');
  await page.check(`${d} input[type=radio] >> nth=0`);
  assert.equal(await page.textContent(`${d} .peak-value`), '0.25');
  await page.locator(`${d} input[type=range]`).fill('0');
  assert.equal(await page.textContent(`${d} .f-value`), '0.5');
  await page.check(`${d} input[type=radio] >> nth=2`);
  assert.equal(await page.textContent(`${d} .peak-value`), '1');
  assert.equal(await page.textContent(`${d} .peak12-value`), '1');
  await page.context().close();
});

test('depth: the sigmoid stack starves its first layers, and the comparison keeps both runs', async () => {
  const { page } = await lesson(3);
  const d = demo('depth');
  await runToEnd(page, d, { preset: 'Sigmoid', predict: 0 });
  await page.waitForSelector(`${d} .predict-verdict.agreed`);
  await runToEnd(page, d, { preset: 'ReLU, He init', predict: 0 });
  const summary = await page.textContent(`${d} .plot-summary`);
  const [, sFirst, sLast] = summary.match(/Sigmoid: first layer ([\d.e-]+), last layer ([\d.e-]+)/);
  assert.ok(Number(sFirst) * 100 <= Number(sLast), summary);
  assert.match(summary, /ReLU, He init: first layer/);
  await page.context().close();
});

test('a link with a broken run says so and leaves the demo usable', async () => {
  const page = await openPage(browser, `${site.url}#/module-2/lesson-3?demo=depth&run=%7B%22kind%22%3A%22train%22%7D`);
  await page.waitForSelector(`${demo('depth')} .shared-problem`);
  assert.match(await page.textContent(`${demo('depth')} .shared-problem`), /could not be used/);
  assert.equal(await page.locator(`${demo('depth')} button.preset:text-is("Shared run")`).count(), 0);
  await page.waitForSelector('.lesson h1');
  await page.context().close();
});

test('depth: the skip-connections box rebuilds the sigmoid stack from residual blocks, and its link keeps them', async () => {
  const { page } = await lesson(3);
  const d = demo('depth');
  const box = page.locator(`${d} .residual-toggle input[type=checkbox]`);
  await page.click(`${d} button.preset:text-is("Sigmoid")`);
  assert.equal(await box.isChecked(), false);
  // The residual preset ticks the box; the plain one clears it.
  await page.click(`${d} button.preset:text-is("Sigmoid, skip connections")`);
  assert.equal(await box.isChecked(), true);
  await page.click(`${d} button.preset:text-is("Sigmoid")`);
  assert.equal(await box.isChecked(), false);
  // Ticked by hand on the plain preset, the run is the residual preset's network.
  await box.check();
  await runToEnd(page, d, { predict: 0 });
  const summary = await page.textContent(`${d} .plot-summary`);
  const [, first, last] = summary.match(/Sigmoid, skip connections: first layer ([\d.e-]+), last layer ([\d.e-]+)/);
  assert.ok(Number(first) * 10 >= Number(last), summary);
  // On ReLU, the box gives a setup no preset has: the line says so.
  await page.click(`${d} button.preset:text-is("ReLU, He init")`);
  assert.equal(await box.isChecked(), false);
  await box.check();
  await runToEnd(page, d, { predict: 0 });
  assert.match(await page.textContent(`${d} .plot-summary`), /ReLU, He init, with skip connections: first layer/);
  const again = await reopen(page, d);
  assert.match(await again.textContent(`${d} .plot-summary`), /Shared run: first layer/);
  assert.equal(await again.locator(`${d} .residual-toggle input[type=checkbox]`).isChecked(), true);
  assert.deepEqual([...page.errors, ...again.errors], []);
  await page.context().close();
  await again.context().close();
});

test('backprop: the learner steps the forward sweep, then each adjoint, and the adjoints are the checked gradients', async () => {
  const { page } = await lesson(2);
  const d = demo('backprop-steps');
  const cell = (node, col) => page.textContent(`${d} tr[data-node="${node}"] .node-${col}`);
  assert.equal(await cell('z1', 'value'), '?');
  assert.equal(await cell('x1', 'value'), '0.5');
  await page.click(`${d} button:text-is("Next step")`);
  // z1 = 0.3·0.5 + (−0.8)·(−1) + 0.1 = 1.05.
  assert.equal(await cell('z1', 'value'), '1.05');
  assert.match(await page.textContent(`${d} .sweep-step`), /^Forward, node 1 of 6: z1 = .* = 1\.05$/);
  assert.equal(await page.getAttribute(`${d} tr[data-node="z1"]`, 'aria-current'), 'step');
  for (let i = 0; i < 6; i++) await page.click(`${d} button:text-is("Next step")`);
  assert.match(await page.textContent(`${d} .sweep-step`), /^Backward, step 1: the sweep starts at the loss/);
  assert.equal(await cell('L', 'adjoint'), '1');
  assert.equal(await cell('ŷ', 'adjoint'), '?');
  await page.click(`${d} button:text-is("Next step")`);
  assert.match(await page.textContent(`${d} .sweep-step`), /∂L\/∂ŷ = ∂L\/∂ŷ · ∂L\/∂L/);
  await page.click(`${d} button:text-is("Show every step")`);
  assert.match(await page.textContent(`${d} .sweep-step`), /x2 is read by 2 nodes, so their terms add up/);
  // Each parameter's adjoint is the product the check table builds, which burn's autodiff confirms.
  for (const param of ['w1_11', 'w1_22', 'b1_2', 'w2_1', 'b2']) {
    assert.equal(await cell(param, 'adjoint'), await page.textContent(`${d} tr[data-param="${param}"] td.product`), param);
  }
  await runToEnd(page, d, { start: "Check with automatic differentiation" });
  assert.match(await page.textContent(`${d} .backprop-verdict`), /agrees with every hand-built product/);
  // Another preset starts the sweep over.
  await page.click(`${d} button.preset:text-is("ReLU hidden units")`);
  assert.equal(await cell('z1', 'value'), '?');
  assert.deepEqual(page.errors, []);
  await page.context().close();
});

test('the output layer\'s gradient: confidently wrong, cross-entropy keeps −0.99 and squared error fades to −0.0196', async () => {
  const { page } = await lesson(3);
  const d = demo('output-gradient');
  await page.locator(`${d} input[type=range]`).fill('0.01');
  assert.equal(await page.textContent(`${d} .ce-gradient`), '-0.99');
  assert.equal(await page.textContent(`${d} .mse-gradient`), '-0.0196');
  await page.locator(`${d} input[type=range]`).fill('0.5');
  assert.equal(await page.textContent(`${d} .ce-gradient`), '-0.5');
  assert.equal(await page.textContent(`${d} .mse-gradient`), '-0.25');
  assert.deepEqual(page.errors, []);
  await page.context().close();
});

test('the race: turned 45°, the bowl takes Adam\'s lead away and momentum finishes first', async () => {
  const { page } = await lesson(4);
  const d = demo('optimizer-race');
  await runToEnd(page, d, { preset: 'Narrow bowl, turned 45°', predict: 1, start: 'Race' });
  await page.waitForSelector(`${d} .predict-verdict.agreed`);
  const step = async (racer) => Number((await page.textContent(`${d} tr[data-racer="${racer}"] td.arrival`)).match(/step (\d+)/)[1]);
  assert.ok(await step('Momentum') < await step('Adam'));
  const turned = await step('Adam');
  await runToEnd(page, d, { preset: 'Narrow bowl', predict: 2, start: 'Race' });
  await page.waitForSelector(`${d} .predict-verdict.agreed`);
  assert.ok(turned > 2 * await step('Adam'), `Adam: ${turned} turned vs ${await step('Adam')} upright`);
  // The saddle has no minimum: its finish line is a loss of −1, and Adam and AdamW tie.
  await runToEnd(page, d, { preset: 'Saddle', predict: 3, start: 'Race' });
  await page.waitForSelector(`${d} .predict-verdict.agreed`);
  assert.match(await page.textContent(`${d} .predict-verdict`), /Adam and AdamW, tied/);
  assert.equal(await page.textContent(`${d} tr[data-racer="SGD"] td.arrival`), '–');
  const stored = JSON.parse(await page.evaluate(() => localStorage.getItem('aesop.progress')));
  assert.equal(stored.progress.predictions['module-2/lesson-4/optimizer-race/saddle'].observed, 'Adam and AdamW, tied');
  assert.deepEqual(page.errors, []);
  await page.context().close();
});
