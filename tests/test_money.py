"""Money and numbers as people type them: one reading for every field, and one way of showing pounds."""

from __future__ import annotations

from decimal import Decimal

import pytest

from portal.core.forms import parse_month
from portal.core.money import format_pounds, parse_decimal, parse_pence


@pytest.mark.parametrize(
    "typed, pence",
    [
        ("12,50", 1250),  # a decimal comma: £12.50, never £1,250.00
        ("12,5", 1250),
        ("0,99", 99),
        ("1,250.00", 125000),  # thousands: a comma followed by exactly three digits
        ("1,250", 125000),
        ("12,500", 1250000),
        ("1,234,567.89", 123456789),
        ("1.250,50", 125050),  # dots between thousands and a decimal comma
        ("1 250,00", 125000),
        ("£12.50", 1250),
        ("12.5", 1250),
        ("12", 1200),
        ("-25.00", -2500),
        ("-25,00", -2500),
        ("+25", 2500),
        ("50p", 50),
        (" £ 7,30 ", 730),
    ],
)
def test_amounts_are_read_the_way_people_type_them(typed, pence):
    assert parse_pence(typed) == pence


@pytest.mark.parametrize(
    "typed, message",
    [
        ("1.250", "Did you mean £1,250.00?"),  # £1.25 or £1,250? Asked, not guessed
        ("12.345", "Did you mean £12,345.00?"),
        ("12,5,0", "Enter an amount in pounds and pence, like 12.50"),
        ("1,25,0", "Enter an amount in pounds and pence, like 12.50"),
        ("12,3456", "Enter an amount in pounds and pence, like 12.50"),
        ("12.505", "Did you mean"),
        ("1234.567", "no more than two decimal places"),
        ("twelve", "Enter an amount in pounds and pence, like 12.50"),
        ("", "Enter an amount"),
        ("10000000", "£9,999,999 or less"),
    ],
)
def test_an_amount_that_could_be_read_two_ways_is_a_question_never_a_guess(typed, message):
    with pytest.raises(ValueError, match=message.replace("(", r"\(").replace("?", r"\?").replace("£", "£")):
        parse_pence(typed)


@pytest.mark.parametrize(
    "typed, places, value",
    [
        ("7,3", 1, Decimal("7.3")),  # 7.3 miles, never 73
        ("7.3", 1, Decimal("7.3")),
        ("12,5", 1, Decimal("12.5")),
        ("1,250", 0, Decimal("1250")),
        ("10,000", 0, Decimal("10000")),
        ("1,5", 2, Decimal("1.5")),
        ("55", 0, Decimal("55")),
        ("7,30", 1, Decimal("7.30")),
    ],
)
def test_miles_rates_and_weeks_read_a_decimal_comma_too(typed, places, value):
    assert parse_decimal(typed, places=places) == value


@pytest.mark.parametrize(
    "typed, places, message",
    [
        ("1.250", 1, "Did you mean 1.25 or 1,250?"),
        ("12.25", 1, "no more than 1 decimal place"),
        ("55,5", 0, "as a whole number"),
        ("abc", 1, "as a number"),
        ("", 1, "Enter the miles"),
    ],
)
def test_a_number_that_cannot_be_read_gets_a_clear_message(typed, places, message):
    with pytest.raises(ValueError, match=message.replace("?", r"\?")):
        parse_decimal(typed, places=places, what="the miles")


@pytest.mark.parametrize(
    "pence, shown, plain",
    [
        (125000, "£1,250.00", "1250.00"),
        (1250, "£12.50", "12.50"),
        (5, "£0.05", "0.05"),
        (0, "£0.00", "0.00"),
        (-2500, "-£25.00", "-25.00"),
        (123456789, "£1,234,567.89", "1234567.89"),
        (None, "", ""),
    ],
)
def test_one_formatter_shows_pounds_on_pages_and_plain_figures_in_files(pence, shown, plain):
    assert format_pounds(pence) == shown
    assert format_pounds(pence, plain=True) == plain


@pytest.mark.parametrize(
    "typed, month",
    [
        ("Nov", 11),
        ("november", 11),
        ("NOVEMBER", 11),
        ("Sept", 9),
        ("sep.", 9),
        ("Mar", 3),
        ("3", 3),
        ("03", 3),
        ("feb", 2),
        ("13", None),
        ("0", None),
        ("Ju", None),  # June or July: not enough to say
        ("Smarch", None),
    ],
)
def test_months_are_read_as_numbers_names_or_abbreviations(typed, month):
    assert parse_month(typed) == month


def test_no_other_pounds_formatter_is_left_in_the_code():
    import pathlib
    import re

    root = pathlib.Path(__file__).resolve().parent.parent / "portal"
    pattern = re.compile(r"% 100:02d|divmod\(.*, 100\)|£\{[^}]*// 100")
    offenders = [
        str(path.relative_to(root))
        for path in root.rglob("*.py")
        if path.name != "money.py" and pattern.search(path.read_text(encoding="utf-8"))
    ]
    assert offenders == []
