"""Choosing a household or child by typing: suggestions scoped to the person, and typed text read back without
JavaScript (a label, a reference, a unique part of a name), with a message beside the field otherwise."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from portal.auth.roles import Role
from portal.core.db import db
from portal.people.lookups import (
    NoSuchChild,
    NoSuchHousehold,
    _contains,
    find_children,
    find_households,
    resolve_child,
    resolve_household,
)
from portal.people.models import Household
from tests.factories import make_child, make_household, make_user, place
from tests.pages import text_of


def test_a_household_is_read_back_from_its_label_reference_or_a_unique_part_of_its_name(app):
    admin = make_user(Role.ADMIN)
    rowan = make_household(name="Rowan household")
    make_household(name="Hazel household")
    assert resolve_household(admin, f"Rowan household ({rowan.reference})") == rowan
    assert resolve_household(admin, rowan.reference.lower()) == rowan
    assert resolve_household(admin, "rowan") == rowan
    assert resolve_household(admin, str(rowan.id)) == rowan


def test_a_household_name_that_fits_several_or_none_asks_for_the_reference(app):
    admin = make_user(Role.ADMIN)
    make_household(name="Rowan household")
    make_household(name="Hazel household")
    with pytest.raises(NoSuchHousehold, match="More than one household matches"):
        resolve_household(admin, "household")
    with pytest.raises(NoSuchHousehold, match="No household"):
        resolve_household(admin, "Birch")
    with pytest.raises(NoSuchHousehold, match="Enter the household"):
        resolve_household(admin, "  ")


def test_a_household_someone_may_not_see_is_never_found_for_them(app):
    ssw = make_user(Role.SSW)
    mine = make_household(ssw=ssw, name="Mine household")
    theirs = make_household(ssw=make_user(Role.SSW), name="Theirs household")
    assert resolve_household(ssw, mine.reference) == mine
    for text in (theirs.reference, str(theirs.id), "Theirs"):
        with pytest.raises(NoSuchHousehold):
            resolve_household(ssw, text)


def test_suggestions_are_a_few_labels_of_matching_households(client):
    for n in range(15):
        make_household(name=f"Willow {n:02d} household")
    make_household(name="Oak household")
    client.sign_in(make_user(Role.BUSINESS_SUPPORT))
    response = client.get("/lookups/households?q=willow")
    labels = response.get_json()
    assert response.headers["Cache-Control"] == "no-store"
    assert len(labels) == 10 and all(label.startswith("Willow") for label in labels)
    assert client.get("/lookups/households?q=").get_json() == []


def test_a_child_is_read_back_by_case_reference_or_name_only_within_what_the_person_sees(app):
    sw = make_user(Role.CHILD_SW)
    ollie = make_child(social_worker=sw, first_name="Ollie")
    other = make_child(first_name="Wren")
    assert resolve_child(sw, f"Ollie Test ({ollie.case_reference})") == ollie
    assert resolve_child(sw, "ollie test") == ollie
    with pytest.raises(NoSuchChild):
        resolve_child(sw, other.case_reference)


def test_a_child_suggestions_name_only_the_carers_own_children(client):
    carer = make_user(Role.CARER)
    household = make_household(carer)
    place(make_child(first_name="Millie"), household)
    make_child(first_name="Milo")
    client.sign_in(carer)
    labels = client.get("/lookups/children?q=mil").get_json()
    assert len(labels) == 1 and labels[0].startswith("Millie")


def test_an_admin_places_a_child_by_typing_the_households_reference_without_javascript(client):
    admin = make_user(Role.ADMIN)
    child = make_child(first_name="Ivy")
    household = make_household(name="Rowan household")
    make_household(name="Rowan Lodge household")
    client.sign_in(admin)
    form = {"placement_type": "long_term", "start_date-day": "1", "start_date-month": "2", "start_date-year": "2025"}
    ambiguous = client.submit(f"/children/{child.id}/placements/new", {**form, "household_id": "Rowan"})
    assert ambiguous.status_code == 200
    assert "More than one household matches ‘Rowan’" in text_of(ambiguous)
    assert 'value="Rowan"' in ambiguous.text  # nothing typed is lost
    placed = client.submit(f"/children/{child.id}/placements/new", {**form, "household_id": household.reference})
    assert placed.status_code == 302
    assert "Ivy Test is placed with the Rowan household" in text_of(client.get(placed.location))


def test_an_admin_finds_a_households_payment_terms_by_typing(client):
    admin = make_user(Role.ADMIN)
    household = make_household(name="Rowan household")
    make_household(name="Rowan Lodge household")
    client.sign_in(admin)
    found = client.get(f"/payment-rates?household={household.reference}")
    assert found.status_code == 302 and found.location.endswith(f"/households/{household.id}/payment-terms")
    several = client.get("/payment-rates?household=Rowan")
    assert "More than one household matches" in text_of(several)
    assert f"/households/{household.id}/payment-terms" in several.text


def test_with_many_applicants_the_carer_is_typed_and_read_back_by_email(client):
    from tests.factories import make_locality

    applicants = [
        make_user(Role.APPLICANT, name=f"Applicant {n:02d}", email=f"applicant{n:02d}@example.org") for n in range(25)
    ]
    client.sign_in(make_user(Role.ADMIN))
    page = client.get("/households/new")
    assert 'data-lookup="/lookups/people/carers"' in page.text and "Applicant 24" not in page.text
    chosen = applicants[7]
    response = client.submit(
        "/households/new",
        {
            "name": "Typed household",
            "reference": "FH-TYPED",
            "carer_1": f"{chosen.full_name} ({chosen.email})",
            "carer_type": "mainstream",
            "locality_id": str(make_locality().id),
        },
    )
    assert response.status_code == 302
    assert "Applicant 07" in text_of(client.get(response.location))
    # Once in a household, a carer is no longer offered for another.
    assert client.get("/lookups/people/carers?q=applicant 07").get_json() == []
    assert client.get("/lookups/people/carers?q=applicant 08").get_json() == [f"Applicant 08 ({applicants[8].email})"]


def test_one_or_two_letters_find_the_start_of_a_word_and_more_find_any_part(app):
    admin = make_user(Role.ADMIN)
    make_household(name="Rowan household")
    assert [h.name for h in find_households(admin, "ho")] == ["Rowan household"]  # the start of a word
    assert find_households(admin, "ow") == []  # two letters inside a word: not yet
    assert [h.name for h in find_households(admin, "owa")] == ["Rowan household"]  # three: anywhere


@pytest.mark.postgres_only  # trigram indexes are PostgreSQL's (migration 0020); SQLite scans
@pytest.mark.parametrize("typed", ["rowan", "ro"])
def test_on_postgresql_a_name_search_can_be_answered_from_the_trigram_indexes(app, typed):
    admin = make_user(Role.ADMIN)
    make_household(name="Rowan household")
    stmt = select(Household).where(_contains(Household.name, typed))
    compiled = stmt.compile(db.engine)
    conn = db.session.connection()
    # A test's few rows would be scanned whatever the indexes: with scans off, only an index the search can use is left.
    conn.exec_driver_sql("SET LOCAL enable_seqscan = off")
    conn.exec_driver_sql("SET LOCAL enable_indexscan = off")
    plan = "\n".join(r[0] for r in conn.exec_driver_sql(f"EXPLAIN {compiled}", compiled.params))
    assert "ix_trgm_households_name" in plan
    assert [h.name for h in find_households(admin, typed)] == ["Rowan household"]


def test_a_child_is_found_by_the_names_they_have_now(app):
    # On SQLite a trigram index kept by triggers finds the children (migration 0022): it follows every change.
    admin = make_user(Role.ADMIN)
    child = make_child(first_name="Juniper")
    make_child(first_name="Hazel")
    assert [c.first_name for c in find_children(admin, "nipe")] == ["Juniper"]
    child.first_name, child.preferred_name = "Rosalind", "Roz"
    db.session.commit()
    assert find_children(admin, "nipe") == []
    assert [c.first_name for c in find_children(admin, "Roz")] == ["Rosalind"]
    assert [c.first_name for c in find_children(admin, "rosa TEST")] == ["Rosalind"]
    db.session.delete(child)
    db.session.commit()
    assert find_children(admin, "Roz") == [] and len(find_children(admin, "test")) == 1


def test_who_may_see_a_child_in_a_search_follows_the_current_placement(app):
    ssw, carer, sw = make_user(Role.SSW), make_user(Role.CARER), make_user(Role.CHILD_SW)
    household = make_household(carer, ssw=ssw)
    placed, elsewhere = make_child(first_name="Linden", social_worker=sw), make_child(first_name="Lindsay")
    place(placed, household)
    for person in (ssw, carer):
        assert [c.first_name for c in find_children(person, "lind")] == ["Linden"]
    assert [h.id for h in find_households(sw, "household")] == [household.id]
    assert [c.first_name for c in find_children(make_user(Role.ADMIN), "lind")] == ["Linden", "Lindsay"]
    assert elsewhere.id not in {c.id for c in find_children(sw, "lind")}
