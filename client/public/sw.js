/* global self, caches, fetch, URL, Response */
// The app shell for a pupil who opens the exam page while offline (docs/accessibility.md, "The pupil").
// Only the page and its built files are kept: never /api or /ws, whose answers must come from the server.
// The answer itself is in IndexedDB (client/src/candidate/answerSync.ts), the last registration in localStorage.
const SHELL = 'provesal-shell-v1';

self.addEventListener('install', () => self.skipWaiting());
self.addEventListener('activate', (event) => event.waitUntil(self.clients.claim()));

self.addEventListener('fetch', (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (request.method !== 'GET' || url.origin !== self.location.origin) return;
  if (request.mode === 'navigate' && !url.pathname.startsWith('/api/')) {
    // The page: the server's copy when it answers (a new build), the kept copy when it does not.
    event.respondWith(
      fetch(request)
        .then((response) => {
          if (response.ok) {
            const copy = response.clone();
            event.waitUntil(caches.open(SHELL).then((c) => c.put('/', copy)));
          }
          return response;
        })
        .catch(() => caches.match('/').then((kept) => kept ?? Response.error())),
    );
  } else if (url.pathname.startsWith('/assets/')) {
    // Built files have a content hash in their name: a kept one is never stale.
    event.respondWith(
      caches.match(request).then(
        (kept) =>
          kept ??
          fetch(request).then((response) => {
            if (response.ok) {
              const copy = response.clone();
              event.waitUntil(caches.open(SHELL).then((c) => c.put(request, copy)));
            }
            return response;
          }),
      ),
    );
  }
});
