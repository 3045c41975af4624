// AESOP's service worker: after a first visit the app and its content work offline.
// scripts/precache.mjs fills in this build's version and file list. Two rules keep a page
// from ever mixing two builds while letting a host edit content without rebuilding:
// - files whose names carry trunk's content hash (wasm, JS, CSS) never change, so they
//   are served from the cache first;
// - everything else (index.html, content/, llm-config.json) goes to the network first and
//   falls back to the cache only when offline. A new index.html names new hashed files,
//   which are fetched, never mixed with the old ones.
// Only this site's own files are handled; the LLM endpoint always goes to the network.
const VERSION = '__VERSION__';
const FILES = __FILES__;
const CACHE = `aesop-${VERSION}`;

self.addEventListener('install', (event) => {
  event.waitUntil(caches.open(CACHE).then((cache) => cache.addAll(FILES.map((f) => new Request(f, { cache: 'no-cache' })))));
});

self.addEventListener('activate', (event) => {
  event.waitUntil(caches.keys().then((keys) => Promise.all(keys.filter((k) => k.startsWith('aesop-') && k !== CACHE).map((k) => caches.delete(k)))));
});

const HASHED = /-[0-9a-f]{16}(_bg)?\.(wasm|js|css|svg)$/;

self.addEventListener('fetch', (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (request.method !== 'GET' || url.origin !== self.location.origin) return;
  event.respondWith(
    caches.open(CACHE).then(async (cache) => {
      const cached = async () =>
        (await cache.match(request, { ignoreSearch: true })) ?? (request.mode === 'navigate' ? await cache.match('index.html') : undefined);
      if (HASHED.test(url.pathname)) return (await cached()) ?? fetch(request);
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
