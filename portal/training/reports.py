"""The coordinator's reports: uptake by course, locality and carer type; no-shows; mandatory training compliance;
TSD completion within the deadline; evaluation scores (totals only, never who said what). Each is a few grouped
queries whatever the amount of data."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from sqlalchemy import case, func, or_, select

from portal.auth.models import User
from portal.core.clock import LONDON
from portal.core.db import db
from portal.people.models import (
    CARER_TYPE_LABELS,
    CarerType,
    Household,
    HouseholdMember,
    HouseholdStatus,
    Locality,
)
from portal.training.models import (
    ATTENDANCE,
    Booking,
    BookingStatus,
    Course,
    Evaluation,
    TrainingRecord,
    TrainingSession,
    TsdSignOff,
)
from portal.training.rules import (
    EXPIRING_WITHIN_DAYS,
    FAMILY_AND_FRIENDS,
    first_approval_due_by,
    standards_for,
    tsd_deadline,
)

ATTENDED = (BookingStatus.ATTENDED, BookingStatus.PARTLY)
# The chart's bar widths in 5% steps (static/css/hearth.scss), written out in full so that the CSS build, which keeps
# only classes it finds in the sources, keeps them all.
BAR_CLASSES = (
    "hearth-bar--0",
    "hearth-bar--5",
    "hearth-bar--10",
    "hearth-bar--15",
    "hearth-bar--20",
    "hearth-bar--25",
    "hearth-bar--30",
    "hearth-bar--35",
    "hearth-bar--40",
    "hearth-bar--45",
    "hearth-bar--50",
    "hearth-bar--55",
    "hearth-bar--60",
    "hearth-bar--65",
    "hearth-bar--70",
    "hearth-bar--75",
    "hearth-bar--80",
    "hearth-bar--85",
    "hearth-bar--90",
    "hearth-bar--95",
    "hearth-bar--100",
)


def bar_class(value: int, most: int) -> str:
    """The width class of a bar for `value` out of the largest `most` (at least the 5% step, so no bar vanishes)."""
    if most <= 0 or value <= 0:
        return BAR_CLASSES[0]
    return BAR_CLASSES[max(1, min(20, round(20 * value / most)))]


def _between(date_from: date, date_to: date):
    """Sessions starting on the days from `date_from` to `date_to` inclusive, in England."""
    start = datetime.combine(date_from, time(0), tzinfo=LONDON)
    end = datetime.combine(date_to + timedelta(days=1), time(0), tzinfo=LONDON)
    return TrainingSession.starts_at >= start, TrainingSession.starts_at < end


@dataclass
class Uptake:
    label: str
    attended: int
    absent: int = 0

    @property
    def no_show_percent(self) -> int:
        marked = self.attended + self.absent
        return round(100 * self.absent / marked) if marked else 0


@dataclass
class ComplianceRow:
    person: str
    household: str
    course: str
    status: str  # "overdue" or "expiring"
    expires_on: date | None


@dataclass
class EvaluationScore:
    course: str
    answers: int
    usefulness: float
    before: float
    after: float


@dataclass
class Report:
    date_from: date
    date_to: date
    by_course: list[Uptake] = field(default_factory=list)
    by_locality: list[Uptake] = field(default_factory=list)
    by_carer_type: list[Uptake] = field(default_factory=list)
    no_show_percent: int = 0
    late_cancellations: int = 0
    compliance: list[ComplianceRow] = field(default_factory=list)
    tsd: dict[str, int] = field(default_factory=dict)
    evaluations: list[EvaluationScore] = field(default_factory=list)
    comments: list[tuple[str, str]] = field(default_factory=list)  # (course, comment), never who wrote it

    @staticmethod
    def bar(uptake: Uptake, items: list[Uptake]) -> str:
        return bar_class(uptake.attended, max((u.attended for u in items), default=0))


def _uptake(group_by, label, date_from: date, date_to: date, join_household: bool) -> list[Uptake]:
    stmt = (
        select(
            label,
            func.sum(case((Booking.status.in_(ATTENDED), 1), else_=0)),
            func.sum(case((Booking.status == BookingStatus.ABSENT, 1), else_=0)),
        )
        .select_from(Booking)
        .join(TrainingSession, TrainingSession.id == Booking.session_id)
        .join(Course, Course.id == TrainingSession.course_id)
        .where(
            Booking.status.in_(ATTENDANCE),
            *_between(date_from, date_to),
        )
    )
    if join_household:
        stmt = stmt.join(Household, Household.id == Booking.household_id).join(
            Locality, Locality.id == Household.locality_id
        )
    rows = db.session.execute(stmt.group_by(*group_by)).all()
    return sorted((Uptake(str(lbl), int(a or 0), int(b or 0)) for lbl, a, b in rows), key=lambda u: -u.attended)


PARTS = frozenset({"uptake", "compliance", "tsd", "evaluations"})


def build_report(date_from: date, date_to: date, on: date, parts: frozenset[str] = PARTS) -> Report:
    """The report for the days from `date_from` to `date_to`, as things stand on `on`: only the `parts` asked for
    (a CSV download needs one), the others left empty."""
    report = Report(date_from, date_to)
    if "uptake" in parts:
        _fill_uptake(report)
    if "compliance" in parts:
        report.compliance = compliance(on)
    if "tsd" in parts:
        report.tsd = tsd_completion(date_from, on)
    if "evaluations" in parts:
        report.evaluations = evaluation_scores(date_from, date_to)
        report.comments = [
            (title, text)
            for title, text in db.session.execute(
                select(Course.title, Evaluation.comments)
                .join(TrainingSession, TrainingSession.id == Evaluation.session_id)
                .join(Course, Course.id == TrainingSession.course_id)
                .where(Evaluation.comments != "", *_between(date_from, date_to))
                .order_by(Evaluation.created_at.desc())
                .limit(20)
            )
        ]
    return report


def _fill_uptake(report: Report) -> None:
    date_from, date_to = report.date_from, report.date_to
    report.by_course = _uptake([Course.title], Course.title, date_from, date_to, False)
    report.by_locality = _uptake([Locality.name], Locality.name, date_from, date_to, True)
    by_type = _uptake([Household.carer_type], Household.carer_type, date_from, date_to, True)
    report.by_carer_type = [Uptake(CARER_TYPE_LABELS.get(u.label, u.label), u.attended, u.absent) for u in by_type]
    attended = sum(u.attended for u in report.by_course)
    absent = sum(u.absent for u in report.by_course)
    report.no_show_percent = round(100 * absent / (attended + absent)) if attended + absent else 0
    report.late_cancellations = db.session.scalar(
        select(func.count())
        .select_from(Booking)
        .join(TrainingSession, TrainingSession.id == Booking.session_id)
        .where(
            Booking.status == BookingStatus.LATE_CANCELLED,
            *_between(date_from, date_to),
        )
    )


def compliance(on: date) -> list[ComplianceRow]:
    """Carers of active households whose mandatory training is missing or expired (overdue), or expires within
    EXPIRING_WITHIN_DAYS: three queries."""
    courses = list(db.session.scalars(select(Course).where(Course.is_active.is_(True), Course.mandatory_for != "")))
    if not courses:
        return []
    people = db.session.execute(
        select(User.id, User.full_name, Household.name, Household.carer_type)
        .join(HouseholdMember, HouseholdMember.user_id == User.id)
        .join(Household, Household.id == HouseholdMember.household_id)
        .where(Household.status == HouseholdStatus.ACTIVE)
    ).all()
    latest = {
        (uid, cid): (done, expires)
        for uid, cid, done, expires in db.session.execute(
            select(
                TrainingRecord.user_id,
                TrainingRecord.course_id,
                func.max(TrainingRecord.completed_on),
                func.max(TrainingRecord.expires_on),
            )
            .where(TrainingRecord.course_id.in_([c.id for c in courses]))
            .group_by(TrainingRecord.user_id, TrainingRecord.course_id)
        )
    }
    soon = on + timedelta(days=EXPIRING_WITHIN_DAYS)
    rows = []
    for uid, name, household, carer_type in people:
        for course in courses:
            if carer_type not in course.mandatory_types:
                continue
            found = latest.get((uid, course.id))
            if found is None:
                rows.append(ComplianceRow(name, household, course.title, "overdue", None))
            elif found[1] is not None and found[1] < on:
                rows.append(ComplianceRow(name, household, course.title, "overdue", found[1]))
            elif found[1] is not None and found[1] <= soon:
                rows.append(ComplianceRow(name, household, course.title, "expiring", found[1]))
    return sorted(rows, key=lambda r: (r.status != "overdue", r.household, r.person))


def tsd_completion(date_from: date, on: date) -> dict[str, int]:
    """Active households by TSD outcome on `on`: completed within the deadline, completed late, overdue (past the
    deadline, not complete), in progress. Only households whose deadline falls on or after `date_from`, the period's
    start: one whose deadline passed before the period began belongs to an earlier period's report.

    Two queries over those households alone (an index on status and approval date finds them, the deadline following
    from the approval date: portal.training.rules): counts for those not complete, and one row for each complete
    one, whose last sign-off is compared with its deadline."""
    family = Household.carer_type.in_(FAMILY_AND_FRIENDS)
    since = {ff: first_approval_due_by(_type_of(ff), date_from) for ff in (True, False)}
    due_by_now = {ff: first_approval_due_by(_type_of(ff), on) for ff in (True, False)}
    needed = or_(~family, TsdSignOff.standard.in_(standards_for(CarerType.KINSHIP)))
    per_household = (
        select(
            family.label("family"),
            Household.approval_date.label("approved"),
            func.count(TsdSignOff.id).filter(needed).label("signed"),
            func.max(TsdSignOff.signed_off_at).filter(needed).label("last"),
        )
        .outerjoin(TsdSignOff, TsdSignOff.household_id == Household.id)
        .where(
            Household.status == HouseholdStatus.ACTIVE,
            Household.approval_date >= min(since.values()),  # the index's range; the line below is exact
            case((family, Household.approval_date >= since[True]), else_=Household.approval_date >= since[False]),
        )
        .group_by(Household.id, Household.carer_type, Household.approval_date)
        .subquery()
    )
    required = case((per_household.c.family, len(standards_for(CarerType.KINSHIP))), else_=len(standards_for(None)))
    overdue = case(
        (per_household.c.family, per_household.c.approved < due_by_now[True]),
        else_=per_household.c.approved < due_by_now[False],
    )
    out = {"within": 0, "late": 0, "overdue": 0, "in_progress": 0}
    for is_overdue, count in db.session.execute(
        select(overdue, func.count()).where(per_household.c.signed < required).group_by(overdue)
    ):
        out["overdue" if is_overdue else "in_progress"] += count
    for family_carers, approved, last in db.session.execute(
        select(per_household.c.family, per_household.c.approved, per_household.c.last).where(
            per_household.c.signed >= required
        )
    ):
        deadline = tsd_deadline(_type_of(family_carers), approved)
        out["within" if _day(last) <= deadline else "late"] += 1
    return out


def _type_of(family: bool) -> str:
    """A carer type standing for family and friends carers, or for all others (the TSD rules tell only these two
    apart)."""
    return CarerType.KINSHIP if family else CarerType.MAINSTREAM


def _day(value) -> date:
    """The day of a sign-off time as the database returns its aggregate (SQLite: text, PostgreSQL: a datetime)."""
    return (value if isinstance(value, datetime) else datetime.fromisoformat(str(value))).date()


def evaluation_scores(date_from: date, date_to: date) -> list[EvaluationScore]:
    rows = db.session.execute(
        select(
            Course.title,
            func.count(Evaluation.id),
            func.avg(Evaluation.usefulness),
            func.avg(Evaluation.confidence_before),
            func.avg(Evaluation.confidence_after),
        )
        .join(TrainingSession, TrainingSession.id == Evaluation.session_id)
        .join(Course, Course.id == TrainingSession.course_id)
        .where(*_between(date_from, date_to))
        .group_by(Course.title)
        .order_by(Course.title)
    ).all()
    return [
        EvaluationScore(t, int(n), round(float(u), 1), round(float(b), 1), round(float(a), 1)) for t, n, u, b, a in rows
    ]
