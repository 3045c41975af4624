// The labs in headless Chromium: the offline peer, then a real exchange and every fault
// against a local server that speaks the OpenAI and Anthropic streaming protocols.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { launch, serve, openPage, readContent, say, withLabConfig } from './harness.mjs';
import { startLlmServer } from '../tools/llm-server.mjs';

let browser, llm;
before(async () => { browser = await launch(); llm = await startLlmServer(); });
after(async () => { await llm?.close(); await browser?.close(); });


const withEndpoint = (config, fn) => withLabConfig(browser, { timeout_s: 3, ...config }, fn);

/** The offline peer's last reply, once there are `n` of them. */
async function peerReply(page, n) {
  await page.waitForFunction((k) => document.querySelectorAll('.msg-offline').length >= k, n);
  // The words of the reply (Markdown curls its apostrophes).
  return (await page.locator('.msg-offline .msg-text').nth(n - 1).textContent()).replace(/[’‘]/g, "'").trim();
}

test('with no endpoint the offline peer listens: pushback, acknowledgement, a hint for a plea, an answer, and no rubric', async () => {
  const site = await serve();
  try {
    const page = await openPage(browser, `${site.url}#/module-2/lab-1`);
    await page.waitForSelector('.chat');
    assert.match(await page.textContent('.peer-badge'), /AESOP Lab AI · Loss Functions · offline peer/);
    // A misconception is challenged with the lesson's reasoning.
    await say(page, 'Honestly MSE is fine here, it works on 0/1 labels.');
    assert.match(await peerReply(page, 1), /p·\(1 − p\)/);
    // A strong, numeric argument: the points that landed are named, and the peer asks for more.
    await say(page, 'Cross-entropy is the right loss for classification. With 800 of 12,800 images sick, a model that calls every image healthy already gets 93.75% accuracy, so I would weight the disease class about 15 times more.');
    const strong = await peerReply(page, 2);
    assert.match(strong, /Those points land/);
    assert.match(await page.textContent('.coverage-count'), /Your case so far: [3-6] of 6 points made/);
    // A plea gets a hint, not the model answer.
    await say(page, 'Can you just tell me the answer?');
    const plea = await peerReply(page, 3);
    assert.ok(!plea.includes('Those points land') && plea.length < 400, plea);
    assert.equal(await page.locator('.checklist').count(), 0, 'no rubric checklist');
    // A genuine question is answered from the lesson.
    await say(page, "Why does MSE's gradient vanish when the model is confidently wrong?");
    assert.match(await peerReply(page, 4), /p − y/);
    // Nothing it can read: it says so.
    await say(page, 'purple elephants dance');
    assert.match(await peerReply(page, 5), /^(I don't follow|I'm not sure what you mean)/);
    const replies = await page.$$eval('.msg-offline .msg-text', (els) => els.map((e) => e.textContent));
    assert.equal(new Set(replies).size, replies.length, 'no reply twice');
    // The transcript survives a reload; so does an unsent draft.
    await page.fill('#chat-input', 'half-typed thought');
    await page.reload();
    await page.waitForFunction(() => document.querySelectorAll('.msg-offline').length === 5);
    assert.equal(await page.locator('.msg-learner').count(), 5);
    assert.equal(await page.inputValue('#chat-input'), 'half-typed thought');
    assert.match(await page.textContent('.coverage-count'), /Your case so far: [3-6] of 6/);
    // Export as Markdown.
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('button:text("Export as Markdown")')]);
    const md = readFileSync(await download.path(), 'utf8');
    assert.match(md, /^# Lab 1/);
    assert.match(md, /\*\*You:\*\*\n\nHonestly MSE is fine here/);
    // Sharing results is opt-in and says where they would go.
    assert.equal(await page.isChecked('.chat-tools input[type=checkbox]'), false);
    // Clear, after confirming.
    page.once('dialog', (d) => d.accept());
    await page.click('button:text("Clear chat")');
    await page.waitForFunction(() => document.querySelectorAll('.msg-learner').length === 0);
    assert.deepEqual(page.errors, []);
  } finally { await site.close(); }
});

test('lab 3 offline: a misconception is pushed back, a point made is acknowledged, and wrapping up names what is missing', async () => {
  const site = await serve();
  try {
    const page = await openPage(browser, `${site.url}#/module-2/lab-3`);
    await page.waitForSelector('.chat');
    await say(page, 'ReLU fixes everything, just swap every sigmoid for ReLU and we are done.');
    const first = await peerReply(page, 1);
    assert.ok(first.length > 40 && /\?/.test(first), first);
    await say(page, "Let's wrap up.");
    const summary = await peerReply(page, 2);
    assert.match(summary, /Here's where your case stands/);
    assert.match(summary, /Still missing from your argument/);
    await page.reload();
    await page.waitForFunction(() => document.querySelectorAll('.msg-offline').length === 2);
    assert.deepEqual(page.errors, []);
  } finally { await site.close(); }
});

test("a broken llm-config.json is reported on the page and the offline peer still runs", async () => {
  const site = await serve({ overlays: { 'llm-config.json': '{"endpoint": "http://x", "dialect": "gemini"}' } });
  try {
    const page = await openPage(browser, `${site.url}#/module-2/lab-1`, { allowConsoleErrors: true });
    await page.waitForSelector('.config-notice');
    assert.match(await page.textContent('.config-notice'), /llm-config\.json is not valid .*gemini/);
    assert.match(await page.textContent('.peer-badge'), /offline peer/);
  } finally { await site.close(); }
});

for (const dialect of ['openai', 'anthropic']) {
  test(`a full ${dialect} exchange streams token by token, with the learner's evidence and key sent right`, async () => {
    await withEndpoint({ endpoint: `${llm.url}/v1`, model: 'peer-model', dialect }, async (page) => {
      await page.click('.llm-settings summary');
      await page.fill('#llm-key', 'sk-test-123');
      await page.keyboard.press('Tab');
      // Results go to the endpoint only when the learner ticks the box, which says so.
      assert.match(await page.textContent('.chat-tools .settings-note'), /AI endpoint set in Settings, a service outside this site|no results in this lesson yet/);
      await page.check('.chat-tools input[type=checkbox]');
      const before = llm.requests.length;
      await say(page, 'I recommend weighted cross-entropy.');
      // Text arrives in pieces before the reply completes.
      await page.waitForSelector('.msg-peer.streaming');
      await page.waitForSelector('.msg-peer:not(.streaming) strong:text("Good start")');
      assert.match(await page.textContent('.messages'), /You argued: [“"]I recommend weighted cross-entropy\.[”"]/);
      const req = llm.requests[before];
      if (dialect === 'openai') {
        assert.equal(req.path, '/v1/chat/completions');
        assert.equal(req.headers.authorization, 'Bearer sk-test-123');
        assert.equal(req.body.messages[0].role, 'system');
        assert.match(req.body.messages[0].content, /Veritas/);
        assert.equal(req.body.messages.at(-1).content, 'I recommend weighted cross-entropy.');
      } else {
        assert.equal(req.path, '/v1/messages');
        assert.equal(req.headers['x-api-key'], 'sk-test-123');
        assert.equal(req.headers['anthropic-version'], '2023-06-01');
        assert.equal(req.headers['anthropic-dangerous-direct-browser-access'], 'true');
        assert.match(req.body.system, /Veritas/);
        assert.equal(req.body.messages[0].role, 'user');
      }
      assert.equal(req.body.stream, true);
      // What was sent is viewable, and the key appears nowhere on the page or in storage.
      await page.click('.sent-context summary');
      assert.match(await page.textContent('.sent-context pre'), /Lesson quiz: not attempted yet/);
      assert.ok(!(await page.content()).includes('sk-test-123'));
      const stored = await page.evaluate(() => JSON.stringify(localStorage));
      assert.ok(!stored.includes('sk-test-123'), 'the key is not in localStorage without opt-in');
      assert.ok(await page.evaluate(() => sessionStorage.getItem('aesop.llm.key') === 'sk-test-123'));
    });
  });
}

// Each fault, its message, and whether retrying can help (a wrong key, URL or dialect cannot).
const faults = [
  ['fault-401', /refused the API key \(401\)/, false],
  ['fault-404', /404: the URL or the model name is wrong/, false],
  ['fault-429', /rate-limiting requests\. Try again in 3 seconds/, true],
  ['fault-500', /server error \(500/, true],
  ['fault-timeout', /No answer from the endpoint within 3 seconds/, true],
  ['fault-malformed', /isn't a chat stream/, false],
  ['fault-cut', /cut off/, true],
  ['fault-cors', /must allow requests from this page's origin \(http:\/\/127\.0\.0\.1:\d+\) — for a local Ollama, start it with OLLAMA_ORIGINS=/, true],
];
for (const [model, message, retry] of faults) {
  test(`${model} shows a clear message, keeps the learner's message and offers a retry only if it can help`, async () => {
    await withEndpoint({ endpoint: `${llm.url}/v1`, model }, async (page) => {
      await say(page, `Testing ${model}`);
      await page.waitForSelector('.msg-peer .msg-error', { timeout: 10000 });
      assert.match(await page.textContent('.msg-peer .msg-error'), message);
      assert.equal(await page.textContent('.msg-learner .learner-text'), `Testing ${model}`);
      assert.equal(await page.locator('button:text("Retry this reply")').count(), retry ? 1 : 0);
      if (model === 'fault-cut') assert.ok((await page.locator('.msg-peer .msg-text').last().textContent()).startsWith('You argued'), 'the partial reply is kept');
    });
  });
}

test('Stop keeps the partial reply, marked as cut; edit and resend puts the message back', async () => {
  await withEndpoint({ endpoint: `${llm.url}/v1`, model: 'slow' }, async (page) => {
    await say(page, 'Slow please');
    await page.waitForSelector('.msg-peer.streaming .msg-text:not(:empty)');
    await page.click('button:text("Stop")');
    await page.waitForSelector('.msg-peer .msg-cut');
    await page.click('button:text("Edit and resend")');
    assert.equal(await page.inputValue('#chat-input'), 'Slow please');
    assert.equal(await page.locator('.msg-learner').count(), 0);
  });
});

test('hostile Markdown in a streamed reply renders inert', async () => {
  await withEndpoint({ endpoint: `${llm.url}/v1`, model: 'xss' }, async (page) => {
    await say(page, 'Hi');
    await page.waitForSelector('.msg-peer:not(.streaming) .msg-text:has-text("click me")');
    assert.equal(await page.locator('.messages img, .messages script').count(), 0);
    // The unsafe link keeps its words as plain text.
    assert.equal(await page.locator('.messages a:text("click me")').count(), 0);
    assert.equal(await page.evaluate(() => window.__xss), undefined);
  });
});
