// The service worker of Skating Live (served at /sw.js, scope "/"): push notifications about followed skaters, and
// the last standings this device saw when it is offline. A classic worker script, no imports.
//
// - push: the payload is JSON {kind, title, body, url, race, skater} (docs/feed.md, "Push notifications"); shown as a
//   notification, one per skater and race and kind (a newer one replaces an older one with the same tag).
// - notificationclick: opens the race's board at the skater's row (or brings an open board there).
// - fetch: pages, their scripts and styles, and the JSON feed from the network first (the browser's own HTTP cache
//   still applies), and kept; offline, the kept copy: the board shows its standings with the time they are from.

const CACHE = "skating-live-v1";
const ICON = "/static/results/icons/icon-192.png";
const BADGE = "/static/results/icons/badge-96.png";
const KEPT_PAGES = 40;

self.addEventListener("install", () => self.skipWaiting());

self.addEventListener("activate", (event) => {
  event.waitUntil(
    (async () => {
      for (const name of await caches.keys()) {
        if (name !== CACHE) await caches.delete(name);
      }
      await self.clients.claim();
    })(),
  );
});

function pushed(event) {
  try {
    return event.data ? event.data.json() : null;
  } catch {
    return null;
  }
}

self.addEventListener("push", (event) => {
  const message = pushed(event);
  if (!message || !message.title) return;
  event.waitUntil(
    self.registration.showNotification(message.title, {
      body: message.body ?? "",
      icon: ICON,
      badge: BADGE,
      tag: `${message.kind}-${message.race}-${message.skater}`,
      data: { url: message.url ?? "/" },
    }),
  );
});

self.addEventListener("notificationclick", (event) => {
  event.notification.close();
  const url = new URL(event.notification.data?.url ?? "/", self.location.origin).href;
  event.waitUntil(
    (async () => {
      const open = await self.clients.matchAll({ type: "window", includeUncontrolled: true });
      const board = open.find((client) => client.url.split("#")[0] === url.split("#")[0]);
      if (board) {
        await board.navigate(url).catch(() => null);
        return board.focus();
      }
      return self.clients.openWindow(url);
    })(),
  );
});

// Keeps a good answer for when the network is gone; the oldest pages go first.
async function keep(request, response) {
  if (!response.ok || response.type !== "basic") return response;
  const cache = await caches.open(CACHE);
  await cache.put(request, response.clone());
  const pages = (await cache.keys()).filter((entry) => !new URL(entry.url).pathname.startsWith("/static/"));
  for (const old of pages.slice(0, Math.max(0, pages.length - KEPT_PAGES))) await cache.delete(old);
  return response;
}

async function networkFirst(request) {
  try {
    return await keep(request, await fetch(request));
  } catch (error) {
    const cached = await caches.match(request, { ignoreVary: true });
    if (cached) return cached;
    throw error;
  }
}

self.addEventListener("fetch", (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (request.method !== "GET" || url.origin !== self.location.origin) return;
  if (url.pathname.startsWith("/admin/") || url.pathname.startsWith("/api/push/")) return;
  const kept = ["/static/", "/api/", "/jsi18n/"].some((prefix) => url.pathname.startsWith(prefix));
  if (request.mode === "navigate" || kept) event.respondWith(networkFirst(request));
});
