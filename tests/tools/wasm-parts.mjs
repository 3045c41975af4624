// What each crate costs in a wasm file, from its name section: code bytes per crate, largest
// first. Run it on a build that keeps names (wasm-bindgen's output before wasm-opt, under
// $CARGO_TARGET_DIR/wasm-bindgen/release/); the shares carry over to the optimized file even
// though its sizes are smaller.
// node tests/tools/wasm-parts.mjs <file.wasm> [top=20]
import { readFileSync } from 'node:fs';

const [file, top = 20] = process.argv.slice(2);
const bytes = readFileSync(file);
let at = 8;
const leb = () => {
  let result = 0, shift = 0, b;
  do { b = bytes[at++]; result += (b & 0x7f) * 2 ** shift; shift += 7; } while (b & 0x80);
  return result;
};
const name = () => { const n = leb(); const s = bytes.toString('utf8', at, at + n); at += n; return s; };

let imported = 0;
const bodies = [];
const names = new Map();
while (at < bytes.length) {
  const id = bytes[at++];
  const size = leb();
  const end = at + size;
  if (id === 2) {
    // Imported functions come first in the function index space.
    for (let n = leb(); n > 0; n--) {
      name(); name();
      const kind = bytes[at++];
      if (kind === 0) { leb(); imported++; } else if (kind === 1) { at++; const f = leb(); leb(); if (f & 1) leb(); } else if (kind === 2) { const f = leb(); leb(); if (f & 1) leb(); } else if (kind === 3) { at += 2; } else if (kind === 4) { at++; leb(); }
    }
  } else if (id === 10) {
    for (let n = leb(); n > 0; n--) { const s = leb(); bodies.push(s); at += s; }
  } else if (id === 0 && name() === 'name') {
    while (at < end) {
      const sub = bytes[at++];
      const len = leb();
      const stop = at + len;
      if (sub === 1) for (let n = leb(); n > 0; n--) { const index = leb(); names.set(index, name()); }
      at = stop;
    }
  }
  at = end;
}

/** The crate a (demangled) function name belongs to: the first path segment, generics aside. */
function crate(fn) {
  const plain = fn.replace(/^<+/, '').replace(/\[[0-9a-f]+\]/g, '');
  const m = plain.match(/^([A-Za-z_][A-Za-z0-9_]*)(::|$)/);
  return m ? m[1] : '(other)';
}
const byCrate = new Map();
let total = 0;
bodies.forEach((size, i) => {
  const c = crate(names.get(imported + i) ?? '');
  byCrate.set(c, (byCrate.get(c) ?? 0) + size);
  total += size;
});
console.log(`${file}: ${bytes.length} bytes, ${bodies.length} functions, ${total} bytes of code`);
for (const [c, size] of [...byCrate].sort((a, b) => b[1] - a[1]).slice(0, Number(top))) {
  console.log(`${(100 * size / total).toFixed(1).padStart(5)}%  ${String(size).padStart(9)}  ${c}`);
}
