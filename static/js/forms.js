// Forms that carry files or long text, on phones with poor signal. Loaded only on pages that have such forms.
// - data-hearth-upload: photos are downscaled in the browser (less data; the canvas copy has no metadata), then
//   sent with a real progress bar. A refused upload shows the server's page without losing the rest of the form.
//   data-hearth-upload="originals" sends photos as they are (a memory box keeps the full photo and its date).
// - data-hearth-draft="<url>": what is typed is saved on the server every few seconds, and on this device while
//   offline.
// - A form sent while offline, or after the session ran out, waits in the outbox (outbox.js, shown by outbox-ui.js)
//   under its data-hearth-outbox title and is sent, with its idempotency key, until the server says it is stored.
// Everything here is an enhancement: without JavaScript the same forms post normally.
import { opened, queued, sentElsewhere } from "./outbox-ui.js";

const Outbox = self.HearthOutbox;

// One store per person: on a shared family phone, one carer's drafts never appear in another's form.
const DB_NAME = `hearth-drafts-${document.body.dataset.user}`;
const MAX_EDGE = 2560;
const DOWNSCALE_ABOVE_BYTES = 1.5 * 1024 * 1024;

function openDb() {
  return new Promise((resolve, reject) => {
    const request = indexedDB.open(DB_NAME, 1);
    request.onupgradeneeded = () => {
      request.result.createObjectStore("drafts");
      request.result.createObjectStore("outbox", { autoIncrement: true });
    };
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
}

function store(name, mode, work) {
  return openDb().then((db) => new Promise((resolve, reject) => {
    const tx = db.transaction(name, mode);
    const result = work(tx.objectStore(name));
    tx.oncomplete = () => resolve(result && "result" in result ? result.result : undefined);
    tx.onerror = () => reject(tx.error);
  }));
}

const draftKey = (form) => `${location.pathname}#${form.getAttribute("action") || ""}`;

function textFields(form) {
  const out = {};
  for (const [name, value] of new FormData(form).entries()) {
    if (typeof value === "string" && name !== "csrf_token") out[name] = value;
  }
  return out;
}

function restoreDraft(form) {
  return store("drafts", "readonly", (s) => s.get(draftKey(form))).then((saved) => {
    if (!saved) return;
    for (const [name, value] of Object.entries(saved)) {
      const field = form.elements.namedItem(name);
      if (!field || name === "idempotency_key") continue;
      if (field instanceof RadioNodeList || field.type === "radio") {
        for (const radio of form.querySelectorAll(`[name="${CSS.escape(name)}"]`)) radio.checked = radio.value === value;
      } else if (field.type === "checkbox") {
        field.checked = true;
      } else if (!field.value) {
        field.value = value;
      }
    }
  }).catch(() => {});
}

function watchDraft(form) {
  const url = form.dataset.hearthDraft;
  let timer = null;
  let lastSent = "";
  const save = () => {
    const fields = textFields(form);
    store("drafts", "readwrite", (s) => s.put(fields, draftKey(form))).catch(() => {});
    const body = JSON.stringify(fields);
    if (!navigator.onLine || body === lastSent) return;
    const data = new FormData();
    for (const [k, v] of Object.entries(fields)) data.append(k, v);
    data.append("csrf_token", form.elements.namedItem("csrf_token").value);
    fetch(url, { method: "POST", body: data, headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then((r) => { if (r.ok) lastSent = body; })
      .catch(() => {});
  };
  form.addEventListener("input", () => { clearTimeout(timer); timer = setTimeout(save, 3000); });
  form.addEventListener("submit", (event) => {
    // "Save as draft" while offline never reaches the server: keep the draft on this phone (enhanceUpload stops the
    // post), and send it on once the signal is back. Sending the form itself clears it.
    if (isOfflineDraft(form, event)) { clearTimeout(timer); save(); return; }
    store("drafts", "readwrite", (s) => s.delete(draftKey(form))).catch(() => {});
  });
  window.addEventListener("online", () => { if (form.isConnected) save(); });
}

const isOfflineDraft = (form, event) =>
  !navigator.onLine && !!form.dataset.hearthDraft && !!event.submitter && event.submitter.hasAttribute("formaction");

function downscale(file) {
  if (!/^image\/(jpeg|png|webp)$/.test(file.type) || file.size < DOWNSCALE_ABOVE_BYTES || !window.createImageBitmap) {
    return Promise.resolve(file);
  }
  return createImageBitmap(file, { imageOrientation: "from-image" }).then((bitmap) => {
    const scale = Math.min(1, MAX_EDGE / Math.max(bitmap.width, bitmap.height));
    const canvas = document.createElement("canvas");
    canvas.width = Math.round(bitmap.width * scale);
    canvas.height = Math.round(bitmap.height * scale);
    canvas.getContext("2d").drawImage(bitmap, 0, 0, canvas.width, canvas.height);
    return new Promise((resolve) => canvas.toBlob((blob) => {
      resolve(blob ? new File([blob], file.name.replace(/\.\w+$/, "") + ".jpg", { type: "image/jpeg" }) : file);
    }, "image/jpeg", 0.85));
  }).catch(() => file);
}

function buildFormData(form) {
  const data = new FormData();
  const pending = [];
  const prepare = form.dataset.hearthUpload === "originals" ? (f) => Promise.resolve(f) : downscale;
  for (const element of form.elements) {
    if (!element.name || element.disabled) continue;
    if (element.type === "file") {
      for (const file of element.files) pending.push(prepare(file).then((f) => data.append(element.name, f, f.name)));
    } else if ((element.type === "checkbox" || element.type === "radio") && !element.checked) {
      continue;
    } else if (element.tagName !== "BUTTON" && element.type !== "submit") {
      data.append(element.name, element.value);
    }
  }
  return Promise.all(pending).then(() => data);
}

function showResponse(html) {
  // A refused submission answers with the same page and its error summary: show it in place of the current one.
  const doc = new DOMParser().parseFromString(html, "text/html");
  const main = doc.querySelector("main");
  if (!main) { document.documentElement.innerHTML = html; return; }
  document.querySelector("main").replaceWith(main);
  document.title = doc.title;
  window.scrollTo(0, 0);
  const summary = main.querySelector(".govuk-error-summary");
  if (summary) { summary.setAttribute("tabindex", "-1"); summary.focus(); }
  enhance(main);
}

function send(form, data, progress) {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open("POST", form.getAttribute("action") || location.href);
    xhr.upload.onprogress = (e) => {
      if (!e.lengthComputable || !progress) return;
      const percent = Math.round((e.loaded / e.total) * 100);
      progress.bar.value = percent;
      progress.label.textContent = percent < 100 ? `Uploading: ${percent}%` : "Checking your files…";
    };
    xhr.onload = () => resolve(xhr);
    xhr.onerror = () => reject(new Error("network"));
    xhr.send(data);
  });
}

function outboxTitle(form) {
  const label = form.dataset.hearthOutbox || document.title.split(" – ")[0];
  const field = form.dataset.hearthOutboxDetail && form.elements.namedItem(form.dataset.hearthOutboxDetail);
  const detail = field && typeof field.value === "string" ? field.value.trim().replace(/\s+/g, " ") : "";
  return detail ? `${label}: ${detail.length > 40 ? `${detail.slice(0, 39).trimEnd()}…` : detail}` : label;
}

function queueOffline(form, data) {
  const entries = [];
  for (const [name, value] of data.entries()) entries.push([name, value]);
  if (!entries.some(([name]) => name === "idempotency_key")) entries.push(["idempotency_key", crypto.randomUUID()]);
  const entry = {
    action: new URL(form.getAttribute("action") || location.pathname, location.href).pathname,
    page: location.pathname,
    title: outboxTitle(form),
    entries,
  };
  form.dataset.hearthQueuedKey = Outbox.keyOf(entry);
  return Outbox.add(document.body.dataset.user, entry).then(() => queued());
}

function enhanceUpload(form) {
  const box = form.querySelector(".hearth-progress");
  const progress = box && { box, bar: box.querySelector("progress"), label: box.querySelector("[aria-live]") };
  form.addEventListener("submit", (event) => {
    if (isOfflineDraft(form, event)) {
      // Posting now would show the browser's offline page; watchDraft has kept the draft on this phone.
      event.preventDefault();
      if (progress) {
        progress.box.hidden = false;
        progress.bar.value = 0;
        progress.label.textContent = "You are offline. Your draft is saved on this phone and will be saved to Hearth when you are back online.";
      }
      return;
    }
    if (event.submitter && event.submitter.hasAttribute("formaction")) return; // "save as draft" posts normally
    event.preventDefault();
    const button = form.querySelector("button[type=submit], .govuk-button");
    if (button) button.setAttribute("disabled", "disabled");
    if (progress) { progress.box.hidden = false; progress.bar.value = 0; progress.label.textContent = "Preparing…"; }
    buildFormData(form)
      .then((data) => {
        if (!navigator.onLine) {
          return queueOffline(form, data).then(() => {
            if (progress) progress.label.textContent = "You are offline. This will be sent when your phone is back online.";
          });
        }
        return send(form, data, progress).then((xhr) => {
          const signedOut = xhr.responseURL && new URL(xhr.responseURL).pathname.startsWith("/sign-in");
          if (signedOut || xhr.status === 400) {
            // The session ran out while the form was open (a redirect to sign in, or its form token refused):
            // nothing was stored. It waits in the outbox, which sends it once they have signed in again.
            return queueOffline(form, data).then(() => {
              if (progress) progress.label.textContent = "Your session had ended, so this has not been sent yet. It is saved on your phone and will be sent when you sign in again.";
            });
          }
          if (xhr.status < 400) sentElsewhere(form.elements.namedItem("idempotency_key"));
          // The request followed the redirect already: show that page here (loading it again would lose its
          // one-time "saved" message), at its own address.
          if (xhr.status < 400 && xhr.responseURL && xhr.responseURL !== location.href) {
            history.pushState(null, "", xhr.responseURL);
          }
          showResponse(xhr.responseText);
        }).catch(() => queueOffline(form, data).then(() => {
          if (progress) progress.label.textContent = "The connection dropped. This is saved on your phone and will be sent when you are back online.";
        }));
      })
      .finally(() => { if (button) button.removeAttribute("disabled"); });
  });
}

export function enhance(root = document) {
  for (const form of root.querySelectorAll("form[data-hearth-draft]")) { restoreDraft(form); watchDraft(form); }
  for (const form of root.querySelectorAll("form[data-hearth-upload]")) enhanceUpload(form);
}

enhance();
opened();
