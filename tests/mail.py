"""Reading the emails the file backend wrote: for tests that follow a link from an invitation or reset email."""

from __future__ import annotations

import re
from email import policy
from email.parser import BytesParser
from pathlib import Path


def read_mail(mail_dir: Path) -> list:
    """Emails written by the file backend, oldest first, as email.message objects."""
    files = sorted(mail_dir.glob("*.eml"), key=lambda p: p.stat().st_mtime_ns) if mail_dir.exists() else []
    return [BytesParser(policy=policy.default).parse(p.open("rb")) for p in files]


def link_in(message) -> str:
    """The first link in a plain-text email body."""
    found = re.search(r"https?://\S+", message.get_content())
    assert found, "no link in the email"
    return found.group(0)


def path_of(link: str) -> str:
    """The path of an absolute link, for the test client."""
    return "/" + link.split("://", 1)[1].split("/", 1)[1]
