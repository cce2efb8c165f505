"""Demo support groups: eight groups across the two localities, with different patterns, breaks, term time, a moved
and a cancelled meeting, school holidays, followers and replies."""

from __future__ import annotations

from datetime import date, time, timedelta

from sqlalchemy import select

from portal.auth.models import User, UserRole
from portal.auth.roles import Role
from portal.core.clock import today
from portal.core.db import db
from portal.groups.models import (
    GroupBreak,
    GroupCoordinator,
    GroupFollower,
    IntroductionConsent,
    MeetingChange,
    MeetingReply,
    SchoolHoliday,
    SupportGroup,
)
from portal.groups.queries import next_meetings
from portal.groups.services import YEARLY_BREAKS, index_group
from portal.people.models import Locality

# name, audience, locality, rule, time from, to, venue (None: online), term time, yearly breaks, description
GROUPS = [
    ("North Shire coffee morning", "all_carers", "North Shire", "FREQ=MONTHLY;BYDAY=+2TU", (10, 0), (12, 0),
     ("Riverside Family Centre", "12 Mill Lane, Ashford AS1 2MB", "Free parking behind the centre; step-free entrance; crèche on request."),
     False, ("august", "christmas"),
     "Coffee, cake and people who understand. New carers are very welcome: come along to your first one with your mentor."),
    ("Kinship carers' circle", "kinship", "North Shire", "FREQ=MONTHLY;BYDAY=-1TH", (18, 30), (20, 0),
     ("The Old School Rooms", "3 Church Street, Ashford AS1 4CS", "Buses 4 and 12 stop outside. Ring the bell at the side door."),
     False, ("christmas",),
     "For grandparents, aunts, uncles and friends bringing up a child in the family. Share what works, and what does not."),
    ("Sons and daughters club", "sons_and_daughters", "North Shire", "FREQ=WEEKLY;INTERVAL=2;BYDAY=SA", (10, 0), (12, 0),
     ("Ashford Leisure Centre", "Park Road, Ashford AS2 1PR", "Meet in the foyer. Swimming kit needed on the first Saturday of the month."),
     True, (),
     "Activities for the birth children of foster carers, aged 8 to 16, run by two experienced carers."),
    ("Walk and talk", "walk_and_talk", "North Shire", "FREQ=WEEKLY;BYDAY=WE", (9, 30), (11, 0),
     ("Country park visitor centre", "Ashford Country Park, Lakeside Road, Ashford AS3 9LK", "About 3 miles on flat paths; dogs welcome; café after."),
     True, ("august",),
     "A gentle walk round the lake after the school run. Talk as much or as little as you like."),
    ("South Vale support group", "all_carers", "South Vale", "FREQ=MONTHLY;BYDAY=+1MO", (19, 0), (21, 0),
     ("Valley Community Hall", "45 High Street, Dunmore DV1 3HS", "Hearing loop fitted. Parking in the Co-op car park after 6pm."),
     False, ("august", "christmas"),
     "Our longest-running group: a speaker from the fostering service most months, and time to talk."),
    ("Men who care", "men_who_care", "South Vale", "FREQ=MONTHLY;BYDAY=+3TH", (19, 30), (21, 0),
     ("The Red Lion (back room)", "2 Bridge Street, Dunmore DV1 2BS", "Soft drinks provided. Step-free access through the garden gate."),
     False, (),
     "For male foster carers: an evening to talk about fostering from a man's point of view."),
    ("Reflective practice (online)", "reflective", "South Vale", "FREQ=MONTHLY;BYDAY=+4WE", (13, 0), (14, 30),
     None, False, ("august",),
     "A small reflective group facilitated by a clinical psychologist. Bring a situation you would like to think through."),
    ("Mockingbird hub home constellation", "mockingbird", "South Vale", "FREQ=MONTHLY;BYDAY=+2SU", (14, 0), (16, 30),
     ("Larkfield hub home", "Larkfield, Dunmore (address given to members)", "Family afternoon: children welcome."),
     False, ("christmas",),
     "The monthly get-together of the Larkfield constellation: satellite families and the hub home carers."),
]  # fmt: skip

# 2026-27 school holidays for the council's area (as a council publishes them).
HOLIDAYS = [
    ("Autumn half term", date(2026, 10, 26), date(2026, 10, 30)),
    ("Christmas holiday", date(2026, 12, 21), date(2027, 1, 1)),
    ("Spring half term", date(2027, 2, 15), date(2027, 2, 19)),
    ("Easter holiday", date(2027, 3, 29), date(2027, 4, 9)),
    ("Summer half term", date(2027, 5, 31), date(2027, 6, 4)),
    ("Summer holiday", date(2027, 7, 22), date(2027, 9, 1)),
]


def _user(email: str) -> User | None:
    return db.session.scalar(select(User).where(User.email == email))


def load_groups_demo() -> None:
    """Idempotent: nothing is added once any group exists."""
    if db.session.scalar(select(SupportGroup.id).limit(1)) is not None:
        return
    localities = {loc.name: loc for loc in db.session.scalars(select(Locality))}
    if not localities:
        return
    north = _user("mentor@example.org")  # Margaret Hughes already coordinates groups
    south = _user("kofi.mensah@example.org")
    for person in (south,):
        if person is not None and not person.has_role(Role.GROUP_COORDINATOR):
            person.role_rows.append(UserRole(role=Role.GROUP_COORDINATOR.value))
    db.session.add_all(SchoolHoliday(label=label, starts_on=a, ends_on=b) for label, a, b in HOLIDAYS)
    first = today() - timedelta(days=200)
    groups = []
    for name, audience, place, rule, start, end, venue, term, breaks, description in GROUPS:
        locality = localities.get(place) or next(iter(localities.values()))
        coordinator = north if place == "North Shire" else south
        group = SupportGroup(
            name=name,
            audience=audience,
            locality_id=locality.id,
            description=description,
            is_online=venue is None,
            venue_name=venue[0] if venue else "",
            venue_address=venue[1] if venue else "",
            access_notes=venue[2] if venue else "A link to join is sent with each meeting; cameras optional.",
            online_link="" if venue else "https://meet.example.org/hearth-reflective",
            rrule=rule,
            first_meeting=first,
            starts_at=time(*start),
            ends_at=time(*end),
            term_time_only=term,
        )
        group.breaks = [
            GroupBreak(
                label=YEARLY_BREAKS[k][0], starts_on=YEARLY_BREAKS[k][1], ends_on=YEARLY_BREAKS[k][2], every_year=True
            )
            for k in breaks
        ]
        if coordinator is not None:
            group.coordinators = [GroupCoordinator(user_id=coordinator.id)]
        db.session.add(group)
        groups.append(group)
    db.session.flush()
    coffee, kinship, walk = groups[0], groups[1], groups[3]
    # One meeting moved and one cancelled, so the exceptions show.
    upcoming = next_meetings(coffee, today(), 2)
    if len(upcoming) == 2:
        moved = upcoming[1].original_date
        coffee.changes.append(
            MeetingChange(
                original_date=moved,
                new_date=moved + timedelta(days=1),
                note="The hall is booked: same time, Wednesday instead.",
            )
        )
    walk_next = next_meetings(walk, today(), 1)
    if walk_next:
        walk.changes.append(
            MeetingChange(original_date=walk_next[0].original_date, is_cancelled=True, note="Storm warning: stay safe.")
        )
    # A new single break for one group (the venue's refurbishment).
    kinship.breaks.append(
        GroupBreak(
            label="Venue closed for refurbishment",
            starts_on=today() + timedelta(days=70),
            ends_on=today() + timedelta(days=100),
        )
    )
    carer = _user("carer@example.org")
    if carer is not None:
        db.session.add(GroupFollower(group_id=coffee.id, user_id=carer.id))
        db.session.add(IntroductionConsent(user_id=carer.id, agreed=True))
        first_meeting = next_meetings(coffee, today(), 1)
        if first_meeting:
            db.session.add(
                MeetingReply(group_id=coffee.id, meeting_date=first_meeting[0].original_date, user_id=carer.id)
            )
    for email in ("helen.fletcher@example.org", "lee.bennett@example.org"):
        person = _user(email)
        if person is not None:
            db.session.add(GroupFollower(group_id=coffee.id, user_id=person.id))
    db.session.flush()
    for group in groups:
        index_group(group)
