"""Adding memories (carers of the current placement, the child's social worker, the SSW) and correcting them."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from portal.auth.gates import requires_role
from portal.core.files import UploadRejected
from portal.core.idempotency import KeyUsedElsewhere, new_key, once
from portal.core.outbox import answer_stored
from portal.core.unit_of_work import unit_of_work
from portal.core.uploads import TooManyUploads
from portal.memories import services
from portal.memories.forms import AddMemoryForm, ChangeMemoryForm
from portal.memories.models import MemoryKind
from portal.memories.policy import can_change_item, load_box, load_item
from portal.memories.routes import ADDERS, MODERATORS, bp

KINDS = {
    "photos": MemoryKind.PHOTO,
    "video": MemoryKind.VIDEO,
    "document": MemoryKind.DOCUMENT,
    "note": MemoryKind.NOTE,
}


def _details(form) -> services.Details:
    return services.Details(
        title=form.title.data or "",
        caption=form.caption.data or "",
        people=form.people.data or "",
        tags=tuple(form.tags.data or ()),
        memory_date=form.memory_date.data,
        is_sensitive=bool(form.is_sensitive.data),
        body=form.body.data,
    )


@bp.route("/memory-box/<int:child_id>/add")
@requires_role(*ADDERS)
def choose_memory_kind(child_id: int):
    access = load_box(current_user, child_id)
    if not access.can_add:
        abort(403)
    return render_template("memories/choose_memory_kind.html", child=access.child)


@bp.route("/memory-box/<int:child_id>/add/<any(photos, video, document, note):kind>", methods=["GET", "POST"])
@requires_role(*ADDERS)
def add_memory(child_id: int, kind: str):
    access = load_box(current_user, child_id)
    if not access.can_add:
        abort(403)
    memory_kind = KINDS[kind]
    form = AddMemoryForm(kind=memory_kind.value)
    if request.method == "GET":
        form.idempotency_key.data = new_key()
    status = 200
    if form.validate_on_submit():
        uploads = [services.Upload(f.stream, f.filename) for f in form.chosen_files]
        try:
            with unit_of_work():
                outcome = once(
                    current_user.id,
                    form.idempotency_key.data,
                    "memories.add_memory",
                    lambda: services.add_memories(
                        current_user,
                        access,
                        kind=memory_kind,
                        details=_details(form),
                        uploads=uploads if memory_kind != MemoryKind.NOTE else [],
                        checklist_confirmed=True,
                    ),
                    lambda items: _where_added(access, items),
                )
        except KeyUsedElsewhere:
            form.files.errors = ["This form was already used. Go back to the memory box and start again"]
            status = 422
        except (UploadRejected, services.MemoryRefused) as exc:
            target = form.files if isinstance(exc, UploadRejected) or memory_kind != MemoryKind.NOTE else form.body
            target.errors = [str(exc)]
            form.note_files_not_kept()
            status = 429 if isinstance(exc, TooManyUploads) else 422
        else:
            if outcome.created:
                _tell_what_was_added(access, outcome.value)
            else:
                flash("This memory was already added.", "success")
            return answer_stored(outcome.result_url)
    elif request.method == "POST":
        status = 422
    return render_template(
        "memories/add_memory.html", child=access.child, form=form, kind=kind, memory_kind=memory_kind
    ), status


def _where_added(access, items) -> str:
    if len(items) == 1:
        return url_for("memories.show_item", item_id=items[0].id)
    return url_for("memories.show_box", child_id=access.child.id)


def _tell_what_was_added(access, items) -> None:
    rejected = [i for i in items if i.is_rejected]
    kept = len(items) - len(rejected)
    if rejected:
        flash(f"{len(rejected)} file(s) could not be kept: {rejected[0].file.rejection_reason}.", "important")
    if kept:
        what = "memory has" if kept == 1 else f"{kept} memories have"
        flash(
            f"The {what} been added. "
            + (
                ""
                if access.can_moderate
                else f"{access.child.known_as}'s social worker will check and approve them for the box."
            ),
            "success",
        )


@bp.route("/memory-box/items/<int:item_id>/change", methods=["GET", "POST"])
@requires_role(*ADDERS, *MODERATORS)
def change_item(item_id: int):
    item, access = load_item(current_user, item_id)
    if not can_change_item(current_user, item, access):
        abort(403)
    form = ChangeMemoryForm(obj=item if request.method == "GET" else None)
    if request.method == "GET":
        form.tags.data = item.tags
    status = 200
    if form.validate_on_submit():
        if item.kind == MemoryKind.NOTE and not (form.body.data or "").strip():
            form.body.errors = ["Write the note or story"]
            status = 422
        else:
            try:
                services.change_item(current_user, item, access, _details(form))
            except services.MemoryRefused as exc:
                form.title.errors = [str(exc)]
                status = 422
            else:
                flash("The memory has been updated.", "success")
                return redirect(url_for("memories.show_item", item_id=item.id))
    elif request.method == "POST":
        status = 422
    return render_template("memories/change_item.html", item=item, form=form), status
