"""The person's choice of channels for each kind of notice, their mobile number for text messages, and
notifications on the device they are using."""

from __future__ import annotations

import re

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user
from wtforms import StringField
from wtforms.validators import Optional, ValidationError

from portal.account.routes import bp
from portal.auth.gates import login_only
from portal.auth.roles import Role
from portal.core.forms import BaseForm
from portal.core.notice_kinds import CHANNEL_LABELS, CHANNELS, EMAIL, IN_APP, PUSH, SMS, all_kinds
from portal.core.notice_preferences import (
    locked,
    mobile_number_of,
    preferences_of,
    save_preferences,
    set_mobile_number,
)
from portal.core.push import push_enabled, subscriptions_of
from portal.core.sms import texts_enabled
from portal.core.unit_of_work import unit_of_work

UK_MOBILE = re.compile(r"^(?:\+44|0044|0)7\d{9}$")


def _uk_mobile(form, field) -> None:
    digits = re.sub(r"[\s()-]", "", field.data or "")
    if digits and not UK_MOBILE.match(digits):
        raise ValidationError("Enter a UK mobile number, like 07700 900 982")
    field.data = digits


class NoticePreferencesForm(BaseForm):
    """The checkboxes are read by the route (one group per kind); the form checks the mobile number."""

    mobile_number = StringField("Mobile number for text messages", validators=[Optional(), _uk_mobile])


def kinds_for(user) -> list:
    """The kinds that can reach this person, by whom each kind is for."""
    mine = {"anyone"}
    if user.is_staff:
        mine.add("staff")
    if user.has_role(Role.CARER, Role.APPLICANT, Role.MENTOR):
        mine.add("carer")
    if user.has_role(Role.YOUNG_PERSON):
        mine.add("young_person")
    return [k for k in all_kinds() if k.audience in mine]


def channels_shown() -> list[str]:
    return [c for c in CHANNELS if (c != PUSH or push_enabled()) and (c != SMS or texts_enabled())]


@bp.route("/notifications", methods=["GET", "POST"])
@login_only
def notice_preferences():
    me = current_user._get_current_object()
    kinds = kinds_for(me)
    form = NoticePreferencesForm()
    if request.method == "GET":
        form.mobile_number.data = mobile_number_of(me.id) or ""
    chosen = preferences_of(me.id, kinds)
    if form.validate_on_submit():
        shown = set(channels_shown())
        wanted = {
            k.name: (set(request.form.getlist(f"kind-{k.name}")) & shown) | (chosen[k.name] - shown) for k in kinds
        }
        with unit_of_work():
            save_preferences(me.id, kinds, wanted)
            if texts_enabled():
                set_mobile_number(me.id, form.mobile_number.data)
        flash("Your choices about notifications are saved.", "success")
        return redirect(url_for("account.notice_preferences"))
    if request.method == "POST":  # shown again with what was ticked, so nothing chosen is lost
        chosen = {k.name: frozenset(request.form.getlist(f"kind-{k.name}")) | locked(k) for k in kinds}
    return render_template(
        "account/notice_preferences.html",
        form=form,
        rows=[(k, chosen[k.name], locked(k)) for k in kinds],
        channels=channels_shown(),
        channel_labels=CHANNEL_LABELS,
        devices=subscriptions_of(me.id),
        texts=texts_enabled(),
        push=push_enabled(),
        in_app=IN_APP,
        email=EMAIL,
    )
