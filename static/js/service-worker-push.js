// Web push for Hearth's service worker (appended to service-worker.js when the server serves it).
//
// A push carries only {title, body, url, tag}: the kind of notice ("A claim needs your answer") and a page inside
// Hearth. Nothing personal is in it, because the push service and a locked phone's screen can see it. Tapping the
// notification opens that page; a person who is signed out is sent to sign in first and then to the page.
/* global self, URL */
"use strict";

const PUSH_FALLBACK_PAGE = "/notifications";

// The page a tap opens: a path on this site, else the notifications page (never another site).
function pageForNotice(data, origin) {
  const wanted = data && typeof data.url === "string" ? data.url : "";
  if (!wanted.startsWith("/") || wanted.startsWith("//") || wanted.startsWith("/\\")) return PUSH_FALLBACK_PAGE;
  try {
    const url = new URL(wanted, origin);
    if (url.origin !== origin) return PUSH_FALLBACK_PAGE;
    return url.pathname + url.search + url.hash;
  } catch (error) {
    return PUSH_FALLBACK_PAGE;
  }
}

function noticeFromPush(event) {
  let data = {};
  try {
    data = event.data ? event.data.json() : {};
  } catch (error) {
    data = {};
  }
  return {
    title: typeof data.title === "string" && data.title ? data.title.slice(0, 60) : "Hearth",
    body: typeof data.body === "string" && data.body ? data.body.slice(0, 120) : "You have a new notice",
    tag: typeof data.tag === "string" ? data.tag.slice(0, 120) : undefined,
    page: pageForNotice(data, self.location.origin),
  };
}

self.addEventListener("push", (event) => {
  const notice = noticeFromPush(event);
  const icon = (self.HEARTH_SHELL && self.HEARTH_SHELL.assets || []).find((a) => a.includes("icon-192"));
  event.waitUntil(
    self.registration.showNotification(notice.title, {
      body: notice.body,
      tag: notice.tag,
      renotify: Boolean(notice.tag),
      icon,
      data: { page: notice.page },
    }),
  );
});

self.addEventListener("notificationclick", (event) => {
  event.notification.close();
  const page = pageForNotice({ url: event.notification.data && event.notification.data.page }, self.location.origin);
  event.waitUntil(
    self.clients.matchAll({ type: "window", includeUncontrolled: true }).then((windows) => {
      const open = windows.find((w) => new URL(w.url).origin === self.location.origin && "focus" in w);
      if (open) return open.navigate(page).then((w) => (w || open).focus());
      return self.clients.openWindow(page);
    }),
  );
});

if (typeof module !== "undefined") module.exports = { pageForNotice };
