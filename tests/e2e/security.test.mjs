// Hostile input renders inert: an XSS corpus placed in a lesson's Markdown (as a course host
// could, by mistake or malice) and streamed in a model's reply; and the learner's API key
// never leaves the request headers (no URL, log, export or error message carries it).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, serve, openPage, readContent, loadDemos } from './harness.mjs';
import { startLlmServer } from '../tools/llm-server.mjs';

let browser, llm;
before(async () => { browser = await launch(); llm = await startLlmServer(); });
after(async () => { await llm?.close(); await browser?.close(); });

// Each payload, if it ran, would set window.__xss.
const CORPUS = [
  '<script>window.__xss = "script"</script>',
  '<img src=x onerror="window.__xss = \'img\'">',
  '<svg onload="window.__xss = \'svg\'"><script>window.__xss = "svg-script"</script></svg>',
  '<iframe src="javascript:parent.__xss = \'iframe\'"></iframe>',
  '<a href="javascript:window.__xss = \'raw-a\'">raw link</a>',
  '<div onmouseover="window.__xss = \'hover\'">hover me</div>',
  '[md js link](javascript:window.__xss="md-link")',
  '[md data link](data:text/html;base64,PHNjcmlwdD5wYXJlbnQuX194c3M9MTwvc2NyaXB0Pg==)',
  '![md image](javascript:window.__xss="md-img")',
  '<JaVaScRiPt:window.__xss="autolink">',
  '[spaced](  javascript:window.__xss="spaced")',
  '<math><mtext><script>window.__xss = "math"</script></mtext></math>',
  'A formula: $\\text{<img src=x onerror="window.__xss = \'tex\'">}$ and $$\\text{<script>window.__xss = "tex-block"</script>}$$',
].join('\n\n');

async function assertInert(page, scope) {
  assert.equal(await page.evaluate(() => window.__xss), undefined, 'no payload ran');
  const bad = await page.$$eval(`${scope} *`, (els) => els.flatMap((e) => {
    const found = [];
    if (['SCRIPT', 'IFRAME', 'OBJECT', 'EMBED'].includes(e.tagName)) found.push(e.tagName);
    if (e.tagName.toLowerCase() === 'svg' && !e.closest('canvas')) found.push('svg');
    for (const a of e.attributes) {
      if (/^on/i.test(a.name)) found.push(`${e.tagName}[${a.name}]`);
      if (['href', 'src', 'xlink:href', 'action'].includes(a.name) && /^\s*(javascript|data|vbscript):/i.test(a.value)) found.push(`${e.tagName}[${a.name}=${a.value}]`);
    }
    return found;
  }));
  assert.deepEqual(bad, []);
}

test('an XSS corpus in lesson Markdown renders as text, and its unsafe links are no links', async () => {
  const lesson = readContent('module-2/lesson-2.md') + '\n\n## Hostile section\n\n' + CORPUS + '\n';
  const site = await serve({ overlays: { 'content/module-2/lesson-2.md': lesson } });
  try {
    const page = await openPage(browser, `${site.url}#/module-2/lesson-2`);
    await page.waitForSelector('h2:text("Hostile section")');
    // The formulas are typeset (by the math module) before the check: markup in LaTeX is text.
    await page.locator('h2:text("Hostile section")').scrollIntoViewIfNeeded();
    await page.waitForFunction(() => !document.querySelector('.lesson .math-tex'));
    await assertInert(page, '.lesson');
    // The raw HTML shows as text, so a host sees their mistake instead of losing it.
    assert.match(await page.textContent('.lesson'), /<script>window\.__xss = "script"<\/script>/);
    // Unsafe links keep their words as plain text: nothing to click, nowhere to go.
    for (const name of ['md js link', 'md data link', 'md image', 'spaced']) {
      assert.equal(await page.locator(`.lesson a:text("${name}")`).count(), 0, `${name} is not a link`);
      assert.ok((await page.textContent('.lesson')).includes(name), `${name} is still shown`);
    }
    assert.equal(await page.evaluate(() => window.__xss), undefined);
    assert.deepEqual(page.errors, []);
  } finally { await site.close(); }
});

test('the same corpus streamed as a model reply renders inert', async () => {
  const site = await serve({ overlays: { 'llm-config.json': JSON.stringify({ endpoint: `${llm.url}/v1`, model: 'echo', timeout_s: 5 }) } });
  try {
    const page = await openPage(browser, `${site.url}#/module-2/lab-1`, { allowConsoleErrors: true });
    await page.waitForSelector('.llm-settings summary:text-matches("AI peer: .* at ")');
    // The local server echoes the learner's words back inside its reply.
    await page.fill('#chat-input', CORPUS);
    await page.keyboard.press('Enter');
    await page.waitForSelector('.msg-peer:not(.streaming) .msg-text:has-text("You argued")');
    await assertInert(page, '.messages');
    assert.equal(await page.evaluate(() => window.__xss), undefined);
  } finally { await site.close(); }
});

test('the API key never appears in a URL, the console, an export, the page or an error message', async () => {
  const KEY = 'sk-test-NEVER-LEAK-4242';
  const site = await serve({ overlays: { 'llm-config.json': JSON.stringify({ endpoint: `${llm.url}/v1`, model: 'peer-model', timeout_s: 5 }) } });
  try {
    const page = await openPage(browser, `${site.url}#/module-2/lab-1`, { allowConsoleErrors: true });
    const urls = [];
    const logs = [];
    page.on('request', (r) => urls.push(r.url()));
    page.on('console', (m) => logs.push(m.text()));
    await page.waitForSelector('.llm-settings summary:text-matches("AI peer: .* at ")');
    await page.click('.llm-settings summary');
    await page.fill('#llm-key', KEY);
    await page.keyboard.press('Tab');
    await page.fill('#chat-input', 'Weighted cross-entropy.');
    await page.keyboard.press('Enter');
    await page.waitForSelector('.msg-peer:not(.streaming) strong:text("Good start")');
    // A refused key: the error message names the problem, not the key.
    await page.fill('#llm-model', 'fault-401');
    await page.keyboard.press('Tab');
    await page.fill('#chat-input', 'Again.');
    await page.keyboard.press('Enter');
    await page.waitForSelector('.msg-error:has-text("401")');
    const sent = llm.requests.filter((r) => r.headers.authorization === `Bearer ${KEY}`);
    assert.ok(sent.length >= 2, 'the key did go to the endpoint, in its header');
    // The transcript export.
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('button:text-matches("Export|Download")')]);
    const exported = await (await import('node:fs/promises')).readFile(await download.path(), 'utf8');
    assert.ok(exported.length > 50 && !exported.includes(KEY), 'not in the export');
    assert.ok(!urls.some((u) => u.includes(KEY)), 'not in any URL');
    assert.ok(!logs.some((l) => l.includes(KEY)), 'not in the console');
    assert.ok(!(await page.content()).includes(KEY), 'not in the page');
    assert.ok(!(await page.evaluate(() => JSON.stringify(localStorage))).includes(KEY), 'not in localStorage without opt-in');
  } finally { await site.close(); }
});

test('the site runs under a strict Content-Security-Policy with no violation, and an injected inline script is refused', async () => {
  const site = await serve();
  try {
    const page = await openPage(browser, `${site.url}#/module-2/lesson-3`, {
      initScript: () => {
        window.cspViolations = [];
        document.addEventListener('securitypolicyviolation', (e) => window.cspViolations.push(`${e.violatedDirective} ${e.blockedURI}`));
      },
    });
    const policy = await page.getAttribute('meta[http-equiv="Content-Security-Policy"]', 'content');
    assert.match(policy, /script-src 'self' 'wasm-unsafe-eval'(;|$)/);
    assert.doesNotMatch(policy.match(/script-src[^;]*/)[0], /'unsafe-inline'|'unsafe-eval'/);
    assert.match(policy, /object-src 'none'/);
    assert.match(policy, /connect-src 'self' [^;]*http:\/\/127\.0\.0\.1:\*/);
    assert.equal(await page.locator('script:not([src])').count(), 0, 'no inline script');
    // The app, a demo's worker and its wasm all run under the policy.
    const d = '.demo[data-demo="depth"]';
    await loadDemos(page);
    await page.waitForSelector(`${d} .demo-title`);
    await page.check(`${d} .predict input[type=radio] >> nth=0`);
    await page.click(`${d} .run-buttons button:text-is("Train")`);
    await page.waitForSelector(`${d} .run-state:text("Done.")`, { timeout: 60000 });
    assert.deepEqual(await page.evaluate(() => window.cspViolations), []);
    // What an injection would try: an inline script. The policy refuses to run it.
    await page.evaluate(() => { const s = document.createElement('script'); s.textContent = 'window.__xss = "inline"'; document.body.append(s); });
    await page.waitForFunction(() => window.cspViolations.length > 0);
    assert.equal(await page.evaluate(() => window.__xss), undefined);
    assert.match((await page.evaluate(() => window.cspViolations))[0], /script-src/);
  } finally { await site.close(); }
});
