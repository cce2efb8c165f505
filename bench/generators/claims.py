"""Claims of every kind and status (mileage, expenses, allowances), their lines and history, paid ones in a batch."""

from __future__ import annotations

import uuid
from datetime import timedelta

from bench.generate import Volume, generator
from portal.claims.models import Claim, ClaimEvent, ClaimLine, ClaimLineChild, PaymentBatch
from portal.core.db import utcnow

CLAIMS_PER_HOUSEHOLD, CLAIMS_FOR_ANCHOR = 6, 10
# Most claims are long paid; a few wait for business support or for the carer.
STATUSES = ["paid"] * 6 + ["approved", "submitted", "submitted", "draft", "queried", "rejected"]


@generator("claims", after=("people",))
def generate_claims(v: Volume) -> None:
    rnd, a = v.rnd, v.anchors
    now = utcnow()
    staff = v.ids["business_support"][0]
    carer_of = dict(v.ids["household_carer"])
    children_of: dict[int, list[int]] = {}
    for child_id, hid in v.ids["current_home"].items():
        children_of.setdefault(hid, []).append(child_id)
    if a.household_id and a.carer_id:
        carer_of[a.household_id] = a.carer_id
        if a.child_id:
            children_of.setdefault(a.household_id, []).append(a.child_id)
    (batch,) = v.insert(
        PaymentBatch,
        [{"created_by_id": staff, "status": "paid", "paid_on": v.on - timedelta(days=7), "paid_by_id": staff}],
    )
    claims, plans = [], []
    for hid, carer in carer_of.items():
        n = v.many(CLAIMS_FOR_ANCHOR) if hid == a.household_id else CLAIMS_PER_HOUSEHOLD
        for _ in range(n):
            status = rnd.choice(STATUSES)
            kind = rnd.choice(["mileage", "mileage", "expense", "allowance"])
            made = now - timedelta(days=rnd.randint(1, 700))
            lines = [rnd.randint(300, 4_000) for _ in range(rnd.randint(1, 3))]
            claims.append(
                {
                    "kind": kind,
                    "status": status,
                    "household_id": hid,
                    "claimant_id": carer,
                    "idempotency_key": uuid.uuid4().hex,
                    "vehicle": "car" if kind == "mileage" else None,
                    "total_pence": sum(lines),
                    "approved_pence": sum(lines) if status in ("paid", "approved") else None,
                    "created_at": made,
                    "submitted_at": None if status == "draft" else made + timedelta(hours=2),
                    "decided_at": made + timedelta(days=3) if status in ("paid", "approved", "rejected") else None,
                    "decided_by_id": staff if status in ("paid", "approved", "rejected") else None,
                    "rejection_reason": "No receipt" if status == "rejected" else None,
                    "batch_id": batch if status == "paid" else None,
                    "paid_on": (made + timedelta(days=14)).date() if status == "paid" else None,
                }
            )
            plans.append((kind, lines, children_of.get(hid, [])))
    claim_ids = v.insert(Claim, claims)
    line_rows, shares = [], []
    for claim_id, claim, (kind, lines, kids) in zip(claim_ids, claims, plans):
        for pence in lines:
            line_rows.append(
                {
                    "claim_id": claim_id,
                    "idempotency_key": uuid.uuid4().hex,
                    "line_date": claim["created_at"].date() - timedelta(days=rnd.randint(0, 20)),
                    "category": {"mileage": "education", "expense": "clothing", "allowance": "birthday"}[kind],
                    "amount_pence": pence,
                    "from_place": "Home" if kind == "mileage" else None,
                    "to_place": "School" if kind == "mileage" else None,
                    "miles_tenths": pence // 5 if kind == "mileage" else None,
                    "is_return": kind == "mileage",
                    "decision": "approved" if claim["status"] in ("paid", "approved") else None,
                }
            )
            shares.append((pence, kids[:1]))
    line_ids = v.insert(ClaimLine, line_rows)
    v.insert(
        ClaimLineChild,
        [
            {"line_id": lid, "child_id": kid, "share_pence": pence}
            for lid, (pence, kids) in zip(line_ids, shares)
            for kid in kids
        ],
    )
    v.insert(
        ClaimEvent,
        [
            {"claim_id": cid, "at": c["submitted_at"], "actor_id": c["claimant_id"], "action": "submitted"}
            for cid, c in zip(claim_ids, claims)
            if c["submitted_at"] is not None
        ],
    )
    paid = [c for c in claims if c["batch_id"] == batch]
    v.session.execute(
        PaymentBatch.__table__.update()
        .where(PaymentBatch.id == batch)
        .values(claim_count=len(paid), total_pence=sum(c["approved_pence"] for c in paid))
    )
