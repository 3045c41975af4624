// Minifies the JavaScript Trunk 0.21 leaves as it is (wasm-bindgen's glue for the reader, the
// full app and the math module, assets/boot.js, assets/early-demo.js: about 2.3 KB brotli off
// the first page; Trunk minifies the worker's glue itself), and drops the custom sections of
// the app's wasm (below). Files keep their names, so index.html's links and preloads still
// match; where index.html pins a file with Subresource Integrity (Trunk does for boot.js), the
// digest is updated to the new file's. Run after Trunk, before the service worker lists the
// files: node scripts/minify.mjs dist
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';

// esbuild is one of the npm tools in tests/ (scripts/setup.sh installs them).
const { transformSync } = createRequire(new URL('../tests/package.json', import.meta.url))('esbuild');

const dist = process.argv[2] ?? 'dist';
const sri = (text) => `sha384-${createHash('sha384').update(text).digest('base64')}`;
const indexPath = join(dist, 'index.html');
let html = readFileSync(indexPath, 'utf8');
let before = 0, after = 0;
for (const f of readdirSync(dist).filter((f) => f.endsWith('.js') && f !== 'sw.js' && !f.startsWith('aesop-worker'))) {
  const path = join(dist, f);
  const code = readFileSync(path, 'utf8');
  // ES2022 keeps import.meta, import() and top-level await as they are; no format change.
  const out = transformSync(code, { minify: true, target: 'es2022', legalComments: 'none' }).code;
  if (out.length >= code.length) continue;
  writeFileSync(path, out);
  html = html.replaceAll(sri(code), sri(out));
  before += code.length; after += out.length;
}
console.log(`[minify] JavaScript: ${before} -> ${after} bytes raw`);

// The app's own wasm (reader, full app, math) without the custom sections no browser reads:
// the toolchain's `producers`, `target_features` and `__wasm_split_unstable` (about 260 B
// brotli off the first page). The engines keep theirs, as Trunk wrote them.
const leb = (bytes, at) => {
  let value = 0, shift = 0, byte;
  do { byte = bytes[at++]; value += (byte & 127) * 2 ** shift; shift += 7; } while (byte & 128);
  return [value, at];
};
for (const f of readdirSync(dist).filter((f) => f.endsWith('_bg.wasm') && !f.startsWith('aesop-worker'))) {
  const path = join(dist, f);
  const wasm = readFileSync(path);
  const kept = [wasm.subarray(0, 8)];
  for (let at = 8; at < wasm.length;) {
    const [size, body] = leb(wasm, at + 1);
    if (wasm[at] !== 0) kept.push(wasm.subarray(at, body + size));
    at = body + size;
  }
  const out = Buffer.concat(kept);
  if (out.length === wasm.length) continue;
  writeFileSync(path, out);
  html = html.replaceAll(sri(wasm), sri(out));
  console.log(`[minify] ${f}: ${wasm.length} -> ${out.length} bytes raw (custom sections dropped)`);
}
writeFileSync(indexPath, html);
