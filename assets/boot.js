// Starts AESOP. The reader (lessons: what a first visit needs) starts at once, from the
// <meta name="aesop-app" content="JS WASM"> Trunk writes for it. The full app (demos,
// quizzes, the test, labs) starts only when the reader calls window.aesopLoadFull():
// importing Trunk's aesop_loader.js instantiates it.
const [js, wasm] = document.querySelector('meta[name="aesop-app"]').content.split(' ');

async function start() {
  const bindings = await import(new URL(js, document.baseURI).href);
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
const fetchEarly = (path) => (files[path] = fetch(`content/${path}`));
async function fetchFirstPage() {
  const [module, step] = location.hash.split('?')[0].replace(/^#\/?/, '').split('/');
  const manifest = await (await fetchEarly('course.json')).clone().json();
  const m = step && manifest.modules?.find((m) => m.id === module);
  const file = m?.steps?.find((s) => s.id === step && s.kind === 'lesson')?.file;
  if (file) fetchEarly(`${m.folder}/${file}`);
}
window.aesopEarly = { files, ready: fetchFirstPage().catch(() => {}) };

let full;
window.aesopLoadFull = () => (full ??= import(new URL('aesop_loader.js', document.baseURI).href).catch((e) => { full = undefined; throw e; }));
start().catch(fatal);
