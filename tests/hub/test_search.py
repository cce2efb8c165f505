"""One search over hub pages, groups and newsletters, on SQLite (FTS5) and PostgreSQL (full-text search) alike."""

from __future__ import annotations

from portal.auth.roles import Role
from portal.core.db import db
from portal.core.search import SearchEntry, index_entry, remove_entry, search
from portal.core.unit_of_work import unit_of_work
from tests.factories import make_locality, make_user
from tests.groups.helpers import make_group
from tests.hub.helpers import make_page
from tests.pages import text_of


def test_search_finds_pages_groups_and_newsletters_best_first(client):
    make_page("Allowances explained", "# Allowances\n\nThe weekly allowance for each child, and birthday payments.")
    make_page("What to do in an emergency", "Call 999, then the out-of-hours team.", section="emergency")
    make_group(
        make_locality("Riverside"), make_user(Role.GROUP_COORDINATOR), name="Kinship carers' circle", audience="kinship"
    )
    with unit_of_work():
        index_entry(
            "newsletters",
            1,
            title="Winter newsletter",
            body="Allowance rises and a new support group",
            href="/newsletters#newsletter-1",
        )
    client.sign_in(make_user(Role.CARER))
    page = text_of(client.get("/search?q=allowance"))
    assert page.index("Allowances explained") < page.index("Winter newsletter")
    assert "What to do in an emergency" not in page
    assert "Kinship carers' circle" in text_of(client.get("/search?q=kinship"))
    assert "Support group" in text_of(client.get("/search?q=kinsh"))  # the start of a word finds it


def test_what_people_type_is_never_query_syntax(client):
    make_page("Holidays", "Taking children on holiday abroad.")
    client.sign_in(make_user(Role.CARER))
    for hostile in [
        '"',
        "holi*day OR",
        "NEAR(a b)",
        "');DROP TABLE search_entries;--",
        "a:b & | ! (",
        "\u00e9t\u00e9",
        "x" * 500,
    ]:
        response = client.get("/search", query_string={"q": hostile})
        assert response.status_code == 200, hostile
    assert "Holidays" in text_of(client.get("/search?q=holiday+abroad"))


def test_groups_are_not_found_by_people_who_cannot_see_groups(client):
    make_group(make_locality(), make_user(Role.GROUP_COORDINATOR), name="Walk and talk Wednesdays")
    young = make_user(Role.YOUNG_PERSON)
    results, _more = search(young, "walk")
    assert results == []
    results, _more = search(make_user(Role.CARER), "walk")
    assert [r.title for r in results] == ["Walk and talk Wednesdays"]


def test_changed_and_removed_entries_are_found_as_they_are_now(app):
    with unit_of_work():
        index_entry("hub", 1, title="Old title", body="nothing", href="/information/1")
    with unit_of_work():
        index_entry("hub", 1, title="Respite care", body="short breaks", href="/information/1")
    carer = make_user(Role.CARER)
    assert search(carer, "old")[0] == [] and [r.title for r in search(carer, "respite")[0]] == ["Respite care"]
    with unit_of_work():
        remove_entry("hub", 1)
    assert search(carer, "respite")[0] == []
    assert db.session.query(SearchEntry).count() == 0


def test_results_come_a_page_at_a_time(app):
    with unit_of_work():
        for n in range(45):
            index_entry("hub", n, title=f"Training course {n}", body="first aid training", href=f"/information/{n}")
    carer = make_user(Role.CARER)
    first, more = search(carer, "training")
    third, last_more = search(carer, "training", page=3)
    assert len(first) == 20 and more and len(third) == 5 and not last_more
