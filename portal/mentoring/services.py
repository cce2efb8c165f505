"""Mentees, mentor profiles and locality neighbours: invitations, the offer funnel, approval as a carer."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from flask import current_app
from sqlalchemy import delete, select

from portal.auth.invitations import AlreadyHasAccount, issue_invitation
from portal.auth.models import User, UserRole
from portal.auth.roles import Role
from portal.core import audit
from portal.core.clock import today
from portal.core.db import db
from portal.core.links import path_to, url_to
from portal.core.notify import send_email
from portal.core.templating import uk_date
from portal.core.unit_of_work import transactional
from portal.mentoring.lifecycle import MatchRefused, mentee_user_id, tell_coordinators
from portal.mentoring.models import (
    LIVE_STATUSES,
    PAY_MODEL_LABELS,
    LocalityNeighbour,
    Match,
    MatchEvent,
    MatchStatus,
    Mentee,
    MentorProfile,
    PayModel,
)
from portal.mentoring.policy import APPROVERS, COORDINATORS
from portal.people.events import carers_joined_locality
from portal.people.models import CarerType, Household, HouseholdMember, HouseholdStatus, Locality

# Regulation 24, Care Planning, Placement and Case Review (England) Regulations 2010: a connected person may be
# approved temporarily for up to 16 weeks; Regulation 25 allows one extension of up to 8 weeks more.
TEMPORARY_WEEKS = 16
EXTENSION_WEEKS = 8


class MentoringRefused(ValueError):
    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.field = field


def _staff(actor: User, roles=APPROVERS) -> None:
    if not actor.has_role(*roles):
        raise MentoringRefused("You cannot do this")


@dataclass
class MenteeDetails:
    full_name: str
    email: str
    locality_id: int
    fostering_type: str
    stage: str = "stage_1"
    assessing_worker: str | None = None
    age_groups: tuple[str, ...] = ()
    languages: tuple[str, ...] = ("english",)
    availability: tuple[str, ...] = ()
    ways: tuple[str, ...] = ()


def _apply(mentee: Mentee, d: MenteeDetails) -> None:
    if db.session.get(Locality, d.locality_id) is None:
        raise MentoringRefused("Choose the locality", "locality_id")
    if d.fostering_type not in set(CarerType):
        raise MentoringRefused("Choose the type of fostering", "fostering_type")
    mentee.full_name, mentee.email = d.full_name.strip(), d.email.strip().lower()
    mentee.locality_id, mentee.fostering_type, mentee.stage = d.locality_id, d.fostering_type, d.stage
    mentee.assessing_worker = (d.assessing_worker or "").strip() or None
    mentee.age_groups, mentee.availability, mentee.ways = (
        ",".join(d.age_groups),
        ",".join(d.availability),
        ",".join(d.ways),
    )
    mentee.languages = ",".join(w.strip().lower() for w in d.languages if w.strip()) or "english"


@transactional
def invite_applicant(actor: User, details: MenteeDetails) -> Mentee:
    """Invite an applicant to Hearth (role `applicant`) with their assessment details; they become a mentee row at
    once, and their account is linked when they accept the invitation."""
    _staff(actor)
    try:
        invitation, token = issue_invitation(
            actor.id, details.email, details.full_name, [Role.APPLICANT], current_app.config["INVITATION_DAYS"]
        )
    except AlreadyHasAccount:
        raise MentoringRefused(
            "This email address already has an account: add them as a mentee instead", "email"
        ) from None
    mentee = Mentee(invitation_id=invitation.id, created_by_id=actor.id)
    _apply(mentee, details)
    db.session.add(mentee)
    db.session.flush()
    send_email(
        invitation.email,
        f"You are invited to {current_app.config['SERVICE_NAME']}",
        "invitation",
        name=invitation.full_name,
        link=url_to("auth.accept_invitation", token=token),
        inviter=actor.full_name,
        expires_on=uk_date(invitation.expires_at),
    )
    audit.record(db.session, "mentee_invited", actor_id=actor.id, object_type="mentoring_mentee", object_id=mentee.id)
    return mentee


@transactional
def add_mentee_for_user(actor: User, user: User, details: MenteeDetails) -> Mentee:
    """A person who already has an account (a newly approved carer) offered a mentor."""
    _staff(actor)
    if db.session.scalar(select(Mentee.id).where(Mentee.user_id == user.id)):
        raise MentoringRefused(f"{user.full_name} is already a mentee", "email")
    mentee = Mentee(user_id=user.id, created_by_id=actor.id)
    _apply(mentee, details)
    db.session.add(mentee)
    db.session.flush()
    return mentee


@transactional
def change_mentee(actor: User, mentee: Mentee, details: MenteeDetails) -> None:
    _staff(actor)
    _apply(mentee, details)


@transactional
def record_offer(actor: User, mentee: Mentee, on: date, how: str) -> None:
    _staff(actor, COORDINATORS)
    if on > today():
        raise MentoringRefused("The date must be today or in the past", "offered_on")
    mentee.offered_on, mentee.offered_how = on, how
    audit.record(db.session, "mentor_offered", actor_id=actor.id, object_type="mentoring_mentee", object_id=mentee.id)


@transactional
def record_response(actor: User, mentee: Mentee, response: str, on: date) -> None:
    _staff(actor, COORDINATORS)
    if mentee.offered_on is None:
        raise MentoringRefused("Record the offer first", "response")
    if on < mentee.offered_on or on > today():
        raise MentoringRefused("The date must be between the offer and today", "responded_on")
    mentee.response, mentee.responded_on = response, on


@transactional
def record_withdrawal(actor: User, mentee: Mentee, on: date, step: str) -> None:
    """The person withdrew from the scheme (or the assessment); any live match ends with that reason."""
    _staff(actor, COORDINATORS)
    mentee.withdrew_on, mentee.withdrew_at_step = on, step
    for match in db.session.scalars(
        select(Match).where(Match.mentee_id == mentee.id, Match.status.in_(LIVE_STATUSES))
    ).unique():
        match.status, match.ended_on, match.end_reason = MatchStatus.ENDED, on, "The mentee withdrew"
        db.session.add(MatchEvent(match_id=match.id, step="ended", actor_id=actor.id, note="The mentee withdrew"))


@transactional
def remind_unanswered_offers(on: date, after_days: int = 14) -> int:
    """Offers with no answer after `after_days`: marked 'no answer', a reminder emailed once (no personal detail)."""
    count = 0
    for mentee in db.session.scalars(
        select(Mentee).where(
            Mentee.offered_on <= on - timedelta(days=after_days),
            Mentee.response.is_(None) | (Mentee.response == "no_answer"),
            Mentee.offer_reminded_on.is_(None),
            Mentee.withdrew_on.is_(None),
        )
    ):
        mentee.response, mentee.offer_reminded_on = "no_answer", on
        send_email(mentee.email, "Would you like a mentor?", "mentoring_offer_reminder", name=mentee.full_name)
        tell_coordinators(
            f"No answer from {mentee.full_name} to the offer of a mentor: a reminder was sent",
            path_to("mentoring.show_mentee", mentee_id=mentee.id),
        )
        count += 1
    return count


@transactional
def record_approval(
    actor: User,
    mentee: Mentee,
    *,
    approved_on: date,
    fostering_type: str,
    household_id: int | None = None,
    new_household_name: str | None = None,
    new_household_reference: str | None = None,
    temporary: bool = False,
    extended: bool = False,
) -> Household:
    """The applicant is approved: they keep their account and gain the carer role, join or create a household, and
    their live match carries on into their first year. A connected person may be approved temporarily
    (Regulation 24: 16 weeks; one extension of up to 8 weeks)."""
    _staff(actor)
    user_id = mentee_user_id(mentee)
    if user_id is None:
        raise MentoringRefused(
            "They need to accept their invitation to Hearth before approval is recorded", "approved_on"
        )
    if approved_on > today():
        raise MentoringRefused("The approval date must be today or in the past", "approved_on")
    if fostering_type not in set(CarerType):
        raise MentoringRefused("Choose the type of fostering", "fostering_type")
    if temporary and fostering_type != CarerType.KINSHIP:
        raise MentoringRefused("Temporary approval is for connected (kinship) carers only", "temporary")
    user = db.session.get(User, user_id)
    existing = db.session.scalar(select(HouseholdMember).where(HouseholdMember.user_id == user_id))
    if existing is not None:
        household = existing.household
    elif household_id:
        household = db.session.get(Household, household_id)
        if household is None:
            raise MentoringRefused("Choose the household they join", "household_id")
        if len(household.members) >= 2:
            raise MentoringRefused("That household already has two carers", "household_id")
        household.members.append(HouseholdMember(user_id=user_id))
    else:
        name, ref = (new_household_name or "").strip(), (new_household_reference or "").strip()
        if not name or not ref:
            raise MentoringRefused("Enter the new household's name and reference", "new_household_name")
        if db.session.scalar(select(Household.id).where(Household.reference == ref)):
            raise MentoringRefused(f"Another household already has the reference {ref}", "new_household_reference")
        household = Household(
            name=name,
            reference=ref,
            carer_type=fostering_type,
            locality_id=mentee.locality_id,
            status=HouseholdStatus.ACTIVE.value,
        )
        household.members = [HouseholdMember(user_id=user_id)]
        db.session.add(household)
    household.approval_date = household.approval_date or approved_on  # the TSD deadline starts from this date
    if not user.has_role(Role.CARER):
        user.role_rows.append(UserRole(role=Role.CARER.value))
    mentee.approved_on, mentee.fostering_type, mentee.stage = approved_on, fostering_type, "approved"
    mentee.temporary_until = approved_on + timedelta(weeks=TEMPORARY_WEEKS) if temporary else None
    mentee.temporary_extended_until = (
        mentee.temporary_until + timedelta(weeks=EXTENSION_WEEKS) if temporary and extended else None
    )
    db.session.flush()
    mentee.household_id = household.id
    # A new carer in the locality: the support groups for them say hello, if the carer agreed (portal.groups.welcome).
    carers_joined_locality([user_id])
    audit.record(
        db.session,
        "applicant_approved",
        actor_id=actor.id,
        object_type="mentoring_mentee",
        object_id=mentee.id,
        household_id=household.id,
        temporary=temporary or None,
    )
    return household


@dataclass
class ProfileDetails:
    years_fostering: int
    locality_id: int
    fostering_types: tuple[str, ...]
    age_groups: tuple[str, ...]
    languages: tuple[str, ...]
    availability: tuple[str, ...]
    ways: tuple[str, ...]
    capacity: int
    training_completed_on: date | None
    taking_mentees: bool


@transactional
def save_profile(actor: User, mentor: User, d: ProfileDetails) -> MentorProfile:
    """The mentor keeps their own profile; a coordinator may too."""
    if actor.id != mentor.id and not actor.has_role(*COORDINATORS):
        raise MentoringRefused("You cannot change this profile")
    if not mentor.has_role(Role.MENTOR):
        raise MentoringRefused("This person is not a mentor")
    if not 0 <= d.capacity <= 10:
        raise MentoringRefused("Enter how many mentees, from 0 to 10", "capacity")
    if db.session.get(Locality, d.locality_id) is None:
        raise MentoringRefused("Choose the locality", "locality_id")
    if d.training_completed_on and d.training_completed_on > today():
        raise MentoringRefused("The training date must be today or in the past", "training_completed_on")
    profile = db.session.scalar(select(MentorProfile).where(MentorProfile.user_id == mentor.id))
    if profile is None:
        profile = MentorProfile(user_id=mentor.id, locality_id=d.locality_id)
        db.session.add(profile)
    profile.years_fostering, profile.locality_id, profile.capacity = d.years_fostering, d.locality_id, d.capacity
    profile.fostering_types, profile.age_groups = ",".join(d.fostering_types), ",".join(d.age_groups)
    profile.languages = ",".join(w.strip().lower() for w in d.languages if w.strip()) or "english"
    profile.availability, profile.ways = ",".join(d.availability), ",".join(d.ways)
    profile.training_completed_on, profile.taking_mentees = d.training_completed_on, d.taking_mentees
    db.session.flush()
    return profile


@transactional
def set_neighbours(actor: User, locality: Locality, neighbour_ids: list[int]) -> None:
    """Replace a locality's neighbours (kept both ways)."""
    if not actor.has_role(Role.ADMIN, *COORDINATORS):
        raise MentoringRefused("Only an admin can change localities")
    ids = {i for i in neighbour_ids if i != locality.id and db.session.get(Locality, i) is not None}
    db.session.execute(
        delete(LocalityNeighbour).where(
            (LocalityNeighbour.locality_id == locality.id) | (LocalityNeighbour.neighbour_id == locality.id)
        )
    )
    for other in sorted(ids):
        db.session.add(LocalityNeighbour(locality_id=locality.id, neighbour_id=other))
    audit.record(
        db.session,
        "locality_neighbours_set",
        actor_id=actor.id,
        object_type="locality",
        object_id=locality.id,
        neighbours=len(ids),
    )


__all__ = ["MatchRefused", "MentoringRefused"]


@transactional
def set_pay_model(actor: User, model: str, effective_from: date, source: str) -> PayModel:
    """From `effective_from`, mentoring is paid per contact, per hour or per mentee per month (the amounts are the
    payment rates of kind `mentoring`). A second row for the same day replaces the first."""
    if not actor.has_role(Role.ADMIN):
        raise MentoringRefused("Only an admin can change how mentors are paid")
    if model not in PAY_MODEL_LABELS:
        raise MentoringRefused("Choose how mentors are paid", "model")
    row = db.session.scalar(select(PayModel).where(PayModel.effective_from == effective_from))
    if row is None:
        row = PayModel(effective_from=effective_from)
        db.session.add(row)
    row.model, row.source = model, source.strip()[:300]
    db.session.flush()
    audit.record(
        db.session,
        "mentoring_pay_model_set",
        actor_id=actor.id,
        object_type="mentoring_pay_model",
        object_id=row.id,
        model=model,
        effective_from=effective_from.isoformat(),
    )
    return row
