"""Who can open a conversation, send in it, and read a reported message: the message access matrix."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from portal.auth.roles import Role
from portal.core.db import db
from portal.mentoring.conversations import report_message, send_message
from portal.mentoring.models import Message
from portal.mentoring.policy import can_read_conversation, can_send_message
from tests.factories import make_locality, make_user
from tests.mentoring.conftest import make_match, make_mentee, make_mentor


@pytest.fixture
def people(app):
    town = make_locality()
    mentor, other_mentor = make_mentor(town, name="The Mentor"), make_mentor(town, name="Another Mentor")
    mentee = make_mentee(town)
    return {
        "mentor": mentor,
        "mentee": mentee.user,
        "other mentor": other_mentor,
        "coordinator": make_user(Role.MENTORING_COORDINATOR),
        "admin": make_user(Role.ADMIN),
        "carer": make_user(Role.CARER),
        "_mentee_row": mentee,
    }


# (status, person) -> (may read, may send); HTTP: 200 to read when may read, else 404 (403 for a role the gate refuses)
MATRIX = [
    ("proposed", "mentor", False, False),
    ("proposed", "mentee", False, False),
    ("introduced", "mentor", True, True),
    ("introduced", "mentee", True, True),
    ("introduced", "other mentor", False, False),
    ("introduced", "coordinator", False, False),
    ("introduced", "admin", False, False),
    ("introduced", "carer", False, False),
    ("active", "mentee", True, True),
    ("ended", "mentor", True, False),
    ("ended", "mentee", True, False),
    ("ended", "other mentor", False, False),
]


@pytest.mark.parametrize(("status", "who", "reads", "sends"), MATRIX)
def test_message_access_matrix(app, people, status, who, reads, sends):
    match = make_match(people["_mentee_row"], people["mentor"], status)
    person = people[who]
    assert can_read_conversation(person, match) is reads
    assert can_send_message(person, match) is sends
    client = app.test_client()
    client.sign_in(person)
    got = client.get(f"/mentoring/matches/{match.id}/conversation").status_code
    gate_refuses = not person.has_role(Role.MENTOR, Role.APPLICANT, Role.CARER)
    assert got == (200 if reads else 403 if gate_refuses else 404)


def test_the_coordinator_reads_a_reported_message_and_no_other(app, people):
    match = make_match(people["_mentee_row"], people["mentor"])
    sent = send_message(people["mentor"], match, "Can we meet at the park?")
    send_message(people["mentor"], match, "Something private")
    report = report_message(people["mentee"], match, sent.message, "Not comfortable")
    client = app.test_client()
    client.sign_in(people["coordinator"])
    page = client.get(f"/mentoring/reports/{report.id}").text
    assert "Can we meet at the park?" in page and "Something private" not in page
    assert db.session.scalar(select(Message).where(Message.body == "Something private")) is not None


def test_nobody_reports_their_own_message(app, people):
    from portal.mentoring.conversations import MessageRefused

    match = make_match(people["_mentee_row"], people["mentor"])
    sent = send_message(people["mentor"], match, "Hello")
    with pytest.raises(MessageRefused):
        report_message(people["mentor"], match, sent.message, "Oops")


def test_a_long_conversation_opens_on_its_newest_page(app, people):
    match = make_match(people["_mentee_row"], people["mentor"])
    db.session.add_all(
        Message(match_id=match.id, sender_id=people["mentor"].id, body=f"Message {i}") for i in range(75)
    )
    db.session.commit()
    client = app.test_client()
    client.sign_in(people["mentee"])
    page = client.get(f"/mentoring/matches/{match.id}/conversation").text
    assert "Message 74" in page and "Message 44" not in page and "Older messages" in page
    assert "75 new messages" in page
