"""Which channels each person wants for each kind of notice, and the mobile number their text messages go to.

Only a person's changes from a kind's defaults are stored (one row per kind and channel), so a new kind starts
with its defaults for everyone. Safeguarding kinds keep In Hearth and Email on whatever is stored: staff may not
switch off being told of a significant event (the kinds are sent to staff only).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from sqlalchemy import ForeignKey, String, UniqueConstraint, delete, select
from sqlalchemy.orm import Mapped, mapped_column

from portal.core.db import Base, IdMixin, db
from portal.core.notice_kinds import CHANNELS, EMAIL, IN_APP, NoticeKind

LOCKED_ON = frozenset({IN_APP, EMAIL})


class NoticePreference(IdMixin, Base):
    """One change from a kind's default channels: `is_on` says whether `channel` is wanted for `kind`."""

    __tablename__ = "notice_preferences"
    __table_args__ = (UniqueConstraint("user_id", "kind", "channel"),)

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(40))
    channel: Mapped[str] = mapped_column(String(10))
    is_on: Mapped[bool]


class NoticeContact(Base):
    """Where a person's text messages go (a UK mobile number as they typed it, checked by the form)."""

    __tablename__ = "notice_contacts"

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    mobile_number: Mapped[str | None] = mapped_column(String(20))


def locked(kind: NoticeKind) -> frozenset[str]:
    """The channels that cannot be switched off for this kind."""
    return LOCKED_ON if kind.safeguarding else frozenset()


def channels_for(user_id: int, kind: NoticeKind) -> frozenset[str]:
    """The channels this person wants for this kind (one query)."""
    rows = db.session.execute(
        select(NoticePreference.channel, NoticePreference.is_on).where(
            NoticePreference.user_id == user_id, NoticePreference.kind == kind.name
        )
    ).all()
    return _apply(kind, dict(rows))


def preferences_of(user_id: int, kinds: Iterable[NoticeKind]) -> dict[str, frozenset[str]]:
    """kind name -> channels wanted, for every kind in `kinds` (one query)."""
    stored: dict[str, dict[str, bool]] = {}
    for row in db.session.scalars(select(NoticePreference).where(NoticePreference.user_id == user_id)):
        stored.setdefault(row.kind, {})[row.channel] = row.is_on
    return {k.name: _apply(k, stored.get(k.name, {})) for k in kinds}


def _apply(kind: NoticeKind, changes: Mapping[str, bool]) -> frozenset[str]:
    wanted = {c for c in CHANNELS if changes.get(c, c in kind.defaults)}
    return frozenset(wanted | locked(kind))


def save_preferences(user_id: int, kinds: Iterable[NoticeKind], wanted: Mapping[str, Iterable[str]]) -> None:
    """Store `wanted` (kind name -> channels on) for the kinds shown, as changes from each kind's defaults, in the
    caller's transaction. Locked channels stay on whatever is asked; unknown kinds and channels are ignored."""
    shown = list(kinds)
    db.session.execute(
        delete(NoticePreference).where(
            NoticePreference.user_id == user_id, NoticePreference.kind.in_([k.name for k in shown])
        )
    )
    for kind in shown:
        on = (set(wanted.get(kind.name, ())) & set(CHANNELS)) | locked(kind)
        for channel in CHANNELS:
            if (channel in on) != (channel in kind.defaults):
                db.session.add(NoticePreference(user_id=user_id, kind=kind.name, channel=channel, is_on=channel in on))


def mobile_number_of(user_id: int) -> str | None:
    return db.session.scalar(select(NoticeContact.mobile_number).where(NoticeContact.user_id == user_id))


def set_mobile_number(user_id: int, number: str | None) -> None:
    """In the caller's transaction; None or "" forgets the number (no more text messages)."""
    contact = db.session.get(NoticeContact, user_id)
    if contact is None:
        contact = NoticeContact(user_id=user_id)
        db.session.add(contact)
    contact.mobile_number = number or None
