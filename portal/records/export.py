"""A child's log for a date range as a PDF, for reviews and court: every entry with its author, time signed,
addenda and replies, in date order, with page numbers and the range on every page."""

from __future__ import annotations

from datetime import date

from fpdf import FPDF

from portal.core.templating import uk_date, uk_datetime
from portal.people.models import Child
from portal.records.models import LogEntry


class _LogPdf(FPDF):
    def __init__(self, heading: str, council: str) -> None:
        super().__init__(format="A4")
        self.heading = heading
        self.council = council
        self.set_auto_page_break(auto=True, margin=18)
        self.set_title(heading)
        self.set_creator(council)  # no author or producer details beyond the council

    def header(self):
        self.set_font("Helvetica", "B", 11)
        self.cell(0, 8, _latin(self.heading), new_x="LMARGIN", new_y="NEXT")
        self.set_font("Helvetica", "", 8)
        self.cell(
            0,
            5,
            _latin(f"{self.council} - confidential: contains information about a looked-after child"),
            new_x="LMARGIN",
            new_y="NEXT",
        )
        self.ln(2)

    def footer(self):
        self.set_y(-12)
        self.set_font("Helvetica", "", 8)
        self.cell(0, 8, f"Page {self.page_no()} of {{nb}}", align="C")


def _latin(text: str) -> str:
    # The core PDF fonts cover Latin-1; typographic quotes and dashes are mapped, anything else shown as '?'.
    table = str.maketrans(
        {
            "\u2018": "'",
            "\u2019": "'",
            "\u201c": '"',
            "\u201d": '"',
            "\u2013": "-",
            "\u2014": "-",
            "\u2026": "...",
            "\u00a0": " ",
        }
    )
    return text.translate(table).encode("latin-1", "replace").decode("latin-1")


def log_pdf(child: Child, entries: list[LogEntry], date_from: date, date_to: date, council: str) -> bytes:
    heading = f"Recording log: {child.full_name} ({child.case_reference}), {uk_date(date_from)} to {uk_date(date_to)}"
    pdf = _LogPdf(heading, council)
    pdf.alias_nb_pages()
    pdf.add_page()
    if not entries:
        pdf.set_font("Helvetica", "", 11)
        pdf.multi_cell(0, 6, "No entries were written in this period.")
    for entry in entries:
        pdf.set_font("Helvetica", "B", 10)
        when = uk_date(entry.entry_date) + (f" at {entry.time_of_day:%H:%M}" if entry.time_of_day else "")
        flag = " - SIGNIFICANT EVENT" if entry.needs_escalation else ""
        pdf.multi_cell(0, 6, _latin(f"{when} - {entry.category_label}{flag}"), new_x="LMARGIN", new_y="NEXT")
        pdf.set_font("Helvetica", "", 10)
        pdf.multi_cell(0, 5, _latin(entry.body), new_x="LMARGIN", new_y="NEXT")
        pdf.set_font("Helvetica", "I", 8)
        pdf.multi_cell(
            0,
            5,
            _latin(
                f"Written by {entry.author.full_name}, signed {uk_datetime(entry.created_at)}"
                + (f"; {len(entry.attachments)} attachment(s) held in Hearth" if entry.attachments else "")
            ),
            new_x="LMARGIN",
            new_y="NEXT",
        )
        for addendum in entry.addenda:
            pdf.set_font("Helvetica", "", 9)
            pdf.multi_cell(
                0,
                5,
                _latin(f"Addendum by {addendum.author.full_name}, {uk_datetime(addendum.created_at)}: {addendum.body}"),
                new_x="LMARGIN",
                new_y="NEXT",
            )
        for comment in entry.comments:
            pdf.set_font("Helvetica", "", 9)
            pdf.multi_cell(
                0,
                5,
                _latin(f"Reply from {comment.author.full_name}, {uk_datetime(comment.created_at)}: {comment.body}"),
                new_x="LMARGIN",
                new_y="NEXT",
            )
        pdf.ln(3)
    return bytes(pdf.output())
