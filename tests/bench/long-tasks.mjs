// Benchmark (not a test): the page's long tasks while a demo trains. Lesson 1's "read the
// curve" (its "Normal training" preset, 40 epochs on the CPU engine) trains three times at full
// speed and three times with the CPU slowed 4x, as on a mid-range phone; for each, the Long
// Tasks API's entries (main-thread tasks over 50 ms) and the longest. The CI test asserts what
// noise cannot break instead: no engine code runs on the main thread (demo.test.mjs).
// Run after a build: node tests/bench/long-tasks.mjs
const { launch, serve, openPage, loadDemos } = await import('../e2e/harness.mjs');

const RUNS = 3;
const d = '.demo[data-demo="read-the-curve"]';
const site = await serve();
const browser = await launch();
try {
  for (const slowdown of [1, 4]) {
    const rows = [];
    for (let i = 0; i < RUNS; i++) {
      const page = await openPage(browser, `${site.url}#/module-2/lesson-1`);
      await loadDemos(page);
      await page.waitForSelector(`${d} button:text-is("Train")`);
      const cdp = await page.context().newCDPSession(page);
      await cdp.send('Emulation.setCPUThrottlingRate', { rate: slowdown });
      await page.evaluate(() => {
        window.longTasks = [];
        new PerformanceObserver((l) => l.getEntries().forEach((e) => window.longTasks.push(e.duration))).observe({ type: 'longtask' });
      });
      await page.click(`${d} button.preset:text("Normal training")`);
      await page.click(`${d} button:text-is("Train")`);
      await page.waitForSelector(`${d} .run-state:text("Done.")`, { timeout: 120000 });
      rows.push(await page.evaluate(() => window.longTasks.map(Math.round)));
      await page.context().close();
    }
    for (const [i, tasks] of rows.entries()) {
      console.log(`CPU ${slowdown}x, run ${i + 1}: ${tasks.length} long tasks${tasks.length ? `, longest ${Math.max(...tasks)} ms (${tasks.join(', ')})` : ''}`);
    }
  }
} finally {
  await browser.close();
  await site.close();
}
