"""Form building blocks: a base form with CSRF, a GOV.UK date field (day/month/year), money in pence."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal, InvalidOperation

from flask_wtf import FlaskForm
from wtforms import Field, StringField
from wtforms.utils import unset_value
from wtforms.validators import ValidationError


class BaseForm(FlaskForm):
    """Every Hearth form: CSRF on, and field order kept for the error summary."""


class DatePartsField(Field):
    """Three boxes (day, month, year) posted as `<name>-day`, `<name>-month`, `<name>-year`.

    What was typed is kept as typed, so a mistake can be corrected without retyping the rest.
    """

    def __init__(self, label=None, validators=None, *, not_in_future: bool = False, required: bool = True, **kwargs):
        super().__init__(label, validators, **kwargs)
        self.not_in_future = not_in_future
        self.required = required
        self._raw: tuple[str, str, str] = ("", "", "")

    def raw_parts(self) -> tuple[str, str, str]:
        if any(self._raw):
            return self._raw
        if isinstance(self.data, date):
            return (str(self.data.day), str(self.data.month), str(self.data.year))
        return ("", "", "")

    def process(self, formdata, data=None, extra_filters=None):
        self.process_errors = []
        # WTForms passes unset_value when neither an object nor data gave a value: that is "no date", not a date.
        self.data = data if data is not None and data is not unset_value else self.default
        self.object_data = self.data
        if formdata is not None and any(f"{self.name}-{p}" in formdata for p in ("day", "month", "year")):
            self._raw = tuple((formdata.get(f"{self.name}-{p}") or "").strip() for p in ("day", "month", "year"))
            self.data = None

    def pre_validate(self, form):
        label = self.label.text.lower() if self.label else "date"
        day, month, year = self._raw if any(self._raw) else ("", "", "")
        if not any(self._raw):
            if self.data is None and self.required:
                raise ValidationError(f"Enter the {label}")
            return
        missing = [n for n, v in zip(("day", "month", "year"), self._raw) if not v]
        if missing:
            raise ValidationError(f"The {label} must include a {' and '.join(missing)}")
        if not all(v.isdigit() for v in self._raw) or len(year) != 4:
            raise ValidationError(f"The {label} must be a real date, with a 4-digit year")
        try:
            value = date(int(year), int(month), int(day))
        except ValueError:
            raise ValidationError(f"The {label} must be a real date") from None
        if self.not_in_future:
            from portal.core.clock import today

            if value > today():
                raise ValidationError(f"The {label} must be today or in the past")
        self.data = value


_MONEY = re.compile(r"^-?\d{1,7}(\.\d{1,2})?$")


def parse_pence(text: str) -> int:
    """'£12.50', '12.5', '12', '1,200' -> pence. Raises ValueError with a message fit for a person."""
    cleaned = text.strip().replace("£", "").replace(",", "").replace(" ", "")
    if not cleaned:
        raise ValueError("Enter an amount")
    if not _MONEY.match(cleaned):
        raise ValueError("Enter an amount in pounds and pence, like 12.50")
    try:
        pence = int((Decimal(cleaned) * 100).to_integral_value())
    except InvalidOperation:
        raise ValueError("Enter an amount in pounds and pence, like 12.50") from None
    return pence


class MoneyField(StringField):
    """Typed as pounds, held as integer pence (`field.pence`); the text typed is kept for re-display."""

    pence: int | None = None

    def pre_validate(self, form):
        self.pence = None
        if not (self.data or "").strip():
            return
        try:
            self.pence = parse_pence(self.data)
        except ValueError as exc:
            raise ValidationError(str(exc)) from None
