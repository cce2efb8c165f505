"""Settings: production refuses unsafe defaults with a clear message; the demo fills its own; bad numbers are named."""

from __future__ import annotations

import stat
from dataclasses import fields

import pytest

from portal.app import create_app
from portal.config import ROOT, Config, ConfigError

PRODUCTION = {
    "HEARTH_ENV": "production",
    "SECRET_KEY": "k" * 48,
    "DATABASE_URL": "postgresql+psycopg://hearth@db.internal/hearth",
    "STORAGE_BACKEND": "s3",
    "STORAGE_S3_BUCKET": "hearth-files",
    "REDIS_URL": "redis://redis.internal:6379/0",
    "CLAMD_ADDRESS": "clamav.internal:3310",
    "MAIL_BACKEND": "smtp",
    "SMTP_HOST": "smtp.internal",
    "BASE_URL": "https://hearth.example.org",
}


def _production(**changes: str | None) -> Config:
    env = {k: v for k, v in {**PRODUCTION, **changes}.items() if v is not None}
    return Config.from_env(env).finalise()


def test_complete_production_settings_are_accepted():
    cfg = _production()
    assert cfg.is_production
    assert cfg.SESSION_COOKIE_SECURE is True


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"SECRET_KEY": None}, "SECRET_KEY must be set"),
        ({"SECRET_KEY": "too-short"}, "SECRET_KEY must be set to a random value of at least 32 characters"),
        ({"DATABASE_URL": "sqlite:////srv/hearth.db"}, "DATABASE_URL must point at PostgreSQL"),
        ({"DATABASE_URL": None}, "DATABASE_URL must point at PostgreSQL"),
        ({"STORAGE_BACKEND": "local"}, "STORAGE_BACKEND must be 's3'"),
        ({"STORAGE_BACKEND": None}, "STORAGE_BACKEND must be 's3'"),
        ({"STORAGE_S3_BUCKET": None}, "STORAGE_S3_BUCKET is required"),
        ({"REDIS_URL": None}, "REDIS_URL must be set"),
        ({"CLAMD_ADDRESS": None}, "CLAMD_ADDRESS must point at clamd"),
        ({"MAIL_BACKEND": None}, "MAIL_BACKEND must be 'smtp'"),
        ({"SMTP_HOST": None}, "SMTP_HOST is required"),
        ({"BASE_URL": "http://hearth.example.org"}, "BASE_URL must be the https:// address"),
        ({"WTF_CSRF_ENABLED": "false"}, "WTF_CSRF_ENABLED must stay on"),
    ],
    ids=lambda v: "-".join(f"{k}={v}" for k, v in v.items()) if isinstance(v, dict) else "",
)
def test_production_refuses_to_start_with_an_unsafe_setting(changes, message):
    with pytest.raises(ConfigError, match=message):
        _production(**changes)


def test_production_lists_every_problem_at_once():
    with pytest.raises(ConfigError) as error:
        Config.from_env({"HEARTH_ENV": "production"}).finalise()
    text = str(error.value)
    for name in (
        "SECRET_KEY",
        "DATABASE_URL",
        "STORAGE_BACKEND",
        "REDIS_URL",
        "CLAMD_ADDRESS",
        "MAIL_BACKEND",
        "BASE_URL",
    ):
        assert name in text


def test_the_app_itself_refuses_to_start_in_production_without_settings(monkeypatch):
    for name in PRODUCTION:
        monkeypatch.delenv(name, raising=False)
    with pytest.raises(ConfigError, match="cannot start in production"):
        create_app({"HEARTH_ENV": "production"})


def test_production_never_writes_a_secret_key_file(tmp_path):
    with pytest.raises(ConfigError):
        _production(SECRET_KEY=None, VAR_DIR=str(tmp_path))
    assert not (tmp_path / "secret_key").exists()


def test_demo_creates_a_private_secret_key_once_and_keeps_it(tmp_path):
    first = Config.from_env({"HEARTH_ENV": "demo", "VAR_DIR": str(tmp_path)}).finalise()
    key_file = tmp_path / "secret_key"
    assert key_file.exists()
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert len(first.SECRET_KEY) >= 32
    again = Config.from_env({"HEARTH_ENV": "demo", "VAR_DIR": str(tmp_path)}).finalise()
    assert again.SECRET_KEY == first.SECRET_KEY


def test_demo_defaults_to_sqlite_and_files_under_var(tmp_path):
    cfg = Config.from_env({"VAR_DIR": str(tmp_path)}).finalise()
    assert cfg.HEARTH_ENV == "demo"
    assert f"sqlite:///{tmp_path / 'hearth.db'}" == cfg.DATABASE_URL
    assert tmp_path / "files" == cfg.STORAGE_LOCAL_DIR
    assert cfg.SESSION_COOKIE_SECURE is False


@pytest.mark.parametrize(
    "name", ["SMTP_PORT", "INVITATION_DAYS", "PASSWORD_RESET_MINUTES", "SESSION_IDLE_MINUTES", "REMEMBER_DEVICE_DAYS"]
)
def test_a_setting_that_must_be_a_whole_number_names_itself(name, tmp_path):
    with pytest.raises(ConfigError, match=rf"{name} must be a whole number, not 'seven'"):
        Config.from_env({"VAR_DIR": str(tmp_path), name: "seven"})


def test_whole_numbers_and_switches_are_read_from_text(tmp_path):
    cfg = Config.from_env(
        {"VAR_DIR": str(tmp_path), "SMTP_PORT": "2525", "SMTP_STARTTLS": "no", "WTF_CSRF_ENABLED": "yes"}
    )
    assert (cfg.SMTP_PORT, cfg.SMTP_STARTTLS, cfg.WTF_CSRF_ENABLED) == (2525, False, True)


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"HEARTH_ENV": "staging"}, "HEARTH_ENV must be one of production, demo or test"),
        ({"STORAGE_BACKEND": "ftp"}, "STORAGE_BACKEND must be 'local' or 's3'"),
        ({"MAIL_BACKEND": "pigeon"}, "MAIL_BACKEND must be 'file' or 'smtp'"),
    ],
)
def test_unknown_choices_are_refused_by_name(changes, message, tmp_path):
    with pytest.raises(ConfigError, match=message):
        Config.from_env({"VAR_DIR": str(tmp_path), **changes}).finalise()


def test_every_setting_is_explained_in_the_readme():
    readme = (ROOT / "README.md").read_text()
    missing = [f.name for f in fields(Config) if f.name != "extra" and f"`{f.name}`" not in readme]
    assert not missing, f"add these settings to the Configuration table in README.md: {missing}"


def test_production_refuses_to_start_without_libreoffice():
    with pytest.raises(ConfigError, match="LibreOffice was not found: install libreoffice-writer-nogui"):
        _production(LIBREOFFICE_PATH="/nonexistent/soffice")


def test_production_refuses_to_start_without_the_chinese_and_japanese_font(monkeypatch):
    from portal.core import pdf

    assert pdf.cjk_font() is not None, "fonts-droid-fallback is installed wherever Hearth is tested (.ci/run)"
    monkeypatch.setattr(pdf, "CJK_FONT_PATHS", (ROOT / "nonexistent.ttf",))
    with pytest.raises(ConfigError, match="fonts-droid-fallback is not installed"):
        _production()


def test_production_uses_libreoffice_where_it_is_told_or_on_the_path():
    import shutil

    soffice = shutil.which("soffice")
    assert soffice, "LibreOffice is installed wherever Hearth is tested (.ci/run)"
    assert _production(LIBREOFFICE_PATH=soffice).office_program == soffice
    assert _production().office_program == soffice


def test_the_demo_says_at_start_up_that_office_files_will_be_refused(tmp_path, caplog, monkeypatch):
    monkeypatch.delenv("HEARTH_ENV", raising=False)
    app = create_app({"HEARTH_ENV": "demo", "VAR_DIR": str(tmp_path), "LIBREOFFICE_PATH": "/nonexistent/soffice"})
    assert app.config["LIBREOFFICE_PATH"] == "/nonexistent/soffice"
    warnings = [r.getMessage() for r in caplog.records if r.levelname == "WARNING"]
    assert any("LibreOffice (soffice) was not found: Word and OpenDocument uploads are refused" in w for w in warnings)
