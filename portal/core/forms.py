"""Form building blocks: a base form with CSRF, a GOV.UK date field (day/month/year), money in pence, numbers."""

from __future__ import annotations

from datetime import date

from flask_wtf import FlaskForm
from wtforms import Field, StringField
from wtforms import FileField as WTFileField
from wtforms.utils import unset_value
from wtforms.validators import ValidationError

from portal.core.money import parse_decimal, parse_pence


class BaseForm(FlaskForm):
    """Every Hearth form: CSRF on, and field order kept for the error summary.

    A browser never refills a file input, so a page shown again after a problem has lost the files chosen: each
    file field that had one says so beside it, naming the files (everything typed is kept as usual).
    """

    def validate(self, extra_validators=None):
        ok = super().validate(extra_validators)
        if not ok:
            self.note_files_not_kept()
        return ok

    def note_files_not_kept(self) -> None:
        """Put "choose it again" beside every file field that had files chosen; call when the page is shown again
        for any reason (a rule refused the form after it validated, too)."""
        for field in self:
            if not isinstance(field, WTFileField) or field.errors:
                continue
            chosen = field.data if isinstance(field.data, list) else [field.data]
            names = [f.filename for f in chosen if getattr(f, "filename", None)]
            if names:
                field.errors = list(field.errors or []) + [files_not_kept(names)]


def files_not_kept(names: list[str]) -> str:
    """The message for files a page could not keep, e.g. 'receipt.jpg was not kept ...: choose it again'."""
    shown = ", ".join(names[:3]) + (f" and {len(names) - 3} more" if len(names) > 3 else "")
    if len(names) == 1:
        return f"{shown} was not kept because of the problem on this page: choose the file again"
    return f"{shown} were not kept because of the problem on this page: choose the files again"


_MONTHS = (
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
)


def parse_month(text: str) -> int | None:
    """'11', 'Nov', 'nov.', 'November', 'Sept' -> 11, 9...; None when it is not a month.

    GOV.UK's date-input guidance: accept month names and their common abbreviations as well as numbers.
    """
    cleaned = (text or "").strip().lower().rstrip(".")
    if cleaned.isdigit():
        return int(cleaned) if 1 <= int(cleaned) <= 12 else None
    if len(cleaned) < 3 or not cleaned.isalpha():
        return None
    for number, full in enumerate(_MONTHS, start=1):
        if full.startswith(cleaned):  # 'nov', 'sept', 'novem': three letters or more pick one month
            return number
    return None


def _text(value) -> str:
    """What a field holds, as text: typed text, or a number it was filled with from a saved row."""
    return "" if value is None else str(value).strip()


class MonthField(StringField):
    """A month on its own ('7', 'Jul', 'July'); `field.month` holds 1-12, or None when empty."""

    month: int | None = None

    def pre_validate(self, form):
        self.month = None
        text = _text(self.data)
        if not text:
            return
        self.month = parse_month(text)
        if self.month is None:
            raise ValidationError("Enter a month, like 7 or July")


class DatePartsField(Field):
    """Three boxes (day, month, year) posted as `<name>-day`, `<name>-month`, `<name>-year`.

    What was typed is kept as typed, so a mistake can be corrected without retyping the rest. `error_name` is how
    error messages name the date when the label alone reads badly in a sentence ("date the page was last reviewed"
    for the label "Last reviewed"); by default the label in lower case.
    """

    def __init__(
        self,
        label=None,
        validators=None,
        *,
        not_in_future: bool = False,
        required: bool = True,
        error_name: str | None = None,
        **kwargs,
    ):
        super().__init__(label, validators, **kwargs)
        self.error_name = error_name
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
        label = self.error_name or (self.label.text.lower() if self.label else "date")
        day, month, year = self._raw if any(self._raw) else ("", "", "")
        if not any(self._raw):
            if self.data is None and self.required:
                raise ValidationError(f"Enter the {label}")
            return
        missing = [n for n, v in zip(("day", "month", "year"), self._raw) if not v]
        if missing:
            raise ValidationError(f"The {label} must include a {' and '.join(missing)}")
        month_number = parse_month(month)
        if not (day.isdigit() and year.isdigit() and month_number) or len(year) != 4:
            raise ValidationError(f"The {label} must be a real date, with a 4-digit year")
        try:
            value = date(int(year), month_number, int(day))
        except ValueError:
            raise ValidationError(f"The {label} must be a real date") from None
        if self.not_in_future:
            from portal.core.clock import today

            if value > today():
                raise ValidationError(f"The {label} must be today or in the past")
        self.data = value


class MoneyField(StringField):
    """Typed as pounds, held as integer pence (`field.pence`); the text typed is kept for re-display.

    Read by portal.core.money.parse_pence (decimal commas, thousands, ambiguity refused); the page shows the reading
    back as the person types (`money_kind`, read by the `input` macro in components/forms.html).
    """

    pence: int | None = None
    money_kind = "pounds"

    def pre_validate(self, form):
        self.pence = None
        if not _text(self.data):
            return
        try:
            self.pence = parse_pence(_text(self.data))
        except ValueError as exc:
            raise ValidationError(str(exc)) from None


class DecimalTextField(StringField):
    """A number typed as text (miles, pence per mile, weeks), read like money: `7,3` is 7.3, `1,250` is 1250.

    `field.number` holds the Decimal (None when empty); `places` is the most decimal places allowed, `minimum`
    and `maximum` the range, each refused with a message naming the field's `what`.
    """

    number = None
    money_kind = "number"

    def __init__(
        self, label=None, validators=None, *, places=0, minimum=None, maximum=None, what=None, example="12", **kw
    ):
        super().__init__(label, validators, **kw)
        self.places, self.minimum, self.maximum = places, minimum, maximum
        self.what = what or (str(label).lower() if label else "a number")
        self.example = example

    def pre_validate(self, form):
        self.number = None
        text = _text(self.data)
        if not text:
            return
        try:
            value = parse_decimal(text, places=self.places, what=self.what, example=self.example)
        except ValueError as exc:
            raise ValidationError(str(exc)) from None
        if self.minimum is not None and value < self.minimum or self.maximum is not None and value > self.maximum:
            raise ValidationError(f"Enter {self.what} from {self.minimum:,} to {self.maximum:,}")
        self.number = value

    def whole(self) -> int | None:
        """The number as an int (fields with places=0), or None when nothing was typed."""
        return None if self.number is None else int(self.number)
