"""The account pages for passkeys: add one (also the way staff may enrol instead of security codes), rename, remove
(after confirming it is you, like every other sensitive change)."""

from __future__ import annotations

from flask import flash, redirect, render_template, session, url_for
from flask_login import current_user

from portal.account import passkeys as account_passkeys
from portal.account.forms import AddPasskeyForm, ConfirmForm, PasskeyNameForm
from portal.account.routes import bp, reauth_first
from portal.account.services import NotReauthenticated
from portal.auth import passkeys, reauth
from portal.auth.gates import login_only, mfa_pending_only, second_factor_redirect
from portal.auth.routes.passkeys import current_rp, options_response


def _me():
    return current_user._get_current_object()


def _owes_second_factor(me) -> bool:
    # Enrolling a first second factor is allowed before the gate; adding another needs the existing one first.
    return not me.session_mfa_verified and me.has_second_factor


def _must_confirm_first(me) -> bool:
    # Another passkey is another way in: someone at a session left open must not be able to add their own.
    return me.has_second_factor and not reauth.is_recent(me.session_record)


def _gone():
    flash("That passkey has already been removed.", "important")
    return redirect(url_for("account.show_account"))


@bp.route("/passkeys/add", methods=["GET", "POST"])
@mfa_pending_only
def add_passkey():
    me = _me()
    if _owes_second_factor(me):
        return second_factor_redirect()
    if _must_confirm_first(me):
        return reauth_first()
    form = AddPasskeyForm()
    if form.validate_on_submit():
        try:
            passkey = account_passkeys.add_passkey(
                me,
                me.session_record,
                current_rp(),
                session.pop("passkey_register", None),
                form.credential.data,
                form.name.data,
            )
        except NotReauthenticated:
            return reauth_first()
        except passkeys.PasskeyError as exc:
            form.credential.errors.append(str(exc))
        else:
            flash(f"Your passkey “{passkey.name}” is saved. You can use it to sign in.", "success")
            return redirect(session.pop("next", None) or url_for("account.show_account"))
    return render_template("account/add_passkey.html", form=form, required=me.mfa_required), 400 if form.errors else 200


@bp.route("/passkeys/add/options", methods=["POST"])
@mfa_pending_only
def add_passkey_options():
    me = _me()
    if _owes_second_factor(me):
        return second_factor_redirect()
    if _must_confirm_first(me):  # the page asks first; this is for a stale page left open
        return redirect(url_for("account.reauthenticate", next=url_for("account.add_passkey")))
    return options_response("register", me)


@bp.route("/passkeys/<int:passkey_id>/rename", methods=["GET", "POST"])
@login_only
def rename_passkey(passkey_id: int):
    me = _me()
    passkey = passkeys.passkey_of(me, passkey_id)
    if passkey is None:
        return _gone()
    form = PasskeyNameForm(data={"name": passkey.name})
    if form.validate_on_submit():
        account_passkeys.rename_passkey(me, passkey, form.name.data)
        flash("The passkey’s name is saved.", "success")
        return redirect(url_for("account.show_account"))
    return render_template("account/rename_passkey.html", form=form, passkey=passkey), 400 if form.errors else 200


@bp.route("/passkeys/<int:passkey_id>/remove", methods=["GET", "POST"])
@login_only
def remove_passkey(passkey_id: int):
    me = _me()
    passkey = passkeys.passkey_of(me, passkey_id)
    if passkey is None:
        return _gone()
    if not account_passkeys.can_remove(me, passkey):
        flash(
            "Because of your role you need a second factor: set up security codes or add another passkey first, "
            "then remove this one.",
            "important",
        )
        return redirect(url_for("account.show_account"))
    if not reauth.is_recent(me.session_record):
        return reauth_first()
    form = ConfirmForm()
    if form.validate_on_submit():
        name = passkey.name
        try:
            account_passkeys.remove_passkey(me, me.session_record, passkey)
        except NotReauthenticated:
            return reauth_first()
        flash(f"The passkey “{name}” has been removed.", "success")
        return redirect(url_for("account.show_account"))
    return render_template("account/remove_passkey.html", form=form, passkey=passkey)
