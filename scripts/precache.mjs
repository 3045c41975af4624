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
// Left out: the GPU engine (megabytes of wgpu, fetched only where a GPU is found; the service
// worker keeps it once fetched). Everything else a lesson needs to read, typeset and train is
// listed, the full app, the math module and the CPU engine included, but fetched only when the
// page asks (after its first demo has trained, or after a minute), and mostly from the
// browser's cache by then.
const gpuEngine = /^aesop-worker-[0-9a-f]{16}(_bg\.wasm|\.js)$/;
const cached = files.filter((f) => f !== 'sw.js' && !gpuEngine.test(f)).sort();
const hash = createHash('sha256');
for (const f of files.filter((f) => f !== 'sw.js')) hash.update(f).update(readFileSync(join(dist, f)));
const version = hash.digest('hex').slice(0, 16);
const template = readFileSync(resolve(dist, '../assets/sw.js'), 'utf8');
writeFileSync(join(dist, 'sw.js'), template.replace('__VERSION__', version).replace('__FILES__', JSON.stringify(['./', ...cached])));
console.log(`[build] sw.js: version ${version}, ${cached.length} files precached`);
