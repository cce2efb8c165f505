// The amount a journey will pay, shown as the carer types. A guide only: the server works it out again on saving,
// counting the 10,000-mile threshold across the tax year. Without JavaScript the form works the same, without the hint.
const form = document.querySelector("form[data-claims-estimate]");

if (form) {
  const output = form.querySelector("[data-claims-amount]");
  const field = (name) => form.querySelector(`[name="${name}"]`);
  let timer = null;
  let latest = 0;

  const value = (name) => (field(name) ? field(name).value.trim() : "");

  function isoDate() {
    const [d, m, y] = ["line_date-day", "line_date-month", "line_date-year"].map(value);
    if (!/^\d{1,2}$/.test(d) || !/^\d{1,2}$/.test(m) || !/^\d{4}$/.test(y)) return "";
    return `${y}-${m.padStart(2, "0")}-${d.padStart(2, "0")}`;
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
