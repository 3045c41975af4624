// Hosting anywhere and inside an LMS: an iframe under a sub-path, host pages with a
// recording SCORM 1.2 and 2004 API, height messages, resume from suspend data with the
// browser's storage blocked, progress export/import, and offline after a first visit.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { launch, serve, openPage, answerKey, readContent, loadDemos } from './harness.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

const testKey = answerKey('module-2/test.md');

// A host page in the LMS's place: a SCORM API that records every call, and a listener
// that records every message the course posts.
const hostPage = (version, suspend = '') => `<!doctype html><html><head><title>LMS</title></head><body>
<script>
  window.calls = []; window.messages = []; window.data = { 'cmi.suspend_data': ${JSON.stringify(suspend)} };
  const rec = (name) => (...args) => { window.calls.push([name, ...args]); if (name.endsWith('SetValue')) window.data[args[0]] = args[1]; if (name.endsWith('GetValue')) return window.data[args[0]] ?? ''; return 'true'; };
  const api = {};
  for (const n of ${version === '1.2' ? "['LMSInitialize','LMSFinish','LMSGetValue','LMSSetValue','LMSCommit','LMSGetLastError','LMSGetErrorString','LMSGetDiagnostic']" : "['Initialize','Terminate','GetValue','SetValue','Commit','GetLastError','GetErrorString','GetDiagnostic']"}) api[n] = rec(n);
  window.${version === '1.2' ? 'API' : 'API_1484_11'} = api;
  addEventListener('message', (e) => window.messages.push(e.data));
</script>
<iframe id="course" src="/courses/ml/index.html#/module-2/test" style="width:100%;height:600px" title="Course"></iframe>
</body></html>`;

const blockStorage = () => {
  if (window.top !== window) Object.defineProperty(window, 'localStorage', { get() { throw new DOMException('blocked', 'SecurityError'); } });
};

async function passTestInFrame(frame, right) {
  await frame.waitForSelector('.question');
  for (const [i, q] of testKey.entries()) {
    await frame.check(`.question input[value="${i < right ? q.correct : (q.correct + 1) % q.count}"]`);
    if (i + 1 < testKey.length) await frame.click('button:text("Next question →")');
  }
  await frame.click('button:text("Submit the test")');
  await frame.waitForSelector('.results');
}

for (const version of ['1.2', '2004']) {
  test(`SCORM ${version}: passing the test in an iframe under a sub-path records score and status`, async () => {
    const site = await serve({ base: '/courses/ml/', pages: { '/lms.html': hostPage(version) } });
    try {
      const page = await openPage(browser, `${site.origin}/lms.html`, { initScript: blockStorage });
      const f = page.frame({ url: /courses\/ml/ });
      await f.waitForSelector('html.embed');
      await passTestInFrame(f, 13);
      const data = await page.evaluate(() => window.data);
      const calls = await page.evaluate(() => window.calls.map((c) => c[0]));
      if (version === '1.2') {
        assert.equal(calls[0], 'LMSInitialize');
        assert.equal(data['cmi.core.score.raw'], '86');
        assert.equal(data['cmi.core.score.min'], '0');
        assert.equal(data['cmi.core.score.max'], '100');
        assert.equal(data['cmi.core.lesson_status'], 'passed');
        assert.ok(data['cmi.suspend_data'].length <= 4096);
      } else {
        assert.equal(calls[0], 'Initialize');
        assert.equal(data['cmi.score.scaled'], '0.86');
        assert.equal(data['cmi.score.raw'], '86');
        assert.equal(data['cmi.success_status'], 'passed');
        assert.equal(data['cmi.completion_status'], 'incomplete');
      }
      assert.ok(calls.includes(version === '1.2' ? 'LMSCommit' : 'Commit'));
      assert.equal(data[version === '1.2' ? 'cmi.core.exit' : 'cmi.exit'], 'suspend', 'unfinished work is suspended, so the next launch resumes it');
      // Height and learning events reach the host page.
      const messages = await page.evaluate(() => window.messages);
      assert.ok(messages.some((m) => m.type === 'aesop:resize' && m.height > 100), JSON.stringify(messages.slice(0, 3)));
      assert.ok(messages.some((m) => m.context === 'h5p' && m.action === 'resize' && m.scrollHeight > 100));
      assert.ok(messages.some((m) => m.subject === 'lti.frameResize'));
      assert.ok(messages.some((m) => m.type === 'aesop:event' && m.event === 'test-passed' && m.correct === 13 && m.total === 15));
      // Leaving the course ends the session: time recorded, committed, terminated last.
      await page.evaluate(() => document.getElementById('course').remove());
      await page.waitForFunction((fin) => window.calls.some((c) => c[0] === fin), version === '1.2' ? 'LMSFinish' : 'Terminate');
      const end = await page.evaluate(() => window.calls.slice(-3));
      assert.equal(end[2][0], version === '1.2' ? 'LMSFinish' : 'Terminate');
      const time = await page.evaluate((k) => window.data[k], version === '1.2' ? 'cmi.core.session_time' : 'cmi.session_time');
      assert.match(time, version === '1.2' ? /^\d{4}:\d{2}:\d{2}$/ : /^PT\d+H\d+M\d+S$/);
    } finally { await site.close(); }
  });
}

test('with storage blocked, progress resumes from SCORM suspend data', async () => {
  // First visit: answer two questions and leave; the host keeps the suspend data it was given.
  const site = await serve({ base: '/courses/ml/', pages: { '/lms.html': hostPage('1.2') } });
  let suspend;
  try {
    const page = await openPage(browser, `${site.origin}/lms.html`, { initScript: blockStorage });
    const f = page.frame({ url: /courses\/ml/ });
    await f.waitForSelector('.question');
    await f.check(`.question input[value="${testKey[0].correct}"]`);
    await f.click('button:text("Next question →")');
    await f.check(`.question input[value="${testKey[1].correct}"]`);
    await page.evaluate(() => document.getElementById('course').remove());
    await page.waitForFunction(() => window.calls.some((c) => c[0] === 'LMSFinish'));
    suspend = await page.evaluate(() => window.data['cmi.suspend_data']);
    assert.match(suspend, /"current":1/);
  } finally { await site.close(); }
  const again = await serve({ base: '/courses/ml/', pages: { '/lms.html': hostPage('1.2', suspend) } });
  try {
    const page = await openPage(browser, `${again.origin}/lms.html`, { initScript: blockStorage });
    const f = page.frame({ url: /courses\/ml/ });
    await f.waitForSelector('.question');
    assert.equal(await f.textContent('.quiz-progress'), 'Question 2 of 15');
    assert.equal(await f.isChecked(`.question input[value="${testKey[1].correct}"]`), true);
    assert.equal(await f.locator('.storage-notice').count(), 0, 'inside an LMS the notice does not claim progress is lost');
  } finally { await again.close(); }
});

// On a real LMS each Commit is a synchronous request: answering sends nothing; the submit
// sends the score and status and commits once; hiding the page commits what changed since.
test('taking the test sends no SetValue or Commit until it is submitted, then commits once', async () => {
  const site = await serve({ base: '/courses/ml/', pages: { '/lms.html': hostPage('2004') } });
  try {
    const page = await openPage(browser, `${site.origin}/lms.html`, { initScript: blockStorage });
    const f = page.frame({ url: /courses\/ml/ });
    await f.waitForSelector('.question');
    // The course reports once as it starts.
    await page.waitForFunction(() => window.calls.some((c) => c[0] === 'Commit'));
    const count = () => page.evaluate(() => ({ set: window.calls.filter((c) => c[0] === 'SetValue').length, commit: window.calls.filter((c) => c[0] === 'Commit').length }));
    const start = await count();
    await passTestInFrame(f, 13);
    const done = await count();
    const taken = { set: done.set - start.set, commit: done.commit - start.commit };
    console.log(`[lms] taking the test (15 answers, submit): ${taken.set} SetValue, ${taken.commit} Commit`);
    assert.equal(taken.commit, 1, 'one Commit, at the submit');
    assert.ok(taken.set <= 7, `${taken.set} SetValues: suspend data, score (4), success and completion`);
    // A retake's answers wait too, until the page is hidden: then they are committed.
    await f.click('button:text("Retake the test")');
    await f.check(`.question input[value="${testKey[0].correct}"]`);
    await f.waitForTimeout(300);
    assert.deepEqual(await count(), done);
    await f.evaluate(() => {
      Object.defineProperty(document, 'visibilityState', { value: 'hidden', configurable: true });
      document.dispatchEvent(new Event('visibilitychange', { bubbles: true })); // as the browser's own does
    });
    await page.waitForFunction((n) => window.calls.filter((c) => c[0] === 'Commit').length > n, done.commit);
    assert.match(await page.evaluate(() => window.data['cmi.suspend_data']), /"number":2/);
  } finally { await site.close(); }
});

test('?embed=1 gives compact chrome outside a frame too', async () => {
  const site = await serve();
  try {
    const page = await openPage(browser, `${site.url}?embed=1#/module-2/lesson-1`);
    await page.waitForSelector('html.embed .lesson h1');
  } finally { await site.close(); }
});

test('progress exports to a file and imports back; a bad file is refused and changes nothing', async () => {
  const site = await serve();
  try {
    const page = await openPage(browser, `${site.url}#/module-2/lesson-1`);
    await page.waitForSelector('.lesson h1');
    await page.locator('.lesson-end').scrollIntoViewIfNeeded();
    await page.waitForSelector('.step[data-step="lesson-1"].done');
    await page.goto(`${site.url}#/module-2`);
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('button:text("Export progress")')]);
    const exported = await download.path();
    const dir = mkdtempSync(join(tmpdir(), 'aesop-'));
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, '{"version": 99, "progress": {}}');
    await page.setInputFiles('#import-progress', bad);
    await page.waitForSelector('.progress-message .error');
    assert.match(await page.textContent('.progress-message'), /not imported: .*newer version.*Nothing changed/);
    assert.equal(await page.getAttribute('.step[data-step="lesson-1"]', 'data-status'), 'done');
    page.once('dialog', (d) => d.accept());
    await page.click('button:text("Reset progress")');
    await page.waitForSelector('.step[data-step="lesson-1"][data-status="notstarted"]');
    page.once('dialog', (d) => d.accept());
    await page.setInputFiles('#import-progress', exported);
    await page.waitForSelector('.step[data-step="lesson-1"].done');
  } finally { await site.close(); }
});

// The first visit precaches the reader and all content; the full app (demos, quizzes, labs)
// is cached when first fetched, so a first visit that reached a demo has it all offline.
test('after a first visit the site works offline', async () => {
  const site = await serve();
  const page = await openPage(browser, `${site.url}#/module-2/lesson-2`);
  await page.waitForSelector('.lesson h1');
  await page.evaluate(() => navigator.serviceWorker.ready);
  await page.waitForFunction(() => navigator.serviceWorker.controller !== null || location.reload());
  await page.waitForSelector('.lesson h1');
  await loadDemos(page);
  // Ten seconds after the page's own downloads are in (no demo trained here), the full app
  // reads every step's file, and the service worker keeps each as it passes: pages not
  // visited work offline too.
  // (Polled from here: waitForFunction does not wait for a promise to settle.)
  const kept = () => page.evaluate(() => caches.match(new URL('content/module-2/quiz-4.md', document.baseURI).href).then(Boolean));
  for (const end = Date.now() + 30000; !(await kept()); await page.waitForTimeout(200)) {
    assert.ok(Date.now() < end, 'a page not visited was not kept for offline use within 30 s');
  }
  await site.close();
  await page.context().setOffline(true);
  await page.reload();
  await page.waitForSelector('.lesson h1');
  await page.goto(page.url().replace('lesson-2', 'quiz-4'));
  await page.waitForSelector('.question');
});

test('a host edits a lesson after a learner has visited: the next visit shows the edit', async () => {
  const overlays = {};
  const site = await serve({ overlays });
  try {
    const page = await openPage(browser, `${site.url}#/module-2/lesson-2`);
    await page.waitForSelector('.lesson h1');
    await page.evaluate(() => navigator.serviceWorker.ready);
    await page.waitForFunction(() => navigator.serviceWorker.controller !== null || location.reload());
    await page.waitForSelector('.lesson h1');
    // The host changes the title in the deployed content; no rebuild, so the worker is the same.
    overlays['content/module-2/lesson-2.md'] = readContent('module-2/lesson-2.md').replace(/^title: .*$/m, 'title: Edited By The Host');
    await page.reload();
    await page.waitForSelector('.lesson h1:text("Edited By The Host")');
    // Offline, the last version seen is served from the cache.
    await page.context().setOffline(true);
    await page.reload();
    await page.waitForSelector('.lesson h1:text("Edited By The Host")');
  } finally { await site.close(); }
});
