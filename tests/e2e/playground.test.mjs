// The playground (issue 20) in headless Chromium on the real training worker: drawn points
// train; a CSV with a bad line is refused by line number and changes nothing; a link with own
// points replays the same run in a fresh browser; a hostile link is refused with a message;
// the 8×8 digits train past 90% on the CPU within 30 s and the pad reads a stroke as a 1;
// the page stays axe-clean in both themes and fits a 360 px phone.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { AxeBuilder } from '@axe-core/playwright';
import { launch, serve, openPage, readContent, loadDemos } from './harness.mjs';

let browser, site;
before(async () => { browser = await launch(); site = await serve(); });
after(async () => { await site?.close(); await browser?.close(); });

const PG = '.demo[data-demo="playground"]';

async function playground(b = browser, url = `${site.url}#/module-2/playground`, options = {}) {
  const page = await openPage(b, url, options);
  await page.waitForSelector(`${PG} .pg-play`, { timeout: 60000 });
  return page;
}

/** Clicks the plane at (x, y) in its own coordinates ([-6, 6] on both axes). */
async function tap(page, x, y) {
  const canvas = page.locator(`${PG} .pg-plane-canvas`);
  await canvas.scrollIntoViewIfNeeded();
  const box = await canvas.boundingBox();
  await page.mouse.click(box.x + ((x + 6) / 12) * box.width, box.y + ((6 - y) / 12) * box.height);
}

/** Two clusters, class 0 on the left and class 1 on the right, tapped point by point. */
async function drawClusters(page, perClass = 12) {
  await page.check(`${PG} input[name=pg-data][value=own]`);
  for (const [cls, cx] of [[0, -3], [1, 3]]) {
    await page.check(`${PG} .pg-tool-${cls} input`);
    for (let i = 0; i < perClass; i++) await tap(page, cx + 1.5 * Math.cos(i * 2.4), 2.5 * Math.sin(i * 1.7));
  }
  await page.waitForSelector(`${PG} .pg-count:text("${2 * perClass} points")`);
}

async function trainToEnd(page, timeout = 120000) {
  await page.click(`${PG} .pg-play`);
  await page.waitForSelector(`${PG} .run-state:text("Done."), ${PG} .run-alarm`, { timeout });
}

const setEpochs = async (page, n) => {
  await page.fill(`${PG} .pg-epochs input`, String(n));
  await page.locator(`${PG} .pg-epochs input`).dispatchEvent('change');
};

test('the module home opens the playground, whose plot waits for a run with an empty state', async () => {
  const page = await openPage(browser, `${site.url}#/module-2`);
  await page.click('a:text("Open the playground")');
  await page.waitForSelector(`${PG} .pg-play`, { timeout: 60000 });
  assert.match(page.url(), /#\/module-2\/playground$/);
  // Before a run the loss plot says so instead of drawing axes whose every tick reads 0.
  assert.equal(await page.locator(`${PG} .plot.plot-empty .plot-empty-note`).count(), 1);
  await setEpochs(page, 3);
  await trainToEnd(page);
  assert.equal(await page.locator(`${PG} .plot-empty-note`).count(), 0);
  assert.match(await page.textContent(`${PG} .pg-output .plot-summary >> nth=-1`), /^Epoch 3: training loss [\d.]+, test loss [\d.]+$/);
  // Every hidden unit's output and the weights arrived with the report: focus tells them.
  await page.focus(`${PG} .pg-unit >> nth=0`);
  assert.match(await page.textContent(`${PG} .pg-tip`), /^layer 1, unit 1: bias -?[\d.]+; output from -?[\d.]+ to -?[\d.]+ over the plane; weights in: x -?[\d.]+, y -?[\d.]+$/);
  assert.deepEqual(page.errors, []);
});

test('drawn points, by pointer and by keyboard, train to a test accuracy above 90%', async () => {
  const page = await playground();
  await drawClusters(page);
  // Keyboard alone: focus the plane, move the cursor, drop a point, erase it; each announced.
  await page.focus(`${PG} .pg-plane-canvas`);
  for (let i = 0; i < 12; i++) await page.keyboard.press('ArrowRight'); // x = 3
  await page.keyboard.press('0');
  await page.keyboard.press('1');
  await page.keyboard.press('Enter');
  assert.match(await page.textContent(`${PG} .pg-said`), /^Added a class 1 point at \(3\.00, 0\.00\); 25 points\.$/);
  await page.keyboard.press('Delete');
  assert.match(await page.textContent(`${PG} .pg-said`), /^Erased 1 point near \(3\.00, 0\.00\); 24 left\.$/);
  await setEpochs(page, 60);
  await trainToEnd(page);
  const accuracy = parseFloat(await page.textContent(`${PG} .pg-test-accuracy`));
  assert.ok(accuracy > 90, `test accuracy ${accuracy}%`);
  assert.deepEqual(page.errors, []);
});

test('a pasted CSV with a bad line names the line and keeps the data already there', async () => {
  const page = await playground();
  await drawClusters(page, 5);
  await page.click(`${PG} .pg-csv summary`);
  const paste = async (text) => {
    await page.fill(`${PG} .pg-paste textarea`, text);
    await page.click(`${PG} .pg-use-paste`);
  };
  const rows = Array.from({ length: 10 }, (_, i) => `${i},${i % 3},${i % 2}`);
  await paste(['x,y,label', ...rows.slice(0, 3), '3,three,1', ...rows.slice(4)].join('\n'));
  assert.match(await page.textContent(`${PG} .pg-message`), /^Nothing changed\. Line 5: "three" in column 2 \(y\) is not a number$/);
  assert.equal(await page.textContent(`${PG} .pg-count`), '10 points');
  await paste([...rows, '4,4,2'].join('\n'));
  assert.match(await page.textContent(`${PG} .pg-message`), /Line 11: a third class, "2"/);
  // Too many rows, from a file this time (a textarea of thousands of lines is slow to fill).
  const big = Array.from({ length: 5001 }, (_, i) => `${i},${i},${i % 2}`).join('\n');
  await page.setInputFiles(`${PG} .pg-open input`, { name: 'big.csv', mimeType: 'text/csv', buffer: Buffer.from(big) });
  await page.waitForSelector(`${PG} .pg-message:text("Line 5001: more than 5000 rows")`);
  assert.equal(await page.textContent(`${PG} .pg-count`), '10 points');
  // A good file replaces the points, rescaled onto the plane, and says how.
  await paste(['x,y,label', ...rows].join('\n'));
  assert.match(await page.textContent(`${PG} .pg-message`), /^Read 10 points \(two classes\)\. Rescaled onto the plane: x → \(x − 4\.5\) × 1\.111/);
  assert.equal(await page.textContent(`${PG} .pg-count`), '10 points');
  assert.deepEqual(page.errors, []);
});

test('a link with own points replays the same loss at epoch 20 in a fresh browser', async () => {
  const page = await playground();
  await drawClusters(page, 10);
  await page.selectOption(`${PG} .pg-activation select`, 'relu');
  await setEpochs(page, 20);
  await trainToEnd(page);
  const loss = async (p) => [await p.textContent(`${PG} .pg-train-loss`), await p.textContent(`${PG} .pg-test-loss`)];
  const first = await loss(page);
  assert.match(await page.textContent(`${PG} .pg-epoch`), /^Epoch 20 of 20$/);
  await page.click(`${PG} .pg-link`);
  const url = await page.inputValue(`${PG} .pg-link-url`);
  assert.match(url, /#\/module-2\/playground\?demo=playground&data=own&.*&act=relu&.*&epochs=20&.*pts=[\w-]+$/);
  console.log(`[playground] a link with 20 drawn points: ${url.length} characters`);
  const fresh = await launch();
  try {
    const again = await playground(fresh, url);
    assert.match(await again.textContent(`${PG} .pg-message`), /Opened from a link/);
    assert.equal(await again.textContent(`${PG} .pg-count`), '20 points');
    await trainToEnd(again);
    assert.match(await again.textContent(`${PG} .pg-epoch`), /^Epoch 20 of 20$/);
    assert.deepEqual(await loss(again), first);
    assert.deepEqual(again.errors, []);
  } finally { await fresh.close(); }
});

test('a hostile or damaged link is refused or clamped with a message, and the page still works', async () => {
  const damaged = await playground(browser, `${site.url}#/module-2/playground?demo=playground&data=own&pts=AQAB%25%25`);
  assert.match(await damaged.textContent(`${PG} .pg-message`), /^The link could not be used \(the link's points are damaged/);
  assert.equal(await damaged.isChecked(`${PG} input[name=pg-data][value=circle]`), true);
  const huge = 'A'.repeat(70000);
  const long = await playground(browser, `${site.url}#/module-2/playground?demo=playground&data=own&pts=${huge}`);
  assert.match(await long.textContent(`${PG} .pg-message`), /more than the 64000 a link may carry/);
  const clamped = await playground(browser, `${site.url}#/module-2/playground?demo=playground&data=xor&noise=900&net=9,9,9,9,9,9,9,9&lr=1e300&epochs=2`);
  const note = await clamped.textContent(`${PG} .pg-message`);
  for (const word of ['noise 900', 'layer of 9 units', 'more than 6 hidden layers', 'lr 1e300']) assert.ok(note.includes(word), `${word} in ${note}`);
  assert.equal(await clamped.textContent(`${PG} .pg-shape`), '6 hidden layers: 8, 8, 8, 8, 8, 8');
  await trainToEnd(clamped);
  for (const p of [damaged, long, clamped]) assert.deepEqual(p.errors, []);
});

test('the digits reach 90% test accuracy within 30 s on the CPU, misclassified images browse, and the pad reads a stroke as a 1', async () => {
  const page = await playground();
  const fetched = [];
  page.on('request', (r) => r.url().includes('digits.txt') && fetched.push(r.url()));
  await page.waitForTimeout(300);
  assert.deepEqual(fetched, [], 'the digits wait until the learner opens them');
  await page.check(`${PG} input[name=pg-data][value=digits]`);
  await page.waitForSelector(`${PG} .pg-digits-count:text("1797 images")`, { timeout: 30000 });
  assert.equal(fetched.length, 1);
  await page.selectOption(`${PG} .device-choice select`, 'cpu');
  const started = Date.now();
  await page.click(`${PG} .pg-play`);
  await page.waitForFunction((sel) => parseFloat(document.querySelector(`${sel} .pg-test-accuracy`)?.textContent) >= 90, PG, { timeout: 30000 });
  console.log(`[playground] digits: 90% test accuracy after ${Date.now() - started} ms (${await page.textContent(`${PG} .pg-epoch`)})`);
  await page.waitForSelector(`${PG} .run-state:text("Done.")`, { timeout: 60000 });
  assert.match(await page.textContent(`${PG} .device-label`), /Training on the CPU/);
  // The confusion matrix counts every test image once (20% of 1,797).
  const cells = await page.$$eval(`${PG} .pg-confusion td`, (tds) => tds.map((t) => Number(t.textContent)));
  assert.equal(cells.length, 100);
  assert.equal(cells.reduce((a, b) => a + b, 0), 359);
  // The misclassified images, one at a time.
  const caption = await page.textContent(`${PG} .pg-wrong-caption`);
  const [, , total] = caption.match(/^(\d+) of (\d+): labelled \d, the network says \d\.$/);
  const wrongCells = cells.reduce((a, n, i) => a + (i % 11 === 0 ? 0 : n), 0);
  assert.equal(Number(total), wrongCells);
  if (Number(total) > 1) {
    await page.click(`${PG} .pg-wrong-next`);
    assert.match(await page.textContent(`${PG} .pg-wrong-caption`), /^2 of /);
  }
  // A vertical stroke down the middle of the pad, drawn with the mouse.
  const pad = page.locator(`${PG} .pg-pad-canvas`);
  await pad.scrollIntoViewIfNeeded();
  const box = await pad.boundingBox();
  const x = box.x + box.width * (3.5 / 8);
  await page.mouse.move(x, box.y + 3);
  await page.mouse.down();
  for (let r = 0; r < 8; r++) await page.mouse.move(x, box.y + box.height * ((r + 0.5) / 8), { steps: 3 });
  await page.mouse.up();
  assert.match(await page.textContent(`${PG} .pg-pad-answer`), /^The network reads a 1 \(\d+%\)\.$/);
  // Beside the pad, the 8×8 counts the network reads, centred and scaled as the data's were.
  assert.match(await page.getAttribute(`${PG} .pg-seen-canvas`, 'aria-label'), /^What the network sees: 8 by 8 counts, (1[0-9]|[2-5][0-9]) of 64 blocks inked$/);
  // By keyboard: clear, then Shift + arrows draw the same stroke.
  await page.click(`${PG} .pg-pad-clear`);
  assert.equal(await page.textContent(`${PG} .pg-pad-answer`), 'The pad is empty.');
  await page.focus(`${PG} .pg-pad-canvas`);
  for (let i = 0; i < 4; i++) await page.keyboard.press('ArrowRight');
  await page.keyboard.press('Enter');
  for (let i = 0; i < 7; i++) await page.keyboard.press('Shift+ArrowDown');
  assert.match(await page.textContent(`${PG} .pg-pad-answer`), /^The network reads a 1 /);
  assert.deepEqual(page.errors, []);
});

test('a lesson places the playground with :::demo and it opens from its link there', async () => {
  const lesson = readContent('module-2/lesson-1.md').replace(/^(:::demo loss-explorer\n:::)$/m, '$1\n\n:::demo playground\n:::');
  const s = await serve({ overlays: { 'content/module-2/lesson-1.md': lesson } });
  try {
    const page = await openPage(browser, `${s.url}#/module-2/lesson-1`);
    await loadDemos(page);
    await page.waitForSelector(`${PG} .pg-play`, { timeout: 60000 });
    const linked = await openPage(browser, `${s.url}#/module-2/lesson-1?demo=playground&data=spiral&net=8,8&act=relu`);
    await linked.waitForSelector(`${PG} .pg-play`, { timeout: 60000 });
    assert.equal(await linked.isChecked(`${PG} input[name=pg-data][value=spiral]`), true);
    assert.equal(await linked.textContent(`${PG} .pg-shape`), '2 hidden layers: 8, 8');
    assert.deepEqual([...page.errors, ...linked.errors], []);
  } finally { await s.close(); }
});

for (const colorScheme of ['light', 'dark']) {
  test(`the playground is axe-clean in the ${colorScheme} theme, trained, with own points and with the digits`, async () => {
    const context = await browser.newContext({ colorScheme });
    const page = await context.newPage();
    await page.goto(`${site.url}#/module-2/playground`);
    await page.waitForSelector(`${PG} .pg-play`, { timeout: 60000 });
    const audit = async (where) => {
      const r = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
      return r.violations.map((v) => `${where}: ${v.id}: ${v.nodes.length} × ${v.nodes[0]?.target.join(' ')} (${v.help})`);
    };
    const found = [];
    await setEpochs(page, 2);
    await trainToEnd(page);
    await page.click(`${PG} .pg-csv summary`);
    await page.focus(`${PG} .pg-unit >> nth=0`);
    found.push(...await audit('trained'));
    await drawClusters(page, 4);
    await page.click(`${PG} .pg-link`);
    found.push(...await audit('own points'));
    await page.check(`${PG} input[name=pg-data][value=digits]`);
    await page.waitForSelector(`${PG} .pg-digits-count`, { timeout: 30000 });
    await setEpochs(page, 2);
    await trainToEnd(page);
    found.push(...await audit('digits'));
    assert.deepEqual(found, []);
    await context.close();
  });
}

test('on a 360 px phone the playground never scrolls sideways', async () => {
  const context = await browser.newContext({ viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true });
  const page = await context.newPage();
  await page.goto(`${site.url}#/module-2/playground`);
  await page.waitForSelector(`${PG} .pg-play`, { timeout: 60000 });
  const wide = async () => page.evaluate(() => document.documentElement.scrollWidth);
  for (let i = 0; i < 4; i++) await page.click(`${PG} .pg-add-layer`);
  assert.equal(await page.isDisabled(`${PG} .pg-add-layer`), true);
  assert.equal(await wide(), 360, 'six hidden layers');
  // A tap on the plane adds a point (touch).
  await page.check(`${PG} input[name=pg-data][value=own]`);
  // A tap lands only on what is on screen: below six layers' graph, the plane is scrolled to.
  await page.locator(`${PG} .pg-plane-canvas`).scrollIntoViewIfNeeded();
  const box = await page.locator(`${PG} .pg-plane-canvas`).boundingBox();
  await page.touchscreen.tap(box.x + box.width / 2, box.y + box.height / 2);
  await page.waitForSelector(`${PG} .pg-count:text("1 point")`);
  await page.check(`${PG} input[name=pg-data][value=digits]`);
  await page.waitForSelector(`${PG} .pg-digits-count`, { timeout: 30000 });
  assert.equal(await wide(), 360, 'the digits');
  await context.close();
});
