// The visible outbox: "2 waiting to send", each entry's title with a way to open or discard it, and why they wait
// (offline, signed out). Sends on start, when the connection comes back, when the page is shown again, every little
// while as long as something waits, and through Background Sync where the browser has it (the service worker).
// Also asks before signing out with unsent entries: the outbox is per person and the phone may be shared.
import "./outbox.js";

const Outbox = self.HearthOutbox;
const user = document.body.dataset.user;
const COUNT = (who) => `hearth-outbox-count:${who}`;
const OPEN = "hearth-outbox-open";
const RETRY_MS = 20_000;

let lastState = "empty";
let timer = null;
let sentNow = [];

function remember(count) {
  try {
    localStorage.setItem(COUNT(user), String(count));
    if (count) localStorage.setItem("hearth-outbox-user", user);
  } catch (_e) { /* private mode: the panel still shows, the sign-in page just cannot say how many */ }
}

const entries = (n) => (n === 1 ? "1 waiting entry" : `${n} waiting entries`);

function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) node.setAttribute(name, value);
  node.append(...children);
  return node;
}

function panel() {
  let box = document.getElementById("hearth-outbox");
  if (!box) {
    box = el("section", { id: "hearth-outbox", class: "hearth-outbox", "aria-labelledby": "hearth-outbox-title" });
    const main = document.querySelector("main");
    if (!main) return null;
    main.prepend(box);
  }
  return box;
}

function statusText(state, waiting) {
  if (state === "signin") return null; // a link, drawn below
  if (state === "offline") return "You are offline. They will be sent when your phone is back online.";
  if (state === "sending") return "Sending…";
  if (waiting.some((e) => e.state !== "refused")) return "Hearth could not take them just now. Trying again shortly.";
  return "Open each one to check it, then send it again.";
}

function render(state, waiting) {
  const box = panel();
  if (!box) return;
  box.replaceChildren();
  if (!waiting.length) {
    if (!sentNow.length) { box.remove(); return; }
    box.append(el("h2", { class: "govuk-heading-s", id: "hearth-outbox-title" }, "Sent"));
    const list = el("ul", { class: "govuk-list" });
    for (const item of sentNow) {
      list.append(el("li", {}, `${item.title}: `, el("a", { class: "govuk-link", href: item.url }, "see what was sent")));
    }
    box.append(el("p", { class: "govuk-body", role: "status" }, "Everything waiting on this phone has been sent."), list);
    return;
  }
  box.append(el("h2", { class: "govuk-heading-s", id: "hearth-outbox-title" }, `${waiting.length} waiting to send`));
  const status = el("p", { class: "govuk-body", role: "status" });
  const text = statusText(state, waiting);
  if (text) status.append(text);
  else {
    const next = encodeURIComponent(location.pathname + location.search);
    status.append(el("a", { class: "govuk-link", href: `/sign-in?next=${next}` }, `Sign in again to send ${entries(waiting.length)}`),
      ". They are kept on this phone until then.");
  }
  box.append(status);
  const list = el("ul", { class: "govuk-list hearth-outbox__list" });
  for (const entry of waiting) {
    const hidden = el("span", { class: "govuk-visually-hidden" }, ` ${entry.title}`);
    const open = el("button", { type: "button", class: "govuk-button govuk-button--secondary hearth-outbox__button", "data-open": entry.id }, "Open", hidden.cloneNode(true));
    const discard = el("button", { type: "button", class: "govuk-button govuk-button--warning hearth-outbox__button", "data-discard": entry.id }, "Discard", hidden);
    const item = el("li", { class: "hearth-outbox__entry" }, el("span", { class: "hearth-outbox__title" }, entry.title));
    if (entry.note) item.append(el("span", { class: "govuk-error-message hearth-outbox__note" }, entry.note));
    item.append(el("span", { class: "govuk-button-group" }, open, discard));
    list.append(item);
  }
  box.append(list);
}

// Forms on this page whose entry has gone out stop saying "You are offline".
function settleForms(waiting) {
  const keys = new Set(waiting.map(Outbox.keyOf));
  for (const form of document.querySelectorAll("form[data-hearth-queued-key]")) {
    if (keys.has(form.dataset.hearthQueuedKey)) continue;
    delete form.dataset.hearthQueuedKey;
    const label = form.querySelector(".hearth-progress [aria-live]");
    if (label) label.textContent = "Sent. Hearth has stored it.";
  }
}

function show(result) {
  lastState = result.state;
  sentNow = sentNow.concat(result.sent || []);
  const waiting = result.waiting || [];
  remember(waiting.length);
  render(result.state, waiting);
  settleForms(waiting);
  clearTimeout(timer);
  if (waiting.some((e) => e.state !== "refused") && result.state !== "signin") timer = setTimeout(send, RETRY_MS);
  return result;
}

let sending = null;
let again = false;
export function send() {
  if (!user) return Promise.resolve();
  // Asked again while an attempt is under way (the connection came back during an attempt that is failing):
  // one more attempt follows it, rather than a wait for the next retry.
  if (sending) again = true;
  else {
    if (document.getElementById("hearth-outbox")) {
      Outbox.list(user).then((waiting) => { if (sending) render("sending", waiting); }).catch(() => {});
    }
    sending = Outbox.flush(user).then(show, () => refresh()).finally(() => {
      sending = null;
      if (again) { again = false; send(); }
    });
  }
  return sending;
}

export function refresh() {
  return Outbox.list(user).then((waiting) => show({ state: lastState, sent: [], waiting })).catch(() => {});
}

// The service worker sent entries (Background Sync): listed as sent here too, if they were this person's.
function sentByWorker(data) {
  const sent = data.user === user && Array.isArray(data.sent) ? data.sent : [];
  return Outbox.list(user).then((waiting) => show({ state: lastState, sent, waiting })).catch(() => {});
}

// Called by forms.js after it put an entry in the outbox.
export function queued() {
  lastState = navigator.onLine ? lastState : "offline";
  if (navigator.serviceWorker && navigator.serviceWorker.ready) {
    navigator.serviceWorker.ready.then((reg) => reg.sync && reg.sync.register("hearth-outbox")).catch(() => {});
  }
  return refresh().then(() => (navigator.onLine ? send() : null));
}

// A form sent normally with a key that was also waiting in the outbox (opened and sent again): the copy goes.
export function sentElsewhere(field) {
  if (field && field.value) Outbox.removeByKey(user, field.value).then(refresh).catch(() => {});
}

// Opening an entry: its page is loaded and the form filled with what was typed (files included), its key kept.
function open(id) {
  return Outbox.list(user).then((waiting) => {
    const entry = waiting.find((e) => String(e.id) === String(id));
    if (!entry) return;
    sessionStorage.setItem(OPEN, String(entry.id));
    if (location.pathname === entry.page) opened();
    else location.assign(entry.page);
  });
}

export function opened() {
  const id = sessionStorage.getItem(OPEN);
  if (!id || !user) return;
  sessionStorage.removeItem(OPEN);
  Outbox.list(user).then((waiting) => {
    const entry = waiting.find((e) => String(e.id) === id);
    const form = entry && [...document.querySelectorAll("form[data-hearth-outbox]")]
      .find((f) => new URL(f.getAttribute("action") || location.pathname, location.href).pathname === entry.action);
    if (!form) return;
    const files = {};
    for (const [name, value] of entry.entries) {
      if (name === "csrf_token") continue;
      const fields = form.querySelectorAll(`[name="${CSS.escape(name)}"]`);
      if (value && typeof value === "object" && "size" in value) {
        (files[name] = files[name] || []).push(value);
      } else {
        for (const field of fields) {
          if (field.type === "checkbox" || field.type === "radio") { if (field.value === value) field.checked = true; } else field.value = value;
        }
      }
    }
    for (const [name, list] of Object.entries(files)) {
      const input = form.querySelector(`input[type=file][name="${CSS.escape(name)}"]`);
      if (!input || !window.DataTransfer) continue;
      const transfer = new DataTransfer();
      for (const file of list) transfer.items.add(file);
      input.files = transfer.files;
    }
    const heading = document.querySelector("h1");
    if (heading) { heading.setAttribute("tabindex", "-1"); heading.focus(); }
  }).catch(() => {});
}

function discard(id) {
  return Outbox.list(user).then((waiting) => {
    const entry = waiting.find((e) => String(e.id) === String(id));
    if (!entry || !window.confirm(`Discard "${entry.title}"? It has not been sent and will be deleted from this phone.`)) return null;
    return Outbox.remove(user, entry.id).then(refresh);
  });
}

// Signing out with unsent entries: stay signed in so they can be sent, or discard them and sign out.
export function confirmSignOut(form, proceed) {
  return Outbox.list(user).then((waiting) => {
    if (!waiting.length) { remember(0); proceed(); return; }
    document.getElementById("hearth-sign-out-check")?.remove();
    const title = el("h2", { class: "govuk-heading-m", id: "hearth-sign-out-check-title", tabindex: "-1" },
      `${waiting.length === 1 ? "1 entry has" : `${waiting.length} entries have`} not been sent yet`);
    const stay = el("button", { type: "button", class: "govuk-button" }, "Stay signed in to send them");
    const drop = el("button", { type: "button", class: "govuk-button govuk-button--warning" }, "Discard them and sign out");
    const box = el("div", { id: "hearth-sign-out-check", class: "hearth-sign-out-check", role: "group", "aria-labelledby": "hearth-sign-out-check-title" },
      title,
      el("p", { class: "govuk-body" }, "They are kept on this phone until they are sent. If you sign out now they are deleted, because someone else may use this phone."),
      el("div", { class: "govuk-button-group" }, stay, drop));
    form.after(box);
    title.focus();
    stay.addEventListener("click", () => { box.remove(); send(); });
    drop.addEventListener("click", () => Outbox.clear(user).then(() => { remember(0); proceed(); }));
  }).catch(() => proceed());
}

export function start() {
  document.addEventListener("click", (event) => {
    const target = event.target.closest("[data-open], [data-discard]");
    if (!target || !target.closest("#hearth-outbox")) return;
    if (target.dataset.open) open(target.dataset.open);
    else discard(target.dataset.discard);
  });
  window.addEventListener("online", () => send());
  window.addEventListener("offline", () => { lastState = "offline"; refresh(); });
  document.addEventListener("visibilitychange", () => { if (document.visibilityState === "visible") send(); });
  if (navigator.serviceWorker) {
    navigator.serviceWorker.addEventListener("message", (event) => {
      if (event.data && event.data.type === "hearth:outbox") sentByWorker(event.data);
    });
  }
  return Outbox.list(user).then((waiting) => {
    show({ state: navigator.onLine ? "sending" : "offline", sent: [], waiting });
    return waiting.length ? send() : null;
  }).catch(() => {});
}

if (user) start();
