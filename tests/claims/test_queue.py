"""The claims queue as business support pages and filters it: totals, scope, and filters that stay current."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from portal.claims.queue import queue_counts, queue_rows
from portal.claims.rules import Settings, working_days_between
from tests.claims.conftest import make_claim
from tests.factories import make_carer_household, make_locality
from tests.pages import text_of

S = Settings()


@pytest.mark.parametrize("status", ["", "submitted", "queried", "approved", "rejected", "paid"])
def test_a_page_totalled_from_the_summary_counts_as_many_as_counting_it(world, status):
    for _ in range(3):
        make_claim(world)
    counts = queue_counts(world.support)
    from_counts = queue_rows(world.support, S, 2, per_page=2, counts=counts, status=status)
    counted = queue_rows(world.support, S, 2, per_page=2, status=status)
    assert (from_counts.total, from_counts.number, from_counts.items) == (
        counted.total,
        counted.number,
        counted.items,
    )


def test_the_queue_read_as_a_carer_holds_only_their_households_claims(world):
    ours = make_claim(world)
    other_carer, other_household = make_carer_household()
    theirs = make_claim(world, carer=other_carer, household=other_household)
    shown = {row.id for row in queue_rows(world.carer, S).items}
    assert ours.id in shown and theirs.id not in shown
    assert {ours.id, theirs.id} <= {row.id for row in queue_rows(world.support, S).items}


def test_the_filters_offer_a_locality_added_after_the_queue_was_shown(client, world):
    client.sign_in(world.support)
    assert "Riverside" not in client.get("/claims/queue").text
    make_locality("Riverside")
    page = client.get("/claims/queue")
    assert '">Riverside</option>' in page.text
    assert "Riverside" in text_of(client.get("/claims/queue?page=2"))


def test_the_queue_shows_each_claims_age_and_link(client, world):
    claim = make_claim(world)
    client.sign_in(world.support)
    page = client.get("/claims/queue")
    assert f'href="/claims/{claim.id}">{claim.number}</a>' in page.text
    assert f"0 of {S.target_working_days} working days" in text_of(page)


def test_working_days_between_counts_mondays_to_fridays_after_the_start():
    start = date(2024, 12, 23)  # a Monday; the days run over a new year and a leap day
    for offset in range(7):
        first = start + timedelta(days=offset)
        for length in range(-3, 80):
            last = first + timedelta(days=length)
            walked = sum((first + timedelta(days=i)).weekday() < 5 for i in range(1, length + 1))
            assert working_days_between(first, last) == walked, (first, last)


@pytest.mark.parametrize("who", ["support", "carer"])
def test_a_filtered_queue_counts_up_to_the_cap_and_still_pages_to_the_end(world, monkeypatch, who):
    monkeypatch.setattr("portal.claims.queue.COUNT_CAP", 3)
    claims = [make_claim(world) for _ in range(5)]
    name = world.carer.full_name.split()[0]
    reader = getattr(world, who)
    first = queue_rows(reader, S, 1, per_page=2, search=name)
    assert (first.more, first.total, first.next_exists) == (True, 3, True)
    assert [row.id for row in first.items] == [c.id for c in claims[:2]]
    second = queue_rows(reader, S, 2, per_page=2, search=name)
    assert second.more and second.next_exists and [row.id for row in second.items] == [c.id for c in claims[2:4]]
    last = queue_rows(reader, S, 3, per_page=2, search=name)
    assert last.more and not last.next_exists and [row.id for row in last.items] == [claims[4].id]
    beyond = queue_rows(reader, S, 9, per_page=2, search=name)  # typed by hand: the last page, counted in full
    assert (beyond.more, beyond.total, beyond.number) == (False, 5, 3)
    assert queue_rows(reader, S, 1, per_page=2, search="nobody-is-called-this").total == 0


def test_the_queue_page_says_more_than_the_cap(client, world, monkeypatch):
    monkeypatch.setattr("portal.claims.queue.COUNT_CAP", 3)
    for _ in range(5):
        make_claim(world)
    client.sign_in(world.support)
    text = text_of(client.get(f"/claims/queue?q={world.carer.full_name.split()[0]}"))
    assert "of more than 3 claims" in text


def test_the_unfiltered_queue_keeps_its_exact_total_past_the_cap(world, monkeypatch):
    monkeypatch.setattr("portal.claims.queue.COUNT_CAP", 3)
    for _ in range(5):
        make_claim(world)
    page = queue_rows(world.support, S, 1, per_page=2, counts=queue_counts(world.support))
    assert (page.more, page.total, page.pages) == (False, 5, 3)
