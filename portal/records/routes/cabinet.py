"""The household's filing cabinet: folders of documents, each with its versions."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from portal.auth.gates import requires_role
from portal.auth.roles import Role
from portal.core.clock import today
from portal.core.files import UploadRejected
from portal.core.idempotency import KeyUsedElsewhere, new_key, once
from portal.core.outbox import answer_stored
from portal.core.pagination import page_number, paginate
from portal.core.refusals import not_found
from portal.core.unit_of_work import unit_of_work
from portal.core.uploads import TooManyUploads, send_rendition
from portal.people.queries import household_of
from portal.records import services
from portal.records.forms import DocumentForm
from portal.records.models import FOLDER_LABELS, Folder
from portal.records.policy import folders_user_may_upload_to, load_cabinet_household, load_document
from portal.records.queries import cabinet_summary, folder_documents
from portal.records.routes import bp

CABINET_USERS = (Role.CARER, Role.SSW, Role.ADMIN, Role.BUSINESS_SUPPORT)
FOLDER_PREVIEW = 5  # documents of each folder on the cabinet's first page; the rest are a link away


@bp.route("/documents")
@requires_role(Role.CARER)
def my_documents():
    household = household_of(current_user)
    if household is None:
        abort(404)
    return redirect(url_for("records.show_cabinet", household_id=household.id))


@bp.route("/households/<int:household_id>/documents")
@requires_role(*CABINET_USERS)
def show_cabinet(household_id: int):
    household = load_cabinet_household(current_user, household_id)
    upload_folders = folders_user_may_upload_to(current_user, household)
    opened = next((f for f in Folder if f.value == request.args.get("folder")), None)
    if opened is not None:  # one folder, a page at a time
        page = paginate(folder_documents(current_user, household.id, opened), page_number(request.args))
        pager = page.govuk(
            lambda n: url_for("records.show_cabinet", household_id=household.id, folder=opened.value, page=n)
        )
        return render_template(
            "records/show_cabinet.html",
            household=household,
            by_folder={opened: page.items},
            counts={opened.value: page.total},
            opened=opened,
            page=page,
            pager=pager,
            labels=FOLDER_LABELS,
            upload_folders=upload_folders,
        )
    # Summary first: each folder's newest few and how many there are, whatever the cabinet holds.
    shown, counts = cabinet_summary(current_user, household.id, per_folder=FOLDER_PREVIEW)
    return render_template(
        "records/show_cabinet.html",
        household=household,
        by_folder={f: shown.get(f.value, []) for f in Folder},
        counts=counts,
        opened=None,
        labels=FOLDER_LABELS,
        upload_folders=upload_folders,
    )


@bp.route("/households/<int:household_id>/documents/new", methods=["GET", "POST"])
@requires_role(*CABINET_USERS)
def file_document(household_id: int):
    household = load_cabinet_household(current_user, household_id)
    folders = folders_user_may_upload_to(current_user, household)
    if not folders:
        abort(403)
    form = DocumentForm()
    form.folder.choices = [("", "Choose a folder")] + [(f.value, FOLDER_LABELS[f]) for f in folders]
    if request.method == "GET":
        form.folder.data = request.args.get("folder", "")
        form.document_date.data = today()
    return _file_from_form(form, household, None)


def _file_from_form(form: DocumentForm, household, replaces):
    """Shared by a new document and a new version: file it, or show the form again with the reason and the typed values."""
    status = 200
    if request.method == "GET":
        form.idempotency_key.data = new_key()
    if form.validate_on_submit():
        try:
            with unit_of_work():
                outcome = once(
                    current_user.id,
                    form.idempotency_key.data,
                    request.endpoint,
                    lambda: services.file_document(
                        current_user,
                        household,
                        folder=Folder(form.folder.data),
                        title=form.title.data,
                        document_date=form.document_date.data,
                        upload=services.Upload(form.file.data.stream, form.file.data.filename),
                        replaces=replaces,
                    ),
                    _where_filed,
                )
        except KeyUsedElsewhere:
            form.file.errors = ["This form was already used. Go back to the filing cabinet and start again"]
            status = 422
        except (UploadRejected, services.RecordRefused) as exc:
            field = getattr(exc, "field", None)
            target = form._fields.get(field or "") or form.file
            target.errors = list(target.errors or []) + [str(exc)]
            form.note_files_not_kept()
            status = 429 if isinstance(exc, TooManyUploads) else 422
        else:
            if not outcome.created:
                flash("This document was already filed.", "success")
            elif outcome.value.versions[0].file.status == "rejected":
                flash(f"The file could not be kept: {outcome.value.versions[0].file.rejection_reason}.", "important")
            else:
                flash("The document has been filed.", "success")
            return answer_stored(outcome.result_url)
    elif request.method == "POST":
        status = 422
    return render_template("records/file_document.html", household=household, form=form, document=replaces), status


def _where_filed(document) -> str:
    if not current_user.has_role(Role.CARER, Role.SSW, Role.ADMIN):
        return url_for("people.show_household", household_id=document.household_id)
    return url_for("records.show_document", document_id=document.id)


@bp.route("/documents/<int:document_id>")
@requires_role(*CABINET_USERS)
def show_document(document_id: int):
    document = load_document(current_user, document_id)
    return render_template(
        "records/show_document.html",
        document=document,
        can_replace=Folder(document.folder) in folders_user_may_upload_to(current_user, document.household),
    )


@bp.route("/documents/<int:document_id>/new-version", methods=["GET", "POST"])
@requires_role(*CABINET_USERS)
def replace_document(document_id: int):
    document = load_document(current_user, document_id)
    if Folder(document.folder) not in folders_user_may_upload_to(current_user, document.household):
        abort(403)
    form = DocumentForm()
    form.folder.choices = [(document.folder, document.folder_label)]
    if request.method == "GET":
        form.folder.data, form.title.data, form.document_date.data = document.folder, document.title, today()
    return _file_from_form(form, document.household, document)


@bp.route("/documents/<int:document_id>/versions/<int:version_id>")
@requires_role(*CABINET_USERS)
def download_document(document_id: int, version_id: int):
    document = load_document(current_user, document_id)
    version = next((v for v in document.versions if v.id == version_id), None)
    if version is None:
        not_found(current_user, "document_version", version_id)
    return send_rendition(version.file, "master", as_attachment=True)
