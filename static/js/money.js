// Shows how Hearth reads an amount or a number while it is typed, so "12,50" is seen to be £12.50 before the form is
// sent. The same rules as portal/core/money.py: a comma before one or two final digits is a decimal comma, commas
// before groups of exactly three digits are thousands, and a dot before three digits ("1.250") is a question.
// A guide only: the server reads the value again. Without JavaScript the form works the same, without the line.
const SPACES = /[\s\u00a0\u202f\u2009']/g;
const PLAIN = /^\d+(\.\d+)?$/;
const DECIMAL_COMMA = /^\d+,\d{1,2}$/;
const THOUSANDS = /^\d{1,3}(,\d{3})+(\.\d+)?$/;
const EURO = /^\d{1,3}(\.\d{3})+,\d{1,2}$/;
const AMBIGUOUS_DOT = /^\d{1,3}\.\d{3}$/;

// -> { sign, number } (number: digits with at most one "."), { ambiguous: true, large }, or null.
function standardise(typed) {
  let text = typed.replace(SPACES, "");
  let sign = "";
  if (/^[-+\u2212]/.test(text)) {
    sign = text[0] === "+" ? "" : "-";
    text = text.slice(1);
  }
  if (!text) return null;
  if (PLAIN.test(text)) {
    if (AMBIGUOUS_DOT.test(text)) return { ambiguous: true, large: text.replace(".", "") };
    return { sign, number: text };
  }
  if (DECIMAL_COMMA.test(text)) return { sign, number: text.replace(",", ".") };
  if (THOUSANDS.test(text)) return { sign, number: text.replace(/,/g, "") };
  if (EURO.test(text)) return { sign, number: text.replace(/\./g, "").replace(",", ".") };
  return null;
}

const grouped = (digits) => digits.replace(/\B(?=(\d{3})+(?!\d))/g, ",");

function pounds(typed) {
  const pence = typed.trim().match(/^(\d{1,3})\s*p$/i);
  if (pence) return `Reads as £0.${pence[1].padStart(2, "0").slice(-2)}`;
  const read = standardise(typed.replace(/£|gbp/gi, ""));
  if (!read) return "";
  if (read.ambiguous) return `Check this: did you mean £${grouped(read.large)}.00? A dot marks the pence, like 12.50`;
  const [whole, frac = ""] = read.number.split(".");
  if (frac.length > 2) return "";
  return `Reads as ${read.sign}£${grouped(String(Number(whole)))}.${(frac + "00").slice(0, 2)}`;
}

function number(typed, places) {
  const read = standardise(typed.replace(/\s*(miles|mi)$/i, ""));
  if (!read) return "";
  if (read.ambiguous) return `Check this: did you mean ${grouped(read.large)}?`;
  const [whole, frac = ""] = read.number.split(".");
  const shownFrac = frac.replace(/0+$/, "");
  if (shownFrac.length > places) return "";
  return `Reads as ${read.sign}${grouped(String(Number(whole)))}${shownFrac ? `.${shownFrac}` : ""}`;
}

for (const input of document.querySelectorAll("input[data-money]")) {
  const output = document.getElementById(`${input.id}-reading`);
  if (!output) continue;
  let timer = null;
  const show = () => {
    const typed = input.value.trim();
    const text = !typed ? "" : input.dataset.money === "pounds" ? pounds(typed) : number(typed, Number(input.dataset.places || 0));
    output.textContent = text;
    output.hidden = !text;
  };
  input.addEventListener("input", () => { clearTimeout(timer); timer = setTimeout(show, 300); });
  show();
}
