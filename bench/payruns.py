"""A pay run for 5,000 households and 8,000 children: engine alone, and create + preview + confirm on a real database,
against a trivial page (the sign-in page) measured in the same run.

`python -m bench.payruns` (SQLite in a temporary directory; set BENCH_DB to a PostgreSQL URL to use that instead).
"""

from __future__ import annotations

import os
import random
import statistics
import tempfile
import time
from datetime import date, timedelta

HOUSEHOLDS, CHILDREN = 5_000, 8_000


def _timed(fn) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def main() -> None:
    os.environ.setdefault("HEARTH_ENV", "test")
    from portal.core.security import use_fast_hashing_for_tests

    use_fast_hashing_for_tests()
    from portal.app import create_app
    from portal.auth.roles import Role
    from portal.cli import migrate_to_head
    from portal.core.clock import today
    from portal.core.db import db
    from portal.payments import runs
    from portal.payments.defaults import seed_payment_rates
    from portal.payments.engine import compute_run
    from portal.payments.inputs import build_input
    from portal.payments.models import PaymentRate
    from portal.people.models import Child, Household, Locality, Placement
    from tests.factories import make_user

    tmp = tempfile.mkdtemp()
    url = os.environ.get("BENCH_DB") or f"sqlite:///{tmp}/bench.db"
    migrate_to_head(url)
    app = create_app(
        {
            "HEARTH_ENV": "test",
            "DATABASE_URL": url,
            "VAR_DIR": tmp,
            "SECRET_KEY": "bench-" + "x" * 40,
            "MAIL_BACKEND": "file",
        }
    )
    with app.app_context():
        on = today()
        start = on - timedelta(days=on.weekday() + 14)
        seed_payment_rates("rest_of_england", start, "fortnightly")
        year = on.year if on >= date(on.year, 4, 1) else on.year - 1
        for band, amount in zip(("0-2", "3-4", "5-10", "11-15", "16-17"), (175, 181, 200, 227, 266)):
            db.session.add(
                PaymentRate(
                    kind="allowance",
                    code=band,
                    region="rest_of_england",
                    amount_pence=amount * 100,
                    effective_from=date(year, 4, 1),
                    effective_to=date(year + 1, 3, 31),
                    source="bench",
                )
            )
        rnd = random.Random(7)
        loc = Locality(name="Bench")
        households = [
            Household(name=f"H{i}", reference=f"B-{i}", carer_type="mainstream", locality=loc)
            for i in range(HOUSEHOLDS)
        ]
        db.session.add_all(households)
        db.session.flush()
        rows = []
        for i in range(CHILDREN):
            child = Child(
                first_name=f"C{i}",
                last_name="B",
                case_reference=f"BC-{i}",
                date_of_birth=on - timedelta(days=rnd.randint(100, 365 * 17)),
            )
            rows.append(child)
        db.session.add_all(rows)
        db.session.flush()
        db.session.add_all(
            [
                Placement(
                    child_id=c.id,
                    household_id=households[i % HOUSEHOLDS].id,
                    start_date=start - timedelta(days=rnd.randint(-10, 400)),
                    placement_type="long_term",
                )
                for i, c in enumerate(rows)
            ]
        )
        db.session.commit()
        support = make_user(Role.BUSINESS_SUPPORT, email="bench-support@example.org")
        client = app.test_client()
        baseline = statistics.median(_timed(lambda: client.get("/sign-in")) for _ in range(20))
        s, e = runs.next_period()
        load = _timed(lambda: build_input(s, e))
        inp = build_input(s, e)
        engine = _timed(lambda: compute_run(inp))
        holder = {}
        create = _timed(lambda: holder.setdefault("run", runs.create_pay_run(support)))
        run = holder["run"]
        seen = runs.fingerprint(runs.preview(run))
        confirm = _timed(lambda: runs.confirm_pay_run(support, run, seen))
        print(f"pay run for {HOUSEHOLDS:,} households and {CHILDREN:,} children ({db.dialect})")
        print(f"  trivial page (baseline): {baseline * 1000:8.1f} ms")
        for name, secs in (
            ("load inputs", load),
            ("engine only", engine),
            ("create (checks rates)", create),
            ("confirm (recompute + store)", confirm),
        ):
            print(f"  {name:28s} {secs:8.2f} s   {secs / baseline:10.0f} × baseline")
        print(f"  total {run.total_pence / 100:,.2f} pounds to {run.household_count:,} households")


if __name__ == "__main__":
    main()
