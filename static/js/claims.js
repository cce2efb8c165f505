// The amount a journey will pay, shown as the carer types. A guide only: the server works it out again on saving,
// counting the 10,000-mile threshold across the tax year. Without JavaScript the form works the same, without the hint.
const form = document.querySelector("form[data-claims-estimate]");

if (form) {
  const output = form.querySelector("[data-claims-amount]");
  const field = (name) => form.querySelector(`[name="${name}"]`);
  let timer = null;
  let latest = 0;

  const value = (name) => (field(name) ? field(name).value.trim() : "");

  const MONTHS = ["january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
    "november", "december"];

  // "11", "Nov", "november", "Sept": as the server reads a month (portal/core/forms.py parse_month).
  function monthNumber(text) {
    const typed = text.toLowerCase().replace(/\.$/, "");
    if (/^\d{1,2}$/.test(typed)) return Number(typed) >= 1 && Number(typed) <= 12 ? Number(typed) : 0;
    if (typed.length < 3 || !/^[a-z]+$/.test(typed)) return 0;
    return MONTHS.findIndex((name) => name.startsWith(typed)) + 1;
  }

  function isoDate() {
    const [d, m, y] = ["line_date-day", "line_date-month", "line_date-year"].map(value);
    const month = monthNumber(m);
    if (!/^\d{1,2}$/.test(d) || !month || !/^\d{4}$/.test(y)) return "";
    return `${y}-${String(month).padStart(2, "0")}-${d.padStart(2, "0")}`;
  }

  function vehicle() {
    const checked = form.querySelector('[name="vehicle"]:checked');
    return checked ? checked.value : form.dataset.claimVehicle || "car";
  }

  async function update() {
    const date = isoDate();
    const miles = value("miles");
    if (!date || !miles) {
      output.hidden = true;
      return;
    }
    const params = new URLSearchParams({
      date, miles, vehicle: vehicle(), passengers: value("passengers") || "0",
      return: field("is_return") && field("is_return").checked ? "y" : "",
    });
    const ticket = ++latest;
    try {
      const response = await fetch(`${form.dataset.claimsEstimate}?${params}`, {
        headers: { Accept: "application/json" }, credentials: "same-origin",
      });
      if (!response.ok || ticket !== latest) return;
      const body = await response.json();
      if (ticket !== latest) return;
      if (body.ok) {
        output.textContent = `This journey comes to about ${body.text} (${body.note}).`;
        output.hidden = false;
      } else {
        output.textContent = body.message || "";
        output.hidden = !body.message;
      }
    } catch {
      output.hidden = true; // offline: the amount is worked out when the claim is saved
    }
  }

  form.addEventListener("input", () => {
    clearTimeout(timer);
    timer = setTimeout(update, 250);
  });
  form.addEventListener("change", () => {
    clearTimeout(timer);
    timer = setTimeout(update, 50);
  });
  update();
}
