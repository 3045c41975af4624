// Progress that comes from outside, in headless Chromium: a hostile import, an option a
// host removed, a file from a newer AESOP, an oversized import, and two tabs editing at once.
// Each is data the app must not trust, crash on, or overwrite.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { launch, serve, openPage, answerKey, readContent, frontMatter } from './harness.mjs';

let browser, site;
const dir = mkdtempSync(join(tmpdir(), 'aesop-progress-'));
before(async () => { browser = await launch(); site = await serve(); });
after(async () => { await site?.close(); await browser?.close(); });

const key1 = answerKey('module-2/quiz-1.md');
const KEY = 'aesop.progress';
const stored = (page) => page.evaluate((k) => localStorage.getItem(k), KEY);

/** Scrolls `selector` into view. The full app may take over from the reader meanwhile (a demo
 * or the progress panel nearing the screen brings it), replacing the element: scroll to the
 * new one. */
async function scrollTo(page, selector) {
  for (let tries = 0; ; tries++) {
    try { return await page.locator(selector).scrollIntoViewIfNeeded({ timeout: 5000 }); } catch (e) {
      if (tries >= 4 || !/not attached/.test(String(e))) throw e;
    }
  }
}

/** A finished quiz-1 attempt whose first answer is `first` (an original option index). */
const finishedQuiz1 = (first) => ({
  done: true,
  best: { correct: 1, total: 5 },
  last: { correct: 1, total: 5 },
  attempt: {
    number: 1,
    answers: { [key1[0].id]: first, [key1[1].id]: key1[1].correct },
    checked: [key1[0].id, key1[1].id],
    current: 4,
    finished: true,
  },
});

test('a hostile import (an answer index past the options) is left out with a notice; the lab and the quiz open; the rest is kept', async () => {
  const page = await openPage(browser, `${site.url}#/module-2`);
  // The panel's tools come with the full app, which it brings as it nears the screen.
  await scrollTo(page, '.progress-panel');
  await page.waitForSelector('#import-progress', { state: 'attached' });
  const file = join(dir, 'hostile.json');
  writeFileSync(file, JSON.stringify({ version: 3, progress: { steps: { 'module-2/lesson-1': { done: true }, 'module-2/quiz-1': finishedQuiz1(9) } } }));
  page.once('dialog', (d) => d.accept());
  await page.setInputFiles('#import-progress', file);
  await page.waitForSelector('.progress-message :text("Progress imported")');
  // The lab quotes the lesson quiz's answers as it opens; so does a reload of it.
  await page.goto(`${site.url}#/module-2/lab-1`);
  await page.waitForSelector('.lab .chat');
  await page.waitForSelector('.storage-notice');
  assert.match(await page.textContent('.storage-notice'), /answer to question 1 of “Quiz — Lesson 1: Loss” no longer matches the options .* left out.* rest of your progress is kept/);
  await page.reload();
  await page.waitForSelector('.lab .chat');
  // The quiz's results show the question unanswered, the other answer kept.
  await page.goto(`${site.url}#/module-2/quiz-1`);
  await page.waitForSelector('.results');
  assert.match(await page.textContent(`.review-item[data-question="${key1[0].id}"]`), /Your answer: no answer/);
  assert.match(await page.getAttribute(`.review-item[data-question="${key1[1].id}"]`, 'class'), /\bright\b/);
  assert.equal(await page.getAttribute('.step[data-step="lesson-1"]', 'data-status'), 'done');
  const saved = JSON.parse(await stored(page));
  assert.deepEqual(Object.keys(saved.progress.steps['module-2/quiz-1'].attempt.answers), [key1[1].id]);
  assert.deepEqual(page.errors, []);
});

test('a host removes an option that a learner had chosen: the answer is left out with a notice, no crash', async () => {
  const q = key1[0];
  assert.ok(q.correct < q.count - 1, 'the last option is not the right one');
  // The question loses its last option, which the learner had chosen.
  const lines = readContent('module-2/quiz-1.md').split('\n');
  const start = lines.indexOf(`:::question ${q.id}`);
  const end = lines.findIndex((l, i) => i > start && l === ':::');
  let last = -1;
  for (let i = start; i < end; i++) if (/^\s*- \[[ xX]\] /.test(lines[i])) last = i;
  // The option goes with its `Why not:` line.
  lines.splice(last, /^\s+Why not:/.test(lines[last + 1]) ? 2 : 1);
  const edited = await serve({ overlays: { 'content/module-2/quiz-1.md': lines.join('\n') } });
  try {
    const page = await openPage(browser, `${edited.url}#/module-2/lesson-1`);
    await page.waitForSelector('.lesson h1');
    await page.evaluate(([k, v]) => localStorage.setItem(k, v), [KEY, JSON.stringify({ version: 3, progress: { steps: { 'module-2/quiz-1': finishedQuiz1(q.count - 1) } } })]);
    await page.goto(`${edited.url}#/module-2/quiz-1`);
    await page.reload();
    await page.waitForSelector('.results');
    await page.waitForSelector('.storage-notice');
    assert.match(await page.textContent('.storage-notice'), /question 1 of .* no longer matches/);
    assert.match(await page.textContent(`.review-item[data-question="${q.id}"]`), /Your answer: no answer/);
    assert.deepEqual(page.errors, []);
  } finally { await edited.close(); }
});

test('progress written by a newer AESOP is kept untouched: the page runs in memory and says why', async () => {
  const context = await browser.newContext();
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.goto(`${site.url}#/module-2/lesson-1`);
  const newer = JSON.stringify({ version: 99, progress: { steps: { 'module-2/lesson-1': { done: true } }, shape: 'from the future' } });
  await page.evaluate(([k, v]) => { localStorage.clear(); localStorage.setItem(k, v); }, [KEY, newer]);
  await page.reload();
  await page.waitForSelector('.lesson h1');
  await page.waitForSelector('.storage-notice');
  assert.match(await page.textContent('.storage-notice'), /newer version of AESOP \(format 99; this page reads up to 3\).*kept exactly as it is.*saves nothing/);
  // Reading a lesson and answering a quiz work, for this visit, and write nothing.
  await scrollTo(page, '.lesson-end');
  await page.waitForSelector('.step[data-step="lesson-1"].done');
  await page.goto(`${site.url}#/module-2/quiz-1`);
  await page.waitForSelector('.question');
  await page.check(`.question input[value="${key1[0].correct}"]`);
  await page.click('button:text("Check answer")');
  await page.waitForSelector('.live .feedback');
  await page.waitForSelector('.step[data-step="lesson-1"].done');
  assert.equal(await stored(page), newer);
  assert.deepEqual(await page.evaluate(() => Object.keys(localStorage)), [KEY], 'nothing else written either');
  await page.reload();
  await page.waitForSelector('.storage-notice');
  assert.equal(await stored(page), newer);
  assert.deepEqual(errors, []);
  await context.close();
});

test('an import over 1 MB is refused with a message before it is read; nothing changes', async () => {
  const page = await openPage(browser, `${site.url}#/module-2/lesson-1`);
  await page.waitForSelector('.lesson h1');
  await scrollTo(page, '.lesson-end');
  await page.waitForSelector('.step[data-step="lesson-1"].done');
  await page.goto(`${site.url}#/module-2`);
  await scrollTo(page, '.progress-panel');
  await page.waitForSelector('#import-progress', { state: 'attached' });
  // The full app has folded the reader's note of the lesson into progress: that is `before`.
  await page.waitForFunction((k) => /lesson-1/.test(localStorage.getItem(k) ?? ''), KEY);
  const before = await stored(page);
  // A well-formed progress file, only too large.
  const big = join(dir, 'big.json');
  const text = JSON.stringify({ version: 3, progress: { steps: {}, demos: { 'module-2/lesson-1/x': 'y'.repeat(1_100_000) } } });
  writeFileSync(big, text);
  const tenths = Math.ceil(text.length / 100_000);
  let asked = false;
  page.on('dialog', (d) => { asked = true; d.dismiss(); });
  await page.setInputFiles('#import-progress', big);
  await page.waitForSelector('.progress-message .error');
  assert.equal(await page.textContent('.progress-message'), `That file was not imported: the file is ${Math.floor(tenths / 10)}.${tenths % 10} MB, more than the 1 MB a progress file can be. Nothing changed.`);
  assert.equal(asked, false, 'not read, so nothing to confirm');
  assert.equal(await stored(page), before);
  assert.equal(await page.getAttribute('.step[data-step="lesson-1"]', 'data-status'), 'done');
  assert.deepEqual(page.errors, []);
});

test('two tabs editing progress at once keep both changes, in storage and on both pages', async () => {
  const context = await browser.newContext();
  const errors = [];
  const open = async (hash) => {
    const page = await context.newPage();
    page.on('pageerror', (e) => errors.push(String(e)));
    await page.goto(`${site.url}${hash}`);
    return page;
  };
  // Both tabs are open before either changes anything.
  const quiz = await open('#/module-2/quiz-1');
  const lesson = await open('#/module-2/lesson-2');
  await quiz.waitForSelector('.question');
  await lesson.waitForSelector('.lesson h1');
  await Promise.all([
    (async () => {
      await quiz.check(`.question input[value="${key1[0].correct}"]`);
      await quiz.click('button:text("Check answer")');
      await quiz.waitForSelector('.live .feedback');
    })(),
    (async () => {
      await scrollTo(lesson, '.lesson-end');
      await lesson.waitForSelector('.step[data-step="lesson-2"].done');
    })(),
  ]);
  // Each tab picks up the other's change.
  await quiz.waitForSelector('.step[data-step="lesson-2"].done');
  await lesson.waitForSelector('.step[data-step="quiz-1"][data-status="inprogress"]');
  // The quiz tab goes on; the lesson tab, now behind, reads another lesson. Nothing is undone.
  await quiz.click('.quiz-actions button');
  await quiz.waitForSelector('.quiz-progress:text("Question 2 of 5")');
  await lesson.goto(`${site.url}#/module-2/lesson-3`);
  // Lesson 3's own page, not lesson 2's on its way out.
  await lesson.waitForSelector(`.lesson h1:text-is(${JSON.stringify(frontMatter('module-2/lesson-3.md').title)})`);
  await scrollTo(lesson, '.lesson-end');
  await lesson.waitForSelector('.step[data-step="lesson-3"].done');
  await quiz.waitForSelector('.step[data-step="lesson-3"].done');
  const saved = JSON.parse(await stored(quiz));
  const steps = saved.progress.steps;
  assert.equal(steps['module-2/lesson-2'].done, true);
  assert.equal(steps['module-2/lesson-3'].done, true);
  assert.equal(steps['module-2/quiz-1'].attempt.answers[key1[0].id], key1[0].correct);
  assert.equal(steps['module-2/quiz-1'].attempt.current, 1);
  // A third tab opened now sees all of it.
  const third = await open('#/module-2/quiz-1');
  await third.waitForSelector('.quiz-progress:text("Question 2 of 5")');
  assert.equal(await third.getAttribute('.step[data-step="lesson-2"]', 'data-status'), 'done');
  assert.equal(await third.getAttribute('.step[data-step="lesson-3"]', 'data-status'), 'done');
  assert.deepEqual(errors, []);
  await context.close();
});
