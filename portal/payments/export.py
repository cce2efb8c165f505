"""Files: the finance CSV of a pay run (columns in README "Pay run export (CSV)"), and a payment as CSV and PDF."""

from __future__ import annotations

import csv
import io
import re

from fpdf import FPDF

from portal.core.money import format_pounds
from portal.payments.models import HouseholdPayment, PayLine, PayRun
from portal.payments.statements import Statement
from portal.payments.terms import day_text

RUN_COLUMNS = [
    "record_type",
    "run_number",
    "period_start",
    "period_end",
    "household_reference",
    "household_name",
    "payee_names",
    "line_key",
    "kind",
    "child_reference",
    "nights_from",
    "nights_to",
    "nights",
    "weekly_rate",
    "claim_number",
    "description",
    "amount",
    "held",
    "payment_date",
    "payment_reference",
]
PAYMENT_COLUMNS = [
    "payment",
    "kind",
    "child",
    "nights_from",
    "nights_to",
    "nights",
    "weekly_rate",
    "claim",
    "description",
    "amount",
    "held",
    "hold_reason",
]


_NUMBER = re.compile(r"^-?\d+(\.\d+)?$")


def _cell(value) -> str:
    text = "" if value is None else str(value)
    if _NUMBER.match(text):
        return text  # a negative amount stays a number the finance system can read
    # A cell a spreadsheet would run as a formula is prefixed with an apostrophe (CSV injection).
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def _last_night(line: PayLine):
    from datetime import timedelta

    return line.end_date - timedelta(days=1) if line.end_date else None


def run_csv(run: PayRun, payments: list[HouseholdPayment], lines: list[PayLine], claim_numbers: dict[int, str]) -> str:
    """A PAYMENT row per household (its total), followed by its LINE rows. Held lines are listed with held=yes and
    are not in the PAYMENT total."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(RUN_COLUMNS)
    by_household: dict[int, list[PayLine]] = {}
    for ln in lines:
        by_household.setdefault(ln.household_id, []).append(ln)
    paid = (run.paid_on.isoformat() if run.paid_on else "", run.payment_reference or "")
    period = (run.period_start.isoformat(), run.period_end.isoformat())
    for pay in payments:
        h = pay.household
        names = "; ".join(c.full_name for c in h.carers)
        common = [run.number, *period, h.reference, h.name, names]
        writer.writerow(
            [
                _cell(v)
                for v in [
                    "PAYMENT",
                    *common,
                    "",
                    "",
                    "",
                    "",
                    "",
                    "",
                    "",
                    "",
                    f"Total for {h.name}",
                    format_pounds(pay.total_pence, plain=True),
                    "no",
                    *paid,
                ]
            ]
        )
        for ln in by_household.get(pay.household_id, []):
            writer.writerow(
                [
                    _cell(v)
                    for v in [
                        "LINE",
                        *common,
                        ln.key,
                        ln.kind,
                        ln.child.case_reference if ln.child else "",
                        ln.start_date.isoformat() if ln.start_date else "",
                        _last_night(ln).isoformat() if ln.end_date else "",
                        ln.nights if ln.nights is not None else "",
                        format_pounds(ln.weekly_pence, plain=True),
                        claim_numbers.get(ln.claim_id or 0, ""),
                        ln.description,
                        format_pounds(ln.amount_pence, plain=True),
                        "yes" if ln.is_held else "no",
                        *paid,
                    ]
                ]
            )
    return out.getvalue()


def payment_csv(payment: HouseholdPayment, lines: list[PayLine], claim_numbers: dict[int, str]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(PAYMENT_COLUMNS)
    for ln in lines:
        writer.writerow(
            [
                _cell(v)
                for v in [
                    payment.number,
                    ln.kind_label,
                    ln.child.known_as if ln.child else "",
                    ln.start_date.isoformat() if ln.start_date else "",
                    _last_night(ln).isoformat() if ln.end_date else "",
                    ln.nights if ln.nights is not None else "",
                    format_pounds(ln.weekly_pence, plain=True),
                    claim_numbers.get(ln.claim_id or 0, ""),
                    ln.description,
                    format_pounds(ln.amount_pence, plain=True),
                    "yes" if ln.is_held else "no",
                    ln.hold_reason or "",
                ]
            ]
        )
    return out.getvalue()


def _latin(text: str) -> str:
    # The PDF core fonts cover Latin-1 (with £ and ×); anything else becomes a question mark rather than failing.
    return text.replace("—", "-").replace("–", "-").replace("’", "'").encode("latin-1", "replace").decode("latin-1")


class _Pdf(FPDF):
    def __init__(self, council: str, title: str):
        super().__init__(format="A4")
        self.council, self.doc_title = council, title
        self.set_auto_page_break(True, 15)
        self.set_title(_latin(title))
        self.add_page()

    def header(self):
        self.set_font("Helvetica", "", 9)
        self.cell(0, 6, _latin(self.council), new_x="LMARGIN", new_y="NEXT")

    def footer(self):
        self.set_y(-12)
        self.set_font("Helvetica", "", 8)
        self.cell(0, 6, f"{_latin(self.doc_title)} - page {self.page_no()}", align="C")

    def heading(self, text: str, size: int = 16):
        self.set_font("Helvetica", "B", size)
        self.multi_cell(0, 8, _latin(text), new_x="LMARGIN", new_y="NEXT")
        self.ln(2)

    def para(self, text: str, bold: bool = False):
        self.set_font("Helvetica", "B" if bold else "", 10)
        self.multi_cell(0, 5, _latin(text), new_x="LMARGIN", new_y="NEXT")
        self.ln(1)

    def row(self, left: str, right: str, bold: bool = False):
        self.set_font("Helvetica", "B" if bold else "", 10)
        y = self.get_y()
        self.multi_cell(150, 5, _latin(left), new_x="RIGHT", new_y="TOP")
        height = self.get_y() - y
        self.set_xy(160, y)
        self.cell(40, 5, _latin(right), align="R")
        self.set_xy(self.l_margin, max(self.get_y(), y + max(height, 5)) + 1)


def payment_pdf(council: str, payment: HouseholdPayment, lines: list[PayLine]) -> bytes:
    run = payment.run
    pdf = _Pdf(council, f"Payment {payment.number}")
    pdf.heading(f"Fostering payment {payment.number}")
    pdf.para(f"{payment.household.name} ({payment.household.reference})")
    pdf.para(f"Pay period: {day_text(run.period_start)} to {day_text(run.period_end)}")
    if run.paid_on:
        pdf.para(f"Paid on {day_text(run.paid_on)}, reference {run.payment_reference}")
    else:
        pdf.para(f"Expected on {day_text(run.pay_date)}")
    pdf.ln(2)
    for ln in lines:
        if not ln.is_held:
            pdf.row(ln.description, format_pounds(ln.amount_pence))
    pdf.row("Total paid", format_pounds(payment.total_pence), bold=True)
    held = [ln for ln in lines if ln.is_held]
    if held:
        pdf.ln(3)
        pdf.para("Held (not in this payment):", bold=True)
        for ln in held:
            pdf.row(f"{ln.description}. Reason: {ln.hold_reason}", format_pounds(ln.amount_pence))
    return bytes(pdf.output())


def statement_pdf(council: str, household_name: str, st: Statement) -> bytes:
    pdf = _Pdf(council, f"Annual statement {st.year}-{str(st.year + 1)[2:]}")
    pdf.heading(f"Annual statement, tax year {day_text(st.start)} to {day_text(st.end)}")
    pdf.para(household_name)
    for kind, amount in sorted(st.totals.items()):
        pdf.row(kind, format_pounds(amount))
    pdf.row("Total paid in the tax year", format_pounds(st.total_pence), bold=True)
    pdf.ln(3)
    pdf.para("Qualifying Care Relief (information for your tax return)", bold=True)
    if st.qcr_total is None:
        pdf.para("The Qualifying Care Relief amounts for this tax year are not entered yet.")
    else:
        pdf.row("Fixed amount for the household", format_pounds(st.qcr_fixed or 0))
        for name, under, over, amount in st.qcr_weeks:
            pdf.row(f"{name}: {under} weeks under 11, {over} weeks aged 11 or over", format_pounds(amount))
        pdf.row("Qualifying Care Relief limit", format_pounds(st.qcr_total), bold=True)
    pdf.ln(2)
    pdf.para(
        "This is not tax advice. The figures are information to help with your tax return; if two carers share "
        "the household, the fixed amount is shared between them. Check GOV.UK or HMRC for your own situation."
    )
    return bytes(pdf.output())
