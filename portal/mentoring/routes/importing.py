"""Coordinators: importing the scheme's spreadsheet, with a preview of every row that cannot be read."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user

from portal.auth.gates import requires_role
from portal.mentoring import importer
from portal.mentoring.forms import ImportForm
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
