// The web app installed on a phone (manifest.json) opens without a network:
// this worker keeps the app's shell — the page, its hashed scripts and
// styles, config.js, the icon — and nothing else. GraphQL answers, exports
// and uploads carry people's data and always go to the network; a write
// made offline waits in the app's outbox (src/lib/outbox.ts), not here.
const shell = 'yanzhen-shell-v1'

self.addEventListener('install', (event) => {
  self.skipWaiting()
  event.waitUntil(caches.open(shell).then((c) => c.addAll(['/', '/config.js', '/favicon.svg', '/manifest.json'])))
})

self.addEventListener('activate', (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((keys) => Promise.all(keys.filter((k) => k !== shell).map((k) => caches.delete(k))))
      .then(() => self.clients.claim()),
  )
})

const data = ['/graphql', '/export/', '/import-jobs/', '/roster-template.xlsx', '/healthz', '/readyz']

self.addEventListener('fetch', (event) => {
  const req = event.request
  const url = new URL(req.url)
  if (req.method !== 'GET' || url.origin !== self.location.origin || data.some((p) => url.pathname.startsWith(p))) return
  if (req.mode === 'navigate') {
    // The page: fresh when online (a new release), the kept one offline.
    event.respondWith(
      fetch(req)
        .then((resp) => {
          if (resp.ok) caches.open(shell).then((c) => c.put('/', resp.clone()))
          return resp
        })
        .catch(() => caches.match('/')),
    )
    return
  }
  if (url.pathname.startsWith('/assets/')) {
    // Hashed names never change: kept once fetched.
    event.respondWith(
      caches.match(req).then(
        (hit) =>
          hit ||
          fetch(req).then((resp) => {
            if (resp.ok) caches.open(shell).then((c) => c.put(req, resp.clone()))
            return resp
          }),
      ),
    )
    return
  }
  event.respondWith(fetch(req).catch(() => caches.match(req)))
})
