// The course against a real SCORM runtime: scorm-again 3.4.3 (an independent SCORM 1.2 and
// 2004 implementation from npm) in a host page that plays the LMS, the course in an iframe
// under a sub-path. Every call's SCORM error code is recorded, and none may be non-zero.
// A launch after the first starts the way a conforming LMS starts it: an attempt that
// ended suspended resumes (`entry = resume`) with its suspend data; any other attempt is
// over, and the next launch is a new one (`ab-initio`) with no data at all. Each launch
// runs in a fresh browser context, so what resumes came from the runtime's data alone.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { launch, serve, answerKey } from './harness.mjs';

const require = createRequire(import.meta.url);
const runtime = {
  '1.2': readFileSync(require.resolve('scorm-again/scorm12'), 'utf8'),
  '2004': readFileSync(require.resolve('scorm-again/scorm2004'), 'utf8'),
};
const testKey = answerKey('module-2/test.md');

let browser;
// What a launch opened, closed here too, so a test that fails half-way cannot keep the
// process (and the suite after it) waiting on an open server.
const open = new Set();
before(async () => { browser = await launch(); });
after(async () => {
  for (const l of open) { await l.context.close().catch(() => {}); await l.site.close().catch(() => {}); }
  await browser?.close();
});

const names = {
  '1.2': { api: 'API', cls: 'Scorm12API', init: 'LMSInitialize', get: 'LMSGetValue', set: 'LMSSetValue', commit: 'LMSCommit', end: 'LMSFinish', entry: 'cmi.core.entry', exit: 'cmi.core.exit' },
  '2004': { api: 'API_1484_11', cls: 'Scorm2004API', init: 'Initialize', get: 'GetValue', set: 'SetValue', commit: 'Commit', end: 'Terminate', entry: 'cmi.entry', exit: 'cmi.exit' },
};

/** The LMS's page: scorm-again, seeded as the LMS would seed this launch, every call recorded. */
const hostPage = (version, previous) => {
  const n = names[version];
  return `<!doctype html><html><head><title>LMS</title></head><body>
<script>${runtime[version]}</script>
<script>
  window.calls = []; window.logs = []; window.data = {};
  const api = new ${n.cls}({ autocommit: false, logLevel: 4, onLogMessage: (level, message) => window.logs.push([level, message]) });
  const previous = ${JSON.stringify(previous ?? null)};
  const core = ${version === '1.2' ? 'api.cmi.core' : 'api.cmi'};
  if (previous && previous.exit === 'suspend') {
    api.loadFromFlattenedJSON({ 'cmi.suspend_data': previous.suspend_data });
    core.entry = 'resume';
  } else {
    core.entry = 'ab-initio';
  }
  for (const name of ['${n.init}', '${n.get}', '${n.set}', '${n.commit}', '${n.end}']) {
    const call = api[name].bind(api);
    api[name] = (...args) => {
      const result = call(...args);
      window.calls.push({ name, args, result, error: String(api.lastErrorCode) });
      if (name === '${n.set}' && String(api.lastErrorCode) === '0') window.data[args[0]] = args[1];
      return result;
    };
  }
  window.${n.api} = api;
  window.runtimeSuspendData = () => api.cmi.suspend_data;
</script>
<iframe id="course" src="/courses/ml/index.html#/module-2/test" style="width:100%;height:700px" title="Course"></iframe>
</body></html>`;
};

/** One launch of the course: a fresh browser context, the LMS's page, the course's frame. */
async function start(version, previous) {
  const site = await serve({ base: '/courses/ml/', pages: { '/lms.html': hostPage(version, previous) } });
  const context = await browser.newContext();
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.goto(`${site.origin}/lms.html`);
  await page.waitForFunction(() => document.getElementById('course').contentWindow?.location.pathname.includes('courses'));
  const frame = page.frame({ url: /courses\/ml/ });
  const launched = { version, site, context, page, frame, errors };
  open.add(launched);
  return launched;
}

/** Leaves the course as a learner closing it does; returns what the runtime kept. */
async function leave(l) {
  const end = names[l.version].end;
  await l.page.evaluate(() => document.getElementById('course').remove());
  await l.page.waitForFunction((e) => window.calls.some((c) => c.name === e), end);
  const kept = await l.page.evaluate(() => ({ calls: window.calls, data: window.data, logs: window.logs, suspend_data: window.runtimeSuspendData() }));
  await l.context.close();
  await l.site.close();
  open.delete(l);
  assert.deepEqual(l.errors, []);
  const failed = kept.calls.filter((c) => c.error !== '0');
  assert.deepEqual(failed, [], `calls with an error code: ${JSON.stringify(failed)}`);
  assert.equal(kept.calls.at(-1).name, end, 'the session ends last');
  assert.equal(kept.calls.filter((c) => c.name === end).length, 1);
  return { ...kept, exit: kept.data[names[l.version].exit] };
}

const counts = (calls, version) => ({
  set: calls.filter((c) => c.name === names[version].set).length,
  commit: calls.filter((c) => c.name === names[version].commit).length,
});

/** Answers test questions from..to-1 (right for the first `right` of all), moving on after each. */
async function answer(frame, from, to, right) {
  for (let i = from; i < to; i++) {
    const q = testKey[i];
    await frame.waitForSelector(`.quiz-progress:text("Question ${i + 1} of ${testKey.length}")`);
    await frame.check(`.question input[value="${i < right ? q.correct : (q.correct + 1) % q.count}"]`);
    if (i + 1 < testKey.length) await frame.click('button:text("Next question →")');
  }
}

async function submit(frame) {
  await frame.click('button:text("Submit the test")');
  await frame.waitForSelector('.results');
}

/** The first report of a launch has gone (the course commits once as it starts). */
const reported = (l) => l.page.waitForFunction((c) => window.calls.some((x) => x.name === c), names[l.version].commit);

for (const version of ['1.2', '2004']) {
  const n = names[version];
  const status = version === '1.2' ? 'cmi.core.lesson_status' : 'cmi.success_status';
  const raw = version === '1.2' ? 'cmi.core.score.raw' : 'cmi.score.raw';

  test(`scorm-again ${version}: a test left half-way resumes in a fresh browser from the runtime's data alone, then passes; no call errs`, async () => {
    // Launch 1, a new attempt: three answers, then the learner closes the course.
    const first = await start(version);
    await first.frame.waitForSelector('.question');
    await reported(first);
    await answer(first.frame, 0, 3, 15);
    await first.frame.waitForSelector('.quiz-progress:text("Question 4 of 15")');
    const one = await leave(first);
    assert.equal(one.calls.find((c) => c.name === n.get)?.args[0], n.entry, 'asks whether it resumes before anything else');
    assert.ok(!one.calls.some((c) => c.name === n.get && c.args[0] === 'cmi.suspend_data'), 'a new attempt has no suspend data to ask for');
    assert.equal(one.exit, 'suspend', 'work unfinished: the attempt is suspended');
    assert.equal(one.suspend_data, one.data['cmi.suspend_data'], 'the runtime holds what the course sent');
    assert.match(one.suspend_data, /"current":3/);

    // Launch 2, resumed from the runtime's data: the same question, the earlier answers.
    const second = await start(version, one);
    await second.frame.waitForSelector('.quiz-progress:text("Question 4 of 15")');
    await second.frame.click('button:text("← Previous")');
    await second.frame.waitForSelector('.quiz-progress:text("Question 3 of 15")');
    assert.equal(await second.frame.isChecked(`.question input[value="${testKey[2].correct}"]`), true);
    await second.frame.click('button:text("Next question →")');
    await reported(second);
    // Taking the rest of the test sends nothing until it is submitted, then commits once.
    const before = counts(await second.page.evaluate(() => window.calls), version);
    await answer(second.frame, 3, 15, 13);
    const answered = counts(await second.page.evaluate(() => window.calls), version);
    assert.deepEqual(answered, before, 'no SetValue or Commit while answering');
    await submit(second.frame);
    await second.page.waitForFunction(([c, k]) => window.calls.filter((x) => x.name === c).length > k, [n.commit, before.commit]);
    const submitted = counts(await second.page.evaluate(() => window.calls), version);
    console.log(`[scorm-again ${version}] taking the test (12 answers and the submit): ${submitted.set - before.set} SetValue, ${submitted.commit - before.commit} Commit`);
    assert.equal(submitted.commit - before.commit, 1, 'one Commit, at the submit');
    const two = await leave(second);
    assert.equal(two.data[status], 'passed');
    assert.equal(two.data[raw], '86');
    if (version === '2004') {
      assert.equal(two.data['cmi.score.scaled'], '0.86');
      assert.equal(two.data['cmi.completion_status'], 'incomplete', 'the other steps are not done');
    }
    assert.equal(two.exit, 'suspend', 'the module is not finished yet');

    // Launch 3: the passed test shows as passed.
    const third = await start(version, two);
    await third.frame.waitForSelector('.results.passed');
    assert.equal(await third.frame.textContent('.results h2'), 'You scored 13 of 15');
    // The course's navigation (folded away in a frame this narrow) marks the step passed.
    await third.frame.waitForSelector('.step[data-step="test"][data-status="passed"]', { state: 'attached' });
    await leave(third);
  });

  test(`scorm-again ${version}: a failed test is reported failed and resumes as failed, ready to retake; no call errs`, async () => {
    const first = await start(version);
    await first.frame.waitForSelector('.question');
    await answer(first.frame, 0, 15, 10);
    await submit(first.frame);
    await first.frame.waitForSelector('.results.failed');
    const one = await leave(first);
    assert.equal(one.data[status], 'failed');
    assert.equal(one.data[raw], '66');
    assert.equal(one.exit, 'suspend');

    const second = await start(version, one);
    await second.frame.waitForSelector('.results.failed');
    assert.equal(await second.frame.textContent('.results h2'), 'You scored 10 of 15');
    await second.frame.click('button:text("Retake the test")');
    await second.frame.waitForSelector('.quiz-progress:text("Question 1 of 15")');
    await leave(second);
  });
}
