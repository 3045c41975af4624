// Starts the training worker. Trunk's own shim calls wasm_bindgen(...) and drops its promise,
// so a wasm that fails to download or instantiate left the page waiting forever: this one
// tells the page what failed, as a 'crashed' event it answers with a message and a retry.
const fail = (what, e) =>
  postMessage(JSON.stringify({ event: 'crashed', message: `The training engine ${what} (${(e && e.message) || e}).` }));
try {
  importScripts('./aesop-worker.js');
  wasm_bindgen('./aesop-worker_bg.wasm').catch((e) => fail('could not be loaded', e));
} catch (e) {
  fail('could not be downloaded', e);
}
