"""Who may see payments, runs, rates and terms; loaders answer 404 for anything a user may not see."""

from __future__ import annotations

from sqlalchemy import select

from portal.auth.models import User
from portal.auth.roles import Role
from portal.core.db import db
from portal.core.refusals import not_found
from portal.payments.models import HouseholdPayment, PaymentRate, PaymentTerm, PayRun
from portal.payments.queries import PAY_STAFF, payments_visible_to
from portal.people.models import Household


def load_payment(user: User, payment_id: int) -> HouseholdPayment:
    payment = db.session.scalar(payments_visible_to(user).where(HouseholdPayment.id == payment_id))
    if payment is None:
        not_found(user, "payment", payment_id)  # never reveal that another household's payment exists
    return payment


def load_run(user: User, run_id: int) -> PayRun:
    run = db.session.scalar(select(PayRun).where(PayRun.id == run_id)) if user.has_role(*PAY_STAFF) else None
    if run is None:
        not_found(user, "pay_run", run_id)
    return run


def load_rate(user: User, rate_id: int) -> PaymentRate:
    rate = db.session.get(PaymentRate, rate_id) if user.has_role(Role.ADMIN) else None
    if rate is None:
        not_found(user, "payment_rate", rate_id)
    return rate


def load_household_for_terms(user: User, household_id: int) -> Household:
    household = db.session.get(Household, household_id) if user.has_role(Role.ADMIN) else None
    if household is None:
        not_found(user, "household", household_id)
    return household


def load_term(user: User, term_id: int) -> PaymentTerm:
    term = db.session.get(PaymentTerm, term_id) if user.has_role(Role.ADMIN) else None
    if term is None:
        not_found(user, "payment_term", term_id)
    return term
