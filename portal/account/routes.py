"""The "Your account" pages: what we hold about you, your password, security codes and where you are signed in."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user

from portal.account import queries, services
from portal.account.forms import ChangePasswordForm, ConfirmForm, ForgetDeviceForm
from portal.account.services import NotReauthenticated
from portal.auth import reauth, recovery
from portal.auth.gates import login_only

bp = Blueprint("account", __name__, url_prefix="/account")


def _me():
    return current_user._get_current_object()


def reauth_first():
    """Send the person to confirm it is them, coming back to this page afterwards."""
    return redirect(url_for("account.reauthenticate", next=request.path))


@bp.route("")
@login_only
def show_account():
    me = _me()
    return render_template(
        "account/show_account.html",
        user=me,
        roles=sorted(r.label for r in me.roles),
        devices=queries.remembered_devices_of(me),
        passkeys=me.passkeys,
        other_sessions=len(queries.other_sessions_of(me, me.session_record.id if me.session_record else None)),
        confirm=ConfirmForm(),
    )


@bp.route("/change-password", methods=["GET", "POST"])
@login_only
def change_password():
    me = _me()
    if not reauth.is_recent(me.session_record):
        return reauth_first()
    form = ChangePasswordForm()
    if form.validate_on_submit() and form.password_acceptable(email=me.email, name=me.full_name):
        try:
            changed = services.change_password(me, me.session_record, form.current_password.data, form.password.data)
        except NotReauthenticated:
            return reauth_first()
        if changed:
            flash("Your password has been changed. You have been signed out on your other devices.", "success")
            return redirect(url_for("account.show_account"))
        form.current_password.errors.append("Your current password is not right")
    return render_template("account/change_password.html", form=form)


@bp.route("/turn-off-security-codes", methods=["GET", "POST"])
@login_only
def turn_off_mfa():
    me = _me()
    if me.mfa_required:
        flash("Security codes are required for your role, so they cannot be turned off.", "important")
        return redirect(url_for("account.show_account"))
    if not me.mfa_enabled:
        return redirect(url_for("account.show_account"))
    if not reauth.is_recent(me.session_record):
        return reauth_first()
    form = ConfirmForm()
    if form.validate_on_submit():
        try:
            services.turn_off_mfa(me, me.session_record)
        except NotReauthenticated:
            return reauth_first()
        flash("Security codes are turned off. You will sign in with just your password.", "success")
        return redirect(url_for("account.show_account"))
    return render_template("account/turn_off_mfa.html", form=form)


@bp.route("/recovery-codes", methods=["GET", "POST"])
@login_only
def recovery_codes():
    me = _me()
    if not me.has_second_factor:
        return redirect(url_for("account.show_account"))
    form = ConfirmForm()
    if form.validate_on_submit():
        try:
            codes = services.new_recovery_codes(me, me.session_record)
        except NotReauthenticated:
            return reauth_first()
        # Shown in this response only: never stored in plain text, never in a cookie, not cached.
        response = render_template("account/recovery_codes_new.html", codes=codes)
        return response, 200, {"Cache-Control": "no-store"}
    return render_template("account/recovery_codes.html", form=form, left=recovery.codes_left(me))


@bp.route("/forget-device", methods=["POST"])
@login_only
def forget_device():
    form = ForgetDeviceForm()
    if form.validate_on_submit() and services.forget_device(_me(), form.device_id.data):
        flash(
            "That device has been forgotten. You will be asked for a security code next time you sign in on it.",
            "success",
        )
    else:
        flash("That device was already forgotten.", "important")
    return redirect(url_for("account.show_account"))


@bp.route("/forget-all-devices", methods=["POST"])
@login_only
def forget_all_devices():
    if ConfirmForm().validate_on_submit():
        services.forget_all_devices(_me())
        flash("All your devices have been forgotten.", "success")
    return redirect(url_for("account.show_account"))


@bp.route("/sign-out-other-devices", methods=["POST"])
@login_only
def sign_out_other_devices():
    me = _me()
    if ConfirmForm().validate_on_submit():
        services.sign_out_other_devices(me, me.session_record)
        flash("You have been signed out on all your other devices.", "success")
    return redirect(url_for("account.show_account"))


# Their views register on bp.
from portal.account import email_routes, notice_routes, passkey_routes, reauth_routes  # noqa: E402,F401
