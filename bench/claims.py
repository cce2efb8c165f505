"""The business-support queue and a 2,000-claim payment batch (create + CSV export) with 50,000 claims in the
database, against /healthz measured in the same run. The queue is timed at 1,000 and at 50,000 claims: a page of it
must cost the same at both sizes (paginated, indexed on status and submission time).

`python -m bench.claims` (a throw-away SQLite copy of the demo service in a temporary directory).
"""

from __future__ import annotations

import random
import re
import tempfile
import time
import uuid
from datetime import timedelta
from pathlib import Path

from bench.in_process import demo_app, median_seconds

TOTAL_CLAIMS = 50_000
SMALL = 1_000
BATCH = 2_000
ROUNDS = 60


def sign_in_staff(client, email: str) -> None:
    import pyotp

    from portal.demo import DEMO_PASSWORD, DEMO_TOTP_SECRET

    def token(path):
        return re.search(r'name="csrf_token"[^>]*value="([^"]+)"', client.get(path).get_data(as_text=True)).group(1)

    client.post("/sign-in", data={"csrf_token": token("/sign-in"), "email": email, "password": DEMO_PASSWORD})
    response = client.post(
        "/sign-in/security-code",
        data={"csrf_token": token("/sign-in/security-code"), "code": pyotp.TOTP(DEMO_TOTP_SECRET).now()},
    )
    assert response.status_code == 302, "could not sign in with the security code"


def generate(count: int, *, approved: int = 0, submitted: int = 300) -> None:
    """Add `count` claims (one line each): mostly paid history, `submitted` waiting, `approved` ready to batch."""
    from sqlalchemy import insert, select

    from portal.auth.models import User
    from portal.claims.models import Claim, ClaimLine
    from portal.core.db import db, utcnow
    from portal.people.models import HouseholdMember

    members = db.session.execute(select(HouseholdMember.household_id, HouseholdMember.user_id)).all()
    staff = db.session.scalar(select(User.id).where(User.email == "admin@example.org"))
    rng = random.Random(count)
    now = utcnow()
    claims, lines = [], []
    start = (db.session.scalar(select(Claim.id).order_by(Claim.id.desc()).limit(1)) or 0) + 1
    for i in range(count):
        household_id, user_id = members[rng.randrange(len(members))]
        status = "approved" if i < approved else "submitted" if i < approved + submitted else "paid"
        sent = now - timedelta(days=rng.randrange(1, 700), minutes=rng.randrange(1440))
        amount = rng.randrange(500, 40_000)
        claims.append(
            dict(
                id=start + i,
                kind=rng.choice(["mileage", "expense", "allowance"]),
                status=status,
                household_id=household_id,
                claimant_id=user_id,
                idempotency_key=uuid.uuid4().hex,
                total_pence=amount,
                approved_pence=amount if status != "submitted" else None,
                version=2,
                created_at=sent,
                submitted_at=sent,
                decided_at=sent + timedelta(days=2) if status != "submitted" else None,
                decided_by_id=staff if status != "submitted" else None,
            )
        )
        lines.append(
            dict(
                claim_id=start + i,
                idempotency_key=uuid.uuid4().hex,
                line_date=sent.date(),
                category="holiday",
                amount_pence=amount,
                is_return=False,
                passengers=0,
            )
        )
    for chunk in range(0, count, 5_000):
        db.session.execute(insert(Claim), claims[chunk : chunk + 5_000])
        db.session.execute(insert(ClaimLine), lines[chunk : chunk + 5_000])
    db.session.commit()


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="hearth-bench-claims-") as tmp:
        app = demo_app(Path(tmp))
        client = app.test_client()
        sign_in_staff(client, "support@example.org")
        queue = "/claims/queue"
        with app.app_context():
            generate(SMALL)
        baseline = median_seconds(client, "/healthz", ROUNDS)
        small = median_seconds(client, queue, ROUNDS)
        with app.app_context():
            started = time.perf_counter()
            generate(TOTAL_CLAIMS - SMALL, approved=BATCH)
            made = time.perf_counter() - started
        big = median_seconds(client, queue, ROUNDS)
        search = median_seconds(client, queue + "?q=okafor&age=over_target", ROUNDS)
        baseline_again = median_seconds(client, "/healthz", ROUNDS)
        base = (baseline + baseline_again) / 2

        page = client.get("/payment-batches/new").get_data(as_text=True)
        token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)
        started = time.perf_counter()
        response = client.post("/payment-batches/new", data={"csrf_token": token, "scope": "all"})
        create = time.perf_counter() - started
        assert response.status_code == 302, f"batch not made: {response.status_code}"
        started = time.perf_counter()
        export = client.get(response.location + "/export.csv")
        csv_seconds = time.perf_counter() - started
        rows = export.get_data(as_text=True).count("\r\nCLAIM,")

        print(f"Claims benchmark (SQLite; {TOTAL_CLAIMS:,} claims generated in {made:.1f} s)")
        print(f"  /healthz (trivial page)           {base * 1000:8.2f} ms")
        print(f"  queue, {SMALL:,} claims               {small * 1000:8.2f} ms  {small / base:6.1f}× trivial")
        print(
            f"  queue, {TOTAL_CLAIMS:,} claims              {big * 1000:8.2f} ms  {big / base:6.1f}× trivial  "
            f"(growth {big / small:.2f}× for {TOTAL_CLAIMS // SMALL}× the rows)"
        )
        print(f"  queue search + age filter         {search * 1000:8.2f} ms  {search / base:6.1f}× trivial")
        print(f"  batch of {BATCH:,} claims: create  {create * 1000:8.1f} ms  {create / base:6.0f}× trivial")
        print(
            f"  batch CSV export ({rows:,} claim rows) {csv_seconds * 1000:8.1f} ms  {csv_seconds / base:6.0f}× trivial"
        )


if __name__ == "__main__":
    main()
