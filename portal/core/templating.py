"""Jinja setup: GOV.UK Frontend macros, filters for money and UK dates/times, asset URLs."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

from flask import Flask
from jinja2 import ChoiceLoader, FileSystemLoader, PackageLoader, PrefixLoader

from portal.core.assets import asset_url
from portal.core.clock import LONDON
from portal.core.money import format_pounds
from portal.core.security import csp_nonce


def uk_date(value: date | datetime | None) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = value.astimezone(LONDON).date()
    return f"{value.day} {value:%B %Y}"


def uk_datetime(value: datetime | None) -> str:
    if value is None:
        return ""
    local = value.astimezone(LONDON)
    hour = local.strftime("%I").lstrip("0")
    return f"{local.day} {local:%B %Y} at {hour}:{local:%M}{local:%p}".replace("AM", "am").replace("PM", "pm")


def age_on(born: date, today: date | None = None) -> int:
    today = today or datetime.now(LONDON).date()
    return today.year - born.year - ((today.month, today.day) < (born.month, born.day))


def init_templating(app: Flask, templates_dir: Path) -> None:
    app.jinja_loader = ChoiceLoader(
        [
            FileSystemLoader(str(templates_dir)),
            PrefixLoader({"govuk_frontend_jinja": PackageLoader("govuk_frontend_jinja")}),
        ]
    )
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True
    app.jinja_env.filters.update(pounds=format_pounds, uk_date=uk_date, uk_datetime=uk_datetime, age=age_on)
    app.jinja_env.globals["asset_url"] = asset_url  # also for macros imported without context (components/forms.html)

    @app.context_processor
    def _globals():
        return {
            "csp_nonce": csp_nonce,
            "asset_url": asset_url,
            "council_name": app.config["COUNCIL_NAME"],
            "service_name": app.config["SERVICE_NAME"],
            "theme_colour": app.config["THEME_COLOUR"],
        }
