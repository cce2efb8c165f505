"""Coordinators: the scheme report on screen (with charts), as CSV and as a printable PDF."""

from __future__ import annotations

from flask import Response, current_app, render_template, request
from flask_login import current_user  # noqa: F401  (the gate reads it)

from portal.auth.gates import requires_role
from portal.core.clock import today
from portal.core.csv_export import download, to_csv
from portal.core.query_budget import query_budget
from portal.mentoring import report
from portal.mentoring.policy import COORDINATORS
from portal.mentoring.routes import bp


def _figures():
    on = today()
    period = report.period_of(request.args.get("period"), on)
    return on, report.figures(period), report.figures(period.last_year())


# The report counts each figure for two periods (this one and the same one last year) with a query apiece.
SCHEME_REPORT_QUERIES = 30


@bp.route("/mentoring/report")
@requires_role(*COORDINATORS)
@query_budget(SCHEME_REPORT_QUERIES)
def show_scheme_report():
    on, now, before = _figures()
    fy = on.year if on.month >= 4 else on.year - 1
    choices = [report.Period(y, q) for y in range(fy, fy - 3, -1) for q in (None, 1, 2, 3, 4)]
    rows = [(label, key, report.value_text(now, key), report.value_text(before, key)) for key, label in report.ROWS]
    counts = [getattr(now, k) for k, _ in report.ROWS[:7]] + [getattr(before, k) for k, _ in report.ROWS[:7]]
    return render_template(
        "mentoring/show_scheme_report.html",
        now=now,
        before=before,
        rows=rows,
        chart_rows=report.ROWS[:7],
        most=max(counts + [1]),
        gaps=report.localities_without_mentor(on),
        choices=choices,
    )


@bp.route("/mentoring/report.csv")
@requires_role(*COORDINATORS)
@query_budget(SCHEME_REPORT_QUERIES)
def download_scheme_report_csv():
    _on, now, before = _figures()
    text = to_csv(
        ["Figure", now.period.label, f"Same period last year ({before.period.label})"], report.csv_rows(now, before)
    )
    return download(text, f"mentoring-report-{now.period.key}.csv")


@bp.route("/mentoring/report.pdf")
@requires_role(*COORDINATORS)
@query_budget(SCHEME_REPORT_QUERIES)
def download_scheme_report_pdf():
    on, now, before = _figures()
    body = report.pdf(current_app.config["COUNCIL_NAME"], now, before, report.localities_without_mentor(on))
    return Response(
        body,
        mimetype="application/pdf",
        headers={
            "Content-Disposition": f'attachment; filename="mentoring-report-{now.period.key}.pdf"',
            "Cache-Control": "private, no-store",
        },
    )
