"""Links for emails, notifications, jobs and exports come from BASE_URL, with or without a request."""

from __future__ import annotations

import pytest
from flask import has_request_context
from werkzeug.routing import BuildError

from portal.app import create_app
from portal.core.links import path_to, url_to


def test_absolute_links_are_built_from_base_url_without_a_request(app):
    assert not has_request_context()
    base = app.config["BASE_URL"].rstrip("/")
    assert url_to("auth.reset_password", token="abc") == f"{base}/reset-password/abc"
    assert url_to("claims.show_claim", claim_id=7) == f"{base}/claims/7"
    assert url_to("claims.list_claims", page=2) == f"{base}/claims?page=2"
    assert path_to("memories.show_exports", child_id=3) == "/memory-box/3/copies"


def test_the_request_host_never_leaks_into_a_link(app):
    with app.test_request_context("/", base_url="http://attacker.example"):
        assert url_to("auth.forgotten_password").startswith(app.config["BASE_URL"].rstrip("/"))


def test_a_base_url_with_a_path_prefixes_every_link(app_config):
    app = create_app({**app_config, "BASE_URL": "https://portal.northshire.gov.uk/fostering/"})
    with app.app_context():
        assert url_to("claims.show_claim", claim_id=7) == "https://portal.northshire.gov.uk/fostering/claims/7"
        assert path_to("claims.show_claim", claim_id=7) == "/fostering/claims/7"


def test_an_unknown_page_is_an_error_not_a_broken_link(app):
    with pytest.raises(BuildError):
        url_to("claims.no_such_page")
