// The module import graph of the app (src/) and of each crate (crates/*/src), and its
// circles. A circle makes a newcomer read everything to change anything, so the test run
// fails on one. `node tests/tools/imports.mjs` checks; `--edges` prints every module's
// imports; `--largest` lists the largest files too.
//
// A module is a file (`a/b.rs`) or a folder (`a/b/mod.rs`) under a crate's src/; an import is
// any `crate::a::b` or `super::x` path in it, outside comments. The crate roots (lib.rs,
// main.rs) and bins are left out: they declare modules, which is not importing them.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

function rustFiles(dir) {
  const out = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) {
      if (name !== 'bin') out.push(...rustFiles(path));
    } else if (name.endsWith('.rs')) out.push(path);
  }
  return out;
}

// `use crate::{a, b::{c, d}}` → ['a', 'b::c', 'b::d'].
function expand(prefix, group) {
  const items = [];
  let depth = 0, start = 0;
  for (let i = 0; i <= group.length; i++) {
    const c = group[i];
    if (c === '{') depth++;
    else if (c === '}') depth--;
    else if ((c === ',' && depth === 0) || i === group.length) {
      const item = group.slice(start, i).trim();
      start = i + 1;
      if (!item) continue;
      const brace = item.indexOf('{');
      if (brace >= 0) items.push(...expand(`${prefix}${item.slice(0, brace)}`, item.slice(brace + 1, item.lastIndexOf('}'))));
      else items.push(`${prefix}${item.split(/\s/)[0]}`);
    }
  }
  return items;
}

// Paths a file names from its own crate, as `a::b::c`, with `super::` resolved.
function paths(text, module) {
  const code = text.replace(/\/\/.*$/gm, '');
  const found = [];
  const re = /\b(crate|super)::((?:[A-Za-z_]\w*::)*)(?:\{|([A-Za-z_]\w*))/g;
  for (let m; (m = re.exec(code));) {
    const base = m[1] === 'crate' ? '' : module.split('/').slice(0, -1).join('::');
    const prefix = (base ? `${base}::` : '') + m[2];
    if (m[3] !== undefined) { found.push(prefix + m[3]); continue; }
    // A group: read to its closing brace.
    let depth = 1, i = re.lastIndex;
    for (; i < code.length && depth; i++) depth += code[i] === '{' ? 1 : code[i] === '}' ? -1 : 0;
    found.push(...expand(prefix, code.slice(re.lastIndex, i - 1)));
  }
  return found;
}

export function graph(src) {
  const modules = new Map();
  for (const file of rustFiles(src)) {
    let name = relative(src, file).replace(/\.rs$/, '').replace(/\/mod$/, '');
    if (name === 'lib' || name === 'main') continue;
    modules.set(name, file);
  }
  const edges = new Map();
  for (const [name, file] of modules) {
    // A folder module's `super` is its parent's parent: treat it as a file one level up.
    const self = file.endsWith('/mod.rs') ? `${name}/mod` : name;
    const to = new Set();
    for (const path of paths(readFileSync(file, 'utf8'), self)) {
      const parts = path.split('::');
      for (let k = parts.length; k > 0; k--) {
        const target = parts.slice(0, k).join('/');
        if (modules.has(target)) { if (target !== name && !name.startsWith(`${target}/`)) to.add(target); break; }
      }
    }
    edges.set(name, to);
  }
  return edges;
}

// Strongly connected components of more than one module (Tarjan).
export function circles(edges) {
  let index = 0;
  const idx = new Map(), low = new Map(), stack = [], on = new Set(), out = [];
  const visit = (v) => {
    idx.set(v, index); low.set(v, index); index++; stack.push(v); on.add(v);
    for (const w of edges.get(v) ?? []) {
      if (!idx.has(w)) { visit(w); low.set(v, Math.min(low.get(v), low.get(w))); }
      else if (on.has(w)) low.set(v, Math.min(low.get(v), idx.get(w)));
    }
    if (low.get(v) === idx.get(v)) {
      const c = [];
      for (let w; w !== v;) { w = stack.pop(); on.delete(w); c.push(w); }
      if (c.length > 1) out.push(c.sort());
    }
  };
  for (const v of edges.keys()) if (!idx.has(v)) visit(v);
  return out;
}

export function crates() {
  const roots = [['aesop (src)', join(ROOT, 'src')]];
  for (const name of readdirSync(join(ROOT, 'crates')).sort()) roots.push([`crates/${name}`, join(ROOT, 'crates', name, 'src')]);
  return roots;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const flags = new Set(process.argv.slice(2));
  let found = 0;
  for (const [label, src] of crates()) {
    const edges = graph(src);
    const cs = circles(edges);
    found += cs.length;
    console.log(`${label}: ${edges.size} modules, ${[...edges.values()].reduce((n, s) => n + s.size, 0)} imports, ${cs.length ? cs.map((c) => `a circle of ${c.length}: ${c.join(', ')}`).join('; ') : 'no circle'}`);
    if (flags.has('--edges')) for (const [m, to] of [...edges].sort()) if (to.size) console.log(`  ${m} -> ${[...to].sort().join(', ')}`);
  }
  if (flags.has('--largest')) {
    const sizes = crates().flatMap(([, src]) => rustFiles(src)).map((f) => [readFileSync(f, 'utf8').split('\n').length, relative(ROOT, f)]);
    for (const [n, f] of sizes.sort((a, b) => b[0] - a[0]).slice(0, 12)) console.log(`${String(n).padStart(5)} ${f}`);
  }
  process.exit(found ? 1 : 0);
}
