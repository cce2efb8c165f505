"""A test client that checks every HTML page it fetches, and submits forms the way a browser does (CSRF included)."""

from __future__ import annotations

import gzip
import re
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import lru_cache
from html.parser import HTMLParser

import brotli
import pyotp
from flask import g, has_app_context
from flask.testing import FlaskClient

from portal.config import ROOT
from portal.core.assets import DIST, load_manifest
from portal.core.db import db
from portal.demo import DEMO_PASSWORD
from tests.jobs import drain_jobs


@dataclass
class Form:
    action: str | None
    method: str
    fields: dict[str, str] = field(default_factory=dict)


class PageParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.h1_count = 0
        self.title = ""
        self._in_title = False
        self.ids: list[str] = []
        self.forms: list[Form] = []
        self.hrefs: list[str] = []
        self._form: Form | None = None
        self._select: str | None = None
        self._textarea: str | None = None
        self.error_summary_links: list[str] = []
        self._in_error_summary = 0
        self.text_parts: list[str] = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if "id" in a:
            self.ids.append(a["id"])
        if tag == "h1":
            self.h1_count += 1
        elif tag == "title":
            self._in_title = True
        elif tag == "form":
            self._form = Form(a.get("action"), (a.get("method") or "get").lower())
            self.forms.append(self._form)
        elif tag == "a" and a.get("href"):
            self.hrefs.append(a["href"])
            if self._in_error_summary:
                self.error_summary_links.append(a["href"])
        elif tag == "div" and "govuk-error-summary" in (a.get("class") or "").split():
            self._in_error_summary = 1
        elif self._form is not None and tag == "input" and a.get("name"):
            kind = (a.get("type") or "text").lower()
            if kind in {"checkbox", "radio"}:
                if "checked" in a:
                    self._form.fields[a["name"]] = a.get("value", "on")
            elif kind not in {"submit", "button", "file"}:
                self._form.fields[a["name"]] = a.get("value", "")
        elif self._form is not None and tag == "select":
            self._select = a.get("name")
        elif self._form is not None and tag == "option" and self._select and "selected" in a:
            self._form.fields[self._select] = a.get("value", "")
        elif self._form is not None and tag == "textarea":
            self._textarea = a.get("name")
            self._form.fields[self._textarea] = ""

    def handle_endtag(self, tag):
        if tag == "title":
            self._in_title = False
        elif tag == "form":
            self._form = None
        elif tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None

    def handle_data(self, data):
        if self._in_title:
            self.title += data
        if self._textarea and self._form is not None:
            self._form.fields[self._textarea] += data
        self.text_parts.append(data)


class PageProblem(AssertionError):
    pass


_CSS_CLASS = re.compile(r"\.((?:[A-Za-z0-9_-]|\\.)+)")
GOVUK_CSS = ROOT / "node_modules/govuk-frontend/dist/govuk/govuk-frontend.min.css"


@lru_cache(maxsize=1)
def _stylesheet_classes() -> tuple[frozenset[str], frozenset[str]] | None:
    """(classes GOV.UK Frontend styles, classes Hearth's built stylesheet styles), or None before `make assets`."""
    built = load_manifest().get("hearth.css")
    if not built or not GOVUK_CSS.exists():
        return None

    def classes(css: str) -> frozenset[str]:
        return frozenset(m.replace("\\", "") for m in _CSS_CLASS.findall(css))

    return classes(GOVUK_CSS.read_text()), classes((DIST / built).read_text())


def unstyled_classes(html: str) -> set[str]:
    """GOV.UK classes on the page that GOV.UK Frontend styles but static/build.mjs left out of hearth.css."""
    sheets = _stylesheet_classes()
    if sheets is None:
        return set()
    govuk, ours = sheets
    used = {c for value in re.findall(r'class="([^"]*)"', html) for c in value.split()}
    return (used & govuk) - ours


_NONCE = re.compile(r' nonce="[^"]*"')
_CHECKED: dict[str, PageParser] = {}  # pages already checked, by their markup less the per-request CSP nonce
_MOST_CHECKED = 512


def check_page(html: str) -> PageParser:
    """The rules every page keeps: one h1, a title, CSRF in POST forms, unique ids, error links that resolve.

    A page seen before (the same markup but for its nonce: the authorization matrix alone asks for the same refusal
    page thousands of times) is not parsed again; the parsed page is shared, so callers only read it.
    """
    key = _NONCE.sub("", html)
    if (known := _CHECKED.get(key)) is not None:
        return known
    page = _checked(html)
    if len(_CHECKED) >= _MOST_CHECKED:
        _CHECKED.clear()
    _CHECKED[key] = page
    return page


def _checked(html: str) -> PageParser:
    page = PageParser()
    page.feed(html)
    problems = []
    if page.h1_count != 1:
        problems.append(f"expected exactly one <h1>, found {page.h1_count}")
    if not page.title.strip():
        problems.append("the page has no <title>")
    for form in page.forms:
        if form.method == "post" and "csrf_token" not in form.fields:
            problems.append(f"POST form to {form.action!r} has no CSRF token")
    dupes = {i for i in page.ids if page.ids.count(i) > 1}
    if dupes:
        problems.append(f"duplicate ids: {sorted(dupes)}")
    for href in page.error_summary_links:
        if href.startswith("#") and href[1:] not in page.ids:
            problems.append(f"error summary links to missing #{href[1:]}")
    missing = unstyled_classes(html)
    if missing:
        problems.append(f"GOV.UK classes left out of the built stylesheet: {sorted(missing)} (see static/build.mjs)")
    if problems:
        raise PageProblem("; ".join(problems))
    return page


class PageClient(FlaskClient):
    """Every HTML response is checked; `.page` holds the parsed last page. Before and after each request queued jobs
    are run as a worker runs them (tests.jobs.drain_jobs); inside `with client.jobs_held():` they stay queued."""

    page: PageParser | None = None
    run_jobs: bool = True

    @contextmanager
    def jobs_held(self):
        """Requests inside leave their jobs on the queue (to see a page before the worker has run)."""
        self.run_jobs = False
        try:
            yield self
        finally:
            self.run_jobs = True

    def open(self, *args, **kwargs):
        # Tests keep an app context pushed, so without this `g` would outlive each request (a stale current_user,
        # a CSRF token no longer in the session): every request starts with an empty `g`, as on a real server.
        if has_app_context():
            vars(g).clear()
            # Likewise the database session: a real request starts with nothing cached from earlier requests.
            db.session.expire_all()
        if self.run_jobs:  # what test code queued, a worker would have run before this request came
            drain_jobs(self.application)
        # Read whole: a streamed download a test never reads would keep its request context until garbage collection
        # ended it in the middle of a later test.
        kwargs.setdefault("buffered", True)
        response = super().open(*args, **kwargs)
        if self.run_jobs:
            drain_jobs(self.application)
        if response.mimetype == "text/html" and response.status_code != 302:
            html = _decoded(response)
            self.page = check_page(html)
            response.page = self.page
            response.text = html
        return response

    def submit(
        self, url: str, data: dict | None = None, *, form_index: int | None = None, follow_redirects=False, **kwargs
    ):
        """GET the page, fill the form like a browser (hidden fields, CSRF, current values), override with `data`, POST."""
        got = self.get(url)
        assert got.status_code == 200, f"GET {url} answered {got.status_code}"
        forms = [f for f in self.page.forms if f.method == "post"]
        # The layout's sign-out form is on every signed-in page: the page's own forms come first.
        own = [f for f in forms if f.action in (None, "", url)]
        forms = own + [f for f in forms if f not in own]
        assert forms, f"no POST form on {url}"
        form = forms[form_index or 0] if form_index is not None else forms[0]
        fields = dict(form.fields)
        for key, value in (data or {}).items():
            if value is None:
                fields.pop(key, None)
            else:
                fields[key] = value
        return self.post(form.action or url, data=fields, follow_redirects=follow_redirects, **kwargs)

    def sign_in(self, user, password: str = DEMO_PASSWORD, *, totp_secret: str | None = None):
        """Sign in through the real pages, including the security code for staff."""
        response = self.submit("/sign-in", {"email": user.email, "password": password})
        assert response.status_code == 302, f"sign-in failed with {response.status_code}"
        if "/sign-in/security-code" in response.location:
            secret = totp_secret or user.totp_secret
            response = self.submit("/sign-in/security-code", {"code": pyotp.TOTP(secret).now()})
            assert response.status_code == 302, "security code refused"
        return response


def _decoded(response) -> str:
    data = response.get_data()
    encoding = response.headers.get("Content-Encoding")
    if encoding == "br":
        data = brotli.decompress(data)
    elif encoding == "gzip":
        data = gzip.decompress(data)
    return data.decode()


def text_of(response) -> str:
    """The visible text of a page, whitespace collapsed: for asserting what a person reads."""
    parser = PageParser()
    parser.feed(_decoded(response))
    return re.sub(r"\s+", " ", "".join(parser.text_parts)).strip()
