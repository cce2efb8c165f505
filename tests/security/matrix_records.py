"""Matrix rows for recording logs, exports and the filing cabinet."""

from __future__ import annotations

import uuid

from portal.auth.roles import Role
from tests.security.matrix import Case

LOG_READERS = frozenset({Role.CARER, Role.SSW, Role.CHILD_SW, Role.ADMIN})
REVIEWERS = frozenset({Role.SSW, Role.CHILD_SW, Role.ADMIN})
CABINET = frozenset({Role.CARER, Role.SSW, Role.ADMIN, Role.BUSINESS_SUPPORT})
MISSING = 987654


def _png():
    import io

    from PIL import Image

    buf = io.BytesIO()
    Image.new("RGB", (20, 20), "white").save(buf, "PNG")
    buf.seek(0)
    return buf


def _entries(world):
    """An entry about each household's child, written by that household's carer, with a photo attached."""
    from portal.core.clock import today
    from portal.records.services import Upload, write_log_entry

    for key, carer, child, household in (
        ("a", world.users[Role.CARER], world.child_a, world.household_a),
        ("b", world.carer_b, world.child_b, world.household_b),
    ):
        entry, _ = write_log_entry(
            carer,
            child=child,
            household=household,
            entry_date=today(),
            time_of_day=None,
            category="daily_life",
            body=f"Entry {key}",
            is_significant=False,
            idempotency_key=uuid.uuid4().hex,
            attachments=[Upload(_png(), "photo.png")],
        )
        world.extra[f"entry_{key}"] = entry.id
        world.extra[f"attachment_{key}"] = entry.attachments[0].id


def _documents(world):
    from portal.core.clock import today
    from portal.records.models import Folder
    from portal.records.services import Upload, file_document

    for key, carer, household in (
        ("a", world.users[Role.CARER], world.household_a),
        ("b", world.carer_b, world.household_b),
    ):
        doc = file_document(
            carer,
            household,
            folder=Folder.FIRE_ESCAPE_PLAN,
            title=f"Plan {key}",
            document_date=today(),
            upload=Upload(_png(), "plan.png"),
        )
        world.extra[f"doc_{key}"] = doc.id
        world.extra[f"version_{key}"] = doc.versions[0].id


def _entry(w, which):
    return {"own": w.extra["entry_a"], "other": w.extra["entry_b"]}.get(which, MISSING)


def _doc(w, which):
    return {"own": w.extra["doc_a"], "other": w.extra["doc_b"]}.get(which, MISSING)


def _household(w, which):
    return {"own": w.household_a.id, "other": w.household_b.id}.get(which, MISSING)


def _child(w, which):
    return {"own": w.child_a.id, "other": w.child_b.id}.get(which, MISSING)


CASES = [
    Case("records.write_log_entry", lambda w, _: "/logs/new", frozenset({Role.CARER})),
    Case("records.write_log_entry", lambda w, _: "/logs/new", frozenset({Role.CARER}), method="POST"),
    Case(
        "records.save_log_draft",
        lambda w, _: "/logs/draft",
        frozenset({Role.CARER}),
        method="POST",
        data={"body": "half written"},
    ),
    Case("records.list_log_entries", lambda w, _: "/logs", LOG_READERS),
    Case(
        "records.show_log_entry",
        lambda w, which: f"/logs/{_entry(w, which)}",
        LOG_READERS,
        has_object=True,
        setup=_entries,
        sees_other=frozenset({Role.ADMIN}),
    ),
    Case(
        "records.mark_log_entry_read",
        lambda w, which: f"/logs/{_entry(w, which)}/read",
        REVIEWERS,
        method="POST",
        has_object=True,
        setup=_entries,
        sees_other=frozenset({Role.ADMIN}),
    ),
    Case(
        "records.reply_to_log_entry",
        lambda w, which: f"/logs/{_entry(w, which)}/replies",
        REVIEWERS,
        method="POST",
        has_object=True,
        setup=_entries,
        sees_other=frozenset({Role.ADMIN}),
        data={"body": "Thank you"},
    ),
    Case(
        "records.write_addendum",
        lambda w, which: f"/logs/{_entry(w, which)}/addendum",
        frozenset({Role.CARER}),
        has_object=True,
        setup=_entries,
    ),
    Case(
        "records.write_addendum",
        lambda w, which: f"/logs/{_entry(w, which)}/addendum",
        frozenset({Role.CARER}),
        method="POST",
        has_object=True,
        setup=_entries,
        data={"body": "Correction"},
    ),
    Case(
        "records.download_log_attachment",
        lambda w, which: (
            f"/logs/{_entry(w, which)}/attachments/{w.extra['attachment_b' if which == 'other' else 'attachment_a']}/thumb"
        ),
        LOG_READERS,
        has_object=True,
        setup=_entries,
        sees_other=frozenset({Role.ADMIN}),
    ),
    Case(
        "records.export_child_log",
        lambda w, which: f"/children/{_child(w, which)}/log",
        frozenset({Role.CARER, Role.SSW, Role.CHILD_SW, Role.ADMIN}),
        has_object=True,
        sees_other=frozenset({Role.ADMIN}),
    ),
    Case("records.my_documents", lambda w, _: "/documents", frozenset({Role.CARER})),
    Case(
        "records.show_cabinet",
        lambda w, which: f"/households/{_household(w, which)}/documents",
        CABINET,
        has_object=True,
        sees_other=frozenset({Role.ADMIN, Role.BUSINESS_SUPPORT}),
    ),
    Case(
        "records.file_document",
        lambda w, which: f"/households/{_household(w, which)}/documents/new",
        CABINET,
        has_object=True,
        sees_other=frozenset({Role.ADMIN, Role.BUSINESS_SUPPORT}),
    ),
    Case(
        "records.file_document",
        lambda w, which: f"/households/{_household(w, which)}/documents/new",
        CABINET,
        method="POST",
        has_object=True,
        sees_other=frozenset({Role.ADMIN, Role.BUSINESS_SUPPORT}),
        data={"title": "x"},
    ),
    Case(
        "records.show_document",
        lambda w, which: f"/documents/{_doc(w, which)}",
        CABINET,
        has_object=True,
        setup=_documents,
        sees_other=frozenset({Role.ADMIN}),
        own_hidden_from=frozenset({Role.BUSINESS_SUPPORT}),
    ),
    Case(
        "records.replace_document",
        lambda w, which: f"/documents/{_doc(w, which)}/new-version",
        CABINET,
        has_object=True,
        setup=_documents,
        sees_other=frozenset({Role.ADMIN}),
        own_hidden_from=frozenset({Role.BUSINESS_SUPPORT}),
    ),
    Case(
        "records.replace_document",
        lambda w, which: f"/documents/{_doc(w, which)}/new-version",
        CABINET,
        method="POST",
        has_object=True,
        setup=_documents,
        sees_other=frozenset({Role.ADMIN}),
        own_hidden_from=frozenset({Role.BUSINESS_SUPPORT}),
        data={"title": "x"},
    ),
    Case(
        "records.download_document",
        lambda w, which: (
            f"/documents/{_doc(w, which)}/versions/{w.extra['version_a'] if which == 'own' else w.extra['version_b']}"
        ),
        CABINET,
        has_object=True,
        setup=_documents,
        sees_other=frozenset({Role.ADMIN}),
        own_hidden_from=frozenset({Role.BUSINESS_SUPPORT}),
    ),
]
