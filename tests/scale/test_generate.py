"""bench.generate: every feature's generator is found and run after those it needs; the data is what the demo's
scale says; a feature plugs in its own generator without a central list."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from bench import generate as volume
from portal.core.db import db
from portal.people.models import Child, Household


def test_each_features_generator_is_found_and_runs_after_the_people_it_needs(app):
    names = [g.name for g in volume.registered()]
    assert {"people", "records", "claims", "payments", "memories"} <= set(names)
    assert all(names.index("people") < names.index(n) for n in ("records", "claims", "payments", "memories"))


def test_scale_multiplies_the_demos_households_and_children(app):
    counts = volume.generate(2, db.session)
    db.session.commit()
    assert counts["households"] == 2 * volume.DEMO_HOUSEHOLDS
    assert db.session.scalar(select(func.count(Child.id))) == 2 * volume.DEMO_CHILDREN
    assert counts["log_entries"] > 0 and counts["claims"] > 0 and counts["memory_items"] > 0
    volume.generate(1, db.session)  # again: unique references and periods never collide
    db.session.commit()
    assert db.session.scalar(select(func.count(Household.id))) == 3 * volume.DEMO_HOUSEHOLDS


def test_a_feature_registers_its_own_generator(app, monkeypatch):
    monkeypatch.setattr(volume, "_REGISTRY", dict(volume._REGISTRY))
    seen = []

    @volume.generator("zz_training", after=("people",))
    def _training(v):
        seen.append(len(v.ids["households"]))

    volume.generate(1, db.session)
    assert seen == [volume.DEMO_HOUSEHOLDS]


def test_generators_that_wait_for_each_other_in_a_circle_are_refused(app, monkeypatch):
    monkeypatch.setattr(volume, "_REGISTRY", dict(volume._REGISTRY))
    volume.generator("aa", after=("bb",))(lambda v: None)
    volume.generator("bb", after=("aa",))(lambda v: None)
    with pytest.raises(ValueError, match="circle"):
        volume.registered()
