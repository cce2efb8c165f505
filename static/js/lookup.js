// Type-ahead for inputs that name one of many (a household, a person): GOV.UK's accessible-autocomplete, asking the
// server for a few suggestions as the person types. Loaded by hearth.js only on pages with `input[data-lookup]`.
// Without it the page still works: the server reads the typed name or reference back and says if it is unclear.
import accessibleAutocomplete from "accessible-autocomplete";

const WAIT_MS = 200; // a pause in typing before asking, so each keystroke is not a request

function suggest(url) {
  let timer;
  let latest = 0;
  return (query, populate) => {
    clearTimeout(timer);
    const asked = ++latest;
    timer = setTimeout(() => {
      const address = `${url}${url.includes("?") ? "&" : "?"}q=${encodeURIComponent(query)}`;
      fetch(address, { credentials: "same-origin", headers: { Accept: "application/json" } })
        .then((r) => (r.ok ? r.json() : []))
        .then((labels) => { if (asked === latest) populate(labels); })
        .catch(() => populate([]));
    }, WAIT_MS);
  };
}

function stylesheet(href) {
  if (!href || document.querySelector(`link[href="${href}"]`)) return;
  const link = document.createElement("link");
  link.rel = "stylesheet";
  link.href = href;
  document.head.appendChild(link);
}

for (const input of document.querySelectorAll("input[data-lookup]")) {
  stylesheet(input.dataset.lookupCss);
  const holder = document.createElement("div");
  input.parentNode.insertBefore(holder, input);
  const describedBy = input.getAttribute("aria-describedby");
  const hasError = input.classList.contains("govuk-input--error");
  const { id, name, value } = input;
  input.remove();
  accessibleAutocomplete({
    element: holder,
    id,
    name,
    defaultValue: value,
    minLength: 2,
    showNoOptionsFound: true,
    tNoResults: () => "No matches: try part of the name, or the reference",
    inputClasses: hasError ? "govuk-input--error" : "",
    source: suggest(input.dataset.lookup),
  });
  // The hint and any error message stay announced with the new input.
  const created = document.getElementById(id);
  if (created && describedBy) {
    const own = created.getAttribute("aria-describedby");
    created.setAttribute("aria-describedby", own ? `${describedBy} ${own}` : describedBy);
  }
}
