"""The job queue comes from the app's settings; jobs run off the queue in a fresh context, as in a worker, and only
after the transaction that queued them commits. The file email backend writes to var/mail."""

from __future__ import annotations

from pathlib import Path

import pytest
from flask import current_app, g
from huey.storage import PriorityRedisStorage, SqliteStorage

from portal.auth.models import User
from portal.core.db import db, utcnow
from portal.core.jobs import LOW_PRIORITY, enqueue, huey, job, queue_health, storage_from_config
from portal.core.notify import send_email
from portal.core.unit_of_work import CommitInsideUnitOfWork, after_commit, transactional, unit_of_work
from tests.factories import make_user
from tests.jobs import JobFailed, drain_jobs, queued_jobs
from tests.mail import read_mail

ran: list[dict] = []


@job()
def remember_context(number: int) -> str:
    ran.append(
        {
            "number": number,
            "var_dir": current_app.config["VAR_DIR"],
            "g": dict(vars(g)),
            "session": id(db.session()),
            "names": [u.full_name for u in db.session.query(User).order_by(User.id)],
        }
    )
    return f"done {number}"


@job()
def always_fails() -> None:
    raise ValueError("broken on purpose")


@job(priority=LOW_PRIORITY)
def slow_one(label: str) -> None:
    ran.append({"number": label})


def add_person(email: str) -> User:
    """A row added to the current transaction, not committed (make_user commits by itself)."""
    user = User(email=email, full_name=email, password_hash="x", is_active=True, password_changed_at=utcnow())
    db.session.add(user)
    return user


@pytest.fixture(autouse=True)
def _fresh():
    ran.clear()
    yield
    ran.clear()


def test_the_queue_is_the_sqlite_file_in_var_dir_without_redis(app):
    assert isinstance(huey.storage, SqliteStorage)
    assert Path(huey.storage.filename) == Path(app.config["VAR_DIR"]) / "jobs.db"
    assert queue_health() == "ok"
    assert huey.immediate is False


def test_redis_url_chooses_a_redis_queue_that_honours_priority(tmp_path):
    storage = storage_from_config({"REDIS_URL": "redis://127.0.0.1:6399/0", "VAR_DIR": str(tmp_path)})
    assert isinstance(storage, PriorityRedisStorage)


def test_a_queued_task_waits_for_a_worker_then_runs_in_a_fresh_context(app):
    make_user(name="Sarah Okafor")
    db.session.commit()
    g.marker = "the caller's g"

    result = remember_context(7)

    assert ran == [] and queued_jobs() == ["remember_context"]
    assert drain_jobs(app) == 1
    [seen] = ran
    assert seen["number"] == 7 and seen["var_dir"] == app.config["VAR_DIR"]
    assert "marker" not in seen["g"], "the job ran in the caller's application context"
    assert seen["session"] != id(db.session()), "the job shared the caller's database session"
    assert seen["names"] == ["Sarah Okafor"]
    assert result() == "done 7"
    assert queued_jobs() == []


def test_a_job_failing_for_good_fails_the_test_that_drains_it(app):
    always_fails()
    with pytest.raises(JobFailed, match="broken on purpose"):
        drain_jobs(app)


def test_documents_and_exports_wait_behind_photos_and_emails(app):
    slow_one("document")
    remember_context(1)
    drain_jobs(app)
    assert [r["number"] for r in ran] == [1, "document"]


def test_work_after_commit_runs_only_when_the_unit_of_work_commits(app):
    with unit_of_work():
        add_person("kept@example.org")
        enqueue(remember_context, 1)
        assert queued_jobs() == [], "queued before its rows were committed"
    assert queued_jobs() == ["remember_context"]

    with pytest.raises(RuntimeError), unit_of_work():
        add_person("dropped@example.org")
        enqueue(remember_context, 2)
        send_email("dropped@example.org", "Never sent", "password_changed", name="X", forgotten_link="x")
        raise RuntimeError("the use case failed")
    assert db.session.query(User).filter_by(email="dropped@example.org").count() == 0
    drain_jobs(app)
    assert [r["number"] for r in ran] == [1]
    assert read_mail(Path(app.config["VAR_DIR"]) / "mail") == []


def test_a_plain_rollback_drops_the_work_too(app):
    add_person("rolled-back@example.org")
    after_commit(lambda: ran.append({"number": "after"}))
    db.session.rollback()
    db.session.commit()
    assert ran == []


def test_only_the_unit_of_work_commits(app):
    @transactional
    def commits_itself():
        add_person("committed@example.org")
        db.session.commit()

    with pytest.raises(CommitInsideUnitOfWork):
        commits_itself()
    assert db.session.query(User).count() == 0


def test_nested_use_cases_commit_once_at_the_outer_end(app):
    @transactional
    def inner():
        add_person("inner@example.org")
        enqueue(remember_context, 3)

    @transactional
    def outer():
        inner()
        assert queued_jobs() == []
        raise ValueError("outer fails after inner succeeded")

    with pytest.raises(ValueError):
        outer()
    assert db.session.query(User).count() == 0
    assert queued_jobs() == []


def test_a_queued_email_is_written_to_var_mail_by_the_worker(app, mail_dir):
    send_email(
        "carer@example.org",
        "Your password was changed",
        "password_changed",
        name="Sarah Okafor",
        service_name="Hearth",
        council_name="Northshire County Council",
        forgotten_link="http://localhost/forgotten-password",
    )
    assert read_mail(mail_dir) == []
    drain_jobs(app)
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
    drain_jobs(app)
    # Files written within the same clock tick share a modification time, so compare without order.
    assert sorted(m["To"] for m in read_mail(mail_dir)) == [f"person{n}@example.org" for n in range(3)]
    assert len(list(mail_dir.glob("*.eml"))) == 3


def test_workers_know_every_job_and_clear_expired_exports_every_night(app):
    import portal.jobs_registry  # noqa: F401  (what `flask worker` imports)

    names = set(huey._registry._registry)
    assert {
        "portal.core.uploads.process_upload",
        "portal.core.uploads.process_document",
        "portal.core.notify.send_email_job",
        "portal.memories.jobs.build_export",
    } <= names
    periodic = [t for t in huey._registry._periodic_tasks if t.__name__ == "clear_expired_exports"]
    assert periodic, "expired memory-box exports are cleared on a schedule"


def test_a_savepoint_inside_a_unit_of_work_is_not_a_commit(app):
    with unit_of_work():
        with db.session.begin_nested():
            add_person("saved@example.org")
        enqueue(remember_context, 4)
        assert queued_jobs() == []
    assert queued_jobs() == ["remember_context"]
