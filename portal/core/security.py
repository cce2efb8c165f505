"""Password hashing (Argon2id), token hashing, and the security headers every response carries."""

from __future__ import annotations

import hashlib
import secrets
from functools import lru_cache
from pathlib import Path

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask import Flask, has_request_context, request

_hasher = PasswordHasher()  # argon2-cffi's defaults are Argon2id with RFC 9106 low-memory parameters
# A real hash to verify against when the account does not exist, so timing does not reveal which emails are known.
_DUMMY_HASH = _hasher.hash(secrets.token_urlsafe(16))


def use_fast_hashing_for_tests() -> None:
    """Still Argon2id, with the cheapest parameters: thousands of test sign-ins stay quick."""
    global _hasher, _DUMMY_HASH
    _hasher = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
    _DUMMY_HASH = _hasher.hash(secrets.token_urlsafe(16))


MIN_PASSWORD_LENGTH = 12
MAX_PASSWORD_LENGTH = 256
COMMON_PASSWORDS_FILE = Path(__file__).with_name("common_passwords.txt")


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    try:
        return _hasher.verify(password_hash or _DUMMY_HASH, password) and password_hash is not None
    except (VerificationError, InvalidHashError):
        return False


@lru_cache(maxsize=1)
def _common_passwords() -> frozenset[str]:
    return frozenset(
        line.strip().lower()
        for line in COMMON_PASSWORDS_FILE.read_text().splitlines()
        if line.strip() and not line.startswith("#")
    )


def password_problem(password: str, *, email: str = "", name: str = "") -> str | None:
    """Why a new password is not acceptable, or None. Length and a deny-list only: no composition rules."""
    if len(password) < MIN_PASSWORD_LENGTH:
        return f"Your password must be at least {MIN_PASSWORD_LENGTH} characters long"
    if len(password) > MAX_PASSWORD_LENGTH:
        return f"Your password must be {MAX_PASSWORD_LENGTH} characters or fewer"
    lowered = password.lower()
    if lowered in _common_passwords() or len(set(lowered)) < 4:
        return "That password is too common and easy to guess. Try a few unrelated words together"
    local = email.split("@")[0].lower()
    if (local and len(local) >= 4 and local in lowered) or (
        name and name.lower().replace(" ", "") in lowered.replace(" ", "")
    ):
        return "Your password must not contain your name or email address"
    return None


def new_token() -> str:
    return secrets.token_urlsafe(32)


def token_hash(token: str) -> str:
    """Only hashes of emailed tokens are stored, so a database leak cannot be replayed as links."""
    return hashlib.sha256(token.encode()).hexdigest()


def csp_nonce() -> str:
    # Kept with the request, not on `g`: `g` outlives a request whenever an app context was already pushed.
    if not has_request_context():
        return secrets.token_urlsafe(16)
    if "hearth.csp_nonce" not in request.environ:
        request.environ["hearth.csp_nonce"] = secrets.token_urlsafe(16)
    return request.environ["hearth.csp_nonce"]


def media_origin(config) -> str:
    """Where presigned S3 links point, so pictures redirected there may load (CSP img-src/media-src)."""
    if config.get("STORAGE_BACKEND") != "s3":
        return ""
    from urllib.parse import urlsplit

    endpoint = config.get("STORAGE_S3_ENDPOINT_URL")
    if endpoint:
        parts = urlsplit(endpoint)
        return f"{parts.scheme}://{parts.netloc}"
    return f"https://{config['STORAGE_S3_BUCKET']}.s3.{config.get('STORAGE_S3_REGION') or 'eu-west-2'}.amazonaws.com"


def init_security_headers(app: Flask) -> None:
    media = media_origin(app.config)
    media_src = f" {media}" if media else ""

    @app.after_request
    def _headers(response):
        nonce = csp_nonce()
        # A file response sets its own, stricter policy (sandboxed); pages get the nonce-based one.
        response.headers.setdefault(
            "Content-Security-Policy",
            (
                "default-src 'self'; "
                f"script-src 'self' 'nonce-{nonce}'; "
                f"style-src 'self'; img-src 'self' data: blob:{media_src}; font-src 'self'; connect-src 'self'; "
                f"media-src 'self' blob:{media_src}; worker-src 'self'; manifest-src 'self'; "
                "object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'"
            ),
        )
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["Referrer-Policy"] = "strict-origin-when-cross-origin"
        response.headers["X-Frame-Options"] = "DENY"
        response.headers["Permissions-Policy"] = "geolocation=(), microphone=(), camera=(self), payment=()"
        response.headers["Cross-Origin-Opener-Policy"] = "same-origin"
        if app.config.get("SESSION_COOKIE_SECURE"):
            response.headers["Strict-Transport-Security"] = "max-age=31536000; includeSubDomains"
        if request.path.startswith("/static/dist/") and response.status_code == 200:
            # Built files carry a content hash in their name: a new build is a new URL, so keep them for a year.
            response.headers["Cache-Control"] = "public, max-age=31536000, immutable"
        elif not request.path.startswith("/static/") and request.endpoint not in {"pwa.service_worker", "pwa.manifest"}:
            # Pages may show children's details: never kept by the browser or a shared proxy.
            response.headers["Cache-Control"] = "no-store"
        return response
