"""Newsletters: the list (newest first), a newsletter's PDF, and adding one through the upload pipeline."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user

from portal.auth.gates import login_only, requires_role
from portal.auth.roles import Role
from portal.core.files import UploadRejected
from portal.core.pagination import page_number, paginate
from portal.core.uploads import TooManyUploads, send_rendition
from portal.hub import queries, services
from portal.hub.forms import NewsletterForm
from portal.hub.policy import load_newsletter
from portal.hub.routes import bp

PER_PAGE = 10


@bp.route("/newsletters")
@login_only
def list_newsletters():
    admin = current_user.has_role(Role.ADMIN)
    page = paginate(queries.newsletters(include_unready=admin), page_number(request.args), PER_PAGE)
    pager = page.govuk(lambda n: url_for("hub.list_newsletters", page=n))
    return render_template("hub/list_newsletters.html", page=page, pager=pager, admin=admin)


@bp.route("/newsletters/<int:newsletter_id>/file")
@login_only
def download_newsletter(newsletter_id: int):
    newsletter = load_newsletter(current_user, newsletter_id)
    response = send_rendition(newsletter.file, "original", as_attachment=True)
    response.headers["Cache-Control"] = "private, no-store"  # never kept by the service worker or any cache
    return response


@bp.route("/newsletters/new", methods=["GET", "POST"])
@requires_role(Role.ADMIN)
def add_newsletter():
    form = NewsletterForm()
    if form.validate_on_submit():
        upload = form.file.data
        if not upload or not getattr(upload, "filename", ""):
            form.file.errors.append("Choose the newsletter's PDF")
        else:
            try:
                services.add_newsletter(
                    current_user,
                    upload.stream,
                    upload.filename,
                    title=form.title.data,
                    issue_date=form.issue_date.data,
                    summary=form.summary.data,
                )
            except UploadRejected as exc:
                form.file.errors.append(str(exc))
                status = 429 if isinstance(exc, TooManyUploads) else 422
                return render_template("hub/add_newsletter.html", form=form), status
            flash("The newsletter is being checked; it appears in the list once it is ready")
            return redirect(url_for("hub.list_newsletters"))
    form.note_files_not_kept()
    status = 422 if request.method == "POST" else 200
    return render_template("hub/add_newsletter.html", form=form), status
