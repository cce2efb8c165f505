"""Matrix rows for claims (carers), the business-support queue and payment batches, and the mileage rate table."""

from __future__ import annotations

import io
import uuid
from datetime import timedelta

from portal.auth.roles import Role
from tests.security.matrix import Case

CARER = frozenset({Role.CARER})
READERS = frozenset({Role.CARER, Role.BUSINESS_SUPPORT, Role.ADMIN})
STAFF = frozenset({Role.BUSINESS_SUPPORT, Role.ADMIN})
ADMIN = frozenset({Role.ADMIN})
MISSING = 987654


def _png():
    from PIL import Image

    buf = io.BytesIO()
    Image.new("RGB", (20, 20), "white").save(buf, "PNG")
    buf.seek(0)
    return buf


def _claims(world):
    """A submitted expense with a receipt from each household, and an approved claim of each in a payment batch."""
    from portal.claims import batches, decisions
    from portal.claims.rules import settings
    from portal.claims.services import LineInput, Upload, start_claim, submit_claim
    from portal.core.clock import today
    from tests.claims.conftest import make_mileage_rates
    from tests.factories import make_user

    make_mileage_rates()
    clerk = make_user(Role.BUSINESS_SUPPORT, email="clerk@matrix.example.org")
    for key, carer, child, household in (
        ("a", world.users[Role.CARER], world.child_a, world.household_a),
        ("b", world.carer_b, world.child_b, world.household_b),
    ):
        made = []
        for n in range(2):
            line = LineInput(
                line_date=today() - timedelta(days=2),
                category="clothing",
                amount_pence=1500 + n,
                idempotency_key=uuid.uuid4().hex,
                child_ids=(child.id,),
                receipt=Upload(_png(), "r.png"),
            )
            claim, _ = start_claim(
                carer, household, kind="expense", idempotency_key=uuid.uuid4().hex, line=line, s=settings()
            )
            submit_claim(carer, claim, settings())
            made.append(claim)
        world.extra[f"claim_{key}"] = made[0].id
        world.extra[f"line_{key}"] = made[0].lines[0].id
        paid = made[1]
        decisions.approve_claim(clerk, paid, version=paid.version, rejected_lines={}, s=settings())
        world.extra[f"batch_{key}"] = batches.create_batch(clerk, claim_ids=[paid.id]).id


def _rates(world):
    from tests.claims.conftest import make_mileage_rates

    rows = make_mileage_rates()
    world.extra["rate_a"], world.extra["rate_b"] = rows[0].id, rows[1].id


def _rate_changes(world):
    """Two working-outs of a backdated rate waiting for approval (nothing owed: no journeys in the world)."""
    from datetime import date

    from portal.claims.arrears_models import MileageRateChange
    from portal.core.db import db

    for key in ("a", "b"):
        change = MileageRateChange(vehicle="car", effective_from=date(2026, 4, 6), announced_on=date(2026, 5, 21))
        db.session.add(change)
        db.session.flush()
        world.extra[f"change_{key}"] = change.id
    db.session.commit()


def _pick(name):
    return lambda w, which: {"own": w.extra.get(f"{name}_a"), "other": w.extra.get(f"{name}_b")}.get(which, MISSING)


claim, line, batch, rate = _pick("claim"), _pick("line"), _pick("batch"), _pick("rate")
change = _pick("change")
both = frozenset({Role.BUSINESS_SUPPORT, Role.ADMIN})

CASES = [
    Case("claims.list_claims", lambda w, _: "/claims", CARER),
    Case("claims.choose_claim_kind", lambda w, _: "/claims/new", CARER),
    Case("claims.start_claim", lambda w, _: "/claims/new/mileage", CARER),
    Case("claims.start_claim", lambda w, _: "/claims/new/allowance", CARER, method="POST", data={"amount": "x"}),
    Case("claims.estimate_mileage", lambda w, _: "/claims/mileage-estimate?date=2026-01-05&miles=3", CARER),
    Case(
        "claims.show_claim",
        lambda w, x: f"/claims/{claim(w, x)}",
        READERS,
        has_object=True,
        setup=_claims,
        sees_other=both,
    ),
    Case(
        "claims.add_claim_line", lambda w, x: f"/claims/{claim(w, x)}/lines/new", CARER, has_object=True, setup=_claims
    ),
    Case(
        "claims.add_claim_line",
        lambda w, x: f"/claims/{claim(w, x)}/lines/new",
        CARER,
        method="POST",
        has_object=True,
        setup=_claims,
    ),
    Case(
        "claims.submit_claim",
        lambda w, x: f"/claims/{claim(w, x)}/submit",
        CARER,
        method="POST",
        has_object=True,
        setup=_claims,
    ),
    Case(
        "claims.remove_claim_line",
        lambda w, x: f"/claims/{claim(w, x)}/lines/{line(w, x)}/remove",
        CARER,
        method="POST",
        has_object=True,
        setup=_claims,
    ),
    Case(
        "claims.delete_claim_draft",
        lambda w, x: f"/claims/{claim(w, x)}/delete",
        CARER,
        method="POST",
        has_object=True,
        setup=_claims,
    ),
    Case(
        "claims.download_receipt",
        lambda w, x: f"/claims/{claim(w, x)}/lines/{line(w, x)}/receipt/thumb",
        READERS,
        has_object=True,
        setup=_claims,
        sees_other=both,
    ),
    Case("claims.list_claim_queue", lambda w, _: "/claims/queue?status=&q=a", STAFF),
    Case(
        "claims.decide_claim",
        lambda w, x: f"/claims/{claim(w, x)}/decision",
        STAFF,
        method="POST",
        has_object=True,
        setup=_claims,
        sees_other=both,
        data={"decision": "query", "question": "Which shop?"},
    ),
    Case(
        "claims.confirm_claim_approval",
        lambda w, x: f"/claims/{claim(w, x)}/second-approval",
        STAFF,
        method="POST",
        has_object=True,
        setup=_claims,
        sees_other=both,
    ),
    Case("claims.list_payment_batches", lambda w, _: "/payment-batches", STAFF),
    Case("claims.create_payment_batch", lambda w, _: "/payment-batches/new", STAFF),
    Case(
        "claims.create_payment_batch",
        lambda w, _: "/payment-batches/new",
        STAFF,
        method="POST",
        data={"scope": "selected"},
    ),
    Case(
        "claims.show_payment_batch",
        lambda w, x: f"/payment-batches/{batch(w, x)}",
        STAFF,
        has_object=True,
        setup=_claims,
        sees_other=both,
    ),
    Case(
        "claims.export_payment_batch",
        lambda w, x: f"/payment-batches/{batch(w, x)}/export.csv",
        STAFF,
        method="POST",
        has_object=True,
        setup=_claims,
        sees_other=both,
    ),
    Case(
        "claims.mark_payment_batch_paid",
        lambda w, x: f"/payment-batches/{batch(w, x)}/paid",
        STAFF,
        method="POST",
        has_object=True,
        setup=_claims,
        sees_other=both,
        data={"reference": ""},
    ),
    Case("claims.list_mileage_rates", lambda w, _: "/claims/mileage-rates", ADMIN),
    Case("claims.add_mileage_rate", lambda w, _: "/claims/mileage-rates/new", ADMIN),
    Case(
        "claims.add_mileage_rate",
        lambda w, _: "/claims/mileage-rates/new",
        ADMIN,
        method="POST",
        data={"pence_per_mile": "x"},
    ),
    Case(
        "claims.edit_mileage_rate",
        lambda w, x: f"/claims/mileage-rates/{rate(w, x)}/edit",
        ADMIN,
        has_object=True,
        setup=_rates,
        sees_other=ADMIN,
    ),
    Case(
        "claims.edit_mileage_rate",
        lambda w, x: f"/claims/mileage-rates/{rate(w, x)}/edit",
        ADMIN,
        method="POST",
        has_object=True,
        setup=_rates,
        sees_other=ADMIN,
        data={"pence_per_mile": "x"},
    ),
    Case("claims.list_mileage_arrears", lambda w, _: "/claims/mileage-arrears", STAFF),
    Case(
        "claims.show_mileage_arrears",
        lambda w, x: f"/claims/mileage-arrears/{change(w, x)}",
        STAFF,
        has_object=True,
        setup=_rate_changes,
        sees_other=STAFF,
    ),
    Case(
        "claims.approve_mileage_arrears",
        lambda w, x: f"/claims/mileage-arrears/{change(w, x)}/approve",
        STAFF,
        method="POST",
        has_object=True,
        setup=_rate_changes,
        sees_other=STAFF,
    ),
    Case(
        "claims.work_out_mileage_arrears_again",
        lambda w, x: f"/claims/mileage-arrears/{change(w, x)}/again",
        STAFF,
        method="POST",
        has_object=True,
        setup=_rate_changes,
        sees_other=STAFF,
    ),
    Case(
        "claims.override_claim_age_rule",
        lambda w, x: f"/claims/{claim(w, x)}/override",
        ADMIN,
        method="POST",
        has_object=True,
        setup=_claims,
        sees_other=ADMIN,
        data={"reason": ""},
    ),
]
