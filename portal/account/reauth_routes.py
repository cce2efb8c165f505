"""The "Confirm it is you" page: the one re-authentication for every sensitive change (portal.auth.reauth).

The password form (with a code for someone with security codes) and the passkey button sit side by side; the page
says which is needed and shows only what this person, in this session, may use.
"""

from __future__ import annotations

from flask import redirect, render_template, request, session, url_for
from flask_login import current_user

from portal.account.forms import PasskeyForm, ReauthForm
from portal.account.routes import bp
from portal.auth import reauth
from portal.auth.gates import login_only
from portal.auth.routes.passkeys import current_rp, options_response
from portal.auth.routes.sign_in import safe_next, wait_message

_WAIT = "wrong attempts"


def _me():
    return current_user._get_current_object()


def _back():
    return redirect(safe_next(request.args.get("next") or url_for("account.show_account")))


def _page(form: ReauthForm, passkey_form: PasskeyForm, status: int = 200):
    me = _me()
    rec = me.session_record
    return render_template(
        "account/reauthenticate.html",
        form=form,
        passkey_form=passkey_form,
        ways=reauth.ways(me, rec),
        signed_in_with_passkey=rec is not None and rec.signed_in_with == "passkey",
        next=request.args.get("next") or "",
        # On its own page the password form posts back to the very same address (next included).
        password_action=None
        if request.endpoint == "account.reauthenticate"
        else url_for("account.reauthenticate", next=request.args.get("next")),
    ), status


@bp.route("/confirm-its-you", methods=["GET", "POST"])
@login_only
def reauthenticate():
    me = _me()
    form = ReauthForm()
    passkey_form = PasskeyForm(formdata=None)
    status = 200
    ways = reauth.ways(me, me.session_record)
    if request.method == "POST" and not ways.password:
        passkey_form.credential.errors = ["Use one of your passkeys to confirm it is you"]
        return _page(ReauthForm(formdata=None), passkey_form, 400)
    if form.validate_on_submit():
        if ways.code and not (form.code.data or "").strip():
            form.code.errors.append("Enter the 6-digit code from your authenticator app")
        else:
            result = reauth.reauthenticate(me, me.session_record, form.password.data, form.code.data)
            if result.ok:
                return _back()
            if result.wait_seconds:
                form.password.errors.append(wait_message(result.wait_seconds, _WAIT))
                status = 429
            elif result.wrong == "password":
                form.password.errors.append("Your password is not right")
            else:
                form.code.errors.append("The security code is not right or has expired. Enter the newest code")
    return _page(form, passkey_form, status)


@bp.route("/confirm-its-you/passkey", methods=["POST"])
@login_only
def reauthenticate_with_passkey():
    me = _me()
    form = PasskeyForm()
    status = 400
    if not me.has_passkey:
        return redirect(url_for("account.reauthenticate", next=request.args.get("next")))
    if form.validate_on_submit():
        result = reauth.reauthenticate_with_passkey(
            me, me.session_record, current_rp(), session.pop("passkey_reauth", None), form.credential.data
        )
        if result.ok:
            return _back()
        if result.wait_seconds:
            form.credential.errors.append(wait_message(result.wait_seconds, _WAIT))
            status = 429
        else:
            form.credential.errors.append(result.problem)
    return _page(ReauthForm(formdata=None), form, status)


@bp.route("/confirm-its-you/passkey/options", methods=["POST"])
@login_only
def reauth_options():
    return options_response("reauth", _me())
