"""The payment advice and CSV a carer downloads: names in any script, long lines that wrap without overprinting,
rows that keep their amounts across pages, and a CSV that Excel opens with Zoë and £ intact."""

from __future__ import annotations

import codecs
import csv
import io
from datetime import timedelta

import pytest

from portal.auth.roles import Role
from portal.core.clock import today
from portal.core.db import db
from portal.payments import adjustments, runs
from portal.payments.models import HouseholdPayment
from tests.factories import make_carer_household, make_child, make_user, place
from tests.payments.conftest import set_up_payments
from tests.payments.test_pay_runs import submit_to
from tests.pdf_reading import pdf_pages, pdf_text, pdf_words, squashed

NAMES = "Wiśniewska-Dŵr 🎂🎉 فاطمة 张伟"


@pytest.fixture
def paid(app):
    """A confirmed payment to a household named in four scripts, with 40 long adjustments and a held line."""
    start = set_up_payments()
    carer, household = make_carer_household(name=f"{NAMES} household")
    child = make_child(first_name="Zoë", born=today() - timedelta(days=365 * 7 + 100))
    place(child, household, start=start - timedelta(days=30))
    support = make_user(Role.BUSINESS_SUPPORT)
    run = runs.create_pay_run(support)
    for n in range(40):
        reason = (
            f"start{n:02d} Family time with Zoë (فاطمة) 🎉, £4.50 bus fares, "
            + "backdated to the placement start because the mileage claim was entered late " * (n % 3 + 1)
            + f"end{n:02d}"
        )
        adjustments.add_adjustment(
            support, run, household_id=household.id, amount_pence=(n + 1) * 100 + 7, reason=reason
        )
    key = next(ln.key for ln in runs.preview(run).lines if not ln.is_adjustment)
    runs.hold_line(support, run, key, "Checking the placement dates with Zoë’s social worker " * 4 + "heldend")
    runs.confirm_pay_run(support, run, runs.fingerprint(runs.preview(run)))
    payment = db.session.query(HouseholdPayment).filter_by(household_id=household.id).one()
    return carer, payment


def test_the_payment_advice_prints_every_name_and_keeps_each_long_line_whole_beside_its_amount(app, paid):
    carer, payment = paid
    client = app.test_client()
    client.sign_in(carer)
    response = client.get(f"/payments/{payment.id}/pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    text = pdf_text(response.data)
    assert squashed(f"{NAMES} household") in squashed(text)  # pdftotext spaces right-to-left runs its own way
    assert "Zoë’s social worker" in text and "?" not in text and "\ufffd" not in text
    pages = pdf_pages(response.data)
    assert pages >= 3
    words = pdf_words(response.data)
    found = {w.text: w for w in words}
    assert sum(1 for w in words if w.text == "Amount") == pages  # headings again on every page
    previous = None
    for n in range(40):
        start, end, amount = found[f"start{n:02d}"], found[f"end{n:02d}"], found[f"£{n + 1}.07"]
        assert start.page == end.page == amount.page, f"adjustment {n} is split from its amount across pages"
        assert start.top <= amount.top <= end.bottom, f"adjustment {n}'s amount is not beside it"
        if previous and previous.page == start.page:
            assert start.top > previous.bottom, f"adjustment {n} overprints the line above"
        previous = end
    total, held_end = found["Total"], found["heldend"]
    assert (total.page, total.top) > (previous.page, previous.bottom)
    assert (held_end.page, held_end.top) > (total.page, total.bottom)  # the held line is listed after the total


def test_the_payment_csv_opens_in_excel_with_accents_pounds_and_formulas_made_harmless(app, paid):
    carer, payment = paid
    client = app.test_client()
    client.sign_in(carer)
    response = client.get(f"/payments/{payment.id}/csv")
    assert response.data.startswith(codecs.BOM_UTF8) and response.headers["Content-Type"] == "text/csv; charset=utf-8"
    rows = list(csv.DictReader(io.StringIO(response.data.decode("utf-8-sig"))))
    assert rows[0].keys() >= {"payment", "description", "amount"}
    adjustments = [r for r in rows if "start00" in r["description"]]
    assert adjustments[0]["description"].startswith("Adjustment: start00 Family time with Zoë (فاطمة) 🎉, £4.50")
    assert adjustments[0]["amount"] == "1.07"


def test_the_pay_run_csv_starts_with_a_byte_order_mark_and_keeps_negative_amounts_as_numbers(app, client, paid):
    _carer, payment = paid
    support = make_user(Role.BUSINESS_SUPPORT)
    run = runs.create_pay_run(support)
    adjustments.add_adjustment(
        support, run, household_id=payment.household_id, amount_pence=-250, reason="Bus fare paid twice"
    )
    runs.confirm_pay_run(support, run, runs.fingerprint(runs.preview(run)))
    client.sign_in(support)
    exported = submit_to(client, f"/pay-runs/{run.id}", f"/pay-runs/{run.id}/export", {})
    assert exported.data.startswith(codecs.BOM_UTF8) and "no-store" in exported.headers["Cache-Control"]
    rows = list(csv.DictReader(io.StringIO(exported.data.decode("utf-8-sig"))))
    household = next(r for r in rows if r["record_type"] == "PAYMENT")
    assert household["household_name"] == f"{NAMES} household"
    recovered = next(r for r in rows if r["description"] == "Overpayment recovered: Bus fare paid twice")
    assert recovered["amount"] == "-2.50"
