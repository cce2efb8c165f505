"""The coordinator's reports (on screen with a bar chart, and as CSV) and the import of past training."""

from __future__ import annotations

from datetime import date, timedelta

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user

from portal.auth.gates import requires_role
from portal.auth.roles import Role
from portal.core import clock
from portal.core.csv_export import download, to_csv
from portal.core.templating import uk_date
from portal.training import importing
from portal.training.forms import ImportForm
from portal.training.reports import build_report
from portal.training.routes import bp

STAFF = (Role.TRAINING_COORDINATOR, Role.ADMIN)


def _period() -> tuple[date, date]:
    """The twelve months to today (?year=2026 for a calendar year)."""
    today = clock.today()
    year = request.args.get("year", "")
    if year.isdigit() and 2000 <= int(year) <= today.year:
        return date(int(year), 1, 1), date(int(year), 12, 31)
    return today - timedelta(days=365), today


@bp.route("/training/reports")
@requires_role(*STAFF)
def show_reports():
    date_from, date_to = _period()
    report = build_report(date_from, date_to, clock.today())
    return render_template("training/show_reports.html", report=report, year=request.args.get("year", ""))


@bp.route("/training/reports/<any(uptake, compliance, evaluations):part>/csv")
@requires_role(*STAFF)
def download_report(part: str):
    date_from, date_to = _period()
    report = build_report(date_from, date_to, clock.today(), parts=frozenset({part}))
    if part == "uptake":
        header = ("grouping", "group", "attended", "absent", "no-show %")
        rows = [
            (grouping, u.label, u.attended, u.absent, u.no_show_percent)
            for grouping, items in (
                ("course", report.by_course),
                ("locality", report.by_locality),
                ("carer type", report.by_carer_type),
            )
            for u in items
        ]
    elif part == "compliance":
        header = ("carer", "household", "course", "status", "expires on")
        rows = [(r.person, r.household, r.course, r.status, uk_date(r.expires_on)) for r in report.compliance]
    else:
        header = ("course", "answers", "usefulness (1-5)", "confidence before", "confidence after")
        rows = [(e.course, e.answers, e.usefulness, e.before, e.after) for e in report.evaluations]
    return download(to_csv(header, rows), f"training-{part}-{date_from.isoformat()}-to-{date_to.isoformat()}.csv")


@bp.route("/training/import", methods=["GET", "POST"])
@requires_role(*STAFF)
def import_records():
    """Step 1: choose a CSV and see the preview (nothing saved). Step 2: "Import the matched rows"."""
    form = ImportForm()
    rows, status = None, 200
    if form.validate_on_submit():
        text = form.csv_text.data or ""
        if form.file.data and getattr(form.file.data, "filename", ""):
            raw = form.file.data.read(2_000_001)
            try:
                text = raw.decode("utf-8-sig") if len(raw) <= 2_000_000 else ""
            except UnicodeDecodeError:
                text = raw.decode("cp1252", errors="replace")
            if not text:
                form.file.errors = ["Choose a CSV file smaller than 2 MB"]
        try:
            rows = importing.preview(text, clock.today()) if text else None
        except importing.ImportRefused as exc:
            form.file.errors = [str(exc)]
            status = 422
        if rows is not None and request.form.get("confirm") == "yes":
            added = importing.import_rows(current_user, rows)
            flash(f"{added} past training records imported. Rows that could not be matched were left out.", "success")
            return redirect(url_for("training.import_records"))
        if rows is None and not form.file.errors:
            form.file.errors = ["Choose a CSV file"]
            status = 422
        form.csv_text.data = text
    elif request.method == "POST":
        status = 422
    return render_template(
        "training/import_records.html",
        form=form,
        rows=rows,
        unmatched=[r for r in rows or [] if r.problem],
        matched=[r for r in rows or [] if not r.problem],
        columns=importing.COLUMNS,
    ), status
