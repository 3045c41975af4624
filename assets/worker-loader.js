// Starts a training worker: `engine=cpu` (burn's flex alone) or `engine=gpu` (wgpu too).
// With `&shared`, the page sends the engine's WebAssembly.Module, compiled once for all the
// page's demos (boot.js, aesopEngine); without, the worker fetches and compiles it itself
// (benchmarks). Trunk's own shim calls wasm_bindgen(...) and drops its promise, so a wasm that
// failed to load left the page waiting forever: this loader reports what failed as a
// 'crashed' event, which the page answers with a message and a retry.
// scripts/hash-workers.mjs rewrites the next line with the build's content-hashed names.
const FILES = {"cpu":["aesop-worker-cpu.js","aesop-worker-cpu_bg.wasm"],"gpu":["aesop-worker.js","aesop-worker_bg.wasm"]};
const fail = (what, e) =>
  postMessage(JSON.stringify({ event: 'crashed', message: `The training engine ${what} (${(e && e.message) || e}).` }));
// The worker's name carries the choice (the page sets it as its URL's query too): a worker
// served from the service worker's cache has the cached file's URL, without the query.
const params = new URLSearchParams(self.name || location.search);
const [glue, wasm] = FILES[params.get('engine')] ?? FILES.gpu;
function start(module) {
  try {
    importScripts(glue);
    wasm_bindgen({ module_or_path: module ?? wasm }).catch((e) => fail('could not be loaded', e));
  } catch (e) {
    fail('could not be downloaded', e);
  }
}
if (params.has('shared')) {
  // The Rust side replaces this handler once it listens, then says it is ready.
  self.onmessage = (e) => {
    self.onmessage = null;
    start(e.data);
  };
} else {
  start();
}
