// Writes dist/sw.js from assets/sw.js with this build's file list and a version derived
// from the files' contents, so any change to the site yields a new worker.
import { readFileSync, writeFileSync, readdirSync, statSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { join, relative, resolve } from 'node:path';

const dist = resolve(process.argv[2] ?? 'dist');
const files = [];
const walk = (dir) => {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (name.startsWith('.')) continue;
    if (statSync(path).isDirectory()) walk(path);
    else files.push(relative(dist, path).split('\\').join('/'));
  }
};
walk(dist);
// Left out: the full app (aesop.js, aesop_bg.wasm, aesop_loader.js), the math module
// (aesop-math*) and the training worker (megabytes of burn). A first visit would otherwise
// download them in the background; they are fetched when a learner first needs them, and
// the service worker caches them then.
const onDemand = (f) => f.startsWith('aesop-worker') || f.startsWith('aesop-math') || /^aesop(_loader\.js|\.js|_bg\.wasm)$/.test(f);
const cached = files.filter((f) => f !== 'sw.js' && !onDemand(f)).sort();
const hash = createHash('sha256');
for (const f of files.filter((f) => f !== 'sw.js')) hash.update(f).update(readFileSync(join(dist, f)));
const version = hash.digest('hex').slice(0, 16);
const template = readFileSync(resolve(dist, '../assets/sw.js'), 'utf8');
writeFileSync(join(dist, 'sw.js'), template.replace('__VERSION__', version).replace('__FILES__', JSON.stringify(['./', ...cached])));
console.log(`[build] sw.js: version ${version}, ${cached.length} files precached`);
