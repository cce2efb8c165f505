"""Changing one's own email address: ask (after confirming it is you), then follow the link sent to the new address."""

from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask_login import current_user

from portal.account import email_change
from portal.account.email_change import ChangeState, EmailInUse
from portal.account.forms import ChangeEmailForm, ConfirmForm
from portal.account.routes import bp, reauth_first
from portal.account.services import NotReauthenticated
from portal.auth import reauth
from portal.auth.gates import login_only


def _me():
    return current_user._get_current_object()


@bp.route("/change-email", methods=["GET", "POST"])
@login_only
def change_email():
    me = _me()
    if not reauth.is_recent(me.session_record):
        return reauth_first()
    form = ChangeEmailForm()
    if form.validate_on_submit():
        try:
            email_change.request_email_change(me, me.session_record, form.email.data)
        except NotReauthenticated:
            return reauth_first()
        except EmailInUse as exc:
            form.email.errors.append(str(exc))
        else:
            flash(
                f"We have sent a link to {form.email.data.strip().lower()}. Follow it within "
                f"{email_change.LINK_HOURS} hours to start using that address. Until then we use {me.email}.",
                "success",
            )
            return redirect(url_for("account.show_account"))
    return render_template("account/change_email.html", form=form), 400 if form.errors else 200


@bp.route("/confirm-email/<string:token>", methods=["GET", "POST"])
@login_only
def confirm_email_change(token: str):
    # Opening the link only shows the question (a GET changes nothing; mail scanners open links too).
    me = _me()
    change, state = email_change.find_change(token, me)
    form = ConfirmForm()
    if state is ChangeState.VALID and form.validate_on_submit():
        state = email_change.confirm_email_change(me, me.session_record, token)
        if state is ChangeState.VALID:
            flash(f"Your email address is now {me.email}. You have been signed out on your other devices.", "success")
            return redirect(url_for("account.show_account"))
    if state is not ChangeState.VALID:
        return render_template("account/email_change_unusable.html", state=state.value), 410
    return render_template("account/confirm_email_change.html", form=form, new_email=change.new_email)
