// The training worker's raw wasm (cargo's output, before wasm-opt strips its names) must not
// wrap its exports in `*.command_export` functions. wasm-ld adds them to a `[[bin]]` whose code
// never calls `__wasm_call_ctors` itself, and each wrapper re-runs every static constructor
// (cubecl registers ~4,900 with `inventory`) on every call from JS: it once took 61% of the
// worker's time on WebGPU. crates/worker/src/lib.rs (`start`) calls the constructors once instead.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { resolve } from 'node:path';
import { DIST } from './harness.mjs';

const TARGET = process.env.CARGO_TARGET_DIR ?? resolve(homedir(), '.cache/aesop/target');
const RAW = resolve(TARGET, 'wasm32-unknown-unknown/release/aesop-worker.wasm');

/** Function names from a wasm module's `name` custom section (subsection 1). */
export function functionNames(bytes) {
  let at = 8; // magic and version
  const leb = () => {
    let value = 0, shift = 0, byte;
    do {
      byte = bytes[at++];
      value += (byte & 0x7f) * 2 ** shift;
      shift += 7;
    } while (byte & 0x80);
    return value;
  };
  const names = [];
  while (at < bytes.length) {
    const id = bytes[at++];
    const size = leb();
    const end = at + size;
    if (id === 0) {
      const nameLength = leb();
      const sectionName = Buffer.from(bytes.subarray(at, at + nameLength)).toString('utf8');
      at += nameLength;
      if (sectionName === 'name') {
        while (at < end) {
          const sub = bytes[at++];
          const subSize = leb();
          const subEnd = at + subSize;
          if (sub === 1) {
            for (let n = leb(); n > 0; n--) {
              leb(); // function index
              const length = leb();
              names.push(Buffer.from(bytes.subarray(at, at + length)).toString('utf8'));
              at += length;
            }
          }
          at = subEnd;
        }
      }
    }
    at = end;
  }
  return names;
}

test('the worker calls its static constructors once, so no export is wrapped to re-run them', () => {
  const raw = readFileSync(RAW);
  // The raw file must be the one this dist/ was built from, not a leftover.
  assert.ok(statSync(RAW).mtimeMs <= statSync(resolve(DIST, 'index.html')).mtimeMs + 1000, `${RAW} is newer than dist/: rebuild`);
  const names = functionNames(raw);
  // A stripped name section would make the check below vacuous.
  assert.ok(names.length > 1000, `the raw worker wasm has a name section (${names.length} names)`);
  assert.ok(names.includes('__wasm_call_ctors'), 'the constructors are there to be called');
  assert.ok(names.filter((n) => n.includes('__ctor')).length > 1000, 'inventory registers its constructors');
  const wrapped = names.filter((n) => n.endsWith('.command_export'));
  assert.deepEqual(wrapped, [], `exports wrapped to re-run the constructors: ${wrapped.slice(0, 5).join(', ')}`);
});
