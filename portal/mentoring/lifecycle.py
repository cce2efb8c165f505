"""A match from proposal to end: proposed → accepted (within 3 days, else the next-best mentor is asked) →
introduced → first contact (within 7 days) → agreement meeting → active → ended. Every step is a MatchEvent."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from portal.auth.models import Invitation, User, UserRole
from portal.auth.roles import Role
from portal.core import audit
from portal.core.clock import today
from portal.core.db import db, utcnow
from portal.core.links import path_to
from portal.core.notice_kinds import MENTORING_MATCH
from portal.core.notify import notify_in_app, send_email
from portal.core.unit_of_work import transactional
from portal.mentoring import matching, queries
from portal.mentoring.models import LIVE_STATUSES, Match, MatchEvent, MatchStatus, Mentee
from portal.mentoring.policy import is_coordinator

# Days a mentor has to answer a proposal, and days from introduction to the first contact: the service's own
# scheme rules (the issue's lifecycle), the same as the generic platforms' "a few days to accept".
ACCEPT_DAYS = 3
FIRST_CONTACT_DAYS = 7
# Days after the first-contact reminder before the coordinator is told.
COORDINATOR_AFTER_REMINDER_DAYS = 3


class MatchRefused(ValueError):
    """A rule said no; the message is for the person."""


def coordinator_ids() -> list[int]:
    return list(
        db.session.scalars(
            select(User.id)
            .join(UserRole, UserRole.user_id == User.id)
            .where(UserRole.role == Role.MENTORING_COORDINATOR.value, User.is_active.is_(True))
        )
    )


def tell_coordinators(text: str, link: str) -> None:
    for uid in coordinator_ids():
        notify_in_app(uid, text, link)


def _event(match: Match, step: str, actor: User | None, note: str | None = None) -> None:
    db.session.add(MatchEvent(match_id=match.id, step=step, actor_id=actor.id if actor else None, note=note))


def mentee_user_id(mentee: Mentee) -> int | None:
    """The mentee's account: set on the row, or the account their invitation created."""
    if mentee.user_id is None and mentee.invitation_id is not None:
        mentee.user_id = db.session.scalar(select(Invitation.user_id).where(Invitation.id == mentee.invitation_id))
    return mentee.user_id


def _require_coordinator(actor: User) -> None:
    if not is_coordinator(actor):
        raise MatchRefused("Only a mentoring coordinator can do this")


def _propose(actor: User | None, mentee: Mentee, mentor_id: int, on: date) -> Match:
    """Add a proposal, after checking the hard limits again inside this transaction."""
    if mentee.withdrew_on is not None or mentee.response != "wants":
        raise MatchRefused(f"{mentee.full_name} has not said they want a mentor")
    offers = {o.id: o for o in queries.mentor_offers(on)}
    offer = offers.get(mentor_id)
    if offer is None:
        raise MatchRefused("Choose a mentor")
    why = matching.blocked(offer)
    if why:
        raise MatchRefused(f"This mentor cannot be matched: {why}")
    fit = matching.score(queries.needs_of(mentee), offer, queries.neighbours_map(), queries.locality_names())
    match = Match(
        mentee_id=mentee.id,
        mentor_id=mentor_id,
        mentee_user_id=mentee_user_id(mentee),
        status=MatchStatus.PROPOSED,
        score=fit.score,
        reasons="\n".join(fit.reasons),
        proposed_by_id=actor.id if actor else None,
        respond_by=on + timedelta(days=ACCEPT_DAYS),
    )
    try:
        with db.session.begin_nested():
            db.session.add(match)
            db.session.flush()
    except IntegrityError:
        raise MatchRefused(
            f"{mentee.full_name} was matched by someone else a moment ago: their match is shown below"
        ) from None
    _event(match, "proposed", actor, f"score {fit.score}")
    notify_in_app(
        mentor_id,
        "You have been asked to mentor someone: please answer within 3 days",
        path_to("mentoring.show_match", match_id=match.id),
        kind=MENTORING_MATCH.name,
    )
    mentor = db.session.get(User, mentor_id)
    send_email(
        mentor.email,
        "You have been asked to mentor someone",
        "mentoring_proposal",
        name=mentor.full_name,
        link_path=path_to("mentoring.show_match", match_id=match.id),
        respond_by=match.respond_by.isoformat(),
        kind=MENTORING_MATCH.name,
    )
    audit.record(
        db.session,
        "mentoring_match_proposed",
        actor_id=actor.id if actor else None,
        object_type="mentoring_match",
        object_id=match.id,
        mentee_id=mentee.id,
        mentor_id=mentor_id,
    )
    return match


@transactional
def propose_match(actor: User, mentee: Mentee, mentor_id: int) -> Match:
    """Ask a mentor to take a mentee. Raises MatchRefused (hard limit, not waiting, or matched meanwhile).

    The mentee row is locked first (PostgreSQL), and the partial unique index on live matches settles the rest:
    two coordinators matching the same mentee at once end with one match.
    """
    _require_coordinator(actor)
    db.session.execute(select(Mentee.id).where(Mentee.id == mentee.id).with_for_update())
    live = db.session.scalar(
        select(Match.id).where(Match.mentee_id == mentee.id, Match.status.in_(LIVE_STATUSES)).limit(1)
    )
    if live is not None:
        raise MatchRefused(f"{mentee.full_name} already has a match: end it before matching again")
    return _propose(actor, mentee, mentor_id, today())


@transactional
def propose_batch(actor: User, pairs: dict[int, int]) -> tuple[list[Match], list[str]]:
    """Send the batch the coordinator reviewed: mentee id → mentor id. Returns the proposals made and, in words,
    each pair that could not be made (matched meanwhile, or the mentor's places filled)."""
    _require_coordinator(actor)
    made, problems = [], []
    for mentee_id, mentor_id in pairs.items():
        mentee = db.session.get(Mentee, mentee_id)
        if mentee is None:
            continue
        try:
            with db.session.begin_nested():
                made.append(propose_match(actor, mentee, mentor_id))
        except MatchRefused as exc:
            problems.append(str(exc))
    return made, problems


def _ask_next_best(match: Match, why: str, on: date) -> Match | None:
    """After a decline or no answer: ask the best mentor not yet asked for this mentee, and tell the coordinators."""
    mentee = match.mentee
    asked = set(db.session.scalars(select(Match.mentor_id).where(Match.mentee_id == mentee.id)))
    fits = matching.rank(queries.needs_of(mentee), queries.mentor_offers(on), queries.neighbours_map())
    link = path_to("mentoring.show_mentee", mentee_id=mentee.id)
    for fit in fits:
        if fit.blocked is None and fit.mentor_id not in asked:
            try:
                nxt = _propose(None, mentee, fit.mentor_id, on)
            except MatchRefused:
                continue
            tell_coordinators(f"{why} for {mentee.full_name}: the next-best mentor has been asked", link)
            return nxt
    tell_coordinators(f"{why} for {mentee.full_name}, and no other mentor is free: please match by hand", link)
    return None


@transactional
def answer_proposal(actor: User, match: Match, accept: bool, note: str | None = None) -> Match | None:
    """The mentor accepts or declines. A decline asks the next-best mentor (returned)."""
    if actor.id != match.mentor_id:
        raise MatchRefused("Only the mentor asked can answer")
    if match.status != MatchStatus.PROPOSED:
        raise MatchRefused("This request has already been answered")
    if accept:
        match.status, match.accepted_at = MatchStatus.ACCEPTED, utcnow()
        _event(match, "accepted", actor)
        tell_coordinators(
            f"{actor.full_name} accepted {match.mentee.full_name}: introduce them",
            path_to("mentoring.show_mentee", mentee_id=match.mentee_id),
        )
        return None
    match.status = MatchStatus.DECLINED
    _event(match, "declined", actor, (note or "")[:500] or None)
    db.session.flush()
    return _ask_next_best(match, f"{actor.full_name} declined", today())


@transactional
def expire_proposals(on: date) -> int:
    """Proposals not answered by their day: marked timed out, and the next-best mentor asked. Idempotent."""
    late = list(
        db.session.scalars(
            select(Match).where(Match.status == MatchStatus.PROPOSED, Match.respond_by < on).with_for_update(of=Match)
        ).unique()
    )
    for match in late:
        match.status = MatchStatus.TIMED_OUT
        _event(match, "timed_out", None)
        db.session.flush()
        _ask_next_best(match, f"{match.mentor.full_name} did not answer in {ACCEPT_DAYS} days", on)
    return len(late)


@transactional
def introduce(actor: User, match: Match) -> None:
    _require_coordinator(actor)
    if match.status != MatchStatus.ACCEPTED:
        raise MatchRefused("Only an accepted match can be introduced")
    if mentee_user_id(match.mentee) is None:
        raise MatchRefused(f"{match.mentee.full_name} has not accepted their invitation to Hearth yet")
    match.mentee_user_id = match.mentee.user_id
    match.status, match.introduced_on = MatchStatus.INTRODUCED, today()
    _event(match, "introduced", actor)
    link = path_to("mentoring.show_conversation", match_id=match.id)
    notify_in_app(
        match.mentor_id,
        f"You have been introduced to {match.mentee.full_name}: please get in touch within {FIRST_CONTACT_DAYS} days",
        link,
        kind=MENTORING_MATCH.name,
    )
    notify_in_app(
        match.mentee_user_id,
        f"{match.mentor.full_name} is your mentor: you can message them in Hearth",
        link,
        kind=MENTORING_MATCH.name,
    )


def note_first_contact(match: Match, on: date) -> None:
    if match.first_contact_on is None or on < match.first_contact_on:
        if match.first_contact_on is None:
            _event(match, "first_contact", None)
        match.first_contact_on = on


@transactional
def record_agreement_meeting(actor: User, match: Match, on: date, held: bool) -> None:
    if not (is_coordinator(actor) or actor.id == match.mentor_id):
        raise MatchRefused("Only the coordinator or the mentor can record the agreement meeting")
    if match.status not in (MatchStatus.INTRODUCED, MatchStatus.ACTIVE):
        raise MatchRefused("The two need to be introduced first")
    if held and on > today():
        raise MatchRefused("A meeting that was held must have a date today or in the past")
    match.agreement_meeting_on, match.agreement_meeting_held = on, held
    if held:
        match.status = MatchStatus.ACTIVE
        note_first_contact(match, on)
    _event(match, "agreement_meeting_held" if held else "agreement_meeting_planned", actor, on.isoformat())


@transactional
def end_match(actor: User, match: Match, reason: str) -> None:
    """End a live match. The conversation stays readable for both; no new messages."""
    _require_coordinator(actor)
    reason = (reason or "").strip()
    if not reason:
        raise MatchRefused("Enter why the match is ending")
    if not match.is_live:
        raise MatchRefused("This match has already ended")
    match.status, match.ended_on, match.end_reason = MatchStatus.ENDED, today(), reason[:500]
    _event(match, "ended", actor, reason[:500])


@transactional
def give_feedback(actor: User, match: Match, text: str) -> None:
    text = (text or "").strip()
    if not text:
        raise MatchRefused("Enter your feedback")
    if actor.id == match.mentor_id:
        match.mentor_feedback = text[:4000]
    elif actor.id == match.mentee_user_id:
        match.mentee_feedback = text[:4000]
    else:
        raise MatchRefused("Only the two people in the match can give feedback")
    _event(match, "feedback", actor)


@transactional
def remind_first_contacts(on: date) -> int:
    """Introduced matches with no contact after 7 days: remind the mentor once; 3 days later tell the coordinators."""
    done = 0
    due = on - timedelta(days=FIRST_CONTACT_DAYS)
    for match in db.session.scalars(
        select(Match).where(
            Match.status == MatchStatus.INTRODUCED, Match.first_contact_on.is_(None), Match.introduced_on <= due
        )
    ).unique():
        link = path_to("mentoring.show_conversation", match_id=match.id)
        if match.first_contact_reminded_on is None:
            match.first_contact_reminded_on = on
            notify_in_app(
                match.mentor_id,
                f"Please get in touch with {match.mentee.full_name}: it has been "
                f"{FIRST_CONTACT_DAYS} days since you were introduced",
                link,
            )
            _event(match, "first_contact_reminder", None)
            done += 1
        elif match.first_contact_reminded_on <= on - timedelta(days=COORDINATOR_AFTER_REMINDER_DAYS):
            told = db.session.scalar(
                select(MatchEvent.id).where(MatchEvent.match_id == match.id, MatchEvent.step == "first_contact_late")
            )
            if told is None:
                tell_coordinators(
                    f"No first contact yet between {match.mentor.full_name} and {match.mentee.full_name}",
                    path_to("mentoring.show_mentee", mentee_id=match.mentee_id),
                )
                _event(match, "first_contact_late", None)
                done += 1
    return done
