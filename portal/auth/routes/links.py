"""Pages reached from emailed links: accepting an invitation, and forgotten-password requests and resets."""

from __future__ import annotations

from flask import current_app, redirect, render_template, session, url_for
from flask_login import login_user

from portal.auth import invitations, resets
from portal.auth.forms import ForgottenPasswordForm, NewPasswordForm
from portal.auth.gates import public
from portal.auth.invitations import LinkState
from portal.auth.routes import bp


def _start(user, session_id: str) -> None:
    # A fresh cookie: whoever was signed in on this browser before (a shared family phone) is signed out.
    session.clear()
    session["sid"] = session_id
    login_user(user)


def _unusable(template: str, state: LinkState):
    # 410 for every unusable link, known or not: the answer must not reveal which tokens ever existed.
    return render_template(template, state=state.value), 410


@bp.route("/invitation/<string:token>", methods=["GET", "POST"])
@public
def accept_invitation(token: str):
    invitation, state = invitations.find_invitation(token)
    if state is not LinkState.VALID:
        return _unusable("auth/invitation_unusable.html", state)
    form = NewPasswordForm()
    if form.validate_on_submit() and form.password_acceptable(email=invitation.email, name=invitation.full_name):
        accepted = invitations.accept_invitation(token, form.password.data)
        if accepted is None:  # used in another tab a moment ago
            return _unusable("auth/invitation_unusable.html", LinkState.USED)
        _start(accepted.user, accepted.session_id)
        if accepted.user.mfa_required:
            return redirect(url_for("auth.set_up_mfa"))
        return redirect(url_for("hub.home"))
    return render_template("auth/accept_invitation.html", form=form, invitation=invitation)


@bp.route("/forgotten-password", methods=["GET", "POST"])
@public
def forgotten_password():
    form = ForgottenPasswordForm()
    if form.validate_on_submit():
        resets.request_password_reset(form.email.data, minutes=current_app.config["PASSWORD_RESET_MINUTES"])
        # The same page whether or not the address is known: this form must not reveal who has an account.
        session["reset_email"] = form.email.data.strip()
        return redirect(url_for("auth.check_email"))
    return render_template("auth/forgotten_password.html", form=form)


@bp.route("/forgotten-password/check-your-email")
@public
def check_email():
    return render_template(
        "auth/check_email.html", email=session.get("reset_email"), minutes=current_app.config["PASSWORD_RESET_MINUTES"]
    )


@bp.route("/reset-password/<string:token>", methods=["GET", "POST"])
@public
def reset_password(token: str):
    reset, state = resets.find_reset(token)
    if state is not LinkState.VALID:
        return _unusable("auth/reset_unusable.html", state)
    form = NewPasswordForm()
    user = resets.user_of(reset)
    if form.validate_on_submit() and form.password_acceptable(email=user.email, name=user.full_name):
        done = resets.reset_password(token, form.password.data)
        if done is None:
            return _unusable("auth/reset_unusable.html", LinkState.USED)
        current_app.extensions["hearth_throttle"].succeeded(user.email)
        _start(done.user, done.session_id)
        if done.needs_mfa:
            return redirect(url_for("auth.verify_mfa" if done.user.has_second_factor else "auth.set_up_mfa"))
        return redirect(url_for("hub.home"))
    return render_template("auth/reset_password.html", form=form)
