// Leaving a lesson while its demos are still loading (issue 33): their files, the engine's
// compile, timers and worker replies all finish after the lesson is gone, and none of them may
// touch a disposed reactive value (a panic, then a trap in wasm). Each lesson is left 5 to 50 ms
// after it opens, many times, in the full app; any panic or uncaught error fails the test.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, serve, openPage } from './harness.mjs';

const ROUNDS = 50;

let browser, site;
before(async () => { browser = await launch(); site = await serve(); });
after(async () => { await site?.close(); await browser?.close(); });

test(`leaving a lesson 5 to 50 ms after opening it, ${ROUNDS} times per lesson, panics nowhere`, async () => {
  // The playground needs the full app: from then on every lesson opens in it, demos and all.
  const page = await openPage(browser, `${site.url}#/module-2/playground`);
  await page.waitForSelector('.demo[data-demo="playground"] .pg-data');
  const go = (route) => page.evaluate((r) => { location.hash = r; }, route);
  for (const n of [1, 2, 3, 4]) {
    for (let i = 0; i < ROUNDS; i++) {
      await go(`#/module-2/lesson-${n}`);
      // Spread over 5 to 50 ms: the demos' files are in flight, some demos mounted.
      await page.waitForTimeout(5 + ((i * 47) % 46));
      await go('#/module-2/playground');
      await page.waitForSelector('.demo[data-demo="playground"] .pg-data');
    }
    // A lesson left alone long enough to load everything, then left: still nothing.
    await go(`#/module-2/lesson-${n}`);
    await page.waitForSelector('.demo .demo-title');
    await go('#/module-2/playground');
    await page.waitForTimeout(300);
    assert.deepEqual(page.errors, [], `lesson ${n}`);
  }
  assert.equal(await page.isHidden('#fatal'), true, 'no "something went wrong" notice');
});
