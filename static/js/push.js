// Turning notifications on for this device: offered after something the person did succeeded (never on a first
// visit), and from the account page. Only what can work is shown: on an iPhone not yet added to the home screen,
// the steps to add it; where the browser cannot receive pushes, or notifications are blocked, nothing is offered.
const ASKED = "hearth-push-asked";

export function isIos(nav = navigator) {
  return /iPad|iPhone|iPod/.test(nav.userAgent) || (nav.platform === "MacIntel" && nav.maxTouchPoints > 1);
}

export function isInstalled(win = window) {
  return win.matchMedia("(display-mode: standalone)").matches || win.navigator.standalone === true;
}

// "ios-install" | "unsupported" | "denied" | "granted" | "ask"
export function pushMode(win = window) {
  if (isIos(win.navigator) && !isInstalled(win)) return "ios-install";
  if (!("serviceWorker" in win.navigator) || !("PushManager" in win) || !("Notification" in win)) return "unsupported";
  if (win.Notification.permission === "denied") return "denied";
  return win.Notification.permission === "granted" ? "granted" : "ask";
}

function keyBytes(base64url) {
  const padded = base64url.replace(/-/g, "+").replace(/_/g, "/") + "=".repeat((4 - (base64url.length % 4)) % 4);
  return Uint8Array.from(atob(padded), (c) => c.charCodeAt(0));
}

function csrfToken() {
  const input = document.querySelector("input[name=csrf_token]");
  return input ? input.value : "";
}

async function post(url, body) {
  const response = await fetch(url, {
    method: "POST",
    credentials: "same-origin",
    headers: { "Content-Type": "application/json", "X-CSRFToken": csrfToken() },
    body: JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`push subscription refused: ${response.status}`);
}

export async function turnOn(box) {
  const permission = await Notification.requestPermission();
  if (permission !== "granted") return false;
  const registration = await navigator.serviceWorker.ready;
  const subscription = (await registration.pushManager.getSubscription()) ||
    (await registration.pushManager.subscribe({ userVisibleOnly: true, applicationServerKey: keyBytes(box.dataset.key) }));
  await post(box.dataset.save, { subscription: subscription.toJSON() });
  return true;
}

export async function turnOff(box) {
  const registration = await navigator.serviceWorker.ready;
  const subscription = await registration.pushManager.getSubscription();
  if (!subscription) return;
  await post(box.dataset.remove, { endpoint: subscription.endpoint });
  await subscription.unsubscribe();
}

function show(box, step) {
  box.hidden = false;
  for (const part of box.querySelectorAll("[data-push-step]")) part.hidden = part.dataset.pushStep !== step;
}

function wire(box, { remember }) {
  const mode = pushMode();
  if (mode === "ios-install") show(box, "ios");
  else if (mode === "ask") show(box, "ask");
  else return false;
  for (const no of box.querySelectorAll("[data-push-no]")) {
    no.addEventListener("click", () => {
      if (remember) localStorage.setItem(ASKED, "no");
      box.hidden = true;
    });
  }
  const yes = box.querySelector("[data-push-yes]");
  if (yes) {
    yes.addEventListener("click", () => {
      if (remember) localStorage.setItem(ASKED, "yes");
      turnOn(box).then((on) => show(box, on ? "done" : "failed"), () => show(box, "failed"));
    });
  }
  return true;
}

const offer = document.querySelector("[data-hearth-push-offer]");
const settings = document.querySelector("[data-hearth-push-settings]");
if (settings) {
  const mode = pushMode();
  settings.dataset.mode = mode;
  for (const part of settings.querySelectorAll("[data-push-when]")) {
    part.hidden = !part.dataset.pushWhen.split(" ").includes(mode);
  }
  const on = settings.querySelector("[data-push-yes]");
  const off = settings.querySelector("[data-push-off]");
  const status = settings.querySelector("[data-push-status]");
  const say = (text) => { if (status) status.textContent = text; };
  // Only the button that makes sense now: on when this device has no subscription, off when it has one.
  const showSwitch = (subscribed) => {
    if (on) on.hidden = subscribed;
    if (off) off.hidden = !subscribed;
  };
  if (mode === "ask" || mode === "granted") {
    showSwitch(false);
    navigator.serviceWorker.ready
      .then((registration) => registration.pushManager.getSubscription())
      .then((subscription) => showSwitch(Boolean(subscription)), () => {});
  }
  if (on) on.addEventListener("click", () => turnOn(settings).then(
    (done) => {
      say(done ? "Notifications are on for this device." : "Notifications are blocked for this site in your browser's settings.");
      showSwitch(done);
    },
    () => say("Notifications could not be turned on. Try again later."),
  ));
  if (off) off.addEventListener("click", () => turnOff(settings).then(
    () => {
      say("Notifications are off for this device.");
      showSwitch(false);
    },
    () => say("Notifications could not be turned off. Try again later."),
  ));
} else if (offer) {
  wire(offer, { remember: true });
}
