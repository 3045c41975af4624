// Screenshots of the built site as a learner sees it: each page at a phone's 390 px and a
// laptop's 1366 px, in the light and the dark theme. Not a test: for looking at.
// Usage: node tests/tools/screens.mjs [out-dir] [dist]   (default: /tmp/aesop-screens, dist/)
import { chromium } from 'playwright-core';
import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { startServer } from './serve.mjs';

const out = resolve(process.argv[2] ?? '/tmp/aesop-screens');
const root = resolve(process.argv[3] ?? 'dist');
mkdirSync(out, { recursive: true });
const site = await startServer({ root });
const browser = await chromium.launch({ executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu'] });

const pages = (process.env.PAGES ?? 'lesson-1,quiz-1,host').split(',');
try {
  for (const name of pages) {
    for (const width of [390, 1366]) {
      for (const scheme of ['light', 'dark']) {
        const context = await browser.newContext({ viewport: { width, height: width < 800 ? 844 : 900 }, colorScheme: scheme });
        const page = await context.newPage();
        const url = name === 'host' ? `${site.url}host.html` : `${site.url}#/module-2/${name}`;
        await page.goto(url);
        await page.waitForTimeout(1500);
        await page.screenshot({ path: `${out}/${name}-${width}-${scheme}.png`, fullPage: false });
        await context.close();
      }
    }
  }
} finally {
  await browser.close();
  await site.close();
}
console.log(`screenshots in ${out}`);
