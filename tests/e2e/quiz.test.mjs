// Quizzes and the module test in headless Chromium: keyboard use, feedback, results,
// retries, reloads, and storage that is blocked.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, serve, openPage, answerKey } from './harness.mjs';

let browser, site;
before(async () => { browser = await launch(); site = await serve(); });
after(async () => { await site?.close(); await browser?.close(); });

const key1 = answerKey('module-2/quiz-1.md');
const testKey = answerKey('module-2/test.md');

/** Moves the radio selection with arrow keys until the option with original index `want` is checked. */
async function selectByKeyboard(page, want) {
  const radios = page.locator('.question input[type=radio]');
  const values = await radios.evaluateAll((els) => els.map((e) => Number(e.value)));
  // Tab into the group lands on the first option; arrows move and select.
  await page.locator('.question legend').click();
  await page.keyboard.press('Tab');
  const focused = await page.evaluate(() => document.activeElement?.getAttribute('type'));
  assert.equal(focused, 'radio', 'Tab reaches the options');
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('ArrowUp');
  for (let i = 0; i < values.length && Number(await page.evaluate(() => document.activeElement.value)) !== want; i++) {
    await page.keyboard.press('ArrowDown');
  }
  assert.equal(await page.evaluate(() => document.activeElement.checked), true);
  assert.equal(Number(await page.evaluate(() => document.activeElement.value)), want);
  // Focus is visible on the chosen option.
  assert.equal(await page.evaluate(() => document.activeElement.matches(':focus-visible')), true);
}

test('a lesson quiz answered by keyboard alone: feedback at once, then a score', async () => {
  const page = await openPage(browser, `${site.url}#/module-2/quiz-1`);
  await page.waitForSelector('.question');
  assert.equal(await page.getAttribute('.question fieldset .options', 'role'), 'presentation');
  for (const [i, q] of key1.entries()) {
    assert.equal(await page.textContent('.quiz-progress'), `Question ${i + 1} of ${key1.length}`);
    // Answer the first question wrong, the rest right.
    const want = i === 0 ? (q.correct + 1) % q.count : q.correct;
    await selectByKeyboard(page, want);
    await page.keyboard.press('Enter');
    await page.waitForSelector('.live .feedback');
    const feedback = await page.textContent('.live .feedback');
    assert.match(feedback, i === 0 ? /^Not quite\./ : /^Right\./);
    assert.equal(await page.getAttribute('.live', 'aria-live'), 'polite');
    // Focus lands on the feedback; the next button is one Tab away, and Enter presses it.
    await page.waitForFunction(() => document.activeElement?.matches('.live .feedback'));
    await page.keyboard.press('Tab');
    assert.match(await page.evaluate(() => document.activeElement.textContent), /Next question|See your score/);
    await page.keyboard.press('Enter');
    // The new question's prompt takes focus, so reading continues there.
    if (i + 1 < key1.length) await page.waitForFunction(() => document.activeElement?.matches('.question legend'));
  }
  await page.waitForSelector('.results');
  assert.equal(await page.textContent('.results h2'), `You scored ${key1.length - 1} of ${key1.length}`);
  await page.waitForSelector('.step[data-step="quiz-1"].done');
  assert.match(await page.getAttribute('.step[data-step="quiz-1"]', 'title'), /best score 4 of 5/);
  assert.deepEqual(page.errors, []);
});

test('a retry reshuffles the options and keeps best and last scores', async () => {
  const page = await openPage(browser, `${site.url}#/module-2/quiz-2`);
  await page.waitForSelector('.question');
  const order = () => page.$$eval('.question input[type=radio]', (els) => els.map((e) => e.value).join(''));
  const firstOrders = [];
  const key2 = answerKey('module-2/quiz-2.md');
  for (const q of key2) {
    firstOrders.push(await order());
    await page.check(`.question input[value="${q.correct}"]`);
    await page.click('button:text("Check answer")');
    await page.click('.quiz-actions button');
  }
  await page.waitForSelector('.results');
  assert.equal(await page.textContent('.results h2'), `You scored 5 of 5`);
  await page.click('button:text("Try the quiz again")');
  await page.waitForSelector('.question');
  const secondOrders = [];
  for (const q of key2) {
    secondOrders.push(await order());
    await page.check(`.question input[value="${(q.correct + 1) % q.count}"]`);
    await page.click('button:text("Check answer")');
    await page.click('.quiz-actions button');
  }
  assert.notDeepEqual(secondOrders, firstOrders, 'a retry shows the options in a new order');
  await page.waitForSelector('.results');
  assert.equal(await page.textContent('.score-record'), 'Best score 5 of 5 · last 0 of 5');
});

test('the module test: no feedback until submitted, failed at 11 of 15, passed at 12 of 15', async () => {
  const page = await openPage(browser, `${site.url}#/module-2/test`);
  const take = async (rightCount) => {
    await page.waitForSelector('.question');
    for (const [i, q] of testKey.entries()) {
      await page.check(`.question input[value="${i < rightCount ? q.correct : (q.correct + 1) % q.count}"]`);
      assert.equal(await page.locator('.live .feedback').count(), 0, 'no feedback before submitting');
      if (i + 1 < testKey.length) await page.click('button:text("Next question →")');
    }
    await page.click('button:text("Submit the test")');
    await page.waitForSelector('.results');
  };
  await take(11);
  assert.equal(await page.textContent('.results h2'), 'You scored 11 of 15');
  assert.match(await page.textContent('.verdict-line'), /^Not passed yet: 73%/);
  assert.equal(await page.locator('.review-item.wrong').count(), 4);
  // Each wrong item shows the learner's answer, the right one, and why.
  const wrong = page.locator('.review-item.wrong').first();
  assert.match(await wrong.textContent(), /Your answer: .*Correct answer: .*Why: /s);
  assert.equal(await page.getAttribute('.step[data-step="test"]', 'data-status'), 'failed');

  await page.click('button:text("Retake the test")');
  await take(12);
  assert.equal(await page.textContent('.results h2'), 'You scored 12 of 15');
  assert.match(await page.textContent('.verdict-line'), /^Passed: 80%/);
  assert.equal(await page.getAttribute('.step[data-step="test"]', 'data-status'), 'passed');
  assert.deepEqual(page.errors, []);
});

test('a reload mid-quiz keeps the answers and the place', async () => {
  const page = await openPage(browser, `${site.url}#/module-2/test`);
  await page.waitForSelector('.question');
  await page.check(`.question input[value="${testKey[0].correct}"]`);
  await page.click('button:text("Next question →")');
  await page.check(`.question input[value="${testKey[1].correct}"]`);
  await page.reload();
  await page.waitForSelector('.question');
  assert.equal(await page.textContent('.quiz-progress'), 'Question 2 of 15');
  assert.equal(await page.isChecked(`.question input[value="${testKey[1].correct}"]`), true);
  await page.click('button:text("← Previous")');
  assert.equal(await page.isChecked(`.question input[value="${testKey[0].correct}"]`), true);
  assert.equal(await page.textContent('.answered'), '2 of 15 answered');
});

test('with storage blocked the quiz still works and says once that progress is not kept', async () => {
  const blockStorage = () => {
    Object.defineProperty(window, 'localStorage', { get() { throw new DOMException('blocked', 'SecurityError'); } });
  };
  const page = await openPage(browser, `${site.url}#/module-2/quiz-3`, { initScript: blockStorage });
  await page.waitForSelector('.question');
  assert.equal(await page.locator('.storage-notice').count(), 1);
  assert.match(await page.textContent('.storage-notice'), /won't be kept/);
  const key3 = answerKey('module-2/quiz-3.md');
  await page.check(`.question input[value="${key3[0].correct}"]`);
  await page.click('button:text("Check answer")');
  assert.match(await page.textContent('.live .feedback'), /^Right\./);
  assert.deepEqual(page.errors, []);
});

test('corrupt saved progress does not crash the app and is set aside', async () => {
  const corrupt = () => { if (!sessionStorage.getItem('seeded')) { localStorage.setItem('aesop.progress', '{"version":2,"progress":'); sessionStorage.setItem('seeded', '1'); } };
  const page = await openPage(browser, `${site.url}#/module-2/quiz-1`, { initScript: corrupt });
  await page.waitForSelector('.question');
  assert.match(await page.textContent('.storage-notice'), /damaged/);
  assert.equal(await page.evaluate(() => localStorage.getItem('aesop.progress.unreadable')), '{"version":2,"progress":');
});
