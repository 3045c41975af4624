// What an endpoint can do to a reply, each against the local server speaking the real
// OpenAI and Anthropic protocols: stall mid-reply, never stop, send empty keep-alive events,
// answer with plain JSON, end without an end marker, stop at the token limit, refuse with a
// reason (403), ask to wait until a date (Retry-After), echo the key, be blocked by the site's
// own security policy, or put an image in its reply.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { AxeBuilder } from '@axe-core/playwright';
import { launch, say, withLabConfig } from './harness.mjs';
import { startLlmServer } from '../tools/llm-server.mjs';

let browser, llm;
before(async () => { browser = await launch(); llm = await startLlmServer(); });
after(async () => { await llm?.close(); await browser?.close(); });

const withEndpoint = (config, fn) => withLabConfig(browser, { endpoint: `${llm.url}/v1`, timeout_s: 5, ...config }, fn);

const lastPeer = (page) => page.locator('.msg-peer').last();
async function axe(page) {
  const r = await new AxeBuilder({ page }).include('.lab').withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  return r.violations.map((v) => `${v.id}: ${v.nodes.length} × ${v.nodes[0]?.target.join(' ')} (${v.help})`);
}
const storedProgress = (page) => page.evaluate(() => localStorage.getItem('aesop.progress') ?? '');

for (const dialect of ['openai', 'anthropic']) {
  test(`${dialect}: a stream that stalls after its first words is stopped with a clear message, keeping them`, async () => {
    await withEndpoint({ model: 'stall', dialect, idle_timeout_s: 2 }, async (page) => {
      await say(page, 'Stall test');
      await page.waitForSelector('.msg-peer .msg-error', { timeout: 10000 });
      assert.match(await lastPeer(page).locator('.msg-error').textContent(), /stopped sending in the middle of the reply: nothing arrived for 2 seconds/);
      assert.match(await lastPeer(page).locator('.msg-text').textContent(), /^You argu/, 'the partial reply is kept');
      assert.equal(await page.locator('button:text("Retry this reply")').count(), 1, 'a stall can be retried');
      assert.equal(await page.locator('button:text("Stop")').count(), 0, 'the chat is free again');
      assert.match(await storedProgress(page), /stopped sending/);
    });
  });

  test(`${dialect}: a reply that never ends is stopped at the overall cap, keeping what arrived`, async () => {
    await withEndpoint({ model: 'endless', dialect, reply_timeout_s: 3 }, async (page) => {
      await say(page, 'Endless test');
      await page.waitForSelector('.msg-peer .msg-error', { timeout: 10000 });
      assert.match(await lastPeer(page).locator('.msg-error').textContent(), /still arriving after 3 seconds, the longest AESOP waits for one/);
      assert.match(await lastPeer(page).locator('.msg-text').textContent(), /word0 word1/);
    });
  });

  test(`${dialect}: empty data events are keep-alives, not the end`, async () => {
    await withEndpoint({ model: 'empty-data', dialect }, async (page) => {
      await say(page, 'Keep alive');
      await page.waitForSelector('.msg-peer:not(.streaming) strong:text("Good start")', { timeout: 10000 });
      assert.equal(await page.locator('.msg-peer .msg-error, .msg-peer .msg-cut').count(), 0);
      assert.match(await lastPeer(page).textContent(), /800 positive images\?/);
    });
  });

  test(`${dialect}: a plain JSON answer (not streamed) is shown as the reply`, async () => {
    await withEndpoint({ model: 'plain-json', dialect }, async (page) => {
      await say(page, 'Plain please');
      await page.waitForSelector('.msg-peer:not(.streaming) .msg-text:has-text("Not streamed")', { timeout: 10000 });
      assert.match(await lastPeer(page).textContent(), /Not streamed: You argued: .Plain please.\. Good start/);
      assert.equal(await page.locator('.msg-peer .msg-error, .msg-peer .msg-cut').count(), 0, 'not "cut off"');
    });
  });

  test(`${dialect}: a final chunk with a finish reason but no end marker is complete`, async () => {
    await withEndpoint({ model: 'no-done', dialect }, async (page) => {
      await say(page, 'No marker');
      await page.waitForSelector('.msg-peer:not(.streaming) strong:text("Good start")', { timeout: 10000 });
      assert.equal(await page.locator('.msg-peer .msg-error, .msg-peer .msg-cut').count(), 0);
    });
  });

  test(`${dialect}: a reply stopped by the token limit says it was truncated`, async () => {
    await withEndpoint({ model: 'length', dialect }, async (page) => {
      await say(page, 'Long answer');
      await page.waitForSelector('.msg-peer .msg-truncated', { timeout: 10000 });
      assert.match(await page.textContent('.msg-peer .msg-truncated'), /truncated: it reached the model's length limit/);
      assert.equal(await page.locator('.msg-peer .msg-error').count(), 0);
      const [download] = await Promise.all([page.waitForEvent('download'), page.click('button:text("Export as Markdown")')]);
      const { readFileSync } = await import('node:fs');
      assert.match(readFileSync(await download.path(), 'utf8'), /\*\(reply truncated: it reached the model's length limit\)\*/);
      assert.deepEqual(await axe(page), [], 'the truncation note is accessible');
    });
  });

  test(`${dialect}: a 403 shows the server's own reason, not a key problem, and no Retry`, async () => {
    await withEndpoint({ model: 'fault-403', dialect }, async (page) => {
      await say(page, 'Forbidden');
      await page.waitForSelector('.msg-peer .msg-error', { timeout: 10000 });
      const shown = await page.textContent('.msg-peer .msg-error');
      assert.match(shown, dialect === 'openai' ? /refused this request \(403\): "Country, region, or territory not supported"/ : /refused this request \(403\): "Your organization does not have access to this model"/);
      assert.doesNotMatch(shown, /API key/);
      assert.equal(await page.locator('button:text("Retry this reply")').count(), 0);
    });
  });
}

test('Retry-After as an HTTP date is read', async () => {
  await withEndpoint({ model: 'fault-429-date' }, async (page) => {
    await say(page, 'Rate me');
    await page.waitForSelector('.msg-peer .msg-error', { timeout: 10000 });
    assert.match(await page.textContent('.msg-peer .msg-error'), /rate-limiting requests\. Try again in 10 minutes\./);
    assert.equal(await page.locator('button:text("Retry this reply")').count(), 1);
  });
});

test('Retry is offered only where retrying can help', async () => {
  for (const [model, retry] of [['fault-400', false], ['fault-401', false], ['fault-404', false], ['fault-malformed', false], ['fault-500', true], ['fault-429', true], ['fault-cut', true]]) {
    await withEndpoint({ model }, async (page) => {
      await say(page, `Retry judgement for ${model}`);
      await page.waitForSelector('.msg-peer .msg-error', { timeout: 10000 });
      assert.equal(await page.locator('button:text("Retry this reply")').count(), retry ? 1 : 0, model);
      // After a reload too: the judgement is stored with the reply.
      await page.reload();
      await page.waitForSelector('.msg-peer .msg-error');
      assert.equal(await page.locator('button:text("Retry this reply")').count(), retry ? 1 : 0, `${model} after a reload`);
      // The message can always be edited and sent again.
      assert.equal(await page.locator('button:text("Edit and resend")').count(), 1);
    });
  }
});

test('the key never shows or is stored, even when the endpoint sends it back', async () => {
  const key = 'sk-test-0123456789abcdefghij';
  for (const model of ['fault-echo-key', 'echo-key']) {
    await withEndpoint({ model }, async (page) => {
      await page.click('.llm-settings summary');
      await page.fill('#llm-key', key);
      await page.keyboard.press('Tab');
      await say(page, 'Echo my key');
      await page.waitForSelector(model === 'echo-key' ? '.msg-peer:not(.streaming) .msg-text:has-text("carried the key")' : '.msg-peer .msg-error', { timeout: 10000 });
      assert.match(await lastPeer(page).textContent(), /\[key removed\]/);
      assert.ok(!(await page.content()).includes('0123456789abcdef'), 'not on the page');
      const stored = await page.evaluate(() => JSON.stringify(localStorage));
      assert.ok(!stored.includes('0123456789abcdef'), 'not in localStorage');
      const [download] = await Promise.all([page.waitForEvent('download'), page.click('button:text("Export as Markdown")')]);
      const { readFileSync } = await import('node:fs');
      assert.ok(!readFileSync(await download.path(), 'utf8').includes('0123456789abcdef'), 'not in the export');
    });
  }
});

test("an endpoint outside the site's connect-src is named as blocked by the policy, with the setting that allows it", async () => {
  // The built policy allows http://127.0.0.1:* and http://localhost:*; 127.0.0.2 is loopback too, but not listed.
  const blocked = llm.url.replace('127.0.0.1', '127.0.0.2');
  await withEndpoint({ endpoint: `${blocked}/v1`, model: 'peer-model' }, async (page) => {
    // Settings warns before anything is sent.
    await page.click('.llm-settings summary');
    assert.match(await page.textContent('.llm-settings .settings-warning'), new RegExp(`security policy does not allow connections to ${blocked.replace(/\./g, '\\.')}.*"connect_src" in llm-config\\.json`));
    await say(page, 'Blocked?');
    await page.waitForSelector('.msg-peer .msg-error', { timeout: 10000 });
    const shown = await page.textContent('.msg-peer .msg-error');
    assert.match(shown, new RegExp(`does not allow connections to ${blocked.replace(/\./g, '\\.')}`));
    assert.match(shown, new RegExp(`adding "${blocked.replace(/\./g, '\\.')}" to "connect_src" in llm-config\\.json`));
    assert.doesNotMatch(shown, /OLLAMA_ORIGINS|CORS:/, 'no CORS advice');
    assert.equal(await page.locator('button:text("Retry this reply")').count(), 0);
    assert.deepEqual(await axe(page), [], 'the warning and the message are accessible');
    // An allowed endpoint gets no warning.
    await page.fill('#llm-endpoint', `${llm.url}/v1`);
    await page.keyboard.press('Tab');
    await page.waitForFunction(() => !document.querySelector('.llm-settings .settings-warning'));
  });
});

test('an image in a reply is shown as a link and never fetched', async () => {
  const before = llm.pixels.length;
  await withEndpoint({ model: 'image' }, async (page) => {
    await say(page, 'Show me');
    await page.waitForSelector('.msg-peer:not(.streaming) .msg-text:has-text("as promised")', { timeout: 10000 });
    assert.equal(await page.locator('.messages img').count(), 0);
    const link = page.locator('.messages a.reply-image');
    assert.match(await link.textContent(), /loss curve/);
    assert.match(await link.getAttribute('href'), /\/pixel\.png\?from=reply$/);
    await page.waitForTimeout(300);
    assert.equal(llm.pixels.length, before, 'the image was not requested');
  });
});
