"""Email (to var/mail and the console in the embedded default, SMTP in production) and in-app notifications."""

from __future__ import annotations

import logging
import smtplib
import uuid
from datetime import datetime
from email.message import EmailMessage
from pathlib import Path

from flask import current_app, render_template
from sqlalchemy import ForeignKey, String, func, select, update
from sqlalchemy.orm import Mapped, mapped_column

from portal.core.db import Base, IdMixin, db, utcnow
from portal.core.jobs import enqueue, job
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


def send_email(to: str, subject: str, template: str, **context) -> None:
    """Queue an email for after the current transaction commits (never sent if it rolls back)."""
    enqueue(send_email_job, to, subject, template, context)


# --- In-app notifications -------------------------------------------------------------------------------------


class Notification(IdMixin, Base):
    """A line in a person's inbox. Text is written for the recipient; it never carries more than they may see."""

    __tablename__ = "notifications"

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    text: Mapped[str] = mapped_column(String(300))
    link: Mapped[str | None] = mapped_column(String(300))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    read_at: Mapped[datetime | None]


def notify_in_app(user_id: int, text: str, link: str | None = None) -> Notification:
    """Add to the caller's transaction (it commits with the change it announces)."""
    note = Notification(user_id=user_id, text=text[:300], link=link)
    db.session.add(note)
    return note


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
    return (
        db.session.scalar(select(func.count()).where(Notification.user_id == user_id, Notification.read_at.is_(None)))
        or 0
    )
