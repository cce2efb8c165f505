"""Matrix rows for support groups: finding and following, meetings, calendar files and feed, running a group, and
the admin's listing and school holidays. "Own" is a group run by the matrix's group coordinator, "other" one run by
someone else: every reader sees both, only the group's own coordinators (and admins) change one."""

from __future__ import annotations

from portal.auth.roles import Role
from tests.security.matrix import PUBLIC, Case

READERS = frozenset(role for role in Role if role != Role.YOUNG_PERSON)
MEMBERS = frozenset({Role.CARER, Role.APPLICANT, Role.MENTOR, Role.GROUP_COORDINATOR})
COORDINATORS = frozenset({Role.GROUP_COORDINATOR, Role.ADMIN})
ADMIN = frozenset({Role.ADMIN})
MISSING = 987654


def _groups(world):
    from portal.core.clock import today
    from portal.groups.feeds import create_feed
    from portal.groups.queries import next_meetings
    from tests.factories import make_user
    from tests.groups.helpers import make_group

    other_coordinator = make_user(Role.GROUP_COORDINATOR, email="coordinator-b@matrix.example.org")
    locality = world.household_a.locality
    own = make_group(locality, world.users[Role.GROUP_COORDINATOR], name="Group A")
    other = make_group(locality, other_coordinator, name="Group B")
    world.extra["group_a"], world.extra["group_b"] = own.id, other.id
    world.extra["day"] = f"{next_meetings(own, today(), 1)[0].original_date:%Y%m%d}"
    world.extra["feed"] = create_feed(world.users[Role.CARER])


def _group(w, which):
    return {"own": w.extra.get("group_a"), "other": w.extra.get("group_b")}.get(which, MISSING)


def _meeting(w, which):
    return f"/groups/{_group(w, which)}/meetings/{w.extra.get('day')}"


GROUP_FORM = {"name": "Changed", "starts_at": "10:00", "ends_at": "11:00"}

CASES = [
    Case("groups.find_groups", lambda w, _: "/groups", READERS),
    Case(
        "groups.show_group",
        lambda w, which: f"/groups/{_group(w, which)}",
        READERS,
        has_object=True,
        setup=_groups,
        sees_other=READERS,
    ),
    Case(
        "groups.follow_group",
        lambda w, which: f"/groups/{_group(w, which)}/follow",
        MEMBERS,
        method="POST",
        has_object=True,
        setup=_groups,
        sees_other=MEMBERS,
    ),
    Case(
        "groups.reply_to_meeting",
        lambda w, which: _meeting(w, which) + "/reply",
        MEMBERS,
        method="POST",
        has_object=True,
        setup=_groups,
        sees_other=MEMBERS,
    ),
    Case(
        "groups.download_meeting",
        lambda w, which: _meeting(w, which) + "/calendar.ics",
        READERS,
        has_object=True,
        setup=_groups,
        sees_other=READERS,
    ),
    Case("groups.show_calendar_feed", lambda w, _: "/calendar", MEMBERS),
    Case("groups.change_calendar_feed", lambda w, _: "/calendar", MEMBERS, method="POST", data={"action": "create"}),
    Case("groups.calendar_feed", lambda w, _: f"/calendar/feed/{w.extra.get('feed')}", PUBLIC, setup=_groups),
    Case("groups.change_introductions", lambda w, _: "/groups/introductions", MEMBERS),
    Case(
        "groups.change_introductions",
        lambda w, _: "/groups/introductions",
        MEMBERS,
        method="POST",
        data={"agreed": "yes"},
    ),
    Case(
        "groups.edit_group",
        lambda w, which: f"/groups/{_group(w, which)}/edit",
        COORDINATORS,
        has_object=True,
        setup=_groups,
        sees_other=ADMIN,
    ),
    Case(
        "groups.edit_group",
        lambda w, which: f"/groups/{_group(w, which)}/edit",
        COORDINATORS,
        method="POST",
        has_object=True,
        setup=_groups,
        sees_other=ADMIN,
        data=GROUP_FORM,
    ),
    Case(
        "groups.change_meeting",
        _meeting,
        COORDINATORS,
        has_object=True,
        setup=_groups,
        sees_other=ADMIN,
    ),
    Case(
        "groups.change_meeting",
        _meeting,
        COORDINATORS,
        method="POST",
        has_object=True,
        setup=_groups,
        sees_other=ADMIN,
        data={"action": "cancel"},
    ),
    Case(
        "groups.post_announcement",
        lambda w, which: f"/groups/{_group(w, which)}/announcements",
        COORDINATORS,
        has_object=True,
        setup=_groups,
        sees_other=ADMIN,
    ),
    Case(
        "groups.post_announcement",
        lambda w, which: f"/groups/{_group(w, which)}/announcements",
        COORDINATORS,
        method="POST",
        has_object=True,
        setup=_groups,
        sees_other=ADMIN,
        data={"body": "See you Tuesday"},
    ),
    Case(
        "groups.withdraw_group",
        lambda w, which: f"/groups/{_group(w, which)}/withdraw",
        COORDINATORS,
        has_object=True,
        setup=_groups,
        sees_other=ADMIN,
    ),
    Case(
        "groups.withdraw_group",
        lambda w, which: f"/groups/{_group(w, which)}/withdraw",
        COORDINATORS,
        method="POST",
        has_object=True,
        setup=_groups,
        sees_other=ADMIN,
        data={"reason": "The group has stopped meeting"},
    ),
    Case(
        "groups.restore_group",
        lambda w, which: f"/groups/{_group(w, which)}/restore",
        ADMIN,
        method="POST",
        has_object=True,
        setup=_groups,
        sees_other=ADMIN,
    ),
    Case(
        "groups.change_coordinators",
        lambda w, which: f"/groups/{_group(w, which)}/coordinators",
        COORDINATORS,
        has_object=True,
        setup=_groups,
        sees_other=ADMIN,
    ),
    Case(
        "groups.change_coordinators",
        lambda w, which: f"/groups/{_group(w, which)}/coordinators",
        COORDINATORS,
        method="POST",
        has_object=True,
        setup=_groups,
        sees_other=ADMIN,
        data=lambda w: {"coordinator_ids": str(w.users[Role.GROUP_COORDINATOR].id)},
    ),
    Case("groups.list_my_groups", lambda w, _: "/groups/mine", COORDINATORS),
    Case("groups.create_group", lambda w, _: "/groups/new", ADMIN),
    Case("groups.create_group", lambda w, _: "/groups/new", ADMIN, method="POST", data=GROUP_FORM),
    Case("groups.list_school_holidays", lambda w, _: "/groups/school-holidays", ADMIN),
    Case(
        "groups.list_school_holidays",
        lambda w, _: "/groups/school-holidays",
        ADMIN,
        method="POST",
        data={"label": "Half term"},
    ),
    Case(
        "groups.remove_school_holiday",
        lambda w, _: "/groups/school-holidays/remove",
        ADMIN,
        method="POST",
        data={"holiday_id": "1"},
    ),
]
