"""Memory-box fixtures: a child placed with a carer household, its SSW, the child's social worker and the young
person's account; photos made in code; clamd and S3 as the upload tests use them."""

from __future__ import annotations

import io
from datetime import date

import pytest
from PIL import Image
from sqlalchemy import select

from portal.core.clock import today
from portal.core.db import db
from portal.memories.models import MemoryItem
from tests.factories import Family, make_family
from tests.uploads.conftest import CLAMD_ADDRESS, S3_CREDENTIALS, s3_server, s3_settings  # noqa: F401


@pytest.fixture
def app_config(app_config):
    config = dict(app_config)
    if CLAMD_ADDRESS:
        config["CLAMD_ADDRESS"] = CLAMD_ADDRESS
    return config


Box = Family  # the memory-box tests' name for a family with the young person's account


@pytest.fixture
def box(app) -> Box:
    return make_family(first_name="Jordan", born=date(2010, 5, 17), with_young_person=True)


def photo(colour="teal", size=(120, 90), taken: date | None = None) -> bytes:
    img = Image.new("RGB", size, colour)
    exif = Image.Exif()
    if taken:
        exif.get_ifd(0x8769)[0x9003] = taken.strftime("%Y:%m:%d 09:15:00")
    buf = io.BytesIO()
    img.save(buf, "JPEG", quality=85, exif=exif.tobytes())
    return buf.getvalue()


CHECKS = ["no_other_children", "no_school_or_street", "no_birth_family_address"]


def memory_form(files=(), *, title="Day at the seaside", when: date | None = None, checks=CHECKS, **extra) -> dict:
    """The add form as a carer fills it in; `files` is a list of (bytes, name)."""
    data = {
        "title": title,
        "caption": "We built a sandcastle",
        "people": "Jordan",
        "tags": ["holiday"],
        "checks": list(checks),
    }
    if when is not None:
        data.update(
            {"memory_date-day": str(when.day), "memory_date-month": str(when.month), "memory_date-year": str(when.year)}
        )
    if files:
        data["files"] = [(io.BytesIO(content), name) for content, name in files]
    data.update(extra)
    return data


def add(client, child, kind="photos", files=(), **form) -> object:
    return client.submit(
        f"/memory-box/{child.id}/add/{kind}", memory_form(files, **form), content_type="multipart/form-data"
    )


def items() -> list[MemoryItem]:
    db.session.expire_all()
    return list(db.session.scalars(select(MemoryItem).order_by(MemoryItem.id)))


def signed_in(app, user):
    """One signed-in client per person per test: a staff security code cannot be used twice within its window."""
    clients = app.extensions.setdefault("memories_test_clients", {})
    if user.id not in clients:
        clients[user.id] = app.test_client()
        clients[user.id].sign_in(user)
    return clients[user.id]


def approve_all(app, box: Box) -> None:
    sw = signed_in(app, box.social_worker)
    for item in items():
        if not item.is_approved:
            press(sw, f"/memory-box/items/{item.id}/approve")


def press(client, action: str, **data):
    """Press a button whose form posts to `action` (approve, show again, prepare a copy)."""
    return client.post(action, data={"csrf_token": csrf(client), **data})


def csrf(client) -> str:
    import re

    html = client.get("/").get_data(as_text=True)
    return re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)


def yesterday() -> date:
    from datetime import timedelta

    return today() - timedelta(days=1)
