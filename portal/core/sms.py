"""Text messages through GOV.UK Notify (`notifications_python_client`), when a council configures it.

The council's Notify template's whole body is `((text))`; Hearth fills it with a kind's alert and its address
("A claim needs your answer. Sign in to Hearth: https://..."), never a name or detail: texts sit on phones that
may be shared and pass through the phone network in the clear.
"""

from __future__ import annotations

import logging

from flask import current_app
from notifications_python_client.notifications import NotificationsAPIClient

log = logging.getLogger("hearth.sms")


def texts_enabled() -> bool:
    return bool(current_app.config.get("NOTIFY_API_KEY") and current_app.config.get("NOTIFY_SMS_TEMPLATE_ID"))


def send_text(number: str, text: str, reference: str) -> None:
    """Ask Notify to send `text` to `number`; `reference` (e.g. "notice-42") lets the council trace it in Notify.
    Raises notifications_python_client's HTTPError on a refusal (the job then retries)."""
    cfg = current_app.config
    client = NotificationsAPIClient(cfg["NOTIFY_API_KEY"], base_url=cfg["NOTIFY_BASE_URL"], timeout=10)
    client.send_sms_notification(
        phone_number=number,
        template_id=cfg["NOTIFY_SMS_TEMPLATE_ID"],
        personalisation={"text": text},
        reference=reference,
    )
    log.info("text sent", extra={"event": "sms_sent", "reference": reference})
