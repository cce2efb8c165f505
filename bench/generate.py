"""Realistic data at 1×, 10× and 100× the demo service, inserted in bulk (SQLAlchemy Core) on SQLite or PostgreSQL.

The demo holds 12 households and 20 children; scale s adds 12·s households (one or two carers each), 20·s children
with placement histories, and what their carers and staff write over time: log entries, household documents, claims,
confirmed pay runs and memory items. Each feature's data comes from a generator in `bench/generators/<feature>.py`,
registered with `@generator(name, after=(...))` and found by walking that package, so a new feature adds its own file
and nothing else changes.

`Anchors` name existing people (a world built by tests, or the demo's own accounts) whose pages must grow with the
scale: the anchored supervising social worker gets a third of the new households, the anchored child's social worker
a third of the new children, and the anchored household and child get s times their share of history.

    python -m bench.generate 10             # into the database of DATABASE_URL (migrated), anchored to the demo
    generate(scale, db.session, anchors)    # from tests and other benchmarks; returns the rows added per table
"""

from __future__ import annotations

import importlib
import pkgutil
import random
import sys
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import insert
from sqlalchemy.orm import Session

from portal.core.clock import today

DEMO_HOUSEHOLDS, DEMO_CHILDREN = 12, 20


@dataclass(frozen=True)
class Anchors:
    """Ids of existing rows that generated data gathers around (any may be None)."""

    household_id: int | None = None  # a carer's household: more children placed, claims, documents, payments
    child_id: int | None = None  # a child placed in that household: log entries and memory items
    carer_id: int | None = None  # a carer of that household, the author of its history
    ssw_id: int | None = None  # gets a third of the new households
    child_sw_id: int | None = None  # gets a third of the new children


@dataclass
class Volume:
    """What generators share: the session, the scale, a seeded random source and the ids made so far."""

    session: Session
    scale: int
    anchors: Anchors
    rnd: random.Random
    tag: str  # makes unique columns (emails, references) unique across repeated runs
    on: date = field(default_factory=today)
    ids: dict[str, list[int]] = field(default_factory=dict)
    counts: dict[str, int] = field(default_factory=dict)

    def insert(self, model, rows: list[dict]) -> list[int]:
        """Insert `rows` into `model`'s table in one statement per batch; returns the new ids in order."""
        if not rows:
            return []
        table = model.__table__
        self.counts[table.name] = self.counts.get(table.name, 0) + len(rows)
        ids: list[int] = []
        for start in range(0, len(rows), 5_000):
            chunk = rows[start : start + 5_000]
            if "id" in table.c:
                stmt = insert(table).returning(table.c.id, sort_by_parameter_order=True)
                ids.extend(self.session.execute(stmt, chunk).scalars().all())
            else:
                self.session.execute(insert(table), chunk)
        return ids

    def many(self, base: int) -> int:
        """`base` items at 1×, scaled."""
        return base * self.scale


@dataclass(frozen=True)
class Generator:
    name: str
    run: Callable[[Volume], None]
    after: tuple[str, ...]


_REGISTRY: dict[str, Generator] = {}


def generator(name: str, after: Iterable[str] = ()) -> Callable:
    """Register `fn(volume)` as the generator of `name`, run after the generators named in `after`."""

    def register(fn: Callable[[Volume], None]) -> Callable[[Volume], None]:
        _REGISTRY[name] = Generator(name, fn, tuple(after))
        return fn

    return register


def registered() -> list[Generator]:
    """Every generator found in bench/generators, each after those it depends on."""
    package = importlib.import_module("bench.generators")
    for info in pkgutil.iter_modules(package.__path__):
        importlib.import_module(f"bench.generators.{info.name}")
    ordered: list[Generator] = []
    done: set[str] = set()

    def visit(gen: Generator, path: tuple[str, ...]) -> None:
        if gen.name in done:
            return
        if gen.name in path:
            raise ValueError(f"generators depend on each other in a circle: {' -> '.join((*path, gen.name))}")
        for name in gen.after:
            if name not in _REGISTRY:
                raise ValueError(f"generator {gen.name!r} runs after {name!r}, which is not registered")
            visit(_REGISTRY[name], (*path, gen.name))
        done.add(gen.name)
        ordered.append(gen)

    for gen in sorted(_REGISTRY.values(), key=lambda g: g.name):
        visit(gen, ())
    return ordered


def generate(scale: int, session: Session, anchors: Anchors | None = None, *, seed: int = 7) -> dict[str, int]:
    """Add `scale` times the demo's volume to the database behind `session` and flush; returns rows per table.

    The caller commits (tests keep the transaction of their app context; the command line commits at the end).
    """
    if scale < 1:
        raise ValueError("scale is a whole number of at least 1")
    volume = Volume(session, scale, anchors or Anchors(), random.Random(seed + scale), uuid.uuid4().hex[:6])
    for gen in registered():
        gen.run(volume)
    session.flush()
    return volume.counts


def demo_anchors(session: Session) -> Anchors:
    """The demo's carer, their household and eldest child placed there, its SSW and the children's social worker."""
    from sqlalchemy import select

    from portal.auth.models import User
    from portal.people.models import HouseholdMember, Placement

    def user_id(email: str) -> int | None:
        return session.scalar(select(User.id).where(User.email == email))

    carer = user_id("carer@example.org")
    household = session.scalar(select(HouseholdMember.household_id).where(HouseholdMember.user_id == carer))
    child = session.scalar(
        select(Placement.child_id)
        .where(Placement.household_id == household, Placement.end_date.is_(None))
        .order_by(Placement.child_id)
    )
    return Anchors(household, child, carer, user_id("ssw@example.org"), user_id("socialworker@example.org"))


def main(argv: list[str]) -> None:
    from portal.app import create_app
    from portal.core.db import db

    scale = int(argv[0]) if argv else 1
    app = create_app()
    with app.app_context():
        counts = generate(scale, db.session, demo_anchors(db.session))
        db.session.commit()
    for table, n in sorted(counts.items()):
        print(f"{table:28} {n:>9,}")


if __name__ == "__main__":
    main(sys.argv[1:])
