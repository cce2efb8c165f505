"""A child's log for a date range: a printable page and a PDF."""

from __future__ import annotations

from datetime import timedelta

from flask import current_app, make_response, render_template, request
from flask_login import current_user
from sqlalchemy import and_

from portal.auth.gates import requires_role
from portal.auth.roles import Role
from portal.core.clock import today
from portal.core.db import db
from portal.records.export import log_pdf
from portal.records.forms import ExportForm
from portal.records.models import LogEntry
from portal.records.policy import load_child_for_logs
from portal.records.queries import logs_visible_to
from portal.records.routes import bp
from portal.records.services import record_log_export


@bp.route("/children/<int:child_id>/log")
@requires_role(Role.CARER, Role.SSW, Role.CHILD_SW, Role.ADMIN)
def export_child_log(child_id: int):
    child = load_child_for_logs(current_user, child_id)
    form = ExportForm(request.args)
    entries = None
    if request.args.get("date_from-year") is not None and form.validate():
        if form.date_to.data < form.date_from.data:
            form.date_to.errors = ["The end date must be the same as or after the start date"]
        else:
            entries = db.session.scalars(
                logs_visible_to(current_user)
                .where(
                    and_(
                        LogEntry.child_id == child.id,
                        LogEntry.addendum_to_id.is_(None),
                        LogEntry.entry_date >= form.date_from.data,
                        LogEntry.entry_date <= form.date_to.data,
                    )
                )
                .order_by(LogEntry.entry_date, LogEntry.created_at)
            ).all()
            record_log_export(current_user, child, len(entries), request.args.get("format", "html"))
            if request.args.get("format") == "pdf":
                data = log_pdf(
                    child, entries, form.date_from.data, form.date_to.data, current_app.config["COUNCIL_NAME"]
                )
                response = make_response(data)
                response.mimetype = "application/pdf"
                response.headers["Content-Disposition"] = (
                    f'attachment; filename="log-{child.case_reference}-{form.date_from.data}-{form.date_to.data}.pdf"'
                )
                return response
    elif not request.args:
        form.date_from.data, form.date_to.data = today() - timedelta(days=30), today()
    return render_template("records/export_child_log.html", child=child, form=form, entries=entries)
