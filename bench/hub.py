"""Search over 1,000 information pages and the support-groups page with 200 groups, against a trivial page measured
in the same run: the accessibility statement, signed in (the layout, navigation and session, and nothing else);
/healthz (no layout, no session) is printed too. The same pages at demo size show how they grow.

`python -m bench.hub` (a throw-away SQLite copy of the demo service in a temporary directory; set
HEARTH_BENCH_DB to a PostgreSQL URL to run against PostgreSQL instead).
"""

from __future__ import annotations

import tempfile
import time
from datetime import date, timedelta
from datetime import time as clock_time
from pathlib import Path

from bench.in_process import make_app, median_seconds, sign_in

PAGES = 1_000
GROUPS = 200
ROUNDS = 40
WORDS = [
    "allowance",
    "fee",
    "mileage",
    "respite",
    "holiday",
    "birthday",
    "festival",
    "school",
    "health",
    "contact",
    "court",
    "training",
    "review",
    "supervision",
    "safeguarding",
    "allegation",
    "support",
    "placement",
    "kinship",
    "emergency",
    "handbook",
    "insurance",
    "passport",
]


def generate_pages(count: int) -> None:
    """`count` hub pages of about 400 words each, through the same service an admin uses."""
    import random

    from sqlalchemy import select

    from portal.auth.models import User
    from portal.core.db import db
    from portal.hub.models import Section
    from portal.hub.services import PageDetails, save_page

    admin = db.session.scalar(select(User).where(User.email == "admin@example.org"))
    rng = random.Random(count)
    sections = [s.value for s in Section]
    for n in range(count):
        words = " ".join(rng.choice(WORDS) for _ in range(400))
        body = f"# Part {n}\n\n{words}\n\n## More\n\n* {rng.choice(WORDS)}\n* {rng.choice(WORDS)}"
        details = PageDetails(
            sections[n % len(sections)], f"Guidance note {n}", "", body, n, (), admin.id, date.today(), 12
        )
        save_page(admin, None, details)


def generate_groups(count: int) -> None:
    from sqlalchemy import select

    from portal.core.db import db
    from portal.groups.models import GroupBreak, SupportGroup
    from portal.groups.services import index_group
    from portal.people.models import Locality

    localities = list(db.session.scalars(select(Locality)))
    for n in range(count):
        group = SupportGroup(
            name=f"Support group {n}",
            audience="all_carers",
            locality_id=localities[n % len(localities)].id,
            description="A friendly group.",
            venue_name="Community hall",
            venue_address=f"{n} High Street",
            rrule=("FREQ=MONTHLY;BYDAY=+2TU", "FREQ=WEEKLY;BYDAY=TH", "FREQ=WEEKLY;INTERVAL=2;BYDAY=MO")[n % 3],
            first_meeting=date.today() - timedelta(days=300),
            starts_at=clock_time(10),
            ends_at=clock_time(12),
            term_time_only=n % 2 == 0,
        )
        group.breaks = [
            GroupBreak(label="August", starts_on=date(2000, 8, 1), ends_on=date(2000, 8, 31), every_year=True)
        ]
        db.session.add(group)
        db.session.flush()
        index_group(group)
    db.session.commit()


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="hearth-bench-hub-") as tmp:
        app = make_app(Path(tmp))
        with app.app_context():
            from portal.demo import load_demo_data

            load_demo_data()
        client = app.test_client()
        sign_in(client, "carer@example.org")
        search = "/search?q=allowance+review"
        trivial = "/accessibility"
        baseline = median_seconds(client, trivial)
        health = median_seconds(client, "/healthz")
        small_search = median_seconds(client, search)
        small_groups = median_seconds(client, "/groups")
        with app.app_context():
            started = time.perf_counter()
            generate_pages(PAGES)
            generate_groups(GROUPS - 8)
            made = time.perf_counter() - started
            from sqlalchemy import text

            from portal.core.db import db

            if db.engine.dialect.name == "postgresql":
                # What autovacuum does after a bulk load, so the plans are those of a settled database.
                db.session.execute(text("ANALYZE"))
                db.session.commit()
        big_search = median_seconds(client, search)
        prefix_search = median_seconds(client, "/search?q=safegu")
        big_groups = median_seconds(client, "/groups")
        last_groups = median_seconds(client, "/groups?page=10")
        base = (baseline + median_seconds(client, trivial)) / 2

        print(
            f"Hub benchmark ({app.config['DATABASE_URL'].split(':')[0]}; {PAGES:,} pages and {GROUPS} groups made in {made:.1f} s)"
        )
        print(f"  /healthz (no layout, no session)     {health * 1000:8.2f} ms")
        print(f"  {trivial} (trivial page)        {base * 1000:8.2f} ms")
        print(
            f"  search, demo (15 pages)              {small_search * 1000:8.2f} ms  {small_search / base:6.1f}× trivial"
        )
        print(
            f"  search, {PAGES:,} pages                  {big_search * 1000:8.2f} ms  {big_search / base:6.1f}× trivial"
            f"  (growth {big_search / small_search:.2f}×)"
        )
        print(
            f"  search by a word's start, {PAGES:,} pages {prefix_search * 1000:8.2f} ms  {prefix_search / base:6.1f}× trivial"
        )
        print(
            f"  groups page, demo (8 groups)         {small_groups * 1000:8.2f} ms  {small_groups / base:6.1f}× trivial"
        )
        print(
            f"  groups page, {GROUPS} groups             {big_groups * 1000:8.2f} ms  {big_groups / base:6.1f}× trivial"
            f"  (growth {big_groups / small_groups:.2f}×)"
        )
        print(
            f"  groups page 10 of {GROUPS // 20}                  {last_groups * 1000:8.2f} ms  {last_groups / base:6.1f}× trivial"
        )


if __name__ == "__main__":
    main()
