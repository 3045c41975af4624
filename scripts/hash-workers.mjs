// Gives the two training workers' files content-hashed names, as Trunk gives the app's, so the
// browser and the service worker may keep them for good (cache first, never re-downloaded
// while unchanged; a new build names new files). Trunk builds workers under fixed names.
// Writes the names where they are read: the wasm files' in a <meta name="aesop-workers"> in
// index.html (the page compiles them, boot.js) and the FILES line of worker-loader.js (the worker loads the glue).
// Run after Trunk, before minify.mjs: node scripts/hash-workers.mjs dist
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { join } from 'node:path';

const dist = process.argv[2] ?? 'dist';
const files = {};
for (const [engine, stem] of [['cpu', 'aesop-worker-cpu'], ['gpu', 'aesop-worker']]) {
  const js = join(dist, `${stem}.js`);
  const wasm = join(dist, `${stem}_bg.wasm`);
  if (!existsSync(js) || !existsSync(wasm)) throw new Error(`${stem}: Trunk built no ${stem}.js and ${stem}_bg.wasm in ${dist}`);
  const hash = createHash('sha256').update(readFileSync(js)).update(readFileSync(wasm)).digest('hex').slice(0, 16);
  files[engine] = [`${stem}-${hash}.js`, `${stem}-${hash}_bg.wasm`];
  renameSync(js, join(dist, files[engine][0]));
  renameSync(wasm, join(dist, files[engine][1]));
}

const loader = join(dist, 'worker-loader.js');
const code = readFileSync(loader, 'utf8');
const line = /^const FILES = .*;$/m;
if (!line.test(code)) throw new Error('worker-loader.js has no `const FILES = ...;` line to fill in');
writeFileSync(loader, code.replace(line, `const FILES = ${JSON.stringify(files)};`));

const index = join(dist, 'index.html');
const html = readFileSync(index, 'utf8');
const meta = `<meta name="aesop-workers" content="${files.cpu[1]} ${files.gpu[1]}">`;
if (!html.includes('</head>')) throw new Error('index.html has no </head>');
writeFileSync(index, html.replace('</head>', `${meta}</head>`));
console.log(`[build] workers: ${[...files.cpu, ...files.gpu].join(', ')}`);
