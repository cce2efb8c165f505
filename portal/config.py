"""Settings read from the environment, with embedded defaults for the local demo, validated at start-up."""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass, field, fields
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PRODUCTION = "production"
DEMO = "demo"
TEST = "test"


class ConfigError(RuntimeError):
    """A setting is missing or invalid; the message says which and how to fix it."""


def _bool(value: str | None, default: bool = False) -> bool:
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _demo_secret(var_dir: Path) -> str:
    # The embedded demo keeps a random key on disk so sessions survive a restart; production must set SECRET_KEY.
    var_dir.mkdir(parents=True, exist_ok=True)
    path = var_dir / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(48))
        path.chmod(0o600)
    return path.read_text().strip()


def _demo_vapid_key(var_dir: Path) -> str:
    # The demo's push key lives beside its secret key; production sets VAPID_PRIVATE_KEY (or has no push).
    path = var_dir / "vapid_private.pem"
    if not path.exists():
        from py_vapid import Vapid02

        vapid = Vapid02()
        vapid.generate_keys()
        var_dir.mkdir(parents=True, exist_ok=True)
        vapid.save_key(str(path))
        path.chmod(0o600)
    return str(path)


@dataclass
class Config:
    HEARTH_ENV: str = DEMO
    SECRET_KEY: str = ""
    VAR_DIR: Path = ROOT / "var"
    DATABASE_URL: str = ""
    STORAGE_BACKEND: str = "local"
    STORAGE_LOCAL_DIR: Path = ROOT / "var" / "files"
    STORAGE_S3_BUCKET: str = ""
    STORAGE_S3_ENDPOINT_URL: str = ""
    STORAGE_S3_REGION: str = "eu-west-2"
    STORAGE_S3_SSE: str = ""
    REDIS_URL: str = ""
    CLAMD_ADDRESS: str = ""  # unix:/path/to/clamd.sock or host:port
    UPLOAD_MAX_IMAGE_MB: int = 30
    UPLOAD_MAX_DOCUMENT_MB: int = 20
    UPLOAD_MAX_VIDEO_MB: int = 200
    UPLOADS_PER_HOUR: int = 120
    # Documents are rebuilt from pictures of their pages (see portal/core/files/documents.py).
    LIBREOFFICE_PATH: str = ""  # the soffice program; empty: found on the PATH
    DOCUMENT_DPI: int = 150
    DOCUMENT_MAX_PAGES: int = 50
    DOCUMENT_MAX_PAGE_PIXELS: int = 20_000_000  # larger pages are drawn at a lower resolution
    DOCUMENT_MAX_SECONDS: int = 60  # LibreOffice and page drawing together, per file
    # A worker killed mid-job loses its task (huey does not acknowledge tasks): an upload whose lease has run out
    # is queued again by the scheduler's sweep. The lease must outlast the longest processing (a large video).
    JOBS_LEASE_SECONDS: int = 900
    JOBS_SWEEP_SECONDS: int = 60
    MAIL_BACKEND: str = "file"  # file (var/mail + console) | smtp
    MAIL_FROM: str = "hearth@example.org"
    SMTP_HOST: str = ""
    SMTP_PORT: int = 587
    SMTP_USERNAME: str = ""
    SMTP_PASSWORD: str = ""
    SMTP_STARTTLS: bool = True
    # Web push (VAPID, RFC 8292): the private key as a PEM file's path or its base64url DER; empty in the demo and
    # tests: one is generated into VAR_DIR/vapid_private.pem. VAPID_SUBJECT is a mailto: or https: contact for the
    # push services; empty: mailto:MAIL_FROM.
    VAPID_PRIVATE_KEY: str = ""
    VAPID_SUBJECT: str = ""
    # Text messages through GOV.UK Notify: off until a council sets its API key and a template whose whole body is
    # ((text)) (Hearth's texts carry no personal details).
    NOTIFY_API_KEY: str = ""
    NOTIFY_SMS_TEMPLATE_ID: str = ""
    NOTIFY_BASE_URL: str = "https://api.notifications.service.gov.uk"
    COUNCIL_NAME: str = "Northshire County Council"
    SERVICE_NAME: str = "Hearth"
    THEME_COLOUR: str = "#1d5c63"
    OUT_OF_HOURS_PHONE: str = "0300 123 4567"
    BASE_URL: str = "http://localhost:5000"  # a host name: browsers refuse an IP address for passkeys
    SESSION_COOKIE_SECURE: bool = True
    INVITATION_DAYS: int = 7
    PASSWORD_RESET_MINUTES: int = 60
    SESSION_IDLE_MINUTES: int = 60 * 8
    SESSION_MAX_HOURS: int = 12  # signed out this long after signing in, however active
    REMEMBER_DEVICE_DAYS: int = 30
    # Idempotency keys outlive any entry waiting in an outbox on a phone that stays offline for weeks.
    IDEMPOTENCY_KEY_DAYS: int = 30
    WTF_CSRF_ENABLED: bool = True
    # Claims: the council's rules (see README "Claims settings").
    CLAIM_MAX_AGE_DAYS: int = 90
    CLAIM_TARGET_WORKING_DAYS: int = 10
    CLAIM_SECOND_APPROVAL_PENCE: int = 0  # 0: one approval is enough
    CLAIM_EXPENSE_LINE_MAX_PENCE: int = 500_000
    CLAIM_LONG_JOURNEY_MILES: int = 150
    CLAIM_RECEIPT_OPTIONAL_CATEGORIES: str = ""
    CLAIM_ALLOWANCE_CATEGORIES: str = (
        "holiday:Holiday,festival:Religious festival,birthday:Birthday,one_off:One-off item"
    )
    # Payments: pay-run adjustments of more than this many pence (either way) need a second person; 0: off.
    PAY_ADJUSTMENT_SECOND_APPROVAL_PENCE: int = 50_000
    TESTING: bool = False
    extra: dict = field(default_factory=dict)

    @classmethod
    def from_env(cls, env: dict[str, str] | None = None) -> Config:
        env = dict(os.environ if env is None else env)
        cfg = cls()
        for f in fields(cls):
            if f.name == "extra" or f.name not in env:
                continue
            raw = env[f.name]
            current = getattr(cfg, f.name)
            if isinstance(current, bool):
                value: object = _bool(raw)
            elif isinstance(current, int):
                try:
                    value = int(raw)
                except ValueError as exc:
                    raise ConfigError(f"{f.name} must be a whole number, not {raw!r}.") from exc
            elif isinstance(current, Path):
                value = Path(raw)
            else:
                value = raw
            setattr(cfg, f.name, value)
        if "STORAGE_LOCAL_DIR" not in env:
            cfg.STORAGE_LOCAL_DIR = cfg.VAR_DIR / "files"
        if "SESSION_COOKIE_SECURE" not in env and cfg.HEARTH_ENV != PRODUCTION:
            cfg.SESSION_COOKIE_SECURE = False  # the local demo runs on plain http://localhost
        return cfg

    @property
    def is_production(self) -> bool:
        return self.HEARTH_ENV == PRODUCTION

    @property
    def office_program(self) -> str | None:
        from portal.core.files.office import find_soffice

        return find_soffice(self.LIBREOFFICE_PATH)

    def finalise(self) -> Config:
        """Fill embedded defaults (demo/test only) and refuse unsafe production settings."""
        if self.HEARTH_ENV not in {PRODUCTION, DEMO, TEST}:
            raise ConfigError(f"HEARTH_ENV must be one of production, demo or test, not {self.HEARTH_ENV!r}.")
        if self.is_production:
            self._check_production()
        else:
            if not self.DATABASE_URL:
                self.VAR_DIR.mkdir(parents=True, exist_ok=True)
                self.DATABASE_URL = f"sqlite:///{self.VAR_DIR / 'hearth.db'}"
            if not self.SECRET_KEY:
                self.SECRET_KEY = _demo_secret(self.VAR_DIR)
            if not self.VAPID_PRIVATE_KEY:
                self.VAPID_PRIVATE_KEY = _demo_vapid_key(self.VAR_DIR)
        if self.STORAGE_BACKEND not in {"local", "s3"}:
            raise ConfigError("STORAGE_BACKEND must be 'local' or 's3'.")
        if self.STORAGE_BACKEND == "s3" and not self.STORAGE_S3_BUCKET:
            raise ConfigError("STORAGE_S3_BUCKET is required when STORAGE_BACKEND is 's3'.")
        if self.JOBS_LEASE_SECONDS < 1 or self.JOBS_SWEEP_SECONDS < 1:
            raise ConfigError("JOBS_LEASE_SECONDS and JOBS_SWEEP_SECONDS must be at least 1.")
        if self.DOCUMENT_MAX_PAGES < 1 or self.DOCUMENT_MAX_SECONDS < 1 or self.DOCUMENT_DPI < 36:
            raise ConfigError(
                "DOCUMENT_MAX_PAGES and DOCUMENT_MAX_SECONDS must be at least 1, DOCUMENT_DPI at least 36."
            )
        if bool(self.NOTIFY_API_KEY) != bool(self.NOTIFY_SMS_TEMPLATE_ID):
            raise ConfigError("NOTIFY_API_KEY and NOTIFY_SMS_TEMPLATE_ID are set together, or neither (no texts).")
        if self.MAIL_BACKEND not in {"file", "smtp"}:
            raise ConfigError("MAIL_BACKEND must be 'file' or 'smtp'.")
        if self.MAIL_BACKEND == "smtp" and not self.SMTP_HOST:
            raise ConfigError("SMTP_HOST is required when MAIL_BACKEND is 'smtp'.")
        return self

    def _check_production(self) -> None:
        problems = []
        if len(self.SECRET_KEY) < 32:
            problems.append("SECRET_KEY must be set to a random value of at least 32 characters.")
        if not self.DATABASE_URL.startswith("postgresql"):
            problems.append("DATABASE_URL must point at PostgreSQL (postgresql+psycopg://...).")
        if self.STORAGE_BACKEND != "s3":
            problems.append(
                "STORAGE_BACKEND must be 's3' (with STORAGE_S3_BUCKET) so every web server sees the same files."
            )
        if not self.REDIS_URL:
            problems.append("REDIS_URL must be set: jobs and rate limits are shared through Redis.")
        if not self.CLAMD_ADDRESS:
            problems.append(
                "CLAMD_ADDRESS must point at clamd (unix:/path or host:port): uploads are scanned for viruses."
            )
        if self.MAIL_BACKEND != "smtp":
            problems.append("MAIL_BACKEND must be 'smtp' (with SMTP_HOST) so that invitations reach people.")
        if not self.office_program:
            problems.append(
                "LibreOffice was not found: install libreoffice-writer-nogui, or set LIBREOFFICE_PATH to its soffice "
                "program, so that Word and OpenDocument uploads can be made safe."
            )
        from portal.core.pdf import cjk_font

        if cjk_font() is None:
            problems.append(
                "The font package fonts-droid-fallback is not installed: Chinese and Japanese names in PDFs would "
                "print as “�”."
            )
        if not self.WTF_CSRF_ENABLED:
            problems.append("WTF_CSRF_ENABLED must stay on: every form is protected against cross-site forgery.")
        if not self.BASE_URL.startswith("https://"):
            problems.append("BASE_URL must be the https:// address people use, for links in emails.")
        if problems:
            raise ConfigError("Hearth cannot start in production:\n  - " + "\n  - ".join(problems))

    def as_flask(self) -> dict:
        out = {f.name: getattr(self, f.name) for f in fields(self) if f.name != "extra"}
        out.update(self.extra)
        out["SQLALCHEMY_URL"] = self.DATABASE_URL
        return out
