"""Demo scheme history: fifteen months of past mentees, as the coordinators' spreadsheet held them."""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta, timezone

from portal.auth.models import User
from portal.core.db import db
from portal.mentoring.models import Match, Mentee


def _at(day: date, hour: int = 19) -> datetime:
    return datetime.combine(day, time(hour, 0), tzinfo=timezone.utc)


def load_history(localities, mentors: dict[str, User], on: date, rng: random.Random) -> None:
    """Fifteen months of past mentees (from the coordinators' spreadsheet): offers, answers, matches, agreement
    meetings and endings with feedback, so the scheme report has this period and the same period last year."""
    names, locs = list(mentors), list(localities.values())
    feedback = [
        ("Having someone who had been through panel kept us going.", "Lovely family; they will be great carers."),
        (
            "Our mentor would have kept us from quitting, and did.",
            "We met monthly; the TSD workbook was the main topic.",
        ),
        ("Really helpful about allowances and what to expect.", "Moved to a support group, which suits them better."),
    ]
    for i in range(36):
        offered = on - timedelta(days=30 + i * 12)
        # Approval comes about five months after the offer; those offered more recently are still at panel.
        approved = offered + timedelta(days=150) if i % 4 else None
        if approved is not None and approved > on - timedelta(days=7):
            approved = None
        mentee = Mentee(
            full_name=f"Former applicant {i + 1}",
            email=f"former{i + 1}@example.org",
            locality_id=locs[i % len(locs)].id,
            fostering_type=("mainstream", "kinship", "short_breaks")[i % 3],
            age_groups="5_10",
            stage="approved" if approved else ("panel" if i % 4 else "stage_2"),
            approved_on=approved,
            offered_on=offered,
            offered_how=("phone", "email", "letter")[i % 3],
        )
        db.session.add(mentee)
        if i % 6 == 5:
            continue  # never answered
        mentee.responded_on = offered + timedelta(days=rng.randint(1, 10))
        mentee.response = "declined" if i % 5 == 4 else "wants"
        if mentee.response == "declined":
            continue
        if i % 7 == 3:
            mentee.withdrew_on, mentee.withdrew_at_step = mentee.responded_on + timedelta(days=8), "waiting"
            continue
        db.session.flush()
        mentor = mentors[names[(i * 7) % len(names)]]
        accepted = mentee.responded_on + timedelta(days=rng.randint(2, 12))
        introduced = accepted + timedelta(days=2)
        # Every past match has ended (the year's live matches are the demo mentees above).
        ended = max(introduced, min(introduced + timedelta(days=rng.randint(90, 200)), on - timedelta(days=1)))
        mentee_fb, mentor_fb = feedback[i % 3]
        done = True
        db.session.add(
            Match(
                mentee_id=mentee.id,
                mentor_id=mentor.id,
                status="ended" if done else "active",
                score=70,
                proposed_at=_at(accepted - timedelta(days=1), 10),
                respond_by=accepted + timedelta(days=2),
                accepted_at=_at(accepted, 11),
                introduced_on=introduced,
                first_contact_on=introduced + timedelta(days=rng.randint(1, 8)),
                agreement_meeting_on=introduced + timedelta(days=14),
                agreement_meeting_held=i % 9 != 2,
                ended_on=ended if done else None,
                end_reason=("First year complete" if approved else "Mentoring finished") if done else None,
                mentee_feedback=mentee_fb if done else None,
                mentor_feedback=mentor_fb if done else None,
            )
        )
