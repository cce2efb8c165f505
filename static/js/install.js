// The install offer: shown on a signed-in page after a few visits (hearth.js counts them), when the browser says the
// app can be installed. "Not now" hides it until the next visit; "Do not ask again" for good, on this device.
export function offer(event) {
  const main = document.querySelector("main");
  if (!main || document.getElementById("hearth-install")) return;
  const box = document.createElement("section");
  box.id = "hearth-install";
  box.className = "hearth-install";
  box.setAttribute("aria-labelledby", "hearth-install-title");
  box.innerHTML = `<h2 class="govuk-heading-s" id="hearth-install-title">Add Hearth to your home screen</h2>
    <p class="govuk-body">It opens like an app, and keeps what you write when the signal drops.</p>
    <div class="govuk-button-group">
      <button type="button" class="govuk-button" data-install>Add to home screen</button>
      <button type="button" class="govuk-button govuk-button--secondary" data-later>Not now</button>
      <button type="button" class="govuk-button govuk-button--secondary" data-never>Do not ask again</button>
    </div>`;
  main.prepend(box);
  const close = () => box.remove();
  const decline = () => { try { localStorage.setItem("hearth-install-declined", "1"); } catch (_e) { /* asked again */ } close(); };
  box.querySelector("[data-later]").addEventListener("click", close);
  box.querySelector("[data-never]").addEventListener("click", decline);
  box.querySelector("[data-install]").addEventListener("click", () => {
    close();
    event.prompt();
    // Installed or declined in the browser's own dialog: either way, not offered again.
    Promise.resolve(event.userChoice).then(decline, decline);
  });
}
