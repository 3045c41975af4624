// The learner's first hour (issue 30): feedback that fits its verdict, no pass mark on a failing
// score, predictions never answered above their question, a backprop table that fills in as the
// sweep goes, presets that set every control, plots with readable log axes and one class
// scheme, a host's frame that shrinks and scrolls, and a phone-sized header and controls.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, serve, openPage, answerKey, readContent, loadDemos } from './harness.mjs';

let browser, site;
before(async () => { browser = await launch(); site = await serve(); });
after(async () => { await site?.close(); await browser?.close(); });

const demo = (name) => `.demo[data-demo="${name}"]`;
const key1 = answerKey('module-2/quiz-1.md');
const VERDICT = /^\s*(Right|Correct|Yes|Exactly|Indeed|That’s right|That's right)\b/;

/** Each question's `Why not:` texts by original option index, read from the content file. */
function whyNots(rel) {
  const text = readContent(rel);
  return Object.fromEntries([...text.matchAll(/^:::question (\S+)\n([\s\S]*?)^:::$/gm)].map(([, id, body]) => {
    const lines = body.split('\n');
    const out = [];
    lines.forEach((l, i) => {
      if (/^\s*- \[[ xX]\] /.test(l)) out.push((lines[i + 1] ?? '').trim().startsWith('Why not:') ? lines[i + 1].trim().slice(8).trim() : null);
    });
    return [id, out];
  }));
}
// Markdown source and the page's text, compared on their words (the renderer curls quotes).
const plain = (md) => md.replace(/\$[^$]*\$/g, '').replace(/[*_`]/g, '').replace(/[’‘]/g, "'").replace(/[“”]/g, '"').replace(/\s+/g, ' ').trim();

test('quiz feedback fits its verdict: a hint before checking, why that choice is wrong after', async () => {
  const page = await openPage(browser, `${site.url}#/module-2/quiz-1`);
  const why = whyNots('module-2/quiz-1.md');
  await page.waitForSelector('.question');
  // Before checking, a hint is offered; nothing is judged yet.
  await page.waitForSelector('.question details.hint summary:text("Show a hint")');
  await page.click('.question details.hint summary');
  assert.ok((await page.textContent('.question details.hint p')).length > 20);
  // A wrong answer: the chosen option's own reason, the right option, the explanation.
  const q = key1[0];
  const wrong = (q.correct + 1) % q.count;
  await page.check(`.question input[value="${wrong}"]`);
  await page.click('button:text("Check answer")');
  await page.waitForSelector('.live .feedback.wrong');
  const feedback = plain(await page.textContent('.live .feedback'));
  assert.match(feedback, /^Not quite\. /);
  const reason = plain(why[q.id][wrong]);
  assert.ok(feedback.includes(reason.slice(0, 40)), `the chosen option's reason: ${reason.slice(0, 40)} in ${feedback}`);
  assert.match(feedback, /The answer: .+Why: /);
  const explanation = await page.textContent('.live .feedback .why span');
  assert.doesNotMatch(explanation, VERDICT, 'the explanation under ✗ does not open with a verdict');
  // The options are locked: the hint, which could only change a choice, is gone.
  assert.equal(await page.locator('.question details.hint').count(), 0);
  assert.ok(await page.isDisabled('.question input[type=radio] >> nth=0'));
  // A right answer reads "Right." once.
  await page.click('button:text("Next question →")');
  await page.check(`.question input[value="${key1[1].correct}"]`);
  await page.click('button:text("Check answer")');
  await page.waitForSelector('.live .feedback.right');
  const right = (await page.textContent('.live .feedback')).trim();
  assert.match(right, /^Right\. /);
  assert.doesNotMatch(right.slice('Right. '.length), VERDICT, `no doubled verdict: ${right.slice(0, 40)}`);
  assert.deepEqual(page.errors, []);
  await page.context().close();
});

test('a failing quiz score shows its score, not a pass mark; the test review says why not', async () => {
  const page = await openPage(browser, `${site.url}#/module-2/quiz-1`);
  await page.waitForSelector('.question');
  for (const [i, q] of key1.entries()) {
    await page.check(`.question input[value="${i === 0 ? q.correct : (q.correct + 1) % q.count}"]`);
    await page.click('button:text("Check answer")');
    await page.click(i + 1 < key1.length ? 'button:text("Next question →")' : 'button:text("See your score")');
  }
  await page.waitForSelector('.results');
  const mark = page.locator('.step[data-step="quiz-1"] .step-mark');
  await page.waitForFunction(() => document.querySelector('.step[data-step="quiz-1"] .step-mark')?.textContent === '1/5');
  assert.doesNotMatch(await mark.textContent(), /✓/);
  assert.ok(await page.locator('.step[data-step="quiz-1"].scored').count());
  // The test's results: a wrong answer's review gives why that answer is wrong, and "Why"
  // never opens with a verdict.
  const testKey = answerKey('module-2/test.md');
  const testWhy = whyNots('module-2/test.md');
  await page.goto(`${site.url}#/module-2/test`);
  await page.waitForSelector('.question');
  for (const [i, q] of testKey.entries()) {
    await page.check(`.question input[value="${(q.correct + 1) % q.count}"]`);
    if (i + 1 < testKey.length) await page.click('button:text("Next question →")');
  }
  await page.click('button:text("Submit the test")');
  await page.waitForSelector('.results');
  const items = await page.$$eval('.review-item', (els) => els.map((e) => ({
    id: e.dataset.question, whyNot: e.querySelector('.why-not span')?.textContent ?? '', why: e.querySelector('.why span').textContent,
  })));
  assert.equal(items.length, testKey.length);
  for (const [i, it] of items.entries()) {
    const expected = plain(testWhy[it.id][(testKey[i].correct + 1) % testKey[i].count]);
    assert.ok(plain(it.whyNot).includes(expected.slice(0, 30)), `${it.id}: ${it.whyNot}`);
    assert.doesNotMatch(it.why, VERDICT, it.id);
  }
  assert.equal(await page.textContent('.step[data-step="test"] .step-mark'), `✗ 0/${testKey.length}`);
  assert.deepEqual(page.errors, []);
  await page.context().close();
});

async function lesson(n, viewport) {
  const page = await openPage(browser, `${site.url}#/module-2/lesson-${n}`);
  if (viewport) await page.setViewportSize(viewport);
  await loadDemos(page);
  return page;
}

async function train(page, d, { preset, predict = 0 } = {}) {
  if (preset) await page.click(`${d} button.preset:text-is("${preset}")`);
  if (await page.locator(`${d} .predict`).count()) await page.check(`${d} .predict input[type=radio] >> nth=${predict}`);
  await page.click(`${d} .run-buttons button:text-is("Train")`);
  await page.waitForSelector(`${d} .run-state:text("Done."), ${d} .run-alarm`, { timeout: 120000 });
}

test('a prediction is never answered above its question: the outcome shows after the run', async () => {
  const page = await lesson(2);
  const d = demo('too-high-lr');
  await page.waitForSelector(`${d} .demo-title`);
  await page.click(`${d} button.preset:text-is("40× (20)")`);
  const before = await page.textContent(`${d} .preset-note`);
  assert.doesNotMatch(before, /NaN|overflow|alarm stops/, before);
  assert.equal(await page.locator(`${d} .preset-after`).count(), 0);
  await train(page, d, { predict: 2 });
  await page.waitForSelector(`${d} .preset-after`);
  assert.match(await page.textContent(`${d} .preset-after`), /NaN alarm stops the run/);
  // Another preset hides the outcome again until it has run.
  await page.click(`${d} button.preset:text-is("10× (5.0)")`);
  assert.equal(await page.locator(`${d} .preset-after`).count(), 0);
  // The mystery runs' instructions fit the widget: diagnose first, then train and read.
  const g = demo('gradient-monitor');
  assert.doesNotMatch(await page.textContent(`${g} .preset-note`), /before you decide/);
  assert.deepEqual(page.errors, []);
  await page.context().close();
});

test('the depth question has an answer the run settles: a flat profile is "nowhere in particular"', async () => {
  const page = await lesson(3);
  const d = demo('depth');
  await page.waitForSelector(`${d} .demo-title`);
  await page.click(`${d} button.preset:text-is("ReLU, He init")`);
  assert.doesNotMatch(await page.textContent(`${d} .preset-note`), /within a factor/);
  await train(page, d, { predict: 3 });
  await page.waitForSelector(`${d} .predict-verdict.agreed`);
  assert.match(await page.textContent(`${d} .preset-after`), /within a factor of twenty/);
  assert.deepEqual(page.errors, []);
  await page.context().close();
});

test('backprop by hand reveals each gradient as the sweep reaches it, and names what checks it', async () => {
  const page = await lesson(2);
  const d = demo('backprop-steps');
  await page.waitForSelector(`${d} .backprop-backward`);
  assert.equal(await page.locator(`${d} td.product`).count(), 0, 'no gradient before the first step');
  assert.doesNotMatch(await page.textContent(`${d} .backprop-backward`), /agrees/);
  assert.match(await page.textContent(`${d} .backprop-verdict`), /burn, the library that trains every demo/);
  // Through the forward sweep and the first backward steps: only reached parameters fill in.
  for (let i = 0; i < 9; i++) await page.click(`${d} button:text-is("Next step")`);
  const filled = await page.locator(`${d} td.product`).count();
  assert.ok(filled < 9, `${filled} filled after 9 steps`);
  await page.click(`${d} button:text-is("Show every step")`);
  assert.equal(await page.locator(`${d} td.product`).count(), 9);
  assert.deepEqual(page.errors, []);
  await page.context().close();
});

test('a preset sets every control its note depends on: the imbalance threshold returns to 0.5', async () => {
  const page = await lesson(1);
  const d = demo('imbalance');
  await page.waitForSelector(`${d} .threshold input[type=range]`);
  await page.locator(`${d} .threshold input[type=range]`).fill('2');
  assert.equal(await page.textContent(`${d} .threshold-value`), '0.01');
  const labels = await page.$$eval(`${d} button.preset`, (bs) => bs.map((b) => b.textContent));
  await page.click(`${d} button.preset:text-is("${labels[1]}")`);
  assert.equal(await page.textContent(`${d} .threshold-value`), '0.5');
  assert.deepEqual(page.errors, []);
  await page.context().close();
});

// Records every text a canvas draws, by canvas, and the fill colours of its arcs.
const recordCanvas = () => {
  window.canvasTexts = new Map();
  window.arcColors = new Set();
  const fillText = CanvasRenderingContext2D.prototype.fillText;
  CanvasRenderingContext2D.prototype.fillText = function (text, ...rest) {
    const list = window.canvasTexts.get(this.canvas) ?? [];
    list.push(String(text));
    window.canvasTexts.set(this.canvas, list);
    return fillText.call(this, text, ...rest);
  };
  const arc = CanvasRenderingContext2D.prototype.arc;
  CanvasRenderingContext2D.prototype.arc = function (...args) {
    window.arcColors.add(String(this.fillStyle));
    return arc.apply(this, args);
  };
  window.textsOf = (canvas) => {
    const all = window.canvasTexts.get(canvas) ?? [];
    return all;
  };
};

test('log-scale gradient charts label powers of ten, one format, every layer under its bar', async () => {
  const page = await openPage(browser, `${site.url}#/module-2/lesson-3`, { initScript: recordCanvas });
  await loadDemos(page);
  const d = demo('depth');
  await page.waitForSelector(`${d} .demo-title`);
  await train(page, d, { preset: 'Sigmoid', predict: 0 });
  await page.waitForTimeout(300);
  const texts = await page.$eval(`${d} canvas`, (c) => window.textsOf(c).slice(-60));
  const ticks = texts.filter((t) => !/[a-z]/i.test(t));
  assert.ok(ticks.some((t) => /^10⁻\d+$|^10[⁻⁰¹²³⁴⁵⁶⁷⁸⁹]+$/.test(t)), `powers of ten among ${ticks}`);
  for (const t of ticks) assert.match(t, /^(1|10[⁻⁰¹²³⁴⁵⁶⁷⁸⁹]+|\d{1,2})$/, `tick "${t}" is a power of ten or a layer number`);
  assert.doesNotMatch(texts.join(' '), /e-|9999/);
  // Layers count from 1: no "layer 0" tick, and every layer is labelled.
  assert.ok(!ticks.includes('0'), `ticks: ${ticks}`);
  for (let layer = 1; layer <= 13; layer++) assert.ok(ticks.includes(String(layer)), `layer ${layer} in ${ticks}`);
  assert.deepEqual(page.errors, []);
  await page.context().close();
});

test('decision regions and points share the orange and blue class scheme, with a legend', async () => {
  const page = await openPage(browser, `${site.url}#/module-2/lesson-1`, { initScript: recordCanvas });
  await loadDemos(page);
  const d = demo('read-the-curve');
  await page.waitForSelector(`${d} .demo-title`);
  await train(page, d);
  await page.waitForSelector(`${d} .class-legend`);
  const colors = await page.evaluate(() => [...window.arcColors]);
  const hex = (c) => c.toLowerCase();
  assert.ok(colors.map(hex).some((c) => c === '#e67e0e' || c === 'rgb(230, 126, 14)'), `orange among ${colors}`);
  assert.ok(colors.map(hex).some((c) => c === '#0870b8' || c === 'rgb(8, 112, 184)'), `blue among ${colors}`);
  assert.deepEqual(page.errors, []);
  await page.context().close();
});

test("the host's frame shrinks to a shorter page and scrolls into view; embed hides the chrome", async () => {
  const page = await openPage(browser, `${site.url.replace(/index\.html$/, '')}host.html`);
  const frameEl = page.locator('iframe#aesop');
  const frame = page.frame({ url: /embed=1/ });
  await frame.waitForSelector('html.embed .lesson h1');
  assert.equal(await frame.isVisible('.site-header'), false, 'the host supplies the header');
  assert.equal(await frame.isVisible('.site-footer'), false);
  await page.waitForFunction(() => parseFloat(document.getElementById('aesop').style.height) > 3000);
  const tall = await frameEl.evaluate((f) => parseFloat(f.style.height));
  // Read to the end, then go on to the quiz, as a learner would.
  await page.evaluate(() => window.scrollTo(0, document.body.scrollHeight));
  await frame.click('.pager-next');
  await frame.waitForSelector('.question');
  await page.waitForFunction((t) => parseFloat(document.getElementById('aesop').style.height) < t / 2, tall);
  const short = await frameEl.evaluate((f) => parseFloat(f.style.height));
  const inner = await frame.evaluate(() => Math.ceil(document.body.getBoundingClientRect().height));
  assert.ok(Math.abs(short - inner) <= 2, `frame ${short} px for content ${inner} px`);
  await page.waitForFunction(() => Math.abs(document.getElementById('aesop').getBoundingClientRect().top) < 4);
  // nav=0: the host links each step itself.
  const bare = await openPage(browser, `${site.url}?embed=1&nav=0#/module-2/lesson-1`);
  await bare.waitForSelector('html.embed-bare .lesson h1');
  assert.equal(await bare.isVisible('.course-nav'), false);
  assert.deepEqual([...page.errors, ...bare.errors], []);
  await page.context().close();
  await bare.context().close();
});

test('on a phone: a one-line header, the current step in view, and touch targets of 24 px or more', async () => {
  const page = await openPage(browser, `${site.url}#/module-2/quiz-2`);
  await page.setViewportSize({ width: 390, height: 844 });
  await page.waitForSelector('.question');
  await page.reload();
  await page.waitForSelector('.question');
  const header = await page.$eval('.site-header', (h) => ({ height: h.getBoundingClientRect().height, text: h.textContent }));
  assert.ok(header.height <= 60, `header ${header.height} px`);
  assert.equal(header.text.split('How Neural Networks Learn').length - 1, 1, header.text);
  const inView = await page.$eval('.course-nav', (nav) => {
    const cur = nav.querySelector('.step.current').getBoundingClientRect();
    const box = nav.getBoundingClientRect();
    return cur.left >= box.left && cur.right <= box.right;
  });
  assert.ok(inView, 'the current step is scrolled into the strip');
  // The strip scrolls sideways, and says so: shadows at the edges with more to scroll to.
  const strip = await page.$eval('.course-nav', (nav) => ({ scrolls: nav.scrollWidth > nav.clientWidth, image: getComputedStyle(nav).backgroundImage }));
  assert.ok(strip.scrolls, 'the strip is wider than a phone');
  assert.equal((strip.image.match(/radial-gradient/g) ?? []).length, 2, `the strip's edge shadows: ${strip.image}`);
  const small = async () => page.$$eval('input, select, button, .step', (els) => els
    .filter((e) => e.offsetParent !== null && e.type !== 'hidden')
    .map((e) => ({ what: e.outerHTML.slice(0, 70), r: e.getBoundingClientRect() }))
    .filter(({ r }) => r.width > 0 && (r.width < 24 || r.height < 24))
    .map(({ what, r }) => `${what} ${r.width}x${r.height}`));
  assert.deepEqual(await small(), []);
  // The correct-answer badge sits under the option's text, not beside it.
  const q = answerKey('module-2/quiz-2.md')[0];
  await page.check(`.question input[value="${(q.correct + 1) % q.count}"]`);
  await page.click('button:text("Check answer")');
  const widths = await page.$eval('.option.correct', (o) => ({ label: o.querySelector('label').getBoundingClientRect().width, option: o.getBoundingClientRect().width }));
  assert.ok(widths.label > widths.option * 0.7, JSON.stringify(widths));
  // A lesson's demos and their controls, too.
  await page.goto(`${site.url}#/module-2/lesson-1`);
  await loadDemos(page);
  await page.waitForSelector(`${demo('imbalance')} .threshold input`);
  assert.deepEqual(await small(), []);
  assert.deepEqual(page.errors, []);
  await page.context().close();
});

const PG = '.demo[data-demo="playground"]';
async function tapPlane(page, x, y) {
  const canvas = page.locator(`${PG} .pg-plane-canvas`);
  await canvas.scrollIntoViewIfNeeded();
  const box = await canvas.boundingBox();
  await page.mouse.click(box.x + ((x + 6) / 12) * box.width, box.y + ((6 - y) / 12) * box.height);
}

test('the playground keeps its setup and drawn points through a reload, quietly; one class gets a word', async () => {
  const page = await openPage(browser, `${site.url}#/module-2/playground`);
  await page.waitForSelector(`${PG} .pg-play`, { timeout: 60000 });
  await page.check(`${PG} input[name=pg-data][value=own]`);
  await page.check(`${PG} .pg-tool-1 input`);
  for (let i = 0; i < 10; i++) await tapPlane(page, 1.5 + 0.4 * i, 2 - 0.4 * i);
  await page.waitForSelector(`${PG} .pg-count:text("10 points")`);
  await page.fill(`${PG} .pg-epochs input`, '5');
  await page.locator(`${PG} .pg-epochs input`).dispatchEvent('change');
  assert.match(await page.evaluate(() => location.hash), /kept=1/);
  // A link made now goes stale when the setup changes: it is taken away.
  await page.click(`${PG} .pg-link`);
  await page.waitForSelector(`${PG} .pg-link-url`);
  await page.fill(`${PG} .pg-epochs input`, '6');
  await page.locator(`${PG} .pg-epochs input`).dispatchEvent('change');
  assert.equal(await page.locator(`${PG} .pg-link-url`).count(), 0);
  // Only class 1 drawn: training "succeeds" at 100%, and the page says why that means nothing.
  await page.click(`${PG} .pg-play`);
  await page.waitForSelector(`${PG} .run-state:text("Done."), ${PG} .run-alarm`, { timeout: 120000 });
  await page.waitForSelector(`${PG} .pg-one-class`);
  assert.match(await page.textContent(`${PG} .pg-one-class`), /Every point is class 1, so there is nothing to separate/);
  await page.reload();
  await page.waitForSelector(`${PG} .pg-play`, { timeout: 60000 });
  await page.waitForSelector(`${PG} .pg-count:text("10 points")`);
  assert.equal(await page.inputValue(`${PG} .pg-epochs input`), '6');
  assert.equal(await page.locator(`${PG} .pg-message`).count(), 0, 'a reload is no shared link');
  assert.deepEqual(page.errors, []);
  await page.context().close();
});

test('a reload returns to the reading position, not the top of the lesson', async () => {
  const page = await openPage(browser, `${site.url}#/module-2/lesson-2`);
  await page.waitForSelector('article.lesson h1');
  const blocks = page.locator('article.lesson > *');
  // A paragraph well down the page (a demo's placeholder changes when the full app arrives).
  const target = await page.$$eval('article.lesson > *', (els) => {
    const from = Math.floor(els.length * 0.6);
    return els.findIndex((el, i) => i >= from && !el.matches('.demo') && !el.querySelector('.demo') && el.textContent.length > 80);
  });
  assert.ok(target > 0);
  await blocks.nth(target).evaluate((el) => el.scrollIntoView({ block: 'start', behavior: 'instant' }));
  const marker = await blocks.nth(target).evaluate((el) => el.textContent.slice(0, 60));
  await page.waitForTimeout(300);
  await page.reload();
  await page.waitForSelector('article.lesson h1');
  await page.waitForFunction(() => window.scrollY > 500, null, { timeout: 10000 });
  await page.waitForTimeout(500);
  const onTop = await page.evaluate(() => {
    const shown = document.querySelector('#aesop-app:not(.app-pending) article.lesson') ?? document.querySelector('article.lesson');
    const first = [...shown.children].find((el) => el.getBoundingClientRect().bottom > 0);
    return first.textContent.slice(0, 60);
  });
  assert.equal(onTop, marker);
  // Moving to another lesson by its link starts at the top.
  await page.goto(`${site.url}#/module-2/lesson-3`);
  await page.waitForSelector('article.lesson h1:text("Activation")');
  assert.ok(await page.evaluate(() => window.scrollY) < 50);
  // A tab opened (or reloaded) on a quiz that then moves to a lesson with a saved position
  // starts that lesson at its top too: only the page the tab was loaded on is restored.
  await page.evaluate(() => window.scrollTo(0, document.body.scrollHeight * 0.6));
  await page.waitForTimeout(300);
  await page.goto(`${site.url}#/module-2/quiz-3`);
  await page.reload();
  await page.waitForSelector('.quiz');
  await page.locator('a[href$="#/module-2/lesson-3"]').first().click();
  await page.waitForSelector('article.lesson h1:text("Activation")');
  await page.waitForTimeout(500);
  // (At its top: its title on screen; the saved position was far below it.)
  assert.ok(await page.evaluate(() => { const t = document.querySelector('article.lesson h1').getBoundingClientRect().top; return t >= 0 && t < innerHeight / 2; }), 'the quiz tab moved to the lesson, which starts at its top');
  assert.deepEqual(page.errors, []);
  await page.context().close();
});

test('a reload shows each demo\'s last run again, with its preset chosen; an edited run starts clean', async () => {
  const page = await lesson(1);
  const d = demo('read-the-curve');
  await page.waitForSelector(`${d} .demo-title`);
  await page.uncheck(`${d} .pace input`);
  await page.click(`${d} button.preset:text("Overfitting")`);
  await page.click(`${d} .run-buttons button:text-is("Train")`);
  await page.waitForSelector(`${d} .run-state:text("Done.")`, { timeout: 120000 });
  const summary = await page.textContent(`${d} .plot-summary`);
  assert.match(summary, /^Epoch \d+ of \d+: training loss/);
  const device = await page.textContent(`${d} .device-label`);
  await page.reload();
  await loadDemos(page);
  await page.waitForSelector(`${d} .run-state:text("Done.")`);
  assert.equal(await page.getAttribute(`${d} button.preset:text("Overfitting")`, 'aria-pressed'), 'true');
  assert.equal(await page.textContent(`${d} .plot-summary`), summary, 'the same run, not a new one');
  assert.equal(await page.textContent(`${d} .device-label`), device);
  assert.ok(await page.$eval(`${d} .run-progress`, (p) => Number(p.value) > 0 && Number(p.value) === Number(p.max)));
  // A run of edited settings is not one of the presets: after a reload the demo starts clean.
  await page.fill(`${d} input[type=number] >> nth=1`, '3');
  await page.locator(`${d} input[type=number] >> nth=1`).dispatchEvent('change');
  await page.click(`${d} .run-buttons button:text-is("Train")`);
  await page.waitForSelector(`${d} .run-state:text("Done.")`, { timeout: 120000 });
  await page.reload();
  await loadDemos(page);
  await page.waitForSelector(`${d} .demo-title`);
  await page.waitForTimeout(300);
  assert.equal(await page.locator(`${d} .run-state`).count(), 0);
  assert.match(await page.textContent(`${d} .plot-summary`), /^No run yet/);
  assert.deepEqual(page.errors, []);
  await page.context().close();
});

test('a lesson demo draws as it trains, slowly enough to watch; unticked, it runs at full speed', async () => {
  const page = await lesson(1);
  const d = demo('read-the-curve');
  await page.waitForSelector(`${d} .demo-title`);
  assert.ok(await page.isChecked(`${d} .pace input`), 'watching is the default');
  // Sample the progress bar each frame from Train to Done.
  const sample = () => page.evaluate((sel) => new Promise((done) => {
    const seen = new Set();
    const t0 = performance.now();
    const tick = () => {
      seen.add(Number(document.querySelector(`${sel} .run-progress`).value));
      if (document.querySelector(`${sel} .run-state`)?.textContent === 'Done.') done({ values: seen.size, ms: performance.now() - t0 });
      else requestAnimationFrame(tick);
    };
    document.querySelector(`${sel} .run-buttons button.primary`).click();
    tick();
  }), d);
  const watched = await sample();
  // 40 epochs shown one a tick (60 ms): at least 2 s, through many intermediate states.
  assert.ok(watched.values >= 20, `watched: ${JSON.stringify(watched)}`);
  assert.ok(watched.ms >= 2000, `watched: ${JSON.stringify(watched)}`);
  await page.uncheck(`${d} .pace input`);
  const fast = await sample();
  assert.ok(fast.ms < watched.ms, `full speed ${fast.ms} ms, watched ${watched.ms} ms`);
  assert.deepEqual(page.errors, []);
  await page.context().close();
});

test('on a phone the playground keeps Train on screen while the learner watches the output', async () => {
  const page = await openPage(browser, `${site.url}#/module-2/playground`);
  await page.setViewportSize({ width: 390, height: 844 });
  await page.waitForSelector(`${PG} .pg-play`, { timeout: 60000 });
  await page.locator(`${PG} .pg-output`).scrollIntoViewIfNeeded();
  await page.locator(`${PG} .pg-plane-canvas`).evaluate((el) => el.scrollIntoView({ block: 'center', behavior: 'instant' }));
  const [play, plane, nav] = await Promise.all([`${PG} .pg-play`, `${PG} .pg-plane-canvas`, '.course-nav'].map((s) => page.$eval(s, (el) => el.getBoundingClientRect().toJSON())));
  assert.ok(play.top >= nav.bottom - 1 && play.bottom <= 844, `Train at ${play.top}–${play.bottom}, under the strip ending at ${nav.bottom}`);
  assert.ok(plane.bottom > 0 && plane.top < 844, 'the output is on screen with it');
  await page.click(`${PG} .pg-play`);
  await page.waitForSelector(`${PG} .run-state`, { timeout: 60000 });
  assert.deepEqual(page.errors, []);
  await page.context().close();
});

test("compared runs keep their key under the plot, and the schedules' losses sit on a log axis", async () => {
  const page = await openPage(browser, `${site.url}#/module-2/lesson-4`, { initScript: recordCanvas });
  await page.setViewportSize({ width: 390, height: 844 });
  await loadDemos(page);
  const d = demo('schedules');
  await page.waitForSelector(`${d} .demo-title`);
  await page.locator(d).scrollIntoViewIfNeeded();
  for (const preset of ['Constant', 'Warmup + cosine']) await train(page, d, { preset });
  // The loss plot (the last canvas): a key of both runs as HTML under it, none drawn on it.
  const key = await page.$$eval(`${d} .plot`, (plots) => [...plots.at(-1).querySelectorAll('.plot-key li')].map((li) => li.textContent));
  assert.ok(key.some((k) => /Constant/.test(k)) && key.some((k) => /Warmup \+ cosine/.test(k)), JSON.stringify(key));
  const texts = await page.$$eval(`${d} canvas`, (cs) => window.textsOf(cs.at(-1)));
  assert.ok(!texts.some((t) => /Constant|Warmup/.test(t)), 'no legend drawn over the curves');
  assert.ok(texts.some((t) => /\(log\)$/.test(t)) && texts.some((t) => /^10[⁻⁰¹²³⁴⁵⁶⁷⁸⁹]+$|^1$/.test(t)), `a log axis: ${texts.slice(-20)}`);
  assert.deepEqual(page.errors, []);
  await page.context().close();
});

test('two runs that land on each other both stay visible, each in its own colour', async () => {
  const page = await lesson(4);
  const d = demo('batch-size');
  await page.waitForSelector(`${d} .demo-title`);
  await page.uncheck(`${d} .pace input`);
  for (const preset of ['Batch 16, lr 0.05', 'Batch 64, lr 0.2']) {
    await page.click(`${d} button.preset:text-is("${preset}")`);
    await page.click(`${d} .run-buttons button:text-is("Train")`);
    await page.waitForSelector(`${d} .run-state:text("Done.")`, { timeout: 120000 });
  }
  const colors = await page.$$eval(`${d} .plot-key .plot-key-line`, (els) => els.map((e) => getComputedStyle(e).borderTopColor));
  assert.equal(colors.length, 2);
  await page.waitForTimeout(200);
  // Pixels of each line's colour on the canvas: the later line must not hide the earlier one.
  const counts = await page.$eval(`${d} canvas`, (canvas, colors) => {
    const rgb = colors.map((c) => c.match(/\d+/g).slice(0, 3).map(Number));
    const data = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
    const counts = rgb.map(() => 0);
    for (let i = 0; i < data.length; i += 4) {
      rgb.forEach(([r, g, b], k) => {
        if (Math.abs(data[i] - r) + Math.abs(data[i + 1] - g) + Math.abs(data[i + 2] - b) < 40) counts[k] += 1;
      });
    }
    return counts;
  }, colors);
  assert.ok(counts.every((n) => n > 150), `pixels of each line's colour: ${counts}`);
  assert.deepEqual(page.errors, []);
  await page.context().close();
});

test('a log-scale chart whose every value is 0 says why instead of showing an empty frame', async () => {
  const page = await lesson(2);
  const d = demo('gradient-monitor');
  await page.waitForSelector(`${d} .demo-title`);
  await page.uncheck(`${d} .pace input`);
  let seen = false;
  for (const preset of ['Mystery run A', 'Mystery run B', 'Mystery run C']) {
    await page.click(`${d} button.preset:text-is("${preset}")`);
    if (await page.locator(`${d} .predict`).count()) await page.check(`${d} .predict input[type=radio] >> nth=0`);
    await page.click(`${d} .run-buttons button:text-is("Train")`);
    await page.waitForSelector(`${d} .run-state:text("Done."), ${d} .run-alarm`, { timeout: 120000 });
    const notes = await page.$$eval(`${d} .plot-empty-note`, (els) => els.map((e) => e.textContent));
    if (notes.some((n) => /^Every value is 0, and a log scale has no place for 0/.test(n))) seen = true;
  }
  assert.ok(seen, 'one mystery run (dead units or zero init) has an all-zero gradient chart, and it says why');
  assert.deepEqual(page.errors, []);
  await page.context().close();
});
