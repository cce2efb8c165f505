"""A person's learning record: courses, hours, certificates, mandatory training, the household's TSD progress; the
PDF for the annual review; uploading a certificate from elsewhere; the evaluation after a session."""

from __future__ import annotations

from flask import Response, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user

from portal.auth.gates import requires_role
from portal.auth.roles import Role
from portal.core import clock
from portal.core.files import UploadRejected
from portal.core.uploads import TooManyUploads, send_rendition
from portal.people.queries import household_of
from portal.training import attendance, certificates
from portal.training.documents import learning_record_pdf
from portal.training.forms import CertificateForm, EmptyForm, EvaluationForm
from portal.training.learning import household_record
from portal.training.models import BookingStatus
from portal.training.policy import load_certificate, load_own_booking
from portal.training.queries import certificates_of, people_bookable_by, upcoming_bookings, waiting_position
from portal.training.routes import bp

LEARNERS = (Role.CARER, Role.APPLICANT)
CERTIFICATE_READERS = (Role.CARER, Role.APPLICANT, Role.SSW, Role.TRAINING_COORDINATOR, Role.ADMIN)


def _summary():
    household = household_of(current_user) if current_user.has_role(Role.CARER) else None
    people = people_bookable_by(current_user)
    return household, people, household_record(household, people, clock.today())


@bp.route("/training/record")
@requires_role(*LEARNERS)
def show_my_record():
    household, people, summary = _summary()
    ids = [p.id for p in people]
    upcoming = upcoming_bookings(ids, clock.now())
    positions = {b.id: waiting_position(b) for b in upcoming if b.status == BookingStatus.WAITING}
    return render_template(
        "training/show_my_record.html",
        summary=summary,
        upcoming=upcoming,
        positions=positions,
        certificates=certificates_of(ids),
        action=EmptyForm(),
        household=household,
    )


@bp.route("/training/record.pdf")
@requires_role(*LEARNERS)
def download_learning_record():
    _household, _people, summary = _summary()
    pdf = learning_record_pdf(summary, current_app.config["COUNCIL_NAME"])
    return Response(
        pdf,
        mimetype="application/pdf",
        headers={
            "Content-Disposition": 'attachment; filename="learning-record.pdf"',
            "Cache-Control": "private, no-store",
        },
    )


@bp.route("/training/certificates/new", methods=["GET", "POST"])
@requires_role(*LEARNERS)
def upload_certificate():
    people = {str(p.id): p for p in people_bookable_by(current_user)}
    form = CertificateForm()
    form.person.choices = [(k, "Me" if p.id == current_user.id else p.full_name) for k, p in people.items()]
    if request.method == "GET":
        form.person.data = str(current_user.id)
    status = 200
    if form.validate_on_submit():
        try:
            certificates.upload_certificate(
                current_user,
                people[form.person.data],
                household_of(current_user) if current_user.has_role(Role.CARER) else None,
                title=form.title.data,
                completed_on=form.completed_on.data,
                minutes=int((form.hours.number or 0) * 60),
                tsd_standard=int(form.tsd_standard.data) if form.tsd_standard.data else None,
                upload=certificates.Upload(form.file.data.stream, form.file.data.filename),
            )
        except TooManyUploads as exc:
            form.file.errors = [str(exc)]
            return render_template("training/upload_certificate.html", form=form), 429
        except (UploadRejected, certificates.CertificateRefused) as exc:
            getattr(form, getattr(exc, "field", None) or "file").errors = [str(exc)]
            form.note_files_not_kept()
            status = 422
        else:
            flash("Thank you. The training team will check the certificate and add it to the record.", "success")
            return redirect(url_for("training.show_my_record"))
    elif request.method == "POST":
        status = 422
    return render_template("training/upload_certificate.html", form=form), status


@bp.route("/training/certificates/<int:certificate_id>/file")
@requires_role(*CERTIFICATE_READERS)
def download_certificate(certificate_id: int):
    certificate = load_certificate(current_user, certificate_id)
    if not certificate.file.is_ready:
        flash("The file is still being checked", "error")
        return redirect(url_for("training.show_my_record"))
    return send_rendition(certificate.file, "master", as_attachment=True)


@bp.route("/training/bookings/<int:booking_id>/evaluation", methods=["GET", "POST"])
@requires_role(*LEARNERS)
def evaluate_booking(booking_id: int):
    booking = load_own_booking(current_user, booking_id)
    form = EvaluationForm()
    status = 200
    if form.validate_on_submit():
        try:
            attendance.give_evaluation(
                current_user,
                booking,
                usefulness=int(form.usefulness.data),
                before=int(form.before.data),
                after=int(form.after.data),
                comments=form.comments.data or "",
            )
        except attendance.AttendanceRefused as exc:
            flash(str(exc), "error")
        else:
            flash("Thank you. Your answers are shared with the trainer without your name.", "success")
        return redirect(url_for("training.show_my_record"))
    elif request.method == "POST":
        status = 422
    return render_template("training/evaluate_booking.html", form=form, booking=booking), status
