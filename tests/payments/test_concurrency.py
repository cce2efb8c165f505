"""Two people confirming the same pay run at the same moment pay it once (real concurrent transactions)."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from portal.auth.models import User
from portal.auth.roles import Role
from portal.core.clock import today
from portal.core.db import db
from portal.payments import runs
from portal.payments.models import HouseholdPayment, PaidSegment, PayRun
from tests.factories import make_carer_household, make_child, make_user, place
from tests.payments.conftest import set_up_payments

pytestmark = pytest.mark.postgres_only


@pytest.fixture(autouse=True)
def _postgres_only(app):
    if db.dialect != "postgresql":
        pytest.skip("real concurrent transactions need PostgreSQL; SQLite serialises every writer")


def test_two_people_confirming_at_once_cannot_pay_twice(app):
    start = set_up_payments()
    for _ in range(3):
        _, household = make_carer_household()
        place(make_child(born=today() - timedelta(days=365 * 9)), household, start=start - timedelta(days=10))
    staff = [make_user(Role.BUSINESS_SUPPORT).id for _ in range(4)]
    run = runs.create_pay_run(db.session.get(User, staff[0]))
    seen = runs.fingerprint(runs.preview(run))
    run_id = run.id
    db.session.remove()
    barrier = threading.Barrier(len(staff))
    outcomes: list = [None] * len(staff)

    def confirm(i: int) -> None:
        with app.app_context():
            try:
                actor = db.session.get(User, staff[i])
                target = db.session.get(PayRun, run_id)
                barrier.wait(timeout=10)
                runs.confirm_pay_run(actor, target, seen)
                outcomes[i] = "confirmed"
            except runs.RunRefused as exc:
                outcomes[i] = str(exc)
            finally:
                db.session.remove()

    threads = [threading.Thread(target=confirm, args=(i,)) for i in range(len(staff))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert outcomes.count("confirmed") == 1, outcomes
    assert all("already been confirmed" in o for o in outcomes if o != "confirmed")
    assert db.session.scalar(select(func.count(HouseholdPayment.id))) == 3
    assert (
        db.session.scalar(select(func.sum(HouseholdPayment.total_pence))) == db.session.get(PayRun, run_id).total_pence
    )
    assert db.session.scalar(select(func.count(PaidSegment.id))) == 3
