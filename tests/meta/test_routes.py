"""Route conventions: every endpoint has a gate, URLs are kebab-case with typed parameters, navigation resolves."""

from __future__ import annotations

import re

from flask import url_for

from portal.auth.gates import gate_of
from portal.hub.navigation import NAVIGATION

# A path segment is lowercase words joined by hyphens; a dot is allowed for files served at a fixed name
# (manifest.webmanifest, service-worker.js).
SEGMENT = re.compile(r"^[a-z0-9]+(?:[-.][a-z0-9]+)*$")
PARAMETER = re.compile(r"<(?:(?P<converter>[a-z_]+)(?:\([^)]*\))?:)?(?P<name>[a-z_][a-z0-9_]*)>")
TYPED_CONVERTERS = {"int", "uuid", "any"}  # `any(a, b)` is a closed list of words
# Any other converter must say why it is needed: `path` swallows slashes, `string` accepts any text.
UNTYPED_PARAMETERS_ALLOWED: dict[tuple[str, str], str] = {
    ("auth.accept_invitation", "token"): "single-use random token from an email; looked up by its hash",
    ("auth.reset_password", "token"): "single-use random token from an email; looked up by its hash",
    ("account.confirm_email_change", "token"): "signed link from an email, checked by its signature and version",
    ("groups.calendar_feed", "token"): "secret random calendar address; looked up by its hash, revocable",
}


def _rules(app):
    return [rule for rule in app.url_map.iter_rules() if rule.endpoint != "static"]


def test_every_endpoint_has_exactly_one_gate(app):
    missing = sorted(ep for ep, view in app.view_functions.items() if ep != "static" and gate_of(view) is None)
    assert not missing, f"endpoints without @public, @login_only or @requires_role: {missing}"


def test_urls_are_lowercase_kebab_case(app):
    bad = []
    for rule in _rules(app):
        path = PARAMETER.sub("", rule.rule)
        for segment in filter(None, path.split("/")):
            if not SEGMENT.match(segment):
                bad.append(f"{rule.rule} ({rule.endpoint}): {segment!r}")
    assert not bad, "URL segments must be lowercase kebab-case:\n" + "\n".join(bad)


def test_every_url_parameter_has_a_typed_converter(app):
    bad = []
    for rule in _rules(app):
        for match in PARAMETER.finditer(rule.rule):
            converter = match["converter"]
            if converter in TYPED_CONVERTERS:
                continue
            if converter in {"path", "string"} and (rule.endpoint, match["name"]) in UNTYPED_PARAMETERS_ALLOWED:
                continue
            bad.append(f"{rule.rule} ({rule.endpoint}): <{match.group(0)[1:-1]}>")
    assert not bad, "URL parameters must be <int:...>, <uuid:...> or <any(...):...>:\n" + "\n".join(bad)


def test_endpoints_are_namespaced_by_blueprint_and_snake_case(app):
    bad = [ep for ep in app.view_functions if ep != "static" and not re.fullmatch(r"[a-z_]+\.[a-z0-9_]+", ep)]
    assert not bad, f"endpoints must be <blueprint>.<verb_noun>: {bad}"


def test_every_navigation_entry_resolves(app):
    missing = []
    with app.test_request_context():
        for endpoint, _text, _roles in NAVIGATION:
            try:
                url_for(endpoint)
            except Exception as exc:  # BuildError, or a rule that needs arguments
                missing.append(f"{endpoint}: {exc.__class__.__name__}")
    assert not missing, f"navigation points at endpoints the app does not serve: {missing}"
