"""Claims fixtures: the HMRC rate table, a carer household with two children, business support and an admin."""

from __future__ import annotations

import io
import uuid
from dataclasses import dataclass
from datetime import date, timedelta

import pytest
from PIL import Image

from portal.auth.roles import Role
from portal.claims import rates as engine
from portal.claims.models import MileageRate
from portal.claims.rules import settings
from portal.claims.services import LineInput, Upload, start_claim, submit_claim
from portal.core.clock import today
from portal.core.db import db
from tests.factories import make_child, make_household, make_user, place


def make_mileage_rates(rates: list[engine.Rate] | None = None) -> list[MileageRate]:
    """The rate table for a test: HMRC's by default."""
    rows = [
        MileageRate(
            vehicle=r.vehicle,
            effective_from=r.effective_from,
            effective_to=r.effective_to,
            pence_per_mile=r.pence_per_mile,
            threshold_miles=r.threshold_miles,
            pence_after_threshold=r.pence_after_threshold,
            source="test",
        )
        for r in (rates or engine.hmrc_rates())
    ]
    db.session.add_all(rows)
    db.session.commit()
    return rows


@dataclass
class ClaimsWorld:
    carer: object
    household: object
    child: object
    child2: object
    support: object
    support2: object
    admin: object


@pytest.fixture
def world(app) -> ClaimsWorld:
    make_mileage_rates()
    carer = make_user(Role.CARER, name="Sarah Okafor")
    household = make_household(carer, name="Okafor household")
    child, child2 = make_child(first_name="Millie"), make_child(first_name="Jordan")
    # Placed long enough ago that lines dated months back (the age rules) fall inside the placement.
    place(child, household, start=today() - timedelta(days=800))
    place(child2, household, start=today() - timedelta(days=800))
    return ClaimsWorld(
        carer,
        household,
        child,
        child2,
        make_user(Role.BUSINESS_SUPPORT, name="Karen Lloyd"),
        make_user(Role.BUSINESS_SUPPORT, name="Ola Adeyemi"),
        make_user(Role.ADMIN, name="Chris Moran"),
    )


def png_bytes(colour="red") -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", (40, 30), colour).save(buf, "PNG")
    return buf.getvalue()


def date_fields(d: date, name: str = "line_date") -> dict:
    return {f"{name}-day": str(d.day), f"{name}-month": str(d.month), f"{name}-year": str(d.year)}


def journey_form(world: ClaimsWorld, **overrides) -> dict:
    data = {
        "vehicle": "car",
        "from_place": "Home",
        "to_place": "Family Centre",
        "category": "family_time",
        "miles": "10",
        "children": str(world.child.id),
        **date_fields(today() - timedelta(days=2)),
    }
    data.update(overrides)
    return data


def expense_form(world: ClaimsWorld, **overrides) -> dict:
    data = {
        "category": "clothing",
        "amount": "£12.50",
        "children": str(world.child.id),
        "note": "School shoes",
        **date_fields(today() - timedelta(days=1)),
    }
    data.update(overrides)
    return data


def make_claim(
    world: ClaimsWorld,
    *,
    kind: str = "allowance",
    amount: int = 5000,
    submit: bool = True,
    carer=None,
    household=None,
    line_date: date | None = None,
    vehicle: str | None = None,
    miles_tenths: int | None = None,
    receipt: bytes | None = None,
    category: str | None = None,
):
    """A claim made through the real services (as the carer would)."""
    carer, household = carer or world.carer, household or world.household
    ours = household is world.household
    # Another household's claim names no child, so it is for something that concerns none.
    default = {
        "allowance": "holiday",
        "expense": "clothing" if ours else "equipment",
        "mileage": "health" if ours else "training",
    }
    line = LineInput(
        line_date=line_date or today() - timedelta(days=3),
        category=category or default[kind],
        idempotency_key=uuid.uuid4().hex,
        amount_pence=amount if kind != "mileage" else None,
        child_ids=(world.child.id,) if ours else (),
        from_place="Home" if kind == "mileage" else "",
        to_place="Clinic" if kind == "mileage" else "",
        miles_tenths=miles_tenths or (100 if kind == "mileage" else None),
        receipt=Upload(io.BytesIO(receipt or png_bytes()), "receipt.png") if kind == "expense" else None,
    )
    claim, _ = start_claim(
        carer,
        household,
        kind=kind,
        idempotency_key=uuid.uuid4().hex,
        line=line,
        s=settings(),
        vehicle=vehicle or ("car" if kind == "mileage" else None),
    )
    if submit:
        submit_claim(carer, claim, settings())
    return claim
