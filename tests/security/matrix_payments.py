"""Matrix rows for payments: carers' payments and statements, business support's pay runs, admins' rates and terms."""

from __future__ import annotations

from datetime import date

from portal.auth.roles import Role
from tests.security.matrix import MISSING_ID, Case

ADMIN = frozenset({Role.ADMIN})
STAFF = frozenset({Role.BUSINESS_SUPPORT, Role.ADMIN})
VIEWERS = frozenset({Role.CARER, Role.BUSINESS_SUPPORT, Role.ADMIN})
CARER = frozenset({Role.CARER})


def _payments(world):
    """A confirmed run paying household A in May 2024 and household B in May 2023, and a payment term for each."""
    from portal.core.db import db
    from portal.payments.models import HouseholdPayment, PaymentRate, PaymentTerm, PayRun
    from tests.payments.conftest import set_up_payments

    set_up_payments()
    actor = world.users[Role.BUSINESS_SUPPORT].id
    for key, household, year in (("a", world.household_a, 2024), ("b", world.household_b, 2023)):
        run = PayRun(
            period_start=date(year, 5, 1),
            period_end=date(year, 5, 14),
            pay_date=date(year, 5, 19),
            status="paid",
            paid_on=date(year, 5, 19),
            payment_reference=f"REF-{key}",
            created_by_id=actor,
        )
        db.session.add(run)
        db.session.flush()
        pay = HouseholdPayment(run_id=run.id, household_id=household.id, total_pence=10_000)
        term = PaymentTerm(kind="fee", household_id=household.id, code="level_1", effective_from=date(2024, 4, 1))
        db.session.add_all([pay, term])
        db.session.flush()
        world.extra[f"payment_{key}"], world.extra[f"run_{key}"], world.extra[f"term_{key}"] = pay.id, run.id, term.id
    world.extra["rate"] = db.session.query(PaymentRate.id).first()[0]
    db.session.commit()


def _pick(name: str, path: str):
    def url(w, which):
        target = {"own": w.extra.get(f"{name}_a"), "other": w.extra.get(f"{name}_b")}.get(which, MISSING_ID)
        return path.format(target)

    return url


def _same(name: str, path: str):
    """Staff objects with no household of their own: 'other' is the same object, 'missing' an unknown id."""

    def url(w, which):
        return path.format(MISSING_ID if which == "missing" else w.extra[name])

    return url


def _household(path: str):
    def url(w, which):
        return path.format({"own": w.household_a.id, "other": w.household_b.id}.get(which, MISSING_ID))

    return url


def _statement(w, which):
    return f"/payments/statements/{ {'own': 2024, 'other': 2023}.get(which, 1990) }"


def _obj(endpoint, url, allowed, *, sees_other=frozenset(), method="GET", data=None):
    return Case(
        endpoint, url, allowed, method=method, has_object=True, sees_other=sees_other, data=data or {}, setup=_payments
    )


CASES = [
    Case("payments.list_payments", lambda w, _: "/payments", CARER, setup=_payments),
    _obj("payments.show_payment", _pick("payment", "/payments/{}"), VIEWERS, sees_other=STAFF),
    _obj("payments.download_payment_pdf", _pick("payment", "/payments/{}/pdf"), VIEWERS, sees_other=STAFF),
    _obj("payments.download_payment_csv", _pick("payment", "/payments/{}/csv"), VIEWERS, sees_other=STAFF),
    _obj("payments.show_statement", _statement, CARER),
    _obj("payments.download_statement_pdf", lambda w, which: _statement(w, which) + "/pdf", CARER),
    Case("payments.list_pay_runs", lambda w, _: "/pay-runs", STAFF, setup=_payments),
    Case("payments.create_pay_run", lambda w, _: "/pay-runs", STAFF, method="POST", setup=_payments),
    _obj("payments.show_pay_run", _same("run_a", "/pay-runs/{}"), STAFF, sees_other=STAFF),
    _obj(
        "payments.hold_pay_line",
        _same("run_a", "/pay-runs/{}/holds"),
        STAFF,
        sees_other=STAFF,
        method="POST",
        data={"line_key": "x", "hold_reason": "Checking"},
    ),
    _obj(
        "payments.release_pay_line",
        _same("run_a", "/pay-runs/{}/holds/1/release"),
        STAFF,
        sees_other=STAFF,
        method="POST",
    ),
    _obj(
        "payments.add_pay_adjustment",
        _same("run_a", "/pay-runs/{}/adjustments"),
        STAFF,
        sees_other=STAFF,
        method="POST",
        data={"amount": "10.00", "reason": "Test"},
    ),
    _obj(
        "payments.approve_pay_adjustment",
        _same("run_a", "/pay-runs/{}/adjustments/1/approve"),
        STAFF,
        sees_other=STAFF,
        method="POST",
    ),
    _obj(
        "payments.remove_pay_adjustment",
        _same("run_a", "/pay-runs/{}/adjustments/1/remove"),
        STAFF,
        sees_other=STAFF,
        method="POST",
    ),
    _obj(
        "payments.confirm_pay_run",
        _same("run_a", "/pay-runs/{}/confirm"),
        STAFF,
        sees_other=STAFF,
        method="POST",
        data={"seen": "x"},
    ),
    _obj("payments.discard_pay_run", _same("run_a", "/pay-runs/{}/discard"), STAFF, sees_other=STAFF, method="POST"),
    _obj("payments.export_pay_run", _same("run_a", "/pay-runs/{}/export"), STAFF, sees_other=STAFF, method="POST"),
    _obj(
        "payments.mark_pay_run_paid",
        _same("run_a", "/pay-runs/{}/paid"),
        STAFF,
        sees_other=STAFF,
        method="POST",
        data={"reference": "X"},
    ),
    Case("payments.list_payment_rates", lambda w, _: "/payment-rates", ADMIN, setup=_payments),
    Case("payments.add_payment_rate", lambda w, _: "/payment-rates/new", ADMIN, setup=_payments),
    Case("payments.add_payment_rate", lambda w, _: "/payment-rates/new", ADMIN, method="POST", setup=_payments),
    _obj("payments.change_payment_rate", _same("rate", "/payment-rates/{}/edit"), ADMIN, sees_other=ADMIN),
    _obj(
        "payments.change_payment_rate", _same("rate", "/payment-rates/{}/edit"), ADMIN, sees_other=ADMIN, method="POST"
    ),
    Case("payments.change_payment_settings", lambda w, _: "/payment-settings", ADMIN, setup=_payments),
    Case("payments.change_payment_settings", lambda w, _: "/payment-settings", ADMIN, method="POST", setup=_payments),
    _obj("payments.show_payment_terms", _household("/households/{}/payment-terms"), ADMIN, sees_other=ADMIN),
    _obj(
        "payments.show_payment_terms",
        _household("/households/{}/payment-terms"),
        ADMIN,
        sees_other=ADMIN,
        method="POST",
    ),
    _obj("payments.end_payment_term", _pick("term", "/payment-terms/{}/end"), ADMIN, sees_other=ADMIN, method="POST"),
]
