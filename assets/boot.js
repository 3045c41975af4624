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

let full;
window.aesopLoadFull = () => (full ??= import(new URL('aesop_loader.js', document.baseURI).href).catch((e) => { full = undefined; throw e; }));
start().catch(fatal);
