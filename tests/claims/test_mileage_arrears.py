"""A backdated mileage rate: 55p from 6 April 2026, announced 21 May 2026. Carers are paid, once, what they are owed
for journeys already paid at 45p, respecting each carer's 10,000-mile threshold across the tax year."""

from __future__ import annotations

import re
import uuid
from datetime import date, timedelta

import pypdfium2
import pytest
from sqlalchemy import func, select

from portal.auth.models import User
from portal.claims import arrears
from portal.claims import rates as engine
from portal.claims.arrears_models import APPROVED, NOTHING_OWED, PENDING, MileageArrears, MileageRateChange
from portal.claims.demo import add_hmrc_2026_27_car_rate
from portal.claims.mileage_rate_admin import save_mileage_rate
from portal.claims.models import Claim, ClaimLine, ClaimStatus, MileageRate
from portal.claims.services import reprice
from portal.core.audit import AuditEvent
from portal.core.clock import today
from portal.core.db import db, utcnow
from portal.core.notify import Notification
from portal.payments import runs
from portal.payments.models import HouseholdPayment
from tests.claims.conftest import date_fields, make_mileage_rates
from tests.factories import make_carer_household
from tests.pages import text_of
from tests.payments.conftest import set_up_payments

OLD_TABLE = [  # the table as it was before 21 May 2026: 45p until further notice
    engine.Rate(engine.CAR, date(2011, 4, 6), None, 45, 10_000, 25),
    engine.Rate(engine.MOTORCYCLE, date(2011, 4, 6), None, 24),
    engine.Rate(engine.BICYCLE, date(2011, 4, 6), None, 20),
    engine.Rate(engine.PASSENGER, date(2011, 4, 6), None, 5),
]
LABEL = "Mileage rate increase, 6 April – 21 May 2026"


def paid_claim(carer, household, journeys, *, status=ClaimStatus.PAID, vehicle=engine.CAR) -> Claim:
    """A mileage claim priced as it was when sent (with the carer's earlier claims counted), then decided."""
    claim = Claim(
        kind="mileage",
        household_id=household.id,
        claimant_id=carer.id,
        idempotency_key=uuid.uuid4().hex,
        vehicle=vehicle,
        status=ClaimStatus.DRAFT,
    )
    for on, tenths, is_return in journeys:
        claim.lines.append(
            ClaimLine(
                idempotency_key=uuid.uuid4().hex,
                line_date=on,
                category="health",
                from_place="Home",
                to_place="Clinic",
                miles_tenths=tenths,
                is_return=is_return,
            )
        )
    db.session.add(claim)
    db.session.flush()
    reprice(claim)
    claim.status, claim.submitted_at = status, utcnow() - timedelta(days=100)
    if status in (ClaimStatus.APPROVED, ClaimStatus.BATCHED, ClaimStatus.PAID):
        claim.approved_pence, claim.decided_at = claim.total_pence, utcnow() - timedelta(days=99)
        for ln in claim.lines:
            ln.decision = "approved"
    db.session.commit()
    return claim


@pytest.fixture
def carers(world):
    """Sarah crosses 10,000 miles mid-journey on 20 April; Priya made one return journey; both paid at 45p."""
    db.session.query(MileageRate).delete()
    make_mileage_rates(OLD_TABLE)
    sarah, home = world.carer, world.household
    last_year = paid_claim(sarah, home, [(date(2026, 4, 1), 5_000, False)])  # 2025-26: not this tax year's count
    crossing = paid_claim(sarah, home, [(date(2026, 4, 10), 99_500, False), (date(2026, 4, 20), 500, True)])
    over = paid_claim(sarah, home, [(date(2026, 5, 1), 200, False)])
    assert [ln.amount_pence for ln in crossing.lines] == [447_750, 50 * 45 + 50 * 25]
    assert over.total_pence == 20 * 25 and last_year.total_pence == 500 * 45
    priya, theirs = make_carer_household(name="Shah household")
    paid_claim(priya, theirs, [(date(2026, 5, 10), 200, True)])  # 40 miles: £18.00, due £22.00
    paid_claim(priya, theirs, [(date(2026, 5, 15), 100, False)], status=ClaimStatus.SUBMITTED)  # not paid yet
    return dict(sarah=sarah, priya=priya, household_b=theirs)


def add_2026_rate(client, admin, *, pence="55", announced=date(2026, 5, 21)):
    client.sign_in(admin)
    return client.submit(
        "/claims/mileage-rates/new",
        {
            "vehicle": "car",
            **date_fields(date(2026, 4, 6), "effective_from"),
            "pence_per_mile": pence,
            "threshold_miles": "10000",
            "pence_after_threshold": "25",
            "source": "HMRC approved mileage rates, GOV.UK, May 2026",
            **date_fields(announced, "announced_on"),
        },
    )


def post_form(client, page_url: str, action: str):
    client.get(page_url)
    forms = [f for f in client.page.forms if f.method == "post"]
    index = next(i for i, f in enumerate(forms) if f.action == action)
    own = [f for f in forms if f.action in (None, "", page_url)]
    ordered = own + [f for f in forms if f not in own]
    return client.submit(page_url, {}, form_index=ordered.index(forms[index]))


def test_the_estimate_prices_6_april_2026_at_55p(client, world):
    client.sign_in(world.carer)
    body = client.get("/claims/mileage-estimate?date=2026-04-06&miles=20&vehicle=car").get_json()
    assert body["text"] == "£11.00" and body["note"] == "20.0 mi at 55p"
    assert client.get("/claims/mileage-estimate?date=2026-04-05&miles=20&vehicle=car").get_json()["text"] == "£9.00"


def test_a_backdated_rate_lists_what_each_carer_is_owed_for_approval(app, client, world, carers):
    response = add_2026_rate(client, world.admin)
    assert response.status_code == 302 and "/claims/mileage-arrears/" in response.location
    change = db.session.scalar(select(MileageRateChange))
    assert (change.status, change.label, change.unpaid_journeys) == (PENDING, LABEL, 1)
    rows = {r.claimant_id: r for r in db.session.scalars(select(MileageArrears))}
    sarah = rows[carers["sarah"].id]
    # 9,950 miles at 55p, then 50 at 55p and 50 at 25p (the threshold falls mid-journey), then 20 at 25p either way.
    assert (sarah.journeys, sarah.miles_tenths) == (3, 100_700)
    assert (sarah.paid_pence, sarah.due_pence) == (447_750 + 3_500 + 500, 547_250 + 4_000 + 500)
    assert sarah.difference_pence == 1_000_00
    assert (rows[carers["priya"].id].paid_pence, rows[carers["priya"].id].due_pence) == (1_800, 2_200)
    assert change.total_pence == 1_000_00 + 4_00 and change.carer_count == 2
    page = text_of(client.get(response.location))
    for text in (
        "Sarah Okafor",
        "10,070.0",
        "£4,517.50",
        "£5,517.50",
        "£1,000.00",
        "£4.00",
        "Approve and pay £1,004.00",
    ):
        assert text in page
    assert "never takes money back" in page and "1 journey since then is in claims not paid yet" in page
    assert db.session.scalar(select(func.count(Claim.id)).where(Claim.status == ClaimStatus.APPROVED)) == 0  # not yet


def test_approval_pays_each_carer_once_as_an_approved_claim_and_is_audited(app, client, world, carers):
    add_2026_rate(client, world.admin)
    change = db.session.scalar(select(MileageRateChange))
    url = f"/claims/mileage-arrears/{change.id}"
    refused = post_form(client, url, f"{url}/approve")  # the admin who worked it out may not approve it
    assert refused.status_code == 422 and "a colleague must approve it" in text_of(refused)
    support = app.test_client()
    support.sign_in(world.support)
    assert post_form(support, url, f"{url}/approve").status_code == 302
    paid = {c.claimant_id: c for c in db.session.scalars(select(Claim).where(Claim.status == ClaimStatus.APPROVED))}
    assert {k: c.approved_pence for k, c in paid.items()} == {carers["sarah"].id: 1_000_00, carers["priya"].id: 4_00}
    assert paid[carers["sarah"].id].lines[0].note == f"{LABEL}: £1,000.00"
    carer = app.test_client()
    carer.sign_in(carers["sarah"])
    shown = text_of(carer.get(f"/claims/{paid[carers['sarah'].id].id}"))
    assert f"{LABEL}: £1,000.00" in shown and re.search(r"Journey 1: Mileage rate arrears, \d", shown)
    assert "£1,000.00" in text_of(carer.get("/claims"))
    assert f"{LABEL}: £1,000.00" in text_of(support.get(f"/claims/{paid[carers['sarah'].id].id}"))
    # Twice: the button is gone, and a second approval (another colleague) pays nothing more.
    other = app.test_client()
    other.sign_in(world.support2)
    assert "Approve and pay" not in text_of(other.get(url))
    with pytest.raises(arrears.ArrearsRefused, match="already been approved"):
        arrears.approve(world.support2, db.session.get(MileageRateChange, change.id))
    # Working it out again finds nothing more owed: what the arrears paid counts as paid.
    again = post_form(other, url, f"{url}/again")
    assert again.status_code == 302 and "Nothing more is owed" in text_of(other.get(again.location))
    assert db.session.scalar(select(func.count(Claim.id)).where(Claim.status == ClaimStatus.APPROVED)) == 2
    actions = set(db.session.scalars(select(AuditEvent.action)))
    assert {"mileage_arrears_worked_out", "mileage_arrears_approved"} <= actions
    note = db.session.scalar(select(Notification.text).where(Notification.user_id == carers["priya"].id))
    assert note == f"{LABEL}: £4.00, paid with your next payment"


def test_a_corrected_rate_pays_only_what_is_still_owed(app, client, world, carers):
    add_2026_rate(client, world.admin)
    first = db.session.scalar(select(MileageRateChange))
    arrears.approve(world.support, first)
    rate = db.session.scalar(select(MileageRate).where(MileageRate.effective_from == date(2026, 4, 6)))
    _rate, second = save_mileage_rate(
        world.admin,
        rate,
        vehicle="car",
        effective_from=rate.effective_from,
        effective_to=None,
        pence_per_mile=56,
        threshold_miles=10_000,
        pence_after_threshold=25,
        source="A correction",
        announced_on=date(2026, 5, 21),
    )
    rows = {
        r.claimant_id: r
        for r in db.session.scalars(select(MileageArrears).where(MileageArrears.change_id == second.id))
    }
    assert rows[carers["sarah"].id].difference_pence == 100_00  # the 10,000 miles at 55p, now 1p more each
    assert rows[carers["priya"].id].difference_pence == 40
    arrears.approve(world.support2, second)
    totals = db.session.scalars(
        select(Claim.approved_pence).where(Claim.claimant_id == carers["sarah"].id, Claim.vehicle.is_(None))
    )
    assert sorted(totals) == [100_00, 1_000_00]


def test_a_rate_decrease_is_never_clawed_back(client, world, carers):
    response = add_2026_rate(client, world.admin, pence="40")
    change = db.session.scalar(select(MileageRateChange))
    assert change.status == NOTHING_OWED and change.total_pence == 0
    page = text_of(client.get(response.location))
    assert (
        "never takes money back automatically" in page and "Not clawed back" in page and "Approve and pay" not in page
    )
    with pytest.raises(arrears.ArrearsRefused):
        arrears.approve(world.support, change)
    assert db.session.scalar(select(func.count(Claim.id)).where(Claim.vehicle.is_(None))) == 0


def test_arrears_are_a_line_of_the_next_pay_run_on_the_carers_payment_and_remittance(app, client, world):
    set_up_payments()
    db.session.query(MileageRate).delete()
    make_mileage_rates(OLD_TABLE)
    paid_claim(world.carer, world.household, [(date(2026, 4, 20), 300, True)])  # 60 miles: paid £27.00, due £33.00
    add_2026_rate(client, world.admin)
    change = db.session.scalar(select(MileageRateChange))
    arrears.approve(world.support, change)
    claim = db.session.scalar(select(Claim).where(Claim.vehicle.is_(None)))
    claim.decided_at -= timedelta(days=30)  # approved within the period the next run pays
    db.session.commit()
    run = runs.create_pay_run(world.support)
    preview = runs.preview(run)
    (line,) = [ln for ln in preview.lines if ln.claim_id == claim.id]
    assert line.description == f"{LABEL}: £6.00" and line.amount_pence == 600
    runs.confirm_pay_run(world.support, run, runs.fingerprint(preview))
    runs.mark_pay_run_paid(world.support, run, paid_on=today(), reference="BACS-2026")
    db.session.refresh(claim)
    assert claim.status == ClaimStatus.PAID
    payment = db.session.scalar(select(HouseholdPayment).where(HouseholdPayment.run_id == run.id))
    carer = app.test_client()
    carer.sign_in(world.carer)
    assert f"{LABEL}: £6.00" in text_of(carer.get(f"/payments/{payment.id}"))
    pdf = pypdfium2.PdfDocument(carer.get(f"/payments/{payment.id}/pdf").data)
    remittance = " ".join(pdf[i].get_textpage().get_text_range() for i in range(len(pdf)))
    assert re.search(r"Mileage rate increase, 6 April [–-] 21 May 2026: £6\.00", remittance)
    assert LABEL in carer.get(f"/payments/{payment.id}/csv").get_data(as_text=True)


def test_the_2026_27_rate_reaches_a_table_seeded_before_it_once_and_leaves_a_councils_own_rate_alone(app, world):
    db.session.query(MileageRate).delete()
    make_mileage_rates(OLD_TABLE)
    assert add_hmrc_2026_27_car_rate() == 1 and add_hmrc_2026_27_car_rate() == 0
    db.session.commit()
    table = [r.as_rate() for r in db.session.scalars(select(MileageRate))]
    assert engine.rate_on(table, engine.CAR, date(2026, 4, 5)).pence_per_mile == 45
    assert engine.rate_on(table, engine.CAR, date(2026, 4, 6)).pence_per_mile == 55
    db.session.query(MileageRate).delete()
    make_mileage_rates([engine.Rate(engine.CAR, date(2020, 4, 6), None, 50)])  # the council pays its own 50p
    assert add_hmrc_2026_27_car_rate() == 0


def test_seed_rates_works_out_the_2026_27_arrears_once(app, world, carers):
    add_hmrc_2026_27_car_rate()
    db.session.commit()
    cli = app.test_cli_runner()
    out = cli.invoke(args=["claims", "seed-rates"]).output
    assert "2 carers owed" in out
    assert "2 carers owed" not in cli.invoke(args=["claims", "seed-rates"]).output
    (change,) = db.session.scalars(select(MileageRateChange))
    assert change.label == LABEL and change.created_by_id is None and change.status == PENDING
    arrears.approve(world.support, change)
    assert db.session.get(MileageRateChange, change.id).status == APPROVED


@pytest.mark.postgres_only
def test_two_colleagues_approving_at_the_same_moment_pay_once(app, client, world, carers):
    if db.dialect != "postgresql":
        pytest.skip("real concurrent transactions need PostgreSQL; SQLite serialises every writer")
    from tests.claims.test_concurrency import run_together

    add_2026_rate(client, world.admin)
    change_id = db.session.scalar(select(MileageRateChange.id))
    staff_ids = [world.support.id, world.support2.id]

    def approve(i):
        return arrears.approve(db.session.get(User, staff_ids[i]), db.session.get(MileageRateChange, change_id))

    results = run_together(app, approve, 2)
    assert sorted(type(r).__name__ for r in results) == ["ArrearsRefused", "int"], results
    db.session.expire_all()
    assert db.session.scalar(select(func.count(Claim.id)).where(Claim.vehicle.is_(None))) == 2
    assert db.session.scalar(select(func.sum(Claim.approved_pence)).where(Claim.vehicle.is_(None))) == 1_004_00


def test_migration_0012_brings_an_existing_table_to_the_2026_27_rate(tmp_path):
    from alembic import command
    from alembic.script import ScriptDirectory
    from sqlalchemy import create_engine, text

    from portal.cli import alembic_config

    url = f"sqlite:///{tmp_path / 'before.db'}"
    config = alembic_config(url)
    command.upgrade(config, ScriptDirectory.from_config(config).get_revision("0012").down_revision)
    engine = create_engine(url)
    with engine.begin() as conn:
        for vehicle, pence, threshold, after in (("car", 45, 10_000, 25), ("motorcycle", 24, None, None)):
            conn.execute(
                text(
                    "INSERT INTO mileage_rates (vehicle, effective_from, pence_per_mile, threshold_miles,"
                    " pence_after_threshold, source, updated_at) VALUES (:v, '2011-04-06', :p, :t, :a, 'HMRC',"
                    " '2026-01-01 00:00:00')"
                ),
                dict(v=vehicle, p=pence, t=threshold, a=after),
            )
    command.upgrade(config, "0012")
    with engine.connect() as conn:
        rows = conn.execute(
            text("SELECT vehicle, effective_from, effective_to, pence_per_mile FROM mileage_rates ORDER BY id")
        ).all()
    engine.dispose()
    assert [tuple(str(v) if v is not None else None for v in r) for r in rows] == [
        ("car", "2011-04-06", "2026-04-05", "45"),
        ("motorcycle", "2011-04-06", None, "24"),
        ("car", "2026-04-06", None, "55"),
    ]
