// Passkeys: forms marked data-passkey="create" (add one) or "get" (use one) get a working button. The server's
// options (POST to data-passkey-options, CSRF in a header) go to the browser's WebAuthn API; its answer is put in the
// form's hidden credential field and the form is sent as usual, so the server checks it and answers with a page.
// Without JavaScript, or in a browser without passkeys, the page says so and the button stays hidden.
const forms = document.querySelectorAll("form[data-passkey]");

const supported =
  window.PublicKeyCredential &&
  typeof PublicKeyCredential.parseCreationOptionsFromJSON === "function" &&
  typeof PublicKeyCredential.parseRequestOptionsFromJSON === "function";

async function ceremony(form) {
  const response = await fetch(form.dataset.passkeyOptions, {
    method: "POST",
    headers: { "X-CSRFToken": form.querySelector("[name=csrf_token]").value, Accept: "application/json" },
    credentials: "same-origin",
  });
  if (!response.ok) throw new Error("options");
  const options = await response.json();
  if (form.dataset.passkey === "create") {
    return navigator.credentials.create({ publicKey: PublicKeyCredential.parseCreationOptionsFromJSON(options) });
  }
  return navigator.credentials.get({ publicKey: PublicKeyCredential.parseRequestOptionsFromJSON(options) });
}

function explain(error) {
  if (error && error.name === "InvalidStateError") return "This passkey is already saved for your account.";
  if (error && error.name === "NotAllowedError") return "The passkey was not used. Try again when you are ready.";
  return "Something went wrong with the passkey. Try again.";
}

for (const form of forms) {
  const button = form.querySelector("[data-passkey-button]");
  const fallback = form.querySelector("[data-passkey-fallback]");
  const message = form.querySelector("[data-passkey-message]");
  if (!button) continue;
  if (!supported) {
    fallback.textContent = "This browser cannot use passkeys. Try an up-to-date browser, or use your password.";
    continue;
  }
  fallback.hidden = true;
  button.hidden = false;
  button.addEventListener("click", async () => {
    button.disabled = true;
    message.hidden = true;
    try {
      const credential = await ceremony(form);
      form.querySelector("[data-passkey-credential]").value = JSON.stringify(credential.toJSON());
      form.submit();
    } catch (error) {
      message.textContent = explain(error);
      message.hidden = false;
      button.disabled = false;
    }
  });
}
