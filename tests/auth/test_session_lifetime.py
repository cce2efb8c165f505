"""Sessions end SESSION_MAX_HOURS after sign-in however busy they are, as well as after the idle timeout."""

from datetime import timedelta

import pytest
from sqlalchemy import select

from portal.auth.models import UserSession
from portal.auth.roles import Role
from portal.core.db import db, utcnow
from tests.factories import make_user


@pytest.fixture
def app_config(app_config):
    return {**app_config, "SESSION_MAX_HOURS": "12"}


def _session_of(user) -> UserSession:
    return db.session.scalar(select(UserSession).where(UserSession.user_id == user.id))


def test_the_default_lifetime_is_twelve_hours():
    from portal.config import Config

    assert Config().SESSION_MAX_HOURS == 12


def test_a_busy_session_ends_after_its_absolute_lifetime(client):
    carer = make_user(Role.CARER)
    client.sign_in(carer)
    rec = _session_of(carer)
    rec.created_at = utcnow() - timedelta(hours=11, minutes=59)
    rec.last_seen_at = utcnow()  # active a moment ago: the idle timeout alone would keep it
    db.session.commit()
    assert client.get("/").status_code == 200
    rec.created_at = utcnow() - timedelta(hours=12, minutes=1)
    db.session.commit()
    assert client.get("/").location.startswith("/sign-in")
    db.session.refresh(rec)
    assert rec.revoked_at is not None and rec.revoked_reason == "lifetime_ended"


def test_the_idle_timeout_still_applies(app, client):
    carer = make_user(Role.CARER)
    client.sign_in(carer)
    rec = _session_of(carer)
    rec.last_seen_at = utcnow() - timedelta(minutes=app.config["SESSION_IDLE_MINUTES"] + 1)
    db.session.commit()
    assert client.get("/").location.startswith("/sign-in")


def test_the_lifetime_is_a_setting(app_config):
    from portal.app import create_app

    short = create_app({**app_config, "SESSION_MAX_HOURS": "2"})
    assert short.config["SESSION_MAX_HOURS"] == 2
