// Progressive enhancement: GOV.UK Frontend components, then the service worker. Pages work without any of it.
import { initAll } from "./govuk-frontend.min.js";

initAll();

if ("serviceWorker" in navigator) {
  navigator.serviceWorker.register("/service-worker.js", { scope: "/" }).catch(() => {});
}
