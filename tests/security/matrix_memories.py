"""Matrix rows for memory boxes: reading, adding, moderation, young-person access, copies, deletion and holds."""

from __future__ import annotations

from datetime import timedelta

from portal.auth.roles import Role
from tests.security.matrix import Case

READERS = frozenset({Role.CARER, Role.SSW, Role.CHILD_SW, Role.ADMIN, Role.YOUNG_PERSON})
ADDERS = frozenset({Role.CARER, Role.SSW, Role.CHILD_SW})
CHANGERS = ADDERS | {Role.ADMIN}
MODERATORS = frozenset({Role.SSW, Role.CHILD_SW, Role.ADMIN})
EXPORTERS = frozenset({Role.CHILD_SW, Role.YOUNG_PERSON})
ADMIN = frozenset({Role.ADMIN})
MISSING = 987654


def _photo():
    import io

    from PIL import Image

    buf = io.BytesIO()
    Image.new("RGB", (24, 24), "orange").save(buf, "JPEG")
    buf.seek(0)
    return buf


def _boxes(world):
    """For each child: an approved photo and a photo still waiting, both from the household's carer; a grant for
    child A's young person; a ready copy of each box."""
    from flask import current_app

    from portal.core.clock import today
    from portal.memories import services, young_person_access
    from portal.memories.export import download_token, request_export
    from portal.memories.models import MemoryKind
    from portal.memories.policy import box_access
    from tests.jobs import drain_jobs

    for key, carer, child in (("a", world.users[Role.CARER], world.child_a), ("b", world.carer_b, world.child_b)):
        sw = child.social_worker
        carer_access, sw_access = box_access(carer, child), box_access(sw, child)
        details = services.Details(title=f"Memory {key}", memory_date=today() - timedelta(days=1))
        (approved,) = services.add_memories(
            carer,
            carer_access,
            kind=MemoryKind.PHOTO,
            details=details,
            uploads=[services.Upload(_photo(), "a.jpg")],
            checklist_confirmed=True,
        )
        drain_jobs(current_app._get_current_object())  # the photo is checked by a worker before anyone approves it
        services.approve_item(sw, approved, sw_access)
        (pending,) = services.add_memories(
            carer,
            carer_access,
            kind=MemoryKind.PHOTO,
            details=details,
            uploads=[services.Upload(_photo(), "b.jpg")],
            checklist_confirmed=True,
        )
        world.extra[f"item_{key}"], world.extra[f"pending_{key}"] = approved.id, pending.id
        if key == "a":
            grant = young_person_access.grant_access(sw, sw_access, decided_on=today(), reason="Ready")
            world.extra["grant_a"] = grant.id
        export = request_export(sw, sw_access)
        world.extra[f"export_{key}"] = (export.id, download_token(export, "zip"))


def _child(w, which):
    return {"own": w.child_a.id, "other": w.child_b.id}.get(which, MISSING)


def _item(w, which, name="item"):
    return {"own": w.extra.get(f"{name}_a"), "other": w.extra.get(f"{name}_b")}.get(which, MISSING)


def _export(w, which):
    if which == "missing":
        return f"/memory-box/copies/{MISSING}/zip?token=x"
    export_id, token = w.extra["export_a" if which == "own" else "export_b"]
    return f"/memory-box/copies/{export_id}/zip?token={token}"


def _withdraw(w, which):
    return f"/memory-box/{_child(w, which)}/access/{w.extra['grant_a']}/withdraw"


CASES = [
    Case("memories.list_boxes", lambda w, _: "/memory-box", READERS),
    Case(
        "memories.show_box",
        lambda w, which: f"/memory-box/{_child(w, which)}",
        READERS,
        has_object=True,
        setup=_boxes,
        sees_other=ADMIN,
    ),
    Case(
        "memories.show_item",
        lambda w, which: f"/memory-box/items/{_item(w, which)}",
        READERS,
        has_object=True,
        setup=_boxes,
        sees_other=ADMIN,
    ),
    Case(
        "memories.download_item_file",
        lambda w, which: f"/memory-box/items/{_item(w, which)}/files/thumb",
        READERS,
        has_object=True,
        setup=_boxes,
        sees_other=ADMIN,
    ),
    Case(
        "memories.choose_memory_kind", lambda w, which: f"/memory-box/{_child(w, which)}/add", ADDERS, has_object=True
    ),
    Case("memories.add_memory", lambda w, which: f"/memory-box/{_child(w, which)}/add/photos", ADDERS, has_object=True),
    Case(
        "memories.add_memory",
        lambda w, which: f"/memory-box/{_child(w, which)}/add/note",
        ADDERS,
        method="POST",
        has_object=True,
        data={"title": "A note"},
    ),
    Case(
        "memories.change_item",
        lambda w, which: f"/memory-box/items/{_item(w, which, 'pending')}/change",
        CHANGERS,
        has_object=True,
        setup=_boxes,
        sees_other=ADMIN,
    ),
    Case(
        "memories.change_item",
        lambda w, which: f"/memory-box/items/{_item(w, which, 'pending')}/change",
        CHANGERS,
        method="POST",
        has_object=True,
        setup=_boxes,
        sees_other=ADMIN,
        data={"title": ""},
    ),
    Case("memories.moderation_queue", lambda w, _: "/memory-box/moderation", MODERATORS),
    Case(
        "memories.approve_item",
        lambda w, which: f"/memory-box/items/{_item(w, which, 'pending')}/approve",
        MODERATORS,
        method="POST",
        has_object=True,
        setup=_boxes,
        sees_other=ADMIN,
    ),
    Case(
        "memories.hide_item",
        lambda w, which: f"/memory-box/items/{_item(w, which)}/hide",
        MODERATORS,
        has_object=True,
        setup=_boxes,
        sees_other=ADMIN,
    ),
    Case(
        "memories.hide_item",
        lambda w, which: f"/memory-box/items/{_item(w, which)}/hide",
        MODERATORS,
        method="POST",
        has_object=True,
        setup=_boxes,
        sees_other=ADMIN,
        data={"reason": "Checking"},
    ),
    Case(
        "memories.unhide_item",
        lambda w, which: f"/memory-box/items/{_item(w, which)}/unhide",
        MODERATORS,
        method="POST",
        has_object=True,
        setup=_boxes,
        sees_other=ADMIN,
    ),
    Case(
        "memories.manage_access",
        lambda w, which: f"/memory-box/{_child(w, which)}/access",
        frozenset({Role.CHILD_SW}),
        has_object=True,
    ),
    Case(
        "memories.manage_access",
        lambda w, which: f"/memory-box/{_child(w, which)}/access",
        frozenset({Role.CHILD_SW}),
        method="POST",
        has_object=True,
        data={"reason": ""},
    ),
    Case("memories.withdraw_access", _withdraw, frozenset({Role.CHILD_SW}), has_object=True, setup=_boxes),
    Case(
        "memories.withdraw_access",
        _withdraw,
        frozenset({Role.CHILD_SW}),
        method="POST",
        has_object=True,
        setup=_boxes,
        data={"reason": ""},
    ),
    Case(
        "memories.show_exports",
        lambda w, which: f"/memory-box/{_child(w, which)}/copies",
        EXPORTERS,
        has_object=True,
        setup=_boxes,
    ),
    Case(
        "memories.request_export",
        lambda w, which: f"/memory-box/{_child(w, which)}/copies",
        frozenset({Role.CHILD_SW}),
        method="POST",
        has_object=True,
    ),
    Case("memories.download_export", _export, EXPORTERS, has_object=True, setup=_boxes),
    Case(
        "memories.delete_item",
        lambda w, which: f"/memory-box/items/{_item(w, which)}/delete",
        ADMIN,
        has_object=True,
        setup=_boxes,
        sees_other=ADMIN,
    ),
    Case(
        "memories.delete_item",
        lambda w, which: f"/memory-box/items/{_item(w, which)}/delete",
        ADMIN,
        method="POST",
        has_object=True,
        setup=_boxes,
        sees_other=ADMIN,
        data={"reason": ""},
    ),
    Case(
        "memories.change_legal_hold",
        lambda w, which: f"/memory-box/{_child(w, which)}/legal-hold",
        ADMIN,
        has_object=True,
        sees_other=ADMIN,
    ),
    Case(
        "memories.change_legal_hold",
        lambda w, which: f"/memory-box/{_child(w, which)}/legal-hold",
        ADMIN,
        method="POST",
        has_object=True,
        sees_other=ADMIN,
        data={"reason": ""},
    ),
]
