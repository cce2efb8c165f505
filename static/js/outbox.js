// The outbox: forms sent while offline (or while the session had run out) wait in IndexedDB, one database per
// person, and are sent again until the server says, explicitly, that it stored them. Shared by the pages (bundled
// into forms.js and outbox-ui.js) and the service worker (prepended to it by portal/pwa/routes.py for Background
// Sync), so it is written as a plain script: no imports, no exports, no `document`.
//
// Only `200` with an `X-Hearth-Stored` header counts as sent (portal/core/outbox.py). Requests go with `redirect:
// "manual"`: a redirect, to the sign-in page above all, is never success, and the entry stays. Every entry carries the
// idempotency key its form was drawn with, so sending it twice, or five times at once, stores it once.
/* global self, indexedDB, fetch, FormData, Response */
(function install(scope) {
  "use strict";

  const PREFIX = "hearth-drafts-";
  const SESSION_URL = "/outbox/session";

  function openDb(user) {
    return new Promise((resolve, reject) => {
      const request = indexedDB.open(PREFIX + user, 1);
      request.onupgradeneeded = () => {
        request.result.createObjectStore("drafts");
        request.result.createObjectStore("outbox", { autoIncrement: true });
      };
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error);
    });
  }

  function inStore(user, name, mode, work) {
    return openDb(user).then((db) => new Promise((resolve, reject) => {
      const tx = db.transaction(name, mode);
      const result = work(tx.objectStore(name));
      tx.oncomplete = () => { db.close(); resolve(result && "result" in result ? result.result : undefined); };
      tx.onerror = () => { db.close(); reject(tx.error); };
    }));
  }

  const keyOf = (entry) => {
    const found = (entry.entries || []).find(([name]) => name === "idempotency_key");
    return found ? found[1] : null;
  };

  // Every waiting entry of `user`, oldest first: [{id, action, page, title, entries, state, note, queuedAt}].
  function list(user) {
    if (!user) return Promise.resolve([]);
    return inStore(user, "outbox", "readonly", (s) => {
      const out = [];
      const cursor = s.openCursor();
      cursor.onsuccess = () => {
        const c = cursor.result;
        if (!c) return;
        out.push({ ...c.value, id: c.key });
        c.continue();
      };
      return { get result() { return out; } };
    });
  }

  // Adds an entry; one already waiting with the same idempotency key (the same form sent again) is replaced.
  function add(user, entry) {
    const key = keyOf(entry);
    return list(user).then((waiting) => inStore(user, "outbox", "readwrite", (s) => {
      for (const old of waiting) if (key && keyOf(old) === key) s.delete(old.id);
      return s.add({ queuedAt: Date.now(), state: "waiting", ...entry });
    }));
  }

  function remove(user, id) {
    return inStore(user, "outbox", "readwrite", (s) => s.delete(id));
  }

  function removeByKey(user, key) {
    return list(user).then((waiting) => Promise.all(waiting.filter((e) => keyOf(e) === key).map((e) => remove(user, e.id))));
  }

  function clear(user) {
    return inStore(user, "outbox", "readwrite", (s) => s.clear());
  }

  function mark(user, entry, state, note) {
    const { id, ...value } = entry;
    return inStore(user, "outbox", "readwrite", (s) => s.put({ ...value, state, note: note || "" }, id));
  }

  // Who is signed in, with a form token of this session (an entry's own token died with the session it was typed in).
  function session() {
    return fetch(SESSION_URL, { credentials: "same-origin", cache: "no-store", headers: { Accept: "application/json" } })
      .then((r) => (r.ok ? r.json() : Promise.reject(new Error(`session check answered ${r.status}`))));
  }

  function bodyOf(entry, token) {
    const data = new FormData();
    for (const [name, value] of entry.entries) {
      if (name === "csrf_token") continue;
      if (value && typeof value === "object" && "size" in value) data.append(name, value, value.name || "file");
      else data.append(name, value);
    }
    data.append("csrf_token", token);
    return data;
  }

  // One attempt: "sent" (with the stored path), "signin", "refused" (the server would not take it as it is),
  // "retry" (the server had a problem) or "offline" (no answer at all).
  function sendOne(entry, token) {
    return fetch(entry.action, {
      method: "POST",
      body: bodyOf(entry, token),
      credentials: "same-origin",
      redirect: "manual",
      headers: { "X-Hearth-Outbox": "1", Accept: "application/json" },
    }).then((r) => {
      const stored = r.status === 200 && r.headers.get("X-Hearth-Stored");
      if (stored) return { outcome: "sent", url: stored };
      if (r.type === "opaqueredirect" || r.status === 401) return { outcome: "signin" };
      // The session was checked just before, so a refused form token is not a lapsed session: the form needs a look.
      if ([400, 403, 404, 413, 422].includes(r.status)) {
        return { outcome: "refused", note: r.status === 413 ? "The file is too big to send" : "Hearth could not accept this as it is: open it to check" };
      }
      return { outcome: "retry" };
    }, () => ({ outcome: "offline" }));
  }

  function withLock(work) {
    // One sender at a time per browser (a page and the service worker may both try); the keys would keep a
    // duplicate from being stored, but there is no need to send it.
    const locks = scope.navigator && scope.navigator.locks;
    return locks ? locks.request("hearth-outbox", work) : work();
  }

  // Sends whatever `expectedUser` (or, without one, whoever is signed in) has waiting. Resolves to
  // {state: "empty"|"sent"|"offline"|"signin"|"waiting", user, sent: [{title, url}], waiting: [entries]}.
  function flush(expectedUser) {
    return withLock(async () => {
      let who;
      try {
        who = await session();
      } catch (_e) {
        return { state: "offline", user: expectedUser, sent: [], waiting: await list(expectedUser).catch(() => []) };
      }
      if (!who.signed_in || (expectedUser && who.user !== expectedUser)) {
        return { state: "signin", user: expectedUser, sent: [], waiting: await list(expectedUser).catch(() => []) };
      }
      const user = who.user;
      const sent = [];
      let state = "sent";
      for (const entry of await list(user)) {
        if (entry.state === "refused") continue; // waits for the person to open it, correct it and send it again
        const result = await sendOne(entry, who.csrf_token);
        if (result.outcome === "sent") {
          await remove(user, entry.id);
          sent.push({ title: entry.title, url: result.url });
        } else if (result.outcome === "refused") {
          await mark(user, entry, "refused", result.note);
        } else {
          state = result.outcome === "signin" ? "signin" : result.outcome === "offline" ? "offline" : "waiting";
          break;
        }
      }
      const waiting = await list(user);
      if (state === "sent" && !waiting.length && !sent.length) state = "empty";
      else if (state === "sent" && waiting.length) state = "waiting";
      return { state, user, sent, waiting };
    });
  }

  scope.HearthOutbox = { list, add, remove, removeByKey, clear, flush, keyOf };
})(typeof self !== "undefined" ? self : globalThis);
