"""Welcoming new carers: the coordinators of the groups for a carer in their locality are told about them, so they
can invite them, but only when the carer has agreed to be introduced (the services' own reports do this by hand).

`welcome_new_carer(user_id)` is called when a carer is approved (applicant approval), when a carer is added to a
household and when a household moves to another locality (portal.people.events).
"""

from __future__ import annotations

from sqlalchemy import select

from portal.auth.models import User
from portal.auth.roles import Role
from portal.core.db import db, utcnow
from portal.core.jobs import enqueue, job
from portal.core.links import path_to, url_to
from portal.core.notify import notify_in_app, send_email
from portal.core.unit_of_work import transactional
from portal.groups.models import Audience, GroupWelcome, IntroductionConsent, SupportGroup
from portal.people.models import CarerType
from portal.people.queries import household_of

# Who a group is for, by the household's type of fostering; groups for everyone go to every carer.
FOR_EVERY_CARER = {Audience.ALL_CARERS, Audience.REFLECTIVE, Audience.WALK_AND_TALK}
FOR_CARER_TYPE = {
    CarerType.KINSHIP: {Audience.KINSHIP, Audience.SPECIAL_GUARDIANS},
    CarerType.MOCKINGBIRD: {Audience.MOCKINGBIRD},
}


def has_agreed_to_introductions(user_id: int) -> bool:
    consent = db.session.get(IntroductionConsent, user_id)
    return bool(consent and consent.agreed)


@transactional
def set_introduction_consent(actor: User, agreed: bool) -> None:
    """The carer's own choice, on their account pages; changing it later tells nobody anything new."""
    consent = db.session.get(IntroductionConsent, actor.id)
    if consent is None:
        consent = IntroductionConsent(user_id=actor.id)
        db.session.add(consent)
    consent.agreed, consent.decided_at = agreed, utcnow()


def groups_for_carer(user: User) -> list[SupportGroup]:
    household = household_of(user)
    if household is None:
        return []
    audiences = FOR_EVERY_CARER | FOR_CARER_TYPE.get(CarerType(household.carer_type), set())
    stmt = select(SupportGroup).where(
        SupportGroup.locality_id == household.locality_id,
        SupportGroup.is_active.is_(True),
        SupportGroup.audience.in_([str(a) for a in audiences]),
    )
    return list(db.session.scalars(stmt.order_by(SupportGroup.name)))


@transactional
def welcome_new_carer(user_id: int) -> int:
    """Tell the coordinators of the groups for this carer in their locality (in-app and by email), once per group;
    nothing at all unless the carer agreed to be introduced. Returns how many groups' coordinators were told."""
    user = db.session.get(User, user_id)
    if user is None or not user.is_active or not user.has_role(Role.CARER) or not has_agreed_to_introductions(user_id):
        return 0
    told = 0
    for group in groups_for_carer(user):
        seen = db.session.scalar(
            select(GroupWelcome).where(GroupWelcome.group_id == group.id, GroupWelcome.carer_id == user_id)
        )
        if seen is not None:
            continue
        db.session.add(GroupWelcome(group_id=group.id, carer_id=user_id))
        for coordinator in group.coordinators:
            if coordinator.user_id == user_id or not coordinator.user.is_active:
                continue
            text = f"{user.full_name} has joined {group.locality.name} and would like to hear about {group.name}"
            notify_in_app(coordinator.user_id, text, path_to("groups.show_group", group_id=group.id))
            send_email(
                coordinator.user.email,
                f"A new carer would like to hear about {group.name}",
                "group_welcome",
                carer_name=user.full_name,
                carer_email=user.email,
                group_name=group.name,
                locality=group.locality.name,
                link=url_to("groups.show_group", group_id=group.id),
            )
        told += 1
    return told


@job(retries=3, retry_delay=60)
def welcome_new_carer_job(user_id: int) -> None:
    welcome_new_carer(user_id)


def queue_welcomes(user_ids: list[int]) -> None:
    """Subscriber to portal.people.events.carers_joined_locality: the welcomes run after that change commits."""
    for user_id in user_ids:
        enqueue(welcome_new_carer_job, user_id)
