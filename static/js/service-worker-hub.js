// Information hub pages for reading offline (the handbook on a train with no signal). Kept apart from the app
// shell's worker (service-worker.js) and served in front of it, so each can change without touching the other.
//
// Hub pages hold no personal data, but the layout around them does (the person's name, menu, badges), so what is
// kept is the page's offline copy: the same page rendered without any of that (`<page>/offline-copy`, marked by
// the X-Hearth-Offline-Copy header). Only /information and /information/<number> are handled; every other
// page, and newsletters' PDFs, are left to service-worker.js, which never stores them.
/* global self, caches, fetch, URL, Request, Response */
"use strict";

const HUB_CACHE = "hearth-shell-hub-pages";
const HUB_PAGE = /^\/information(?:\/\d+)?$/;

async function keepOfflineCopy(path) {
  const copy = await fetch(new Request(path + "/offline-copy", { credentials: "same-origin", cache: "no-store" }));
  if (copy.ok && copy.headers.get("X-Hearth-Offline-Copy") === "1") {
    const cache = await caches.open(HUB_CACHE);
    await cache.put(path, copy);
  }
}

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET" || request.mode !== "navigate") return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin || !HUB_PAGE.test(url.pathname) || url.search) return;
  // This listener answers hub pages; the shell worker's own fetch listener must not answer them too.
  event.stopImmediatePropagation();
  event.respondWith(
    fetch(request).then(
      (response) => {
        if (response.ok && !response.redirected) event.waitUntil(keepOfflineCopy(url.pathname).catch(() => {}));
        return response;
      },
      async () => {
        const copy = await caches.match(url.pathname, { cacheName: HUB_CACHE });
        if (copy) return copy;
        const shell = (self.HEARTH_SHELL || {}).offline || "/offline";
        return (await caches.match(shell)) || Response.error();
      },
    ),
  );
});
