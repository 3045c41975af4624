// A lab's transcript never loses a reply: every change to it is in storage the moment it is
// on the page, through settings changes, failed messages, reloads during and just after a
// stream, and leaving the lab while a reply streams. Drafts are kept apart from progress:
// typing neither rewrites the progress record nor reaches an LMS.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, serve, openPage, say } from './harness.mjs';
import { startLlmServer } from '../tools/llm-server.mjs';

let browser, llm;
before(async () => { browser = await launch(); llm = await startLlmServer(); });
after(async () => { await llm?.close(); await browser?.close(); });

async function labPage(site, options = {}) {
  const page = await openPage(browser, `${site.url}#/module-2/lab-1`, { allowConsoleErrors: true, ...options });
  await page.waitForSelector('.chat');
  await page.waitForSelector('.llm-settings summary:text-matches("AI peer: .* at ")');
  return page;
}

const endpoint = (model) => ({ overlays: { 'llm-config.json': JSON.stringify({ endpoint: `${llm.url}/v1`, model, timeout_s: 5 }) } });
const stored = (page) => page.evaluate(() => localStorage.getItem('aesop.progress') ?? '');
const transcript = async (page) => JSON.parse(await stored(page)).progress.labs['module-2/lab-1'];

test('the issue\'s check: a reply survives a model change, a 429 on the next message and a reload', async () => {
  const site = await serve(endpoint('slow'));
  try {
    const page = await labPage(site);
    await say(page, 'First point, weighted loss.');
    // The reply's first words are on the page; the model changes while it streams.
    await page.waitForSelector('.msg-peer.streaming .msg-text:has-text("You argued")');
    await page.click('.llm-settings summary');
    await page.fill('#llm-model', 'fault-429');
    await page.keyboard.press('Tab');
    await page.waitForSelector('.llm-settings summary:text("AI peer: fault-429 at")');
    // The next message goes as soon as the chat takes one.
    await page.fill('#chat-input', 'Second point.');
    await page.waitForSelector('button[type=submit]:text("Send")', { timeout: 15000 });
    await page.keyboard.press('Enter');
    await page.waitForSelector('.msg-peer .msg-error:text-matches("rate-limiting")');
    assert.match(await page.textContent('.messages'), /Good start/);
    await page.reload();
    await page.waitForSelector('.msg-peer .msg-error:text-matches("rate-limiting")');
    const after = await page.textContent('.messages');
    assert.match(after, /You argued: [“"]First point, weighted loss\.[”"]\. Good start/);
    assert.match(after, /Second point\./);
    assert.equal(await page.locator('.msg-learner').count(), 2);
  } finally { await site.close(); }
});

test('a reload during a stream keeps the earlier reply and what had arrived of this one', async () => {
  const site = await serve(endpoint('peer-model'));
  try {
    const page = await labPage(site);
    await say(page, 'Before the reload.');
    await page.waitForSelector('.msg-peer:not(.streaming) strong:text("Good start")');
    await page.click('.llm-settings summary');
    await page.fill('#llm-model', 'slow');
    await page.keyboard.press('Tab');
    await say(page, 'During the reload.');
    await page.waitForSelector('.msg-peer.streaming .msg-text:has-text("You argued")');
    const partial = (await page.locator('.msg-peer.streaming .msg-text').textContent()).trim();
    await page.reload();
    await page.waitForSelector('.chat');
    const peers = page.locator('.msg-peer:not(.streaming) .msg-text');
    await page.waitForFunction(() => document.querySelectorAll('.msg-peer:not(.streaming)').length === 3, null, { timeout: 5000 })
      .catch(async () => assert.fail(`after the reload: ${await page.evaluate(() => JSON.stringify(localStorage))}`));
    // Cut by the unload (the request's own end) or found streaming on load: either way marked.
    assert.match(await page.locator('.msg-peer').last().textContent(), /cut off/);
    // The opener, the first reply, and the one interrupted by the reload.
    assert.equal(await peers.count(), 3);
    assert.match(await peers.nth(1).textContent(), /Before the reload\.[”"]\. Good start/);
    const kept = (await peers.nth(2).textContent()).trim();
    assert.ok(kept.length >= partial.length && kept.startsWith(partial.slice(0, 10)), `kept "${kept}", had "${partial}"`);
    assert.equal(await page.locator('.msg-learner').count(), 2);
    assert.equal(await page.locator('button:text("Stop")').count(), 0, 'nothing is left streaming');
    // The interrupted reply can be asked for again.
    assert.equal(await page.locator('button:text("Retry this reply")').count(), 1);
    const t = await transcript(page);
    assert.ok(['cut', 'failed'].includes(t.entries.at(-1).state.state), JSON.stringify(t.entries.at(-1).state));
    assert.ok(t.entries.at(-1).text.length >= partial.length - 5, 'the text that arrived is stored');
  } finally { await site.close(); }
});

test('a reply is in storage the moment it is on the page, and a reload right after keeps it', async () => {
  const site = await serve(endpoint('peer-model'));
  try {
    const page = await labPage(site);
    // Each time a finished reply appears, look in storage in the same instant.
    await page.evaluate(() => {
      window.__seen = [];
      new MutationObserver(() => {
        for (const el of document.querySelectorAll('.msg-peer:not(.streaming) .msg-text')) {
          if (el.__checked || !el.textContent.includes('Good start')) continue;
          el.__checked = true;
          const onPage = document.querySelector('.messages').textContent.split('Good start').length - 1;
          const inStorage = (localStorage.getItem('aesop.progress') ?? '').split('Good start').length - 1;
          window.__seen.push({ onPage, inStorage });
        }
      }).observe(document.body, { childList: true, subtree: true });
    });
    for (const [i, m] of ['Alpha', 'Bravo', 'Charlie'].entries()) {
      await say(page, m);
      await page.waitForFunction((n) => window.__seen.length === n, i + 1);
    }
    for (const s of await page.evaluate(() => window.__seen)) assert.equal(s.inStorage, s.onPage, JSON.stringify(s));
    await page.reload();
    await page.waitForSelector('.msg-learner >> nth=2');
    assert.equal(await page.locator('.msg-peer:not(.streaming) strong:text("Good start")').count(), 3);
  } finally { await site.close(); }
});

test('leaving the lab while a reply streams neither crashes nor loses it: it is there on return', async () => {
  const site = await serve(endpoint('slow'));
  try {
    const page = await labPage(site);
    await say(page, 'Leave while it streams.');
    await page.waitForSelector('.msg-peer.streaming .msg-text:has-text("You argued")');
    await page.evaluate(() => { location.hash = '#/module-2/lesson-1'; });
    await page.waitForSelector('article.lesson');
    // The reply finishes while the learner reads the lesson.
    await page.waitForFunction(() => (localStorage.getItem('aesop.progress') ?? '').includes('Good start'), null, { timeout: 15000 });
    await page.evaluate(() => { location.hash = '#/module-2/lab-1'; });
    await page.waitForSelector('.msg-peer:not(.streaming) strong:text("Good start")');
    assert.equal(await page.locator('.msg-peer .msg-error, .msg-peer .msg-cut').count(), 0);
    assert.equal(await page.evaluate(() => document.getElementById('fatal')?.hidden ?? true), true, 'no crash');
    assert.deepEqual(page.errors, []);
    // Back mid-reply: the chat shows the reply still arriving, and it completes.
    await say(page, 'Again.');
    await page.waitForSelector('.msg-peer.streaming .msg-text:has-text("You argued")');
    await page.evaluate(() => { location.hash = '#/module-2/lesson-1'; });
    await page.waitForSelector('article.lesson');
    await page.evaluate(() => { location.hash = '#/module-2/lab-1'; });
    await page.waitForSelector('.msg-peer.streaming .msg-text:has-text("You argued")');
    await page.waitForSelector('.msg-peer:not(.streaming) .msg-text:has-text("Again.")', { timeout: 15000 });
    assert.equal(await page.locator('.msg-peer:not(.streaming) strong:text("Good start")').count(), 2);
  } finally { await site.close(); }
});

test('typing a draft writes no progress, is written once typing pauses, and survives a reload', async () => {
  const site = await serve(endpoint('peer-model'));
  // Count every localStorage write, by key.
  const countWrites = () => {
    window.__writes = {};
    const set = Storage.prototype.setItem;
    Storage.prototype.setItem = function (k, v) { window.__writes[k] = (window.__writes[k] ?? 0) + 1; return set.call(this, k, v); };
  };
  try {
    const page = await labPage(site, { initScript: countWrites });
    await say(page, 'A first message.');
    await page.waitForSelector('.msg-peer:not(.streaming) strong:text("Good start")');
    const progressBefore = await stored(page);
    await page.evaluate(() => { window.__writes = {}; });
    await page.locator('#chat-input').pressSequentially('A draft typed one key at a time, forty keys.', { delay: 20 });
    const writes = await page.evaluate(() => window.__writes);
    assert.equal(writes['aesop.progress'] ?? 0, 0, `progress rewritten while typing: ${JSON.stringify(writes)}`);
    assert.equal(await stored(page), progressBefore);
    // Debounced: written once typing pauses, not per key.
    await page.waitForFunction(() => localStorage.getItem('aesop.lab.draft.module-2/lab-1') === 'A draft typed one key at a time, forty keys.');
    const draftWrites = await page.evaluate(() => window.__writes['aesop.lab.draft.module-2/lab-1'] ?? 0);
    assert.ok(draftWrites >= 1 && draftWrites <= 3, `${draftWrites} draft writes for 44 keys`);
    assert.ok(!(await stored(page)).includes('A draft typed'), 'the draft is not in progress');
    await page.reload();
    await page.waitForSelector('.chat');
    assert.equal(await page.inputValue('#chat-input'), 'A draft typed one key at a time, forty keys.');
    // Sending clears it.
    await page.focus('#chat-input');
    await page.keyboard.press('Enter');
    await page.waitForSelector('.msg-learner:has-text("A draft typed")');
    assert.equal(await page.evaluate(() => localStorage.getItem('aesop.lab.draft.module-2/lab-1')), null);
  } finally { await site.close(); }
});

test('a draft typed just before the tab closes is kept', async () => {
  const site = await serve(endpoint('peer-model'));
  try {
    const page = await labPage(site);
    await page.locator('#chat-input').pressSequentially('closing now', { delay: 5 });
    // No pause for the debounce: the page is hidden at once.
    const context = page.context();
    const reopened = await context.newPage();
    await page.close({ runBeforeUnload: true });
    await reopened.goto(`${site.url}#/module-2/lab-1`);
    await reopened.waitForSelector('.chat');
    assert.equal(await reopened.inputValue('#chat-input'), 'closing now');
  } finally { await site.close(); }
});

test('a draft stored in the transcript by an older version moves out of progress and is kept', async () => {
  const site = await serve(endpoint('peer-model'));
  const old = JSON.stringify({ version: 3, progress: { steps: {}, labs: { 'module-2/lab-1': { entries: [{ speaker: 'learner', text: 'Kept message', state: { state: 'complete' } }], draft: 'old half thought' } } } });
  try {
    const page = await openPage(browser, `${site.url}#/module-2/lab-1`, { allowConsoleErrors: true, initScript: `if (!sessionStorage.getItem('seeded')) { sessionStorage.setItem('seeded', '1'); localStorage.setItem('aesop.progress', ${JSON.stringify(old)}); }` });
    await page.waitForSelector('.msg-learner:has-text("Kept message")');
    assert.equal(await page.inputValue('#chat-input'), 'old half thought');
    const t = await transcript(page);
    assert.equal(t.draft, undefined, 'no draft left in progress');
    assert.equal(t.entries[0].text, 'Kept message');
    assert.equal(await page.evaluate(() => localStorage.getItem('aesop.lab.draft.module-2/lab-1')), 'old half thought');
  } finally { await site.close(); }
});

test('inside an LMS, typing a draft makes no SCORM call', async () => {
  const host = `<!doctype html><html><head><title>LMS</title></head><body><script>
    window.calls = []; window.data = {};
    const api = {};
    for (const n of ['Initialize','Terminate','GetValue','SetValue','Commit','GetLastError','GetErrorString','GetDiagnostic']) api[n] = (...a) => { window.calls.push([n, ...a]); if (n === 'SetValue') window.data[a[0]] = a[1]; if (n === 'GetValue') return window.data[a[0]] ?? ''; return n === 'GetLastError' ? '0' : 'true'; };
    window.API_1484_11 = api;
  </script><iframe id="course" src="/courses/ml/index.html#/module-2/lab-1" style="width:100%;height:700px" title="Course"></iframe></body></html>`;
  const site = await serve({ base: '/courses/ml/', pages: { '/lms.html': host }, overlays: { 'llm-config.json': JSON.stringify({ endpoint: `${llm.url}/v1`, model: 'peer-model' }) } });
  try {
    const page = await openPage(browser, `${site.origin}/lms.html`, { allowConsoleErrors: true });
    const f = page.frame({ url: /courses\/ml/ });
    await f.waitForSelector('.chat');
    await f.waitForSelector('.llm-settings summary:text-matches("AI peer: .* at ")');
    await page.waitForTimeout(500);
    const before = await page.evaluate(() => window.calls.length);
    await f.locator('#chat-input').pressSequentially('Typing inside the LMS frame', { delay: 15 });
    await page.waitForTimeout(800);
    const during = await page.evaluate((n) => window.calls.slice(n).map((c) => c[0]), before);
    assert.deepEqual(during.filter((c) => c === 'SetValue' || c === 'Commit'), [], `calls while typing: ${during.join(', ')}`);
    assert.ok(!JSON.stringify(await page.evaluate(() => window.data)).includes('Typing inside'), 'no draft in what the LMS holds');
  } finally { await site.close(); }
});
