"""The register on a phone or tablet, and the coordinator's queue of uploaded certificates to verify or refuse."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user

from portal.auth.gates import requires_role
from portal.auth.roles import Role
from portal.core import clock
from portal.core.pagination import page_number, paginate
from portal.training import attendance, certificates
from portal.training.forms import EmptyForm, RefuseForm
from portal.training.models import ATTENDANCE, HOLDS_PLACE, BookingStatus
from portal.training.policy import load_certificate, load_session
from portal.training.queries import certificates_to_verify, session_bookings
from portal.training.routes import bp

STAFF = (Role.TRAINING_COORDINATOR, Role.ADMIN)
ON_REGISTER = (BookingStatus.BOOKED, *ATTENDANCE)


@bp.route("/training/sessions/<int:session_id>/register", methods=["GET", "POST"])
@requires_role(*STAFF)
def mark_register(session_id: int):
    """One row per person booked: attended, partly, absent. Late cancellations are listed under it."""
    session = load_session(current_user, session_id)
    everyone = session_bookings(session)
    rows = [b for b in everyone if b.status in ON_REGISTER or b.status in HOLDS_PLACE]
    late = [b for b in everyone if b.status == BookingStatus.LATE_CANCELLED]
    form = EmptyForm()
    status = 200
    if form.validate_on_submit():
        marks = {}
        for booking in rows:
            value = request.form.get(f"mark-{booking.id}", "")
            if value in ATTENDANCE:
                marks[booking.id] = value
        try:
            certify = attendance.mark_register(current_user, session, marks)
        except attendance.AttendanceRefused as exc:
            flash(str(exc), "error")
            status = 422
        else:
            flash(
                f"Register saved: {len(marks)} marked. Certificates are being made for {len(certify)} "
                "and filed in their households' training certificates folders.",
                "success",
            )
            return redirect(url_for("training.mark_register", session_id=session.id))
    elif request.method == "POST":
        status = 422
    return render_template(
        "training/mark_register.html",
        session=session,
        rows=rows,
        late=late,
        form=form,
        opens=session.starts_at <= clock.now(),
        no_shows=sum(1 for b in rows if b.status == BookingStatus.ABSENT),
    ), status


@bp.route("/training/certificates")
@requires_role(*STAFF)
def list_certificates():
    page = paginate(certificates_to_verify(), page_number(request.args))
    pager = page.govuk(lambda n: url_for("training.list_certificates", page=n))
    return render_template(
        "training/list_certificates.html", page=page, pager=pager, form=EmptyForm(), refuse=RefuseForm()
    )


@bp.route("/training/certificates/<int:certificate_id>/verify", methods=["POST"])
@requires_role(*STAFF)
def verify_certificate(certificate_id: int):
    certificate = load_certificate(current_user, certificate_id)
    if EmptyForm().validate_on_submit():
        try:
            certificates.verify_certificate(current_user, certificate)
        except certificates.CertificateRefused as exc:
            flash(str(exc), "error")
        else:
            flash(f"Verified: {certificate.title} for {certificate.user.full_name}", "success")
    return redirect(url_for("training.list_certificates"))


@bp.route("/training/certificates/<int:certificate_id>/refuse", methods=["POST"])
@requires_role(*STAFF)
def refuse_certificate(certificate_id: int):
    certificate = load_certificate(current_user, certificate_id)
    form = RefuseForm()
    if form.validate_on_submit():
        try:
            certificates.refuse_certificate(current_user, certificate, form.reason.data)
        except certificates.CertificateRefused as exc:
            flash(str(exc), "error")
        else:
            flash(f"Refused: {certificate.title}. {certificate.user.full_name} has been told why.", "success")
    else:
        flash("Enter why the certificate is refused", "error")
    return redirect(url_for("training.list_certificates"))
