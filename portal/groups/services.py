"""Use cases for support groups: listings and their meeting patterns, single meetings moved or cancelled, replies,
following, announcements and school holidays. Welcoming new carers is in portal/groups/welcome.py."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, time

from flask import abort
from sqlalchemy import delete, select

from portal.auth.models import User
from portal.auth.roles import Role
from portal.core import audit
from portal.core.clock import today
from portal.core.db import db
from portal.core.links import path_to, url_to
from portal.core.notice_kinds import GROUP_ANNOUNCEMENT
from portal.core.notify import notify_in_app, send_email
from portal.core.search import index_entry, remove_entry
from portal.core.unit_of_work import transactional
from portal.groups.models import (
    AUDIENCE_LABELS,
    Audience,
    GroupAnnouncement,
    GroupBreak,
    GroupCoordinator,
    GroupFollower,
    MeetingChange,
    MeetingReply,
    SchoolHoliday,
    SupportGroup,
)
from portal.groups.policy import MEMBERS, can_edit_group
from portal.groups.queries import find_meeting, follower_ids, school_holidays, withdrawal_audience
from portal.groups.recurrence import DateRange, Pattern, PatternProblem, build_rrule, check_pattern
from portal.people.models import Locality

# Every-year breaks a group can take, as the form offers them: (label, first day, last day); the year is ignored.
YEARLY_BREAKS = {
    "august": ("August", date(2000, 8, 1), date(2000, 8, 31)),
    "christmas": ("Christmas", date(2000, 12, 20), date(2000, 1, 3)),
}
ANNOUNCEMENT_MAX = 1000
WITHDRAWAL_REASON_MAX = 500


class GroupRuleError(ValueError):
    """A rule a change breaks, with the form field it belongs to and a message for the person who made it."""

    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field = field
        self.message = message


@dataclass
class GroupDetails:
    """A listing as the form gives it; the pattern is built from `frequency`, `weekday` and `nth`."""

    name: str
    audience: str
    locality_id: int
    description: str
    is_online: bool
    venue_name: str
    venue_address: str
    access_notes: str
    online_link: str
    frequency: str
    weekday: str
    nth: int | None
    first_meeting: date
    until: date | None
    starts_at: time
    ends_at: time
    term_time_only: bool
    yearly_breaks: tuple[str, ...] = ()


def _apply(group: SupportGroup, d: GroupDetails) -> None:
    if d.audience not in set(Audience):
        raise GroupRuleError("audience", "Choose who the group is for")
    if db.session.get(Locality, d.locality_id) is None:
        raise GroupRuleError("locality_id", "Choose the area the group meets in")
    if d.is_online and not d.online_link.startswith("https://"):
        raise GroupRuleError("online_link", "Enter the joining link, starting with https://")
    if not d.is_online and not d.venue_address.strip():
        raise GroupRuleError("venue_address", "Enter the address of the venue")
    if d.ends_at <= d.starts_at:
        raise GroupRuleError("ends_at", "The meeting must end after it starts")
    try:
        rule = build_rrule(d.frequency, d.weekday, d.nth, d.until)
    except PatternProblem as exc:
        raise GroupRuleError("frequency", str(exc)) from exc
    breaks = [DateRange(YEARLY_BREAKS[k][1], YEARLY_BREAKS[k][2], True) for k in d.yearly_breaks if k in YEARLY_BREAKS]
    one_off = [DateRange(b.starts_on, b.ends_on, b.every_year) for b in group.breaks if not b.every_year]
    try:
        check_pattern(
            Pattern(rule, d.first_meeting, d.starts_at, d.ends_at, d.term_time_only),
            breaks + one_off,
            school_holidays(),
        )
    except PatternProblem as exc:
        raise GroupRuleError("frequency", str(exc)) from exc
    group.name, group.audience, group.locality_id = d.name.strip(), d.audience, d.locality_id
    group.description, group.is_online = d.description.strip(), d.is_online
    group.venue_name, group.venue_address = d.venue_name.strip(), d.venue_address.strip()
    group.access_notes, group.online_link = d.access_notes.strip(), d.online_link.strip() if d.is_online else ""
    group.rrule, group.first_meeting, group.term_time_only = rule, d.first_meeting, d.term_time_only
    group.starts_at, group.ends_at = d.starts_at, d.ends_at
    labels = {YEARLY_BREAKS[k][0] for k in d.yearly_breaks if k in YEARLY_BREAKS}
    group.breaks = [b for b in group.breaks if not b.every_year or b.label in labels]
    have = {b.label for b in group.breaks if b.every_year}
    for key in d.yearly_breaks:
        label, first, last = YEARLY_BREAKS[key]
        if label not in have:
            group.breaks.append(GroupBreak(label=label, starts_on=first, ends_on=last, every_year=True))


def index_group(group: SupportGroup) -> None:
    """Keep the group's search entry current (no address details beyond the place's name)."""
    locality = db.session.get(Locality, group.locality_id)
    body = " ".join(
        [group.description, AUDIENCE_LABELS[Audience(group.audience)], locality.name if locality else "", group.place]
    )
    index_entry("groups", group.id, title=group.name, body=body, href=path_to("groups.show_group", group_id=group.id))


@transactional
def create_group(actor: User, details: GroupDetails, coordinator_ids: list[int]) -> SupportGroup:
    """An admin lists a new group with its coordinators (people holding the group coordinator role)."""
    if not actor.has_role(Role.ADMIN):
        abort(403)
    group = SupportGroup()
    _apply(group, details)
    group.coordinators = [GroupCoordinator(user_id=uid) for uid in _coordinators(coordinator_ids)]
    db.session.add(group)
    db.session.flush()
    index_group(group)
    audit.record(
        db.session, "support_group_created", actor_id=actor.id, object_type="support_group", object_id=group.id
    )
    return group


def _coordinators(ids: list[int]) -> list[int]:
    if not ids:
        raise GroupRuleError("coordinator_ids", "Choose at least one coordinator")
    users = db.session.scalars(select(User).where(User.id.in_(ids))).all()
    if len(users) != len(set(ids)) or not all(u.has_role(Role.GROUP_COORDINATOR) for u in users):
        raise GroupRuleError("coordinator_ids", "Coordinators must hold the group coordinator role")
    return sorted(set(ids))


@transactional
def update_group(actor: User, group: SupportGroup, details: GroupDetails) -> None:
    """A coordinator changes their own group's listing (an admin any). The locality is the admin's to change."""
    if not can_edit_group(actor, group):
        abort(403)
    if not actor.has_role(Role.ADMIN):
        details.locality_id = group.locality_id
    _apply(group, details)
    index_group(group)
    audit.record(
        db.session, "support_group_changed", actor_id=actor.id, object_type="support_group", object_id=group.id
    )


@transactional
def change_meeting(
    actor: User,
    group: SupportGroup,
    original_date: date,
    *,
    cancel: bool,
    new_date: date | None = None,
    new_starts_at: time | None = None,
    new_ends_at: time | None = None,
    note: str = "",
) -> None:
    """Move one meeting (another day or time) or cancel it; the followers are told."""
    if not can_edit_group(actor, group):
        abort(403)
    if find_meeting(group, original_date) is None:
        raise GroupRuleError("action", "The group has no meeting on that day")
    if not cancel:
        starts, ends = new_starts_at or group.starts_at, new_ends_at or group.ends_at
        if ends <= starts:
            raise GroupRuleError("new_ends_at", "The meeting must end after it starts")
    change = next((c for c in group.changes if c.original_date == original_date), None)
    if change is None:
        change = MeetingChange(original_date=original_date)
        group.changes.append(change)
    change.is_cancelled, change.note = cancel, note.strip()[:300]
    change.new_date = None if cancel else new_date
    change.new_starts_at = None if cancel else new_starts_at
    change.new_ends_at = None if cancel else new_ends_at
    db.session.flush()
    what = "cancelled" if cancel else "moved"
    _tell_followers(group, f"{group.name}: the meeting on {original_date:%-d %B %Y} is {what}")
    audit.record(
        db.session, f"group_meeting_{what}", actor_id=actor.id, object_type="support_group", object_id=group.id
    )


@transactional
def restore_meeting(actor: User, group: SupportGroup, original_date: date) -> None:
    if not can_edit_group(actor, group):
        abort(403)
    group.changes = [c for c in group.changes if c.original_date != original_date]


@transactional
def set_coming(actor: User, group: SupportGroup, day: date, coming: bool) -> None:
    """Say (or take back) "I'm coming" to one meeting that has not been cancelled."""
    if not actor.has_role(*MEMBERS):
        abort(403)
    meeting = find_meeting(group, day)
    if meeting is None:
        abort(404)
    existing = db.session.scalar(
        select(MeetingReply).where(
            MeetingReply.group_id == group.id, MeetingReply.meeting_date == day, MeetingReply.user_id == actor.id
        )
    )
    if coming and existing is None and not meeting.is_cancelled:
        db.session.add(MeetingReply(group_id=group.id, meeting_date=day, user_id=actor.id))
    elif not coming and existing is not None:
        db.session.delete(existing)


@transactional
def set_following(actor: User, group: SupportGroup, follow: bool) -> None:
    if not actor.has_role(*MEMBERS):
        abort(403)
    existing = db.session.scalar(
        select(GroupFollower).where(GroupFollower.group_id == group.id, GroupFollower.user_id == actor.id)
    )
    if follow and existing is None:
        db.session.add(GroupFollower(group_id=group.id, user_id=actor.id))
    elif not follow and existing is not None:
        db.session.delete(existing)


@transactional
def post_announcement(actor: User, group: SupportGroup, body: str) -> GroupAnnouncement:
    """A short message to the group's followers: in their notifications and by email."""
    if not can_edit_group(actor, group):
        abort(403)
    body = body.strip()
    if not body:
        raise GroupRuleError("body", "Enter the announcement")
    if len(body) > ANNOUNCEMENT_MAX:
        raise GroupRuleError("body", f"The announcement must be {ANNOUNCEMENT_MAX} characters or fewer")
    note = GroupAnnouncement(group_id=group.id, author_id=actor.id, body=body)
    db.session.add(note)
    db.session.flush()
    _tell_followers(group, f"{group.name}: {body}", body=body)
    return note


def _tell_followers(group: SupportGroup, text: str, body: str | None = None) -> None:
    link = path_to("groups.show_group", group_id=group.id)
    ids = follower_ids(group)
    for uid in ids:
        notify_in_app(uid, text, link, kind=GROUP_ANNOUNCEMENT.name)
    if ids:
        for user in db.session.scalars(select(User).where(User.id.in_(ids), User.is_active.is_(True))):
            send_email(
                user.email,
                f"{group.name}: news from the group",
                "group_announcement",
                group_name=group.name,
                text=body or text,
                link=url_to("groups.show_group", group_id=group.id),
                kind=GROUP_ANNOUNCEMENT.name,
            )


@transactional
def withdraw_group(actor: User, group: SupportGroup, reason: str = "") -> int:
    """The group stops: it is no longer listed, found, searched or in anyone's calendar feed (an admin still sees
    it, and can list it again). Its followers, the people who said they are coming to a meeting from today, and its
    other coordinators are told, in Hearth and by email, with the reason when one is given. Returns how many people
    were told. Raises GroupRuleError when the group is already withdrawn or the reason is too long; 403 for someone
    who does not run the group."""
    if not can_edit_group(actor, group):
        abort(403)
    if not group.is_active:
        raise GroupRuleError("reason", "This group has already been withdrawn")
    reason = reason.strip()
    if len(reason) > WITHDRAWAL_REASON_MAX:
        raise GroupRuleError("reason", f"The reason must be {WITHDRAWAL_REASON_MAX} characters or fewer")
    told = sorted(withdrawal_audience(group, today()) - {actor.id})
    group.is_active = False
    remove_entry("groups", group.id)
    text = f"{group.name} has stopped and will not meet again." + (f" {reason}" if reason else "")
    link = path_to("groups.find_groups")
    for uid in told:
        notify_in_app(uid, text, link, kind=GROUP_ANNOUNCEMENT.name, key=f"group-withdrawn:{group.id}")
    if told:
        for user in db.session.scalars(select(User).where(User.id.in_(told), User.is_active.is_(True))):
            send_email(
                user.email,
                f"{group.name} has stopped",
                "group_withdrawn",
                group_name=group.name,
                reason=reason,
                link=url_to("groups.find_groups"),
                kind=GROUP_ANNOUNCEMENT.name,
            )
    audit.record(
        db.session,
        "support_group_withdrawn",
        actor_id=actor.id,
        object_type="support_group",
        object_id=group.id,
        told=len(told),
    )
    return len(told)


@transactional
def restore_group(actor: User, group: SupportGroup) -> None:
    """An admin lists a withdrawn group again (nobody is told: its coordinators can post an announcement)."""
    if not actor.has_role(Role.ADMIN):
        abort(403)
    if group.is_active:
        return
    group.is_active = True
    index_group(group)
    audit.record(
        db.session, "support_group_restored", actor_id=actor.id, object_type="support_group", object_id=group.id
    )


@transactional
def set_coordinators(actor: User, group: SupportGroup, coordinator_ids: list[int]) -> list[int]:
    """Who runs the group: at least one person, each holding the group coordinator role. A coordinator may hand
    the group on (and leave it themselves); an admin may change any group's. The people added are told. Returns
    the ids added. Raises GroupRuleError (field `coordinator_ids`); 403 for someone who does not run the group."""
    if not can_edit_group(actor, group):
        abort(403)
    wanted = _coordinators(coordinator_ids)
    before = {c.user_id for c in group.coordinators}
    added = [uid for uid in wanted if uid not in before]
    removed = sorted(before - set(wanted))
    group.coordinators = [c for c in group.coordinators if c.user_id in wanted] + [
        GroupCoordinator(user_id=uid) for uid in added
    ]
    db.session.flush()
    link = path_to("groups.show_group", group_id=group.id)
    for uid in added:
        notify_in_app(uid, f"You now help run {group.name}", link, kind=GROUP_ANNOUNCEMENT.name)
    if added or removed:
        audit.record(
            db.session,
            "support_group_coordinators_changed",
            actor_id=actor.id,
            object_type="support_group",
            object_id=group.id,
            added=added,
            removed=removed,
        )
    return added


@transactional
def add_school_holiday(actor: User, label: str, starts_on: date, ends_on: date) -> SchoolHoliday:
    if not actor.has_role(Role.ADMIN):
        abort(403)
    if ends_on < starts_on:
        raise GroupRuleError("ends_on", "The last day must be the same as or after the first day")
    holiday = SchoolHoliday(label=label.strip(), starts_on=starts_on, ends_on=ends_on)
    db.session.add(holiday)
    return holiday


@transactional
def remove_school_holiday(actor: User, holiday_id: int) -> None:
    if not actor.has_role(Role.ADMIN):
        abort(403)
    db.session.execute(delete(SchoolHoliday).where(SchoolHoliday.id == holiday_id))
