"""The job queue runs tasks at once in tests, inside the app; the file email backend writes to var/mail."""

from __future__ import annotations

from flask import current_app

from portal.core.jobs import huey, job, queue_health
from portal.core.notify import send_email
from tests.conftest import read_mail

ran: list[tuple[int, str]] = []


@job()
def remember_var_dir(number: int) -> str:
    ran.append((number, current_app.config["VAR_DIR"]))
    return f"done {number}"


def test_a_queued_task_runs_immediately_with_the_app_settings(app):
    ran.clear()
    result = remember_var_dir(7)
    assert ran == [(7, app.config["VAR_DIR"])]
    assert result() == "done 7"
    assert huey.immediate is True
    assert queue_health() == "ok"


def test_a_queued_email_is_written_to_var_mail(app, mail_dir):
    send_email(
        "carer@example.org",
        "Your password was changed",
        "password_changed",
        name="Sarah Okafor",
        service_name="Hearth",
        council_name="Northshire County Council",
        forgotten_link="http://localhost/forgotten-password",
    )
    assert mail_dir.is_relative_to(app.config["VAR_DIR"])
    [message] = read_mail(mail_dir)
    assert message["To"] == "carer@example.org"
    assert message["From"] == app.config["MAIL_FROM"]
    assert message["Subject"] == "Your password was changed"
    body = message.get_content()
    assert "Dear Sarah Okafor" in body
    assert "http://localhost/forgotten-password" in body


def test_each_email_is_its_own_file(app, mail_dir):
    for n in range(3):
        send_email(
            f"person{n}@example.org",
            f"Message {n}",
            "password_changed",
            name=f"Person {n}",
            service_name="Hearth",
            council_name="Council",
            forgotten_link="http://localhost/x",
        )
    # Files written within the same clock tick share a modification time, so compare without order.
    assert sorted(m["To"] for m in read_mail(mail_dir)) == [f"person{n}@example.org" for n in range(3)]
    assert len(list(mail_dir.glob("*.eml"))) == 3


def test_workers_know_every_job_and_clear_expired_exports_every_night(app):
    import portal.jobs_registry  # noqa: F401  (what `flask worker` imports)
    from portal.core.jobs import huey

    names = set(huey._registry._registry)
    assert {
        "portal.core.uploads.process_upload",
        "portal.core.uploads.process_document",
        "portal.core.notify.send_email_job",
        "portal.memories.jobs.build_export",
    } <= names
    periodic = [t for t in huey._registry._periodic_tasks if t.__name__ == "clear_expired_exports"]
    assert periodic, "expired memory-box exports are cleared on a schedule"
