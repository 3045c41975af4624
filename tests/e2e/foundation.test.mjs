// The built site in headless Chromium: navigation, lessons, deep links, broken content.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { launch, serve, openPage, manifest, frontMatter, readContent, ROOT, SHOWN } from './harness.mjs';

const module2 = manifest().modules[0];
const lessons = module2.steps.filter((s) => s.kind === 'lesson');
let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

test('home shows the module, its lessons and the test, and the course navigation', async () => {
  const site = await serve();
  try {
    const page = await openPage(browser, site.url);
    await page.waitForSelector('.module-home h1');
    assert.equal(await page.textContent('.module-home h1'), module2.title);
    const homeTitles = await page.$$eval(`${SHOWN} .home-lesson .home-title`, (els) => els.map((e) => e.textContent));
    assert.deepEqual(homeTitles, lessons.map((l) => frontMatter(`module-2/${l.file}`).title));
    assert.equal(await page.locator(`${SHOWN} .home-test`).count(), 1);
    const labels = await page.$$eval(`${SHOWN} .course-nav .step-label`, (els) => els.map((e) => e.textContent));
    assert.deepEqual(labels, ['L1', 'Quiz', 'Lab', 'L2', 'Quiz', 'Lab', 'L3', 'Quiz', 'Lab', 'L4', 'Quiz', 'Lab', 'Module Test']);
    assert.deepEqual(page.errors, []);
  } finally { await site.close(); }
});

test('every lesson shows its kicker, title, scenario, term cards, callouts and math', async () => {
  const site = await serve();
  try {
    const page = await openPage(browser, site.url);
    for (const [i, lesson] of lessons.entries()) {
      const file = `module-2/${lesson.file}`;
      const text = readContent(file);
      const fm = frontMatter(file);
      await page.goto(`${site.url}#/module-2/${lesson.id}`);
      await page.waitForSelector('.lesson h1');
      assert.equal(await page.textContent('.lesson h1'), fm.title);
      assert.equal(await page.textContent('.lesson .kicker'), `Module 2 · Lesson ${i + 1}`);
      assert.equal(await page.textContent('.opening-question'), fm.question);
      const person = text.match(/^:::scenario (.+)$/m)[1];
      assert.equal(await page.textContent('.scenario-name'), person);
      const terms = [...text.matchAll(/^:::term (.+)$/gm)].map((m) => m[1]);
      assert.deepEqual(await page.$$eval('.term-card .term', (els) => els.map((e) => e.textContent)), terms);
      for (const card of await page.$$('.term-card .definition')) assert.ok((await card.textContent()).trim().length > 20);
      const callouts = [...text.matchAll(/^:::(reality-check|practical-move)$/gm)].length;
      assert.equal(await page.locator('.callout').count(), callouts);
      if (text.includes('$')) {
        // Formulas are typeset by the math module once the first one nears the screen; then
        // every formula on the page is MathML, none left as source, none failed.
        if (await page.locator('.lesson .math-tex').count()) await page.locator('.lesson .math-tex').first().scrollIntoViewIfNeeded();
        await page.waitForFunction(() => !document.querySelector('.lesson .math-tex'));
        assert.ok(await page.locator('.lesson math').count() > 0, `${file} has formulas but no MathML rendered`);
        assert.equal(await page.locator('.lesson .math-error').count(), 0, `${file} has a formula that did not typeset`);
      }
      // The current step is highlighted in the navigation.
      assert.equal(await page.getAttribute('.course-nav .step.current', 'data-step'), lesson.id);
    }
    assert.deepEqual(page.errors, []);
  } finally { await site.close(); }
});

test("a lesson fetches its own file only; the pager's neighbours come as it nears the screen; home reads them all", async () => {
  const site = await serve();
  try {
    const page = await openPage(browser, 'about:blank');
    const fetched = [];
    page.on('request', (r) => { const p = new URL(r.url()).pathname; if (p.startsWith('/content/')) fetched.push(p.slice('/content/'.length)); });
    await page.goto(`${site.url}#/module-2/lesson-2`);
    await page.waitForSelector('.lesson h1');
    await page.waitForLoadState('networkidle');
    assert.deepEqual(fetched.sort(), ['course.json', 'module-2/lesson-2.md']);
    // Until the quiz's file is read, the pager names the step plainly.
    assert.equal(await page.textContent('.pager-next .pager-title'), 'Quiz · Lesson 2 quiz');
    await page.locator('.pager').scrollIntoViewIfNeeded();
    const quiz = frontMatter('module-2/quiz-2.md').title;
    await page.waitForFunction((t) => document.querySelector('.pager-next .pager-title')?.textContent === `Quiz · ${t}`, quiz);
    assert.ok(fetched.includes('module-2/lab-1.md') && fetched.includes('module-2/quiz-2.md'), fetched.join(', '));
    await page.goto(`${site.url}#/`);
    await page.waitForSelector('.module-home h1');
    await page.waitForLoadState('networkidle');
    const files = module2.steps.map((s) => `module-2/${s.file}`);
    assert.deepEqual([...new Set(fetched)].sort(), ['course.json', ...files].sort());
    assert.equal(fetched.length, new Set(fetched).size, `a file fetched twice: ${fetched.join(', ')}`);
    assert.deepEqual(page.errors, []);
  } finally { await site.close(); }
});

test('previous and next walk the module in order', async () => {
  const site = await serve();
  try {
    const page = await openPage(browser, `${site.url}#/module-2/${module2.steps[0].id}`);
    const seen = [];
    for (let i = 0; i < module2.steps.length; i++) {
      await page.waitForSelector(`.course-nav .step.current[data-step="${module2.steps[i].id}"]`);
      seen.push(await page.getAttribute('.course-nav .step.current', 'data-step'));
      if (i + 1 < module2.steps.length) await page.click('.pager-next');
    }
    assert.deepEqual(seen, module2.steps.map((s) => s.id));
    await page.click('.pager-prev');
    await page.waitForSelector(`.course-nav .step.current[data-step="${module2.steps.at(-2).id}"]`);
  } finally { await site.close(); }
});

for (const base of ['/', '/courses/ml/']) {
  test(`a deep link survives a reload under ${base}`, async () => {
    const site = await serve({ base });
    try {
      const page = await openPage(browser, `${site.url}#/module-2/lesson-3`);
      const title = frontMatter('module-2/lesson-3.md').title;
      await page.waitForSelector('.lesson h1');
      assert.equal(await page.textContent('.lesson h1'), title);
      await page.reload();
      await page.waitForSelector('.lesson h1');
      assert.equal(await page.textContent('.lesson h1'), title);
      assert.equal(new URL(page.url()).pathname, base);
      assert.deepEqual(page.errors, []);
    } finally { await site.close(); }
  });
}

test('a lesson read to the end is marked done in the navigation, and stays so after a reload', async () => {
  const site = await serve();
  try {
    const page = await openPage(browser, `${site.url}#/module-2/lesson-1`);
    await page.waitForSelector('.lesson h1');
    assert.equal(await page.getAttribute('.step[data-step="lesson-1"]', 'data-status'), 'notstarted');
    await page.locator('.lesson-end').scrollIntoViewIfNeeded();
    await page.waitForSelector('.step[data-step="lesson-1"].done');
    await page.reload();
    await page.waitForSelector('.step[data-step="lesson-1"].done');
  } finally { await site.close(); }
});

test('a broken lesson file shows its path, line and problem on the page; the rest still works', async () => {
  const broken = readContent('module-2/lesson-2.md').replace(/^:::term (.+)$/m, ':::term');
  const line = broken.split('\n').findIndex((l) => l === ':::term') + 1;
  const site = await serve({ overlays: { 'content/module-2/lesson-2.md': broken } });
  try {
    const page = await openPage(browser, `${site.url}#/module-2/lesson-2`);
    await page.waitForSelector('.content-errors');
    const errors = await page.$$eval('.content-errors li', (els) => els.map((e) => e.textContent));
    assert.ok(errors.includes(`module-2/lesson-2.md:${line}: \`:::term\` needs the term after it`), JSON.stringify(errors));
    await page.goto(`${site.url}#/module-2/lesson-1`);
    await page.waitForSelector('.lesson h1');
    assert.ok(await page.isVisible('.content-warning'));
  } finally { await site.close(); }
});

test('a formula that does not parse shows its source and why, in place; the others typeset', async () => {
  const lesson = readContent('module-2/lesson-3.md') + '\n\n## Broken formula\n\nHere: $\\frac{1}$ and $x^2$.\n';
  const site = await serve({ overlays: { 'content/module-2/lesson-3.md': lesson } });
  try {
    const page = await openPage(browser, `${site.url}#/module-2/lesson-3`);
    await page.locator('h2:text("Broken formula")').scrollIntoViewIfNeeded();
    await page.waitForSelector('.lesson .math-error');
    const shown = await page.textContent('.lesson .math-error');
    assert.ok(shown.startsWith('\\frac{1}'), shown);
    assert.match(shown, /this formula could not be typeset: .+/);
    // The rest of the page is typeset as usual.
    await page.waitForFunction(() => !document.querySelector('.lesson .math-tex'));
    assert.ok(await page.locator('.lesson math').count() > 3);
  } finally { await site.close(); }
});

test('a broken manifest shows its error instead of a blank page', async () => {
  const site = await serve({ overlays: { 'content/course.json': '{\n  "title": "x",\n  "modules": [\n' } });
  try {
    const page = await openPage(browser, site.url, { allowConsoleErrors: true });
    await page.waitForSelector('.content-errors');
    const text = await page.textContent('.content-errors li');
    assert.match(text, /^course\.json:4: EOF while parsing a list/);
  } finally { await site.close(); }
});

test('raw HTML and script links in content render inert', async () => {
  const payload = '\n\n<img src=x onerror="window.__xss=1"> <script>window.__xss=2</script> [click](javascript:window.__xss=3)\n';
  const site = await serve({ overlays: { 'content/module-2/lesson-1.md': readContent('module-2/lesson-1.md') + payload } });
  try {
    const page = await openPage(browser, `${site.url}#/module-2/lesson-1`);
    await page.waitForSelector('.lesson h1');
    assert.equal(await page.locator('.lesson img, .lesson script').count(), 0);
    assert.ok((await page.textContent('.lesson')).includes('<img src=x onerror='));
    // The unsafe link keeps its words but is no link at all (a link to `#` would go home).
    assert.equal(await page.locator('.lesson a:text("click")').count(), 0);
    assert.ok((await page.textContent('.lesson')).includes('click'));
    assert.equal(await page.evaluate(() => window.__xss), undefined);
  } finally { await site.close(); }
});

test('a second module added by a folder and a manifest entry appears in the nav and home', async () => {
  const fixture = resolve(ROOT, 'tests/fixtures/second-module');
  const entry = JSON.parse(readFileSync(resolve(fixture, 'module.json'), 'utf8'));
  const course = manifest();
  course.modules.push(entry);
  const overlays = { 'content/course.json': JSON.stringify(course) };
  for (const f of readdirSync(resolve(fixture, entry.folder))) overlays[`content/${entry.folder}/${f}`] = readFileSync(resolve(fixture, entry.folder, f));
  const site = await serve({ overlays });
  try {
    const page = await openPage(browser, site.url);
    await page.waitForSelector('.module-switch');
    assert.deepEqual(await page.$$eval('.module-link', (els) => els.map((e) => e.textContent)), ['Module 2', `Module ${entry.number}`]);
    await page.click(`.module-link:text("Module ${entry.number}")`);
    await page.waitForSelector(`.module-home h1:text("${entry.title}")`);
    assert.deepEqual(await page.$$eval(`${SHOWN} .course-nav .step-label`, (els) => els.map((e) => e.textContent)), ['L1', 'Quiz', 'Module Test']);
    await page.click('.home-lesson a');
    await page.waitForSelector('.lesson h1');
    assert.equal(await page.textContent('.scenario-name'), 'Ada');
  } finally { await site.close(); }
});
