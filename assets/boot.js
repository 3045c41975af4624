// Starts AESOP. The reader (lessons: what a first visit needs) starts at once, from the
// <meta name="aesop-app" content="JS WASM"> Trunk writes for it. The full app (demos,
// quizzes, the test, labs) starts only when the reader calls window.aesopLoadFull(), which
// fetches its wasm while its JS arrives (one round trip, not three in a row).
const [js, wasm] = document.querySelector('meta[name="aesop-app"]').content.split(' ');
// A URL of the site (relative names work under any sub-path).
const at = (path) => new URL(path, document.baseURI);

async function start() {
  const bindings = await import(at(js).href);
  await bindings.default({ module_or_path: wasm });
}

function fatal(error) {
  const note = document.getElementById('fatal');
  note.textContent = `AESOP could not start (${error?.message ?? error}). Check the connection and reload the page.`;
  note.setAttribute('role', 'alert');
  note.hidden = false;
}

// Early fetches: the manifest and, on a lesson's link, that lesson's file start with the page
// instead of after the wasm. The app takes them from window.aesopEarly (src/content.rs) once
// `ready` settles, and fetches anything else itself; it also validates everything, so a
// wrong guess here costs nothing but the head start.
const files = {};
const fetchEarly = (path) => (files[path] ??= fetch(`content/${path}`));
const route = () => location.hash.split('?')[0].replace(/^#\/?/, '').split('/');
let manifest;
async function fetchFirstPage() {
  const [module, step] = route();
  manifest = await (await fetchEarly('course.json')).clone().json();
  const m = step && manifest.modules?.find((m) => m.id === module);
  const file = m?.steps?.find((s) => s.id === step && s.kind === 'lesson')?.file;
  if (file) fetchEarly(`${m.folder}/${file}`);
}
window.aesopEarly = { files, ready: fetchFirstPage().catch(() => {}) };
// What the reader has read, by path, for the full app to start from (src/content.rs).
window.aesopTexts = {};

// Formulas. The Markdown renderer leaves each one as <span class="math-tex"> holding its LaTeX
// (data-block on display formulas). The math module (crates/math: math-core, about 60 KB) is
// imported when the first formula comes within half a screen of view, so a page whose
// formulas are further down starts without it; from then on every formula is typeset as soon
// as it is in the page (lessons, quizzes, streamed lab replies). A formula that does not parse
// shows its source and why; if the module cannot load, formulas stay readable as source.
const pending = document.getElementsByClassName('math-tex');
let math, mathReady;
const loadMath = () => (math ??= import(at('aesop-math.js').href)
  .then(async (m) => { await m.default(); return (mathReady = m); })
  .catch((e) => { math = undefined; throw e; }));
function typeset(m) {
  for (const el of [...pending]) {
    const tex = el.textContent;
    try {
      el.innerHTML = m.render(tex, el.hasAttribute('data-block'));
      el.className = 'math';
    } catch (why) {
      el.className = 'math-error';
      const note = document.createElement('span');
      note.className = 'math-why';
      note.textContent = ` (this formula could not be typeset: ${why})`;
      el.append(note);
    }
  }
}
const near = new IntersectionObserver((entries) => {
  if (entries.some((e) => e.isIntersecting)) loadMath().then(typeset, (e) => console.warn('AESOP: the math module did not load', e));
}, { rootMargin: '0px 0px 50% 0px' });
// The training engines, each compiled once per page and shared by every demo's worker
// (src/demo/client.rs): the CPU one (burn's flex) from when a demo comes within a screen of
// view, so Train does not wait for it; the GPU one only where the page finds an adapter.
// scripts/hash-workers.mjs names their files; a server with the wrong MIME type for .wasm
// costs only the streaming compile.
const engines = {};
// Settles once the learner no longer waits on the network: a demo has trained (the full app
// asks for the precache), or ten seconds after the full app and the CPU engine a demo asked
// for are in. What can wait (src/lms/report.rs reading every step's file, for the offline
// copy) waits for it: parsing them meanwhile would slow a first Train.
let settle;
window.aesopSettled = new Promise((done) => (settle = done));
window.aesopEngine = (gpu) => (engines[gpu] ??= (async () => {
  const name = (document.querySelector('meta[name="aesop-workers"]')?.content ?? 'aesop-worker-cpu_bg.wasm aesop-worker_bg.wasm').split(' ')[+gpu];
  const url = at(name);
  // The engine's glue, which the worker imports, into the HTTP cache now: on a slow link a
  // round trip after Train is a visible wait. (The worker's own script is revalidated anyway.)
  fetch(at(name.replace(/_bg\.wasm$/, '.js'))).then((r) => r.arrayBuffer()).catch(() => {});
  try {
    return await WebAssembly.compileStreaming(fetch(url));
  } catch (e) {
    if (!(e instanceof TypeError)) throw e;
    const r = await fetch(url);
    if (!r.ok) throw new Error(`${url.pathname}: HTTP ${r.status}`);
    return WebAssembly.compile(await r.arrayBuffer());
  }
})().catch((e) => { engines[gpu] = undefined; throw e; }));
// The offline copy (assets/sw.js) is fetched once a demo has trained (the full app calls this;
// what reading needs after a minute), never while a learner waits for a first page or a
// first demo's downloads. Only where the app registered the service worker (not inside an LMS or another page).
window.aesopPrecache = (what = 'precache') => (settle(), navigator.serviceWorker?.ready.then((r) => r.active?.postMessage(what)));
setTimeout(() => aesopPrecache('precache-reading'), 60e3);
const demos = document.getElementsByClassName('demo');
let engineWanted;
const nearDemo = new IntersectionObserver((entries) => {
  if (!entries.some((e) => e.isIntersecting)) return;
  // The page's demo files, which the full app takes from aesopEarly: it shows itself once
  // every demo of the page has its file (the path is crates/course's demo::path).
  const folder = manifest?.modules?.find((m) => m.id === route()[0])?.folder;
  if (folder) for (const { dataset: { demo } } of demos) if (demo) fetchEarly(`${folder}/demos/${demo}.json`);
  // Once: a failed fetch is tried again when Train asks for the engine, not on every scroll.
  // Then the early Train (early-demo.js), for a demo that can train before the full app.
  engineWanted = true, nearDemo.disconnect(), aesopEngine(false).catch(() => {});
  import(at('early-demo.js').href).catch(() => {});
}, { rootMargin: '100% 0px' });

new MutationObserver(() => {
  if (!engineWanted) for (const el of demos) nearDemo.observe(el);
  if (!pending.length) return;
  if (mathReady) typeset(mathReady);
  else for (const el of pending) near.observe(el);
}).observe(document.documentElement, { childList: true, subtree: true });

// The full app's stylesheet (scripts/defer-css.mjs), fetched alongside it. The full app waits
// for aesopAppCss before it shows itself (src/upgrade.rs); a sheet that fails to load leaves
// the app usable, only plainer.
let appCss;
const loadAppCss = () => (appCss ??= new Promise((done) => {
  const meta = document.querySelector('meta[name="aesop-app-css"]');
  if (!meta) return done();
  const link = Object.assign(document.createElement('link'), { rel: 'stylesheet', href: meta.content });
  if (meta.dataset.integrity) link.integrity = meta.dataset.integrity;
  link.onload = link.onerror = () => done();
  document.head.append(link);
}).then(() => { window.aesopAppCss = true; }));

let full;
window.aesopLoadFull = () => {
  loadAppCss();
  return (full ??= (async () => {
    // Beside a demo, after the CPU engine (a third of its size): one at a time through a
    // slow link, the early Train (early-demo.js) can run long before the full app is in.
    const wasm = Promise.resolve(demos.length && aesopEngine(false).catch(() => {})).then(() => fetch(at('aesop_bg.wasm')));
    const app = await import(at('aesop.js').href);
    await app.default({ module_or_path: wasm });
    Promise.allSettled([engines[false]]).then(() => setTimeout(settle, 1e4));
  })().catch((e) => { full = undefined; throw e; }));
};
start().catch(fatal);
