import lighthouse from 'lighthouse';
import * as chromeLauncher from 'chrome-launcher';
import { startServer } from '/work/main/tests/tools/serve.mjs';
const site = await startServer({ root: '/work/main/dist', compress: true });
const chrome = await chromeLauncher.launch({ chromePath: '/usr/bin/chromium', chromeFlags: ['--headless=new', '--no-sandbox', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'] });
const preset = process.argv[2] === 'desktop' ? { formFactor: 'desktop', screenEmulation: { mobile: false, width: 1350, height: 940, deviceScaleFactor: 1, disabled: false }, throttling: { rttMs: 40, throughputKbps: 10240, cpuSlowdownMultiplier: 1 } } : {};
const r = await lighthouse(`${site.url}#/module-2/lesson-1`, { port: chrome.port, output: 'json', onlyCategories: ['performance', 'accessibility', 'best-practices'], ...preset });
const lhr = r.lhr;
for (const [k, c] of Object.entries(lhr.categories)) console.log(k, Math.round(c.score * 100));
for (const id of ['first-contentful-paint', 'largest-contentful-paint', 'total-blocking-time', 'cumulative-layout-shift', 'speed-index', 'interactive'])
  console.log(id, lhr.audits[id]?.displayValue, lhr.audits[id]?.score);
for (const cat of Object.values(lhr.categories)) for (const ref of cat.auditRefs) { const a = lhr.audits[ref.id]; if (a.score !== null && a.score < 0.9 && ref.weight > 0) console.log('FAIL', cat.id, ref.id, a.score, a.displayValue ?? '', JSON.stringify(a.details?.items?.slice?.(0, 3) ?? '').slice(0, 400)); }
await chrome.kill(); await site.close();
