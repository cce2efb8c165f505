"""Carers (and staff looking with them): payments with every line, PDF and CSV, what comes next, annual statements."""

from __future__ import annotations

from flask import Response, abort, current_app, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select

from portal.auth.gates import requires_role
from portal.auth.roles import Role
from portal.claims.models import Claim
from portal.core import csv_export
from portal.core.db import db
from portal.core.pagination import page_number, paginate
from portal.core.query_budget import query_budget
from portal.payments import export
from portal.payments.policy import load_payment
from portal.payments.queries import household_payments, payment_lines
from portal.payments.routes import bp
from portal.payments.statements import completed_tax_years, outlook, statement
from portal.people.queries import household_of

VIEWERS = (Role.CARER, Role.BUSINESS_SUPPORT, Role.ADMIN)


def claim_numbers(lines) -> dict[int, str]:
    ids = [ln.claim_id for ln in lines if ln.claim_id]
    if not ids:
        return {}
    return {cid: f"CL-{cid:06d}" for cid in db.session.scalars(select(Claim.id).where(Claim.id.in_(ids)))}


@bp.route("/payments")
@requires_role(Role.CARER)
@query_budget(32)  # the next payment's estimate reads the pay-run engine's inputs (mentoring contacts too) twice
def list_payments():
    household = household_of(current_user)
    if household is None:
        return render_template("payments/list_payments.html", household=None, payments=[], ahead=None, years=[])
    page = paginate(household_payments(current_user, household.id), page_number(request.args), per_page=12)
    return render_template(
        "payments/list_payments.html",
        household=household,
        payments=page.items,
        page=page,
        pager=page.govuk(lambda n: url_for("payments.list_payments", page=n)),
        ahead=outlook(household.id),
        years=completed_tax_years(household.id),
    )


@bp.route("/payments/<int:payment_id>")
@requires_role(*VIEWERS)
def show_payment(payment_id: int):
    payment = load_payment(current_user, payment_id)
    lines = payment_lines(payment)
    return render_template(
        "payments/show_payment.html",
        payment=payment,
        lines=lines,
        claims=claim_numbers(lines),
        is_staff=current_user.has_role(Role.BUSINESS_SUPPORT, Role.ADMIN),
    )


@bp.route("/payments/<int:payment_id>/pdf")
@requires_role(*VIEWERS)
def download_payment_pdf(payment_id: int):
    payment = load_payment(current_user, payment_id)
    body = export.payment_pdf(current_app.config["COUNCIL_NAME"], payment, payment_lines(payment))
    return Response(
        body,
        mimetype="application/pdf",
        headers={"Content-Disposition": f'attachment; filename="payment-{payment.number}.pdf"'},
    )


@bp.route("/payments/<int:payment_id>/csv")
@requires_role(*VIEWERS)
def download_payment_csv(payment_id: int):
    payment = load_payment(current_user, payment_id)
    lines = payment_lines(payment)
    return csv_export.download(
        export.payment_csv(payment, lines, claim_numbers(lines)), f"payment-{payment.number}.csv"
    )


def _statement_or_404(year: int):
    household = household_of(current_user)
    if household is None or year not in completed_tax_years(household.id):
        abort(404)
    return household, statement(household.id, year)


@bp.route("/payments/statements/<int:year>")
@requires_role(Role.CARER)
def show_statement(year: int):
    household, st = _statement_or_404(year)
    return render_template("payments/show_statement.html", household=household, st=st)


@bp.route("/payments/statements/<int:year>/pdf")
@requires_role(Role.CARER)
def download_statement_pdf(year: int):
    household, st = _statement_or_404(year)
    body = export.statement_pdf(current_app.config["COUNCIL_NAME"], household.name, st)
    return Response(
        body,
        mimetype="application/pdf",
        headers={"Content-Disposition": f'attachment; filename="statement-{year}-{year + 1}.pdf"'},
    )
