"""Carers and staff doing their real journeys, with 5–15 s of thought between steps (locust; see bench/load/run.py).

- Carers (200): the home page, write a log about their child, claim mileage (draft, then send it), open their
  payments, their claims.
- Business support (14): the claims queue, open a claim, decide it (approve), the payment batches.
- Supervising social workers (6): the home page (caseload), the logs of their households, open one.

Every request is checked: a page must answer 200, a form must redirect (302) to where it should. Anything else is a
failure in locust's statistics. People sign in once each (staff with a security code from the demo secret).
"""

from __future__ import annotations

import itertools
import random
import re
import threading
import uuid
from datetime import date

import pyotp
from locust import HttpUser, between, task

from bench.load.people import CARERS, SSWS, SUPPORT, carer_email, ssw_email, support_email
from portal.demo import DEMO_PASSWORD, DEMO_TOTP_SECRET

CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
_numbers: dict[str, itertools.count] = {}
_lock = threading.Lock()


def next_number(kind: str) -> int:
    with _lock:
        return next(_numbers.setdefault(kind, itertools.count()))


class Person(HttpUser):
    abstract = True
    wait_time = between(5, 15)
    totp = False

    def email(self) -> str:
        raise NotImplementedError

    def on_start(self) -> None:
        self.sign_in(self.email())

    def page(self, path: str, name: str | None = None) -> str:
        with self.client.get(path, name=name or path, catch_response=True, allow_redirects=False) as response:
            if response.status_code != 200:
                response.failure(f"{path} answered {response.status_code}")
                return ""
            return response.text

    def post(self, path: str, form: dict, name: str, expect: str = "") -> str | None:
        """POST a form; it must redirect (to a path containing `expect`). Returns where it redirected."""
        with self.client.post(path, data=form, name=name, catch_response=True, allow_redirects=False) as response:
            location = response.headers.get("Location", "")
            if response.status_code != 302 or expect not in location:
                response.failure(f"{name} answered {response.status_code} (to {location!r})")
                return None
            return location

    def sign_in(self, email: str) -> None:
        token = CSRF.search(self.page("/sign-in")).group(1)
        where = self.post("/sign-in", {"csrf_token": token, "email": email, "password": DEMO_PASSWORD}, "POST /sign-in")
        if self.totp and where is not None:
            token = CSRF.search(self.page("/sign-in/security-code")).group(1)
            code = pyotp.TOTP(DEMO_TOTP_SECRET).now()
            self.post("/sign-in/security-code", {"csrf_token": token, "code": code}, "POST /sign-in/security-code")


def today_parts(prefix: str) -> dict:
    on = date.today()
    return {f"{prefix}-day": str(on.day), f"{prefix}-month": str(on.month), f"{prefix}-year": str(on.year)}


class Carer(Person):
    fixed_count = CARERS

    def email(self) -> str:
        return carer_email(next_number("carer") % CARERS)

    @task(4)
    def home(self) -> None:
        self.page("/", "home")

    @task(2)
    def write_a_log(self) -> None:
        html = self.page("/logs/new", "GET /logs/new")
        if not html:
            return
        child = re.search(r'<option value="(\d+)"', html)
        form = {
            "csrf_token": CSRF.search(html).group(1),
            "idempotency_key": uuid.uuid4().hex,
            "child_id": child.group(1) if child else "",
            **today_parts("entry_date"),
            "time_of_day": "",  # optional; a time later than now would be refused
            "category": re.search(r'name="category" type="radio" value="([^"]+)"', html).group(1),
            "body": "Picked up from school, homework together, then tea. A settled evening; asleep by half past eight.",
        }
        if self.post("/logs/new", form, "POST /logs/new"):
            self.page("/logs", "logs")

    @task(1)
    def claim_mileage(self) -> None:
        html = self.page("/claims/new/mileage", "GET /claims/new/mileage")
        if not html:
            return
        child = re.search(r'name="children" type="checkbox" value="(\d+)"', html)
        form = {
            "csrf_token": CSRF.search(html).group(1),
            "idempotency_key": uuid.uuid4().hex,
            "line_idempotency_key": uuid.uuid4().hex,
            "vehicle": "car",
            **today_parts("line_date"),
            "from_place": "Home",
            "to_place": "Contact centre, High Street",
            "miles": str(random.randint(3, 30)),
            "category": re.search(r'name="category" type="radio" value="([^"]+)"', html).group(1),
            "note": "Family time",
        }
        if child:
            form["children"] = child.group(1)
        where = self.post("/claims/new/mileage", form, "POST /claims/new/mileage", expect="/claims/")
        if not where:
            return
        claim = self.page(where, "claim")
        submit = re.search(r'<form method="post" action="(/claims/\d+/submit)"(.*?)</form>', claim, re.S)
        if submit:
            fields = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', submit.group(2)))
            fields.update(dict(re.findall(r'name="([^"]+)"[^>]*type="checkbox" value="([^"]*)"', submit.group(2))))
            self.post(submit.group(1), fields, "POST /claims/<id>/submit")

    @task(2)
    def open_payments(self) -> None:
        self.page("/payments", "payments")

    @task(1)
    def my_claims(self) -> None:
        self.page("/claims", "claims")


class BusinessSupport(Person):
    fixed_count = SUPPORT
    totp = True

    def email(self) -> str:
        return support_email(next_number("support") % SUPPORT)

    @task(5)
    def decide_a_claim(self) -> None:
        queue = self.page("/claims/queue", "claims queue")
        claims = re.findall(r'href="(/claims/\d+)"', queue)
        if not claims:
            return
        path = random.choice(claims[:10])  # several people work the oldest claims at once
        html = self.page(path, "claim (staff)")
        decision = re.search(r'<form method="post" action="(/claims/\d+/decision)"(.*?)</form>', html, re.S)
        if decision is None:
            return  # decided by a colleague meanwhile, or over their limit: nothing to do here
        form = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', decision.group(2)))
        form["decision"] = "approve"
        self.post(decision.group(1), form, "POST /claims/<id>/decision")

    @task(1)
    def payment_batches(self) -> None:
        self.page("/payment-batches", "payment batches")

    @task(1)
    def home(self) -> None:
        self.page("/", "home (staff)")


class SupervisingSocialWorker(Person):
    fixed_count = SSWS
    totp = True

    def email(self) -> str:
        return ssw_email(next_number("ssw") % SSWS)

    @task(2)
    def home(self) -> None:
        self.page("/", "home (staff)")

    @task(3)
    def read_logs(self) -> None:
        logs = self.page("/logs", "logs (staff)")
        entries = re.findall(r'href="(/logs/\d+)"', logs)
        if entries:
            self.page(random.choice(entries[:10]), "log entry (staff)")
