"""Pay-run adjustments: amounts typed as people type them, a second person above a set amount, removing one from a
draft run, and holding one (it comes back in the next run) as something different from removing it."""

from __future__ import annotations

from datetime import timedelta

import pytest

from portal.auth.roles import Role
from portal.core.audit import AuditEvent
from portal.core.clock import today
from portal.core.db import db
from portal.payments import adjustments, runs
from portal.payments.models import PayAdjustment, PayRun
from tests.factories import make_carer_household, make_child, make_user, place
from tests.pages import text_of
from tests.payments.conftest import set_up_payments
from tests.payments.test_pay_runs import submit_to

LIMIT = 50_000  # the default PAY_ADJUSTMENT_SECOND_APPROVAL_PENCE: £500


@pytest.fixture
def world(app):
    start = set_up_payments()
    carer, household = make_carer_household(name="Okafor household")
    child = make_child(first_name="Millie", born=today() - timedelta(days=365 * 7 + 100))
    place(child, household, start=start - timedelta(days=30))
    support = make_user(Role.BUSINESS_SUPPORT, email="support@example.org")
    colleague = make_user(Role.BUSINESS_SUPPORT, email="support2@example.org")
    return dict(start=start, household=household, support=support, colleague=colleague)


def _add(client, world, run, amount: str, reason: str = "Clothing grant"):
    return submit_to(
        client,
        f"/pay-runs/{run.id}",
        f"/pay-runs/{run.id}/adjustments",
        {"household_id": str(world["household"].id), "amount": amount, "reason": reason},
    )


def _adjustment_lines(run):
    return [ln for ln in runs.preview(run).lines if ln.kind == "manual"]


@pytest.mark.parametrize(
    "typed, pence",
    [("12,50", 1250), ("-25,00", -2500), ("1,250.00", 125_000), ("1,250", 125_000), ("£99,999", 9_999_900)],
)
def test_adjustment_amounts_are_read_the_way_people_type_them(client, world, typed, pence):
    client.sign_in(world["support"])
    run = runs.create_pay_run(world["support"])
    assert _add(client, world, run, typed).status_code == 302
    (adj,) = db.session.query(PayAdjustment).all()
    assert adj.amount_pence == pence  # 12,50 is £12.50, never £1,250.00
    assert adj.needs_approval == (abs(pence) > LIMIT)


def test_an_ambiguous_amount_is_asked_about_and_nothing_is_added(client, world):
    client.sign_in(world["support"])
    run = runs.create_pay_run(world["support"])
    response = _add(client, world, run, "1.250", reason="Kept reason")
    assert response.status_code == 422
    assert "Did you mean £1,250.00?" in text_of(response) and "Kept reason" in response.text
    assert db.session.query(PayAdjustment).count() == 0


def test_a_large_adjustment_waits_for_a_second_person_before_it_is_paid(client, world):
    support, colleague = world["support"], world["colleague"]
    client.sign_in(support)
    run = runs.create_pay_run(support)
    before = runs.preview(run).total_pence
    response = _add(client, world, run, "99,999")
    assert response.status_code == 302
    page = client.get(f"/pay-runs/{run.id}")
    assert "Waiting for approval" in text_of(page) and "£99,999.00" in text_of(page)
    assert runs.preview(run).total_pence == before  # not paid while it waits
    (adj,) = db.session.query(PayAdjustment).all()
    with pytest.raises(runs.RunRefused, match="waiting for a second person's approval"):
        runs.confirm_pay_run(support, run, runs.fingerprint(runs.preview(run)))
    with pytest.raises(runs.RunRefused, match="a colleague must approve it"):
        adjustments.approve_adjustment(support, run, adj.id)
    adjustments.approve_adjustment(colleague, run, adj.id)
    assert runs.preview(run).total_pence == before + 9_999_900
    confirmed = runs.confirm_pay_run(support, run, runs.fingerprint(runs.preview(run)))
    assert confirmed.total_pence == before + 9_999_900
    assert db.session.query(AuditEvent).filter_by(action="pay_adjustment_approved").count() == 1


def test_the_amount_needing_a_second_person_is_a_setting(app, world):
    app.config["PAY_ADJUSTMENT_SECOND_APPROVAL_PENCE"] = 1_000
    run = runs.create_pay_run(world["support"])
    small = adjustments.add_adjustment(
        world["support"], run, household_id=world["household"].id, amount_pence=1_000, reason="At the limit"
    )
    large = adjustments.add_adjustment(
        world["support"], run, household_id=world["household"].id, amount_pence=-1_001, reason="Recovered"
    )
    assert not small.is_waiting and large.is_waiting  # a large recovery needs a second person too


def test_every_adjustment_can_be_removed_from_a_draft_run(client, world):
    client.sign_in(world["support"])
    run = runs.create_pay_run(world["support"])
    _add(client, world, run, "40.00", reason="Small one")
    _add(client, world, run, "900.00", reason="Waiting one")
    assert len(_adjustment_lines(run)) == 1  # the waiting one is not in the preview
    for adj in db.session.query(PayAdjustment).order_by(PayAdjustment.id).all():
        url = f"/pay-runs/{run.id}/adjustments/{adj.id}/remove"
        assert submit_to(client, f"/pay-runs/{run.id}", url, {}).status_code == 302
    assert db.session.query(PayAdjustment).count() == 0 and _adjustment_lines(run) == []
    assert db.session.query(AuditEvent).filter_by(action="pay_adjustment_removed").count() == 2


def test_a_confirmed_runs_adjustments_cannot_be_removed(app, world):
    support = world["support"]
    run = runs.create_pay_run(support)
    adj = adjustments.add_adjustment(support, run, household_id=world["household"].id, amount_pence=500, reason="x")
    runs.confirm_pay_run(support, run, runs.fingerprint(runs.preview(run)))
    with pytest.raises(runs.RunRefused, match="confirmed and cannot change"):
        adjustments.remove_adjustment(support, run, adj.id)


def test_holding_an_adjustment_defers_it_to_the_next_run_and_removing_it_does_not(app, world):
    support = world["support"]
    first = runs.create_pay_run(support)
    held = adjustments.add_adjustment(
        support, first, household_id=world["household"].id, amount_pence=3_000, reason="School trip refund"
    )
    runs.hold_line(support, first, f"manual:{held.id}", "Waiting for the receipt")
    runs.confirm_pay_run(support, first, runs.fingerprint(runs.preview(first)))
    assert db.session.get(PayRun, first.id).held_pence >= 3_000
    second = runs.create_pay_run(support)
    (line,) = _adjustment_lines(second)
    assert line.amount_pence == 3_000 and not line.is_held  # the hold deferred it: it comes back
    adjustments.remove_adjustment(support, second, held.id)
    assert _adjustment_lines(second) == []  # removed: gone for good


def _rate(**overrides):
    data = {
        "kind": "extra",
        "code": "winter",
        "region": "",
        "basis": "fixed",
        "amount": "",
        "allowance_weeks": "",
        "effective_from-day": "1",
        "effective_from-month": "Nov",
        "effective_from-year": "2030",
        "source": "Council cabinet",
    }
    data.update(overrides)
    return data


@pytest.mark.parametrize(
    "overrides, column, value",
    [
        ({"amount": "199,50"}, "amount_pence", 19_950),
        ({"amount": "1,250"}, "amount_pence", 125_000),
        ({"allowance_weeks": "1,5", "basis": "allowance_multiple"}, "allowance_weeks_pct", 150),
        ({"amount": "20", "due_day": "3", "due_month": "Nov"}, "due_month", 11),
        ({"amount": "20", "due_day": "3", "due_month": "september"}, "due_month", 9),
    ],
)
def test_payment_rates_are_read_the_way_people_type_them(app, client, overrides, column, value):
    from portal.payments.models import PaymentRate

    client.sign_in(make_user(Role.ADMIN))
    response = client.submit("/payment-rates/new", _rate(**overrides))
    assert response.status_code == 302, text_of(response)
    rate = db.session.query(PaymentRate).filter_by(code="winter").one()
    assert getattr(rate, column) == value


@pytest.mark.parametrize(
    "overrides, field, message",
    [
        ({"amount": "1.250"}, "amount", "Did you mean £1,250.00?"),
        ({"allowance_weeks": "1,5,0"}, "allowance_weeks", "Enter the weeks as a number"),
        ({"amount": "20", "due_day": "3", "due_month": "Smarch"}, "due_month", "Enter a month, like 7 or July"),
    ],
)
def test_a_payment_rate_that_cannot_be_read_is_explained_beside_its_field(app, client, overrides, field, message):
    client.sign_in(make_user(Role.ADMIN))
    response = client.submit("/payment-rates/new", _rate(**overrides))
    assert response.status_code == 422 and message in text_of(response)
    assert f'href="#{field}"' in response.text
