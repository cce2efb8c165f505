// Progressive enhancement: GOV.UK Frontend components, then the service worker. Pages work without any of it.
// Only the components Hearth's pages render are imported (static/build.mjs bundles them, nothing else).
import {
  Button,
  Checkboxes,
  createAll,
  ErrorSummary,
  NotificationBanner,
  PasswordInput,
  Radios,
  ServiceNavigation,
  SkipLink,
} from "govuk-frontend";

for (const Component of [
  Button,
  Checkboxes,
  ErrorSummary,
  NotificationBanner,
  PasswordInput,
  Radios,
  ServiceNavigation,
  SkipLink,
]) {
  createAll(Component);
}

const SHELL_PREFIX = "hearth-shell-";

// Forget anything cached on this device except the app shell: family phones are shared.
function dropCaches() {
  const worker = navigator.serviceWorker && navigator.serviceWorker.controller;
  if (worker) worker.postMessage({ type: "hearth:signed-out" });
  if (window.caches) {
    return caches.keys()
      .then((names) => Promise.all(names.filter((n) => !n.startsWith(SHELL_PREFIX)).map((n) => caches.delete(n))))
      .catch(() => {});
  }
  return Promise.resolve();
}

// Offline drafts and the outbox live in IndexedDB, one database per person. Children's details must not stay on a
// shared phone: an explicit sign-out deletes the person's own (after asking, if some were never sent), and signing
// in as someone else deletes anyone else's.
const DRAFTS_PREFIX = "hearth-drafts-";
const user = document.body.dataset.user;
const COUNT_PREFIX = "hearth-outbox-count:";
const stored = (key) => { try { return localStorage.getItem(key); } catch (_e) { return null; } };
const waitingFor = (who) => Number(stored(COUNT_PREFIX + who) || 0);

function dropDrafts(keepUser) {
  try {
    for (const key of Object.keys(localStorage)) {
      if (key.startsWith(COUNT_PREFIX) && key !== COUNT_PREFIX + keepUser) localStorage.removeItem(key);
    }
  } catch (_e) { /* no storage: nothing kept */ }
  if (!window.indexedDB || !indexedDB.databases) return;
  indexedDB.databases().then((dbs) => {
    for (const { name } of dbs) {
      if (name && name.startsWith(DRAFTS_PREFIX) && name !== DRAFTS_PREFIX + keepUser) indexedDB.deleteDatabase(name);
    }
  }).catch(() => {});
}

if (user) dropDrafts(user);
document.addEventListener("hearth:signed-out", () => dropDrafts(null));

if (document.querySelector("form[data-hearth-upload], form[data-hearth-draft]")) {
  import("./forms.js").catch(() => {});
} else if (user && waitingFor(user)) {
  import("./outbox-ui.js").catch(() => {});
}

if (document.querySelector("input[data-lookup]")) {
  import("./lookup.js").catch(() => {});
}

if (document.querySelector("input[data-money]")) {
  import("./money.js").catch(() => {});
}

const signOut = document.querySelector("form.hearth-sign-out");
if (signOut) {
  const leave = () => {
    // Offline drafts listen for this to clear their own store; only an explicit sign-out throws them away.
    document.dispatchEvent(new CustomEvent("hearth:signed-out"));
    dropCaches();
  };
  signOut.addEventListener("submit", (event) => {
    if (!waitingFor(user) || signOut.dataset.confirmed) { leave(); return; }
    event.preventDefault(); // entries not sent yet: ask first (outbox-ui.js)
    import("./outbox-ui.js").then((ui) => ui.confirmSignOut(signOut, () => {
      signOut.dataset.confirmed = "1";
      leave();
      signOut.submit();
    })).catch(() => { signOut.dataset.confirmed = "1"; signOut.requestSubmit(); });
  });
} else if (document.body.dataset.signedIn === "false") {
  // Also on signed-out pages, for sessions that ended by timing out or in another tab.
  dropCaches();
  const waiting = waitingFor(stored("hearth-outbox-user"));
  const heading = waiting && location.pathname === "/sign-in" && document.querySelector("main h1");
  if (heading) {
    const note = document.createElement("div");
    note.className = "govuk-inset-text";
    note.textContent = `Sign in again to send ${waiting === 1 ? "1 waiting entry" : `${waiting} waiting entries`}. They are kept on this phone until then.`;
    heading.after(note);
  }
}

// Offered after a few visits, never on the first, and never again once declined for good (install.js).
let visits = 0;
try {
  if (user && !sessionStorage.getItem("hearth-visit")) {
    sessionStorage.setItem("hearth-visit", "1");
    localStorage.setItem("hearth-visits", String(Number(localStorage.getItem("hearth-visits") || 0) + 1));
  }
  visits = Number(localStorage.getItem("hearth-visits") || 0);
} catch (_e) { /* no storage: never offered */ }
window.addEventListener("beforeinstallprompt", (event) => {
  event.preventDefault(); // the browser's own bar would come on the first visit
  if (user && visits >= 3 && !stored("hearth-install-declined")) import("./install.js").then((m) => m.offer(event)).catch(() => {});
});

// Notifications on this device: offered only after something the person did succeeded, never on a first visit
// (visits are counted above), and never again once answered; the account page has the switch itself.
function pushOfferDue() {
  try {
    return visits > 1 && !localStorage.getItem("hearth-push-asked") &&
      Boolean(document.querySelector(".govuk-notification-banner--success"));
  } catch (error) {
    return false; // storage blocked: never ask
  }
}
if (document.querySelector("[data-hearth-push-settings]") || (document.querySelector("[data-hearth-push-offer]") && pushOfferDue())) {
  import("./push.js").catch(() => {});
}

// Messages shown on screen count as read: their "Mark as read" form is sent in the background, once the page is
// actually visible (a tab opened in the background has not been read yet).
const readOnView = document.querySelector("form[data-hearth-read-on-view]");
if (readOnView) {
  const markRead = () => {
    if (document.visibilityState !== "visible") return;
    document.removeEventListener("visibilitychange", markRead);
    fetch(readOnView.action, { method: "POST", body: new FormData(readOnView), credentials: "same-origin", redirect: "manual" })
      .then(() => { readOnView.hidden = true; })
      .catch(() => {});
  };
  document.addEventListener("visibilitychange", markRead);
  markRead();
}

if ("serviceWorker" in navigator) {
  navigator.serviceWorker.register("/service-worker.js", { scope: "/" }).catch(() => {});
}
