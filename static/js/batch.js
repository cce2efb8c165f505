// The batch form's "You have ticked" line, kept up to date as boxes are ticked on this page. The server's figure
// counts ticks on other pages too (data-kept-count and data-kept-pence: those not on this page); this adds the
// ticked boxes here. A guide only: the batch is made from what the form sends. Without JavaScript the line changes
// when the form is sent, as before.
const summary = document.querySelector("[data-batch-ticked]");
const form = summary && document.querySelector("form[data-batch-form]");

if (form) {
  const pounds = new Intl.NumberFormat("en-GB", { style: "currency", currency: "GBP" });
  const kept = { count: Number(summary.dataset.keptCount), pence: Number(summary.dataset.keptPence) };

  form.addEventListener("change", (event) => {
    if (!event.target.matches("input[name=claim_ids]")) return;
    const ticked = [...form.querySelectorAll("input[name=claim_ids]:checked")];
    const count = kept.count + ticked.length;
    const pence = ticked.reduce((sum, box) => sum + Number(box.dataset.pence), kept.pence);
    summary.textContent = `${count} claim${count === 1 ? "" : "s"}, ${pounds.format(pence / 100)}`;
  });
}
