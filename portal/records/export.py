"""A child's log for a date range as a PDF, for reviews and court: every entry with its author, time signed,
addenda and replies, in date order, with page numbers and the range on every page."""

from __future__ import annotations

from datetime import date

from portal.core.pdf import Document
from portal.core.templating import uk_date, uk_datetime
from portal.people.models import Child
from portal.records.models import LogEntry


class _LogPdf(Document):
    def __init__(self, heading: str, council: str) -> None:
        super().__init__(heading, bottom_margin=18)
        self.heading = heading
        self.council = council
        self.set_creator(council)  # no author or producer details beyond the council

    def header(self):
        self.style(11, bold=True)
        self.multi_cell(0, 6, self.heading, new_x="LMARGIN", new_y="NEXT")
        self.style(8)
        self.cell(
            0,
            5,
            f"{self.council} – confidential: contains information about a looked-after child",
            new_x="LMARGIN",
            new_y="NEXT",
        )
        self.ln(2)

    def footer(self):
        self.set_y(-12)
        self.style(8)
        self.cell(0, 8, f"Page {self.page_no()} of {{nb}}", align="C")


def log_pdf(child: Child, entries: list[LogEntry], date_from: date, date_to: date, council: str) -> bytes:
    """Entries in date order, each with its author and time signed, then its addenda and replies."""
    heading = f"Recording log: {child.full_name} ({child.case_reference}), {uk_date(date_from)} to {uk_date(date_to)}"
    pdf = _LogPdf(heading, council)
    pdf.alias_nb_pages()
    pdf.add_page()
    if not entries:
        pdf.para("No entries were written in this period.", size=11)
    for entry in entries:
        when = uk_date(entry.entry_date) + (f" at {entry.time_of_day:%H:%M}" if entry.time_of_day else "")
        flag = " – SIGNIFICANT EVENT" if entry.needs_escalation else ""
        pdf.para(f"{when} – {entry.category_label}{flag}", bold=True, gap=0.5)
        pdf.para(entry.body, gap=0.5)
        pdf.set_text_color(80)
        pdf.para(
            f"Written by {entry.author.full_name}, signed {uk_datetime(entry.created_at)}"
            + (f"; {len(entry.attachments)} attachment(s) held in Hearth" if entry.attachments else ""),
            size=8,
            gap=0.5,
        )
        pdf.set_text_color(0)
        for addendum in entry.addenda:
            pdf.para(
                f"Addendum by {addendum.author.full_name}, {uk_datetime(addendum.created_at)}: {addendum.body}", size=9
            )
        for comment in entry.comments:
            pdf.para(
                f"Reply from {comment.author.full_name}, {uk_datetime(comment.created_at)}: {comment.body}", size=9
            )
        pdf.ln(3)
    return pdf.bytes()
