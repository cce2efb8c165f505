"""A person's in-app notifications: newest first, without those whose thing was dealt with (resolved). Reading the
list changes nothing; "Mark all as read" is a POST."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import func, select

from portal.auth.gates import login_only
from portal.core.db import db
from portal.core.forms import BaseForm
from portal.core.inputs import MAX_ID
from portal.core.notify import Notification, mark_notifications_read_up_to, open_notices
from portal.core.pagination import page_number, paginate

bp = Blueprint("inbox", __name__)


class MarkReadForm(BaseForm):
    """A button: CSRF only. `up_to` (the newest notification shown) is read from the form by the route."""


def _newest_id(user_id: int) -> int:
    return db.session.scalar(select(func.max(Notification.id)).where(Notification.user_id == user_id)) or 0


@bp.route("/notifications")
@login_only
def list_notifications():
    page = paginate(
        select(Notification)
        .where(Notification.user_id == current_user.id, open_notices())
        .order_by(Notification.created_at.desc(), Notification.id.desc()),
        page_number(request.args),
    )
    any_unread = db.session.scalar(
        select(func.count()).where(
            Notification.user_id == current_user.id, Notification.read_at.is_(None), open_notices()
        )
    )
    return render_template(
        "inbox/list_notifications.html",
        page=page,
        any_unread=bool(any_unread),
        up_to=_newest_id(current_user.id),
        form=MarkReadForm(),
        pager=page.govuk(lambda n: url_for("inbox.list_notifications", page=n)),
    )


@bp.route("/notifications/mark-read", methods=["POST"])
@login_only
def mark_all_read():
    """Marks read what the person had in front of them: anything newer than `up_to` stays new."""
    if MarkReadForm().validate_on_submit():
        up_to = request.form.get("up_to", type=int)
        if up_to is None or not 0 <= up_to <= MAX_ID:  # a hand-made value: mark what there is now
            up_to = _newest_id(current_user.id)
        mark_notifications_read_up_to(current_user.id, up_to)
        flash("Your notifications are marked as read.", "success")
    return redirect(url_for("inbox.list_notifications"))
