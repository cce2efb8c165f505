"""Sign in, the second factor (prompt, recovery code, enrolment) and sign out."""

from __future__ import annotations

from flask import current_app, flash, redirect, render_template, request, session, url_for
from flask_login import current_user, login_user, logout_user

from portal.auth import device_cookie, mfa, reauth, second_factor, services
from portal.auth.forms import MfaCodeForm, PasskeyForm, RecoveryCodeForm, SignInForm
from portal.auth.gates import mfa_pending_only, public, second_factor_redirect
from portal.auth.routes import bp
from portal.core.inputs import local_path_or_none

DEVICE_COOKIE = "hearth_device"


def safe_next(target: str | None) -> str:
    # Only same-site paths: an emailed ?next= link must not bounce people to another site.
    return local_path_or_none(target) or url_for("hub.home")


def _throttle():
    return current_app.extensions["hearth_throttle"]


def wait_message(seconds: int, what: str) -> str:
    if seconds < 60:  # the first doubling wait is 30 seconds: say so, or the waits do not seem to grow
        wait = f"{max(1, seconds)} seconds"
    else:
        minutes = round(seconds / 60)
        wait = f"{minutes} minute{'s' if minutes > 1 else ''}"
    return f"There have been too many {what}. Wait {wait} and try again"


def _set_cookie(response, name: str, value: str, days: int) -> None:
    response.set_cookie(
        name,
        value,
        max_age=days * 86400,
        httponly=True,
        samesite="Lax",
        secure=current_app.config["SESSION_COOKIE_SECURE"],
    )


@bp.route("/sign-in", methods=["GET", "POST"])
@public
def sign_in():
    local_path_or_none(request.args.get("next"))  # a hand-made next= with control characters: 400 straight away
    if current_user.is_authenticated and not current_user.second_factor_owed:
        return redirect(url_for("hub.home"))
    form = SignInForm()
    status = 200
    if form.validate_on_submit():
        secret_key = current_app.config["SECRET_KEY"]
        known = device_cookie.device_id(secret_key, request.cookies.get(device_cookie.COOKIE), form.email.data)
        result = services.sign_in(
            _throttle(),
            form.email.data,
            form.password.data,
            address=request.remote_addr,
            device_token=request.cookies.get(DEVICE_COOKIE),
            known_device=known,
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
            session["next"] = safe_next(request.args.get("next"))
            if result.needs_mfa:
                target = "auth.verify_mfa" if result.user.has_second_factor else "auth.set_up_mfa"
                response = redirect(url_for(target))
            else:
                response = redirect(session.pop("next"))
            if known is None:  # this browser now knows the account: a password storm elsewhere will not slow it
                _set_cookie(
                    response,
                    device_cookie.COOKIE,
                    device_cookie.issue(secret_key, form.email.data),
                    device_cookie.MAX_AGE_DAYS,
                )
            return response
    return render_template("auth/sign_in.html", form=form, passkey_form=PasskeyForm(formdata=None)), status


@bp.route("/sign-in/security-code", methods=["GET", "POST"])
@mfa_pending_only
def verify_mfa():
    if current_user.session_mfa_verified:
        return redirect(url_for("hub.home"))
    if not current_user.has_second_factor:
        return redirect(url_for("auth.set_up_mfa"))
    form = MfaCodeForm()
    status = 200
    if form.validate_on_submit():
        checked = services.verify_second_factor(current_user, current_user.session_record, form.code.data)
        if checked.ok:
            return _after_second_factor(form.remember_device.data)
        if checked.wait_seconds:
            form.code.errors.append(wait_message(checked.wait_seconds, "wrong codes"))
            status = 429
        else:
            form.code.errors.append(
                "The security code is not right or has expired. Enter the newest code from your app"
            )
    return (
        render_template(
            "auth/verify_mfa.html",
            form=form,
            passkey_form=PasskeyForm(formdata=None),
            can_remember=not current_user.mfa_required,
        ),
        status,
    )


def _after_second_factor(remember: bool):
    response = redirect(session.pop("next", None) or url_for("hub.home"))
    if remember and not current_user.mfa_required:
        days = current_app.config["REMEMBER_DEVICE_DAYS"]
        _set_cookie(response, DEVICE_COOKIE, services.remember_device(current_user, days), days)
    return response


@bp.route("/sign-in/recovery-code", methods=["GET", "POST"])
@mfa_pending_only
def use_recovery_code():
    if current_user.session_mfa_verified:
        return redirect(url_for("hub.home"))
    if not current_user.has_second_factor:
        return redirect(url_for("auth.set_up_mfa"))
    form = RecoveryCodeForm()
    status = 200
    if form.validate_on_submit():
        checked = services.verify_second_factor(
            current_user, current_user.session_record, form.code.data, kind=second_factor.RECOVERY
        )
        if checked.ok:
            # Most likely the phone is lost: the account page is where codes move to a new phone (allowed for the
            # next 10 minutes without asking again) and new recovery codes are made.
            flash(
                "You are signed in with a recovery code, which cannot be used again. If you have lost your phone, "
                "move your security codes to a new one and create new recovery codes below.",
                "important",
            )
            return redirect(url_for("account.show_account"))
        if checked.wait_seconds:
            form.code.errors.append(wait_message(checked.wait_seconds, "wrong codes"))
            status = 429
        else:
            form.code.errors.append("That recovery code is not right or has been used. Check it and try again")
    return render_template("auth/use_recovery_code.html", form=form), status


@bp.route("/sign-in/set-up-security-codes", methods=["GET", "POST"])
@mfa_pending_only
def set_up_mfa():
    if current_user.has_second_factor and not current_user.session_mfa_verified:
        return redirect(url_for("auth.verify_mfa"))
    if current_user.mfa_enabled and not reauth.is_recent(current_user.session_record):
        # Moving codes to a new app replaces the old one: prove it is you first (password and current code).
        return redirect(url_for("account.reauthenticate", next=url_for("auth.set_up_mfa")))
    secret = session.get("pending_totp_secret")
    if not secret:
        secret = session["pending_totp_secret"] = mfa.new_secret()
    form = MfaCodeForm()
    if form.validate_on_submit():
        user = current_user._get_current_object()
        if services.enable_mfa(user, user.session_record, secret, form.code.data):
            session.pop("pending_totp_secret", None)
            flash("Security codes are set up. You will be asked for a code each time you sign in.", "success")
            # Next, a way back in if the phone is lost (recovery codes come from the account page).
            return redirect(url_for("account.recovery_codes"))
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
        return second_factor_redirect() or redirect(url_for("hub.home"))
    return render_template("auth/signed_out.html")
