"""Production-shaped fixtures: a scratch PostgreSQL database, a Redis of the test's own, a fresh S3 bucket on the
moto server, an SMTP server, and the settings a deployment would give every process."""

from __future__ import annotations

import os
import secrets
import uuid

import pytest
from aiosmtpd.controller import Controller

from tests.conftest import _postgres_database
from tests.production.stack import Stack, free_port, production_env, start_redis
from tests.uploads.conftest import CLAMD_ADDRESS, S3_CREDENTIALS, s3_server  # noqa: F401  (the session's S3 server)

# Short enough for a test, long enough that the slowest photo here is done well within it.
LEASE_SECONDS = 8


class Inbox:
    def __init__(self) -> None:
        self.messages: list = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append(envelope)
        return "250 Message accepted for delivery"


@pytest.fixture
def scratch_database():
    """A database of this test's own on the test PostgreSQL server (the processes outlive any one transaction)."""
    url, drop = _postgres_database(os.environ["HEARTH_TEST_DB"])
    yield url
    drop()


@pytest.fixture
def redis_url(tmp_path):
    url, server = start_redis(tmp_path)
    yield url
    server.terminate()
    server.wait(timeout=10)


@pytest.fixture
def bucket(s3_server):  # noqa: F811
    import boto3

    name = f"hearth-prod-{uuid.uuid4().hex[:10]}"
    client = boto3.client("s3", endpoint_url=s3_server, region_name="eu-west-2", **_boto_credentials())
    client.create_bucket(Bucket=name, CreateBucketConfiguration={"LocationConstraint": "eu-west-2"})
    client.put_bucket_versioning(Bucket=name, VersioningConfiguration={"Status": "Enabled"})  # as the README asks
    return client, name


def _boto_credentials() -> dict:
    return {
        "aws_access_key_id": S3_CREDENTIALS["AWS_ACCESS_KEY_ID"],
        "aws_secret_access_key": S3_CREDENTIALS["AWS_SECRET_ACCESS_KEY"],
    }


@pytest.fixture
def smtp_inbox():
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    yield inbox, controller.port
    controller.stop()


@pytest.fixture
def stack(scratch_database, redis_url, bucket, s3_server, smtp_inbox, tmp_path):  # noqa: F811
    """Production settings for every process, the schema migrated by the release step; processes started by the
    test are stopped at its end."""
    assert CLAMD_ADDRESS, "CLAMD_ADDRESS is not set: production refuses to start without a virus scanner"
    _, bucket_name = bucket
    env = production_env(
        HEARTH_ENV="production",
        SECRET_KEY=secrets.token_urlsafe(48),
        DATABASE_URL=scratch_database,
        REDIS_URL=redis_url,
        STORAGE_BACKEND="s3",
        STORAGE_S3_BUCKET=bucket_name,
        STORAGE_S3_ENDPOINT_URL=s3_server,
        STORAGE_S3_REGION="eu-west-2",
        CLAMD_ADDRESS=CLAMD_ADDRESS,
        MAIL_BACKEND="smtp",
        SMTP_HOST="127.0.0.1",
        SMTP_PORT=str(smtp_inbox[1]),
        SMTP_STARTTLS="false",
        BASE_URL="https://hearth.example.org",
        # The servers answer plain HTTP on loopback here (TLS ends at the load balancer in a deployment), so the
        # session cookie is allowed over HTTP for this test only.
        SESSION_COOKIE_SECURE="false",
        JOBS_LEASE_SECONDS=str(LEASE_SECONDS),
        JOBS_SWEEP_SECONDS="1",
        VAR_DIR=str(tmp_path / "var"),
        **S3_CREDENTIALS,
    )
    stack = Stack(env, tmp_path)
    migrated = stack.flask("migrate")
    assert migrated.returncode == 0, migrated.stdout + migrated.stderr
    yield stack
    stack.stop()


@pytest.fixture
def carer(stack, scratch_database, tmp_path):
    """A carer with a child placed, written straight into the scratch database; returns the carer's email."""
    from portal.app import create_app
    from portal.core.db import db
    from tests.factories import make_family

    app = create_app(
        {
            "HEARTH_ENV": "test",
            "DATABASE_URL": scratch_database,
            "VAR_DIR": str(tmp_path / "factory-var"),
            "SECRET_KEY": "factory-" + "x" * 32,
        }
    )
    with app.app_context():
        family = make_family()
        db.session.commit()
        email = family.carer.email
        db.session.remove()
        db.engine.dispose()
    return email
