"""A person's in-app notifications: newest first; opening the list marks them read."""

from __future__ import annotations

from flask import Blueprint, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select

from portal.auth.gates import login_only
from portal.core.notify import Notification, mark_notifications_read
from portal.core.pagination import page_number, paginate

bp = Blueprint("inbox", __name__)


@bp.route("/notifications")
@login_only
def list_notifications():
    page = paginate(
        select(Notification)
        .where(Notification.user_id == current_user.id)
        .order_by(Notification.created_at.desc(), Notification.id.desc()),
        page_number(request.args),
    )
    unread_ids = {n.id for n in page.items if n.read_at is None}
    mark_notifications_read(current_user.id, unread_ids)
    return render_template(
        "inbox/list_notifications.html",
        page=page,
        unread_ids=unread_ids,
        pager=page.govuk(lambda n: url_for("inbox.list_notifications", page=n)),
    )
