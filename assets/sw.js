// AESOP's service worker: after a first visit the app and its content work offline.
// scripts/precache.mjs fills in this build's version and file lists. Two rules keep a page
// from ever mixing two builds while letting a host edit content without rebuilding:
// - files whose names carry a content hash (wasm, JS, CSS) never change, so they are served
//   from the cache first, and kept as they are fetched;
// - everything else (index.html, content/, llm-config.json) goes to the network first and
//   falls back to the cache only when offline. A new index.html names new hashed files,
//   which are fetched, never mixed with the old ones.
// Only this site's own files are handled; the LLM endpoint always goes to the network.
//
// Nothing is fetched for the cache while a learner waits for a page or a first demo: the page
// asks for the precache (boot.js, aesopPrecache) once a demo has trained, or for what reading
// needs after a minute; the full app reads every step's file once a demo has trained or its
// own downloads have been in for ten seconds.
// Files the page has already loaded then come from the browser's HTTP cache (hashed ones) or
// cost a revalidation (the rest), never a second download.
const VERSION = '__VERSION__';
const FILES = __FILES__;
const CACHE = `aesop-${VERSION}`;
const HASHED = /-[0-9a-f]{16}(_bg)?\.(wasm|js|css|svg)$/;

self.addEventListener('install', (event) => {
  event.waitUntil(caches.open(CACHE));
});

self.addEventListener('activate', (event) => {
  event.waitUntil(caches.keys().then((keys) => Promise.all(keys.filter((k) => k.startsWith('aesop-') && k !== CACHE).map((k) => caches.delete(k)))));
});

// What only demos, quizzes, labs and formulas need: the full app, the math module, the CPU
// engine. A page that has not trained yet precaches for reading only ('precache-reading').
const ON_DEMAND = /^(aesop(\.js|_bg\.wasm)|aesop-math.*|aesop-worker-cpu-.*)$/;
const precaching = {};
async function precache(all) {
  const cache = await caches.open(CACHE);
  for (const file of FILES.filter((f) => all || !ON_DEMAND.test(f))) {
    if (await cache.match(file)) continue;
    try {
      const response = await fetch(new Request(file, { cache: HASHED.test(file) ? 'default' : 'no-cache' }));
      if (response.ok) await cache.put(file, response);
    } catch {
      // Offline or a hiccup: the next page load asks again.
    }
  }
}

self.addEventListener('message', (event) => {
  const all = event.data === 'precache';
  if (all || event.data === 'precache-reading') {
    event.waitUntil((precaching[all] ??= precache(all).finally(() => (precaching[all] = undefined))));
  }
});

self.addEventListener('fetch', (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (request.method !== 'GET' || url.origin !== self.location.origin) return;
  event.respondWith(
    caches.open(CACHE).then(async (cache) => {
      const cached = async () =>
        (await cache.match(request, { ignoreSearch: true })) ?? (request.mode === 'navigate' ? await cache.match('index.html') : undefined);
      if (HASHED.test(url.pathname)) {
        const hit = await cached();
        if (hit) return hit;
        const response = await fetch(request);
        if (response.ok && response.status === 200) cache.put(request, response.clone());
        return response;
      }
      try {
        // Revalidate with the host so an edited lesson shows on the next load (a navigation
        // request cannot be re-made with other options).
        const response = await fetch(request.mode === 'navigate' ? request : new Request(request, { cache: 'no-cache' }));
        if (response.ok && !url.search) cache.put(request, response.clone());
        return response;
      } catch (offline) {
        const hit = await cached();
        if (hit) return hit;
        throw offline;
      }
    }),
  );
});
