"""Money and decimal numbers as people type them, and pounds as Hearth shows them.

One reading for every field (amounts, miles, rates, adjustments), so `12,50` is never a hundred times `12.50`:
- a comma followed by one or two digits at the end is a decimal comma (`12,50` is £12.50, `7,3` is 7.3);
- commas followed by exactly three digits are thousands (`1,250` and `1,250.00` are £1,250.00);
- anything else that mixes them, or a dot followed by three digits (`1.250`: £1.25 or £1,250?), is a question for
  the person, never a guess.
static/js/money.js shows the same reading back while the person types.
"""

from __future__ import annotations

import re
from decimal import Decimal

MAX_POUNDS = 9_999_999

_SPACES = re.compile(r"[\s\u00a0\u202f\u2009']")
_PLAIN = re.compile(r"^\d+(?:\.\d+)?$")
_DECIMAL_COMMA = re.compile(r"^\d+,\d{1,2}$")
_THOUSANDS = re.compile(r"^\d{1,3}(?:,\d{3})+(?:\.\d+)?$")
_EURO = re.compile(r"^\d{1,3}(?:\.\d{3})+,\d{1,2}$")
_AMBIGUOUS_DOT = re.compile(r"^\d{1,3}\.\d{3}$")


class AmountUnclear(ValueError):
    """The text could be read two ways, or not at all; str() is a message for the person who typed it."""

    def __init__(self, message: str, *readings: Decimal):
        super().__init__(message)
        self.readings = readings


def _standardise(text: str, *, example: str) -> tuple[str, str]:
    """Typed text -> (sign, digits with at most one '.'), or AmountUnclear with a message naming `example`."""
    cleaned = _SPACES.sub("", text or "")
    sign = ""
    if cleaned[:1] in ("-", "+", "\u2212"):
        sign = "-" if cleaned[0] != "+" else ""
        cleaned = cleaned[1:]
    if not cleaned:
        raise AmountUnclear("empty")
    if _PLAIN.match(cleaned):
        if _AMBIGUOUS_DOT.match(cleaned):
            whole, frac = cleaned.split(".")
            raise AmountUnclear("ambiguous", Decimal(cleaned), Decimal(whole + frac))
        return sign, cleaned
    if _DECIMAL_COMMA.match(cleaned):
        return sign, cleaned.replace(",", ".")
    if _THOUSANDS.match(cleaned):
        return sign, cleaned.replace(",", "")
    if _EURO.match(cleaned):
        return sign, cleaned.replace(".", "").replace(",", ".")
    raise AmountUnclear(f"Enter a number, like {example}")


def parse_pence(text: str, *, what: str = "an amount") -> int:
    """'£12.50', '12,50', '1,250', '1,250.00', '-25' -> pence (int). Signs are kept: callers check the range.

    Raises ValueError (AmountUnclear) with a message fit for the person: empty, not a number, more than two
    decimal places, more than £9,999,999, or a reading that is ambiguous (a question naming both readings).
    """
    raw = (text or "").strip().replace("£", "").replace("GBP", "").replace("gbp", "")
    pence_only = re.fullmatch(r"\s*(\d{1,3})\s*p\s*", raw)
    if pence_only:
        return int(pence_only.group(1))
    try:
        sign, number = _standardise(raw, example="12.50")
    except AmountUnclear as exc:
        if str(exc) == "empty":
            raise AmountUnclear(f"Enter {what}") from None
        if exc.readings:
            large = int(exc.readings[1])
            raise AmountUnclear(
                f"Did you mean {format_pounds(large * 100)}? Enter it as {large} or {large:,} "
                "(a dot marks the pence, like 12.50)"
            ) from None
        raise AmountUnclear(str(exc).replace("Enter a number", "Enter an amount in pounds and pence")) from None
    whole, _, frac = number.partition(".")
    if len(frac) > 2:
        raise AmountUnclear("Enter an amount in pounds and pence, with no more than two decimal places, like 12.50")
    if int(whole) > MAX_POUNDS:
        raise AmountUnclear(f"Enter an amount of £{MAX_POUNDS:,} or less")
    pence = int(whole) * 100 + int((frac + "00")[:2])
    return -pence if sign == "-" else pence


def parse_decimal(text: str, *, places: int, what: str = "a number", example: str = "12.5") -> Decimal:
    """'7,3', '7.3', '1,250' -> Decimal, with at most `places` decimal places. Signs are kept.

    Raises ValueError (AmountUnclear) with a message for the person: empty, not a number, too many decimal places
    or an ambiguous reading.
    """
    try:
        sign, number = _standardise((text or "").strip(), example=example)
    except AmountUnclear as exc:
        if str(exc) == "empty":
            raise AmountUnclear(f"Enter {what}") from None
        if not exc.readings:
            raise AmountUnclear(f"Enter {what} as a number, like {example}") from None
        small, large = exc.readings
        raise AmountUnclear(
            f"Did you mean {format_decimal(small, 3)} or {format_decimal(large)}? Enter {format_decimal(large)} "
            f"as {int(large)}, or {what} with no more than {places} decimal place{'s' if places != 1 else ''}"
        ) from None
    _, _, frac = number.partition(".")
    if len(frac.rstrip("0")) > places:
        if places == 0:
            raise AmountUnclear(f"Enter {what} as a whole number, like {example}")
        raise AmountUnclear(f"Enter {what} with no more than {places} decimal place{'s' if places > 1 else ''}")
    value = Decimal(number)
    return -value if sign == "-" else value


def format_pounds(pence: int | None, *, plain: bool = False) -> str:
    """1234567 -> '£12,345.67'; -2500 -> '-£25.00'; None -> ''.

    `plain=True` gives the figure a spreadsheet or finance system reads as a number: '12345.67', '-25.00'.
    """
    if pence is None:
        return ""
    sign = "-" if pence < 0 else ""
    whole, pennies = divmod(abs(int(pence)), 100)
    if plain:
        return f"{sign}{whole}.{pennies:02d}"
    return f"{sign}£{whole:,}.{pennies:02d}"


def format_decimal(value: Decimal | float | int, places: int = 1) -> str:
    """7.3 -> '7.3'; 1250 -> '1,250'; trailing zeros dropped."""
    text = f"{Decimal(value):,.{places}f}"
    return text.rstrip("0").rstrip(".") if "." in text else text
