// Hearth's service worker: keeps the app shell (built CSS/JS, icons and the signed-out offline page) for use
// offline, and nothing else. Pages, API answers, photos and documents hold children's details and may be on a
// shared family phone, so they always come from the network and are never stored.
//
// The server prepends `self.HEARTH_SHELL = {version, assets, offline}` when it serves this file, so a new build
// changes the worker's bytes and the browser installs the new version, and outbox.js (self.HearthOutbox), so
// Background Sync can send what waits in the outbox while no page is open.
/* global self, caches, fetch, URL, Request */
"use strict";

const SHELL = self.HEARTH_SHELL || { version: "dev", assets: [], offline: "/offline" };
const PREFIX = "hearth-shell-";
const CACHE = PREFIX + SHELL.version;

self.addEventListener("install", (event) => {
  event.waitUntil(
    caches.open(CACHE).then(async (cache) => {
      await cache.addAll(SHELL.assets);
      // Without cookies: the offline page must be the signed-out version, never someone's name and menu.
      const offline = await fetch(new Request(SHELL.offline, { credentials: "omit", cache: "no-store" }));
      if (!offline.ok) throw new Error("offline page unavailable");
      await cache.put(SHELL.offline, offline);
    }).then(() => self.skipWaiting()),
  );
});

async function dropOtherCaches(keep) {
  const names = await caches.keys();
  await Promise.all(names.filter((name) => !keep(name)).map((name) => caches.delete(name)));
}

self.addEventListener("activate", (event) => {
  event.waitUntil(dropOtherCaches((name) => name === CACHE).then(() => self.clients.claim()));
});

// Sent by the page on sign-out (and on signed-out pages): anything but the current shell goes.
self.addEventListener("message", (event) => {
  if (event.data && event.data.type === "hearth:signed-out") {
    event.waitUntil(dropOtherCaches((name) => name === CACHE));
  }
});

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;

  if (request.mode === "navigate") {
    // Network first, and the answer is not stored; only when the network fails is the offline page shown.
    event.respondWith(
      fetch(request).catch(async () => (await caches.match(SHELL.offline, { cacheName: CACHE })) || Response.error()),
    );
    return;
  }

  if (SHELL.assets.includes(url.pathname)) {
    // Built files carry a content hash in their name, so the cached copy is always the right one.
    event.respondWith(
      caches.match(url.pathname, { cacheName: CACHE }).then((hit) => hit || fetch(request)),
    );
  }
  // Anything else (API, photos, documents, pages fetched by scripts) goes to the network untouched.
});

// Background Sync: a page registers "hearth-outbox" when it queues an entry; the browser fires this once it is back
// online, even if the page was closed. Failing while still offline asks the browser to try again later.
self.addEventListener("sync", (event) => {
  if (event.tag !== "hearth-outbox" || !self.HearthOutbox) return;
  event.waitUntil(
    self.HearthOutbox.flush().then(async (result) => {
      for (const client of await self.clients.matchAll({ type: "window" })) {
        // What it sent, so an open page says "sent" as when the page sends: the page's own attempt, waiting for
        // the same lock, then finds nothing left and would otherwise say nothing.
        client.postMessage({ type: "hearth:outbox", state: result.state, user: result.user, sent: result.sent });
      }
      if (result.state === "offline") throw new Error("still offline");
    }),
  );
});
