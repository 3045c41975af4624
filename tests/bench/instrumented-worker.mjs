// The app's training worker with the WebGPU API wrapped, for the benchmarks that count what it
// launches. `setup` is worker source that wraps what it wants and defines `reset()` (called at
// a run's 'device' event) and `report()` (its message is posted just before 'done'), so the
// figures cover one run.
export function instrumentedWorker(setup) {
  return `${setup}
const post = self.postMessage.bind(self);
self.postMessage = (message, ...rest) => {
  if (typeof message === 'string' && message.includes('"event":"device"')) reset();
  if (typeof message === 'string' && message.includes('"event":"done"')) post(JSON.stringify(report()));
  post(message, ...rest);
};
// Our loader; builds before it (an older dist/ compared side by side) had Trunk's shim.
try { importScripts('./worker-loader.js'); } catch { importScripts('./aesop-worker_loader.js'); }
`;
}
