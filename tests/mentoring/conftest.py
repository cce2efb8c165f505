"""Mentoring test set-up: plain functions for mentors, mentees and matches at each step."""

from __future__ import annotations

from datetime import timedelta

from portal.auth.roles import Role
from portal.core.clock import today
from portal.core.db import db, utcnow
from portal.mentoring.models import Match, MatchStatus, Mentee, MentorProfile
from tests.factories import make_household, make_locality, make_user


def make_mentor(locality=None, *, capacity: int = 2, trained: bool = True, taking: bool = True, name=None, **profile):
    """A carer with the mentor role, their household, and a mentor profile."""
    locality = locality or make_locality()
    user = make_user(Role.CARER, Role.MENTOR, name=name)
    make_household(user, locality=locality)
    db.session.add(
        MentorProfile(
            user_id=user.id,
            locality_id=locality.id,
            years_fostering=profile.get("years", 8),
            fostering_types=profile.get("types", "mainstream"),
            age_groups=profile.get("ages", "under_5,5_10"),
            availability=profile.get("times", "evenings"),
            ways=profile.get("ways", "phone"),
            capacity=capacity,
            training_completed_on=today() - timedelta(days=100) if trained else None,
            taking_mentees=taking,
        )
    )
    db.session.commit()
    return user


def make_mentee(locality, *, user=None, waiting: bool = True, name: str = "Amira Khan") -> Mentee:
    """An applicant (with an account) who has been offered a mentor and wants one."""
    user = user or make_user(Role.APPLICANT, name=name)
    mentee = Mentee(
        full_name=user.full_name,
        email=user.email,
        user_id=user.id,
        locality_id=locality.id,
        fostering_type="mainstream",
        age_groups="under_5",
        availability="evenings",
        ways="phone",
        offered_on=today() - timedelta(days=10) if waiting else None,
        offered_how="phone" if waiting else None,
        response="wants" if waiting else None,
        responded_on=today() - timedelta(days=9) if waiting else None,
    )
    db.session.add(mentee)
    db.session.commit()
    return mentee


def make_match(mentee: Mentee, mentor, status: str = MatchStatus.INTRODUCED) -> Match:
    on = today()
    match = Match(
        mentee_id=mentee.id,
        mentor_id=mentor.id,
        mentee_user_id=mentee.user_id,
        status=status,
        respond_by=on + timedelta(days=3),
        accepted_at=utcnow() if status != MatchStatus.PROPOSED else None,
        introduced_on=on - timedelta(days=2) if status in ("introduced", "active", "ended") else None,
    )
    db.session.add(match)
    db.session.commit()
    return match
