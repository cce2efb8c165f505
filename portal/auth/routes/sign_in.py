"""Sign in, the second factor (prompt and enrolment) and sign out."""

from __future__ import annotations

from flask import current_app, flash, redirect, render_template, request, session, url_for
from flask_login import current_user, login_user, logout_user

from portal.auth import mfa, services
from portal.auth.forms import MfaCodeForm, SignInForm
from portal.auth.gates import mfa_pending_only, public
from portal.auth.routes import bp
from portal.core.inputs import local_path_or_none

DEVICE_COOKIE = "hearth_device"


def _safe_next(target: str | None) -> str:
    # Only same-site paths: an emailed ?next= link must not bounce people to another site.
    return local_path_or_none(target) or url_for("hub.home")


def _throttle():
    return current_app.extensions["hearth_throttle"]


@bp.route("/sign-in", methods=["GET", "POST"])
@public
def sign_in():
    local_path_or_none(request.args.get("next"))  # a hand-made next= with control characters: 400 straight away
    if current_user.is_authenticated and not (current_user.mfa_required and not current_user.session_mfa_verified):
        return redirect(url_for("hub.home"))
    form = SignInForm()
    status = 200
    if form.validate_on_submit():
        result = services.sign_in(
            _throttle(),
            form.email.data,
            form.password.data,
            address=request.remote_addr,
            device_token=request.cookies.get(DEVICE_COOKIE),
        )
        if result.wait_seconds:
            minutes = max(1, round(result.wait_seconds / 60))
            form.email.errors.append(
                f"There have been too many attempts to sign in. Wait {minutes} minute{'s' if minutes > 1 else ''} "
                "and try again, or reset your password."
            )
            status = 429
        elif result.user is None:
            form.email.errors.append("Enter a correct email address and password")
            status = 401
        else:
            session.clear()
            session["sid"] = result.session.id
            session.permanent = False
            login_user(result.user)
            session["next"] = _safe_next(request.args.get("next"))
            if result.needs_mfa:
                if result.user.mfa_enabled:
                    return redirect(url_for("auth.verify_mfa"))
                return redirect(url_for("auth.set_up_mfa"))
            return redirect(session.pop("next"))
    return render_template("auth/sign_in.html", form=form), status


@bp.route("/sign-in/security-code", methods=["GET", "POST"])
@mfa_pending_only
def verify_mfa():
    if current_user.session_mfa_verified:
        return redirect(url_for("hub.home"))
    if not current_user.mfa_enabled:
        return redirect(url_for("auth.set_up_mfa"))
    form = MfaCodeForm()
    if form.validate_on_submit():
        if services.verify_second_factor(current_user, current_user.session_record, form.code.data):
            response = redirect(session.pop("next", None) or url_for("hub.home"))
            if form.remember_device.data and not current_user.mfa_required:
                days = current_app.config["REMEMBER_DEVICE_DAYS"]
                token = services.remember_device(current_user, days)
                response.set_cookie(
                    DEVICE_COOKIE,
                    token,
                    max_age=days * 86400,
                    httponly=True,
                    samesite="Lax",
                    secure=current_app.config["SESSION_COOKIE_SECURE"],
                )
            return response
        form.code.errors.append("The security code is not right or has expired. Enter the newest code from your app")
    return render_template("auth/verify_mfa.html", form=form, can_remember=not current_user.mfa_required)


@bp.route("/sign-in/set-up-security-codes", methods=["GET", "POST"])
@mfa_pending_only
def set_up_mfa():
    if current_user.mfa_enabled and not current_user.session_mfa_verified:
        return redirect(url_for("auth.verify_mfa"))
    secret = session.get("pending_totp_secret")
    if not secret:
        secret = session["pending_totp_secret"] = mfa.new_secret()
    form = MfaCodeForm()
    if form.validate_on_submit():
        user = current_user._get_current_object()
        if services.enable_mfa(user, user.session_record, secret, form.code.data):
            session.pop("pending_totp_secret", None)
            flash("Security codes are set up. You will be asked for a code each time you sign in.", "success")
            return redirect(session.pop("next", None) or url_for("hub.home"))
        form.code.errors.append(
            "The security code is not right. Check the time on your phone and enter the newest code"
        )
    uri = mfa.provisioning_uri(
        secret, current_user.email, f"{current_app.config['SERVICE_NAME']} ({current_app.config['COUNCIL_NAME']})"
    )
    return render_template(
        "auth/set_up_mfa.html",
        form=form,
        qr=mfa.qr_svg(uri),
        manual_key=" ".join(secret[i : i + 4] for i in range(0, len(secret), 4)),
        required=current_user.mfa_required,
    )


@bp.route("/sign-out", methods=["POST"])
@mfa_pending_only
def sign_out():
    services.sign_out(current_user, current_user.session_record)
    logout_user()
    session.clear()
    return redirect(url_for("auth.signed_out"))


@bp.route("/signed-out")
@public
def signed_out():
    # A page of its own (not a flash on the sign-in page) so a shared family phone plainly shows nobody is signed in.
    if current_user.is_authenticated:
        return redirect(url_for("hub.home"))
    return render_template("auth/signed_out.html")
