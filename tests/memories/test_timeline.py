"""The timeline: pages by date in either order, filters by tag and kind, year jumps, and "on this day"."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest

from portal.core.clock import today
from portal.core.db import db, utcnow
from portal.memories.models import APPROVED, PENDING, MemoryItem, MemoryItemTag
from portal.memories.queries import on_this_day
from tests.memories.conftest import signed_in


def _rows(box, count: int, start: date = date(2020, 1, 1)) -> None:
    for n in range(count):
        item = MemoryItem(
            child_id=box.child.id,
            kind="note" if n % 4 == 0 else "photo",
            title=f"Memory {n:03d}",
            body="words",
            memory_date=start + timedelta(days=7 * n),
            status=APPROVED,
            added_by_id=box.carer.id,
            approved_at=utcnow(),
            retain_until=date(2085, 5, 17),
        )
        if n % 4 == 0:
            item.tag_rows = [MemoryItemTag(tag="birthday")]
        db.session.add(item)
    db.session.commit()


def _walk(client, url: str) -> list[str]:
    seen = []
    while url:
        page = client.get(url)
        assert page.status_code == 200
        seen += re.findall(r'memories-card__title">(Memory \d+)<', page.text)
        found = re.search(r'href="([^"]+)" rel="next"', page.text)
        url = found.group(1).replace("&amp;", "&") if found else None
    return seen


def test_pages_cover_every_memory_once_in_either_order(app, box):
    _rows(box, 60)
    client = signed_in(app, box.carer)
    newest = _walk(client, f"/memory-box/{box.child.id}")
    assert newest == [f"Memory {n:03d}" for n in range(59, -1, -1)]
    oldest = _walk(client, f"/memory-box/{box.child.id}?order=oldest")
    assert oldest == [f"Memory {n:03d}" for n in range(60)]


def test_the_newer_link_goes_back_a_page(app, box):
    _rows(box, 60)
    client = signed_in(app, box.carer)
    first = client.get(f"/memory-box/{box.child.id}")
    second_url = re.search(r'href="([^"]+)" rel="next"', first.text).group(1).replace("&amp;", "&")
    second = client.get(second_url)
    back_url = re.search(r'href="([^"]+)" rel="prev"', second.text).group(1).replace("&amp;", "&")
    back = client.get(back_url)
    assert re.findall(r"Memory \d+", back.text) == re.findall(r"Memory \d+", first.text)
    assert 'rel="prev"' not in back.text


def test_filters_by_tag_and_kind_and_headings_by_month(app, box):
    _rows(box, 20)
    client = signed_in(app, box.carer)
    tagged = _walk(client, f"/memory-box/{box.child.id}?tag=birthday")
    assert tagged == [f"Memory {n:03d}" for n in (16, 12, 8, 4, 0)]
    notes = _walk(client, f"/memory-box/{box.child.id}?kind=note&order=oldest")
    assert notes == [f"Memory {n:03d}" for n in (0, 4, 8, 12, 16)]
    page = client.get(f"/memory-box/{box.child.id}?order=oldest")
    assert "January 2020" in page.text and "May 2020" in page.text
    assert "No memories match" in client.get(f"/memory-box/{box.child.id}?tag=school").text


def test_jumping_to_a_year_starts_the_page_there(app, box):
    _rows(box, 120)  # January 2020 to four months into 2022
    client = signed_in(app, box.carer)
    page = client.get(f"/memory-box/{box.child.id}")
    jump = re.search(r'href="([^"]+)">2020</a>', page.text).group(1).replace("&amp;", "&")
    landed = client.get(jump)
    assert "December 2020" in landed.text and "2021" not in "".join(
        re.findall(r'memories-month">([^<]+)<', landed.text)
    )


def test_the_first_year_s_link_is_the_box_s_first_page(app, box):
    _rows(box, 120)  # January 2020 to four months into 2022
    client = signed_in(app, box.carer)
    newest = client.get(f"/memory-box/{box.child.id}").text
    assert f'href="/memory-box/{box.child.id}">2022</a>' in newest
    oldest = client.get(f"/memory-box/{box.child.id}?order=oldest").text
    assert f'href="/memory-box/{box.child.id}?order=oldest">2020</a>' in oldest


def test_going_back_from_where_nothing_came_before_shows_the_first_page_not_an_empty_box(app, box):
    _rows(box, 30)
    client = signed_in(app, box.carer)
    for url in (
        f"/memory-box/{box.child.id}?before=2099-01-01.0",
        f"/memory-box/{box.child.id}?order=oldest&before=2000-01-01.0",
    ):
        page = client.get(url)
        assert page.status_code == 200
        assert "no memories in this box" not in page.text.lower()
        shown = re.findall(r"Memory \d+", page.text)
        assert shown[0] == ("Memory 029" if "oldest" not in url else "Memory 000")


def test_only_years_that_hold_memories_are_offered_to_jump_to(app, box):
    _rows(box, 3, start=date(2019, 6, 1))
    _rows(box, 2, start=date(2022, 3, 1))
    page = signed_in(app, box.carer).get(f"/memory-box/{box.child.id}")
    offered = re.findall(r'">(20\d\d)</a>', page.text)
    assert offered == ["2022", "2019"]


def test_the_years_offered_follow_what_the_reader_sees_across_new_year(app, box):
    from portal.memories.timeline import EVERYTHING, SHOWN, timeline

    def memory(day: date, **state) -> MemoryItem:
        return MemoryItem(
            child_id=box.child.id, kind="note", title=f"On {day}", body="words", memory_date=day,
            added_by_id=box.carer.id, retain_until=date(2085, 5, 17), **{"status": APPROVED, **state},
        )  # fmt: skip

    db.session.add_all(
        [
            memory(date(2020, 1, 1)),
            memory(date(2019, 12, 31)),
            memory(date(2018, 6, 1), hidden_at=utcnow()),  # the only memory of 2018, hidden
            memory(date(2017, 3, 3), status=PENDING),  # the only memory of 2017, waiting for approval
            *(memory(date(2016, 1, 1) + timedelta(days=n)) for n in range(40)),
        ]
    )
    db.session.commit()
    assert timeline(box.young_person, box.child.id, rule=SHOWN).years == [2020, 2019, 2016]
    assert timeline(box.ssw, box.child.id, rule=EVERYTHING).years == [2020, 2019, 2018, 2017, 2016]


@pytest.mark.sqlite_only
def test_the_years_are_found_by_seeking_the_timeline_index_not_by_grouping_the_box(app):
    from portal.memories.timeline import SHOWN, _years_stmt

    compiled = _years_stmt(SHOWN).compile(db.engine)
    values = compiled.construct_params({"child_id": 1, "reader_id": 1})
    plan = " | ".join(
        str(row[-1])
        for row in db.session.connection().exec_driver_sql(
            f"EXPLAIN QUERY PLAN {compiled}", tuple(values[name] for name in compiled.positiontup)
        )
    )
    assert "ix_memory_items_timeline (child_id=? AND memory_date<?)" in plan
    assert "GROUP BY" not in plan and "TEMP B-TREE" not in plan


def test_on_this_day_shows_earlier_years_of_the_carers_children_only(app, box):
    on = today()
    _rows(
        box, 1, start=on.replace(year=on.year - 2) if not (on.month == 2 and on.day == 29) else date(on.year - 2, 2, 28)
    )
    _rows(box, 1, start=on)  # today itself is not "an earlier year"
    found = on_this_day(box.carer, on)
    assert [i.title for i in found] == ["Memory 000"] and found[0].memory_date.year == on.year - 2
    assert on_this_day(box.social_worker, on) == []
    from flask import render_template_string

    with app.test_request_context():
        from flask_login import login_user

        login_user(box.carer)
        html = render_template_string('{% include "memories/_on_this_day.html" %}')
    assert "On this day" in html and "Memory 000" in html
