"""The invitation email goes out through a real SMTP server listening on loopback."""

import socket
import time

import pytest
from aiosmtpd.controller import Controller

from portal.auth.roles import Role
from tests.factories import make_user


class Inbox:
    def __init__(self) -> None:
        self.messages: list = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append(envelope)
        return "250 Message accepted for delivery"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def smtp_inbox():
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=_free_port())
    controller.start()
    yield inbox, controller.port
    controller.stop()


@pytest.fixture
def app_config(app_config, smtp_inbox):
    _, port = smtp_inbox
    return {
        **app_config,
        "MAIL_BACKEND": "smtp",
        "SMTP_HOST": "127.0.0.1",
        "SMTP_PORT": str(port),
        "SMTP_STARTTLS": "false",
        "MAIL_FROM": "fostering@council.example",
    }


def test_the_invitation_arrives_at_the_smtp_server(app, client, smtp_inbox):
    inbox, _ = smtp_inbox
    client.sign_in(make_user(Role.ADMIN))
    client.submit("/admin/users/invite", {"full_name": "Nia Evans", "email": "nia@example.org", "roles": ["carer"]})
    deadline = time.monotonic() + 5
    while not inbox.messages and time.monotonic() < deadline:
        time.sleep(0.05)
    [envelope] = inbox.messages
    assert envelope.rcpt_tos == ["nia@example.org"] and envelope.mail_from == "fostering@council.example"
    body = envelope.content.decode()
    assert "Subject: You are invited to Hearth" in body
    assert app.config["BASE_URL"] + "/invitation/" in body
