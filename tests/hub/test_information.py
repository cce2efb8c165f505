"""The information hub: pages, the payment policy from live rates, contacts, the offline copy, newsletters and
review reminders."""

from __future__ import annotations

import io
from datetime import date, timedelta

from flask import current_app

from portal.auth.roles import Role
from portal.claims.demo import seed_hmrc_rates
from portal.core.clock import today
from portal.core.db import db
from portal.core.notify import Notification
from portal.core.unit_of_work import unit_of_work
from portal.hub.jobs import send_review_reminders
from portal.hub.models import Newsletter, StaffContactDetails, TeamContact
from portal.payments.defaults import seed_payment_rates
from tests.factories import make_child, make_household, make_user, place
from tests.hub.helpers import make_page
from tests.jobs import drain_jobs
from tests.pages import text_of


def test_a_carer_reads_a_page_in_its_section(client):
    page = make_page(body="# What to do first\n\nCall your supervising social worker.")
    carer = make_user(Role.CARER)
    client.sign_in(carer)
    index = text_of(client.get("/information"))
    assert "The fostering handbook" in index
    shown = client.get(f"/information/{page.id}")
    assert '<h2 class="govuk-heading-m">What to do first</h2>' in shown.text
    assert "Last reviewed" in text_of(shown)


def test_the_payment_policy_shows_the_rates_pay_runs_and_claims_use_with_the_year(client):
    with unit_of_work():
        seed_payment_rates("rest_of_england")
        seed_hmrc_rates()
    page = make_page(
        "Payment policy",
        "How and when we pay.",
        section="payment_policy",
        live=("allowance-rates", "mileage-rates", "fee-rates", "extras"),
    )
    client.sign_in(make_user(Role.CARER))
    shown = text_of(client.get(f"/information/{page.id}"))
    assert "Weekly allowance for each child, by age" in shown
    assert "£194.00" in shown or "£187.00" in shown  # 5 to 10, 2025-26 (or 2024-25): the payments table itself
    assert "2025 to 2026" in shown or "2024 to 2025" in shown
    assert "Car or van" in shown and "55p a mile" in shown  # HMRC 2026-27, from the claims table
    assert "Level 1" in shown and "Birthday" in shown
    # Changing the table changes the page: nothing is retyped.
    from sqlalchemy import select

    from portal.payments.models import PaymentRate

    with unit_of_work():
        row = db.session.scalar(
            select(PaymentRate).where(
                PaymentRate.kind == "allowance", PaymentRate.code == "5-10", PaymentRate.effective_to >= today()
            )
        ) or db.session.scalar(
            select(PaymentRate)
            .where(PaymentRate.kind == "allowance", PaymentRate.code == "5-10")
            .order_by(PaymentRate.effective_from.desc())
        )
        row.amount_pence = 19999
    assert "£199.99" in text_of(client.get(f"/information/{page.id}"))


def test_the_help_page_shows_the_carers_own_social_workers_and_the_teams(client):
    ssw, sw = make_user(Role.SSW, name="Sara Supervisor"), make_user(Role.CHILD_SW, name="Chris Childsworker")
    other_sw = make_user(Role.CHILD_SW, name="Not Theirs")
    db.session.add(StaffContactDetails(user_id=ssw.id, phone="01234 567890", hours="Monday to Friday"))
    db.session.add(TeamContact(name="Out of hours", phone="0300 123 4567", hours="Evenings and weekends"))
    db.session.commit()
    carer = make_user(Role.CARER)
    household = make_household(carer, ssw=ssw)
    place(make_child(first_name="Amelia", social_worker=sw), household, start=today() - timedelta(days=10))
    make_child(first_name="Other", social_worker=other_sw)
    place(make_child(first_name="Millie", social_worker=None), household, start=today() - timedelta(days=3))
    client.sign_in(carer)
    page = text_of(client.get("/help"))
    assert "Millie's social worker Not recorded yet – ask the fostering team" in page
    assert "Your supervising social worker" in page and "Sara Supervisor" in page and "01234 567890" in page
    assert "Amelia's social worker" in page and "Chris Childsworker" in page and sw.email in page
    assert "Not Theirs" not in page
    assert "Out of hours" in page and "Evenings and weekends" in page
    anonymous = text_of(current_app.test_client().get("/help"))
    assert "Out of hours" in anonymous and "Sara Supervisor" not in anonymous


def test_staff_keep_their_own_contact_details(client):
    ssw = make_user(Role.SSW)
    client.sign_in(ssw)
    assert "Your contact details for carers" in text_of(client.get("/account"))
    response = client.submit("/account/contact-details", {"phone": "07700 900123", "hours": "Tuesdays"})
    assert response.status_code == 302
    assert db.session.get(StaffContactDetails, ssw.id).phone == "07700 900123"


def test_the_offline_copy_carries_no_name_menu_or_contacts(client):
    page = make_page()
    carer = make_user(Role.CARER, name="Wilhelmina Uniquename")
    client.sign_in(carer)
    normal = client.get(f"/information/{page.id}")
    assert "Wilhelmina Uniquename" in normal.text
    copy = client.get(f"/information/{page.id}/offline-copy")
    assert copy.headers["X-Hearth-Offline-Copy"] == "1"
    assert "Wilhelmina" not in copy.text and "Sign out" not in copy.text and "Notifications" not in copy.text
    assert "csrf_token" not in copy.text and "data-user" not in copy.text
    assert "Everything about fostering" in copy.text
    index = client.get("/information/offline-copy")
    assert "Wilhelmina" not in index.text and "The fostering handbook" in index.text


def test_the_owner_is_reminded_once_when_a_page_is_due_for_review(app):
    owner = make_user(Role.SSW)
    page = make_page(owner=owner, reviewed=today() - timedelta(days=400), months=12)
    make_page("Fresh page", owner=owner)
    assert send_review_reminders() == 1
    assert send_review_reminders() == 0
    drain_jobs(current_app._get_current_object())
    notes = [n.text for n in db.session.query(Notification).filter_by(user_id=owner.id)]
    assert notes == [f"The information page \u201c{page.title}\u201d is due for review"]


def test_newsletters_go_through_the_upload_pipeline_and_are_listed_newest_first(client):
    from portal.core.pdf import Document

    admin = make_user(Role.ADMIN)
    client.sign_in(admin)
    for title, issued in (("Spring news", date(2026, 3, 1)), ("Summer news", date(2026, 6, 1))):
        doc = Document(title=title)
        doc.add_page()
        doc.heading(title)
        doc.para("News for foster carers.")
        pdf = io.BytesIO(bytes(doc.output()))
        response = client.submit(
            "/newsletters/new",
            {
                "title": title,
                "issue_date-day": str(issued.day),
                "issue_date-month": str(issued.month),
                "issue_date-year": str(issued.year),
                "summary": f"What happened in {title.split()[0].lower()}.",
                "file": (pdf, "news.pdf"),
            },
            content_type="multipart/form-data",
        )
        assert response.status_code == 302, text_of(response)
    carer = make_user(Role.CARER)
    reader = current_app.test_client()
    reader.sign_in(carer)
    listing = text_of(reader.get("/newsletters"))
    assert listing.index("Summer news") < listing.index("Spring news")

    first = db.session.query(Newsletter).order_by(Newsletter.id).first()
    download = reader.get(f"/newsletters/{first.id}/file")
    assert download.status_code == 200 and download.data.startswith(b"%PDF")
    assert "no-store" in download.headers["Cache-Control"]


def test_an_admin_writes_a_page_and_hostile_markup_is_cleaned_on_save(client):
    admin = make_user(Role.ADMIN)
    client.sign_in(admin)
    refused = text_of(
        client.submit(
            "/information/new",
            {
                "section": "faqs",
                "title": "T",
                "summary": "x" * 301,
                "position": "1",
                "review_every_months": "6",
                "last_reviewed_on-day": "31",
                "last_reviewed_on-month": "2",
                "last_reviewed_on-year": "2026",
            },
        )
    )
    assert "Summary must be 300 characters or fewer" in refused and "Field cannot be longer" not in refused
    assert "The date the page was last reviewed must be a real date" in refused
    response = client.submit(
        "/information/new",
        {
            "section": "faqs",
            "title": "Holidays abroad",
            "body_markdown": "# Passports\n\nAsk early.<script>alert(1)</script><img src=x onerror=alert(2)>"
            "[trap](javascript:alert(3))",
            "position": "3",
            "review_every_months": "6",
        },
    )
    assert response.status_code == 302, text_of(response)
    from portal.hub.models import HubPage

    page = db.session.query(HubPage).one()
    assert (
        "<script" not in page.body_html and "onerror" not in page.body_html and 'href="javascript' not in page.body_html
    )
    assert "script" in page.body_markdown  # what was typed is kept, for the next edit
    assert page.review_due_on.month != page.last_reviewed_on.month
    shown = client.get(f"/information/{page.id}")
    assert "<script>alert(1)" not in shown.text and "Passports" in text_of(shown)
    assert "Holidays abroad" in text_of(client.get("/search?q=passports"))
