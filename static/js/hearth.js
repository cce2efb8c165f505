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

// Offline drafts live in IndexedDB, one database per person. Children's details must not stay on a shared phone:
// an explicit sign-out deletes the person's own drafts, and signing in as someone else deletes anyone else's.
const DRAFTS_PREFIX = "hearth-drafts-";
function dropDrafts(keepUser) {
  if (!window.indexedDB || !indexedDB.databases) return;
  indexedDB.databases().then((dbs) => {
    for (const { name } of dbs) {
      if (name && name.startsWith(DRAFTS_PREFIX) && name !== DRAFTS_PREFIX + keepUser) indexedDB.deleteDatabase(name);
    }
  }).catch(() => {});
}

if (document.body.dataset.user) dropDrafts(document.body.dataset.user);
document.addEventListener("hearth:signed-out", () => dropDrafts(null));

if (document.querySelector("form[data-hearth-upload], form[data-hearth-draft]")) {
  import("./forms.js").catch(() => {});
}

if (document.querySelector("input[data-lookup]")) {
  import("./lookup.js").catch(() => {});
}

if (document.querySelector("input[data-money]")) {
  import("./money.js").catch(() => {});
}

const signOut = document.querySelector("form.hearth-sign-out");
if (signOut) {
  signOut.addEventListener("submit", () => {
    // Offline drafts listen for this to clear their own store; only an explicit sign-out throws them away.
    document.dispatchEvent(new CustomEvent("hearth:signed-out"));
    dropCaches();
  });
} else if (document.body.dataset.signedIn === "false") {
  // Also on signed-out pages, for sessions that ended by timing out or in another tab.
  dropCaches();
}

if ("serviceWorker" in navigator) {
  navigator.serviceWorker.register("/service-worker.js", { scope: "/" }).catch(() => {});
}
