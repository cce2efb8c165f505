"""A large pay-run adjustment is on the home page of business support colleagues (not its maker's) until approved."""

from __future__ import annotations

from portal.core.clock import today
from portal.hub.needs import needs_for
from portal.payments import adjustments, runs
from tests.payments.test_adjustments import world  # noqa: F401  (a household, business support and a colleague)


def _texts(user) -> list[str]:
    return [f"{n.text}: {n.count}" for n in needs_for(user, today())]


def test_an_adjustment_waiting_for_approval_is_on_a_colleagues_home_until_approved(app, world):  # noqa: F811
    support, colleague = world["support"], world["colleague"]
    run = runs.create_pay_run(support)
    adj = adjustments.add_adjustment(
        support, run, household_id=world["household"].id, amount_pence=99_999_00, reason="Backdated fee"
    )
    assert "Pay-run adjustments waiting for your approval: 1" in _texts(colleague)
    assert not [t for t in _texts(support) if "adjustments" in t]  # nobody approves their own
    [need] = [n for n in needs_for(colleague, today()) if n.kind == "pay_adjustments_to_approve"]
    assert need.href == f"/pay-runs/{run.id}"
    adjustments.approve_adjustment(colleague, run, adj.id)
    assert not [t for t in _texts(colleague) if "adjustments" in t]


def test_a_held_line_is_on_the_carers_home_until_a_later_run_pays_it(app, world):  # noqa: F811
    from portal.auth.models import User
    from portal.core.db import db
    from portal.people.models import HouseholdMember

    support = world["support"]
    carer = db.session.get(
        User, db.session.query(HouseholdMember.user_id).filter_by(household_id=world["household"].id).scalar()
    )
    first = runs.create_pay_run(support)
    adj = adjustments.add_adjustment(
        support, first, household_id=world["household"].id, amount_pence=3_000, reason="School trip refund"
    )
    runs.hold_line(support, first, f"manual:{adj.id}", "Waiting for the receipt")
    runs.confirm_pay_run(support, first, runs.fingerprint(runs.preview(first)))
    assert [n.text for n in needs_for(carer, today()) if n.kind == "payment_held"] == [
        "Part of your payment is held: £30.00. Reason: Waiting for the receipt"
    ]
    second = runs.create_pay_run(support)
    runs.confirm_pay_run(support, second, runs.fingerprint(runs.preview(second)))
    assert not [n for n in needs_for(carer, today()) if n.kind == "payment_held"]
