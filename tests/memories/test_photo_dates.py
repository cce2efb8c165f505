"""A memory is dated from its photo only when the photo's date can be right; otherwise the carer is asked."""

from __future__ import annotations

import io
from datetime import date, timedelta
from pathlib import Path

import pytest
from PIL import Image
from sqlalchemy import select

from portal.core.clock import today
from portal.core.db import db
from portal.core.notify import Notification
from tests.memories.conftest import add, items, signed_in
from tests.pages import text_of

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "photos"


def photo_taken(exif_time: str | None) -> bytes:
    """A JPEG whose EXIF DateTimeOriginal is `exif_time` exactly as a camera writes it ("YYYY:MM:DD HH:MM:SS")."""
    exif = Image.Exif()
    if exif_time:
        exif.get_ifd(0x8769)[0x9003] = exif_time
    buf = io.BytesIO()
    Image.new("RGB", (120, 90), "teal").save(buf, "JPEG", quality=85, exif=exif.tobytes())
    return buf.getvalue()


def _asked(user_id: int) -> list[Notification]:
    return list(
        db.session.scalars(
            select(Notification).where(Notification.user_id == user_id, Notification.text.contains("When was"))
        )
    )


def test_the_camera_with_an_unset_clock_is_not_believed_and_the_carer_is_asked(app, box):
    client = signed_in(app, box.carer)
    add(client, box.child, files=[(FIXTURES.joinpath("kids-camera-unset-clock.jpg").read_bytes(), "kids.jpg")])
    (item,) = items()
    assert item.memory_date == today() and item.date_to_confirm  # not 1 January 2000
    (note,) = _asked(box.carer.id)
    assert "Day at the seaside" in note.text and note.link == f"/memory-box/items/{item.id}/change"
    page = client.get(f"/memory-box/items/{item.id}")
    assert "Add the date it was taken" in text_of(page) and "the photo gave no date" in text_of(page)
    fields = {"memory_date-day": "3", "memory_date-month": "8", "memory_date-year": "2025", "title": "Kids camera"}
    assert client.submit(f"/memory-box/items/{item.id}/change", fields).status_code == 302
    (item,) = items()
    assert item.memory_date == date(2025, 8, 3) and not item.date_to_confirm
    assert "Add the date it was taken" not in text_of(client.get(f"/memory-box/items/{item.id}"))


@pytest.mark.parametrize(
    "exif_time",
    [
        "2000:01:01 00:00:00",  # the usual unset clock
        "2000:01:01 00:14:09",  # ... that has run for a few minutes
        "1970:01:01 00:00:00",  # the Unix epoch
        "1980:01:01 00:00:00",  # the DOS epoch
        "2015:01:01 00:00:00",  # any clock at its reset value
        "2009:06:01 10:30:00",  # before Jordan was born (17 May 2010)
        "future",
        "0000:00:00 00:00:00",  # what some cameras write for "unknown"
        None,  # no date at all
    ],
)
def test_a_date_that_cannot_be_right_is_not_used(app, box, exif_time):
    if exif_time == "future":
        exif_time = (today() + timedelta(days=30)).strftime("%Y:%m:%d 12:00:00")
    client = signed_in(app, box.carer)
    assert add(client, box.child, files=[(photo_taken(exif_time), "a.jpg")]).status_code == 302
    (item,) = items()
    assert item.memory_date == today() and item.date_to_confirm, exif_time
    assert len(_asked(box.carer.id)) == 1


@pytest.mark.parametrize(
    "exif_time, expected",
    [
        ("2024:07:14 09:15:00", date(2024, 7, 14)),
        ("2020:01:01 14:20:00", date(2020, 1, 1)),  # a New Year's Day afternoon is a real day out
        ("2010:05:17 16:00:00", date(2010, 5, 17)),  # the day Jordan was born
    ],
)
def test_a_plausible_photo_date_is_used_without_asking(app, box, exif_time, expected):
    client = signed_in(app, box.carer)
    add(client, box.child, files=[(photo_taken(exif_time), "a.jpg")])
    (item,) = items()
    assert item.memory_date == expected and not item.date_to_confirm and not item.date_from_photo
    assert _asked(box.carer.id) == []


def test_a_date_typed_by_the_carer_is_never_questioned(app, box):
    client = signed_in(app, box.carer)
    add(client, box.child, files=[(photo_taken("2000:01:01 00:00:00"), "a.jpg")], when=date(2023, 4, 2))
    (item,) = items()
    assert item.memory_date == date(2023, 4, 2) and not item.date_to_confirm and _asked(box.carer.id) == []
