"""A person's browser as seen by a server over real HTTP (requests): signing in, writing a log with a photo."""

from __future__ import annotations

import re
import time
from datetime import date

import requests

CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


class Visitor:
    """One browser: cookies kept per origin, so the same person can be sent to another web server's address."""

    def __init__(self, base_url: str) -> None:
        self.base_url = base_url.rstrip("/")
        self.http = requests.Session()

    def get(self, path: str, **kwargs) -> requests.Response:
        return self.http.get(self.base_url + path, timeout=30, **kwargs)

    def submit(self, path: str, data: dict, files: dict | None = None) -> requests.Response:
        """GET the form for its CSRF token, then POST it as a browser would (no redirects followed)."""
        token = CSRF.search(self.get(path).text)
        assert token, f"no CSRF token in {path}"
        return self.http.post(
            self.base_url + path,
            data={**data, "csrf_token": token.group(1)},
            files=files,
            headers={"Origin": self.base_url, "Referer": self.base_url + path},
            allow_redirects=False,
            timeout=60,
        )

    def sign_in(self, email: str, password: str) -> None:
        response = self.submit("/sign-in", {"email": email, "password": password})
        assert response.status_code == 302 and "/sign-in" not in response.headers["Location"], response.text[:500]

    def write_log_with_photo(self, photo: bytes, name: str = "photo.jpg") -> str:
        """A daily log for the first child in the carer's form, with one photo; returns the new entry's path."""
        child = re.search(r'<option value="(\d+)"', self.get("/logs/new").text)
        assert child, "the carer has no child to write about"
        d = date.today()
        response = self.submit(
            "/logs/new",
            {
                "child_id": child.group(1),
                "entry_date-day": str(d.day),
                "entry_date-month": str(d.month),
                "entry_date-year": str(d.year),
                "time_of_day": "",
                "category": "daily_life",
                "body": "Millie went swimming and was proud of her new badge.",
            },
            files={"attachments": (name, photo, "image/jpeg")},
        )
        assert response.status_code == 302, response.text[:500]
        return "/" + response.headers["Location"].split("://", 1)[-1].split("/", 1)[-1]


def wait_until(check, *, seconds: float, what: str, every: float = 0.25):
    """Poll `check` until it returns something truthy; fail with `what` after `seconds`."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        found = check()
        if found:
            return found
        time.sleep(every)
    raise AssertionError(f"{what} did not happen within {seconds} s")
