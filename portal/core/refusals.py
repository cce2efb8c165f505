"""Refused requests are audited: a role turned away at the gate (403) and an object the person may not see (404).

Refusals are noted during the request and written when it ends, all in one transaction of their own: a loader that
refuses halfway through a use case never commits the half that ran before it, and a refused request costs one
short write however many refusals it holds.
"""

from __future__ import annotations

import logging
from typing import NoReturn

from flask import Flask, abort, has_request_context, request

from portal.core import audit
from portal.core.db import db

log = logging.getLogger("hearth.audit")

_PENDING = "hearth.refusals"  # kept with the request (not `g`, which can outlive it)

ROLE_REFUSED = "permission_denied"
OBJECT_REFUSED = "object_refused"


def note(action: str, *, actor_id: int | None, object_type: str, object_id: object, **detail: object) -> None:
    """Keep an audit event to write when the request ends; outside a request, add it to the caller's session."""
    event = {"actor_id": actor_id, "object_type": object_type, "object_id": object_id, **detail}
    if not has_request_context():
        audit.record(db.session, action, **event)
        return
    request.environ.setdefault(_PENDING, []).append((action, event))


def not_found(user, object_type: str, object_id: object) -> NoReturn:
    """Answer 404 for an object `user` may not see (another household's, or one that does not exist), audited.

    The answer is the same either way, so nobody learns that another household's object exists; the audit trail
    records which it was asked for, so that someone trying many ids shows up.
    """
    note(
        OBJECT_REFUSED,
        actor_id=getattr(user, "id", None),
        object_type=object_type,
        object_id=object_id,
        endpoint=request.endpoint if has_request_context() else None,
    )
    abort(404)


def deny_role(actor_id: int | None, endpoint: str | None) -> None:
    """A signed-in person without the role the route needs (the gate then answers 403)."""
    note(ROLE_REFUSED, actor_id=actor_id, object_type="endpoint", object_id=endpoint)


def _write_pending(_exc: BaseException | None) -> None:
    pending = request.environ.pop(_PENDING, None) if has_request_context() else None
    if not pending:
        return
    try:
        # Whatever the request left uncommitted is being discarded anyway; dropping it first also frees any write
        # lock it holds, which the audit write below would otherwise wait on.
        db.session.rollback()
        for action, event in pending:
            audit.record(db.session, action, **event)
        db.session.commit()
    except Exception:
        db.session.rollback()
        log.exception("refusals could not be audited", extra={"event": "audit_write_failed", "count": len(pending)})


def init_refusal_audit(app: Flask) -> None:
    app.teardown_request(_write_pending)
