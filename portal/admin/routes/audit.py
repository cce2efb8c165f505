"""The audit log viewer: newest first, filtered by action and person, with a check that the chain is unbroken."""

from __future__ import annotations

from flask import render_template, request, url_for
from flask_login import current_user

from portal.admin import queries
from portal.admin.forms import AuditFilterForm
from portal.admin.routes import bp
from portal.auth.gates import requires_role
from portal.auth.roles import Role
from portal.core.audit import verify_chain
from portal.core.db import db
from portal.core.pagination import page_number, paginate


@bp.route("/audit-log")
@requires_role(Role.ADMIN)
def audit_log():
    form = AuditFilterForm(formdata=request.args)
    actions = queries.audit_actions()
    form.action.choices = [("", "Any action"), *((a, a.replace("_", " ")) for a in actions)]
    form.validate()
    action = form.action.data if form.action.data in actions else ""
    user_id = form.user_id.data if not form.user_id.errors else None
    page = paginate(
        queries.audit_events_visible_to(current_user, action=action, user_id=user_id), page_number(request.args)
    )
    names = queries.names_for({e.actor_id for e in page.items if e.actor_id})
    filters = {k: v for k, v in {"action": action, "user_id": user_id}.items() if v}
    pager = page.govuk(lambda n: url_for("admin.audit_log", page=n, **filters))
    return render_template(
        "admin/audit_log.html", form=form, page=page, pager=pager, names=names, broken_at=verify_chain(db.session)
    )
