"""The scheme report, by quarter or by year, beside the same period last year: the figures of the service's own
annual mentoring report (applicants offered a mentor, responded, wanted one, matched, withdrew before a match,
agreement meetings held and still to hold), median days offer → match and match → first contact, active matches
per mentor, localities with mentees waiting and no available mentor, and feedback.

Years are financial years (1 April to 31 March), as the service reports; quarter 1 is April to June.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, timedelta
from statistics import median

from sqlalchemy import and_, func, select

from portal.core.db import db
from portal.core.pdf import Column, Document
from portal.mentoring import matching, queries
from portal.mentoring.models import Match, MatchStatus, Mentee

BEFORE_MATCH = ("before_offer", "offered", "waiting")
_PERIOD = re.compile(r"^(\d{4})(?:-Q([1-4]))?$")


@dataclass(frozen=True)
class Period:
    year: int  # the financial year starting 1 April of this year
    quarter: int | None = None

    @property
    def start(self) -> date:
        if self.quarter is None:
            return date(self.year, 4, 1)
        month = 4 + 3 * (self.quarter - 1)
        return date(self.year + (month > 12), (month - 1) % 12 + 1, 1)

    @property
    def end(self) -> date:
        """Inclusive."""
        if self.quarter is None:
            return date(self.year + 1, 3, 31)
        return Period(self.year + (self.quarter == 4), (self.quarter % 4) + 1).start - timedelta(days=1)

    @property
    def key(self) -> str:
        return f"{self.year}" + (f"-Q{self.quarter}" if self.quarter else "")

    @property
    def label(self) -> str:
        fy = f"{self.year}-{str(self.year + 1)[2:]}"
        if self.quarter is None:
            return fy
        return f"Q{self.quarter} {fy} ({self.start:%B} to {self.end:%B %Y})"

    def last_year(self) -> Period:
        return Period(self.year - 1, self.quarter)


def period_of(text: str | None, on: date) -> Period:
    """'2026' (financial year 2026-27) or '2026-Q2'; anything else means the current quarter."""
    found = _PERIOD.match(text or "")
    if found and 2000 <= int(found.group(1)) <= on.year:
        return Period(int(found.group(1)), int(found.group(2)) if found.group(2) else None)
    fy = on.year if on.month >= 4 else on.year - 1
    return Period(fy, (on.month - 4) % 12 // 3 + 1)


@dataclass
class Figures:
    period: Period
    offered: int = 0
    responded: int = 0
    wanted: int = 0
    matched: int = 0
    withdrew_before_match: int = 0
    meetings_held: int = 0
    meetings_to_hold: int = 0
    median_offer_to_match: float | None = None
    median_match_to_first_contact: float | None = None
    active_per_mentor: float | None = None
    mentee_feedback: list[str] = field(default_factory=list)
    mentor_feedback: list[str] = field(default_factory=list)


ROWS = (
    ("offered", "Applicants offered a mentor"),
    ("responded", "Responded"),
    ("wanted", "Wanted a mentor"),
    ("matched", "Matched"),
    ("withdrew_before_match", "Withdrew before a match"),
    ("meetings_held", "Agreement meetings held"),
    ("meetings_to_hold", "Agreement meetings still to hold (at the end of the period)"),
    ("median_offer_to_match", "Median days from offer to match"),
    ("median_match_to_first_contact", "Median days from match to first contact"),
    ("active_per_mentor", "Active matches per mentor (at the end of the period)"),
)


def _count(stmt) -> int:
    return db.session.scalar(select(func.count()).select_from(stmt.subquery())) or 0


def figures(period: Period) -> Figures:
    """The period's figures: a fixed number of queries."""
    s, e = period.start, period.end
    f = Figures(period)
    in_period = lambda col: and_(col >= s, col <= e)  # noqa: E731
    f.offered = _count(select(Mentee.id).where(in_period(Mentee.offered_on)))
    f.responded = _count(
        select(Mentee.id).where(in_period(Mentee.responded_on), Mentee.response.in_(("wants", "declined")))
    )
    f.wanted = _count(select(Mentee.id).where(in_period(Mentee.responded_on), Mentee.response == "wants"))
    f.withdrew_before_match = _count(
        select(Mentee.id).where(in_period(Mentee.withdrew_on), Mentee.withdrew_at_step.in_(BEFORE_MATCH))
    )
    matched = list(
        db.session.execute(
            select(Match.accepted_at, Mentee.offered_on, Match.first_contact_on)
            .join(Mentee, Mentee.id == Match.mentee_id)
            .where(Match.accepted_at.is_not(None))
        )
    )
    matched = [(a.date(), o, c) for a, o, c in matched if s <= a.date() <= e]
    f.matched = len(matched)
    days = [(a - o).days for a, o, _ in matched if o is not None and o <= a]
    f.median_offer_to_match = median(days) if days else None
    contact_days = [(c - a).days for a, _, c in matched if c is not None and c >= a]
    f.median_match_to_first_contact = median(contact_days) if contact_days else None
    f.meetings_held = _count(
        select(Match.id).where(Match.agreement_meeting_held.is_(True), in_period(Match.agreement_meeting_on))
    )
    f.meetings_to_hold = _count(
        select(Match.id).where(
            Match.introduced_on <= e,
            (Match.agreement_meeting_held.is_(False)) | (Match.agreement_meeting_on > e),
            (Match.ended_on.is_(None)) | (Match.ended_on > e),
        )
    )
    active = list(
        db.session.execute(
            select(Match.mentor_id, func.count())
            .where(Match.agreement_meeting_held.is_(True), Match.agreement_meeting_on <= e)
            .where((Match.ended_on.is_(None)) | (Match.ended_on > e))
            .group_by(Match.mentor_id)
        )
    )
    mentors = len(queries.mentor_profiles())
    f.active_per_mentor = round(sum(n for _, n in active) / mentors, 1) if mentors else None
    for mentee_fb, mentor_fb in db.session.execute(
        select(Match.mentee_feedback, Match.mentor_feedback).where(in_period(Match.ended_on))
    ):
        if mentee_fb:
            f.mentee_feedback.append(mentee_fb)
        if mentor_fb:
            f.mentor_feedback.append(mentor_fb)
    return f


def localities_without_mentor(on: date) -> list[tuple[str, int]]:
    """Localities with mentees waiting now and no mentor there (or next door) able to take one: (name, waiting)."""
    waiting: dict[int, int] = {}
    for m in queries.waiting_mentees():
        waiting[m.locality_id] = waiting.get(m.locality_id, 0) + 1
    near = queries.neighbours_map()
    covered = {o.locality_id for o in queries.mentor_offers(on) if matching.blocked(o) is None}
    names = queries.locality_names()
    return sorted(
        (names.get(loc, "?"), n)
        for loc, n in waiting.items()
        if loc not in covered and not (near.get(loc, frozenset()) & covered)
    )


def value_text(f: Figures, key: str) -> str:
    value = getattr(f, key)
    if value is None:
        return "–"
    return f"{value:g}" if isinstance(value, float) else str(value)


def csv_rows(now: Figures, before: Figures) -> list[list[str]]:
    return [[label, value_text(now, key), value_text(before, key)] for key, label in ROWS]


def pdf(council: str, now: Figures, before: Figures, gaps: list[tuple[str, int]]) -> bytes:
    doc = Document(f"Mentoring scheme report, {now.period.label}")
    doc.add_page()
    doc.para(council, size=10)
    doc.para(f"Mentoring scheme report: {now.period.label}", size=16, bold=True, gap=3)
    doc.rows(
        [
            Column("Figure", 100),
            Column(now.period.label[:30], 40, "RIGHT"),
            Column("Same period last year", 40, "RIGHT"),
        ],
        csv_rows(now, before),
    )
    doc.heading("Localities with mentees waiting and no available mentor")
    doc.para(
        ", ".join(f"{name} ({n} waiting)" for name, n in gaps) or "None: every waiting mentee has a mentor nearby."
    )
    doc.heading("What mentees said")
    for text in now.mentee_feedback[:30] or ["No feedback in this period."]:
        doc.para(f"“{text}”")
    doc.heading("What mentors said")
    for text in now.mentor_feedback[:30] or ["No feedback in this period."]:
        doc.para(f"“{text}”")
    return doc.bytes()


__all__ = ["MatchStatus", "Period", "figures", "period_of"]
