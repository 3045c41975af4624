// Train before the full app has arrived. On a slow link the full app (the charts and every
// control) lands seconds after the lesson text, while the CPU engine it trains on is a third of
// its size: boot.js imports this file when a demo nears, the engine downloads first, and a demo
// whose Train runs a preset as it is (VIEWS) gets the same title, presets and Train in the
// reader's slot. Its run trains on the CPU engine at once; the full app takes the worker over
// with every report so far (src/run, `Run::restore` and `client::adopt`) and draws the run.
//
// A demo that asks for a prediction first, computes more than the numbers, or starts from
// edited settings waits for the full app, as does a shared link's run and a learner who chose
// the GPU. crates/train's `DemoView::trains_early` lists the same views (a test checks).
const VIEWS = ['imbalance'];
// Runs by demo name, for the full app. It sets a name to null when it takes the demo over, so
// a slot still on screen during the handover starts nothing the full app would not see.
const runs = (window.aesopEarlyRuns ??= {});

const el = (tag, props, ...children) => {
  const node = Object.assign(document.createElement(tag), props);
  node.append(...children);
  return node;
};

/** The learner's backend switch ('auto', 'cpu' or 'gpu'), kept with their progress. */
function backendChosen() {
  try {
    return JSON.parse(localStorage.getItem('aesop.progress'))?.progress?.backend;
  } catch {
    return undefined;
  }
}

/** The demo's file, shared with the full app: boot.js started its fetch, and the full app takes
 * the response from aesopEarly.files after this has cloned it (src/content.rs). */
async function demoFile(name) {
  const { files, ready } = window.aesopEarly;
  await ready;
  const path = Object.keys(files).find((p) => p.endsWith(`/demos/${name}.json`));
  if (!path) return null;
  let mine;
  const response = (files[path] = files[path].then((r) => ((mine = r.clone()), r)));
  await response;
  return mine.ok ? mine.json() : null;
}

function slot(section, demo) {
  const name = section.dataset.demo;
  let chosen = 0;
  const note = el('p', { textContent: demo.presets[0]?.note ?? '' });
  const picker = el('div', { className: 'preset-picker' }, ...demo.presets.map((p, i) => {
    const b = el('button', { type: 'button', className: 'button preset', textContent: p.label });
    b.setAttribute('aria-pressed', String(i === 0));
    b.onclick = () => {
      if (name in runs) return;
      chosen = i;
      for (const other of picker.children) other.setAttribute('aria-pressed', String(other === b));
      note.textContent = p.note;
    };
    return b;
  }));
  picker.setAttribute('role', 'group');
  picker.setAttribute('aria-label', 'Presets');
  const train = el('button', { type: 'button', className: 'button primary', textContent: 'Train' });
  const status = el('div', { className: 'run-status' });
  status.setAttribute('role', 'status');
  status.setAttribute('aria-live', 'polite');
  const bar = el('progress', { className: 'run-progress', max: 1, value: 0 });
  bar.setAttribute('aria-label', 'Training progress');
  const waiting = el('p', { className: 'hint early-wait', textContent: 'The charts and the other controls are on their way; Train works already.' });
  const say = (...lines) => status.replaceChildren(...lines.filter(Boolean).map(([className, textContent]) => el('p', { className, textContent })));
  let device = [];
  train.onclick = () => {
    if (name in runs) return;
    // One run per slot: the full app takes it over, and has every control for the next.
    const lock = (on) => { for (const b of [train, ...picker.children]) b.disabled = on; };
    lock(true);
    waiting.hidden = true;
    const preset = demo.presets[chosen];
    const run = (runs[name] = { preset: preset.name, messages: [], started: false });
    const worker = (run.worker = new Worker('./worker-loader.js?engine=cpu&shared', { name: 'engine=cpu&shared' }));
    const stop = (message) => {
      // Once the full app has the worker, what goes wrong is its to report.
      if (runs[name] !== run) return;
      worker.terminate();
      delete runs[name];
      lock(false);
      say(['run-alarm', message]);
    };
    window.aesopEngine(false).then((module) => worker.postMessage(module), (e) => stop(`The training engine could not be loaded (${e?.message ?? e}). Check your connection, then train again.`));
    worker.onerror = () => stop('The training worker could not be loaded. Check your connection, then train again.');
    say(['run-state', 'Starting the training worker…']);
    worker.onmessage = ({ data }) => {
      // The full app could not show this demo (its file is broken) and the slot is gone.
      if (!section.isConnected) return worker.terminate();
      const m = JSON.parse(data);
      if (m.event === 'ready') {
        const cpu = backendChosen() === 'cpu';
        worker.postMessage(JSON.stringify({
          cmd: 'start',
          job: preset.job,
          device: cpu ? 'cpu' : 'auto',
          on_cpu: cpu ? 'You chose the CPU.' : 'The CPU: this run started before the page had looked for a GPU. Later runs of this size are timed on the GPU as well, where there is one, and move to it if it measures faster.',
        }));
        run.started = true;
        return;
      }
      if (m.event === 'crashed') return stop(m.message);
      run.messages.push(data);
      if (m.event === 'device') device = [['device-label', m.label], m.note && ['device-note', m.note]];
      if (m.event === 'metrics') bar.max = m.metrics.total_steps, bar.value = m.metrics.step;
      if (m.event === 'device' || m.event === 'metrics') say(...device);
      if (m.event === 'done') say(...device, ['run-state', 'Done. The charts will show this run as soon as they arrive.']);
      if (m.event === 'alarm' || m.event === 'error') say(...device, ['run-alarm', m.message]);
    };
  };
  const loading = section.querySelector('.demo-loading');
  if (loading) loading.hidden = true;
  section.prepend(el('div', { className: 'early-demo' },
    el('p', { className: 'demo-kicker', textContent: 'Try it' }),
    el('h3', { className: 'demo-title', textContent: demo.title }),
    el('p', { className: 'demo-intro', textContent: demo.intro }),
    picker,
    el('div', { className: 'preset-note' }, note),
    el('div', { className: 'run-controls' }, el('div', { className: 'run-buttons' }, train), status, bar),
    waiting,
  ));
}

// The reader's demo slots only (the full app draws its own demos), each once, and not for a
// demo that a shared link names (its run comes from the link) or a learner who chose the GPU.
for (const section of document.querySelectorAll('#aesop-reader .demo[data-demo]')) {
  const name = section.dataset.demo;
  if (name in runs || location.hash.includes(`demo=${name}`) || backendChosen() === 'gpu') continue;
  demoFile(name).then((demo) => {
    if (demo && VIEWS.includes(demo.view) && demo.presets?.length && !(name in runs) && section.isConnected) slot(section, demo);
  }, () => {});
}
