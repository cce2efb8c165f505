"""Records fixtures: a carer household with a child placed now, its SSW and the child's social worker."""
from __future__ import annotations

import io
from dataclasses import dataclass

import pytest
from PIL import Image

from portal.auth.roles import Role
from tests.factories import make_child, make_household, make_user, place


@dataclass
class Family:
    carer: object
    household: object
    child: object
    ssw: object
    social_worker: object


@pytest.fixture
def family(app) -> Family:
    ssw = make_user(Role.SSW)
    social_worker = make_user(Role.CHILD_SW)
    carer = make_user(Role.CARER)
    household = make_household(carer, ssw=ssw)
    child = make_child(social_worker=social_worker, first_name="Millie")
    place(child, household)
    return Family(carer, household, child, ssw, social_worker)


def png_bytes(size=(40, 30), colour="red") -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", size, colour).save(buf, "PNG")
    return buf.getvalue()


def log_form(family: Family, **overrides) -> dict:
    from portal.core.clock import today

    d = today()
    data = {"child_id": str(family.child.id), "entry_date-day": str(d.day), "entry_date-month": str(d.month),
            "entry_date-year": str(d.year), "time_of_day": "", "category": "daily_life",
            "body": "Millie went swimming and was proud of her new badge."}
    data.update(overrides)
    return data
