"""Business support make, check, hold, adjust, confirm (once), export and mark paid a pay run; carers see it."""

from __future__ import annotations

import csv
import io
from datetime import timedelta

import pytest

from portal.auth.roles import Role
from portal.core.clock import today
from portal.core.db import db
from portal.core.notify import Notification
from portal.payments import runs
from portal.payments.models import PayLine, PayRun
from tests.factories import make_carer_household, make_child, make_user, place
from tests.jobs import drain_jobs
from tests.pages import text_of
from tests.payments.conftest import set_up_payments


@pytest.fixture
def world(app):
    start = set_up_payments()
    carer, household = make_carer_household(name="Okafor household")
    child = make_child(first_name="Millie", born=today() - timedelta(days=365 * 7 + 100))
    place(child, household, start=start - timedelta(days=30))
    support = make_user(Role.BUSINESS_SUPPORT, email="support@example.org")
    return dict(start=start, carer=carer, household=household, child=child, support=support)


def submit_to(client, url: str, action: str, data: dict):
    """Post the form on `url` whose action is `action` (a pay-run page has several forms)."""
    client.get(url)
    forms = [f for f in client.page.forms if f.method == "post"]
    own = [f for f in forms if f.action in (None, "", url)]
    ordered = own + [f for f in forms if f not in own]
    return client.submit(url, data, form_index=next(i for i, f in enumerate(ordered) if f.action == action))


def _make_and_confirm(client):
    client.submit("/pay-runs", {})
    run = db.session.query(PayRun).order_by(PayRun.id.desc()).first()
    page = client.get(f"/pay-runs/{run.id}")
    assert page.status_code == 200
    return run, page


def test_business_support_preview_every_line_explained_then_confirm(client, world):
    client.sign_in(world["support"])
    run, page = _make_and_confirm(client)
    assert "Millie, 5-10 band, 7 nights × £28.57 a night (7/7 of £200.00 a week)" in text_of(page)
    response = submit_to(client, f"/pay-runs/{run.id}", f"/pay-runs/{run.id}/confirm", {})
    assert response.status_code in (302, 303)
    db.session.refresh(run)
    assert run.status == "confirmed" and run.total_pence == 200_00
    again = submit_to(client, f"/pay-runs/{run.id}", f"/pay-runs/{run.id}/confirm", {}) if run.is_draft else None
    assert again is None  # the confirm form is gone once confirmed
    with pytest.raises(runs.RunRefused, match="already been confirmed"):
        runs.confirm_pay_run(world["support"], run, "anything")


def test_a_held_line_is_not_paid_and_the_carer_is_told_why(client, world, mail_dir):
    client.sign_in(world["support"])
    run, _ = _make_and_confirm(client)
    key = runs.preview(run).lines[0].key
    runs.hold_line(world["support"], run, key, "Checking the placement dates with the social worker")
    runs.confirm_pay_run(world["support"], run, runs.fingerprint(runs.preview(run)))
    db.session.refresh(run)
    assert run.total_pence == 0 and run.held_pence == 200_00
    note = db.session.query(Notification).filter_by(user_id=world["carer"].id).one()
    assert "held" in note.text and "Checking the placement dates" in note.text
    drain_jobs(client.application)
    assert any("Part of your payment is held" in p.read_text() for p in mail_dir.glob("*.eml"))


def test_holding_needs_a_reason(client, world):
    client.sign_in(world["support"])
    run, _ = _make_and_confirm(client)
    response = client.post(
        f"/pay-runs/{run.id}/holds", data={"line_key": runs.preview(run).lines[0].key, "hold_reason": " "}
    )
    assert response.status_code in (400, 422)


def test_a_changed_preview_must_be_checked_again_before_confirming(client, world):
    run = runs.create_pay_run(world["support"])
    seen = runs.fingerprint(runs.preview(run))
    place(make_child(first_name="Kai"), world["household"], start=run.period_start + timedelta(days=2))
    with pytest.raises(runs.RunRefused, match="Something changed"):
        runs.confirm_pay_run(world["support"], run, seen)
    assert db.session.get(PayRun, run.id).is_draft


def test_a_confirmed_period_cannot_be_run_again_and_the_next_run_adjusts_late_changes(app, world):
    support = world["support"]
    first = runs.create_pay_run(support)
    runs.confirm_pay_run(support, first, runs.fingerprint(runs.preview(first)))
    second = runs.create_pay_run(support)
    assert second.period_start == first.period_end + timedelta(days=1)
    # The placement had in fact ended two nights before the first period ended, entered only now.
    world["child"].placements[0].end_date = first.period_end - timedelta(days=1)
    db.session.commit()
    result = runs.preview(second)
    [adj] = [ln for ln in result.lines if ln.is_adjustment]
    assert adj.amount_pence < 0 and adj.description.startswith("Overpayment recovered")


def test_a_missing_rate_means_no_run(app, world):
    db.session.execute(PayLine.__table__.delete())
    from portal.payments.models import PaymentRate

    db.session.query(PaymentRate).filter(PaymentRate.kind == "allowance").delete()
    db.session.commit()
    with pytest.raises(runs.RunRefused) as err:
        runs.create_pay_run(world["support"])
    assert err.value.problems and "no allowance rate" in err.value.problems[0]
    assert db.session.query(PayRun).count() == 0


def test_export_then_mark_paid_tells_the_carer_and_the_carer_downloads_pdf_and_csv(app, client, world, mail_dir):
    support = world["support"]
    run = runs.create_pay_run(support)
    runs.confirm_pay_run(support, run, runs.fingerprint(runs.preview(run)))
    client.sign_in(support)
    exported = submit_to(client, f"/pay-runs/{run.id}", f"/pay-runs/{run.id}/export", {})
    rows = list(csv.DictReader(io.StringIO(exported.data.decode("utf-8-sig"))))
    assert rows[0]["record_type"] == "PAYMENT" and rows[0]["amount"] == "200.00"
    assert rows[1]["record_type"] == "LINE" and rows[1]["nights"] == "7"
    response = submit_to(
        client,
        f"/pay-runs/{run.id}",
        f"/pay-runs/{run.id}/paid",
        {
            "paid_on-day": str(today().day),
            "paid_on-month": str(today().month),
            "paid_on-year": str(today().year),
            "reference": "BACS-991",
        },
    )
    assert response.status_code in (302, 303)
    assert any("has been made" in p.read_text() for p in mail_dir.glob("*.eml"))
    carer = app.test_client()
    carer.sign_in(world["carer"])
    listing = carer.get("/payments")
    assert "£200.00" in text_of(listing) and "Your next payment" in text_of(listing)
    payment_id = run_payment_id(run)
    shown = carer.get(f"/payments/{payment_id}")
    assert "Millie, 5-10 band" in text_of(shown) and "BACS-991" in text_of(shown)
    pdf = carer.get(f"/payments/{payment_id}/pdf")
    assert pdf.status_code == 200 and pdf.data.startswith(b"%PDF")
    assert "Millie" in carer.get(f"/payments/{payment_id}/csv").get_data(as_text=True)


def run_payment_id(run) -> int:
    from portal.payments.models import HouseholdPayment

    return db.session.query(HouseholdPayment).filter_by(run_id=run.id).one().id


def test_another_household_cannot_see_the_payment(app, world):
    support = world["support"]
    run = runs.create_pay_run(support)
    runs.confirm_pay_run(support, run, runs.fingerprint(runs.preview(run)))
    other, _ = make_carer_household()
    client = app.test_client()
    client.sign_in(other)
    assert client.get(f"/payments/{run_payment_id(run)}").status_code == 404


def test_an_overpayment_adjustment_needs_a_reason_and_shows_it(client, world):
    client.sign_in(world["support"])
    run, _ = _make_and_confirm(client)
    adjustments = f"/pay-runs/{run.id}/adjustments"
    bad = submit_to(
        client,
        f"/pay-runs/{run.id}",
        adjustments,
        {"household_id": str(world["household"].id), "amount": "-25.00", "reason": ""},
    )
    assert bad.status_code == 422 and "Enter the reason" in text_of(bad)
    good = submit_to(
        client,
        f"/pay-runs/{run.id}",
        adjustments,
        {
            "household_id": str(world["household"].id),
            "amount": "-25.00",
            "reason": "Clothing grant paid twice in March",
        },
    )
    assert good.status_code in (302, 303)
    assert "Overpayment recovered: Clothing grant paid twice in March" in text_of(client.get(f"/pay-runs/{run.id}"))


def test_nobody_confirms_a_run_that_pays_their_own_household(app, world):
    from tests.factories import make_household

    support_carer = make_user(Role.BUSINESS_SUPPORT, Role.CARER)
    household = make_household(support_carer)
    place(make_child(first_name="Own"), household, start=world["start"] - timedelta(days=30))
    run = runs.create_pay_run(world["support"])
    with pytest.raises(runs.RunRefused, match="a colleague must confirm"):
        runs.confirm_pay_run(support_carer, run, runs.fingerprint(runs.preview(run)))
    confirmed = runs.confirm_pay_run(world["support"], run, runs.fingerprint(runs.preview(run)))
    assert confirmed.status == "confirmed"
