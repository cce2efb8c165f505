"""Passkeys at the door: signing in with a passkey alone, and a passkey as the second step after the password."""

from __future__ import annotations

from flask import current_app, redirect, render_template, request, session, url_for
from flask_login import current_user, login_user

from portal.auth import passkeys, services
from portal.auth.forms import MfaCodeForm, PasskeyForm, SignInForm
from portal.auth.gates import mfa_pending_only, public, second_factor_redirect
from portal.auth.routes import bp
from portal.auth.routes.sign_in import safe_next, wait_message
from portal.core.db import db


def current_rp() -> passkeys.RelyingParty:
    return passkeys.relying_party(current_app.config["BASE_URL"], current_app.config["SERVICE_NAME"])


def options_response(purpose: str, user=None):
    """A fresh challenge for the browser; its id is kept in the signed session cookie until the answer comes."""
    if purpose == "register":
        challenge_id, options = passkeys.registration_options(user, current_rp())
    else:
        challenge_id, options = passkeys.authentication_options(current_rp(), purpose, user)
    db.session.commit()
    session[f"passkey_{purpose}"] = challenge_id
    return current_app.response_class(options, mimetype="application/json")


@bp.route("/sign-in/passkey/options", methods=["POST"])
@public
def passkey_sign_in_options():
    return options_response("sign_in")


@bp.route("/sign-in/passkey", methods=["POST"])
@public
def sign_in_with_passkey():
    form = PasskeyForm()
    if form.validate_on_submit():
        try:
            result = services.sign_in_with_passkey(
                current_rp(), session.pop("passkey_sign_in", None), form.credential.data, address=request.remote_addr
            )
        except passkeys.PasskeyError as exc:
            form.credential.errors.append(str(exc))
        else:
            session.clear()
            session["sid"] = result.session.id
            session.permanent = False
            login_user(result.user)
            return redirect(safe_next(request.args.get("next")))
    return render_template("auth/sign_in.html", form=SignInForm(formdata=None), passkey_form=form), 400


@bp.route("/sign-in/security-code/passkey/options", methods=["POST"])
@mfa_pending_only
def passkey_second_factor_options():
    me = current_user._get_current_object()
    if not me.has_passkey:  # nothing to answer with: the code page, enrolment, or (step already passed) home
        return second_factor_redirect() or redirect(url_for("hub.home"))
    return options_response("second_factor", me)


@bp.route("/sign-in/security-code/passkey", methods=["POST"])
@mfa_pending_only
def verify_mfa_with_passkey():
    me = current_user._get_current_object()
    if me.session_mfa_verified:
        return redirect(url_for("hub.home"))
    if not me.has_passkey:  # nothing to check it against: the code page (or enrolment) is the way on
        return second_factor_redirect()
    form = PasskeyForm()
    status = 400
    if form.validate_on_submit():
        checked = services.verify_passkey_second_factor(
            me, me.session_record, current_rp(), session.pop("passkey_second_factor", None), form.credential.data
        )
        if checked.ok:
            return redirect(session.pop("next", None) or url_for("hub.home"))
        if checked.wait_seconds:
            form.credential.errors.append(wait_message(checked.wait_seconds, "wrong attempts"))
            status = 429
        else:
            form.credential.errors.append(checked.problem)
    return render_template(
        "auth/verify_mfa.html",
        form=MfaCodeForm(formdata=None),
        passkey_form=form,
        can_remember=not me.mfa_required,
    ), status
