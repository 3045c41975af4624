// AESOP's service worker: after a first visit the app and its content work offline.
// scripts/precache.mjs fills in this build's version and file list, so every build has a
// different worker; the new one caches its whole build beside the old cache and takes
// over on the next visit, so a page never mixes files from two builds. Only this site's
// own files are served from the cache; the LLM endpoint always goes to the network.
const VERSION = '__VERSION__';
const FILES = __FILES__;
const CACHE = `aesop-${VERSION}`;

self.addEventListener('install', (event) => {
  event.waitUntil(caches.open(CACHE).then((cache) => cache.addAll(FILES.map((f) => new Request(f, { cache: 'no-cache' })))));
});

self.addEventListener('activate', (event) => {
  event.waitUntil(caches.keys().then((keys) => Promise.all(keys.filter((k) => k.startsWith('aesop-') && k !== CACHE).map((k) => caches.delete(k)))));
});

self.addEventListener('fetch', (event) => {
  const request = event.request;
  if (request.method !== 'GET' || new URL(request.url).origin !== self.location.origin) return;
  event.respondWith(
    caches.open(CACHE).then(async (cache) => {
      // `./` and `?embed=1` both mean index.html.
      const hit = (await cache.match(request, { ignoreSearch: true })) ?? (request.mode === 'navigate' ? await cache.match('index.html') : undefined);
      return hit ?? fetch(request);
    }),
  );
});
