// Benchmark (not a test): a learner's first demo on a phone's network, cold cache (issue 28).
// Each built site is served by a host-like server: brotli, `max-age=600` and ETags, 150 ms
// before each response, and every byte of every response (the workers' fetches included,
// which browser-side network emulation misses) through one shared 1.6 Mbit/s pipe, which is
// Lighthouse's "slow 4G". A fresh browser profile at 390 × 844 opens lesson 1 from a link,
// scrolls to the first demo that trains, and presses Train the moment it is shown. Printed per
// site, side by side: when the lesson text shows, when Train shows, Train to the first report
// from the engine, link to the first trained point, the bytes that had come through the pipe
// by that point and since Train (a response still arriving counts what has arrived), and the
// engine's brotli size; then again with the CPU 4× slower.
//
// node tests/bench/first-demo.mjs [--runs 3] [label=dist-dir ...]
// With no site named it measures dist/ alone; to compare, build the older tree into another
// folder (git worktree add /tmp/before <rev> && (cd /tmp/before && bash scripts/build.sh)) and
// run: node tests/bench/first-demo.mjs before=/tmp/before/dist after=dist
import { createServer } from 'node:http';
import { readFile, stat } from 'node:fs/promises';
import { readdirSync, readFileSync } from 'node:fs';
import { extname, join, normalize, resolve } from 'node:path';
import { brotliCompressSync, constants } from 'node:zlib';
import { createHash } from 'node:crypto';
import { chromium } from 'playwright-core';

const LATENCY_MS = 150;
const BYTES_PER_S = 1.6e6 / 8;
const DEMO = 'imbalance';
const TYPES = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.css': 'text/css; charset=utf-8',
  '.wasm': 'application/wasm', '.json': 'application/json; charset=utf-8', '.md': 'text/markdown; charset=utf-8',
  '.svg': 'image/svg+xml', '.txt': 'text/plain; charset=utf-8',
};

const args = process.argv.slice(2);
const runs = Number(args[args.indexOf('--runs') + 1] ?? 0) || 3;
const named = args.filter((a, i) => a.includes('=') && args[i - 1] !== '--runs');
const sites = named.length ? named.map((a) => a.split('=')) : [['this build', 'dist']];

/** One pipe for every response: each tick hands out the bandwidth of the time since the last
 * tick (a token bucket, so a late timer on a busy machine does not slow the link), round-robin. */
function pipe() {
  const queue = [];
  let timer = null;
  let last = 0;
  let carry = 0;
  const tick = () => {
    const now = performance.now();
    // Whole bytes; the fraction carries over to the next tick.
    const due = Math.min(now - last, 50) * BYTES_PER_S / 1000 + carry;
    let budget = Math.floor(due);
    carry = due - budget;
    last = now;
    while (budget > 0 && queue.length) {
      const job = queue.shift();
      const n = Math.min(budget, job.body.length - job.sent, 1460);
      job.res.write(job.body.subarray(job.sent, job.sent + n));
      job.sent += n;
      job.entry.sent += n;
      budget -= n;
      if (job.sent < job.body.length) queue.push(job);
      else job.res.end();
    }
    if (!queue.length) clearInterval(timer), (timer = null);
  };
  return (res, body, entry) => {
    if (!body.length) return res.end();
    queue.push({ res, body, sent: 0, entry });
    if (!timer) last = performance.now(), (timer = setInterval(tick, 10));
  };
}

// Brotli bodies, compressed before any timing starts (compressing the GPU engine at quality 11
// takes the server's thread for many seconds, which would stall the pipe): by ETag.
const brotli = new Map();
function precompress(root) {
  const walk = (dir) => readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(join(dir, e.name)) : [join(dir, e.name)]));
  for (const file of walk(root)) {
    const body = readFileSync(file);
    const etag = `"${createHash('sha1').update(body).digest('hex')}"`;
    if (!brotli.has(etag)) brotli.set(etag, brotliCompressSync(body, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }));
  }
}

async function host(root) {
  const send = pipe();
  const log = [];
  const server = createServer(async (req, res) => {
    await new Promise((ok) => setTimeout(ok, LATENCY_MS));
    let rel = decodeURIComponent(new URL(req.url, 'http://x').pathname).slice(1);
    if (rel === '' || rel.endsWith('/')) rel += 'index.html';
    const file = normalize(join(root, rel));
    let body;
    try {
      if (!file.startsWith(root) || !(await stat(file)).isFile()) throw new Error();
      body = await readFile(file);
    } catch {
      res.writeHead(404);
      return res.end();
    }
    const etag = `"${createHash('sha1').update(body).digest('hex')}"`;
    const headers = { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream', 'cache-control': 'max-age=600', etag };
    if (req.headers['if-none-match'] === etag) {
      log.push({ path: rel, bytes: 0, sent: 0, at: Date.now() });
      res.writeHead(304, headers);
      return res.end();
    }
    if (/\bbr\b/.test(req.headers['accept-encoding'] ?? '') && brotli.has(etag)) {
      body = brotli.get(etag);
      Object.assign(headers, { 'content-encoding': 'br', vary: 'accept-encoding' });
    }
    const entry = { path: rel, bytes: body.length, sent: 0, at: Date.now() };
    log.push(entry);
    res.writeHead(200, { ...headers, 'content-length': body.length });
    send(res, body, entry);
  });
  await new Promise((ok) => server.listen(0, '127.0.0.1', ok));
  return { url: `http://127.0.0.1:${server.address().port}/`, log, close: () => new Promise((ok) => { server.close(ok); server.closeAllConnections(); }) };
}

/** The engine a demo trains on first: the CPU engine where the build has one. */
function engineSize(root) {
  const files = readdirSync(root);
  const name = files.find((f) => /^aesop-worker-cpu-[0-9a-f]{16}_bg\.wasm$/.test(f)) ?? files.find((f) => /^aesop-worker.*_bg\.wasm$/.test(f));
  return [name, brotliCompressSync(readFileSync(join(root, name)), { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length];
}

async function once(browser, root, slowdown) {
  const site = await host(root);
  const context = await browser.newContext({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 3, isMobile: true, hasTouch: true });
  const page = await context.newPage();
  if (slowdown > 1) await (await context.newCDPSession(page)).send('Emulation.setCPUThrottlingRate', { rate: slowdown });
  const t0 = Date.now();
  await page.goto(`${site.url}#/module-2/lesson-1`, { waitUntil: 'commit' });
  await page.waitForSelector('.lesson h1', { timeout: 120000 });
  const text = Date.now() - t0;
  const d = `.demo[data-demo="${DEMO}"]`;
  await page.locator(d).scrollIntoViewIfNeeded();
  const train = page.locator(`${d} .run-buttons button:text-is("Train"):enabled`);
  await train.waitFor({ timeout: 120000 });
  const shown = Date.now() - t0;
  // Bytes through the pipe so far (a response still arriving counts what has arrived).
  const sent = () => site.log.reduce((a, r) => a + r.sent, 0);
  await train.click();
  const pressed = Date.now() - t0;
  const sentAtPress = sent();
  await page.waitForSelector(`${d} .device-label`, { timeout: 120000 });
  const report = Date.now() - t0;
  await page.waitForFunction((sel) => Number(document.querySelector(`${sel} .run-progress`)?.value) > 0, d, { timeout: 120000, polling: 16 });
  const point = Date.now() - t0;
  const sentAtPoint = sent();
  const result = { text, shown, toReport: report - pressed, point, total: sentAtPoint, afterTrain: sentAtPoint - sentAtPress };
  // --log: every response of the run, when it started (ms after the link) and its bytes.
  if (args.includes('--log')) console.log(site.log.map((r) => `${String(r.at - t0).padStart(6)} ms ${String(r.bytes).padStart(9)} B  ${r.path}`).join('\n'), `\ntext ${text}, Train shown ${shown}, first point ${point}`);
  await context.close();
  await site.close();
  return result;
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const browser = await chromium.launch({ executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium', headless: true, args: ['--no-sandbox', '--disable-quic', '--disable-gpu', '--no-first-run', '--disable-background-networking'] });
try {
  for (const slowdown of [1, 4]) {
    const rows = [];
    for (const [label, dir] of sites) {
      const root = resolve(dir);
      precompress(root);
      const results = [];
      for (let i = 0; i < runs; i++) results.push(await once(browser, root, slowdown));
      const m = (k) => median(results.map((r) => r[k]));
      const [engine, engineBytes] = engineSize(root);
      rows.push([label, m('text'), m('shown'), m('toReport'), m('point'), m('total'), m('afterTrain'), `${engine.replace(/-[0-9a-f]{16}/, '')} ${engineBytes}`]);
    }
    console.log(`\nSlow 4G (1.6 Mbit/s shared, ${LATENCY_MS} ms a response), cold cache, 390 × 844, CPU ${slowdown}× slower; median of ${runs}`);
    const head = ['site', 'lesson text (ms)', 'Train shown (ms)', 'Train → first report (ms)', 'link → first trained point (ms)', 'bytes to that point', 'bytes after Train', 'engine, brotli bytes'];
    console.log(`| ${head.join(' | ')} |\n|${head.map(() => ' --- ').join('|')}|`);
    for (const r of rows) console.log(`| ${r.join(' | ')} |`);
  }
} finally {
  await browser.close();
}
