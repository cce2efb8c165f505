"""The kinds of notice Hearth sends, the channels each may go by, and what push and text messages say for each.

Push notifications and text messages leave Hearth through third parties (the browser vendor's push service, GOV.UK
Notify and the phone network) and show on lock screens of phones that may be shared, so they never carry a name, a
child, an amount or a date: only the kind's `alert` ("A claim needs your answer"). Features that add kinds register
them with `register_kind` when their module is imported.
"""

from __future__ import annotations

from dataclasses import dataclass

IN_APP, EMAIL, PUSH, SMS = "in_app", "email", "push", "sms"
CHANNELS = (IN_APP, EMAIL, PUSH, SMS)
CHANNEL_LABELS = {
    IN_APP: "In Hearth",
    EMAIL: "Email",
    PUSH: "Notification on your phone or computer",
    SMS: "Text message",
}


@dataclass(frozen=True)
class NoticeKind:
    """`name` is stored with each notification; `label` names the kind on the preferences page; `alert` is the whole
    of a push or text message; `defaults` are the channels on until the person changes them; `safeguarding` kinds
    cannot be switched off by staff (in Hearth and email stay on); `audience` says who may receive it ("carer",
    "staff", "young_person" or "anyone"), so the preferences page shows each person only the kinds that concern them."""

    name: str
    label: str
    alert: str
    defaults: frozenset[str]
    audience: str = "anyone"
    safeguarding: bool = False


_KINDS: dict[str, NoticeKind] = {}
AUDIENCES = frozenset({"carer", "staff", "young_person", "anyone"})


def register_kind(kind: NoticeKind) -> NoticeKind:
    """Add a kind (idempotent for the same definition). Raises ValueError for an unknown channel or audience."""
    if not kind.defaults <= set(CHANNELS) or kind.audience not in AUDIENCES:
        raise ValueError(f"notice kind {kind.name}: unknown channel or audience")
    _KINDS.setdefault(kind.name, kind)
    return _KINDS[kind.name]


def kind_of(name: str | None) -> NoticeKind:
    """The kind called `name`, or GENERAL for an unknown or missing name (older notices, other features)."""
    return _KINDS.get(name or "", GENERAL)


def all_kinds() -> list[NoticeKind]:
    """Every kind, "Other notices" last."""
    return sorted(_KINDS.values(), key=lambda k: k.name == "general")


_APP_PUSH = frozenset({IN_APP, PUSH})
_APP_EMAIL_PUSH = frozenset({IN_APP, EMAIL, PUSH})

GENERAL = register_kind(NoticeKind("general", "Other notices", "You have a new notice in Hearth", _APP_PUSH))
CLAIM_QUERIED = register_kind(
    NoticeKind("claim_queried", "A claim is queried", "A claim needs your answer", _APP_EMAIL_PUSH, "carer")
)
CLAIM_DECIDED = register_kind(
    NoticeKind("claim_decided", "A claim is approved or rejected", "A claim has been decided", _APP_PUSH, "carer")
)
CLAIMS_PAID = register_kind(NoticeKind("claims_paid", "Claims are paid", "Claims have been paid", _APP_PUSH, "carer"))
PAYMENT_MADE = register_kind(
    NoticeKind("payment_made", "A payment is made", "A payment has been made", _APP_EMAIL_PUSH, "carer")
)
PAYMENT_HELD = register_kind(
    NoticeKind("payment_held", "Part of a payment is held", "Part of a payment is held", _APP_EMAIL_PUSH, "carer")
)
LOG_REPLY = register_kind(
    NoticeKind("log_reply", "A reply to a log entry", "You have a reply to a log entry", _APP_PUSH, "carer")
)
SIGNIFICANT_EVENT = register_kind(
    NoticeKind(
        "significant_event",
        "A significant event or incident is logged",
        "A significant event has been logged",
        _APP_EMAIL_PUSH,
        "staff",
        safeguarding=True,
    )
)
MEMORIES_TO_APPROVE = register_kind(
    NoticeKind(
        "memories_to_approve", "Memories wait for approval", "Memories are waiting for approval", _APP_PUSH, "staff"
    )
)
MEMORY_ADDED = register_kind(
    NoticeKind("memory_added", "A memory is approved", "A memory has been added to a memory box", frozenset({IN_APP}))
)
MEMORY_DATE_NEEDED = register_kind(
    NoticeKind("memory_date_needed", "A photo needs its date", "A photo needs a date", frozenset({IN_APP}))
)
MEMORY_EXPORT_READY = register_kind(
    NoticeKind("memory_export_ready", "A memory-box copy is ready", "A download is ready", _APP_PUSH)
)
MEMORY_BOX_OPENED = register_kind(
    NoticeKind(
        "memory_box_opened",
        "Your memory box is opened to you",
        "You have news in Hearth",
        _APP_EMAIL_PUSH,
        "young_person",
    )
)
MESSAGE = register_kind(NoticeKind("message", "A new message", "You have a new message", _APP_EMAIL_PUSH))
TRAINING_PLACE = register_kind(
    NoticeKind(
        "training_place",
        "A training place comes free from a waiting list",
        "A training place has come free",
        _APP_EMAIL_PUSH,
    )
)
TRAINING_CANCELLED = register_kind(
    NoticeKind(
        "training_cancelled", "A training session is cancelled or moved", "Your training has changed", _APP_EMAIL_PUSH
    )
)
TRAINING_REMINDER = register_kind(
    NoticeKind("training_reminder", "Reminders before training", "You have training coming up", _APP_EMAIL_PUSH)
)
GROUP_ANNOUNCEMENT = register_kind(
    NoticeKind("group_announcement", "Support group announcements", "A support group has news", _APP_EMAIL_PUSH)
)
MENTORING_MATCH = register_kind(
    NoticeKind("mentoring_match", "Mentoring matches and introductions", "You have mentoring news", _APP_EMAIL_PUSH)
)
MENTORING_MESSAGE = register_kind(
    NoticeKind("mentoring_message", "A new mentoring message", "You have a new mentoring message", _APP_EMAIL_PUSH)
)
