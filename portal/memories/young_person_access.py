"""A young person's access to their own memory box: the child's social worker grants it and can revoke it."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from portal.auth.models import User
from portal.core import audit
from portal.core.clock import today
from portal.core.db import db, utcnow
from portal.core.links import path_to
from portal.core.notice_kinds import MEMORY_BOX_OPENED
from portal.core.notify import notify_in_app
from portal.core.unit_of_work import transactional
from portal.memories.models import MemoryBoxAccess
from portal.memories.policy import BoxAccess
from portal.memories.services import MemoryRefused


@transactional
def grant_access(actor: User, access: BoxAccess, *, decided_on: date, reason: str) -> MemoryBoxAccess:
    child = access.child
    if not access.can_grant_access:
        raise MemoryRefused("Only the child's social worker can give a young person access to their box")
    if child.young_person_user_id is None:
        raise MemoryRefused(f"{child.known_as} has no young person's account linked yet. Ask an admin to link it")
    if decided_on > today():
        raise MemoryRefused("The date of the decision must be today or in the past")
    existing = db.session.scalar(
        select(MemoryBoxAccess).where(
            MemoryBoxAccess.child_id == child.id,
            MemoryBoxAccess.young_person_user_id == child.young_person_user_id,
            MemoryBoxAccess.revoked_at.is_(None),
        )
    )
    if existing is not None:
        raise MemoryRefused(f"{child.known_as} can already read their memory box")
    grant = MemoryBoxAccess(
        child_id=child.id,
        young_person_user_id=child.young_person_user_id,
        decided_on=decided_on,
        reason=reason.strip(),
        granted_by_id=actor.id,
    )
    db.session.add(grant)
    db.session.flush()
    audit.record(
        db.session,
        "memory_box_access_granted",
        actor_id=actor.id,
        object_type="memory_box_access",
        object_id=grant.id,
        child_id=child.id,
        young_person_user_id=child.young_person_user_id,
    )
    notify_in_app(
        child.young_person_user_id,
        "You can now look at your memory box",
        path_to("memories.show_box", child_id=child.id),
        kind=MEMORY_BOX_OPENED.name,
        key=f"memory-box-access:{grant.id}",
    )
    return grant


@transactional
def revoke_access(actor: User, access: BoxAccess, grant: MemoryBoxAccess, *, reason: str) -> None:
    if not access.can_grant_access:
        raise MemoryRefused("Only the child's social worker can change a young person's access")
    if not grant.is_active:
        return
    grant.revoked_at, grant.revoked_by_id, grant.revoke_reason = utcnow(), actor.id, reason.strip()
    audit.record(
        db.session,
        "memory_box_access_revoked",
        actor_id=actor.id,
        object_type="memory_box_access",
        object_id=grant.id,
        child_id=grant.child_id,
        young_person_user_id=grant.young_person_user_id,
    )
