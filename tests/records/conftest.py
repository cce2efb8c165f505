"""Records fixtures: a carer household with a child placed now, its SSW and the child's social worker."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from tests.factories import Family, make_family


@pytest.fixture
def family(app) -> Family:
    return make_family()


def png_bytes(size=(40, 30), colour="red") -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", size, colour).save(buf, "PNG")
    return buf.getvalue()


def log_form(family: Family, **overrides) -> dict:
    from portal.core.clock import today

    d = today()
    data = {
        "child_id": str(family.child.id),
        "entry_date-day": str(d.day),
        "entry_date-month": str(d.month),
        "entry_date-year": str(d.year),
        "time_of_day": "",
        "category": "daily_life",
        "body": "Millie went swimming and was proud of her new badge.",
    }
    data.update(overrides)
    return data
