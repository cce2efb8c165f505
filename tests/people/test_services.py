"""The rules for households, children and placements, and what the audit trail records about each change."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from portal.auth.roles import Role
from portal.core.audit import AuditEvent
from portal.core.clock import today
from portal.core.db import db
from portal.people import placements, services
from portal.people.models import HouseholdMember, Placement
from portal.people.services import PeopleRuleError
from tests.factories import make_child, make_household, make_locality, make_user, place


@pytest.fixture
def admin(app):
    return make_user(Role.ADMIN)


def _events(action: str) -> list[AuditEvent]:
    return list(db.session.scalars(select(AuditEvent).where(AuditEvent.action == action).order_by(AuditEvent.id)))


def _household_fields(**overrides) -> dict:
    fields = {
        "name": "Rivers household",
        "reference": "FH-9001",
        "carer_ids": [make_user(Role.CARER).id],
        "carer_type": "mainstream",
        "locality_id": make_locality().id,
        "approval_date": today() - timedelta(days=90),
        "ssw_id": make_user(Role.SSW).id,
    }
    fields.update(overrides)
    return fields


# Placements: half-open intervals [start, end)


def test_adjacent_placements_are_allowed_because_the_move_day_belongs_to_the_new_home(admin):
    child = make_child(born=today() - timedelta(days=3000))
    first, second = make_household(), make_household()
    a, b = today() - timedelta(days=200), today() - timedelta(days=100)
    placements.add_placement(admin, child, household_id=first.id, start_date=a, end_date=b, placement_type="short_term")
    later = placements.add_placement(
        admin, child, household_id=second.id, start_date=b, end_date=None, placement_type="long_term"
    )
    assert later.id and len(child.placements) == 2


def test_a_second_open_placement_is_refused_naming_the_clash(admin):
    child = make_child()
    current = make_household(name="Oak household")
    place(child, current, start=today() - timedelta(days=30))
    with pytest.raises(PeopleRuleError) as refused:
        placements.add_placement(
            admin,
            child,
            household_id=make_household().id,
            start_date=today(),
            end_date=None,
            placement_type="emergency",
        )
    assert refused.value.field == "start_date"
    assert "Oak household" in refused.value.message and "no end date" in refused.value.message
    assert db.session.scalar(select(Placement).where(Placement.start_date == today())) is None


def test_overlapping_dated_placements_are_refused(admin):
    child = make_child(born=today() - timedelta(days=3000))
    place(child, make_household(), start=today() - timedelta(days=100), end=today() - timedelta(days=50))
    with pytest.raises(PeopleRuleError, match="already placed"):
        placements.add_placement(
            admin,
            child,
            household_id=make_household().id,
            start_date=today() - timedelta(days=120),
            end_date=today() - timedelta(days=99),
            placement_type="short_term",
        )


def test_a_placement_may_fill_the_gap_between_two_others(admin):
    child = make_child(born=today() - timedelta(days=3000))
    place(child, make_household(), start=today() - timedelta(days=300), end=today() - timedelta(days=200))
    place(child, make_household(), start=today() - timedelta(days=100))
    gap = placements.add_placement(
        admin,
        child,
        household_id=make_household().id,
        start_date=today() - timedelta(days=200),
        end_date=today() - timedelta(days=100),
        placement_type="short_term",
    )
    assert gap.end_date == today() - timedelta(days=100)


@pytest.mark.parametrize("days_after_start", [0, -5])
def test_an_end_date_on_or_before_the_start_is_refused(admin, days_after_start):
    child = make_child()
    start = today() - timedelta(days=20)
    with pytest.raises(PeopleRuleError) as refused:
        placements.add_placement(
            admin,
            child,
            household_id=make_household().id,
            start_date=start,
            end_date=start + timedelta(days=days_after_start),
            placement_type="short_term",
        )
    assert refused.value.field == "end_date"


def test_a_placement_cannot_start_before_the_child_was_born(admin):
    child = make_child(born=today() - timedelta(days=10))
    with pytest.raises(PeopleRuleError, match="date of birth"):
        placements.add_placement(
            admin,
            child,
            household_id=make_household().id,
            start_date=today() - timedelta(days=11),
            end_date=None,
            placement_type="emergency",
        )


def test_children_cannot_be_placed_now_with_a_household_on_hold(admin):
    with pytest.raises(PeopleRuleError) as refused:
        placements.add_placement(
            admin,
            make_child(),
            household_id=make_household(status="on_hold").id,
            start_date=today(),
            end_date=None,
            placement_type="emergency",
        )
    assert refused.value.field == "household_id" and "on hold" in refused.value.message


def test_correcting_a_placement_does_not_clash_with_itself_but_does_with_others(admin):
    child = make_child(born=today() - timedelta(days=3000))
    h1, h2 = make_household(), make_household()
    old = place(child, h1, start=today() - timedelta(days=200), end=today() - timedelta(days=100))
    place(child, h2, start=today() - timedelta(days=100))
    assert placements.change_placement(
        admin,
        old,
        household_id=h1.id,
        start_date=today() - timedelta(days=210),
        end_date=today() - timedelta(days=100),
        placement_type="long_term",
    ) == ["start_date"]
    with pytest.raises(PeopleRuleError, match=h2.name):
        placements.change_placement(
            admin,
            old,
            household_id=h1.id,
            start_date=today() - timedelta(days=210),
            end_date=None,
            placement_type="short_term",
        )
    assert [e.detail for e in _events("placement_changed")] == [{"fields": ["start_date"]}]


def test_ending_a_placement_records_the_move_out_day_and_is_audited(admin):
    child, household = make_child(), make_household()
    placement = place(child, household, start=today() - timedelta(days=30))
    placements.end_placement(admin, placement, today())
    assert placement.end_date == today() and not placement.is_current(today())
    [event] = _events("placement_ended")
    assert event.actor_id == admin.id and event.detail == {"child_id": child.id, "household_id": household.id}


@pytest.mark.parametrize(
    "end, message",
    [
        (lambda p: today() + timedelta(days=1), "today or in the past"),
        (lambda p: p.start_date, "after the placement started"),
        (lambda p: None, "Enter the date"),
    ],
)
def test_ending_a_placement_refuses_impossible_dates(admin, end, message):
    placement = place(make_child(), make_household(), start=today() - timedelta(days=30))
    with pytest.raises(PeopleRuleError, match=message):
        placements.end_placement(admin, placement, end(placement))
    assert placement.end_date is None


def test_a_placement_that_has_ended_cannot_be_ended_again(admin):
    placement = place(
        make_child(), make_household(), start=today() - timedelta(days=30), end=today() - timedelta(days=2)
    )
    with pytest.raises(PeopleRuleError, match="already ended"):
        placements.end_placement(admin, placement, today())


# Households


def test_a_household_is_created_with_its_carers_and_audited_without_personal_values(admin):
    fields = _household_fields()
    household = services.add_household(admin, **fields)
    assert [c.id for c in household.carers] == fields["carer_ids"] and household.status == "active"
    [event] = _events("household_created")
    assert event.object_id == str(household.id) and event.detail == {"carers": 1}
    assert "Rivers" not in str(event.detail)


def test_a_third_carer_is_refused(admin):
    carers = [make_user(Role.CARER).id for _ in range(3)]
    with pytest.raises(PeopleRuleError) as refused:
        services.add_household(admin, **_household_fields(carer_ids=carers))
    assert "one or two carers" in refused.value.message
    assert db.session.scalar(select(HouseholdMember.id)) is None


def test_a_carer_already_in_another_household_is_refused_by_name(admin):
    carer = make_user(Role.CARER, name="Sam Lake")
    make_household(carer, name="Elm household")
    with pytest.raises(PeopleRuleError) as refused:
        services.add_household(admin, **_household_fields(carer_ids=[carer.id]))
    assert refused.value.field == "carer_1" and "Elm household" in refused.value.message


def test_only_carers_or_applicants_can_be_linked_to_a_household(admin):
    with pytest.raises(PeopleRuleError, match="carer or an applicant"):
        services.add_household(admin, **_household_fields(carer_ids=[make_user(Role.SSW).id]))
    household = services.add_household(admin, **_household_fields(carer_ids=[make_user(Role.APPLICANT).id]))
    assert household.id


def test_the_supervising_social_worker_must_hold_that_role(admin):
    with pytest.raises(PeopleRuleError) as refused:
        services.add_household(admin, **_household_fields(ssw_id=make_user(Role.CHILD_SW).id))
    assert refused.value.field == "ssw_id"


def test_household_references_are_unique_whatever_the_case(admin):
    services.add_household(admin, **_household_fields(reference="FH-7"))
    with pytest.raises(PeopleRuleError, match="already has the reference"):
        services.add_household(admin, **_household_fields(reference="fh-7"))


def _change(admin, household, **overrides):
    fields = {
        "name": household.name,
        "reference": household.reference,
        "carer_ids": [m.user_id for m in household.members],
        "carer_type": household.carer_type,
        "locality_id": household.locality_id,
        "approval_date": household.approval_date,
        "ssw_id": household.ssw_id,
        "status": household.status,
    }
    fields.update(overrides)
    return services.change_household(admin, household, **fields)


def test_changing_a_household_audits_the_names_of_the_fields_changed(admin):
    household = make_household(make_user(Role.CARER))
    second = make_user(Role.CARER)
    changed = _change(admin, household, name="New name", carer_ids=[household.members[0].user_id, second.id])
    assert changed == ["carers", "name"] and len(household.carers) == 2
    [event] = _events("household_changed")
    assert event.detail == {"fields": ["carers", "name"]}
    assert _change(admin, household) == [] and len(_events("household_changed")) == 1


def test_putting_a_household_on_hold_needs_a_reason_which_is_audited(admin):
    household = make_household(make_user(Role.CARER))
    with pytest.raises(PeopleRuleError) as refused:
        _change(admin, household, status="on_hold")
    assert refused.value.field == "status_reason" and household.status == "active"
    _change(admin, household, status="on_hold", status_reason="Allegation under investigation")
    assert household.status == "on_hold" and household.status_reason == "Allegation under investigation"
    [event] = _events("household_status_changed")
    assert event.detail == {"from_status": "active", "to_status": "on_hold", "reason": "Allegation under investigation"}
    _change(admin, household, status="active")
    assert household.status_reason is None


def test_a_household_with_children_placed_cannot_be_recorded_as_resigned(admin):
    household = make_household(make_user(Role.CARER))
    place(make_child(), household)
    with pytest.raises(PeopleRuleError, match="End their placements"):
        _change(admin, household, status="resigned")


def test_removing_a_carer_frees_them_for_another_household(admin):
    first, second = make_user(Role.CARER), make_user(Role.CARER)
    household = make_household(first, second)
    _change(admin, household, carer_ids=[first.id])
    other = services.add_household(admin, **_household_fields(carer_ids=[second.id]))
    assert [c.id for c in other.carers] == [second.id]


def test_areas_are_unique_whatever_the_case(admin):
    services.add_locality(admin, "North Shire")
    with pytest.raises(PeopleRuleError, match="already an area"):
        services.add_locality(admin, " north shire ")
    assert len(_events("locality_created")) == 1


# Children


def _child_fields(**overrides) -> dict:
    fields = {
        "first_name": "Ada",
        "last_name": "Stone",
        "preferred_name": "",
        "date_of_birth": today() - timedelta(days=2000),
        "case_reference": "LAC-1",
        "social_worker_id": None,
        "young_person_user_id": None,
    }
    fields.update(overrides)
    return fields


def test_a_child_is_added_and_audited_without_their_name(admin):
    child = services.add_child(admin, **_child_fields(social_worker_id=make_user(Role.CHILD_SW).id))
    assert child.known_as == "Ada" and child.preferred_name is None
    [event] = _events("child_created")
    assert event.detail == {} and event.object_id == str(child.id)


def test_a_date_of_birth_in_the_future_is_refused(admin):
    with pytest.raises(PeopleRuleError) as refused:
        services.add_child(admin, **_child_fields(date_of_birth=today() + timedelta(days=1)))
    assert refused.value.field == "date_of_birth"


def test_case_references_are_unique(admin):
    services.add_child(admin, **_child_fields())
    with pytest.raises(PeopleRuleError, match="case reference"):
        services.add_child(admin, **_child_fields(case_reference="lac-1"))


def test_the_childs_social_worker_and_young_person_account_must_hold_those_roles(admin):
    with pytest.raises(PeopleRuleError) as refused:
        services.add_child(admin, **_child_fields(social_worker_id=make_user(Role.SSW).id))
    assert refused.value.field == "social_worker_id"
    with pytest.raises(PeopleRuleError) as refused:
        services.add_child(admin, **_child_fields(young_person_user_id=make_user(Role.CARER).id))
    assert refused.value.field == "young_person_user_id"


def test_a_young_person_account_links_to_one_child_only(admin):
    young = make_user(Role.YOUNG_PERSON)
    services.add_child(admin, **_child_fields(young_person_user_id=young.id))
    with pytest.raises(PeopleRuleError, match="already linked"):
        services.add_child(admin, **_child_fields(case_reference="LAC-2", young_person_user_id=young.id))


def test_changing_a_child_audits_field_names_only(admin):
    child = services.add_child(admin, **_child_fields())
    assert services.change_child(admin, child, **_child_fields(preferred_name="Addie")) == ["preferred_name"]
    [event] = _events("child_changed")
    assert event.detail == {"fields": ["preferred_name"]}


def test_only_admins_may_change_people(app):
    ssw = make_user(Role.SSW)
    with pytest.raises(PermissionError):
        services.add_locality(ssw, "Anywhere")
    with pytest.raises(PermissionError):
        placements.end_placement(ssw, place(make_child(), make_household()), today())
