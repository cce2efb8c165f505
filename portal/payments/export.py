"""Files: the finance CSV of a pay run (columns in README "Pay run export (CSV)"), and a payment as CSV and PDF."""

from __future__ import annotations

from portal.core.csv_export import to_csv
from portal.core.money import format_pounds
from portal.core.pdf import Column, Document
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


def _last_night(line: PayLine):
    from datetime import timedelta

    return line.end_date - timedelta(days=1) if line.end_date else None


def run_csv(run: PayRun, payments: list[HouseholdPayment], lines: list[PayLine], claim_numbers: dict[int, str]) -> str:
    """A PAYMENT row per household (its total), followed by its LINE rows. Held lines are listed with held=yes and
    are not in the PAYMENT total."""
    by_household: dict[int, list[PayLine]] = {}
    for ln in lines:
        by_household.setdefault(ln.household_id, []).append(ln)
    paid = (run.paid_on.isoformat() if run.paid_on else "", run.payment_reference or "")
    period = (run.period_start.isoformat(), run.period_end.isoformat())
    rows = []
    for pay in payments:
        h = pay.household
        names = "; ".join(c.full_name for c in h.carers)
        common = [run.number, *period, h.reference, h.name, names]
        blank = [""] * 8
        rows.append(
            ["PAYMENT", *common, *blank, f"Total for {h.name}", format_pounds(pay.total_pence, plain=True), "no", *paid]
        )
        for ln in by_household.get(pay.household_id, []):
            rows.append(
                [
                    "LINE",
                    *common,
                    ln.key,
                    ln.kind,
                    ln.child.case_reference if ln.child else "",
                    *_line_cells(ln, claim_numbers),
                    *paid,
                ]
            )
    return to_csv(RUN_COLUMNS, rows)


def _line_cells(ln: PayLine, claim_numbers: dict[int, str]) -> list:
    """The columns a pay line has in both CSVs: dates, nights, weekly rate, claim, description, amount, held."""
    return [
        ln.start_date.isoformat() if ln.start_date else "",
        _last_night(ln).isoformat() if ln.end_date else "",
        ln.nights if ln.nights is not None else "",
        format_pounds(ln.weekly_pence, plain=True),
        claim_numbers.get(ln.claim_id or 0, ""),
        ln.description,
        format_pounds(ln.amount_pence, plain=True),
        "yes" if ln.is_held else "no",
    ]


def payment_csv(payment: HouseholdPayment, lines: list[PayLine], claim_numbers: dict[int, str]) -> str:
    return to_csv(
        PAYMENT_COLUMNS,
        (
            [
                payment.number,
                ln.kind_label,
                ln.child.known_as if ln.child else "",
                *_line_cells(ln, claim_numbers),
                ln.hold_reason or "",
            ]
            for ln in lines
        ),
    )


class _Pdf(Document):
    def __init__(self, council: str, title: str):
        super().__init__(title)
        self.council, self.doc_title = council, title
        self.alias_nb_pages()
        self.add_page()

    def header(self):
        self.style(9)
        self.cell(0, 6, self.council, new_x="LMARGIN", new_y="NEXT")

    def footer(self):
        self.set_y(-12)
        self.style(8)
        self.cell(0, 6, f"{self.doc_title} – page {self.page_no()} of {{nb}}", align="C")


_AMOUNT = Column("Amount", 35, "RIGHT")


def payment_pdf(council: str, payment: HouseholdPayment, lines: list[PayLine]) -> bytes:
    """The payment advice: every line paid with its amount, the total, then any held lines with their reasons."""
    run = payment.run
    pdf = _Pdf(council, f"Payment {payment.number}")
    pdf.para(f"Fostering payment {payment.number}", size=16, bold=True, gap=2)
    pdf.para(f"{payment.household.name} ({payment.household.reference})")
    pdf.para(f"Pay period: {day_text(run.period_start)} to {day_text(run.period_end)}")
    if run.paid_on:
        pdf.para(f"Paid on {day_text(run.paid_on)}, reference {run.payment_reference}")
    else:
        pdf.para(f"Expected on {day_text(run.pay_date)}")
    pdf.ln(2)
    paid = [[ln.description, format_pounds(ln.amount_pence)] for ln in lines if not ln.is_held]
    pdf.rows(
        [Column("Paid for", 155), _AMOUNT], [*paid, ["Total paid", format_pounds(payment.total_pence)]], bold_last=True
    )
    held = [ln for ln in lines if ln.is_held]
    if held:
        pdf.heading("Held (not in this payment)")
        pdf.rows(
            [Column("Held", 95), Column("Reason", 60), _AMOUNT],
            [[ln.description, ln.hold_reason or "", format_pounds(ln.amount_pence)] for ln in held],
        )
    return pdf.bytes()


def statement_pdf(council: str, household_name: str, st: Statement) -> bytes:
    pdf = _Pdf(council, f"Annual statement {st.year}-{str(st.year + 1)[2:]}")
    pdf.para(f"Annual statement, tax year {day_text(st.start)} to {day_text(st.end)}", size=16, bold=True, gap=2)
    pdf.para(household_name)
    totals = [[kind, format_pounds(amount)] for kind, amount in sorted(st.totals.items())]
    total = ["Total paid in the tax year", format_pounds(st.total_pence)]
    pdf.rows([Column("Paid for", 155), _AMOUNT], [*totals, total], bold_last=True)
    pdf.heading("Qualifying Care Relief (information for your tax return)")
    if st.qcr_total is None:
        pdf.para("The Qualifying Care Relief amounts for this tax year are not entered yet.")
    else:
        relief = [["Fixed amount for the household", format_pounds(st.qcr_fixed or 0)]]
        for name, under, over, amount in st.qcr_weeks:
            relief.append([f"{name}: {under} weeks under 11, {over} weeks aged 11 or over", format_pounds(amount)])
        relief.append(["Qualifying Care Relief limit", format_pounds(st.qcr_total)])
        pdf.rows([Column("Relief", 155), _AMOUNT], relief, bold_last=True)
    pdf.ln(2)
    pdf.para(
        "This is not tax advice. The figures are information to help with your tax return; if two carers share "
        "the household, the fixed amount is shared between them. Check GOV.UK or HMRC for your own situation."
    )
    return pdf.bytes()
