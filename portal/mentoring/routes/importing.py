"""Coordinators: importing the scheme's spreadsheet, with a preview of every row that cannot be read; admins: how
mentors are paid."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select

from portal.auth.gates import requires_role
from portal.auth.roles import Role
from portal.core.db import db
from portal.mentoring import importer, services
from portal.mentoring.forms import ImportForm, PayModelForm
from portal.mentoring.models import PAY_MODEL_LABELS, PayModel
from portal.mentoring.policy import COORDINATORS
from portal.mentoring.routes import bp

MAX_BYTES = 2 * 1024 * 1024


def _text_of(upload) -> str:
    data = upload.stream.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        raise ValueError("The file is larger than 2 MB: split it")
    for encoding in ("utf-8-sig", "cp1252"):  # Excel saves "CSV UTF-8" or Windows-1252
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ValueError("The file could not be read as text: save it from the spreadsheet as CSV")


@bp.route("/mentoring/import", methods=["GET", "POST"])
@requires_role(*COORDINATORS)
def import_spreadsheet():
    form = ImportForm()
    rows, text = None, None
    if form.validate_on_submit():
        upload = form.file.data
        if not upload or not upload.filename:
            form.file.errors = ["Choose the CSV file"]
        else:
            try:
                text = _text_of(upload)
                rows = importer.read(text)
            except ValueError as exc:
                form.file.errors = [str(exc)]
                form.note_files_not_kept()
    status = 422 if request.method == "POST" and rows is None else 200
    return render_template(
        "mentoring/import_spreadsheet.html",
        form=form,
        rows=rows,
        text=text,
        readable=sum(r.ok for r in rows or []),
    ), status


@bp.route("/mentoring/import/save", methods=["POST"])
@requires_role(*COORDINATORS)
def save_import():
    text = request.form.get("csv_text", "")
    try:
        saved, skipped = importer.save(current_user, text)
    except ValueError as exc:
        flash(str(exc), "error")
        return redirect(url_for("mentoring.import_spreadsheet"))
    flash(f"{saved} rows saved; {skipped} rows that could not be read were left out.", "success")
    return redirect(url_for("mentoring.list_mentees"))


@bp.route("/mentoring/pay-model", methods=["GET", "POST"])
@requires_role(Role.ADMIN)
def edit_pay_model():
    """How mentors are paid, effective-dated (admins, who also keep the payment rates)."""
    form = PayModelForm()
    if form.validate_on_submit():
        try:
            services.set_pay_model(current_user, form.model.data, form.effective_from.data, form.source.data)
        except services.MentoringRefused as exc:
            getattr(form, exc.field or "model").errors = [str(exc)]
        else:
            flash("How mentors are paid has been saved.", "success")
            return redirect(url_for("mentoring.edit_pay_model"))
    rows = db.session.scalars(select(PayModel).order_by(PayModel.effective_from.desc())).all()
    return render_template("mentoring/edit_pay_model.html", form=form, rows=rows, labels=PAY_MODEL_LABELS), (
        422 if request.method == "POST" else 200
    )
