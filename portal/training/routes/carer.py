"""Carers' and applicants' training pages: the catalogue, a session, booking, cancelling and answering offers."""

from __future__ import annotations

from datetime import datetime, timedelta

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user

from portal.auth.gates import requires_role
from portal.auth.roles import Role
from portal.core import clock
from portal.core.calendar import to_ics
from portal.core.pagination import page_number, paginate
from portal.core.refusals import not_found
from portal.people.queries import household_of
from portal.training import services
from portal.training.calendar import NOT_CONFIRMED, booking_events
from portal.training.forms import BookForm, EmptyForm, FilterForm
from portal.training.models import BookingStatus, CourseFormat
from portal.training.policy import load_own_booking, load_session
from portal.training.queries import (
    bookings_of,
    catalogue,
    is_training_staff,
    overlapping,
    people_bookable_by,
    session_bookings,
    topics,
    waiting_position,
)
from portal.training.routes import bp

LEARNERS = (Role.CARER, Role.APPLICANT)
READERS = (Role.CARER, Role.APPLICANT, Role.TRAINING_COORDINATOR, Role.ADMIN)


def _months(now: datetime) -> list[tuple[str, str]]:
    local = now.astimezone(clock.LONDON)
    out, year, month = [("", "Any month")], local.year, local.month
    for _ in range(12):
        out.append((f"{year}-{month:02d}", datetime(year, month, 1).strftime("%B %Y")))
        year, month = year + (month == 12), month % 12 + 1
    return out


@bp.route("/training")
@requires_role(*LEARNERS)
def list_sessions():
    """The catalogue: sessions to come, mandatory and expiring courses first, with places left."""
    now = clock.now()
    form = FilterForm(request.args)
    form.month.choices = _months(now)
    form.topic.choices = [("", "Any topic")] + [(t, t) for t in topics(current_user)]
    people = people_bookable_by(current_user)
    ids = [p.id for p in people]
    stmt = catalogue(
        current_user,
        now,
        month=form.month.data or "",
        fmt=form.format.data or "",
        topic=form.topic.data or "",
        person_ids=ids,
    )
    page = paginate(stmt, page_number(request.args))
    args = {k: v for k, v in request.args.items() if k != "page" and v}
    pager = page.govuk(lambda n: url_for("training.list_sessions", page=n, **args))
    mine = bookings_of(ids, [s.id for s in page.items])
    household = household_of(current_user) if current_user.has_role(Role.CARER) else None
    return render_template(
        "training/list_sessions.html",
        form=form,
        page=page,
        pager=pager,
        mine=mine,
        people=people,
        filtered=bool(args),
        carer_type=household.carer_type if household else None,
        now=now,
    )


@bp.route("/training/sessions/<int:session_id>")
@requires_role(*READERS)
def show_session(session_id: int):
    session = load_session(current_user, session_id)
    now = clock.now()
    people = people_bookable_by(current_user)
    mine = bookings_of([p.id for p in people], [session.id])
    bookings = [(p, mine.get((session.id, p.id))) for p in people]
    positions = {b.id: waiting_position(b) for _, b in bookings if b is not None and b.status == BookingStatus.WAITING}
    is_booked = any(b is not None and b.status in (BookingStatus.BOOKED, BookingStatus.OFFERED) for _, b in bookings)
    form = BookForm()
    form.people.choices = [
        (str(p.id), "Me" if p.id == current_user.id else p.full_name)
        for p, b in bookings
        if not (b and b.status in (BookingStatus.BOOKED, BookingStatus.OFFERED, BookingStatus.WAITING))
    ]
    clashes = [] if is_booked or is_training_staff(current_user) else overlapping(current_user.id, session)
    return render_template(
        "training/show_session.html",
        session=session,
        clashes=clashes,
        bookings=bookings,
        positions=positions,
        show_link=is_booked or is_training_staff(current_user),
        closed=services.why_closed(session, now),
        form=form,
        action=EmptyForm(),
        staff=is_training_staff(current_user),
        roster=session_bookings(session) if is_training_staff(current_user) else None,
        now=now,
        venue=session.course.format == CourseFormat.VENUE,
    )


@bp.route("/training/sessions/<int:session_id>/book", methods=["POST"])
@requires_role(*LEARNERS)
def book_session(session_id: int):
    session = load_session(current_user, session_id)
    form = BookForm()
    people = {str(p.id): p for p in people_bookable_by(current_user)}
    form.people.choices = [(k, p.full_name) for k, p in people.items()]
    if not form.validate_on_submit():
        flash("Choose who to book", "error")
        return redirect(url_for("training.show_session", session_id=session.id))
    chosen = [people[k] for k in form.people.data if k in people]
    try:
        outcomes = services.book(current_user, session, chosen)
    except services.BookingRefused as exc:
        flash(str(exc), "error")
        return redirect(url_for("training.show_session", session_id=session.id))
    for outcome in outcomes:
        who = "You" if outcome.booking.user_id == current_user.id else outcome.booking.user.full_name
        if outcome.booking.status == BookingStatus.BOOKED:
            flash(f"{who}: booked." if outcome.created else f"{who}: already booked.", "success")
        else:
            flash(
                f"{who}: the session is full, so on the waiting list. We will tell you at once if a place comes free.",
                "success",
            )
        clashes = overlapping(outcome.booking.user_id, session)
        if clashes:
            flash(
                f"{who}: this overlaps with {', '.join(c.session.course.title for c in clashes)}, "
                "where a place is already held.",
                "warning",
            )
    return redirect(url_for("training.show_session", session_id=session.id))


def _booking_action(booking_id: int, action, done: str):
    booking = load_own_booking(current_user, booking_id)
    if EmptyForm().validate_on_submit():
        try:
            action(current_user, booking)
        except services.BookingRefused as exc:
            flash(str(exc), "error")
        else:
            flash(done, "success")
    return redirect(
        request.form.get("back") == "record"
        and url_for("training.show_my_record")
        or url_for("training.show_session", session_id=booking.session_id)
    )


@bp.route("/training/bookings/<int:booking_id>/cancel", methods=["POST"])
@requires_role(*READERS)
def cancel_booking(booking_id: int):
    return _booking_action(booking_id, services.cancel_booking, "Cancelled. Thank you for letting us know.")


@bp.route("/training/bookings/<int:booking_id>/accept", methods=["POST"])
@requires_role(*LEARNERS)
def accept_offer(booking_id: int):
    return _booking_action(booking_id, services.accept_offer, "The place is yours: you are booked.")


@bp.route("/training/bookings/<int:booking_id>/decline", methods=["POST"])
@requires_role(*LEARNERS)
def decline_offer(booking_id: int):
    return _booking_action(booking_id, services.decline_offer, "The place has gone to the next person waiting.")


@bp.route("/training/bookings/<int:booking_id>/calendar.ics")
@requires_role(*READERS)
def download_booking_calendar(booking_id: int):
    """The session's parts as calendar events, with the joining link (the person is booked). An offered place or a
    waiting-list entry is not confirmed, so it has no calendar file (404)."""
    booking = load_own_booking(current_user, booking_id)
    if booking.status in NOT_CONFIRMED:
        not_found(current_user, "training_booking_calendar", booking.id)
    body = to_ics(booking_events(booking, with_link=True), name=booking.session.course.title)
    return (
        body,
        200,
        {
            "Content-Type": "text/calendar; charset=utf-8",
            "Content-Disposition": f'attachment; filename="training-{booking.session_id}.ics"',
            "Cache-Control": "private, no-store",
        },
    )


@bp.route("/training/bookings/<int:booking_id>/mileage")
@requires_role(Role.CARER)
def start_mileage_claim(booking_id: int):
    """A mileage claim for the journey to a venue session attended, with the date, place and purpose filled in."""
    booking = load_own_booking(current_user, booking_id)
    session = booking.session
    if (
        booking.user_id != current_user.id
        or booking.status not in (BookingStatus.ATTENDED, BookingStatus.PARTLY)
        or session.course.format != CourseFormat.VENUE
    ):
        flash("A journey can be claimed for a session at a venue that you attended", "error")
        return redirect(url_for("training.show_session", session_id=session.id))
    local = session.starts_at.astimezone(clock.LONDON).date()
    return redirect(
        url_for(
            "claims.start_claim",
            kind="mileage",
            line_date=local.isoformat(),
            to_place=(session.venue_address or session.venue_name)[:120],
            category="training",
            note=f"Training: {session.course.title}"[:2000],
        )
    )


def upcoming_window(now: datetime) -> datetime:
    return now - timedelta(days=30)
