"""The PDFs training makes, through portal.core.pdf: a certificate of attendance and a carer's learning record."""

from __future__ import annotations

from datetime import date

from portal.core.pdf import Column, Document
from portal.core.templating import uk_date


def _hours(minutes: int) -> str:
    hours = minutes / 60
    return f"{hours:g} hour{'s' if hours != 1 else ''}"


def certificate_pdf(*, name: str, course: str, completed_on: date, minutes: int, trainer: str, council: str) -> bytes:
    """One A4 page: who, which course, when, how many hours, and which service ran it. Names in any script print."""
    pdf = Document(f"Certificate of attendance: {course}")
    pdf.add_page()
    pdf.ln(30)
    pdf.style(12)
    pdf.cell(0, 10, council, align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(10)
    pdf.style(24, bold=True)
    pdf.cell(0, 14, "Certificate of attendance", align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(12)
    pdf.style(12)
    pdf.cell(0, 8, "This is to certify that", align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.style(20, bold=True)
    pdf.multi_cell(0, 12, name, align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.style(12)
    pdf.cell(0, 8, "attended", align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.style(16, bold=True)
    pdf.multi_cell(0, 10, course, align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.style(12)
    pdf.ln(4)
    pdf.cell(0, 8, f"on {uk_date(completed_on)} ({_hours(minutes)})", align="C", new_x="LMARGIN", new_y="NEXT")
    if trainer:
        pdf.cell(0, 8, f"Trainer: {trainer}", align="C", new_x="LMARGIN", new_y="NEXT")
    return pdf.bytes()


class _RecordPdf(Document):
    def __init__(self, heading: str, council: str):
        super().__init__(heading)
        self.heading_text, self.council = heading, council
        self.alias_nb_pages()

    def header(self):
        self.style(11, bold=True)
        self.multi_cell(0, 6, self.heading_text, new_x="LMARGIN", new_y="NEXT")
        self.style(8)
        self.cell(0, 5, f"{self.council}: learning record for the annual review", new_x="LMARGIN", new_y="NEXT")
        self.ln(3)

    def footer(self):
        self.set_y(-12)
        self.style(8)
        self.cell(0, 8, f"Page {self.page_no()} of {{nb}}", align="C")


def learning_record_pdf(summary, council: str) -> bytes:
    """The household's learning record (a portal.training.learning.HouseholdRecord): each carer's courses with dates
    and hours, hours this year and in all, mandatory training, and the TSD standards with their sign-offs."""
    pdf = _RecordPdf(f"Learning record: {summary.household_name}, {uk_date(summary.on)}", council)
    pdf.add_page()
    for person in summary.people:
        pdf.heading(person.name)
        pdf.para(f"Hours this year: {person.hours_this_year:g}. Hours in all: {person.hours_total:g}.")
        pdf.rows(
            [Column("Date", 32), Column("Course", 98), Column("Hours", 20, "RIGHT"), Column("Source", 30)],
            [
                (uk_date(r.completed_on), r.title, f"{r.minutes / 60:g}", "Imported" if r.is_imported else "Recorded")
                for r in person.records
            ]
            or [("", "No training recorded yet", "", "")],
        )
        if person.mandatory:
            pdf.rows(
                [Column("Mandatory course", 110), Column("Status", 70)],
                [(m.title, m.status_text) for m in person.mandatory],
            )
    if summary.tsd is not None:
        tsd = summary.tsd
        pdf.heading("TSD standards")
        pdf.para(tsd.deadline_text)
        pdf.rows(
            [Column("Standard", 90), Column("Evidence", 50), Column("Signed off", 40)],
            [(f"{s.number}. {s.title}", "; ".join(s.evidence) or "None yet", s.signed_off_text) for s in tsd.standards],
        )
    return pdf.bytes()
