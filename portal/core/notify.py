"""Email (to var/mail and the console in the embedded default, SMTP in production) and notices: one model with
kinds, a target and a dedupe key, delivered in Hearth and, by preference, by email, web push and text message."""

from __future__ import annotations

import logging
import smtplib
import uuid
from datetime import datetime
from email.message import EmailMessage
from pathlib import Path

from flask import current_app, render_template
from sqlalchemy import ForeignKey, Index, String, UniqueConstraint, bindparam, func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Mapped, mapped_column

from portal.core.badges import register_badge
from portal.core.db import Base, IdMixin, db, utcnow
from portal.core.jobs import enqueue, job
from portal.core.notice_kinds import EMAIL, GENERAL, IN_APP, kind_of
from portal.core.notice_preferences import channels_for
from portal.core.unit_of_work import transactional

log = logging.getLogger("hearth.notify")


def build_email(to: str, subject: str, template: str, **context) -> EmailMessage:
    msg = EmailMessage()
    msg["From"] = current_app.config["MAIL_FROM"]
    msg["To"] = to
    msg["Subject"] = subject
    msg["Message-ID"] = f"<{uuid.uuid4()}@hearth>"
    msg.set_content(render_template(f"emails/{template}.txt", **context))
    return msg


def deliver(msg: EmailMessage) -> None:
    cfg = current_app.config
    if cfg["MAIL_BACKEND"] == "smtp":
        with smtplib.SMTP(cfg["SMTP_HOST"], cfg["SMTP_PORT"], timeout=30) as smtp:
            if cfg["SMTP_STARTTLS"]:
                smtp.starttls()
            if cfg["SMTP_USERNAME"]:
                smtp.login(cfg["SMTP_USERNAME"], cfg["SMTP_PASSWORD"])
            smtp.send_message(msg)
        log.info("email sent", extra={"event": "email_sent", "message_id": msg["Message-ID"]})
        return
    mail_dir = Path(cfg["VAR_DIR"]) / "mail"
    mail_dir.mkdir(parents=True, exist_ok=True)
    path = mail_dir / f"{msg['Message-ID'].strip('<>')}.eml"
    path.write_bytes(bytes(msg))
    if not cfg.get("TESTING"):
        # The embedded demo has no mail server: show the message where the person running it will see it.
        print(
            f"\n--- email to {msg['To']}: {msg['Subject']} ---\n{msg.get_content()}--- saved as {path} ---\n",
            flush=True,
        )


@job(retries=5, retry_delay=60)
def send_email_job(to: str, subject: str, template: str, context: dict) -> None:
    deliver(build_email(to, subject, template, **context))


def send_email(to: str, subject: str, template: str, *, kind: str | None = None, **context) -> None:
    """Queue an email for after the current transaction commits (never sent if it rolls back).

    With `kind` (a notice kind's name, portal.core.notice_kinds), the email is sent only when the person at `to`
    keeps email on for that kind; without it (sign-in links, security alerts) it is always sent."""
    if kind is not None:
        users = Base.metadata.tables["users"]  # by name: core imports no feature
        user_id = db.session.scalar(select(users.c.id).where(users.c.email == to))
        if user_id is not None and EMAIL not in channels_for(user_id, kind_of(kind)):
            return
    enqueue(send_email_job, to, subject, template, context)


# --- In-app notifications -------------------------------------------------------------------------------------


class Notification(IdMixin, Base):
    """A line in a person's inbox. Text is written for the recipient; it never carries more than they may see.

    `kind` names a NoticeKind; `target` is the thing it is about ("claim:12", "memory-box:5"), so that the notice
    can be resolved when the thing no longer needs anyone (`resolve_notices`); `dedupe_key` identifies the event, so
    the same event never makes a second notice (unique per person); `resolved_at` is set when the thing it is about
    was dealt with: a resolved notice is no longer shown."""

    __tablename__ = "notifications"
    __table_args__ = (
        UniqueConstraint("user_id", "dedupe_key"),
        Index("ix_notifications_target", "target"),
    )

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    text: Mapped[str] = mapped_column(String(300))
    link: Mapped[str | None] = mapped_column(String(300))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    read_at: Mapped[datetime | None]
    kind: Mapped[str] = mapped_column(String(40), default=GENERAL.name, server_default=GENERAL.name)
    target: Mapped[str | None] = mapped_column(String(80))
    dedupe_key: Mapped[str | None] = mapped_column(String(120))
    resolved_at: Mapped[datetime | None]

    @property
    def kind_label(self) -> str:
        return kind_of(self.kind).label


def notify_in_app(
    user_id: int,
    text: str,
    link: str | None = None,
    *,
    kind: str | None = None,
    target: str | None = None,
    key: str | None = None,
) -> Notification:
    """Add a notice to the caller's transaction (it commits with the change it announces) and, once committed,
    send it on the person's other channels (push, text message, email) from a job.

    `kind`: a NoticeKind name (default "general"); `target`: what it is about, e.g. "claim:12"; `key`: the event's
    identity. A second notice with the key of one still open only updates its text (nobody is alerted twice); with
    the key of a resolved one, that notice opens again as new (the thing needs someone again)."""
    kind_ = kind_of(kind)
    now = utcnow()
    in_app = IN_APP in channels_for(user_id, kind_)
    note = None
    if key is not None:
        note = db.session.scalar(
            select(Notification).where(Notification.user_id == user_id, Notification.dedupe_key == key)
        )
        if note is not None and note.resolved_at is None:
            note.text, note.link = text[:300], link
            return note
    if note is None:
        note = Notification(user_id=user_id, kind=kind_.name, target=target, dedupe_key=key)
        db.session.add(note)
    note.text, note.link, note.created_at, note.resolved_at = text[:300], link, now, None
    note.read_at = None if in_app else now  # switched off in Hearth: kept as a record, never counted as new
    try:
        with db.session.begin_nested():
            db.session.flush()
    except IntegrityError:  # the same event announced at the same moment by another request: that one stands
        return db.session.scalar(
            select(Notification).where(Notification.user_id == user_id, Notification.dedupe_key == key)
        )
    enqueue(deliver_notice, note.id)
    return note


def resolve_notices(target: str | list[str], *, kind: str | None = None) -> int:
    """Mark resolved every open notice about `target` (or any of a list of targets; of `kind` only, when given), in
    the caller's transaction: the thing no longer needs anyone, so its reminders go. Returns how many were resolved."""
    targets = [target] if isinstance(target, str) else list(target)
    if not targets:
        return 0
    query = update(Notification).where(Notification.target.in_(targets), Notification.resolved_at.is_(None))
    if kind is not None:
        query = query.where(Notification.kind == kind)
    return db.session.execute(query.values(resolved_at=utcnow()).execution_options(synchronize_session=False)).rowcount


def open_notices(notices=Notification):
    """The condition for a notice still shown: not resolved. `notices` is the model, or its table's columns
    (`Notification.__table__.c`) for a Core statement."""
    return notices.resolved_at.is_(None)


# Counted on every signed-in page, so built once (building a statement costs more than SQLite takes to answer it);
# the header's badge fetches it with the page's other badges (portal.core.badges).
_notices = Notification.__table__.c  # the table's, not the model's: no ORM steps on every page
_UNREAD = select(func.count()).where(
    _notices.user_id == bindparam("user_id"), _notices.read_at.is_(None), open_notices(_notices)
)
register_badge("notifications", None, _UNREAD)


@transactional
def mark_notifications_read_up_to(user_id: int, up_to: int) -> None:
    """Mark read the person's unread notifications with ids up to `up_to` (the newest they were shown): anything
    that arrived since stays new."""
    db.session.execute(
        update(Notification)
        .where(Notification.user_id == user_id, Notification.read_at.is_(None), Notification.id <= up_to)
        .values(read_at=utcnow())
    )


def unread_notifications(user_id: int) -> int:
    """How many of the person's notices are unread and still open (the header's badge: every signed-in page)."""
    return db.session.scalar(_UNREAD, {"user_id": user_id}) or 0


@job(retries=3, retry_delay=60)
def deliver_notice(notification_id: int) -> None:
    """Send a committed notice on the person's other channels. Idempotent enough: a resolved or read notice is not
    pushed (the person has seen it or it no longer matters)."""
    from portal.core.notice_delivery import deliver_elsewhere

    deliver_elsewhere(notification_id)
