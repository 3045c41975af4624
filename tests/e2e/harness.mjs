// Shared set-up for the browser tests: Debian's chromium driven by playwright-core, the
// built site from dist/ served by tests/tools/serve.mjs, and helpers to read content.
import { chromium } from 'playwright-core';
import { readFileSync, existsSync } from 'node:fs';
import { resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startServer } from '../tools/serve.mjs';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const DIST = process.env.AESOP_DIST ?? resolve(ROOT, 'dist');
export const CONTENT = resolve(ROOT, 'content');

if (!existsSync(resolve(DIST, 'index.html'))) {
  throw new Error(`no built site at ${DIST}: run scripts/test.sh (it builds dist/ first)`);
}

const FLAGS = ['--no-sandbox', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-gpu'];

/**
 * `webgpu: true` starts Chromium with its SwiftShader WebGPU adapter (the GPU emulated on the
 * CPU); `webgpu: 'hardware'` with the machine's own GPU through Vulkan (tests/bench/gpu.sh).
 */
export async function launch(extraArgs = [], { webgpu = false } = {}) {
  const gpu = FLAGS.filter((f) => f !== '--disable-gpu');
  const flags = webgpu === 'hardware'
    ? [...gpu, '--enable-unsafe-webgpu', '--enable-features=Vulkan,VulkanFromANGLE', '--use-angle=vulkan', '--ignore-gpu-blocklist']
    : webgpu ? [...gpu, '--enable-unsafe-webgpu', '--use-webgpu-adapter=swiftshader'] : FLAGS;
  return chromium.launch({ executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium', headless: true, args: [...flags, ...extraArgs] });
}

export function serve(options = {}) {
  return startServer({ root: DIST, ...options });
}

/** A new page that fails the test on any uncaught page error or console error. */
export async function openPage(browser, url, { allowConsoleErrors = false, initScript } = {}) {
  const context = await browser.newContext();
  const page = await context.newPage();
  page.errors = [];
  page.on('pageerror', (e) => page.errors.push(String(e)));
  if (!allowConsoleErrors) page.on('console', (m) => m.type() === 'error' && page.errors.push(m.text()));
  if (initScript) await page.addInitScript(initScript);
  await page.goto(url);
  return page;
}

/** The build a learner sees: the reader, or the full app once it has taken over. (The full
 * app renders out of sight first, so an unscoped query can count a page twice.) */
export const SHOWN = ':is(#aesop-reader, #aesop-app:not(.app-pending))';

/** A URL of one of the full app's files (the reader's names carry `aesop-reader-`). */
export const FULL_APP = /\/aesop(\.js|_bg\.wasm)$/;
// The full app's stylesheet (scripts/defer-css.mjs), which comes with it.
export const APP_CSS = /\/app-[0-9a-f]+\.css$/;

/**
 * Demos live in the full app, which a lesson page loads when a demo comes near the screen
 * (src/upgrade.rs mounts both, src/handover.rs hands over). Bring the first demo near and wait until the full app has taken over.
 */
export async function loadDemos(page) {
  // The full app may take over mid-scroll (its files cached after a reload): the reader's
  // demo is then gone, and the full app's copy is the one to bring near.
  for (let tries = 1; ; tries++) {
    try {
      await page.locator('.demo').first().scrollIntoViewIfNeeded({ timeout: 10000 });
      break;
    } catch (e) {
      if (tries === 3 || !/not attached/.test(e.message)) throw e;
    }
  }
  await page.waitForSelector('#aesop-app:not(.app-pending) .lesson');
}

export const readContent = (rel) => readFileSync(resolve(CONTENT, rel), 'utf8');
export const manifest = () => JSON.parse(readContent('course.json'));

/** Front matter `key: value` pairs of a content file. */
export function frontMatter(rel) {
  const [, block] = readContent(rel).split(/^---$/m);
  return Object.fromEntries(block.trim().split('\n').map((l) => [l.slice(0, l.indexOf(':')).trim(), l.slice(l.indexOf(':') + 1).trim()]));
}

/** The answer key of a quiz file: [{id, correct}] with `correct` the original option index. */
export function answerKey(rel) {
  const text = readContent(rel);
  return [...text.matchAll(/^:::question (\S+)\n([\s\S]*?)^:::$/gm)].map(([, id, body]) => {
    const options = body.split('\n').filter((l) => /^\s*- \[[ xX]\] /.test(l));
    return { id, correct: options.findIndex((l) => /- \[[xX]\]/.test(l)), count: options.length };
  });
}

/** Sends `text` in a lab's chat, as a learner typing and pressing Enter. */
export async function say(page, text) {
  await page.fill('#chat-input', text);
  await page.keyboard.press('Enter');
}

/** Runs `fn(page, site)` on lab 1 of a site whose llm-config.json is `config`, once the
 * settings show the configured peer. */
export async function withLabConfig(browser, config, fn) {
  const site = await serve({ overlays: { 'llm-config.json': JSON.stringify(config) } });
  try {
    const page = await openPage(browser, `${site.url}#/module-2/lab-1`, { allowConsoleErrors: true });
    await page.waitForSelector('.chat');
    await page.waitForSelector('.llm-settings summary:text-matches("AI peer: .* at ")');
    await fn(page, site);
  } finally { await site.close(); }
}
