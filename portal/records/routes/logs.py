"""Writing, listing and reading log entries; addenda, read marks, replies and drafts."""

from __future__ import annotations

import uuid

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from werkzeug.datastructures import MultiDict

from portal.auth.gates import requires_role
from portal.auth.roles import Role
from portal.core.clock import today
from portal.core.db import db
from portal.core.files import UploadRejected
from portal.core.outbox import answer_stored
from portal.core.pagination import page_number
from portal.core.refusals import not_found
from portal.core.uploads import TooManyUploads, send_rendition
from portal.people.lookups import NoSuchChild, child_label, resolve_child
from portal.people.models import Child
from portal.people.queries import children_visible_to, household_of
from portal.records import services
from portal.records.forms import AddendumForm, CommentForm, LogEntryForm, LogFilterForm
from portal.records.policy import children_carer_can_log, is_reviewer, load_log_entry, load_loggable_child
from portal.records.queries import filtered_logs, page_of_logs, read_entry_ids
from portal.records.routes import bp

LOG_READERS = (Role.CARER, Role.SSW, Role.CHILD_SW, Role.ADMIN)
SHORT_LIST = 20  # children in a filter's select; more than this and the child is typed instead
REVIEWERS = (Role.SSW, Role.CHILD_SW, Role.ADMIN)


def _uploads(field) -> list[services.Upload]:
    return [services.Upload(f.stream, f.filename) for f in (field.data or []) if f and f.filename]


@bp.route("/logs/new", methods=["GET", "POST"])
@requires_role(Role.CARER)
def write_log_entry():
    children = children_carer_can_log(current_user)
    household = household_of(current_user)
    form = LogEntryForm()
    form.child_id.choices = [("", "Choose a child")] + [(str(c.id), f"{c.known_as} {c.last_name}") for c in children]
    if request.method == "GET":
        draft = services.get_draft(current_user)
        form.idempotency_key.data = uuid.uuid4().hex
        if draft:
            form.process(formdata=_draft_formdata(draft.fields), idempotency_key=form.idempotency_key.data)
            form.child_id.choices = [("", "Choose a child")] + [
                (str(c.id), f"{c.known_as} {c.last_name}") for c in children
            ]
        else:
            form.entry_date.data = today()
            if len(children) == 1:
                form.child_id.data = str(children[0].id)
    status = 200
    if form.validate_on_submit():
        if not form.idempotency_key.data:
            form.idempotency_key.data = uuid.uuid4().hex
        child = load_loggable_child(current_user, int(form.child_id.data))
        try:
            entry, created = services.write_log_entry(
                current_user,
                child=child,
                household=household,
                entry_date=form.entry_date.data,
                time_of_day=form.parsed_time,
                category=form.category.data,
                body=form.body.data,
                is_significant=form.is_significant.data,
                idempotency_key=form.idempotency_key.data,
                attachments=_uploads(form.attachments),
            )
        except (UploadRejected, services.RecordRefused) as exc:
            form.attachments.errors = (
                [f"{exc}. Your entry has not been sent yet: choose the file again or remove it"]
                if isinstance(exc, UploadRejected)
                else []
            )
            if isinstance(exc, services.RecordRefused):
                target = form._fields.get(exc.field or "") or form.body
                target.errors = list(target.errors or []) + [str(exc)]
                form.note_files_not_kept()
            status = 429 if isinstance(exc, TooManyUploads) else 422
        else:
            failed = [a for a in entry.attachments if a.file.status == "rejected"]
            if failed:
                flash(
                    f"Your entry was saved, but {len(failed)} attachment(s) could not be kept: "
                    f"{failed[0].file.rejection_reason}.",
                    "important",
                )
            else:
                flash("Your log entry has been sent." if created else "This entry was already sent.", "success")
            return answer_stored(url_for("records.show_log_entry", entry_id=entry.id))
    elif request.method == "POST":
        status = 422
    return render_template("records/write_log_entry.html", form=form, children=children), status


def _draft_formdata(fields: dict):
    return MultiDict({k: v for k, v in fields.items() if v not in ("", None, "False")})


@bp.route("/logs/draft", methods=["POST"])
@requires_role(Role.CARER)
def save_log_draft():
    if request.form.get("discard"):
        services.discard_draft(current_user)
        flash("Your draft has been deleted.", "success")
        return redirect(url_for("records.write_log_entry"))
    services.save_draft(current_user, request.form.to_dict())
    if request.accept_mimetypes.best == "application/json":
        return {"saved": True}
    flash("Your draft has been saved. It will be here when you come back.", "success")
    return redirect(url_for("records.write_log_entry"))


LOG_COUNT_CAP = 1_000  # entries counted for a list's "Showing 1 to 25 of …"; beyond it, "more than 1,000"


@bp.route("/logs")
@requires_role(*LOG_READERS)
def list_log_entries():
    form = LogFilterForm(request.args)
    # A few children are a select; a caseload of hundreds is typed (portal.people.lookups), never a select of all.
    few = db.session.scalars(
        children_visible_to(current_user, listing=True)
        .order_by(Child.first_name, Child.last_name, Child.id)
        .limit(SHORT_LIST + 1)
    ).all()
    typed = len(few) > SHORT_LIST
    form.child.choices = [("", "All children")] + [(str(c.id), f"{c.known_as} {c.last_name}") for c in few]
    filters = {}
    child = None
    if request.args and form.child.data:
        try:
            child = resolve_child(current_user, form.child.data)
        except NoSuchChild as exc:
            form.child.errors = [str(exc)]
        else:
            form.child.data = child_label(child) if typed else str(child.id)
    if request.args and form.validate() and not form.child.errors:
        filters = dict(
            child_id=child.id if child else None,
            category=form.category.data or None,
            date_from=form.date_from.data,
            date_to=form.date_to.data,
            unread_only=bool(form.unread.data) and is_reviewer(current_user),
        )
    # Counted up to a cap: a caseload's (or the whole service's) entries are not all counted for every page.
    listed = filtered_logs(current_user, **filters)
    page = page_of_logs(listed, page_number(request.args), count_up_to=LOG_COUNT_CAP)
    read = read_entry_ids(current_user, [e.id for e in page.items])
    args = {k: v for k, v in request.args.items() if k != "page"}
    pager = page.govuk(lambda n: url_for("records.list_log_entries", page=n, **args))
    return render_template(
        "records/list_log_entries.html",
        form=form,
        page=page,
        read=read,
        pager=pager,
        reviewer=is_reviewer(current_user),
        can_write=current_user.has_role(Role.CARER),
        typed_child=typed,
    )


@bp.route("/logs/<int:entry_id>")
@requires_role(*LOG_READERS)
def show_log_entry(entry_id: int):
    entry = load_log_entry(current_user, entry_id)
    if entry.addendum_to_id:
        return redirect(url_for("records.show_log_entry", entry_id=entry.addendum_to_id))
    reviewer = is_reviewer(current_user)
    return render_template(
        "records/show_log_entry.html",
        entry=entry,
        reviewer=reviewer,
        is_read=entry.id in read_entry_ids(current_user, [entry.id]),
        comment_form=CommentForm(),
        can_add=current_user.id in [m.user_id for m in entry.household.members],
    )


@bp.route("/logs/<int:entry_id>/read", methods=["POST"])
@requires_role(*REVIEWERS)
def mark_log_entry_read(entry_id: int):
    entry = load_log_entry(current_user, entry_id)
    services.mark_read(current_user, entry)
    flash("Marked as read.", "success")
    return redirect(
        request.form.get("back")
        if request.form.get("back", "").startswith("/logs")
        else url_for("records.show_log_entry", entry_id=entry.id)
    )


@bp.route("/logs/<int:entry_id>/replies", methods=["POST"])
@requires_role(*REVIEWERS)
def reply_to_log_entry(entry_id: int):
    entry = load_log_entry(current_user, entry_id)
    form = CommentForm()
    if form.validate_on_submit():
        services.comment_on_entry(current_user, entry, form.body.data)
        flash("Your reply has been sent to the carer.", "success")
        return redirect(url_for("records.show_log_entry", entry_id=entry.id))
    return render_template(
        "records/show_log_entry.html", entry=entry, reviewer=True, is_read=False, comment_form=form, can_add=False
    ), 422


@bp.route("/logs/<int:entry_id>/addendum", methods=["GET", "POST"])
@requires_role(Role.CARER)
def write_addendum(entry_id: int):
    entry = load_log_entry(current_user, entry_id)
    if current_user.id not in [m.user_id for m in entry.household.members]:
        abort(403)
    form = AddendumForm()
    if request.method == "GET":
        form.idempotency_key.data = uuid.uuid4().hex
    if form.validate_on_submit():
        services.write_log_entry(
            current_user,
            child=entry.child,
            household=entry.household,
            entry_date=today(),
            time_of_day=None,
            category=entry.category,
            body=form.body.data,
            is_significant=False,
            idempotency_key=form.idempotency_key.data or uuid.uuid4().hex,
            addendum_to=entry,
        )
        flash("Your addition has been added to the entry.", "success")
        return redirect(url_for("records.show_log_entry", entry_id=entry.id))
    return render_template(
        "records/write_addendum.html", entry=entry, form=form
    ), 422 if request.method == "POST" else 200


@bp.route("/logs/<int:entry_id>/attachments/<int:attachment_id>/<any(thumb, display, original):rendition>")
@requires_role(*LOG_READERS)
def download_log_attachment(entry_id: int, attachment_id: int, rendition: str):
    entry = load_log_entry(current_user, entry_id)
    attachment = next((a for a in entry.attachments if a.id == attachment_id), None)
    if attachment is None:
        not_found(current_user, "log_attachment", attachment_id)
    return send_rendition(
        attachment.file, "master" if rendition == "original" else rendition, as_attachment=rendition == "original"
    )
