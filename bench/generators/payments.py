"""Confirmed, paid pay runs: one payment per household and a fostering-allowance line per child living there."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select

from bench.generate import Volume, generator
from portal.payments.models import HouseholdPayment, PayLine, PayRun

RUNS, WEEKLY_PENCE = 4, 20_000  # runs at 1×; a typical weekly allowance


@generator("payments", after=("people",))
def generate_payments(v: Volume) -> None:
    a = v.anchors
    staff = v.ids["business_support"][0]
    children_of: dict[int, list[int]] = {hid: [] for hid in v.ids["households"]}
    for child_id, hid in v.ids["current_home"].items():
        children_of.setdefault(hid, []).append(child_id)
    if a.household_id:
        children_of.setdefault(a.household_id, [])
        if a.child_id:
            children_of[a.household_id].append(a.child_id)
    # Fortnightly runs before any that exist already, so repeated generation never collides on a period.
    earliest = v.session.scalar(select(func.min(PayRun.period_start))) or v.on - timedelta(days=v.on.weekday())
    # A year's runs at most: pay runs come with time, not with the size of the service.
    for r in range(min(RUNS * v.scale, 26)):
        start = earliest - timedelta(days=14 * (r + 1))
        end = start + timedelta(days=13)
        (run_id,) = v.insert(
            PayRun,
            [
                {
                    "period_start": start,
                    "period_end": end,
                    "pay_date": end + timedelta(days=3),
                    "status": "paid",
                    "created_by_id": staff,
                    "confirmed_by_id": staff,
                    "total_pence": sum(2 * WEEKLY_PENCE * len(k) for k in children_of.values()),
                    "household_count": len(children_of),
                    "paid_on": end + timedelta(days=3),
                    "paid_by_id": staff,
                }
            ],
        )
        households = list(children_of)
        payment_ids = v.insert(
            HouseholdPayment,
            [
                {"run_id": run_id, "household_id": h, "total_pence": 2 * WEEKLY_PENCE * len(children_of[h])}
                for h in households
            ],
        )
        v.insert(
            PayLine,
            [
                {
                    "run_id": run_id,
                    "payment_id": pid,
                    "household_id": h,
                    "child_id": c,
                    "kind": "allowance",
                    "code": "5-10",
                    "key": f"allowance:{c}:{start.isoformat()}",
                    "start_date": start,
                    "end_date": end + timedelta(days=1),
                    "weekly_pence": WEEKLY_PENCE,
                    "amount_pence": 2 * WEEKLY_PENCE,
                    "description": "Fostering allowance",
                }
                for pid, h in zip(payment_ids, households)
                for c in children_of[h]
            ],
        )
