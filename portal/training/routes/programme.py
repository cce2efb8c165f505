"""The coordinator's programme: courses and sessions (add, change, cancel), a session's list with the waiting list
to reorder, and moving people between sessions."""

from __future__ import annotations

from datetime import datetime, time, timedelta, timezone

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select

from portal.auth.gates import requires_role
from portal.auth.roles import Role
from portal.core import clock
from portal.core.db import db
from portal.core.inputs import id_or_none
from portal.core.pagination import page_number, paginate
from portal.core.templating import uk_date
from portal.training import programme, services
from portal.training.forms import CancelSessionForm, CourseForm, EmptyForm, MoveForm, SessionForm
from portal.training.models import Course, TrainingSession
from portal.training.policy import load_booking, load_course, load_session
from portal.training.routes import bp

STAFF = (Role.TRAINING_COORDINATOR, Role.ADMIN)


@bp.route("/training/programme")
@requires_role(*STAFF)
def list_programme():
    """Sessions to come (or past ones, with ?show=past), with places and the waiting list, and the courses."""
    now = clock.now()
    past = request.args.get("show") == "past"
    stmt = select(TrainingSession).join(TrainingSession.course)
    stmt = (
        stmt.where(TrainingSession.starts_at <= now).order_by(TrainingSession.starts_at.desc())
        if past
        else stmt.where(TrainingSession.starts_at > now).order_by(TrainingSession.starts_at)
    )
    page = paginate(stmt, page_number(request.args))
    pager = page.govuk(lambda n: url_for("training.list_programme", page=n, show="past" if past else None))
    courses = list(db.session.scalars(select(Course).order_by(Course.title).limit(200)))
    return render_template("training/list_programme.html", page=page, pager=pager, past=past, courses=courses)


def _course_input(form: CourseForm) -> programme.CourseInput:
    return programme.CourseInput(
        title=form.title.data,
        description=form.description.data or "",
        topic=form.topic.data,
        audience=form.audience.data,
        format=form.format.data,
        minutes=int((form.hours.number or 0) * 60),
        tsd_standards=[int(n) for n in form.tsd_standards.data or []],
        mandatory_for=list(form.mandatory_for.data or []),
        expiry_months=form.expiry_months.data,
        elearning_url=form.elearning_url.data or None,
        is_active=bool(form.is_active.data),
    )


@bp.route("/training/courses/new", methods=["GET", "POST"])
@requires_role(*STAFF)
def add_course():
    form = CourseForm()
    if form.validate_on_submit():
        course = programme.save_course(current_user, _course_input(form))
        flash(f"{course.title} added. Now add its sessions.", "success")
        return redirect(url_for("training.show_course", course_id=course.id))
    return render_template(
        "training/edit_course.html", form=form, course=None
    ), 422 if request.method == "POST" else 200


@bp.route("/training/courses/<int:course_id>")
@requires_role(*STAFF)
def show_course(course_id: int):
    course = load_course(current_user, course_id)
    sessions = list(
        db.session.scalars(
            select(TrainingSession)
            .where(TrainingSession.course_id == course.id)
            .order_by(TrainingSession.starts_at.desc())
            .limit(100)
        )
    )
    return render_template("training/show_course.html", course=course, sessions=sessions)


@bp.route("/training/courses/<int:course_id>/edit", methods=["GET", "POST"])
@requires_role(*STAFF)
def edit_course(course_id: int):
    course = load_course(current_user, course_id)
    form = CourseForm(obj=course if request.method == "GET" else None)
    if request.method == "GET":
        form.hours.data = f"{course.minutes / 60:g}"
        form.tsd_standards.data = [str(n) for n in course.standards]
        form.mandatory_for.data = course.mandatory_types
    if form.validate_on_submit():
        programme.save_course(current_user, _course_input(form), course)
        flash("Course saved", "success")
        return redirect(url_for("training.show_course", course_id=course.id))
    return render_template(
        "training/edit_course.html", form=form, course=course
    ), 422 if request.method == "POST" else 200


def _at(day, at: time | None, field: str) -> datetime | None:
    """The London time `at` on `day`. Raises ProgrammeRefused (on `field`) for a time that does not exist because
    the clocks go forward that night (01:00 to 02:00 on the last Sunday of March)."""
    if not (day and at):
        return None
    local = datetime.combine(day, at, tzinfo=clock.LONDON)
    if local.astimezone(timezone.utc).astimezone(clock.LONDON).replace(tzinfo=None) != local.replace(tzinfo=None):
        raise programme.ProgrammeRefused(
            f"{at:%H:%M} does not exist on {uk_date(day)}: the clocks go forward an hour that night, "
            "from 01:00 to 02:00",
            field,
        )
    return local


def _session_input(form: SessionForm) -> programme.SessionInput:
    """Raises ValueError (with the field) for a time that cannot be read."""
    times = {}
    for name in ("part1_start", "part1_end", "part2_start", "part2_end"):
        try:
            times[name] = form.times_one(name)
        except ValueError as exc:
            raise programme.ProgrammeRefused(str(exc), name) from None
    parts = [
        (
            _at(form.part1_date.data, times["part1_start"], "part1_start"),
            _at(form.part1_date.data, times["part1_end"], "part1_end"),
        )
    ]
    if form.part2_date.data:
        if not (times["part2_start"] and times["part2_end"]):
            raise programme.ProgrammeRefused("Enter when the second part starts and ends", "part2_start")
        parts.append(
            (
                _at(form.part2_date.data, times["part2_start"], "part2_start"),
                _at(form.part2_date.data, times["part2_end"], "part2_end"),
            )
        )
    deadline = datetime.combine(form.deadline.data + timedelta(days=1), time(0), tzinfo=clock.LONDON)
    return programme.SessionInput(
        parts=[(s.astimezone(timezone.utc), e.astimezone(timezone.utc)) for s, e in parts],
        venue_name=form.venue_name.data or "",
        venue_address=form.venue_address.data or "",
        access_notes=form.access_notes.data or "",
        joining_link=form.joining_link.data or None,
        capacity=form.capacity.data,
        trainer_name=form.trainer_name.data or "",
        booking_deadline=deadline.astimezone(timezone.utc),
    )


def _edit_session(course: Course, session: TrainingSession | None):
    form = SessionForm()
    if request.method == "GET" and session is not None:
        local = [(p.starts_at.astimezone(clock.LONDON), p.ends_at.astimezone(clock.LONDON)) for p in session.parts]
        form.part1_date.data, form.part1_start.data, form.part1_end.data = (
            local[0][0].date(),
            f"{local[0][0]:%H:%M}",
            f"{local[0][1]:%H:%M}",
        )
        if len(local) > 1:
            form.part2_date.data, form.part2_start.data, form.part2_end.data = (
                local[1][0].date(),
                f"{local[1][0]:%H:%M}",
                f"{local[1][1]:%H:%M}",
            )
        for name in ("venue_name", "venue_address", "access_notes", "joining_link", "capacity", "trainer_name"):
            getattr(form, name).data = getattr(session, name)
        form.deadline.data = (session.booking_deadline.astimezone(clock.LONDON) - timedelta(minutes=1)).date()
    status = 200
    if form.validate_on_submit():
        try:
            saved = programme.save_session(current_user, course, _session_input(form), session)
        except programme.ProgrammeRefused as exc:
            getattr(form, exc.field or "part1_date").errors = [str(exc)]
            status = 422
        else:
            flash("Session saved", "success")
            return redirect(url_for("training.show_session", session_id=saved.id))
    elif request.method == "POST":
        status = 422
    return render_template("training/edit_session.html", form=form, course=course, session=session), status


@bp.route("/training/courses/<int:course_id>/sessions/new", methods=["GET", "POST"])
@requires_role(*STAFF)
def add_session(course_id: int):
    return _edit_session(load_course(current_user, course_id), None)


@bp.route("/training/sessions/<int:session_id>/edit", methods=["GET", "POST"])
@requires_role(*STAFF)
def edit_session(session_id: int):
    session = load_session(current_user, session_id)
    return _edit_session(session.course, session)


@bp.route("/training/sessions/<int:session_id>/cancel", methods=["GET", "POST"])
@requires_role(*STAFF)
def cancel_session(session_id: int):
    session = load_session(current_user, session_id)
    form = CancelSessionForm()
    status = 200
    if form.validate_on_submit():
        try:
            told = programme.cancel_session(current_user, session, form.reason.data)
        except programme.ProgrammeRefused as exc:
            form.reason.errors = [str(exc)]
            status = 422
        else:
            flash(f"Session cancelled. {told} {'person has' if told == 1 else 'people have'} been told.", "success")
            return redirect(url_for("training.show_session", session_id=session.id))
    elif request.method == "POST":
        status = 422
    return render_template("training/cancel_session.html", form=form, session=session), status


@bp.route("/training/bookings/<int:booking_id>/move", methods=["GET", "POST"])
@requires_role(*STAFF)
def move_booking(booking_id: int):
    booking = load_booking(current_user, booking_id)
    form = MoveForm()
    options = list(
        db.session.scalars(
            select(TrainingSession)
            .where(
                TrainingSession.course_id == booking.session.course_id,
                TrainingSession.id != booking.session_id,
                TrainingSession.cancelled_at.is_(None),
                TrainingSession.starts_at > clock.now(),
            )
            .order_by(TrainingSession.starts_at)
            .limit(50)
        )
    )
    form.target.choices = [
        (
            str(s.id),
            f"{s.course.title}, {s.starts_at.astimezone(clock.LONDON):%-d %B %Y %H:%M} ({s.places_left} places left)",
        )
        for s in options
    ]
    status = 200
    if request.method == "POST" and not options:
        flash("There is no other session of this course to move them to", "error")
        return redirect(url_for("training.show_session", session_id=booking.session_id))
    if form.validate_on_submit():
        target = next((s for s in options if s.id == id_or_none(form.target.data)), None)
        if target is None:
            form.target.errors = ["Choose one of the sessions listed"]
            status = 422
        else:
            try:
                services.move_booking(current_user, booking, target)
            except services.BookingRefused as exc:
                form.target.errors = [str(exc)]
                status = 422
            else:
                flash(f"{booking.user.full_name} moved. They have been told.", "success")
                return redirect(url_for("training.show_session", session_id=target.id))
    elif request.method == "POST":
        status = 422
    return render_template("training/move_booking.html", form=form, booking=booking, options=options), status


@bp.route("/training/bookings/<int:booking_id>/waiting-list/<any(up, down):direction>", methods=["POST"])
@requires_role(*STAFF)
def reorder_waiting_list(booking_id: int, direction: str):
    booking = load_booking(current_user, booking_id)
    if EmptyForm().validate_on_submit():
        try:
            services.move_in_waiting_list(current_user, booking, direction)
        except services.BookingRefused as exc:
            flash(str(exc), "error")
    return redirect(url_for("training.show_session", session_id=booking.session_id) + "#waiting-list")
