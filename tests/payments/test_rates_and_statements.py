"""Admins keep the rate tables (with warnings); carers get an annual statement with Qualifying Care Relief figures."""

from __future__ import annotations

from datetime import date

from portal.auth.roles import Role
from portal.core.db import db
from portal.payments.defaults import seed_payment_rates
from portal.payments.models import HouseholdPayment, PaymentRate, PayRun
from portal.payments.queries import rate_warnings
from portal.payments.statements import statement
from tests.factories import make_carer_household, make_child, make_user, place
from tests.pages import text_of
from tests.pdf_reading import pdf_text, squashed


def test_seeding_the_default_tables_twice_changes_nothing(app):
    assert seed_payment_rates("london") > 0
    db.session.commit()
    assert seed_payment_rates("london") == 0
    row = (
        db.session.query(PaymentRate)
        .filter_by(kind="allowance", code="16-17", region="london", effective_from=date(2025, 4, 1))
        .one()
    )
    assert row.amount_pence == 299_00 and "to be confirmed" in row.source


def test_admins_are_warned_about_a_missing_rate_year_and_rates_below_the_minimum(app, client):
    seed_payment_rates("south_east")
    low = db.session.query(PaymentRate).filter_by(kind="allowance", code="0-2", effective_from=date(2025, 4, 1)).one()
    low.amount_pence = 150_00
    db.session.commit()
    warnings = rate_warnings(on=date(2026, 1, 10))
    assert any("coming rate year, from 1 April 2026" in w for w in warnings)
    assert any(
        "0-2 allowance from 1 April 2025 (£150.00) is below the national minimum of £189.00" in w for w in warnings
    )
    client.sign_in(make_user(Role.ADMIN))
    assert "below the national minimum" in text_of(client.get("/payment-rates"))


def test_an_overlapping_rate_is_refused_with_a_clear_message_and_what_was_typed_is_kept(app, client):
    seed_payment_rates()
    db.session.commit()
    client.sign_in(make_user(Role.ADMIN))
    response = client.submit(
        "/payment-rates/new",
        {
            "kind": "allowance",
            "code": "5-10",
            "region": "rest_of_england",
            "basis": "per_child_week",
            "amount": "199.50",
            "effective_from-day": "1",
            "effective_from-month": "10",
            "effective_from-year": "2025",
            "effective_to-day": "31",
            "effective_to-month": "3",
            "effective_to-year": "2026",
            "source": "Council cabinet",
        },
    )
    assert response.status_code == 422
    assert "This overlaps the 5-10 rate from 1 April 2025" in text_of(response)
    assert 'value="199.50"' in response.get_data(as_text=True)


def test_bad_settings_input_gets_a_kind_message_not_an_error_page(app, client):
    client.sign_in(make_user(Role.ADMIN))
    response = client.submit(
        "/payment-settings",
        {
            "region": "london",
            "frequency": "weekly",
            "band_rule": "birthday",
            "first_period_start-day": "31",
            "first_period_start-month": "2",
            "first_period_start-year": "2026",
            "pay_lag_days": "lots",
            "lookback_days": "182",
        },
    )
    assert response.status_code == 422
    assert "must be a real date" in text_of(response)


def test_the_annual_statement_totals_by_kind_and_shows_qualifying_care_relief(app, client):
    seed_payment_rates()
    carer, household = make_carer_household(name="Wiśniewska-Dŵr household 🎉")
    place(
        make_child(first_name="Amir أمير", born=date(2015, 1, 1)),
        household,
        start=date(2025, 4, 7),
        end=date(2025, 4, 21),
    )
    run = PayRun(
        period_start=date(2025, 4, 7),
        period_end=date(2025, 4, 20),
        pay_date=date(2025, 4, 25),
        status="paid",
        paid_on=date(2025, 4, 25),
        payment_reference="R1",
        created_by_id=carer.id,
    )
    db.session.add(run)
    db.session.flush()
    db.session.add(HouseholdPayment(run_id=run.id, household_id=household.id, total_pence=388_00))
    db.session.commit()
    st = statement(household.id, 2025)
    assert st.qcr_fixed == 19_690_00
    assert st.qcr_weeks == [("Amir أمير", 2, 0, 2 * 415_00)]  # two Monday-to-Sunday weeks, aged 10
    client.sign_in(carer)
    page = text_of(client.get("/payments/statements/2025"))
    assert "This is not tax advice" in page and "£20,520.00" in page
    pdf = client.get("/payments/statements/2025/pdf")
    assert pdf.status_code == 200 and pdf.mimetype == "application/pdf"
    text = squashed(pdf_text(pdf.data))
    for shown in ("Wiśniewska-Dŵr household 🎉", "Amir أمير: 2 weeks under 11", "£20,520.00", "not tax advice"):
        assert squashed(shown) in text
    assert "?" not in text and "\ufffd" not in text


def test_an_admin_gives_a_child_a_supplement_and_a_bad_date_is_explained(app, client):
    seed_payment_rates()
    _, household = make_carer_household()
    child = make_child(first_name="Noor")
    place(child, household)
    db.session.commit()
    client.sign_in(make_user(Role.ADMIN))
    url = f"/households/{household.id}/payment-terms"
    bad = client.submit(
        url,
        {
            "kind": "supplement",
            "code": "enhanced",
            "child_id": str(child.id),
            "effective_from-day": "40",
            "effective_from-month": "1",
            "effective_from-year": "2026",
        },
    )
    assert bad.status_code == 422 and "must be a real date" in text_of(bad)
    good = client.submit(
        url,
        {
            "kind": "supplement",
            "code": "enhanced",
            "child_id": str(child.id),
            "effective_from-day": "5",
            "effective_from-month": "1",
            "effective_from-year": "2026",
        },
    )
    assert good.status_code in (302, 303)
    assert "Supplement for a child: enhanced for Noor Test" in text_of(client.get(url))
